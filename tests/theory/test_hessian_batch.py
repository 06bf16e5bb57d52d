"""Batch-Hessian laws: closed forms against independent routes, limits and properties."""

import itertools

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, special

from theory.free_convolution import mp_semicircle_edges
from theory.hessian_batch import (TRACY_WIDOM_GOE_MEAN, additive_model_critical_batch_size,
                                  additive_model_edge_centring, additive_model_max_learning_rate,
                                  additive_model_top_eigenvalue, additive_model_top_eigenvalue_finite_data,
                                  free_convolution_top_eigenvalue, frozen_adam_max_learning_rate,
                                  online_sgd_max_learning_rate, perturbative_excess,
                                  spiked_wishart_critical_batch_size, spiked_wishart_edge_centring,
                                  spiked_wishart_excess_finite_data, spiked_wishart_max_learning_rate,
                                  spiked_wishart_top_eigenvalue)
from theory.sgd_stability import mean_square_threshold, without_replacement_factor
from tests.argument_validation import invalid_call_test, rejects


# ---------------------------------------------------------------- closed forms in mpmath

def mp_additive(beta, p, b, var):
    beta, s2 = mp.mpf(beta), mp.mpf(p) * mp.mpf(var) / mp.mpf(b)
    return beta + s2 / beta if beta ** 2 > s2 else 2 * mp.sqrt(s2)


def mp_wishart(ell, p, b):
    ell, gamma = mp.mpf(ell), mp.mpf(p) / mp.mpf(b)
    return ell * (1 + gamma / (ell - 1)) if ell > 1 + mp.sqrt(gamma) else (1 + mp.sqrt(gamma)) ** 2


@pytest.mark.parametrize("beta, p, b, var", [(2.0, 400, 25, 1.0), (2.0, 400, 800, 1.0), (0.7, 50, 3, 2.5),
                                             (5.0, 1000, 1e5, 0.3)])
def test_additive_model_against_mpmath(beta, p, b, var):
    with mp.workdps(30):
        assert additive_model_top_eigenvalue(beta, p, b, var) == pytest.approx(float(mp_additive(beta, p, b, var)),
                                                                               rel=1e-14)
        assert additive_model_max_learning_rate(beta, p, b, var) == pytest.approx(
            float(2 / mp_additive(beta, p, b, var)), rel=1e-14)


@pytest.mark.parametrize("ell, p, b", [(3.0, 400, 50), (3.0, 400, 400), (1.5, 100, 1000), (0.5, 100, 10)])
def test_spiked_wishart_against_mpmath(ell, p, b):
    with mp.workdps(30):
        assert spiked_wishart_top_eigenvalue(ell, p, b) == pytest.approx(float(mp_wishart(ell, p, b)), rel=1e-14)
        assert spiked_wishart_max_learning_rate(ell, p, b) == pytest.approx(float(2 / mp_wishart(ell, p, b)),
                                                                            rel=1e-14)


def test_note_values_and_continuity_at_the_thresholds():
    # the note's numbers: additive edge 1 + 2√8 is *not* the additive law; spiked Wishart 14.66 at B = 50
    assert spiked_wishart_top_eigenvalue(3.0, 400, 50) == pytest.approx(14.657, abs=1e-3)
    assert spiked_wishart_top_eigenvalue(3.0, 400, 400) == pytest.approx(4.5)
    b_star = additive_model_critical_batch_size(2.0, 400)
    assert b_star == 100.0
    below, above = additive_model_top_eigenvalue(2.0, 400, [b_star * (1 - 1e-12), b_star * (1 + 1e-12)])
    assert below == pytest.approx(above, rel=1e-10) and above == pytest.approx(4.0)
    w_star = spiked_wishart_critical_batch_size(3.0, 400)
    assert spiked_wishart_top_eigenvalue(3.0, 400, w_star * (1 - 1e-12)) == pytest.approx(
        spiked_wishart_top_eigenvalue(3.0, 400, w_star * (1 + 1e-12)), rel=1e-10)


