r"""The Marchenko–Pastur law, :class:`MarchenkoPastur`, and its function entry points.

The functions ``marchenko_pastur_*`` are thin entry points: ``marchenko_pastur_cdf(x, ratio,
variance)`` is ``MarchenkoPastur(ratio, variance).cdf(x)``.

References
----------
V. A. Marchenko and L. A. Pastur, "Distribution of eigenvalues for some sets of random
matrices", Mat. Sb. 72(114) (1967) 507–536.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from theory._docstrings import SNIPPETS, fill
from theory._poisson_kernel import kernel_cdf, kernel_quantile
from theory._quadrature import graded_pieces
from theory._validate import Interval
from theory.spectral_law import VARIANCE_RANGE, SpectralLaw

__all__ = [
    "RATIO_RANGE",
    "MarchenkoPastur",
    "marchenko_pastur_density",
    "marchenko_pastur_atom",
    "marchenko_pastur_edges",
    "marchenko_pastur_cdf",
    "marchenko_pastur_quantile",
    "marchenko_pastur_stieltjes",
    "marchenko_pastur_moment",
]

RATIO_RANGE = Interval(1e-12, 1e8)
"""Valid range of the aspect ratio q: below 1e-12 the bulk (width 4σ²√q) is too narrow for double
precision to resolve around its mean σ²; above 1e8 the atom and the bulk differ in mass by more
than 1e8."""

_DOCS = {
    **SNIPPETS,
    "ratio": r"""
        ratio : float
            :math:`q = p/n`, in [1e-12, 1e8].""",
    "parameters": r"""
        %(ratio)s
        variance : float
            :math:`\sigma^2`, in [1e-30, 1e30].""",
    "convention": r"""
        Notes
        -----
        The law of the eigenvalues of the :math:`p \times p` matrix :math:`W = X X^\top / n`,
        ``X`` :math:`p \times n` with i.i.d. entries of variance :math:`\sigma^2`
        (``variance``), ``ratio`` :math:`q = p/n`.

        References
        ----------
        V. A. Marchenko and L. A. Pastur, Mat. Sb. 72(114) (1967) 507–536.""",
}


@fill(_DOCS)
@dataclass(frozen=True)
class MarchenkoPastur(SpectralLaw):
    r"""The Marchenko–Pastur law: the limiting spectrum of a sample covariance (Wishart) matrix.

    ``X`` is :math:`p \times n` with i.i.d. entries of mean zero and variance
    :math:`\sigma^2` (``variance``); the matrix is the :math:`p \times p` Gram
    :math:`W = X X^\top / n` (divisor :math:`n`, the number of columns); ``ratio`` is
    :math:`q = p/n`. As :math:`p, n \to \infty` with :math:`p/n \to q` the spectrum of
    :math:`W` converges to

    .. math::

        \mu_q = \max(0, 1 - 1/q)\,\delta_0
                + \frac{\sqrt{(\lambda_+ - x)(x - \lambda_-)}}{2\pi\sigma^2 q x}
                  \mathbf 1_{[\lambda_-, \lambda_+]}(x)\,dx,
        \qquad \lambda_\pm = \sigma^2(1 \pm \sqrt q)^2.

    For :math:`q > 1` the continuous part has mass :math:`1/q` and the :math:`p - n` zero
    eigenvalues form the atom; :math:`q = 1` is the hard edge :math:`\lambda_- = 0`, where the
    density diverges like :math:`x^{-1/2}`. The :math:`n \times n` Gram :math:`X^\top X / n`
    has the same nonzero eigenvalues: its law is that of :math:`q Y`, :math:`Y \sim \mu_{1/q}`.
    Free cumulants :math:`\kappa_n = q^{n-1}\sigma^{2n}` (free Poisson); moments are Narayana
    polynomials; :math:`q\sigma^2 z G^2 - (z - \sigma^2(1 - q)) G + 1 = 0`.

    In the angle :math:`x = c - r\cos\theta` (:math:`c, r` the centre and half-width of
    :math:`[\lambda_-, \lambda_+]`) the continuous part is :math:`\min(1, 1/q)` times the
    Poisson kernel of :mod:`theory._poisson_kernel` with
    :math:`\kappa = \min(\sqrt q, 1/\sqrt q)`, which gives CDF and quantile to full relative
    accuracy in both tails.

    Parameters
    ----------
    %(parameters)s
    """

    ratio: float
    variance: float = 1.0

    domain = {"ratio": RATIO_RANGE, "variance": VARIANCE_RANGE}

    @property
    def support(self) -> tuple[tuple[float, float], ...]:
        # λ₋ = σ²((1 − q)/(1 + √q))² keeps relative accuracy near the hard edge q = 1
        root = math.sqrt(self.ratio)
        return ((self.variance * ((1.0 - self.ratio) / (1.0 + root)) ** 2,
                 self.variance * (1.0 + root) ** 2),)

    @property
    def atom(self) -> float:
        q = self.ratio
        return (q - 1.0) / q if q > 1.0 else 0.0

    def _pieces(self):
        # the density's factor 1/x: near the hard edge (q ≈ 1) grade the quadrature towards 0
        (lo, hi), = self.support
        return graded_pieces(lo, hi, [0j])

    def _kernel(self) -> tuple[float, float]:
        """``(κ, m)``: kernel parameter ``min(√q, 1/√q)`` and mass divisor ``max(1, q)``."""
        root = math.sqrt(self.ratio)
        return min(root, 1.0 / root), max(1.0, self.ratio)

    def _pdf(self, x):
        (lo, hi), = self.support
        xc = np.clip(x, lo, hi)
        rho = np.divide(np.sqrt((hi - xc) * (xc - lo)), 2.0 * np.pi * self.variance * self.ratio * xc,
                        where=(x > lo) & (x < hi), out=np.zeros(x.shape))
        if lo == 0.0:
            rho[x == 0.0] = np.inf
        return rho

    def _cdf(self, x):
        (lo, hi), = self.support
        kappa, mass = self._kernel()
        return np.where(x >= 0.0, self.atom, 0.0) + kernel_cdf(x, lo, hi, kappa) / mass

    def _ppf(self, p):
        (lo, hi), = self.support
        kappa, mass = self._kernel()
        in_atom = (p <= self.atom) & (self.atom > 0.0)  # without an atom Q(0) is the lower edge
        lower = np.where(in_atom, 0.0, (p - self.atom) * mass)
        x = kernel_quantile(lower, np.where(in_atom, 1.0, (1.0 - p) * mass), lo, hi, kappa)
        return np.where(in_atom, 0.0, x)

    def _stieltjes(self, z):
        # 2/(z − σ²(1 − q) + √(z − λ₋)√(z − λ₊)): principal roots taken separately, no
        # cancellation at large |z|; z = 0 is a pole for q >= 1 (the atom, or the hard edge)
        (lo, hi), = self.support
        shift = self.variance * (1.0 - self.ratio)
        with np.errstate(divide="ignore", invalid="ignore"):
            return 2.0 / (z - shift + np.sqrt(z - lo) * np.sqrt(z - hi))

    def _moment(self, k):
        if k == 0:
            return 1.0
        narayana = (math.comb(k, j) * math.comb(k, j - 1) // k for j in range(1, k + 1))
        return self.variance ** k * math.fsum(n * self.ratio ** (j - 1) for j, n in enumerate(narayana, start=1))

    def free_cumulants(self, k):
        n = np.arange(1, k + 1)
        return self.ratio ** (n - 1.0) * self.variance ** n

    def stieltjes_polynomial(self, z):
        return [self.ratio * self.variance * z, -(z - self.variance * (1.0 - self.ratio)), 1.0]


@fill(_DOCS)
def marchenko_pastur_atom(ratio: float) -> float:
    r"""Mass :math:`\max(0, 1 - 1/q)` of the atom at zero (the :math:`p - n` null directions).

    Parameters
    ----------
    %(ratio)s

    Returns
    -------
    float

    %(convention)s
    """
    return MarchenkoPastur(ratio).atom


@fill(_DOCS)
def marchenko_pastur_edges(ratio: float, variance: float = 1.0) -> tuple[float, float]:
    r"""Edges :math:`\lambda_\pm = \sigma^2 (1 \pm \sqrt q)^2` of the continuous part.

    :math:`\lambda_-` is computed as :math:`\sigma^2 \big((1 - q)/(1 + \sqrt q)\big)^2`,
    which keeps relative accuracy near the hard edge :math:`q = 1`.

    %(edge_pair)s
    """
    return MarchenkoPastur(ratio, variance).support[0]


@fill(_DOCS)
def marchenko_pastur_density(x, ratio: float, variance: float = 1.0) -> np.ndarray:
    r"""Density of the continuous part, without the atom.

    .. math::

        \rho(x) = \frac{\sqrt{(\lambda_+ - x)(x - \lambda_-)}}{2\pi\sigma^2 q x},
        \qquad \lambda_- < x < \lambda_+,

    zero elsewhere; it integrates to :math:`\min(1, 1/q)`. At the hard edge
    (:math:`q = 1`, :math:`x = 0`) the value is ``inf``.

    %(on_real_points)s
    """
    return MarchenkoPastur(ratio, variance).pdf(x)


@fill(_DOCS)
def marchenko_pastur_cdf(x, ratio: float, variance: float = 1.0) -> np.ndarray:
    r"""CDF :math:`F(x) = \mu_q((-\infty, x])`, atom included (a jump of :math:`1 - 1/q` at 0).

    .. math::

        F(x) = \max(0, 1 - 1/q)\,\mathbf 1_{x \ge 0}
             + \frac{J(\theta, \kappa)}{\max(1, q)}, \qquad
        J = \frac{\kappa\sin\theta + \kappa^2\theta - (1 - \kappa^2)\,
                  \operatorname{atan2}(\kappa\sin\theta, 1 - \kappa\cos\theta)}{\pi\kappa^2},

    with :math:`x = c - r\cos\theta` and :math:`\kappa = \min(\sqrt q, 1/\sqrt q)`;
    tails are integrated by Gauss–Legendre in :math:`\theta` to keep relative accuracy.

    %(on_real_points)s
    """
    return MarchenkoPastur(ratio, variance).cdf(x)


@fill(_DOCS)
def marchenko_pastur_quantile(p, ratio: float, variance: float = 1.0) -> np.ndarray:
    r"""Quantile :math:`F^{-1}(p) = \inf\{x : F(x) \ge p\}`, atom included.

    Levels :math:`p \le \max(0, 1 - 1/q)` fall in the atom and return 0; above it the
    continuous part is inverted in the angle variable by a bracketing root finder, each
    level against the tail of the nearer edge (accurate to about 1e-15 relative to
    :math:`\lambda_+`).

    %(on_levels)s
    """
    return MarchenkoPastur(ratio, variance).ppf(p)


@fill(_DOCS)
def marchenko_pastur_stieltjes(z, ratio: float, variance: float = 1.0) -> np.ndarray:
    r"""Stieltjes transform :math:`G(z) = \int \mu_q(dx)/(z - x)`, atom included.

    :math:`G` is the root of :math:`q\sigma^2 z G^2 - (z - \sigma^2(1 - q)) G + 1 = 0`
    with :math:`G \sim 1/z` at infinity:

    .. math::

        G(z) = \frac{z - \sigma^2(1 - q) - \sqrt{z - \lambda_-}\sqrt{z - \lambda_+}}
                    {2 q \sigma^2 z}
             = \frac{2}{z - \sigma^2(1 - q) + \sqrt{z - \lambda_-}\sqrt{z - \lambda_+}},

    principal square roots taken separately; the second form (product of the roots is
    :math:`1/(q\sigma^2 z)`) has no cancellation at large :math:`|z|`. ``z = 0`` is a pole
    when :math:`q \ge 1` (the atom, or the hard edge), where the value is not finite.

    %(on_complex_points)s
    """
    return MarchenkoPastur(ratio, variance).stieltjes(z)


@fill(_DOCS)
def marchenko_pastur_moment(k: int, ratio: float, variance: float = 1.0) -> float:
    r"""Moment :math:`m_k = \int x^k \mu_q(dx)` (the atom contributes nothing for k >= 1).

    .. math::

        m_k = \sigma^{2k} \sum_{j=1}^{k} N(k, j)\, q^{j-1}, \qquad
        N(k, j) = \frac{1}{k}\binom{k}{j}\binom{k}{j-1} \quad\text{(Narayana)},

    so :math:`m_1 = \sigma^2`, :math:`m_2 = \sigma^4(1 + q)`,
    :math:`m_3 = \sigma^6(1 + 3q + q^2)`; :math:`m_0 = 1`.

    %(of_order)s
    """
    return MarchenkoPastur(ratio, variance).moment(k)
