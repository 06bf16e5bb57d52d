"""Monte Carlo weight gradient: unbiased on closed-form cases, batch-independent, checked arguments;
and the Gaussian assumption is what makes it equal (∇²_b F)W."""

import numpy as np
import pytest

from simulate.stein_monte_carlo import weight_gradient_monte_carlo
from theory.derandomization import softplus_cosine_quartic, stein_weight_gradient

W = np.array([[0.5, -0.3, 0.2], [0.1, 0.4, -0.6]])
B = np.array([0.3, -0.2])


def test_unbiased_for_a_quadratic_objective():
    """g(z) = ½ zᵀAz: ∇g = Az and E[A(Wx + b)xᵀ] = AW exactly."""
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    rng = np.random.default_rng(0)
    draws = np.array([weight_gradient_monte_carlo(lambda z: A @ z, W, B, 4000, rng) for _ in range(40)])
    mean, se = draws.mean(axis=0), draws.std(axis=0, ddof=1) / np.sqrt(40)
    assert np.all(np.abs(mean - A @ W) < 4.5 * se)


def test_batches_do_not_change_the_estimate():
    g = softplus_cosine_quartic([1.0, -0.5])
    one = weight_gradient_monte_carlo(g.gradient, W, B, 1001, np.random.default_rng(1))
    many = weight_gradient_monte_carlo(g.gradient, W, B, 1001, np.random.default_rng(1), batch=7)
    np.testing.assert_allclose(many, one, rtol=1e-12)


def test_non_gaussian_inputs_break_the_identity():
    """Stein's lemma needs Gaussian x: with uniform inputs of unit variance the same estimator
    misses (∇²_b F)W by many standard errors, while Gaussian inputs hit it."""
    g = softplus_cosine_quartic([1.0, -0.5])
    predicted = stein_weight_gradient(g.hessian, W, B)
    rng = np.random.default_rng(2)
    x = rng.uniform(-np.sqrt(3), np.sqrt(3), size=(3, 400_000))
    terms = np.einsum("ip,jp->ijp", g.gradient(W @ x + B[:, None]), x)
    z_uniform = np.abs(terms.mean(axis=2) - predicted) / (terms.std(axis=2) / np.sqrt(x.shape[1]))
    draws = np.array([weight_gradient_monte_carlo(g.gradient, W, B, 40_000, rng) for _ in range(10)])
    z_gauss = np.abs(draws.mean(axis=0) - predicted) / (draws.std(axis=0, ddof=1) / np.sqrt(10))
    assert z_uniform.max() > 10 and z_gauss.max() < 6


@pytest.mark.parametrize("kwargs,message", [
    ({"weight": np.ones(3)}, "weight="),
    ({"bias": np.ones(3)}, "bias="),
    ({"samples": 0}, "samples=0"),
    ({"batch": 0}, "batch=0"),
    ({"backend": "jax"}, "backend='jax'"),
])
def test_invalid_arguments_name_the_parameter(kwargs, message):
    args = {"gradient": lambda z: z, "weight": W, "bias": B, "samples": 10, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(ValueError, match="out of range") as info:
        weight_gradient_monte_carlo(**args)
    assert str(info.value).startswith(message)
