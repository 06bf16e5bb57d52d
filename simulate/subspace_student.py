r"""A two-layer tanh student learning a teacher that sees one input direction, by population GD.

The teacher–student experiment of the science note (more_claims.md §5(b)) for the
derandomisation lemma of Tsikouras, Pantis, Mitliagkas & Tzamos (2025, arXiv:2510.19382):
inputs :math:`x \sim N(0, I_2)`, teacher :math:`y = \tanh(\beta x_1)`, student
:math:`\hat y = a^\top\tanh(Wx + b)` with :math:`m` units, and the population objective

.. math::

    f(W, b, a) = \tfrac12\,\mathbb E\,(\hat y - y)^2 + \lambda\lVert W\rVert_F^2

(weight decay on the first layer only, as in the lemma), minimised by full-batch GD with
step :math:`\ell` on every parameter from :math:`W \sim N(0, 1)`, :math:`b \sim 0.5\,N(0, 1)`,
:math:`a \sim N(0, 1)/\sqrt m`. The expectation is a tensor-product Gauss–Hermite rule
(``nodes`` per dimension). The teacher ignores :math:`x_2`, so the lemma says the weights
:math:`w_\perp = W_{:,2}` on that direction decay: :math:`\nabla_{w_\perp}f = (\nabla_b^2F + 2\lambda I)w_\perp`.

The arrays are a few thousand entries wide; every backend runs this NumPy loop on the host.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate._validate import check_choice, check_int, check_real, check_rng, fail
from simulate.backend import BACKENDS, resolve_backend


@dataclass(frozen=True, eq=False)
class StudentRun:
    """Output of :func:`train_subspace_student`.

    Attributes
    ----------
    w_perp : numpy.ndarray, shape (steps + 1,)
        :math:`\\lVert W_{:,2}\\rVert` before every step and at the end.
    loss : numpy.ndarray, shape (steps + 1,)
        :math:`\\tfrac12\\mathbb E(\\hat y - y)^2` (without the penalty) at the same times.
    W, b, a : numpy.ndarray
        Final parameters, shapes ``(m, 2)``, ``(m,)``, ``(m,)``.
    """

    w_perp: np.ndarray
    loss: np.ndarray
    W: np.ndarray
    b: np.ndarray
    a: np.ndarray


def gauss_hermite_plane(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Points ``(2, nodes²)`` and weights ``(nodes²,)`` of the product Gauss–Hermite rule for N(0, I₂)."""
    nodes = check_int("nodes", nodes, low=2)
    t, w = np.polynomial.hermite_e.hermegauss(nodes)
    x1, x2 = np.meshgrid(t, t, indexing="ij")
    return np.stack([x1.ravel(), x2.ravel()]), np.outer(w, w).ravel() / w.sum() ** 2


def train_subspace_student(units: int, weight_decay: float, learning_rate: float, steps: int,
                           rng: np.random.Generator, *, teacher_scale: float = 2.0, nodes: int = 24,
                           backend: str = "numpy") -> StudentRun:
    r"""Population GD of the tanh student on the teacher :math:`\tanh(\beta x_1)` (module docstring).

    Parameters
    ----------
    units : int
        Student width :math:`m \ge 1`.
    weight_decay : float
        :math:`\lambda \ge 0` (penalty :math:`\lambda\lVert W\rVert_F^2`).
    learning_rate : float
        :math:`\ell` in (0, 0.25]: stable while the loss curvature stays below :math:`2/\ell \ge 8`.
    steps : int
        GD steps, ≥ 1.
    rng : numpy.random.Generator
        Draws the initialisation.
    teacher_scale : float
        :math:`\beta > 0`.
    nodes : int
        Gauss–Hermite nodes per input dimension, 4 to 80.
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    StudentRun
        The trajectory stops early (shorter arrays) if the loss becomes non-finite.
    """
    m = check_int("units", units, low=1)
    lam = check_real("weight_decay", weight_decay, low=0.0)
    lr = check_real("learning_rate", learning_rate, low=0.0, high=0.25, closed_low=False)
    steps = check_int("steps", steps, low=1)
    beta = check_real("teacher_scale", teacher_scale, low=0.0, closed_low=False)
    if check_int("nodes", nodes, low=4) > 80:
        fail("nodes", nodes, "an integer in [4, 80]")
    check_rng(rng)
    check_choice("backend", backend, BACKENDS)
    resolve_backend(backend)

    x, weights = gauss_hermite_plane(nodes)
    y = np.tanh(beta * x[0])
    W = rng.standard_normal((m, 2))
    b = 0.5 * rng.standard_normal(m)
    a = rng.standard_normal(m) / np.sqrt(m)
    w_perp = np.empty(steps + 1)
    loss = np.empty(steps + 1)
    for t in range(steps + 1):
        hidden = np.tanh(W @ x + b[:, None])
        residual = a @ hidden - y
        w_perp[t] = np.linalg.norm(W[:, 1])
        loss[t] = 0.5 * np.dot(weights, residual * residual)
        if t == steps or not np.isfinite(loss[t]):
            return StudentRun(w_perp=w_perp[:t + 1], loss=loss[:t + 1], W=W, b=b, a=a)
        weighted = residual * weights
        dz = (1.0 - hidden ** 2) * a[:, None] * weighted      # ∂f/∂z at every node
        grad_a = hidden @ weighted
        W = W - lr * (dz @ x.T + 2.0 * lam * W)
        b = b - lr * dz.sum(axis=1)
        a = a - lr * grad_a
