r"""The Marchenko–Pastur law freely convolved with a semicircle: MP ⊞ SC.

Law of ``W + S`` for large matrices, where ``W = X Xᵀ / n`` is the ``p × p`` Wishart matrix of
a ``p × n`` matrix ``X`` with i.i.d. entries of variance ``variance`` (σ²), aspect ratio
``ratio`` :math:`q = p/n`, and ``S`` an independent Wigner matrix whose semicircle law has
variance ``noise_variance`` (:math:`v`, radius :math:`2\sqrt v`). The MP part alone has an atom
of mass :math:`\max(0, 1 - 1/q)` at 0; for :math:`v > 0` the semicircle smears it into a bump.

R-transforms add under free convolution (Voiculescu):
:math:`R(g) = \sigma^2/(1 - q\sigma^2 g) + v g`, and :math:`z = R(G) + 1/G` clears to the cubic

.. math::

    q\sigma^2 v\, G^3 - (q\sigma^2 z + v)\, G^2 + (z - \sigma^2(1 - q))\, G - 1 = 0

for the Stieltjes transform :math:`G(z) = \int \rho(x)\,dx/(z - x)`. Conventions:
:math:`G(z) \sim 1/z` at infinity, :math:`\operatorname{Im} G < 0` for :math:`\operatorname{Im} z
> 0`, :math:`\rho(x) = -\operatorname{Im} G(x + i0)/\pi`, Hilbert transform
:math:`h(x) = \operatorname{Re} G(x + i0)`.

Numerics. We solve for :math:`u = 1/G`, whose cubic is monic and stays regular when
:math:`v = 0` (then one root is :math:`u = 0`, i.e. :math:`G = \infty`):

.. math::

    u^3 - (z + c)\,u^2 + (p z + v)\,u - p v = 0, \qquad p = q\sigma^2,\quad c = \sigma^2(q - 1).

For :math:`\operatorname{Im} z > 0` exactly one root has :math:`\operatorname{Im} G < 0` (real
:math:`G` give real :math:`z`, so the count is constant on the upper half plane; at
:math:`z \to i\infty` only :math:`G \approx 1/z` is below the axis): that root is physical. On
the real axis outside the support all roots are real and the physical one is the only one on a
decreasing branch, :math:`z'(G) < 0` (:math:`G'(x) = -\int\rho/(x - y)^2 < 0`).

Support edges are the critical values :math:`z(g_*)` of :math:`z(g) = R(g) + 1/g`, i.e. the
real zeros of the discriminant of the cubic; in :math:`u`, :math:`z'(g) = 0` reads
:math:`u^2(u - p)^2 = q\sigma^4 u^2 + v (u - p)^2`. Its real roots give the 2 or 4 edges (one or
two intervals), kept where the discriminant is negative in between. This route is well
conditioned where the discriminant quartic in :math:`x` is not (the bump of width
:math:`O(\sqrt v)` at small :math:`v`); the tests compare both. Complex critical values are
branch points of :math:`G` off the axis. Where one lies close to the support (just after the
two intervals merge; near a hard edge, ratio close to 1) Gauss–Legendre converges slowly, so
the intervals are cut geometrically towards it; then a few hundred nodes give ~1e-13.

Domain: ``ratio`` in [1e-12, 1e8] (outside it double precision cannot resolve the MP part
against its mean or against the atom). A noise variance below 1e-16 qσ⁴ smears the atom over
less than 1e-8 of the MP spread; it is treated as zero (the atom is kept as an atom).

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
from numpy.polynomial import chebyshev

from theory._quadrature import support_nodes
from theory._validate import check_finite, check_interval, check_positive

__all__ = [
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

_SQRT3_HALF = 0.5 * np.sqrt(3.0)
_OMEGA = np.exp(2j * np.pi / 3)


# --------------------------------------------------------------------------- cubic solvers

def _newton(u, c2, c1, c0, steps: int):
    """Polishing Newton steps on ``u³ + c2 u² + c1 u + c0``.

    A step is kept only where it is small (below 1% of ``|u|``) and lowers the residual: at a
    near-double root (a support edge) the step is ill-determined and could jump to another root.
    """
    residual = ((u + c2) * u + c1) * u + c0
    for _ in range(steps):
        slope = (3.0 * u + 2.0 * c2) * u + c1
        step = np.divide(residual, slope, out=np.zeros_like(u), where=slope != 0)
        new = u - step
        new_residual = ((new + c2) * new + c1) * new + c0
        keep = (np.abs(step) <= 1e-2 * np.abs(u)) & (np.abs(new_residual) < np.abs(residual))
        u, residual = np.where(keep, new, u), np.where(keep, new_residual, residual)
    return u


def _cubic_roots(c2, c1, c0) -> np.ndarray:
    """All roots of the monic cubic ``u³ + c2 u² + c1 u + c0`` (complex coefficients).

    Cardano (larger-modulus cube root) gives the root of largest modulus to full relative
    accuracy; the other two come from the deflated quadratic (Vieta: sum ``-c2 - r``, product
    ``-c0/r``), so roots much smaller than the largest keep their relative accuracy (the
    smeared atom at small noise). One guarded Newton step polishes. Returns shape ``(..., 3)``.
    """
    c2, c1, c0 = (np.asarray(c, dtype=complex)[..., None] for c in np.broadcast_arrays(c2, c1, c0))
    shift = c2 / 3.0
    p = c1 - c2 * shift
    q = (2.0 * shift * shift - c1) * shift + c0
    root = np.sqrt(0.25 * q * q + p * p * p / 27.0)
    w = np.where((q.real * root.real + q.imag * root.imag) <= 0, root, -root) - 0.5 * q
    a = np.cbrt(np.abs(w)) * np.exp(1j * np.angle(w) / 3.0)
    b = np.divide(-p, 3.0 * a, out=np.zeros_like(a), where=a != 0)
    k = np.array([1.0, _OMEGA, _OMEGA.conjugate()])
    cardano = a * k + b / k - shift
    r = np.take_along_axis(cardano, np.argmax(np.abs(cardano), axis=-1)[..., None], axis=-1)
    total = -c2 - r
    product = np.divide(-c0, r, out=np.zeros_like(r), where=r != 0)
    d = np.sqrt(total * total - 4.0 * product)
    big = 0.5 * np.where(np.abs(total + d) >= np.abs(total - d), total + d, total - d)
    small = np.divide(product, big, out=np.zeros_like(big), where=big != 0)
    return _newton(np.concatenate([r, big, small], axis=-1), c2, c1, c0, steps=1)


def _upper_root(c2, c1, c0) -> np.ndarray:
    """The root with ``Im u > 0`` of a real monic cubic with one real root and a complex pair.

    Real Cardano (fast path for quadrature nodes inside the support). When the real root
    dominates, the pair is taken from the deflated quadratic instead (the Cardano pair loses
    relative accuracy when it is much smaller than the real root); one complex Newton step
    polishes. Where rounding makes the discriminant non-negative the pair has merged and the
    returned root is (nearly) real.
    """
    shift = c2 / 3.0
    p = c1 - c2 * shift
    q = (2.0 * shift * shift - c1) * shift + c0
    disc = 0.25 * q * q + p * p * p / 27.0
    a = np.cbrt(-0.5 * q - np.copysign(np.sqrt(np.maximum(disc, 0.0)), q))
    b = np.divide(-p, 3.0 * a, out=np.zeros_like(a), where=a != 0)
    r = a + b - shift
    re, im = -0.5 * (a + b) - shift, np.where(disc > 0, _SQRT3_HALF * np.abs(a - b), 0.0)
    dominant = r * r > re * re + im * im
    half_sum = 0.5 * (-c2 - r)
    product = np.divide(-c0, r, out=np.zeros_like(r), where=dominant)
    re = np.where(dominant, half_sum, re)
    im = np.where(dominant, np.sqrt(np.maximum(product - half_sum * half_sum, 0.0)), im)
    return _newton(re + 1j * im, c2, c1, c0, steps=1)


# --------------------------------------------------------------------------- parametrisation

@dataclass(frozen=True)
class _Law:
    """MP ⊞ SC parameters with the coefficients of the cubic in ``u = 1/G``."""

    ratio: float
    noise_variance: float
    variance: float

    @property
    def p(self) -> float:  # q σ²: the pole of the MP R-transform is at g = 1/p
        return self.ratio * self.variance

    @property
    def shift(self) -> float:  # σ²(q − 1)
        return self.variance * (self.ratio - 1.0)

    def coefficients(self, z):
        """``(c2, c1, c0)`` of ``u³ + c2 u² + c1 u + c0 = 0`` at ``z``."""
        v = self.noise_variance
        return -(z + self.shift), self.p * z + v, -self.p * v * np.ones_like(z)

    def slope(self, u):
        """``z'(g)`` at ``g = 1/u``: negative only on the physical branch off the support."""
        gap = (u - self.p) ** 2  # u = p (the pole of R) only through rounding: slope +inf there
        curvature = np.divide(self.p * self.variance * u * u, gap, out=np.full(np.shape(u), np.inf), where=gap != 0)
        return curvature + self.noise_variance - u * u

    def discriminant(self, x: float) -> float:
        """Discriminant of the cubic at real ``x``: negative iff a complex pair (inside the support)."""
        c2, c1, c0 = (float(c) for c in self.coefficients(np.float64(x)))
        return 18.0 * c2 * c1 * c0 - 4.0 * c2 ** 3 * c0 + c2 * c2 * c1 * c1 - 4.0 * c1 ** 3 - 27.0 * c0 * c0

    def z_of_u(self, u):
        """The inverse map ``z = R(g) + 1/g`` at ``g = 1/u``."""
        return self.variance * u / (u - self.p) + self.noise_variance / u + u