def test_finite_data_versions():
    p, n = 400, 2000
    b = np.array([1, 50, 400, 1999, 2000])
    factor = without_replacement_factor(b, n)
    expected = [float(mp_additive(2.0, p, 1 / f, 1.0)) if f > 0 else 2.0 for f in factor]  # B_eff = 1/p
    np.testing.assert_allclose(additive_model_top_eigenvalue_finite_data(2.0, p, b, n), expected, rtol=1e-13)
    # the Wishart excess is the difference of two outlier locations (batch ratio P/B, data ratio P/N)
    ell, b = 6.0, np.array([200, 800, 2000])
    expected = spiked_wishart_top_eigenvalue(ell, p, b) - spiked_wishart_top_eigenvalue(ell, p, n)
    np.testing.assert_allclose(spiked_wishart_excess_finite_data(ell, p, b, n), expected, rtol=1e-12, atol=1e-14)


def test_additive_per_step_rate_has_slope_one_half_below_the_threshold_not_one():
    b = np.array([5.0, 10.0, 20.0, 40.0])          # B* = 100 for β = 2, P = 400
    slope = np.polyfit(np.log(b), np.log(additive_model_max_learning_rate(2.0, 400, b)), 1)[0]
    assert slope == pytest.approx(0.5, abs=1e-12)
    rates = additive_model_max_learning_rate(2.0, 400, [101.0, 1e9])
    assert rates[0] == pytest.approx(1 / 2.0, rel=1e-2) and rates[1] == pytest.approx(2 / 2.0, rel=1e-6)


# ---------------------------------------------------------------- free convolution

@pytest.mark.parametrize("b", [25, 100, 150, 400, 3200])
def test_free_convolution_reduces_to_the_additive_model_without_bulk(b):
    shift = 1e-6   # q → 0: the Marchenko–Pastur bulk is an atom at its mean σ_b²
    got = free_convolution_top_eigenvalue(2.0, 400, b, 1e-12, shift)
    assert got - shift == pytest.approx(additive_model_top_eigenvalue(2.0, 400, b), rel=1e-9)


@pytest.mark.parametrize("b, ratio, bulk", [(400, 0.5, 0.3), (2000, 2.0, 0.2), (400, 0.25, 1.0),
                                            (100, 0.25, 1.0)])
def test_free_convolution_outlier_against_the_r_transform(b, ratio, bulk):
    """G(λ) = 1/β means λ = R(1/β) + β, R(g) = σ_b²/(1 − qσ_b²g) + s²g (Benaych-Georges–Nadakuditi);
    it is the outlier when 1/β lies before the critical point of z(g) = R(g) + 1/g (z' < 0 there)."""
    beta, noise = 2.0, 400 / b
    with mp.workdps(30):
        g = 1 / mp.mpf(beta)
        r = lambda g: mp.mpf(bulk) / (1 - ratio * mp.mpf(bulk) * g) + noise * g
        slope = mp.diff(lambda g: r(g) + 1 / g, g)
        expected = float(r(g) + beta) if slope < 0 else float(mp_semicircle_edges(ratio, noise, bulk)[-1])
    assert free_convolution_top_eigenvalue(beta, 400, b, ratio, bulk) == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------- learning rates

def gaussian_fourth_moment_operator(p):
    """E[x xᵀ Σ x xᵀ] for x ~ N(0, I_p), as a p² × p² matrix, by Gauss–Hermite quadrature."""
    nodes, weights = special.roots_hermitenorm(3)
    weights = weights / weights.sum()
    total = np.zeros((p * p, p * p))
    for idx in itertools.product(range(3), repeat=p):
        x = nodes[list(idx)]
        w = np.prod(weights[list(idx)])
        xx = np.outer(x, x)
        total += w * np.kron(xx, xx)
    return total


@pytest.mark.parametrize("p", [1, 2, 3])
@pytest.mark.parametrize("b", [1, 2, 7])
def test_online_threshold_against_quadrature_of_the_fourth_moments(p, b):
    """D = (1/B) E[x xᵀ Σ x xᵀ] + (1 − 1/B) Σ with the fourth moments by quadrature (no Isserlis)."""
    d = gaussian_fourth_moment_operator(p) / b + (1 - 1 / b) * np.eye(p * p)
    mu = np.max(np.linalg.eigvalsh(0.5 * (d + d.T)))
    assert online_sgd_max_learning_rate(p, b) == pytest.approx(2 / mu, rel=1e-12)


