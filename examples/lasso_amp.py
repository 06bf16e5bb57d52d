"""AMP for the LASSO against state evolution, and the Donoho–Maleki–Montanari phase diagram
(Donoho, Maleki & Montanari 2009, PNAS, Fig. 1 and Fig. 2).

Left: the mean squared error after each iteration, state evolution (line) against AMP
(mean ± SE over seeds) and iterative soft thresholding, which is AMP without the Onsager
term. Right: the noiseless phase transition ρ_SE(δ) of AMP at the optimal threshold, with
the run's (δ, ε/δ) marked.

Run: ``python examples/lasso_amp.py [--N 2000] [--seeds 20] [--out FILE]``; the AMP runs go
through ``verify``'s sweep and result store (a rerun reuses them).
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.runner import run_claim  # noqa: E402
from simulate.lasso_amp import bernoulli_gaussian_data, lasso_amp  # noqa: E402
from theory.lasso_amp import dmm_phase_transition, lasso_amp_state_evolution  # noqa: E402
from _common import example_parser, label_panel, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=20, workers=True)
    parser.add_argument("--N", type=int, default=2000, help="signal dimension")
    parser.add_argument("--n-iter", type=int, default=15)
    args = parser.parse_args()

    report = run_claim("lasso_amp", preset="standard", sizes=[args.N], seeds=args.seeds, workers=args.workers,
                       values={"n_iter": args.n_iter})
    p = report.params
    problem = (p["delta"], p["theta"], p["sparsity"], p["signal_variance"], p["noise_variance"])
    amp = next(c for c in report.checks if c.quantity == "mse")
    ist = np.mean([lasso_amp(bernoulli_gaussian_data(args.N, p["delta"], p["sparsity"], p["signal_variance"],
                                                     p["noise_variance"], np.random.default_rng(seed),
                                                     design=p["design"]),
                             p["theta"], args.n_iter, onsager=False).mse
                   for seed in range(min(args.seeds, 5))], axis=0)

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    t = np.arange(1, args.n_iter + 1)
    left.semilogy(t, lasso_amp_state_evolution(*problem, args.n_iter)[1], "k-", label="state evolution")
    left.errorbar(t, amp.measured, yerr=amp.stderr, fmt="o", ms=4, capsize=2,
                  label=f"AMP, N = {args.N} ({args.seeds} seeds)")
    left.semilogy(t, ist, "s--", ms=4, color="C3", label="without the Onsager term (IST, unit step)")
    label_panel(left, f"δ = {p['delta']:g}, ε = {p['sparsity']:g}, σ² = {p['noise_variance']:g}, "
                      f"θ = {p['theta']:g}: verdict {report.verdict}", "iteration t", "MSE ‖xᵗ − x₀‖²/N")

    delta = np.linspace(0.01, 0.99, 99)
    rho, _ = dmm_phase_transition(delta)
    right.plot(delta, rho, "k-", label="ρ_SE(δ): noiseless AMP recovers below")
    right.plot([p["delta"]], [p["sparsity"] / p["delta"]], "o", color="C0", label="this run")
    label_panel(right, xlabel="δ = n/N", ylabel="ρ = ε/δ", legend=False)
    right.set_xlim(0, 1)
    right.set_ylim(0, 1)
    right.legend(fontsize=8)
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
