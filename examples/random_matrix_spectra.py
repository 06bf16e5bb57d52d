"""Sampled spectra against their limiting densities: the semicircle and Marchenko–Pastur laws
for several aspect ratios (Wigner 1958; Marchenko & Pastur 1967, Fig. 1-style).

Run: ``python examples/random_matrix_spectra.py [--out spectra.png] [--size 2000]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.random_matrices import goe_spectrum, wishart_spectrum  # noqa: E402
from theory.marchenko_pastur import (marchenko_pastur_atom, marchenko_pastur_density,  # noqa: E402
                                     marchenko_pastur_edges)
from theory.semicircle import semicircle_density  # noqa: E402
from _common import example_parser, label_panel, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seed=True)
    parser.add_argument("--size", type=int, default=2000)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    fig, axes = plt.subplots(1, 5, figsize=(20, 3.8))
    eig = goe_spectrum(args.size, rng)
    x = np.linspace(-2.2, 2.2, 600)
    axes[0].hist(eig, bins=60, density=True, color="0.75", label=f"GOE, N={args.size}")
    axes[0].plot(x, semicircle_density(x), "k-", label="semicircle")
    axes[0].set_title("Wigner semicircle")
    for ax, ratio in zip(axes[1:], (0.1, 0.5, 1.0, 2.0)):
        eig = wishart_spectrum(args.size, ratio, rng)
        lo, hi = marchenko_pastur_edges(ratio)
        x = np.linspace(max(lo, 1e-4), hi, 600)
        atom = marchenko_pastur_atom(ratio)
        # Nonzero eigenvalues, as a density over the whole spectrum (the atom is left out).
        counts, edges = np.histogram(eig[eig > 1e-10], bins=60)
        ax.stairs(counts / (eig.size * np.diff(edges)), edges, fill=True, color="0.75",
                  label=f"X Xᵀ/n, p={args.size}")
        ax.plot(x, marchenko_pastur_density(x, ratio), "k-", label="Marchenko–Pastur")
        title = f"q = p/n = {ratio:g}"
        if atom > 0:
            title += f" (atom {atom:.2f} at 0 not drawn)"
        ax.set_title(title)
        ax.set_ylim(0, min(ax.get_ylim()[1], 3.0))
    for ax in axes:
        label_panel(ax, xlabel="eigenvalue")
    axes[0].set_ylabel("density")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
