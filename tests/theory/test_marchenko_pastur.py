"""Marchenko–Pastur law (p×p Gram X Xᵀ/n, q = p/n): fast paths against independent routes."""

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.argument_validation import invalid_call_test, rejects
from theory.marchenko_pastur import (
    marchenko_pastur_atom,
    marchenko_pastur_cdf,
    marchenko_pastur_density,
    marchenko_pastur_edges,
    marchenko_pastur_moment,
    marchenko_pastur_quantile,
    marchenko_pastur_stieltjes,
)
from theory.semicircle import semicircle_cdf

# (ratio, variance): below, at and above the hard edge q = 1, and near it
CASES = [(0.25, 1.0), (0.7, 2.0), (1.0, 1.0), (1.0, 0.4), (1 - 1e-6, 1.0), (2.5, 1.0),
         (10.0, 0.3)]


@pytest.fixture(autouse=True)
def _mpmath_precision():
    """30 significant digits for the mpmath oracles, without touching the global setting."""
    with mp.workdps(30):
        yield


def mp_density(ratio, variance):
    lo, hi = (mp.mpf(e) for e in marchenko_pastur_edges(ratio, variance))
    q, s2 = mp.mpf(ratio), mp.mpf(variance)
    return lambda x: mp.sqrt(max((hi - x) * (x - lo), 0)) / (2 * mp.pi * s2 * q * x)


def mp_cdf(x, ratio, variance):
    """High-precision CDF: atom plus tanh-sinh quadrature of the density."""
    lo, hi = marchenko_pastur_edges(ratio, variance)
    atom = marchenko_pastur_atom(ratio) if x >= 0 else 0.0
    x = min(max(mp.mpf(x), lo), hi)
    return atom + (mp.quad(mp_density(ratio, variance), [lo, x]) if x > lo else 0)


# ---------------------------------------------------------------- textbook formulas

@pytest.mark.parametrize("ratio, variance", CASES)
def test_density_is_the_textbook_formula(ratio, variance):
    lo, hi = (variance * (1 - math.sqrt(ratio)) ** 2, variance * (1 + math.sqrt(ratio)) ** 2)
    assert marchenko_pastur_edges(ratio, variance) == pytest.approx((lo, hi), rel=1e-15, abs=1e-15)
    x = np.linspace(lo - 1, hi + 1, 500)
    x = x[(np.abs(x - lo) > 1e-9) & (np.abs(x - hi) > 1e-9)]   # ill-conditioned at the edges
    inside = (x > lo) & (x < hi)
    expected = np.zeros_like(x)
    expected[inside] = (np.sqrt((hi - x[inside]) * (x[inside] - lo))
                        / (2 * np.pi * variance * ratio * x[inside]))
    np.testing.assert_allclose(marchenko_pastur_density(x, ratio, variance), expected,
                               rtol=1e-12, atol=1e-14)


def test_hard_edge_and_atom():
    assert marchenko_pastur_edges(1.0, 3.0) == (0.0, 12.0)
    assert marchenko_pastur_density(0.0, 1.0) == np.inf
    assert marchenko_pastur_density([-1e-300, 0.0], 0.5).tolist() == [0.0, 0.0]
    assert marchenko_pastur_atom(0.5) == 0.0 and marchenko_pastur_atom(1.0) == 0.0
    assert marchenko_pastur_atom(4.0) == 0.75
    # the CDF jumps by the atom at 0 and is flat up to the lower edge
    lo, _ = marchenko_pastur_edges(4.0)
    f = marchenko_pastur_cdf([-1e-12, 0.0, 0.5 * lo, lo], 4.0)
    assert f.tolist() == [0.0, 0.75, 0.75, 0.75]


