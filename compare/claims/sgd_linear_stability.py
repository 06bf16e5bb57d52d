"""Claim ``sgd_linear_stability``: exact mean-square stability threshold of mini-batch SGD.

Wu & Su (ICML 2023, arXiv:2305.17490): a minimum that is linearly stable for SGD has
``Tr H ≤ 2/η`` — flatter in trace, not only in ``λ_max(H) ≤ 2/η`` as for gradient descent. The
exact threshold (Ma & Ying 2021; Mulayoff & Michaeli 2023): at an interpolating minimum of the
square loss, ``H_i = g_i g_iᵀ``, batches of B drawn without replacement and fresh every step, the
second moment obeys ``Σ_{t+1} = Q(Σ_t)``, ``Q = I − 2ηC + η²D`` with
``D = (1 − p)H⊗H + (p/n)Σ H_i⊗H_i``, ``p = (n − B)/(B(n − 1))``, and ``E‖δ_t‖²`` stays bounded
iff ``η ≤ η*(B) = 2/λ_max(C⁻¹D)`` (theory.sgd_stability). ``η*(n) = 2/λ_max(H)`` (gradient
descent) and ``η*(1) ≤ 2/Tr H`` (Wu & Su's bound; rank-one H_i only).

The data set (n gradients in d dimensions, Gaussian with random per-sample scales) is fixed by
``data_seed``. One job runs ``size`` chains of linearised SGD per batch size (simulate.sgd_stability):

* from ``δ₀ ~ N(0, Σ*)`` (``Σ*`` the critical mode) one step gives the learning rate at which the
  ``Σ*``-weighted mean square is stationary — the measured threshold;
* from ``δ₀ ~ N(0, I/d)``, ``steps`` steps at ``η = f·η*(trajectory_batch)`` for f = 0.9, 1, 1.1 give
  ``E‖δ_t‖²``; short horizons only: the mean square is carried by rare trajectories (note §1).

Checks:

* **threshold** (headline, curve over B < n): t × SE over seeds (Bonferroni);
* **gradient-descent limit** (B = n): deterministic, floor 1e-9 relative;
* **Wu–Su bound** (consistency, upper): ``η*(1) ≤ 2/Tr H``, one-sided t × SE;
* **mean-square trajectory** (curve over t = 1..steps and the three f): the simulated mean of
  ``‖δ_t‖²`` against the exact recursion, t × SE over seeds (Bonferroni over all points).
"""

from __future__ import annotations

import functools

import numpy as np

from simulate.sgd_stability import linear_sgd_second_moment, stationary_learning_rate
from theory.sgd_stability import (mean_square_critical_mode, mean_square_threshold, mean_square_trajectory,
                                  trace_bound)

from ..checks import CurveAgreement, ScalarAgreement
from ..claim import Claim
from ..errors import UsageError
from ..params import Param, Preset

FACTORS = (0.9, 1.0, 1.1)
"""Learning rates of the trajectory check, in units of η*(trajectory_batch)."""

NUMERICAL = 1e-9
"""Relative floor where one step is deterministic (B = n)."""


@functools.lru_cache(maxsize=4)
def _experiment(n_data: int, dim: int, data_seed: int, trajectory_batch: int, steps: int):
    rng = np.random.default_rng(data_seed)
    g = rng.standard_normal((n_data, dim)) * rng.uniform(0.3, 1.5, (n_data, 1))
    sizes = np.arange(1, n_data + 1)
    thresholds = mean_square_threshold(g, sizes)
    eta = thresholds[trajectory_batch - 1]
    start = np.eye(dim) / dim
    return {
        "g": g, "sizes": sizes, "thresholds": thresholds, "start": start,
        "modes": [mean_square_critical_mode(g, int(b)) for b in sizes],
        "trajectory": np.concatenate([mean_square_trajectory(g, trajectory_batch, f * eta, start, steps)[1:]
                                      for f in FACTORS]),
        "rates": [f * eta for f in FACTORS],
    }


def _setup(params):
    return _experiment(params["n_data"], params["dim"], params["data_seed"], params["trajectory_batch"],
                       params["steps"])


