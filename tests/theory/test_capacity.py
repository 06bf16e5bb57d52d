"""Cover's counting function and Gardner's capacity against exact sums, mpmath and limits."""

import math
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binom

from theory.capacity import (
    cover_separable_probability,
    gardner_capacity,
    gardner_margin,
    gardner_margin_integral,
)

from tests.argument_validation import invalid_call_test, rejects


@pytest.fixture(autouse=True)
def _mpmath_precision():
    with mp.workdps(40):
        yield


# ------------------------------------------------------------------------------ Cover

def cover_fraction(n_points: int, dim: int) -> Fraction:
    """Cover's count C(N, d)/2^N written as in the paper: 2 Σ_{k<d} C(N−1, k) / 2^N."""
    return Fraction(2 * sum(math.comb(n_points - 1, k) for k in range(dim)), 2 ** n_points)


@pytest.mark.parametrize("n_points, dim", [(1, 1), (2, 1), (3, 1), (7, 3), (15, 10), (20, 10),
                                           (30, 10), (150, 100), (300, 100), (600, 250),
                                           (999, 500), (1000, 3), (1200, 1199)])
def test_cover_is_the_exact_rational(n_points, dim):
    assert cover_separable_probability(n_points, dim) == float(cover_fraction(n_points, dim))


def test_cover_half_at_twice_the_dimension_and_one_below_it():
    dims = np.arange(1, 301)
    np.testing.assert_array_equal(cover_separable_probability(2 * dims, dims), 0.5)
    np.testing.assert_array_equal(cover_separable_probability(dims, dims), 1.0)
    assert cover_separable_probability(3, 10) == 1.0


def test_cover_matches_the_binomial_cdf():
    n = np.arange(1, 400)[:, None]
    d = np.array([1, 5, 25, 100])[None, :]
    got = cover_separable_probability(n, d)
    np.testing.assert_allclose(got, binom.cdf(d - 1, n - 1, 0.5), rtol=1e-12, atol=1e-300)


def test_cover_recursion_and_symmetry():
    """Cover's recursion C(N+1, d) = C(N, d) + C(N, d−1), i.e. P(N+1, d) = [P(N, d) + P(N, d−1)]/2,
    and P(N, d) + P(N, N − d) = 1 (binomial symmetry)."""
    n = np.arange(2, 120)[:, None]
    d = np.arange(2, 60)[None, :]
    halfway = 0.5 * (cover_separable_probability(n, d) + cover_separable_probability(n, d - 1))
    np.testing.assert_allclose(cover_separable_probability(n + 1, d), halfway, rtol=1e-13, atol=1e-300)
    nn = np.arange(2, 200)
    for dim in (1, 7, 40):
        keep = nn > dim
        np.testing.assert_allclose(cover_separable_probability(nn[keep], dim)
                                   + cover_separable_probability(nn[keep], nn[keep] - dim), 1.0, rtol=1e-14)


@pytest.mark.parametrize("dim", [1, 4, 10, 25])
def test_sequential_capacity_is_negative_binomial(dim):
    """N* (points separable before the first failure) has P(N* ≥ N) = P(N, d): E N* = 2d and
    Var N* = 2d (the d-th success of a fair coin), the moments the claim checks."""
    n = np.arange(1, 2 * dim + 400)
    survival = cover_separable_probability(n, dim)
    mean = survival.sum()
    second = np.sum((2 * n - 1) * survival)
    assert mean == pytest.approx(2 * dim, rel=1e-13)
    assert second - mean**2 == pytest.approx(2 * dim, rel=1e-11)


def test_cover_does_not_overflow_for_hundreds_of_points():
    assert cover_separable_probability(1500, 1) == 2.0 ** -1499
    assert cover_separable_probability(2000, 1) == 0.0     # 2^-1999 underflows (correctly rounded)
    assert cover_separable_probability(800, 400) == pytest.approx(float(cover_fraction(800, 400)), rel=1e-15)


@given(n=st.integers(1, 400), d=st.integers(1, 200))
def test_cover_properties(n, d):
    p = cover_separable_probability(n, d)
    assert 0.0 <= p <= 1.0
    assert cover_separable_probability(n + 1, d) <= p            # more points: harder
    assert cover_separable_probability(n, d + 1) >= p            # more dimensions: easier


test_cover_invalid_calls = invalid_call_test(
    rejects("n_points=0", cover_separable_probability, 0, 1),
    rejects("dim=0", cover_separable_probability, 3, 0),
    rejects("n_points=2.5", cover_separable_probability, 2.5, 1),
    rejects("dim=-2", cover_separable_probability, 3, -2),
    rejects("n_points='3'", cover_separable_probability, "3", 1),
    rejects("dim=nan", cover_separable_probability, 3, np.nan),
    rejects("n_points=True", cover_separable_probability, True, 1),
)


