"""Claim ``saxe_deep_linear``: exact learning dynamics of deep linear networks.

Saxe, McClelland & Ganguli (ICLR 2014, arXiv:1312.6120): with whitened inputs, a network
started on the balanced decoupled manifold learns each singular mode ``s`` of the
input–output correlation independently, along the sigmoid ``τu̇ = 2u(s − u)`` (two layers;
``(N_l − 1)u^{2−2/(N_l−1)}(s − u)`` with depth), so that the half-learning time
``t½ = (τ/2s) ln((s − u0)/u0)`` — strong modes first, at times ∝ 1/s up to the logarithm.

Every job trains full-batch GD (``τ = 1/η``) on one random task ``Σ³¹ = U S Vᵀ`` (8 inputs
and outputs; the size is the hidden width ``N2``). The decoupled runs are deterministic up
to the random rotations (which the theory says do not matter: seeds agree to ~1e-13); GD
differs from the flow at first order in η (halving η halves the error to 4 digits: a test),
so each is run at ``η`` and ``η/2`` and Richardson-extrapolated, ``2x(η/2) − x(η)``, which
leaves an ``O(η²)`` remainder ≤ 1.4e-6 relative at the default step (3.4e-5 at the largest
allowed step). The step is set per depth by ``step = η (N_l − 1) s_max^{2−2/(N_l−1)}`` (η
times the top Hessian eigenvalue at the solution). Checks:

* **half-learning time** (headline; curve over modes): two layers, decoupled init ``u0``,
  Richardson GD crossing of ``s/2`` against ``learning_time(s, u0, s/2)``; tolerance
  ``t × SE`` over seeds (rotations) plus ``1e-4 t½`` (≥ 3× the O(η²) remainder; the linear
  interpolation of the crossing between steps adds < 1e-5).
* **mode trajectories** (curve over modes × times): ``u_α(t)`` at fixed times against the
  logistic solution; ``t × SE`` plus ``2 step² u``: at a fixed time the Richardson remainder
  is largest for the strongest mode early in its rise, measured ≤ 0.77 step² relative over
  the declared ranges (8e-4 at the default step).
* **learning time vs depth** (curve over depths × modes): decoupled balanced deep nets
  (scaled-orthogonal layers) against the exact depth-``N_l`` solution (the closed form of
  :func:`theory.deep_linear.learning_time`); ``t × SE`` plus ``1e-4 t½``.
* **random initialisation** (curve over modes): from i.i.d. ``N(0, σ²)`` weights the modes
  are not decoupled, yet each follows the sigmoid from its *effective* initial strength
  (the paper's Fig. 2): per run, the Richardson GD half time divided by
  ``learning_time(s, u0_α, s/2)`` with ``u0_α`` the QR strengths of the growing directions
  (:func:`theory.deep_linear.effective_initial_strength`) [derived], against 1; ``t × SE``
  (Bonferroni over modes) plus 5e-3. The QR strengths are accurate when the modes are well
  separated: mean deviation ≤ 1.5e-4 for the default spectrum, up to 2.8e-3 for eight modes
  a factor 1.25 apart at σ = 2e-3 (0.9% for near-degenerate modes, hence the required
  factor ≥ 1.25 between adjacent singular values).
* **conservation** (consistency): under the flow ``W^{l+1}ᵀW^{l+1} − W^l W^{lᵀ}`` is
  conserved; GD from a random init changes it by ``O(η)`` per unit time, so the drift at
  ``η`` over the drift at ``η/2`` is 2 (measured 2.00–2.007); a gradient that broke the
  symmetry would leave a drift that does not vanish with η. Tolerance ``t × SE + 0.05``.
* **orthogonal vs Gaussian initialisation** (consistency, one-sided): at the deepest depth,
  at ``N_l = 8`` (width 8), the log of the ratio of the steps needed to reach 1% of the
  initial loss from Gaussian layers of variance 1/N and from random orthogonal layers must
  be positive (the paper's contrast; no closed form exists). Measured 2.16 ± 0.75 per seed
  (ratios 2.3–26; Gaussian runs mostly hit the cap of 5000 steps).
"""

from __future__ import annotations

