r"""Wigner's semicircle law, :class:`Semicircle`, and its function entry points.

The functions ``semicircle_*`` are thin entry points: ``semicircle_cdf(x, variance)`` is
``Semicircle(variance).cdf(x)``.

References
----------
E. P. Wigner, "Characteristic vectors of bordered matrices with infinite dimensions",
Ann. Math. 62 (1955) 548–564.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from theory._docstrings import SNIPPETS, fill
from theory._poisson_kernel import kernel_cdf, kernel_quantile
from theory.spectral_law import VARIANCE_RANGE, SpectralLaw

__all__ = [
    "Semicircle",
    "semicircle_density",
    "semicircle_cdf",
    "semicircle_quantile",
    "semicircle_edges",
    "semicircle_stieltjes",
    "semicircle_moment",
]

_DOCS = {
    **SNIPPETS,
    "parameters": r"""
        variance : float
            :math:`\sigma^2`, in [1e-30, 1e30].""",
    "convention": r"""
        Notes
        -----
        ``variance`` is :math:`\sigma^2`: the semicircle is the spectral limit of a GOE
        matrix with off-diagonal variance :math:`\sigma^2/N`, on :math:`[-2\sigma, 2\sigma]`.

        References
        ----------
        E. P. Wigner, Ann. Math. 62 (1955) 548–564.""",
}


@fill(_DOCS)
@dataclass(frozen=True)
class Semicircle(SpectralLaw):
    r"""The semicircle law of variance :math:`\sigma^2`: the limiting spectrum of a GOE matrix.

    A real symmetric :math:`N \times N` matrix with independent entries of variance
    :math:`\sigma^2/N` off the diagonal (:math:`2\sigma^2/N` on it) has an empirical
    spectral distribution converging to

    .. math::

        \rho(x) = \frac{\sqrt{4\sigma^2 - x^2}}{2\pi\sigma^2}, \qquad |x| \le 2\sigma,

    so the support radius is :math:`2\sigma` (not :math:`\sigma`, as some libraries' "scale"
    arguments have it). Its only nonzero free cumulant is :math:`\kappa_2 = \sigma^2`; the
    even moments are Catalan numbers; :math:`\sigma^2 G^2 - zG + 1 = 0`.

    CDF and quantile use the angle :math:`x = -2\sigma\cos\theta`, in which
    :math:`F = (2\theta - \sin 2\theta)/(2\pi)` (:mod:`theory._poisson_kernel` with
    :math:`\kappa = 0`), with both tails to full relative accuracy.

    Parameters
    ----------
    %(parameters)s
    """

    variance: float = 1.0

    domain = {"variance": VARIANCE_RANGE}

    @property
    def support(self) -> tuple[tuple[float, float], ...]:
        radius = 2.0 * math.sqrt(self.variance)
        return ((-radius, radius),)

    def _pdf(self, x):
        (lo, hi), = self.support
        xc = np.clip(x, lo, hi)
        return np.sqrt((hi - xc) * (xc - lo)) / (2.0 * np.pi * self.variance)

    def _cdf(self, x):
        (lo, hi), = self.support
        return kernel_cdf(x, lo, hi, 0.0)

    def _ppf(self, p):
        (lo, hi), = self.support
        return kernel_quantile(p, 1.0 - p, lo, hi, 0.0)

    def _stieltjes(self, z):
        # principal square roots taken separately: the single root sqrt(z² − 4σ²) is on the
        # wrong sheet for part of the plane; 2/(z + ...) has no cancellation at large |z|
        radius = self.support[0][1]
        return 2.0 / (z + np.sqrt(z - radius) * np.sqrt(z + radius))

    def _moment(self, k):
        if k % 2:
            return 0.0
        j = k // 2
        return math.comb(2 * j, j) // (j + 1) * self.variance ** j

    def free_cumulants(self, k):
        return np.array([self.variance if n == 2 else 0.0 for n in range(1, k + 1)])

    def stieltjes_polynomial(self, z):
        return [self.variance, -z, 1.0]


@fill(_DOCS)
def semicircle_edges(variance: float = 1.0) -> tuple[float, float]:
    r"""Support edges :math:`(-2\sigma, 2\sigma)` of the semicircle law.

    %(edge_pair)s
    """
    return Semicircle(variance).support[0]


@fill(_DOCS)
def semicircle_density(x, variance: float = 1.0) -> np.ndarray:
    r"""Semicircle density :math:`\rho(x) = \sqrt{4\sigma^2 - x^2}/(2\pi\sigma^2)`, zero for :math:`|x| > 2\sigma`.

    %(on_real_points)s
    """
    return Semicircle(variance).pdf(x)


@fill(_DOCS)
def semicircle_cdf(x, variance: float = 1.0) -> np.ndarray:
    r"""Semicircle CDF.

    .. math::

        F(x) = \frac12 + \frac{x\sqrt{4\sigma^2 - x^2}}{4\pi\sigma^2}
               + \frac{1}{\pi}\arcsin\frac{x}{2\sigma}
             = \frac{2\theta - \sin 2\theta}{2\pi}, \quad x = -2\sigma\cos\theta,

    evaluated in the angle form with both tails to full relative accuracy.

    %(on_real_points)s
    """
    return Semicircle(variance).cdf(x)


@fill(_DOCS)
def semicircle_quantile(p, variance: float = 1.0) -> np.ndarray:
    r"""Semicircle quantile :math:`F^{-1}(p)`, accurate to about 1e-15 relative to :math:`2\sigma`.

    Solves :math:`2\theta - \sin 2\theta = 2\pi p` (for :math:`p \le 1/2`; the upper tail
    :math:`1 - p` otherwise) by a bracketing root finder and returns
    :math:`x = -2\sigma\cos\theta`; ``0`` and ``1`` give the edges.

    %(on_levels)s
    """
    return Semicircle(variance).ppf(p)


@fill(_DOCS)
def semicircle_stieltjes(z, variance: float = 1.0) -> np.ndarray:
    r"""Stieltjes transform :math:`G(z) = \int \rho(x)\,dx/(z - x)`.

    .. math::

        G(z) = \frac{z - \sqrt{z - 2\sigma}\sqrt{z + 2\sigma}}{2\sigma^2}
             = \frac{2}{z + \sqrt{z - 2\sigma}\sqrt{z + 2\sigma}},

    with principal square roots taken *separately*; the second form has no cancellation for
    large :math:`|z|`. On the support :math:`-\operatorname{Im} G(x)/\pi = \rho(x)`.

    %(on_complex_points)s
    """
    return Semicircle(variance).stieltjes(z)


@fill(_DOCS)
def semicircle_moment(k: int, variance: float = 1.0) -> float:
    r"""Moment :math:`m_k = \int x^k \rho(x)\,dx`: zero for odd ``k``, else Catalan.

    .. math::

        m_{2j} = C_j\,\sigma^{2j}, \qquad C_j = \frac{1}{j + 1}\binom{2j}{j}
        = 1, 1, 2, 5, 14, 42, \dots

    %(of_order)s
    """
    return Semicircle(variance).moment(k)
