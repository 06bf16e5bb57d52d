"""GD on the unconstrained-features model: it reaches the closed-form optimum, its statistics
mean what they say, runs are reproducible, arguments are checked."""

import math

import numpy as np
import pytest

from simulate.unconstrained_features import one_hot_labels, ufm_gradient_descent
from theory.neural_collapse import ufm_class_mean_gram, ufm_optimum


@pytest.mark.parametrize("bias", [False, True])
def test_gd_reaches_the_closed_form_optimum(bias):
    run = ufm_gradient_descent(3, 4, 5, 0.03, 0.05, np.random.default_rng(0), bias=bias)
    opt = ufm_optimum(3, 4, 0.03, 0.05, bias)
    assert run.converged and run.gradient_norm <= 1e-13
    for field in ("c", "w_norm2", "h_norm2", "objective"):
        assert getattr(run, field) == pytest.approx(getattr(opt, field), rel=1e-10)
    np.testing.assert_allclose(run.class_mean_gram, ufm_class_mean_gram(3, 4, 0.03, 0.05, bias), atol=1e-12)
    assert run.fit_residual < 1e-10 and run.within_class < 1e-20
    if bias:
        np.testing.assert_allclose(run.b, 1 / 3, atol=1e-12)


def test_statistics_of_the_final_point():
    run = ufm_gradient_descent(3, 2, 4, 0.02, 0.02, np.random.default_rng(1), max_steps=3)
    y = one_hot_labels(3, 2)
    product = run.W @ run.H
    c = np.sum(product * y) / np.sum(y * y)
    assert run.c == pytest.approx(c, rel=1e-14)
    assert run.fit_residual == pytest.approx(np.linalg.norm(product - c * y) / math.sqrt(6), rel=1e-12)
    means = np.stack([run.H[:, 2 * j:2 * j + 2].mean(axis=1) for j in range(3)], axis=1)
    np.testing.assert_allclose(run.class_mean_gram, means.T @ means, rtol=1e-13)
    spread = sum(np.sum((run.H[:, i] - means[:, i // 2]) ** 2) for i in range(6))
    assert run.within_class == pytest.approx(spread / np.sum(run.H ** 2), rel=1e-12)
    residual = product - y
    expected = 0.5 * np.sum(residual ** 2) / 6 + 0.01 * (np.sum(run.W ** 2) + np.sum(run.H ** 2))
    assert run.objective == pytest.approx(expected, rel=1e-13)
    assert run.steps == 3 and not run.converged


def test_beyond_the_kink_everything_collapses_to_zero():
    lam = 1.5 / (3 * math.sqrt(4))           # K√(nλ²) = 1.5 > 1
    run = ufm_gradient_descent(3, 4, 5, lam, lam, np.random.default_rng(2), bias=True)
    assert run.converged
    assert run.w_norm2 < 1e-24 and run.h_norm2 < 1e-24 and abs(run.c) < 1e-12
    assert run.objective == pytest.approx(1 / 3, rel=1e-12)            # (K − 1)/(2K)


def test_runs_are_reproducible_and_backends_agree():
    runs = [ufm_gradient_descent(4, 3, 6, 0.02, 0.04, np.random.default_rng(5), bias=True, backend=b)
            for b in ("numpy", "numpy", "numba")]
    for other in runs[1:]:
        np.testing.assert_array_equal(other.W, runs[0].W)
        assert other.steps == runs[0].steps


@pytest.mark.parametrize("kwargs,message", [
    ({"n_classes": 1}, "n_classes=1"),
    ({"dim": 3}, "dim=3"),
    ({"weight_decay_w": 0.0}, "weight_decay_w=0.0"),
    ({"learning_rate": 2.0}, "learning_rate=2.0"),
    ({"tol": 0.0}, "tol=0.0"),
    ({"bias": "yes"}, "bias='yes'"),
    ({"backend": "torch"}, "backend='torch'"),
])
def test_invalid_arguments_name_the_parameter(kwargs, message):
    args = {"n_classes": 4, "per_class": 3, "dim": 6, "weight_decay_w": 0.02, "weight_decay_h": 0.02,
            "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(ValueError, match="out of range") as info:
        ufm_gradient_descent(**args)
    assert str(info.value).startswith(message)
