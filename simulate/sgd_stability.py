r"""Linearised mini-batch SGD at an interpolating minimum, simulated chain by chain.

At a minimum of the square loss the per-sample Hessians are :math:`H_i = g_ig_i^\top` (``g_i``
the rows of ``sample_gradients``), and SGD with learning rate :math:`\eta` moves the error by
:math:`\delta \leftarrow \delta - \eta P^{-1}H_{\mathcal B}\delta`, :math:`H_{\mathcal B} =
\frac1B\sum_{i\in\mathcal B}H_i`, with a fresh uniform ``B``-subset :math:`\mathcal B` of the
``n`` samples at every step and an optional frozen diagonal preconditioner :math:`P` (Adam's
:math:`\sqrt{v} + \epsilon` near a minimum; the identity for SGD). Every chain draws its own
batches; chains are independent.

Two measurements:

* :func:`linear_sgd_second_moment`: the mean over chains of :math:`\|\delta_t\|^2`,
  ``t = 0..steps``, an unbiased estimate of :math:`E\|\delta_t\|^2`. Keep ``steps`` short:
  the mean square is carried by rare trajectories, and over long horizons a finite sample
  misses them (the median path may decay while the mean square grows).
* :func:`stationary_learning_rate`: from :math:`\delta_0 \sim N(0, S)`, one step gives
  :math:`\delta_1^\top M\delta_1 = \delta_0^\top M\delta_0 - 2\eta\,a + \eta^2 b` with
  :math:`a = \delta_0^\top M P^{-1}H_{\mathcal B}\delta_0` and
  :math:`b = \|M^{1/2}P^{-1}H_{\mathcal B}\delta_0\|^2`, so the ``M``-weighted mean square is
  unchanged by one step at :math:`\hat\eta = 2\bar a/\bar b` (means over chains). When ``S`` is
  the critical mode of the mean-square map (and ``M`` its dual weight) this is the mean-square
  stability threshold; for any other ``S`` it is larger (a Rayleigh quotient), so an error in
  the mode enters only at second order.

Batch membership is a 0/1 mask, so :math:`H_{\mathcal B}\delta = \frac1B G^\top(\text{mask}
\odot G\delta)` is two matrix products whose cost does not depend on ``B``; chains are processed
in chunks that bound the memory. Every backend runs this same array code (``"numba"`` has no
loop to compile here; ``"cupy"`` moves the products to the GPU); the random numbers always come
from ``rng`` on the host, so backends see the same batches and starts.
"""

from __future__ import annotations

import numpy as np

from simulate._validate import check_int, check_real, check_rng, fail
from simulate.backend import array_namespace, resolve_backend, to_numpy

__all__ = ["batch_gradient_second_moment", "batch_masks", "linear_sgd_second_moment",
           "stationary_learning_rate"]

_CHUNK_ELEMENTS = 2_000_000  # chains × samples per chunk (two float64 arrays of this size)


def _gradients(sample_gradients) -> np.ndarray:
    g = np.asarray(sample_gradients, dtype=float)
    if g.ndim != 2 or g.shape[0] < 1 or g.shape[1] < 1 or not np.all(np.isfinite(g)):
        fail("sample_gradients", f"array of shape {g.shape}", "a finite 2-D array (n samples × d)")
    return g


def _covariance(name: str, value, dim: int) -> np.ndarray:
    m = np.asarray(value, dtype=float)
    if m.shape != (dim, dim) or not np.all(np.isfinite(m)) or not np.allclose(m, m.T, rtol=1e-10, atol=1e-14):
        fail(name, f"array of shape {m.shape}", f"a finite symmetric {dim}×{dim} matrix")
    return 0.5 * (m + m.T)


def _square_root(name: str, covariance: np.ndarray) -> np.ndarray:
    """A symmetric square root (eigendecomposition, robust for singular ``covariance``)."""
    values, vectors = np.linalg.eigh(covariance)
    if values[0] < -1e-10 * max(values[-1], 1e-300):
        fail(name, f"matrix with eigenvalue {values[0]!r}", "positive semidefinite")
    return (vectors * np.sqrt(np.maximum(values, 0.0))) @ vectors.T


