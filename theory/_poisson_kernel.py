r"""CDF and quantile of the Poisson-kernel law in the angle variable, to full relative accuracy.

On an interval :math:`[lo, hi]` write :math:`x = lo + (hi - lo)(1 - \cos\theta)/2`,
:math:`\theta \in [0, \pi]`. The semicircle (:math:`\kappa = 0`) and the continuous part of
the Marchenko–Pastur law (:math:`\kappa = \min(\sqrt q, 1/\sqrt q)`, up to its mass) are the
law of :math:`x` when :math:`\theta` has the density

.. math::

    \frac{2}{\pi}\,\frac{\sin^2\theta}{1 + \kappa^2 - 2\kappa\cos\theta}, \qquad 0 \le \kappa \le 1,

whose distribution function is

.. math::

    J(\theta, \kappa) = \frac{\kappa\sin\theta + \kappa^2\theta - (1 - \kappa^2)\psi}{\pi\kappa^2},
    \quad \psi = \operatorname{atan2}(\kappa\sin\theta,\ 1 - \kappa\cos\theta),

with :math:`J(\pi, \kappa) = 1` (:math:`\kappa = 0`: :math:`J = (2\theta - \sin 2\theta)/(2\pi)`).

A point is handled as ``(a, left)``: its angle :math:`a \in [0, \pi/2]` measured from the
nearer edge (:math:`\theta = a` on the left half, :math:`\pi - a` on the right half), so both
tails keep relative accuracy where :math:`\theta` itself (or arccos) would lose it. The closed
form cancels in the tails (like :math:`\theta^3`), so tails are integrated by Gauss–Legendre;
it is used only on the left half beyond :math:`2|\log\kappa|` (next to the hard edge,
:math:`\kappa \to 1`), where it does not cancel and Gauss–Legendre would converge slowly.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import elementwise

from theory._quadrature import interval_nodes

__all__ = ["kernel_cdf", "kernel_quantile"]

_NODES = 32        # Gauss–Legendre nodes per tail integral: full double precision
_CHUNK = 4096      # points per vectorised block, to bound memory at 32 * 4096 doubles


def _half_angles(x: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """``(a, left)`` with ``x = lo + w sin²(a/2)`` if ``left`` else ``hi − w sin²(a/2)``.

    ``w = hi − lo``; points outside ``[lo, hi]`` are clipped to the edges.
    """
    width = hi - lo
    from_lo = np.clip((x - lo) / width, 0.0, 1.0)
    left = from_lo <= 0.5
    from_edge = np.where(left, from_lo, np.clip((hi - x) / width, 0.0, 1.0))
    return 2.0 * np.arcsin(np.sqrt(from_edge)), left


def _point(a: np.ndarray, left: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Inverse of :func:`_half_angles`."""
    step = (hi - lo) * np.sin(0.5 * a) ** 2
    return np.where(left, lo + step, hi - step)


def _kernel(t: np.ndarray, kappa: float) -> np.ndarray:
    """``(2/π) sin²t / (1 + κ² − 2κ cos t)``, the denominator written without cancellation.

    ``kappa < 0`` is the same kernel seen from the right edge (``t → π − t``).
    """
    return (2.0 / np.pi) * np.sin(t) ** 2 / ((1.0 - kappa) ** 2
                                             + 4.0 * kappa * np.sin(0.5 * t) ** 2)


def _kernel_mass(a: np.ndarray, kappa: float) -> np.ndarray:
    """``∫_0^a`` of :func:`_kernel`, elementwise, by Gauss–Legendre in ``t`` (positive terms).

    Called only where the poles ``t = ±i log κ`` (``κ > 0``) lie at least ``a/2`` away,
    where 32 nodes reach double precision, and for ``κ ≤ 0``, where they are beyond π/2.
    """
    out = np.zeros(a.shape)
    pos = np.flatnonzero(a > 0.0)
    for start in range(0, pos.size, _CHUNK):
        idx = pos[start:start + _CHUNK]
        t, w = interval_nodes(0.0, a[idx, None], _NODES)
        out[idx] = np.sum(w * _kernel(t, kappa), axis=1)
    return out


def _near_mass(a: np.ndarray, left: np.ndarray, kappa: float) -> np.ndarray:
    """Mass :math:`J` between each point ``(a, left)`` and its nearer edge."""
    a = np.asarray(a, dtype=np.float64)
    mass = np.empty(a.shape)
    closed = left & (a > (math.inf if kappa == 0.0 else -2.0 * math.log(kappa)))
    for side, k in ((left & ~closed, kappa), (~left, -kappa)):
        mass[side] = _kernel_mass(a[side], k)
    t = a[closed]
    psi = np.arctan2(kappa * np.sin(t), (1.0 - kappa) + 2.0 * kappa * np.sin(0.5 * t) ** 2)
    mass[closed] = (kappa * np.sin(t) + kappa ** 2 * t
                    - (1.0 - kappa) * (1.0 + kappa) * psi) / (np.pi * kappa ** 2)
    return mass


def kernel_cdf(x: np.ndarray, lo: float, hi: float, kappa: float) -> np.ndarray:
    """Mass of the kernel law below each point ``x`` (clipped to ``[lo, hi]``), in ``[0, 1]``."""
    a, left = _half_angles(x, lo, hi)
    near = _near_mass(a, left, kappa)
    return np.where(left, near, 1.0 - near)


def kernel_quantile(lower, upper, lo: float, hi: float, kappa: float) -> np.ndarray:
    """Points with mass ``lower`` below them and ``upper`` (``= 1 − lower``) above, both given.

    Each level is matched against the mass from the nearer edge, by Chandrupatla's
    bracketing method on ``a ∈ [0, π/2]``, so quantiles keep relative accuracy next to
    both edges (about 1e-15 relative to the width).
    """
    lower, upper = np.broadcast_arrays(np.asarray(lower, float), np.asarray(upper, float))
    half = np.full(2, 0.5 * np.pi)
    left_half, right_half = _near_mass(half, np.array([True, False]), kappa)
    left = lower <= left_half
    target = np.where(left, np.minimum(lower, left_half), np.minimum(upper, right_half))
    a = np.where(target > 0.0, 0.5 * np.pi, 0.0)
    solve = (target > 0.0) & (target < np.where(left, left_half, right_half))
    if np.any(solve):
        res = elementwise.find_root(
            lambda a, left, target: _near_mass(a, left, kappa) - target,
            (0.0, 0.5 * np.pi), args=(left[solve], target[solve]))
        a[solve] = res.x
    return _point(a, left, lo, hi)
