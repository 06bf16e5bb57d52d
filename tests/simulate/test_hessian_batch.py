"""Batch-Hessian samplers and models: equivalent routes agree, exact Hessians match differences.

Monte-Carlo comparisons use a fixed seed and 4 standard errors (a wrong spike scaling or a
missing χ degree of freedom moves the compared means by far more).
"""

import numpy as np
import pytest

from simulate.backend import cupy_available
from simulate.hessian_batch import (batch_extreme_eigenvalues, spiked_wigner_top_eigenvalues,
                                    spiked_wishart_top_eigenvalues)
from simulate.hessian_models import LogisticRegression, TanhNetwork, gaussian_mixture, spiked_gaussian_rows

from tests.argument_validation import invalid_call_test, rejects

Z = 4.0


def same_law(a, b):
    """Means and second moments of two samples agree within Z standard errors."""
    for stat in (lambda x: x, lambda x: x * x):
        sa, sb = stat(a), stat(b)
        se = np.hypot(sa.std(ddof=1) / np.sqrt(sa.size), sb.std(ddof=1) / np.sqrt(sb.size))
        assert abs(sa.mean() - sb.mean()) < Z * se, (sa.mean(), sb.mean(), se)


@pytest.mark.parametrize("spike, noise", [(2.0, 1.0), (0.5, 1.0), (0.0, 3.0)])
def test_spiked_wigner_tridiagonal_model_has_the_law_of_the_dense_matrix(spike, noise):
    rng = np.random.default_rng(11)
    same_law(spiked_wigner_top_eigenvalues(40, spike, noise, 1500, rng),
             spiked_wigner_top_eigenvalues(40, spike, noise, 1500, rng, method="dense"))


@pytest.mark.parametrize("p, b, spike", [(40, 8, 3.0), (40, 40, 3.0), (20, 120, 2.0), (1, 5, 2.0), (6, 1, 2.0)])
def test_spiked_wishart_bidiagonal_model_has_the_law_of_the_dense_design(p, b, spike):
    rng = np.random.default_rng(12)
    same_law(spiked_wishart_top_eigenvalues(p, spike, b, 1500, rng),
             spiked_wishart_top_eigenvalues(p, spike, b, 1500, rng, method="dense"))


def test_one_row_batch_is_the_squared_norm():
    """B = 1: λ₁(x xᵀ) = ‖x‖², E = ℓ + P − 1 exactly."""
    rng = np.random.default_rng(13)
    top = spiked_wishart_top_eigenvalues(7, 3.0, 1, 4000, rng)
    assert abs(top.mean() - (3.0 + 6.0)) < Z * top.std() / np.sqrt(top.size)


def numerical_hessian(loss, theta, h=1e-4):
    p = theta.size
    eye = np.eye(p) * h
    out = np.empty((p, p))
    for i in range(p):
        for j in range(p):
            out[i, j] = (loss(theta + eye[i] + eye[j]) - loss(theta + eye[i] - eye[j])
                         - loss(theta - eye[i] + eye[j]) + loss(theta - eye[i] - eye[j])) / (4 * h * h)
    return out


def small_network(rng, n=25, d=3, m=2):
    x, y = gaussian_mixture(n, d, 2.0, rng)
    w, b, a = rng.standard_normal((m, d)), 0.3 * rng.standard_normal(m), rng.standard_normal(m)
    return x, y, w, b, a


def test_network_hessian_matches_central_differences_of_the_loss():
    rng = np.random.default_rng(14)
    x, y, w, b, a = small_network(rng)
    m, d = w.shape
    index = np.array([0, 4, 9, 17])

    def loss(theta):
        t = theta.reshape(m, d + 2)
        f = np.tanh(x[index] @ t[:, :d].T + t[:, d]) @ t[:, d + 1]
        return np.mean(np.logaddexp(0.0, -y[index] * f))

    theta = np.concatenate([w, b[:, None], a[:, None]], axis=1).ravel()
    net = TanhNetwork.at(x, y, w, b, a)
    np.testing.assert_allclose(net.batch_hessian(index), numerical_hessian(loss, theta), atol=1e-6)


@pytest.mark.parametrize("kind", ["logistic", "network"])
def test_sample_products_and_batch_hessians_are_consistent(kind):
    rng = np.random.default_rng(15)
    x, y, w, b, a = small_network(rng)
    model = (LogisticRegression.at(x, rng.standard_normal(x.shape[1])) if kind == "logistic"
             else TanhNetwork.at(x, y, w, b, a))
    v = rng.standard_normal(model.n_params)
    singles = np.array([model.batch_hessian(np.array([i])) for i in range(model.n_data)])
    np.testing.assert_allclose(model.sample_products(v), singles @ v, atol=1e-12)
    np.testing.assert_allclose(model.batch_hessian(np.arange(model.n_data)), singles.mean(axis=0), atol=1e-12)
    np.testing.assert_allclose(singles, singles.transpose(0, 2, 1), atol=1e-14)


