"""Advani & Saxe's generalisation dynamics: quadrature, limits, early stopping and ridge."""

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from theory.linear_generalization import (
    asymptotic_generalization_error,
    asymptotic_training_error,
    generalization_error,
    optimal_ridge_error,
    optimal_stopping_error,
    optimal_stopping_time,
    overtraining_gap,
    training_error,
)
from theory.ridge import ridge_test_error


@pytest.fixture(autouse=True)
def _mpmath_precision():
    with mp.workdps(20):
        yield


def mp_bulk(f, alpha, scales):
    """∫ f(λ) ρ(λ) dλ over the MP bulk of Σ = XᵀX (λ± = (1 ± √α)²), with λ = λ₋ + v² (smooth in v
    at the square-root edge) and breakpoints at the scales where the integrand changes (the
    decay length 1/√t of e^{−λt}, and √λ₋ near the hard edge)."""
    a = mp.mpf(alpha)
    lo, hi = (1 - mp.sqrt(a)) ** 2, (1 + mp.sqrt(a)) ** 2
    top = mp.sqrt(hi - lo)

    def integrand(v):
        lam = lo + v * v
        return f(lam) * mp.sqrt((top - v) * (top + v)) * v * v / (mp.pi * lam)

    points = sorted({mp.mpf(0), top} | {c * x for x in scales for c in (0.3, 1, 3, 10) if c * x < top})
    return mp.quad(integrand, points)


def mp_errors(t, alpha, noise, teacher, init, tau):
    """E_g and E_t by quadrature; e^{−2λ₋t} is factored out of the decaying integrals (mpmath's
    error control is absolute, and late-time integrals are as small as e^{−100})."""
    a, signal, rate = mp.mpf(alpha), mp.mpf(teacher) + init, mp.mpf(t) / tau
    lo = (1 - mp.sqrt(a)) ** 2
    scales = (1 / mp.sqrt(rate), abs(1 - mp.sqrt(a)))
    edge = mp.exp(-2 * lo * rate)
    decay = mp_bulk(lambda l: mp.exp(-2 * (l - lo) * rate), a, scales)
    fitted = mp_bulk(lambda l: mp.expm1(-l * rate) ** 2 / l, a, scales)
    gen = signal * edge * decay + noise * fitted + noise + max(0, 1 - a) * signal
    weighted = mp_bulk(lambda l: (l * signal + noise) * mp.exp(-2 * (l - lo) * rate), a, scales)
    train = edge * weighted / a + max(0, 1 - 1 / a) * noise
    return gen, train


@pytest.mark.parametrize("alpha", [0.1, 0.5, 0.999, 1.0, 1.001, 2.0, 10.0])
def test_errors_match_quadrature(alpha):
    noise, teacher, init, tau = 0.25, 1.3, 0.2, 0.7
    for t in (1e-3, 0.5, 50.0, 1e5):
        gen, train = (float(v) for v in mp_errors(t, alpha, noise, teacher, init, tau))
        assert generalization_error(t, alpha, noise, teacher, init, tau) == pytest.approx(gen, rel=1e-12)
        assert training_error(t, alpha, noise, teacher, init, tau) == pytest.approx(train, rel=1e-11, abs=1e-300)


def test_sanity_values_of_the_note():
    # σ_w̄² = 1, σ_ε² = 0.25, σ_0 = 0, τ = 1
    assert generalization_error(1.0, 4.0, 0.25) == pytest.approx(0.327800, abs=5e-7)
    assert training_error(1.0, 0.5, 0.25) == pytest.approx(0.186129, abs=5e-7)
    # SNR 1, α = 2: early stopping 1.42323 at t* ≈ 0.618τ; optimal ridge √2
    assert optimal_stopping_time(2.0, 1.0) == pytest.approx(0.618524121, rel=1e-8)
    assert optimal_stopping_error(2.0, 1.0) == pytest.approx(1.423231513, rel=1e-9)
    assert optimal_ridge_error(2.0, 1.0) == pytest.approx(math.sqrt(2.0), rel=1e-15)


