r"""Draws of the two-point (SPSA / MeZO) zeroth-order gradient estimator and their sample moments.

.. math::

    \hat g = \frac1K \sum_{k=1}^K \frac{L(\theta + \varepsilon z_k) - L(\theta - \varepsilon z_k)}
                                      {2\varepsilon}\, z_k

with :math:`z_k` i.i.d. Gaussian, uniform on the sphere of radius :math:`\sqrt d`, or
Rademacher. The loss is only ever evaluated (two calls per direction), never differentiated:
this is the estimator MeZO and "Just One Byte" run, applied to test losses whose moments the
theory knows (:mod:`theory.zeroth_order`).

Random numbers come from ``rng`` on the host, so every backend uses the same directions;
``"cupy"`` moves them to the GPU, ``"numba"`` runs the NumPy code (vectorised loss
evaluations are the whole cost; there is no loop to compile).

References
----------
E. Zelikman et al. (2023), arXiv:2306.10015; S. Malladi et al. (2023), arXiv:2305.17333;
J. C. Spall (1992), IEEE Trans. Automat. Control 37:332 (SPSA).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import array_api_compat
import numpy as np

from simulate._validate import check_choice, check_int, check_real, check_rng
from simulate.backend import array_namespace, resolve_backend, to_numpy

__all__ = ["DIRECTION_LAWS", "SpsaMoments", "nonquadratic_loss", "quadratic_loss", "random_directions",
           "spsa_moments"]

DIRECTION_LAWS = ("gaussian", "sphere", "rademacher")

_CHUNK_NUMBERS = 1 << 21
"""Direction coordinates drawn per chunk (16 MB of float64)."""


def random_directions(rng: np.random.Generator, shape: tuple[int, ...], dim: int,
                      distribution: str = "gaussian") -> np.ndarray:
    """I.i.d. isotropic directions (``E zzᵀ = I``) of shape ``shape + (dim,)``, on the host.

    ``"gaussian"``: N(0, I). ``"sphere"``: uniform on the sphere of radius √dim (a normalised
    Gaussian). ``"rademacher"``: independent ±1 entries.
    """
    check_rng(rng)
    dim = check_int("dim", dim, low=1)
    check_choice("distribution", distribution, DIRECTION_LAWS)
    if distribution == "rademacher":
        return 2.0 * rng.integers(0, 2, size=(*shape, dim)).astype(float) - 1.0
    z = rng.standard_normal((*shape, dim))
    if distribution == "sphere":
        z *= math.sqrt(dim) / np.linalg.norm(z, axis=-1, keepdims=True)
    return z


def quadratic_loss(points, hessian, minimiser):
    r""":math:`L(\theta) = \frac12(\theta - \theta^*)^\top H(\theta - \theta^*)` at every point (last axis)."""
    xp = array_api_compat.array_namespace(points)
    r = points - xp.asarray(minimiser)
    return 0.5 * xp.sum(xp.matmul(r, xp.asarray(hessian)) * r, axis=-1)


def nonquadratic_loss(points, direction):
    r""":math:`L(\theta) = \sum_i (\theta_i^4/4 - \cos\theta_i) + e^{v\cdot\theta}` at every point (last axis).

    The test loss of :func:`theory.zeroth_order.nonquadratic_smoothed_gradient`.
    """
    xp = array_api_compat.array_namespace(points)
    v = xp.asarray(direction)
    return xp.sum(points ** 4 / 4 - xp.cos(points), axis=-1) + xp.exp(xp.sum(points * v, axis=-1))


@dataclass(frozen=True, eq=False)
class SpsaMoments:
    """Sample moments of ``draws`` independent estimates ĝ (output of :func:`spsa_moments`).

    Attributes
    ----------
    mean : numpy.ndarray, shape (d,)
        Sample mean of ĝ.
    second_moment : numpy.ndarray, shape (d, d)
        Sample mean of ĝĝᵀ (so ``trace`` is the mean of ‖ĝ‖²).
    loss_change : numpy.ndarray, shape (len(steps),)
        Sample mean of ``L(θ − ηĝ) − L(θ)`` for each step η, by evaluating the loss.
    draws : int
    """

    mean: np.ndarray
    second_moment: np.ndarray
    loss_change: np.ndarray
    draws: int


def spsa_moments(loss: Callable, theta, epsilon: float, n_directions: int, draws: int,
                 rng: np.random.Generator, *, distribution: str = "gaussian", steps=(),
                 backend: str = "numpy") -> SpsaMoments:
    r"""Draw ``draws`` independent K-direction estimates ĝ at ``theta`` and return their moments.

    Parameters
    ----------
    loss : callable
        ``loss(points)`` evaluates the loss on the last axis of an array of points (of the
        backend's array type), e.g. :func:`quadratic_loss` with its matrices bound.
    theta : array_like, shape (d,)
    epsilon : float
        Smoothing radius ε > 0.
    n_directions : int
        K ≥ 1 directions per estimate.
    draws : int
        Independent estimates, ``>= 1``.
    rng : numpy.random.Generator
    distribution : {"gaussian", "sphere", "rademacher"}
    steps : sequence of float
        Step sizes η at which to evaluate the one-step loss change.
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    SpsaMoments
    """
    check_rng(rng)
    t = np.asarray(theta, dtype=float)
    if t.ndim != 1 or t.size == 0 or not np.all(np.isfinite(t)):
        raise ValueError(f"theta of shape {t.shape} is out of range: must be a finite non-empty vector")
    eps = check_real("epsilon", epsilon, low=0.0, closed_low=False)
    k = check_int("n_directions", n_directions, low=1)
    draws = check_int("draws", draws, low=1)
    check_choice("distribution", distribution, DIRECTION_LAWS)
    etas = np.asarray(steps, dtype=float).reshape(-1)
    if not np.all(np.isfinite(etas)):
        raise ValueError(f"steps={steps!r} is out of range: must be finite numbers")
    xp = array_namespace(resolve_backend(backend))
    d = t.size
    theta_dev = xp.asarray(t)
    base = loss(theta_dev)
    total = xp.zeros(d)
    outer = xp.zeros((d, d))
    change = xp.zeros(etas.size)
    chunk = max(1, _CHUNK_NUMBERS // (k * d))
    for start in range(0, draws, chunk):
        m = min(chunk, draws - start)
        z = xp.asarray(random_directions(rng, (m, k), d, distribution))
        quotient = (loss(theta_dev + eps * z) - loss(theta_dev - eps * z)) / (2.0 * eps)
        g_hat = xp.mean(quotient[..., None] * z, axis=1)
        total = total + xp.sum(g_hat, axis=0)
        outer = outer + xp.matmul(g_hat.T, g_hat)
        if etas.size:
            stepped = theta_dev - xp.asarray(etas)[:, None, None] * g_hat
            change = change + xp.sum(loss(stepped) - base, axis=1)
    return SpsaMoments(mean=to_numpy(total) / draws, second_moment=to_numpy(outer) / draws,
                       loss_change=to_numpy(change) / draws, draws=draws)
