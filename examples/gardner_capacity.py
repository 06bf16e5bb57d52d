"""Gardner's storage capacity α_c(κ) with the maximum margins of random patterns, and Cover's
separation probability at κ = 0 for several N (Gardner 1988; Engel & Van den Broeck ch. 6).

Left: α_c(κ) = 1/∫_{−κ}^∞ Dt (t + κ)², with the mean maximum margin κ* of αN random patterns
(NNLS least-distance program) at each α (horizontal bars: ± SE over seeds); the sign-flipped
integral, a classic slip, is drawn dashed. Right: the fraction of separable pattern sets
against α = P/N with Cover's exact P(αN, N) for N = 25, 100, 400 (all cross ½ at α = 2).

Run: ``python examples/gardner_capacity.py [--out gardner_capacity.png] [--size 200] [--seeds 40]``.
"""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.capacity import labelled_patterns, maximum_margin  # noqa: E402
from theory.capacity import cover_separable_probability, gardner_capacity  # noqa: E402
from _common import example_parser, label_panel, write_figure  # noqa: E402


def flipped_capacity(kappa: np.ndarray) -> np.ndarray:
    """The sign-flipped 1/[(1+κ²)Φ(−κ) − κφ(κ)]: equal to α_c at κ = 0 only."""
    tail = 0.5 * np.array([math.erfc(k / math.sqrt(2)) for k in kappa])
    return 1.0 / ((1 + kappa**2) * tail - kappa * np.exp(-kappa**2 / 2) / math.sqrt(2 * math.pi))


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=40, seeds_help="pattern sets per point", seed=True)
    parser.add_argument("--size", type=int, default=200, help="N of the maximum-margin experiments")
    parser.add_argument("--cover-dims", default="25,100,400", help="N of the separability panel")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    fig, (ax, ax_cover) = plt.subplots(1, 2, figsize=(11, 4.2))
    kappa = np.linspace(0.0, 2.0, 201)
    ax.plot(kappa, gardner_capacity(kappa), "k-", label="α_c(κ) = 1/∫Dt (t+κ)² (Gardner)")
    ax.plot(kappa[kappa <= 0.6], flipped_capacity(kappa[kappa <= 0.6]), "k--", lw=0.8,
            label="sign-flipped integral (wrong)")
    for alpha in (0.25, 0.5, 1.0, 1.5):
        margins = np.array([maximum_margin(labelled_patterns(round(alpha * args.size), args.size, rng))
                            for _ in range(args.seeds)])
        ax.errorbar([margins.mean()], [alpha], xerr=[margins.std(ddof=1) / math.sqrt(args.seeds)],
                    fmt="o", color="C3", label=f"mean κ*, N = {args.size}" if alpha == 0.25 else None)
    label_panel(ax, xlabel="margin κ", ylabel="load α = P/N", legend=False)
    ax.set_ylim(0, 4)
    label_panel(ax, "storage capacity with margin")

    for k, dim in enumerate(int(n) for n in args.cover_dims.split(",")):
        alphas = np.linspace(1.0, 3.0, 201)
        exact = cover_separable_probability(np.rint(alphas * dim).astype(int), dim)
        ax_cover.plot(alphas, exact, "-", color=f"C{k}", label=f"N = {dim}: Cover P(αN, N)")
        points = np.array([1.6, 1.8, 2.0, 2.2, 2.4])
        seeds = max(4, args.seeds * 100 // dim)   # fewer sets at large N (NNLS cost ~ N³)
        fraction = [np.mean([maximum_margin(labelled_patterns(round(a * dim), dim, rng)) > 0
                             for _ in range(seeds)]) for a in points]
        ax_cover.plot(points, fraction, "o", color=f"C{k}", ms=4)
    ax_cover.axvline(2.0, color="0.5", lw=0.8, ls="--")
    label_panel(ax_cover, "κ = 0: Cover's exact finite-N law", "α = P/N", "fraction separable (κ* > 0)")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
