"""Wishart plus GOE: the MP ⊞ semicircle density against sampled spectra, across the
merging of the two support intervals (Voiculescu 1991; the noisy spectrum denoised by
GAMP-RIE, Maillard et al. 2024).

Run: ``python examples/free_convolution.py [--out free_convolution.png] [--size 2000]``.
Ratio q = 2 (an atom of mass 1/2 at 0 before the noise), increasing noise variance.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.random_matrices import wishart_goe_spectrum  # noqa: E402
from theory.random_matrices import mp_semicircle_density, mp_semicircle_edges  # noqa: E402
from _common import example_parser, label_panel, write_figure  # noqa: E402

NOISES = (0.005, 0.05, 0.3, 1.0)


def main() -> None:
    parser = example_parser(__doc__, __file__, seed=True)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--ratio", type=float, default=2.0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    fig, axes = plt.subplots(1, len(NOISES), figsize=(4.4 * len(NOISES), 3.8))
    for ax, noise in zip(axes, NOISES):
        eig = wishart_goe_spectrum(args.size, args.ratio, noise, rng)
        edges = mp_semicircle_edges(args.ratio, noise)
        x = np.linspace(edges[0] - 0.2, edges[-1] + 0.2, 1500)
        ax.hist(eig, bins=80, density=True, color="0.75", label=f"W + S, p = {args.size}")
        ax.plot(x, mp_semicircle_density(x, args.ratio, noise), "k-", lw=1.2, label="MP ⊞ semicircle")
        ax.set_title(f"q = {args.ratio:g}, noise variance {noise:g}\n"
                     f"{len(edges) // 2} support interval{'s' if len(edges) > 2 else ''}")
        ax.set_ylim(0, min(ax.get_ylim()[1], 1.5))
        label_panel(ax, xlabel="eigenvalue")
    axes[0].set_ylabel("density")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
