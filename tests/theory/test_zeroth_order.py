"""SPSA/MeZO estimator moments against exact expectations computed another way.

Independent routes: Gaussian expectations of polynomials by tensor Gauss–Hermite quadrature
(exact for degree ≤ 2·nodes − 1 per coordinate), the sphere by Gauss–Legendre × trapezoid
quadrature in spherical coordinates (exact for the degree-4 integrands here), Rademacher by
enumerating all sign vectors, and the smoothed gradient by mpmath quadrature of the
gradient. None of these uses the fourth-moment formulas of the module.
"""

import itertools

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.argument_validation import invalid_call_test, rejects
from theory.zeroth_order import (
    nonquadratic_smoothed_gradient,
    spsa_critical_step,
    spsa_one_step_change,
    spsa_quadratic_form,
    spsa_second_moment_ratio,
)

RNG = np.random.default_rng(11)
D = 3
A = (lambda m: m @ m.T / D + 0.3 * np.eye(D))(RNG.standard_normal((D, D)))
G = np.array([0.7, -1.3, 0.4])


# --------------------------------------------------------------------------- exact laws

def gaussian_law(dim, nodes=3):
    """Nodes and weights of the tensor Gauss–Hermite rule for N(0, I_dim)."""
    x, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()
    points = np.array(list(itertools.product(x, repeat=dim)))
    weights = np.prod(np.array(list(itertools.product(w, repeat=dim))), axis=1)
    return points, weights


def sphere_law(dim=3):
    """Exact rule for degree-≤4 polynomials on the sphere of radius √3 in R³."""
    assert dim == 3
    t, wt = np.polynomial.legendre.leggauss(6)
    phi = 2 * np.pi * np.arange(12) / 12
    tt, pp = np.meshgrid(t, phi, indexing="ij")
    s = np.sqrt(1 - tt ** 2)
    u = np.stack([s * np.cos(pp), s * np.sin(pp), tt], axis=-1).reshape(-1, 3)
    weights = np.repeat(wt / 2, len(phi)) / len(phi)
    return np.sqrt(3.0) * u, weights


def rademacher_law(dim):
    points = np.array(list(itertools.product([-1.0, 1.0], repeat=dim)))
    return points, np.full(len(points), 1.0 / len(points))


LAWS = {"gaussian": gaussian_law, "sphere": sphere_law, "rademacher": rademacher_law}


def estimator_law(distribution, n_directions, dim=D):
    """Nodes ĝ = (1/K) Σ z_k z_kᵀ G of the K-direction estimator, with their weights."""
    z, w = LAWS[distribution](dim)
    combos = list(itertools.product(range(len(w)), repeat=n_directions))
    g_hat = np.array([sum(z[i] * (z[i] @ G) for i in c) / n_directions for c in combos])
    weight = np.array([np.prod(w[list(c)]) for c in combos])
    return g_hat, weight


@pytest.mark.parametrize("distribution", ["gaussian", "sphere", "rademacher"])
@pytest.mark.parametrize("n_directions", [1, 2])
def test_quadratic_form_is_the_exact_expectation(distribution, n_directions):
    g_hat, weight = estimator_law(distribution, n_directions)
    exact = weight @ np.einsum("ni,ij,nj->n", g_hat, A, g_hat)
    assert spsa_quadratic_form(A, G, n_directions, distribution) == pytest.approx(exact, rel=1e-12)
    second = weight @ np.sum(g_hat ** 2, axis=1)
    ratio = spsa_second_moment_ratio(D, n_directions, distribution)
    assert ratio == pytest.approx(second / (G @ G), rel=1e-12)
    assert weight @ g_hat == pytest.approx(G, rel=1e-12)   # E zzᵀ = I: unbiased for a quadratic


@pytest.mark.parametrize("distribution", ["gaussian", "sphere", "rademacher"])
def test_one_step_change_is_the_exact_expected_loss_change(distribution):
    theta_star = np.array([0.2, -0.1, 0.5])
    theta = theta_star + np.linalg.solve(A, G)            # so that ∇L(θ) = G

    def loss(t):
        r = t - theta_star
        return 0.5 * np.einsum("...i,ij,...j->...", r, A, r)

    g_hat, weight = estimator_law(distribution, 1)
    for eta in (0.05, 0.3, 1.2):
        exact = weight @ (loss(theta - eta * g_hat) - loss(theta))
        assert spsa_one_step_change(eta, A, G, 1, distribution) == pytest.approx(exact, rel=1e-11)


def test_second_moment_ratio_values():
    """MeZO (d + n − 1)/n for the sphere; the Gaussian constant is larger by 2/K."""
    assert spsa_second_moment_ratio(4, 1, "gaussian") == 6.0
    assert spsa_second_moment_ratio(4, 1, "sphere") == 4.0
    assert spsa_second_moment_ratio(4, 1, "rademacher") == 4.0
    np.testing.assert_allclose(spsa_second_moment_ratio(100, [1, 10, 100], "gaussian"), [102, 11.1, 2.01])
    assert spsa_second_moment_ratio(1, 1, "rademacher") == 1.0   # z = ±1: ĝ = g exactly
    assert spsa_second_moment_ratio([[3], [5]], [1, 2]).shape == (2, 2)


