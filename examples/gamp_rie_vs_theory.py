"""GAMP-RIE at finite d against the Bayes-optimal error (Maillard et al. 2024,
arXiv:2408.03733, Fig. 2): κ = 0.5, noiseless and label noise Δ = 0.25.

Run: ``python examples/gamp_rie_vs_theory.py [--sizes 100,200] [--seeds 4] [--out FILE]``.
The runs go through ``verify``'s sweep and result store, so a rerun (or a larger run
after a smaller one) reuses every finished job. The paper's sizes (d = 100 and 200, α from
0.075 to 0.5 by 0.025) take about half an hour on two cores; ``--sizes 60,100 --step 0.05``
gives the same picture in a few minutes.
"""

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.runner import run_claim  # noqa: E402
from theory.gamp_rie import bayes_optimal_mmse, perfect_recovery_threshold  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="gamp_rie_vs_theory.png")
    parser.add_argument("--sizes", default="100,200")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--step", type=float, default=0.025)
    parser.add_argument("--kappa", type=float, default=0.5)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    alphas = tuple(float(a) for a in np.round(np.arange(0.075, 0.5 + 1e-9, args.step), 4))

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6), sharey=True)
    fine = np.linspace(0.01, 0.55, 200)
    for ax, delta in zip(axes, (0.0, 0.25)):
        report = run_claim("gamp_rie", preset="paper", sizes=sizes, seeds=args.seeds, workers=args.workers,
                           values={"kappa": args.kappa, "delta": delta, "alpha": alphas})
        extrapolation = next(c for c in report.checks if c.kind == "extrapolation")
        means = np.asarray(extrapolation.details["means"])
        errors = np.asarray(extrapolation.details["stderrs"])
        ax.plot(fine, bayes_optimal_mmse(fine, args.kappa, delta), "k-", label="Bayes-optimal M (theory)")
        for k, d in enumerate(extrapolation.details["sizes"]):
            ax.errorbar(alphas, means[k], yerr=errors[k], fmt="o", ms=4, capsize=2,
                        label=f"GAMP-RIE, d = {d} (mean ± SE, {args.seeds} teachers)")
        if delta == 0:
            ax.axvline(perfect_recovery_threshold(args.kappa), color="0.5", ls=":", label="α_PR")
        ax.set_title(f"κ = {args.kappa:g}, Δ = {delta:g}: verdict {report.verdict}")
        ax.set_xlabel("α = n/d²")
        ax.legend(fontsize=8)
    axes[0].set_ylabel("error M = ‖Ŝ − S*‖²_F / d")
    axes[0].set_ylim(-0.02, 1.05)
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