@pytest.mark.parametrize("ratio, variance", CASES)
def test_continuous_mass_is_min_one_inverse_ratio(ratio, variance):
    lo, hi = marchenko_pastur_edges(ratio, variance)
    mass = mp.quad(mp_density(ratio, variance), [lo, (lo + hi) / 2, hi])
    assert float(mass) == pytest.approx(min(1.0, 1.0 / ratio), rel=1e-12)
    assert marchenko_pastur_atom(ratio) + min(1.0, 1.0 / ratio) == pytest.approx(1.0, abs=1e-16)


# ---------------------------------------------------------------- moments

def test_narayana_closed_forms():
    for q in [0.3, 1.0, 3.0]:
        s2 = 1.7
        assert marchenko_pastur_moment(0, q, s2) == 1.0
        assert marchenko_pastur_moment(1, q, s2) == pytest.approx(s2)
        assert marchenko_pastur_moment(2, q, s2) == pytest.approx(s2 ** 2 * (1 + q), rel=1e-15)
        assert marchenko_pastur_moment(3, q, s2) == pytest.approx(s2 ** 3 * (1 + 3 * q + q * q),
                                                                  rel=1e-15)
        assert marchenko_pastur_moment(4, q, s2) == pytest.approx(
            s2 ** 4 * (1 + 6 * q + 6 * q ** 2 + q ** 3), rel=1e-15)


@pytest.mark.parametrize("ratio, variance", CASES)
def test_moments_match_mpmath_quadrature_atom_included(ratio, variance):
    lo, hi = marchenko_pastur_edges(ratio, variance)
    rho = mp_density(ratio, variance)
    for k in range(1, 8):   # the atom at 0 adds nothing for k >= 1
        reference = mp.quad(lambda x: x ** k * rho(x), [lo, (lo + hi) / 2, hi])
        assert marchenko_pastur_moment(k, ratio, variance) == pytest.approx(float(reference),
                                                                            rel=1e-12)


def test_moments_match_sympy_expansion_of_stieltjes_transform():
    """m_k are the coefficients of G(z) = Σ m_k z^{-k-1}, from the exact quadratic's root."""
    w, q = sp.symbols("w q", positive=True)
    # G(1/w) for σ² = 1: the root of q G²/w − (1/w − (1 − q)) G + 1 = 0 that behaves like w
    b = 1 - (1 - q) * w
    generating = (b - sp.sqrt(b ** 2 - 4 * q * w)) / (2 * q)
    series = sp.expand(sp.series(generating, w, 0, 10).removeO())
    for k in range(0, 9):
        coefficient = sp.expand(series.coeff(w, k + 1))
        for value in [sp.Rational(1, 3), sp.Integer(1), sp.Rational(7, 2)]:
            assert float(coefficient.subs(q, value)) == pytest.approx(
                marchenko_pastur_moment(k, float(value)), rel=1e-14)


# ---------------------------------------------------------------- CDF and quantile

@pytest.mark.parametrize("ratio, variance", CASES)
def test_cdf_matches_quadrature_of_density(ratio, variance):
    lo, hi = marchenko_pastur_edges(ratio, variance)
    offsets = np.array([1e-10, 1e-5, 1e-2, 0.3, 0.5])
    for x in np.concatenate([lo + offsets * (hi - lo), hi - offsets * (hi - lo)]):
        reference = mp_cdf(x, ratio, variance)
        value = marchenko_pastur_cdf(x, ratio, variance)
        tail = reference - marchenko_pastur_atom(ratio)   # relative accuracy in the lower tail
        assert value - marchenko_pastur_atom(ratio) == pytest.approx(float(tail), rel=1e-11)
        assert value == pytest.approx(float(reference), rel=1e-14, abs=1e-15)


