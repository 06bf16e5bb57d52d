"""Batch-Hessian spectra and top eigenvalue versus batch size in the additive model (Granziol, Zohren
& Roberts 2022, arXiv:2006.09092; Baskerville et al., arXiv:2205.08601).

Left: spectra of H_B = W + βuuᵀ + GOE(P/B) — a Marchenko–Pastur bulk W, a spike, batch noise — for
three batch sizes, against the free convolution MP ⊞ semicircle and the predicted outlier. Right:
the top eigenvalue of βuuᵀ + GOE(P/B) versus B on log–log axes (claim ``batch_hessian_additive``):
the bulk edge 2√(P/B) ∝ B^(-1/2) below B* = P/β², the outlier β + P/(Bβ) above it; and the
per-step learning rate 2/λ₁, ∝ √B below B* (not linear: note errata), between 1/β and 2/β above.

Run: ``python examples/batch_hessian_additive.py [--size 400] [--seeds 4] [--out FILE]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.runner import run_claim  # noqa: E402
from simulate.hessian_batch import bulk_spike_noise_spectrum  # noqa: E402
from theory.free_convolution import mp_semicircle_density, mp_semicircle_edges  # noqa: E402
from theory.hessian_batch import (additive_model_critical_batch_size, additive_model_top_eigenvalue,  # noqa: E402
                                  free_convolution_top_eigenvalue)
from _common import example_parser, label_panel, rate_points, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=4, workers=True)
    parser.add_argument("--size", type=int, default=400, help="dimension P")
    parser.add_argument("--matrices", type=int, default=100, help="matrices per batch size and seed")
    parser.add_argument("--spike", type=float, default=2.0)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    p, beta, ratio = args.size, args.spike, 0.5

    fig, axes = plt.subplots(1, 3, figsize=(19, 4.8))
    ax = axes[0]
    for batch, colour in zip((p // 4, p, 4 * p), ("C0", "C1", "C2")):
        noise = p / batch
        eig = np.concatenate([bulk_spike_noise_spectrum(p, ratio, beta, noise, rng) for _ in range(4)])
        lo, hi = mp_semicircle_edges(ratio, noise)[[0, -1]]
        x = np.linspace(lo, hi, 400)
        ax.hist(eig, bins=80, density=True, histtype="step", color=colour, label=f"B = {batch} (P = {p})")
        ax.plot(x, mp_semicircle_density(x, ratio, noise), color=colour, lw=1)
        ax.axvline(free_convolution_top_eigenvalue(beta, p, batch, ratio), color=colour, ls=":")
    label_panel(ax, f"spectra of W + {beta:g}uuᵀ + GOE(P/B): histograms; MP ⊞ SC (lines); outlier (dotted)",
                "eigenvalue", "density")

    report = run_claim("batch_hessian_additive", preset="standard", sizes=[args.matrices], seeds=args.seeds,
                       workers=args.workers, values={"n_params": p, "spike": beta})
    pred = report.predictions
    b = np.asarray(pred["batch_size"])
    top = report.check("edge regime")
    fine = np.geomspace(b.min(), b.max(), 300)
    ax = axes[1]
    ax.loglog(fine, additive_model_top_eigenvalue(beta, p, fine), "k-", label="β + P/(Bβ) above B*, 2√(P/B) below")
    ax.loglog(fine, 2 * np.sqrt(p / fine), "k:", lw=1, label="bulk edge 2√(P/B)")
    ax.errorbar(b, np.asarray(top.measured), yerr=np.asarray(top.stderr), fmt="o", ms=4, capsize=2,
                label=f"E λ₁, {args.seeds}×{args.matrices} matrices per B")
    ax.axvline(additive_model_critical_batch_size(beta, p), color="0.5", ls="--", lw=1, label="B* = P/β²")
    ax.axhline(beta, color="0.7", lw=1, label="λ₁(H_emp) = β")
    label_panel(ax, f"top eigenvalue vs B, P = {p}: verdict {report.verdict}", "batch size B", "λ₁(H_B)")

    ax = axes[2]
    b_star = additive_model_critical_batch_size(beta, p)
    mean, se = np.asarray(top.measured), np.asarray(top.stderr)
    ax.loglog(fine, 2.0 / additive_model_top_eigenvalue(beta, p, fine), "k-", label="2/λ₁: law")
    rate_points(ax, b, mean, se)
    below = fine[fine <= b_star]
    ax.loglog(below, np.sqrt(below / p), color="0.5", ls="--", lw=1, label="√(B/P): slope ½")
    ax.loglog(below, 2 * beta * below / p, color="C3", ls=":", lw=1, label="2βB/P: the 'linear' rule (wrong)")
    ax.axhline(2.0 / beta, color="0.7", lw=1, label="2/β")
    ax.axvline(b_star, color="0.5", ls="--", lw=1)
    label_panel(ax, "per-step learning rate: √B below B*, then 1/β → 2/β", "batch size B",
                "largest stable per-step rate 2/λ₁")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
