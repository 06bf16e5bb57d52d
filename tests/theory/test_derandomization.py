"""Derandomisation lemma: Gaussian expectations against closed forms (sympy moment generating
function, mpmath quadrature), the identity ∇_W F = (∇²_b F)W against quadrature in x-space and
finite differences, properties and argument checks."""

import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from theory.derandomization import (
    gaussian_expectation,
    softplus_cosine_quartic,
    stein_weight_gradient,
    weight_decay_log_rate,
)

U = np.array([1.0, -0.5, 0.25])
G = softplus_cosine_quartic(U)


def instance(m=3, d=4, seed=0, scale=0.4):
    rng = np.random.default_rng(seed)
    return scale * rng.standard_normal((m, d)), 0.5 * rng.standard_normal(m)


def x_space_expectation(func, d, nodes):
    """E func(x) for x ~ N(0, I_d) by a d-dimensional Gauss–Hermite grid (the slow, direct route)."""
    t, w = np.polynomial.hermite_e.hermegauss(nodes)
    grid = np.stack([g.ravel() for g in np.meshgrid(*([t] * d), indexing="ij")])
    weights = math.prod(np.meshgrid(*([w / w.sum()] * d), indexing="ij")).ravel()
    return func(grid) @ weights


def test_gaussian_moments_match_the_moment_generating_function():
    """E[cos z_k] = e^{−Σ_kk/2} cos μ_k and E[z₁²z₂²] from ∂⁴ of exp(tᵀμ + ½tᵀΣt) (sympy)."""
    W, b = instance()
    sigma = W @ W.T
    t1, t2 = sp.symbols("t1 t2")
    mu_s = [sp.Rational(str(round(v, 12))) for v in b[:2]]
    s = [[sp.Rational(str(round(sigma[i, j], 12))) for j in range(2)] for i in range(2)]
    mgf = sp.exp(t1 * mu_s[0] + t2 * mu_s[1]
                 + (s[0][0] * t1 ** 2 + 2 * s[0][1] * t1 * t2 + s[1][1] * t2 ** 2) / 2)
    quartic = float(sp.diff(mgf, t1, 2, t2, 2).subs({t1: 0, t2: 0}))
    b_r = np.array([float(v) for v in mu_s])
    sigma_r = np.array([[float(v) for v in row] for row in s])
    assert gaussian_expectation(lambda z: z[0] ** 2 * z[1] ** 2, b_r, sigma_r) == pytest.approx(quartic, rel=1e-13)
    np.testing.assert_allclose(gaussian_expectation(np.cos, b, sigma),
                               np.exp(-np.diag(sigma) / 2) * np.cos(b), rtol=1e-13)


def test_softplus_expectation_matches_mpmath():
    W, b = instance()
    mean, var = U @ b, U @ W @ W.T @ U
    with mp.workdps(30):
        exact = mp.quad(lambda v: mp.log(1 + mp.exp(v)) * mp.npdf(v, mean, mp.sqrt(var)), [-mp.inf, mean, mp.inf])
    value = gaussian_expectation(lambda z: np.logaddexp(0.0, U @ z), b, W @ W.T)
    assert value == pytest.approx(float(exact), rel=1e-12)


