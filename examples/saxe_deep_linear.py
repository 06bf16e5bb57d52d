"""Saxe, McClelland & Ganguli (2014): exact learning dynamics of deep linear networks.

(a) Mode strengths u_α(t) of a two-layer network trained by GD from a small random
    initialisation (solid), against the analytic sigmoids (dashed) started from each mode's
    effective initial strength (QR of the growing directions): strong modes are learnt first,
    at times ∝ 1/s up to the logarithm (the paper's Fig. 2).
(b) Learning time vs depth from the balanced orthogonal (decoupled) initialisation with the
    step scaled as η ∝ 1/(N_l − 1): steps to half-learn each mode, exact solution (lines),
    GD (points) and the paper's very-deep approximation (dotted). It saturates with depth.
(c) Initialisation: steps to reach 1% of the initial loss from random orthogonal layers and from
    Gaussian layers of variance 1/N (the paper's Fig. 6 contrast); Gaussian products are badly
    conditioned and learning stalls with depth.

Run: ``python examples/saxe_deep_linear.py [--out saxe_deep_linear.png] [--width 16]
[--max-depth 17] [--max-steps 4000] [--repeats 5]``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulate.deep_linear import (  # noqa: E402
    crossing_times,
    decoupled_init,
    gaussian_init,
    orthogonal_init,
    train_deep_linear,
    whitened_task,
)
from theory.deep_linear import (  # noqa: E402
    effective_initial_strength,
    learning_time,
    mode_strength,
    very_deep_learning_time,
)
from _common import example_parser, label_panel, write_figure  # noqa: E402

MODES = np.array([3.0, 2.0, 1.5, 1.0, 0.5])


def mode_panel(ax, rng, hidden, sigma, eta, backend):
    task = whitened_task(MODES, 8, 8, rng)
    weights = gaussian_init((8, hidden, 8), sigma, rng)
    u0 = effective_initial_strength(weights[0], weights[1], task.left_vectors, task.right_vectors)
    t_end = 1.3 * float(learning_time(MODES[-1], u0[-1], 0.95 * MODES[-1]))
    run = train_deep_linear(weights, task, eta, int(t_end / eta), record_every=max(1, int(0.02 / eta)),
                            backend=backend)
    t = run.steps * eta
    for k, s in enumerate(MODES):
        line, = ax.plot(t, run.mode_strengths[:, k], lw=2, alpha=0.6)
        ax.plot(t, mode_strength(t, s, u0[k]), "--", color=line.get_color(), lw=1.2)
    ax.plot([], [], "k-", lw=2, alpha=0.6, label=f"GD, random init σ = {sigma:g}")
    ax.plot([], [], "k--", lw=1.2, label="exact sigmoid, effective u₀")
    label_panel(ax, f"(a) two layers, N₂ = {hidden}, s = {', '.join(f'{s:g}' for s in MODES)}",
                "t / τ  (steps × η)", "mode strength u_α", legend=False)
    ax.legend(fontsize=8, loc="lower right")


def depth_panel(ax, rng, depths, u0, backend):
    modes = np.array([2.0, 1.0, 0.5])
    task = whitened_task(modes, 8, 8, rng)
    for k, s in enumerate(modes):
        steps_theory, steps_gd, steps_deep = [], [], []
        for n_layers in depths:
            n = n_layers - 1
            eta = 0.02 / (n * modes[0] ** (2 - 2 / n))  # η (N_l − 1) s_max^p fixed: stable, accurate
            t_half = float(learning_time(s, u0, s / 2, n_layers=n_layers))
            steps_theory.append(t_half / eta)
            steps_deep.append(float(very_deep_learning_time(s, u0, s / 2, n_layers=n_layers)) / eta)
            if k == 0:
                weights = decoupled_init(task, (8,) * n_layers, u0, rng)
                horizon = float(learning_time(modes[-1], u0, modes[-1] / 2, n_layers=n_layers))
                run = train_deep_linear(weights, task, eta, int(1.1 * horizon / eta), backend=backend)
                steps_gd.append(crossing_times(run.steps, run.mode_strengths, modes / 2))
        line, = ax.plot(depths, steps_theory, "-", label=f"s = {s:g}")
        ax.plot(depths, steps_deep, ":", color=line.get_color())
        if k == 0:
            gd = np.array(steps_gd)
        ax.plot(depths, gd[:, k], "o", color=line.get_color(), ms=4)
    ax.plot([], [], "k:", label="very-deep approx.")
    ax.plot([], [], "ko", ms=4, label="GD")
    label_panel(ax, f"(b) balanced orthogonal init, u₀ = {u0:g}", "depth N_l (layers of units)",
                "steps to half-learn (η ∝ 1/(N_l − 1))")


def init_panel(ax, rng, depths, width, max_steps, repeats, backend):
    modes = np.linspace(3.0, 0.5, width)
    task = whitened_task(modes, width, width, rng)
    for label, make, marker in (("random orthogonal", lambda w: orthogonal_init(w, 1.0, rng), "o-"),
                                ("Gaussian, variance 1/N", lambda w: gaussian_init(w, width ** -0.5, rng), "s-")):
        steps = []
        for n_layers in depths:
            eta = 0.3 / (n_layers - 1) / modes[0] ** 2
            runs = []
            for _ in range(repeats):
                weights = make((width,) * n_layers)
                loss0 = 0.5 * np.sum((task.sigma31 - np.linalg.multi_dot(weights[::-1])) ** 2)
                run = train_deep_linear(weights, task, eta, max_steps, record_every=max_steps,
                                        target_loss=0.01 * loss0, backend=backend)
                runs.append(run.steps[-1] if run.reached_target else np.inf)
            steps.append(np.median(runs))  # inf (not plotted) when most runs hit the cap
        ax.plot(depths, np.where(np.isfinite(steps), steps, np.nan), marker, label=label)
    label_panel(ax, f"(c) initialisation, width {width}, η(N_l − 1) s²_max = 0.3", "depth N_l",
                f"median steps to 1% of the initial loss (cap {max_steps})", legend=False)
    ax.set_yscale("log")
    ax.legend(fontsize=8)


def main() -> None:
    parser = example_parser(__doc__, __file__, seed=True)
    parser.add_argument("--hidden", type=int, default=16, help="hidden width of panel (a)")
    parser.add_argument("--width", type=int, default=16, help="layer width of panel (c)")
    parser.add_argument("--max-depth", type=int, default=17)
    parser.add_argument("--max-steps", type=int, default=4000, help="step cap of panel (c)")
    parser.add_argument("--repeats", type=int, default=5, help="initialisations per depth in panel (c)")
    parser.add_argument("--eta", type=float, default=1e-3, help="GD step of panel (a)")
    parser.add_argument("--backend", default="numba", choices=("numpy", "numba"))
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    depths = [d for d in (3, 4, 5, 7, 9, 13, 17, 25, 33) if d <= args.max_depth]

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.6))
    mode_panel(axes[0], rng, args.hidden, 1e-3, args.eta, args.backend)
    depth_panel(axes[1], rng, depths, 0.1, args.backend)
    init_panel(axes[2], rng, depths, args.width, args.max_steps, args.repeats, args.backend)
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
