"""CBO simulations: the update rule by hand, the Euler–Maruyama second-moment factor, weighted means.

Monte-Carlo checks use fixed seeds and 4.5 standard errors (deterministic given the seed).
"""

import functools

import numpy as np
import pytest

from tests.argument_validation import invalid_call_test, rejects
from simulate.backend import cupy_available
from simulate.consensus import cbo_particles, monte_carlo_consensus, quadratic_objective

A = np.array([[2.0, 0.6], [0.6, 0.8]])
Y_STAR = np.array([0.5, -1.0])
F = functools.partial(quadratic_objective, hessian=A, minimiser=Y_STAR)
SPHERE = functools.partial(quadratic_objective, hessian=np.eye(3), minimiser=np.zeros(3))


def test_monte_carlo_consensus_is_the_weighted_mean_of_the_same_draws():
    x, sigma, alpha = np.array([1.5, 0.7]), 0.4, 3.0
    y = x + sigma * np.random.default_rng(2).standard_normal((500, 2))
    w = np.exp(-alpha * F(y))
    out = monte_carlo_consensus(F, x, sigma, alpha, 500, np.random.default_rng(2))
    np.testing.assert_allclose(out.point, w @ y / w.sum(), rtol=1e-12)
    assert out.ess == pytest.approx(w.sum() ** 2 / (w @ w), rel=1e-12)


def test_huge_alpha_picks_the_best_draw_without_overflow():
    x = np.array([1.5, 0.7])
    y = x + np.random.default_rng(3).standard_normal((300, 2))
    out = monte_carlo_consensus(F, x, 1.0, 1e12, 300, np.random.default_rng(3))
    np.testing.assert_allclose(out.point, y[np.argmin(F(y))], rtol=1e-12)
    assert out.ess == pytest.approx(1.0)


def test_particle_step_is_the_euler_maruyama_update():
    """Two steps of two particles, isotropic and anisotropic, redone by hand from the same stream."""
    x0 = np.array([[1.0, -0.5, 0.2], [0.3, 0.4, -1.0]])
    lam, sig, alpha, dt = 1.0, 0.5, 2.0, 0.01
    for noise_type in ("isotropic", "anisotropic"):
        run = cbo_particles(SPHERE, x0, np.zeros(3), drift=lam, noise=sig, alpha=alpha, dt=dt, steps=2,
                            rng=np.random.default_rng(4), noise_type=noise_type)
        rng, x, msd = np.random.default_rng(4), x0.copy(), [np.mean(np.sum(x0 ** 2, axis=1))]
        for _ in range(2):
            w = np.exp(-alpha * (SPHERE(x) - SPHERE(x).min()))
            v = w @ x / w.sum()
            xi = rng.standard_normal(x.shape)
            scale = np.linalg.norm(x - v, axis=1, keepdims=True) if noise_type == "isotropic" else (x - v)
            x = x - lam * dt * (x - v) + sig * np.sqrt(dt) * scale * xi
            msd.append(np.mean(np.sum(x ** 2, axis=1)))
        np.testing.assert_allclose(run.mean_square_distance, msd, rtol=1e-12)
        np.testing.assert_allclose(run.consensus, v, rtol=1e-12)
        np.testing.assert_allclose(run.times, [0, dt, 2 * dt])


@pytest.mark.parametrize("noise_type, factor", [("isotropic", 3), ("anisotropic", 1)])
def test_pinned_second_moment_follows_the_exact_discrete_factor(noise_type, factor):
    """Pinned at x* = 0: E|X_k|² = |X_0|² ((1 − λΔt)² + cσ²Δt)^k exactly for Euler–Maruyama."""
    lam, sig, dt, steps = 1.0, 0.4, 0.05, 20
    x0 = np.tile([1.0, -0.5, 0.5], (20000, 1))
    run = cbo_particles(SPHERE, x0, np.zeros(3), drift=lam, noise=sig, alpha=1.0, dt=dt, steps=steps,
                        rng=np.random.default_rng(5), noise_type=noise_type, pinned=np.zeros(3))
    exact = 1.5 * ((1 - lam * dt) ** 2 + factor * sig ** 2 * dt) ** np.arange(steps + 1)
    # Spread of |X_k|²: log-normal-like with log-variance ≲ 4σ²t; bound the SE by the last step's.
    final = run.mean_square_distance[-1]
    spread = exact[-1] * np.sqrt(np.expm1(4 * sig ** 2 * dt * steps) + 1e-3)
    assert abs(final - exact[-1]) < 4.5 * spread / np.sqrt(len(x0))
    assert run.mean_square_distance[0] == pytest.approx(1.5)


def test_backends_numpy_and_numba_agree():
    x0 = np.random.default_rng(6).standard_normal((50, 3))
    runs = [cbo_particles(SPHERE, x0, np.zeros(3), drift=1.0, noise=0.4, alpha=10.0, dt=0.01, steps=5,
                          rng=np.random.default_rng(7), backend=b) for b in ("numpy", "numba")]
    np.testing.assert_array_equal(runs[0].mean_square_distance, runs[1].mean_square_distance)


@pytest.mark.skipif(not cupy_available(), reason="needs CuPy and a CUDA GPU")
def test_backends_numpy_and_cupy_agree():
    x0 = np.random.default_rng(6).standard_normal((50, 3))
    runs = [cbo_particles(SPHERE, x0, np.zeros(3), drift=1.0, noise=0.4, alpha=10.0, dt=0.01, steps=5,
                          rng=np.random.default_rng(7), backend=b) for b in ("numpy", "cupy")]
    np.testing.assert_allclose(runs[1].mean_square_distance, runs[0].mean_square_distance, rtol=1e-10)
    est = [monte_carlo_consensus(F, [1.0, 0.0], 0.5, 2.0, 100, np.random.default_rng(8), backend=b)
           for b in ("numpy", "cupy")]
    np.testing.assert_allclose(est[1].point, est[0].point, rtol=1e-10)


RNG = np.random.default_rng(0)
X0 = np.zeros((4, 3))


PARTICLES = dict(drift=1.0, noise=0.1, alpha=1.0, rng=RNG)

test_invalid_calls = invalid_call_test(
    rejects("sigma=-0.1", monte_carlo_consensus, F, [1.0, 0.0], -0.1, 1.0, 10, RNG),
    rejects("alpha=0.0", monte_carlo_consensus, F, [1.0, 0.0], 0.1, 0.0, 10, RNG),
    rejects("samples=0", monte_carlo_consensus, F, [1.0, 0.0], 0.1, 1.0, 0, RNG),
    rejects("center of shape", monte_carlo_consensus, F, [[1.0]], 0.1, 1.0, 10, RNG),
    rejects("dt=1.5", cbo_particles, SPHERE, X0, np.zeros(3), dt=1.5, steps=2, **PARTICLES),
    rejects("reference of shape", cbo_particles, SPHERE, X0, np.zeros(2), dt=0.1, steps=2, **PARTICLES),
    rejects("steps=0", cbo_particles, SPHERE, X0, np.zeros(3), dt=0.1, steps=0, **PARTICLES),
    rejects("noise_type='diagonal'", cbo_particles, SPHERE, X0, np.zeros(3), dt=0.1, steps=2,
            noise_type="diagonal", **PARTICLES),
)
