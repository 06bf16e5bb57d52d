"""Spectra samplers: dense and Dumitriu–Edelman models agree in law; exact finite-N facts.

Monte-Carlo checks draw R independent spectra with a fixed seed and compare means with
tolerances of 4 Monte-Carlo standard errors (deterministic given the seed; a wrong
diagonal variance or divisor moves the tested means by 10 or more standard errors).
"""

import numpy as np
import pytest

from simulate.backend import cupy_available
from simulate.random_matrices import (
    goe_spectrum,
    wishart_dimensions,
    wishart_goe_spectrum,
    wishart_spectrum,
)
from tests.argument_validation import invalid_call_test, rejects

Z = 4.0   # tolerance in Monte-Carlo standard errors


def statistics(draw, replicates):
    """Mean and standard error over replicates of (1/N) tr M, (1/N) tr M², λ_max."""
    values = np.array([[np.mean(s), np.mean(s ** 2), s[-1]] for s in
                       (draw() for _ in range(replicates))])
    return values.mean(axis=0), values.std(axis=0, ddof=1) / np.sqrt(replicates)


def assert_close(mean, se, expected, what):
    assert abs(mean - expected) < Z * se, f"{what}: {mean} vs {expected} (se {se})"


def assert_same_law(a, b, names):
    (mean_a, se_a), (mean_b, se_b) = a, b
    for name, ma, mb, sa, sb in zip(names, mean_a, mean_b, se_a, se_b):
        assert abs(ma - mb) < Z * np.hypot(sa, sb), f"{name}: {ma} vs {mb}"


# ---------------------------------------------------------------- laws and exact moments

def test_goe_dense_and_tridiagonal_agree_and_match_exact_second_moment():
    size, variance, replicates = 60, 1.7, 600
    rng = np.random.default_rng(20240601)
    results = {}
    for method in ("dense", "tridiagonal"):
        mean, se = results[method] = statistics(
            lambda: goe_spectrum(size, rng, variance=variance, method=method), replicates)
        assert_close(mean[0], se[0], 0.0, f"{method} (1/N) tr M")
        # E tr M² = σ² (N + 1): N(N−1) off-diagonal entries of variance σ²/N, N of 2σ²/N
        assert_close(mean[1], se[1], variance * (size + 1) / size, f"{method} (1/N) tr M²")
    assert_same_law(results["dense"], results["tridiagonal"], ["tr M", "tr M²", "λ_max"])


@pytest.mark.parametrize("ratio", [0.5, 2.5])
def test_wishart_dense_and_bidiagonal_agree_and_match_exact_second_moment(ratio):
    size, variance, replicates = 50, 0.6, 400
    p, n = wishart_dimensions(size, ratio)
    rng = np.random.default_rng(7 + int(10 * ratio))
    results = {}
    for method in ("dense", "bidiagonal"):
        mean, se = results[method] = statistics(
            lambda: wishart_spectrum(size, ratio, rng, variance=variance, method=method),
            replicates)
        assert_close(mean[0], se[0], variance, f"{method} (1/p) tr W")
        # Gaussian Wishart: E (1/p) tr W² = σ⁴ (1 + p/n + 1/n) exactly
        assert_close(mean[1], se[1], variance ** 2 * (1 + p / n + 1 / n), f"{method} (1/p) tr W²")
    assert_same_law(results["dense"], results["bidiagonal"], ["tr W", "tr W²", "λ_max"])


def test_wishart_plus_goe_second_moment_is_exact_and_both_routes_agree_in_law():
    size, ratio, noise, variance, replicates = 30, 0.5, 0.8, 1.2, 300
    p, n = wishart_dimensions(size, ratio)
    rng = np.random.default_rng(99)
    results = {}
    for method in ("dense", "diagonal"):
        mean, se = results[method] = statistics(
            lambda: wishart_goe_spectrum(size, ratio, noise, rng, variance=variance, method=method),
            replicates)
        assert_close(mean[0], se[0], variance, f"{method} (1/p) tr (W + S)")
        # the cross term has mean zero: E tr (W + S)² = E tr W² + E tr S²
        expected = variance ** 2 * (1 + p / n + 1 / n) + noise * (1 + 1 / p)
        assert_close(mean[1], se[1], expected, f"{method} (1/p) tr (W + S)²")
    assert_same_law(results["dense"], results["diagonal"], ["tr", "tr²", "λ_max"])


def test_second_moment_check_detects_a_two_percent_variance_error():
    """The same check, against a GOE whose variance is 2% off, fails (it has power)."""
    size, replicates = 60, 600
    rng = np.random.default_rng(2718)
    mean, se = statistics(lambda: goe_spectrum(size, rng, variance=1.02), replicates)
    assert abs(mean[1] - (size + 1) / size) > 2 * Z * se[1]


def test_wishart_plus_goe_without_noise_is_the_dense_wishart():
    for method, wishart_method in (("dense", "dense"), ("diagonal", "bidiagonal")):
        a = wishart_goe_spectrum(25, 0.5, 0.0, np.random.default_rng(3), variance=2.0, method=method)
        b = wishart_spectrum(25, 0.5, np.random.default_rng(3), variance=2.0, method=wishart_method)
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------- exact structure

@pytest.mark.parametrize("method", ["dense", "bidiagonal"])
def test_wishart_with_more_rows_than_columns_has_exact_zeros(method):
    p, n = wishart_dimensions(30, 3.0)
    assert (p, n) == (30, 10)
    spectrum = wishart_spectrum(30, 3.0, np.random.default_rng(1), method=method)
    assert np.count_nonzero(spectrum == 0.0) == p - n
    assert np.all(spectrum[p - n:] > 0)