def batch_masks(n_data: int, batch_size: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` independent uniform ``batch_size``-subsets of ``range(n_data)`` as 0/1 rows.

    Each row marks the ``batch_size`` smallest of ``n_data`` i.i.d. uniform keys: a uniform
    subset, drawn without replacement.

    Returns
    -------
    ndarray, shape (count, n_data), float64
    """
    n_data = check_int("n_data", n_data, low=1)
    batch_size = check_int("batch_size", batch_size, low=1)
    if batch_size > n_data:
        fail("batch_size", batch_size, f"an integer in [1, {n_data}]")
    count = check_int("count", count, low=1)
    rng = check_rng(rng)
    keys = rng.random((count, n_data))
    chosen = np.argpartition(keys, batch_size - 1, axis=1)[:, :batch_size]
    mask = np.zeros((count, n_data))
    np.put_along_axis(mask, chosen, 1.0, axis=1)
    return mask


def _chunks(n_chains: int, n_data: int):
    size = max(1, _CHUNK_ELEMENTS // n_data)
    for start in range(0, n_chains, size):
        yield min(size, n_chains - start)


def _batch_hessian_times(g, mask, delta, batch_size: int, xp):
    """Rows ``H_B δ`` for a chunk of chains: ``((mask ⊙ δ Gᵀ) G) / B``."""
    return ((xp.asarray(mask) * (delta @ g.T)) @ g) / batch_size


def linear_sgd_second_moment(sample_gradients, batch_size: int, learning_rate: float, initial_covariance,
                             steps: int, n_chains: int, rng: np.random.Generator, *,
                             backend: str = "numpy") -> np.ndarray:
    r"""Mean over chains of :math:`\|\delta_t\|^2` for ``t = 0..steps`` of linearised SGD.

    :math:`\delta_0 \sim N(0, \Sigma_0)`, :math:`\delta_{t+1} = \delta_t - \eta H_{\mathcal B_t}\delta_t`
    with a fresh uniform batch for every chain and step. Its expectation is
    :func:`theory.sgd_stability.mean_square_trajectory`.

    Parameters
    ----------
    sample_gradients : array_like, shape (n, d)
    batch_size : int
        ``B`` in ``[1, n]``.
    learning_rate : float
        :math:`\eta \ge 0`.
    initial_covariance : array_like, shape (d, d)
        :math:`\Sigma_0`, symmetric positive semidefinite.
    steps, n_chains : int
        ``steps >= 0``, ``n_chains >= 1``.
    rng : numpy.random.Generator
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    ndarray, shape (steps + 1,)
    """
    g_host = _gradients(sample_gradients)
    n, d = g_host.shape
    batch_size = check_int("batch_size", batch_size, low=1)
    eta = check_real("learning_rate", learning_rate, low=0.0)
    root = _square_root("initial_covariance", _covariance("initial_covariance", initial_covariance, d))
    steps = check_int("steps", steps, low=0)
    n_chains = check_int("n_chains", n_chains, low=1)
    rng = check_rng(rng)
    xp = array_namespace(resolve_backend(backend))
    g = xp.asarray(g_host)
    total = np.zeros(steps + 1)
    for count in _chunks(n_chains, n):
        delta = xp.asarray(rng.standard_normal((count, d)) @ root)
        for t in range(steps + 1):
            total[t] += float(to_numpy(xp.sum(delta * delta)))
            if t < steps:
                mask = batch_masks(n, batch_size, count, rng)
                delta = delta - eta * _batch_hessian_times(g, mask, delta, batch_size, xp)
    return total / n_chains


def stationary_learning_rate(sample_gradients, batch_size: int, mode, n_chains: int, rng: np.random.Generator,
                             *, preconditioner=None, backend: str = "numpy") -> float:
    r"""The learning rate at which one SGD step leaves the ``mode``-weighted mean square unchanged.

    In the variable :math:`\tilde\delta = P^{1/2}\delta` (``P`` the frozen diagonal
    ``preconditioner``; identity by default) the update is SGD on the rows :math:`P^{-1/2}g_i`.
    The chains start at :math:`\tilde\delta_0 \sim N(0, \Sigma)`, ``Σ`` = ``mode``, take one step
    :math:`\delta_1 = \delta_0 - \eta P^{-1}H_{\mathcal B}\delta_0` in the original variable, and
    the estimate is :math:`\hat\eta = 2\bar a/\bar b` with
    :math:`a = \tilde\delta_0^\top\Sigma\,\widetilde{P^{-1}H_{\mathcal B}\delta_0}`,
    :math:`b = \widetilde{P^{-1}H_{\mathcal B}\delta_0}^\top\Sigma\,\widetilde{P^{-1}H_{\mathcal B}\delta_0}`
    (module docstring). With ``mode`` the critical mode of the (preconditioned) mean-square map,
    its expectation (to ``O(1/n_chains)``) is the mean-square stability threshold.

    Parameters
    ----------
    sample_gradients : array_like, shape (n, d)
    batch_size : int
        ``B`` in ``[1, n]``.
    mode : array_like, shape (d, d)
        Symmetric positive semidefinite, not zero.
    n_chains : int
    rng : numpy.random.Generator
    preconditioner : array_like, shape (d,), optional
        Positive diagonal of ``P``.
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    float
    """
    g_host = _gradients(sample_gradients)
    n, d = g_host.shape
    batch_size = check_int("batch_size", batch_size, low=1)
    sigma = _covariance("mode", mode, d)
    root = _square_root("mode", sigma)
    if not np.any(root):
        fail("mode", "the zero matrix", "positive semidefinite and not zero")
    n_chains = check_int("n_chains", n_chains, low=1)
    rng = check_rng(rng)
    if preconditioner is None:
        scale = np.ones(d)
    else:
        scale = np.asarray(preconditioner, dtype=float)
        if scale.shape != (d,) or not np.all(np.isfinite(scale)) or np.any(scale <= 0):
            fail("preconditioner", f"array of shape {scale.shape}", f"{d} positive finite numbers")
    xp = array_namespace(resolve_backend(backend))
    g, half = xp.asarray(g_host), xp.asarray(np.sqrt(scale))
    weight = xp.asarray(sigma)
    first = second = 0.0
    for count in _chunks(n_chains, n):
        start = rng.standard_normal((count, d)) @ root              # δ̃₀ ~ N(0, Σ)
        mask = batch_masks(n, batch_size, count, rng)
        delta = xp.asarray(start) / half                            # δ₀ = P^{-1/2} δ̃₀
        step = _batch_hessian_times(g, mask, delta, batch_size, xp) / (half * half)   # P⁻¹ H_B δ₀
        step_tilde = step * half
        weighted = step_tilde @ weight
        first += float(to_numpy(xp.sum(weighted * xp.asarray(start))))
        second += float(to_numpy(xp.sum(weighted * step_tilde)))
    return 2.0 * first / second


def batch_gradient_second_moment(per_sample_gradients, batch_size: int, n_batches: int,
                                 rng: np.random.Generator) -> np.ndarray:
    r"""Mean over random batches of the squared batch gradient, coordinate by coordinate.

    What Adam's second-moment accumulator :math:`v` averages at a fixed point: with rows
    :math:`\nabla\ell_i` (``per_sample_gradients``) the batch gradient is
    :math:`\frac1B\sum_{i\in\mathcal B}\nabla\ell_i` and the estimate is its mean square over
    ``n_batches`` uniform batches. At a minimum (rows summing to zero) its expectation is
    :math:`s_j^2(1/B - 1/n)` with :math:`s_j^2` the ``1/(n − 1)`` sample variance.

    Returns
    -------
    ndarray, shape (d,)
    """
    rows = _gradients(per_sample_gradients)
    n = rows.shape[0]
    batch_size = check_int("batch_size", batch_size, low=1)
    n_batches = check_int("n_batches", n_batches, low=1)
    rng = check_rng(rng)
    total = np.zeros(rows.shape[1])
    for count in _chunks(n_batches, n):
        means = batch_masks(n, batch_size, count, rng) @ rows / batch_size
        total += np.sum(means * means, axis=0)
    return total / n_batches
