"""Learning rates versus batch size: per-step rule, online and frozen-Adam thresholds against independent routes."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special

from theory.hessian_batch_learning_rate import (additive_model_max_learning_rate, frozen_adam_max_learning_rate,
                                                online_sgd_max_learning_rate)
from theory.sgd_stability import mean_square_threshold
from tests.argument_validation import invalid_call_test, rejects


# ---------------------------------------------------------------- per-step rule

def test_additive_per_step_rate_has_slope_one_half_below_the_threshold_not_one():
    b = np.array([5.0, 10.0, 20.0, 40.0])          # B* = 100 for β = 2, P = 400
    slope = np.polyfit(np.log(b), np.log(additive_model_max_learning_rate(2.0, 400, b)), 1)[0]
    assert slope == pytest.approx(0.5, abs=1e-12)
    rates = additive_model_max_learning_rate(2.0, 400, [101.0, 1e9])
    assert rates[0] == pytest.approx(1 / 2.0, rel=1e-2) and rates[1] == pytest.approx(2 / 2.0, rel=1e-6)


# ---------------------------------------------------------------- mean-square thresholds

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


@given(p=st.floats(1, 1e5), b=st.lists(st.floats(1, 1e7), min_size=2, max_size=6))
def test_online_threshold_properties(p, b):
    online = online_sgd_max_learning_rate(p, np.sort(np.array(b)))
    assert np.all(online > 0) and np.all(online < 2) and np.all(np.diff(online) >= 0)


test_invalid_calls = invalid_call_test(
    rejects("batch_size=0", online_sgd_max_learning_rate, 400, 0),
    rejects("gradient_variance with shape (3,)", frozen_adam_max_learning_rate, np.ones((4, 2)), 2, np.ones(3)),
    rejects("damping=0.0", frozen_adam_max_learning_rate, np.ones((4, 2)), 4, np.ones(2)),
)
