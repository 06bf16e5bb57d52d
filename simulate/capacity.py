r"""Random patterns with random labels: linear separability and the maximum margin.

Points :math:`x_\mu \sim N(0, I_d)` (``d`` = ``dim``) with i.i.d. fair labels
:math:`y_\mu = \pm1`, stacked as the rows :math:`g_\mu = y_\mu x_\mu` of ``G``.

* **Separability** (through the origin): :math:`\exists w:\ G w > 0`, decided by one LP
  solved by HiGHS (``scipy.optimize.linprog``, :func:`is_separable`).
  :func:`sequential_capacity` adds the points of one draw one at a time and returns
  :math:`N^*`, the number separable before the first failure; separability of a prefix is
  monotone in its length, so :math:`N^*` is found by a galloping search from ``2d`` and
  bisection (about five LPs per draw at d = 25).
  Cover (1965): :math:`\Pr[N^* \ge N] = P(N, d)` and :math:`E N^* = 2d`.
* **Maximum margin** (Gardner's setting, :math:`\xi^\mu \sim N(0, I_N)`,
  :math:`\kappa^* = \max_{|J|^2=N}\min_\mu \sigma^\mu J\cdot\xi^\mu/\sqrt N`, the geometric
  margin of the rows :math:`g_\mu = \sigma^\mu\xi^\mu`): the least-distance program
  :math:`\min\|w\|` s.t. :math:`Gw \ge 1` gives :math:`\kappa^* = 1/\|w\|`. It is solved as
  the non-negative least-squares problem :math:`\min_{u\ge0}\|Eu - f\|`,
  :math:`E = [G^\top; 1^\top]`, :math:`f = (0, \dots, 0, 1)` (Lawson & Hanson 1974, ch. 23):
  residual :math:`r = Eu - f`; :math:`r = 0` means not separable (:math:`\kappa^* \le 0`,
  reported as 0: the margin is censored there), otherwise :math:`w = -r_{1:N}/r_{N+1}`.

There is no loop for a compiled kernel to speed up (the solvers are the cost): every backend
runs the same SciPy code on the host, and :func:`labelled_patterns` only validates ``backend``.

References
----------
T. M. Cover (1965), IEEE Trans. Electronic Computers EC-14, 326. E. Gardner (1988), J. Phys.
A 21, 257. C. L. Lawson, R. J. Hanson (1974), *Solving Least Squares Problems*, ch. 23 (LDP).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linprog, nnls

from simulate._validate import check_int, check_rng
from simulate.backend import resolve_backend

__all__ = ["is_separable", "labelled_patterns", "maximum_margin", "sequential_capacity"]

_LP_OPTIMAL = 0  # scipy.optimize.linprog status code
_LP_MARGIN_TOLERANCE = 1e-7  # box margin t* above which the rows count as separable
_NNLS_ZERO_RESIDUAL = 1e-9  # ‖Eu − f‖ below this (f has norm 1): no separating direction


def labelled_patterns(n_points: int, dim: int, rng: np.random.Generator, *,
                      backend: str = "numpy") -> np.ndarray:
    r"""Rows :math:`g_\mu = y_\mu x_\mu`, :math:`x_\mu \sim N(0, I_d)`, fair labels :math:`y_\mu = \pm1`.

    ``backend`` is validated only: the solvers that use these rows run on the host.

    Returns
    -------
    ndarray, shape (n_points, dim)
    """
    n_points = check_int("n_points", n_points, low=1)
    dim = check_int("dim", dim, low=1)
    check_rng(rng)
    resolve_backend(backend)
    x = rng.standard_normal((n_points, dim))
    y = rng.choice(np.array([-1.0, 1.0]), size=n_points)
    return y[:, None] * x


def is_separable(G: np.ndarray) -> bool:
    r"""Whether some ``w`` puts every row of ``G`` strictly on its positive side: one HiGHS LP.

    The LP is the bounded one :math:`\max t` s.t. :math:`Gw \ge t\,1`,
    :math:`-1 \le w_i \le 1`, :math:`0 \le t \le 1`, which is always feasible (``w = 0``)
    and bounded, so HiGHS always returns a vertex; the rows are separable iff
    :math:`t^* > 10^{-7}` (HiGHS's feasibility tolerance; a separable draw with a box margin
    that small has probability ~1e-7 or less). The feasibility form :math:`Gw \ge 1` needs
    :math:`\|w\| \sim 1/\kappa^*` near the transition and made HiGHS return "unknown" on
    one 400 × 200 draw in six.

    Parameters
    ----------
    G : ndarray, shape (n, d)
        Rows :math:`y_\mu x_\mu`.

    Raises
    ------
    RuntimeError
        When HiGHS does not report an optimum (numerical trouble).
    """
    G = np.asarray(G, dtype=float)
    n, d = G.shape
    cost = np.zeros(d + 1)
    cost[-1] = -1.0
    result = linprog(cost, A_ub=np.hstack([-G, np.ones((n, 1))]), b_ub=np.zeros(n),
                     bounds=[(-1.0, 1.0)] * d + [(0.0, 1.0)], method="highs")
    if result.status != _LP_OPTIMAL:
        raise RuntimeError(f"HiGHS could not decide separability of {n} points in {d} dimensions: "
                           f"{result.message}")
    return bool(-result.fun > _LP_MARGIN_TOLERANCE)


def sequential_capacity(G: np.ndarray) -> int:
    r""":math:`N^*`: how many leading rows of ``G`` are separable before the first failure.

    :math:`N^* = \max\{N : g_1, \dots, g_N \text{ separable}\}` for the rows taken in order.
    For Gaussian points with fair labels, Cover (1965) gives :math:`\Pr[N^* \ge N] = P(N, d)`,
    so :math:`N^*` is the waiting time for the d-th head of a fair coin:
    :math:`E N^* = \operatorname{Var} N^* = 2d`. Any ``d`` points in general position are
    separable, so :math:`N^* \ge d` is not tested.

    Search: probe ``2d`` (the median), gallop away from it in steps ``⌈√(2d)⌉, 2⌈√(2d)⌉, …``
    until the answer is bracketed, then bisect; each probe is one :func:`is_separable` LP
    (about five per draw at d = 25).

    Parameters
    ----------
    G : ndarray, shape (n, d)
        Rows :math:`y_\mu x_\mu`, ``n >= 2d``; draw ``n = 4d + 40`` rows and
        :math:`\Pr[N^* \ge n] < 10^{-9}` for every ``d``.

    Returns
    -------
    int
        :math:`N^*`, or ``n`` when all rows are separable (then :math:`N^* \ge n`).
    """
    G = np.asarray(G, dtype=float)
    n, dim = G.shape
    if n < 2 * dim:
        raise ValueError(f"G=<array of shape {G.shape}> is out of range: must be an n×d array with n >= 2d")
    step = math.ceil(math.sqrt(2 * dim))
    lo, hi = dim, None  # lo: a separable prefix length; hi: a non-separable one
    probe = 2 * dim
    if is_separable(G[:probe]):
        lo = probe
        while hi is None:
            if lo == n:
                return n
            probe = min(n, lo + step)
            if is_separable(G[:probe]):
                lo, step = probe, 2 * step
            else:
                hi = probe
    else:
        hi = probe
        while True:
            probe = max(dim, hi - step)
            if probe == dim or is_separable(G[:probe]):
                lo = probe
                break
            hi, step = probe, 2 * step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if is_separable(G[:mid]):
            lo = mid
        else:
            hi = mid
    return lo


def maximum_margin(G: np.ndarray) -> float:
    r"""Maximum margin :math:`\kappa^* = \max_{|\hat w| = 1}\min_\mu \hat w\cdot g_\mu` of the rows of ``G``.

    For Gardner's patterns :math:`g_\mu = \sigma^\mu\xi^\mu`, :math:`\xi^\mu \sim N(0, I_N)`,
    this is :math:`\max_{|J|^2 = N}\min_\mu \sigma^\mu J\cdot\xi^\mu/\sqrt N`, which tends to
    :math:`\kappa_c(\alpha)` as :math:`N \to \infty` at :math:`P = \alpha N` (Gardner 1988).
    Computed through the least-distance program of the module docstring (one NNLS solve):
    :math:`\kappa^* = 1/\|w\|` for the shortest ``w`` with ``G w >= 1``.

    Parameters
    ----------
    G : ndarray, shape (P, N)

    Returns
    -------
    float
        :math:`\kappa^* > 0`, or ``0.0`` when the rows are not separable (the margin is
        censored at 0: its value below 0 is not computed).

    Raises
    ------
    RuntimeError
        When NNLS stops at its iteration cap.
    """
    G = np.asarray(G, dtype=float)
    n_patterns, dim = G.shape
    E = np.vstack([G.T, np.ones(n_patterns)])
    f = np.zeros(dim + 1)
    f[-1] = 1.0
    try:
        u, norm = nnls(E, f, maxiter=50 * n_patterns)
    except RuntimeError as exc:  # "Maximum number of iterations reached"
        raise RuntimeError(f"NNLS did not converge for {n_patterns} patterns in {dim} dimensions: "
                           f"{exc}") from exc
    if norm < _NNLS_ZERO_RESIDUAL:
        return 0.0
    r = E @ u - f  # r = (w, −1)/(1 + ‖w‖²): w = −r_{1:N}/r_{N+1}, κ* = 1/‖w‖
    return float(-r[-1] / np.linalg.norm(r[:-1]))
