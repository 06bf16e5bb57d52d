"""Linear student on linear-teacher data: the spectral GD and ridge paths against direct references."""

import numpy as np
import pytest

from simulate.linear_regression import (
    LinearTeacherData,
    design_spectrum,
    linear_student_gd,
    linear_teacher,
    ridge_regression,
)

SHAPES = [(30, 12), (30, 30), (30, 75)]  # (N, P): α < 1, = 1, > 1


@pytest.mark.parametrize("n, p", SHAPES)
def test_spectral_gd_equals_the_iteration(n, p):
    data = linear_teacher(n, p, np.random.default_rng(0), noise_variance=0.3, teacher_variance=1.2)
    steps = np.array([0, 1, 7, 60, 500])
    fast = linear_student_gd(data, 0.05, steps, np.random.default_rng(1), init_variance=0.2)
    slow = linear_student_gd(data, 0.05, steps, np.random.default_rng(1), init_variance=0.2, method="loop")
    np.testing.assert_allclose(fast.generalization_error, slow.generalization_error, rtol=1e-12)
    np.testing.assert_allclose(fast.training_error, slow.training_error, rtol=1e-9, atol=1e-15)
    assert fast.generalization_error[0] == pytest.approx(
        np.sum((data.teacher - np.sqrt(0.2) * np.random.default_rng(1).standard_normal(n)) ** 2) / n + 0.3)


@pytest.mark.parametrize("n, p", SHAPES)
def test_ridge_equals_direct_solves(n, p):
    data = linear_teacher(n, p, np.random.default_rng(2), noise_variance=0.3, teacher_variance=2.0,
                          teacher_norm="exact")
    assert data.teacher @ data.teacher == pytest.approx(2.0 * n, rel=1e-14)
    regs = np.array([0.0, 1e-3, 0.5, 20.0])
    out = ridge_regression(data, regs)
    for i, reg in enumerate(regs):
        if reg > 0:
            w = np.linalg.solve(data.X.T @ data.X + reg * np.eye(n), data.X.T @ data.y)
        else:
            w = np.linalg.lstsq(data.X, data.y, rcond=None)[0]  # min-norm least squares
        assert out.excess[i] == pytest.approx(np.sum((w - data.teacher) ** 2) / n, rel=1e-9)
        assert out.train[i] == pytest.approx(np.sum((data.y - data.X @ w) ** 2) / p, rel=1e-8, abs=1e-14)
        assert out.overlap[i] == pytest.approx(w @ data.teacher / n, rel=1e-9)
        assert out.self_overlap[i] == pytest.approx(w @ w / n, rel=1e-9)


def test_gd_without_end_is_the_min_norm_solution():
    """From w(0) = 0, GD converges to the ridgeless (min-norm) estimator."""
    for n, p in SHAPES:
        data = linear_teacher(n, p, np.random.default_rng(3), noise_variance=0.5)
        gd = linear_student_gd(data, 0.05, np.array([-1]), np.random.default_rng(4))
        ridge = ridge_regression(data, [0.0])
        assert gd.generalization_error[0] == pytest.approx(ridge.excess[0] + 0.5, rel=1e-10)
        assert gd.training_error[0] == pytest.approx(ridge.train[0], rel=1e-8, abs=1e-14)
        assert gd.expected_generalization_error[0] == pytest.approx(ridge.expected_excess[0] + 0.5, rel=1e-12)


def test_frozen_component_never_moves():
    """α < 1: the part of w orthogonal to every input is unchanged by GD, to rounding."""
    data = linear_teacher(40, 15, np.random.default_rng(5), noise_variance=0.2)
    w0 = np.random.default_rng(6).standard_normal(40)
    w = w0.copy()
    for _ in range(200):
        w = w + 0.1 * data.X.T @ (data.y - data.X @ w)
    q, _ = np.linalg.qr(data.X.T)
    outside = lambda v: v - q @ (q.T @ v)  # noqa: E731
    np.testing.assert_allclose(outside(w), outside(w0), atol=1e-13)


def test_expectations_given_the_design_match_monte_carlo():
    """Conditional means over teacher and noise at a fixed X, against 3000 draws."""
    rng = np.random.default_rng(7)
    X = linear_teacher(25, 40, rng, noise_variance=0.5).X
    draws = []
    for _ in range(3000):
        teacher = rng.standard_normal(25) * np.sqrt(2.0)
        noise = rng.standard_normal(40) * np.sqrt(0.5)
        data = LinearTeacherData(X, X @ teacher + noise, teacher, noise, 0.5, 2.0)
        gd = linear_student_gd(data, 0.1, np.array([3, 30]), rng, init_variance=0.3)
        ridge = ridge_regression(data, [0.0, 0.4])
        draws.append(np.concatenate([gd.generalization_error, gd.training_error, ridge.excess, ridge.train,
                                     ridge.overlap]))
        expected = np.concatenate([gd.expected_generalization_error, gd.expected_training_error,
                                   ridge.expected_excess, ridge.expected_train, ridge.expected_overlap])
    draws = np.array(draws)
    z = (draws.mean(axis=0) - expected) / (draws.std(axis=0, ddof=1) / np.sqrt(len(draws)))
    assert np.all(np.abs(z) < 4.5)  # 10 statistics, Bonferroni at 1e-4


