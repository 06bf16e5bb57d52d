"""GAMP-RIE: one iteration against its unavoidable linear algebra (goal ≤ 1.5), and whole jobs
under the stop rules against the former rule, with iterations and the cost exponent in d;
gradient descent's jobs under its stop (10⁻⁶ of the initial loss) against the former 10⁻⁸;
the iteration's linear algebra stacked over seeds against one seed at a time (batching).

An iteration needs the operator pair ``A(Ŝ)``, ``Aᵀ(g)`` (two O(n d²) products) and one
``eigh`` of a d × d matrix; everything else (the RIE through the cubic, MMSE_den, damping)
is overhead. Measured at d = 200, α = 0.5, κ = 0.5 as the mean over 10 iterations.

Jobs: the claim's GAMP-RIE run (κ = 0.5, damping 0.5, cap 300) at α ∈ {0.1, 0.2, 0.3, 0.45},
Δ ∈ {0, 0.25}, one teacher each, per d. The former rule stopped at ``(1/d)‖Ŝ^{t+1} − Ŝ^t‖²_F
< 1e-10`` or at the cap; it is replayed exactly as a run without stop rule to the iteration
where it fired (read off the change trajectory of a run to the cap). Both timed in this run.
"""

from __future__ import annotations

import time

import numpy as np

from simulate.gamp_rie import gamp_rie
from simulate.quadratic_net import gd_errors
from simulate.quadratic_teacher import quadratic_teacher, sensing_adjoint, sensing_operator
from theory.gamp_rie import denoising_mmse, prior_support_hull, rie_denoiser

from .timing import Row, best_time

NOTES: list[str] = []
KAPPA = 0.5
JOBS = [(alpha, delta) for delta in (0.0, 0.25) for alpha in (0.1, 0.2, 0.3, 0.45)]
SIZES = (50, 70, 100, 140)
FORMER_TOL = 1e-10
"""The former stop rule: per-entry squared change of the estimate below this."""


def _run(data, **kwargs):
    return gamp_rie(data.X, data.y, delta=data.delta, kappa=KAPPA,
                    denoiser=lambda lam, s: rie_denoiser(lam, s, KAPPA),
                    denoising_mmse=lambda s: float(denoising_mmse(s, KAPPA)),
                    clip=prior_support_hull(KAPPA), S_star=data.S_star, damping=0.5, **kwargs)


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _former_stop(data, cap: int = 300) -> int:
    """Iteration at which ``(1/d)‖Ŝ^{t+1} − Ŝ^t‖²_F < 1e-10`` fired (``cap`` if never)."""
    full = _run(data, max_iter=cap, tol=0.0, stall_window=None)
    d = data.d
    norm2 = np.array([np.sum(full.S_hat ** 2)] * len(full.change_trajectory))  # ‖Ŝ‖ settles early
    fired = np.nonzero(full.change_trajectory ** 2 * norm2 / d < FORMER_TOL)[0]
    return int(fired[0]) + 1 if len(fired) else cap


def _job_rows() -> list[Row]:
    rows, per_job = [], []
    for d in SIZES:
        it_old = it_new = 0
        t_old = t_new = 0.0
        deviation = 0.0
        for k, (alpha, delta) in enumerate(JOBS):
            data = quadratic_teacher(d, KAPPA, alpha, delta, np.random.default_rng(k))
            stop = _former_stop(data)
            old, s_old = _timed(lambda: _run(data, max_iter=stop, tol=0.0, stall_window=None))
            new, s_new = _timed(lambda: _run(data, max_iter=300))
            it_old, it_new = it_old + old.iterations, it_new + new.iterations
            t_old, t_new = t_old + s_old, t_new + s_new
            deviation = max(deviation, abs(new.final_mse - old.final_mse))
        per_job.append((d, t_old / len(JOBS), t_new / len(JOBS)))
        rows.append(Row("gamp", f"{len(JOBS)} GAMP-RIE jobs, d={d}: {it_new / len(JOBS):.0f} "
                                f"iterations per job (stop rules; max |Δ error| {deviation:.1e})",
                        t_new, f"former rule: {it_old / len(JOBS):.0f} iterations per job",
                        t_old, "< 1, same error"))
    d, old, new = (np.array(c, dtype=float) for c in zip(*per_job))
    slope_old = np.polyfit(np.log(d), np.log(old), 1)[0]
    slope_new = np.polyfit(np.log(d), np.log(new), 1)[0]
    NOTES.append("GAMP-RIE wall time per job (κ = 0.5, mean over α ∈ {0.1, 0.2, 0.3, 0.45} × "
                 "Δ ∈ {0, 0.25}): " + ", ".join(f"d = {int(a)}: {n:.2f} s (former {o:.2f} s)"
                                                for a, o, n in zip(d, old, new))
                 + f"; fitted cost ∝ d^{slope_new:.2f} (former d^{slope_old:.2f}; "
                   "per iteration α d⁴ from the operator pair, d³ from eigh).")
    return rows