class SgdLinearStability(Claim):
    name = "sgd_linear_stability"
    title = "Mean-square stability threshold of mini-batch SGD (η*(1) ≤ 2/Tr H, η*(n) = 2/λ_max)"
    reference = ("L. Wu, W. J. Su (2023), ICML, arXiv:2305.17490 (Tr H ≤ 2/η); exact threshold: C. Ma, L. Ying "
                 "(2021), arXiv:2105.13462; R. Mulayoff, T. Michaeli (2023), arXiv:2306.07850")
    size_name = "chains"
    headline = "threshold"
    params = (
        Param("n_data", "int", 10, "number of samples n", low=2, high=40),
        Param("dim", "int", 6, "parameter dimension d", low=1, high=12),
        Param("data_seed", "int", 0, "seed of the fixed data set", low=0, high=2 ** 31 - 1),
        Param("trajectory_batch", "int", 2, "batch size of the trajectory check", low=1, high=40),
        Param("steps", "int", 10, "steps of the trajectory check", low=1, high=20),
    )
    presets = {
        "quick": Preset(sizes=(3000,), seeds=6),
        "standard": Preset(sizes=(20000,), seeds=20),
        "paper": Preset(sizes=(40000,), seeds=20, params={"steps": 20}),
    }

    def predict(self, params):
        exp = _setup(params)
        sizes = exp["sizes"]
        steps = params["steps"]
        return {
            "batch_size": sizes.astype(float),
            "threshold": exp["thresholds"],
            "stochastic": sizes < params["n_data"],
            "gradient_descent_threshold": float(exp["thresholds"][-1]),
            "single_sample_threshold": trace_bound(exp["g"]),
            "mean_square": exp["trajectory"],
            "step": np.tile(np.arange(1.0, steps + 1), len(FACTORS)),
        }

    def measure(self, params, size, rng, backend):
        exp = _setup(params)
        g = exp["g"]
        thresholds = np.array([stationary_learning_rate(g, int(b), mode, size, rng, backend=backend)
                               for b, mode in zip(exp["sizes"], exp["modes"])])
        trajectory = np.concatenate([
            linear_sgd_second_moment(g, params["trajectory_batch"], eta, exp["start"], params["steps"], size, rng,
                                     backend=backend)[1:] for eta in exp["rates"]])
        return {"threshold": thresholds, "gradient_descent_threshold": float(thresholds[-1]),
                "single_sample_threshold": float(thresholds[0]), "mean_square": trajectory}

    def checks(self, params):
        gd = float(_setup(params)["thresholds"][-1])
        return [
            CurveAgreement(
                "threshold", x="batch_size", where="stochastic", name="threshold",
                effect={"quick": 0.1, "standard": 0.02},
                reason="one-step stationary learning rate of simulated SGD chains started in the critical mode, "
                       "B < n; t × SE over seeds (Bonferroni over B)"),
            ScalarAgreement(
                "gradient_descent_threshold", floor=NUMERICAL * gd, name="gradient-descent limit",
                effect={"quick": 0.02, "standard": 0.02},
                reason="B = n: one step is deterministic and equals 2/λ_max(H) up to round-off (floor 1e-9 "
                       "relative)"),
            ScalarAgreement(
                "single_sample_threshold", side="upper", name="Wu–Su bound",
                consistency="η*(1) ≤ 2/Tr H is an inequality (Cauchy–Schwarz at Σ = I); its bound is not the "
                            "value, so a scaled prediction cannot test the threshold",
                reason="measured η*(B = 1) must not exceed 2/Tr H by more than the one-sided t × SE over seeds"),
            CurveAgreement(
                "mean_square", x="step", name="mean-square trajectory",
                effect={"quick": 0.1, "standard": 0.02},
                reason="mean of ‖δ_t‖² over chains at 0.9, 1, 1.1 η*(trajectory_batch), t = 1..steps, against "
                       "the exact recursion; t × SE over seeds (Bonferroni over all points)"),
        ]

    @classmethod
    def validate_params(cls, params):
        if params["trajectory_batch"] > params["n_data"]:
            raise UsageError(f"parameter trajectory_batch={params['trajectory_batch']} is invalid: must be at most "
                             f"n_data={params['n_data']}")


CLAIMS = (SgdLinearStability,)
