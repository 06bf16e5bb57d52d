"""Learning curves of the sign-teacher perceptron: Bayes-optimal (GAMP), Gibbs and Hebb
(Engel & Van den Broeck 2001, ch. 2–3; Barbier et al. 2019, arXiv:1708.03395).

Left: generalisation error against α on log–log axes, the three theory curves with GAMP and
Hebb points (mean ± SE over seeds) and the large-α asymptotes 0.442/α and 0.625/α. Right:
GAMP's overlap with the teacher after each iteration against the state evolution at
α = ``--se-alpha``.

Run: ``python examples/perceptron_teacher_student.py [--d 1000] [--seeds 8]
[--alphas 0.25,0.5,1,2,4,8] [--out FILE]``. The runs go through ``verify``'s sweep and
result store, so a rerun reuses every finished job (the defaults take about a minute on two
cores).
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.runner import run_claim  # noqa: E402
from theory.perceptron import (perceptron_bayes_error, perceptron_gibbs_error,  # noqa: E402
                               perceptron_hebb_error, perceptron_state_evolution)
from _common import example_parser, label_panel, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=8, workers=True)
    parser.add_argument("--d", type=int, default=1000, help="input dimension")
    parser.add_argument("--alphas", default="0.25,0.5,1,2,4,8")
    parser.add_argument("--se-alpha", type=float, default=2.0)
    parser.add_argument("--n-iter", type=int, default=25)
    args = parser.parse_args()
    alphas = tuple(sorted({float(a) for a in args.alphas.split(",")} | {args.se_alpha}))

    report = run_claim("perceptron_teacher_student", preset="standard", sizes=[args.d], seeds=args.seeds,
                       workers=args.workers,
                       values={"alpha": alphas, "se_alpha": args.se_alpha, "n_iter": args.n_iter})
    checks = {c.quantity: c for c in report.checks}

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    fine = np.logspace(-1, np.log10(50), 200)
    left.loglog(fine, perceptron_bayes_error(fine), "k-", label="Bayes-optimal ε_B = arccos(√q)/π")
    left.loglog(fine, perceptron_gibbs_error(fine), "C1--", label="Gibbs ε_G = arccos(q)/π")
    left.loglog(fine, perceptron_hebb_error(fine), "C2-.", label="Hebb arccos√(2α/(2α+π))/π")
    large = fine[fine > 3]
    left.loglog(large, 0.44170004 / large, ":", color="0.5", lw=1, label="0.442/α, 0.625/α")
    left.loglog(large, 0.62465819 / large, ":", color="0.5", lw=1)
    for quantity, colour, label in (("bayes_error", "C0", "GAMP"), ("hebb_error", "C2", "Hebb rule")):
        check = checks[quantity]
        left.errorbar(alphas, check.measured, yerr=check.stderr, fmt="o", ms=4, capsize=2, color=colour,
                      label=f"{label}, d = {args.d} ({args.seeds} seeds)")
    label_panel(left, f"verdict {report.verdict}", "α = n/d", "generalisation error ε")

    check = checks["se_overlap"]
    t = np.arange(1, args.n_iter + 1)
    right.plot(t, perceptron_state_evolution(args.se_alpha, args.n_iter), "k-", label="state evolution q_t")
    right.errorbar(check.x, check.measured, yerr=check.stderr, fmt="o", ms=4, capsize=2,
                   label="GAMP ŵᵗ·w*/d (mean ± SE)")
    label_panel(right, f"α = {args.se_alpha:g}", "iteration t", "overlap")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