def test_logistic_hessian_is_sigmoid_prime_times_outer_product():
    rng = np.random.default_rng(16)
    x = spiked_gaussian_rows(5, 3, 2.0, rng)
    w = rng.standard_normal(3)
    s = 1 / (1 + np.exp(-x @ w))
    expected = np.einsum("i,ij,ik->jk", s * (1 - s), x, x) / 5
    np.testing.assert_allclose(LogisticRegression.at(x, w).batch_hessian(np.arange(5)), expected, atol=1e-14)


def test_dense_and_lanczos_batch_eigenvalues_agree_on_the_same_batches():
    rng = np.random.default_rng(17)
    x, y, w, b, a = small_network(rng, n=60, d=8, m=6)
    net = TanhNetwork.at(x, y, w, b, a)
    covariate = np.arange(60.0)
    dense = batch_extreme_eigenvalues(net, 10, 5, np.random.default_rng(1), covariate=covariate, method="dense")
    lanczos = batch_extreme_eigenvalues(net, 10, 5, np.random.default_rng(1), covariate=covariate, method="lanczos")
    np.testing.assert_allclose(dense.top, lanczos.top, rtol=1e-9)
    np.testing.assert_allclose(dense.bottom, lanczos.bottom, rtol=1e-9)
    np.testing.assert_array_equal(dense.covariate, lanczos.covariate)
    assert np.all(dense.bottom < 0) and np.all(dense.top > 0)   # the residual term makes H indefinite
    full = batch_extreme_eigenvalues(net, 60, 1, rng).top[0]
    assert full == pytest.approx(np.linalg.eigvalsh(net.batch_hessian(np.arange(60)))[-1])


@pytest.mark.skipif(not cupy_available(), reason="needs CuPy and a GPU")
def test_cupy_dense_route_agrees_with_numpy():
    a = spiked_wishart_top_eigenvalues(30, 2.0, 20, 3, np.random.default_rng(2), method="dense")
    b = spiked_wishart_top_eigenvalues(30, 2.0, 20, 3, np.random.default_rng(2), method="dense", backend="cupy")
    np.testing.assert_allclose(a, b, rtol=1e-10)


def test_numpy_and_numba_backends_agree_on_the_same_seed():
    a = spiked_wigner_top_eigenvalues(30, 2.0, 1.0, 3, np.random.default_rng(3), backend="numpy")
    b = spiked_wigner_top_eigenvalues(30, 2.0, 1.0, 3, np.random.default_rng(3), backend="numba")
    np.testing.assert_array_equal(a, b)


test_invalid_calls = invalid_call_test(
    rejects("n_params=1", spiked_wigner_top_eigenvalues, 1, 2.0, 1.0, 3, np.random.default_rng()),
    rejects("noise_variance=0.0", spiked_wigner_top_eigenvalues, 10, 2.0, 0.0, 3, np.random.default_rng()),
    rejects("spike=0.0", spiked_wishart_top_eigenvalues, 10, 0.0, 3, 3, np.random.default_rng()),
    rejects("method='lu'", spiked_wishart_top_eigenvalues, 10, 2.0, 3, 3, np.random.default_rng(), method="lu"),
    rejects("batch_size=5", batch_extreme_eigenvalues, LogisticRegression.at(np.ones((4, 2)), np.zeros(2)), 5, 1,
            np.random.default_rng()),
    rejects("v=", LogisticRegression.at, np.ones((4, 2)), np.zeros(3)),
    rejects("index=", LogisticRegression.at(np.ones((4, 2)), np.zeros(2)).batch_hessian, [4]),
    rejects("labels=", TanhNetwork.at, np.ones((4, 2)), np.ones(3), np.ones((2, 2)), np.ones(2), np.ones(2)),
    rejects("hidden_weights=", TanhNetwork.at, np.ones((4, 2)), np.ones(4), np.ones((2, 3)), np.ones(2), np.ones(2)),
)


def test_bulk_spike_noise_spectrum_follows_the_free_convolution():
    """Bulk quantiles against MP ⊞ SC (theory.free_convolution) and the outlier against G(λ) = 1/β."""
    from theory.free_convolution import mp_semicircle_quantile
    from theory.hessian_batch import free_convolution_top_eigenvalue

    from simulate.hessian_batch import bulk_spike_noise_spectrum

    rng = np.random.default_rng(18)
    p, ratio, beta, noise = 300, 0.5, 3.0, 0.25
    spectra = np.array([bulk_spike_noise_spectrum(p, ratio, beta, noise, rng) for _ in range(20)])
    levels = np.array([0.1, 0.5, 0.9])
    bulk = np.quantile(spectra[:, :-1], levels, axis=1).T
    se = bulk.std(axis=0, ddof=1) / np.sqrt(len(bulk))
    expected = mp_semicircle_quantile(levels, ratio, noise)
    assert np.all(np.abs(bulk.mean(axis=0) - expected) < Z * se + 2.0 / p)   # + O(1/P) rigidity offset
    top = spectra[:, -1]
    outlier = free_convolution_top_eigenvalue(beta, p, p / noise, ratio)     # s_B² = P/B = noise
    assert abs(top.mean() - outlier) < Z * top.std(ddof=1) / np.sqrt(top.size) + 2.0 / p
