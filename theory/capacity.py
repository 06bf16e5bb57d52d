r"""Storage capacity of the perceptron: Cover's counting theorem and Gardner's margin capacity.

**Cover (1965).** ``N`` points in general position in :math:`\mathbb R^d` with i.i.d. fair
labels are separable by a hyperplane through the origin with probability

.. math::

    P(N, d) = 2^{1-N}\sum_{j=0}^{d-1}\binom{N-1}{j} = \Pr[\mathrm{Bin}(N-1, \tfrac12) \le d-1],

which is 1 for :math:`N \le d` and exactly :math:`\tfrac12` at :math:`N = 2d` (affine
hyperplanes: replace ``d`` by ``d + 1``). Adding points one at a time, the number
:math:`N^*` of points separable before the first failure has :math:`\Pr[N^* \ge N] = P(N, d)`;
summing over ``N``, :math:`N^*` is the waiting time for the d-th success of a fair coin
(negative binomial), so :math:`E N^* = 2d` and :math:`\operatorname{Var} N^* = 2d` exactly, at
every ``d`` — Cover's "capacity 2d".

**Gardner (1988).** Patterns :math:`\xi^\mu \sim N(0, I_N)`, :math:`\mu \le P = \alpha N`, with
fair labels are stored with margin :math:`\kappa` (:math:`\sigma^\mu J\cdot\xi^\mu/\sqrt N \ge
\kappa` for some :math:`|J|^2 = N`) up to

.. math::

    \alpha_c(\kappa) = \frac1{W(\kappa)}, \qquad
    W(\kappa) = \int_{-\kappa}^\infty Dt\,(t+\kappa)^2 = (1+\kappa^2)\Phi(\kappa) + \kappa\varphi(\kappa),

with :math:`\alpha_c(0) = 2` (Cover's capacity). For :math:`\kappa \ge 0` the problem is convex
and the replica-symmetric value is exact (Shcherbina & Tirozzi 2003; Stojnic 2013); for
:math:`\kappa < 0` the same formula is only the replica-symmetric value, not the capacity.
Inverting, :math:`\kappa_c(\alpha)` solves :math:`W(\kappa) = 1/\alpha` (:math:`\kappa_c > 0`
iff :math:`\alpha < 2`): the largest margin with which :math:`\alpha N` random patterns can
be stored, the limit of the maximum margin :math:`\kappa^*` of one sample.

Numerics. :math:`W` and :math:`W'(\kappa) = 2[\kappa\Phi(\kappa) + \varphi(\kappa)]` are sums of
positive terms for :math:`\kappa \ge 0`; for :math:`\kappa = -a < 0` they are small
differences of large terms (:math:`W(-a) \approx 2\varphi(a)/a^3`), so below
:math:`\kappa = -2` they come from Laplace's continued fraction of the Mills ratio,
:math:`R(a) = \bar\Phi(a)/\varphi(a) = 1/(a + S)`, :math:`S = 1/(a + T)`,
:math:`T = 2/(a + 3/(a + 4/(a + \dots)))`, in which

.. math::

    W(-a) = \varphi(a)\,[(1+a^2)R - a] = \varphi(a)\,\frac{T}{(a+T)(a+S)}, \qquad
    W'(-a) = 2\varphi(a)\,[1 - aR] = 2\varphi(a)\,\frac{S}{a+S},

free of cancellation (100 levels reach double precision for :math:`a \ge 2`). The direct
forms lose at most ~1.5e-14 relative on :math:`[-2, 0]`.

References
----------
T. M. Cover (1965), IEEE Trans. Electronic Computers EC-14, 326, Theorem 1 and §VI.
E. Gardner (1988), J. Phys. A 21, 257, eq. (39); E. Gardner & B. Derrida (1988), J. Phys. A
21, 271. A. Engel & C. Van den Broeck (2001), *Statistical Mechanics of Learning*, ch. 6.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr

from theory._validate import check_finite, check_integer, check_positive

__all__ = [
    "cover_separable_probability",
    "gardner_capacity",
    "gardner_margin",
    "gardner_margin_integral",
]

_SQRT_2PI = math.sqrt(2.0 * math.pi)
_DIRECT_BELOW = -2.0  # for κ ≥ this the closed forms are used as written
_CF_DEPTH = 100  # levels of the continued fraction: double precision for a = −κ ≥ 2


def _scalar_or_array(values: np.ndarray):
    return values[()] if values.ndim == 0 else values


# ------------------------------------------------------------------------------- Cover

def _cover_exact(n_points: int, dim: int) -> float:
    """``P(N, d)`` as the correctly rounded float of the exact rational (Python integers)."""
    if n_points <= dim:
        return 1.0
    n = n_points - 1
    # Sum the shorter tail of the binomial row exactly: Σ_{j<d} C(n, j), or its complement
    # 2^n − Σ_{j≤n−d} C(n, j) (symmetry C(n, j) = C(n, n − j)).
    upper = dim - 1 if dim - 1 <= n - dim else n - dim
    term, total = 1, 1
    for j in range(upper):
        term = term * (n - j) // (j + 1)
        total += term
    count = total if upper == dim - 1 else (1 << n) - total
    return count / (1 << n)  # int / int is correctly rounded in Python, for any size


def cover_separable_probability(n_points, dim):
    r"""Probability that ``n_points`` random labelled points in ``dim`` dimensions are separable.

    .. math::

        P(N, d) = 2^{1-N}\sum_{j=0}^{d-1}\binom{N-1}{j} = \Pr[\mathrm{Bin}(N-1, \tfrac12) \le d-1]

    (Cover 1965, Theorem 1): points in general position (for instance i.i.d. Gaussian) with
    i.i.d. fair ±1 labels, by a hyperplane through the origin. ``P = 1`` for ``N ≤ d`` and ``P = 1/2`` exactly at ``N = 2d``;
    for affine hyperplanes pass ``dim + 1``.

    Parameters
    ----------
    n_points : int or array of int
        Number of points ``N >= 1``.
    dim : int or array of int
        Dimension ``d >= 1``; broadcast against ``n_points``.

    Returns
    -------
    float or ndarray
        The exact rational rounded once to float64 (no overflow or cancellation at any
        ``N``; a probability below ``2^-1074`` rounds to 0). Cost O(N · min(d, N − d)) bit
        operations per value.
    """
    check_integer("n_points", n_points, 1)
    check_integer("dim", dim, 1)
    n_arr, d_arr = np.broadcast_arrays(np.asarray(n_points), np.asarray(dim))
    out = np.array([_cover_exact(int(n), int(d)) for n, d in zip(n_arr.ravel(), d_arr.ravel())],
                   dtype=float).reshape(n_arr.shape)
    return _scalar_or_array(out)


# ------------------------------------------------------------------------------ Gardner

def _mills_fraction(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``S`` and ``T`` of the module Notes for ``a >= 2`` (continued fraction, evaluated upward)."""
    t = np.zeros_like(a)
    for level in range(_CF_DEPTH, 1, -1):
        t = level / (a + t)
    return 1.0 / (a + t), t


