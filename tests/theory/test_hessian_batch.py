"""Batch-Hessian top-eigenvalue laws: closed forms against independent routes, limits and properties."""

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, special

from theory.free_convolution import mp_semicircle_edges
from theory.hessian_batch import (TRACY_WIDOM_GOE_MEAN, additive_model_critical_batch_size,
                                  additive_model_edge_centring, additive_model_top_eigenvalue,
                                  additive_model_top_eigenvalue_finite_data, free_convolution_top_eigenvalue,
                                  spiked_wishart_critical_batch_size, spiked_wishart_edge_centring,
                                  spiked_wishart_excess_finite_data, spiked_wishart_top_eigenvalue)
from theory.hessian_batch_learning_rate import additive_model_max_learning_rate, spiked_wishart_max_learning_rate
from theory.sgd_stability import without_replacement_factor
from tests.argument_validation import invalid_call_test, rejects

# ---------------------------------------------------------------- closed forms in mpmath

def mp_additive(beta, p, b, var):
    beta, s2 = mp.mpf(beta), mp.mpf(p) * mp.mpf(var) / mp.mpf(b)
    return beta + s2 / beta if beta ** 2 > s2 else 2 * mp.sqrt(s2)


def mp_wishart(ell, p, b):
    ell, gamma = mp.mpf(ell), mp.mpf(p) / mp.mpf(b)
    return ell * (1 + gamma / (ell - 1)) if ell > 1 + mp.sqrt(gamma) else (1 + mp.sqrt(gamma)) ** 2


@pytest.mark.parametrize("beta, p, b, var", [(2.0, 400, 25, 1.0), (2.0, 400, 800, 1.0), (0.7, 50, 3, 2.5),
                                             (5.0, 1000, 1e5, 0.3)])
def test_additive_model_against_mpmath(beta, p, b, var):
    with mp.workdps(30):
        assert additive_model_top_eigenvalue(beta, p, b, var) == pytest.approx(float(mp_additive(beta, p, b, var)),
                                                                               rel=1e-14)
        assert additive_model_max_learning_rate(beta, p, b, var) == pytest.approx(
            float(2 / mp_additive(beta, p, b, var)), rel=1e-14)


@pytest.mark.parametrize("ell, p, b", [(3.0, 400, 50), (3.0, 400, 400), (1.5, 100, 1000), (0.5, 100, 10)])
def test_spiked_wishart_against_mpmath(ell, p, b):
    with mp.workdps(30):
        assert spiked_wishart_top_eigenvalue(ell, p, b) == pytest.approx(float(mp_wishart(ell, p, b)), rel=1e-14)
        assert spiked_wishart_max_learning_rate(ell, p, b) == pytest.approx(float(2 / mp_wishart(ell, p, b)),
                                                                            rel=1e-14)


def test_note_values_and_continuity_at_the_thresholds():
    # the note's numbers: additive edge 1 + 2√8 is *not* the additive law; spiked Wishart 14.66 at B = 50
    assert spiked_wishart_top_eigenvalue(3.0, 400, 50) == pytest.approx(14.657, abs=1e-3)
    assert spiked_wishart_top_eigenvalue(3.0, 400, 400) == pytest.approx(4.5)
    b_star = additive_model_critical_batch_size(2.0, 400)
    assert b_star == 100.0
    below, above = additive_model_top_eigenvalue(2.0, 400, [b_star * (1 - 1e-12), b_star * (1 + 1e-12)])
    assert below == pytest.approx(above, rel=1e-10) and above == pytest.approx(4.0)
    w_star = spiked_wishart_critical_batch_size(3.0, 400)
    assert spiked_wishart_top_eigenvalue(3.0, 400, w_star * (1 - 1e-12)) == pytest.approx(
        spiked_wishart_top_eigenvalue(3.0, 400, w_star * (1 + 1e-12)), rel=1e-10)


