"""MP ⊞ semicircle: the fast paths against independent high-precision and analytic routes.

Oracles: mpmath ``polyroots`` of the cubic as printed in the paper/notes (in G, not in the
code's u = 1/G) with ``quad``; the discriminant quartic expanded by sympy; the critical
points of z(g) = R(g) + 1/g; Pastur's subordination equation; free cumulants summed over
non-crossing partitions; the MP and semicircle limits.
"""

import functools
import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from sympy.utilities.iterables import multiset_partitions

from tests.argument_validation import invalid_call_test, rejects
from theory.free_convolution import (
    mp_semicircle_cdf,
    mp_semicircle_density,
    mp_semicircle_edges,
    mp_semicircle_hilbert,
    mp_semicircle_integral,
    mp_semicircle_moment,
    mp_semicircle_quantile,
    mp_semicircle_stieltjes,
    mp_semicircle_stieltjes_roots,
)

DPS = 40

# (ratio, noise_variance, variance): one and two intervals, hard edge, near the merge, S*-scale
CASES = [
    (0.5, 1.0, 1.0),
    (2.0, 0.01, math.sqrt(0.5)),   # κ = 0.5, s = 0.01: two intervals (notes §4)
    (4.0, 0.26, 0.5),              # κ = 0.25 just above the merge (slow plain quadrature)
    (4.0, 0.2, 0.5),               # κ = 0.25 just below the merge: a tiny gap
    (1.0, 1e-6, 1.0),              # hard edge smoothed at a small scale
    (10.0, 0.3, 2.0),
    (0.1, 5.0, 0.3),
]


# --------------------------------------------------------------------------- mpmath oracle

def cubic(x, q, v, s2):
    """Coefficients of q σ² v G³ − (q σ² x + v) G² + (x − σ²(1 − q)) G − 1 (highest first)."""
    q, v, s2 = mp.mpf(q), mp.mpf(v), mp.mpf(s2)
    coefficients = [q * s2 * v, -(q * s2 * x + v), x - s2 * (1 - q), mp.mpf(-1)]
    return coefficients[1:] if v == 0 else coefficients


def oracle_roots(x, q, v, s2):
    with mp.workdps(DPS):
        return mp.polyroots(cubic(mp.mpmathify(x), q, v, s2), maxsteps=400, extraprec=400)


def oracle_density(x, q, v, s2):
    with mp.workdps(DPS):
        return max(mp.mpf(0), -min(mp.im(g) for g in oracle_roots(x, q, v, s2))) / mp.pi


@functools.cache
def discriminant_quartic():
    """Disc of the cubic in G as a polynomial in x: coefficients as functions of (q, v, σ²)."""
    x, q, v, s2, g = sp.symbols("x q v s2 g")
    disc = sp.discriminant(q * s2 * v * g**3 - (q * s2 * x + v) * g**2 + (x - s2 * (1 - q)) * g - 1, g)
    return sp.lambdify((q, v, s2), sp.Poly(sp.expand(disc), x).all_coeffs(), "mpmath")


@functools.cache
def critical_quartic():
    """z'(g) = 0 cleared of denominators (notes): q σ⁴ g² + v g² (1 − q σ² g)² − (1 − q σ² g)²."""
    g, q, v, s2 = sp.symbols("g q v s2")
    poly = q * s2**2 * g**2 + v * g**2 * (1 - q * s2 * g) ** 2 - (1 - q * s2 * g) ** 2
    return sp.lambdify((q, v, s2), sp.Poly(sp.expand(poly), g).all_coeffs(), "mpmath")


