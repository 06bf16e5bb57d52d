"""The plateau of online SGD in a soft committee machine: Saad–Solla ODE against simulation
(Saad & Solla 1995, Fig. 1-style; Biehl, Riegler & Wöhler 1996).

K = M = 2 erf(x/√2) units, T = I, η = 0.5, from the note's initial overlaps. Left:
generalisation error against t = steps/N (log–log): the ODE, simulated runs at two N (mean ±
SE over runs) and the η → 0 symmetric plateau ε* = (K/π)[π/6 − K arcsin(1/(2K))]. Right:
the student–teacher overlaps R_in(t): unspecialised on the plateau, then each student unit
picks one teacher unit.

Run: ``python examples/saad_solla_committee.py [--out saad_solla_committee.png] [--sizes 500,1000]
[--runs 8] [--t-max 200] [--backend numba]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.committee import committee_weights, online_sgd  # noqa: E402
from theory.committee import (committee_generalisation_error, saad_solla_trajectory,  # noqa: E402
                              symmetric_plateau)
from _common import example_parser, label_panel, write_figure  # noqa: E402

Q0 = np.array([[0.25, 0.01], [0.01, 0.30]])
R0 = np.array([[0.02, -0.01], [0.005, 0.015]])
T = np.eye(2)


def main() -> None:
    parser = example_parser(__doc__, __file__, seed=True)
    parser.add_argument("--sizes", default="500,1000", help="comma-separated input dimensions N")
    parser.add_argument("--runs", type=int, default=8, help="SGD runs per N")
    parser.add_argument("--t-max", type=float, default=200.0)
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--backend", default="numba", choices=("numpy", "numba"))
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    fine = np.geomspace(0.05, args.t_max, 300)
    ode = saad_solla_trajectory(Q0, R0, T, args.lr, fine)
    marks = np.array([t for t in (0.5, 1, 2, 5, 10, 20, 30, 50, 75, 100, 125, 150, 175, 200, 300, 400)
                      if t <= args.t_max])
    fig, (ax, ax_r) = plt.subplots(1, 2, figsize=(11, 4.2))
    ax.loglog(fine, committee_generalisation_error(ode.Q, ode.R, T), "k-", label="Saad–Solla ODE")
    ax.axhline(symmetric_plateau(2).generalisation_error, color="0.5", ls=":", label="ε* (η → 0)")
    for k, size in enumerate(int(n) for n in args.sizes.split(",")):
        errors, overlaps = [], []
        for _ in range(args.runs):
            B, W0 = committee_weights(Q0, R0, T, size, rng)
            run = online_sgd(B, W0, args.lr, marks, rng, backend=args.backend)
            errors.append(committee_generalisation_error(run.Q, run.R, run.T))
            overlaps.append(run.R)
        errors = np.array(errors)
        se = errors.std(axis=0, ddof=1) / np.sqrt(args.runs) if args.runs > 1 else None
        ax.errorbar(marks * (1 + 0.04 * k), errors.mean(axis=0), yerr=se, fmt="o", ms=4, color=f"C{k}",
                    label=f"SGD, N = {size} ({args.runs} runs)")
        if k == 0:
            mean_r = np.mean(overlaps, axis=0)
            for i in range(2):
                for n in range(2):
                    ax_r.plot(marks, mean_r[:, i, n], "o", ms=4, color=f"C{2 * i + n + 2}")
            ax_r.set_title(f"student–teacher overlaps (points: SGD, N = {size})")
    for i in range(2):
        for n in range(2):
            ax_r.semilogx(fine, ode.R[:, i, n], "-", color=f"C{2 * i + n + 2}", label=f"R_{i + 1}{n + 1}")
    label_panel(ax, f"soft committee K = M = 2, η = {args.lr:g}", "t = steps / N", "generalisation error ε_g")
    label_panel(ax_r, xlabel="t = steps / N", ylabel="R_in")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
