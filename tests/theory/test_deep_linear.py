"""Saxe et al.'s exact learning dynamics: closed forms against ODE solvers, quadrature and sympy."""

import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from theory.deep_linear import (
    effective_initial_strength,
    learning_time,
    mode_strength,
    random_init_half_time,
    unbalanced_learning_time,
    unbalanced_mode_strength,
    very_deep_learning_time,
)


@pytest.fixture(autouse=True)
def _mpmath_precision():
    with mp.workdps(30):
        yield


def mp_learning_time(s, u0, uf, n_layers, tau=1):
    """τ/(N_l − 1) ∫ du / (u^{2 − 2/(N_l−1)} (s − u)) by tanh-sinh quadrature."""
    n = n_layers - 1
    p = 2 - mp.mpf(2) / n
    return tau * mp.quad(lambda u: 1 / (u ** p * (s - u)), [u0, uf]) / n


def hypergeometric_time(s, u0, uf, n_layers):
    """The paper's form: F(u) = u^{1−p}/(s(1−p)) ₂F₁(1, 1−p; 2−p; u/s), t = [F(uf) − F(u0)]/(N_l − 1)."""
    n = n_layers - 1
    p = 2 - mp.mpf(2) / n

    def F(u):
        u = mp.mpf(u)
        return u ** (1 - p) / (s * (1 - p)) * mp.hyp2f1(1, 1 - p, 2 - p, u / s)

    return (F(uf) - F(u0)) / n


def ode_strength(times, s, u0, n_layers, tau=1.0):
    """u(t) of τu̇ = (N_l − 1) u^{2 − 2/(N_l−1)}(s − u) by DOP853 at rtol 1e-13 (in ln u)."""
    n = n_layers - 1
    p = 2 - 2 / n

    def rhs(_, y):
        u = np.exp(y[0])
        return [n * u ** (p - 1) * (s - u) / tau]

    sol = solve_ivp(rhs, (0, max(times)), [math.log(u0)], method="DOP853", t_eval=times,
                    rtol=1e-13, atol=1e-15)
    return np.exp(sol.y[0])


# ------------------------------------------------------------------ stated values

def test_sanity_values_of_the_note():
    assert learning_time(1.0, 1e-3, 0.5) == pytest.approx(0.5 * math.log(999), rel=1e-15)
    assert learning_time(1.0, 1e-3, 0.5) == pytest.approx(3.45338, abs=5e-6)
    assert mode_strength(1.0, 1.0, 0.1) == pytest.approx(0.450853, abs=5e-7)
    assert learning_time(1.0, 0.01, 0.5, n_layers=4) == pytest.approx(3.76804, abs=5e-6)
    assert learning_time(1.0, 0.1, 0.5, n_layers=6) == pytest.approx(1.07480, abs=5e-6)


# --------------------------------------------------------------- independent routes

DEEP = [(s, u0, uf) for s, u0, uf in [(1.0, 1e-6, 0.5), (3.0, 1e-3, 2.999), (0.5, 0.2, 0.2000001),
                                      (2.0, 0.01, 2.0 - 1e-7), (1.0, 3.0, 1.5), (2.0, 1e-9, 1e-8)]]


@pytest.mark.parametrize("n_layers", [2, 3, 4, 5, 7, 12])
def test_learning_time_equals_quadrature(n_layers):
    for s, u0, uf in DEEP:
        expected = float(mp_learning_time(mp.mpf(s), mp.mpf(u0), mp.mpf(uf), n_layers))
        assert learning_time(s, u0, uf, n_layers=n_layers) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("n_layers", [4, 6, 9])
def test_elementary_form_equals_the_papers_hypergeometric(n_layers):
    for s, u0, uf in [(1.0, 0.01, 0.5), (2.5, 1e-4, 2.4), (0.7, 0.3, 0.35)]:
        expected = float(hypergeometric_time(mp.mpf(s), u0, uf, n_layers))
        assert learning_time(s, u0, uf, n_layers=n_layers) == pytest.approx(expected, rel=1e-12)


