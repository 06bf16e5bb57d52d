r"""Full-batch gradient descent on deep linear networks with whitened inputs (Saxe et al. 2014).

Task: inputs whitened exactly, :math:`X = I` (:math:`P = N_1` examples :math:`x^\mu = e_\mu`), so
:math:`\Sigma^{11} = I` and the targets are the columns of
:math:`\Sigma^{31} = U S V^\top` (:func:`whitened_task`). The network
:math:`W_{\rm tot} = W^{n}\cdots W^{1}` (``n = N_l − 1`` weight matrices, widths
:math:`N_1, \dots, N_{N_l}`) is trained on the summed loss
:math:`E = \frac12\sum_\mu\lVert y^\mu - W_{\rm tot}x^\mu\rVert^2 = \frac12\lVert\Sigma^{31} - W_{\rm tot}\rVert_F^2`
by simultaneous updates of every layer,

.. math::

    W^l \leftarrow W^l + \eta\,(W^{n}\cdots W^{l+1})^\top\,(\Sigma^{31} - W_{\rm tot})\,(W^{l-1}\cdots W^{1})^\top,

which is the gradient flow :math:`\tau\dot W = -\partial E/\partial W` with :math:`\tau = 1/\eta`
at first order in :math:`\eta`. Mode strengths :math:`u_\alpha = u_\alpha^\top W_{\rm tot} v_\alpha`
are recorded along the way.

Initialisations: :func:`decoupled_init` (the balanced decoupled manifold of the exact
solutions: :math:`W^l = R_{l+1} D R_l^\top`, :math:`R_1 = V`, :math:`R_{N_l} = U`, hidden
:math:`R_l` random orthogonal, every active mode with per-layer weight :math:`u_0^{1/n}`),
:func:`gaussian_init` (i.i.d. :math:`\mathcal N(0, \sigma^2)`) and :func:`orthogonal_init`
(scaled random (semi-)orthogonal layers: the product of square ones is orthogonal,
Saxe et al.'s *dynamical isometry*).

Backends. ``numpy`` is the reference loop. With the small matrices of these experiments
(widths 8–32) a step is a dozen tiny matrix products, and Python/NumPy call overhead is the
cost; ``numba`` runs the whole loop in one compiled kernel (:func:`_kernel`) over the true
widths, in preallocated buffers. Measured per step at widths 8–16–8 on one core: 1.3 µs
against 11 µs (8.6×) for N_l = 3, 7.8 µs against 25 µs (3.2×) for N_l = 6
(``benchmarks/deep_linear.py``); results agree to ~1e-13. ``cupy`` runs the NumPy loop on
the GPU namespace (useful only for wide layers).

References
----------
A. M. Saxe, J. L. McClelland, S. Ganguli, ICLR 2014, arXiv:1312.6120.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from simulate._validate import check_int, check_real, check_rng, fail
from simulate.backend import array_namespace, resolve_backend, to_numpy

__all__ = [
    "WhitenedTask",
    "DeepLinearRun",
    "whitened_task",
    "random_orthogonal",
    "decoupled_init",
    "gaussian_init",
    "orthogonal_init",
    "train_deep_linear",
    "balance_matrices",
    "crossing_times",
]


@dataclass(frozen=True, eq=False)
class WhitenedTask:
    """A whitened regression task :math:`\\Sigma^{31} = U S V^\\top`.

    Attributes
    ----------
    sigma31 : numpy.ndarray, shape (N_out, N_in)
        Input–output correlation (the targets of the inputs :math:`e_\\mu`).
    singular_values : numpy.ndarray, shape (K,)
        Active singular values :math:`s_1 \\ge \\dots \\ge s_K > 0`.
    left_vectors : numpy.ndarray, shape (N_out, K)
        :math:`u_1, \\dots, u_K`.
    right_vectors : numpy.ndarray, shape (N_in, K)
        :math:`v_1, \\dots, v_K`.
    """

    sigma31: np.ndarray
    singular_values: np.ndarray
    left_vectors: np.ndarray
    right_vectors: np.ndarray


@dataclass(frozen=True, eq=False)
class DeepLinearRun:
    """Output of :func:`train_deep_linear`.

    Attributes
    ----------
    steps : numpy.ndarray of int, shape (T,)
        Step counts of the records (0, ``record_every``, ..., and the last step).
    mode_strengths : numpy.ndarray, shape (T, K)
        :math:`u_\\alpha^\\top W_{\\rm tot} v_\\alpha` at each record.
    loss : numpy.ndarray, shape (T,)
        :math:`\\frac12\\lVert\\Sigma^{31} - W_{\\rm tot}\\rVert_F^2` at each record.
    weights : tuple of numpy.ndarray
        Final weights :math:`W^1, \\dots, W^n`.
    reached_target : bool
        True when ``target_loss`` was given and reached (training stopped there).
    """

    steps: np.ndarray
    mode_strengths: np.ndarray
    loss: np.ndarray
    weights: tuple
    reached_target: bool


# ---------------------------------------------------------------------- tasks and inits

def random_orthogonal(size: int, rng: np.random.Generator) -> np.ndarray:
    """A Haar-random ``size × size`` orthogonal matrix (QR of a Gaussian with the sign fix)."""
    size = check_int("size", size, low=1)
    q, r = np.linalg.qr(check_rng(rng).standard_normal((size, size)))
    return q * np.sign(np.diagonal(r))


def whitened_task(singular_values, n_in: int, n_out: int, rng: np.random.Generator) -> WhitenedTask:
    """:math:`\\Sigma^{31} = U S V^\\top` with Haar-random ``U`` (``n_out``²) and ``V`` (``n_in``²).

    Parameters
    ----------
    singular_values : array_like, shape (K,)
        Active singular values, positive and in decreasing order; ``K <= min(n_in, n_out)``.
        The remaining singular values are 0.
    n_in, n_out : int
        Input and output widths.
    rng : numpy.random.Generator
    """
    s = np.atleast_1d(np.asarray(singular_values, dtype=float))
    n_in, n_out = check_int("n_in", n_in, low=1), check_int("n_out", n_out, low=1)
    if s.ndim != 1 or s.size > min(n_in, n_out) or np.any(s <= 0) or np.any(np.diff(s) > 0):
        fail("singular_values", singular_values,
             f"positive, decreasing, at most min(n_in, n_out) = {min(n_in, n_out)} of them")
    u = random_orthogonal(n_out, rng)[:, : s.size]
    v = random_orthogonal(n_in, rng)[:, : s.size]
    return WhitenedTask((u * s) @ v.T, s, u, v)


def _widths(widths) -> tuple[int, ...]:
    widths = tuple(widths)
    if len(widths) < 2:
        fail("widths", widths, "a sequence of at least 2 layer widths (input first)")
    return tuple(check_int("widths", w, low=1) for w in widths)


def decoupled_init(task: WhitenedTask, widths, u0, rng: np.random.Generator) -> list[np.ndarray]:
    """Weights on the balanced decoupled manifold with initial mode strengths ``u0``.

    :math:`W^l = R_{l+1} D_l R_l^\\top` with :math:`R_1 = V`, :math:`R_{N_l} = U` (completed
    to orthogonal matrices) and Haar-random hidden :math:`R_l`; :math:`D_l` is zero except
    :math:`(D_l)_{\\alpha\\alpha} = u_{0,\\alpha}^{1/n}` on the ``K`` active modes, so every mode
    starts balanced with product ``u0``.

    Parameters
    ----------
    task : WhitenedTask
    widths : sequence of int
        :math:`N_1, \\dots, N_{N_l}`; ``widths[0]`` and ``widths[-1]`` must match the task, and
        every hidden width must be ``>= K``.
    u0 : float or array_like, shape (K,)
        Initial strengths, > 0.
    rng : numpy.random.Generator
    """
    widths = _widths(widths)
    k = task.singular_values.size
    if widths[0] != task.right_vectors.shape[0] or widths[-1] != task.left_vectors.shape[0] \
            or min(widths) < k:
        fail("widths", widths, f"input {task.right_vectors.shape[0]}, output "
             f"{task.left_vectors.shape[0]}, every width >= {k} (the number of modes)")
    u0 = np.broadcast_to(np.asarray(u0, dtype=float), (k,))
    if np.any(~np.isfinite(u0)) or np.any(u0 <= 0):
        fail("u0", u0, "> 0")
    n = len(widths) - 1
    rotations = [_complete(task.right_vectors, rng)]
    rotations += [random_orthogonal(w, rng) for w in widths[1:-1]]
    rotations.append(_complete(task.left_vectors, rng))
    layer = u0 ** (1.0 / n)
    weights = []
    for l in range(n):
        d = np.zeros((widths[l + 1], widths[l]))
        d[np.arange(k), np.arange(k)] = layer
        weights.append(rotations[l + 1] @ d @ rotations[l].T)
    return weights


def _complete(columns: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An orthogonal matrix whose first columns are the orthonormal ``columns``."""
    size, k = columns.shape
    rest = rng.standard_normal((size, size - k))
    rest -= columns @ (columns.T @ rest)
    q, _ = np.linalg.qr(rest) if size > k else (np.zeros((size, 0)), None)
    return np.hstack([columns, q])


