"""LASSO AMP state evolution (Donoho, Maleki & Montanari 2009; Bayati & Montanari 2011, 2012).

Oracles: the 1-D mpmath route of the note, E[(η(U) − X)²] = E_U[(η(U) − (s²/v)U)²] + s²τ²/v with
U ~ N(0, v) and breakpoints ±λ; an mpmath root of the fixed-point equation; the phase
transition through the statistical-dimension form of Amelunxen, Lotz, McCoy & Tropp (2014),
δ = min_θ [(1−ε)m₀(θ) + ε(1+θ²)] at ε = ρδ; limits and the recursion itself.
"""

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.argument_validation import invalid_call_test, rejects
from theory.lasso_amp import (dmm_phase_transition, lasso_amp_fixed_point, lasso_amp_state_evolution,
                              lasso_lambda, minimal_threshold, noise_threshold_risk,
                              soft_threshold_active_fraction, soft_threshold_mse)

mp.mp.dps = 30


def _mp_noise_risk(theta):
    t = mp.mpf(theta)
    return 2 * ((1 + t * t) * mp.ncdf(-t) - t * mp.npdf(t))


def _mp_gaussian_part(tau2, theta, s2):
    tau2, theta, s2 = (mp.mpf(v) for v in (tau2, theta, s2))
    v = s2 + tau2
    lam = theta * mp.sqrt(tau2)
    shrink = s2 / v
    sd = mp.sqrt(v)

    def integrand(u):
        eta = mp.sign(u) * max(abs(u) - lam, 0)
        return (eta - shrink * u) ** 2 * mp.npdf(u, 0, sd)

    return mp.quad(integrand, [-mp.inf, -lam - 10 * sd, -lam, 0, lam, lam + 10 * sd, mp.inf]) + s2 * tau2 / v


def _mp_mse(tau2, theta, eps, s2):
    eps = mp.mpf(eps)
    return (1 - eps) * mp.mpf(tau2) * _mp_noise_risk(theta) + eps * _mp_gaussian_part(tau2, theta, s2)


@pytest.mark.parametrize("tau2, theta, eps, s2", [
    (0.01, 2.0, 0.1, 4.0), (1e-12, 1.5, 0.2, 1.0), (1e-20, 1.5, 0.2, 1.0), (0.5, 1.3, 0.2, 1.0),
    (100.0, 0.5, 0.5, 1.0), (3.0, 8.0, 0.1, 2.0), (1e4, 1.0, 0.3, 0.01), (0.04, 0.0, 0.1, 1.0),
    (0.04, 25.0, 0.1, 1.0), (0.2, 1.0, 1.0, 1.0), (0.2, 1.0, 0.0, 1.0),
])
def test_soft_threshold_mse_against_mpmath(tau2, theta, eps, s2):
    assert soft_threshold_mse(tau2, theta, eps, s2) == pytest.approx(float(_mp_mse(tau2, theta, eps, s2)),
                                                                     rel=1e-14)


def test_naive_gaussian_part_loses_its_digits():
    """The textbook v·m₀(a) − 4s²Φ(−a) + s² cancels O(s²) to O(τ²): ≥ 1e-6 wrong at τ² = 1e-12."""
    tau2, theta, s2 = 1e-12, 1.5, 1.0
    v = s2 + tau2
    a = theta * math.sqrt(tau2 / v)
    phi_tail = 0.5 * math.erfc(a / math.sqrt(2))
    naive = v * float(noise_threshold_risk(a)) - 4 * s2 * phi_tail + s2
    ref = float(_mp_gaussian_part(tau2, theta, s2))
    assert abs(naive - ref) / ref > 1e-6
    assert soft_threshold_mse(tau2, theta, 1.0, s2) == pytest.approx(ref, rel=1e-14)


@pytest.mark.parametrize("theta", [0.0, 0.5, 1.0, 3.0, 8.0, 15.0, 29.0])
def test_noise_risk_against_mpmath(theta):
    ref = float(_mp_noise_risk(theta))
    assert noise_threshold_risk(theta) == pytest.approx(ref, rel=2e-11 if theta > 20 else 1e-12)


