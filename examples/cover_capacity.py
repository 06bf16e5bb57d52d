"""Cover's separation probability P(N, d) against N/d for several dimensions: exact curves and
the fraction of random point sets whose first N points are separable (Cover 1965, Fig. 1-style).

Each simulated set is one draw of Gaussian points with fair labels; its sequential capacity N*
(HiGHS LP) gives the indicator "first N points separable" = [N* ≥ N] for every N at once. The
curves sharpen around N = 2d as d grows, and E N* = 2d exactly at every d.

Run: ``python examples/cover_capacity.py [--out cover_capacity.png] [--dims 5,10,25] [--sets 300]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.capacity import labelled_patterns, sequential_capacity  # noqa: E402
from theory.capacity import cover_separable_probability  # noqa: E402
from _common import example_parser, label_panel, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seed=True)
    parser.add_argument("--dims", default="5,10,25", help="comma-separated dimensions d")
    parser.add_argument("--sets", type=int, default=300, help="random point sets per dimension")
    args = parser.parse_args()
    dims = [int(d) for d in args.dims.split(",")]
    rng = np.random.default_rng(args.seed)

    fig, (ax, ax_mean) = plt.subplots(1, 2, figsize=(11, 4.2))
    for k, dim in enumerate(dims):
        n_max = 4 * dim + 40
        stars = np.array([sequential_capacity(labelled_patterns(n_max, dim, rng)) for _ in range(args.sets)])
        n = np.arange(1, 4 * dim + 1)
        exact = cover_separable_probability(n, dim)
        fraction = (stars[:, None] >= n[None, :]).mean(axis=0)
        se = np.sqrt(np.maximum(fraction * (1 - fraction), 1e-12) / args.sets)
        color = f"C{k}"
        ax.plot(n / dim, exact, "-", color=color, label=f"d = {dim}: 2^(1−N) Σ C(N−1, j)")
        ax.errorbar(n / dim, fraction, yerr=se, fmt="o", ms=2.5, color=color, alpha=0.7)
        ax_mean.errorbar([dim], [stars.mean() / dim], yerr=[stars.std(ddof=1) / dim / np.sqrt(args.sets)],
                         fmt="o", color=color)
    ax.axvline(2.0, color="0.5", lw=0.8, ls="--")
    ax.axhline(0.5, color="0.5", lw=0.8, ls="--")
    label_panel(ax, f"Cover's counting function ({args.sets} sets per d; points: simulation ± SE)", "N / d",
                "P(first N points separable)")
    ax_mean.axhline(2.0, color="k", label="E N*/d = 2 (exact)")
    ax_mean.set_xscale("log")
    ax_mean.set_xticks(dims, [str(d) for d in dims])
    ax_mean.minorticks_off()
    label_panel(ax_mean, "sequential capacity", "d", "mean N* / d")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
