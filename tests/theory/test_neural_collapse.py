"""UFM optimum: the closed form against an mpmath singular-value thresholding, a direct
minimisation of the full model, sympy, its limits and properties over the parameter space."""

import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize

from theory.neural_collapse import ufm_class_mean_gram, ufm_optimum

CASES = [(4, 10, 0.02, 0.02), (5, 8, 0.004, 0.03), (3, 6, 0.05, 0.01), (2, 1, 0.3, 0.2), (6, 3, 1e-4, 1e-3)]


def target(k, n, bias):
    y = np.kron(np.eye(k), np.ones((1, n)))
    return y - 1.0 / k if bias else y


def mp_optimum(k, n, lam_w, lam_h, bias):
    """Singular-value soft-thresholding of the target at 30 digits: the problem in Z = WH is
    min (1/2N)‖Z − T‖² + √(λ_Wλ_H)‖Z‖_*, and the factor penalty is balanced at the optimum."""
    with mp.workdps(30):
        lam_w, lam_h = mp.mpf(lam_w), mp.mpf(lam_h)
        t = mp.matrix(target(k, n, False).tolist())
        if bias:
            t = t - mp.ones(k, k * n) / k
        u, sv, v = mp.svd_r(t)
        tau = k * n * mp.sqrt(lam_w * lam_h)
        shrunk = [max(sv[i] - tau, 0) for i in range(len(sv))]
        z = u * mp.diag(shrunk) * v
        nuclear = mp.fsum(shrunk)
        c = mp.fsum(z[i, j] * t[i, j] for i in range(k) for j in range(k * n)) / mp.fsum(
            t[i, j] ** 2 for i in range(k) for j in range(k * n))
        data = mp.fsum((z[i, j] - t[i, j]) ** 2 for i in range(k) for j in range(k * n)) / (2 * k * n)
        ratio = mp.sqrt(lam_h / lam_w)
        return [float(x) for x in (c, ratio * nuclear, nuclear / ratio, data + mp.sqrt(lam_w * lam_h) * nuclear)]


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("k,n,lam_w,lam_h", CASES)
def test_matches_mpmath_singular_value_thresholding(k, n, lam_w, lam_h, bias):
    expected = mp_optimum(k, n, lam_w, lam_h, bias)
    np.testing.assert_allclose(list(ufm_optimum(k, n, lam_w, lam_h, bias)), expected, rtol=1e-12, atol=1e-14)


def ufm_loss(k, n, d, lam_w, lam_h, bias):
    """The full UFM loss and its gradient in the flat parameter vector (W, H, b)."""
    y = target(k, n, False)
    big_n = k * n

    def split(theta):
        w = theta[:k * d].reshape(k, d)
        h = theta[k * d:k * d + d * big_n].reshape(d, big_n)
        b = theta[k * d + d * big_n:] if bias else np.zeros(k)
        return w, h, b

    def fun(theta):
        w, h, b = split(theta)
        r = w @ h + b[:, None] - y
        loss = 0.5 * np.sum(r * r) / big_n + 0.5 * lam_w * np.sum(w * w) + 0.5 * lam_h * np.sum(h * h)
        grads = [r @ h.T / big_n + lam_w * w, w.T @ r / big_n + lam_h * h]
        if bias:
            grads.append(r.sum(axis=1) / big_n)
        return loss, np.concatenate([g.ravel() for g in grads])

    size = k * d + d * big_n + (k if bias else 0)
    return fun, split, size


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("k,n,lam_w,lam_h", [(3, 2, 0.05, 0.08), (4, 3, 0.02, 0.01)])
def test_matches_direct_minimisation_of_the_full_model(k, n, lam_w, lam_h, bias):
    """L-BFGS on (W, H, b) from a random start (a different algorithm from the claim's GD):
    the landscape is benign, so it finds the global optimum the closed form describes."""
    d = k + 2
    fun, split, size = ufm_loss(k, n, d, lam_w, lam_h, bias)
    theta0 = 0.3 * np.random.default_rng(1).standard_normal(size)
    res = minimize(fun, theta0, jac=True, method="L-BFGS-B",
                   options={"gtol": 1e-13, "ftol": 1e-16, "maxiter": 20000})
    w, h, b = split(res.x)
    opt = ufm_optimum(k, n, lam_w, lam_h, bias)
    t = target(k, n, bias)
    assert res.fun == pytest.approx(opt.objective, rel=1e-11)
    assert np.sum((w @ h) * t) / np.sum(t * t) == pytest.approx(opt.c, rel=1e-6)
    np.testing.assert_allclose(w @ h, opt.c * t, atol=1e-6)
    assert np.sum(w * w) == pytest.approx(opt.w_norm2, rel=1e-6)
    assert np.sum(h * h) == pytest.approx(opt.h_norm2, rel=1e-6)
    if bias:
        np.testing.assert_allclose(b, 1.0 / k, atol=1e-6)
    means = h.reshape(d, k, n).mean(axis=2)
    np.testing.assert_allclose(means.T @ means, ufm_class_mean_gram(k, n, lam_w, lam_h, bias), atol=1e-6)


