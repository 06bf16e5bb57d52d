"""Largest stable learning rate versus batch size on least squares: SGD (linear, then saturating at
2/λ₁(H_emp)) and frozen Adam (√B) — Granziol, Zohren & Roberts 2022, arXiv:2006.09092, the paper's
learning-rate figure, with the exact mean-square thresholds (claim ``batch_learning_rate``).

Lines: the exact thresholds of the fixed data set (theory.sgd_stability,
theory.hessian_batch_learning_rate); the online closed form 2B/(B + P + 1) (N → ∞); guides of
slope 1 and ½. Points: one-step stationary learning rates of simulated chains (mean ± SE over seeds).

Run: ``python examples/batch_learning_rate.py [--chains 2000] [--seeds 4] [--out FILE]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.runner import run_claim  # noqa: E402
from theory.hessian_batch_learning_rate import online_sgd_max_learning_rate  # noqa: E402
from _common import example_parser, label_panel, theory_and_simulation, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=4, workers=True)
    parser.add_argument("--chains", type=int, default=2000, help="chains per batch size and seed")
    parser.add_argument("--n-params", type=int, default=50)
    parser.add_argument("--n-data", type=int, default=400)
    args = parser.parse_args()
    sizes = tuple(float(b) for b in np.unique(np.round(np.geomspace(1, args.n_data, 12))))
    report = run_claim("batch_learning_rate", preset="standard", sizes=[args.chains], seeds=args.seeds,
                       workers=args.workers,
                       values={"n_params": args.n_params, "n_data": args.n_data, "batch_sizes": sizes})
    pred = report.predictions
    b = np.asarray(pred["batch_size"])
    fig, ax = plt.subplots(figsize=(7.5, 5.2))
    for name, colour, label in (("SGD threshold", "C0", "SGD"), ("frozen-Adam threshold", "C1", "frozen Adam")):
        theory_and_simulation(ax, b, report.check(name), colour=colour, theory=f"{label}: exact threshold",
                              simulation=f"{label}: simulated chains")
    ax.set_xscale("log")
    ax.set_yscale("log")
    fine = np.geomspace(1, args.n_data, 200)
    ax.loglog(fine, online_sgd_max_learning_rate(args.n_params, fine), "C0:", lw=1, label="online 2B/(B + P + 1)")
    sgd0, adam0 = np.asarray(pred["sgd_threshold"])[0], np.asarray(pred["adam_threshold"])[0]
    small = fine[fine <= 16]
    ax.loglog(small, sgd0 * small, color="0.5", lw=0.8, ls="--", label="slope 1")
    ax.loglog(small, adam0 * np.sqrt(small), color="0.5", lw=0.8, ls="-.", label="slope ½")
    ax.axhline(pred["full_batch_threshold"], color="0.7", lw=1, label="2/λ₁(H_emp)")
    label_panel(ax, f"least squares, P = {args.n_params}, N = {args.n_data}: verdict {report.verdict}",
                "batch size B", "largest mean-square stable learning rate")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
