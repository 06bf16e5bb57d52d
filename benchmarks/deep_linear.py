"""GD on deep linear networks: the Numba kernel against the NumPy reference loop (goal ≥ 2×).

At the widths of Saxe et al.'s experiments (8 inputs and outputs, hidden width 16) a step is
a dozen tiny matrix products, so the NumPy loop pays Python and call overhead, not flops.
Measured per step over 20 000 steps from the decoupled initialisation, one BLAS thread.
"""

from __future__ import annotations

import numpy as np

from simulate.deep_linear import decoupled_init, train_deep_linear, whitened_task

from .timing import Row, best_time

STEPS = 20_000


def rows() -> list[Row]:
    task = whitened_task(np.array([3.0, 2.0, 1.5, 1.0, 0.5]), 8, 8, np.random.default_rng(0))
    out = []
    for n_layers in (3, 6):
        widths = (8,) + (16,) * (n_layers - 2) + (8,)
        weights = decoupled_init(task, widths, 1e-3, np.random.default_rng(1))

        def run(backend):
            return lambda: train_deep_linear(weights, task, 1e-3, STEPS, record_every=10, backend=backend)

        fast, slow = best_time(run("numba"), repeats=3), best_time(run("numpy"), repeats=3)
        out.append(Row("deep_linear", f"GD step, N_l={n_layers}, widths {widths}, numba", fast / STEPS,
                       "NumPy loop", slow / STEPS, "<= 0.5"))
    return out