# ----------------------------------------------------------------------------- Gardner

def mp_w(kappa) -> mp.mpf:
    """W(κ) by quadrature of the defining integral ∫_{−κ}^∞ Dt (t + κ)² (the independent route)."""
    k = mp.mpf(kappa)
    return mp.quad(lambda t: mp.npdf(t) * (t + k) ** 2, [-k, -k + 1, -k + 5, mp.inf])


@pytest.mark.parametrize("kappa", [-6.0, -3.0, -2.0001, -2.0, -1.2, -0.3, 0.0, 0.25, 0.5, 1.0, 2.0, 4.5,
                                   12.0])
def test_w_is_the_integral(kappa):
    assert gardner_margin_integral(kappa) == pytest.approx(float(mp_w(kappa)), rel=2e-14)
    assert gardner_capacity(kappa) == pytest.approx(float(1 / mp_w(kappa)), rel=2e-14)


def test_w_far_below_zero_matches_the_closed_form_at_high_precision():
    """Where the double-precision closed form cancels (κ ≪ 0): the continued fraction
    against the closed form evaluated with 40 digits."""
    for kappa in (-2.5, -8.0, -20.0, -30.0):
        k = mp.mpf(kappa)
        exact = (1 + k * k) * mp.ncdf(k) + k * mp.npdf(k)
        # exp(−κ²/2) amplifies the rounding of κ itself by κ²: ~1e-13 at κ = −30
        assert gardner_margin_integral(kappa) == pytest.approx(float(exact), rel=2e-16 * (2 + kappa**2))


def test_known_values_and_limits():
    assert gardner_capacity(0.0) == 2.0                       # Cover's 2N
    assert gardner_margin(2.0) == 0.0
    assert gardner_capacity(0.5) == pytest.approx(0.96120505, rel=1e-8)  # note (c): 0.961
    # κ → ∞: W = κ² + 1 + O(φ): α_c ≈ 1/(1 + κ²); α → 0: κ_c ≈ α^{-1/2}
    assert gardner_capacity(30.0) == pytest.approx(1 / 901, rel=1e-14)
    assert gardner_margin(1e-8) == pytest.approx(1e4, rel=1e-7)
    assert gardner_capacity(-40.0) == math.inf


def test_sign_flipped_formula_is_far_off():
    """The negative control of the note: W̃(κ) = (1+κ²)Φ(−κ) − κφ(κ) agrees at κ = 0 only."""
    def flipped(kappa):
        return 1.0 / ((1 + kappa**2) * 0.5 * math.erfc(kappa / math.sqrt(2))
                      - kappa * math.exp(-kappa**2 / 2) / math.sqrt(2 * math.pi))
    assert flipped(0.0) == gardner_capacity(0.0)
    assert flipped(0.5) == pytest.approx(4.77, abs=0.01)
    assert gardner_capacity(0.5) == pytest.approx(0.961, abs=1e-3)


@pytest.mark.parametrize("alpha", [1e-4, 0.1, 0.5, 1.0, 1.5, 1.9, 1.999, 2.001, 3.0, 10.0, 1e4, 1e200])
def test_margin_inverts_the_capacity(alpha):
    kappa = gardner_margin(alpha)
    reference = mp.findroot(lambda k: (1 + k * k) * mp.ncdf(k) + k * mp.npdf(k) - 1 / mp.mpf(alpha), kappa)
    assert kappa == pytest.approx(float(reference), rel=1e-13)
    assert gardner_capacity(kappa) == pytest.approx(alpha, rel=1e-13)


def test_margin_vectorises():
    alphas = np.array([[0.5, 1.0], [1.5, 2.0]])
    out = gardner_margin(alphas)
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out, [[gardner_margin(a) for a in row] for row in alphas], rtol=0)


@given(st.floats(-30.0, 30.0), st.floats(1e-3, 5.0))
def test_capacity_properties(kappa, step):
    a = gardner_capacity(kappa)
    assert np.isfinite(a) and a > 0
    assert gardner_capacity(kappa + step) < a


@given(st.floats(1e-6, 1e6), st.floats(1.001, 10.0))
def test_margin_properties(alpha, factor):
    k = gardner_margin(alpha)
    assert np.isfinite(k)
    assert gardner_margin(alpha * factor) < k
    assert (k > 0) == (alpha < 2)


test_gardner_invalid_calls = invalid_call_test(
    rejects("kappa=nan", gardner_capacity, np.nan),
    rejects("kappa='1'", gardner_capacity, "1"),
    rejects("alpha=0.0", gardner_margin, 0.0),
    rejects("alpha=-1.0", gardner_margin, -1.0),
    rejects("alpha=inf", gardner_margin, np.inf),
    rejects("kappa=inf", gardner_margin_integral, np.inf),
)
