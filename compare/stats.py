"""Small statistical building blocks shared by every check.

Replicates over seeds are independent, so their sample standard error is honest even
when the quantities inside one replicate (eigenvalues of one matrix, iterates of one
run) are strongly correlated. With few seeds the Student-t quantile replaces the normal
one; with several points compared at once the level is Bonferroni-corrected.
"""

from __future__ import annotations

import numpy as np
from scipy import special


def mean_and_stderr(samples: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Sample mean and its standard error ``sd / sqrt(R)`` (``ddof=1``) along ``axis``."""
    samples = np.asarray(samples, dtype=float)
    count = samples.shape[axis]
    mean = samples.mean(axis=axis)
    if count < 2:
        return mean, np.full_like(mean, np.inf)
    return mean, samples.std(axis=axis, ddof=1) / np.sqrt(count)


def critical_value(alpha: float, dof: float, comparisons: int = 1, two_sided: bool = True) -> float:
    """Student-t quantile at family-wise level ``alpha`` over ``comparisons`` tests.

    ``t_{dof}(1 - alpha / (2 K))`` two-sided, ``t_{dof}(1 - alpha / K)`` one-sided
    (Bonferroni); ``dof = inf`` gives the normal quantile.
    """
    level = 1.0 - alpha / ((2.0 if two_sided else 1.0) * max(1, comparisons))
    if not np.isfinite(dof):
        return float(special.ndtri(level))
    return float(special.stdtrit(dof, level))


def weighted_linear_fit(x: np.ndarray, y: np.ndarray, stderr: np.ndarray):
    """Weighted least squares ``y ≈ a + b x`` with weights ``1/stderr²``.

    Returns ``(a, b, cov)``: intercept, slope and their 2×2 covariance. When the
    residuals scatter more than the standard errors allow (reduced χ² > 1) the
    covariance is inflated by the reduced χ², so an ill-fitting model widens its own
    error bars instead of hiding behind the per-point ones. ``y`` may carry trailing
    axes (one fit per column).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    stderr = np.asarray(stderr, dtype=float)
    w = 1.0 / np.square(stderr)
    shape = (-1,) + (1,) * (y.ndim - 1)
    xs = x.reshape(shape)
    s0, s1, s2 = w.sum(0), (w * xs).sum(0), (w * xs * xs).sum(0)
    t0, t1 = (w * y).sum(0), (w * xs * y).sum(0)
    det = s0 * s2 - s1 * s1
    a = (s2 * t0 - s1 * t1) / det
    b = (s0 * t1 - s1 * t0) / det
    dof = len(x) - 2
    chi2 = (w * np.square(y - a - b * xs)).sum(0)
    inflate = np.maximum(1.0, chi2 / dof) if dof > 0 else np.ones_like(a)
    cov = np.array([[s2 / det, -s1 / det], [-s1 / det, s0 / det]]) * inflate
    return a, b, cov