import numpy as np

from simulate.deep_linear import (balance_matrices, crossing_times, decoupled_init, gaussian_init,
                                  orthogonal_init, train_deep_linear, whitened_task)
from theory.deep_linear import effective_initial_strength, learning_time, mode_strength

from ..checks import CurveAgreement, ScalarAgreement
from ..claim import Claim
from ..errors import UsageError
from ..params import Param, Preset

WIDTH = 8
"""Input and output width of every task (at least the number of modes)."""
CHUNK = 4000
"""Steps per call while training until every mode has crossed s/2."""
MAX_STEPS = 1_000_000
"""Runs that have not half-learnt every mode by then report ``nan`` (the check errors)."""
FLOOR = 1e-4
"""Relative tolerance floor of the Richardson-extrapolated decoupled runs (see module notes)."""
QR_FLOOR = 5e-3
"""Floor of the random-initialisation ratio: the accuracy of the QR effective strengths."""
TRAJECTORY_FLOOR = 2.0
"""Trajectory floor in units of step² (2.5× the largest measured Richardson remainder)."""
CONSERVATION_STD, CONSERVATION_TIME, CONSERVATION_ETA = 0.1, 2.0, 0.002
"""Random init, duration (τ) and largest step of the conservation runs (η = min(η, 0.002))."""
CONTRAST_DEPTH, CONTRAST_STEP, CONTRAST_CAP = 8, 0.3, 5000
EFFECT = {"quick": 0.05, "standard": 0.02}
"""Effect every power check must detect (min_detectable ≤ 0.5% at quick, ≤ 0.5% at standard)."""


def _modes(params) -> np.ndarray:
    return np.sort(np.asarray(params["singular_values"], dtype=float))[::-1]


def _eta(params, n_layers: int) -> float:
    """η such that η (N_l − 1) s_max^{2−2/(N_l−1)} equals the ``step`` parameter."""
    n = n_layers - 1
    return params["step"] / (n * _modes(params)[0] ** (2.0 - 2.0 / n))


def _checkpoint_steps(params) -> np.ndarray:
    """Step counts at η of the trajectory times (rounded to whole steps; η/2 takes twice as many)."""
    return np.round(np.asarray(params["times"], dtype=float) / _eta(params, 3)).astype(int)


def _half_times(weights, task, eta, backend) -> np.ndarray:
    """Steps × η at which each mode first reaches s/2, training in chunks until all have."""
    levels = task.singular_values / 2
    done, offset, found = np.zeros(levels.size, bool), 0, np.full(levels.size, np.nan)
    while not done.all() and offset < MAX_STEPS:
        run = train_deep_linear(weights, task, eta, CHUNK, backend=backend)
        times = crossing_times(run.steps + offset, run.mode_strengths, levels)
        new = ~done & np.isfinite(times)
        found[new] = times[new]
        done |= new
        weights, offset = run.weights, offset + CHUNK
    return found * eta


def _richardson(weights, task, eta, backend, checkpoints=None):
    """Half times (and strengths at ``checkpoints`` steps of η) from ``weights``, extrapolated
    to η → 0 from runs at η and η/2."""
    halves, strengths = [], []
    for factor in (1, 2):
        step = eta / factor
        halves.append(_half_times(weights, task, step, backend))
        if checkpoints is not None:
            every = int(np.gcd.reduce(factor * checkpoints))
            run = train_deep_linear(weights, task, step, int(factor * checkpoints.max()),
                                    record_every=every, backend=backend)
            rows = np.searchsorted(run.steps, factor * checkpoints)
            strengths.append(run.mode_strengths[rows])
    half = 2.0 * halves[1] - halves[0]
    return half if checkpoints is None else (half, 2.0 * strengths[1] - strengths[0])


def _depths(params) -> list[int]:
    return [int(d) for d in params["depths"]]