def real_roots(coefficients):
    roots = mp.polyroots(coefficients, maxsteps=400, extraprec=400)
    return sorted(mp.re(r) for r in roots if abs(mp.im(r)) < mp.mpf(10) ** (-DPS // 2))


def edges_from_discriminant(q, v, s2):
    """Real zeros of Disc(x), keeping the gaps with Disc < 0 (a complex pair) between them."""
    with mp.workdps(DPS):
        coefficients = discriminant_quartic()(mp.mpf(q), mp.mpf(v), mp.mpf(s2))
        roots = real_roots(coefficients)
        inside = [mp.polyval(coefficients, (a + b) / 2) < 0 for a, b in zip(roots[:-1], roots[1:])]
        return [float(r) for i, r in enumerate(roots)
                if (i < len(inside) and inside[i]) != (i > 0 and inside[i - 1])]


def edges_from_critical_points(q, v, s2):
    """Critical values z(g*) of the inverse z(g) = σ²/(1 − qσ²g) + v g + 1/g at real g*."""
    with mp.workdps(DPS):
        q_, v_, s2_ = mp.mpf(q), mp.mpf(v), mp.mpf(s2)
        roots = real_roots(critical_quartic()(q_, v_, s2_))
        return sorted(float(s2_ / (1 - q_ * s2_ * g) + v_ * g + 1 / g) for g in roots)


def float_density(x, q, v, s2):
    """The same cubic in double precision with numpy's companion-matrix roots (for scipy quad)."""
    roots = np.roots([float(c) for c in cubic(mp.mpf(x), q, v, s2)])
    return max(0.0, -roots.imag.min()) / np.pi


def breakpoints(q, v, s2):
    """Edges and real parts of the complex zeros of the discriminant (branch points of G)."""
    with mp.workdps(DPS):
        roots = mp.polyroots(discriminant_quartic()(mp.mpf(q), mp.mpf(v), mp.mpf(s2)), maxsteps=400, extraprec=400)
        return sorted(float(mp.re(r)) for r in roots)


def adaptive_integral(f, lo, hi, q, v, s2):
    """scipy's adaptive quad of f(ρ(y)) on [lo, hi], cut at the branch points of G."""
    from scipy.integrate import quad

    cuts = [lo, *(c for c in breakpoints(q, v, s2) if lo < c < hi), hi]
    return sum(quad(lambda y: f(float_density(y, q, v, s2)), a, b, epsabs=1e-15, epsrel=1e-13, limit=400)[0]
               for a, b in zip(cuts[:-1], cuts[1:]))


def mp_marchenko_pastur_density(x, q, s2):
    lo, hi = s2 * (1 - math.sqrt(q)) ** 2, s2 * (1 + math.sqrt(q)) ** 2
    inside = (x > lo) & (x < hi)
    return np.where(inside, np.sqrt(np.abs((hi - x) * (x - lo))) / (2 * np.pi * q * s2 * np.where(x == 0, 1, x)), 0)


def marchenko_pastur_stieltjes(w, q, s2):
    """Physical MP Stieltjes transform, product of principal square roots (notes §3)."""
    lo, hi = s2 * (1 - np.sqrt(q)) ** 2, s2 * (1 + np.sqrt(q)) ** 2
    return (w - s2 * (1 - q) - np.sqrt(w - lo) * np.sqrt(w - hi)) / (2 * q * s2 * w)


# --------------------------------------------------------------------------- roots and density

@pytest.mark.parametrize("q, v, s2", CASES + [(2.0, 0.0, 1.0), (0.5, 0.0, 2.0)])
def test_roots_match_mpmath_polyroots(q, v, s2):
    edges = mp_semicircle_edges(q, v, s2)
    x = np.concatenate([np.linspace(edges[0] - 1, edges[-1] + 1, 9), [0.3 + 0.2j, -1 + 1e-3j]])
    roots = mp_semicircle_stieltjes_roots(x, q, v, s2)
    assert roots.shape == (x.size, 3)
    for point, mine in zip(x, roots):
        reference = [complex(r) for r in oracle_roots(point, q, v, s2)]
        if v == 0:
            assert np.isinf(mine).sum() == 1  # the root at infinity of the degenerate cubic
            mine = mine[np.isfinite(mine)]
        for r in reference:
            assert min(abs(mine - r)) <= 1e-12 * max(1.0, abs(r))


@pytest.mark.parametrize("q, v, s2", CASES)
def test_density_matches_mpmath(q, v, s2):
    edges = mp_semicircle_edges(q, v, s2)
    x = np.linspace(edges[0] - 0.1, edges[-1] + 0.1, 41)
    mine = mp_semicircle_density(x, q, v, s2)
    reference = np.array([float(oracle_density(t, q, v, s2)) for t in x])
    np.testing.assert_allclose(mine, reference, rtol=1e-11, atol=1e-13 * reference.max())


@pytest.mark.parametrize("q, s2", [(0.3, 1.0), (1.0, 1.0), (2.5, 0.7)])
def test_noiseless_density_is_marchenko_pastur(q, s2):
    x = np.linspace(-1, 2 * s2 * (1 + math.sqrt(q)) ** 2, 301)
    np.testing.assert_allclose(mp_semicircle_density(x, q, 0.0, s2), mp_marchenko_pastur_density(x, q, s2),
                               rtol=1e-12, atol=1e-14)
    # and it is the v -> 0 limit, at an O(sqrt v) rate away from the edges
    bulk = x[(x > s2 * (1 - math.sqrt(q)) ** 2 + 0.05) & (x < s2 * (1 + math.sqrt(q)) ** 2 - 0.05)]
    np.testing.assert_allclose(mp_semicircle_density(bulk, q, 1e-10, s2), mp_marchenko_pastur_density(bulk, q, s2),
                               rtol=1e-4)


def test_small_variance_gives_the_semicircle():
    v, s2 = 0.7, 1e-9  # MP part: mean 1e-9, variance 1e-18: the semicircle moved by 1e-9
    x = np.linspace(-2, 2, 201) * math.sqrt(v)
    semicircle = np.sqrt(np.maximum(4 * v - (x - s2) ** 2, 0)) / (2 * np.pi * v)
    np.testing.assert_allclose(mp_semicircle_density(x, 1.0, v, s2), semicircle, atol=1e-8)
    np.testing.assert_allclose(mp_semicircle_edges(1.0, v, s2), s2 + 2 * math.sqrt(v) * np.array([-1, 1]), atol=1e-12)


# --------------------------------------------------------------------------- edges

def test_edges_reference_values():
    """κ = 0.5, s = 0.01 in the S*-scale (notes §4): ratio 1/κ, variance √κ."""
    edges = mp_semicircle_edges(2.0, 0.01, math.sqrt(0.5))
    np.testing.assert_allclose(edges, [-0.147389, 0.132199, 0.146510, 4.125462], atol=5e-7)


@pytest.mark.parametrize("q, v, s2", CASES)
def test_edges_two_independent_routes(q, v, s2):
    mine = mp_semicircle_edges(q, v, s2)
    by_discriminant = edges_from_discriminant(q, v, s2)
    by_critical_points = edges_from_critical_points(q, v, s2)
    np.testing.assert_allclose(by_discriminant, by_critical_points, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(mine, by_discriminant, rtol=1e-10, atol=1e-10)
    # the density changes sign exactly there
    delta = 1e-6 * (mine[-1] - mine[0])
    assert np.all(mp_semicircle_density(mine[0::2] + delta, q, v, s2) > 0)
    assert np.all(mp_semicircle_density(mine[1::2] - delta, q, v, s2) > 0)
    assert np.all(mp_semicircle_density(mine[0::2] - delta, q, v, s2) == 0)
    assert np.all(mp_semicircle_density(mine[1::2] + delta, q, v, s2) == 0)


@pytest.mark.parametrize("kappa, merge", [(0.5, 0.0176), (0.25, 0.203), (0.1, 1.54)])
def test_intervals_merge_where_the_notes_say(kappa, merge):
    below = mp_semicircle_edges(1 / kappa, 0.98 * merge, math.sqrt(kappa))
    above = mp_semicircle_edges(1 / kappa, 1.02 * merge, math.sqrt(kappa))
    assert below.size == 4 and above.size == 2


def test_noiseless_edges_are_marchenko_pastur():
    np.testing.assert_allclose(mp_semicircle_edges(2.0, 0.0, 0.5), 0.5 * (1 + np.array([-1, 1]) * math.sqrt(2)) ** 2)
    np.testing.assert_array_equal(mp_semicircle_edges(1.0, 0.0, 1.0), [0.0, 4.0])


# --------------------------------------------------------------------------- Stieltjes and Hilbert

@pytest.mark.parametrize("q, v, s2", CASES + [(2.0, 0.0, 1.0)])
def test_subordination(q, v, s2):
    """Pastur: G(z) = G_MP(z − v G(z)); iterated from G = 1/z in the upper half plane."""
    edges = mp_semicircle_edges(q, v, s2)
    z = np.linspace(edges[0] - 0.5, edges[-1] + 0.5, 13) + 0.3j
    g = 1 / z
    for _ in range(2000):
        g = 0.5 * g + 0.5 * marchenko_pastur_stieltjes(z - v * g, q, s2)
    np.testing.assert_allclose(mp_semicircle_stieltjes(z, q, v, s2), g, rtol=1e-10)
    np.testing.assert_allclose(mp_semicircle_stieltjes(z.conj(), q, v, s2), g.conj(), rtol=1e-10)


@pytest.mark.parametrize("q, v, s2", CASES)
def test_boundary_values(q, v, s2):
    """−Im G(x + iη)/π → ρ(x) and Re G(x + iη) → h(x) as η → 0, inside and outside the support."""
    edges = mp_semicircle_edges(q, v, s2)
    x = np.linspace(edges[0] - 1, edges[-1] + 1, 57)
    x = x[np.min(np.abs(x[:, None] - edges), axis=1) > 1e-2]
    g = mp_semicircle_stieltjes(x + 1e-11j, q, v, s2)
    np.testing.assert_allclose(-g.imag / np.pi, mp_semicircle_density(x, q, v, s2), atol=1e-8)
    np.testing.assert_allclose(g.real, mp_semicircle_hilbert(x, q, v, s2), rtol=1e-8, atol=1e-8)


def test_stieltjes_at_infinity_and_sign():
    z = np.array([1e6j, 1e6 + 1j, -1e6 + 1j])
    g = mp_semicircle_stieltjes(z, 2.0, 0.5)
    np.testing.assert_allclose(g * z, 1.0, rtol=1e-5)
    z = np.random.default_rng(0).normal(size=200) * 3 + 1j * np.exp(np.random.default_rng(1).normal(size=200))
    assert np.all(mp_semicircle_stieltjes(z, 2.0, 0.01, 0.7).imag < 0)


@pytest.mark.parametrize("q, v, s2", CASES)
def test_hilbert_off_support_is_the_cauchy_integral(q, v, s2):
    """Outside the support h(x) = ∫ρ(y)/(x − y) dy (no singularity): the physical real root."""
    edges = mp_semicircle_edges(q, v, s2)
    gaps = [(edges[0] - 3, edges[0])] + [tuple(edges[1:3])] * (edges.size == 4) + [(edges[-1], edges[-1] + 3)]
    for lo, hi in gaps:
        margin = 0.05 * (hi - lo)
        x = np.linspace(lo + margin, hi - margin, 7)
        h = mp_semicircle_hilbert(x, q, v, s2)
        cauchy = [mp_semicircle_integral(lambda y, rho, _h, t=t: rho / (t - y), q, v, s2, n_nodes=400) for t in x]
        np.testing.assert_allclose(h, cauchy, rtol=1e-9, atol=1e-10)
        assert np.all(np.diff(h) < 0)  # G decreases on every gap
    far = np.array([-1e7, 1e7])
    np.testing.assert_allclose(mp_semicircle_hilbert(far, q, v, s2) * far, 1.0, rtol=1e-5)


@pytest.mark.parametrize("q, v, s2", CASES)
def test_hilbert_cube_identity(q, v, s2):
    """∫ρ h² = (π²/3) ∫ρ³ for any density (the two forms of the denoising MMSE)."""
    rho_h2 = mp_semicircle_integral(lambda x, rho, h: rho * h * h, q, v, s2)
    rho3 = mp_semicircle_integral(lambda x, rho, h: rho**3, q, v, s2)
    assert rho_h2 == pytest.approx(math.pi**2 / 3 * rho3, rel=1e-10)


# --------------------------------------------------------------------------- integrals and moments

@pytest.mark.parametrize("q, v, s2", CASES + [(2.0, 0.0, 1.0), (0.5, 0.0, 1.0), (1.0, 0.0, 1.0)])
def test_mass_mean_variance(q, v, s2):
    mass = mp_semicircle_integral(lambda x, rho, h: rho, q, v, s2)
    mean = mp_semicircle_integral(lambda x, rho, h: x * rho, q, v, s2)
    second = mp_semicircle_integral(lambda x, rho, h: x * x * rho, q, v, s2)
    assert mass == pytest.approx(1.0 if v > 0 else min(1.0, 1 / q), abs=1e-12)
    assert mean == pytest.approx(s2, rel=1e-12)
    assert second - s2**2 == pytest.approx(q * s2**2 + v, rel=1e-11)


@pytest.mark.parametrize("q, v, s2", [(4.0, 0.26, 0.5), (4.0, 0.2035, 0.5), (4.0, 0.2, 0.5),
                                      (2.0, 0.018, math.sqrt(0.5)), (0.5, 0.3, 1.0)])
def test_cube_integral_against_adaptive_quadrature(q, v, s2):
    """The slow cases of the notes (just above/below the merge): 1e-12 anyway."""
    mine = mp_semicircle_integral(lambda x, rho, h: rho**3, q, v, s2)
    edges = mp_semicircle_edges(q, v, s2)
    reference = sum(adaptive_integral(lambda r: r**3, lo, hi, q, v, s2) for lo, hi in edges.reshape(-1, 2))
    assert mine == pytest.approx(reference, rel=1e-12)


@pytest.mark.parametrize("q, v, s2", [(1.0, 1e-8, 1.0), (0.99, 1e-7, 1.0), (1.01, 1e-9, 1.0), (4.0, 1e-9, 0.5)])
def test_hard_edge_and_tiny_bump_quadrature(q, v, s2):
    """Near a hard edge (ratio ≈ 1) or a bump of width ~1e-4: graded pieces keep 1e-12."""
    identities = {lambda x, rho, h: rho: 1.0, lambda x, rho, h: x * rho: s2,
                  lambda x, rho, h: x * x * rho: s2**2 * (1 + q) + v}
    for f, value in identities.items():
        assert mp_semicircle_integral(f, q, v, s2) == pytest.approx(value, rel=1e-12)
    cube = mp_semicircle_integral(lambda x, rho, h: rho**3, q, v, s2)
    assert cube == pytest.approx(mp_semicircle_integral(lambda x, rho, h: rho**3, q, v, s2, n_nodes=1024), rel=1e-12)


def test_moments_against_mpmath_quadrature():
    q, v, s2 = 0.5, 1.0, 1.0
    lo, hi = mp_semicircle_edges(q, v, s2)
    with mp.workdps(20):
        for k in (0, 3):
            reference = mp.quad(lambda t: t**k * oracle_density(t, q, v, s2), [lo, hi])
            assert mp_semicircle_integral(lambda x, rho, h: x**k * rho, q, v, s2) == pytest.approx(float(reference),
                                                                                                 rel=1e-13)


def noncrossing_moment(k, cumulants):
    """m_k = Σ over non-crossing partitions π of [k] of Π_{B∈π} κ_{|B|}."""
    def crossing(blocks):
        return any(a < b < c < d for p in blocks for r in blocks if p is not r
                   for a in p for c in p for b in r for d in r)
    return sum(math.prod(cumulants[len(b)] for b in blocks)
               for blocks in multiset_partitions(list(range(k))) if not crossing(blocks))


@pytest.mark.parametrize("q, v, s2", [(0.5, 0.3, 1.0), (2.0, 0.01, 0.7), (3.0, 0.0, 1.3)])
def test_moments_from_free_cumulants(q, v, s2):
    q_, v_, s2_ = sp.Rational(str(q)), sp.Rational(str(v)), sp.Rational(str(s2))
    cumulants = {n: q_ ** (n - 1) * s2_**n + (v_ if n == 2 else 0) for n in range(1, 8)}
    for k in range(8):
        assert mp_semicircle_moment(k, q, v, s2) == pytest.approx(float(noncrossing_moment(k, cumulants)), rel=1e-13)
    # the notes' explicit low-order formulas
    c1, c2, c3, c4 = (float(cumulants[n]) for n in range(1, 5))
    assert mp_semicircle_moment(4, q, v, s2) == pytest.approx(c4 + 4 * c1 * c3 + 2 * c2**2 + 6 * c1**2 * c2 + c1**4)


def test_moments_narayana_and_catalan():
    q, s2 = 0.7, 1.1
    for k in range(1, 9):
        narayana = sum(math.comb(k, j) * math.comb(k, j - 1) // k * q ** (j - 1) for j in range(1, k + 1))
        assert mp_semicircle_moment(k, q, 0.0, s2) == pytest.approx(s2**k * narayana, rel=1e-13)
    v = 0.4  # semicircle alone: variance -> 0 of the MP part leaves Catalan numbers
    for k in range(0, 10, 2):
        catalan = math.comb(k, k // 2) // (k // 2 + 1)
        assert mp_semicircle_moment(k, 1.0, v, 1e-12) == pytest.approx(catalan * v ** (k // 2), rel=1e-9)


@pytest.mark.parametrize("q, v, s2", CASES + [(2.0, 0.0, 1.0)])
def test_moments_match_the_density(q, v, s2):
    for k in range(1, 7):
        quadrature = mp_semicircle_integral(lambda x, rho, h: x**k * rho, q, v, s2)
        assert quadrature == pytest.approx(mp_semicircle_moment(k, q, v, s2), rel=1e-11)


# --------------------------------------------------------------------------- distribution

@pytest.mark.parametrize("q, v, s2", [(2.0, 0.01, math.sqrt(0.5)), (4.0, 0.2035, 0.5), (0.5, 1.0, 1.0)])
def test_cdf_against_adaptive_quadrature(q, v, s2):
    edges = mp_semicircle_edges(q, v, s2)
    x = np.array([edges[0] + 0.3 * (edges[1] - edges[0]), 0.5 * (edges[0] + edges[-1]), edges[-1] - 0.01])
    reference = [sum(adaptive_integral(lambda r: r, lo, min(hi, t), q, v, s2)
                     for lo, hi in edges.reshape(-1, 2) if lo < t) for t in x]
    np.testing.assert_allclose(mp_semicircle_cdf(x, q, v, s2), reference, atol=1e-12)
    assert mp_semicircle_cdf(edges[0] - 1e-9, q, v, s2) == 0.0
    assert mp_semicircle_cdf(edges[-1], q, v, s2) == pytest.approx(1.0, abs=1e-13)


@pytest.mark.parametrize("q, v, s2", CASES)
def test_quantile_inverts_cdf(q, v, s2):
    p = np.linspace(0, 1, 201)
    x = mp_semicircle_quantile(p, q, v, s2)
    np.testing.assert_allclose(mp_semicircle_cdf(x, q, v, s2), p, atol=1e-12)
    assert np.all(np.diff(x) >= 0)
    edges = mp_semicircle_edges(q, v, s2)
    assert x[0] == edges[0] and x[-1] == edges[-1]
    assert mp_semicircle_quantile(0.25, q, v, s2) == pytest.approx(x[50], abs=1e-15)


def test_quantile_with_an_atom():
    q = 2.0  # noiseless: mass 1/2 at 0, then the MP bulk
    p = np.array([0.0, 0.2, 0.5, 0.5 + 1e-9, 0.75, 1.0])
    x = mp_semicircle_quantile(p, q, 0.0)
    assert np.all(x[:3] == 0.0) and x[3] > (1 - math.sqrt(2)) ** 2 - 1e-12
    assert mp_semicircle_cdf(0.0, q, 0.0) == pytest.approx(0.5, abs=1e-15)
    assert mp_semicircle_cdf(-1e-12, q, 0.0) == 0.0
    np.testing.assert_allclose(mp_semicircle_cdf(x[3:], q, 0.0), p[3:], atol=1e-12)


# Properties over the whole domain (finite, non-negative, normalised, moments, edges, the
# physical root) are the generic law tests of tests/theory/test_spectral_laws.py.


# --------------------------------------------------------------------------- validation

LAW = {"ratio": 2.0, "noise_variance": 0.1, "variance": 1.0}
BAD_LAWS = [("ratio", 0.0), ("ratio", -1.0), ("ratio", 1e-13), ("ratio", 1e9), ("ratio", np.nan),
            ("noise_variance", -0.1), ("noise_variance", np.inf), ("noise_variance", 1e300),
            ("variance", 0.0), ("variance", np.nan), ("variance", 1e-40), ("variance", 1e300)]
CALLS = [(mp_semicircle_stieltjes_roots, 0.5), (mp_semicircle_stieltjes, 0.5 + 1j), (mp_semicircle_density, 0.5),
         (mp_semicircle_hilbert, 0.5), (mp_semicircle_edges,), (mp_semicircle_moment, 3),
         (mp_semicircle_integral, lambda x, r, h: r), (mp_semicircle_cdf, 0.5), (mp_semicircle_quantile, 0.5)]

test_invalid_calls = invalid_call_test(
    *(rejects(f"{name}=", *call, **{**LAW, name: value}) for call in CALLS for name, value in BAD_LAWS),
    rejects("x=", mp_semicircle_density, [0.1, np.nan], **LAW),
    rejects("x=", mp_semicircle_hilbert, np.nan, **LAW),
    rejects("x='a'", mp_semicircle_cdf, "a", **LAW),
    rejects("x=", mp_semicircle_stieltjes_roots, np.nan + 1j, **LAW),
    rejects("z=", mp_semicircle_stieltjes, np.array([1j, np.inf]), **LAW),
    rejects("p=1.5", mp_semicircle_quantile, 1.5, **LAW),
    rejects("p=", mp_semicircle_quantile, [-0.1, 0.5], **LAW),
    rejects("k=-1", mp_semicircle_moment, -1, **LAW),
    rejects("k=2.0", mp_semicircle_moment, 2.0, **LAW),
    rejects("n_nodes=0", mp_semicircle_integral, lambda x, r, h: r, **LAW, n_nodes=0),
)


def test_the_domain_is_stated_in_the_error():
    """Issue 14: noise_variance = 1e300 raised LinAlgError; the domain is declared instead."""
    with pytest.raises(ValueError, match=r"^noise_variance=1e\+300 is out of range: must be in \[0\.0, 1e\+60\]$"):
        mp_semicircle_edges(2.0, 1e300)
