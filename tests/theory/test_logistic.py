"""Sur–Candès system and the MLE existence threshold against independent routes and limits."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.optimize import brentq, minimize_scalar, root
from scipy.special import expit, ndtr

from theory.logistic import _prox, logistic_mle_existence_threshold, sur_candes_parameters

from tests.argument_validation import invalid_call_test, rejects


def test_paper_values():
    """Sur & Candès (2019), κ = 0.2, γ² = 5: α* = 1.4994, σ* = 4.7436 (note (f))."""
    p = sur_candes_parameters(0.2, math.sqrt(5))
    assert p.alpha == pytest.approx(1.4994, abs=5e-5)
    assert p.sigma == pytest.approx(4.7436, abs=5e-5)
    assert p.lam > 0


@pytest.fixture(scope="module")
def glmhd_rule():
    """Another Gauss–Hermite rule (240 nodes, negligible weights dropped)."""
    x, w = np.polynomial.hermite_e.hermegauss(240)
    z1, z2 = np.meshgrid(x, x, indexing="ij")
    weights = np.outer(w, w) / (2 * math.pi)
    keep = weights > 1e-32 * weights.max()
    return z1[keep], z2[keep], weights[keep]


def glmhd_equations(rule, kappa, gamma):
    """The equivalent three equations of Zhao, Sur & Candès (R package glmhd), with both label
    branches written out: σ_g = √κ σ, S₁ = γZ₁, S₂ = αγZ₁ + σ_g Z₂, p₀ = prox(S₂),
    p₁ = −prox(−S₂)."""
    z1, z2, w = rule

    def glmhd(v):
        a, s, lam = v
        sg = math.sqrt(kappa) * s
        s1, s2 = gamma * z1, a * gamma * z1 + sg * z2
        p0, p1 = _prox(s2, lam), -_prox(-s2, lam)
        r = expit(s1)
        mix = r * p1 + (1 - r) * p0
        return np.array([np.sum(w * (r * (s2 - p1) ** 2 + (1 - r) * (s2 - p0) ** 2)) - sg**2 * kappa,
                         np.sum(w * z2 * mix) - sg * (1 - kappa),
                         np.sum(w * z1 * mix) - gamma * a])

    return glmhd


@pytest.mark.parametrize("kappa, gamma", [(0.1, 1.0), (0.3, 0.5), (0.05, 3.0)])
def test_glmhd_form_vanishes_at_the_solution(glmhd_rule, kappa, gamma):
    ours = np.array(sur_candes_parameters(kappa, gamma))
    np.testing.assert_allclose(glmhd_equations(glmhd_rule, kappa, gamma)(ours), 0.0, atol=1e-11)


def test_glmhd_form_has_the_same_root(glmhd_rule):
    """Solved on its own from a perturbed start (κ = 0.2, γ² = 5): the same root to 1e-10."""
    kappa, gamma = 0.2, math.sqrt(5)
    ours = np.array(sur_candes_parameters(kappa, gamma))
    sol = root(glmhd_equations(glmhd_rule, kappa, gamma), ours * np.array([1.01, 0.99, 1.02]),
               method="hybr", options={"xtol": 1e-13})
    assert sol.success
    np.testing.assert_allclose(sol.x, ours, rtol=1e-10)


@pytest.mark.parametrize("kappa, gamma", [(0.3, math.sqrt(5)), (0.17, 5.0), (0.45, 0.3)])
def test_quadrature_is_converged_near_the_threshold(kappa, gamma, monkeypatch):
    """Close to h(γ) (σ* ≈ 9–15) a global Gauss–Hermite rule misses the prox's turn (the
    240-node glmhd rule above is off by ~1e-6 at κ = 0.3, γ² = 5); the conditional rule used
    here is converged: twice the panels and 1.5× the inner nodes move the residuals < 1e-13."""
    import theory.logistic as logistic

    v = np.array(sur_candes_parameters(kappa, gamma))
    monkeypatch.setattr(logistic, "_PANEL_WIDTH", 0.5 * logistic._PANEL_WIDTH)
    monkeypatch.setattr(logistic, "_INNER_NODES", 150)
    logistic._inner_rule.cache_clear()
    try:
        np.testing.assert_allclose(logistic._residuals(v, kappa, gamma), 0.0, atol=1e-13)
    finally:
        logistic._inner_rule.cache_clear()


@pytest.mark.parametrize("lam", [0.1, 3.0, 11.7, 60.0])
def test_prox_solves_its_equation(lam):
    """Against brentq, including λ = 11.7, z = 5.088 where plain Newton cycles between the ends."""
    z = np.array([-40.0, -3.0, 0.0, 0.7, 5.088, 6.612, 25.0])
    t = _prox(z, lam)
    for zi, ti in zip(z, t):
        ref = brentq(lambda u: u + lam * expit(u) - zi, zi - lam, zi, xtol=1e-15, rtol=1e-15)
        assert ti == pytest.approx(ref, rel=1e-13, abs=1e-13)


def test_classical_limit():
    """κ → 0: α* → 1, σ*² → 1/E ρ''(γZ) (inverse Fisher information per coordinate)."""
    gamma = 1.0
    def curvature(z):
        return expit(gamma * z) * (1 - expit(gamma * z)) * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)

    info = quad(curvature, -40, 40, epsabs=0, epsrel=1e-13)[0]
    p = sur_candes_parameters(1e-4, gamma)
    assert p.alpha == pytest.approx(1.0, abs=1e-3)
    assert p.sigma**2 == pytest.approx(1 / info, rel=1e-3)


def test_zero_signal():
    """γ = 0: α* is void (NaN); σ*, λ* continue the γ > 0 branch."""
    p0 = sur_candes_parameters(0.2, 0.0)
    assert math.isnan(p0.alpha)
    p = sur_candes_parameters(0.2, 1e-3)
    assert p.sigma == pytest.approx(p0.sigma, rel=1e-5)
    assert p.lam == pytest.approx(p0.lam, rel=1e-5)


def quad_threshold(gamma: float) -> float:
    """h(γ) = min_t E(Z − tV)_+² by adaptive quadrature, with W written out directly."""
    def w_int(c):
        return (1 + c * c) * ndtr(c) + c * math.exp(-c * c / 2) / math.sqrt(2 * math.pi)

    def objective(t):
        f = lambda x: 2 * expit(gamma * x) * w_int(-t * x) * math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
        return quad(f, -np.inf, 0, epsabs=0, epsrel=1e-12)[0] + quad(f, 0, np.inf, epsabs=0, epsrel=1e-12)[0]

    return minimize_scalar(objective, bounds=(0, 50), method="bounded", options={"xatol": 1e-9}).fun


@pytest.mark.parametrize("gamma", [0.5, math.sqrt(5), 5.0, 15.0])
def test_threshold_matches_adaptive_quadrature(gamma):
    assert logistic_mle_existence_threshold(gamma) == pytest.approx(quad_threshold(gamma), rel=1e-10)


def test_threshold_limits_and_shape():
    assert logistic_mle_existence_threshold(0.0) == 0.5                  # Cover: p/n < 1/2
    h = logistic_mle_existence_threshold(np.array([0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0]))
    assert np.all(np.diff(h) < 0) and h[-1] < 0.06
    assert 0.2 < logistic_mle_existence_threshold(math.sqrt(5)) < 0.35   # κ = 0.2 at γ² = 5 exists


@settings(max_examples=5, deadline=None)
@given(st.floats(0.02, 0.9), st.floats(0.2, 3.0))
def test_parameters_properties(fraction, gamma):
    """Over the existence region: finite, α* > 1, σ* > 0, λ* > 0, α* increasing in κ."""
    kappa = fraction * logistic_mle_existence_threshold(gamma)
    p = sur_candes_parameters(kappa, gamma)
    assert np.all(np.isfinite(p)) and p.alpha > 1 and p.sigma > 0 and p.lam > 0
    assert sur_candes_parameters(0.5 * kappa, gamma).alpha < p.alpha


test_invalid_calls = invalid_call_test(
    rejects("kappa=0.0", sur_candes_parameters, 0.0, 1.0),
    rejects("kappa=0.5", sur_candes_parameters, 0.5, 0.0),
    rejects("kappa=0.4", sur_candes_parameters, 0.4, math.sqrt(5)),    # beyond h(√5) = 0.326
    rejects("gamma=-1.0", sur_candes_parameters, 0.1, -1.0),
    rejects("gamma=nan", logistic_mle_existence_threshold, np.nan),
    rejects("gamma=25.0", logistic_mle_existence_threshold, 25.0),
)