def gaussian_init(widths, std: float, rng: np.random.Generator) -> list[np.ndarray]:
    """I.i.d. :math:`\\mathcal N(0, \\sigma^2)` weights (``std`` = :math:`\\sigma`) for every layer."""
    widths = _widths(widths)
    std = check_real("std", std, low=0.0, closed_low=False)
    rng = check_rng(rng)
    return [std * rng.standard_normal((widths[l + 1], widths[l])) for l in range(len(widths) - 1)]


def orthogonal_init(widths, gain: float, rng: np.random.Generator) -> list[np.ndarray]:
    """``gain`` times Haar (semi-)orthogonal layers: orthonormal rows or columns, whichever fit.

    With equal widths the product of ``n`` layers is ``gain**n`` times an orthogonal matrix:
    every singular value of the input–output map equals ``gain**n``.
    """
    widths = _widths(widths)
    gain = check_real("gain", gain, low=0.0, closed_low=False)
    rng = check_rng(rng)
    layers = []
    for l in range(len(widths) - 1):
        rows, cols = widths[l + 1], widths[l]
        q = random_orthogonal(max(rows, cols), rng)[:rows, :cols]
        layers.append(gain * q)
    return layers


# ---------------------------------------------------------------------------- training

def balance_matrices(weights) -> list[np.ndarray]:
    """:math:`W^{l+1\\top}W^{l+1} - W^l W^{l\\top}` for each pair of layers: constant under gradient flow.

    Under GD with step :math:`\\eta` they drift by :math:`O(\\eta^2)` per step (for two layers
    exactly :math:`\\eta^2(W^{21}R^\\top R W^{21\\top} - W^{32\\top}R R^\\top W^{32})`), i.e.
    :math:`O(\\eta)` per unit time; on the balanced decoupled manifold they stay 0.
    """
    weights = [np.asarray(w, dtype=float) for w in weights]
    return [weights[l + 1].T @ weights[l + 1] - weights[l] @ weights[l].T
            for l in range(len(weights) - 1)]


