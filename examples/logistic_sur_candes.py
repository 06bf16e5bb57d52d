"""The logistic MLE in high dimension: Sur–Candès inflation α* and spread σ* against κ, and the
existence threshold h(γ) with the fraction of separable data sets (Sur & Candès 2019, Fig. 3;
Candès & Sur 2020, Fig. 1-style).

Left: α*(κ) and σ*(κ) at γ² = 5 with the mean α̂ = β̂·β/‖β‖² and σ̂ = ‖β̂ − α̂β‖/√p of Newton
MLE fits (± SE); the classical α = 1 dashed. Right: the phase boundary κ = h(γ) in the (κ, γ)
plane with the fraction of separable data sets (HiGHS LP) at a few points (0 below the curve,
1 above as n → ∞).

Run: ``python examples/logistic_sur_candes.py [--out logistic_sur_candes.png] [--n 1000] [--sets 20]``.
"""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.capacity import is_separable  # noqa: E402
from simulate.logistic import logistic_data, logistic_mle  # noqa: E402
from theory.logistic import logistic_mle_existence_threshold, sur_candes_parameters  # noqa: E402
from _common import example_parser, label_panel, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seed=True)
    parser.add_argument("--n", type=int, default=1000, help="observations per MLE fit")
    parser.add_argument("--sets", type=int, default=20, help="data sets per simulated point")
    parser.add_argument("--lp-n", type=int, default=200, help="observations per separability test")
    parser.add_argument("--points", type=int, default=30, help="κ values on the theory curves")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    gamma = math.sqrt(5.0)

    fig, (ax, ax_h) = plt.subplots(1, 2, figsize=(11, 4.2))
    kappas = np.linspace(0.01, 0.3, args.points)
    theory = np.array([sur_candes_parameters(k, gamma)[:2] for k in kappas])
    ax.plot(kappas, theory[:, 0], "C0-", label="α* (Sur–Candès)")
    ax.plot(kappas, theory[:, 1] / theory[0, 1], "C1-", label="σ*/σ*(κ→0)")
    ax.axhline(1.0, color="k", ls="--", lw=0.8, label="classical α = 1")
    for kappa in (0.05, 0.1, 0.15, 0.2):
        alphas, spreads = [], []
        for _ in range(args.sets):
            data = logistic_data(args.n, kappa, gamma, rng)
            fit = logistic_mle(data.X, data.y)
            if fit.converged:
                a = fit.beta @ data.beta / (data.beta @ data.beta)
                alphas.append(a)
                spreads.append(np.linalg.norm(fit.beta - a * data.beta) / math.sqrt(fit.beta.size))
        se = lambda v: np.std(v, ddof=1) / math.sqrt(len(v)) if len(v) > 1 else 0.0
        ax.errorbar([kappa], [np.mean(alphas)], yerr=[se(alphas)], fmt="o", color="C0", ms=4)
        ax.errorbar([kappa], [np.mean(spreads) / theory[0, 1]], yerr=[se(spreads) / theory[0, 1]], fmt="s",
                    color="C1", ms=4)
    label_panel(ax, f"γ² = 5; points: MLE at n = {args.n} ({args.sets} sets)", "κ = p/n")

    gammas = np.linspace(0.0, 6.0, 61)
    ax_h.plot(logistic_mle_existence_threshold(gammas), gammas, "k-", label="κ = h(γ): MLE exists to the left")
    for g in (0.0, 1.0, 3.0):
        h = float(logistic_mle_existence_threshold(g))
        for kappa in (0.7 * h, h, 1.3 * h):
            separable = []
            for _ in range(args.sets):
                data = logistic_data(args.lp_n, kappa, g, rng)
                separable.append(is_separable((2 * data.y - 1)[:, None] * data.X))
            ax_h.scatter([kappa], [g], c=[np.mean(separable)], cmap="coolwarm", vmin=0, vmax=1, s=40,
                         edgecolors="k")
    label_panel(ax_h, f"existence; colour: fraction separable (n = {args.lp_n})", "κ = p/n", "γ")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
