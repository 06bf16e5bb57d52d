"""CBO theory: the consensus point by quadrature and by direct minimisation, the decay rates by
Itô's formula in sympy.

The tilted-Gaussian mean and the weight moments are integrated with a tensor Gauss–Hermite
rule (60 nodes per axis in d = 2: the integrands are entire and Gaussian-weighted, so the rule
is exact to rounding) and compared with the closed forms; the proximal point is also found by
``scipy.optimize.minimize`` of ``f(y) + ‖y − x‖²/(2h)``.
"""

import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize

from tests.argument_validation import invalid_call_test, rejects
from theory.consensus import (cbo_variance_rate, consensus_ess_fraction, consensus_point,
                              quadratic_proximal_point)

A = np.array([[2.0, 0.6], [0.6, 0.8]])
Y_STAR = np.array([0.5, -1.0])
X = np.array([1.5, 0.7])


def f(y):
    r = y - Y_STAR
    return 0.5 * np.einsum("...i,ij,...j->...", r, A, r)


def gauss_hermite_2d(nodes=60):
    x, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()
    pts = np.array(list(itertools.product(x, x)))
    return pts, np.outer(w, w).ravel()


@pytest.mark.parametrize("alpha, sigma", [(1.0, 0.3), (4.0, 0.5), (0.5, 1.2)])
def test_consensus_point_is_the_tilted_gaussian_mean(alpha, sigma):
    z, w = gauss_hermite_2d()
    y = X + sigma * z
    weights = w * np.exp(-alpha * (f(y) - f(X)))
    mean = weights @ y / weights.sum()
    np.testing.assert_allclose(consensus_point(X, A, Y_STAR, alpha, sigma), mean, rtol=1e-12)
    ess = weights.sum() ** 2 / (w @ np.exp(-2 * alpha * (f(y) - f(X))))
    assert consensus_ess_fraction(X, A, Y_STAR, alpha, sigma) == pytest.approx(ess, rel=1e-11)


@pytest.mark.parametrize("h", [0.0, 0.1, 1.0, 25.0])
def test_proximal_point_minimises_the_moreau_objective(h):
    prox = quadratic_proximal_point(X, A, Y_STAR, h)
    if h == 0:
        np.testing.assert_array_equal(prox, X)
        return
    found = minimize(lambda y: f(y) + np.sum((y - X) ** 2) / (2 * h), X, method="BFGS", tol=1e-14).x
    np.testing.assert_allclose(prox, found, atol=1e-7)
    # Implicit step: v = x − h ∇f(v) exactly; explicit GD differs at O(h²).
    np.testing.assert_allclose(prox, X - h * A @ (prox - Y_STAR), atol=1e-13)


def test_proximal_point_limits_and_vectorisation():
    h = np.array([1e-9, 1.0, 1e12])
    v = quadratic_proximal_point(X, A, Y_STAR, h)
    assert v.shape == (3, 2)
    np.testing.assert_allclose(v[0], X - 1e-9 * A @ (X - Y_STAR), rtol=1e-15)   # first order: GD
    np.testing.assert_allclose(v[2], Y_STAR, atol=1e-10)                      # h → ∞: the minimiser
    singular = np.array([[1.0, 0.0], [0.0, 0.0]])                             # → projection on y* + ker A
    np.testing.assert_allclose(quadratic_proximal_point(X, singular, Y_STAR, 1e12), [Y_STAR[0], X[1]], atol=1e-10)
    np.testing.assert_allclose(consensus_point(X, A, Y_STAR, 3.0, [0.0, 0.5]),
                               quadratic_proximal_point(X, A, Y_STAR, [0.0, 0.75]), rtol=1e-15)
    assert consensus_ess_fraction(X, A, Y_STAR, 3.0, 0.0) == pytest.approx(1.0, rel=1e-15)


@pytest.mark.parametrize("noise_type", ["isotropic", "anisotropic"])
def test_rates_from_itos_formula(noise_type):
    """Generator of the pinned dynamics applied to |y|²: −r |y|² with r = 2λ − dσ² or 2λ − σ²."""
    lam, sig = sp.symbols("lambda sigma", positive=True)
    y = sp.symbols("y0:3", real=True)
    norm2 = sum(v ** 2 for v in y)
    drift = sum(-lam * v * sp.diff(norm2, v) for v in y)
    if noise_type == "isotropic":          # diffusion σ²|y|² I
        diffusion = sig ** 2 * norm2 * sum(sp.diff(norm2, v, 2) for v in y) / 2
    else:                                  # diffusion σ² diag(y_i²)
        diffusion = sig ** 2 * sum(v ** 2 * sp.diff(norm2, v, 2) for v in y) / 2
    rate = sp.simplify(-(drift + diffusion) / norm2)
    value = float(rate.subs({lam: 1.0, sig: 0.4}))
    assert cbo_variance_rate(1.0, 0.4, 3, noise_type) == pytest.approx(value, rel=1e-15)
    assert cbo_variance_rate(1.0, 0.4, 5, "isotropic") == pytest.approx(1.2, rel=1e-15)    # note §8
    assert cbo_variance_rate(1.0, 0.4, 5, "anisotropic") == pytest.approx(1.84, rel=1e-15)


# --------------------------------------------------------------------------- properties

@given(st.floats(0.0, 50.0), st.floats(0.01, 10.0), st.floats(0.0, 3.0), st.integers(0, 2 ** 32 - 1))
def test_property_prox_contracts_towards_the_minimiser(h, alpha, sigma, seed):
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((3, 3))
    a, x, y = m @ m.T + 0.05 * np.eye(3), rng.standard_normal(3), rng.standard_normal(3)
    v = quadratic_proximal_point(x, a, y, h)
    assert np.all(np.isfinite(v))
    assert f_value(a, y, v) <= f_value(a, y, x) * (1 + 1e-12) + 1e-300     # a descent step
    ess = consensus_ess_fraction(x, a, y, alpha, sigma)
    assert 0.0 < ess <= 1.0 + 1e-12


def f_value(a, y, point):
    r = point - y
    return 0.5 * r @ a @ r


# --------------------------------------------------------------------------- validation

test_invalid_calls = invalid_call_test(
    rejects("step=-1.0", quadratic_proximal_point, X, A, Y_STAR, -1.0),
    rejects("hessian is", quadratic_proximal_point, X, -A, Y_STAR, 1.0),
    rejects("hessian of shape", quadratic_proximal_point, X, np.eye(3), Y_STAR, 1.0),
    rejects("minimiser of shape", quadratic_proximal_point, X, A, [1.0], 1.0),
    rejects("alpha=0.0", consensus_point, X, A, Y_STAR, 0.0, 1.0),
    rejects("sigma=-1.0", consensus_point, X, A, Y_STAR, 1.0, -1.0),
    rejects("drift=0.0", cbo_variance_rate, 0.0, 0.4, 5),
    rejects("dim=0", cbo_variance_rate, 1.0, 0.4, 0),
    rejects("noise_type='diagonal'", cbo_variance_rate, 1.0, 0.4, 5, "diagonal"),
)