@pytest.mark.parametrize("ratio, variance", CASES)
def test_quantile_inverts_cdf(ratio, variance):
    atom = marchenko_pastur_atom(ratio)
    lo, hi = marchenko_pastur_edges(ratio, variance)
    p = np.concatenate([[0.0, atom, atom + 1e-12], np.linspace(0, 1, 201), [1 - 1e-13, 1.0]])
    x = marchenko_pastur_quantile(p, ratio, variance)
    assert np.all(np.diff(x[np.argsort(p)]) >= 0)
    np.testing.assert_array_equal(x[(p <= atom) & (atom > 0)], 0.0)   # levels inside the atom
    assert x[p == 0][0] == (0.0 if atom > 0 else lo)                    # else Q(0) is the edge
    assert np.all((x[p > atom] >= lo) & (x[p > atom] <= hi))
    assert x[p == 1.0][0] == hi
    above = p > atom
    delta = 8 * np.finfo(float).eps * hi     # x cannot resolve p below its own rounding
    assert np.all(marchenko_pastur_cdf(x[above] - delta, ratio, variance) <= p[above] + 1e-15)
    assert np.all(marchenko_pastur_cdf(x[above] + delta, ratio, variance) >= p[above] - 1e-15)
    grid = lo + (hi - lo) * np.linspace(0.001, 0.999, 301)
    np.testing.assert_allclose(
        marchenko_pastur_quantile(marchenko_pastur_cdf(grid, ratio, variance), ratio, variance),
        grid, rtol=0, atol=1e-12 * hi)


def test_quantile_matches_mpmath_newton_step():
    """The mpmath Newton correction (F(x) − p)/ρ(x) at the returned x is below 1e-14.

    Above the median the mass is integrated from the upper edge: the density with
    float-rounded edges is normalised only to ~1e-16, which near p = 1 would dominate.
    """
    for ratio, variance in [(0.5, 1.0), (1.0, 1.0), (1 + 1e-6, 1.0), (3.0, 0.5)]:
        atom = marchenko_pastur_atom(ratio)
        hi = marchenko_pastur_edges(ratio, variance)[1]
        rho = mp_density(ratio, variance)
        for p in [atom + 1e-12, atom + 1e-6, 0.5 * (1 + atom), 1 - 1e-5, 1 - 1e-9]:
            x = float(marchenko_pastur_quantile(p, ratio, variance))
            if p <= 0.5 * (1 + atom):
                error = mp_cdf(x, ratio, variance) - p
            else:
                error = (1 - p) - mp.quad(rho, [x, hi])
            assert abs(error / rho(mp.mpf(x))) < 1e-14 * hi


@pytest.mark.parametrize("ratio", [0.2, 0.8, 1.0, 1.6, 7.0])
def test_p_by_p_and_n_by_n_grams_are_related_by_q_to_one_over_q(ratio):
    """X Xᵀ/n (law μ_q) and Xᵀ X/n (law of q·Y, Y ~ μ_{1/q}) share their nonzero spectrum:
    F_{1/q}(x/q) = q F_q(x) + (1 − q) 1{x ≥ 0}."""
    lo, hi = marchenko_pastur_edges(ratio, 1.3)
    x = np.linspace(-1, hi + 1, 403)
    np.testing.assert_allclose(marchenko_pastur_cdf(x / ratio, 1 / ratio, 1.3),
                               ratio * marchenko_pastur_cdf(x, ratio, 1.3) + (1 - ratio) * (x >= 0),
                               atol=1e-14)


def test_small_ratio_limit_is_a_semicircle():
    """(λ − σ²)/√q → semicircle of variance σ⁴ as q → 0, with O(√q) corrections."""
    ratio, variance = 1e-8, 1.5
    y = np.linspace(-2.5, 2.5, 101) * variance
    np.testing.assert_allclose(
        marchenko_pastur_cdf(variance + math.sqrt(ratio) * y, ratio, variance),
        semicircle_cdf(y, variance ** 2), atol=10 * math.sqrt(ratio))


# ---------------------------------------------------------------- Stieltjes transform