def _check_weights(weights, task: WhitenedTask) -> list[np.ndarray]:
    weights = [np.asarray(w, dtype=float) for w in weights]
    shapes = [w.shape for w in weights]
    ok = (len(weights) >= 1 and all(w.ndim == 2 for w in weights)
          and all(weights[l + 1].shape[1] == weights[l].shape[0] for l in range(len(weights) - 1))
          and weights[0].shape[1] == task.sigma31.shape[1]
          and weights[-1].shape[0] == task.sigma31.shape[0])
    if not ok:
        fail("weights", shapes, f"a chain of matrices from {task.sigma31.shape[1]} inputs to "
             f"{task.sigma31.shape[0]} outputs")
    return weights


def train_deep_linear(weights, task: WhitenedTask, learning_rate: float, n_steps: int, *,
                      record_every: int = 1, target_loss: float | None = None,
                      backend: str = "numpy") -> DeepLinearRun:
    """Full-batch GD on :math:`\\frac12\\lVert\\Sigma^{31} - W^n\\cdots W^1\\rVert_F^2` from ``weights``.

    Parameters
    ----------
    weights : sequence of array_like
        Initial :math:`W^1, \\dots, W^n` (``W^1`` has ``N_in`` columns, ``W^n`` ``N_out`` rows).
    task : WhitenedTask
    learning_rate : float
        :math:`\\eta > 0` (:math:`\\tau = 1/\\eta`).
    n_steps : int
        Steps to run (fewer when ``target_loss`` is reached).
    record_every : int
        Record mode strengths and loss every this many steps (and at the last step).
    target_loss : float, optional
        Stop at the first step whose loss is ``<= target_loss``.
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    DeepLinearRun
    """
    weights = _check_weights(weights, task)
    eta = check_real("learning_rate", learning_rate, low=0.0, closed_low=False)
    n_steps = check_int("n_steps", n_steps, low=0)
    every = check_int("record_every", record_every, low=1)
    target = -1.0 if target_loss is None else check_real("target_loss", target_loss, low=0.0)
    backend = resolve_backend(backend)
    if backend == "numba":
        return _train_numba(weights, task, eta, n_steps, every, target)
    xp = array_namespace(backend)
    layers = [xp.asarray(w) for w in weights]
    sigma31 = xp.asarray(task.sigma31)
    left, right = xp.asarray(task.left_vectors), xp.asarray(task.right_vectors)
    steps, strengths, losses = [], [], []
    reached = False
    for step in range(n_steps + 1):
        below = [None] * len(layers)  # W^{l−1}⋯W^1 (None: identity)
        for l in range(1, len(layers)):
            below[l] = layers[l - 1] if l == 1 else layers[l - 1] @ below[l - 1]
        total = layers[-1] if below[-1] is None else layers[-1] @ below[-1]
        residual = sigma31 - total
        loss = 0.5 * float(xp.sum(residual * residual))
        reached = loss <= target
        if step % every == 0 or step == n_steps or reached:
            steps.append(step)
            strengths.append(to_numpy(xp.sum(left * (total @ right), axis=0)))
            losses.append(loss)
        if step == n_steps or reached:
            break
        above = residual  # (W^n⋯W^{l+1})ᵀ R, built from the top down
        updates = []
        for l in range(len(layers) - 1, -1, -1):
            grad = above if below[l] is None else above @ below[l].T
            updates.append(grad)
            above = layers[l].T @ above
        for l, grad in zip(range(len(layers) - 1, -1, -1), updates):
            layers[l] = layers[l] + eta * grad
    return DeepLinearRun(np.array(steps), np.array(strengths), np.array(losses),
                         tuple(to_numpy(w) for w in layers), bool(reached))


