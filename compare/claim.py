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
  measurements into a verdict, each with a tolerance and the reason for it.

Everything else (sweeps over sizes and seeds, statistics, reports, plots, the CLI) is
generic. A claim whose experiment is expensive per grid point names that grid
parameter in ``grid``: every value becomes its own job and ``measure`` receives one value.
"""

from __future__ import annotations

from typing import Any, ClassVar, Mapping

import numpy as np

from .errors import UsageError
from .params import PRESET_NAMES, Param, Preset


class Claim:
    """Base class of every claim; subclasses fill in the class attributes and three methods."""

    name: ClassVar[str]
    title: ClassVar[str]
    reference: ClassVar[str]
    params: ClassVar[tuple[Param, ...]]
    presets: ClassVar[dict[str, Preset]]
    grid: ClassVar[str | None] = None
    version: ClassVar[str] = "1"
    """Bump when ``measure`` changes: stored results of older versions are not reused."""

    power_perturb: ClassVar[float] = 1.02
    """Factor by which a wrong theory must be caught at the ``standard`` preset (negative
    control). 1.02 unless the claim's tolerances are empirical and say why they are wider."""

    size_name: ClassVar[str] = "N"
    """What ``size`` means for this claim (matrix dimension ``N``, input dimension ``d``)."""

    def predict(self, params: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def measure(self, params: Mapping[str, Any], size: int, rng: np.random.Generator,
                backend: str) -> dict[str, Any]:
        raise NotImplementedError

    def checks(self, params: Mapping[str, Any]) -> list:
        raise NotImplementedError

    # ----------------------------------------------------------------- generic part
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
        params = {p.name: p.default for p in cls.params}
        params.update(cls.preset(preset).params)
        for key, value in (values or {}).items():
            params[key] = cls.param(key).validate(value)
        for key, text in (overrides or {}).items():
            params[key] = cls.param(key).parse(text)
        cls.validate_params(params)
        return params

    @classmethod
    def validate_params(cls, params: Mapping[str, Any]) -> None:
        """Cross-parameter rules beyond single ranges; raise UsageError. None by default."""

    @classmethod
    def label(cls, params: Mapping[str, Any]) -> str:
        """The deterministic name of a run, e.g. ``gamp_rie[kappa=0.5,delta=0]``."""
        inner = ",".join(f"{k}={_short(v)}" for k, v in sorted(params.items()))
        return f"{cls.name}[{inner}]"


def _short(value) -> str:
    if isinstance(value, tuple):
        return ":".join(_short(v) for v in value)
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value)
