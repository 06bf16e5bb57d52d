r"""One damped fixed-point solver for state evolution and self-consistent equations.

Iterates :math:`x_{t+1} = (1 - \beta)\, T(x_t) + \beta\, x_t` (damping :math:`\beta`) until
:math:`\max |x_{t+1} - x_t| \le \mathrm{tol}`, and raises :class:`ConvergenceError` instead of
returning garbage: when the update produces non-finite values or the budget runs out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from theory._validate import check_finite, check_interval, check_positive, integer

__all__ = ["ConvergenceError", "FixedPointResult", "solve_fixed_point"]


@dataclass(frozen=True)
class FixedPointResult:
    """Outcome of :func:`solve_fixed_point`.

    Attributes
    ----------
    value : float or ndarray
        The last iterate (the fixed point when ``converged``).
    trajectory : ndarray
        All iterates, ``x_0`` first, shape ``(iterations + 1,) + value.shape``.
    iterations : int
        Number of updates applied.
    converged : bool
        Whether the step fell below ``tol``.
    """

    value: float | np.ndarray
    trajectory: np.ndarray
    iterations: int
    converged: bool


class ConvergenceError(RuntimeError):
    """A fixed-point iteration diverged or did not converge; ``result`` holds its trajectory."""

    def __init__(self, message: str, result: FixedPointResult):
        super().__init__(message)
        self.result = result


def solve_fixed_point(update: Callable, x0, *, damping: float = 0.0, tol: float = 1e-12,
                      max_iter: int = 10_000) -> FixedPointResult:
    r"""Solve :math:`x = T(x)` by damped iteration from ``x0``.

    Parameters
    ----------
    update : callable
        The map :math:`T`, taking and returning a float or an array of ``x0``'s shape.
    x0 : float or array_like
        Starting point.
    damping : float
        :math:`\beta \in [0, 1)`, the weight kept on the previous iterate.
    tol : float
        Stop when :math:`\max|x_{t+1} - x_t| \le` ``tol`` (> 0).
    max_iter : int
        Maximum number of updates (>= 1).

    Returns
    -------
    FixedPointResult
        With ``converged=True``.

    Raises
    ------
    ConvergenceError
        If an iterate is not finite, or if ``max_iter`` updates do not reach ``tol``.
    """
    check_finite("x0", x0)
    check_interval("damping", damping, 0.0, 1.0, closed_high=False)
    check_positive("tol", tol)
    integer("max_iter", max_iter, low=1)
    x = np.asarray(x0, dtype=float)
    trajectory = [x]
    for iteration in range(1, max_iter + 1):
        mapped = np.asarray(update(x[()]), dtype=float)
        if mapped.shape != x.shape or not np.all(np.isfinite(mapped)):
            result = FixedPointResult(x[()], np.array(trajectory), iteration - 1, False)
            raise ConvergenceError(f"fixed-point update produced non-finite or misshaped values "
                                   f"at iteration {iteration}: {mapped!r}", result)
        new = (1.0 - damping) * mapped + damping * x
        trajectory.append(new)
        step = float(np.max(np.abs(new - x)))
        x = new
        if step <= tol:
            return FixedPointResult(x[()], np.array(trajectory), iteration, True)
    result = FixedPointResult(x[()], np.array(trajectory), max_iter, False)
    raise ConvergenceError(f"fixed-point iteration did not converge in {max_iter} iterations "
                           f"(last step {step:.3g} > tol={tol:g})", result)
