"""The batch Hessian's top eigenvalue exceeds the full-data one by ∝ (1/B − 1/N): logistic regression
and a tanh network (Granziol, Zohren & Roberts 2022, arXiv:2006.09092; claim ``batch_hessian_excess``).

Left: spectra of the network's batch Hessians H_B for several B against the full-data H_emp (the bulk
widens and the extreme eigenvalues move out as B shrinks). Right: E λ₁(H_B) − λ₁(H_emp) against the
sampling factor p = (N − B)/(B(N − 1)) on log–log axes, with the second-order law p·κ(w).

Run: ``python examples/batch_hessian_excess.py [--batches 120] [--seeds 4] [--out FILE]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.claims.batch_hessian_excess import BatchHessianExcess, fixed_models  # noqa: E402
from compare.runner import run_claim  # noqa: E402
from simulate.sgd_stability import batch_masks  # noqa: E402
from _common import example_parser, label_panel, theory_and_simulation, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seeds=4, workers=True)
    parser.add_argument("--batches", type=int, default=120, help="logistic batches per batch size and seed")
    args = parser.parse_args()
    report = run_claim("batch_hessian_excess", preset="standard", sizes=[args.batches], seeds=args.seeds,
                       workers=args.workers)
    network = fixed_models(BatchHessianExcess.resolve_params("standard"))["network"]["model"]
    rng = np.random.default_rng(0)

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    ax = axes[0]
    n = network.n_data
    full = np.linalg.eigvalsh(network.batch_hessian(np.arange(n)))
    for batch, colour in ((50, "C0"), (200, "C1")):
        eig = np.concatenate([np.linalg.eigvalsh(network.batch_hessian(np.flatnonzero(mask)))
                              for mask in batch_masks(n, batch, 5, rng)])
        ax.hist(eig, bins=120, density=True, histtype="step", color=colour, label=f"H_B, B = {batch}")
    ax.hist(full, bins=120, density=True, histtype="stepfilled", color="0.8", label=f"H_emp (N = {n})")
    ax.set_yscale("log")
    label_panel(ax, f"tanh network, P = {network.n_params}: spectra of batch Hessians", "eigenvalue",
                "density (log scale)")

    ax = axes[1]
    factor = np.asarray(report.predictions["sampling_factor"])
    for name, colour in (("excess, logistic", "C0"), ("excess, network", "C1")):
        theory_and_simulation(ax, factor, report.check(name), colour=colour, theory=f"{name.split(', ')[1]}: p·κ(w)",
                              simulation=f"{name.split(', ')[1]}: E λ₁(H_B) − λ₁(H_emp)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    label_panel(ax, f"excess vs p = (N − B)/(B(N − 1)): verdict {report.verdict}", "p ≈ 1/B − 1/N",
                "E λ₁(H_B) − λ₁(H_emp)")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
