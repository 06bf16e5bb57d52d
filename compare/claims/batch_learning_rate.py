"""Claim ``batch_learning_rate``: largest stable learning rate versus batch size, SGD and frozen Adam.

Granziol, Zohren & Roberts (JMLR 2022, arXiv:2006.09092) state that the largest stable learning
rate grows linearly in the batch size B for SGD and like √B for adaptive methods such as Adam.
Checked here on least squares with ``N`` samples of ``P`` Gaussian inputs (a fixed data set drawn
from ``data_seed``), where linear stability is exact [our setup and derivation]:

* SGD's mean-square threshold ``η*(B)`` is the generalised eigenvalue of the second-moment map
  for batches without replacement (theory.sgd_stability, Ma & Ying 2021, Mulayoff & Michaeli
  2023): about linear for B ≪ Tr H/λ₁(H), saturating at ``2/λ₁(H_emp)`` at B = N;
* frozen Adam: at the minimum with label noise Adam's second moment is the gradient-noise
  variance ``v_j = s_j²(1/B − 1/N)``; with ``D = diag(√v + δ)`` frozen, the threshold is SGD's on
  the rows ``D^{-1/2} x_i`` (theory.hessian_batch_learning_rate.frozen_adam_max_learning_rate),
  ≈ ``√B`` where SGD's is linear (the paper's square-root rule, derived here for this setup).

Measurement (one job = ``size`` chains per batch size): from ``δ₀ ~ N(0, Σ*)`` (``Σ*`` the critical
mode of the mean-square map) one step of linearised SGD — or of frozen Adam, with ``v`` itself
estimated from ``size`` simulated mini-batch gradients at the minimum — gives the learning rate at
which the ``Σ*``-weighted mean square is stationary (simulate.sgd_stability). The exponents are
fitted per job over the batch sizes ``B ≤ linear_range``.

Checks:

* **SGD exponent** (headline): the log–log slope of the SGD threshold over small B against the
  exact curve's slope (≈ 0.95 at the defaults: linear scaling); t × SE over seeds;
* **SGD threshold** (curve over B < N) and **frozen-Adam threshold** (curve over B < N): t × SE
  over seeds (Bonferroni);
* **frozen-Adam exponent**: slope over small B against the exact curve's (≈ 0.44; ½ in the limit
  B ≪ Tr H/λ₁): the square-root rule;
* **full-batch plateau**: the threshold at B = N against ``2/λ₁(H_emp)`` (gradient descent).
"""

from __future__ import annotations

import functools

import numpy as np

from simulate.hessian_models import spiked_gaussian_rows
from simulate.sgd_stability import batch_gradient_second_moment, stationary_learning_rate
from theory.hessian_batch_learning_rate import frozen_adam_max_learning_rate
from theory.sgd_stability import mean_square_critical_mode, mean_square_threshold

from ..checks import CurveAgreement, ScalarAgreement
from ..claim import Claim
from ..errors import UsageError
from ..params import Param, Preset

NUMERICAL = 1e-9
"""Relative floor where one step is deterministic (B = N): round-off only."""

ADAM_BATCHES = 4
"""Mini-batch gradients per chain that estimate Adam's v (its noise dominated the Adam estimate's
spread at equal numbers: per-chain relative spread 0.89 at B = 1)."""


@functools.lru_cache(maxsize=4)
def _experiment(n_params: int, n_data: int, spike: float, label_noise: float, damping: float, data_seed: int,
                batch_sizes: tuple[int, ...]):
    """The fixed data set, its minimum's per-sample gradients and the predicted thresholds."""
    rng = np.random.default_rng(data_seed)
    x = spiked_gaussian_rows(n_data, n_params, spike, rng)
    noise = label_noise * rng.standard_normal(n_data)
    residual = noise - x @ np.linalg.lstsq(x, noise, rcond=None)[0]
    gradients = residual[:, None] * x                       # per-sample gradients at the minimum
    variance = gradients.var(axis=0, ddof=1)
    sizes = np.array(batch_sizes)
    return {
        "x": x, "gradients": gradients, "variance": variance,
        "sgd": mean_square_threshold(x, sizes),
        "adam": frozen_adam_max_learning_rate(x, sizes, variance, damping),
        "full_batch": float(mean_square_threshold(x, n_data)),
    }


@functools.lru_cache(maxsize=4)
def _modes(key: tuple):
    """The critical modes the jobs start their chains in (SGD, frozen Adam, full batch)."""
    exp = _experiment(*key)
    x, n_data, damping, batch_sizes = exp["x"], key[1], key[4], key[6]
    preconditioners = [np.sqrt(exp["variance"] * (1.0 / b - 1.0 / n_data)) + damping for b in batch_sizes]
    return {
        "sgd": [mean_square_critical_mode(x, b) for b in batch_sizes],
        "adam": [mean_square_critical_mode(x / np.sqrt(d), b) for b, d in zip(batch_sizes, preconditioners)],
        "full_batch": mean_square_critical_mode(x, n_data),
    }


def _key(params) -> tuple:
    return (params["n_params"], params["n_data"], params["spike"], params["label_noise"], params["damping"],
            params["data_seed"], tuple(int(b) for b in params["batch_sizes"]))


def _setup(params):
    key = _key(params)
    return key[-1], _experiment(*key)


def _slope(batch_sizes, values, small) -> float:
    return float(np.polyfit(np.log(np.asarray(batch_sizes)[small]), np.log(np.asarray(values)[small]), 1)[0])


