"""Gradient descent on the quadratic network against the Bayes-optimal error (Maillard et al.
2024, arXiv:2408.03733, §4 and Fig. 4): κ = 0.5, noiseless; one GD run lands near 2M (a
posterior sample), the average over k initialisations near M(1 + 1/k).

Run: ``python examples/quadratic_net_gd.py [--sizes 40] [--seeds 6] [--inits 8] [--out FILE]``,
or draw from the JSON reports of ``verify`` runs, one marker set per size (a report keeps the
mean ± SE at every size of its run; its checks compare the largest):
``python examples/quadratic_net_gd.py --report fig4.json`` after
``verify --claim quadratic_net_gd --preset paper --json fig4.json`` (or one report per size:
``--sizes 100 --json gd-d100.json``, and ``--report`` repeated; docs/claims/quadratic_net_gd.md:
cost, and how to run it on a dask cluster). Computing here, one ``verify`` run goes through the
sweep and result store.
"""

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from _common import add_report_option, example_parser, load_reports, write_figure  # noqa: E402
from compare.runner import run_claim  # noqa: E402
from theory.gamp_rie import bayes_optimal_mmse, perfect_recovery_threshold  # noqa: E402

ALPHAS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35)
"""The paper preset's grid (Fig. 4 runs to α ≈ 0.41, past α_PR = 0.375 at κ = 0.5)."""


def computed_reports(sizes, seeds, inits, alphas, workers) -> list[dict]:
    """The run's report (every size), as ``verify --json`` would write it."""
    return [json.loads(run_claim("quadratic_net_gd", preset="paper", sizes=sizes, seeds=seeds, workers=workers,
                                 values={"inits": inits, "alpha": alphas}).to_json())]


def draw(reports: list[dict], out: str) -> None:
    """Left: single-run and averaged GD error (mean ± SE over data sets) against M, 2M and
    M(1 + 1/k). Right: the same divided by M."""
    kappa = reports[0]["params"]["kappa"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    top = max(max(r["params"]["alpha"]) for r in reports)
    fine = np.linspace(0.005, min(top + 0.03, perfect_recovery_threshold(kappa) - 1e-3), 200)
    M = bayes_optimal_mmse(fine, kappa, 0.0)
    left.plot(fine, M, "k-", label="Bayes-optimal M")
    left.plot(fine, 2 * M, "k--", label="2M (posterior sample)")
    right.axhline(2.0, color="k", ls="--", lw=1)
    right.axhline(1.0, color="k", lw=1)
    for report in reports:
        if report["params"]["kappa"] != kappa:
            raise SystemExit("--report: the reports differ in kappa")
        checks = {c["quantity"]: c for c in report["checks"]}
        k = report["params"]["inits"]
        for quantity, marker, what in (("gd_error", "o", "GD"), ("averaged_gd_error", "s", f"averaged GD, k = {k}")):
            check = checks[quantity]
            alpha = np.asarray(check["x"], dtype=float)
            mmse = bayes_optimal_mmse(alpha, kappa, 0.0)
            per_size = zip(check["details"]["sizes"], check["details"]["means"], check["details"]["stderrs"])
            for d, measured, stderr in per_size:
                measured, stderr = np.asarray(measured, dtype=float), np.asarray(stderr, dtype=float)
                label = f"{what}, d = {d} ({report['seeds']} data sets)"
                left.errorbar(alpha, measured, yerr=stderr, fmt=marker, ms=4, capsize=2, label=label)
                right.errorbar(alpha, measured / mmse, yerr=stderr / mmse, fmt=marker, ms=4, capsize=2,
                               label=label)
        left.plot(fine, M * (1 + 1 / k), ":", color="0.4", label=f"M(1 + 1/{k}) (k posterior samples)")
    for ax in (left, right):
        ax.axvline(perfect_recovery_threshold(kappa), color="0.5", ls=":", lw=1)
        ax.set_xlabel("α = n/d²")
        ax.legend(fontsize=7)
    left.set_ylabel("error ‖S − S*‖²_F / d")
    right.set_ylabel("error / M")
    verdicts = ", ".join(sorted({r["verdict"] for r in reports}))
    left.set_title(f"κ = {kappa:g}, noiseless: verdict {verdicts}")
    right.set_title("GD ≈ 2M, averaged GD ≈ M(1 + 1/k)")
    write_figure(fig, out)


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=6, workers=True)
    add_report_option(parser, "quadratic_net_gd")
    parser.add_argument("--sizes", default="40")
    parser.add_argument("--inits", type=int, default=8)
    parser.add_argument("--alphas", default=",".join(map(str, ALPHAS)))
    args = parser.parse_args()
    if args.report:
        reports = load_reports(args.report, "quadratic_net_gd")
    else:
        reports = computed_reports([int(s) for s in args.sizes.split(",")], args.seeds, args.inits,
                                   tuple(float(a) for a in args.alphas.split(",")), args.workers)
    draw(reports, args.out)


if __name__ == "__main__":
    main()
