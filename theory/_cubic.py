"""Roots of monic cubics, vectorised: the Stieltjes transforms of algebraic spectral laws.

Cardano's formula with the larger-modulus cube root, the other roots from the deflated
quadratic so that small roots keep their relative accuracy, and one guarded Newton step.
Used by :mod:`theory.free_convolution`, whose Stieltjes transform solves a cubic in
``u = 1/G``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cubic_roots", "upper_root"]

_SQRT3_HALF = 0.5 * np.sqrt(3.0)
_OMEGA = np.exp(2j * np.pi / 3)


def _newton(u, c2, c1, c0, steps: int):
    """Polishing Newton steps on ``u³ + c2 u² + c1 u + c0``.

    A step is kept only where it is small (below 1% of ``|u|``) and lowers the residual: at a
    near-double root (a support edge) the step is ill-determined and could jump to another root.
    """
    residual = ((u + c2) * u + c1) * u + c0
    for _ in range(steps):
        slope = (3.0 * u + 2.0 * c2) * u + c1
        step = np.divide(residual, slope, out=np.zeros_like(u), where=slope != 0)
        new = u - step
        new_residual = ((new + c2) * new + c1) * new + c0
        keep = (np.abs(step) <= 1e-2 * np.abs(u)) & (np.abs(new_residual) < np.abs(residual))
        u, residual = np.where(keep, new, u), np.where(keep, new_residual, residual)
    return u


def cubic_roots(c2, c1, c0) -> np.ndarray:
    """All roots of the monic cubic ``u³ + c2 u² + c1 u + c0`` (complex coefficients).

    Cardano (larger-modulus cube root) gives the root of largest modulus to full relative
    accuracy; the other two come from the deflated quadratic (Vieta: sum ``-c2 - r``, product
    ``-c0/r``), so roots much smaller than the largest keep their relative accuracy (the
    smeared atom at small noise). One guarded Newton step polishes. Returns shape ``(..., 3)``.
    """
    c2, c1, c0 = (np.asarray(c, dtype=complex)[..., None] for c in np.broadcast_arrays(c2, c1, c0))
    shift = c2 / 3.0
    p = c1 - c2 * shift
    q = (2.0 * shift * shift - c1) * shift + c0
    root = np.sqrt(0.25 * q * q + p * p * p / 27.0)
    w = np.where((q.real * root.real + q.imag * root.imag) <= 0, root, -root) - 0.5 * q
    a = np.cbrt(np.abs(w)) * np.exp(1j * np.angle(w) / 3.0)
    b = np.divide(-p, 3.0 * a, out=np.zeros_like(a), where=a != 0)
    k = np.array([1.0, _OMEGA, _OMEGA.conjugate()])
    cardano = a * k + b / k - shift
    r = np.take_along_axis(cardano, np.argmax(np.abs(cardano), axis=-1)[..., None], axis=-1)
    total = -c2 - r
    product = np.divide(-c0, r, out=np.zeros_like(r), where=r != 0)
    d = np.sqrt(total * total - 4.0 * product)
    big = 0.5 * np.where(np.abs(total + d) >= np.abs(total - d), total + d, total - d)
    small = np.divide(product, big, out=np.zeros_like(big), where=big != 0)
    return _newton(np.concatenate([r, big, small], axis=-1), c2, c1, c0, steps=1)


def upper_root(c2, c1, c0) -> np.ndarray:
    """The root with ``Im u > 0`` of a real monic cubic with one real root and a complex pair.

    Real Cardano (fast path for quadrature nodes inside the support). When the real root
    dominates, the pair is taken from the deflated quadratic instead (the Cardano pair loses
    relative accuracy when it is much smaller than the real root); one complex Newton step
    polishes. Where rounding makes the discriminant non-negative the pair has merged and the
    returned root is (nearly) real.
    """
    shift = c2 / 3.0
    p = c1 - c2 * shift
    q = (2.0 * shift * shift - c1) * shift + c0
    disc = 0.25 * q * q + p * p * p / 27.0
    a = np.cbrt(-0.5 * q - np.copysign(np.sqrt(np.maximum(disc, 0.0)), q))
    b = np.divide(-p, 3.0 * a, out=np.zeros_like(a), where=a != 0)
    r = a + b - shift
    re, im = -0.5 * (a + b) - shift, np.where(disc > 0, _SQRT3_HALF * np.abs(a - b), 0.0)
    dominant = r * r > re * re + im * im
    half_sum = 0.5 * (-c2 - r)
    product = np.divide(-c0, r, out=np.zeros_like(r), where=dominant)
    re = np.where(dominant, half_sum, re)
    im = np.where(dominant, np.sqrt(np.maximum(product - half_sum * half_sum, 0.0)), im)
    return _newton(re + 1j * im, c2, c1, c0, steps=1)

