r"""Consensus-based optimisation (CBO): Monte-Carlo consensus points and interacting particles.

* :func:`monte_carlo_consensus` — the consensus point
  :math:`v = \sum_j y_j e^{-\alpha f(y_j)} / \sum_j e^{-\alpha f(y_j)}` of :math:`M` draws
  :math:`y_j \sim N(x, \sigma^2 I)`, with the effective sample size
  :math:`(\sum_j w_j)^2/\sum_j w_j^2` of its weights. The weights are computed from
  :math:`\alpha(f(y_j) - \min_k f(y_k))`, so any :math:`\alpha` is safe from overflow.
* :func:`cbo_particles` — :math:`N` particles of the CBO dynamics, Euler–Maruyama with step
  :math:`\Delta t`,

  .. math::

      X_i \leftarrow X_i - \lambda (X_i - v)\Delta t + \sigma\, D_i \sqrt{\Delta t}\,\xi_i,\qquad
      D_i = \lvert X_i - v\rvert \ (\text{isotropic})\ \text{or}\ \operatorname{diag}(X_i - v)\
      (\text{anisotropic}),

  :math:`\xi_i` i.i.d. :math:`N(0, I_d)`, with :math:`v` the particles' own consensus point
  (weights :math:`e^{-\alpha f(X_i)}`, Pinnau et al. 2017) or a fixed ``pinned`` point. It
  records the particles' mean squared distance to a reference point after every step.
  Euler–Maruyama multiplies :math:`E\lvert X - v\rvert^2` per step by
  :math:`(1 - \lambda\Delta t)^2 + c\sigma^2\Delta t` (:math:`c = d` or 1) for a pinned
  :math:`v`, a rate :math:`r - (\lambda^2 - r^2/2)\Delta t + O(\Delta t^2)` per unit time instead
  of the SDE's :math:`r = 2\lambda - c\sigma^2`.

Random numbers come from ``rng`` on the host, so every backend uses the same draws;
``"cupy"`` moves them to the GPU, ``"numba"`` runs the NumPy code (each step is a handful of
vectorised operations on an ``N × d`` array).

References
----------
R. Pinnau, C. Totzeck, O. Tse, S. Martin (2017), "A consensus-based model for global
optimization and its mean-field limit", Math. Models Methods Appl. Sci. 27:183.
J. A. Carrillo, S. Jin, L. Li, Y. Zhu (2021), ESAIM: COCV 27:S5 (anisotropic noise).
K. Riedl, T. Klock, C. Geldhauser, M. Fornasier (2023), arXiv:2306.09778.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import array_api_compat
import numpy as np

from simulate._validate import check_choice, check_int, check_real, check_rng
from simulate.backend import array_namespace, resolve_backend, to_numpy

__all__ = ["CboRun", "ConsensusEstimate", "NOISE_TYPES", "cbo_particles", "monte_carlo_consensus",
           "quadratic_objective"]

NOISE_TYPES = ("isotropic", "anisotropic")


def quadratic_objective(points, hessian, minimiser):
    r""":math:`f(y) = \frac12 (y - y^*)^\top A (y - y^*)` at every point (last axis)."""
    xp = array_api_compat.array_namespace(points)
    r = points - xp.asarray(minimiser)
    return 0.5 * xp.sum(xp.matmul(r, xp.asarray(hessian)) * r, axis=-1)


def _weights(values, alpha, xp):
    """``exp(−α (f − min f))``: the largest weight is 1, so nothing overflows or all-underflows."""
    return xp.exp(-alpha * (values - xp.min(values)))


def _check_vector(name, value) -> np.ndarray:
    v = np.asarray(value, dtype=float)
    if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)):
        raise ValueError(f"{name} of shape {v.shape} is out of range: must be a finite non-empty vector")
    return v


@dataclass(frozen=True)
class ConsensusEstimate:
    """Output of :func:`monte_carlo_consensus`.

    Attributes
    ----------
    point : numpy.ndarray, shape (d,)
        Weighted mean of the draws.
    ess : float
        Effective sample size ``(Σw)²/Σw²`` (between 1 and the number of draws).
    """

    point: np.ndarray
    ess: float


def monte_carlo_consensus(objective: Callable, center, sigma: float, alpha: float, samples: int,
                          rng: np.random.Generator, *, backend: str = "numpy") -> ConsensusEstimate:
    """Consensus point of ``samples`` draws from ``N(center, σ² I)`` weighted by ``exp(−α f)``.

    Parameters
    ----------
    objective : callable
        ``objective(points)`` evaluates f on the last axis, e.g. :func:`quadratic_objective`
        with its matrices bound.
    center : array_like, shape (d,)
    sigma : float
        Cloud radius σ >= 0.
    alpha : float
        Weight parameter α > 0.
    samples : int
        Draws M >= 1.
    rng : numpy.random.Generator
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    ConsensusEstimate
    """
    check_rng(rng)
    x = _check_vector("center", center)
    sigma = check_real("sigma", sigma, low=0.0)
    alpha = check_real("alpha", alpha, low=0.0, closed_low=False)
    samples = check_int("samples", samples, low=1)
    xp = array_namespace(resolve_backend(backend))
    y = xp.asarray(x) + sigma * xp.asarray(rng.standard_normal((samples, x.size)))
    w = _weights(objective(y), alpha, xp)
    total = xp.sum(w)
    point = xp.matmul(w, y) / total
    return ConsensusEstimate(point=to_numpy(point), ess=float(total ** 2 / xp.sum(w * w)))


@dataclass(frozen=True, eq=False)
class CboRun:
    """Output of :func:`cbo_particles`.

    Attributes
    ----------
    times : numpy.ndarray, shape (steps + 1,)
        ``0, Δt, 2Δt, ...``.
    mean_square_distance : numpy.ndarray, shape (steps + 1,)
        ``(1/N) Σ_i |X_i(t) − reference|²`` at every time.
    consensus : numpy.ndarray, shape (d,)
        The consensus point at the end.
    """

    times: np.ndarray
    mean_square_distance: np.ndarray
    consensus: np.ndarray


def cbo_particles(objective: Callable, initial, reference, *, drift: float, noise: float, alpha: float,
                  dt: float, steps: int, rng: np.random.Generator, noise_type: str = "isotropic",
                  pinned=None, backend: str = "numpy") -> CboRun:
    r"""Run the CBO particle system by Euler–Maruyama and record the mean squared distance to ``reference``.

    Parameters
    ----------
    objective : callable
        ``objective(points)`` evaluates f on the last axis.
    initial : array_like, shape (N, d)
        Initial particle positions.
    reference : array_like, shape (d,)
        Point the recorded distances are measured from (the minimiser :math:`x^*`).
    drift : float
        λ > 0.
    noise : float
        σ >= 0.
    alpha : float
        α > 0 of the consensus weights (unused when ``pinned`` is given).
    dt : float
        Step Δt > 0 with λΔt < 1.
    steps : int
        Number of steps, >= 1.
    rng : numpy.random.Generator
    noise_type : {"isotropic", "anisotropic"}
    pinned : array_like, shape (d,), optional
        Fixed consensus point; default: the particles' weighted mean at every step.
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    CboRun
    """
    check_rng(rng)
    x0 = np.asarray(initial, dtype=float)
    if x0.ndim != 2 or x0.size == 0 or not np.all(np.isfinite(x0)):
        raise ValueError(f"initial of shape {x0.shape} is out of range: must be a finite (N, d) array")
    ref = _check_vector("reference", reference)
    if ref.size != x0.shape[1]:
        raise ValueError(f"reference of shape {ref.shape} is out of range: must be ({x0.shape[1]},)")
    drift = check_real("drift", drift, low=0.0, closed_low=False)
    noise = check_real("noise", noise, low=0.0)
    alpha = check_real("alpha", alpha, low=0.0, closed_low=False)
    dt = check_real("dt", dt, low=0.0, high=1.0 / drift, closed_low=False, closed_high=False)
    steps = check_int("steps", steps, low=1)
    check_choice("noise_type", noise_type, NOISE_TYPES)
    xp = array_namespace(resolve_backend(backend))
    fixed = None if pinned is None else xp.asarray(_check_vector("pinned", pinned))
    x = xp.asarray(x0)
    ref_dev = xp.asarray(ref)
    msd = [xp.mean(xp.sum((x - ref_dev) ** 2, axis=1))]
    root_dt = math.sqrt(dt)
    v = fixed
    for _ in range(steps):
        if fixed is None:
            w = _weights(objective(x), alpha, xp)
            v = xp.matmul(w, x) / xp.sum(w)
        gap = x - v
        xi = xp.asarray(rng.standard_normal(x0.shape))
        if noise_type == "isotropic":
            kick = xp.sqrt(xp.sum(gap * gap, axis=1, keepdims=True)) * xi
        else:
            kick = gap * xi
        x = x - (drift * dt) * gap + (noise * root_dt) * kick
        msd.append(xp.mean(xp.sum((x - ref_dev) ** 2, axis=1)))
    return CboRun(times=dt * np.arange(steps + 1), mean_square_distance=to_numpy(xp.stack(msd)),
                  consensus=to_numpy(v))
