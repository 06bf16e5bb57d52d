"""The claim contract: what a paper predicts, how to measure it, and how to compare.

A claim is a small class in ``compare/claims/`` (or in a third-party package) that
declares

* ``name`` (the CLI name), ``title`` and ``reference`` (authors, year, arXiv id, the
  equation or figure it checks);
* ``params`` (typed, with valid ranges) and ``presets`` (``quick``, ``standard``,
  ``paper``);
* ``predict(params)`` — named theoretical quantities (scalars or arrays);
* ``measure(params, size, rng, backend)`` — the same names, measured at one finite size;
* ``checks(params)`` — the checks of :mod:`compare.checks` that turn predictions and
  measurements into a verdict, each with a tolerance and the reason for it, and each a
  power check (``effect``) or a consistency check (``consistency``);
* ``headline`` — the name of the check that states the paper's own claim.

A claim class is checked when it is defined (static rules only, so start-up stays
fast): a snake_case name, the three presets with valid budgets, defaults and preset
values in range, a grid that names a ``floats`` parameter and a headline. That every
check names quantities ``predict`` and ``measure`` return is checked at the start of a
run and by :mod:`compare.testing`.

Everything else (sweeps over sizes and seeds, statistics, reports, plots, the CLI) is
generic. A claim whose experiment is expensive per grid point names that grid
parameter in ``grid``: every value becomes its own job and ``measure`` receives one value.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Mapping

import numpy as np

from .errors import ClaimDefinitionError, UsageError
from .params import PRESET_NAMES, Param, Preset

_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


class Claim:
    """Base class of every claim; subclasses fill in the class attributes and three methods."""

    name: ClassVar[str]
    title: ClassVar[str]
    reference: ClassVar[str]
    params: ClassVar[tuple[Param, ...]]
    presets: ClassVar[dict[str, Preset]]
    grid: ClassVar[str | None] = None
    headline: ClassVar[str]
    """Name of the check that states the paper's own claim (shown first in reports)."""

    size_name: ClassVar[str] = "N"
    """What ``size`` means for this claim (matrix dimension ``N``, input dimension ``d``)."""

    min_size: ClassVar[int] = 2
    """Smallest size at which ``measure`` is meaningful (``--sizes`` below it is a usage error)."""

    def predict(self, params: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def measure(self, params: Mapping[str, Any], size: int, rng: np.random.Generator,
                backend: str) -> dict[str, Any]:
        raise NotImplementedError

    def checks(self, params: Mapping[str, Any]) -> list:
        raise NotImplementedError

    # ----------------------------------------------------------------- generic part
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:  # a concrete claim; intermediate bases set no name
            validate_definition(cls)

    @classmethod
    def param(cls, name: str) -> Param:
        for p in cls.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in cls.params)
        raise UsageError(f"unknown parameter {name!r} for claim {cls.name}: known are {known}")

    @classmethod
    def preset(cls, name: str) -> Preset:
        if name not in cls.presets:
            raise UsageError(f"--preset={name!r} is invalid: must be one of {', '.join(PRESET_NAMES)}")
        return cls.presets[name]

    @classmethod
    def resolve_params(cls, preset: str, overrides: Mapping[str, str] | None = None,
                       values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults, then the preset's values, then ``values`` (typed), then ``overrides`` (text)."""
        params = {p.name: p.validate(p.default) for p in cls.params}
        params.update((k, cls.param(k).validate(v)) for k, v in cls.preset(preset).params.items())
        for key, value in (values or {}).items():
            params[key] = cls.param(key).validate(value)
        for key, text in (overrides or {}).items():
            params[key] = cls.param(key).parse(text)
        cls.validate_params(params)
        return params

    @classmethod
    def smallest_size(cls, params: Mapping[str, Any]) -> int:
        """Smallest meaningful size at these parameters (``min_size`` unless they raise it)."""
        return cls.min_size

    @classmethod
    def validate_params(cls, params: Mapping[str, Any]) -> None:
        """Cross-parameter rules beyond single ranges; raise UsageError. None by default."""

    @classmethod
    def label(cls, params: Mapping[str, Any]) -> str:
        """The deterministic name of a run, e.g. ``gamp_rie[kappa=0.5,delta=0]``."""
        inner = ",".join(f"{k}={_short(v)}" for k, v in sorted(params.items()))
        return f"{cls.name}[{inner}]"


def validate_definition(cls) -> None:
    """Static contract of a claim class; ClaimDefinitionError naming the claim and the rule."""
    def fail(rule: str):
        raise ClaimDefinitionError(f"claim class {cls.__module__}.{cls.__qualname__}: {rule}")

    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not _SNAKE_CASE.fullmatch(name):
        fail(f"name={name!r} must be snake_case")
    for attr in ("title", "reference", "headline"):
        if not isinstance(getattr(cls, attr, None), str) or not getattr(cls, attr):
            fail(f"{attr} must be a non-empty string")
    params = getattr(cls, "params", None)
    if not isinstance(params, tuple) or not all(isinstance(p, Param) for p in params):
        fail("params must be a tuple of Param")
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        fail(f"parameter names {names} repeat")
    for p in params:
        if not _SNAKE_CASE.fullmatch(p.name):
            fail(f"parameter name {p.name!r} must be snake_case")
        try:
            p.validate(p.default)
        except UsageError as exc:
            fail(f"default of {exc}")
    if cls.grid is not None and (cls.grid not in names or cls.param(cls.grid).kind != "floats"):
        fail(f"grid={cls.grid!r} must name a 'floats' parameter")
    presets = getattr(cls, "presets", None)
    if not isinstance(presets, dict) or set(presets) != set(PRESET_NAMES):
        fail(f"presets must be exactly {', '.join(PRESET_NAMES)}")
    for label, preset in presets.items():
        sizes = preset.sizes
        if (not sizes or any(isinstance(n, bool) or not isinstance(n, int) or n < 2 for n in sizes)
                or list(sizes) != sorted(set(sizes))):
            fail(f"preset {label!r}: sizes {sizes} must be distinct increasing integers >= 2")
        if sizes[0] < cls.min_size:
            fail(f"preset {label!r}: sizes {sizes} start below min_size={cls.min_size}")
        if isinstance(preset.seeds, bool) or not isinstance(preset.seeds, int) or preset.seeds < 2:
            fail(f"preset {label!r}: seeds={preset.seeds!r} must be an integer >= 2")
        for key, value in preset.params.items():
            if key not in names:
                fail(f"preset {label!r} sets unknown parameter {key!r}")
            try:
                cls.param(key).validate(value)
            except UsageError as exc:
                fail(f"preset {label!r}: {exc}")


def _short(value) -> str:
    if isinstance(value, tuple):
        return ":".join(_short(v) for v in value)
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value)
