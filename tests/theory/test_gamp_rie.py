"""GAMP-RIE theory (Maillard, Troiani, Martin, Krzakala, Zdeborová 2024): equations and oracles.

Spot values of MMSE_den, its limits (Gaussian prior, small noise), the fixed point
M = MMSE_den((Δ + 2M)/(4α)) by Brent against state evolution, and every threshold and limit
of the notes (§5, §8), all in the S*-scale.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.argument_validation import invalid_call_test, rejects
from theory import gamp_rie as gr
from theory.fixed_point import FixedPointResult
from theory.free_convolution import mp_semicircle_integral, mp_semicircle_moment


# --------------------------------------------------------------------------- prior

@pytest.mark.parametrize("kappa", [0.1, 0.5, 1.0, 3.0])
def test_prior_spectrum_has_mean_sqrt_kappa_and_variance_one(kappa):
    prior = gr.prior_spectrum_parameters(kappa)
    mean = mp_semicircle_moment(1, noise_variance=0.0, **prior)
    second = mp_semicircle_moment(2, noise_variance=0.0, **prior)
    assert mean == pytest.approx(math.sqrt(kappa), rel=1e-14)
    assert second - mean**2 == pytest.approx(1.0, rel=1e-14)
    assert second == pytest.approx(1 + kappa, rel=1e-14)  # (1/d) Tr S*² = 1 + κ (notes §1)


def test_prior_support_hull():
    assert gr.prior_support_hull(0.25) == (0.0, pytest.approx(1.5**2 / 0.5))
    lo, hi = gr.prior_support_hull(4.0)
    assert (lo, hi) == (pytest.approx(0.5), pytest.approx(4.5))


@pytest.mark.parametrize("kappa, threshold", [(0.1, 0.095), (0.25, 0.21875), (0.5, 0.375), (0.75, 0.46875),
                                              (1.0, 0.5), (3.0, 0.5)])
def test_perfect_recovery_threshold_values(kappa, threshold):
    assert gr.perfect_recovery_threshold(kappa) == pytest.approx(threshold, abs=1e-15)


# --------------------------------------------------------------------------- denoising MMSE

@pytest.mark.parametrize("s, kappa, value", [(1.0, 0.5, 0.3969486359), (0.5, 1.0, 0.2878071016),
                                             (0.1, 2.0, 0.0865469970), (0.01, 0.25, 0.0043645584)])
def test_denoising_mmse_spot_values(s, kappa, value):
    assert gr.denoising_mmse(s, kappa) == pytest.approx(value, abs=1e-10)


def test_denoising_mmse_is_vectorised():
    s = np.array([[0.1, 1.0], [0.01, 3.0]])
    values = gr.denoising_mmse(s, 0.5)
    assert values.shape == s.shape
    assert values[0, 1] == gr.denoising_mmse(1.0, 0.5)


@pytest.mark.parametrize("kappa", [0.1, 0.5, 2.0])
def test_two_forms_of_the_denoising_mmse(kappa):
    """s − (4π²/3)s²∫ρ³ = s − 4s²∫ρh² (the RIE's asymptotic error)."""
    prior = gr.prior_spectrum_parameters(kappa)
    for s in (0.05, 0.5, 2.0):
        rho_h2 = mp_semicircle_integral(lambda x, rho, h: rho * h * h, noise_variance=s, **prior)
        assert gr.denoising_mmse(s, kappa) == pytest.approx(s - 4 * s * s * rho_h2, abs=1e-12)


def test_gaussian_limit():
    """κ → ∞: the prior is a semicircle of variance 1, MMSE_den = s/(1 + s)."""
    s = np.array([0.01, 0.1, 1.0, 10.0])
    np.testing.assert_allclose(gr.denoising_mmse(s, 1e6), s / (1 + s), atol=2e-7)


@pytest.mark.parametrize("kappa, s", [(0.01, 1e-11), (0.25, 1e-11), (0.5, 1e-11), (0.9, 1e-11),
                                      (1.0, 1e-13), (1.5, 1e-11), (4.0, 1e-11)])
def test_small_noise_ratio_is_the_free_fraction(kappa, s):
    """MMSE_den(s)/s → r₀ = 2κ − κ² (κ ≤ 1), 1 (κ ≥ 1): the entries not fixed by the rank."""
    r0 = 2 * kappa - kappa**2 if kappa <= 1 else 1.0
    assert gr.denoising_mmse(s, kappa) / s == pytest.approx(r0, rel=1e-6)


@pytest.mark.parametrize("kappa", [0.01, 0.1, 1.0, 10.0])
def test_large_noise_expansion(kappa):
    """MMSE_den(s) = s/(1 + s) − k₃²/s² + O(s⁻³), k₃² = 1/κ: the Gaussian value plus the first
    non-Gaussian correction (third free cumulant of the prior); used by the code for s ≥ 1e6,
    and from 1e4 where its s⁻³ term is small (tests/theory/test_gamp_rie_grid.py)."""
    s = np.array([1e3, 3e3])
    correction = (gr.denoising_mmse(s, kappa) - s / (1 + s)) * s**2 * kappa
    np.testing.assert_allclose(correction, -1.0, atol=0.11)
    assert abs(correction[1] + 1) < 0.04
    big = np.array([1e6, 1e8])
    np.testing.assert_allclose(gr.denoising_mmse(big, kappa), big / (1 + big) - 1 / (kappa * big**2), rtol=0)


@pytest.mark.parametrize("kappa", [0.1, 0.5, 1.0, 3.0])
def test_mmse_over_noise_decreases_and_mmse_tends_to_one(kappa):
    s = np.logspace(-6, 3, 40)
    mmse = gr.denoising_mmse(s, kappa)
    assert np.all(np.diff(mmse / s) < 0)
    assert np.all(np.diff(mmse) > 0)
    assert 0.99 < gr.denoising_mmse(1e4, kappa) < 1.0


def test_rie_denoiser_outliers_follow_the_cauchy_integral():
    kappa, s = 0.5, 0.1
    prior = gr.prior_spectrum_parameters(kappa)
    eigenvalues = np.array([-1.0, -0.5, 5.0, 8.0])  # outside the support
    cauchy = np.array([mp_semicircle_integral(lambda y, rho, h, t=t: rho / (t - y), noise_variance=s, **prior)
                       for t in eigenvalues])
    np.testing.assert_allclose(gr.rie_denoiser(eigenvalues, s, kappa), eigenvalues - 2 * s * cauchy, rtol=1e-10)


def test_rie_denoiser_is_linear_shrinkage_for_a_gaussian_prior():
    kappa, s = 1e6, 0.5
    centre = math.sqrt(kappa)
    bulk = centre + np.linspace(-2.3, 2.3, 11)  # inside [c − 2√(1+s), c + 2√(1+s)]
    np.testing.assert_allclose(gr.rie_denoiser(bulk, s, kappa), centre + (bulk - centre) / (1 + s), atol=1e-3)


# --------------------------------------------------------------------------- Bayes-optimal error

@pytest.mark.parametrize("kappa, alpha, delta", [(0.5, 0.2, 0.0), (1.0, 0.3, 0.1), (0.25, 0.1, 0.25),
                                                 (2.0, 0.6, 0.5), (0.1, 0.05, 0.0)])
def test_brent_equals_state_evolution(kappa, alpha, delta):
    m = gr.bayes_optimal_mmse(alpha, kappa, delta)
    result = gr.state_evolution(alpha, kappa, delta)
    assert isinstance(result, FixedPointResult) and result.converged
    assert result.trajectory[0] == 1.0
    assert np.all(np.diff(result.trajectory) <= 1e-15)  # monotone from the uninformed start
    assert result.value == pytest.approx(m, abs=1e-8)
    # and the root satisfies (FP) itself
    assert gr.denoising_mmse((delta + 2 * m) / (4 * alpha), kappa) == pytest.approx(m, abs=1e-11)


def test_state_evolution_beyond_the_threshold_goes_to_zero():
    result = gr.state_evolution(0.45, 0.5)
    assert result.converged and result.value < 1e-11


def test_damped_state_evolution_reaches_the_same_point():
    plain = gr.state_evolution(0.2, 0.5, 0.1)
    damped = gr.state_evolution(0.2, 0.5, 0.1, damping=0.5)
    assert damped.value == pytest.approx(plain.value, abs=1e-10)
    assert damped.iterations > plain.iterations


def test_no_samples_means_no_information():
    assert gr.bayes_optimal_mmse(0.0, 0.5) == 1.0
    assert gr.bayes_optimal_mmse(0.0, 2.0, 1.0) == 1.0


@pytest.mark.parametrize("kappa", [0.1, 0.25, 0.5, 0.75, 1.0, 3.0])
def test_perfect_recovery_transition(kappa):
    threshold = gr.perfect_recovery_threshold(kappa)
    assert gr.bayes_optimal_mmse(threshold, kappa) == 0.0
    assert gr.bayes_optimal_mmse(threshold + 1e-3, kappa) == 0.0
    just_below, further = gr.bayes_optimal_mmse(threshold - np.array([1e-4, 1e-2]), kappa)
    assert 0.0 < just_below < 0.02 * further + 1e-9  # continuous, at least linear, vanishing


def test_linear_vanishing_at_the_threshold():
    """κ = 0.5: M ≈ 0.0177 at α_PR − 0.01 and ≈ 0.0020 at α_PR − 0.001 (notes §8); κ = 1: faster."""
    below = gr.bayes_optimal_mmse(0.375 - np.array([0.01, 0.001]), 0.5)
    np.testing.assert_allclose(below, [0.0177, 0.0020], rtol=0.02)
    at_one = gr.bayes_optimal_mmse(0.5 - np.array([0.01, 0.001]), 1.0)
    assert at_one[1] / at_one[0] < 0.1 * 0.9


@pytest.mark.parametrize("kappa", [0.5, 1.0, 5.0])
@pytest.mark.parametrize("delta", [0.0, 0.5])
def test_small_alpha_slope(kappa, delta):
    """M = 1 − 4α/(2 + Δ) + O(α²); at α = 1e-3 the secant slope is within 0.01 (notes §8)."""
    alpha = 1e-3
    slope = (gr.bayes_optimal_mmse(alpha, kappa, delta) - 1.0) / alpha
    assert slope == pytest.approx(-4 / (2 + delta), abs=0.01)


@pytest.mark.parametrize("kappa", [0.05, 0.1, 1.0, 5.0])
@pytest.mark.parametrize("delta", [0.0, 0.5])
def test_small_alpha_second_order(kappa, delta):
    """Beyond the slope: M − M_gauss = −16α²/(κ(2 + Δ)²) + O(α³), from the k₃²/s² term of
    MMSE_den with s ≈ (2 + Δ)/(4α); M_gauss solves 2M² + (4α + Δ − 2)M − Δ = 0. So the notes'
    "slope within 0.01 at α = 1e-3" needs κ ≳ 0.4 (it is −2.04 at κ = 0.1)."""
    alpha = np.array([1e-4, 1e-3])
    b = 4 * alpha + delta - 2
    gaussian = (-b + np.sqrt(b * b + 8 * delta)) / 4
    second = (gr.bayes_optimal_mmse(alpha, kappa, delta) - gaussian) / alpha**2
    np.testing.assert_allclose(second, -16 / (kappa * (2 + delta) ** 2), rtol=0.05)


def test_vanishing_alpha_is_accurate():
    """α → 0 uses the large-noise expansion: no loss of accuracy down to α = 1e-13."""
    for alpha in (1e-7, 1e-10, 1e-13):
        assert gr.bayes_optimal_mmse(alpha, 0.3, 0.2) == pytest.approx(1 - 4 * alpha / 2.2, abs=1e-12)


def large_noise_reference(alpha, kappa, delta):
    """1 − M to second order in α: the Gaussian-prior root D_g of 2D² − (4α + Δ + 2)D + 4α = 0
    (D = 1 − M_gauss, written without cancellation) plus 16α²/(κ(2 + Δ)²) (the k₃² term)."""
    b = 4 * alpha + delta + 2
    return 8 * alpha / (b + np.sqrt(b * b - 32 * alpha)) + 16 * alpha**2 / (kappa * (2 + delta) ** 2)


@pytest.mark.parametrize("alpha, delta", [(1.0000001e-12, 100.0), (1e-11, 1e3), (1e-8, 1e4), (1e-10, 1e6),
                                          (2e-12, 1e6), (1e-6, 1e8)])
def test_large_noise_small_alpha_solves_without_a_bracket(alpha, delta):
    """Issue 14: Brent's bracket raised a sign error here (1 − M ≈ 4α/(Δ + 2) below its resolution)."""
    m = gr.bayes_optimal_mmse(alpha, 0.5, delta)
    assert m == pytest.approx(1 - large_noise_reference(alpha, 0.5, delta), abs=2e-16)


@given(st.floats(1e-12, 1e-2), st.floats(-2.0, 8.0), st.floats(0.05, 20.0))
def test_property_large_noise_regime_matches_the_expansion(alpha, log_delta, kappa):
    delta = max(10.0**log_delta, 4e6 * alpha)  # Δ/(4α) >= 1e6: every admissible s is large
    m = gr.bayes_optimal_mmse(alpha, kappa, delta)
    assert m == pytest.approx(1 - large_noise_reference(alpha, kappa, delta), abs=2e-16)


def test_large_alpha_with_noise():
    """No threshold with noise; M ≈ r₀Δ/(4α − 2r₀), the exact root ≈ 0.6% below (notes §8)."""
    m = gr.bayes_optimal_mmse(5.0, 0.5, 0.1)
    formula = 0.75 * 0.1 / (20 - 1.5)
    assert m == pytest.approx(0.00403, abs=1e-5)
    assert 0.99 * formula < m < formula


def test_gaussian_prior_limit_of_the_fixed_point():
    """κ → ∞: M = s/(1 + s) with s = (Δ + 2M)/(4α), i.e. 2M² + (4α + Δ − 2)M − Δ = 0."""
    alpha = np.array([0.05, 0.2, 0.45])
    np.testing.assert_allclose(gr.bayes_optimal_mmse(alpha, 1e6), 1 - 2 * alpha, atol=2e-6)
    delta = 0.3
    b = 4 * alpha + delta - 2
    np.testing.assert_allclose(gr.bayes_optimal_mmse(alpha, 1e6, delta), (-b + np.sqrt(b * b + 8 * delta)) / 4,
                               atol=2e-6)


def test_small_width_limit_is_approached_slowly():
    """κ → 0 at β = α/κ = 0.75: 0.706 (κ = 0.01), 0.7455 (κ = 0.001), limit 0.75."""
    m = [gr.bayes_optimal_mmse(0.75 * kappa, kappa) for kappa in (0.01, 0.001)]
    np.testing.assert_allclose(m, [0.706, 0.7455], atol=1e-3)
    assert abs(m[1] - 0.75) < abs(m[0] - 0.75)
    assert gr.small_width_limit_mmse(0.75) == 0.75
    np.testing.assert_array_equal(gr.small_width_limit_mmse([0.0, 0.5, 0.6, 1.0, 2.0]), [1, 1, 4 * 0.6 * 0.4, 0, 0])


def test_bayes_optimal_mmse_is_vectorised():
    alpha = np.array([[0.0, 0.1], [0.3, 0.6]])
    m = gr.bayes_optimal_mmse(alpha, 0.5)
    assert m.shape == alpha.shape
    assert m[0, 1] == pytest.approx(gr.bayes_optimal_mmse(0.1, 0.5), abs=1e-14) and m[1, 1] == 0.0


# --------------------------------------------------------------------------- conversions

def test_noise_and_error_conversions():
    assert gr.label_noise_from_preactivation(0.25) == pytest.approx(0.2578125, abs=1e-15)
    np.testing.assert_allclose(gr.label_noise_from_preactivation([0.0, 1.0]), [0.0, 6.0])
    assert gr.excess_prediction_error(0.1) == 0.2
    assert gr.test_mse(0.1, 0.25) == pytest.approx(0.45)


# --------------------------------------------------------------------------- properties

kappas = st.floats(0.05, 5.0)
alphas = st.floats(0.0, 1.0)
deltas = st.floats(0.0, 1.0)


@given(kappas, alphas, alphas, deltas)
def test_property_mmse_in_unit_interval_and_non_increasing_in_alpha(kappa, a, b, delta):
    low, high = sorted((a, b))
    m_low, m_high = gr.bayes_optimal_mmse([low, high], kappa, delta)
    assert 0.0 <= m_high <= m_low + 1e-9 <= 1.0 + 1e-9


@given(kappas, alphas, deltas, deltas)
def test_property_mmse_non_decreasing_in_noise(kappa, alpha, a, b):
    low, high = sorted((a, b))
    assert gr.bayes_optimal_mmse(alpha, kappa, low) <= gr.bayes_optimal_mmse(alpha, kappa, high) + 1e-9


@given(kappas, st.floats(0.0, 0.5))
def test_property_noiseless_zero_beyond_threshold(kappa, excess):
    assert gr.bayes_optimal_mmse(gr.perfect_recovery_threshold(kappa) + excess, kappa) == 0.0


# --------------------------------------------------------------------------- validation

test_invalid_calls = invalid_call_test(
    rejects("kappa=", gr.prior_spectrum_parameters, 0.0),
    rejects("kappa=", gr.denoising_mmse, 0.1, 1e-9),
    rejects("kappa=", gr.prior_support_hull, -1.0),
    rejects("kappa=", gr.perfect_recovery_threshold, np.nan),
    rejects("s=", gr.denoising_mmse, 0.0, 0.5),
    rejects("s=", gr.denoising_mmse, [0.1, -1.0], 0.5),
    rejects("kappa=", gr.denoising_mmse, 0.1, -0.5),
    rejects("eigenvalues=", gr.rie_denoiser, [1.0, np.nan], 0.1, 0.5),
    rejects("s=", gr.rie_denoiser, [1.0], 0.0, 0.5),
    rejects("kappa=", gr.rie_denoiser, [1.0], 0.1, 0.0),
    rejects("alpha=", gr.bayes_optimal_mmse, -0.1, 0.5),
    rejects("alpha=", gr.bayes_optimal_mmse, [0.1, np.inf], 0.5),
    rejects("kappa=", gr.bayes_optimal_mmse, 0.1, 0.0),
    rejects("delta=", gr.bayes_optimal_mmse, 0.1, 0.5, -1.0),
    rejects("alpha=", gr.state_evolution, 0.0, 0.5),
    rejects("delta=", gr.state_evolution, 0.1, 0.5, np.nan),
    rejects("kappa=", gr.state_evolution, 0.1, -2.0),
    rejects("damping=", gr.state_evolution, 0.1, 0.5, damping=1.0),
    rejects("sigma=", gr.label_noise_from_preactivation, -0.1),
    rejects("mmse=", gr.excess_prediction_error, -0.1),
    rejects("delta=", gr.test_mse, 0.1, -0.1),
    rejects("beta=", gr.small_width_limit_mmse, -1.0),
)
