"""Ridge regression (summed loss, inputs of variance 1/d): closed forms against independent routes."""

import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from tests.negative_controls import peer_ridge_excess
from theory.ridge import (
    ridge_bayes_error,
    ridge_excess_risk,
    ridge_overlaps,
    ridge_resolvent_trace,
    ridge_test_error,
    ridge_train_error,
    ridgeless_finite_size_excess,
)


@pytest.fixture(autouse=True)
def _mpmath_precision():
    with mp.workdps(30):
        yield


def mp_bulk_integral(f, alpha):
    """∫ f(s) ρ(s) ds over the bulk of the MP law of XᵀX (ratio 1/α, scale α), angle substitution."""
    a = mp.mpf(alpha)
    lo, hi = (1 - mp.sqrt(a)) ** 2, (1 + mp.sqrt(a)) ** 2

    def integrand(theta):
        s = lo + (hi - lo) * mp.sin(theta) ** 2
        return f(s) * (hi - lo) ** 2 * mp.sin(theta) ** 2 * mp.cos(theta) ** 2 / (mp.pi * s)

    return mp.quad(integrand, [0, mp.pi / 4, mp.pi / 2])


def mp_ridge(alpha, lam, noise, teacher):
    """Excess, train, overlap and resolvent trace by quadrature (atom 1 − α at 0 for α < 1)."""
    a, lam = mp.mpf(alpha), mp.mpf(lam)
    atom = max(0, 1 - a)
    bias = mp_bulk_integral(lambda s: lam ** 2 / (s + lam) ** 2, a) + atom
    var = mp_bulk_integral(lambda s: s / (s + lam) ** 2, a)
    train = (teacher * mp_bulk_integral(lambda s: lam ** 2 * s / (s + lam) ** 2, a)
             + noise * (mp_bulk_integral(lambda s: lam ** 2 / (s + lam) ** 2, a) + max(0, a - 1))) / a
    overlap = teacher * mp_bulk_integral(lambda s: s / (s + lam), a)
    trace = mp_bulk_integral(lambda s: 1 / (s + lam), a) + atom / lam
    return teacher * bias + noise * var, train, overlap, trace


# α on both sides of and at the interpolation threshold; λ from 1e-12 (naive forms lose
# 1e-3 here) to 100
CASES = [(alpha, lam) for alpha in (0.1, 0.5, 0.999, 1.0, 1.5, 10.0) for lam in (1e-12, 1e-3, 1.0, 100.0)]


@pytest.mark.parametrize("alpha, lam", CASES)
def test_closed_forms_match_marchenko_pastur_quadrature(alpha, lam):
    excess, train, overlap, trace = (float(v) for v in mp_ridge(alpha, lam, 0.3, 1.7))
    assert ridge_excess_risk(alpha, lam, 0.3, 1.7) == pytest.approx(excess, rel=1e-12)
    assert ridge_train_error(alpha, lam, 0.3, 1.7) == pytest.approx(train, rel=1e-12)
    assert ridge_overlaps(alpha, lam, 0.3, 1.7)[0] == pytest.approx(overlap, rel=1e-12)
    assert ridge_resolvent_trace(alpha, lam) == pytest.approx(trace, rel=1e-12)


def test_stable_branches_are_exact_algebra():
    """The branch forms of g, V and g̃ are the quadratic roots and g + λg' (sympy)."""
    a, lam = sp.symbols("alpha lambda", positive=True)
    b, c = a - 1 + lam, 1 - a + lam
    root = sp.sqrt(b ** 2 + 4 * lam)
    g = (root - b) / (2 * lam)
    assert sp.simplify(lam * g ** 2 + b * g - 1) == 0
    assert sp.simplify(2 / (b + root) - g) == 0
    gprime = sp.diff(g, lam)
    assert sp.simplify(gprime + g * (1 + g) / root) == 0
    v = g + lam * gprime
    assert sp.simplify(v - g * (root + a - 1 - lam) / (2 * root)) == 0
    assert sp.simplify(v - 2 * a * lam * g / (root * (root + c))) == 0
    assert sp.simplify(c ** 2 + 4 * a * lam - root ** 2) == 0
    # g̃ = (1/n) tr(XXᵀ + λ)⁻¹ = g/α + (1 − 1/α)/λ is the positive root of αλg̃² + c g̃ − 1 = 0
    gt = g / a + (1 - 1 / a) / lam
    assert sp.simplify(a * lam * gt ** 2 + c * gt - 1) == 0
    assert sp.simplify(-sp.diff(gt, lam) - gt * (1 + a * gt) / root) == 0


