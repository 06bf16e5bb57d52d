"""Logistic data and the Newton MLE: conventions, optimality, separable data."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit, log_expit

from simulate.logistic import logistic_data, logistic_mle

from tests.argument_validation import invalid_call_test, rejects


def test_data_follow_the_conventions():
    data = logistic_data(4000, 0.05, 2.0, np.random.default_rng(0))
    n, p = data.X.shape
    assert (n, p) == (4000, 200)
    assert data.beta @ data.beta == pytest.approx(n * 4.0, rel=1e-12)        # ‖β‖² = nγ²
    assert data.X.var() * n == pytest.approx(1.0, rel=0.02)                  # entries N(0, 1/n)
    eta = data.X @ data.beta
    assert eta.var() == pytest.approx(4.0, rel=0.1)                          # Var x·β = γ²
    assert set(np.unique(data.y)) == {0.0, 1.0}
    assert abs(data.y.mean() - expit(eta).mean()) < 4 * 0.5 / math.sqrt(n)


def test_mle_is_the_optimum():
    """Against L-BFGS on the same likelihood, and a vanishing gradient."""
    data = logistic_data(300, 0.1, 1.5, np.random.default_rng(1))
    fit = logistic_mle(data.X, data.y)
    assert fit.converged and fit.iterations < 20
    np.testing.assert_allclose(data.X.T @ (expit(data.X @ fit.beta) - data.y), 0.0, atol=1e-8)

    def nll(b):
        eta = data.X @ b
        return -np.sum(data.y * log_expit(eta) + (1 - data.y) * log_expit(-eta))

    ref = minimize(nll, np.zeros(data.X.shape[1]), jac=lambda b: data.X.T @ (expit(data.X @ b) - data.y),
                   method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 5000})
    np.testing.assert_allclose(fit.beta, ref.x, rtol=1e-5, atol=1e-6)


def test_separable_data_do_not_converge():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((40, 30))
    y = (X @ rng.standard_normal(30) > 0).astype(float)                      # separable by construction
    fit = logistic_mle(X, y, max_iter=60)
    assert not fit.converged


def test_inflation_is_visible_in_one_large_fit():
    """κ = 0.2, γ² = 5, n = 2000: α̂ ≈ 1.5 (Sur–Candès), far from the classical 1."""
    data = logistic_data(2000, 0.2, math.sqrt(5), np.random.default_rng(3))
    fit = logistic_mle(data.X, data.y)
    alpha = fit.beta @ data.beta / (data.beta @ data.beta)
    assert fit.converged and 1.25 < alpha < 1.75


test_invalid_calls = invalid_call_test(
    rejects("n=1", logistic_data, 1, 0.2, 1.0, np.random.default_rng(0)),
    rejects("kappa=1.0", logistic_data, 100, 1.0, 1.0, np.random.default_rng(0)),
    rejects("gamma=-1.0", logistic_data, 100, 0.2, -1.0, np.random.default_rng(0)),
    rejects("y=<array of shape (3,)>", logistic_mle, np.ones((3, 2)), np.array([0.0, 1.0, 2.0])),
    rejects("tol=0.0", logistic_mle, np.ones((3, 2)), np.array([0.0, 1.0, 1.0]), tol=0.0),
)