@functools.cache
def _kernel():
    """The compiled GD loop (built on first use, so that numba is imported only here).

    Layers are stored zero-padded in one ``(n, width, width)`` array and ``dims`` holds the
    true widths; every product runs over the true dimensions into preallocated buffers (at
    widths 8–32 allocation and call overhead, not flops, are the cost of a step).
    """
    import numba

    @numba.njit(cache=True)
    def kernel(layers, dims, sigma31, left, right, eta, n_steps, every, target,
               steps, strengths, losses):
        n, width, _ = layers.shape
        d0, dn = dims[0], dims[n]
        below = np.zeros((n, width, width))  # below[l] = W^l ⋯ W^1 (dims[l] × d0), below[0] = I
        grads = np.zeros((n, width, width))
        above = np.zeros((2, width, width))
        total = np.zeros((width, width))
        for i in range(d0):
            below[0, i, i] = 1.0
        count = 0
        reached = False
        for step in range(n_steps + 1):
            # Inner loops run along contiguous rows (they vectorise).
            for l in range(1, n + 1):
                out = total if l == n else below[l]
                for i in range(dims[l]):
                    for j in range(d0):
                        out[i, j] = layers[0, i, j] if l == 1 else 0.0
                    if l == 1:
                        continue  # W^1 · I
                    for k in range(dims[l - 1]):
                        w = layers[l - 1, i, k]
                        for j in range(d0):
                            out[i, j] += w * below[l - 1, k, j]
            loss = 0.0
            for i in range(dn):
                for j in range(d0):
                    r = sigma31[i, j] - total[i, j]
                    above[0, i, j] = r
                    loss += r * r
            loss *= 0.5
            reached = loss <= target
            if step % every == 0 or step == n_steps or reached:
                steps[count] = step
                for a in range(left.shape[1]):
                    acc = 0.0
                    for i in range(dn):
                        for j in range(d0):
                            acc += left[i, a] * total[i, j] * right[j, a]
                    strengths[count, a] = acc
                losses[count] = loss
                count += 1
            if step == n_steps or reached:
                break
            cur = 0
            for l in range(n - 1, -1, -1):
                # grad^l = above · below[l]ᵀ, then above ← W^lᵀ · above
                for i in range(dims[l + 1]):
                    for k in range(dims[l]):
                        if l == 0:
                            grads[0, i, k] = above[cur, i, k]  # · I
                            continue
                        acc = 0.0
                        for j in range(d0):
                            acc += above[cur, i, j] * below[l, k, j]
                        grads[l, i, k] = acc
                if l > 0:
                    for k in range(dims[l]):
                        for j in range(d0):
                            above[1 - cur, k, j] = 0.0
                    for i in range(dims[l + 1]):
                        for k in range(dims[l]):
                            w = layers[l, i, k]
                            for j in range(d0):
                                above[1 - cur, k, j] += w * above[cur, i, j]
                    cur = 1 - cur
            for l in range(n):
                for i in range(dims[l + 1]):
                    for k in range(dims[l]):
                        layers[l, i, k] += eta * grads[l, i, k]
        return count, reached

    return kernel


