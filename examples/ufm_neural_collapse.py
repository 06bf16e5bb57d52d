"""Square-loss neural collapse in the unconstrained-features model: GD's shrinkage factor
against c = max(0, 1 − K√(nλ_Wλ_H)), and the class-mean Gram matrices with and without a bias
(orthogonal frame vs simplex ETF). Xu, Rangamani, Liao, Galanti & Poggio (2023); Tirer &
Bruna (2022).

Run: ``python examples/ufm_neural_collapse.py [--out ufm_neural_collapse.png] [--points 10]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.unconstrained_features import ufm_gradient_descent  # noqa: E402
from theory.neural_collapse import ufm_optimum  # noqa: E402
from _common import example_parser, label_panel  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seed=True)
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--per-class", type=int, default=10)
    parser.add_argument("--dim", type=int, default=16)
    parser.add_argument("--points", type=int, default=10, help="GD runs along the weight-decay axis")
    args = parser.parse_args()
    k, n = args.classes, args.per_class
    rng = np.random.default_rng(args.seed)

    # √(nλ_Wλ_H) from 0 to 2× the kink at 1/K, with λ_W = λ_H; GD points away from the kink,
    # where the curvature vanishes and GD slows to a crawl.
    strength = np.linspace(0, 2.0 / k, 400)[1:]
    points = np.linspace(0.05 / k, 1.9 / k, args.points)
    points = points[np.abs(points * k - 1) > 0.08]
    fig, (ax, *grams) = plt.subplots(1, 3, figsize=(13, 4), gridspec_kw={"width_ratios": [1.6, 1, 1]})
    for bias, marker in ((False, "o"), (True, "s")):
        runs = [ufm_gradient_descent(k, n, args.dim, s / np.sqrt(n), s / np.sqrt(n), rng, bias=bias)
                for s in points]
        ax.plot(points, [r.c for r in runs], marker, mfc="none", label=f"GD, {'with' if bias else 'no'} bias")
    ax.plot(strength, ufm_optimum(k, n, strength / np.sqrt(n), strength / np.sqrt(n)).c, "k-", lw=1,
            label=r"$c = \max(0, 1 - K\sqrt{n\lambda_W\lambda_H})$")
    ax.axvline(1 / k, color="0.6", ls=":", lw=1)
    label_panel(ax, f"UFM optimum, K = {k}, n = {n}, d = {args.dim}", r"$\sqrt{n\lambda_W\lambda_H}$",
                r"shrinkage $c$ in $WH = c\,Y$")

    lam = 0.3 / (k * np.sqrt(n))
    for axg, bias in zip(grams, (False, True)):
        run = ufm_gradient_descent(k, n, args.dim, lam, lam, rng, bias=bias)
        gram = run.class_mean_gram / np.diag(run.class_mean_gram).mean()
        image = axg.imshow(gram, cmap="RdBu_r", vmin=-1, vmax=1)
        axg.set_title(("simplex ETF (bias): off-diagonal " + f"{-1 / (k - 1):.3f}") if bias
                      else "orthogonal frame (no bias)", fontsize=9)
        axg.set_xticks([]), axg.set_yticks([])
    fig.colorbar(image, ax=grams, shrink=0.8, label="normalised class-mean Gram")
    fig.savefig(args.out, dpi=110, bbox_inches="tight")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