class SaxeDeepLinear(Claim):
    name = "saxe_deep_linear"
    title = "Exact learning dynamics of deep linear networks: sigmoidal mode learning, t½ ∝ ln(s/u0)/s"
    reference = ("A. M. Saxe, J. L. McClelland, S. Ganguli (2014), ICLR, arXiv:1312.6120: "
                 "mode strengths (eqs. 6–8), depth (§3, eq. 11), initialisation (§4)")
    size_name = "N2"
    headline = "half-learning time"
    params = (
        Param("singular_values", "floats", (0.5, 1.0, 1.5, 2.0, 3.0), "singular values s of the task "
              f"(at most {WIDTH}, adjacent ones a factor >= 1.25 apart)", low=0.25, high=4.0),
        Param("initial_strength", "float", 0.01, "u0 of every mode in the decoupled runs (<= s/4)",
              low=1e-3, high=0.05),
        Param("depths", "floats", (4.0, 6.0), "depths N_l (integers) of the deep decoupled runs",
              low=3.0, high=6.0),
        Param("init_std", "float", 1e-3, "σ of the small random initialisation", low=1e-4, high=2e-3),
        Param("step", "float", 0.02, "η (N_l − 1) s_max^{2−2/(N_l−1)}: the step in units of the "
              "top Hessian eigenvalue", low=0.01, high=0.05),
        Param("times", "floats", (0.5, 1.0, 2.0, 3.0, 4.0, 6.0), "times t/τ of the trajectory check",
              low=0.05, high=10.0),
    )
    presets = {
        "quick": Preset(sizes=(12,), seeds=4, params={"depths": (4.0,), "step": 0.05}),
        "standard": Preset(sizes=(16,), seeds=10),
        "paper": Preset(sizes=(16,), seeds=100, params={"depths": (3.0, 4.0, 5.0, 6.0), "step": 0.01}),
    }

    @classmethod
    def validate_params(cls, params):
        s = np.sort(params["singular_values"])
        if len(s) > WIDTH or np.any(s[1:] < 1.25 * s[:-1]):
            raise UsageError(f"parameter singular_values={params['singular_values']!r} is invalid: at most "
                             f"{WIDTH} values, adjacent ones a factor >= 1.25 apart")
        if any(d != int(d) for d in params["depths"]):
            raise UsageError(f"parameter depths={params['depths']!r} is invalid: depths are integers")

    def predict(self, params):
        s, u0 = _modes(params), params["initial_strength"]
        times = _checkpoint_steps(params) * _eta(params, 3)
        half = learning_time(s, u0, s / 2)
        depth_half = np.array([learning_time(s, u0, s / 2, n_layers=d) for d in _depths(params)])
        trajectory = mode_strength(times[None, :], s[:, None], u0)
        return {
            "singular_values": s,
            "half_time": half,
            "half_time_floor": FLOOR * half,
            "trajectory": trajectory,
            "trajectory_floor": TRAJECTORY_FLOOR * params["step"] ** 2 * trajectory,
            "depth_half_time": depth_half,
            "depth_half_time_floor": FLOOR * depth_half,
            "random_init_ratio": np.ones(s.size),
            "conservation_order": 2.0,
            "init_contrast": 0.0,
        }

    @classmethod
    def smallest_size(cls, params):
        """The hidden width must hold every mode."""
        return max(cls.min_size, len(params["singular_values"]))

    def measure(self, params, size, rng, backend):
        s, u0 = _modes(params), params["initial_strength"]
        task = whitened_task(s, WIDTH, WIDTH, rng)
        eta = _eta(params, 3)
        half, trajectory = _richardson(decoupled_init(task, (WIDTH, size, WIDTH), u0, rng), task, eta,
                                       backend, _checkpoint_steps(params))
        depth_half = [_richardson(decoupled_init(task, (WIDTH,) + (size,) * (d - 2) + (WIDTH,), u0, rng),
                                  task, _eta(params, d), backend) for d in _depths(params)]
        random = gaussian_init((WIDTH, size, WIDTH), params["init_std"], rng)
        u0_eff = effective_initial_strength(random[0], random[1], task.left_vectors, task.right_vectors)
        random_ratio = _richardson(random, task, eta, backend) / learning_time(s, u0_eff, s / 2)
        return {"half_time": half, "trajectory": trajectory.T, "depth_half_time": np.array(depth_half),
                "random_init_ratio": random_ratio,
                "conservation_order": _conservation_order(task, size, min(eta, CONSERVATION_ETA), rng,
                                                          backend),
                "init_contrast": _init_contrast(params, rng, backend)}

    def checks(self, params):
        richardson = ("Richardson GD (η, η/2; seeds are random rotations) vs the exact solution: "
                      "t × SE + 1e-4 relative (≥ 3× the O(η²) remainder)")
        return [
            CurveAgreement("half_time", x="singular_values", floor="half_time_floor",
                           name="half-learning time", reason=richardson, effect=EFFECT),
            CurveAgreement("trajectory", floor="trajectory_floor", name="mode trajectories", effect=EFFECT,
                           reason="Richardson GD vs the logistic solution at fixed times: t × SE + 2 step² "
                                  "relative (2.5× the largest O(η²) remainder measured)"),
            CurveAgreement("depth_half_time", floor="depth_half_time_floor", name="learning time vs depth",
                           reason=richardson, effect=EFFECT),
            CurveAgreement("random_init_ratio", x="singular_values", floor=QR_FLOOR, name="random initialisation",
                           effect=EFFECT,
                           reason="per run, Richardson half time from N(0, σ²) weights over the sigmoid's "
                                  "from the QR effective strengths: t × SE (Bonferroni) + 5e-3 (mean "
                                  "deviation ≤ 2.8e-3 for modes a factor 1.25 apart)"),
            ScalarAgreement("conservation_order", floor=0.05, name="conservation",
                            reason="balance drift at η over drift at η/2 (flow conserves, GD drifts O(η)): "
                                   "t × SE + 0.05 for the O(η) correction to the ratio",
                            consistency="the flow conserves W^{l+1}ᵀW^{l+1} − W^l W^lᵀ, so GD's drift vanishes "
                                        "linearly with η: the ratio 2 is an order of convergence, not a "
                                        "theory value that can be off by a percentage"),
            ScalarAgreement("init_contrast", name="orthogonal vs Gaussian init", side="lower",
                            consistency="an inequality (Gaussian layers learn slower than orthogonal ones "
                                        "at depth); no closed form to scale",
                            reason=f"log of steps to 1% loss (cap {CONTRAST_CAP}), Gaussian (variance 1/N) "
                                   f"over random orthogonal layers at N_l = {CONTRAST_DEPTH}, must be > 0 "
                                   "(one-sided; t × SE)"),
        ]


