"""Semicircle law: fast paths against textbook formulas, sympy and mpmath (Wigner 1955)."""

import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.argument_validation import invalid_call_test, rejects
from theory.semicircle import (
    semicircle_cdf,
    semicircle_density,
    semicircle_edges,
    semicircle_moment,
    semicircle_quantile,
    semicircle_stieltjes,
)

VARIANCES = [1.0, 0.3, 2.7]


@pytest.fixture(autouse=True)
def _mpmath_precision():
    """30 significant digits for the mpmath oracles, without touching the global setting."""
    with mp.workdps(30):
        yield


def mp_density(variance):
    s2 = mp.mpf(variance)
    return lambda x: mp.sqrt(max(4 * s2 - x * x, 0)) / (2 * mp.pi * s2)


def mp_cdf(x, variance):
    """High-precision CDF by quadrature of the density (the independent route)."""
    radius = 2 * mp.sqrt(mp.mpf(variance))
    x = min(max(mp.mpf(x), -radius), radius)
    return mp.quad(mp_density(variance), [-radius, x]) if x > -radius else mp.mpf(0)


# ---------------------------------------------------------------- textbook formulas

@pytest.mark.parametrize("variance", VARIANCES)
def test_density_is_the_textbook_formula(variance):
    radius = 2 * math.sqrt(variance)
    x = np.linspace(-1.5 * radius, 1.5 * radius, 301)
    x = x[np.abs(np.abs(x) - radius) > 1e-9]     # 4σ² − x² is ill-conditioned at the edges
    root = np.sqrt(np.clip(4 * variance - x ** 2, 0, None))
    expected = np.where(np.abs(x) < radius, root / (2 * np.pi * variance), 0)
    np.testing.assert_allclose(semicircle_density(x, variance), expected, rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(semicircle_density(x, variance), semicircle_density(-x, variance))


@pytest.mark.parametrize("variance", VARIANCES)
def test_cdf_is_the_textbook_formula(variance):
    sigma = math.sqrt(variance)
    x = np.linspace(-2 * sigma, 2 * sigma, 401)[1:-1]   # edges below
    expected = (0.5 + x * np.sqrt(np.clip(4 * variance - x ** 2, 0, None)) / (4 * np.pi * variance)
                + np.arcsin(np.clip(x / (2 * sigma), -1, 1)) / np.pi)
    np.testing.assert_allclose(semicircle_cdf(x, variance), expected, rtol=0, atol=1e-14)
    assert semicircle_cdf(0.0, variance) == pytest.approx(0.5, abs=1e-15)
    lo, hi = semicircle_edges(variance)
    np.testing.assert_array_equal(semicircle_cdf([-np.inf, -3 * sigma, lo, hi, 3 * sigma, np.inf],
                                                 variance), [0, 0, 0, 1, 1, 1])


def test_cdf_matches_sympy_antiderivative():
    x, t = sp.symbols("x t", real=True)
    exact = sp.integrate(sp.sqrt(4 - t ** 2) / (2 * sp.pi), (t, -2, x))
    for value in ["-1.999", "-1.3", "0", "0.25", "1.9"]:
        reference = float(exact.subs(x, sp.Rational(value)).evalf(30))
        assert semicircle_cdf(float(value)) == pytest.approx(reference, abs=1e-15)


def test_edges():
    assert semicircle_edges() == (-2.0, 2.0)
    assert semicircle_edges(2.25) == (-3.0, 3.0)


# ---------------------------------------------------------------- moments

def test_moments_are_catalan_numbers_exactly():
    catalan = [1, 1, 2, 5, 14, 42, 132, 429, 1430, 4862]
    assert [semicircle_moment(2 * j) for j in range(10)] == catalan
    assert all(semicircle_moment(2 * j + 1) == 0 for j in range(10))


def test_moments_match_sympy_generating_function():
    """Moments are the coefficients of G(z) = Σ m_k z^{-k-1}: expand the exact G at ∞."""
    w = sp.symbols("w", positive=True)
    generating = (1 - sp.sqrt(1 - 4 * w ** 2)) / (2 * w)      # G(1/w) for σ² = 1
    series = sp.series(generating, w, 0, 22).removeO()
    for k in range(0, 21):
        assert int(series.coeff(w, k + 1)) == semicircle_moment(k)


@pytest.mark.parametrize("variance", VARIANCES)
def test_moments_match_mpmath_quadrature(variance):
    radius = 2 * mp.sqrt(variance)
    rho = mp_density(variance)
    for k in range(0, 11):
        reference = mp.quad(lambda x: x ** k * rho(x), [-radius, 0, radius])
        assert semicircle_moment(k, variance) == pytest.approx(float(reference), rel=1e-12,
                                                               abs=1e-14)


# ---------------------------------------------------------------- CDF and quantile

@pytest.mark.parametrize("variance", [1.0, 0.3])
def test_cdf_matches_quadrature_of_density_including_tails(variance):
    radius = 2 * math.sqrt(variance)
    offsets = np.array([1e-12, 1e-8, 1e-4, 1e-2, 0.5, 1.3])
    for x in np.concatenate([-radius + offsets * radius, radius - offsets * radius]):
        reference = mp_cdf(x, variance)
        lower = semicircle_cdf(x, variance)
        if x < 0:   # relative accuracy in the lower tail
            assert lower == pytest.approx(float(reference), rel=1e-13)
        else:
            assert lower == pytest.approx(float(reference), rel=1e-15)


def test_quantile_matches_mpmath_newton_step():
    """The mpmath Newton correction (F(x) − p)/ρ(x) at the returned x is below 1e-14."""
    variance = 0.3
    radius = 2 * math.sqrt(variance)
    for p in [1e-15, 1e-6, 0.1, 0.5, 0.8, 1 - 1e-12]:
        x = float(semicircle_quantile(p, variance))
        if p <= 0.5:
            error = mp_cdf(x, variance) - p
        else:   # the mass above x, from the upper edge
            error = (1 - p) - mp.quad(mp_density(variance), [x, radius])
        assert abs(error / mp_density(variance)(mp.mpf(x))) < 1e-14 * radius


def assert_is_quantile(x, p, variance):
    """``x`` inverts the CDF at ``p`` up to the rounding of ``x`` itself.

    ``F(x ∓ δ)`` with ``δ`` a few ulps of the support radius must bracket ``p`` (to 1e-13
    relative): near an edge ``x`` cannot resolve arbitrarily small ``p``.
    """
    delta = 8 * np.finfo(float).eps * semicircle_edges(variance)[1]
    assert np.all(semicircle_cdf(x - delta, variance) <= p * (1 + 1e-13))
    assert np.all(semicircle_cdf(x + delta, variance) >= p * (1 - 1e-13))


def test_quantile_inverts_cdf_both_ways():
    p = np.concatenate([[0.0, 1e-100, 1e-20], np.linspace(0, 1, 1001)[1:-1], [1 - 1e-15, 1.0]])
    x = semicircle_quantile(p, 0.5)
    assert x[0] == semicircle_edges(0.5)[0] and x[-1] == semicircle_edges(0.5)[1]
    assert np.all(np.diff(x) >= 0)
    assert_is_quantile(x, p, 0.5)
    grid = np.linspace(-1.99, 1.99, 777)
    np.testing.assert_allclose(semicircle_quantile(semicircle_cdf(grid)), grid, rtol=0, atol=1e-13)


def test_quantile_is_vectorised_over_shapes():
    p = np.full((3, 4), 0.25)
    assert semicircle_quantile(p).shape == (3, 4)
    assert np.ndim(semicircle_quantile(0.25)) == 0


# ---------------------------------------------------------------- Stieltjes transform

@pytest.mark.parametrize("variance", [1.0, 0.3])
def test_stieltjes_matches_quadrature(variance):
    rng = np.random.default_rng(7)
    heights = rng.choice([-1, 1], 12) * rng.uniform(0.2, 3, 12)
    z = np.concatenate([rng.normal(0, 2, 12) + 1j * heights,
                        [3.5 + 0j, -3.5 + 0j, 0.2 + 4j, -0.1 - 0.3j]])
    radius = 2 * mp.sqrt(variance)
    rho = mp_density(variance)
    for point, value in zip(z, semicircle_stieltjes(z, variance)):
        zm = mp.mpc(point)
        reference = mp.quad(lambda x: rho(x) / (zm - x), mp.linspace(-radius, radius, 9))
        assert value == pytest.approx(complex(reference), rel=1e-12)


def test_stieltjes_sign_asymptotics_and_boundary_value():
    rng = np.random.default_rng(3)
    z = rng.normal(0, 3, 500) + 1j * np.abs(rng.normal(0, 3, 500)) + 1e-9j
    g = semicircle_stieltjes(z, 1.3)
    assert np.all(g.imag < 0)
    np.testing.assert_allclose(semicircle_stieltjes(np.conj(z), 1.3), np.conj(g), rtol=1e-15)
    # G is the physical root of σ² G² − z G + 1 = 0 and |G| <= 1/σ
    np.testing.assert_allclose(1.3 * g ** 2 - z * g + 1, 0, atol=1e-13)
    assert np.all(np.abs(g) <= 1 / math.sqrt(1.3) + 1e-12)
    big = np.array([1e8, -1e8, 1e8j, 3e7 - 4e7j])
    np.testing.assert_allclose(big * semicircle_stieltjes(big, 1.3), 1, rtol=1e-15)
    x = np.linspace(-2.2, 2.2, 45)
    density = semicircle_density(x, 1.1)
    np.testing.assert_allclose(-semicircle_stieltjes(x + 1e-10j, 1.1).imag / np.pi, density,
                               atol=1e-9)
    np.testing.assert_allclose(-semicircle_stieltjes(x, 1.1).imag / np.pi, density, atol=1e-15)


# ---------------------------------------------------------------- properties

variances = st.floats(1e-6, 1e6)
points = hnp.arrays(np.float64, st.integers(1, 40),
                    elements=st.floats(-1e4, 1e4, allow_nan=False))


@given(variances, points)
def test_density_cdf_properties(variance, x):
    rho = semicircle_density(x, variance)
    cdf = semicircle_cdf(np.sort(x), variance)
    assert np.all(np.isfinite(rho)) and np.all(rho >= 0)
    assert np.all((cdf >= 0) & (cdf <= 1)) and np.all(np.diff(cdf) >= 0)
    lo, hi = semicircle_edges(variance)
    assert lo < hi and semicircle_cdf(hi, variance) == 1 and semicircle_cdf(lo, variance) == 0


@given(variances, hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(0, 1)))
def test_quantile_properties(variance, p):
    lo, hi = semicircle_edges(variance)
    x = semicircle_quantile(np.sort(p), variance)
    assert np.all((x >= lo) & (x <= hi)) and np.all(np.diff(x) >= 0)
    assert_is_quantile(x, np.sort(p), variance)


