r"""Online SGD of a soft committee machine on a teacher committee (Saad & Solla 1995).

Teacher weights :math:`B \in \mathbb R^{M\times N}`, student :math:`W \in \mathbb R^{K\times N}`,
activation :math:`g(x) = \mathrm{erf}(x/\sqrt2)`, outputs without 1/K. One step draws a
fresh :math:`\xi \sim N(0, I_N)` and updates

.. math::

    \lambda = W\xi/\sqrt N,\quad \nu = B\xi/\sqrt N,\quad
    \delta_i = g'(\lambda_i)\Big(\sum_n g(\nu_n) - \sum_j g(\lambda_j)\Big),\quad
    W \leftarrow W + \frac{\eta}{\sqrt N}\,\delta\,\xi^\top ,

with :math:`g'(x) = \sqrt{2/\pi}\,e^{-x^2/2}`; time :math:`t` = steps/N. The measurements are
the overlaps :math:`Q = WW^\top/N` and :math:`R = WB^\top/N` at the requested times (the
generalisation error is a closed function of them, :mod:`theory.committee`).

:func:`committee_weights` builds teacher and student with *exactly* prescribed overlaps, so
that every seed starts from the ODE's initial condition: with :math:`L` a square root of the
Gram matrix :math:`[[T, R_0^\top], [R_0, Q_0]]` (symmetric eigendecomposition, which also
handles a singular Gram matrix) and :math:`O` an :math:`N\times(M+K)` matrix with orthonormal
columns (QR of a Gaussian matrix), the rows of :math:`\sqrt N\,L O^\top` are :math:`(B; W_0)`.

Backends. ``numpy`` is the reference: one small vector step after another. At the claim's
sizes (K = M = 2, N = 300–1000, 10⁵–2·10⁵ steps per run) a step is a dozen NumPy calls on
vectors of length N, and their per-call overhead, not arithmetic, is the cost; ``numba`` runs
the steps of each block of inputs in one compiled kernel (:func:`_sgd_kernel`). Inputs are
drawn on the host from ``rng`` in blocks (a block of shape (n, N) holds the same numbers as
n successive draws of N), so both backends see the same inputs and agree to rounding.
A per-sample loop over N-vectors has nothing for a GPU to do: ``cupy`` runs the ``numba``
kernel. Measured speed-up: ``benchmarks/committee_sgd.py``.

References
----------
D. Saad, S. A. Solla (1995), Phys. Rev. E 52, 4225. S. Goldt et al. (2019), arXiv:1906.08632.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy.special import erf

from simulate._validate import check_int, check_real, check_rng
from simulate.backend import resolve_backend
from simulate.errors import DivergenceError

__all__ = ["CommitteeRun", "committee_weights", "online_sgd"]

_BLOCK_STEPS = 256  # inputs drawn per call of the generator (and per kernel call)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


@dataclass(frozen=True, eq=False)
class CommitteeRun:
    """Output of :func:`online_sgd`.

    Attributes
    ----------
    times : numpy.ndarray, shape (n_times,)
        Requested times ``steps/N`` (the run stops at ``round(t·N)`` steps).
    Q : numpy.ndarray, shape (n_times, K, K)
        Student–student overlaps ``W Wᵀ/N`` at those times.
    R : numpy.ndarray, shape (n_times, K, M)
        Student–teacher overlaps ``W Bᵀ/N``.
    T : numpy.ndarray, shape (M, M)
        Teacher–teacher overlaps ``B Bᵀ/N`` (constant).
    """

    times: np.ndarray
    Q: np.ndarray
    R: np.ndarray
    T: np.ndarray


def _matrix(name: str, value, shape: tuple[int, ...] | None = None) -> np.ndarray:
    raw = np.asarray(value)
    arr = raw.astype(float) if raw.dtype.kind in "iuf" else None
    if arr is None or arr.ndim != 2 or not np.all(np.isfinite(arr)) or (shape and arr.shape != shape):
        _fail_array(name, raw, f"a finite real matrix{'' if not shape else ' of shape ' + str(shape)}")
    return arr


def _fail_array(name: str, value: np.ndarray, rule: str):
    """The one-line error of :func:`simulate._validate.fail` for an array (its shape, not its entries)."""
    raise ValueError(f"{name}=<array of shape {np.shape(value)}> is out of range: must be {rule}")


def committee_weights(Q0, R0, T, dim: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    r"""Teacher ``B`` (M × N) and student ``W0`` (K × N) with ``W0 W0ᵀ/N = Q0``, ``W0 Bᵀ/N = R0``,
    ``B Bᵀ/N = T`` exactly (to rounding); directions uniformly random.

    Parameters
    ----------
    Q0 : array_like, shape (K, K)
    R0 : array_like, shape (K, M)
    T : array_like, shape (M, M)
        ``[[T, R0ᵀ], [R0, Q0]]`` must be positive semi-definite.
    dim : int
        Input dimension ``N >= K + M``.
    rng : numpy.random.Generator

    Returns
    -------
    B, W0 : ndarray
    """
    T = _matrix("T", T)
    M = T.shape[0]
    Q0 = _matrix("Q0", Q0)
    K = Q0.shape[0]
    Q0 = _matrix("Q0", Q0, (K, K))
    R0 = _matrix("R0", R0, (K, M))
    dim = check_int("dim", dim, low=K + M)
    check_rng(rng)
    gram = np.block([[T, R0.T], [R0, Q0]])
    if not np.allclose(gram, gram.T, rtol=1e-12, atol=1e-14):
        _fail_array("Q0", Q0, "symmetric, with T symmetric")
    eigenvalues, vectors = np.linalg.eigh(gram)
    if eigenvalues[0] < -1e-10 * max(1.0, float(np.max(np.abs(gram)))):
        _fail_array("R0", R0, "such that [[T, R0ᵀ], [R0, Q0]] is positive semi-definite")
    root = vectors * np.sqrt(np.clip(eigenvalues, 0.0, None))
    basis, _ = np.linalg.qr(rng.standard_normal((dim, M + K)))
    rows = math.sqrt(dim) * root @ basis.T
    return rows[:M].copy(), rows[M:].copy()


def _record_steps(times, dim: int) -> tuple[np.ndarray, np.ndarray]:
    t = np.atleast_1d(np.asarray(times, dtype=float))
    if t.ndim != 1 or t.size == 0 or not np.all(np.isfinite(t)) or np.any(t < 0) or np.any(np.diff(t) < 0):
        _fail_array("times", t, "a non-empty, non-decreasing sequence of times >= 0")
    return t, np.rint(t * dim).astype(np.int64)


def _sgd_steps_numpy(W: np.ndarray, B: np.ndarray, inputs: np.ndarray, lr: float) -> None:
    """The reference: one SGD step per row of ``inputs``, updating ``W`` in place."""
    scale = 1.0 / math.sqrt(W.shape[1])
    root_half = 1.0 / math.sqrt(2.0)
    for xi in inputs:
        lam = (W @ xi) * scale
        nu = (B @ xi) * scale
        error = erf(nu * root_half).sum() - erf(lam * root_half).sum()
        delta = _SQRT_2_OVER_PI * np.exp(-0.5 * lam * lam) * error
        W += (lr * scale) * np.outer(delta, xi)


@functools.cache
def _sgd_kernel():
    """The compiled loop of :func:`_sgd_steps_numpy` (built on first use)."""
    import numba

    @numba.njit(cache=True)
    def kernel(W, B, inputs, lr):
        K, N = W.shape
        M = B.shape[0]
        scale = 1.0 / math.sqrt(N)
        root_half = 1.0 / math.sqrt(2.0)
        lam = np.empty(K)
        delta = np.empty(K)
        for s in range(inputs.shape[0]):
            xi = inputs[s]
            error = 0.0
            for n in range(M):
                acc = 0.0
                for j in range(N):
                    acc += B[n, j] * xi[j]
                error += math.erf(acc * scale * root_half)
            for i in range(K):
                acc = 0.0
                for j in range(N):
                    acc += W[i, j] * xi[j]
                lam[i] = acc * scale
                error -= math.erf(lam[i] * root_half)
            for i in range(K):
                delta[i] = lr * scale * _SQRT_2_OVER_PI * math.exp(-0.5 * lam[i] * lam[i]) * error
            for i in range(K):
                d = delta[i]
                for j in range(N):
                    W[i, j] += d * xi[j]

    return kernel


def online_sgd(B, W0, lr: float, times, rng: np.random.Generator, *,
               backend: str = "numpy") -> CommitteeRun:
    r"""Run online SGD from ``W0`` on the teacher ``B`` and record the overlaps at ``times``.

    Parameters
    ----------
    B : array_like, shape (M, N)
        Teacher weights.
    W0 : array_like, shape (K, N)
        Initial student weights (not modified).
    lr : float
        Learning rate η in (0, 10].
    times : array_like
        Non-decreasing times ``>= 0`` in units of N steps; the last one ends the run.
    rng : numpy.random.Generator
        Draws the inputs, in blocks of ``_BLOCK_STEPS`` (the same stream for every backend).
    backend : {"numpy", "numba", "cupy", "auto"}
        ``numpy``: the reference loop; ``numba`` (and ``cupy``): the compiled kernel.

    Returns
    -------
    CommitteeRun
    """
    B = _matrix("B", B)
    M, N = B.shape
    W = _matrix("W0", W0).copy()
    if W.shape[1] != N:
        _fail_array("W0", W, f"a K×{N} matrix (the teacher's input dimension)")
    lr = check_real("lr", lr, low=0.0, high=10.0, closed_low=False)
    t, record = _record_steps(times, N)
    check_rng(rng)
    backend = resolve_backend(backend)
    run_block = _sgd_steps_numpy if backend == "numpy" else _sgd_kernel()
    K = W.shape[0]
    Q = np.empty((t.size, K, K))
    R = np.empty((t.size, K, M))
    step = 0
    for k, target in enumerate(record):
        while step < target:
            n = min(_BLOCK_STEPS, int(target - step))
            run_block(W, B, rng.standard_normal((n, N)), lr)
            step += n
        if not np.all(np.isfinite(W)):
            raise DivergenceError(f"online SGD diverged before t = {t[k]:g} (lr = {lr:g})")
        Q[k] = W @ W.T / N
        R[k] = W @ B.T / N
    return CommitteeRun(times=t, Q=Q, R=R, T=B @ B.T / N)