def _train_numba(weights, task, eta, n_steps, every, target) -> DeepLinearRun:
    """``train_deep_linear`` for ``backend="numba"``: the layers zero-padded to one width."""
    dims = np.array([weights[0].shape[1]] + [w.shape[0] for w in weights], dtype=np.int64)
    width = int(dims.max())
    padded = np.zeros((len(weights), width, width))
    for l, w in enumerate(weights):
        padded[l, : w.shape[0], : w.shape[1]] = w
    records = n_steps // every + 2
    steps = np.zeros(records, dtype=np.int64)
    strengths = np.zeros((records, task.left_vectors.shape[1]))
    losses = np.zeros(records)
    count, reached = _kernel()(padded, dims, np.ascontiguousarray(task.sigma31),
                               np.ascontiguousarray(task.left_vectors),
                               np.ascontiguousarray(task.right_vectors), eta, n_steps, every, target,
                               steps, strengths, losses)
    final = tuple(padded[l, : w.shape[0], : w.shape[1]].copy() for l, w in enumerate(weights))
    return DeepLinearRun(steps[:count], strengths[:count], losses[:count], final, bool(reached))


# --------------------------------------------------------------------------- read-outs

def crossing_times(steps, strengths, levels) -> np.ndarray:
    """First step at which each mode's strength reaches its level, linearly interpolated.

    Parameters
    ----------
    steps : array_like, shape (T,)
        Step counts of the records (increasing).
    strengths : array_like, shape (T, K)
        Recorded mode strengths.
    levels : array_like, shape (K,)
        One level per mode (for example ``s/2`` for the half-learning time).

    Returns
    -------
    numpy.ndarray, shape (K,)
        Fractional step counts; ``nan`` for a mode that never reached its level.
    """
    steps = np.asarray(steps, dtype=float)
    strengths = np.asarray(strengths, dtype=float)
    levels = np.broadcast_to(np.asarray(levels, dtype=float), strengths.shape[1:])
    out = np.full(levels.shape, np.nan)
    for a, level in enumerate(levels):
        above = np.nonzero(strengths[:, a] >= level)[0]
        if above.size == 0:
            continue
        k = above[0]
        if k == 0:
            out[a] = steps[0]
            continue
        lo, hi = strengths[k - 1, a], strengths[k, a]
        out[a] = steps[k - 1] + (level - lo) / (hi - lo) * (steps[k] - steps[k - 1])
    return out
