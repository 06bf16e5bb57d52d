"""ReLU NNGP/NTK recursions against an mpmath oracle that never uses the arc-cosine formulas.

The oracle integrates the Gaussian expectations directly: for
``(u, v) ~ N(0, [[a, s], [s, b]])`` write ``u = √a ξ₁``, ``v = (s/√a) ξ₁ + c ξ₂`` with
``c = √(b − s²/a)``; then ``E[φ(u)φ(v)] = ∫₀^∞ √a ξ E[φ(mξ + cξ₂)] dN(ξ)`` with the closed
ReLU mean ``E φ(μ + cξ₂) = μΦ(μ/c) + cφ(μ/c)``, and ``E[φ'(u)φ'(v)] = ∫₀^∞ Φ(mξ/c) dN(ξ)``,
one-dimensional quadratures at 25 digits.
"""

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.argument_validation import invalid_call_test, rejects
from theory.wide_networks import relu_fourth_moment_ratio, relu_nngp, relu_ntk


def planar_inputs(angles, n0=10, norms=None):
    """Inputs (columns) of squared norm n0 (or n0·norms²) at the given angles in one plane."""
    angles = np.asarray(angles, dtype=float)
    norms = np.ones_like(angles) if norms is None else np.asarray(norms, dtype=float)
    x = np.zeros((n0, len(angles)))
    x[0], x[1] = np.sqrt(n0) * norms * np.cos(angles), np.sqrt(n0) * norms * np.sin(angles)
    return x


def mp_gaussian_products(a, b, s):
    """(E φ(u)φ(v), E φ'(u)φ'(v)) by quadrature (module docstring)."""
    m = s / mp.sqrt(a)
    c2 = b - s * s / a
    if c2 <= 0:                                    # v = (m/√a)... a deterministic multiple of u
        relu = mp.quad(lambda t: mp.sqrt(a) * t * max(m * t, 0) * mp.npdf(t), [0, mp.inf])
        step = mp.mpf(1) / 2 if m > 0 else mp.mpf(0)
        return relu, step
    c = mp.sqrt(c2)
    mean_relu = lambda mu: mu * mp.ncdf(mu / c) + c * mp.npdf(mu / c)
    relu = mp.quad(lambda t: mp.sqrt(a) * t * mean_relu(m * t) * mp.npdf(t), [0, mp.inf])
    step = mp.quad(lambda t: mp.ncdf(m * t / c) * mp.npdf(t), [0, mp.inf])
    return relu, step


def mp_kernels(x, depth, wv, bv):
    """(NNGP, NTK) from the layer recursion with quadrature expectations, at 25 digits."""
    with mp.workdps(25):
        wv, bv = mp.mpf(wv), mp.mpf(bv)
        x = mp.matrix(x.tolist())
        n0, p = x.rows, x.cols
        sigma = mp.matrix(p, p)
        for i in range(p):
            for j in range(p):
                sigma[i, j] = wv * sum(x[k, i] * x[k, j] for k in range(n0)) / n0 + bv
        theta = sigma.copy()
        for _ in range(depth):
            new_sigma, new_theta = mp.matrix(p, p), mp.matrix(p, p)
            for i in range(p):
                for j in range(i, p):
                    relu, step = mp_gaussian_products(sigma[i, i], sigma[j, j], sigma[i, j])
                    new_sigma[i, j] = new_sigma[j, i] = wv * relu + bv
                    new_theta[i, j] = new_theta[j, i] = new_sigma[i, j] + theta[i, j] * wv * step
            sigma, theta = new_sigma, new_theta
        return (np.array(sigma.tolist(), dtype=float), np.array(theta.tolist(), dtype=float))


@pytest.mark.parametrize("x, depth, wv, bv", [
    (planar_inputs([0.0, 0.5, 1.5]), 3, 2.0, 0.1),                       # the note's setting
    (planar_inputs([0.0, 2.0, 3.0], n0=4, norms=[1.0, 0.5, 2.0]), 2, 1.3, 0.0),
])
def test_kernels_match_the_quadrature_oracle(x, depth, wv, bv):
    nngp, ntk = mp_kernels(x, depth, wv, bv)
    np.testing.assert_allclose(relu_nngp(x, depth, wv, bv), nngp, rtol=1e-13)
    np.testing.assert_allclose(relu_ntk(x, depth, wv, bv), ntk, rtol=1e-13)


def test_the_notes_diagonal_values():
    """‖x‖² = n₀, L = 3, σ_w² = 2, σ_b² = 0.1: NNGP 2.1 → 2.4, NTK 9 (note §4)."""
    x = planar_inputs([0.0, 1.0])
    np.testing.assert_allclose(np.diag(relu_nngp(x, 3, 2.0, 0.1)), [2.4, 2.4], rtol=1e-15)
    np.testing.assert_allclose(np.diag(relu_ntk(x, 3, 2.0, 0.1)), [9.0, 9.0], rtol=1e-15)


@pytest.mark.parametrize("depth", [0, 1, 4, 12])
def test_diagonals_follow_their_scalar_recursions_to_rounding(depth):
    x = planar_inputs([0.0, 0.3, 2.0], norms=[1.0, 0.7, 1.9])
    wv, bv = 1.7, 0.35
    k = wv * np.sum(x * x, axis=0) / x.shape[0] + bv
    t = k.copy()
    for _ in range(depth):
        k = wv * k / 2 + bv
        t = k + t * wv / 2
    np.testing.assert_allclose(np.diag(relu_nngp(x, depth, wv, bv)), k, rtol=4e-16 * (depth + 1))
    np.testing.assert_allclose(np.diag(relu_ntk(x, depth, wv, bv)), t, rtol=4e-16 * (depth + 1))


