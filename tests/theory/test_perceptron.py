"""Sign-teacher perceptron (Engel & Van den Broeck ch. 2–3; Barbier et al. 2019): q(α) and errors.

Oracles: 30-digit mpmath quadrature of both forms of I(q) (erfcx and Engel & Van den Broeck's
H form) and an mpmath root of q/√(1−q) = (2α/π)I(q); the small- and large-α limits; Hebb's
closed form; state evolution's first step and its limit.
"""

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.argument_validation import invalid_call_test, rejects
from theory import perceptron as pc
from theory.perceptron import (perceptron_bayes_error, perceptron_gibbs_error, perceptron_hebb_error,
                               perceptron_overlap, perceptron_state_evolution)

mp.mp.dps = 30


def _mp_integral(q):
    """I(q) = ∫Dz / erfcx(z√(q/2)), 30 digits."""
    q = mp.mpf(q)
    root = mp.sqrt(q / 2)
    return mp.quad(lambda z: mp.npdf(z) / (mp.erfc(z * root) * mp.exp(q * z * z / 2)),
                   [-mp.inf, -5, 0, 5, mp.inf])


def _mp_integral_engel(q):
    """Engel & Van den Broeck's form ½∫Dz e^{−qz²/2}/H(√q z), H(x) = erfc(x/√2)/2."""
    q = mp.mpf(q)
    return mp.quad(lambda z: mp.npdf(z) * mp.exp(-q * z * z / 2) / (mp.erfc(mp.sqrt(q) * z / mp.sqrt(2)) / 2),
                   [-mp.inf, -5, 0, 5, mp.inf]) / 2


def _mp_overlap(alpha):
    """Root of q/√(1−q) = (2α/π)I(q), solved by mpmath in u = log(q/(1−q)) (q → 1 at large α)."""
    alpha = mp.mpf(alpha)

    def gap(u):
        q = 1 / (1 + mp.exp(-u))
        return mp.log(q / mp.sqrt(1 - q)) - mp.log(2 * alpha / mp.pi * _mp_integral(q))

    lo = mp.log(2 * alpha / mp.pi) - 1  # q̂ ≥ 2α/π (I ≥ 1), q̂ ≤ (2.3α/π)² + 1
    hi = 2 * mp.log(2.3 * alpha / mp.pi + 1) + 1
    u = mp.findroot(gap, (lo, hi), solver="anderson")
    return 1 / (1 + mp.exp(-u))


@pytest.mark.parametrize("q", [0.0, 0.1, 0.5, 0.9, 0.999, 1.0])
def test_overlap_integral_against_both_mpmath_forms(q):
    ref = _mp_integral(q)
    assert float(pc._overlap_integral(np.array(q))) == pytest.approx(float(ref), rel=1e-15)
    assert float(abs(_mp_integral_engel(q) - ref)) < 1e-25


@pytest.mark.parametrize("alpha", [0.5, 3.0, 1e6])
def test_overlap_and_errors_against_an_mpmath_root(alpha):
    """Also at α = 1e6, where 1 − q ≈ 2e-12: the stable forms keep their digits."""
    with mp.workdps(20):
        q = _mp_overlap(alpha)
        bayes, gibbs = mp.acos(mp.sqrt(q)) / mp.pi, mp.acos(q) / mp.pi
    assert perceptron_overlap(alpha) == pytest.approx(float(q), rel=1e-13)
    assert perceptron_bayes_error(alpha) == pytest.approx(float(bayes), rel=1e-12)
    assert perceptron_gibbs_error(alpha) == pytest.approx(float(gibbs), rel=1e-12)


def test_textbook_values():
    """Engel & Van den Broeck's learning curves: ε_B(1) ≈ 0.254, ε_G(2) ≈ 0.240 (ch. 2–3, Figs. 2.3, 3.3)."""
    assert perceptron_bayes_error(1.0) == pytest.approx(0.2543729703393752, rel=1e-13)
    assert perceptron_gibbs_error(2.0) == pytest.approx(0.2403115940726699, rel=1e-13)


def test_small_alpha_limit():
    """q ≈ 2α/π (the first state-evolution step from q = 0)."""
    for alpha in (1e-12, 1e-8):
        assert perceptron_overlap(alpha) == pytest.approx(2 * alpha / math.pi, rel=1e-7)
    assert perceptron_bayes_error(0.0) == 0.5
    assert perceptron_gibbs_error(0.0) == 0.5
    assert perceptron_hebb_error(0.0) == 0.5
    assert perceptron_overlap(0.0) == 0.0


