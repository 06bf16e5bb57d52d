"""The Bayes-optimal error of the quadratic network: M(α) for several widths and the (α, κ)
heat map with the perfect-recovery line (Maillard et al. 2024, arXiv:2408.03733, Fig. 1).

Run: ``python examples/gamp_rie_theory.py [--out gamp_rie_theory.png] [--grid 128]``.
Noiseless; every curve ends at α_PR(κ) = κ − κ²/2 (κ ≤ 1), 1/2 beyond. Each panel is one
vectorised ``bayes_optimal_mmse`` call; the 128 × 128 heat map takes a few seconds.
"""

import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from _common import example_parser, label_panel, write_figure  # noqa: E402

from theory.gamp_rie import bayes_optimal_mmse, perfect_recovery_threshold  # noqa: E402

KAPPAS = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 5.0])


def main() -> None:
    parser = example_parser(__doc__, __file__)
    parser.add_argument("--points", type=int, default=128, help="α points per curve")
    parser.add_argument("--grid", type=int, default=128, help="heat-map resolution")
    args = parser.parse_args()

    alpha = np.linspace(0.0, 0.65, args.points)
    curves = bayes_optimal_mmse(alpha, KAPPAS[:, None])
    a_grid = np.linspace(1e-3, 0.6, args.grid)
    k_grid = np.linspace(1e-3, 2.0, args.grid)
    start = time.perf_counter()
    heat = bayes_optimal_mmse(a_grid, k_grid[:, None])
    heat_time = time.perf_counter() - start

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    for kappa, mse in zip(KAPPAS, curves):
        left.plot(alpha, mse, label=f"κ = {kappa:g}")
    left.plot(perfect_recovery_threshold(KAPPAS), np.zeros(len(KAPPAS)), "k|", ms=10)
    left.set_ylim(-0.02, 1.05)
    label_panel(left, "Noiseless Bayes-optimal error", "α = n/d²", "Bayes-optimal MMSE  M (S*-scale)")
    mesh = right.pcolormesh(a_grid, k_grid, heat, shading="auto", cmap="viridis", vmin=0, vmax=1)
    fig.colorbar(mesh, ax=right, label="M")
    kappa_line = np.linspace(1e-3, 2.0, 400)
    right.plot(perfect_recovery_threshold(kappa_line), kappa_line, "w--", label="α_PR(κ)")
    right.set_xlim(a_grid[0], a_grid[-1])
    label_panel(right, f"M over (α, κ): {args.grid}×{args.grid} in {heat_time:.1f} s", "α", "κ = m/d")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