def test_limits_of_the_risk():
    assert noise_threshold_risk(0.0) == pytest.approx(1.0, rel=1e-15)
    # τ → 0: mse/τ² → (1−ε)m₀(θ) + ε(1 + θ²) (every non-zero is shifted by θτ)
    eps, theta = 0.2, 1.5
    slope = (1 - eps) * noise_threshold_risk(theta) + eps * (1 + theta**2)
    assert soft_threshold_mse(1e-18, theta, eps, 1.0) / 1e-18 == pytest.approx(slope, rel=1e-8)
    # τ → ∞: everything is noise, mse → τ² m₀(θ) + εs²(…) ≈ τ² m₀(θ)
    assert soft_threshold_mse(1e12, theta, eps, 1.0) / 1e12 == pytest.approx(noise_threshold_risk(theta), rel=1e-5)
    # θ = 0 is the identity: mse = τ²
    assert soft_threshold_mse(0.3, 0.0, eps, 2.0) == pytest.approx(0.3, rel=1e-15)
    assert soft_threshold_mse(0.0, theta, eps, 1.0) == 0.0


@pytest.mark.parametrize("tau2, theta, eps, s2", [(0.05, 1.3, 0.2, 1.0), (2.0, 0.4, 0.6, 3.0), (0.0, 1.0, 0.1, 1.0)])
def test_active_fraction_against_mpmath(tau2, theta, eps, s2):
    if tau2 == 0:
        ref = 2 * (1 - eps) * mp.ncdf(-theta) + eps
    else:
        sd = mp.sqrt(mp.mpf(s2) + tau2)
        ref = 2 * (1 - eps) * mp.ncdf(-theta) + eps * 2 * mp.ncdf(-theta * mp.sqrt(tau2) / sd)
    assert soft_threshold_active_fraction(tau2, theta, eps, s2) == pytest.approx(float(ref), rel=1e-14)


def test_broadcasting():
    tau2 = np.array([0.01, 0.1, 1.0])
    theta = np.array([[1.0], [2.0]])
    values = soft_threshold_mse(tau2, theta, 0.1, 1.0)
    assert values.shape == (2, 3)
    assert values[1, 2] == soft_threshold_mse(1.0, 2.0, 0.1, 1.0)
    assert soft_threshold_active_fraction(tau2, theta, 0.1, 1.0).shape == (2, 3)
    assert isinstance(soft_threshold_mse(0.1, 1.0, 0.1, 1.0), float)


# --------------------------------------------------------------------------- state evolution

STANDARD = dict(delta=0.6, theta=1.3, sparsity=0.2, signal_variance=1.0, noise_variance=0.05)


def test_state_evolution_recursion():
    tau2, mse = lasso_amp_state_evolution(n_iter=6, **STANDARD)
    assert tau2.shape == (7,) and mse.shape == (6,)
    assert tau2[0] == pytest.approx(0.05 + 0.2 / 0.6, rel=1e-15)
    for t in range(6):
        assert mse[t] == pytest.approx(float(_mp_mse(tau2[t], 1.3, 0.2, 1.0)), rel=1e-14)
        assert tau2[t + 1] == pytest.approx(0.05 + mse[t] / 0.6, rel=1e-15)


@pytest.mark.parametrize("problem", [STANDARD,
                                     dict(delta=0.5, theta=1.5, sparsity=0.1, signal_variance=1.0,
                                          noise_variance=0.01),
                                     dict(delta=0.25, theta=2.0, sparsity=0.1, signal_variance=4.0,
                                          noise_variance=1e-4)])
def test_fixed_point_against_mpmath(problem):
    delta, theta, eps, s2, sigma2 = (problem[k] for k in ("delta", "theta", "sparsity", "signal_variance",
                                                          "noise_variance"))
    with mp.workdps(20):
        root = mp.findroot(lambda u: 1 - (sigma2 + _mp_mse(mp.exp(u), theta, eps, s2) / delta) / mp.exp(u),
                           (mp.log(sigma2), mp.log(sigma2 + eps * s2 / delta + 10)), solver="anderson")
        tau2_ref = float(mp.exp(root))
    tau2, mse = lasso_amp_fixed_point(**problem)
    assert tau2 == pytest.approx(tau2_ref, rel=1e-12)
    assert mse == pytest.approx(delta * (tau2 - sigma2), rel=1e-12)
    assert mse == pytest.approx(soft_threshold_mse(tau2, theta, eps, s2), rel=1e-15)


