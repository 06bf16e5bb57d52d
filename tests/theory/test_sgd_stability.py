"""Mean-square stability threshold of mini-batch SGD: the fast route against independent ones."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from theory.sgd_stability import (mean_square_critical_mode, mean_square_threshold, mean_square_trajectory,
                                  trace_bound, without_replacement_factor)
from tests.argument_validation import invalid_call_test, rejects


def instance(n, d, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)) * rng.uniform(0.3, 1.5, (n, 1))


def second_moment_map(g, batch_size, eta):
    """Q as a d² × d² matrix, by enumerating every batch (no sampling formula involved)."""
    n, d = g.shape
    total = np.zeros((d * d, d * d))
    batches = list(itertools.combinations(range(n), batch_size))
    for batch in batches:
        step = np.eye(d) - eta * g[list(batch)].T @ g[list(batch)] / batch_size
        total += np.kron(step, step)
    return total / len(batches)


def radius(g, batch_size, eta):
    return np.max(np.abs(np.linalg.eigvals(second_moment_map(g, batch_size, eta))))


def bisect_threshold(g, batch_size):
    """Where the spectral radius of the enumerated map crosses 1 (bisection to 1e-13)."""
    lo, hi = 0.0, 4.0 / np.max(np.linalg.eigvalsh(g.T @ g / len(g)))
    while hi - lo > 1e-13 * hi:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if radius(g, batch_size, mid) <= 1.0 else (lo, mid)
    return 0.5 * (lo + hi)


@pytest.mark.parametrize("batch_size", [1, 2, 4, 6])
def test_threshold_is_where_the_enumerated_map_crosses_one(batch_size):
    g = instance(6, 3, seed=1)
    assert mean_square_threshold(g, batch_size) == pytest.approx(bisect_threshold(g, batch_size), rel=1e-10)


def test_full_batch_is_gradient_descent_and_orthogonal_rows_reach_the_trace_bound():
    g = instance(9, 4, seed=2)
    lam_max = np.linalg.eigvalsh(g.T @ g / 9)[-1]
    assert mean_square_threshold(g, 9) == pytest.approx(2.0 / lam_max, rel=1e-12)
    orthogonal = 1.7 * np.eye(5)
    assert mean_square_threshold(orthogonal, 1) == pytest.approx(trace_bound(orthogonal), rel=1e-12)
    assert mean_square_threshold(orthogonal, 5) == pytest.approx(5 * trace_bound(orthogonal), rel=1e-12)


def test_directions_outside_the_span_of_the_gradients_do_not_change_the_threshold():
    g = instance(7, 3, seed=3)
    rotation = np.linalg.qr(np.random.default_rng(0).standard_normal((5, 5)))[0]
    padded = np.hstack([g, np.zeros((7, 2))]) @ rotation
    np.testing.assert_allclose(mean_square_threshold(padded, [1, 3, 7]), mean_square_threshold(g, [1, 3, 7]),
                               rtol=1e-12)


def test_critical_mode_is_a_fixed_point_of_the_map_at_the_threshold():
    g = instance(6, 3, seed=4)
    eta = mean_square_threshold(g, 2)
    mode = mean_square_critical_mode(g, 2)
    assert np.trace(mode) == pytest.approx(1.0)
    assert np.linalg.eigvalsh(mode)[0] > -1e-12
    mapped = (second_moment_map(g, 2, eta) @ mode.ravel()).reshape(3, 3)
    np.testing.assert_allclose(mapped, mode, atol=1e-12)


@pytest.mark.parametrize("factor, grows", [(0.9, False), (1.1, True)])
def test_trajectory_matches_powers_of_the_enumerated_map(factor, grows):
    g = instance(5, 3, seed=5)
    eta = factor * mean_square_threshold(g, 2)
    start = np.diag([1.0, 0.5, 0.25])
    vec, expected = start.ravel(), []
    q = second_moment_map(g, 2, eta)
    for _ in range(41):
        expected.append(np.trace(vec.reshape(3, 3)))
        vec = q @ vec
    got = mean_square_trajectory(g, 2, eta, start, 40)
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    assert (got[-1] > got[0]) == grows


def test_without_replacement_factor():
    assert without_replacement_factor(1, 10) == 1.0
    assert without_replacement_factor(10, 10) == 0.0
    assert without_replacement_factor(1, 1) == 0.0
    np.testing.assert_allclose(without_replacement_factor([2, 5], 11), [9 / 20, 6 / 50])
    # variance of a batch mean without replacement, by enumeration
    values = np.array([0.3, -1.2, 2.0, 0.7, 1.1])
    means = [values[list(b)].mean() for b in itertools.combinations(range(5), 2)]
    assert np.var(means) == pytest.approx(without_replacement_factor(2, 5) * np.var(values), rel=1e-12)


@given(n=st.integers(2, 8), d=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_properties(n, d, seed):
    g = instance(n, d, seed)
    sizes = np.arange(1, n + 1)
    eta = mean_square_threshold(g, sizes)
    h = g.T @ g / n
    assert np.all(np.isfinite(eta)) and np.all(eta > 0)
    assert np.all(np.diff(eta) >= -1e-12 * eta[1:])             # larger batches are never less stable
    assert np.all(eta <= 2.0 / np.linalg.eigvalsh(h)[-1] * (1 + 1e-12))
    assert eta[0] <= trace_bound(g) * (1 + 1e-12)                # Wu & Su at B = 1
    p = without_replacement_factor(sizes[:-1], n)
    assert np.all(eta[:-1] <= 2.0 / (p * np.trace(h)) * (1 + 1e-12))
    frobenius = 2 * np.trace(h) / ((1 - p) * np.sum(h * h) + p * np.mean(np.sum(g * g, axis=1) ** 2))
    assert np.all(eta[:-1] <= frobenius * (1 + 1e-12))


test_invalid_calls = invalid_call_test(
    rejects("sample_gradients with shape (3,)", mean_square_threshold, np.ones(3), 1),
    rejects("sample_gradients=<all zeros>", mean_square_threshold, np.zeros((3, 2)), 1),
    rejects("sample_gradients=", mean_square_threshold, [[1.0, np.nan]], 1),
    rejects("batch_size=4", mean_square_threshold, np.ones((3, 2)), 4),
    rejects("batch_size=1.5", mean_square_threshold, np.ones((3, 2)), 1.5),
    rejects("batch_size=[1, 2]", mean_square_critical_mode, np.ones((3, 2)), [1, 2]),
    rejects("learning_rate=-0.1", mean_square_trajectory, np.ones((3, 2)), 1, -0.1, np.eye(2), 3),
    rejects("initial_covariance with shape (3, 3)", mean_square_trajectory, np.ones((3, 2)), 1, 0.1, np.eye(3), 3),
    rejects("steps=-1", mean_square_trajectory, np.ones((3, 2)), 1, 0.1, np.eye(2), -1),
    rejects("n_data=0", without_replacement_factor, 1, 0),
)


def test_lanczos_and_dense_routes_agree(monkeypatch):
    import theory.sgd_stability as module

    g = instance(60, 20, seed=6)          # 210 symmetric coordinates: above the dense limit
    sizes = [1, 7, 60]
    lanczos = mean_square_threshold(g, sizes)
    lanczos_mode = mean_square_critical_mode(g, 7)
    monkeypatch.setattr(module, "_DENSE_LIMIT", 10 ** 9)
    np.testing.assert_allclose(mean_square_threshold(g, sizes), lanczos, rtol=1e-12)
    np.testing.assert_allclose(mean_square_critical_mode(g, 7), lanczos_mode, atol=1e-10)
