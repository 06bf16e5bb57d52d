r"""The Marchenko–Pastur law freely convolved with a semicircle, :class:`MarchenkoPasturSemicircle`.

The functions ``mp_semicircle_*`` are thin entry points: ``mp_semicircle_cdf(x, ratio,
noise_variance, variance)`` is ``MarchenkoPasturSemicircle(ratio, noise_variance,
variance).cdf(x)``. The numerics of the cubic (roots, support, boundary values) are in
:mod:`theory._mp_semicircle_cubic`.

References
----------
D. Voiculescu, "Addition of certain non-commuting random variables", J. Funct. Anal. 66 (1986).
V. A. Marchenko, L. A. Pastur, "Distribution of eigenvalues for some sets of random matrices",
Mat. Sb. 72 (1967).
L. A. Pastur, "On the spectrum of random matrices", Theor. Math. Phys. 10 (1972).
J. Bun, J.-P. Bouchaud, M. Potters, "Cleaning large correlation matrices: tools from random
matrix theory", Phys. Rep. 666 (2017), arXiv:1610.08104.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from theory._docstrings import SNIPPETS, fill
from theory._mp_semicircle_cubic import Cubic, support_of
from theory._validate import Interval, complex_points
from theory.marchenko_pastur import RATIO_RANGE
from theory.spectral_law import VARIANCE_RANGE, SpectralLaw

__all__ = [
    "MarchenkoPasturSemicircle",
    "mp_semicircle_cdf",
    "mp_semicircle_density",
    "mp_semicircle_edges",
    "mp_semicircle_hilbert",
    "mp_semicircle_integral",
    "mp_semicircle_moment",
    "mp_semicircle_quantile",
    "mp_semicircle_stieltjes",
    "mp_semicircle_stieltjes_roots",
]

# The noise variance is a squared scale of the law: up to the square of the largest variance.
_NOISE_RANGE = Interval(0.0, 1e60)

_DOCS = {
    **SNIPPETS,
    "parameters": r"""
        ratio : float
            Aspect ratio :math:`q = p/n` of the Wishart part, in [1e-12, 1e8].
        noise_variance : float
            Variance :math:`v` of the semicircle part (radius :math:`2\sqrt v`), in [0, 1e60].
        variance : float
            Entry variance :math:`\sigma^2` of ``X``, in [1e-30, 1e30]; the MP part has mean
            :math:`\sigma^2` and variance :math:`q\sigma^4`.""",
    "convention": r"""
        Notes
        -----
        The law of ``W + S``: ``W = X Xᵀ/n`` Wishart (``X`` :math:`p \times n`, entry
        variance :math:`\sigma^2`, :math:`q = p/n`) plus an independent Wigner matrix ``S``
        of semicircle variance :math:`v`; see :class:`MarchenkoPasturSemicircle`.""",
}


@fill(_DOCS)
@dataclass(frozen=True)
class MarchenkoPasturSemicircle(SpectralLaw):
    r"""MP ⊞ SC: the Marchenko–Pastur law freely convolved with a semicircle.

    Law of ``W + S`` for large matrices, where ``W = X Xᵀ / n`` is the ``p × p`` Wishart
    matrix of a ``p × n`` matrix ``X`` with i.i.d. entries of variance ``variance``
    (:math:`\sigma^2`), aspect ratio ``ratio`` :math:`q = p/n`, and ``S`` an independent
    Wigner matrix whose semicircle law has variance ``noise_variance`` (:math:`v`, radius
    :math:`2\sqrt v`). The MP part alone has an atom of mass :math:`\max(0, 1 - 1/q)` at 0;
    for :math:`v > 0` the semicircle smears it into a bump.

    R-transforms add under free convolution (Voiculescu):
    :math:`R(g) = \sigma^2/(1 - q\sigma^2 g) + v g`, and :math:`z = R(G) + 1/G` clears to

    .. math::

        q\sigma^2 v\, G^3 - (q\sigma^2 z + v)\, G^2 + (z - \sigma^2(1 - q))\, G - 1 = 0;

    free cumulants add too: :math:`\kappa_n = q^{n-1}\sigma^{2n} + v\,\delta_{n2}`.

    Domain: ``ratio`` in [1e-12, 1e8] (outside it double precision cannot resolve the MP part
    against its mean or against the atom), ``variance`` in [1e-30, 1e30] and
    ``noise_variance`` in [0, 1e60] (beyond, products of the cubic's coefficients overflow). A
    noise variance below 1e-16 qσ⁴ max(1, q) smears the atom over less than 1e-8 of the MP
    spread (and of the bulk's distance from 0); it is treated as zero (the atom is kept).
    With ``noise_variance == 0`` this is :class:`theory.marchenko_pastur.MarchenkoPastur`.

    Parameters
    ----------
    %(parameters)s
    """

    ratio: float
    noise_variance: float
    variance: float = 1.0

    domain = {"ratio": RATIO_RANGE, "noise_variance": _NOISE_RANGE, "variance": VARIANCE_RANGE}

    @property
    def _cubic(self) -> Cubic:
        """The cubic in ``u = 1/G`` (:mod:`theory._mp_semicircle_cubic`)."""
        return Cubic(self.ratio, self.noise_variance, self.variance)

    @property
    def support(self) -> tuple[tuple[float, float], ...]:
        edges = support_of(self._cubic).edges
        return tuple(zip(edges[::2].tolist(), edges[1::2].tolist()))

    @property
    def atom(self) -> float:
        return support_of(self._cubic).atom

    def _pieces(self):
        return support_of(self._cubic).pieces

    def _pdf(self, x):
        noiseless = support_of(self._cubic).noiseless
        return noiseless.pdf(x) if noiseless else super()._pdf(x)

    def _cdf(self, x):
        noiseless = support_of(self._cubic).noiseless
        return noiseless.cdf(x) if noiseless else super()._cdf(x)

    def _ppf(self, p):
        noiseless = support_of(self._cubic).noiseless
        return noiseless.ppf(p) if noiseless else super()._ppf(p)

    def _stieltjes(self, z):
        cubic = self._cubic
        noiseless = support_of(cubic).noiseless
        if noiseless:
            return noiseless.stieltjes(z)
        real = z.imag == 0
        if real.all():
            return cubic.boundary_value(z.real)
        out = np.empty(z.shape, dtype=complex)
        out[real] = cubic.boundary_value(z.real[real])
        out[~real] = cubic.off_axis(z[~real])
        return out

    def free_cumulants(self, k):
        n = np.arange(1, k + 1)
        cumulants = self.ratio ** (n - 1.0) * self.variance ** n
        if k >= 2:
            cumulants[1] += self.noise_variance
        return cumulants

    def stieltjes_polynomial(self, z):
        p, v = self.ratio * self.variance, self.noise_variance
        return [p * v, -(p * z + v), z - self.variance * (1.0 - self.ratio), -1.0]

    def stieltjes_roots(self, x) -> np.ndarray:
        """The three roots :math:`G_k` of the cubic at finite real or complex ``x``, shape ``x.shape + (3,)``.

        Unordered. For ``noise_variance == 0`` the cubic degenerates to the MP quadratic and
        the third root is at infinity (returned as ``inf``).
        """
        return self._cubic.roots(complex_points("x", x))


# ---------------------------------------------------------------------------- entry points

@fill(_DOCS)
def mp_semicircle_stieltjes_roots(x, ratio: float, noise_variance: float,
                                  variance: float = 1.0) -> np.ndarray:
    r"""The three roots :math:`G_k` of the MP ⊞ SC cubic at ``x`` (finite, real or complex).

    .. math::

        q\sigma^2 v G^3 - (q\sigma^2 x + v) G^2 + (x - \sigma^2(1 - q)) G - 1 = 0,

    unordered, shape ``x.shape + (3,)``. For ``noise_variance == 0`` the cubic degenerates to
    the MP quadratic and the third root is at infinity (returned as ``inf``).

    Parameters
    ----------
    x : array_like
        Finite points, real or complex.
    %(parameters)s
    """
    return MarchenkoPasturSemicircle(ratio, noise_variance, variance).stieltjes_roots(x)


@fill(_DOCS)
def mp_semicircle_stieltjes(z, ratio: float, noise_variance: float, variance: float = 1.0):
    r"""Stieltjes transform :math:`G(z) = \int \rho(x)\,dx/(z - x)` of MP ⊞ SC.

    Off the axis the physical root of the cubic: the only one with
    :math:`\operatorname{Im} G < 0` when :math:`\operatorname{Im} z > 0`
    (and :math:`G(\bar z) = \overline{G(z)}`); on the axis :math:`G(x + i0)`.

    %(on_complex_points)s
    """
    return MarchenkoPasturSemicircle(ratio, noise_variance, variance).stieltjes(z)


@fill(_DOCS)
def mp_semicircle_density(x, ratio: float, noise_variance: float, variance: float = 1.0):
    r"""Density :math:`\rho(x) = -\operatorname{Im} G(x + i0)/\pi` of MP ⊞ SC, zero outside the support.

    For ``noise_variance == 0`` this is the continuous part of the Marchenko–Pastur law,
    :math:`\sqrt{(\lambda_+ - x)(x - \lambda_-)}/(2\pi q\sigma^2 x)` (the atom of mass
    :math:`\max(0, 1 - 1/q)` at 0 is not a density).

    %(on_real_points)s
    """
    return MarchenkoPasturSemicircle(ratio, noise_variance, variance).pdf(x)


@fill(_DOCS)
def mp_semicircle_hilbert(x, ratio: float, noise_variance: float, variance: float = 1.0):
    r"""Hilbert transform :math:`h(x) = \operatorname{Re} G(x + i0) = \mathrm{p.v.}\int \rho(y)\,dy/(x - y)`.

    Inside the support the real part of the complex root; outside it the real, physical root
    (the one on a decreasing branch, :math:`G \sim 1/x` at :math:`\pm\infty`), as needed for
    outlier eigenvalues in rotationally invariant estimators (Bun, Bouchaud, Potters 2017).
    With ``noise_variance == 0`` and ``ratio > 1`` the atom makes :math:`h(0)` infinite.

    %(on_real_points)s
    """
    return MarchenkoPasturSemicircle(ratio, noise_variance, variance).hilbert(x)


@fill(_DOCS)
def mp_semicircle_edges(ratio: float, noise_variance: float, variance: float = 1.0) -> np.ndarray:
    r"""Sorted endpoints of the support: ``[a, b]`` or ``[a0, b0, a1, b1]`` (two intervals).

    The critical values :math:`z(g_*)` of :math:`z(g) = \sigma^2/(1 - q\sigma^2 g) + v g + 1/g`,
    i.e. the real zeros of the discriminant of the cubic. Two intervals occur only for
    :math:`q > 1` and small :math:`v`, when the smeared atom at 0 is still separated from the
    bulk. For ``noise_variance == 0``: the MP edges :math:`\sigma^2(1 \pm \sqrt q)^2` (the atom
    is not part of them).

    Parameters
    ----------
    %(parameters)s

    Returns
    -------
    ndarray
    """
    return MarchenkoPasturSemicircle(ratio, noise_variance, variance).edges


@fill(_DOCS)
def mp_semicircle_moment(k: int, ratio: float, noise_variance: float, variance: float = 1.0) -> float:
    r"""Moment :math:`m_k = \int x^k \, d\mu` of MP ⊞ SC (atom included), from free cumulants.

    Free cumulants add: :math:`\kappa_n = q^{n-1}\sigma^{2n}` (free Poisson) plus :math:`v` at
    :math:`n = 2`; the moments follow by the moment–cumulant recursion of
    :mod:`theory._free_cumulants`.

    %(of_order)s
    """
    return MarchenkoPasturSemicircle(ratio, noise_variance, variance).moment(k)


@fill(_DOCS)
def mp_semicircle_integral(f: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
                           ratio: float, noise_variance: float, variance: float = 1.0,
                           n_nodes: int = 128) -> float:
    r"""Integral :math:`\int f(x, \rho(x), h(x))\,dx` over the support of the continuous part.

    Gauss–Legendre in the angle on each support interval, cut geometrically towards branch
    points of :math:`G` close to it. ``f = lambda x, rho, h: rho`` gives the continuous mass;
    ``lambda x, rho, h: rho ** 3`` gives :math:`\int\rho^3`.

    Parameters
    ----------
    f : callable
        Vectorised ``f(x, rho, h)`` of three arrays of equal shape.
    %(parameters)s
    n_nodes : int
        Nodes per piece; the default reaches about 1e-12 relative accuracy across the domain
        (tested against adaptive and mpmath quadrature), except within about 1e-5 relative of
        the noise at which two support intervals merge, where the nearly closed gap is resolved
        poorly (∫ρ³ off by 6% at ratio 1/0.95 from 1e-8 to 1e-5 below the merge, 5e-5 at
        ratio 5; more nodes do not cure it). :func:`theory.gamp_rie.denoising_mmse`
        integrates ρ³ along another route (:mod:`theory._mp_semicircle_fisher`) that is exact
        there.

    Returns
    -------
    float
    """
    return MarchenkoPasturSemicircle(ratio, noise_variance, variance).integrate(f, n_nodes)


@fill(_DOCS)
def mp_semicircle_cdf(x, ratio: float, noise_variance: float, variance: float = 1.0):
    r"""Distribution function :math:`F(x) = \mu((-\infty, x])` of MP ⊞ SC (atom included).

    Spectrally accurate (about 1e-13): per support piece, a Chebyshev series in the angle
    variable of the density, integrated term by term (:mod:`theory._spectral_cdf`).

    %(on_real_points)s
    """
    return MarchenkoPasturSemicircle(ratio, noise_variance, variance).cdf(x)


@fill(_DOCS)
def mp_semicircle_quantile(p, ratio: float, noise_variance: float, variance: float = 1.0):
    r"""Quantile function :math:`Q(p) = \inf\{x : F(x) \ge p\}` of MP ⊞ SC.

    Inverts the Chebyshev representation of :func:`mp_semicircle_cdf` by Newton's method
    safeguarded with bisection in the angle variable, to about 1e-13 in ``x``. ``Q(0)`` and
    ``Q(1)`` are the ends of the support; probabilities inside the atom map to 0.

    %(on_levels)s
    """
    return MarchenkoPasturSemicircle(ratio, noise_variance, variance).ppf(p)
