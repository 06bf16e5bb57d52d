r"""Wigner's semicircle law: the limiting spectrum of a Wigner (GOE) matrix.

A real symmetric :math:`N \times N` matrix with independent entries of variance
:math:`\sigma^2/N` off the diagonal (:math:`2\sigma^2/N` on it, GOE) has an empirical
spectral distribution converging to

.. math::

    \rho(x) = \frac{\sqrt{4\sigma^2 - x^2}}{2\pi\sigma^2}, \qquad |x| \le 2\sigma,

so ``variance`` is :math:`\sigma^2` and the support radius is :math:`2\sigma` (not
:math:`\sigma`, as some libraries' "scale" arguments have it).

CDF and quantile use the angle :math:`\theta \in [0, \pi]` with
:math:`x = -2\sigma\cos\theta`, in which :math:`F = (2\theta - \sin 2\theta)/(2\pi)`.
The private helpers below generalise this to the Poisson-kernel weight
:math:`\sin^2 t / (1 + \kappa^2 - 2\kappa\cos t)`, which is the Marchenko–Pastur law in
the same angle; :mod:`theory.marchenko_pastur` uses them with :math:`\kappa > 0`.

References
----------
E. P. Wigner, "Characteristic vectors of bordered matrices with infinite dimensions",
Ann. Math. 62 (1955) 548–564.
"""

from __future__ import annotations

import math
import operator

import numpy as np
from scipy.optimize import elementwise

from theory._quadrature import interval_nodes
from theory._validate import check_interval, check_positive

__all__ = [
    "semicircle_density",
    "semicircle_cdf",
    "semicircle_quantile",
    "semicircle_edges",
    "semicircle_stieltjes",
    "semicircle_moment",
]


# --------------------------------------------------------------------------------------
# Validation and conversion shared with theory.marchenko_pastur
# --------------------------------------------------------------------------------------

def _parameter(name: str, value, *, allow_zero: bool = False) -> float:
    """A scalar, finite, positive (or non-negative) parameter as a float."""
    if np.ndim(value) != 0:
        raise ValueError(f"{name}={value!r} is out of range: must be a scalar")
    check_positive(name, value, allow_zero=allow_zero)
    return float(value)


def _points(name: str, x) -> np.ndarray:
    """Real evaluation points as float64; ``±inf`` allowed, NaN and complex refused."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf" or np.any(np.isnan(arr)):
        raise ValueError(f"{name}={x!r} is out of range: must be real numbers (not NaN)")
    return arr.astype(np.float64)


def _complex_points(name: str, z) -> np.ndarray:
    """Finite complex evaluation points as complex128."""
    arr = np.asarray(z)
    if arr.dtype.kind not in "biufc" or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}={z!r} is out of range: must be finite complex numbers")
    return arr.astype(np.complex128)


def _levels(p) -> np.ndarray:
    """Probability levels in [0, 1] as float64."""
    check_interval("p", p, 0.0, 1.0)
    return np.asarray(p, dtype=np.float64)


def _order(k) -> int:
    """A moment order: an integer >= 0 (bool refused)."""
    try:
        if isinstance(k, bool):
            raise TypeError
        k = operator.index(k)
    except TypeError:
        raise ValueError(f"k={k!r} is out of range: must be an integer >= 0") from None
    if k < 0:
        raise ValueError(f"k={k!r} is out of range: must be an integer >= 0")
    return k


# --------------------------------------------------------------------------------------
# The angle variable x = lo + (hi - lo)(1 - cos θ)/2, shared with theory.marchenko_pastur
# --------------------------------------------------------------------------------------
#
# A point of [lo, hi] is stored as (a, left): its angle a ∈ [0, π/2] measured from the
# nearer edge (θ = a on the left half, θ = π − a on the right half). Measuring from the
# nearer edge keeps relative accuracy next to both edges, where θ itself (or arccos)
# would lose it, and the tail masses below keep it too.

_NODES = 32        # Gauss–Legendre nodes per tail integral: full double precision
_CHUNK = 4096      # points per vectorised block, to bound memory at 32 * 4096 doubles


def _half_angles(x: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """``(a, left)`` with ``x = lo + w sin²(a/2)`` if ``left`` else ``hi − w sin²(a/2)``.

    ``w = hi − lo``; points outside ``[lo, hi]`` are clipped to the edges.
    """
    width = hi - lo
    from_lo = np.clip((x - lo) / width, 0.0, 1.0)
    left = from_lo <= 0.5
    from_edge = np.where(left, from_lo, np.clip((hi - x) / width, 0.0, 1.0))
    return 2.0 * np.arcsin(np.sqrt(from_edge)), left


def _point(a: np.ndarray, left: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Inverse of :func:`_half_angles`."""
    step = (hi - lo) * np.sin(0.5 * a) ** 2
    return np.where(left, lo + step, hi - step)


