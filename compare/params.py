"""Typed claim parameters with valid ranges, parsed from text by their declared type.

A value given on the command line (``--set kappa=0.5``) is parsed by the parameter's
type — ``float``, ``int``, ``bool``, ``str`` (with choices) or a tuple of floats written
``0.1,0.2,0.3`` — and never evaluated as Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .errors import UsageError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Param:
    """One parameter of a claim.

    Parameters
    ----------
    name : str
        Snake-case name, used by ``--set name=value``.
    kind : {"float", "int", "bool", "str", "floats"}
        Declared type; ``floats`` is a grid, kept sorted and without repeats.
    default : object
        Default value (already of the declared type).
    low, high : float, optional
        Valid range (each element of a ``floats`` grid must lie in it).
    low_open, high_open : bool
        Whether the bounds are excluded.
    choices : tuple of str, optional
        Allowed values of a ``str`` parameter.
    help : str
        One line shown by ``verify --list``.
    """

    name: str
    kind: str
    default: Any
    help: str = ""
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = field(default=())

    def range_text(self) -> str:
        """The valid range in words, e.g. ``in (0, inf)`` or ``one of a, b``."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind == "bool":
            return "true or false"
        lo = "-inf" if self.low is None else repr(self.low)
        hi = "inf" if self.high is None else repr(self.high)
        lb = "(" if self.low_open or self.low is None else "["
        rb = ")" if self.high_open or self.high is None else "]"
        what = "a comma-separated list of numbers, each " if self.kind == "floats" else ""
        return f"{what}in {lb}{lo}, {hi}{rb}" + (" (integer)" if self.kind == "int" else "")

    def _error(self, value) -> UsageError:
        return UsageError(f"parameter {self.name}={value!r} is out of range: must be {self.range_text()}")

    def parse(self, text: str):
        """Parse command-line text by the declared type, then validate it."""
        raw = text.strip()
        try:
            if self.kind == "float":
                value: Any = float(raw)
            elif self.kind == "int":
                value = int(raw)
            elif self.kind == "bool":
                if raw.lower() not in _TRUE | _FALSE:
                    raise ValueError
                value = raw.lower() in _TRUE
            elif self.kind == "floats":
                value = tuple(float(part) for part in raw.split(",") if part.strip())
                if not value:
                    raise ValueError
            else:
                value = raw
        except ValueError:
            raise self._error(text) from None
        return self.validate(value)

    def validate(self, value):
        """Return ``value`` if it is of the declared type and in range, else raise UsageError."""
        if self.kind == "str":
            if self.choices and value not in self.choices:
                raise self._error(value)
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise self._error(value)
            return value
        values = value if self.kind == "floats" else (value,)
        for v in values:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise self._error(value)
            if self.kind == "int" and int(v) != v:
                raise self._error(value)
            if self.low is not None and (v < self.low or (self.low_open and v == self.low)):
                raise self._error(value)
            if self.high is not None and (v > self.high or (self.high_open and v == self.high)):
                raise self._error(value)
        if self.kind == "floats":  # a grid: its order and repeats carry no meaning
            return tuple(sorted({float(v) for v in value}))
        return int(value) if self.kind == "int" else float(value)


@dataclass(frozen=True)
class Preset:
    """A named budget: sizes, number of seeds and parameter overrides.

    ``quick`` runs in seconds (CI), ``standard`` in about a minute on a laptop (the
    default), ``paper`` at the paper's own sizes.
    """

    sizes: tuple[int, ...]
    seeds: int
    params: dict[str, Any] = field(default_factory=dict)


PRESET_NAMES = ("quick", "standard", "paper")


def canonical(value):
    """A JSON-ready, order-stable form of a parameter value (tuples become lists)."""
    if isinstance(value, tuple):
        return [canonical(v) for v in value]
    return value
