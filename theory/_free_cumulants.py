r"""Moments from free cumulants: the moment–cumulant formula over non-crossing partitions.

Free cumulants :math:`\kappa_n` add under free additive convolution (Voiculescu), so they are
the natural coordinates of a free sum; the moments follow from

.. math::

    M(z) = 1 + \sum_{n \ge 1} \kappa_n z^n M(z)^n, \qquad M(z) = \sum_k m_k z^k,

the generating form of :math:`m_k = \sum_{\pi \in NC(k)} \prod_{B \in \pi} \kappa_{|B|}`
(Speicher 1994; Nica & Speicher, *Lectures on the Combinatorics of Free Probability*, 2006,
Lecture 11), so :math:`m_k = \sum_{n=1}^{k} \kappa_n [z^{k-n}] M(z)^n`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["moments_from_free_cumulants"]


def moments_from_free_cumulants(cumulants) -> np.ndarray:
    """Moments ``m_0, ..., m_k`` from the free cumulants ``κ_1, ..., κ_k`` (a sequence of length k)."""
    cumulants = np.asarray(cumulants, dtype=float)
    k = cumulants.size
    moments = np.zeros(k + 1)
    moments[0] = 1.0
    for j in range(1, k + 1):
        power = np.ones(1)  # M(z)^0, truncated to degree j - 1 (only m_0..m_{j-1} enter)
        for order in range(1, j + 1):
            power = np.convolve(power, moments[:j])[:j]
            moments[j] += cumulants[order - 1] * power[j - order]
    return moments
