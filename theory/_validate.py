"""Parameter validation shared by the public functions of :mod:`theory`.

Every public function checks its parameters at the boundary and raises
``ValueError`` with one line naming the parameter, its value and the valid range,
for example ``ratio=-1.0 is out of range: must be > 0``.
"""

from __future__ import annotations

import math

import numpy as np


def _fail(name: str, value, rule: str) -> None:
    raise ValueError(f"{name}={value!r} is out of range: must be {rule}")


def check_finite(name: str, value) -> None:
    """Raise unless every element of ``value`` is a finite real number."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf" or not np.all(np.isfinite(arr)):
        _fail(name, value, "a finite real number")


def check_positive(name: str, value, *, allow_zero: bool = False) -> None:
    """Raise unless every element of ``value`` is finite and > 0 (>= 0 with ``allow_zero``)."""
    check_finite(name, value)
    arr = np.asarray(value, dtype=float)
    if allow_zero:
        if np.any(arr < 0):
            _fail(name, value, ">= 0")
    elif np.any(arr <= 0):
        _fail(name, value, "> 0")


def check_interval(name: str, value, low: float, high: float, *,
                   closed_low: bool = True, closed_high: bool = True) -> None:
    """Raise unless every element of ``value`` lies in the interval from ``low`` to ``high``."""
    check_finite(name, value)
    arr = np.asarray(value, dtype=float)
    ok_low = arr >= low if closed_low else arr > low
    ok_high = arr <= high if closed_high else arr < high
    if not np.all(ok_low & ok_high):
        lb = "[" if closed_low else "("
        rb = "]" if closed_high else ")"
        hi = "inf" if math.isinf(high) else repr(high)
        _fail(name, value, f"in {lb}{low!r}, {hi}{rb}")


def check_integer(name: str, value, low: int) -> None:
    """Raise unless every element of ``value`` is an integer (int or integral float) ``>= low``."""
    arr = np.asarray(value)
    if (arr.dtype.kind not in "biuf" or arr.dtype.kind == "b" or not np.all(np.isfinite(arr))
            or np.any(arr != np.round(arr)) or np.any(arr < low)):
        _fail(name, value, f"an integer >= {low}")
