"""The Bayes-optimal error of the quadratic network: M(α) for several widths and the (α, κ)
heat map with the perfect-recovery line (Maillard et al. 2024, arXiv:2408.03733, Fig. 1).

Run: ``python examples/gamp_rie_theory.py [--out gamp_rie_theory.png] [--grid 32]``.
Noiseless; every curve ends at α_PR(κ) = κ − κ²/2 (κ ≤ 1), 1/2 beyond.
"""

import argparse
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from theory.gamp_rie import bayes_optimal_mmse, perfect_recovery_threshold  # noqa: E402

KAPPAS = (0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 5.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="gamp_rie_theory.png")
    parser.add_argument("--points", type=int, default=128, help="α points per curve")
    parser.add_argument("--grid", type=int, default=32, help="heat-map resolution")
    args = parser.parse_args()

    start = time.perf_counter()
    alpha = np.linspace(0.0, 0.65, args.points)
    curves = {kappa: bayes_optimal_mmse(alpha, kappa) for kappa in KAPPAS}
    curve_time = time.perf_counter() - start
    a_grid = np.linspace(1e-3, 0.6, args.grid)
    k_grid = np.linspace(1e-3, 2.0, args.grid)
    heat = np.array([bayes_optimal_mmse(a_grid, kappa) for kappa in k_grid])

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    for kappa, mse in curves.items():
        left.plot(alpha, mse, label=f"κ = {kappa:g}")
        left.plot([perfect_recovery_threshold(kappa)], [0.0], "k|", ms=10)
    left.set_xlabel("α = n/d²")
    left.set_ylabel("Bayes-optimal MMSE  M (S*-scale)")
    left.set_ylim(-0.02, 1.05)
    left.set_title("Noiseless Bayes-optimal error")
    left.legend()
    mesh = right.pcolormesh(a_grid, k_grid, heat, shading="auto", cmap="viridis", vmin=0, vmax=1)
    fig.colorbar(mesh, ax=right, label="M")
    kappa_line = np.linspace(1e-3, 2.0, 400)
    right.plot([perfect_recovery_threshold(k) for k in kappa_line], kappa_line, "w--", label="α_PR(κ)")
    right.set_xlim(a_grid[0], a_grid[-1])
    right.set_xlabel("α")
    right.set_ylabel("κ = m/d")
    right.legend(loc="upper left")
    right.set_title("M over (α, κ)")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out}: {len(KAPPAS)}×{args.points} curve points in {curve_time:.2f} s")


if __name__ == "__main__":
    main()
