"""Online SGD of the soft committee machine: exact initial overlaps, backends, the drift."""

import math

import numpy as np
import pytest
from scipy.special import erf

from simulate.committee import committee_weights, online_sgd

from tests.argument_validation import invalid_call_test, rejects

Q0 = np.array([[0.25, 0.01], [0.01, 0.30]])
R0 = np.array([[0.02, -0.01], [0.005, 0.015]])
T = np.eye(2)


def test_weights_have_the_prescribed_overlaps():
    B, W0 = committee_weights(Q0, R0, T, 300, np.random.default_rng(0))
    assert B.shape == (2, 300) and W0.shape == (2, 300)
    np.testing.assert_allclose(W0 @ W0.T / 300, Q0, atol=1e-14)
    np.testing.assert_allclose(W0 @ B.T / 300, R0, atol=1e-14)
    np.testing.assert_allclose(B @ B.T / 300, T, atol=1e-14)


def test_weights_with_a_singular_gram_matrix():
    """Student equal to the teacher: the Gram matrix has rank M, and ‖w_i − B_i‖²/N = 0."""
    Tm = np.array([[1.0, 0.3], [0.3, 0.5]])
    B, W0 = committee_weights(Tm, Tm, Tm, 50, np.random.default_rng(1))
    assert np.all(np.sum((W0 - B) ** 2, axis=1) / 50 < 1e-14)


def test_one_step_is_the_sgd_update():
    """Two steps by hand (the ξ's are the rows of the first block drawn from the same seed)."""
    B, W0 = committee_weights(Q0, R0, T, 40, np.random.default_rng(2))
    run = online_sgd(B, W0, 0.7, [0.0, 2 / 40], np.random.default_rng(3), backend="numpy")
    xis = np.random.default_rng(3).standard_normal((2, 40))
    W = W0.copy()
    g = lambda x: erf(x / math.sqrt(2))
    for xi in xis:
        lam, nu = W @ xi / math.sqrt(40), B @ xi / math.sqrt(40)
        delta = math.sqrt(2 / math.pi) * np.exp(-lam**2 / 2) * (g(nu).sum() - g(lam).sum())
        W = W + 0.7 / math.sqrt(40) * np.outer(delta, xi)
    np.testing.assert_allclose(run.Q[1], W @ W.T / 40, rtol=1e-13)
    np.testing.assert_allclose(run.R[1], W @ B.T / 40, rtol=1e-13)
    np.testing.assert_array_equal(run.Q[0], W0 @ W0.T / 40)


@pytest.mark.parametrize("backend", ["numba", "cupy"])
def test_backends_agree_on_the_same_seed(backend):
    """The compiled kernel against the NumPy reference: the same inputs, the same run (600
    steps over several input blocks), to rounding."""
    B, W0 = committee_weights(Q0, R0, T, 100, np.random.default_rng(4))
    times = [0.0, 1.0, 2.5, 6.0]
    a = online_sgd(B, W0, 0.5, times, np.random.default_rng(5), backend="numpy")
    if backend == "cupy":
        pytest.importorskip("cupy")
        from simulate.backend import cupy_available
        if not cupy_available():
            pytest.skip("no CUDA device")
    b = online_sgd(B, W0, 0.5, times, np.random.default_rng(5), backend=backend)
    np.testing.assert_allclose(b.Q, a.Q, rtol=1e-11)
    np.testing.assert_allclose(b.R, a.R, rtol=1e-11, atol=1e-14)
    np.testing.assert_array_equal(a.T, b.T)


def test_early_mean_follows_the_first_order_drift():
    """Over the first 0.1 time units, dR/dt ≈ η Σ_c s_c I3: the mean increment over 40 seeds
    (N = 200, 20 steps each) against the ODE's right-hand side at the start, within 5 SE
    plus the O(t²) curvature of the path."""
    from theory.committee import saad_solla_rhs

    N, lr, t = 200, 0.5, 0.1
    B, W0 = committee_weights(Q0, R0, T, N, np.random.default_rng(6))
    increments = np.array([online_sgd(B, W0, lr, [t], child, backend="numba").R[0] - R0
                           for child in np.random.default_rng(7).spawn(40)])
    _, dR = saad_solla_rhs(Q0, R0, T, lr)
    mean, se = increments.mean(axis=0), increments.std(axis=0, ddof=1) / math.sqrt(40)
    assert np.all(np.abs(mean - t * dR) < 5 * se + 0.1 * np.abs(t * dR))


test_invalid_calls = invalid_call_test(
    rejects("R0=<array of shape (2, 2)>", committee_weights, Q0, np.full((2, 2), 3.0), T, 10,
            np.random.default_rng(0)),                                                     # not PSD
    rejects("dim=3", committee_weights, Q0, R0, T, 3, np.random.default_rng(0)),           # N < K + M
    rejects("R0=<array of shape (2, 1)>", committee_weights, Q0, R0[:, :1], T, 10, np.random.default_rng(0)),
    rejects("W0=<array of shape (2, 4)>", online_sgd, np.ones((2, 5)), np.ones((2, 4)), 0.5, [1.0],
            np.random.default_rng(0)),
    rejects("lr=0.0", online_sgd, np.ones((2, 5)), np.ones((2, 5)), 0.0, [1.0], np.random.default_rng(0)),
    rejects("times=<array of shape (2,)>", online_sgd, np.ones((2, 5)), np.ones((2, 5)), 0.5, [2.0, 1.0],
            np.random.default_rng(0)),
    rejects("backend='tpu'", online_sgd, np.ones((2, 5)), np.ones((2, 5)), 0.5, [1.0], np.random.default_rng(0),
            backend="tpu"),
)
