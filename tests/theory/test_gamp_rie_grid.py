"""GAMP-RIE theory on whole grids: the curve quadrature of ∫ρ³ and the vectorised fixed point.

:func:`theory.gamp_rie.bayes_optimal_mmse` solves M = MMSE_den((Δ + 2M)/(4α)) at every point of
a broadcast (α, κ, Δ) at once, with ∫ρ_s³ integrated along the curve 1/G(x + i0)
(:mod:`theory._mp_semicircle_fisher`). Checked against the scalar route it replaces: Brent's
method in log s on ∫ρ³ by graded Gauss–Legendre on the support in x
(:func:`theory.free_convolution.mp_semicircle_integral`), one point at a time.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import brentq

from tests.argument_validation import invalid_call_test, rejects
from tests.theory.test_gamp_rie import large_noise_reference
from theory import gamp_rie as gr
from theory._mp_semicircle_fisher import cube_integral
from theory.free_convolution import mp_semicircle_integral


def scalar_denoising_mmse(s, kappa):
    """MMSE_den(s) = s − (4π²/3)s²∫ρ³ with ∫ρ³ on the support in x (the scalar route)."""
    cube = mp_semicircle_integral(lambda x, rho, h: rho**3, noise_variance=s, **gr.prior_spectrum_parameters(kappa))
    return s - (4 * math.pi**2 / 3) * s * s * cube


def scalar_bayes_optimal_mmse(alpha, kappa, delta):
    """(FP) by Brent's method in log s, one point, on the scalar route's MMSE_den."""
    if delta == 0 and alpha >= gr.perfect_recovery_threshold(kappa):
        return 0.0

    def gap(log_s):
        s = math.exp(log_s)
        return scalar_denoising_mmse(s, kappa) / s - 2 * alpha + 0.5 * delta / s

    lo, hi = math.log(max(delta / (4 * alpha), 1e-13)), math.log((delta + 2) / (4 * alpha))
    if gap(lo) <= 0:
        return 0.0
    s = math.exp(brentq(gap, lo, hi, xtol=1e-13, rtol=4 * np.finfo(float).eps))
    return 2 * alpha * s - 0.5 * delta


# --------------------------------------------------------------------------- ∫ρ³ along the curve

KAPPAS = [1e-3, 0.05, 0.3, 0.7, 0.95, 1.0, 1.05, 2.0, 10.0, 1e4]
NOISES = [1e-12, 1e-8, 1e-4, 1e-2, 0.3, 1.0, 10.0, 1e3]


def test_denoising_mmse_matches_the_support_quadrature():
    """Both routes agree to 1e-10 relative over six decades of κ and fifteen of s."""
    kappa, s = (v.ravel() for v in np.meshgrid(KAPPAS, NOISES))
    ours = gr.denoising_mmse(s, kappa)
    reference = np.array([scalar_denoising_mmse(*point) for point in zip(s, kappa)])
    np.testing.assert_allclose(ours / s, reference / s, rtol=0, atol=1e-10)


@pytest.mark.parametrize("kappa", [0.05, 0.2, 0.5, 0.8, 0.95])
def test_cube_integral_is_continuous_where_the_support_merges(kappa):
    """The two support intervals merge at v = (p^(2/3) − 1)³ (p = 1/√κ); ∫ρ³ is continuous and
    decreasing through it (the x-route loses up to 6% within 1e-6 of it; the curve route not)."""
    p = 1 / math.sqrt(kappa)
    merge = (p ** (2 / 3) - 1) ** 3 * np.array([1 - 1e-3, 1 - 1e-6, 1 - 1e-9, 1.0, 1 + 1e-9, 1 + 1e-6, 1 + 1e-3])
    cube = cube_integral(np.full(7, p), np.ones(7), merge)
    assert np.all(np.diff(cube) < 0)
    np.testing.assert_allclose(cube[1:6], cube[3], rtol=1e-5)
    coarse = cube_integral(np.full(7, p), np.ones(7), merge, nodes=10)
    np.testing.assert_allclose(coarse, cube, rtol=1e-6)


@pytest.mark.parametrize("kappa", [0.01, 0.1, 1.0, 10.0, 100.0])
def test_third_order_of_the_large_noise_expansion_is_bounded(kappa):
    """MMSE_den − [s/(1 + s) − 1/(κs²)] is at most 4(1/κ + 1/κ²)/s³ (quadrature, 32 nodes): the
    bound that decides from which s the code uses the expansion instead."""
    s = np.array([100.0, 300.0, 1000.0])
    quadrature = s - (4 * math.pi**2 / 3) * s * s * cube_integral(np.full(3, kappa**-0.5), np.ones(3), s, 32)
    third = (quadrature - s / (1 + s) + 1 / (kappa * s * s)) * s**3
    assert np.all(np.abs(third) <= 4 * (1 / kappa + 1 / kappa**2))
    switch = np.array([1e3, 1e4, 1e5, 1e6]) * 1.0001
    expanded = gr.denoising_mmse(switch, kappa)
    exact = switch - (4 * math.pi**2 / 3) * switch**2 * cube_integral(np.full(4, kappa**-0.5), np.ones(4), switch, 32)
    np.testing.assert_allclose(expanded, exact, rtol=0, atol=2e-9)


def test_cube_integral_of_a_semicircle():
    """c → 0: the semicircle of variance v, ∫ρ³ = 3/(4π²v)."""
    v = np.array([1e-6, 0.1, 1.0, 1e4])
    p = np.full(4, 1e-9)
    np.testing.assert_allclose(cube_integral(p, p * p, v), 3 / (4 * math.pi**2 * v), rtol=1e-7)


# --------------------------------------------------------------------------- the fixed point on grids

def grid_points():
    """Near α_PR, small and large κ, with and without noise: (α, κ, Δ) rows."""
    rows = []
    for kappa in KAPPAS:
        threshold = gr.perfect_recovery_threshold(kappa)
        alphas = [1e-4, 0.01, 0.1, 0.3, 0.5, *(threshold - np.array([1e-6, 1e-4, 1e-2]))]
        rows += [(alpha, kappa, delta) for alpha in alphas if alpha > 0 for delta in (0.0, 0.01, 1.0)]
    return np.array(rows)


def test_grid_agrees_with_the_scalar_route():
    alpha, kappa, delta = grid_points().T
    ours = gr.bayes_optimal_mmse(alpha, kappa, delta)
    reference = np.array([scalar_bayes_optimal_mmse(*row) for row in zip(alpha, kappa, delta)])
    # measured worst 5e-11 (α = 1e-4, Δ = 1); 1e-9 leaves room for the scalar route's own error
    np.testing.assert_allclose(ours, reference, rtol=0, atol=1e-9)


def test_grid_broadcasts_and_each_point_equals_its_scalar_call():
    alpha = np.linspace(0.0, 0.7, 6)
    kappa = np.array([0.1, 0.5, 1.0, 3.0])[:, None]
    grid = gr.bayes_optimal_mmse(alpha, kappa, 0.2)
    assert grid.shape == (4, 6)
    # equal to rounding: numpy's SIMD loops may round the last bit differently by array length
    assert grid[2, 3] == pytest.approx(gr.bayes_optimal_mmse(alpha[3], 1.0, 0.2), abs=1e-14)
    rows = gr.bayes_optimal_mmse(alpha[3], kappa[:, 0], [0.0, 0.1, 0.2, 0.3])
    assert rows[2] == pytest.approx(grid[2, 3], abs=1e-14)


def test_one_call_mixes_every_regime():
    """α = 0 (series), α ≥ α_PR noiseless (exact 0), Δ/(4α) ≥ 1e6 (large-noise path) and the
    bracketed root in one array: each equals its own scalar call (to rounding)."""
    alpha = np.array([0.0, 1e-13, 0.5, 1e-8, 0.2, 0.2])
    kappa = np.array([0.5, 0.5, 1.0, 0.5, 0.5, 0.5])
    delta = np.array([0.0, 0.2, 0.0, 1e4, 0.0, 0.1])
    together = gr.bayes_optimal_mmse(alpha, kappa, delta)
    alone = [gr.bayes_optimal_mmse(*row) for row in zip(alpha, kappa, delta)]
    np.testing.assert_allclose(together, alone, rtol=0, atol=1e-14)
    assert together[2] == 0.0 and together[0] == 1.0


@pytest.mark.parametrize("delta", [0.0, 1.0])
def test_small_alpha_matches_the_second_order_expansion(delta):
    """s ≈ (2 + Δ)/(4α) in [1e4, 1e6], where s²∫ρ³ cancels against s to 1/s: 1 − M to second
    order in α (its error, about 8α³/κ², is at most 2e-9 here) on a (α, κ) grid, including
    κ = 0.002 where the quadrature (not the large-s expansion) is used up to s = 1e6."""
    alpha = np.array([1e-6, 3e-6, 1e-5])
    kappa = np.array([0.002, 0.01, 0.3, 5.0])[:, None]
    m = gr.bayes_optimal_mmse(alpha, kappa, delta)
    np.testing.assert_allclose(m, 1 - large_noise_reference(alpha, kappa, delta), rtol=0, atol=5e-9)


def test_large_s_small_kappa_point_found_by_a_stress_test():
    """s ≈ 2.1e5, κ ≈ 1.6e-3: 20 nodes missed ∫ρ³ by 1e-12 relative there, 2e-7 in M."""
    alpha, kappa = 2.4010322083275526e-06, 0.0015874101440023812
    assert gr.bayes_optimal_mmse(alpha, kappa) == pytest.approx(1 - large_noise_reference(alpha, kappa, 0.0),
                                                                 abs=2e-9)


def test_noiseless_grid_is_zero_exactly_beyond_the_threshold():
    kappa = np.linspace(0.01, 2.0, 40)[:, None]
    alpha = np.linspace(0.005, 0.6, 40)
    m = gr.bayes_optimal_mmse(alpha, kappa)
    beyond = alpha >= gr.perfect_recovery_threshold(kappa)
    assert np.all(m[beyond] == 0.0)
    assert np.all(m[~beyond] > 0.0)


def test_perfect_recovery_threshold_is_vectorised():
    np.testing.assert_array_equal(gr.perfect_recovery_threshold([0.5, 1.0, 3.0]), [0.375, 0.5, 0.5])


@given(st.floats(1e-3, 1e3), st.floats(0.0, 2.0),
       st.lists(st.floats(0.0, 1.0), min_size=2, max_size=12))
def test_property_grid_in_unit_interval_monotone_in_alpha_and_finite(kappa, delta, alphas):
    alpha = np.sort(alphas)
    m = gr.bayes_optimal_mmse(alpha, kappa, delta)
    assert np.all(np.isfinite(m))
    assert np.all((0.0 <= m) & (m <= 1.0))  # the prior variance of the entries is 1
    assert np.all(np.diff(m) <= 1e-9)


# --------------------------------------------------------------------------- validation

test_invalid_calls = invalid_call_test(
    rejects("kappa=", gr.bayes_optimal_mmse, 0.1, [0.5, 0.0]),
    rejects("kappa=", gr.bayes_optimal_mmse, [0.1, 0.2], [[0.5], [np.nan]]),
    rejects("delta=", gr.bayes_optimal_mmse, [0.1, 0.2], 0.5, [0.0, -1.0]),
    rejects("alpha=", gr.bayes_optimal_mmse, [[0.1], [-0.2]], [0.5, 1.0]),
    rejects("kappa=", gr.denoising_mmse, 0.1, [0.5, 1e13]),
    rejects("s=", gr.denoising_mmse, [0.1, 0.0], [0.5, 1.0]),
    rejects("kappa=", gr.perfect_recovery_threshold, [0.5, -1.0]),
    rejects("shapes alpha=(3,), kappa=(2,)", gr.bayes_optimal_mmse, [0.1, 0.2, 0.3], [0.5, 1.0]),
    rejects("shapes s=(3,), kappa=(2,)", gr.denoising_mmse, [0.1, 0.2, 0.3], [0.5, 1.0]),
)


@pytest.mark.parametrize("kappa", [1e-8, 1e-6, 1e-4])
def test_small_width_has_no_jump_where_the_expansion_would_start_too_early(kappa):
    """For small κ the large-s expansion needs s ≫ 1/κ: at s = 1e6 it would be off by up to 0.98
    (κ = 1e-8); MMSE_den is continuous through 1e6 and the fixed point agrees with a direct
    bracket on MMSE_den."""
    around = gr.denoising_mmse(np.array([0.999e6, 1e6, 1.001e6]), kappa)
    np.testing.assert_allclose(around, around[1], rtol=2e-3)
    alpha, delta = 2.4e-7, 1.0
    direct = brentq(lambda m: float(gr.denoising_mmse((delta + 2 * m) / (4 * alpha), kappa)) - m, 0.0, 1.0,
                    xtol=1e-13)
    assert gr.bayes_optimal_mmse(alpha, kappa, delta) == pytest.approx(direct, abs=1e-8)
