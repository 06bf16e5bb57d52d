"""Separability by HiGHS, the sequential capacity N*, and the maximum margin by NNLS."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize

from simulate.capacity import is_separable, labelled_patterns, maximum_margin, sequential_capacity

from tests.argument_validation import invalid_call_test, rejects


def test_patterns_are_labelled_gaussian_rows():
    G = labelled_patterns(4000, 3, np.random.default_rng(0))
    assert G.shape == (4000, 3)
    assert abs(G.mean()) < 0.05 and G.var() == pytest.approx(1.0, abs=0.05)
    np.testing.assert_array_equal(G, labelled_patterns(4000, 3, np.random.default_rng(0), backend="numba"))


def test_separability_small_cases():
    assert is_separable(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
    assert not is_separable(np.array([[1.0, 2.0], [-1.0, -2.0]]))            # x and −x, same label
    assert not is_separable(np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]))  # 0 in the hull
    G = labelled_patterns(5, 5, np.random.default_rng(1))
    assert is_separable(G)                                                     # N ≤ d: always


def test_lp_and_nnls_agree_on_separability():
    """Two routes to the same question near the transition (P = 2N): HiGHS feasibility and
    a non-zero NNLS margin."""
    rng = np.random.default_rng(2)
    for _ in range(30):
        G = labelled_patterns(40, 20, rng)
        assert is_separable(G) == (maximum_margin(G) > 0)


def test_maximum_margin_small_cases():
    assert maximum_margin(np.array([[1.0, 0.0], [0.0, 1.0]])) == pytest.approx(1 / math.sqrt(2), rel=1e-12)
    assert maximum_margin(np.array([[3.0, 4.0]])) == pytest.approx(5.0, rel=1e-12)
    assert maximum_margin(np.array([[1.0, 2.0], [-1.0, -2.0]])) == 0.0


def test_maximum_margin_matches_a_quadratic_program():
    """κ* = 1/min‖w‖ over Gw ≥ 1 by SLSQP, and the margin of the NNLS direction itself."""
    rng = np.random.default_rng(3)
    G = labelled_patterns(6, 10, rng)
    kappa = maximum_margin(G)
    res = minimize(lambda w: w @ w, np.linalg.lstsq(G, np.ones(6), rcond=None)[0], jac=lambda w: 2 * w,
                   constraints=[{"type": "ineq", "fun": lambda w: G @ w - 1, "jac": lambda w: G}],
                   method="SLSQP", options={"ftol": 1e-14, "maxiter": 500})
    assert res.success
    assert kappa == pytest.approx(1 / np.linalg.norm(res.x), rel=1e-6)


@pytest.mark.parametrize("dim", [1, 3, 10])
def test_sequential_capacity_is_the_first_failure(dim):
    rng = np.random.default_rng(4 + dim)
    for _ in range(5):
        G = labelled_patterns(4 * dim + 40, dim, rng)
        n_star = sequential_capacity(G)
        assert dim <= n_star < G.shape[0]
        assert is_separable(G[:n_star])
        assert not is_separable(G[:n_star + 1])


def test_sequential_capacity_censors_at_the_draw():
    G = np.abs(labelled_patterns(12, 3, np.random.default_rng(5)))   # all in the positive orthant
    assert sequential_capacity(G) == 12


def test_sequential_capacity_has_mean_two_d():
    """Cover: N* is negative binomial, E N* = 2d, sd √(2d). 300 draws at d = 4: mean 8 ± 0.16."""
    rng = np.random.default_rng(6)
    samples = np.array([sequential_capacity(labelled_patterns(56, 4, rng)) for _ in range(300)])
    assert abs(samples.mean() - 8.0) < 4 * math.sqrt(8.0 / 300)
    assert samples.var(ddof=1) == pytest.approx(8.0, rel=0.35)


test_invalid_calls = invalid_call_test(
    rejects("n_points=0", labelled_patterns, 0, 3, np.random.default_rng(0)),
    rejects("dim=0", labelled_patterns, 3, 0, np.random.default_rng(0)),
    rejects("backend='gpu'", labelled_patterns, 3, 3, np.random.default_rng(0), backend="gpu"),
    rejects("G=<array of shape (5, 3)>", sequential_capacity, np.ones((5, 3))),
)


def test_requires_a_generator():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        labelled_patterns(3, 3, 0)
