"""Online SGD of the soft committee machine: the Numba kernel against its NumPy reference.

Both backends consume the same inputs, drawn from one generator in blocks; drawing them is
the part neither backend can speed up, so it is timed alone as a second baseline (goal: the
kernel within 2× of drawing the inputs). K = M = 2, η = 0.5, two time units (2N steps) from
the claim's initial overlaps.
"""

from __future__ import annotations

import numpy as np

from simulate.committee import _BLOCK_STEPS, committee_weights, online_sgd

from .timing import Row, best_time, first_call_time

Q0 = np.array([[0.25, 0.01], [0.01, 0.30]])
R0 = np.array([[0.02, -0.01], [0.005, 0.015]])
NOTES: list[str] = []


def rows(dims: tuple[int, ...] = (500, 1000), time_units: float = 2.0) -> list[Row]:
    out = []
    for dim in dims:
        B, W0 = committee_weights(Q0, R0, np.eye(2), dim, np.random.default_rng(0))
        steps = int(time_units * dim)

        def run(backend: str):
            return online_sgd(B, W0, 0.5, [time_units], np.random.default_rng(1), backend=backend)

        def draw_inputs():
            rng = np.random.default_rng(1)
            for start in range(0, steps, _BLOCK_STEPS):
                rng.standard_normal((min(_BLOCK_STEPS, steps - start), dim))

        compile_time = first_call_time(lambda: run("numba"))
        numba_s = best_time(lambda: run("numba"), repeats=3)
        numpy_s = best_time(lambda: run("numpy"), repeats=3)
        inputs_s = best_time(draw_inputs, repeats=3)
        what = f"online SGD N={dim}, {steps} steps [numba]"
        out.append(Row("committee", what, numba_s, "same on numpy", numpy_s, "<= 0.5"))
        out.append(Row("committee", what, numba_s, "drawing the inputs alone", inputs_s, "<= 2"))
        NOTES.append(f"First call of online SGD N={dim} on numba (compilation/cache load included): "
                     f"{compile_time:.3g} s; per step: numba {1e6 * numba_s / steps:.3g} µs, "
                     f"numpy {1e6 * numpy_s / steps:.3g} µs, inputs alone {1e6 * inputs_s / steps:.3g} µs.")
    return out
