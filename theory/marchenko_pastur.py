r"""The Marchenko–Pastur law: the limiting spectrum of a sample covariance (Wishart) matrix.

Convention (every function here): ``X`` is :math:`p \times n` with i.i.d. entries of
mean zero and variance :math:`\sigma^2` (``variance``); the matrix is the :math:`p \times p`
Gram :math:`W = X X^\top / n` (divisor :math:`n`, the number of columns); ``ratio`` is
:math:`q = p/n`. As :math:`p, n \to \infty` with :math:`p/n \to q` the spectrum of
:math:`W` converges to

.. math::

    \mu_q = \max(0, 1 - 1/q)\,\delta_0
            + \frac{\sqrt{(\lambda_+ - x)(x - \lambda_-)}}{2\pi\sigma^2 q x}
              \mathbf 1_{[\lambda_-, \lambda_+]}(x)\,dx,
    \qquad \lambda_\pm = \sigma^2(1 \pm \sqrt q)^2.

For :math:`q > 1` the continuous part has mass :math:`1/q` and the :math:`p - n` zero
eigenvalues form the atom; :math:`q = 1` is the hard edge :math:`\lambda_- = 0`, where the
density diverges like :math:`x^{-1/2}`. The :math:`n \times n` Gram
:math:`X^\top X / n` has the same nonzero eigenvalues: its law is that of :math:`q Y` with
:math:`Y \sim \mu_{1/q}`.

In the angle :math:`x = c - r\cos\theta` (:math:`c, r` the centre and half-width of
:math:`[\lambda_-, \lambda_+]`) the continuous part is :math:`\min(1, 1/q)` times the
kernel :math:`(2/\pi)\sin^2\theta / (1 + \kappa^2 - 2\kappa\cos\theta)` with
:math:`\kappa = \min(\sqrt q, 1/\sqrt q)`; :math:`\kappa = 0` is the semicircle. CDF and
quantile use the shared angle helpers of :mod:`theory.semicircle`.

References
----------
V. A. Marchenko and L. A. Pastur, "Distribution of eigenvalues for some sets of random
matrices", Mat. Sb. 72(114) (1967) 507–536.
"""

from __future__ import annotations

import math

import numpy as np

from theory.semicircle import (
    _angle_cdf,
    _angle_quantile,
    _complex_points,
    _half_angles,
    _levels,
    _order,
    _parameter,
    _point,
    _points,
)

__all__ = [
    "marchenko_pastur_density",
    "marchenko_pastur_atom",
    "marchenko_pastur_edges",
    "marchenko_pastur_cdf",
    "marchenko_pastur_quantile",
    "marchenko_pastur_stieltjes",
    "marchenko_pastur_moment",
]

_CONVENTION = r"""
    Notes
    -----
    The law of the eigenvalues of the :math:`p \times p` matrix :math:`W = X X^\top / n`,
    ``X`` :math:`p \times n` with i.i.d. entries of variance :math:`\sigma^2`
    (``variance``), ``ratio`` :math:`q = p/n`.

    References
    ----------
    V. A. Marchenko and L. A. Pastur, Mat. Sb. 72(114) (1967) 507–536.
    """


def marchenko_pastur_atom(ratio: float) -> float:
    r"""Mass :math:`\max(0, 1 - 1/q)` of the atom at zero (the :math:`p - n` null directions).

    Parameters
    ----------
    ratio : float
        :math:`q = p/n > 0`.

    Returns
    -------
    float
    """
    q = _parameter("ratio", ratio)
    return (q - 1.0) / q if q > 1.0 else 0.0


marchenko_pastur_atom.__doc__ += _CONVENTION