def test_state_evolution_reaches_the_fixed_point():
    tau2, mse = lasso_amp_state_evolution(n_iter=200, **STANDARD)
    tau2_star, mse_star = lasso_amp_fixed_point(**STANDARD)
    assert tau2[-1] == pytest.approx(tau2_star, rel=1e-13)
    assert mse[-1] == pytest.approx(mse_star, rel=1e-13)
    assert np.all(np.diff(mse) <= 0)  # from x⁰ = 0 the error falls monotonically


def test_fixed_point_without_signal():
    """ε = 0: only thresholded noise, τ*² = σ²/(1 − m₀(θ)/δ) and MSE* = τ*² m₀(θ)."""
    m0 = noise_threshold_risk(1.3)
    tau2, mse = lasso_amp_fixed_point(0.6, 1.3, 0.0, 1.0, 0.05)
    assert tau2 == pytest.approx(0.05 / (1 - m0 / 0.6), rel=1e-13)
    assert mse == pytest.approx(tau2 * m0, rel=1e-13)
    assert lasso_amp_fixed_point(0.6, 1.3, 0.0, 1.0, 0.0) == (0.0, 0.0)


def test_noiseless_fixed_point_switches_at_the_phase_transition():
    delta = 0.5
    rho, theta = dmm_phase_transition(delta)
    assert lasso_amp_fixed_point(delta, theta, 0.98 * rho * delta, 1.0, 0.0) == (0.0, 0.0)
    tau2, mse = lasso_amp_fixed_point(delta, theta, 1.02 * rho * delta, 1.0, 0.0)
    assert tau2 > 0 and mse == pytest.approx(delta * tau2, rel=1e-12)
    # a vanishing noise leads to the same branch
    assert lasso_amp_fixed_point(delta, theta, 1.02 * rho * delta, 1.0, 1e-30)[0] == pytest.approx(tau2, rel=1e-9)


def test_lasso_lambda():
    tau2, _ = lasso_amp_fixed_point(**STANDARD)
    active = soft_threshold_active_fraction(tau2, 1.3, 0.2, 1.0)
    assert lasso_lambda(**STANDARD) == pytest.approx(1.3 * math.sqrt(tau2) * (1 - active / 0.6), rel=1e-15)
    assert lasso_lambda(**STANDARD) > 0
    # just above θ_min the fixed point has more active coordinates than measurements: λ < 0
    # (Bayati & Montanari 2012: λ(θ) → −∞ as θ → θ_min)
    assert lasso_lambda(0.5, minimal_threshold(0.5) + 0.05, 0.5, 1.0, 1.0) < 0


# --------------------------------------------------------------------------- phase transition

@pytest.mark.parametrize("delta", [0.05, 0.25, 0.5, 0.9])
def test_phase_transition_is_the_statistical_dimension(delta):
    """At ε = ρδ, min_θ [(1−ε)m₀(θ) + ε(1+θ²)] = δ, attained at θ_opt (Amelunxen et al. 2014)."""
    rho, theta_opt = dmm_phase_transition(delta)
    eps = mp.mpf(rho) * delta
    dpsi = lambda t: (1 - eps) * 4 * (t * mp.ncdf(-t) - mp.npdf(t)) + 2 * eps * t  # ψ'(θ)
    t_star = mp.findroot(dpsi, mp.mpf(theta_opt))
    psi = (1 - eps) * _mp_noise_risk(t_star) + eps * (1 + t_star**2)
    assert float(psi) == pytest.approx(delta, rel=1e-13)
    assert theta_opt == pytest.approx(float(t_star), rel=1e-9)


def test_phase_transition_values_and_limits():
    rho, theta = dmm_phase_transition(np.array([0.1, 0.5, 0.999999]))
    np.testing.assert_allclose(rho, [0.18942936775967, 0.38568966618148, 0.99874768481925], rtol=1e-12)
    assert np.all(np.diff(rho) > 0) and np.all(np.diff(theta) < 0)
    assert minimal_threshold(2.0) == 0.0
    assert noise_threshold_risk(minimal_threshold(0.3)) == pytest.approx(0.3, rel=1e-13)


