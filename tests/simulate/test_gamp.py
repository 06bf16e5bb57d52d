"""The shared scalar-variance GAMP loop and its two instances: the sign perceptron and LASSO AMP.

Literal transcriptions of Donoho–Maleki–Montanari's AMP and of IST must give the same
iterates as the generic loop; the AMP fixed point must satisfy the LASSO's KKT conditions
exactly; the sign channel must be the derivative of log Φ(yω/√V), stably; and both
algorithms must follow their state evolution on one modest instance (the claims do the
statistics).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import log_ndtr

from simulate.backend import cupy_available
from simulate.errors import DivergenceError
from simulate.gamp import gamp
from simulate.lasso_amp import (bernoulli_gaussian_data, bernoulli_gaussian_signal, lasso_amp,
                                least_squares_channel, soft_threshold, soft_threshold_denoiser)
from simulate.perceptron import (gaussian_prior_denoiser, generalisation_error, hebb_student,
                                 perceptron_gamp, sign_channel, sign_perceptron_data)
from tests.argument_validation import invalid_call_test, rejects
from theory.lasso_amp import lasso_amp_state_evolution
from theory.perceptron import perceptron_hebb_error, perceptron_state_evolution


# --------------------------------------------------------------------------- LASSO AMP

def dmm_amp(A, y, theta, n_iter, onsager=True):
    """Donoho, Maleki & Montanari (2009), written as in the paper."""
    n, N = A.shape
    x, z = np.zeros(N), y.copy()
    errors = []
    for _ in range(n_iter):
        tau = np.linalg.norm(z) / math.sqrt(n)
        u = x + A.T @ z
        x_new = np.sign(u) * np.maximum(np.abs(u) - theta * tau, 0.0)
        active = np.mean(np.abs(u) > theta * tau)
        z = y - A @ x_new + (z * active * N / n if onsager else 0.0)
        x = x_new
        errors.append(x)
    return errors


@pytest.fixture(scope="module")
def sparse():
    return bernoulli_gaussian_data(400, 0.5, 0.1, 1.0, 0.01, np.random.default_rng(3))


@pytest.mark.parametrize("onsager", [True, False])
def test_generic_loop_is_dmm_amp_and_ist(sparse, onsager):
    result = lasso_amp(sparse, 1.5, 15, onsager=onsager)
    iterates = dmm_amp(np.asarray(sparse.A), np.asarray(sparse.y), 1.5, 15, onsager=onsager)
    np.testing.assert_allclose(result.estimate, iterates[-1], rtol=1e-10, atol=1e-12)
    mse = [np.mean((x - sparse.signal) ** 2) for x in iterates]
    np.testing.assert_allclose(result.mse, mse, rtol=1e-10)
    assert result.noise[0] == pytest.approx(np.sum(sparse.y ** 2) / 200, rel=1e-12)  # ‖z⁰‖²/n = ‖y‖²/n


def test_amp_fixed_point_solves_the_lasso(sparse):
    """Aᵀ(y − Ax) = λ̂ sign(x) on the support, |Aᵀ(y − Ax)| ≤ λ̂ off it, λ̂ = θτ̂(1 − ⟨η'⟩/δ)."""
    theta = 1.5
    result = lasso_amp(sparse, theta, 400)
    x = result.estimate
    A, y = np.asarray(sparse.A), np.asarray(sparse.y)
    tau = math.sqrt(result.noise[-1])
    lam = theta * tau * (1 - result.mean_derivative[-1] / sparse.delta)
    assert lam > 0
    correlation = A.T @ (y - A @ x)
    support = x != 0
    assert support.sum() == pytest.approx(result.mean_derivative[-1] * 400)
    np.testing.assert_allclose(correlation[support], lam * np.sign(x[support]), rtol=0, atol=1e-9)
    assert np.all(np.abs(correlation[~support]) <= lam + 1e-9)


def test_lasso_amp_follows_state_evolution():
    """One N = 2000 instance: MSE_t within 15% of the state evolution (SE spread ≈ 5–20% per seed)."""
    data = bernoulli_gaussian_data(2000, 0.5, 0.1, 1.0, 0.01, np.random.default_rng(7), design="quantile")
    result = lasso_amp(data, 1.5, 12)
    tau2, mse = lasso_amp_state_evolution(0.5, 1.5, 0.1, 1.0, 0.01, 12)
    np.testing.assert_allclose(result.mse, mse, rtol=0.15)
    np.testing.assert_allclose(result.noise, tau2[:-1], rtol=0.15)
    ist = lasso_amp(data, 1.5, 12, onsager=False)
    assert ist.mse[-1] > 5 * mse[-1]  # without the Onsager term the error does not fall (DMM Fig. 1)


def test_soft_threshold():
    u = np.array([-3.0, -1.0, 0.0, 0.5, 2.5])
    np.testing.assert_array_equal(soft_threshold(u, 1.0), [-2.0, 0.0, 0.0, 0.0, 1.5])
    x, active = soft_threshold_denoiser(1.0)(u, 123.0, 1.0)  # threshold θ√τ̂², not Σ
    np.testing.assert_array_equal(x, soft_threshold(u, 1.0))
    assert active == pytest.approx(0.4)
    g, dg = least_squares_channel(np.array([1.0, 2.0]), np.array([0.5, 0.0]), 2.0)
    np.testing.assert_array_equal(g, [0.25, 1.0])
    assert dg == -0.5


def test_quantile_signal_has_exact_count_and_energy():
    rng = np.random.default_rng(0)
    x = bernoulli_gaussian_signal(4000, 0.2, 2.0, rng, "quantile")
    assert np.count_nonzero(x) == 800
    assert np.sum(x ** 2) / 800 == pytest.approx(2.0, rel=1e-14)
    assert np.sum(x) == pytest.approx(0.0, abs=1e-9)  # symmetric quantiles
    assert not np.any(bernoulli_gaussian_signal(100, 0.0, 1.0, rng, "quantile"))
    iid = bernoulli_gaussian_signal(100_000, 0.2, 2.0, rng, "iid")
    assert np.mean(iid != 0) == pytest.approx(0.2, abs=0.005)


def test_data_are_reproducible_and_shaped():
    a = bernoulli_gaussian_data(300, 0.4, 0.1, 1.0, 0.1, np.random.default_rng(5))
    b = bernoulli_gaussian_data(300, 0.4, 0.1, 1.0, 0.1, np.random.default_rng(5))
    assert a.A.shape == (120, 300) and a.delta == 0.4
    np.testing.assert_array_equal(a.y, b.y)
    assert np.mean(np.sum(a.A ** 2, axis=0)) == pytest.approx(1.0, rel=0.02)  # unit-norm columns


# --------------------------------------------------------------------------- perceptron

@pytest.mark.parametrize("u", [-40.0, -8.0, -1.0, 0.0, 1.0, 8.0, 40.0])
@pytest.mark.parametrize("y", [-1.0, 1.0])
def test_sign_channel_is_the_derivative_of_log_phi(u, y):
    """g = ∂_ω log Φ(yω/√V), ∂g = ∂²_ω log Φ(yω/√V), finite and accurate in both tails."""
    V = 0.7
    omega = y * u * math.sqrt(V)
    h = 1e-4 * max(1.0, abs(omega))
    logz = [log_ndtr(y * (omega + k * h) / math.sqrt(V)) for k in (-2, -1, 0, 1, 2)]
    g_fd = (logz[0] - 8 * logz[1] + 8 * logz[3] - logz[4]) / (12 * h)
    dg_fd = (-logz[0] + 16 * logz[1] - 30 * logz[2] + 16 * logz[3] - logz[4]) / (12 * h * h)
    g, dg = sign_channel(np.array([y]), np.array([omega]), V)
    assert g[0] == pytest.approx(g_fd, rel=1e-7, abs=1e-9)
    assert dg == pytest.approx(dg_fd, rel=1e-4, abs=1e-6)
    assert -1 / V <= dg <= 0  # the sign channel's curvature lies in [−1/V, 0]


def test_gaussian_prior_denoiser():
    x, derivative = gaussian_prior_denoiser(np.array([2.0, -1.0]), 0.25, 99.0)
    np.testing.assert_allclose(x, [1.6, -0.8])
    assert derivative == pytest.approx(0.8)


@pytest.fixture(scope="module")
def perceptron():
    return sign_perceptron_data(1000, 2.0, np.random.default_rng(11))


def test_perceptron_data(perceptron):
    assert perceptron.F.shape == (2000, 1000) and perceptron.alpha == 2.0
    assert np.sum(perceptron.teacher ** 2) == pytest.approx(1000.0, rel=1e-14)
    np.testing.assert_array_equal(perceptron.y, np.sign(perceptron.F @ perceptron.teacher))
    assert np.var(perceptron.F) == pytest.approx(1e-3, rel=0.01)


def test_perceptron_gamp_follows_state_evolution(perceptron):
    """m_t = ŵ·w*/d within 3% of q_t on one d = 1000 instance (per-seed spread ≈ 1–1.5%)."""
    result = perceptron_gamp(perceptron, 15)
    q = perceptron_state_evolution(2.0, 15)
    np.testing.assert_allclose(result.overlap, q, rtol=0.03)
    np.testing.assert_allclose(result.self_overlap, q, rtol=0.03)  # Nishimori: |ŵ|²/d = ŵ·w*/d
    assert result.overlap.shape == result.mse.shape == result.noise.shape == (15,)
    # Bayes-optimal GAMP predicts its own noise: Σ_t = 1/q̂_t = (1 − q_{t+1})/q_{t+1}
    np.testing.assert_allclose(result.predicted_noise[1:], (1 - q[1:]) / q[1:], rtol=0.05)


def test_hebb_student(perceptron):
    error = generalisation_error(hebb_student(perceptron), perceptron.teacher)
    assert error == pytest.approx(perceptron_hebb_error(2.0), rel=0.06)  # per-seed sd ≈ 2%


def test_generalisation_error():
    w = np.array([1.0, 0.0])
    assert generalisation_error(w, w) == 0.0
    assert generalisation_error(np.array([0.0, 3.0]), w) == pytest.approx(0.5)
    assert generalisation_error(-w, w) == pytest.approx(1.0)
    assert generalisation_error(np.zeros(2), w) == 0.5


# --------------------------------------------------------------------------- the loop itself

def test_backends_numpy_and_numba_agree(sparse, perceptron):
    for run in (lambda b: lasso_amp(sparse, 1.5, 5, backend=b), lambda b: perceptron_gamp(perceptron, 5, backend=b)):
        a, b = run("numpy"), run("numba")
        np.testing.assert_array_equal(a.estimate, b.estimate)
        np.testing.assert_array_equal(a.mse, b.mse)


@pytest.mark.skipif(not cupy_available(), reason="needs CuPy and a CUDA GPU")
def test_backends_numpy_and_cupy_agree():
    rng = np.random.default_rng(2)
    perc = sign_perceptron_data(300, 2.0, rng)
    gpu = sign_perceptron_data(300, 2.0, np.random.default_rng(2), backend="cupy")
    a, b = perceptron_gamp(perc, 10), perceptron_gamp(gpu, 10, backend="cupy")
    np.testing.assert_allclose(a.overlap, b.overlap, rtol=1e-10)
    data = bernoulli_gaussian_data(400, 0.5, 0.1, 1.0, 0.01, np.random.default_rng(3))
    a, b = lasso_amp(data, 1.5, 10), lasso_amp(data, 1.5, 10, backend="cupy")
    np.testing.assert_allclose(a.mse, b.mse, rtol=1e-10)


def test_divergence_is_reported(sparse):
    def bad_channel(y, omega, V):
        return y - omega, 1.0  # a positive derivative: no precision

    with pytest.raises(DivergenceError, match="GAMP diverged at iteration 0: the channel's mean derivative"):
        gamp(sparse.A, sparse.y, bad_channel, soft_threshold_denoiser(1.0), entry_variance=1 / 200, n_iter=3)

    def nan_denoiser(R, sigma2, tau2):
        return R * np.nan, 0.5

    with pytest.raises(DivergenceError, match="non-finite estimate"):
        gamp(sparse.A, sparse.y, least_squares_channel, nan_denoiser, entry_variance=1 / 200, n_iter=3)


def test_without_truth_only_the_estimate_is_tracked(sparse):
    result = gamp(sparse.A, sparse.y, least_squares_channel, soft_threshold_denoiser(1.5),
                  entry_variance=1 / 200, n_iter=4)
    assert result.mse.size == 0 and result.overlap.size == 0 and result.self_overlap.shape == (4,)


SPARSE = bernoulli_gaussian_data(20, 0.5, 0.1, 1.0, 0.01, np.random.default_rng(0))
SOFT = soft_threshold_denoiser(1.0)
RNG = np.random.default_rng(0)

test_invalid_calls = invalid_call_test(
    rejects("entry_variance=0.0", gamp, SPARSE.A, SPARSE.y, least_squares_channel, SOFT, entry_variance=0.0,
            n_iter=2),
    rejects("n_iter=0", gamp, SPARSE.A, SPARSE.y, least_squares_channel, SOFT, entry_variance=1.0, n_iter=0),
    rejects("channel=None", gamp, SPARSE.A, SPARSE.y, None, SOFT, entry_variance=1.0, n_iter=2),
    rejects("denoiser='soft'", gamp, SPARSE.A, SPARSE.y, least_squares_channel, "soft", entry_variance=1.0,
            n_iter=2),
    rejects("y='<array of shape (5,)>' is out of range: must be a 1-d array of length n=10", gamp, SPARSE.A,
            SPARSE.y[:5], least_squares_channel, SOFT, entry_variance=1.0, n_iter=2),
    rejects("x_true='<array of shape (3,)>'", gamp, SPARSE.A, SPARSE.y, least_squares_channel, SOFT,
            entry_variance=1.0, n_iter=2, x_true=np.zeros(3)),
    rejects("backend='fortran'", gamp, SPARSE.A, SPARSE.y, least_squares_channel, SOFT, entry_variance=1.0,
            n_iter=2, backend="fortran"),
    rejects("theta=-1.0", soft_threshold_denoiser, -1.0),
    rejects("N=1", bernoulli_gaussian_data, 1, 0.5, 0.1, 1.0, 0.1, RNG),
    rejects("delta=0.01", bernoulli_gaussian_data, 10, 0.01, 0.1, 1.0, 0.1, RNG),
    rejects("sparsity=1.1", bernoulli_gaussian_data, 10, 0.5, 1.1, 1.0, 0.1, RNG),
    rejects("noise_variance=-0.1", bernoulli_gaussian_data, 10, 0.5, 0.1, 1.0, -0.1, RNG),
    rejects("design='fixed' is out of range: must be one of 'iid', 'quantile'", bernoulli_gaussian_data,
            10, 0.5, 0.1, 1.0, 0.1, RNG, design="fixed"),
    rejects("alpha=0.0", sign_perceptron_data, 100, 0.0, RNG),
    rejects("d=1", sign_perceptron_data, 1, 1.0, RNG),
)


def test_rng_must_be_a_generator():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        sign_perceptron_data(100, 1.0, 0)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        bernoulli_gaussian_data(100, 0.5, 0.1, 1.0, 0.1, None)
