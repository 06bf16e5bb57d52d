"""Linearised SGD chains against the exact mean-square recursion (4 Monte-Carlo standard errors)."""

import numpy as np
import pytest

from simulate.sgd_stability import (batch_gradient_second_moment, batch_masks, linear_sgd_second_moment,
                                    stationary_learning_rate)
from theory.sgd_stability import mean_square_critical_mode, mean_square_threshold, mean_square_trajectory

from tests.argument_validation import invalid_call_test, rejects

Z = 4.0


def instance(n=8, d=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)) * rng.uniform(0.3, 1.5, (n, 1))


def test_batches_are_uniform_subsets_without_replacement():
    masks = batch_masks(7, 3, 20000, np.random.default_rng(1))
    assert np.all(masks.sum(axis=1) == 3) and set(np.unique(masks)) == {0.0, 1.0}
    freq = masks.mean(axis=0)
    np.testing.assert_allclose(freq, 3 / 7, atol=Z * np.sqrt(3 / 7 * 4 / 7 / 20000))
    pairs = masks.T @ masks / 20000          # P(i, j both in) = B(B − 1)/(n(n − 1)) off the diagonal
    off = pairs[~np.eye(7, dtype=bool)]
    np.testing.assert_allclose(off, 3 * 2 / (7 * 6), atol=0.01)


@pytest.mark.parametrize("factor", [0.9, 1.1])
def test_chains_follow_the_exact_second_moment(factor):
    g = instance()
    eta = factor * mean_square_threshold(g, 2)
    start = np.eye(4) / 4
    runs = np.array([linear_sgd_second_moment(g, 2, eta, start, 8, 4000, np.random.default_rng(s))
                     for s in range(12)])
    exact = mean_square_trajectory(g, 2, eta, start, 8)
    se = runs.std(axis=0, ddof=1) / np.sqrt(len(runs))
    assert np.all(np.abs(runs.mean(axis=0) - exact) < Z * se + 1e-12)


@pytest.mark.parametrize("batch_size", [1, 3])
def test_stationary_learning_rate_estimates_the_threshold(batch_size):
    g = instance()
    mode = mean_square_critical_mode(g, batch_size)
    estimates = np.array([stationary_learning_rate(g, batch_size, mode, 5000, np.random.default_rng(s))
                          for s in range(10)])
    se = estimates.std(ddof=1) / np.sqrt(estimates.size)
    assert abs(estimates.mean() - mean_square_threshold(g, batch_size)) < Z * se


def test_stationary_learning_rate_is_exact_for_gradient_descent_and_never_below_the_threshold():
    g = instance()
    assert stationary_learning_rate(g, 8, mean_square_critical_mode(g, 8), 50, np.random.default_rng(0)) == \
        pytest.approx(mean_square_threshold(g, 8), rel=1e-12)
    # any other weight gives a larger Rayleigh quotient (in expectation; here by far)
    other = stationary_learning_rate(g, 2, np.eye(4), 20000, np.random.default_rng(1))
    assert other > mean_square_threshold(g, 2)


def test_preconditioned_chains_estimate_the_preconditioned_threshold():
    g = instance()
    scale = np.array([1.0, 2.0, 0.5, 1.5])
    mode = mean_square_critical_mode(g / np.sqrt(scale), 3)
    estimates = np.array([stationary_learning_rate(g, 3, mode, 5000, np.random.default_rng(s), preconditioner=scale)
                          for s in range(10)])
    se = estimates.std(ddof=1) / np.sqrt(estimates.size)
    assert abs(estimates.mean() - mean_square_threshold(g / np.sqrt(scale), 3)) < Z * se


def test_batch_gradient_second_moment_has_the_without_replacement_factor():
    rng = np.random.default_rng(2)
    rows = rng.standard_normal((30, 3)) * np.array([1.0, 0.3, 2.0])
    rows -= rows.mean(axis=0)
    runs = np.array([batch_gradient_second_moment(rows, 5, 4000, np.random.default_rng(s)) for s in range(10)])
    expected = rows.var(axis=0, ddof=1) * (1 / 5 - 1 / 30)
    se = runs.std(axis=0, ddof=1) / np.sqrt(len(runs))
    assert np.all(np.abs(runs.mean(axis=0) - expected) < Z * se)


def test_numpy_and_numba_backends_agree_on_the_same_seed():
    g = instance()
    a = linear_sgd_second_moment(g, 2, 0.1, np.eye(4), 3, 50, np.random.default_rng(5), backend="numpy")
    b = linear_sgd_second_moment(g, 2, 0.1, np.eye(4), 3, 50, np.random.default_rng(5), backend="numba")
    np.testing.assert_array_equal(a, b)


test_invalid_calls = invalid_call_test(
    rejects("batch_size=4", batch_masks, 3, 4, 1, np.random.default_rng()),
    rejects("learning_rate=-1.0", linear_sgd_second_moment, np.ones((3, 2)), 1, -1.0, np.eye(2), 1, 1,
            np.random.default_rng()),
    rejects("initial_covariance=", linear_sgd_second_moment, np.ones((3, 2)), 1, 0.1, -np.eye(2), 1, 1,
            np.random.default_rng()),
    rejects("mode=", stationary_learning_rate, np.ones((3, 2)), 1, np.zeros((2, 2)), 1, np.random.default_rng()),
    rejects("preconditioner=", stationary_learning_rate, np.ones((3, 2)), 1, np.eye(2), 1, np.random.default_rng(),
            preconditioner=[1.0, 0.0]),
    rejects("backend='gpu'", stationary_learning_rate, np.ones((3, 2)), 1, np.eye(2), 1, np.random.default_rng(),
            backend="gpu"),
)
