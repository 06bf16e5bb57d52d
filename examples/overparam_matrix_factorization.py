"""How over-parameterisation slows gradient descent (Xiong, Ding & Du, ICLR 2024, Fig. 1 contrast):
symmetric XXᵀ with k > r decays as (k − r)/(4η²t²) while k = r converges linearly (log–log
panel); asymmetric FGᵀ with k > r converges linearly again, at the slope
2 ln(1 − ηλ_min(VᵀΔ₀V)) ∝ α² set by the initial imbalance (semi-log panel).

Run: ``python examples/overparam_matrix_factorization.py [--out overparam_matrix_factorization.png]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.matrix_factorization import asymmetric_gd, planted_target, symmetric_gd  # noqa: E402
from theory.matrix_factorization import (  # noqa: E402
    exact_parameterization_log_rate,
    imbalance_log_rate,
    symmetric_error_constant,
)
from _common import example_parser, label_panel, write_figure  # noqa: E402


def main() -> None:
    parser = example_parser(__doc__, __file__, seed=True)
    parser.add_argument("--n", type=int, default=20, help="matrix dimension")
    parser.add_argument("--width", type=int, default=4, help="factor width k > r = 2")
    parser.add_argument("--steps", type=int, default=100_000, help="symmetric GD steps")
    parser.add_argument("--alphas", default="0.03,0.05,0.1", help="asymmetric initialisation scales")
    parser.add_argument("--step", type=float, default=0.05)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    target = planted_target(args.n, [1.0, 0.5], rng)
    eta, k = args.step, args.width

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.4))
    over = symmetric_gd(target, k, 0.3, eta, args.steps, rng).errors
    exact = symmetric_gd(target, 2, 0.3, eta, args.steps, rng, stop_error=1e-28).errors
    t = np.arange(1, args.steps + 1)
    ax1.loglog(t, over[1:], label=f"symmetric, k = {k} > r = 2")
    ax1.loglog(np.arange(1, len(exact)), exact[1:], label="symmetric, k = r = 2")
    ax1.loglog(t, symmetric_error_constant(k, 2, eta) / t ** 2, "k--", lw=1,
               label=r"$(k - r)/(4\eta^2 t^2)$")
    tt = np.arange(len(exact))
    ax1.loglog(tt[1:], exact[0] * np.exp(exact_parameterization_log_rate(eta, 0.5) * tt[1:]), "k:", lw=1,
               label=r"$e^{2t\ln(1 - \eta\sigma_r)}$")
    ax1.set_ylim(1e-28, None)
    label_panel(ax1, f"symmetric: polynomial vs linear (n = {args.n}, η = {eta:g})", "step t",
                r"$\|XX^\top - M^*\|_F^2$")

    for alpha in [float(a) for a in args.alphas.split(",")]:
        run = asymmetric_gd(target, k, alpha, eta, rng)
        weak = np.linalg.svd(run.G)[2][2:].T
        slope = imbalance_log_rate(run.imbalance, weak, eta)
        (line,) = ax2.semilogy(run.errors, label=f"α = {alpha:g}")
        last = len(run.errors) - 1
        ts = np.array([0.5 * last, last])
        ax2.semilogy(ts, run.errors[-1] * np.exp(slope * (ts - last)), "k--", lw=1)
    ax2.plot([], [], "k--", lw=1, label=r"slope $2\ln(1 - \eta\lambda_{\min}(V^\top\Delta_0 V))$")
    label_panel(ax2, f"asymmetric, k = {k}: linear at a rate ∝ α²", "step t", r"$\|FG^\top - M^*\|_F^2$")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