def _conservation_order(task, size, eta, rng, backend) -> float:
    """Drift of the balance matrix over ``CONSERVATION_TIME`` at η, divided by that at η/2."""
    weights = gaussian_init((WIDTH, size, WIDTH), CONSERVATION_STD, rng)
    start = balance_matrices(weights)[0]
    drift = []
    for factor in (1, 2):
        run = train_deep_linear(weights, task, eta / factor, int(round(factor * CONSERVATION_TIME / eta)),
                                record_every=10 ** 9, backend=backend)
        drift.append(np.linalg.norm(balance_matrices(run.weights)[0] - start))
    return drift[0] / drift[1]


def _init_contrast(params, rng, backend) -> float:
    """ln(steps to 1% of the initial loss from Gaussian (variance 1/N) / from random orthogonal layers)."""
    s = np.linspace(_modes(params)[0], _modes(params)[-1], WIDTH)
    task = whitened_task(s, WIDTH, WIDTH, rng)
    eta = CONTRAST_STEP / ((CONTRAST_DEPTH - 1) * s[0] ** 2)
    widths = (WIDTH,) * CONTRAST_DEPTH
    steps = []
    for weights in (gaussian_init(widths, WIDTH ** -0.5, rng), orthogonal_init(widths, 1.0, rng)):
        total = np.linalg.multi_dot(weights[::-1])
        target = 0.005 * np.sum((task.sigma31 - total) ** 2)
        run = train_deep_linear(weights, task, eta, CONTRAST_CAP, record_every=CONTRAST_CAP,
                                target_loss=target, backend=backend)
        steps.append(run.steps[-1] if run.reached_target else CONTRAST_CAP)
    return float(np.log(steps[0] / steps[1]))


CLAIMS = (SaxeDeepLinear,)
