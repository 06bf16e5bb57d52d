r"""The Marchenko–Pastur law freely convolved with a semicircle, :class:`MarchenkoPasturSemicircle`.

The functions ``mp_semicircle_*`` are thin entry points: ``mp_semicircle_cdf(x, ratio,
noise_variance, variance)`` is ``MarchenkoPasturSemicircle(ratio, noise_variance,
variance).cdf(x)``.

Numerics. We solve for :math:`u = 1/G`, whose cubic is monic and stays regular when
:math:`v = 0` (then one root is :math:`u = 0`, i.e. :math:`G = \infty`):

.. math::

    u^3 - (z + c)\,u^2 + (p z + v)\,u - p v = 0, \qquad p = q\sigma^2,\quad c = \sigma^2(q - 1),

by :mod:`theory._cubic`. For :math:`\operatorname{Im} z > 0` exactly one root has
:math:`\operatorname{Im} G < 0` (real :math:`G` give real :math:`z`, so the count is constant on
the upper half plane; at :math:`z \to i\infty` only :math:`G \approx 1/z` is below the axis):
that root is physical. On the real axis outside the support all roots are real and the physical
one is the only one on a decreasing branch, :math:`z'(G) < 0`
(:math:`G'(x) = -\int\rho/(x - y)^2 < 0`).

Support edges are the critical values :math:`z(g_*)` of :math:`z(g) = R(g) + 1/g`, i.e. the
real zeros of the discriminant of the cubic; in :math:`u`, :math:`z'(g) = 0` reads
:math:`u^2(u - p)^2 = q\sigma^4 u^2 + v (u - p)^2`. Its real roots give the 2 or 4 edges (one or
two intervals), kept where the discriminant is negative in between. This route is well
conditioned where the discriminant quartic in :math:`x` is not (the bump of width
:math:`O(\sqrt v)` at small :math:`v`); the tests compare both. Complex critical values are
branch points of :math:`G` off the axis. Where one lies close to the support (just after the
two intervals merge; near a hard edge, ratio close to 1) Gauss–Legendre converges slowly, so
the intervals are cut geometrically towards it; then a few hundred nodes give ~1e-13.

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

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from theory._cubic import cubic_roots, upper_root
from theory._docstrings import SNIPPETS, fill
from theory._quadrature import graded_pieces
from theory._validate import POSITIVE, Interval, complex_points
from theory.spectral_law import SpectralLaw

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

# Beyond these aspect ratios the MP part is narrower than double precision resolves around its
# mean (small ratio), or the atom and the bulk differ by more than 1e8 in scale (large ratio).
_RATIO = Interval(1e-12, 1e8)

# Below this fraction of the MP variance qσ⁴ the smeared atom (width ~ sqrt(v)) is narrower
# than ~1e-8 of the MP spread and is not resolved: the law is treated as noiseless.
_UNRESOLVED_NOISE = 1e-16

_DOCS = {
    **SNIPPETS,
    "parameters": r"""
        ratio : float
            Aspect ratio :math:`q = p/n` of the Wishart part, in [1e-12, 1e8].
        noise_variance : float
            Variance :math:`v \ge 0` of the semicircle part (radius :math:`2\sqrt v`).
        variance : float
            Entry variance :math:`\sigma^2 > 0` of ``X``; the MP part has mean :math:`\sigma^2`
            and variance :math:`q\sigma^4`.""",
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
    against its mean or against the atom). A noise variance below 1e-16 qσ⁴ smears the atom
    over less than 1e-8 of the MP spread; it is treated as zero (the atom is kept as an atom).
    With ``noise_variance == 0`` this is :class:`theory.marchenko_pastur.MarchenkoPastur`.

    Parameters
    ----------
    %(parameters)s
    """

    ratio: float
    noise_variance: float
    variance: float = 1.0

    domain = {"ratio": _RATIO, "noise_variance": Interval(0.0), "variance": POSITIVE}

    # ------------------------------------------------------------------ the cubic in u = 1/G

    @property
    def _p(self) -> float:  # q σ²: the pole of the MP R-transform is at g = 1/p
        return self.ratio * self.variance

    def _coefficients(self, z):
        """``(c2, c1, c0)`` of ``u³ + c2 u² + c1 u + c0 = 0`` at ``z``."""
        v = self.noise_variance
        return -(z + self.variance * (self.ratio - 1.0)), self._p * z + v, -self._p * v * np.ones_like(z)

    def _slope(self, u):
        """``z'(g)`` at ``g = 1/u``: negative only on the physical branch off the support."""
        gap = (u - self._p) ** 2  # u = p (the pole of R) only through rounding: slope +inf there
        curvature = np.divide(self._p * self.variance * u * u, gap, out=np.full(np.shape(u), np.inf),
                              where=gap != 0)
        return curvature + self.noise_variance - u * u

    def _discriminant(self, x: float) -> float:
        """Discriminant of the cubic at real ``x``: negative iff a complex pair (inside the support)."""
        c2, c1, c0 = (float(c) for c in self._coefficients(np.float64(x)))
        return 18.0 * c2 * c1 * c0 - 4.0 * c2 ** 3 * c0 + c2 * c2 * c1 * c1 - 4.0 * c1 ** 3 - 27.0 * c0 * c0

    def _z_of_u(self, u):
        """The inverse map ``z = R(g) + 1/g`` at ``g = 1/u``."""
        return self.variance * u / (u - self._p) + self.noise_variance / u + u

    # ------------------------------------------------------------------ the law's primitives

    @property
    def support(self) -> tuple[tuple[float, float], ...]:
        edges = _support(self).edges
        return tuple(zip(edges[::2].tolist(), edges[1::2].tolist()))

    @property
    def atom(self) -> float:
        return _support(self).atom

    def _pieces(self):
        return _support(self).pieces

    def _roots(self, z: np.ndarray) -> np.ndarray:
        u = cubic_roots(*self._coefficients(z))
        if self.noise_variance == 0:  # the root u = 0 is exact; rounding only blurs it
            smallest = np.argmin(np.abs(u), axis=-1)[..., None]
            np.put_along_axis(u, smallest, 0.0, axis=-1)
        return np.divide(1.0, u, out=np.full(u.shape, np.inf, dtype=complex), where=u != 0)

    def _stieltjes(self, z):
        real = z.imag == 0
        if real.all():
            return _boundary_value(z.real, self)
        out = np.empty(z.shape, dtype=complex)
        out[real] = _boundary_value(z.real[real], self)
        off = z[~real]
        roots = self._roots(off)
        pick = np.argmin(roots.imag * np.sign(off.imag)[..., None], axis=-1)[..., None]
        out[~real] = np.take_along_axis(roots, pick, axis=-1)[..., 0]
        return out

    def free_cumulants(self, k):
        n = np.arange(1, k + 1)
        cumulants = self.ratio ** (n - 1.0) * self.variance ** n
        if k >= 2:
            cumulants[1] += self.noise_variance
        return cumulants

    def stieltjes_polynomial(self, z):
        p, v = self._p, self.noise_variance
        return [p * v, -(p * z + v), z - self.variance * (1.0 - self.ratio), -1.0]

    def stieltjes_roots(self, x) -> np.ndarray:
        """The three roots :math:`G_k` of the cubic at finite real or complex ``x``, shape ``x.shape + (3,)``.

        Unordered. For ``noise_variance == 0`` the cubic degenerates to the MP quadratic and
        the third root is at infinity (returned as ``inf``).
        """
        return self._roots(complex_points("x", x))


