"""Finite-width ReLU networks: the projected sampler against explicit weight matrices.

Both return the readout covariance and the empirical NTK of the same law
(:mod:`simulate.wide_networks`); the projected sampler draws O(nP) numbers per layer
instead of O(n²). Goal: below 1 from the widths the claim uses (n ≥ 32), falling like 1/n.
"""

from __future__ import annotations

import numpy as np

from simulate.wide_networks import relu_network_draws

from .timing import Row, best_time

NETS = 200


def rows(widths=(32, 128, 256)) -> list[Row]:
    angles = np.array([0.0, 0.5, 1.5, 2.5])
    x = np.zeros((10, angles.size))
    x[0], x[1] = np.sqrt(10) * np.cos(angles), np.sqrt(10) * np.sin(angles)
    rng = np.random.default_rng(0)
    out = []
    for n in widths:
        def draw(method, n=n):
            return relu_network_draws(x, 3, n, 2.0, 0.1, NETS, rng, method=method)
        out.append(Row("wide_networks", f"projected sampler, {NETS} nets, L=3, P=4, n={n}",
                       best_time(lambda: draw("projected"), repeats=3),
                       f"explicit weights, n={n}", best_time(lambda: draw("weights"), repeats=3), "< 1"))
    return out
