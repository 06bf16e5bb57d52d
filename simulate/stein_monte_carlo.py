r"""Monte Carlo estimate of the weight gradient of a Gaussian-smoothed objective.

.. math::

    \widehat{\nabla_W F} = \frac1S\sum_{s=1}^S \nabla g(Wx_s + b)\,x_s^\top, \qquad x_s \sim N(0, I_d),

the unbiased estimate of :math:`\nabla_W\,\mathbb E\,g(Wx + b)` that a stochastic gradient on
Gaussian inputs computes. The derandomisation lemma (Tsikouras, Pantis, Mitliagkas &
Tzamos 2025, arXiv:2510.19382) says it estimates :math:`(\nabla_b^2F)W`
(:func:`theory.derandomization.stein_weight_gradient`); this module only samples.

The gradient of ``g`` is injected (the theory layer defines the test function), so this
module never depends on :mod:`theory`. Points are drawn on the host from ``rng``, sample
by sample, and processed in batches of at most ``batch`` (the result does not depend on it); every backend runs this NumPy code (the
injected gradient is a NumPy function).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simulate._validate import check_choice, check_int, check_rng, fail
from simulate.backend import BACKENDS, resolve_backend


def weight_gradient_monte_carlo(gradient: Callable[[np.ndarray], np.ndarray], weight, bias, samples: int,
                                rng: np.random.Generator, *, batch: int = 65_536,
                                backend: str = "numpy") -> np.ndarray:
    r"""Sample mean of :math:`\nabla g(Wx + b)\,x^\top` over ``samples`` draws of :math:`x \sim N(0, I_d)`.

    Parameters
    ----------
    gradient : callable
        ``gradient(z)`` for points ``z`` of shape ``(m, P)``, returning ``(m, P)``.
    weight : array_like, shape (m, d)
    bias : array_like, shape (m,)
    samples : int
        Number of draws :math:`S \ge 1`.
    rng : numpy.random.Generator
    batch : int
        Largest number of draws held in memory at once.
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    numpy.ndarray, shape (m, d)
    """
    w = np.asarray(weight, dtype=float)
    b = np.asarray(bias, dtype=float)
    if w.ndim != 2 or not np.all(np.isfinite(w)):
        fail("weight", f"<array of shape {w.shape}>", "a finite 2-d array")
    if b.shape != (w.shape[0],) or not np.all(np.isfinite(b)):
        fail("bias", f"<array of shape {b.shape}>", f"a finite vector of length {w.shape[0]}")
    samples = check_int("samples", samples, low=1)
    batch = check_int("batch", batch, low=1)
    check_rng(rng)
    check_choice("backend", backend, BACKENDS)
    resolve_backend(backend)
    total = np.zeros_like(w)
    done = 0
    while done < samples:
        size = min(batch, samples - done)
        x = rng.standard_normal((size, w.shape[1])).T     # draw by sample: batching changes nothing
        total += gradient(w @ x + b[:, None]) @ x.T
        done += size
    return total / samples
