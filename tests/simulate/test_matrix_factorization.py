"""GD on XXᵀ and FGᵀ: the planted target, the recorded errors, the mechanisms the theory
names (excess eigenvalues, linear rate, conserved imbalance), the screen, the Numba loops
against the NumPy reference, and argument checks."""

import math

import numpy as np
import pytest

from simulate.matrix_factorization import (
    asymmetric_gd,
    late_log_slope,
    planted_target,
    symmetric_gd,
)
from theory.matrix_factorization import exact_parameterization_log_rate, excess_eigenvalue_trajectory


@pytest.fixture(scope="module")
def target():
    return planted_target(12, [1.0, 0.5], np.random.default_rng(0))


def test_planted_target(target):
    np.testing.assert_allclose(target.basis.T @ target.basis, np.eye(2), atol=1e-14)
    np.testing.assert_allclose(np.linalg.eigvalsh(target.matrix)[-2:], [0.5, 1.0], rtol=1e-13)


def test_errors_are_the_frobenius_residuals(target):
    run = symmetric_gd(target, 3, 0.3, 0.05, 1, np.random.default_rng(1))
    X0 = 0.3 * np.random.default_rng(1).standard_normal((12, 3))
    assert run.errors[0] == pytest.approx(np.sum((X0 @ X0.T - target.matrix) ** 2), rel=1e-14)
    X1 = X0 - 0.05 * (X0 @ X0.T - target.matrix) @ X0
    np.testing.assert_allclose(run.X, X1, rtol=1e-14)


def test_excess_eigenvalues_follow_the_scalar_recursion(target):
    """Once the signal is fitted, the eigenvalues of XXᵀ off the range of M* obey s ← s(1 − ηs)²."""
    P = np.eye(12) - target.basis @ target.basis.T

    def excess(steps):
        X = symmetric_gd(target, 4, 0.3, 0.05, steps, np.random.default_rng(2)).X
        return np.linalg.eigvalsh(P @ X @ X.T @ P)[-2:]

    early, late = excess(3000), excess(4000)
    np.testing.assert_allclose(excess_eigenvalue_trajectory(early, 0.05, 1000)[-1], late, rtol=1e-9)


def test_exact_parameterization_converges_at_the_predicted_rate(target):
    run = symmetric_gd(target, 2, 0.3, 0.05, 5000, np.random.default_rng(3), stop_error=1e-26)
    assert run.errors[-1] <= 1e-26 and len(run.errors) < 2000
    assert late_log_slope(run.errors, 1e-24, 1e-14) == pytest.approx(exact_parameterization_log_rate(0.05, 0.5),
                                                                      rel=1e-5)


def test_asymmetric_gd_nearly_conserves_the_imbalance(target):
    run = asymmetric_gd(target, 4, 0.05, 0.05, np.random.default_rng(4))
    assert run.converged and run.errors[-1] <= 1e-22
    drift = run.F.T @ run.F - run.G.T @ run.G - run.imbalance
    assert np.abs(drift).max() < 0.05 * np.abs(run.imbalance).max()      # O(η²) per step, not O(1)
    weak = np.linalg.svd(run.G)[2][2:]
    assert np.abs(run.G @ weak.T).max() < 1e-9                           # G loses k − r directions


def test_the_imbalance_screen(target):
    n, alpha = 12, 0.05
    run = asymmetric_gd(target, 4, alpha, 0.05, np.random.default_rng(5), max_steps=1, min_imbalance=0.5)
    assert np.linalg.eigvalsh(run.imbalance)[0] >= 0.5 * 8 / 9 * n * alpha ** 2
    assert run.rejected > 0 and not run.converged and len(run.errors) == 2
    with pytest.raises(ValueError, match="min_imbalance=1.0"):
        asymmetric_gd(target, 4, alpha, 0.05, np.random.default_rng(5), min_imbalance=1.0)


@pytest.mark.parametrize("width", [2, 4])
def test_numba_loops_match_the_numpy_reference(target, width):
    runs = {b: symmetric_gd(target, width, 0.3, 0.05, 800, np.random.default_rng(6), backend=b)
            for b in ("numpy", "numba")}
    np.testing.assert_allclose(runs["numba"].errors, runs["numpy"].errors, rtol=1e-9, atol=1e-22)
    asym = {b: asymmetric_gd(target, width, 0.1, 0.05, np.random.default_rng(7), backend=b, stop_error=1e-16)
            for b in ("numpy", "numba")}
    assert len(asym["numba"].errors) == len(asym["numpy"].errors)
    np.testing.assert_allclose(asym["numba"].errors, asym["numpy"].errors, rtol=1e-8)
    np.testing.assert_allclose(asym["numba"].F, asym["numpy"].F, rtol=1e-8, atol=1e-12)


def test_late_log_slope():
    t = np.arange(400)
    errors = 3.0 * np.exp(-0.1 * t) + 1e-300
    assert late_log_slope(errors, 1e-15, 1e-3) == pytest.approx(-0.1, rel=1e-10)
    assert math.isnan(late_log_slope(errors, 1e-300, 1e-299))


@pytest.mark.parametrize("call,message", [
    (lambda t: planted_target(5, [1.0, -0.5], np.random.default_rng(0)), "eigenvalues="),
    (lambda t: planted_target(2, [1.0, 0.5], np.random.default_rng(0)), "eigenvalues="),
    (lambda t: symmetric_gd(t, 0, 0.3, 0.05, 10, np.random.default_rng(0)), "width=0"),
    (lambda t: symmetric_gd(t, 3, 0.0, 0.05, 10, np.random.default_rng(0)), "init_scale=0.0"),
    (lambda t: symmetric_gd(t, 3, 0.3, 0.6, 10, np.random.default_rng(0)), "step=0.6"),
    (lambda t: symmetric_gd(np.eye(3), 3, 0.3, 0.05, 10, np.random.default_rng(0)), "target="),
    (lambda t: asymmetric_gd(t, 3, 0.3, 0.05, np.random.default_rng(0), stop_error=0.0), "stop_error=0.0"),
    (lambda t: late_log_slope([1.0, 0.5], 1e-3, 1e-6), "high=1e-06"),
])
def test_invalid_arguments_name_the_parameter(target, call, message):
    with pytest.raises(ValueError, match="out of range") as info:
        call(target)
    assert str(info.value).startswith(message)
