"""SPSA estimator draws: the estimator's definition draw by draw, direction laws, and its moments.

Monte-Carlo checks use fixed seeds and 4 standard errors (deterministic given the seed).
"""

import functools

import numpy as np
import pytest

from tests.argument_validation import invalid_call_test, rejects
from simulate.backend import cupy_available
from simulate.zeroth_order import nonquadratic_loss, quadratic_loss, random_directions, spsa_moments

D = 4
H = np.diag([1.0, 1.5, 2.5, 4.0]) + 0.2
MINIMISER = np.array([0.3, -0.2, 0.1, 0.0])
THETA = np.array([1.0, 0.5, -0.5, 1.0])
G = H @ (THETA - MINIMISER)
LOSS = functools.partial(quadratic_loss, hessian=H, minimiser=MINIMISER)


@pytest.mark.parametrize("distribution", ["gaussian", "sphere", "rademacher"])
def test_one_draw_is_the_two_point_formula(distribution):
    """draws = 1, K = 3: the moments are those of the hand-computed estimate from the same directions."""
    eps, steps = 0.3, [0.1, 0.7]
    z = random_directions(np.random.default_rng(4), (1, 3), D, distribution)[0]
    quotient = [(LOSS(THETA + eps * zk) - LOSS(THETA - eps * zk)) / (2 * eps) for zk in z]
    g_hat = np.mean([q * zk for q, zk in zip(quotient, z)], axis=0)
    out = spsa_moments(LOSS, THETA, eps, 3, 1, np.random.default_rng(4), distribution=distribution, steps=steps)
    np.testing.assert_allclose(out.mean, g_hat, rtol=1e-12)
    np.testing.assert_allclose(out.second_moment, np.outer(g_hat, g_hat), rtol=1e-12)
    np.testing.assert_allclose(out.loss_change, [LOSS(THETA - s * g_hat) - LOSS(THETA) for s in steps],
                               rtol=1e-10)
    # For a quadratic loss the quotient is exactly g·z, whatever ε.
    np.testing.assert_allclose(quotient, z @ G, rtol=1e-12)


def test_direction_laws():
    rng = np.random.default_rng(5)
    sphere = random_directions(rng, (2000,), 7, "sphere")
    np.testing.assert_allclose(np.sum(sphere ** 2, axis=1), 7.0, rtol=1e-13)
    signs = random_directions(rng, (2000,), 7, "rademacher")
    assert set(np.unique(signs)) == {-1.0, 1.0}
    for z in (sphere, signs, random_directions(rng, (2000,), 7, "gaussian")):
        # E zzᵀ = I: every entry within 4 SE (entries of zzᵀ have variance ≤ 3).
        assert np.max(np.abs(z.T @ z / len(z) - np.eye(7))) < 4 * np.sqrt(3 / len(z))


@pytest.mark.parametrize("distribution, ratio", [("gaussian", (D + 2 + 1) / 2), ("sphere", (D + 2 - 1) / 2),
                                                 ("rademacher", (D + 2 - 1) / 2)])
def test_second_moment_over_many_draws(distribution, ratio):
    """K = 2: E‖ĝ‖²/‖g‖² = (d + K ± 1)/K within 4 SE over 40 batches; E ĝ = g."""
    batches = [spsa_moments(LOSS, THETA, 0.5, 2, 2000, np.random.default_rng(100 + s), distribution=distribution)
               for s in range(40)]
    values = np.array([np.trace(b.second_moment) / (G @ G) for b in batches])
    assert abs(values.mean() - ratio) < 4 * values.std(ddof=1) / np.sqrt(len(values))
    means = np.array([b.mean for b in batches])
    assert np.all(np.abs(means.mean(0) - G) < 4 * means.std(0, ddof=1) / np.sqrt(len(means)))


def test_chunks_do_not_change_the_result(monkeypatch):
    """Splitting the draws into chunks changes neither the random stream nor the sums."""
    import simulate.zeroth_order as zo
    whole = spsa_moments(LOSS, THETA, 0.5, 3, 50, np.random.default_rng(6), steps=[0.2])
    monkeypatch.setattr(zo, "_CHUNK_NUMBERS", 3 * D * 7)       # 7 draws per chunk
    split = spsa_moments(LOSS, THETA, 0.5, 3, 50, np.random.default_rng(6), steps=[0.2])
    np.testing.assert_allclose(split.second_moment, whole.second_moment, rtol=1e-13)
    np.testing.assert_allclose(split.loss_change, whole.loss_change, rtol=1e-12)


def test_nonquadratic_loss_formula():
    points = np.array([[0.1, -0.4], [1.0, 2.0]])
    v = np.array([0.5, -0.25])
    expected = np.sum(points ** 4 / 4 - np.cos(points), axis=1) + np.exp(points @ v)
    np.testing.assert_allclose(nonquadratic_loss(points, v), expected, rtol=1e-15)


def test_backends_numpy_and_numba_agree():
    runs = [spsa_moments(LOSS, THETA, 0.5, 2, 300, np.random.default_rng(7), steps=[0.1], backend=b)
            for b in ("numpy", "numba")]
    np.testing.assert_array_equal(runs[0].second_moment, runs[1].second_moment)


@pytest.mark.skipif(not cupy_available(), reason="needs CuPy and a CUDA GPU")
def test_backends_numpy_and_cupy_agree():
    runs = [spsa_moments(LOSS, THETA, 0.5, 2, 300, np.random.default_rng(7), steps=[0.1], backend=b)
            for b in ("numpy", "cupy")]
    np.testing.assert_allclose(runs[1].second_moment, runs[0].second_moment, rtol=1e-10)
    np.testing.assert_allclose(runs[1].loss_change, runs[0].loss_change, rtol=1e-9)


RNG = np.random.default_rng(0)


test_invalid_calls = invalid_call_test(
    rejects("epsilon=0.0", spsa_moments, LOSS, THETA, 0.0, 1, 10, RNG),
    rejects("n_directions=0", spsa_moments, LOSS, THETA, 0.1, 0, 10, RNG),
    rejects("draws=0", spsa_moments, LOSS, THETA, 0.1, 1, 0, RNG),
    rejects("distribution='cauchy'", spsa_moments, LOSS, THETA, 0.1, 1, 10, RNG, distribution="cauchy"),
    rejects("theta of shape", spsa_moments, LOSS, [np.nan], 0.1, 1, 10, RNG),
    rejects("steps=", spsa_moments, LOSS, THETA, 0.1, 1, 10, RNG, steps=[np.inf]),
    rejects("backend='torch'", spsa_moments, LOSS, THETA, 0.1, 1, 10, RNG, backend="torch"),
    rejects("dim=0", random_directions, RNG, (3,), 0),
)


def test_global_random_state_is_refused():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        spsa_moments(LOSS, THETA, 0.1, 1, 10, 42)