@dataclass(frozen=True)
class _Support:
    """Support of the continuous part, its quadrature pieces and the atom at 0."""

    edges: np.ndarray   # sorted, pairs [lo, hi] of the support intervals
    pieces: np.ndarray  # (k, 2): the intervals, graded towards nearby singularities of G
    atom: float         # mass at 0 (noise too small to resolve, or none, and ratio > 1)


# Below this fraction of the MP variance qσ⁴ the smeared atom (width ~ sqrt(v)) is narrower
# than ~1e-8 of the MP spread and is not resolved: the law is treated as noiseless.
_UNRESOLVED_NOISE = 1e-16

# Beyond these aspect ratios the MP part is narrower than double precision resolves around its
# mean (small ratio), or the atom and the bulk differ by more than 1e8 in scale (large ratio).
_RATIO_RANGE = (1e-12, 1e8)


def _law(ratio, noise_variance, variance) -> _Law:
    check_interval("ratio", ratio, _RATIO_RANGE[0], _RATIO_RANGE[1])
    check_positive("noise_variance", noise_variance, allow_zero=True)
    check_positive("variance", variance)
    return _Law(float(ratio), float(noise_variance), float(variance))


def _graded_pieces(lo: float, hi: float, singular: list[complex]) -> list[tuple[float, float]]:
    """Split ``[lo, hi]`` geometrically (ratio 4) towards each nearby singularity of ``G``.

    A branch point at distance ``d`` from the interval slows Gauss–Legendre down unless the
    pieces next to it have length ``~ d``; singularities farther than ``(hi - lo)/16`` are
    harmless and ignored.
    """
    cuts = {lo, hi}
    for point in singular:
        centre = min(max(point.real, lo), hi)
        distance = abs(point - centre)
        if distance >= (hi - lo) / 16.0:
            continue
        cuts.add(centre)
        step = distance
        while 0 < step < hi - lo:
            cuts.update(c for c in (centre - step, centre + step) if lo < c < hi)
            step *= 4.0
    cuts = sorted(cuts)
    return list(zip(cuts[:-1], cuts[1:])) or [(lo, hi)]  # a degenerate interval keeps one piece


