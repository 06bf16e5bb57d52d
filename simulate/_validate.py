"""Argument checks shared by the public functions of :mod:`simulate`.

``simulate`` may not import ``theory`` (which has its own checks), so these few lines live
here once for every simulate module. Errors are one line naming the argument, its value
and the rule: ``kappa=-1.0 is out of range: must be in (0.0, inf)``.
"""

from __future__ import annotations

import math

import numpy as np


def fail(name: str, value, rule: str):
    """Raise the one-line ``ValueError`` of every check."""
    raise ValueError(f"{name}={value!r} is out of range: must be {rule}")


def check_real(name: str, value, *, low: float = -math.inf, high: float = math.inf,
               closed_low: bool = True, closed_high: bool = True) -> float:
    """``value`` as a float if it is a finite real scalar inside the interval, else ValueError."""
    if (isinstance(value, bool) or np.ndim(value) != 0
            or np.asarray(value).dtype.kind not in "iuf" or not math.isfinite(value)):
        fail(name, value, "a finite real number")
    x = float(value)
    ok_low = x >= low if closed_low else x > low
    ok_high = x <= high if closed_high else x < high
    if not (ok_low and ok_high):
        lb = "[" if closed_low else "("
        rb = "]" if closed_high and math.isfinite(high) else ")"
        fail(name, value, f"in {lb}{low!r}, {'inf' if math.isinf(high) else repr(high)}{rb}")
    return x


def check_int(name: str, value, *, low: int) -> int:
    """``value`` as an int if it is an integer (not a bool) ``>= low``, else ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        fail(name, value, f"an integer >= {low}")
    return int(value)


def check_choice(name: str, value, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``, else ValueError."""
    if value not in allowed:
        fail(name, value, "one of " + ", ".join(map(repr, allowed)))
    return value


def check_rng(rng) -> np.random.Generator:
    """``rng`` if it is a ``numpy.random.Generator``; TypeError otherwise (no global state)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng={rng!r} is not a numpy.random.Generator "
                        "(use numpy.random.default_rng(seed))")
    return rng