def test_ridgeless_limits():
    noise, teacher = 0.25, 1.3
    alpha = np.array([0.25, 0.5, 2.0, 4.0])
    expected = np.where(alpha < 1, teacher * (1 - alpha) + noise * alpha / (1 - alpha), noise / (alpha - 1))
    np.testing.assert_allclose(ridge_excess_risk(alpha, 0.0, noise, teacher), expected, rtol=1e-15)
    np.testing.assert_allclose(ridge_excess_risk(alpha, 1e-11, noise, teacher), expected, rtol=1e-9)
    np.testing.assert_allclose(ridge_train_error(alpha, 0.0, noise, teacher),
                               np.where(alpha < 1, 0.0, noise * (1 - 1 / alpha)), rtol=1e-15)
    m, q = ridge_overlaps(alpha, 0.0, noise, teacher)
    np.testing.assert_allclose(m, teacher * np.minimum(1, alpha), rtol=1e-15)
    np.testing.assert_allclose(q, expected + 2 * m - teacher, rtol=1e-14)
    # the double-descent peak: infinite at α = 1 with noise, E ≈ σ²/(2√λ) as λ → 0
    assert ridge_excess_risk(1.0, 0.0, noise) == np.inf and ridge_overlaps(1.0, 0.0, noise)[1] == np.inf
    assert ridge_excess_risk(1.0, 1e-10, noise, teacher) == pytest.approx(noise / (2 * math.sqrt(1e-10)), rel=1e-4)
    assert ridge_excess_risk(1.0, 0.0, 0.0) == 0.0 and ridge_resolvent_trace([0.5, 1.0], 0.0).tolist() == [np.inf] * 2
    assert ridge_resolvent_trace(3.0, 0.0) == 0.5


def test_large_ridge_returns_the_prior():
    """λ → ∞: ŵ → 0, so E → ρ, m → 0 and the training error → (ρ + σ²)."""
    assert ridge_excess_risk(2.0, 1e9, 0.4, 1.5) == pytest.approx(1.5, rel=1e-8)
    assert ridge_train_error(2.0, 1e9, 0.4, 1.5) == pytest.approx(1.9, rel=1e-8)
    assert ridge_overlaps(2.0, 1e9, 0.4, 1.5)[0] == pytest.approx(0.0, abs=1e-8)


def test_stated_values_and_wrong_conventions():
    """The classics note's checked numbers, and the values of its named mistakes."""
    # ρ = 2, α = 3, λ = 1, σ² = 0.5: simulation 0.3165 ± 0.0033 (note); the peer formula gives 0.549
    assert ridge_excess_risk(3.0, 1.0, 0.5, 2.0) == pytest.approx(0.315488407541685, rel=1e-12)
    assert peer_ridge_excess(3.0, 1.0, 0.5, 2.0) == pytest.approx(0.549, abs=5e-4)
    # λ in the statistics convention used as the physics one: 0.158 instead of 0.334
    assert ridge_excess_risk(3.0, 1.0, 0.25) == pytest.approx(0.15774420377084, rel=1e-12)
    assert ridge_excess_risk(3.0, 3.0, 0.25) == pytest.approx(0.33404101233505, rel=1e-12)
    assert ridge_test_error(3.0, 1.0, 0.25) == pytest.approx(0.25 + 0.15774420377084, rel=1e-12)
    # finite size, min-norm: n = 220, d = 200, σ² = 0.25 → 2.632 (asymptotic 2.5)
    assert ridgeless_finite_size_excess(220, 200, 0.25) == pytest.approx(0.25 * 200 / 19, rel=1e-15)
    assert ridge_excess_risk(1.1, 0.0, 0.25) == pytest.approx(2.5, rel=1e-14)


def test_peer_formula_is_right_only_for_unit_teacher_variance():
    for alpha, lam, noise in [(3.0, 1.0, 0.5), (0.5, 0.1, 0.25)]:
        assert peer_ridge_excess(alpha, lam, noise, 1.0) == pytest.approx(
            ridge_excess_risk(alpha, lam, noise, 1.0), rel=1e-12)
        assert abs(peer_ridge_excess(alpha, lam, noise, 2.0) / ridge_excess_risk(alpha, lam, noise, 2.0) - 1) > 0.2