def test_wishart_dimensions_round_the_column_count():
    assert wishart_dimensions(100, 0.5) == (100, 200)
    assert wishart_dimensions(100, 3.0) == (100, 33)
    assert wishart_dimensions(1, 5.0) == (1, 1)


SAMPLERS = {
    "goe-tridiagonal": lambda size, rng, **kw: goe_spectrum(size, rng, **kw),
    "goe-dense": lambda size, rng, **kw: goe_spectrum(size, rng, method="dense", **kw),
    "wishart-bidiagonal": lambda size, rng, **kw: wishart_spectrum(size, 1.5, rng, **kw),
    "wishart-dense": lambda size, rng, **kw: wishart_spectrum(size, 1.5, rng, method="dense", **kw),
    "wishart-goe": lambda size, rng, **kw: wishart_goe_spectrum(size, 0.7, 0.5, rng, **kw),
}


@pytest.mark.parametrize("name", SAMPLERS)
@pytest.mark.parametrize("size", [1, 2, 17])
def test_spectrum_is_sorted_float64_of_the_requested_size(name, size):
    spectrum = SAMPLERS[name](size, np.random.default_rng(size))
    assert isinstance(spectrum, np.ndarray) and spectrum.dtype == np.float64
    assert spectrum.shape == (size,) and np.all(np.isfinite(spectrum))
    assert np.all(np.diff(spectrum) >= 0)


@pytest.mark.parametrize("name", SAMPLERS)
def test_same_seed_same_spectrum_and_numpy_equals_numba(name):
    sample = SAMPLERS[name]
    first = sample(30, np.random.default_rng(123))
    np.testing.assert_array_equal(sample(30, np.random.default_rng(123)), first)
    np.testing.assert_array_equal(sample(30, np.random.default_rng(123), backend="numba"), first)
    assert not np.array_equal(sample(30, np.random.default_rng(124)), first)


@pytest.mark.skipif(not cupy_available(), reason="needs cupy and a CUDA GPU")
@pytest.mark.parametrize("name", SAMPLERS)
def test_cupy_backend_diagonalises_the_same_matrix(name):
    sample = SAMPLERS[name]
    np.testing.assert_allclose(sample(200, np.random.default_rng(5), backend="cupy"),
                               sample(200, np.random.default_rng(5)), rtol=1e-10, atol=1e-10)


def test_zero_variance_gives_zero_spectrum():
    rng = np.random.default_rng(0)
    assert np.all(goe_spectrum(5, rng, variance=0.0) == 0)
    assert np.all(goe_spectrum(5, rng, variance=0.0, method="dense") == 0)
    assert np.all(wishart_spectrum(5, 0.5, rng, variance=0.0) == 0)
    assert np.all(wishart_goe_spectrum(5, 0.5, 0.0, rng, variance=0.0) == 0)


# ---------------------------------------------------------------- invalid input

RNG = np.random.default_rng(0)
test_invalid_calls = invalid_call_test(
    rejects("size=0", goe_spectrum, 0, RNG),
    rejects("size=-3", goe_spectrum, -3, RNG),
    rejects("size=2.5", goe_spectrum, 2.5, RNG),
    rejects("size=True", goe_spectrum, True, RNG),
    rejects("size='10'", goe_spectrum, "10", RNG),
    rejects("variance=-1.0", goe_spectrum, 10, RNG, variance=-1.0),
    rejects("variance=nan", goe_spectrum, 10, RNG, variance=np.nan),
    rejects("method='bidiagonal'", goe_spectrum, 10, RNG, method="bidiagonal"),
    rejects("backend='torch'", goe_spectrum, 10, RNG, backend="torch"),
    rejects("ratio=0.0", wishart_spectrum, 10, 0.0, RNG),
    rejects("ratio=-1.0", wishart_spectrum, 10, -1.0, RNG),
    rejects("ratio=inf", wishart_spectrum, 10, np.inf, RNG),
    rejects("size=0", wishart_spectrum, 0, 1.0, RNG),
    rejects("variance=-0.1", wishart_spectrum, 10, 1.0, RNG, variance=-0.1),
    rejects("method='tridiagonal'", wishart_spectrum, 10, 1.0, RNG, method="tridiagonal"),
    rejects("backend='jax'", wishart_spectrum, 10, 1.0, RNG, backend="jax"),
    rejects("noise_variance=-0.5", wishart_goe_spectrum, 10, 1.0, -0.5, RNG),
    rejects("noise_variance=nan", wishart_goe_spectrum, 10, 1.0, np.nan, RNG),
    rejects("ratio=0.0", wishart_goe_spectrum, 10, 0.0, 0.5, RNG),
    rejects("variance=-2.0", wishart_goe_spectrum, 10, 1.0, 0.5, RNG, variance=-2.0),
    rejects("size=1.5", wishart_goe_spectrum, 1.5, 1.0, 0.5, RNG),
    rejects("size=0", wishart_dimensions, 0, 1.0),
    rejects("ratio='1'", wishart_dimensions, 10, "1"),
)


@pytest.mark.parametrize("func, args", [
    (goe_spectrum, (5, 0)),
    (wishart_spectrum, (5, 1.0, None)),
    (wishart_goe_spectrum, (5, 1.0, 0.1, np.random.RandomState(0))),
])
def test_rng_must_be_a_generator(func, args):
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        func(*args)