def test_one_spectrum_serves_many_label_draws():
    data = linear_teacher(30, 20, np.random.default_rng(10), noise_variance=0.3)
    spectrum = design_spectrum(data.X)
    np.testing.assert_allclose(spectrum.left_vectors.T @ data.X @ spectrum.right_vectors,
                               np.diag(np.sqrt(spectrum.eigenvalues)), atol=1e-13)
    a = linear_student_gd(data, 0.1, np.array([3, -1]), np.random.default_rng(1), spectrum=spectrum)
    b = linear_student_gd(data, 0.1, np.array([3, -1]), np.random.default_rng(1))
    np.testing.assert_array_equal(a.generalization_error, b.generalization_error)
    np.testing.assert_array_equal(ridge_regression(data, [0.2], spectrum=spectrum).train,
                                  ridge_regression(data, [0.2]).train)
    other = linear_teacher(31, 20, np.random.default_rng(11), noise_variance=0.3)
    with pytest.raises(ValueError, match="^spectrum="):
        ridge_regression(other, [0.2], spectrum=spectrum)


def test_numerically_singular_directions_are_null_directions():
    """A design whose Gram has an eigenvalue at rounding level: GD and ridge stay finite and
    equal the exactly rank-deficient design's (the direction is a null one)."""
    rng = np.random.default_rng(12)
    X = linear_teacher(20, 20, rng, noise_variance=0.1).X
    u, sv, vt = np.linalg.svd(X)
    sv[-1] = 0.0
    X = (u * sv) @ vt
    teacher, noise = rng.standard_normal(20), 0.3 * rng.standard_normal(20)
    singular = LinearTeacherData(X, X @ teacher + noise, teacher, noise, 0.1, 1.0)
    spectrum = design_spectrum(singular.X)
    assert spectrum.eigenvalues.size == 19
    gd = linear_student_gd(singular, 0.05, np.array([10, -1]), rng, spectrum=spectrum)
    ridge = ridge_regression(singular, [0.0, 0.1], spectrum=spectrum)
    assert np.all(np.isfinite(gd.generalization_error)) and np.all(np.isfinite(ridge.excess))
    w = np.linalg.lstsq(singular.X, singular.y, rcond=1e-10)[0]
    assert ridge.excess[0] == pytest.approx(np.sum((w - singular.teacher) ** 2) / 20, rel=1e-8)


def test_backends_agree():
    data = linear_teacher(30, 45, np.random.default_rng(8), noise_variance=0.3)
    a, b = (linear_student_gd(data, 0.05, np.array([5, 50, -1]), np.random.default_rng(9), backend=k)
            for k in ("numpy", "numba"))
    np.testing.assert_array_equal(a.generalization_error, b.generalization_error)
    c, d = (ridge_regression(data, [0.0, 0.1], backend=k) for k in ("numpy", "numba"))
    np.testing.assert_array_equal(c.excess, d.excess)


@pytest.mark.parametrize("call, name", [
    (lambda d: linear_teacher(0, 5, np.random.default_rng(0), noise_variance=0.1), "n_features"),
    (lambda d: linear_teacher(5, 5, np.random.default_rng(0), noise_variance=-0.1), "noise_variance"),
    (lambda d: linear_teacher(5, 5, np.random.default_rng(0), noise_variance=0.1, teacher_norm="unit"),
     "teacher_norm"),
    (lambda d: linear_student_gd(d, 10.0, np.array([1]), np.random.default_rng(0)), "learning_rate"),
    (lambda d: linear_student_gd(d, 0.1, np.array([-2]), np.random.default_rng(0)), "steps"),
    (lambda d: linear_student_gd(d, 0.1, np.array([-1]), np.random.default_rng(0), method="loop"), "steps"),
    (lambda d: ridge_regression(d, [-0.1]), "reg"),
])
def test_invalid_arguments_name_the_parameter(call, name):
    data = linear_teacher(10, 20, np.random.default_rng(1), noise_variance=0.1)
    with pytest.raises(ValueError, match=rf"^{name}=.* is out of range"):
        call(data)