def test_limits():
    noise, teacher, init = 0.25, 1.3, 0.4
    alpha = np.array([0.3, 1.0, 3.0])
    start = teacher + init + noise
    np.testing.assert_allclose(generalization_error(0.0, alpha, noise, teacher, init), start, rtol=1e-13)
    np.testing.assert_allclose(training_error(0.0, alpha, noise, teacher, init), start, rtol=1e-13)
    late = np.array([0.3, 3.0])
    expected = np.where(late < 1, (1 - late) * (teacher + init) + noise / (1 - late), noise * late / (late - 1))
    np.testing.assert_allclose(asymptotic_generalization_error(late, noise, teacher, init), expected, rtol=1e-15)
    np.testing.assert_allclose(generalization_error(np.inf, late, noise, teacher, init), expected, rtol=1e-15)
    np.testing.assert_allclose(generalization_error(1e7, late, noise, teacher, init), expected, rtol=1e-12)
    np.testing.assert_allclose(training_error(1e7, late, noise, teacher, init), [0.0, noise * 2 / 3], atol=1e-13)
    np.testing.assert_allclose(asymptotic_training_error(late, noise), [0.0, noise * 2 / 3], rtol=1e-15)
    assert asymptotic_generalization_error(1.0, noise) == np.inf
    assert asymptotic_generalization_error(1.0, 0.0, teacher, init) == 0.0
    # many examples per parameter: only the label noise is left; few: nothing is learnt
    assert generalization_error(1.0, 1e4, noise, teacher) == pytest.approx(noise, rel=1e-3)
    assert generalization_error(1.0, 1e-6, noise, teacher, init) == pytest.approx(start, rel=1e-5)


def test_peak_at_alpha_one_grows_like_root_t():
    """At α = 1, λ₋ = 0: E_g ≈ σ² 2(2 − √2)/√π √(t/τ), corrections O(1/√t)."""
    coefficient = 0.25 * 2 * (2 - math.sqrt(2)) / math.sqrt(math.pi)
    ratios = [generalization_error(t, 1.0, 0.25) / (coefficient * math.sqrt(t)) for t in (1e4, 1e6)]
    assert abs(ratios[1] - 1) < 1e-3 and abs(ratios[1] - 1) < abs(ratios[0] - 1) / 5


def test_frozen_subspace_keeps_the_initial_error():
    """Directions orthogonal to every input never move: σ0² costs (1 − α)σ0² for ever if α < 1."""
    for alpha in (0.25, 0.7):
        for t in (1.0, 30.0, np.inf):
            with_init = generalization_error(t, alpha, 0.1, 1.0, 0.5)
            frozen_part = generalization_error(t, alpha, 0.1, 1.0, 0.0) + (1 - alpha) * 0.5
            if np.isinf(t):
                assert with_init == pytest.approx(frozen_part, rel=1e-14)
            else:
                assert with_init >= frozen_part
    assert generalization_error(np.inf, 2.0, 0.1, 1.0, 0.5) == generalization_error(np.inf, 2.0, 0.1, 1.0, 0.0)


@pytest.mark.parametrize("alpha, noise, teacher, init", [(0.5, 0.25, 1.0, 0.0), (1.0, 0.5, 1.0, 0.3),
                                                        (3.0, 2.0, 1.0, 0.0), (0.3, 0.05, 2.0, 0.0)])