def marchenko_pastur_edges(ratio: float, variance: float = 1.0) -> tuple[float, float]:
    r"""Edges :math:`\lambda_\pm = \sigma^2 (1 \pm \sqrt q)^2` of the continuous part.

    :math:`\lambda_-` is computed as :math:`\sigma^2 \big((1 - q)/(1 + \sqrt q)\big)^2`,
    which keeps relative accuracy near the hard edge :math:`q = 1`.

    Parameters
    ----------
    ratio : float
        :math:`q = p/n > 0`.
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    (float, float)
        :math:`(\lambda_-, \lambda_+)`.
    """
    q = _parameter("ratio", ratio)
    s2 = _parameter("variance", variance)
    root = math.sqrt(q)
    return s2 * ((1.0 - q) / (1.0 + root)) ** 2, s2 * (1.0 + root) ** 2


marchenko_pastur_edges.__doc__ += _CONVENTION


def _shape(ratio: float) -> tuple[float, float]:
    """``(κ, m)``: kernel parameter ``min(√q, 1/√q)`` and mass divisor ``max(1, q)``."""
    root = math.sqrt(ratio)
    return min(root, 1.0 / root), max(1.0, ratio)


def marchenko_pastur_density(x, ratio: float, variance: float = 1.0) -> np.ndarray:
    r"""Density of the continuous part, without the atom.

    .. math::

        \rho(x) = \frac{\sqrt{(\lambda_+ - x)(x - \lambda_-)}}{2\pi\sigma^2 q x},
        \qquad \lambda_- < x < \lambda_+,

    zero elsewhere; it integrates to :math:`\min(1, 1/q)`. At the hard edge
    (:math:`q = 1`, :math:`x = 0`) the value is ``inf``.

    Parameters
    ----------
    x : array_like
        Real points (``±inf`` allowed).
    ratio : float
        :math:`q = p/n > 0`.
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    ndarray
        float64, same shape as ``x`` (a NumPy scalar for scalar ``x``).
    """
    x = _points("x", x)
    lo, hi = marchenko_pastur_edges(ratio, variance)
    xc = np.clip(x, lo, hi)
    rho = np.divide(np.sqrt((hi - xc) * (xc - lo)),
                    2.0 * np.pi * float(variance) * float(ratio) * xc,
                    where=(x > lo) & (x < hi), out=np.zeros(x.shape))
    if lo == 0.0:
        rho[x == 0.0] = np.inf
    return rho[()]


marchenko_pastur_density.__doc__ += _CONVENTION


def marchenko_pastur_cdf(x, ratio: float, variance: float = 1.0) -> np.ndarray:
    r"""CDF :math:`F(x) = \mu_q((-\infty, x])`, atom included (a jump of :math:`1 - 1/q` at 0).

    .. math::

        F(x) = \max(0, 1 - 1/q)\,\mathbf 1_{x \ge 0}
             + \frac{J(\theta, \kappa)}{\max(1, q)}, \qquad
        J = \frac{\kappa\sin\theta + \kappa^2\theta - (1 - \kappa^2)\,
                  \operatorname{atan2}(\kappa\sin\theta, 1 - \kappa\cos\theta)}{\pi\kappa^2},

    with :math:`x = c - r\cos\theta` and :math:`\kappa = \min(\sqrt q, 1/\sqrt q)`;
    tails are integrated by Gauss–Legendre in :math:`\theta` to keep relative accuracy.

    Parameters
    ----------
    x : array_like
        Real points (``±inf`` allowed).
    ratio : float
        :math:`q = p/n > 0`.
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    ndarray
        float64 in ``[0, 1]``, same shape as ``x`` (a NumPy scalar for scalar ``x``).
    """
    x = _points("x", x)
    lo, hi = marchenko_pastur_edges(ratio, variance)
    kappa, mass = _shape(float(ratio))
    lower = _angle_cdf(*_half_angles(x, lo, hi), kappa)[0]
    return (np.where(x >= 0.0, marchenko_pastur_atom(ratio), 0.0) + lower / mass)[()]


marchenko_pastur_cdf.__doc__ += _CONVENTION