def _gd_row(d: int = 40, inits: int = 4) -> Row:
    """The claim's GD job (``inits`` runs on one data set, numba) at α ∈ {0.1, 0.15, 0.2}."""
    data = [quadratic_teacher(d, KAPPA, alpha, 0.0, np.random.default_rng(k))
            for k, alpha in enumerate((0.1, 0.15, 0.2))]
    gd_errors(data[0], 1, np.random.default_rng(0), max_steps=2, backend="numba")  # compile / load
    runs = {}
    for tol in (1e-8, None):
        kwargs = {} if tol is None else {"tol": tol}
        runs[tol] = _timed(lambda: [gd_errors(x, inits, np.random.default_rng(9), backend="numba", **kwargs)
                                    for x in data])
    (old, t_old), (new, t_new) = runs[1e-8], runs[None]
    steps_old, steps_new = (sum(int(o.steps.sum()) for o in out) for out in (old, new))
    deviation = max(float(np.max(np.abs(a.errors - b.errors))) for a, b in zip(old, new))
    return Row("gamp", f"3 GD jobs × {inits} runs, d={d}: {steps_new} steps (stop at 1e-6 of the "
                       f"initial loss; max |Δ error| {deviation:.1e})",
               t_new, f"former stop at 1e-8: {steps_old} steps", t_old, "< 1, same error")


def _batched_rows(d: int = 100, alpha: float = 0.3, seeds: int = 8) -> list[Row]:
    """What batching ``seeds`` jobs of one claim would buy on the CPU: the iteration's two
    costs (the operator pair and the ``eigh``) stacked over seeds against one seed at a time.
    Stacked ``eigh`` is a loop over LAPACK calls and stacked GEMMs are no larger than the
    per-seed ones at these sizes, so a ratio near 1 means batching is not worth its
    bookkeeping on the CPU (it would be on a GPU, none was available to measure)."""
    rng = np.random.default_rng(3)
    n = round(alpha * d * d)
    X, S = rng.standard_normal((seeds, n, d)), rng.standard_normal((seeds, d, d))
    R = S + S.transpose(0, 2, 1)
    return [
        Row("gamp", f"operator A(S) stacked over {seeds} seeds, d={d}, α={alpha}",
            best_time(lambda: (np.einsum("knd,knd->kn", X @ S, X)
                               - np.trace(S, axis1=1, axis2=2)[:, None]) / np.sqrt(d)),
            "one seed at a time", best_time(lambda: [sensing_operator(X[k], S[k]) for k in range(seeds)]),
            "batch only if < 0.8"),
        Row("gamp", f"eigh stacked over {seeds} seeds, d={d}", best_time(lambda: np.linalg.eigh(R)),
            "one seed at a time", best_time(lambda: [np.linalg.eigh(R[k]) for k in range(seeds)]),
            "batch only if < 0.8"),
    ]


def rows(d: int = 200, alpha: float = 0.5, iterations: int = 10) -> list[Row]:
    data = quadratic_teacher(d, KAPPA, alpha, 0.0, np.random.default_rng(0))

    def run():
        _run(data, max_iter=iterations, tol=0.0, stall_window=None)

    g = np.random.default_rng(1).standard_normal(data.n)

    def linear_algebra():
        sensing_operator(data.X, data.S_star)
        R = sensing_adjoint(data.X, g)
        np.linalg.eigh(R)

    per_iteration = best_time(run, repeats=3) / iterations
    return [Row("gamp", f"GAMP-RIE iteration, d={d}, α={alpha}", per_iteration,
                "A, Aᵀ and one eigh", best_time(linear_algebra), "<= 1.5"), *_job_rows(), _gd_row(),
            *_batched_rows()]
