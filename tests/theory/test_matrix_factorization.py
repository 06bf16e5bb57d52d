"""Rates of GD on matrix factorisation: exact recursions with fractions, the Hessian at a
solution (the linearised GD map) for the linear rates, sympy for the excess-eigenvalue
expansion, properties and argument checks."""

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from theory.matrix_factorization import (
    exact_parameterization_log_rate,
    excess_eigenvalue_trajectory,
    imbalance_log_rate,
    symmetric_error_constant,
)


def test_symmetric_error_constant():
    assert symmetric_error_constant(4, 2, 0.05) == pytest.approx(200.0, rel=1e-15)
    assert symmetric_error_constant(7, 1, 0.1) == pytest.approx(150.0, rel=1e-15)


def test_excess_recursion_in_exact_arithmetic():
    eta, s0 = Fraction(1, 20), Fraction(3, 2)
    exact = [s0]
    for _ in range(6):
        exact.append(exact[-1] * (1 - eta * exact[-1]) ** 2)
    np.testing.assert_allclose(excess_eigenvalue_trajectory(1.5, 0.05, 6), [float(v) for v in exact],
                               rtol=1e-15)


def test_excess_expansion_by_sympy():
    """1/s' = 1/s + 2η + 3η²s + O(s²): the source of the (3η/2) ln t term."""
    s, eta = sp.symbols("s eta", positive=True)
    series = sp.series(1 / (s * (1 - eta * s) ** 2), s, 0, 2).removeO()
    assert sp.expand(series - (1 / s + 2 * eta + 3 * eta ** 2 * s)) == 0


@pytest.mark.parametrize("s0", [0.3, 2.0, 15.0])
def test_excess_eigenvalues_approach_one_over_two_eta_t(s0):
    """1/s_t − 2ηt − (3η/2) ln t tends to a constant C (at rate O(ln t / t)), so
    4η²t²s_t² → 1 with the corrections (3/2) ln t / t + C/(ηt)."""
    eta, t = 0.05, np.array([10_000, 20_000, 40_000])
    s = excess_eigenvalue_trajectory(s0, eta, int(t[-1]))[t]
    offset = 1 / s - 2 * eta * t - 1.5 * eta * np.log(t)
    assert abs(offset[2] - offset[1]) < 0.6 * abs(offset[1] - offset[0]) < 1e-3
    assert np.all(np.abs(4 * eta ** 2 * t ** 2 * s ** 2 - 1) < (1.5 * np.log(t) + 2 * abs(offset) / eta) / t)


@given(s0=st.floats(1e-6, 19.9), eta=st.floats(1e-3, 0.05))
def test_excess_trajectory_is_positive_decreasing_and_below_one_over_two_eta_t(s0, eta):
    """1/s_{t+1} = (1/s_t)(1 − ηs_t)⁻² ≥ 1/s_t + 2η, so 0 < s_t < 1/(2ηt)."""
    s = excess_eigenvalue_trajectory(s0, eta, 50)
    assert np.all(s > 0) and np.all(np.diff(s) < 0)
    assert np.all(s[1:] < 1 / (2 * eta * np.arange(1, 51)))


def residual_jacobian(F, G):
    """Jacobian of (F, G) ↦ FGᵀ (the residual map) as an n² × 2nk matrix; the Hessian of
    ½‖FGᵀ − M*‖² at a zero-residual point is JᵀJ, and GD's linearisation is I − ηJᵀJ."""
    n, k = F.shape
    cols = []
    for which in range(2):
        for i in range(n):
            for j in range(k):
                dF, dG = np.zeros((n, k)), np.zeros((n, k))
                (dF if which == 0 else dG)[i, j] = 1.0
                cols.append((dF @ G.T + F @ dG.T).ravel())
    return np.array(cols).T


def smallest_nonzero(values, tol=1e-10):
    return float(np.min(values[values > tol * np.max(values)]))


def test_exact_parameterization_rate_is_the_smallest_curvature_at_the_solution():
    """Symmetric k = r: the Hessian of ¼‖XXᵀ − M*‖² at X* has smallest non-zero eigenvalue σ_r."""
    rng = np.random.default_rng(0)
    n, eigs = 6, np.array([1.0, 0.5])
    U, _ = np.linalg.qr(rng.standard_normal((n, 2)))
    X = U * np.sqrt(eigs) @ np.linalg.qr(rng.standard_normal((2, 2)))[0]
    cols = []
    for i in range(n):
        for j in range(2):
            dX = np.zeros((n, 2))
            dX[i, j] = 1.0
            cols.append((dX @ X.T + X @ dX.T).ravel())
    J = np.array(cols).T
    hessian = 0.5 * J.T @ J          # f = ¼‖XXᵀ − M‖², residual map X ↦ XXᵀ
    assert smallest_nonzero(np.linalg.eigvalsh(hessian)) == pytest.approx(0.5, rel=1e-12)
    eta = 0.05
    assert exact_parameterization_log_rate(eta, 0.5) == pytest.approx(2 * math.log(1 - eta * 0.5), rel=1e-15)