def test_optimal_stopping_is_the_minimum_over_time(alpha, noise, teacher, init):
    t_star = optimal_stopping_time(alpha, noise, teacher, init, tau=2.0)
    best = optimal_stopping_error(alpha, noise, teacher, init, tau=2.0)
    grid = np.concatenate([np.geomspace(1e-3, 1e3, 400) * 2.0, [np.inf]])
    values = generalization_error(grid, alpha, noise, teacher, init, tau=2.0)
    assert best <= values.min() * (1 + 1e-12)
    assert best == pytest.approx(generalization_error(t_star, alpha, noise, teacher, init, tau=2.0), rel=1e-15)
    assert values.min() == pytest.approx(best, rel=1e-4)
    # a single minimum: the error falls before t* and rises after it
    before, after = grid[grid < t_star], grid[(grid > t_star) & np.isfinite(grid)]
    assert np.all(np.diff(generalization_error(before, alpha, noise, teacher, init, tau=2.0)) < 0)
    assert np.all(np.diff(generalization_error(after, alpha, noise, teacher, init, tau=2.0)) >= 0)


def test_early_stopping_never_beats_the_bayes_ridge():
    alpha = np.array([0.3, 0.8, 1.0, 1.5, 4.0])
    for noise in (0.1, 1.0):
        ridge = optimal_ridge_error(alpha, noise)
        stop = optimal_stopping_error(alpha, noise)
        assert np.all(stop >= ridge)
        assert np.all(stop <= ridge * 1.05)  # and comes close (Advani & Saxe, Fig. 6)
        np.testing.assert_allclose(ridge, ridge_test_error(alpha, noise, noise), rtol=1e-15)
    # the closed form quoted by Advani & Saxe (γ = σ²/σ_w̄²)
    gamma, a = 0.4, 1.7
    closed = 0.5 * (math.sqrt((gamma + a + 1) ** 2 - 4 * a) - (a - 1 + gamma)) + 0.4
    assert optimal_ridge_error(a, 0.4) == pytest.approx(closed, rel=1e-14)


def test_degenerate_stopping_cases():
    assert optimal_stopping_time(2.0, 0.0) == np.inf  # no noise: train for ever
    assert optimal_stopping_error(2.0, 0.0) == 0.0
    assert optimal_stopping_time(2.0, 0.3, 0.0) == 0.0  # nothing to learn
    assert overtraining_gap(1.0, 0.25) == np.inf


def test_overtraining_peaks_at_alpha_one():
    alpha = np.array([0.3, 0.6, 0.9, 0.97, 1.03, 1.1, 1.5, 3.0])
    gap = overtraining_gap(alpha, 0.25)
    assert np.all(gap > 0)
    assert np.all(np.diff(gap[:4]) > 0) and np.all(np.diff(gap[4:]) < 0)


@given(t=st.floats(0.0, 1e4), alpha=st.floats(0.02, 50.0), noise=st.floats(0.0, 4.0),
       teacher=st.floats(0.0, 4.0), init=st.floats(0.0, 2.0))
def test_errors_are_finite_and_bounded(t, alpha, noise, teacher, init):
    gen = generalization_error(t, alpha, noise, teacher, init)
    train = training_error(t, alpha, noise, teacher, init)
    assert np.isfinite(gen) and np.isfinite(train)
    assert gen >= noise * (1 - 1e-12) and train >= 0
    assert train <= teacher + init + noise + 1e-12
    assert training_error(t + 1.0, alpha, noise, teacher, init) <= train * (1 + 1e-12) + 1e-300


@pytest.mark.parametrize("call, name", [
    (lambda: generalization_error(-1.0, 1.0, 0.1), "t"),
    (lambda: generalization_error(np.nan, 1.0, 0.1), "t"),
    (lambda: generalization_error(1.0, 0.0, 0.1), "alpha"),
    (lambda: training_error(1.0, 1.0, -0.1), "noise_variance"),
    (lambda: training_error(1.0, 1.0, 0.1, -1.0), "teacher_variance"),
    (lambda: generalization_error(1.0, 1.0, 0.1, 1.0, -0.5), "init_variance"),
    (lambda: generalization_error(1.0, 1.0, 0.1, tau=0.0), "tau"),
    (lambda: optimal_stopping_time(np.inf, 0.1), "alpha"),
    (lambda: optimal_ridge_error(1.0, 0.1, 0.0), "teacher_variance"),
])
def test_invalid_arguments_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name}=.* is out of range"):
        call()