def test_derivatives_of_the_test_function_match_finite_differences():
    z = np.array([[0.3, -1.1], [0.7, 0.2], [-0.4, 1.5]])
    h = 1e-6
    for i in range(3):
        dz = np.zeros((3, 1))
        dz[i] = h
        np.testing.assert_allclose((G.value(z + dz) - G.value(z - dz)) / (2 * h), G.gradient(z)[i], rtol=1e-8)
        np.testing.assert_allclose((G.gradient(z + dz) - G.gradient(z - dz)) / (2 * h), G.hessian(z)[:, i],
                                   rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("m,d", [(3, 3), (3, 2), (2, 4)])
def test_identity_against_the_weight_gradient_in_x_space(m, d):
    """Note §5(a): ∇_W F = E[∇g(Wx + b) xᵀ], by quadrature over x ∈ R^d, equals (∇²_b F)W
    (quadrature over z ∈ R^m) to 1e-10; (3, 2) has a singular WWᵀ. The sech² in ∇²g has
    poles near the real axis, so the z-side needs 60 nodes per dimension at this scale of W
    (40 nodes: 3e-10; 80 nodes: 4e-16)."""
    g = softplus_cosine_quartic(U[:m])
    W, b = instance(m, d, seed=m + d)
    lhs = x_space_expectation(lambda x: np.einsum("ip,jp->ijp", g.gradient(W @ x + b[:, None]), x), d,
                              {2: 60, 3: 40, 4: 22}[d])
    rhs = stein_weight_gradient(g.hessian, W, b, nodes=60)
    np.testing.assert_allclose(rhs, lhs, rtol=1e-10, atol=1e-10 * np.abs(lhs).max())


def test_identity_against_finite_differences_of_the_smoothed_objective():
    W, b = instance(3, 3, seed=5)
    h = 1e-5
    rhs = stein_weight_gradient(G.hessian, W, b)
    for i in range(3):
        for j in range(3):
            dW = np.zeros_like(W)
            dW[i, j] = h
            F = [gaussian_expectation(G.value, b, (W + s * dW) @ (W + s * dW).T) for s in (1, -1)]
            assert (F[0] - F[1]) / (2 * h) == pytest.approx(rhs[i, j], abs=1e-8)


def test_identity_is_exact_for_polynomials():
    """Gauss–Hermite with n nodes is exact to degree 2n − 1: a quartic g gives agreement at rounding."""
    def hessian(z):
        out = np.zeros((2, 2, z.shape[1]))
        out[0, 0] = 12 * z[0] ** 2 + 2 * z[1]
        out[0, 1] = out[1, 0] = 2 * z[0]
        return out
    W, b = instance(2, 3, seed=9)
    rhs = stein_weight_gradient(hessian, W, b, nodes=4)
    lhs = x_space_expectation(lambda x: np.stack([4 * (W[0] @ x + b[0]) ** 3 + 2 * (W[0] @ x + b[0]) * (W[1] @ x + b[1]),
                                                  (W[0] @ x + b[0]) ** 2])[:, None, :] * x[None], 3, 6)
    np.testing.assert_allclose(rhs, lhs, rtol=1e-13, atol=1e-14)


@given(st.integers(1, 3), st.integers(0, 10_000))
def test_expectation_of_linear_and_quadratic_functions(m, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((m, m + 1))
    mu, sigma = rng.standard_normal(m), a @ a.T
    assert gaussian_expectation(lambda z: np.ones(z.shape[1]), mu, sigma, 5) == pytest.approx(1.0, rel=1e-13)
    np.testing.assert_allclose(gaussian_expectation(lambda z: z, mu, sigma, 5), mu, atol=1e-12 * (1 + np.abs(mu).max()))
    second = gaussian_expectation(lambda z: np.einsum("ip,jp->ijp", z, z), mu, sigma, 5)
    np.testing.assert_allclose(second, sigma + np.outer(mu, mu), rtol=1e-12, atol=1e-12 * np.abs(sigma).max())


def test_weight_decay_log_rate():
    assert weight_decay_log_rate(0.01, 0.2) == pytest.approx(math.log(1 - 0.004), rel=1e-15)
    assert weight_decay_log_rate(0.0, 0.2) == 0.0
    np.testing.assert_allclose(weight_decay_log_rate(np.array([0.0, 0.1]), 0.5), [0.0, math.log(0.9)], rtol=1e-15)


@pytest.mark.parametrize("call,message", [
    (lambda: softplus_cosine_quartic([1.0]), "direction="),
    (lambda: softplus_cosine_quartic([1.0, np.nan]), "direction="),
    (lambda: gaussian_expectation(np.cos, [0.0, 0.0], np.eye(3)), "covariance="),
    (lambda: gaussian_expectation(np.cos, [0.0, 0.0], -np.eye(2)), "covariance="),
    (lambda: gaussian_expectation(np.cos, [0.0], np.eye(1), nodes=1), "nodes=1"),
    (lambda: gaussian_expectation(np.cos, np.zeros(5), np.eye(5), nodes=40), "nodes=40"),
    (lambda: stein_weight_gradient(G.hessian, np.eye(3), np.zeros(2)), "bias="),
    (lambda: stein_weight_gradient(G.hessian, np.full((3, 3), np.inf), np.zeros(3)), "weight="),
    (lambda: weight_decay_log_rate(-0.1, 0.1), "weight_decay=-0.1"),
    (lambda: weight_decay_log_rate(0.1, 0.0), "learning_rate=0.0"),
    (lambda: weight_decay_log_rate(1.0, 0.5), "2 * weight_decay * learning_rate=1.0"),
])
def test_invalid_arguments_name_the_parameter(call, message):
    with pytest.raises(ValueError, match="out of range") as info:
        call()
    assert str(info.value).startswith(message) and "\n" not in str(info.value)