def test_sympy_derivation():
    """The balanced split of a singular value σ between two factors costs √(λ_Wλ_H)σ, and the
    resulting scalar problem (1 − c)²/2 + c s is minimised at c = 1 − s."""
    a, b, sigma, lw, lh, c, s = sp.symbols("a b sigma lambda_W lambda_H c s", positive=True)
    penalty = sp.simplify((lw * a ** 2 / 2 + lh * (sigma / a) ** 2 / 2))
    a_star = [r for r in sp.solve(sp.diff(penalty, a), a) if r.is_positive][0]
    assert sp.simplify(penalty.subs(a, a_star) - sp.sqrt(lw * lh) * sigma) == 0
    assert sp.simplify(lw * a_star ** 2 - sp.sqrt(lh / lw) * lw * sigma) == 0   # λ_W‖W‖² = √(λλ)σ
    objective = (1 - c) ** 2 / 2 + c * s
    assert sp.solve(sp.diff(objective, c), c) == [1 - s]
    assert sp.simplify(objective.subs(c, 1 - s) - (s - s ** 2 / 2)) == 0


@pytest.mark.parametrize("bias", [False, True])
def test_collapse_beyond_the_kink(bias):
    k, n = 4, 10
    lam = 1.0 / (k * math.sqrt(n))          # s = K√(nλ²) = 1 exactly
    for factor in (1.0, 1.5, 10.0):
        opt = ufm_optimum(k, n, lam * factor, lam, bias)
        assert opt.c == opt.w_norm2 == opt.h_norm2 == 0.0
        assert opt.objective == pytest.approx((k - bias) / (2 * k), rel=1e-15)


def test_vanishing_weight_decay_fits_the_labels():
    opt = ufm_optimum(4, 10, 1e-14, 1e-14)
    assert opt.c == pytest.approx(1.0, abs=1e-12)
    assert opt.objective == pytest.approx(0.0, abs=1e-12)
    assert opt.w_norm2 == pytest.approx(4 * math.sqrt(10), rel=1e-12)


def test_dropped_n_is_a_different_answer():
    """The note's negative control: c = 1 − K√(λ_Wλ_H) (n dropped) is far from the optimum."""
    k, n, lam = 4, 10, 0.02
    assert abs(ufm_optimum(k, n, lam, lam).c - (1 - k * lam)) > 0.1


def test_broadcasts_over_weight_decays():
    lam = np.array([0.001, 0.01, 0.05])
    opt = ufm_optimum(4, 10, 0.02, lam, bias=True)
    for i, value in enumerate(lam):
        np.testing.assert_array_equal([f[i] for f in opt], list(ufm_optimum(4, 10, 0.02, value, bias=True)))
    assert isinstance(ufm_optimum(4, 10, 0.02, 0.02).c, float)


@given(k=st.integers(2, 12), n=st.integers(1, 200),
       lam_w=st.floats(1e-8, 10.0), lam_h=st.floats(1e-8, 10.0), bias=st.booleans())
def test_properties(k, n, lam_w, lam_h, bias):
    opt = ufm_optimum(k, n, lam_w, lam_h, bias)
    assert all(math.isfinite(f) and f >= 0 for f in opt)
    assert 0 <= opt.c <= 1
    m = k - 1 if bias else k
    assert opt.objective <= m / (2 * k) * (1 + 1e-12)            # never worse than W = H = 0
    assert lam_w * opt.w_norm2 == pytest.approx(lam_h * opt.h_norm2, rel=1e-12)   # balance
    stronger = ufm_optimum(k, n, 2 * lam_w, lam_h, bias)
    assert stronger.c <= opt.c and stronger.objective >= opt.objective * (1 - 1e-12)


@pytest.mark.parametrize("call,message", [
    (lambda: ufm_optimum(1, 10, 0.1, 0.1), "n_classes=1"),
    (lambda: ufm_optimum(2.5, 10, 0.1, 0.1), "n_classes=2.5"),
    (lambda: ufm_optimum(True, 10, 0.1, 0.1), "n_classes=True"),
    (lambda: ufm_optimum(3, 0, 0.1, 0.1), "per_class=0"),
    (lambda: ufm_optimum(3, 4, 0.0, 0.1), "weight_decay_w=0.0"),
    (lambda: ufm_optimum(3, 4, 0.1, -1.0), "weight_decay_h=-1.0"),
    (lambda: ufm_optimum(3, 4, 0.1, float("nan")), "weight_decay_h=nan"),
    (lambda: ufm_optimum(3, 4, 0.1, 0.1, bias="yes"), "bias='yes'"),
    (lambda: ufm_class_mean_gram(3, 4, [0.1, 0.2], 0.1), "weight_decay_w=[0.1, 0.2]"),
])
def test_invalid_arguments_name_the_parameter(call, message):
    with pytest.raises(ValueError, match="out of range") as info:
        call()
    assert str(info.value).startswith(message) and "\n" not in str(info.value)
