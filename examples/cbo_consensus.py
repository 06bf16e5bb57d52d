"""Consensus-based optimisation: the consensus point is a proximal gradient step; particle decay rates.

Left: the first two coordinates of the consensus point of N(x, σ²I) weighted by e^{−αf}
(quadratic f) against h = ασ²: Monte-Carlo points ± SE, the proximal point (I + hA)⁻¹(x + hAy*)
(exact), and the explicit gradient step x − hA(x − y*), which agrees only to first order in h.
Right: log E|X_t − x*|² of CBO particles with their own consensus (isotropic and anisotropic
noise), with the predicted slopes −(2λ − dσ²) and −(2λ − σ²).

Run: ``python examples/cbo_consensus.py [--out cbo_consensus.png] [--particles 2000] [--samples 20000]``.
"""

import functools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from compare.claims.cbo_consensus import quadratic_setting  # noqa: E402
from simulate.consensus import cbo_particles, monte_carlo_consensus, quadratic_objective  # noqa: E402
from theory.consensus import cbo_variance_rate, quadratic_proximal_point  # noqa: E402
from _common import example_parser, label_panel, write_figure  # noqa: E402

BATCHES = 8


def main() -> None:
    parser = example_parser(__doc__, __file__, seed=True)
    parser.add_argument("--dim", type=int, default=5)
    parser.add_argument("--samples", type=int, default=20000, help="draws per consensus point and batch")
    parser.add_argument("--particles", type=int, default=2000)
    parser.add_argument("--alpha", type=float, default=1.0)
    parser.add_argument("--drift", type=float, default=1.0)
    parser.add_argument("--noise", type=float, default=0.4)
    parser.add_argument("--dt", type=float, default=5e-3, help="Euler–Maruyama step (runs to t = 4)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    hessian, minimiser, centre = quadratic_setting(args.dim)
    objective = functools.partial(quadratic_objective, hessian=hessian, minimiser=minimiser)

    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4.0))
    fine = np.linspace(0, 1.0, 101)
    prox = quadratic_proximal_point(centre, hessian, minimiser, fine)
    step = centre - fine[:, None] * (hessian @ (centre - minimiser))
    hs = np.array([0.05, 0.1, 0.25, 0.5, 0.75, 1.0])
    points = np.array([[monte_carlo_consensus(objective, centre, np.sqrt(h / args.alpha), args.alpha, args.samples,
                                              rng).point for _ in range(BATCHES)] for h in hs])
    mean, se = points.mean(1), points.std(1, ddof=1) / np.sqrt(BATCHES)
    for coordinate, colour in ((0, "C0"), (args.dim - 1, "C1")):
        left.plot(fine, prox[:, coordinate], "-", color=colour, lw=1.2, label=f"prox, coordinate {coordinate}")
        left.plot(fine, step[:, coordinate], ":", color=colour, lw=1, label="gradient step")
        left.errorbar(hs, mean[:, coordinate], yerr=se[:, coordinate], fmt="o", ms=4, color=colour)
    left.set_ylim(prox.min() - 0.3, prox.max() + 0.2)
    label_panel(left, f"consensus of N(x, σ²I), α = {args.alpha:g}, d = {args.dim}", "h = ασ²", "consensus point",
                title_size=10)

    sphere = functools.partial(quadratic_objective, hessian=np.eye(args.dim), minimiser=np.zeros(args.dim))
    steps = int(round(4.0 / args.dt))
    start = steps // 8                        # anchor the predicted slopes at t = 0.5
    for noise_type, colour in (("isotropic", "C0"), ("anisotropic", "C3")):
        run = cbo_particles(sphere, rng.standard_normal((args.particles, args.dim)), np.zeros(args.dim),
                            drift=args.drift, noise=args.noise, alpha=1e7, dt=args.dt, steps=steps, rng=rng,
                            noise_type=noise_type)
        rate = cbo_variance_rate(args.drift, args.noise, args.dim, noise_type)
        right.semilogy(run.times, run.mean_square_distance, color=colour, lw=1, label=f"{noise_type} particles")
        anchor = run.mean_square_distance[start]
        right.semilogy(run.times, anchor * np.exp(-rate * (run.times - run.times[start])), "k--", lw=0.8)
        right.text(run.times[-1], anchor * np.exp(-rate * (run.times[-1] - run.times[start])),
                   f" rate {rate:.2f}", fontsize=8, va="center")
    label_panel(right, f"CBO particles, N = {args.particles}, λ = {args.drift:g}, σ = {args.noise:g}", "t",
                "mean |X − x*|²", title_size=10)
    write_figure(fig, args.out)


if __name__ == "__main__":
    main()
