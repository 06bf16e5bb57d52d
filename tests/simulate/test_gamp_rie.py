"""Tests of the quadratic teacher, the sensing operator and GAMP-RIE (note gamp_rie.md §2, §7).

The Gaussian-prior stand-in: for ``S = c I + G`` (G a GOE matrix of semicircle variance 1)
observed as ``Y = S + √s G'``, the posterior mean is entrywise linear,
``ξ(λ) = c + (λ − c)/(1 + s)``, and ``MMSE_den(s) = s/(1 + s)``; the GAMP state evolution
``M = MMSE_den((Δ + 2M)/(4α))`` then has the closed form ``M = 1 − 2α`` when Δ = 0.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulate.backend import cupy_available
from simulate.errors import DivergenceError
from simulate.gamp_rie import _reached_fixed_point, _stalled, gamp_rie
from simulate.matrix_denoising import apply_spectral_denoiser, goe_noise, rie_denoising_error
from simulate.quadratic_teacher import (quadratic_teacher, sensing_adjoint, sensing_operator, smallest_dimension,
                                        teacher_matrix)
from tests.argument_validation import invalid_call_test, rejects

C = 2.0  # prior mean of the Gaussian stand-in (κ = C² for the start Ŝ = √κ I)


def gaussian_denoiser(lam, s):
    return C + (lam - C) / (1.0 + s)


def gaussian_mmse(s):
    return s / (1.0 + s)


def gaussian_instance(d, alpha, delta, seed):
    """``S* = C I + GOE`` and labels ``y = A(S*) + √Δ ξ``."""
    rng = np.random.default_rng(seed)
    S = C * np.eye(d) + goe_noise(d, rng)
    X = rng.standard_normal((round(alpha * d * d), d))
    y = sensing_operator(X, S) + math.sqrt(delta) * rng.standard_normal(X.shape[0])
    return X, y, S


def run_gaussian(X, y, S, delta, **kwargs):
    return gamp_rie(X, y, delta=delta, kappa=C**2, denoiser=gaussian_denoiser,
                    denoising_mmse=gaussian_mmse, clip=(C - 2.0, C + 2.0), S_star=S, **kwargs)


def sym(rng, d):
    a = rng.standard_normal((d, d))
    return a + a.T


# ---------------------------------------------------------------- operators

def brute_force_Z(X):
    """The n×d×d tensor ``Z_μ = (x_μ x_μᵀ − I)/√d`` (tiny d only)."""
    d = X.shape[1]
    return (np.einsum("mi,mj->mij", X, X) - np.eye(d)) / math.sqrt(d)


def test_operators_match_brute_force_tensor():
    rng = np.random.default_rng(0)
    X, S, g = rng.standard_normal((7, 5)), sym(rng, 5), rng.standard_normal(7)
    Z = brute_force_Z(X)
    np.testing.assert_allclose(sensing_operator(X, S), np.einsum("mij,ij->m", Z, S), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(sensing_adjoint(X, g), np.einsum("m,mij->ij", g, Z), rtol=1e-12, atol=1e-12)


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40), d=st.integers(1, 12))
def test_adjoint_identity(seed, n, d):
    """⟨A(S), g⟩ = ⟨S, Aᵀ(g)⟩_F, and Aᵀ(g) is exactly symmetric."""
    rng = np.random.default_rng(seed)
    X, S, g = rng.standard_normal((n, d)), sym(rng, d), rng.standard_normal(n)
    adj = sensing_adjoint(X, g)
    lhs, rhs = sensing_operator(X, S) @ g, np.sum(S * adj)
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-10 * (np.abs(g).sum() * np.abs(S).sum() + 1))
    np.testing.assert_array_equal(adj, adj.T)


def test_gaussian_moments_of_the_sensing_operator():
    """E_x Tr[ZA] = 0, Var_x Tr[ZA] = (2/d)‖A‖²_F, E_x[Z Tr(ZA)] = 2A/d (note §2), by Monte Carlo."""
    d, n = 6, 200_000
    rng = np.random.default_rng(1)
    A = sym(rng, d)
    X = rng.standard_normal((n, d))
    v = sensing_operator(X, A)
    var = 2.0 / d * np.sum(A**2)
    assert abs(v.mean()) < 4.0 * math.sqrt(var / n)
    # Var of the sample variance of a Gaussian-chaos variable: use the sample's fourth moment
    se_var = math.sqrt(np.var((v - v.mean()) ** 2) / n)
    assert abs(v.var() - var) < 4.0 * se_var
    cross = sensing_adjoint(X, v) / n
    se_cross = np.sqrt(np.var(brute_force_Z(X[:20_000]) * v[:20_000, None, None], axis=0) / n)
    assert np.all(np.abs(cross - 2.0 * A / d) < 5.0 * se_cross)


def test_operators_follow_the_array_api():
    """The operators use only the array API standard (so the CuPy path is the NumPy path)."""
    xps = pytest.importorskip("array_api_strict")
    rng = np.random.default_rng(2)
    X, S, g = rng.standard_normal((9, 4)), sym(rng, 4), rng.standard_normal(9)
    np.testing.assert_allclose(np.asarray(sensing_operator(xps.asarray(X), xps.asarray(S))),
                               sensing_operator(X, S), rtol=1e-13)
    np.testing.assert_allclose(np.asarray(sensing_adjoint(xps.asarray(X), xps.asarray(g))),
                               sensing_adjoint(X, g), rtol=1e-13)


# ---------------------------------------------------------------- teacher

def test_teacher_labels_follow_the_network_definition():
    """y = (1/√m) Σ_k [(w_k·x)²/d − ‖w_k‖²/d] + √Δ ξ, with draws in the documented order."""
    d, kappa, alpha, delta, seed = 9, 0.5, 0.4, 0.3, 3
    data = quadratic_teacher(d, kappa, alpha, delta, np.random.default_rng(seed))
    assert (data.m, data.n, data.d) == (round(kappa * d), round(alpha * d * d), d)
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((data.m, d))
    X = rng.standard_normal((data.n, d))
    xi = rng.standard_normal(data.n)
    f = ((X @ W.T) ** 2 / d - np.sum(W**2, axis=1) / d).sum(axis=1) / math.sqrt(data.m)
    np.testing.assert_array_equal(data.X, X)
    np.testing.assert_allclose(data.y, f + math.sqrt(delta) * xi, rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(data.S_star, W.T @ W / math.sqrt(data.m * d), rtol=1e-14)


def test_teacher_is_deterministic_and_noise_does_not_change_the_draw():
    a = quadratic_teacher(20, 0.5, 0.2, 0.0, np.random.default_rng(5))
    b = quadratic_teacher(20, 0.5, 0.2, 0.0, np.random.default_rng(5))
    c = quadratic_teacher(20, 0.5, 0.2, 0.25, np.random.default_rng(5))
    np.testing.assert_array_equal(a.y, b.y)
    np.testing.assert_array_equal(a.X, c.X)
    np.testing.assert_array_equal(a.S_star, c.S_star)
    np.testing.assert_array_equal(a.y, sensing_operator(a.X, a.S_star))


def test_teacher_spectrum_has_the_prior_moments():
    """S*-scale (note §3): (1/d) Tr S* ≈ √κ, (1/d) Tr S*² ≈ 1 + κ, rank m."""
    d, kappa = 300, 0.5
    data = quadratic_teacher(d, kappa, 1e-3, 0.0, np.random.default_rng(6))
    lam = np.linalg.eigvalsh(data.S_star)
    assert lam.mean() == pytest.approx(math.sqrt(kappa), abs=0.02)
    assert np.mean(lam**2) == pytest.approx(1 + kappa, abs=0.05)
    assert np.sum(lam > 1e-8) == data.m


def test_teacher_width_is_at_least_one():
    assert quadratic_teacher(10, 1e-3, 0.1, 0.0, np.random.default_rng(0)).m == 1


@pytest.mark.parametrize("d, kappa", [(6, 0.5), (9, 0.37), (20, 1.5)])
def test_variance_excess_is_the_exact_spread_and_has_mean_zero(d, kappa):
    """c = (1/d)‖S* − √(m/d) I‖²_F − (1 + 1/d) has mean exactly 0 at every d, odd m/d included."""
    rng = np.random.default_rng(11)
    draws = [quadratic_teacher(d, kappa, 0.5, 0.0, rng) for _ in range(4000)]
    direct = draws[0].S_star - math.sqrt(draws[0].m / d) * np.eye(d)
    assert draws[0].variance_excess == pytest.approx(np.sum(direct**2) / d - 1 - 1 / d, abs=1e-12)
    values = np.array([data.variance_excess for data in draws])
    assert abs(values.mean()) < 4.5 * values.std(ddof=1) / math.sqrt(values.size)


def test_variance_excess_mean_resolves_the_finite_d_term():
    """Negative control: the asymptotic mean 1 in place of the exact 1 + 1/d is detected at d = 6."""
    rng = np.random.default_rng(12)
    values = np.array([quadratic_teacher(6, 0.5, 0.5, 0.0, rng).variance_excess for _ in range(4000)])
    wrong = values + 1 / 6
    assert abs(wrong.mean()) > 4.5 * wrong.std(ddof=1) / math.sqrt(wrong.size)


@given(st.floats(1e-6, 10.0))
def test_smallest_dimension_is_the_first_with_a_sample(alpha):
    d = smallest_dimension(alpha)
    assert round(alpha * d * d) >= 1 and (d == 1 or round(alpha * (d - 1) ** 2) < 1)


# ---------------------------------------------------------------- denoising

def test_rie_denoising_error_matches_gaussian_mmse():
    """Pure denoising with the linear RIE: (1/d)‖Ŝ − S‖² ≈ s/(1 + s) (within 2% at d = 300)."""
    d, s = 300, 0.5
    rng = np.random.default_rng(7)
    S = C * np.eye(d) + goe_noise(d, rng)
    err = rie_denoising_error(S, s, gaussian_denoiser, rng)
    assert err == pytest.approx(gaussian_mmse(s), rel=0.02)


def test_goe_noise_normalisation():
    d = 400
    G = goe_noise(d, np.random.default_rng(8))
    np.testing.assert_array_equal(G, G.T)
    off = G[np.triu_indices(d, 1)]
    assert off.var() * d == pytest.approx(1.0, rel=0.02)
    assert np.diag(G).var() * d == pytest.approx(2.0, rel=0.15)
    assert np.abs(np.linalg.eigvalsh(G)).max() == pytest.approx(2.0, abs=0.1)


def test_spectral_denoiser_rejects_non_finite_output():
    with pytest.raises(DivergenceError, match="non-finite"):
        apply_spectral_denoiser(np.eye(3), 0.1, lambda lam, s: lam * np.nan)


# ---------------------------------------------------------------- GAMP-RIE

@pytest.mark.parametrize("alpha, delta", [(0.3, 0.0), (0.2, 0.5)])
def test_gamp_on_gaussian_prior_is_the_exact_posterior_mean(alpha, delta):
    """For the Gaussian prior every GAMP fixed point solves the ridge equation
    Aᵀ(y − A(S))/Δ = (d/2)(S − cI), i.e. it *is* the posterior mean at this finite d.
    Checked against a direct solve in the d(d+1)/2 upper-triangular coordinates."""
    d = 12
    X, y, S = gaussian_instance(d, alpha, delta, seed=9)
    res = gamp_rie(X, y, delta=delta, kappa=C**2, denoiser=gaussian_denoiser,
                   denoising_mmse=gaussian_mmse, clip=(C - 50.0, C + 50.0), S_star=S,
                   tol=1e-12, max_iter=3000)
    iu = np.triu_indices(d)
    B = np.stack([(2 * X[:, i] * X[:, j] if i != j else X[:, i] ** 2 - 1) / math.sqrt(d)
                  for i, j in zip(*iu)], axis=1)
    prior_var = np.where(iu[0] == iu[1], 2.0 / d, 1.0 / d)
    prior_mean = np.where(iu[0] == iu[1], C, 0.0)
    K = (B * prior_var) @ B.T + max(delta, 1e-13) * np.eye(len(y))
    post = prior_mean + prior_var * (B.T @ np.linalg.solve(K, y - B @ prior_mean))
    S_post = np.zeros((d, d))
    S_post[iu] = post
    S_post = S_post + np.triu(S_post, 1).T
    assert res.converged
    assert np.sum((res.S_hat - S_post) ** 2) / d < 1e-9


def test_gamp_variance_follows_damped_state_evolution():
    """With theoretical Â and V, V^t is deterministic: the damped SE, whose fixed point is 2M."""
    alpha, delta, beta = 0.3, 0.0, 0.5
    X, y, S = gaussian_instance(30, alpha, delta, seed=10)
    res = run_gaussian(X, y, S, delta)
    V, expected = 2.0, []
    for _ in range(res.iterations):
        s = max((delta + V) / (4 * alpha), 1e-9)
        expected.append(s)
        V = beta * max(2 * gaussian_mmse(s), 1e-10) + (1 - beta) * V
    np.testing.assert_allclose(res.s_trajectory, expected, rtol=1e-13)
    assert res.variance_trajectory[-1] / 2 == pytest.approx(1 - 2 * alpha, abs=1e-6)


def test_gamp_on_gaussian_prior_reaches_state_evolution_error():
    """Mean error over seeds at d = 50 near the SE fixed point M = 1 − 2α (finite-size bias
    here is ~0.01; tolerance 0.04 + 3 SE)."""
    alpha = 0.3
    errs = []
    for seed in range(3):
        res = run_gaussian(*gaussian_instance(50, alpha, 0.0, seed), 0.0)
        assert res.converged and res.iterations < 300
        errs.append(res.final_mse)
    se = np.std(errs, ddof=1) / math.sqrt(len(errs))
    assert abs(np.mean(errs) - (1 - 2 * alpha)) < 0.04 + 3 * se
    assert res.mse_trajectory[0] > res.final_mse


def test_gamp_result_bookkeeping():
    X, y, S = gaussian_instance(15, 0.3, 0.1, seed=11)
    res = run_gaussian(X, y, S, 0.1, max_iter=7, n_average=3)
    assert res.iterations == 7 and not res.converged and not res.stalled
    assert (len(res.mse_trajectory) == len(res.variance_trajectory) == len(res.s_trajectory)
            == len(res.change_trajectory) == 7)
    np.testing.assert_allclose(res.change_trajectory[-1], np.linalg.norm(
        res.S_hat - run_gaussian(X, y, S, 0.1, max_iter=6).S_hat) / np.linalg.norm(res.S_hat), rtol=1e-10)
    assert res.final_mse == pytest.approx(res.mse_trajectory[-3:].mean())
    assert res.S_hat.shape == (15, 15)
    no_truth = gamp_rie(X, y, delta=0.1, kappa=C**2, denoiser=gaussian_denoiser,
                        denoising_mmse=gaussian_mmse, clip=(0.0, 4.0), max_iter=7)
    assert no_truth.final_mse is None and len(no_truth.mse_trajectory) == 0
    np.testing.assert_array_equal(no_truth.S_hat, res.S_hat)


def test_fixed_point_rule_is_the_remaining_distance_of_a_geometric_iteration():
    """r_t = ρᵗ: the remaining distance Σ_{k≥1} r_{t+k} = r_t ρ/(1 − ρ) falls below tol."""
    rho, tol = 0.9, 1e-4
    changes = list(rho ** np.arange(200))
    first = next(t for t in range(len(changes)) if _reached_fixed_point(changes[:t + 1], tol))
    assert changes[first] * rho / (1 - rho) < tol <= changes[first - 1] * rho / (1 - rho)
    assert not _reached_fixed_point([1.0] * 20, tol)          # no contraction: no estimate
    assert not _reached_fixed_point([1e-9, 1e-9, 1e-9], tol)  # too few changes to estimate ρ
    assert _reached_fixed_point([1.0, 0.0], tol)              # an exactly repeated iterate


def test_stall_rule_stops_cycles_but_not_slow_convergence():
    cycle = list(np.tile([0.03, 0.01, 0.02], 30))
    slow = list(0.99 ** np.arange(90))  # 0.99³⁰ = 0.74 < 0.9: progress in every window
    assert _stalled(cycle[:60], 30) and not _stalled(cycle[:59], 30)
    assert not any(_stalled(slow[:t], 30) for t in range(1, 91))
    assert not _stalled(cycle, None)


def test_stop_rules_keep_the_error_and_save_iterations(theory_gamp_rie):
    """Same seeds, the real RIE at d = 40: the new rules against 300 iterations without a stop
    rule (the old cap; its fixed points agree to < 1e-10): mean error within one SE,
    at most 60% of the iterations, and the small-α cycles stop as stalled."""
    th, kappa, d = theory_gamp_rie, 0.5, 40
    old, new = [], []
    for alpha in (0.2, 0.3):
        for seed in range(4):
            data = quadratic_teacher(d, kappa, alpha, 0.0, np.random.default_rng(seed))
            kw = dict(delta=0.0, kappa=kappa, denoiser=lambda lam, s: th.rie_denoiser(lam, s, kappa),
                      denoising_mmse=lambda s: th.denoising_mmse(s, kappa),
                      clip=th.prior_support_hull(kappa), S_star=data.S_star)
            old.append(gamp_rie(data.X, data.y, tol=0.0, stall_window=None, **kw))
            new.append(gamp_rie(data.X, data.y, **kw))
    err_old, err_new = (np.array([r.final_mse for r in runs]) for runs in (old, new))
    se = np.std(err_old, ddof=1) / math.sqrt(len(err_old))
    assert abs(err_new.mean() - err_old.mean()) < se
    assert np.max(np.abs(err_new - err_old)) < 2e-3
    assert sum(r.iterations for r in new) <= 0.6 * sum(r.iterations for r in old)
    assert any(r.stalled for r in new) and any(r.converged for r in new)
    assert all(r.iterations == 300 for r in old)


def test_gamp_clips_to_the_widened_hull():
    X, y, S = gaussian_instance(15, 0.1, 0.0, seed=12)
    res = run_gaussian(X, y, S, 0.0, max_iter=20)
    lam = np.linalg.eigvalsh(res.S_hat)
    assert lam.min() >= C - 2.05 - 1e-9 and lam.max() <= C + 2.05 + 1e-9


def test_gamp_raises_on_nan_denoiser():
    X, y, S = gaussian_instance(10, 0.3, 0.0, seed=13)
    with pytest.raises(DivergenceError, match="iteration 0"):
        gamp_rie(X, y, delta=0.0, kappa=4.0, denoiser=lambda lam, s: np.full_like(lam, np.nan),
                 denoising_mmse=gaussian_mmse, clip=(0.0, 4.0))


def test_gamp_raises_on_nan_mmse_and_on_runaway_error():
    X, y, S = gaussian_instance(10, 0.3, 0.0, seed=14)
    with pytest.raises(DivergenceError, match="iteration 0"):
        gamp_rie(X, y, delta=0.0, kappa=4.0, denoiser=gaussian_denoiser,
                 denoising_mmse=lambda s: math.nan, clip=(0.0, 4.0))
    with pytest.raises(DivergenceError, match="iteration 0.*divergence_bound"):
        run_gaussian(X, y, 100.0 * np.eye(10), 0.0)


def test_backends_numpy_and_numba_agree():
    data_np = quadratic_teacher(25, 0.5, 0.3, 0.1, np.random.default_rng(15), backend="numpy")
    data_nb = quadratic_teacher(25, 0.5, 0.3, 0.1, np.random.default_rng(15), backend="numba")
    np.testing.assert_allclose(data_nb.y, data_np.y, rtol=1e-12, atol=1e-12)
    runs = [run_gaussian(d.X, d.y, d.S_star, 0.1, backend=b)
            for d, b in [(data_np, "numpy"), (data_nb, "numba")]]
    np.testing.assert_allclose(runs[1].mse_trajectory, runs[0].mse_trajectory, rtol=1e-10)
    np.testing.assert_allclose(runs[1].S_hat, runs[0].S_hat, rtol=1e-10, atol=1e-12)


@pytest.mark.skipif(not cupy_available(), reason="needs CuPy and a CUDA GPU")
def test_backends_numpy_and_cupy_agree():
    data = quadratic_teacher(40, 0.5, 0.3, 0.1, np.random.default_rng(16), backend="numpy")
    gpu = quadratic_teacher(40, 0.5, 0.3, 0.1, np.random.default_rng(16), backend="cupy")
    np.testing.assert_allclose(gpu.y.get(), data.y, rtol=1e-9, atol=1e-10)
    runs = [run_gaussian(data.X, data.y, data.S_star, 0.1, backend=b) for b in ("numpy", "cupy")]
    np.testing.assert_allclose(runs[1].mse_trajectory, runs[0].mse_trajectory, rtol=1e-6)


# ---------------------------------------------------------------- with the real theory

@pytest.fixture(scope="module")
def theory_gamp_rie():
    return pytest.importorskip("theory.gamp_rie")


def test_rie_denoising_error_matches_wishart_mmse(theory_gamp_rie):
    """One d = 400 draw of S* (κ = 0.5) denoised by the RIE lands within 3% of MMSE_den(s)."""
    kappa, s = 0.5, 0.3
    S = quadratic_teacher(400, kappa, 1e-3, 0.0, np.random.default_rng(17)).S_star
    err = rie_denoising_error(S, s, lambda lam, s_: theory_gamp_rie.rie_denoiser(lam, s_, kappa),
                              np.random.default_rng(18))
    assert err == pytest.approx(theory_gamp_rie.denoising_mmse(s, kappa), rel=0.03)


@pytest.mark.slow
@pytest.mark.parametrize("alpha, delta", [(0.2, 0.0), (0.3, 0.25)])
def test_gamp_rie_reaches_bayes_error(theory_gamp_rie, alpha, delta):
    """d = 80, κ = 0.5, 3 seeds: |mean − M| ≤ 0.06 + 2 SE (note §12: bias up to a few 1e-2)."""
    kappa, d = 0.5, 80
    th = theory_gamp_rie
    errs = []
    for seed in range(3):
        data = quadratic_teacher(d, kappa, alpha, delta, np.random.default_rng(100 + seed))
        res = gamp_rie(data.X, data.y, delta=delta, kappa=kappa,
                       denoiser=lambda lam, s: th.rie_denoiser(lam, s, kappa),
                       denoising_mmse=lambda s: th.denoising_mmse(s, kappa),
                       clip=th.prior_support_hull(kappa), S_star=data.S_star)
        errs.append(res.final_mse)
    M = th.bayes_optimal_mmse(alpha, kappa, delta)
    se = np.std(errs, ddof=1) / math.sqrt(len(errs))
    assert abs(np.mean(errs) - M) <= 0.06 + 2 * se


# ---------------------------------------------------------------- argument validation

def _gamp(X=None, y=None, **over):
    X0, y0, _ = gaussian_instance(6, 0.5, 0.0, seed=0)
    kw = dict(delta=0.0, kappa=4.0, denoiser=gaussian_denoiser, denoising_mmse=gaussian_mmse,
              clip=(0.0, 4.0))
    kw.update(over)
    return gamp_rie(X0 if X is None else X, y0 if y is None else y, **kw)


RNG = np.random.default_rng(0)
test_invalid_calls = invalid_call_test(
    rejects("d=0", quadratic_teacher, 0, 0.5, 0.2, 0.0, RNG),
    rejects("d=10.5", quadratic_teacher, 10.5, 0.5, 0.2, 0.0, RNG),
    rejects("kappa=-0.5", quadratic_teacher, 10, -0.5, 0.2, 0.0, RNG),
    rejects("alpha=0.0", quadratic_teacher, 10, 0.5, 0.0, 0.0, RNG),
    rejects("alpha=1e-05", quadratic_teacher, 10, 0.5, 1e-5, 0.0, RNG),
    rejects("delta=-1.0", quadratic_teacher, 10, 0.5, 0.2, -1.0, RNG),
    rejects("delta=nan", quadratic_teacher, 10, 0.5, 0.2, math.nan, RNG),
    rejects("backend='torch'", quadratic_teacher, 10, 0.5, 0.2, 0.0, RNG, backend="torch"),
    rejects("d=0", goe_noise, 0, RNG),
    rejects("s=0.0", rie_denoising_error, np.eye(3), 0.0, gaussian_denoiser, RNG),
    rejects("S=", rie_denoising_error, np.ones(3), 0.1, gaussian_denoiser, RNG),
    rejects("delta=-0.1", _gamp, delta=-0.1),
    rejects("kappa=0.0", _gamp, kappa=0.0),
    rejects("damping=0.0", _gamp, damping=0.0),
    rejects("damping=1.5", _gamp, damping=1.5),
    rejects("max_iter=0", _gamp, max_iter=0),
    rejects("tol=-1.0", _gamp, tol=-1.0),
    rejects("stall_window=0", _gamp, stall_window=0),
    rejects("clip=(4.0, 0.0)", _gamp, clip=(4.0, 0.0)),
    rejects("clip=None", _gamp, clip=None),
    rejects("denoiser='rie'", _gamp, denoiser="rie"),
    rejects("S_star=", _gamp, S_star=np.eye(5)),
    rejects("y=", _gamp, y=np.zeros(3)),
)


def test_teacher_matrix_is_the_first_draw_of_the_teacher_and_has_the_prior_moments():
    data = quadratic_teacher(40, 0.5, 0.2, 0.0, np.random.default_rng(5))
    np.testing.assert_array_equal(teacher_matrix(40, 0.5, np.random.default_rng(5)), data.S_star)
    S = teacher_matrix(400, 0.5, np.random.default_rng(6))
    lam = np.linalg.eigvalsh(S)
    assert abs(lam.mean() - np.sqrt(0.5)) < 0.01 and abs(lam.var() - 1.0) < 0.05


def test_a_seed_instead_of_a_generator_is_a_type_error():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        quadratic_teacher(10, 0.5, 0.2, 0.0, 42)
