"""GAMP-RIE at finite d against the Bayes-optimal error (Maillard et al. 2024,
arXiv:2408.03733, Fig. 2): κ = 0.5, noiseless and label noise Δ = 0.25.

Run: ``python examples/gamp_rie_vs_theory.py [--sizes 100,200] [--seeds 4] [--out FILE]``, or
draw from the JSON reports of ``verify`` runs, one panel per report:
``python examples/gamp_rie_vs_theory.py --report paper-d0.json --report paper-d025.json``
after ``verify --claim gamp_rie --preset paper [--set delta=0.25] --json paper-d0.json``
(docs/claims/gamp_rie.md: cost, and how to run it on a dask cluster).
Computing here, the runs go through ``verify``'s sweep and result store, so a rerun (or a
larger run after a smaller one) reuses every finished job. The paper's sizes (d = 100 and
200, α from 0.075 to 0.5 by 0.025, 10 teachers) take about 15 minutes per Δ on two cores
(870 s measured for Δ = 0 on a two-worker dask cluster; fewer with the default 4 seeds);
``--sizes 60,100 --step 0.05`` gives the same picture in a few minutes.
"""

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from _common import add_report_option, example_parser, load_reports, write_figure  # noqa: E402
from compare.runner import run_claim  # noqa: E402
from theory.gamp_rie import bayes_optimal_mmse, perfect_recovery_threshold  # noqa: E402


def computed_reports(sizes, seeds, step, kappa, workers) -> list[dict]:
    """The two panels' reports (Δ = 0 and 0.25), as ``verify --json`` would write them."""
    alphas = tuple(float(a) for a in np.round(np.arange(0.075, 0.5 + 1e-9, step), 4))
    return [json.loads(run_claim("gamp_rie", preset="paper", sizes=sizes, seeds=seeds, workers=workers,
                                 values={"kappa": kappa, "delta": delta, "alpha": alphas}).to_json())
            for delta in (0.0, 0.25)]


def draw(reports: list[dict], out: str) -> None:
    """One panel per report: the headline check's mean ± SE at every d against M(α)."""
    fig, axes = plt.subplots(1, len(reports), figsize=(6 * len(reports), 4.6), sharey=True, squeeze=False)
    for ax, report in zip(axes[0], reports):
        kappa, delta = report["params"]["kappa"], report["params"]["delta"]
        alphas = np.asarray(report["params"]["alpha"], dtype=float)
        headline = next(c for c in report["checks"] if c["name"] == report["headline"])
        means = np.asarray(headline["details"]["means"], dtype=float)
        errors = np.asarray(headline["details"]["stderrs"], dtype=float)
        fine = np.linspace(0.01, max(0.55, alphas.max() + 0.05), 200)
        ax.plot(fine, bayes_optimal_mmse(fine, kappa, delta), "k-", label="Bayes-optimal M (theory)")
        for k, d in enumerate(headline["details"]["sizes"]):
            ax.errorbar(alphas, means[k], yerr=errors[k], fmt="o", ms=4, capsize=2,
                        label=f"GAMP-RIE, d = {d} (mean ± SE, {report['seeds']} teachers)")
        if delta == 0:
            ax.axvline(perfect_recovery_threshold(kappa), color="0.5", ls=":", label="α_PR")
        ax.set_title(f"κ = {kappa:g}, Δ = {delta:g}: verdict {report['verdict']}")
        ax.set_xlabel("α = n/d²")
        ax.legend(fontsize=8)
    axes[0][0].set_ylabel("error M = ‖Ŝ − S*‖²_F / d")
    axes[0][0].set_ylim(-0.02, 1.05)
    write_figure(fig, out)


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=4, workers=True)
    add_report_option(parser, "gamp_rie")
    parser.add_argument("--sizes", default="100,200")
    parser.add_argument("--step", type=float, default=0.025)
    parser.add_argument("--kappa", type=float, default=0.5)
    args = parser.parse_args()
    if args.report:
        reports = load_reports(args.report, "gamp_rie")
    else:
        reports = computed_reports([int(s) for s in args.sizes.split(",")], args.seeds, args.step,
                                   args.kappa, args.workers)
    draw(reports, args.out)


if __name__ == "__main__":
    main()