def test_two_layer_solution_solves_the_logistic_equation():
    """sympy: u(t) solves τu̇ = 2u(s − u) with u(0) = u0, and t(u) is its inverse."""
    t, s, u0, tau, u = sp.symbols("t s u0 tau u", positive=True)
    sol = s * sp.exp(2 * s * t / tau) / (sp.exp(2 * s * t / tau) - 1 + s / u0)
    assert sp.simplify(tau * sp.diff(sol, t) - 2 * sol * (s - sol)) == 0
    assert sp.simplify(sol.subs(t, 0) - u0) == 0
    time = tau / (2 * s) * sp.log(u * (s - u0) / (u0 * (s - u)))
    assert sp.simplify(sp.diff(time, u) - tau / (2 * u * (s - u))) == 0


@pytest.mark.parametrize("n_layers, s, u0", [(2, 1.5, 0.2), (3, 2.0, 1e-3), (3, 1.0, 2.5),
                                             (4, 2.0, 0.05), (6, 0.5, 0.05), (10, 1.0, 0.2),
                                             (6, 1.0, 1.8)])
def test_mode_strength_equals_ode_solution(n_layers, s, u0):
    times = np.linspace(0.0, 3.0 * float(learning_time(s, u0, s / 2 if u0 < s else 1.2 * s,
                                                         n_layers=n_layers)), 40)
    np.testing.assert_allclose(mode_strength(times, s, u0, n_layers=n_layers),
                               ode_strength(times, s, u0, n_layers), rtol=1e-10)


def test_mode_strength_against_mpmath_taylor_ode():
    """A second ODE route (mpmath's Taylor-series integrator, 30 digits) for a 4-layer mode."""
    with mp.workdps(20):
        s, u0, n = mp.mpf(2), mp.mpf("0.05"), 3
        f = mp.odefun(lambda _, u: n * u ** (2 - mp.mpf(2) / n) * (s - u), 0, u0)
        for t in (0.5, 1.5):
            assert mode_strength(t, 2.0, 0.05, n_layers=4) == pytest.approx(float(f(t)), rel=1e-13)


@pytest.mark.parametrize("n_layers", [2, 3, 4, 8])
def test_mode_strength_inverts_learning_time(n_layers):
    s = np.array([3.0, 2.0, 0.5])
    uf = np.array([[0.02, 1.5, 2.99], [0.1, 1.0, 1.999], [0.011, 0.3, 0.49]]).T
    t = learning_time(s, 0.01, uf, tau=0.7, n_layers=n_layers)
    np.testing.assert_allclose(mode_strength(t, s, 0.01, tau=0.7, n_layers=n_layers), uf, rtol=1e-11)


# ------------------------------------------------------------------------- limits

@pytest.mark.parametrize("n_layers", [2, 3, 5])
def test_limits(n_layers):
    assert mode_strength(0.0, 2.0, 0.3, n_layers=n_layers) == 0.3
    assert mode_strength(np.inf, 2.0, 0.3, n_layers=n_layers) == 2.0
    assert mode_strength(1e6, 2.0, 0.3, n_layers=n_layers) == pytest.approx(2.0, rel=1e-15)
    assert mode_strength([0.0, 1.0, 7.0], 2.0, 2.0, n_layers=n_layers).tolist() == [2.0] * 3


def test_time_scales_inversely_with_the_singular_value():
    """(s, u0, uf) → λ(s, u0, uf) maps t → t/λ^p, p = 2 − 2/(N_l − 1) (t/λ for two layers)."""
    for n_layers in (3, 4, 7):
        p = 2 - 2 / (n_layers - 1)
        base = learning_time(1.0, 0.01, 0.5, n_layers=n_layers)
        for lam in (0.3, 4.0):
            scaled = learning_time(lam, 0.01 * lam, 0.5 * lam, n_layers=n_layers)
            assert scaled == pytest.approx(base / lam ** p, rel=1e-13)