@functools.lru_cache(maxsize=512)
def _support(law: _Law) -> _Support:
    sigma2, q, v, p = law.variance, law.ratio, law.noise_variance, law.p
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
                candidates.append(law.z_of_u(u.real))
            else:  # complex critical values: branch points of G off the axis
                singular.append(law.z_of_u(u))
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
            if not (hi > lo and law.discriminant(0.5 * (lo + hi)) < 0):
                continue
            if edges and edges[-1] == lo:  # contiguous with the previous interval: extend it
                edges[-1] = hi
            else:
                edges += [lo, hi]
        edges = edges or [low, high]  # nothing resolved: integrate over the Weyl hull
        singular += edges  # an edge of one interval is a branch point for the others
    pieces = [piece for lo, hi in zip(edges[::2], edges[1::2]) for piece in _graded_pieces(lo, hi, singular)]
    return _Support(np.array(edges), np.array(pieces), atom)


def _inside(x: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """``x`` in a closed support interval (``searchsorted`` parity on sorted edges)."""
    return (np.searchsorted(edges, x, side="right") % 2 == 1) | (np.searchsorted(edges, x, side="left") % 2 == 1)


def _boundary_value(x: np.ndarray, law: _Law) -> np.ndarray:
    """``G(x + i0)`` at real ``x``: the complex root inside the support, the decreasing one outside."""
    inside = _inside(x, _support(law).edges)
    u = np.empty(x.shape, dtype=complex)
    u[inside] = _upper_root(*law.coefficients(x[inside]))
    outside = x[~inside]
    roots = _cubic_roots(*law.coefficients(outside)).real
    # u = 0 (G = ∞, noiseless only) is physical solely at the atom x = 0
    slope = np.where(roots == 0, np.where(outside == 0, -np.inf, np.inf)[:, None], law.slope(roots))
    pick = np.argmin(slope, axis=-1)[..., None]
    u[~inside] = np.take_along_axis(roots, pick, axis=-1)[..., 0]
    return np.divide(1.0, u, out=np.full(u.shape, np.inf, dtype=complex), where=u != 0)


def _interior_value(x: np.ndarray, law: _Law) -> np.ndarray:
    """``G(x + i0)`` at points known to lie inside the support (quadrature nodes)."""
    u = _upper_root(*law.coefficients(x))
    return np.divide(1.0, u, out=np.zeros_like(u), where=u != 0)  # u = 0 only at a merged edge


def _complex_points(name: str, value, *, off_axis: bool) -> np.ndarray:
    """Validate finite (and, with ``off_axis``, non-real) points; the message names ``name``."""
    z = np.asarray(value)
    finite = z.dtype.kind in "biufc" and np.all(np.isfinite(z))
    if not finite or (off_axis and np.any(z.imag == 0)):
        rule = "finite with a nonzero imaginary part" if off_axis else "finite"
        raise ValueError(f"{name}={value!r} is out of range: must be {rule}")
    return z.astype(complex)


def _as_output(values: np.ndarray):
    return values[()] if values.ndim == 0 else values


# --------------------------------------------------------------------------- public API

_PARAMETERS_DOC = """ratio : float
        Aspect ratio :math:`q = p/n` of the Wishart part, in [1e-12, 1e8].
    noise_variance : float
        Variance :math:`v \\ge 0` of the semicircle part (radius :math:`2\\sqrt v`).
    variance : float
        Entry variance :math:`\\sigma^2 > 0` of ``X``; the MP part has mean :math:`\\sigma^2` and
        variance :math:`q\\sigma^4`."""


def _doc(func):
    func.__doc__ = func.__doc__.replace("{parameters}", _PARAMETERS_DOC)
    return func


@_doc
def mp_semicircle_stieltjes_roots(x, ratio: float, noise_variance: float,
                                  variance: float = 1.0) -> np.ndarray:
    r"""The three roots :math:`G_k` of the MP ⊞ SC cubic at ``x`` (real or complex).

    .. math::

        q\sigma^2 v G^3 - (q\sigma^2 x + v) G^2 + (x - \sigma^2(1 - q)) G - 1 = 0.

    Parameters
    ----------
    x : array_like
        Points, real or complex.
    {parameters}

    Returns
    -------
    ndarray, complex, shape ``x.shape + (3,)``
        The roots, unordered. For ``noise_variance == 0`` the cubic degenerates to the MP
        quadratic and the third root is at infinity (returned as ``inf``).
    """
    law = _law(ratio, noise_variance, variance)
    z = _complex_points("x", x, off_axis=False)
    u = _cubic_roots(*law.coefficients(z))
    if law.noise_variance == 0:  # the root u = 0 is exact; rounding only blurs it
        smallest = np.argmin(np.abs(u), axis=-1)[..., None]
        np.put_along_axis(u, smallest, 0.0, axis=-1)
    return np.divide(1.0, u, out=np.full(u.shape, np.inf, dtype=complex), where=u != 0)


@_doc
def mp_semicircle_stieltjes(z, ratio: float, noise_variance: float, variance: float = 1.0):
    r"""Stieltjes transform :math:`G(z) = \int \rho(x)\,dx/(z - x)` off the real axis.

    The physical root of the cubic: the only one with :math:`\operatorname{Im} G < 0` when
    :math:`\operatorname{Im} z > 0` (and :math:`G(\bar z) = \overline{G(z)}`).

    Parameters
    ----------
    z : array_like, complex
        Points with nonzero imaginary part.
    {parameters}

    Returns
    -------
    complex or ndarray
    """
    z = _complex_points("z", z, off_axis=True)
    roots = mp_semicircle_stieltjes_roots(z, ratio, noise_variance, variance)
    pick = np.argmin(roots.imag * np.sign(z.imag)[..., None], axis=-1)[..., None]
    return _as_output(np.take_along_axis(roots, pick, axis=-1)[..., 0])


@_doc
def mp_semicircle_density(x, ratio: float, noise_variance: float, variance: float = 1.0):
    r"""Density :math:`\rho(x) = -\operatorname{Im} G(x + i0)/\pi` of MP ⊞ SC.

    Zero outside the support. For ``noise_variance == 0`` this is the continuous part of the
    Marchenko–Pastur law, :math:`\sqrt{(\lambda_+ - x)(x - \lambda_-)}/(2\pi q\sigma^2 x)`
    (the atom of mass :math:`\max(0, 1 - 1/q)` at 0 is not a density).

    Parameters
    ----------
    x : array_like
        Real points.
    {parameters}

    Returns
    -------
    float or ndarray
    """
    law = _law(ratio, noise_variance, variance)
    check_finite("x", x)
    g = _boundary_value(np.asarray(x, dtype=float), law)
    return _as_output(np.where(g.imag < 0.0, -g.imag, 0.0) / np.pi)


@_doc
def mp_semicircle_hilbert(x, ratio: float, noise_variance: float, variance: float = 1.0):
    r"""Hilbert transform :math:`h(x) = \operatorname{Re} G(x + i0) = \mathrm{p.v.}\int \rho(y)\,dy/(x - y)`.

    Inside the support the real part of the complex root; outside it the real, physical root
    (the one on a decreasing branch, :math:`G \sim 1/x` at :math:`\pm\infty`), as needed for
    outlier eigenvalues in rotationally invariant estimators (Bun, Bouchaud, Potters 2017).
    With ``noise_variance == 0`` and ``ratio > 1`` the atom makes :math:`h(0)` infinite.

    Parameters
    ----------
    x : array_like
        Real points.
    {parameters}

    Returns
    -------
    float or ndarray
    """
    law = _law(ratio, noise_variance, variance)
    check_finite("x", x)
    return _as_output(_boundary_value(np.asarray(x, dtype=float), law).real)


@_doc
def mp_semicircle_edges(ratio: float, noise_variance: float, variance: float = 1.0) -> np.ndarray:
    r"""Sorted endpoints of the support: ``[a, b]`` or ``[a0, b0, a1, b1]`` (two intervals).

    The critical values :math:`z(g_*)` of :math:`z(g) = \sigma^2/(1 - q\sigma^2 g) + v g + 1/g`,
    i.e. the real zeros of the discriminant of the cubic. Two intervals occur only for
    :math:`q > 1` and small :math:`v`, when the smeared atom at 0 is still separated from the
    bulk. For ``noise_variance == 0``: the MP edges :math:`\sigma^2(1 \pm \sqrt q)^2` (the atom
    is not part of them).

    Parameters
    ----------
    {parameters}

    Returns
    -------
    ndarray
    """
    return _support(_law(ratio, noise_variance, variance)).edges.copy()


@_doc
def mp_semicircle_moment(k: int, ratio: float, noise_variance: float, variance: float = 1.0) -> float:
    r"""Moment :math:`m_k = \int x^k \, d\mu` of MP ⊞ SC (atom included), from free cumulants.

    Free cumulants add: :math:`\kappa_n = q^{n-1}\sigma^{2n}` (free Poisson) plus :math:`v` at
    :math:`n = 2`. The moment–cumulant formula over non-crossing partitions is generated by
    :math:`M(z) = 1 + \sum_{n \ge 1} \kappa_n z^n M(z)^n`, :math:`M(z) = \sum_k m_k z^k`, so
    :math:`m_k = \sum_{n=1}^{k} \kappa_n [z^{k-n}] M(z)^n`.

    Parameters
    ----------
    k : int
        Order, ``k >= 0``.
    {parameters}

    Returns
    -------
    float
    """
    law = _law(ratio, noise_variance, variance)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
        raise ValueError(f"k={k!r} is out of range: must be an integer >= 0")
    n = np.arange(1, k + 1)
    cumulants = law.ratio ** (n - 1.0) * law.variance ** n
    if k >= 2:
        cumulants[1] += law.noise_variance
    moments = np.zeros(k + 1)
    moments[0] = 1.0
    for j in range(1, k + 1):
        power = np.ones(1)  # M(z)^0, truncated to degree j - 1 (only m_0..m_{j-1} enter)
        for order in range(1, j + 1):
            power = np.convolve(power, moments[:j])[:j]
            moments[j] += cumulants[order - 1] * power[j - order]
    return float(moments[k])


@_doc
def mp_semicircle_integral(f: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
                           ratio: float, noise_variance: float, variance: float = 1.0,
                           n_nodes: int = 128) -> float:
    r"""Integral :math:`\int f(x, \rho(x), h(x))\,dx` over the support of the continuous part.

    Gauss–Legendre in the angle (:func:`theory._quadrature.support_nodes`) on each support
    interval, cut geometrically towards branch points of :math:`G` close to it. Examples:
    ``f = lambda x, rho, h: rho`` gives the continuous mass; ``lambda x, rho, h: rho ** 3``
    gives :math:`\int\rho^3`.

    Parameters
    ----------
    f : callable
        Vectorised ``f(x, rho, h)`` of three arrays of equal shape.
    {parameters}
    n_nodes : int
        Nodes per piece; the default reaches about 1e-12 relative accuracy across the domain
        (tested against adaptive and mpmath quadrature).

    Returns
    -------
    float
    """
    law = _law(ratio, noise_variance, variance)
    if isinstance(n_nodes, bool) or not isinstance(n_nodes, (int, np.integer)) or n_nodes < 1:
        raise ValueError(f"n_nodes={n_nodes!r} is out of range: must be an integer >= 1")
    x, w = support_nodes(_support(law).pieces.ravel(), n_nodes)
    g = _interior_value(x, law)
    return float(np.dot(w, f(x, -g.imag / np.pi, g.real)))


# --------------------------------------------------------------------------- distribution

@dataclass(frozen=True)
class _PieceCdf:
    """Cumulative mass on one piece ``[lo, hi]`` as a Chebyshev series in ``t ∈ [-1, 1]``.

    ``x = lo + (hi - lo) sin²(θ/2)`` with ``θ = π(t + 1)/2``: the integrand
    ``ρ(x) dx/dt`` is smooth in ``t`` (square-root edges), so its interpolant converges
    geometrically and integrates exactly.
    """

    lo: float
    hi: float
    before: float            # mass to the left of the piece (atom included)
    mass: float              # mass of the piece
    density: np.ndarray      # Chebyshev coefficients of ρ(x(t)) dx/dt
    cumulative: np.ndarray   # its antiderivative, zero at t = -1
    table: np.ndarray        # cumulative on a uniform grid of t, for starting the inversion

    def x(self, t):
        return self.lo + (self.hi - self.lo) * np.sin(0.25 * np.pi * (t + 1.0)) ** 2

    def t(self, x):
        x = np.asarray(x)
        theta = 2.0 * np.arctan2(np.sqrt(np.maximum(x - self.lo, 0.0)), np.sqrt(np.maximum(self.hi - x, 0.0)))
        return 2.0 * theta / np.pi - 1.0


def _piece_cdf(law: _Law, lo: float, hi: float, before: float) -> _PieceCdf:
    def integrand(t):
        theta = 0.5 * np.pi * (t + 1.0)
        x = lo + (hi - lo) * np.sin(0.5 * theta) ** 2  # = lo + (hi - lo)(1 - cos θ)/2, no cancellation
        return -_interior_value(x, law).imag / np.pi * 0.25 * np.pi * (hi - lo) * np.sin(theta)

    degree = 32
    while True:  # double until the upper half of the spectrum is at the rounding plateau
        coef = chebyshev.chebinterpolate(integrand, degree)
        size = np.abs(coef)
        if np.max(size[degree // 2:]) <= 1e-13 * np.max(size) or degree >= 8192:
            break
        degree *= 2
    coef = coef[: np.flatnonzero(size > 1e-16 * np.max(size))[-1] + 1]
    cumulative = chebyshev.chebint(coef, lbnd=-1)
    table = np.maximum.accumulate(chebyshev.chebval(np.linspace(-1.0, 1.0, 2 * coef.size + 1), cumulative))
    return _PieceCdf(lo, hi, before, float(table[-1]), coef, cumulative, table)


@functools.lru_cache(maxsize=64)
def _cdf_pieces(law: _Law) -> tuple[_PieceCdf, ...]:
    pieces, before = [], _support(law).atom
    for lo, hi in _support(law).pieces:
        piece = _piece_cdf(law, lo, hi, before)
        pieces.append(piece)
        before += piece.mass
    return tuple(pieces)


@_doc
def mp_semicircle_cdf(x, ratio: float, noise_variance: float, variance: float = 1.0):
    r"""Distribution function :math:`F(x) = \mu((-\infty, x])` of MP ⊞ SC (atom included).

    Spectrally accurate (about 1e-13): per support piece, a Chebyshev series in the angle
    variable of the density, integrated term by term.

    Parameters
    ----------
    x : array_like
        Real points.
    {parameters}

    Returns
    -------
    float or ndarray
    """
    law = _law(ratio, noise_variance, variance)
    check_finite("x", x)
    x = np.asarray(x, dtype=float)
    out = np.where(x >= 0.0, _support(law).atom, 0.0)
    for piece in _cdf_pieces(law):
        right = x >= piece.hi
        out = np.where(right, piece.before + piece.mass, out)
        within = (x > piece.lo) & ~right
        out[within] = piece.before + chebyshev.chebval(piece.t(x[within]), piece.cumulative)
    return _as_output(np.clip(out, 0.0, 1.0))


@_doc
def mp_semicircle_quantile(p, ratio: float, noise_variance: float, variance: float = 1.0):
    r"""Quantile function :math:`Q(p) = \inf\{x : F(x) \ge p\}` of MP ⊞ SC.

    Inverts the Chebyshev representation of :func:`mp_semicircle_cdf` by Newton's method
    safeguarded with bisection in the angle variable, to about 1e-13 in ``x``. ``Q(0)`` and
    ``Q(1)`` are the ends of the support; probabilities inside the atom map to 0.

    Parameters
    ----------
    p : array_like
        Probabilities in [0, 1].
    {parameters}

    Returns
    -------
    float or ndarray
    """
    law = _law(ratio, noise_variance, variance)
    check_interval("p", p, 0.0, 1.0)
    p = np.asarray(p, dtype=float)
    pieces = _cdf_pieces(law)
    out = np.zeros(p.shape) if _support(law).atom > 0 else np.full(p.shape, pieces[0].lo)
    for piece in pieces:
        target = p - piece.before
        within = (target > 0.0) & (target <= piece.mass)
        out[target > piece.mass] = piece.hi
        out[within] = piece.x(_invert(piece, target[within]))
    out[p == 1.0] = pieces[-1].hi  # not left to the rounding of the total mass
    return _as_output(out)


def _invert(piece: _PieceCdf, target: np.ndarray, max_iter: int = 200) -> np.ndarray:
    """``t`` with ``cumulative(t) = target``: Newton kept inside a shrinking bracket."""
    grid = np.linspace(-1.0, 1.0, piece.table.size)
    cell = np.clip(np.searchsorted(piece.table, target) - 1, 0, grid.size - 2)
    lo, hi = grid[cell], grid[cell + 1]
    t = np.interp(target, piece.table, grid)
    tol = 1e-14 * (piece.hi - piece.lo)
    active = np.ones(target.shape, dtype=bool)
    for _ in range(max_iter):
        if not active.any():
            break
        ta = t[active]
        residual = chebyshev.chebval(ta, piece.cumulative) - target[active]
        slope = chebyshev.chebval(ta, piece.density)
        below = residual < 0
        lo[active] = np.where(below, ta, lo[active])
        hi[active] = np.where(below, hi[active], ta)
        step = np.divide(residual, slope, out=np.full(ta.shape, np.inf), where=slope > 0)
        new = ta - step
        bisect = ~((new >= lo[active]) & (new <= hi[active]))
        new = np.where(bisect, 0.5 * (lo[active] + hi[active]), new)
        t[active] = new
        moved = np.abs(piece.x(new) - piece.x(ta))
        active[np.flatnonzero(active)[moved <= tol]] = False
    return t