# ---------------------------------------------------------------- invalid input

test_invalid_calls = invalid_call_test(
    rejects("variance=0.0", semicircle_density, 0.0, variance=0.0),
    rejects("variance=-1.0", semicircle_density, 0.0, variance=-1.0),
    rejects("variance=nan", semicircle_density, 0.0, variance=np.nan),
    rejects("variance=", semicircle_density, 0.0, variance=[1.0, 2.0]),
    rejects("x=nan", semicircle_density, np.nan),
    rejects("x=1j", semicircle_density, 1j),
    rejects("x=", semicircle_cdf, [0.0, np.nan]),
    rejects("variance=inf", semicircle_cdf, 0.0, variance=np.inf),
    rejects("p=1.5", semicircle_quantile, 1.5),
    rejects("p=-0.1", semicircle_quantile, -0.1),
    rejects("p=nan", semicircle_quantile, np.nan),
    rejects("variance=-2.0", semicircle_quantile, 0.5, variance=-2.0),
    rejects("variance=0.0", semicircle_edges, variance=0.0),
    rejects("z=inf", semicircle_stieltjes, np.inf),
    rejects("z=", semicircle_stieltjes, complex(np.nan, 1)),
    rejects("variance=-1.0", semicircle_stieltjes, 1j, variance=-1.0),
    rejects("k=-1", semicircle_moment, -1),
    rejects("k=1.5", semicircle_moment, 1.5),
    rejects("k=True", semicircle_moment, True),
    rejects("variance=0.0", semicircle_moment, 2, variance=0.0),
    rejects("variance=1e-31 is out of range: must be in [1e-30, 1e+30]", semicircle_cdf, 0.0, variance=1e-31),
    rejects("variance=1e+31", semicircle_quantile, 0.5, variance=1e31),
)
