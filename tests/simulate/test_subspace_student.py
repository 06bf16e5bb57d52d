"""Population GD of the tanh student: the quadrature rule, the gradient step against finite
differences, the decay of the weights off the teacher's direction, argument checks."""

import numpy as np
import pytest

from simulate.subspace_student import gauss_hermite_plane, train_subspace_student


def test_gauss_hermite_plane_integrates_polynomials():
    x, w = gauss_hermite_plane(6)
    assert w.sum() == pytest.approx(1.0, rel=1e-14)
    assert w @ x[0] ** 2 == pytest.approx(1.0, rel=1e-13)
    assert w @ (x[0] ** 4 * x[1] ** 2) == pytest.approx(3.0, rel=1e-13)
    assert abs(w @ (x[0] * x[1])) < 1e-15


def population_objective(W, b, a, lam, nodes=24):
    x, w = gauss_hermite_plane(nodes)
    r = a @ np.tanh(W @ x + b[:, None]) - np.tanh(2 * x[0])
    return 0.5 * w @ (r * r) + lam * np.sum(W * W)


def test_one_step_is_a_gradient_step():
    rng = np.random.default_rng(0)
    W0, b0 = rng.standard_normal((3, 2)), 0.5 * rng.standard_normal(3)
    a0 = rng.standard_normal(3) / np.sqrt(3)
    run = train_subspace_student(3, 0.02, 0.1, 1, np.random.default_rng(0))
    h = 1e-6
    for name, value, after in (("W", W0, run.W), ("b", b0, run.b), ("a", a0, run.a)):
        grad = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            shifted = [W0.copy(), b0.copy(), a0.copy()]
            target = {"W": 0, "b": 1, "a": 2}[name]
            shifted[target][idx] += h
            plus = population_objective(*shifted, 0.02)
            shifted[target][idx] -= 2 * h
            minus = population_objective(*shifted, 0.02)
            grad[idx] = (plus - minus) / (2 * h)
        np.testing.assert_allclose((value - after) / 0.1, grad, rtol=1e-6, atol=1e-9)
    assert run.loss[0] == pytest.approx(population_objective(W0, b0, a0, 0.0), rel=1e-14)
    assert run.w_perp[0] == pytest.approx(np.linalg.norm(W0[:, 1]), rel=1e-15)


def test_weight_decay_drives_the_off_subspace_weights_to_zero_and_no_decay_does_not():
    decayed = train_subspace_student(4, 0.02, 0.1, 3000, np.random.default_rng(1))
    free = train_subspace_student(4, 0.0, 0.1, 3000, np.random.default_rng(1))
    assert decayed.w_perp[-1] < 1e-4 * decayed.w_perp[0]
    assert free.w_perp[-1] > 0.3 * free.w_perp[0]
    assert free.loss[-1] < decayed.loss[-1]            # the penalty costs some fit


@pytest.mark.parametrize("kwargs,message", [
    ({"units": 0}, "units=0"),
    ({"weight_decay": -0.1}, "weight_decay=-0.1"),
    ({"learning_rate": 0.5}, "learning_rate=0.5"),
    ({"nodes": 100}, "nodes=100"),
    ({"teacher_scale": 0.0}, "teacher_scale=0.0"),
])
def test_invalid_arguments_name_the_parameter(kwargs, message):
    args = {"units": 2, "weight_decay": 0.01, "learning_rate": 0.1, "steps": 5, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(ValueError, match="out of range") as info:
        train_subspace_student(**args)
    assert str(info.value).startswith(message)
