"""Quadrature on the support intervals of spectral densities with square-root edges.

On an interval ``[lo, hi]`` substitute ``x = lo + (hi - lo)(1 - cos θ)/2`` with
``θ ∈ [0, π]`` and ``dx = (hi - lo) sin θ / 2 dθ``. A density that vanishes (or, at a
hard edge, diverges) like a square root at the endpoints becomes smooth in ``θ``, so
Gauss–Legendre in ``θ`` converges geometrically (Bun, Bouchaud & Potters 2017, App. A;
Trefethen, *Approximation Theory and Approximation Practice*, ch. 19).
"""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=32)
def _legendre(n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    nodes, weights = np.polynomial.legendre.leggauss(n_nodes)
    nodes.setflags(write=False)
    weights.setflags(write=False)
    return nodes, weights


def interval_nodes(lo: float, hi: float, n_nodes: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Nodes ``x_j`` and weights ``w_j`` with ``∫_lo^hi f(x) dx ≈ Σ_j w_j f(x_j)``.

    Parameters
    ----------
    lo, hi : float or ndarray
        Endpoints of the interval, ``lo < hi``; arrays of shape ``(k, 1)`` give ``k`` rows of
        nodes and weights at once.
    n_nodes : int
        Number of Gauss–Legendre nodes in the angle variable.

    Returns
    -------
    x, w : ndarray
        Nodes strictly inside ``(lo, hi)`` and positive weights summing to ``hi - lo``.
    """
    t, wt = _legendre(int(n_nodes))
    theta = 0.5 * np.pi * (t + 1.0)
    half = 0.5 * (hi - lo)
    x = lo + (hi - lo) * np.sin(0.5 * theta) ** 2  # = lo + half (1 - cos θ), exact near lo
    w = half * np.sin(theta) * wt * 0.5 * np.pi
    return x, w


def support_nodes(edges, n_nodes: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights on a union of intervals given by sorted ``edges`` (pairs).

    ``edges = [a0, b0, a1, b1, ...]`` describes ``[a0, b0] ∪ [a1, b1] ∪ ...``; each
    interval gets ``n_nodes`` nodes of :func:`interval_nodes`.
    """
    edges = np.asarray(edges, dtype=float).reshape(-1, 2)
    parts = [interval_nodes(lo, hi, n_nodes) for lo, hi in edges]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def graded_pieces(lo: float, hi: float, singular: list[complex]) -> list[tuple[float, float]]:
    """Split ``[lo, hi]`` geometrically (ratio 4) towards each nearby singularity of ``G``.

    A branch point at distance ``d`` from the interval slows Gauss–Legendre down unless the
    pieces next to it have length ``~ d``; singularities farther than ``(hi - lo)/16`` are
    harmless and ignored.
    """
    cuts = {lo, hi}
    for point in singular:
        centre = min(max(point.real, lo), hi)
        distance = abs(point - centre)
        if distance >= (hi - lo) / 16.0:
            continue
        cuts.add(centre)
        step = distance
        while 0 < step < hi - lo:
            cuts.update(c for c in (centre - step, centre + step) if lo < c < hi)
            step *= 4.0
    cuts = sorted(cuts)
    return list(zip(cuts[:-1], cuts[1:])) or [(lo, hi)]  # a degenerate interval keeps one piece