@pytest.mark.parametrize("ratio, variance", [(0.3, 1.0), (1.0, 0.5), (2.5, 1.3)])
def test_stieltjes_matches_quadrature_atom_included(ratio, variance):
    rng = np.random.default_rng(11)
    lo, hi = marchenko_pastur_edges(ratio, variance)
    z = np.concatenate([rng.uniform(-1, hi + 1, 10) + 1j * rng.choice([-1, 1], 10)
                        * rng.uniform(0.2, 3, 10), [hi + 0.5, -0.7, lo / 2 if lo > 0 else -0.2]])
    rho = mp_density(ratio, variance)
    atom = marchenko_pastur_atom(ratio)
    for point, value in zip(z, marchenko_pastur_stieltjes(z, ratio, variance)):
        zm = mp.mpc(point)
        reference = mp.quad(lambda x: rho(x) / (zm - x), mp.linspace(lo, hi, 9)) + atom / zm
        assert value == pytest.approx(complex(reference), rel=1e-12)


@pytest.mark.parametrize("ratio", [0.4, 1.0, 3.0])
def test_stieltjes_sign_asymptotics_root_and_boundary_value(ratio):
    variance = 0.8
    rng = np.random.default_rng(5)
    z = rng.normal(1, 3, 500) + 1j * np.abs(rng.normal(0, 3, 500)) + 1e-9j
    g = marchenko_pastur_stieltjes(z, ratio, variance)
    assert np.all(g.imag < 0)
    np.testing.assert_allclose(marchenko_pastur_stieltjes(np.conj(z), ratio, variance), np.conj(g),
                               rtol=1e-14)
    residual = ratio * variance * z * g ** 2 - (z - variance * (1 - ratio)) * g + 1
    np.testing.assert_allclose(residual, 0, atol=1e-12)
    big = np.array([1e8, -1e8, 1e8j, 3e7 - 4e7j])
    np.testing.assert_allclose(big * marchenko_pastur_stieltjes(big, ratio, variance), 1, rtol=1e-7)
    lo, hi = marchenko_pastur_edges(ratio, variance)
    x = np.linspace(lo + 1e-3, hi + 0.5, 60)
    density = marchenko_pastur_density(x, ratio, variance)
    near_axis = marchenko_pastur_stieltjes(x + 1e-10j, ratio, variance)
    np.testing.assert_allclose(-near_axis.imag / np.pi, density, atol=1e-7)
    np.testing.assert_allclose(-marchenko_pastur_stieltjes(x, ratio, variance).imag / np.pi,
                               density, atol=1e-14)


def test_stieltjes_pole_at_zero_carries_the_atom():
    eps = np.array([1e-9j, 1e-9, -1e-9, 1e-9 * (1 - 1j)])
    np.testing.assert_allclose(eps * marchenko_pastur_stieltjes(eps, 4.0), 0.75, rtol=1e-7)
    np.testing.assert_allclose(eps * marchenko_pastur_stieltjes(eps, 0.5), 0.0, atol=1e-8)


# ---------------------------------------------------------------- properties

ratios = st.one_of(st.just(1.0), st.floats(1e-3, 1e3))
variances = st.floats(1e-4, 1e4)


@given(ratios, variances, hnp.arrays(np.float64, st.integers(1, 40),
                                     elements=st.floats(-1e5, 1e5, allow_nan=False)))
def test_density_cdf_properties(ratio, variance, x):
    lo, hi = marchenko_pastur_edges(ratio, variance)
    assert 0 <= lo < hi
    rho = marchenko_pastur_density(x, ratio, variance)
    assert not np.any(np.isnan(rho)) and np.all(rho >= 0)
    assert np.all(np.isfinite(rho[x != 0]))
    cdf = marchenko_pastur_cdf(np.sort(x), ratio, variance)
    assert np.all((cdf >= 0) & (cdf <= 1)) and np.all(np.diff(cdf) >= 0)
    assert marchenko_pastur_cdf(hi, ratio, variance) == 1.0
    # Adaptive quadrature with break points at geometric distances from the lower edge: near
    # q = 1 the density is ~x^(-1/2) from λ₋ ≈ 0 up to ~λ₊, and neither a fixed Gauss–Legendre
    # rule (2.5e-6 off at q = 0.99999) nor plain adaptive quadrature (5e-6 off) resolves it.
    points = [p for p in lo * np.logspace(1, 12, 12) if lo < p < hi]
    mass = integrate.quad(lambda t: marchenko_pastur_density(t, ratio, variance), lo, hi,
                          points=points or None, epsrel=1e-12, limit=500)[0]
    assert mass + marchenko_pastur_atom(ratio) == pytest.approx(1.0, rel=1e-6)


