"""Two-point zeroth-order (SPSA/MeZO) gradients: the second moment (d + K ± 1)/K and the trace step.

Left: E‖ĝ‖²/‖g‖² against the number K of directions for Gaussian, sphere and Rademacher
directions (MeZO's Lemma 2 constant is the sphere/Rademacher one), theory lines and Monte-Carlo
points ± SE. Right: the expected one-step change of a quadratic loss against the step η (one
Gaussian direction), with the critical step η* ≈ 2/Tr H, and gradient descent's 2/λ_max.

Run: ``python examples/zeroth_order_spsa.py [--out zeroth_order_spsa.png] [--dim 4] [--draws 20000]``.
"""

import functools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.claims.zeroth_order_spsa import quadratic_problem  # noqa: E402
from simulate.zeroth_order import quadratic_loss, spsa_moments  # noqa: E402
from theory.zeroth_order import (spsa_critical_step, spsa_one_step_change,  # noqa: E402
                                 spsa_second_moment_ratio)
from _common import example_parser, label_panel, write_figure  # noqa: E402

LAWS = ("gaussian", "sphere", "rademacher")
BATCHES = 10


def batch_statistics(values: list[float]) -> tuple[float, float]:
    values = np.asarray(values)
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(len(values)))


def main() -> None:
    parser = example_parser(__doc__, __file__, seed=True)
    parser.add_argument("--dim", type=int, default=4)
    parser.add_argument("--draws", type=int, default=20000, help="estimator draws per point")
    parser.add_argument("--condition", type=float, default=4.0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    hessian, theta = quadratic_problem(args.dim, args.condition)
    g = hessian @ theta
    loss = functools.partial(quadratic_loss, hessian=hessian, minimiser=np.zeros(args.dim))
    per_batch = max(2, args.draws // BATCHES)

    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4.0))
    ks = np.array([1, 2, 4, 8, 16, 32])
    grid = np.arange(1, 33)
    for colour, law in zip(("C0", "C1", "C2"), LAWS):
        left.plot(grid, spsa_second_moment_ratio(args.dim, grid, law), "-", color=colour, lw=1,
                  label=f"{law}: (d + K {'+' if law == 'gaussian' else '−'} 1)/K")
        points = [batch_statistics([np.trace(spsa_moments(loss, theta, 0.5, int(k), per_batch, rng,
                                                          distribution=law).second_moment) / (g @ g)
                                    for _ in range(BATCHES)]) for k in ks]
        left.errorbar(ks, [p[0] for p in points], yerr=[p[1] for p in points], fmt="o", ms=4, color=colour)
    left.set_xscale("log", base=2)
    label_panel(left, f"second moment, d = {args.dim}", "directions K", "E‖ĝ‖² / ‖∇L‖²")

    eta_star = float(spsa_critical_step(hessian, g, 1))
    trace_step, gd_step = 2 / np.trace(hessian), 2 / np.linalg.eigvalsh(hessian)[-1]
    etas = np.linspace(0, 1.4 * trace_step, 200)
    right.plot(etas, spsa_one_step_change(etas, hessian, g, 1), "k-", lw=1, label="theory (K = 1, Gaussian)")
    steps = np.linspace(0.1, 1.3, 7) * trace_step
    changes = np.array([spsa_moments(loss, theta, 0.5, 1, per_batch, rng, steps=steps).loss_change
                        for _ in range(BATCHES)])
    right.errorbar(steps, changes.mean(0), yerr=changes.std(0, ddof=1) / np.sqrt(BATCHES), fmt="o", ms=4,
                   color="C0", label="simulation ± SE")
    right.axhline(0, color="0.6", lw=0.8)
    right.axvline(eta_star, color="C3", ls="--", lw=1, label=f"η* = {eta_star:.3f}")
    right.axvline(trace_step, color="C2", ls=":", lw=1, label=f"2/Tr H = {trace_step:.3f}")
    right.axvline(gd_step, color="C4", ls="-.", lw=1, label=f"GD: 2/λ_max = {gd_step:.3f}")
    right.set_xlim(0, max(1.4 * trace_step, 1.05 * gd_step))
    label_panel(right, "one zeroth-order step on a quadratic", "step η", "E L(θ − ηĝ) − L(θ)")
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
