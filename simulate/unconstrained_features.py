r"""Gradient descent on the square-loss unconstrained-features model (UFM).

With :math:`K` classes of :math:`n` samples (:math:`N = Kn`), one-hot labels :math:`Y`,
classifier :math:`W \in \mathbb R^{K\times d}`, free features :math:`H \in \mathbb R^{d\times N}`
and an optional unpenalised bias :math:`b`, plain full-batch GD with step :math:`\ell` on

.. math::

    \mathcal L = \frac{1}{2N}\lVert WH + b\mathbf 1^\top - Y\rVert_F^2
               + \frac{\lambda_W}{2}\lVert W\rVert_F^2 + \frac{\lambda_H}{2}\lVert H\rVert_F^2,
    \qquad
    \nabla_W = RH^\top + \lambda_W W,\quad \nabla_H = W^\top R + \lambda_H H,\quad
    \nabla_b = R\mathbf 1,\quad R = \frac{WH + b\mathbf 1^\top - Y}{N},

from :math:`W, H \sim` ``init_scale`` :math:`\cdot N(0, 1)`, :math:`b = 0`, until the gradient
norm falls below ``tol``. The landscape is benign (every local minimum is global; Zhou et
al. 2022, arXiv:2203.01238), so GD ends at the optimum of :mod:`theory.neural_collapse`
(Xu, Rangamani, Liao, Galanti & Poggio 2023; Tirer & Bruna 2022). Its curvature is at
most :math:`\max(\lambda_W + \lVert H\rVert^2/N,\ \lambda_H + \lVert W\rVert^2/N)` in the
factors and 1 in the bias, so ``learning_rate`` ≤ 1 is stable at the claim's scales; the
slowest mode near the optimum is the decay of the components outside the optimal
span, at rate :math:`\ell\min(\lambda_W, \lambda_H)` per step, and sets the step count.

The arrays are a few dozen entries wide: per-call overhead dominates, every backend runs
this NumPy loop on the host (``backend`` is validated for a uniform interface).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate._validate import check_choice, check_int, check_real, check_rng
from simulate.backend import BACKENDS, resolve_backend


@dataclass(frozen=True, eq=False)
class UFMRun:
    """End point of :func:`ufm_gradient_descent` and its neural-collapse statistics.

    Attributes
    ----------
    W, H : numpy.ndarray
        Final classifier ``(K, d)`` and features ``(d, N)``; samples are ordered class by class.
    b : numpy.ndarray, shape (K,)
        Final bias (zeros without one).
    c : float
        Least-squares shrinkage ``⟨WH, T⟩/‖T‖²`` against the target ``T`` (``Y``, or
        ``Y − 11ᵀ/K`` with a bias).
    fit_residual : float
        ``‖WH − cT‖_F / ‖T‖_F``: 0 when ``WH`` is a multiple of the target.
    w_norm2, h_norm2 : float
        ``‖W‖_F²`` and ``‖H‖_F²``.
    objective : float
        The loss at the end.
    class_mean_gram : numpy.ndarray, shape (K, K)
        Gram matrix ``H̄ᵀH̄`` of the class-mean features.
    within_class : float
        ``Σ_i ‖h_i − h̄_{y_i}‖² / ‖H‖_F²`` (NC1; 0 at collapse, 0/0 := 0 at ``H = 0``).
    steps : int
        GD steps taken.
    gradient_norm : float
        Norm of the full gradient at the end.
    converged : bool
        ``gradient_norm <= tol`` within ``max_steps``.
    """

    W: np.ndarray
    H: np.ndarray
    b: np.ndarray
    c: float
    fit_residual: float
    w_norm2: float
    h_norm2: float
    objective: float
    class_mean_gram: np.ndarray
    within_class: float
    steps: int
    gradient_norm: float
    converged: bool


def one_hot_labels(n_classes: int, per_class: int) -> np.ndarray:
    """``Y`` of shape ``(K, K n)``, samples ordered class by class."""
    return np.kron(np.eye(n_classes), np.ones((1, per_class)))


def ufm_gradient_descent(n_classes: int, per_class: int, dim: int, weight_decay_w: float,
                         weight_decay_h: float, rng: np.random.Generator, *, bias: bool = False,
                         learning_rate: float = 1.0, init_scale: float = 0.1, tol: float = 1e-13,
                         max_steps: int = 200_000, backend: str = "numpy") -> UFMRun:
    r"""Train the UFM by full-batch GD to a stationary point (module docstring).

    Parameters
    ----------
    n_classes, per_class : int
        :math:`K \ge 2`, :math:`n \ge 1`.
    dim : int
        Feature dimension :math:`d \ge K` (below :math:`K` the optimum is rank-constrained
        and is not the UFM's closed form).
    weight_decay_w, weight_decay_h : float
        :math:`\lambda_W, \lambda_H > 0`.
    rng : numpy.random.Generator
        Draws the initialisation.
    bias : bool
        Train an unpenalised bias.
    learning_rate : float
        Step :math:`\ell` in (0, 1.5].
    init_scale : float
        Standard deviation of the initial entries of ``W`` and ``H``, > 0.
    tol : float
        Stop when the gradient norm is at most ``tol`` (> 0).
    max_steps : int
        Step cap; ``converged`` is False if it is reached.
    backend : {"numpy", "numba", "cupy", "auto"}
        All run the same host NumPy loop.

    Returns
    -------
    UFMRun
    """
    k = check_int("n_classes", n_classes, low=2)
    n = check_int("per_class", per_class, low=1)
    d = check_int("dim", dim, low=k)
    lam_w = check_real("weight_decay_w", weight_decay_w, low=0.0, closed_low=False)
    lam_h = check_real("weight_decay_h", weight_decay_h, low=0.0, closed_low=False)
    lr = check_real("learning_rate", learning_rate, low=0.0, high=1.5, closed_low=False)
    scale = check_real("init_scale", init_scale, low=0.0, closed_low=False)
    tol = check_real("tol", tol, low=0.0, closed_low=False)
    max_steps = check_int("max_steps", max_steps, low=1)
    check_choice("bias", bias, (True, False))
    check_rng(rng)
    check_choice("backend", backend, BACKENDS)
    resolve_backend(backend)

    big_n = k * n
    y = one_hot_labels(k, n)
    W = scale * rng.standard_normal((k, d))
    H = scale * rng.standard_normal((d, big_n))
    b = np.zeros((k, 1))
    steps, grad_norm = 0, np.inf
    while True:
        residual = (W @ H + b - y) / big_n
        grad_w = residual @ H.T + lam_w * W
        grad_h = W.T @ residual + lam_h * H
        grad_b = residual.sum(axis=1, keepdims=True) if bias else 0.0 * b
        grad_norm = float(np.sqrt(np.sum(grad_w ** 2) + np.sum(grad_h ** 2) + np.sum(grad_b ** 2)))
        if not np.isfinite(grad_norm) or grad_norm <= tol or steps == max_steps:
            break
        W -= lr * grad_w
        H -= lr * grad_h
        b -= lr * grad_b
        steps += 1
    return _statistics(W, H, b.ravel(), y, lam_w, lam_h, bias, steps, grad_norm, grad_norm <= tol)


def _statistics(W, H, b, y, lam_w, lam_h, bias, steps, grad_norm, converged) -> UFMRun:
    k, big_n = y.shape
    target = y - 1.0 / k if bias else y
    product = W @ H
    c = float(np.sum(product * target) / np.sum(target * target))
    data = product + b[:, None] - y
    w_norm2, h_norm2 = float(np.sum(W * W)), float(np.sum(H * H))
    means = H.reshape(H.shape[0], k, big_n // k).mean(axis=2)
    spread = float(np.sum((H - np.repeat(means, big_n // k, axis=1)) ** 2))
    return UFMRun(
        W=W, H=H, b=b, c=c,
        fit_residual=float(np.linalg.norm(product - c * target) / np.linalg.norm(target)),
        w_norm2=w_norm2, h_norm2=h_norm2,
        objective=0.5 * float(np.sum(data * data)) / big_n + 0.5 * lam_w * w_norm2 + 0.5 * lam_h * h_norm2,
        class_mean_gram=means.T @ means,
        within_class=spread / h_norm2 if h_norm2 > 0 else 0.0,
        steps=steps, gradient_norm=grad_norm, converged=bool(converged))