@given(ratios, variances, hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(0, 1)))
def test_quantile_properties(ratio, variance, p):
    p = np.sort(p)
    x = marchenko_pastur_quantile(p, ratio, variance)
    assert np.all(np.isfinite(x)) and np.all(np.diff(x) >= 0)
    assert np.all((x == 0) | ((x >= marchenko_pastur_edges(ratio, variance)[0])
                              & (x <= marchenko_pastur_edges(ratio, variance)[1])))
    assert np.all(marchenko_pastur_cdf(x, ratio, variance) >= p - 1e-12)


# ---------------------------------------------------------------- invalid input

test_invalid_calls = invalid_call_test(
    rejects("ratio=0.0", marchenko_pastur_density, 1.0, 0.0),
    rejects("ratio=-0.5", marchenko_pastur_density, 1.0, -0.5),
    rejects("ratio=inf", marchenko_pastur_density, 1.0, np.inf),
    rejects("variance=0.0", marchenko_pastur_density, 1.0, 0.5, variance=0.0),
    rejects("x=nan", marchenko_pastur_density, np.nan, 0.5),
    rejects("x='a'", marchenko_pastur_density, "a", 0.5),
    rejects("ratio=0.0", marchenko_pastur_atom, 0.0),
    rejects("ratio=nan", marchenko_pastur_atom, np.nan),
    rejects("ratio=-1.0", marchenko_pastur_edges, -1.0),
    rejects("variance=-1.0", marchenko_pastur_edges, 1.0, variance=-1.0),
    rejects("ratio=", marchenko_pastur_edges, [1.0, 2.0]),
    rejects("ratio=0.0", marchenko_pastur_cdf, 1.0, 0.0),
    rejects("x=1j", marchenko_pastur_cdf, 1.0j, 0.5),
    rejects("variance=nan", marchenko_pastur_cdf, 1.0, 0.5, variance=np.nan),
    rejects("p=1.01", marchenko_pastur_quantile, 1.01, 0.5),
    rejects("p=", marchenko_pastur_quantile, [0.5, -1e-3], 0.5),
    rejects("ratio=-2.0", marchenko_pastur_quantile, 0.5, -2.0),
    rejects("variance=0.0", marchenko_pastur_quantile, 0.5, 2.0, variance=0.0),
    rejects("z=", marchenko_pastur_stieltjes, complex(np.inf, 0), 0.5),
    rejects("ratio=0.0", marchenko_pastur_stieltjes, 1j, 0.0),
    rejects("variance=-3.0", marchenko_pastur_stieltjes, 1j, 0.5, variance=-3.0),
    rejects("k=-2", marchenko_pastur_moment, -2, 0.5),
    rejects("k=2.0", marchenko_pastur_moment, 2.0, 0.5),
    rejects("ratio=0.0", marchenko_pastur_moment, 2, 0.0),
    rejects("variance=0.0", marchenko_pastur_moment, 2, 0.5, variance=0.0),
    # the domain's edges (issue 14: NaN densities at 5e-324 and 1e300)
    rejects("variance=5e-324 is out of range: must be in [1e-30, 1e+30]", marchenko_pastur_density, 1.0, 0.5,
            variance=5e-324),
    rejects("variance=1e+300", marchenko_pastur_density, 1.0, 0.5, variance=1e300),
    rejects("ratio=1e-13 is out of range: must be in [1e-12, 100000000.0]", marchenko_pastur_cdf, 1.0, 1e-13),
    rejects("ratio=1000000000.0", marchenko_pastur_edges, 1e9),
)
