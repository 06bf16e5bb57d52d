"""Advani & Saxe (2017/2020): generalisation dynamics of a linear student trained by GD.

(a) Generalisation error E_g(t) (solid) and training error E_t(t) (dashed) for several
    α = P/N: Marchenko–Pastur theory (lines) against GD on finite data (points: mean over
    data sets ± 2 s.e.). E_g falls, reaches a minimum, and rises again as the noise is fitted
    through the small eigenvalues (overtraining), most at α = 1.
(b) The asymptotic error E_g(∞) against α, with its peak at α = 1, and the best early-stopping
    error min_t E_g close to the Bayes-optimal ridge error; points: the min-norm solution and
    the best stopping time of GD at finite N.
(c) The frozen subspace: for α < 1 the N − P directions orthogonal to every input never move,
    so the initial weight variance σ₀² stays in the error for ever.

Run: ``python examples/advani_saxe.py [--out advani_saxe.png] [--size 200] [--seeds 20]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.linear_regression import linear_student_gd, linear_teacher  # noqa: E402
from theory.linear_generalization import (  # noqa: E402
    asymptotic_generalization_error,
    generalization_error,
    optimal_ridge_error,
    optimal_stopping_error,
    training_error,
)
from _common import example_parser, label_panel, write_figure  # noqa: E402

NOISE = 0.25  # SNR σ_w̄²/σ_ε² = 4
ETA = 1e-3


def simulate(alpha, times, size, seeds, rng, init_variance=0.0):
    """Mean and s.e. over data sets of (E_g, E_t) at the given times (``inf``: GD's limit)."""
    steps = np.where(np.isfinite(times), np.round(np.where(np.isfinite(times), times, 0) / ETA), -1)
    runs = []
    for _ in range(seeds):
        data = linear_teacher(size, max(1, round(alpha * size)), rng, noise_variance=NOISE)
        out = linear_student_gd(data, ETA, steps.astype(int), rng, init_variance=init_variance)
        runs.append([out.generalization_error, out.training_error])
    runs = np.array(runs)
    return runs.mean(axis=0), runs.std(axis=0, ddof=1) / np.sqrt(seeds)


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=20, seeds_help="data sets per point", seed=True)
    parser.add_argument("--size", type=int, default=200, help="input dimension N")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.6))

    ax = axes[0]
    t_line = np.geomspace(0.05, 200, 200)
    t_pts = np.geomspace(0.1, 100, 9)
    for alpha in (0.5, 1.0, 2.0):
        line, = ax.plot(t_line, generalization_error(t_line, alpha, NOISE), lw=1.5, label=f"α = {alpha:g}")
        ax.plot(t_line, training_error(t_line, alpha, NOISE), "--", lw=1.2, color=line.get_color())
        mean, se = simulate(alpha, t_pts, args.size, args.seeds, rng)
        for k, marker in ((0, "o"), (1, "s")):
            ax.errorbar(t_pts, mean[k], 2 * se[k], fmt=marker, ms=3.5, color=line.get_color(), mfc="none")
    ax.set_xscale("log")
    ax.set_ylim(0, 2.2)
    label_panel(ax, f"(a) E_g (solid, ○), E_t (dashed, □); SNR = {1 / NOISE:g}, N = {args.size}", "t / τ", "error")

    ax = axes[1]
    a_line = np.concatenate([np.linspace(0.05, 0.97, 80), np.linspace(1.03, 4, 80)])
    ax.plot(a_line, asymptotic_generalization_error(a_line, NOISE), "k-", label="E_g(∞): train to convergence")
    ax.plot(a_line, optimal_stopping_error(a_line, NOISE), "C1-", label="min_t E_g: best early stopping")
    ax.plot(a_line, optimal_ridge_error(a_line, NOISE), "C2--", label="Bayes-optimal ridge")
    a_pts = np.array([0.3, 0.6, 0.8, 1.25, 1.6, 2.5, 3.5])
    t_grid = np.concatenate([np.geomspace(0.02, 200, 60), [np.inf]])
    late, best = [], []
    for alpha in a_pts:
        runs = []
        for _ in range(args.seeds):
            data = linear_teacher(args.size, round(alpha * args.size), rng, noise_variance=NOISE)
            steps = np.where(np.isfinite(t_grid), np.round(np.where(np.isfinite(t_grid), t_grid, 0) / ETA), -1)
            err = linear_student_gd(data, ETA, steps.astype(int), rng).expected_generalization_error
            runs.append([err[-1], err[:-1].min()])
        runs = np.array(runs)
        late.append((runs[:, 0].mean(), runs[:, 0].std(ddof=1) / np.sqrt(args.seeds)))
        best.append((runs[:, 1].mean(), runs[:, 1].std(ddof=1) / np.sqrt(args.seeds)))
    late, best = np.array(late), np.array(best)
    ax.errorbar(a_pts, late[:, 0], 2 * late[:, 1], fmt="ko", ms=4, mfc="none", label=f"GD, N = {args.size}")
    ax.errorbar(a_pts, best[:, 0], 2 * best[:, 1], fmt="C1o", ms=4, mfc="none")
    ax.set_ylim(0, 3.5)
    label_panel(ax, "(b) overtraining peaks at α = 1; early stopping ≈ optimal ridge", "α = P/N",
                "generalisation error")

    ax = axes[2]
    alpha = 0.5
    for init in (0.0, 0.5, 1.0):
        line, = ax.plot(t_line, generalization_error(t_line, alpha, NOISE, 1.0, init), label=f"σ₀² = {init:g}")
        ax.axhline(float(asymptotic_generalization_error(alpha, NOISE, 1.0, init)), color=line.get_color(),
                   ls=":", lw=1)
        mean, se = simulate(alpha, t_pts, args.size, args.seeds, rng, init_variance=init)
        ax.errorbar(t_pts, mean[0], 2 * se[0], fmt="o", ms=3.5, color=line.get_color(), mfc="none")
    ax.set_xscale("log")
    label_panel(ax, f"(c) frozen subspace, α = {alpha:g}: (1 − α)σ₀² is never unlearnt", "t / τ", "E_g")

    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