@dataclass(frozen=True)
class _Support:
    """Support of the continuous part, its quadrature pieces and the atom at 0."""

    edges: np.ndarray   # sorted, pairs [lo, hi] of the support intervals
    pieces: np.ndarray  # (k, 2): the intervals, graded towards nearby singularities of G
    atom: float         # mass at 0 (noise too small to resolve, or none, and ratio > 1)


@functools.lru_cache(maxsize=512)
def _support(law: MarchenkoPasturSemicircle) -> _Support:
    sigma2, q, v, p = law.variance, law.ratio, law.noise_variance, law._p
    if v < _UNRESOLVED_NOISE * p * sigma2:
        edges = [sigma2 * (1.0 - np.sqrt(q)) ** 2, sigma2 * (1.0 + np.sqrt(q)) ** 2]
        singular = [0j]  # the MP density carries a factor 1/x
        atom = max(0.0, 1.0 - 1.0 / q)
    else:
        # critical points of z(g) in u = 1/g: u²(u − p)² − qσ⁴u² − v(u − p)² = 0
        c3, c2, c1, c0 = -2.0 * p, p * p - p * sigma2 - v, 2.0 * p * v, -p * p * v
        companion = np.diag(np.ones(3), -1)
        companion[0] = -c3, -c2, -c1, -c0
        candidates, singular, atom = [], [], 0.0
        for u in np.linalg.eigvals(companion).astype(complex).tolist():
            for _ in range(3):  # Newton polish; real roots stay exactly real
                slope = ((4.0 * u + 3.0 * c3) * u + 2.0 * c2) * u + c1
                if slope != 0:
                    u -= ((((u + c3) * u + c2) * u + c1) * u + c0) / slope
            if u == 0 or u == p:  # only through underflow of c0: no critical point there
                continue
            if u.imag == 0:  # LAPACK returns real eigenvalues with zero imaginary part
                candidates.append(law._z_of_u(u.real))
            else:  # complex critical values: branch points of G off the axis
                singular.append(law._z_of_u(u))
        # Weyl: the support lies in hull(MP) + [-2√v, 2√v]. Between the candidates inside it,
        # keep the gaps where the cubic has a complex pair (Disc < 0); this discards spurious
        # real roots from nearly real pairs (an MP part much narrower than the noise).
        radius = 2.0 * np.sqrt(v)
        low = (0.0 if q >= 1 else sigma2 * (1.0 - np.sqrt(q)) ** 2) - radius
        high = sigma2 * (1.0 + np.sqrt(q)) ** 2 + radius
        slack = 1e-12 * (high - low)
        candidates = sorted(c for c in candidates if low - slack <= c <= high + slack)
        edges = []
        for lo, hi in zip(candidates[:-1], candidates[1:]):
            if not (hi > lo and law._discriminant(0.5 * (lo + hi)) < 0):
                continue
            if edges and edges[-1] == lo:  # contiguous with the previous interval: extend it
                edges[-1] = hi
            else:
                edges += [lo, hi]
        edges = edges or [low, high]  # nothing resolved: integrate over the Weyl hull
        singular += edges  # an edge of one interval is a branch point for the others
    pieces = [piece for lo, hi in zip(edges[::2], edges[1::2]) for piece in graded_pieces(lo, hi, singular)]
    return _Support(np.array(edges), np.array(pieces), atom)


def _boundary_value(x: np.ndarray, law: MarchenkoPasturSemicircle) -> np.ndarray:
    """``G(x + i0)`` at real ``x``: the complex root inside the support, the decreasing one outside."""
    edges = _support(law).edges  # x inside a closed interval: searchsorted parity on sorted edges
    inside = (np.searchsorted(edges, x, side="right") % 2 == 1) | (np.searchsorted(edges, x, side="left") % 2 == 1)
    u = np.empty(x.shape, dtype=complex)
    u[inside] = upper_root(*law._coefficients(x[inside]))
    if not inside.all():
        outside = x[~inside]
        roots = cubic_roots(*law._coefficients(outside)).real
        # u = 0 (G = ∞, noiseless only) is physical solely at the atom x = 0
        slope = np.where(roots == 0, np.where(outside == 0, -np.inf, np.inf)[:, None], law._slope(roots))
        pick = np.argmin(slope, axis=-1)[..., None]
        u[~inside] = np.take_along_axis(roots, pick, axis=-1)[..., 0]
    return np.divide(1.0, u, out=np.full(u.shape, np.inf, dtype=complex), where=u != 0)


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
        (tested against adaptive and mpmath quadrature).

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
