r"""The cubic of MP ⊞ SC in :math:`u = 1/G`: its roots, the support and boundary values.

The numerics behind :class:`theory.free_convolution.MarchenkoPasturSemicircle`. We solve for
:math:`u = 1/G`, whose cubic is monic and stays regular when :math:`v = 0` (then one root is
:math:`u = 0`, i.e. :math:`G = \infty`):

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

A noise variance below 1e-16 qσ⁴ max(1, q) smears the atom over less than 1e-8 of the MP spread
σ²√q and of the bulk's distance ~qσ² from 0: the cubic, whose coefficients are of the bulk's
scale, cannot resolve it, and the law is the Marchenko–Pastur law (``Support.noiseless``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from theory._cubic import cubic_roots, upper_root
from theory._quadrature import graded_pieces
from theory.marchenko_pastur import MarchenkoPastur

__all__ = ["Cubic", "Support", "support_of"]

_UNRESOLVED_NOISE = 1e-16


@dataclass(frozen=True)
class Cubic:
    """The cubic in ``u = 1/G`` of MP ⊞ SC with ratio ``q``, noise variance ``v``, variance ``σ²``."""

    ratio: float
    noise_variance: float
    variance: float

    @property
    def p(self) -> float:  # q σ²: the pole of the MP R-transform is at g = 1/p
        return self.ratio * self.variance

    def coefficients(self, z):
        """``(c2, c1, c0)`` of ``u³ + c2 u² + c1 u + c0 = 0`` at ``z``."""
        v = self.noise_variance
        return -(z + self.variance * (self.ratio - 1.0)), self.p * z + v, -self.p * v * np.ones_like(z)

    def slope(self, u):
        """``z'(g)`` at ``g = 1/u``: negative only on the physical branch off the support."""
        gap = (u - self.p) ** 2  # u = p (the pole of R) only through rounding: slope +inf there
        curvature = np.divide(self.p * self.variance * u * u, gap, out=np.full(np.shape(u), np.inf),
                              where=gap != 0)
        return curvature + self.noise_variance - u * u

    def discriminant(self, x: float) -> float:
        """Discriminant of the cubic at real ``x``: negative iff a complex pair (inside the support)."""
        c2, c1, c0 = (float(c) for c in self.coefficients(np.float64(x)))
        return 18.0 * c2 * c1 * c0 - 4.0 * c2 ** 3 * c0 + c2 * c2 * c1 * c1 - 4.0 * c1 ** 3 - 27.0 * c0 * c0

    def z_of_u(self, u):
        """The inverse map ``z = R(g) + 1/g`` at ``g = 1/u``."""
        return self.variance * u / (u - self.p) + self.noise_variance / u + u

    def roots(self, z: np.ndarray) -> np.ndarray:
        """The three roots ``G`` at ``z``, shape ``z.shape + (3,)``; ``inf`` for ``u = 0`` (``v = 0``)."""
        u = cubic_roots(*self.coefficients(z))
        if self.noise_variance == 0:  # the root u = 0 is exact; rounding only blurs it
            smallest = np.argmin(np.abs(u), axis=-1)[..., None]
            np.put_along_axis(u, smallest, 0.0, axis=-1)
        return np.divide(1.0, u, out=np.full(u.shape, np.inf, dtype=complex), where=u != 0)

    def off_axis(self, z: np.ndarray) -> np.ndarray:
        """The physical root ``G(z)`` at points with a nonzero imaginary part."""
        roots = self.roots(z)
        # the physical root has Im G < 0 above the axis; compare Im G / |G|, since a spurious
        # root near the pole of R (|G| ~ 1/(qσ²)) has a rounding-sized imaginary part of either
        # sign that, unnormalised, can outweigh the physical one
        pick = np.argmin(roots.imag * np.sign(z.imag)[..., None] / np.abs(roots), axis=-1)[..., None]
        return np.take_along_axis(roots, pick, axis=-1)[..., 0]

    def boundary_value(self, x: np.ndarray) -> np.ndarray:
        """``G(x + i0)`` at real ``x``: the complex root inside the support, the decreasing one outside."""
        edges = support_of(self).edges  # x inside a closed interval: searchsorted parity on sorted edges
        inside = (np.searchsorted(edges, x, side="right") % 2 == 1) | (np.searchsorted(edges, x, side="left") % 2 == 1)
        u = np.empty(x.shape, dtype=complex)
        u[inside] = upper_root(*self.coefficients(x[inside]))
        if not inside.all():
            roots = cubic_roots(*self.coefficients(x[~inside])).real
            pick = np.argmin(self.slope(roots), axis=-1)[..., None]
            u[~inside] = np.take_along_axis(roots, pick, axis=-1)[..., 0]
        return np.divide(1.0, u, out=np.full(u.shape, np.inf, dtype=complex), where=u != 0)


@dataclass(frozen=True)
class Support:
    """Support of the continuous part, its quadrature pieces and the atom at 0."""

    edges: np.ndarray   # sorted, pairs [lo, hi] of the support intervals
    pieces: np.ndarray  # (k, 2): the intervals, graded towards nearby singularities of G
    atom: float         # mass at 0 (noise too small to resolve, or none, and ratio > 1)
    noiseless: MarchenkoPastur | None  # the law, when the noise is zero or unresolved


@functools.lru_cache(maxsize=512)
def support_of(cubic: Cubic) -> Support:
    """The support of the law whose Stieltjes transform solves ``cubic`` (cached)."""
    sigma2, q, v, p = cubic.variance, cubic.ratio, cubic.noise_variance, cubic.p
    noiseless = None
    if v < _UNRESOLVED_NOISE * p * sigma2 * max(1.0, q):  # Marchenko–Pastur: exact closed forms
        noiseless = MarchenkoPastur(q, sigma2)
        edges, atom = list(noiseless.support[0]), noiseless.atom
        singular = [0j]  # the MP density carries a factor 1/x
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
                candidates.append(cubic.z_of_u(u.real))
            else:  # complex critical values: branch points of G off the axis
                singular.append(cubic.z_of_u(u))
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
            if not (hi > lo and cubic.discriminant(0.5 * (lo + hi)) < 0):
                continue
            if edges and edges[-1] == lo:  # contiguous with the previous interval: extend it
                edges[-1] = hi
            else:
                edges += [lo, hi]
        edges = edges or [low, high]  # nothing resolved: integrate over the Weyl hull
        singular += edges  # an edge of one interval is a branch point for the others
    pieces = [piece for lo, hi in zip(edges[::2], edges[1::2]) for piece in graded_pieces(lo, hi, singular)]
    return Support(np.array(edges), np.array(pieces), atom, noiseless)