def marchenko_pastur_quantile(p, ratio: float, variance: float = 1.0) -> np.ndarray:
    r"""Quantile :math:`F^{-1}(p) = \inf\{x : F(x) \ge p\}`, atom included.

    Levels :math:`p \le \max(0, 1 - 1/q)` fall in the atom and return 0; above it the
    continuous part is inverted in the angle variable by a bracketing root finder, each
    level against the tail of the nearer edge (accurate to about 1e-15 relative to
    :math:`\lambda_+`).

    Parameters
    ----------
    p : array_like
        Levels in ``[0, 1]``.
    ratio : float
        :math:`q = p/n > 0`.
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    ndarray
        float64, same shape as ``p`` (a NumPy scalar for scalar ``p``).
    """
    p = _levels(p)
    lo, hi = marchenko_pastur_edges(ratio, variance)
    kappa, mass = _shape(float(ratio))
    atom = marchenko_pastur_atom(ratio)
    in_atom = p <= atom
    lower = np.where(in_atom, 0.0, (p - atom) * mass)
    x = _point(*_angle_quantile(lower, np.where(in_atom, 1.0, (1.0 - p) * mass), kappa),
               lo, hi)
    return np.where(in_atom, 0.0, x)[()]


marchenko_pastur_quantile.__doc__ += _CONVENTION


def marchenko_pastur_stieltjes(z, ratio: float, variance: float = 1.0) -> np.ndarray:
    r"""Stieltjes transform :math:`G(z) = \int \mu_q(dx)/(z - x)`, atom included.

    :math:`G` is the root of :math:`q\sigma^2 z G^2 - (z - \sigma^2(1 - q)) G + 1 = 0`
    with :math:`G \sim 1/z` at infinity:

    .. math::

        G(z) = \frac{z - \sigma^2(1 - q) - \sqrt{z - \lambda_-}\sqrt{z - \lambda_+}}
                    {2 q \sigma^2 z}
             = \frac{2}{z - \sigma^2(1 - q) + \sqrt{z - \lambda_-}\sqrt{z - \lambda_+}},

    principal square roots taken separately; the second form (product of the roots is
    :math:`1/(q\sigma^2 z)`) has no cancellation at large :math:`|z|`. Real ``z`` inside the
    support gives the limit from above. ``z = 0`` is a pole when :math:`q \ge 1`
    (the atom, or the hard edge), where the value is not finite.

    Parameters
    ----------
    z : array_like
        Finite complex (or real) points.
    ratio : float
        :math:`q = p/n > 0`.
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    ndarray
        complex128, same shape as ``z`` (a NumPy scalar for scalar ``z``).
    """
    z = _complex_points("z", z)
    lo, hi = marchenko_pastur_edges(ratio, variance)
    shift = float(variance) * (1.0 - float(ratio))
    with np.errstate(divide="ignore", invalid="ignore"):
        return (2.0 / (z - shift + np.sqrt(z - lo) * np.sqrt(z - hi)))[()]


marchenko_pastur_stieltjes.__doc__ += _CONVENTION


def marchenko_pastur_moment(k: int, ratio: float, variance: float = 1.0) -> float:
    r"""Moment :math:`m_k = \int x^k \mu_q(dx)` (the atom contributes nothing for k >= 1).

    .. math::

        m_k = \sigma^{2k} \sum_{j=1}^{k} N(k, j)\, q^{j-1}, \qquad
        N(k, j) = \frac{1}{k}\binom{k}{j}\binom{k}{j-1} \quad\text{(Narayana)},

    so :math:`m_1 = \sigma^2`, :math:`m_2 = \sigma^4(1 + q)`,
    :math:`m_3 = \sigma^6(1 + 3q + q^2)`; :math:`m_0 = 1`.

    Parameters
    ----------
    k : int
        Order, ``k >= 0``.
    ratio : float
        :math:`q = p/n > 0`.
    variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    float
    """
    k = _order(k)
    q = _parameter("ratio", ratio)
    s2 = _parameter("variance", variance)
    if k == 0:
        return 1.0
    narayana = (math.comb(k, j) * math.comb(k, j - 1) // k for j in range(1, k + 1))
    return s2 ** k * math.fsum(n * q ** (j - 1) for j, n in enumerate(narayana, start=1))


marchenko_pastur_moment.__doc__ += _CONVENTION