def test_very_deep_formula_converges_slowly():
    """The paper's large-depth form: 98%, 24%, 6.5%, 2.1% too long at N_l = 10, 30, 100, 300."""
    ratios = [very_deep_learning_time(1.0, 0.01, 0.5, n_layers=n) / learning_time(1.0, 0.01, 0.5, n_layers=n) - 1
              for n in (10, 30, 100, 300)]
    np.testing.assert_allclose(ratios, [0.975, 0.239, 0.0652, 0.0212], rtol=5e-3)
    assert np.all(np.diff(ratios) < 0)


# --------------------------------------------------------------------- unbalanced

def ode_unbalanced(times, s, a0, b0):
    def rhs(_, y):
        a, b = y
        return [b * (s - a * b), a * (s - a * b)]

    sol = solve_ivp(rhs, (0, max(times)), [a0, b0], method="DOP853", t_eval=times, rtol=1e-13, atol=1e-15)
    return sol.y[0] * sol.y[1]


@pytest.mark.parametrize("s, a0, b0", [(2.0, 0.3, 0.1), (1.0, 0.05, -0.02), (1.5, 0.4, 0.4001), (0.5, 1.2, 0.3)])
def test_unbalanced_solution_equals_ode(s, a0, b0):
    c, u0 = abs(a0 * a0 - b0 * b0), a0 * b0
    times = np.linspace(0, 8, 50)
    np.testing.assert_allclose(unbalanced_mode_strength(times, s, u0, c), ode_unbalanced(times, s, a0, b0),
                               rtol=1e-9, atol=1e-13)
    uf = 0.5 * (u0 + s)
    t = unbalanced_learning_time(s, u0, uf, c)
    assert unbalanced_mode_strength(t, s, u0, c) == pytest.approx(uf, rel=1e-12)


def test_unbalanced_reduces_to_balanced():
    t = np.array([0.0, 0.3, 2.0, 9.0, np.inf])
    np.testing.assert_allclose(unbalanced_mode_strength(t, 1.5, 1e-3, 0.0), mode_strength(t, 1.5, 1e-3), rtol=1e-13)
    np.testing.assert_allclose(unbalanced_mode_strength(t, 1.5, 1e-3, 1e-9), mode_strength(t, 1.5, 1e-3), rtol=1e-5)
    assert unbalanced_learning_time(1.5, 1e-3, 1.0, 0.0) == pytest.approx(learning_time(1.5, 1e-3, 1.0), rel=1e-14)


def test_unbalanced_final_approach_rate():
    """s − u decays at rate Γ/τ = √(4s² + c²)/τ."""
    s, c = 1.0, 0.8
    t = np.array([8.0, 9.0])
    gap = s - unbalanced_mode_strength(t, s, 0.1, c)
    assert math.log(gap[0] / gap[1]) == pytest.approx(math.sqrt(4 * s * s + c * c), rel=1e-6)


# ------------------------------------------------------------- random initialisation

def test_effective_strength_is_the_qr_of_the_growing_directions():
    rng = np.random.default_rng(0)
    w21, w32 = 1e-3 * rng.standard_normal((16, 8)), 1e-3 * rng.standard_normal((8, 16))
    u = np.linalg.qr(rng.standard_normal((8, 8)))[0][:, :3]
    v = np.linalg.qr(rng.standard_normal((8, 8)))[0][:, :3]
    u0 = effective_initial_strength(w21, w32, u, v)
    c = 0.5 * (w21 @ v + w32.T @ u)
    assert u0[0] == pytest.approx(c[:, 0] @ c[:, 0], rel=1e-13)
    residual = c[:, 1] - c[:, 0] * (c[:, 0] @ c[:, 1]) / (c[:, 0] @ c[:, 0])
    assert u0[1] == pytest.approx(residual @ residual, rel=1e-12)
    assert np.prod(u0) == pytest.approx(np.linalg.det(c.T @ c), rel=1e-12)