def test_bayes_ridge_is_the_minimum():
    """λ* = σ²/ρ: E(λ*) = σ² g(α, λ*), ∂E/∂λ = 0 there, and no other λ does better."""
    for alpha, noise, teacher in [(0.5, 0.25, 1.0), (2.0, 0.4, 1.5), (1.0, 1.0, 0.3)]:
        lam = noise / teacher
        best = ridge_bayes_error(alpha, noise, teacher)
        assert best == pytest.approx(noise * ridge_resolvent_trace(alpha, lam), rel=1e-14)
        assert best == pytest.approx(ridge_excess_risk(alpha, lam, noise, teacher), rel=1e-13)
        h = 1e-5 * lam
        slope = (ridge_excess_risk(alpha, lam + h, noise, teacher)
                 - ridge_excess_risk(alpha, lam - h, noise, teacher)) / (2 * h)
        assert abs(slope) < 1e-8
        grid = lam * np.logspace(-3, 3, 601)
        assert np.all(ridge_excess_risk(alpha, grid, noise, teacher) >= best * (1 - 1e-14))
    assert ridge_bayes_error(0.4, 0.0, 2.0) == pytest.approx(1.2)  # noiseless: ρ(1 − α)


def test_double_descent_peak_locations():
    """The excess risk's local maximum in α (σ² = 0.25, ρ = 1): at 1 only as λ → 0."""
    from scipy.optimize import minimize_scalar

    for lam, where in [(1e-4, 1.00008), (1e-2, 0.99363), (0.03, 0.9177)]:
        found = minimize_scalar(lambda a: -ridge_excess_risk(a, lam, 0.25), bounds=(0.8, 1.2),
                                method="bounded", options={"xatol": 1e-9}).x
        assert found == pytest.approx(where, abs=1e-4)


def test_finite_size_ridgeless_means():
    assert ridgeless_finite_size_excess(300, 100, 0.5, 2.0) == pytest.approx(0.5 * 100 / 199)
    assert ridgeless_finite_size_excess(50, 100, 0.5, 2.0) == pytest.approx(2.0 * 0.5 + 0.5 * 50 / 49)
    assert ridgeless_finite_size_excess(np.array([99, 100, 101]), 100, 0.5).tolist() == [np.inf] * 3
    assert ridgeless_finite_size_excess(101, 100, 0.0, 2.0) == 0.0
    # converges to the asymptotic formula like 1/d
    big = ridgeless_finite_size_excess(20000, 10000, 0.25, 1.0)
    assert big == pytest.approx(ridge_excess_risk(2.0, 0.0, 0.25), rel=2e-4)


@given(alpha=st.floats(0.05, 20.0), lam=st.floats(1e-10, 1e3), noise=st.floats(0.0, 5.0),
       teacher=st.floats(0.01, 5.0))
def test_errors_are_finite_and_ordered(alpha, lam, noise, teacher):
    excess = ridge_excess_risk(alpha, lam, noise, teacher)
    train = ridge_train_error(alpha, lam, noise, teacher)
    m, q = ridge_overlaps(alpha, lam, noise, teacher)
    assert np.isfinite([excess, train, m, q]).all()
    assert excess >= 0 and train >= 0 and q >= 0 and 0 <= m <= teacher * (1 + 1e-12)
    assert excess >= ridge_bayes_error(alpha, noise, teacher) * (1 - 1e-10) - 1e-300
    assert m * m <= teacher * q * (1 + 1e-9) + 1e-300  # Cauchy–Schwarz


@pytest.mark.parametrize("call, name", [
    (lambda: ridge_excess_risk(0.0, 1.0, 0.1), "alpha"),
    (lambda: ridge_excess_risk(1.0, -1.0, 0.1), "reg"),
    (lambda: ridge_excess_risk(1.0, 1.0, -0.1), "noise_variance"),
    (lambda: ridge_train_error(1.0, 1.0, 0.1, np.nan), "teacher_variance"),
    (lambda: ridge_bayes_error(1.0, 0.1, 0.0), "teacher_variance"),
    (lambda: ridgeless_finite_size_excess(10.5, 5, 0.1), "n"),
    (lambda: ridgeless_finite_size_excess(10, 0, 0.1), "d"),
])
def test_invalid_arguments_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name}=.* is out of range"):
        call()


@pytest.mark.parametrize("alpha, noise, expected", [
    (0.5, 5e-324, 0.5),          # λ* is subnormal: σ² g must not become 0 · inf
    (3.0, 1e300, 1.0),           # λ* huge: b² must not overflow; the estimator shrinks to 0
    (3.0, 1e10, 1.0 - 3e-10),
])
def test_bayes_error_at_the_edges_of_the_noise_range(alpha, noise, expected):
    assert ridge_bayes_error(alpha, noise) == pytest.approx(expected, rel=1e-9)
