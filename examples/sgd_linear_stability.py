"""Mean-square stability threshold of mini-batch SGD versus batch size (Wu & Su 2023,
arXiv:2305.17490; exact threshold: Ma & Ying 2021, Mulayoff & Michaeli 2023; claim
``sgd_linear_stability``).

Left: η*(B)·λ_max/2 from 1 to n — it rises from at most λ_max/Tr H at B = 1 (Wu & Su's bound
2/Tr H) to 1 at B = n (gradient descent) — with the bounds 2/Tr H and 2/(p Tr H) and the one-step
estimates of simulated chains. Right: E‖δ_t‖² of linearised SGD at 0.9, 1 and 1.1 η*(2), exact
recursion against the mean over chains.

Run: ``python examples/sgd_linear_stability.py [--chains 20000] [--seeds 4] [--out FILE]``.
"""

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.claims.sgd_linear_stability import FACTORS  # noqa: E402
from compare.runner import run_claim  # noqa: E402
from theory.sgd_stability import without_replacement_factor  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="sgd_linear_stability.png")
    parser.add_argument("--chains", type=int, default=20000, help="chains per batch size and seed")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    report = run_claim("sgd_linear_stability", preset="standard", sizes=[args.chains], seeds=args.seeds,
                       workers=args.workers)
    pred = report.predictions
    b = np.asarray(pred["batch_size"])
    n = int(b.max())
    scale = 1.0 / pred["gradient_descent_threshold"]        # λ_max / 2
    threshold = next(c for c in report.checks if c.name == "threshold")
    trace = 2.0 / pred["single_sample_threshold"]

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    ax = axes[0]
    ax.plot(b, np.asarray(threshold.predicted) * scale, "k-", label="exact η*(B)")
    ax.errorbar(b, np.asarray(threshold.measured) * scale, yerr=np.asarray(threshold.stderr) * scale, fmt="o",
                ms=4, capsize=2, label="one-step estimate, simulated chains")
    ax.axhline(2.0 / trace * scale, color="C3", ls="--", lw=1, label="2/Tr H (Wu & Su, B = 1)")
    p = without_replacement_factor(b[:-1].astype(int), n)
    ax.plot(b[:-1], 2.0 / (p * trace) * scale, "C2:", label="2/(p Tr H)")
    ax.set_ylim(0, 1.15)
    ax.set_title(f"n = {n}, d = {report.params['dim']}: verdict {report.verdict}")
    ax.set_xlabel("batch size B")
    ax.set_ylabel("η*(B) · λ_max(H) / 2")
    ax.legend(fontsize=8)

    ax = axes[1]
    check = next(c for c in report.checks if c.name == "mean-square trajectory")
    steps = report.params["steps"]
    t = np.arange(1, steps + 1)
    for k, factor in enumerate(FACTORS):
        part = slice(k * steps, (k + 1) * steps)
        ax.semilogy(t, np.asarray(check.predicted)[part], "-", color=f"C{k}", label=f"exact, η = {factor:g} η*")
        ax.errorbar(t, np.asarray(check.measured)[part], yerr=np.asarray(check.stderr)[part], fmt="o",
                    color=f"C{k}", ms=3, capsize=2)
    ax.set_title(f"E‖δ_t‖², B = {report.params['trajectory_batch']}: exact (lines) and chains (points)")
    ax.set_xlabel("step t")
    ax.set_ylabel("E‖δ_t‖²")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