def _kernel(t: np.ndarray, kappa: float) -> np.ndarray:
    """``(2/π) sin²t / (1 + κ² − 2κ cos t)``, the denominator written without cancellation.

    ``kappa < 0`` is the same kernel seen from the right edge (``t → π − t``).
    """
    return (2.0 / np.pi) * np.sin(t) ** 2 / ((1.0 - kappa) ** 2
                                             + 4.0 * kappa * np.sin(0.5 * t) ** 2)


def _kernel_mass(a: np.ndarray, kappa: float) -> np.ndarray:
    """``∫_0^a`` of :func:`_kernel`, elementwise, by Gauss–Legendre in ``t`` (positive terms).

    Called only where the poles ``t = ±i log κ`` (``κ > 0``) lie at least ``a/2`` away,
    where 32 nodes reach double precision, and for ``κ ≤ 0``, where they are beyond π/2.
    """
    out = np.zeros(a.shape)
    pos = np.flatnonzero(a > 0.0)
    for start in range(0, pos.size, _CHUNK):
        idx = pos[start:start + _CHUNK]
        t, w = interval_nodes(0.0, a[idx, None], _NODES)
        out[idx] = np.sum(w * _kernel(t, kappa), axis=1)
    return out


def _near_mass(a: np.ndarray, left: np.ndarray, kappa: float) -> np.ndarray:
    r"""Mass between each point and its nearer edge, for :math:`0 \le \kappa \le 1`.

    The kernel's total mass is one:

    .. math::

        J(\theta, \kappa) = \frac{2}{\pi}\int_0^\theta
        \frac{\sin^2 t\, dt}{1 + \kappa^2 - 2\kappa\cos t}
        = \frac{\kappa\sin\theta + \kappa^2\theta - (1 - \kappa^2)\psi}{\pi\kappa^2},
        \quad \psi = \operatorname{atan2}(\kappa\sin\theta,\ 1 - \kappa\cos\theta),

    and :math:`J(\pi, \kappa) = 1`. The closed form cancels in the tails (like
    :math:`\theta^3`), so tails are integrated by Gauss–Legendre; the closed form is used
    only on the left half beyond :math:`2|\log\kappa|` (next to the hard edge,
    :math:`\kappa \to 1`), where Gauss–Legendre would converge slowly and where the
    closed form does not cancel.
    """
    a = np.asarray(a, dtype=np.float64)
    mass = np.empty(a.shape)
    closed = left & (a > (math.inf if kappa == 0.0 else -2.0 * math.log(kappa)))
    for side, k in ((left & ~closed, kappa), (~left, -kappa)):
        mass[side] = _kernel_mass(a[side], k)
    t = a[closed]
    psi = np.arctan2(kappa * np.sin(t), (1.0 - kappa) + 2.0 * kappa * np.sin(0.5 * t) ** 2)
    mass[closed] = (kappa * np.sin(t) + kappa ** 2 * t
                    - (1.0 - kappa) * (1.0 + kappa) * psi) / (np.pi * kappa ** 2)
    return mass