def test_online_threshold_is_the_finite_data_threshold_of_a_large_isotropic_design():
    """The finite-data threshold on a large Gaussian sample approaches the online one (error ~ 1/√N)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((20000, 3))
    got = mean_square_threshold(x, [1, 4])
    np.testing.assert_allclose(got, online_sgd_max_learning_rate(3, [1, 4]), rtol=0.03)


def test_frozen_adam_is_sgd_on_preconditioned_rows():
    rng = np.random.default_rng(1)
    g = rng.standard_normal((40, 4)) * np.array([1.0, 2.0, 0.5, 1.5])
    variance = np.array([0.2, 0.8, 0.05, 0.3])
    for b in (1, 5, 20):
        diag = np.sqrt(variance * (1 / b - 1 / 40)) + 0.01
        assert frozen_adam_max_learning_rate(g, b, variance, damping=0.01) == pytest.approx(
            mean_square_threshold(g / np.sqrt(diag), b), rel=1e-12)
    # isotropic noise, no damping: the SGD threshold times sqrt(c (1/B − 1/N))
    c = 0.4
    b = np.array([1, 2, 4, 8])
    expected = mean_square_threshold(g, b) * np.sqrt(c * (1 / b - 1 / 40))
    np.testing.assert_allclose(frozen_adam_max_learning_rate(g, b, np.full(4, c)), expected, rtol=1e-12)
    with pytest.raises(ValueError, match="damping"):
        frozen_adam_max_learning_rate(g, 40, variance)


# ---------------------------------------------------------------- perturbation constant

def test_perturbative_excess_is_the_small_noise_limit_of_the_exact_batch_average():
    """Every batch enumerated: (E λ₁(H_B) − λ₁)/(p κ) → 1 as the per-sample spread → 0."""
    rng = np.random.default_rng(3)
    n, p, b = 8, 4, 3
    base = np.diag([3.0, 1.0, 0.5, 0.2])
    noise = rng.standard_normal((n, p, p))
    noise = noise + noise.transpose(0, 2, 1)
    noise -= noise.mean(axis=0)
    for t, tol in ((1e-2, 3e-2), (1e-3, 3e-3)):
        per_sample = base + t * noise
        lam, vec = np.linalg.eigh(per_sample.mean(axis=0))
        kappa = perturbative_excess(lam, vec, per_sample @ vec[:, -1])
        tops = [np.linalg.eigvalsh(per_sample[list(c)].mean(axis=0))[-1] for c in itertools.combinations(range(n), b)]
        ratio = (np.mean(tops) - lam[-1]) / (without_replacement_factor(b, n) * kappa)
        assert ratio == pytest.approx(1.0, abs=tol)


def test_perturbative_excess_reproduces_the_additive_outlier():
    """Per-sample Hessians β e₁e₁ᵀ + √N·(GOE part) with exact entry variance: κ p = P σ² p/β − O(1/P)."""
    beta, p_dim = 2.0, 60
    e = np.zeros((p_dim, p_dim))
    e[-1, -1] = beta
    rng = np.random.default_rng(4)
    n = 4000
    off = rng.standard_normal((n, p_dim))
    off -= off.mean(axis=0)
    off /= np.sqrt(np.mean(off ** 2, axis=0))           # unit variance per entry over the data
    lam = np.zeros(p_dim)
    lam[-1] = beta
    products = off.copy()
    products[:, -1] = beta                              # H_i u₁ = β u₁ + noise column (diagonal entry unused)
    kappa = perturbative_excess(lam, np.eye(p_dim), products)
    assert kappa == pytest.approx((p_dim - 1) / beta, rel=1e-12)


# ---------------------------------------------------------------- finite-size centring

def tracy_widom_goe_mean(nodes=80, length=24.0):
    """Bornemann (2010): F₁(s) = det(I − K₁) on L²(s, ∞), K₁(x, y) = ½ Ai((x + y)/2), Nyström."""
    x0, w0 = np.polynomial.legendre.leggauss(nodes)

    def cdf(s):
        x = s + 0.5 * length * (x0 + 1)
        w = 0.5 * length * w0
        kernel = 0.5 * special.airy(0.5 * (x[:, None] + x[None, :]))[0]
        root = np.sqrt(w)
        return np.linalg.det(np.eye(nodes) - root[:, None] * kernel * root[None, :])

    left = integrate.quad(cdf, -10.0, 0.0, epsabs=1e-12, limit=200)[0]
    right = integrate.quad(lambda s: 1.0 - cdf(s), 0.0, 8.0, epsabs=1e-12, limit=200)[0]
    return right - left


def test_tracy_widom_mean_against_a_fredholm_determinant():
    assert tracy_widom_goe_mean() == pytest.approx(TRACY_WIDOM_GOE_MEAN, abs=1e-8)


def test_edge_centrings():
    s = np.sqrt(400 / 10)
    assert additive_model_edge_centring(400, 10) == pytest.approx(s * (2 - 1.2065335745820 * 400 ** (-2 / 3)))
    n, p = 400, 40
    root = np.sqrt(n - 1) + np.sqrt(p)
    expected = (root ** 2 - 1.2065335745820 * root * (1 / np.sqrt(n - 1) + 1 / np.sqrt(p)) ** (1 / 3)) / 40
    assert spiked_wishart_edge_centring(400, 40) == pytest.approx(expected, rel=1e-14)
    # large sizes: the centring tends to the bare edge
    assert spiked_wishart_edge_centring(1e9, 1e8) == pytest.approx((1 + np.sqrt(10)) ** 2, rel=1e-4)


# ---------------------------------------------------------------- properties

@given(beta=st.floats(0.05, 50), p=st.floats(1, 1e5), var=st.floats(1e-3, 1e3),
       b=st.lists(st.floats(1, 1e7), min_size=2, max_size=6))
def test_additive_properties(beta, p, var, b):
    b = np.sort(np.array(b))
    lam = additive_model_top_eigenvalue(beta, p, b, var)
    assert np.all(np.isfinite(lam)) and np.all(lam >= beta * (1 - 1e-12))
    assert np.all(np.diff(lam) <= 1e-12 * lam[1:])
    rate = additive_model_max_learning_rate(beta, p, b, var)
    assert np.all(rate > 0) and np.all(rate <= 2 / beta * (1 + 1e-12))


@given(ell=st.floats(0.1, 50), p=st.floats(1, 1e5), b=st.lists(st.floats(1, 1e7), min_size=2, max_size=6))
def test_wishart_properties(ell, p, b):
    b = np.sort(np.array(b))
    lam = spiked_wishart_top_eigenvalue(ell, p, b)
    assert np.all(np.isfinite(lam)) and np.all(lam >= max(ell, 1.0) * (1 - 1e-12))
    assert np.all(np.diff(lam) <= 1e-12 * lam[1:])
    rate = spiked_wishart_max_learning_rate(ell, p, b)
    assert np.all(rate > 0) and np.all(rate <= 2 / max(ell, 1.0) * (1 + 1e-12))
    online = online_sgd_max_learning_rate(p, b)
    assert np.all(online > 0) and np.all(online < 2) and np.all(np.diff(online) >= 0)


test_invalid_calls = invalid_call_test(
    rejects("spike=0.0", additive_model_top_eigenvalue, 0.0, 400, 10),
    rejects("n_params=0.5", additive_model_top_eigenvalue, 2.0, 0.5, 10),
    rejects("batch_size=nan", additive_model_top_eigenvalue, 2.0, 400, np.nan),
    rejects("entry_variance=-1.0", additive_model_top_eigenvalue, 2.0, 400, 10, -1.0),
    rejects("batch_size=11", additive_model_top_eigenvalue_finite_data, 2.0, 400, 11, 10),
    rejects("spike=-1.0", spiked_wishart_top_eigenvalue, -1.0, 400, 10),
    rejects("spike=1.0", spiked_wishart_critical_batch_size, 1.0, 400),
    rejects("spike=1.5", spiked_wishart_excess_finite_data, 1.5, 400, 10, 100),
    rejects("batch_size=1", spiked_wishart_edge_centring, 400, 1),
    rejects("batch_size=0", online_sgd_max_learning_rate, 400, 0),
    rejects("batch_size=[1, 2]", free_convolution_top_eigenvalue, 2.0, 400, [1, 2], 0.5),
    rejects("ratio=-0.5", free_convolution_top_eigenvalue, 2.0, 400, 10, -0.5),
    rejects("gradient_variance with shape (3,)", frozen_adam_max_learning_rate, np.ones((4, 2)), 2, np.ones(3)),
    rejects("damping=0.0", frozen_adam_max_learning_rate, np.ones((4, 2)), 4, np.ones(2)),
    rejects("eigenvalues=", perturbative_excess, [1.0, 1.0], np.eye(2), np.ones((3, 2))),
    rejects("eigenvectors with shape (3, 3)", perturbative_excess, [0.0, 1.0], np.eye(3), np.ones((3, 2))),
    rejects("sample_hessian_top_products with shape (3, 3)", perturbative_excess, [0.0, 1.0], np.eye(2),
            np.ones((3, 3))),
)
