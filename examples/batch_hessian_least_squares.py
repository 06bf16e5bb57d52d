"""Top eigenvalue of least-squares batch Hessians and the per-step learning rate versus batch size
(Granziol, Zohren & Roberts 2022, arXiv:2006.09092; spiked Wishart law, Baik, Ben Arous & Péché 2005).

Left: E λ₁(X_BᵀX_B/B), rows x ~ N(0, I + (ℓ − 1)eeᵀ), against the spiked-Wishart law, Johnstone's
finite-size centring of the edge, and — dashed — the additive model with θ = ℓ − 1, which
underestimates it (note §2). Right: the per-step rate 2/λ₁: linear, ≈ 2B/P, for B ≪ P.

Run: ``python examples/batch_hessian_least_squares.py [--size 400] [--seeds 4] [--out FILE]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.runner import run_claim  # noqa: E402
from theory.hessian_batch import (additive_model_top_eigenvalue, spiked_wishart_critical_batch_size,  # noqa: E402
                                  spiked_wishart_edge_centring, spiked_wishart_top_eigenvalue)
from _common import example_parser, label_panel, rate_points, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=4, workers=True)
    parser.add_argument("--size", type=int, default=400, help="number of parameters P")
    parser.add_argument("--batches", type=int, default=100, help="batches per batch size and seed")
    parser.add_argument("--spike", type=float, default=3.0)
    args = parser.parse_args()
    p, ell = args.size, args.spike
    ratios = (0.02, 0.05, 0.1, 0.2, 0.3, 0.45, 1.0, 2.0, 4.0, 8.0, 16.0)
    report = run_claim("batch_hessian_least_squares", preset="standard", sizes=[args.batches], seeds=args.seeds,
                       workers=args.workers, values={"n_params": p, "spike": ell, "batch_ratio": ratios})
    b = np.asarray(report.predictions["batch_size"])
    top = report.check("edge regime")
    mean, se = np.asarray(top.measured), np.asarray(top.stderr)
    fine = np.geomspace(max(2.0, b.min()), b.max(), 300)
    b_star = spiked_wishart_critical_batch_size(ell, p)

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    ax = axes[0]
    ax.loglog(fine, spiked_wishart_top_eigenvalue(ell, p, fine), "k-",
              label="spiked Wishart: ℓ(1 + γ/(ℓ−1)), (1 + √γ)²")
    ax.loglog(fine, spiked_wishart_edge_centring(p, fine), "k:", lw=1, label="Johnstone's centring of the edge")
    ax.loglog(fine, 1.0 + additive_model_top_eigenvalue(ell - 1.0, p, fine), "C3--", lw=1,
              label="1 + additive model, θ = ℓ − 1 (wrong family)")
    ax.errorbar(b, mean, yerr=se, fmt="o", ms=4, capsize=2, label=f"E λ₁, {args.seeds}×{args.batches} batches per B")
    ax.axvline(b_star, color="0.5", ls="--", lw=1, label="B* = P/(ℓ − 1)²")
    label_panel(ax, f"least squares, P = {p}, ℓ = {ell:g}: verdict {report.verdict}", "batch size B", "λ₁(H_B)")

    ax = axes[1]
    ax.loglog(fine, 2.0 / spiked_wishart_top_eigenvalue(ell, p, fine), "k-", label="2/λ₁ (limit)")
    ax.loglog(fine, 2.0 * fine / p, "0.6", lw=1, ls=":", label="2B/P (slope 1)")
    rate_points(ax, b, mean, se)
    ax.axhline(2.0 / ell, color="0.7", lw=1, label="2/ℓ (full-data curvature)")
    label_panel(ax, "per-step learning rate 2/λ₁(H_B)", "batch size B", "largest stable per-step rate")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
