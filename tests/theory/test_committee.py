"""Saad–Solla integrals, ODE and plateau against Gauss–Hermite quadrature and known limits."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import solve_ivp
from scipy.special import erf

from theory.committee import (
    committee_generalisation_error,
    erf_I2,
    erf_I3,
    erf_I4,
    saad_solla_rhs,
    saad_solla_trajectory,
    symmetric_plateau,
)

from tests.argument_validation import invalid_call_test, rejects

Q0 = np.array([[0.25, 0.01], [0.01, 0.30]])
R0 = np.array([[0.02, -0.01], [0.005, 0.015]])


def g(u):
    return erf(u / math.sqrt(2.0))


def g_prime(u):
    return math.sqrt(2.0 / math.pi) * np.exp(-0.5 * u * u)


@pytest.fixture(scope="module")
def gauss_4d():
    """Tensor Gauss–Hermite rule (32 nodes per axis) for u = L z ~ N(0, C), C a random 4×4
    covariance: within 6e-12 relative of the closed forms (24 nodes: 5e-9, 28: 2e-10)."""
    x, w = np.polynomial.hermite_e.hermegauss(32)
    w = w / math.sqrt(2 * math.pi)
    grid = np.array(list(itertools.product(range(x.size), repeat=4)))
    A = np.random.default_rng(0).standard_normal((4, 4))
    C = A @ A.T / 4 + 0.2 * np.eye(4)
    u = x[grid] @ np.linalg.cholesky(C).T
    return C, u, np.prod(w[grid], axis=1)


def test_i2_is_the_gaussian_average(gauss_4d):
    C, u, w = gauss_4d
    for a, b in [(0, 1), (2, 2), (3, 1)]:
        assert erf_I2(C, a, b) == pytest.approx(np.sum(w * g(u[:, a]) * g(u[:, b])), rel=1e-10)


@pytest.mark.parametrize("a, b, c", [(0, 1, 2), (1, 1, 3), (2, 0, 0), (3, 2, 1), (1, 1, 1)])
def test_i3_is_the_gaussian_average(gauss_4d, a, b, c):
    C, u, w = gauss_4d
    expected = np.sum(w * g_prime(u[:, a]) * u[:, b] * g(u[:, c]))
    assert erf_I3(C, a, b, c) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("a, b, c, d", [(0, 1, 2, 3), (0, 0, 1, 1), (1, 2, 2, 3), (3, 3, 3, 3), (2, 1, 0, 2)])
def test_i4_is_the_gaussian_average(gauss_4d, a, b, c, d):
    C, u, w = gauss_4d
    expected = np.sum(w * g_prime(u[:, a]) * g_prime(u[:, b]) * g(u[:, c]) * g(u[:, d]))
    assert erf_I4(C, a, b, c, d) == pytest.approx(expected, rel=1e-10)


def test_integrals_broadcast_over_index_arrays(gauss_4d):
    C = gauss_4d[0]
    i = np.arange(4)
    table = erf_I3(C, i[:, None, None], i[None, :, None], i[None, None, :])
    assert table.shape == (4, 4, 4)
    assert table[3, 2, 1] == erf_I3(C, 3, 2, 1)
    assert erf_I4(C, i, i, 0, 1).shape == (4,)


def test_error_is_half_the_mean_squared_output_difference():
    """ε_g against a direct Gauss–Hermite average of ½(σ − τ)² (K = 2, M = 1, 3-D rule)."""
    Q = np.array([[0.7, -0.2], [-0.2, 0.4]])
    R = np.array([[0.3], [0.1]])
    T = np.array([[1.3]])
    C = np.block([[Q, R], [R.T, T]])
    x, w = np.polynomial.hermite_e.hermegauss(60)
    grid = np.array(list(itertools.product(range(x.size), repeat=3)))
    u = (x[grid] / 1.0) @ np.linalg.cholesky(C).T
    weight = np.prod(w[grid], axis=1) / (2 * math.pi) ** 1.5
    direct = 0.5 * np.sum(weight * (g(u[:, 0]) + g(u[:, 1]) - g(u[:, 2])) ** 2)
    assert committee_generalisation_error(Q, R, T) == pytest.approx(direct, rel=1e-10)


def test_error_vanishes_for_the_teacher_and_keeps_leading_axes():
    T = np.array([[1.0, 0.2], [0.2, 0.8]])
    assert committee_generalisation_error(T, T, T) == pytest.approx(0.0, abs=1e-15)
    Qs = np.stack([T, 0.5 * T, np.eye(2)])
    Rs = np.stack([T, 0.3 * T, np.zeros((2, 2))])
    out = committee_generalisation_error(Qs, Rs, T)
    assert out.shape == (3,)
    assert out[2] == pytest.approx(committee_generalisation_error(np.eye(2), np.zeros((2, 2)), T), rel=0)


def test_plateau_values_and_that_it_is_a_zero_of_the_first_order_flow():
    """Note (d): ε* = 0.011611 (K = 2), 0.020297 (K = 3); the O(η) part of the field
    (2·rhs(η=1) − rhs(η=2)/2) vanishes there."""
    assert symmetric_plateau(2).generalisation_error == pytest.approx(0.011611, abs=5e-7)
    assert symmetric_plateau(3).generalisation_error == pytest.approx(0.020297, abs=5e-7)
    assert symmetric_plateau(1).generalisation_error == pytest.approx(0.0, abs=1e-16)
    for K in (2, 3, 4):
        p = symmetric_plateau(K)
        Q, R, T = np.full((K, K), p.q), np.full((K, K), p.r), np.eye(K)
        assert committee_generalisation_error(Q, R, T) == pytest.approx(p.generalisation_error, rel=1e-13)
        (dq1, dr1), (dq2, dr2) = saad_solla_rhs(Q, R, T, 1.0), saad_solla_rhs(Q, R, T, 2.0)
        np.testing.assert_allclose(2 * dq1 - dq2 / 2, 0.0, atol=1e-15)
        np.testing.assert_allclose(2 * dr1 - dr2 / 2, 0.0, atol=1e-15)
        assert np.all(dq1 > 0)   # at finite η the η² term lifts Q: the plateau shifts


def test_rhs_matches_a_gauss_hermite_average_of_the_sgd_increments():
    """dR_in/dt = η E[δ_i ν_n], dQ_ik/dt = η E[δ_i λ_k + δ_k λ_i] + η² E[δ_i δ_k], averaged
    directly over u ~ N(0, C) (K = 2, M = 1) instead of through I3 and I4."""
    Q = np.array([[0.6, 0.1], [0.1, 0.35]])
    R = np.array([[0.4], [-0.2]])
    T = np.array([[1.0]])
    lr = 0.7
    x, w = np.polynomial.hermite_e.hermegauss(60)
    grid = np.array(list(itertools.product(range(x.size), repeat=3)))
    u = x[grid] @ np.linalg.cholesky(np.block([[Q, R], [R.T, T]])).T
    weight = np.prod(w[grid], axis=1) / (2 * math.pi) ** 1.5
    lam, nu = u[:, :2], u[:, 2]
    err = g(nu) - g(lam).sum(axis=1)
    delta = g_prime(lam) * err[:, None]
    dR_direct = lr * np.einsum("p,pi,p->i", weight, delta, nu)[:, None]
    drift = np.einsum("p,pi,pk->ik", weight, delta, lam)
    dQ_direct = (lr * (drift + drift.T)
                 + lr**2 * np.einsum("p,pi,pk->ik", weight, delta, delta))
    dQ, dR = saad_solla_rhs(Q, R, T, lr)
    np.testing.assert_allclose(dR, dR_direct, rtol=1e-11)
    np.testing.assert_allclose(dQ, dQ_direct, rtol=1e-11)
    np.testing.assert_array_equal(dQ, dQ.T)


@pytest.fixture(scope="module")
def reference_run():
    times = np.array([0.0, 1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200])
    return times, saad_solla_trajectory(Q0, R0, np.eye(2), 0.5, times)


def test_trajectory_agrees_with_another_integrator(reference_run):
    """DOP853 (8th order) at rtol 1e-12 against Dormand–Prince 5(4) at rtol 1e-11 on the note's
    reference run, through the plateau and the escape (they agree to ~5e-12; Radau does too, at
    ten times the cost)."""
    times, traj = reference_run

    def rhs(_t, y):
        Q = y[:4].reshape(2, 2)
        dQ, dR = saad_solla_rhs(0.5 * (Q + Q.T), y[4:].reshape(2, 2), np.eye(2), 0.5)
        return np.concatenate([dQ.ravel(), dR.ravel()])

    sol = solve_ivp(rhs, (0, times[-1]), np.concatenate([Q0.ravel(), R0.ravel()]), method="RK45",
                    t_eval=times, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(traj.Q.reshape(len(times), 4), sol.y[:4].T, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(traj.R.reshape(len(times), 4), sol.y[4:].T, rtol=1e-9, atol=1e-12)


def test_reference_run_goes_through_the_plateau_and_escapes(reference_run):
    times, traj = reference_run
    eps = committee_generalisation_error(traj.Q, traj.R, np.eye(2))
    np.testing.assert_array_equal(traj.Q[0], Q0)
    np.testing.assert_array_equal(traj.R[0], R0)
    assert np.all(np.diff(eps) < 0)
    plateau = (times >= 10) & (times <= 75)
    assert np.ptp(eps[plateau]) < 0.15 * eps[plateau].min()         # flat: ε ≈ 0.015
    assert eps[-1] < 0.1 * eps[times == 50][0]                        # escaped by t = 200
    # specialisation: each student unit ends up on one teacher unit
    assert traj.R[-1, 0, 0] > 0.85 and traj.R[-1, 1, 1] > 0.85 and abs(traj.R[-1, 0, 1]) < 0.1


def test_dropping_the_second_order_term_is_visible():
    """Negative control of the note: without the η² term ε(t = 20) is ~20% low."""
    from theory.committee import _rhs_terms

    times = np.array([20.0])
    full = committee_generalisation_error(*saad_solla_trajectory(Q0, R0, np.eye(2), 0.5, times), np.eye(2))

    def rhs(_t, y):
        first_q, dR, _second = _rhs_terms(y[:4].reshape(2, 2), y[4:].reshape(2, 2), np.eye(2))
        return np.concatenate([0.5 * first_q.ravel(), 0.5 * dR.ravel()])

    sol = solve_ivp(rhs, (0, 20.0), np.concatenate([Q0.ravel(), R0.ravel()]), method="DOP853",
                    t_eval=times, rtol=1e-10, atol=1e-12)
    first_order = committee_generalisation_error(sol.y[:4].T.reshape(-1, 2, 2), sol.y[4:].T.reshape(-1, 2, 2),
                                                 np.eye(2))
    assert first_order[0] < 0.85 * full[0]


@given(st.integers(0, 10_000), st.floats(0.05, 2.0))
def test_rhs_properties(seed, lr):
    """Over random admissible overlaps: finite, symmetric dQ, and ε_g ≥ 0."""
    rng = np.random.default_rng(seed)
    K, M = rng.integers(1, 4, size=2)
    A = rng.standard_normal((K + M, K + M + 2))
    C = A @ A.T / (K + M + 2)
    Q, R, T = C[:K, :K], C[:K, K:], C[K:, K:]
    dQ, dR = saad_solla_rhs(Q, R, T, lr)
    assert np.all(np.isfinite(dQ)) and np.all(np.isfinite(dR))
    np.testing.assert_allclose(dQ, dQ.T, rtol=1e-13, atol=1e-15)
    assert committee_generalisation_error(Q, R, T) >= 0.0


test_invalid_calls = invalid_call_test(
    rejects("lr=0.0", saad_solla_rhs, Q0, R0, np.eye(2), 0.0),
    rejects("R=<array of shape (2, 2)>", saad_solla_rhs, Q0, R0, np.eye(3), 0.5),
    rejects("C=<array with smallest eigenvalue", saad_solla_rhs, Q0, np.full((2, 2), 2.0), np.eye(2), 0.5),
    rejects("Q=", saad_solla_rhs, np.array([[1.0, np.nan], [0, 1]]), R0, np.eye(2), 0.5),
    rejects("times=<array of shape (3,)>", saad_solla_trajectory, Q0, R0, np.eye(2), 0.5, [0.0, 2.0, 1.0]),
    rejects("times=", saad_solla_trajectory, Q0, R0, np.eye(2), 0.5, [-1.0]),
    rejects("b=2", erf_I2, np.eye(2), 0, 2),
    rejects("C=<array of shape (2, 2)>", erf_I3, np.array([[1.0, 0.5], [0.2, 1.0]]), 0, 1, 1),
    rejects("K=0", symmetric_plateau, 0),
    rejects("R=<array of shape (2, 1)>", committee_generalisation_error, Q0, R0[:, :1], np.eye(2)),
)