def test_finite_data_versions():
    p, n = 400, 2000
    b = np.array([1, 50, 400, 1999, 2000])
    factor = without_replacement_factor(b, n)
    expected = [float(mp_additive(2.0, p, 1 / f, 1.0)) if f > 0 else 2.0 for f in factor]  # B_eff = 1/p
    np.testing.assert_allclose(additive_model_top_eigenvalue_finite_data(2.0, p, b, n), expected, rtol=1e-13)
    # the Wishart excess is the difference of two outlier locations (batch ratio P/B, data ratio P/N)
    ell, b = 6.0, np.array([200, 800, 2000])
    expected = spiked_wishart_top_eigenvalue(ell, p, b) - spiked_wishart_top_eigenvalue(ell, p, n)
    np.testing.assert_allclose(spiked_wishart_excess_finite_data(ell, p, b, n), expected, rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- free convolution

@pytest.mark.parametrize("b", [25, 100, 150, 400, 3200])
def test_free_convolution_reduces_to_the_additive_model_without_bulk(b):
    shift = 1e-6   # q → 0: the Marchenko–Pastur bulk is an atom at its mean σ_b²
    got = free_convolution_top_eigenvalue(2.0, 400, b, 1e-12, shift)
    assert got - shift == pytest.approx(additive_model_top_eigenvalue(2.0, 400, b), rel=1e-9)


@pytest.mark.parametrize("b, ratio, bulk", [(400, 0.5, 0.3), (2000, 2.0, 0.2), (400, 0.25, 1.0),
                                            (100, 0.25, 1.0)])
def test_free_convolution_outlier_against_the_r_transform(b, ratio, bulk):
    """G(λ) = 1/β means λ = R(1/β) + β, R(g) = σ_b²/(1 − qσ_b²g) + s²g (Benaych-Georges–Nadakuditi);
    it is the outlier when 1/β lies before the critical point of z(g) = R(g) + 1/g (z' < 0 there)."""
    beta, noise = 2.0, 400 / b
    with mp.workdps(30):
        g = 1 / mp.mpf(beta)
        r = lambda g: mp.mpf(bulk) / (1 - ratio * mp.mpf(bulk) * g) + noise * g
        slope = mp.diff(lambda g: r(g) + 1 / g, g)
        expected = float(r(g) + beta) if slope < 0 else float(mp_semicircle_edges(ratio, noise, bulk)[-1])
    assert free_convolution_top_eigenvalue(beta, 400, b, ratio, bulk) == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------- finite-size centring

def tracy_widom_goe_mean(nodes=80, length=24.0):
    """Bornemann (2010): F₁(s) = det(I − K₁) on L²(s, ∞), K₁(x, y) = ½ Ai((x + y)/2), Nyström."""
    x0, w0 = np.polynomial.legendre.leggauss(nodes)

    def cdf(s):
        x = s + 0.5 * length * (x0 + 1)
        w = 0.5 * length * w0
        kernel = 0.5 * special.airy(0.5 * (x[:, None] + x[None, :]))[0]
        root = np.sqrt(w)
        return np.linalg.det(np.eye(nodes) - root[:, None] * kernel * root[None, :])

    left = integrate.quad(cdf, -10.0, 0.0, epsabs=1e-12, limit=200)[0]
    right = integrate.quad(lambda s: 1.0 - cdf(s), 0.0, 8.0, epsabs=1e-12, limit=200)[0]
    return right - left


def test_tracy_widom_mean_against_a_fredholm_determinant():
    assert tracy_widom_goe_mean() == pytest.approx(TRACY_WIDOM_GOE_MEAN, abs=1e-8)


def test_edge_centrings():
    s = np.sqrt(400 / 10)
    assert additive_model_edge_centring(400, 10) == pytest.approx(s * (2 - 1.2065335745820 * 400 ** (-2 / 3)))
    n, p = 400, 40
    root = np.sqrt(n - 1) + np.sqrt(p)
    expected = (root ** 2 - 1.2065335745820 * root * (1 / np.sqrt(n - 1) + 1 / np.sqrt(p)) ** (1 / 3)) / 40
    assert spiked_wishart_edge_centring(400, 40) == pytest.approx(expected, rel=1e-14)
    # large sizes: the centring tends to the bare edge
    assert spiked_wishart_edge_centring(1e9, 1e8) == pytest.approx((1 + np.sqrt(10)) ** 2, rel=1e-4)


# ---------------------------------------------------------------- properties

@given(beta=st.floats(0.05, 50), p=st.floats(1, 1e5), var=st.floats(1e-3, 1e3),
       b=st.lists(st.floats(1, 1e7), min_size=2, max_size=6))
def test_additive_properties(beta, p, var, b):
    b = np.sort(np.array(b))
    lam = additive_model_top_eigenvalue(beta, p, b, var)
    assert np.all(np.isfinite(lam)) and np.all(lam >= beta * (1 - 1e-12))
    assert np.all(np.diff(lam) <= 1e-12 * lam[1:])
    rate = additive_model_max_learning_rate(beta, p, b, var)
    assert np.all(rate > 0) and np.all(rate <= 2 / beta * (1 + 1e-12))


@given(ell=st.floats(0.1, 50), p=st.floats(1, 1e5), b=st.lists(st.floats(1, 1e7), min_size=2, max_size=6))
def test_wishart_properties(ell, p, b):
    b = np.sort(np.array(b))
    lam = spiked_wishart_top_eigenvalue(ell, p, b)
    assert np.all(np.isfinite(lam)) and np.all(lam >= max(ell, 1.0) * (1 - 1e-12))
    assert np.all(np.diff(lam) <= 1e-12 * lam[1:])
    rate = spiked_wishart_max_learning_rate(ell, p, b)
    assert np.all(rate > 0) and np.all(rate <= 2 / max(ell, 1.0) * (1 + 1e-12))


test_invalid_calls = invalid_call_test(
    rejects("spike=0.0", additive_model_top_eigenvalue, 0.0, 400, 10),
    rejects("n_params=0.5", additive_model_top_eigenvalue, 2.0, 0.5, 10),
    rejects("batch_size=nan", additive_model_top_eigenvalue, 2.0, 400, np.nan),
    rejects("entry_variance=-1.0", additive_model_top_eigenvalue, 2.0, 400, 10, -1.0),
    rejects("batch_size=11", additive_model_top_eigenvalue_finite_data, 2.0, 400, 11, 10),
    rejects("spike=-1.0", spiked_wishart_top_eigenvalue, -1.0, 400, 10),
    rejects("spike=1.0", spiked_wishart_critical_batch_size, 1.0, 400),
    rejects("spike=1.5", spiked_wishart_excess_finite_data, 1.5, 400, 10, 100),
    rejects("batch_size=1", spiked_wishart_edge_centring, 400, 1),
    rejects("batch_size=[1, 2]", free_convolution_top_eigenvalue, 2.0, 400, [1, 2], 0.5),
    rejects("ratio=-0.5", free_convolution_top_eigenvalue, 2.0, 400, 10, -0.5),
)
