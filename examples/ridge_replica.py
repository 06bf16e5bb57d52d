"""Ridge regression on a linear teacher: double descent and its removal by the optimal ridge.

Test error σ² + E against α = n/d for several ridges λ (summed loss, inputs of variance 1/d,
σ² = 0.25, ρ = 1; Krogh & Hertz 1992, Hastie et al. 2019, Nakkiran et al. 2020): asymptotic
theory (lines) against ridge on simulated data (points: mean over data sets ± 2 s.e.). As
λ → 0 the error peaks at α = 1 (double descent); the Bayes-optimal λ* = σ²/ρ makes it
monotone. For λ = 0 the dotted line is the exact finite-d mean of the min-norm solution
(diverging at |n − d| ≤ 1), which the points follow near the peak.

Run: ``python examples/ridge_replica.py [--out ridge_replica.png] [--size 200] [--seeds 30]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.linear_regression import linear_teacher, ridge_regression  # noqa: E402
from theory.ridge import ridge_test_error, ridgeless_finite_size_excess  # noqa: E402
from _common import example_parser, label_panel, write_figure  # noqa: E402

NOISE, TEACHER = 0.25, 1.0
RIDGES = (0.0, 1e-3, 1e-2, 0.1, NOISE / TEACHER)


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=30, seeds_help="data sets per α", seed=True)
    parser.add_argument("--size", type=int, default=200, help="dimension d")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    d = args.size

    alphas = np.round(np.concatenate([np.linspace(0.2, 0.9, 8), [0.95, 1.05], np.linspace(1.1, 3.0, 8)]), 3)
    alphas = alphas[np.abs(np.round(alphas * d) - d) >= 4]  # finite-variance min-norm error
    sims = []
    for alpha in alphas:
        runs = [ridge_regression(linear_teacher(d, round(alpha * d), rng, noise_variance=NOISE,
                                                teacher_variance=TEACHER, teacher_norm="exact"),
                                 RIDGES).excess for _ in range(args.seeds)]
        runs = NOISE + np.array(runs)
        sims.append((runs.mean(axis=0), runs.std(axis=0, ddof=1) / np.sqrt(args.seeds)))

    fig, ax = plt.subplots(figsize=(7.5, 5))
    line_alpha = np.linspace(0.05, 3.2, 1200)
    for k, reg in enumerate(RIDGES):
        label = "λ* = σ²/ρ (Bayes)" if k == len(RIDGES) - 1 else f"λ = {reg:g}"
        theory = ridge_test_error(line_alpha, reg, NOISE, TEACHER)
        line, = ax.plot(line_alpha, np.where(np.isfinite(theory), theory, np.nan), lw=1.4, label=label)
        ax.errorbar(alphas, [m[k] for m, _ in sims], [2 * s[k] for _, s in sims], fmt="o", ms=3.5,
                    color=line.get_color(), mfc="none")
    n = np.arange(1, int(3.2 * d) + 1)
    finite = NOISE + ridgeless_finite_size_excess(n, d, NOISE, TEACHER)
    ax.plot(n / d, np.where(np.isfinite(finite), finite, np.nan), ":", color="C0", lw=1,
            label=f"λ = 0, exact mean at d = {d}")
    ax.set_ylim(0, 3)
    label_panel(ax, f"Ridge regression: double descent (σ² = {NOISE:g}, ρ = {TEACHER:g}, d = {d})", "α = n/d",
                "test error σ² + ‖ŵ − w*‖²/d")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
