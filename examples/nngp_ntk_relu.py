"""Finite-width ReLU networks against the infinite-width NNGP and NTK, and the exact (1 + 5/n)^L.

Left and middle: K(x₀, x) (NNGP) and Θ(x₀, x) (NTK) against the angle between two inputs of
squared norm n₀, the arc-cosine recursions (lines) and the mean over finite-width networks at
several widths (points ± SE): the finite widths sit O(1/n) off, most at wide angles. Right: the
output's E f⁴/(3(E f²)²) against the width (σ_b = 0, one input), the exact (1 + 5/n)^L and the
large-width form e^{5L/n}.

Run: ``python examples/nngp_ntk_relu.py [--out nngp_ntk_relu.png] [--nets 4000] [--widths 16,64,256]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.claims.nngp_ntk_relu import planar_inputs  # noqa: E402
from simulate.wide_networks import relu_network_draws  # noqa: E402
from theory.wide_networks import relu_fourth_moment_ratio, relu_nngp, relu_ntk  # noqa: E402
from _common import example_parser, label_panel, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seed=True)
    parser.add_argument("--nets", type=int, default=4000, help="networks per width")
    parser.add_argument("--widths", default="16,64,256")
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--weight-variance", type=float, default=2.0)
    parser.add_argument("--bias-variance", type=float, default=0.1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    widths = [int(w) for w in args.widths.split(",")]
    kernel_args = (args.depth, args.weight_variance, args.bias_variance)

    fig, axes = plt.subplots(1, 3, figsize=(14.0, 4.0))
    fine = np.linspace(0, np.pi, 121)
    theory_x = planar_inputs(fine[1:], 10)
    for ax, kernel, label in ((axes[0], relu_nngp, "NNGP K"), (axes[1], relu_ntk, "NTK Θ")):
        ax.plot(fine, kernel(theory_x, *kernel_args)[0], "k-", lw=1.2, label="infinite width")
        label_panel(ax, xlabel="angle between the inputs (rad)", ylabel=f"{label}(x₀, x)", legend=False)
    angles = np.linspace(0.25, 3.0, 8)
    x = planar_inputs(angles, 10)
    for colour, width in zip(("C0", "C1", "C2", "C3"), widths):
        draws = relu_network_draws(x, args.depth, width, args.weight_variance, args.bias_variance, args.nets, rng)
        for ax, values in ((axes[0], draws.readout_covariance[:, 0, :]), (axes[1], draws.ntk[:, 0, :])):
            mean, se = values.mean(0), values.std(0, ddof=1) / np.sqrt(len(values))
            ax.errorbar(np.concatenate([[0.0], angles]), mean, yerr=se, fmt="o", ms=3, color=colour,
                        label=f"n = {width}")
    for ax, title in zip(axes[:2], ("output covariance E f(x₀)f(x)", "mean empirical NTK")):
        label_panel(ax, f"{title}, L = {args.depth}", title_size=10)

    ax = axes[2]
    grid = np.arange(4, 129)
    ax.plot(grid, relu_fourth_moment_ratio(grid, args.depth), "k-", lw=1.2, label="(1 + 5/n)^L (exact)")
    ax.plot(grid, np.exp(5 * args.depth / grid), "C3--", lw=1, label="e^{5L/n} (large n)")
    single = x[:, :1]
    for width in (4, 8, 16, 32, 64):
        q = relu_network_draws(single, args.depth, width, args.weight_variance, 0.0, 10 * args.nets, rng,
                               ntk=False).readout_covariance[:, 0, 0].reshape(10, -1)
        ratios = np.mean(q * q, axis=1) / np.mean(q, axis=1) ** 2
        ax.errorbar(width, ratios.mean(), yerr=ratios.std(ddof=1) / np.sqrt(10), fmt="o", color="C0", ms=4)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    label_panel(ax, f"fourth moment, σ_b = 0, L = {args.depth}", "width n", "E f⁴ / (3 (E f²)²)", title_size=10)
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
