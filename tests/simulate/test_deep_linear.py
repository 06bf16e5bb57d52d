"""GD on deep linear networks: exactness on the decoupled manifold, order in η, backends, inits."""

import numpy as np
import pytest

from simulate.deep_linear import (
    balance_matrices,
    crossing_times,
    decoupled_init,
    gaussian_init,
    orthogonal_init,
    random_orthogonal,
    train_deep_linear,
    whitened_task,
)
from theory.deep_linear import mode_strength

S = np.array([3.0, 2.0, 1.5, 1.0, 0.5])


@pytest.fixture(scope="module")
def task():
    return whitened_task(S, 6, 8, np.random.default_rng(0))  # 6 inputs, 8 outputs


def test_task_has_the_requested_modes(task):
    np.testing.assert_allclose(np.linalg.svd(task.sigma31, compute_uv=False)[:5], S, rtol=1e-13)
    np.testing.assert_allclose(task.left_vectors.T @ task.sigma31 @ task.right_vectors, np.diag(S), atol=1e-13)
    q = random_orthogonal(7, np.random.default_rng(1))
    np.testing.assert_allclose(q.T @ q, np.eye(7), atol=1e-14)


@pytest.mark.parametrize("widths", [(6, 10, 8), (6, 7, 9, 5, 8)])
def test_decoupled_init_is_balanced_with_the_given_strengths(task, widths):
    u0 = np.array([1e-3, 2e-3, 0.1, 0.5, 0.01])
    weights = decoupled_init(task, widths, u0, np.random.default_rng(2))
    total = weights[0]
    for w in weights[1:]:
        total = w @ total
    np.testing.assert_allclose(total, (task.left_vectors * u0) @ task.right_vectors.T, atol=1e-15)
    for gram in balance_matrices(weights):
        assert np.abs(gram).max() < 1e-14


def test_two_layer_gd_on_the_decoupled_manifold_is_the_scalar_map(task):
    """Each mode follows u_{k+1} = u_k (1 + η(s − u_k))² exactly (science note §3)."""
    eta, steps = 0.01, 400
    weights = decoupled_init(task, (6, 10, 8), 1e-3, np.random.default_rng(3))
    run = train_deep_linear(weights, task, eta, steps, backend="numpy")
    u = np.full(S.size, 1e-3)
    expected = [u]
    for _ in range(steps):
        u = u * (1 + eta * (S - u)) ** 2
        expected.append(u)
    np.testing.assert_allclose(run.mode_strengths, np.array(expected), rtol=1e-11, atol=1e-15)
    assert max(np.abs(g).max() for g in balance_matrices(run.weights)) < 1e-12


@pytest.mark.parametrize("n_layers", [3, 5])
def test_gd_error_is_first_order_in_the_step(task, n_layers):
    """max |u_GD − u_flow| halves with η: τ = 1/η is the right time convention, to O(η)."""
    widths = (6,) + (8,) * (n_layers - 2) + (8,)
    weights = decoupled_init(task, widths, 0.05, np.random.default_rng(4))
    stiffness = (n_layers - 1) * S.max() ** (2 - 2 / (n_layers - 1))  # top Hessian eigenvalue
    errors = []
    for eta in (0.02 / stiffness, 0.01 / stiffness):
        run = train_deep_linear(weights, task, eta, int(round(4.0 / eta)), record_every=10,
                                backend="numba")
        flow = mode_strength(run.steps[:, None] * eta, S, 0.05, n_layers=n_layers)
        errors.append(np.max(np.abs(run.mode_strengths - flow)))
    assert errors[0] / errors[1] == pytest.approx(2.0, rel=0.02)
    assert errors[1] < 0.2 * 0.01 * S.max()