def test_large_alpha_constants():
    """ε_B α → 1/(2I(1)) = 0.44170004, ε_G α → 1/(√2 I(1)) = 0.62465819 (E&VdB's 0.442, 0.625)."""
    i1 = _mp_integral(1)
    c_bayes, c_gibbs = float(1 / (2 * i1)), float(1 / (mp.sqrt(2) * i1))
    assert c_bayes == pytest.approx(0.44170004, abs=1e-8)
    assert c_gibbs == pytest.approx(0.62465819, abs=1e-8)
    alpha = np.array([1e6, 1e9])
    np.testing.assert_allclose(alpha * perceptron_bayes_error(alpha), c_bayes, rtol=2e-6)
    np.testing.assert_allclose(alpha * perceptron_gibbs_error(alpha), c_gibbs, rtol=2e-6)


@pytest.mark.parametrize("alpha", [0.01, 0.5, 2.0, 100.0])
def test_hebb_error_closed_form(alpha):
    r = mp.sqrt(2 * mp.mpf(alpha) / (2 * alpha + mp.pi))
    assert perceptron_hebb_error(alpha) == pytest.approx(float(mp.acos(r) / mp.pi), rel=1e-14)


def test_state_evolution_first_step_and_limit():
    alpha = 2.0
    q = perceptron_state_evolution(alpha, 60)
    assert q.shape == (60,)
    first = 2 * alpha / math.pi
    assert q[0] == pytest.approx(first / (1 + first), rel=1e-15)
    assert np.all(np.diff(q) > 0) or np.all(np.diff(q[:20]) > 0)
    assert q[-1] == pytest.approx(perceptron_overlap(alpha), rel=1e-14)


def test_state_evolution_recursion():
    """q̂_t = (2α/π) I(q_t)/√(1 − q_t), q_{t+1} = q̂_t/(1 + q̂_t), written as in the note."""
    alpha = 1.0
    q = perceptron_state_evolution(alpha, 5)
    for t in range(4):
        q_hat = 2 * alpha / math.pi * float(_mp_integral(q[t])) / math.sqrt(1 - q[t])
        assert q[t + 1] == pytest.approx(q_hat / (1 + q_hat), rel=1e-14)


def test_vectorised_shapes():
    alpha = np.array([[0.5, 1.0], [2.0, 5.0]])
    for f in (perceptron_overlap, perceptron_bayes_error, perceptron_gibbs_error, perceptron_hebb_error):
        values = f(alpha)
        assert values.shape == alpha.shape
        assert values[1, 0] == pytest.approx(f(2.0), rel=1e-14)
    se = perceptron_state_evolution(alpha, 7)
    assert se.shape == (2, 2, 7)
    np.testing.assert_allclose(se[0, 1], perceptron_state_evolution(1.0, 7), rtol=1e-15)
    assert isinstance(perceptron_bayes_error(2.0), float)


test_invalid_calls = invalid_call_test(
    rejects("alpha=-1.0", perceptron_overlap, -1.0),
    rejects("alpha=nan", perceptron_bayes_error, float("nan")),
    rejects("alpha=inf", perceptron_gibbs_error, np.inf),
    rejects("alpha='2'", perceptron_hebb_error, "2"),
    rejects("alpha=[1.0, -0.5]", perceptron_bayes_error, [1.0, -0.5]),
    rejects("n_iter=0", perceptron_state_evolution, 1.0, 0),
    rejects("n_iter=2.5", perceptron_state_evolution, 1.0, 2.5),
    rejects("n_iter=True", perceptron_state_evolution, 1.0, True),
    rejects("alpha=-1.0", perceptron_state_evolution, -1.0, 3),
)


alphas = st.floats(1e-6, 1e4)


@given(alphas, alphas)
def test_errors_decrease_with_alpha(a, b):
    lo, hi = min(a, b), max(a, b)
    for f in (perceptron_bayes_error, perceptron_gibbs_error, perceptron_hebb_error):
        assert f(hi) <= f(lo)
    assert perceptron_overlap(hi) >= perceptron_overlap(lo)


@given(alphas)
def test_ordering_of_the_three_students(alpha):
    """0 < ε_B < ε_G < 2ε_B, ε_G < 1/2, and Bayes beats Hebb; 0 < q < 1."""
    q = perceptron_overlap(alpha)
    bayes, gibbs, hebb = (perceptron_bayes_error(alpha), perceptron_gibbs_error(alpha),
                          perceptron_hebb_error(alpha))
    assert 0.0 < q < 1.0
    assert 0.0 < bayes < gibbs < min(2 * bayes, 0.5)
    assert bayes <= hebb < 0.5
    assert all(math.isfinite(v) for v in (q, bayes, gibbs, hebb))


@given(st.floats(0.01, 50.0), st.integers(1, 12))
def test_state_evolution_increases_towards_the_fixed_point(alpha, n_iter):
    q = perceptron_state_evolution(alpha, n_iter)
    assert np.all(np.diff(q) >= -1e-15)
    assert np.all(q <= perceptron_overlap(alpha) * (1 + 1e-14))
