"""Mean-square stability threshold of mini-batch SGD versus batch size (Wu & Su 2023,
arXiv:2305.17490; exact threshold: Ma & Ying 2021, Mulayoff & Michaeli 2023; claim
``sgd_linear_stability``).

Left: η*(B)·λ_max/2 from 1 to n — it rises from at most λ_max/Tr H at B = 1 (Wu & Su's bound
2/Tr H) to 1 at B = n (gradient descent) — with the bounds 2/Tr H and 2/(p Tr H) and the one-step
estimates of simulated chains. Right: E‖δ_t‖² of linearised SGD at 0.9, 1 and 1.1 η*(2), exact
recursion against the mean over chains.

Run: ``python examples/sgd_linear_stability.py [--chains 20000] [--seeds 4] [--out FILE]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.claims.sgd_linear_stability import FACTORS  # noqa: E402
from compare.runner import run_claim  # noqa: E402
from theory.sgd_stability import without_replacement_factor  # noqa: E402
from _common import example_parser, label_panel, theory_and_simulation, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=4, workers=True)
    parser.add_argument("--chains", type=int, default=20000, help="chains per batch size and seed")
    args = parser.parse_args()
    report = run_claim("sgd_linear_stability", preset="standard", sizes=[args.chains], seeds=args.seeds,
                       workers=args.workers)
    pred = report.predictions
    b = np.asarray(pred["batch_size"])
    n = int(b.max())
    scale = 1.0 / pred["gradient_descent_threshold"]        # λ_max / 2
    threshold = report.check("threshold")
    trace = 2.0 / pred["single_sample_threshold"]

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    ax = axes[0]
    theory_and_simulation(ax, b, threshold, style="k-", scale=scale, theory="exact η*(B)",
                          simulation="one-step estimate, simulated chains")
    ax.axhline(2.0 / trace * scale, color="C3", ls="--", lw=1, label="2/Tr H (Wu & Su, B = 1)")
    p = without_replacement_factor(b[:-1].astype(int), n)
    ax.plot(b[:-1], 2.0 / (p * trace) * scale, "C2:", label="2/(p Tr H)")
    ax.set_ylim(0, 1.15)
    label_panel(ax, f"n = {n}, d = {report.params['dim']}: verdict {report.verdict}", "batch size B",
                "η*(B) · λ_max(H) / 2")

    ax = axes[1]
    check = report.check("mean-square trajectory")
    steps = report.params["steps"]
    t = np.arange(1, steps + 1)
    for k, factor in enumerate(FACTORS):
        part = slice(k * steps, (k + 1) * steps)
        ax.semilogy(t, np.asarray(check.predicted)[part], "-", color=f"C{k}", label=f"exact, η = {factor:g} η*")
        ax.errorbar(t, np.asarray(check.measured)[part], yerr=np.asarray(check.stderr)[part], fmt="o",
                    color=f"C{k}", ms=3, capsize=2)
    label_panel(ax, f"E‖δ_t‖², B = {report.params['trajectory_batch']}: exact (lines) and chains (points)",
                "step t", "E‖δ_t‖²")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