# --------------------------------------------------------------------------- validation

test_invalid_calls = invalid_call_test(
    rejects("tau2=-0.1", soft_threshold_mse, -0.1, 1.0, 0.1, 1.0),
    rejects("theta=-1.0", soft_threshold_mse, 0.1, -1.0, 0.1, 1.0),
    rejects("sparsity=1.5", soft_threshold_mse, 0.1, 1.0, 1.5, 1.0),
    rejects("signal_variance=0.0", soft_threshold_mse, 0.1, 1.0, 0.1, 0.0),
    rejects("tau2=nan", soft_threshold_active_fraction, np.nan, 1.0, 0.1, 1.0),
    rejects("delta=0.0", lasso_amp_state_evolution, 0.0, 1.0, 0.1, 1.0, 0.01, 5),
    rejects("noise_variance=-0.01", lasso_amp_state_evolution, 0.5, 1.0, 0.1, 1.0, -0.01, 5),
    rejects("n_iter=0", lasso_amp_state_evolution, 0.5, 1.0, 0.1, 1.0, 0.01, 0),
    rejects("delta=[0.5, 0.6]", lasso_amp_state_evolution, [0.5, 0.6], 1.0, 0.1, 1.0, 0.01, 3),
    rejects("theta=0.3 is out of range: must be > 0.405", lasso_amp_fixed_point, 0.5, 0.3, 0.1, 1.0, 0.01),
    rejects("theta=0.3", lasso_lambda, 0.5, 0.3, 0.1, 1.0, 0.01),
    rejects("delta=1.0", dmm_phase_transition, 1.0),
    rejects("delta=0.0", dmm_phase_transition, 0.0),
    rejects("theta=31.0", noise_threshold_risk, 31.0),
    rejects("delta=-1.0", minimal_threshold, -1.0),
)


# --------------------------------------------------------------------------- properties

taus = st.floats(0.0, 1e3)
thetas = st.floats(0.0, 6.0)
sparsities = st.floats(0.0, 1.0)
signals = st.floats(1e-2, 1e2)


@given(taus, taus, thetas, sparsities, signals)
def test_mse_is_non_negative_increasing_and_bounded(a, b, theta, eps, s2):
    lo, hi = min(a, b), max(a, b)
    m_lo, m_hi = soft_threshold_mse(lo, theta, eps, s2), soft_threshold_mse(hi, theta, eps, s2)
    assert 0.0 <= m_lo <= m_hi * (1 + 1e-13) + 1e-300
    assert m_hi <= eps * s2 + hi * (1 + theta**2) * (1 + 1e-13)  # |η(U) − X| ≤ τ|Z| + θτ, or |X|
    assert 0.0 <= soft_threshold_active_fraction(hi, theta, eps, s2) <= 1.0


@given(st.floats(1e-4, 1e2), st.floats(1e-4, 1e2), thetas, sparsities, signals)
def test_mse_over_tau2_decreases(a, b, theta, eps, s2):
    """mse is concave with mse(0) = 0, so mse(τ²)/τ² decreases: the fixed point is unique."""
    assume(abs(a - b) > 1e-6 * max(a, b))
    lo, hi = min(a, b), max(a, b)
    assert (soft_threshold_mse(hi, theta, eps, s2) / hi
            <= soft_threshold_mse(lo, theta, eps, s2) / lo * (1 + 1e-12))


@given(st.floats(0.05, 2.0), st.floats(0.0, 4.0), st.floats(0.01, 0.9), st.floats(0.1, 10.0),
       st.floats(1e-4, 1.0))
def test_fixed_point_solves_its_equation(delta, extra, eps, s2, sigma2):
    theta = minimal_threshold(delta) + 0.05 + extra
    tau2, mse = lasso_amp_fixed_point(delta, theta, eps, s2, sigma2)
    assert math.isfinite(tau2) and tau2 >= sigma2
    assert tau2 == pytest.approx(sigma2 + soft_threshold_mse(tau2, theta, eps, s2) / delta, rel=1e-12)
    active = soft_threshold_active_fraction(tau2, theta, eps, s2)
    assert (lasso_lambda(delta, theta, eps, s2, sigma2) > 0) == (active < delta)
