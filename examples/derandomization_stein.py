"""The derandomisation lemma (Tsikouras, Pantis, Mitliagkas & Tzamos 2025): the weights of a
tanh student on the input direction its teacher ignores decay at least at the weight-decay
rate 1 − 2λℓ per step and stay put without weight decay (left); the Stein identity
∇_W E g(Wx + b) = (∇²_b E g)W, Monte Carlo against quadrature (right).

Run: ``python examples/derandomization_stein.py [--out derandomization_stein.png] [--steps 20000]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.stein_monte_carlo import weight_gradient_monte_carlo  # noqa: E402
from simulate.subspace_student import train_subspace_student  # noqa: E402
from theory.derandomization import (  # noqa: E402
    softplus_cosine_quartic,
    stein_weight_gradient,
    weight_decay_log_rate,
)
from _common import example_parser, label_panel, write_figure  # noqa: E402

LEARNING_RATE = 0.1


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=10, seed=True)
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=4)
    parser.add_argument("--samples", type=int, default=100_000, help="Monte Carlo draws per seed")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.4))
    t = np.arange(args.steps + 1)
    for lam, colour in ((1e-2, "C0"), (1e-3, "C1"), (0.0, "C2")):
        run = train_subspace_student(args.units, lam, LEARNING_RATE, args.steps, np.random.default_rng(args.seed))
        ax1.semilogy(t[:len(run.w_perp)], run.w_perp, color=colour, label=f"λ = {lam:g}")
        if lam:
            ax1.semilogy(t, run.w_perp[0] * np.exp(weight_decay_log_rate(lam, LEARNING_RATE) * t), "--",
                         color=colour, lw=1)
    ax1.plot([], [], "k--", lw=1, label=r"weight decay alone, $(1 - 2\lambda\ell)^t$")
    ax1.set_ylim(1e-12, None)
    label_panel(ax1, f"student aᵀtanh(Wx + b), {args.units} units, teacher tanh(2x₁)", "GD step t",
                r"$\|w_\perp\|$ (weights on the ignored input)")

    g = softplus_cosine_quartic([1.0, -0.5, 0.25])
    instance = np.random.default_rng(2510)
    W, b = 0.5 * instance.standard_normal((3, 3)), 0.5 * instance.standard_normal(3)
    predicted = stein_weight_gradient(g.hessian, W, b).ravel()
    draws = np.array([weight_gradient_monte_carlo(g.gradient, W, b, args.samples, rng).ravel()
                      for _ in range(args.seeds)])
    se = draws.std(axis=0, ddof=1) / np.sqrt(args.seeds)
    ax2.errorbar(predicted, draws.mean(axis=0), yerr=3 * se, fmt="o", mfc="none",
                 label=f"Monte Carlo $E[\\nabla g\\, x^\\top]$ ± 3 SE ({args.seeds}×{args.samples})")
    ax2.plot(predicted, W.ravel(), "x", color="C3",
             label=r"wrong: $\nabla_b^2 F$ replaced by $I$")
    line = np.array([predicted.min(), predicted.max()])
    ax2.plot(line, line, "k-", lw=1, label=r"$(\nabla_b^2 F)\,W$ by quadrature")
    label_panel(ax2, "Stein identity, g = softplus + Σcos + 0.1 z₁²z₂², m = d = 3", r"$(\nabla_b^2 F\, W)_{ij}$",
                r"$(\nabla_W F)_{ij}$")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