def test_zero_bias_homogeneity_and_ntk_diagonal():
    """σ_b = 0: K(cx) = c²K(x), K ∝ (σ_w²)^{L+1}, and Θ(x, x) = (L + 1) K(x, x)."""
    x, depth = planar_inputs([0.0, 0.8, 2.5], n0=3), 3
    k = relu_nngp(x, depth, 1.0, 0.0)
    np.testing.assert_allclose(relu_nngp(3.0 * x, depth, 1.0, 0.0), 9.0 * k, rtol=1e-13)
    np.testing.assert_allclose(relu_nngp(x, depth, 2.5, 0.0), 2.5 ** (depth + 1) * k, rtol=1e-13)
    np.testing.assert_allclose(np.diag(relu_ntk(x, depth, 1.0, 0.0)), (depth + 1) * np.diag(k), rtol=1e-14)


def test_rotation_invariance_and_linear_model():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((5, 4))
    q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    np.testing.assert_allclose(relu_ntk(q @ x, 3, 1.5, 0.2), relu_ntk(x, 3, 1.5, 0.2), rtol=1e-12)
    np.testing.assert_allclose(relu_nngp(x, 0, 1.5, 0.2), 1.5 * x.T @ x / 5 + 0.2, rtol=1e-14)
    np.testing.assert_array_equal(relu_ntk(x, 0, 1.5, 0.2), relu_nngp(x, 0, 1.5, 0.2))
    assert relu_nngp(x[:, 0], 2, 1.5, 0.2).shape == (1, 1)


def test_deep_limit_of_the_correlation():
    """σ_w² = 2, σ_b = 0 (edge of chaos): the correlation map ρ → 1 as depth grows."""
    x = planar_inputs([0.0, 1.2])
    rho = [relu_nngp(x, depth, 2.0, 0.0)[0, 1] / relu_nngp(x, depth, 2.0, 0.0)[0, 0] for depth in (1, 10, 100)]
    assert rho[0] < rho[1] < rho[2] < 1.0 and rho[2] > 0.99


def test_fourth_moment_ratio_against_sympy_moments():
    """(E Y²/(E Y)²)^L with Y = Σ_{i≤n} φ(ξ_i)² and the ReLU moments integrated by sympy."""
    xi = sp.symbols("xi", real=True)
    density = sp.exp(-xi ** 2 / 2) / sp.sqrt(2 * sp.pi)
    m2, m4 = (sp.integrate(xi ** k * density, (xi, 0, sp.oo)) for k in (2, 4))
    assert (m2, m4) == (sp.Rational(1, 2), sp.Rational(3, 2))
    for n, depth in [(1, 1), (8, 3), (16, 3), (100, 7)]:
        exact = ((n * m4 + n * (n - 1) * m2 ** 2) / (n * m2) ** 2) ** depth
        assert relu_fourth_moment_ratio(n, depth) == pytest.approx(float(exact), rel=1e-14)
    assert relu_fourth_moment_ratio(8, 3) == pytest.approx(4.291015625, rel=1e-15)   # note: 4.29
    np.testing.assert_allclose(relu_fourth_moment_ratio([8, 16], [3, 0]), [4.291015625, 1.0])


# --------------------------------------------------------------------------- properties

@given(hnp.arrays(float, st.tuples(st.integers(1, 5), st.integers(1, 4)),
                  elements=st.floats(-3, 3, allow_subnormal=False)),
       st.integers(0, 6), st.floats(0.1, 4.0), st.floats(0.01, 1.0))
def test_property_kernels_are_symmetric_psd_gram_matrices(x, depth, wv, bv):
    for kernel in (relu_nngp(x, depth, wv, bv), relu_ntk(x, depth, wv, bv)):
        assert np.all(np.isfinite(kernel))
        np.testing.assert_array_equal(kernel, kernel.T)
        scale = np.max(np.diag(kernel))
        assert np.min(np.linalg.eigvalsh(kernel)) >= -1e-12 * scale
        diag = np.diag(kernel)
        assert np.all(np.abs(kernel) <= np.sqrt(np.outer(diag, diag)) * (1 + 1e-12))
    assert np.all(np.diag(relu_ntk(x, depth, wv, bv)) >= np.diag(relu_nngp(x, depth, wv, bv)))


@given(st.integers(1, 10 ** 6), st.integers(0, 50))
def test_property_fourth_moment_ratio(width, depth):
    r = relu_fourth_moment_ratio(width, depth)
    assert 1.0 <= r < np.inf
    assert relu_fourth_moment_ratio(width + 1, depth) <= r <= relu_fourth_moment_ratio(width, depth + 1)
    assert r <= np.exp(5 * depth / width) * (1 + 1e-15)       # (1 + 5/n)^L ≤ e^{5L/n}


# --------------------------------------------------------------------------- validation

test_invalid_calls = invalid_call_test(
    rejects("depth=-1", relu_nngp, np.ones((3, 2)), -1, 1.0, 0.0),
    rejects("depth=1.5", relu_nngp, np.ones((3, 2)), 1.5, 1.0, 0.0),
    rejects("weight_variance=0.0", relu_nngp, np.ones((3, 2)), 2, 0.0, 0.0),
    rejects("bias_variance=-0.1", relu_ntk, np.ones((3, 2)), 2, 1.0, -0.1),
    rejects("inputs has a zero column", relu_ntk, np.array([[1.0, 0.0], [1.0, 0.0]]), 2, 1.0, 0.0),
    rejects("inputs of shape", relu_ntk, np.ones((2, 2, 2)), 2, 1.0, 0.0),
    rejects("inputs=", relu_ntk, [[1.0, np.inf]], 2, 1.0, 0.0),
    rejects("width=0", relu_fourth_moment_ratio, 0, 3),
    rejects("depth=-1", relu_fourth_moment_ratio, 8, -1),
)