def _angle_cdf(a: np.ndarray, left: np.ndarray, kappa: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper masses ``(J, 1 − J)`` at the points ``(a, left)``."""
    near = _near_mass(a, left, kappa)
    return np.where(left, near, 1.0 - near), np.where(left, 1.0 - near, near)


def _angle_quantile(lower: np.ndarray, upper: np.ndarray,
                    kappa: float) -> tuple[np.ndarray, np.ndarray]:
    """Points ``(a, left)`` with lower mass ``lower`` (``= 1 − upper``), both given.

    Each level is matched against the mass from the nearer edge, by Chandrupatla's
    bracketing method on ``a ∈ [0, π/2]``, so quantiles keep relative accuracy next to
    both edges.
    """
    lower, upper = np.broadcast_arrays(np.asarray(lower, float), np.asarray(upper, float))
    half = np.full(2, 0.5 * np.pi)
    left_half, right_half = _near_mass(half, np.array([True, False]), kappa)
    left = lower <= left_half
    target = np.where(left, np.minimum(lower, left_half), np.minimum(upper, right_half))
    a = np.where(target > 0.0, 0.5 * np.pi, 0.0)
    solve = (target > 0.0) & (target < np.where(left, left_half, right_half))
    if np.any(solve):
        res = elementwise.find_root(
            lambda a, left, target: _near_mass(a, left, kappa) - target,
            (0.0, 0.5 * np.pi), args=(left[solve], target[solve]))
        a[solve] = res.x
    return a, left


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------

_CONVENTION = r"""
    Notes
    -----
    ``variance`` is :math:`\sigma^2`: the semicircle is the spectral limit of a GOE
    matrix with off-diagonal variance :math:`\sigma^2/N`, on :math:`[-2\sigma, 2\sigma]`.

    References
    ----------
    E. P. Wigner, Ann. Math. 62 (1955) 548–564.
    """


def semicircle_edges(variance: float = 1.0) -> tuple[float, float]:
    r"""Support edges :math:`(-2\sigma, 2\sigma)` of the semicircle law.

    Parameters
    ----------
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    (float, float)
        Left and right edge.
    """
    radius = 2.0 * math.sqrt(_parameter("variance", variance))
    return -radius, radius


semicircle_edges.__doc__ += _CONVENTION


def semicircle_density(x, variance: float = 1.0) -> np.ndarray:
    r"""Semicircle density :math:`\rho(x) = \sqrt{4\sigma^2 - x^2}/(2\pi\sigma^2)`.

    Parameters
    ----------
    x : array_like
        Real points (``±inf`` allowed); zero outside :math:`[-2\sigma, 2\sigma]`.
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    ndarray
        float64, same shape as ``x`` (a NumPy scalar for scalar ``x``).
    """
    x = _points("x", x)
    lo, hi = semicircle_edges(variance)
    xc = np.clip(x, lo, hi)
    return (np.sqrt((hi - xc) * (xc - lo)) / (2.0 * np.pi * float(variance)))[()]


semicircle_density.__doc__ += _CONVENTION


def semicircle_cdf(x, variance: float = 1.0) -> np.ndarray:
    r"""Semicircle CDF.

    .. math::

        F(x) = \frac12 + \frac{x\sqrt{4\sigma^2 - x^2}}{4\pi\sigma^2}
               + \frac{1}{\pi}\arcsin\frac{x}{2\sigma}
             = \frac{2\theta - \sin 2\theta}{2\pi}, \quad x = -2\sigma\cos\theta,

    evaluated in the angle form with both tails to full relative accuracy.

    Parameters
    ----------
    x : array_like
        Real points (``±inf`` allowed).
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    ndarray
        float64 in ``[0, 1]``, same shape as ``x`` (a NumPy scalar for scalar ``x``).
    """
    x = _points("x", x)
    lo, hi = semicircle_edges(variance)
    return _angle_cdf(*_half_angles(x, lo, hi), 0.0)[0][()]


semicircle_cdf.__doc__ += _CONVENTION


def semicircle_quantile(p, variance: float = 1.0) -> np.ndarray:
    r"""Semicircle quantile :math:`F^{-1}(p)`, accurate to about 1e-15 relative to :math:`2\sigma`.

    Solves :math:`2\theta - \sin 2\theta = 2\pi p` (for :math:`p \le 1/2`; the upper tail
    :math:`1 - p` otherwise) by a bracketing root finder and returns
    :math:`x = -2\sigma\cos\theta`.

    Parameters
    ----------
    p : array_like
        Levels in ``[0, 1]``; ``0`` and ``1`` give the edges.
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    ndarray
        float64, same shape as ``p`` (a NumPy scalar for scalar ``p``).
    """
    p = _levels(p)
    lo, hi = semicircle_edges(variance)
    return _point(*_angle_quantile(p, 1.0 - p, 0.0), lo, hi)[()]


semicircle_quantile.__doc__ += _CONVENTION


def semicircle_stieltjes(z, variance: float = 1.0) -> np.ndarray:
    r"""Stieltjes transform :math:`G(z) = \int \rho(x)\,dx/(z - x)`.

    .. math::

        G(z) = \frac{z - \sqrt{z - 2\sigma}\sqrt{z + 2\sigma}}{2\sigma^2}
             = \frac{2}{z + \sqrt{z - 2\sigma}\sqrt{z + 2\sigma}},

    with principal square roots taken *separately* (the single root
    :math:`\sqrt{z^2 - 4\sigma^2}` is on the wrong sheet for part of the plane). The
    second form has no cancellation for large :math:`|z|`. :math:`G(z) \sim 1/z` at
    infinity and :math:`\operatorname{Im} G < 0` for :math:`\operatorname{Im} z > 0`.
    Real ``z`` inside the support gives the limit from above, so
    :math:`-\operatorname{Im} G(x)/\pi = \rho(x)`.

    Parameters
    ----------
    z : array_like
        Finite complex (or real) points.
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    ndarray
        complex128, same shape as ``z`` (a NumPy scalar for scalar ``z``).
    """
    z = _complex_points("z", z)
    radius = semicircle_edges(variance)[1]
    return (2.0 / (z + np.sqrt(z - radius) * np.sqrt(z + radius)))[()]


semicircle_stieltjes.__doc__ += _CONVENTION


def semicircle_moment(k: int, variance: float = 1.0) -> float:
    r"""Moment :math:`m_k = \int x^k \rho(x)\,dx`: zero for odd ``k``, else Catalan.

    .. math::

        m_{2j} = C_j\,\sigma^{2j}, \qquad C_j = \frac{1}{j + 1}\binom{2j}{j}
        = 1, 1, 2, 5, 14, 42, \dots

    Parameters
    ----------
    k : int
        Order, ``k >= 0``.
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    float
    """
    k = _order(k)
    variance = _parameter("variance", variance)
    if k % 2:
        return 0.0
    j = k // 2
    return math.comb(2 * j, j) // (j + 1) * variance ** j


semicircle_moment.__doc__ += _CONVENTION