def test_critical_step_for_one_gaussian_direction_is_the_trace_formula():
    expected = 2 * (G @ G) / ((G @ G) * np.trace(A) + 2 * G @ A @ G)
    assert spsa_critical_step(A, G, 1, "gaussian") == pytest.approx(expected, rel=1e-14)
    # Below η* the expected loss decreases, above it increases; η* < 2/Tr A < 2/λ_max.
    eta = spsa_critical_step(A, G, [1, 4, 16], "gaussian")
    assert spsa_one_step_change(eta, A, G, [1, 4, 16]) == pytest.approx(0.0, abs=1e-14)
    assert np.all(spsa_one_step_change(0.99 * eta, A, G, [1, 4, 16]) < 0)
    assert np.all(spsa_one_step_change(1.01 * eta, A, G, [1, 4, 16]) > 0)
    assert eta[0] < 2 / np.trace(A) < 2 / np.linalg.eigvalsh(A)[-1]
    # K → ∞: the estimator becomes g and η* tends to GD's 2‖g‖²/gᵀAg.
    assert spsa_critical_step(A, G, 10 ** 9) == pytest.approx(2 * (G @ G) / (G @ A @ G), rel=1e-8)


def test_critical_step_is_infinite_when_no_step_can_ascend():
    """Rademacher, d = 2, g = (1, 1), A = (1, −1)(1, −1)ᵀ: (z·g)² zᵀAz = 0 for every sign vector."""
    a = np.array([[1.0, -1.0], [-1.0, 1.0]])
    assert spsa_critical_step(a, [1.0, 1.0], 1, "rademacher") == np.inf
    assert np.isfinite(spsa_critical_step(a, [1.0, 1.0], 1, "gaussian"))


def test_smoothed_gradient_is_the_mpmath_mean_of_the_gradient():
    """∇L_ε = E ∇L(θ + εz): each coordinate by one-dimensional mpmath quadrature."""
    theta, v, eps = [0.6, -0.9], [0.5, 0.25], 0.7
    with mp.workdps(25):
        gauss = lambda f: mp.quad(lambda z: f(z) * mp.npdf(z), [-mp.inf, 0, mp.inf])
        norm_v = mp.sqrt(v[0] ** 2 + v[1] ** 2)
        coupling = gauss(lambda z: mp.exp(v[0] * theta[0] + v[1] * theta[1] + eps * norm_v * z))
        reference = [float(gauss(lambda z, t=t: (t + eps * z) ** 3 + mp.sin(t + eps * z)) + vi * coupling)
                     for t, vi in zip(theta, v)]
    np.testing.assert_allclose(nonquadratic_smoothed_gradient(theta, v, eps), reference, rtol=1e-13)
    # ε = 0 is the plain gradient θ³ + sin θ + v e^{v·θ}.
    t, vv = np.array(theta), np.array(v)
    np.testing.assert_allclose(nonquadratic_smoothed_gradient(theta, v, 0.0),
                               t ** 3 + np.sin(t) + vv * np.exp(vv @ t), rtol=1e-15)


# --------------------------------------------------------------------------- properties

dims = st.integers(1, 500)
ks = st.integers(1, 500)


@given(dims, ks, st.sampled_from(["gaussian", "sphere", "rademacher"]))
def test_property_ratio_at_least_one_and_monotone(d, k, law):
    r = spsa_second_moment_ratio(d, k, law)
    assert np.isfinite(r) and r >= 1.0
    assert spsa_second_moment_ratio(d + 1, k, law) > r
    assert spsa_second_moment_ratio(d, k + 1, law) <= r
    assert spsa_second_moment_ratio(d, k, "gaussian") - spsa_second_moment_ratio(d, k, "sphere") == pytest.approx(2 / k)


@given(st.integers(1, 6), st.integers(1, 64), st.sampled_from(["gaussian", "sphere", "rademacher"]),
       st.integers(0, 2 ** 32 - 1))
def test_property_quadratic_form_between_gd_and_single_direction(d, k, law, seed):
    """For PSD A: gᵀAg ≤ E ĝᵀAĝ (Jensen), decreasing in K; η* positive and finite."""
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((d, d))
    a, g = m @ m.T + 0.1 * np.eye(d), rng.standard_normal(d)
    q = spsa_quadratic_form(a, g, [k, k + 1], law)
    assert g @ a @ g <= q[1] * (1 + 1e-12) and q[1] <= q[0] * (1 + 1e-12)
    eta = spsa_critical_step(a, g, k, law)
    assert 0 < eta < np.inf


# --------------------------------------------------------------------------- validation

test_invalid_calls = invalid_call_test(
    rejects("dim=0", spsa_second_moment_ratio, 0, 1),
    rejects("dim=2.5", spsa_second_moment_ratio, 2.5, 1),
    rejects("n_directions=0", spsa_second_moment_ratio, 4, 0),
    rejects("distribution='uniform'", spsa_second_moment_ratio, 4, 1, "uniform"),
    rejects("hessian of shape", spsa_quadratic_form, np.ones((2, 3)), [1, 1], 1),
    rejects("hessian is", spsa_quadratic_form, [[1, 2], [0, 1]], [1, 1], 1),
    rejects("gradient of shape", spsa_quadratic_form, np.eye(2), [1, 1, 1], 1),
    rejects("gradient=", spsa_quadratic_form, np.eye(2), [1, np.nan], 1),
    rejects("step=-0.1", spsa_one_step_change, -0.1, np.eye(2), [1, 1], 1),
    rejects("hessian is", spsa_critical_step, -np.eye(2), [1, 1], 1),
    rejects("gradient=0", spsa_critical_step, np.eye(2), [0, 0], 1),
    rejects("direction of shape", nonquadratic_smoothed_gradient, [1, 2], [1], 0.1),
    rejects("epsilon=-0.1", nonquadratic_smoothed_gradient, [1, 2], [1, 1], -0.1),
)