def test_imbalance_rate_is_the_leading_order_of_the_exact_linear_rate():
    """At a limit point (F, G) of asymmetric GD (FGᵀ = M*, G V = 0) the slowest mode of
    I − η∇²f has curvature λ_min(FᵀF) ≤ λ_min(VᵀΔV), equal up to O(‖Δ‖²/σ_r)."""
    rng = np.random.default_rng(3)
    n, k, r = 8, 4, 2
    U, _ = np.linalg.qr(rng.standard_normal((n, r)))
    Q, _ = np.linalg.qr(rng.standard_normal((k, k)))
    S, V = Q[:, :r], Q[:, r:]
    for eps in (1e-2, 1e-3):
        # F = U A Sᵀ + P B Vᵀ + U R Vᵀ, G = U C Sᵀ: G V = 0 and FGᵀ = U A Cᵀ Uᵀ = M*; the
        # imbalance is O(ε) in every block, as Δ₀ ≈ (8/9)nα² I of a small initialisation.
        P, _ = np.linalg.qr(rng.standard_normal((n, k - r)))
        P = P - U @ (U.T @ P)
        A = np.diag([1.0, 0.7]) + 0.1 * rng.standard_normal((r, r))
        C = np.diag([1.0, 0.7]) @ np.linalg.inv(A).T
        B = math.sqrt(eps) * (np.eye(k - r) + 0.3 * rng.standard_normal((k - r, k - r)))
        F = U @ A @ S.T + P @ B @ V.T + eps * U @ rng.standard_normal((r, k - r)) @ V.T
        G = U @ C @ S.T
        np.testing.assert_allclose(G @ V, 0, atol=1e-14)
        J = residual_jacobian(F, G)
        mu = smallest_nonzero(np.linalg.eigvalsh(J.T @ J))
        delta = F.T @ F - G.T @ G
        lam = float(np.linalg.eigvalsh(V.T @ delta @ V)[0])
        assert mu == pytest.approx(float(np.linalg.eigvalsh(F.T @ F)[0]), rel=1e-9)
        assert lam >= mu * (1 - 1e-12)
        assert (lam - mu) / lam < 30 * eps          # second order: relative gap O(‖Δ‖)
        eta = 0.05
        assert imbalance_log_rate(delta, V, eta) == pytest.approx(2 * math.log(1 - eta * lam), rel=1e-14)


def test_imbalance_rate_of_a_diagonal_example():
    delta = np.diag([3.0, 0.2, 0.5])
    V = np.eye(3)[:, 1:]
    assert imbalance_log_rate(delta, V, 0.1) == pytest.approx(2 * math.log(0.98), rel=1e-15)


@pytest.mark.parametrize("call,message", [
    (lambda: symmetric_error_constant(2, 2, 0.05), "rank=2"),
    (lambda: symmetric_error_constant(4, 0, 0.05), "rank=0"),
    (lambda: symmetric_error_constant(4.5, 2, 0.05), "width=4.5"),
    (lambda: symmetric_error_constant(4, 2, 0.0), "step=0.0"),
    (lambda: excess_eigenvalue_trajectory(30.0, 0.05, 3), "initial="),
    (lambda: excess_eigenvalue_trajectory(1.0, 0.05, -1), "steps=-1"),
    (lambda: exact_parameterization_log_rate(0.05, -1.0), "sigma_min=-1.0"),
    (lambda: exact_parameterization_log_rate(2.0, 0.5), "step * sigma_min=1.0"),
    (lambda: imbalance_log_rate(np.diag([1.0, -0.1]), np.eye(2)[:, 1:], 0.1), "step * lambda_min"),
    (lambda: imbalance_log_rate(np.array([[1.0, 2.0], [0.0, 1.0]]), np.eye(2), 0.1), "imbalance="),
    (lambda: imbalance_log_rate(np.eye(2), np.ones((2, 1)), 0.1), "weak_basis="),
    (lambda: imbalance_log_rate(np.eye(2) * np.nan, np.eye(2), 0.1), "imbalance="),
])
def test_invalid_arguments_name_the_parameter(call, message):
    with pytest.raises(ValueError, match="out of range") as info:
        call()
    assert str(info.value).startswith(message) and "\n" not in str(info.value)
