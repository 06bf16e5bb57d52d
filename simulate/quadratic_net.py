r"""Full-batch gradient descent on the quadratic network of the teacher's width (note §10).

The student has the teacher's architecture (width ``m``, quadratic activation, second layer
all ones, centred like the teacher), so that in matrix form

.. math::

    f_W(x) = \frac{1}{\sqrt m}\sum_{k=1}^m \Big[\frac{(w_k\cdot x)^2}{d}
             - \frac{\lVert w_k\rVert^2}{d}\Big] = \operatorname{Tr}[Z(x) S_W] = A(S_W),
    \qquad S_W = \frac{W^\top W}{\sqrt{m d}} ,

and the squared training loss and its gradient are

.. math::

    L(W) = \frac{1}{2n}\lVert A(S_W) - y\rVert^2, \qquad
    \nabla_W L = \frac{2}{\sqrt{m d}}\, W\, G, \qquad G = \frac1n A^\top\!\big(A(S_W) - y\big).

Both products reuse :func:`simulate.gamp_rie.sensing_operator` and its adjoint (two
O(n d²) products per step). The error is measured in the S*-scale (note §9):
``M_W = (1/d)‖S_W − S*‖²_F``; a posterior sample would have error 2M, and the empirical
claim of Maillard et al. (2024) is that GD lands near 2M and that averaging ``S_W`` over
initialisations ("averaged GD") lands near the Bayes error M.

The note describes the paper's student as "quadratic activation without centring". An
uncentred student, ``f_W(x) = Tr[Z(x) S_W] + Tr(S_W)/√d``, adds one more linear function of
``S_W``, fitted to the label mean; the centred form is used here so that the student is
exactly the teacher's model and the loss is the sensing-operator least squares.

Step size. GD on ``W`` moves ``S_W`` by ``−(2η/√(md))(G S_W + S_W G)``, a preconditioned
gradient step on the quadratic loss in ``S`` whose Hessian ``AᵀA/n`` has top eigenvalue
``≈ (2/d)(1 + √(D/n))²``, ``D = d(d+1)/2`` (Marchenko–Pastur edge; each entry of ``A`` in an
orthonormal basis of symmetric matrices has variance 2/d). The preconditioner has norm
``≤ 4‖S_W‖/√(md)``, so the Gauss–Newton stability limit is

.. math::  η_{max} = \frac{d\sqrt{m d}}{4\,\lVert S_{W^0}\rVert_{op}\,(1 + \sqrt{D/n})^2},

and we step with ``η = lr · η_max`` (default ``lr = 1``; the bound is conservative, runs at
d = 30–60 were still monotone at ``lr = 1.9``). A step that does not decrease the loss is
rejected and η halved, so the rule stays stable when ``‖S_W‖`` grows or the residual term of
the Hessian matters. The step size slightly changes which interpolator GD finds (a
per-entry error lower by ~0.02 at ``lr = 1.9`` than at ``0.5``, d = 60, α = 0.2): keep ``lr``
fixed across a comparison.

Backends. ``numpy`` is the reference (the shared sensing operator, array API; ``cupy`` runs
the same code). At the claim's sizes (d = 24–60, κ = 0.5, α = 0.1–0.3, n ≈ 60–1000) a step is
a dozen small calls and Python/NumPy per-call overhead, not flops, dominates at small d
(d = 24: 73 µs per loss-and-gradient, 23 µs of it in the matrix products). ``numba`` therefore
runs the whole loop, accept/reject and stopping rule included, in one compiled kernel
(:func:`_train_gd_loop`, compiled on first use by :func:`_train_gd_kernel`), which also
evaluates ``A(S_W)`` and ``W Aᵀ(r)`` through ``V = X Wᵀ`` (two O(n m d) BLAS products
instead of O(n d²)). Measured (one BLAS thread, best of 5 after warm-up, α = 0.2, per
accepted step): d = 24, 75 → 8.3 µs (9.0×); d = 40, 144 → 43 µs (3.4×); d = 60, 409 →
199 µs (2.1×); 7–13× at d = 24 and 2.0–2.5× at d = 60 over α = 0.1–0.3.
Compilation costs ≈ 5 s on the first call, ≈ 0.3 s to load from the cache
afterwards. Same seed, the two agree on the step count, η and every accepted/rejected step;
``S_W`` and the error to ~1e-15 relative, the loss trajectory to ~1e-11.

References
----------
A. Maillard, E. Troiani, S. Martin, F. Krzakala, L. Zdeborová (2024), NeurIPS,
arXiv:2408.03733 (the gradient-descent experiments; note gamp_rie.md §10).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import array_api_compat
import numpy as np

from simulate.backend import resolve_backend, to_numpy
from simulate._validate import check_int as _check_int
from simulate._validate import check_real as _check_real
from simulate._validate import check_rng as _check_rng
from simulate.errors import DivergenceError
from simulate.quadratic_teacher import (
    QuadraticTeacherData,
    _check_design,
    _to_backend,
    sensing_adjoint,
    sensing_operator,
)

TOL = 1e-6
"""Default stop: ``L < TOL · L(W⁰)``. GD converges linearly near an interpolator, each factor 10
in the loss costing ~20% of the steps; from 10⁻⁸ to 10⁻⁶ the steps fall by 35–40% (d = 24–40,
α = 0.1–0.2, 3 teachers × 3 initialisations, numba) and every error moves by ≤ 2.4·10⁻³
(≤ 0.3% of it; the claim's tolerance is 30%)."""
MAX_HALVINGS = 60
"""Consecutive rejected steps (η halved each time) after which training stops (η/2⁶⁰ is no step)."""


@dataclass(frozen=True, eq=False)
class GdResult:
    """Output of :func:`train_gd`.

    Attributes
    ----------
    S_W : numpy.ndarray, shape (d, d)
        ``WᵀW/√(m d)`` at the end (host array).
    W : numpy.ndarray, shape (m, d)
        Final weights.
    loss_trajectory : numpy.ndarray
        ``L(W)`` at the start and after every accepted step.
    steps : int
        Accepted steps.
    converged : bool
        True when ``L < tol · L(W⁰)`` was reached. False after ``max_steps``, or when GD
        stalled: no step decreases the loss even after ``MAX_HALVINGS`` halvings of η (a
        stationary point to machine precision, such as a spurious local minimum).
    learning_rate : float
        The step η in use at the end (after any halvings).
    """

    S_W: np.ndarray
    W: np.ndarray
    loss_trajectory: np.ndarray
    steps: int
    converged: bool
    learning_rate: float


@dataclass(frozen=True, eq=False)
class GdErrors:
    """Output of :func:`gd_errors`: errors ``(1/d)‖S − S*‖²_F`` (S*-scale).

    Attributes
    ----------
    errors : numpy.ndarray, shape (n_inits,)
        One per initialisation.
    averaged_error : float
        Error of the average of the ``S_W`` over initialisations ("averaged GD").
    steps : numpy.ndarray of int
    converged : numpy.ndarray of bool
    final_losses : numpy.ndarray
        Training loss at the end of each run.
    """

    errors: np.ndarray
    averaged_error: float
    steps: np.ndarray
    converged: np.ndarray
    final_losses: np.ndarray


def stable_learning_rate(n: int, d: int, m: int, S_norm: float) -> float:
    r"""Gauss–Newton stability limit ``d√(md) / (4 ‖S‖_op (1 + √(D/n))²)``, ``D = d(d+1)/2``."""
    D = d * (d + 1) / 2
    return d * math.sqrt(m * d) / (4.0 * S_norm * (1.0 + math.sqrt(D / n)) ** 2)


def loss_and_gradient(X, y, W) -> tuple[float, object]:
    r"""Training loss ``L(W) = (1/2n)‖A(S_W) − y‖²`` and its gradient ``(2/(n√(md))) W Aᵀ(A(S_W) − y)``.

    Parameters
    ----------
    X : array, shape (n, d)
    y : array, shape (n,)
    W : array, shape (m, d)
        All three in one array namespace.

    Returns
    -------
    loss : float
    grad : array, shape (m, d)
    """
    xp = array_api_compat.array_namespace(X, y, W)
    n = X.shape[0]
    scale = 1.0 / math.sqrt(W.shape[0] * W.shape[1])
    r = sensing_operator(X, scale * (W.T @ W)) - y
    loss = float(xp.sum(r * r)) / (2 * n)
    return loss, (2.0 * scale / n) * (W @ sensing_adjoint(X, r))


def train_gd(X, y, m: int, rng: np.random.Generator, *, lr: float = 1.0,
             max_steps: int = 20_000, tol: float = TOL, backend: str = "numpy") -> GdResult:
    r"""Full-batch GD on ``L(W) = (1/2n)‖A(WᵀW/√(md)) − y‖²`` from ``W⁰`` i.i.d. N(0, 1).

    Parameters
    ----------
    X : array, shape (n, d)
    y : array, shape (n,)
    m : int
        Student width, ``>= 1``.
    rng : numpy.random.Generator
        Draws ``W⁰`` (on the host, so every backend starts from the same point).
    lr : float
        Step as a fraction of the stability limit :func:`stable_learning_rate`, in (0, 2).
    max_steps : int
        Accepted steps at most.
    tol : float
        Stop when ``L < tol · L(W⁰)`` (default :data:`TOL`).
    backend : {"numpy", "numba", "cupy", "auto"}
        ``numba`` runs the whole loop in one compiled kernel (:func:`_train_gd_loop`, via
        :func:`_train_gd_kernel`), which agrees with the ``numpy`` reference to rounding (module Notes).

    Returns
    -------
    GdResult

    Raises
    ------
    DivergenceError
        When the initial loss is non-finite, or the loss stays non-finite after η was halved
        ``MAX_HALVINGS`` times in a row.
    """
    m = _check_int("m", m, low=1)
    _check_rng(rng)
    lr = _check_real("lr", lr, low=0.0, high=2.0, closed_low=False, closed_high=False)
    max_steps = _check_int("max_steps", max_steps, low=0)
    tol = _check_real("tol", tol, low=0.0)
    backend = resolve_backend(backend)
    _, (X, y) = _to_backend(backend, X, y)
    n, d = _check_design(X, y)
    W0 = rng.standard_normal((m, d))
    scale = 1.0 / math.sqrt(m * d)
    eta = lr * stable_learning_rate(n, d, m, float(np.linalg.norm(W0, 2)) ** 2 * scale)
    if backend == "numba":
        return _train_gd_numba(X, y, W0, eta, max_steps, tol)
    (W,) = _to_backend(backend, W0)[1]

    loss, grad = loss_and_gradient(X, y, W)
    if not math.isfinite(loss):
        raise DivergenceError(f"gradient descent diverged at step 0: initial loss {loss!r}")
    losses = [loss]
    target = tol * loss
    steps = halvings = 0
    while steps < max_steps and loss >= target:
        W_new = W - eta * grad
        loss_new, grad_new = loss_and_gradient(X, y, W_new)
        if not (math.isfinite(loss_new) and loss_new < loss):
            halvings += 1
            if halvings <= MAX_HALVINGS:
                eta *= 0.5
                continue
            if not math.isfinite(loss_new):
                raise DivergenceError(
                    f"gradient descent diverged at step {steps}: loss {loss_new!r} after "
                    f"{MAX_HALVINGS} halvings of the step")
            break  # a stationary point to machine precision (e.g. a spurious local minimum)
        halvings = 0
        W, loss, grad = W_new, loss_new, grad_new
        losses.append(loss)
        steps += 1
    return GdResult(S_W=to_numpy(scale * (W.T @ W)), W=to_numpy(W),
                    loss_trajectory=np.asarray(losses), steps=steps,
                    converged=bool(loss < target), learning_rate=eta)


# --------------------------------------------------------------------------------------
# Numba kernel (backend="numba"): the same loop as train_gd, compiled whole on first use
# (numba is imported only then, so importing this module stays light)


def _loss_and_gradient_loop(X, y, W, scale):
    r""":func:`loss_and_gradient` for NumPy arrays, through ``V = X Wᵀ`` (n × m).

    ``A(S_W)_μ = (scale‖V_μ‖² − scale‖W‖²_F)/√d`` and ``W Aᵀ(r) = (Vᵀ diag(r) X − (Σr) W)/√d``:
    the same quantities as the reference, in two O(n m d) products instead of O(n d²).
    """
    n, d = X.shape
    m = W.shape[0]
    sqrt_d = math.sqrt(d)
    V = X @ W.T
    trace_S = 0.0
    for k in range(m):
        for j in range(d):
            trace_S += W[k, j] * W[k, j]
    trace_S *= scale
    loss = 0.0
    sum_r = 0.0
    for mu in range(n):
        quad = 0.0
        for k in range(m):
            quad += V[mu, k] * V[mu, k]
        r = (scale * quad - trace_S) / sqrt_d - y[mu]
        loss += r * r
        sum_r += r
        for k in range(m):
            V[mu, k] *= r
    grad = V.T @ X
    c = 2.0 * scale / (n * sqrt_d)
    for k in range(m):
        for j in range(d):
            grad[k, j] = c * (grad[k, j] - sum_r * W[k, j])
    return loss / (2 * n), grad


def _train_gd_loop(X, y, W, eta, max_steps, tol, max_halvings):
    """The loop of :func:`train_gd`, step for step (compiled, it calls the compiled
    :func:`_loss_and_gradient_loop`). Returns ``(W, losses, steps, eta, status,
    last_loss)``; status 0: stopped normally, 1: initial loss non-finite, 2: diverged."""
    m, d = W.shape
    scale = 1.0 / math.sqrt(m * d)
    loss, grad = _loss_and_gradient_kernel(X, y, W, scale)
    losses = np.empty(min(max_steps, 1023) + 1)
    losses[0] = loss
    if not math.isfinite(loss):
        return W, losses[:1], 0, eta, 1, loss
    target = tol * loss
    steps = 0
    halvings = 0
    while steps < max_steps and loss >= target:
        W_new = W - eta * grad
        loss_new, grad_new = _loss_and_gradient_kernel(X, y, W_new, scale)
        if not (math.isfinite(loss_new) and loss_new < loss):
            halvings += 1
            if halvings <= max_halvings:
                eta *= 0.5
                continue
            if not math.isfinite(loss_new):
                return W, losses[:steps + 1], steps, eta, 2, loss_new
            break  # a stationary point to machine precision
        halvings = 0
        W, loss, grad = W_new, loss_new, grad_new
        steps += 1
        if steps == losses.shape[0]:
            grown = np.empty(2 * losses.shape[0])
            grown[:steps] = losses
            losses = grown
        losses[steps] = loss
    return W, losses[:steps + 1], steps, eta, 0, loss


_loss_and_gradient_kernel = _loss_and_gradient_loop
"""What :func:`_train_gd_loop` calls: the Python function, replaced by its compiled version in
:func:`_train_gd_kernel` before the loop is compiled (Numba resolves the global then)."""


@functools.cache
def _train_gd_kernel():
    """:func:`_train_gd_loop` compiled by Numba (cached on disk); numba is imported only here."""
    import numba

    global _loss_and_gradient_kernel
    _loss_and_gradient_kernel = numba.njit(cache=True)(_loss_and_gradient_loop)
    return numba.njit(cache=True)(_train_gd_loop)


def _train_gd_numba(X, y, W0, eta, max_steps, tol) -> GdResult:
    """``train_gd`` for ``backend="numba"`` (arguments checked, ``W0`` drawn, step ``eta`` set)."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    y = np.ascontiguousarray(y, dtype=np.float64)
    W0 = np.ascontiguousarray(W0, dtype=np.float64)
    m, d = W0.shape
    scale = 1.0 / math.sqrt(m * d)
    W, losses, steps, eta, status, last = _train_gd_kernel()(
        X, y, W0, float(eta), int(max_steps), float(tol), MAX_HALVINGS)
    if status == 1:
        raise DivergenceError(f"gradient descent diverged at step 0: initial loss {last!r}")
    if status == 2:
        raise DivergenceError(
            f"gradient descent diverged at step {steps}: loss {last!r} after "
            f"{MAX_HALVINGS} halvings of the step")
    losses = losses.copy()
    return GdResult(S_W=scale * (W.T @ W), W=W, loss_trajectory=losses, steps=int(steps),
                    converged=bool(losses[-1] < tol * losses[0]), learning_rate=float(eta))


def gd_errors(data: QuadraticTeacherData, n_inits: int, rng: np.random.Generator, *,
              lr: float = 1.0, max_steps: int = 20_000, tol: float = TOL,
              backend: str = "numpy") -> GdErrors:
    r"""GD from ``n_inits`` initialisations on one data set; single-run and averaged errors.

    .. math::

        M_i = \frac1d\lVert S_{W_i} - S^*\rVert_F^2, \qquad
        M_{avg} = \frac1d\Big\lVert \frac1{n_{inits}}\sum_i S_{W_i} - S^*\Big\rVert_F^2
                = \overline{M_i} - \frac1{d\,n_{inits}}\sum_i\lVert S_{W_i} - \bar S\rVert_F^2 .

    Each initialisation gets its own stream from ``rng.spawn``, so results do not depend on
    the order in which runs are made. Parameters as in :func:`train_gd`; the student width is
    the teacher's, ``data.m``.
    """
    if not isinstance(data, QuadraticTeacherData):
        raise ValueError(f"data={type(data).__name__} is out of range: must be a QuadraticTeacherData")
    n_inits = _check_int("n_inits", n_inits, low=1)
    _check_rng(rng)
    S_star = to_numpy(data.S_star)
    runs = [train_gd(data.X, data.y, data.m, child, lr=lr, max_steps=max_steps, tol=tol,
                     backend=backend) for child in rng.spawn(n_inits)]
    d = S_star.shape[0]
    S_mean = np.mean([run.S_W for run in runs], axis=0)
    return GdErrors(
        errors=np.array([np.sum((run.S_W - S_star) ** 2) / d for run in runs]),
        averaged_error=float(np.sum((S_mean - S_star) ** 2) / d),
        steps=np.array([run.steps for run in runs]),
        converged=np.array([run.converged for run in runs]),
        final_losses=np.array([run.loss_trajectory[-1] for run in runs]),
    )