class BatchLearningRate(Claim):
    name = "batch_learning_rate"
    title = "Largest stable learning rate vs batch size: linear for SGD, square root for frozen Adam"
    reference = ("D. Granziol, S. Zohren, S. Roberts (2022), JMLR 23(173), arXiv:2006.09092 (linear and √B "
                 "rules); exact mean-square threshold: C. Ma, L. Ying (2021), arXiv:2105.13462; "
                 "R. Mulayoff, T. Michaeli (2023), arXiv:2306.07850; frozen-Adam threshold: our derivation")
    size_name = "chains"
    headline = "SGD exponent"
    params = (
        Param("n_params", "int", 50, "number of parameters P", low=5, high=60),
        Param("n_data", "int", 400, "number of samples N (fixed data set)", low=20, high=800),
        Param("spike", "float", 1.0, "top eigenvalue ℓ of the input covariance (1: isotropic)", low=1.0, high=10.0),
        Param("label_noise", "float", 1.0, "label-noise standard deviation τ", low=0.1, high=10.0),
        Param("damping", "float", 1e-3, "Adam's ε: D = √v + ε", low=1e-6, high=1.0),
        Param("data_seed", "int", 0, "seed of the fixed data set", low=0, high=2 ** 31 - 1),
        Param("batch_sizes", "floats", (1.0, 2.0, 4.0, 8.0, 16.0, 50.0, 100.0, 200.0, 400.0),
              "batch sizes B (integers in [1, N])", low=1.0, high=800.0),
        Param("linear_range", "int", 8, "largest B of the exponent fits", low=2, high=800),
    )
    presets = {
        "quick": Preset(sizes=(300,), seeds=8,
                        params={"n_params": 20, "n_data": 100, "batch_sizes": (1.0, 2.0, 4.0, 8.0, 25.0, 100.0),
                                "linear_range": 4}),
        "standard": Preset(sizes=(1600,), seeds=20),
        "paper": Preset(sizes=(5000,), seeds=20),
    }

    def predict(self, params):
        sizes, exp = _setup(params)
        small = np.asarray(sizes) <= params["linear_range"]
        return {
            "batch_size": np.asarray(sizes, dtype=float),
            "sgd_threshold": exp["sgd"],
            "adam_threshold": exp["adam"],
            "sgd_exponent": _slope(sizes, exp["sgd"], small),
            "adam_exponent": _slope(sizes, exp["adam"], small),
            "full_batch_threshold": exp["full_batch"],
            "stochastic": np.asarray(sizes) < params["n_data"],
        }

    def measure(self, params, size, rng, backend):
        sizes, exp = _setup(params)
        modes = _modes(_key(params))
        x, damping = exp["x"], params["damping"]
        sgd, adam = [], []
        for b, mode, adam_mode in zip(sizes, modes["sgd"], modes["adam"]):
            sgd.append(stationary_learning_rate(x, b, mode, size, rng, backend=backend))
            second_moment = batch_gradient_second_moment(exp["gradients"], b, ADAM_BATCHES * size, rng)
            adam.append(stationary_learning_rate(x, b, adam_mode, size, rng, backend=backend,
                                                 preconditioner=np.sqrt(second_moment) + damping))
        small = np.asarray(sizes) <= params["linear_range"]
        full = stationary_learning_rate(x, params["n_data"], modes["full_batch"], 1, rng, backend=backend)
        return {"sgd_threshold": np.array(sgd), "adam_threshold": np.array(adam),
                "sgd_exponent": _slope(sizes, sgd, small), "adam_exponent": _slope(sizes, adam, small),
                "full_batch_threshold": full}

    def checks(self, params):
        full_batch = _setup(params)[1]["full_batch"]
        return [
            ScalarAgreement(
                "sgd_exponent", name="SGD exponent", effect={"quick": 0.15, "standard": 0.02},
                reason="log–log slope of the measured SGD threshold over B ≤ linear_range (per job) against the "
                       "exact curve's slope; t × SE over seeds"),
            CurveAgreement(
                "sgd_threshold", x="batch_size", where="stochastic", name="SGD threshold",
                effect={"quick": 0.1, "standard": 0.02},
                reason="one-step stationary learning rate at the critical mode for B < N, t × SE over seeds "
                       "(Bonferroni over B); B = N is the full-batch check"),
            CurveAgreement(
                "adam_threshold", x="batch_size", where="stochastic",
                name="frozen-Adam threshold",
                effect={"quick": 0.15, "standard": 0.02},
                reason="as for SGD, with Adam's v estimated from 4 simulated mini-batch gradients per chain at "
                       "the minimum; t × SE over seeds (Bonferroni over B < N)"),
            ScalarAgreement(
                "adam_exponent", name="frozen-Adam exponent", effect={"quick": 0.2, "standard": 0.02},
                reason="log–log slope of the measured frozen-Adam threshold over B ≤ linear_range (per job) "
                       "against the exact curve's slope; t × SE over seeds"),
            ScalarAgreement(
                "full_batch_threshold", floor=NUMERICAL * full_batch, name="full-batch plateau",
                effect={"quick": 0.02, "standard": 0.02},
                reason="at B = N one step is deterministic: equal to 2/λ₁(H_emp) up to round-off (floor 1e-9 "
                       "relative)"),
        ]

    @classmethod
    def validate_params(cls, params):
        sizes = np.asarray(params["batch_sizes"])
        if np.any(sizes != np.round(sizes)) or sizes.max() > params["n_data"]:
            raise UsageError(f"parameter batch_sizes={params['batch_sizes']!r} is invalid: must be integers "
                             f"in [1, n_data={params['n_data']}]")
        if params["n_data"] <= params["n_params"]:
            raise UsageError(f"parameter n_data={params['n_data']} is invalid: must exceed n_params="
                             f"{params['n_params']} (the minimum must be unique)")
        if (sizes <= params["linear_range"]).sum() < 2:
            raise UsageError(f"parameter linear_range={params['linear_range']} is invalid: needs two batch sizes "
                             "at or below it")


CLAIMS = (BatchLearningRate,)