def test_random_init_half_time_against_monte_carlo_of_the_qr_law():
    """Independent route: sample Gaussian layers, take QR strengths, average the logistic half time."""
    rng = np.random.default_rng(1)
    s, var, width = np.array([3.0, 1.0, 0.4]), 1e-4, 12
    u = np.linalg.qr(rng.standard_normal((6, 6)))[0][:, :3]
    v = np.linalg.qr(rng.standard_normal((6, 6)))[0][:, :3]
    samples = []
    for _ in range(4000):
        w21 = math.sqrt(var) * rng.standard_normal((width, 6))
        w32 = math.sqrt(var) * rng.standard_normal((6, width))
        samples.append(learning_time(s, effective_initial_strength(w21, w32, u, v), s / 2))
    samples = np.array(samples)
    se = samples.std(axis=0, ddof=1) / math.sqrt(len(samples))
    assert np.all(np.abs(samples.mean(axis=0) - random_init_half_time(s, var, width)) < 4 * se)


# ----------------------------------------------------------------------- properties

@given(s=st.floats(0.05, 20.0), frac=st.floats(1e-8, 0.99), n_layers=st.sampled_from([2, 3, 4, 6, 11]),
       t=st.lists(st.floats(0.0, 1e4), min_size=2, max_size=8))
def test_strength_moves_monotonically_from_u0_to_s(s, frac, n_layers, t):
    u0 = frac * s
    t = np.sort(np.array(t))
    u = mode_strength(t, s, u0, n_layers=n_layers)
    assert np.all(np.isfinite(u))
    assert np.all(u >= u0 * (1 - 1e-12)) and np.all(u <= s)
    assert np.all(np.diff(u) >= -1e-12 * s)


@given(s=st.floats(0.05, 20.0), u0=st.floats(1e-6, 0.3), frac=st.floats(0.35, 0.95),
       n_layers=st.sampled_from([2, 3, 4, 7]))
def test_learning_time_decreases_with_s_and_u0(s, u0, frac, n_layers):
    s, u0 = max(s, 1.0), min(u0, 0.3)
    uf = frac * s
    t = learning_time(s, u0, uf, n_layers=n_layers)
    assert np.isfinite(t) and t > 0
    assert learning_time(1.1 * s, u0, uf, n_layers=n_layers) < t
    assert learning_time(s, 0.9 * u0, uf, n_layers=n_layers) > t


@pytest.mark.parametrize("call, name", [
    (lambda: mode_strength(-1.0, 1.0, 0.1), "t"),
    (lambda: mode_strength(1.0, 0.0, 0.1), "s"),
    (lambda: mode_strength(1.0, 1.0, -0.1), "u0"),
    (lambda: mode_strength(1.0, 1.0, 0.1, tau=0.0), "tau"),
    (lambda: mode_strength(1.0, 1.0, 0.1, n_layers=1), "n_layers"),
    (lambda: mode_strength(1.0, 1.0, 0.1, n_layers=3.5), "n_layers"),
    (lambda: learning_time(1.0, 0.1, 1.0), "uf"),
    (lambda: learning_time(1.0, 0.5, 0.2), "uf"),
    (lambda: very_deep_learning_time(1.0, 0.1, 2.0, n_layers=10), "uf"),
    (lambda: unbalanced_mode_strength(1.0, 1.0, -0.1, 0.0), "u0"),
    (lambda: unbalanced_learning_time(1.0, 0.1, 0.5, -1.0), "imbalance"),
    (lambda: random_init_half_time([1.0, 2.0], 1e-4, 4), "s"),
    (lambda: random_init_half_time([2.0, 1.0], 1e-4, 1), "hidden_width"),
    (lambda: effective_initial_strength(np.zeros((4, 3)), np.zeros((2, 5)), np.zeros((2, 1)), np.zeros((3, 1))),
     "second_layer"),
])
def test_invalid_arguments_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name}=.* is out of range"):
        call()


def test_shapes_that_do_not_broadcast_are_named_in_one_line():
    with pytest.raises(ValueError, match=r"^shapes t=\(3,\), s=\(2,\), u0=\(\), tau=\(\) are invalid: must be"):
        mode_strength([1.0, 2.0, 3.0], [1.0, 2.0], 0.1)