def _log_w_and_slope(kappa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``log W(κ)`` and ``W'(κ)/W(κ)``, stable for every finite κ (no underflow in the log)."""
    log_w = np.empty_like(kappa)
    slope = np.empty_like(kappa)
    direct = kappa >= _DIRECT_BELOW
    k = kappa[direct]
    phi = np.exp(-0.5 * k * k) / _SQRT_2PI
    cdf = ndtr(k)
    w = (1.0 + k * k) * cdf + k * phi
    log_w[direct] = np.log(w)
    slope[direct] = 2.0 * (k * cdf + phi) / w
    a = -kappa[~direct]
    s, t = _mills_fraction(a)
    log_w[~direct] = -0.5 * a * a - math.log(_SQRT_2PI) + np.log(t / ((a + t) * (a + s)))
    slope[~direct] = 2.0 * s * (a + t) / t
    return log_w, slope


def gardner_margin_integral(kappa):
    r"""Gardner's integral :math:`W(\kappa) = \int_{-\kappa}^\infty Dt\,(t+\kappa)^2`.

    .. math::  W(\kappa) = (1+\kappa^2)\Phi(\kappa) + \kappa\varphi(\kappa)

    Parameters
    ----------
    kappa : float or array_like
        Margin κ, any finite real (for κ < −38.5, W underflows to 0).

    Returns
    -------
    float or ndarray
        :math:`W(\kappa) = 1/\alpha_c(\kappa)`, positive and increasing; ``W(0) = 1/2``.
    """
    check_finite("kappa", kappa)
    log_w, _ = _log_w_and_slope(np.atleast_1d(np.asarray(kappa, dtype=float)))
    return _scalar_or_array(np.exp(log_w).reshape(np.shape(kappa)))


def gardner_capacity(kappa):
    r"""Storage capacity :math:`\alpha_c(\kappa) = 1/W(\kappa)` of the spherical perceptron with margin κ.

    .. math::

        \alpha_c(\kappa) = \Big[\int_{-\kappa}^\infty Dt\,(t+\kappa)^2\Big]^{-1}
        = \frac{1}{(1+\kappa^2)\Phi(\kappa) + \kappa\varphi(\kappa)}

    (Gardner 1988, eq. 39), ``α_c(0) = 2``; exact for κ ≥ 0 (convex problem), the
    replica-symmetric value only for κ < 0.

    Parameters
    ----------
    kappa : float or array_like
        Margin κ, any finite real.

    Returns
    -------
    float or ndarray
        Positive and decreasing in κ; ``inf`` once it exceeds the float range (κ < −37.5).
    """
    check_finite("kappa", kappa)
    log_w, _ = _log_w_and_slope(np.atleast_1d(np.asarray(kappa, dtype=float)))
    with np.errstate(over="ignore"):
        return _scalar_or_array(np.exp(-log_w).reshape(np.shape(kappa)))


def _margin_scalar(log_alpha: float) -> float:
    def f(k: float) -> float:
        return float(_log_w_and_slope(np.array([k]))[0][0]) + log_alpha

    if log_alpha <= math.log(2.0):  # α ≤ 2: κ_c ≥ 0; W(κ) ≥ κ²/2 bounds it by √(2/α)
        lo, hi = 0.0, math.sqrt(2.0 * math.exp(-log_alpha)) + 1.0
    else:  # α > 2: W(−a) ≤ 2φ(a)/a³ ≤ φ(a) < 1/α at a = max(2, √(2 ln α))
        lo, hi = -max(2.0, math.sqrt(2.0 * log_alpha)), 0.0
    f_lo, f_hi = f(lo), f(hi)
    if f_lo == 0.0 or f_hi == 0.0:
        return lo if f_lo == 0.0 else hi
    kappa = brentq(f, lo, hi, xtol=1e-300, rtol=4.0 * np.finfo(float).eps, maxiter=200)
    log_w, slope = _log_w_and_slope(np.array([kappa]))
    return float(kappa - (log_w[0] + log_alpha) / slope[0])  # one Newton step in log W


def gardner_margin(alpha):
    r"""Critical margin :math:`\kappa_c(\alpha)`: the inverse of :func:`gardner_capacity`.

    Solves :math:`W(\kappa) = 1/\alpha` (brentq on :math:`\log W(\kappa) + \log\alpha`, which
    is increasing in κ, then one Newton step): the largest margin with which
    :math:`P = \alpha N` random patterns can be stored as :math:`N \to \infty`, the limit of
    the maximum margin :math:`\kappa^*` of one sample. ``κ_c(2) = 0``; positive iff α < 2
    (for α > 2 the negative root is the replica-symmetric value only).

    Parameters
    ----------
    alpha : float or array_like
        Load α = P/N, in (0, inf).

    Returns
    -------
    float or ndarray
        κ_c, decreasing in α; :math:`\kappa_c \approx \alpha^{-1/2}` as α → 0.
    """
    check_positive("alpha", alpha)
    log_alpha = np.log(np.asarray(alpha, dtype=float))
    out = np.array([_margin_scalar(float(v)) for v in log_alpha.ravel()]).reshape(log_alpha.shape)
    return _scalar_or_array(out)
