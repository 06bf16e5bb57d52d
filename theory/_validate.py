"""Parameter validation shared by the public functions of :mod:`theory`.

Every public function checks its parameters at the boundary and raises
``ValueError`` with one line naming the parameter, its value and the valid range,
for example ``ratio=-1.0 is out of range: must be > 0``. The checks live here once;
the ``check_*`` functions test array-likes in place, the others also return the
converted value.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import numpy as np


def _fail(name: str, value, rule: str) -> None:
    raise ValueError(f"{name}={value!r} is out of range: must be {rule}")


def broadcast_together(**arrays) -> list[np.ndarray]:
    """The named arrays as floats broadcast to one shape; one line naming their shapes if they cannot be."""
    values = [np.asarray(v, dtype=float) for v in arrays.values()]
    try:
        return np.broadcast_arrays(*values)
    except ValueError:
        shapes = ", ".join(f"{name}={v.shape}" for name, v in zip(arrays, values))
        raise ValueError(f"shapes {shapes} are invalid: must be broadcastable to one shape") from None


def check_finite(name: str, value) -> None:
    """Raise unless every element of ``value`` is a finite real number."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf" or not np.all(np.isfinite(arr)):
        _fail(name, value, "a finite real number")


def check_positive(name: str, value, *, allow_zero: bool = False) -> None:
    """Raise unless every element of ``value`` is finite and > 0 (>= 0 with ``allow_zero``)."""
    Interval(0.0, closed_low=allow_zero).check(name, value)


def check_interval(name: str, value, low: float, high: float, *,
                   closed_low: bool = True, closed_high: bool = True) -> None:
    """Raise unless every element of ``value`` lies in the interval from ``low`` to ``high``."""
    Interval(low, high, closed_low, closed_high).check(name, value)


def check_integer(name: str, value, low: int) -> None:
    """Raise unless every element of ``value`` is an integer (int or integral float) ``>= low``."""
    arr = np.asarray(value)
    if (arr.dtype.kind not in "biuf" or arr.dtype.kind == "b" or not np.all(np.isfinite(arr))
            or np.any(arr != np.round(arr)) or np.any(arr < low)):
        _fail(name, value, f"an integer >= {low}")


@dataclass(frozen=True)
class Interval:
    """The valid range of a real parameter, written as its error messages say it.

    ``Interval(0.0, inf, closed_low=False)`` reads ``> 0``, ``Interval(0.0)`` reads
    ``>= 0`` and ``Interval(1e-12, 1e8)`` reads ``in [1e-12, 100000000.0]``.
    """

    low: float
    high: float = math.inf
    closed_low: bool = True
    closed_high: bool = True

    def __str__(self) -> str:
        if math.isinf(self.high):
            return f"{'>=' if self.closed_low else '>'} {self.low:g}"
        lb, rb = "[" if self.closed_low else "(", "]" if self.closed_high else ")"
        return f"in {lb}{self.low!r}, {self.high!r}{rb}"

    def _contains(self, x):
        """Elementwise membership of finite ``x`` (a float or an array)."""
        return ((x >= self.low if self.closed_low else x > self.low)
                & (x <= self.high if self.closed_high else x < self.high))

    def check(self, name: str, value) -> None:
        """Raise unless every element of ``value`` is finite and inside the interval."""
        check_finite(name, value)
        if not np.all(self._contains(np.asarray(value, dtype=float))):
            _fail(name, value, str(self))

    def scalar(self, name: str, value) -> float:
        """``value`` as a float if it is a real scalar inside the interval, else ``ValueError``."""
        number = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value
        if isinstance(number, (bool, np.bool_)) or not isinstance(number, (int, float, np.integer, np.floating)):
            _fail(name, value, f"a real scalar {self}")
        x = float(number)
        if not math.isfinite(x):
            _fail(name, value, "a finite real number")
        if not self._contains(x):
            _fail(name, value, str(self))
        return x


def real_points(name: str, x) -> np.ndarray:
    """Real evaluation points as float64; ``±inf`` allowed, NaN and complex refused."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf" or np.any(np.isnan(arr)):
        _fail(name, x, "real numbers (not NaN)")
    return arr.astype(np.float64)


def complex_points(name: str, z) -> np.ndarray:
    """Finite complex (or real) evaluation points as complex128."""
    arr = np.asarray(z)
    if arr.dtype.kind not in "biufc" or not np.all(np.isfinite(arr)):
        _fail(name, z, "finite complex numbers")
    return arr.astype(np.complex128)


def levels(name: str, p) -> np.ndarray:
    """Probability levels in [0, 1] as float64."""
    check_interval(name, p, 0.0, 1.0)
    return np.asarray(p, dtype=np.float64)


def sizes(name: str, value, *, low: float = 1.0) -> np.ndarray:
    """Sizes ``>= low`` as float64; real values are allowed (laws smooth in the size take them)."""
    check_finite(name, value)
    arr = np.asarray(value, dtype=float)
    if np.any(arr < low):
        _fail(name, value, f">= {low!r}")
    return arr


def integer(name: str, value, low: int = 0) -> int:
    """An integer ``>= low`` (NumPy integers accepted, bool and float refused)."""
    try:
        index = None if isinstance(value, bool) else operator.index(value)
    except TypeError:
        index = None
    if index is None or index < low:
        _fail(name, value, f"an integer >= {low}")
    return index