def test_backends_agree(task):
    weights = gaussian_init((6, 12, 9, 8), 0.3, np.random.default_rng(5))
    runs = [train_deep_linear(weights, task, 0.02, 300, record_every=7, backend=b) for b in ("numpy", "numba")]
    np.testing.assert_array_equal(runs[0].steps, runs[1].steps)
    np.testing.assert_allclose(runs[0].mode_strengths, runs[1].mode_strengths, rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(runs[0].loss, runs[1].loss, rtol=1e-11)
    for a, b in zip(runs[0].weights, runs[1].weights):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-14)


def test_one_step_changes_the_balance_by_exactly_eta_squared_terms(task):
    """Two layers: ΔG = η²(W21 RᵀR W21ᵀ − W32ᵀ R Rᵀ W32), G = W32ᵀW32 − W21W21ᵀ (note §10)."""
    eta = 0.05
    w21, w32 = gaussian_init((6, 10, 8), 0.5, np.random.default_rng(6))
    run = train_deep_linear([w21, w32], task, eta, 1)
    r = task.sigma31 - w32 @ w21
    expected = eta ** 2 * (w21 @ r.T @ r @ w21.T - w32.T @ r @ r.T @ w32)
    change = balance_matrices(run.weights)[0] - balance_matrices([w21, w32])[0]
    np.testing.assert_allclose(change, expected, atol=1e-15)


def test_target_loss_stops_training(task):
    weights = decoupled_init(task, (6, 8, 8), 0.5, np.random.default_rng(7))
    for backend in ("numpy", "numba"):
        run = train_deep_linear(weights, task, 0.01, 10_000, record_every=50, target_loss=1e-3,
                                backend=backend)
        assert run.reached_target and run.loss[-1] <= 1e-3 < run.loss[-2]
        assert run.steps[-1] < 10_000


def test_orthogonal_product_is_an_isometry_and_gaussian_is_not():
    """Saxe et al.: scaled orthogonal layers keep every singular value of the product equal;
    Gaussian layers of variance 1/N spread them over many orders of magnitude with depth."""
    rng = np.random.default_rng(8)
    depth, width = 32, 32
    orthogonal = orthogonal_init((width,) * (depth + 1), 1.1, rng)
    gaussian = gaussian_init((width,) * (depth + 1), 1 / np.sqrt(width), rng)
    products = []
    for layers in (orthogonal, gaussian):
        total = np.eye(width)
        for w in layers:
            total = w @ total
        products.append(np.linalg.svd(total, compute_uv=False))
    np.testing.assert_allclose(products[0], 1.1 ** depth, rtol=1e-12)
    assert products[1].max() / products[1].min() > 1e12


def test_crossing_times_interpolate_linearly():
    steps = np.array([0, 10, 20, 30])
    strengths = np.array([[0.0, 5.0], [1.0, 6.0], [3.0, 7.0], [4.0, 8.0]])
    np.testing.assert_allclose(crossing_times(steps, strengths, [2.0, 5.0]), [15.0, 0.0])
    assert np.isnan(crossing_times(steps, strengths, [9.0, 9.0])).all()


@pytest.mark.parametrize("call, name", [
    (lambda t: train_deep_linear([np.zeros((4, 6)), np.zeros((8, 4))], t, 0.0, 10), "learning_rate"),
    (lambda t: train_deep_linear([np.zeros((4, 5)), np.zeros((8, 4))], t, 0.1, 10), "weights"),
    (lambda t: train_deep_linear([np.zeros((4, 6)), np.zeros((8, 4))], t, 0.1, -1), "n_steps"),
    (lambda t: decoupled_init(t, (6, 3, 8), 0.1, np.random.default_rng(0)), "widths"),
    (lambda t: decoupled_init(t, (6, 8, 8), 0.0, np.random.default_rng(0)), "u0"),
    (lambda t: whitened_task([1.0, 2.0], 4, 4, np.random.default_rng(0)), "singular_values"),
    (lambda t: gaussian_init((4, 4), -1.0, np.random.default_rng(0)), "std"),
])
def test_invalid_arguments_name_the_parameter(task, call, name):
    with pytest.raises(ValueError, match=rf"^{name}=.* is out of range"):
        call(task)
