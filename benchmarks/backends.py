"""Backends on the same inputs, and cost as the size doubles (measured vs expected exponent).

Every simulate function runs on ``numpy`` (the reference) and ``numba``; ``cupy`` is added
where a GPU is present. Where no loop is the real cost the two CPU backends run the same
LAPACK/BLAS path and the ratio is 1 within noise: that is the expected entry, not a gap.
A cost-vs-size figure is written to ``benchmarks/results/cost_vs_size.png``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulate.backend import cupy_available
from simulate.matrix_factorization import asymmetric_gd, planted_target, symmetric_gd
from simulate.quadratic_teacher import quadratic_teacher, sensing_adjoint, sensing_operator
from simulate.quadratic_net import train_gd
from simulate.random_matrices import goe_spectrum, wishart_goe_spectrum, wishart_spectrum

from .timing import Row, best_time, first_call_time

RESULTS = Path(__file__).resolve().parent / "results"
NOTES: list[str] = []

KERNELS = {
    "goe_spectrum N=1000": lambda rng, b: goe_spectrum(1000, rng, backend=b),
    "wishart_spectrum N=1000": lambda rng, b: wishart_spectrum(1000, 0.5, rng, backend=b),
    "wishart_goe_spectrum N=800": lambda rng, b: wishart_goe_spectrum(800, 0.5, 0.1, rng, backend=b),
    "quadratic_teacher d=100 α=0.5": lambda rng, b: quadratic_teacher(100, 0.5, 0.5, 0.0, rng, backend=b),
    # one GD run to convergence (865 steps) on fixed data; only W⁰ comes from rng
    "train_gd d=40 α=0.2": lambda rng, b, data=quadratic_teacher(40, 0.5, 0.2, 0.0, np.random.default_rng(1)):
        train_gd(data.X, data.y, data.m, rng, backend=b),
    # the matrix-factorisation GD loops (overparam_matrix_factorization), n = 20, k = 4
    "symmetric_gd n=20 k=4 T=10⁴": lambda rng, b, target=planted_target(20, [1.0, 0.5], np.random.default_rng(2)):
        symmetric_gd(target, 4, 0.3, 0.05, 10_000, rng, backend=b),
    "asymmetric_gd n=20 k=4 α=0.05": lambda rng, b, target=planted_target(20, [1.0, 0.5], np.random.default_rng(2)):
        asymmetric_gd(target, 4, 0.05, 0.05, rng, backend=b),
}

SCALING = {
    # name: (sizes, function of (size, rng), expected exponent)
    "GOE tridiagonal": ((500, 1000, 2000, 4000), lambda n, rng: goe_spectrum(n, rng), 2.0),
    "GOE dense": ((250, 500, 1000, 2000), lambda n, rng: goe_spectrum(n, rng, method="dense"), 3.0),
    "GAMP operator pair, α=0.5": ((50, 100, 200), None, 4.0),
}


def _operator_pair(d: int, rng):
    data = quadratic_teacher(d, 0.5, 0.5, 0.0, rng)
    g = rng.standard_normal(data.n)
    return lambda: (sensing_operator(data.X, data.S_star), sensing_adjoint(data.X, g))


def rows() -> list[Row]:
    out = []
    backends = ["numba"] + (["cupy"] if cupy_available() else [])
    for name, kernel in KERNELS.items():
        base = best_time(lambda: kernel(np.random.default_rng(0), "numpy"))
        for backend in backends:
            compile_time = first_call_time(lambda: kernel(np.random.default_rng(0), backend))
            ours = best_time(lambda: kernel(np.random.default_rng(0), backend))
            out.append(Row("backends", f"{name} [{backend}]", ours, "same on numpy", base, "<= 1"))
            NOTES.append(f"First call of {name} on {backend} (compilation/cache load included): "
                         f"{compile_time:.3g} s.")
    _scaling(out)
    return out


def _scaling(out: list[Row]) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 4))
    for name, (sizes, fn, expected) in SCALING.items():
        rng = np.random.default_rng(0)
        times = [best_time(_operator_pair(n, rng) if fn is None else (lambda n=n: fn(n, rng)), repeats=3)
                 for n in sizes]
        slope = np.polyfit(np.log(sizes), np.log(times), 1)[0]
        ax.loglog(sizes, times, "o-", label=f"{name}: slope {slope:.2f} (expected {expected:g})")
        NOTES.append(f"Cost of {name} grows like size^{slope:.2f} over sizes {sizes} (expected {expected:g}).")
    ax.set_xlabel("size (N or d)")
    ax.set_ylabel("seconds")
    ax.legend(fontsize=7)
    fig.tight_layout()
    RESULTS.mkdir(exist_ok=True)
    fig.savefig(RESULTS / "cost_vs_size.png", dpi=110)
    plt.close(fig)
