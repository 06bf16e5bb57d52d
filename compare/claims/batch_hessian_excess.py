"""Claim ``batch_hessian_excess``: the batch Hessian's top eigenvalue exceeds the full one by ∝ (1/B − 1/N).

Granziol, Zohren & Roberts (JMLR 2022, arXiv:2006.09092) treat the batch Hessian as the full-data
Hessian plus a "field-dependent" fluctuation whose size grows as the batch shrinks, so its
extremal eigenvalues are larger in magnitude than the full-data ones. Checked on two models at a
fixed point ``w`` of a fixed data set (``data_seed``): logistic regression on a two-Gaussian
mixture (rank-one per-sample Hessians) and a one-hidden-layer tanh network with its exact,
indefinite Hessian.

Quantitative law [our derivation]: second-order perturbation theory plus the exact variance of a
batch mean drawn without replacement give
``E λ₁(H_B) − λ₁(H_emp) ≈ p(B, N) κ``, ``p = (N − B)/(B(N − 1))``,
``κ = Σ_{k≥2} (1/N) Σ_i (u_kᵀ H_i u₁)²/(λ₁ − λ_k)``
(theory.hessian_batch_perturbation.perturbative_excess), valid while the noise is small against the
gap λ₁ − λ₂ (the defaults keep λ₁/λ₂ ≈ 6 and 4). Model-free facts (science note §3):
``E λ₁(H_B) ≥ λ₁(H_emp)`` and ``E λ_min(H_B) ≤ λ_min(H_emp)`` (Jensen:
``E H_B = H_emp``, λ_max convex) and ``E λ₁(H_B)`` is non-increasing in B (a batch is the average of
its sub-batches).

Measurement: per job ``size`` batches per batch size for logistic regression and ``size/6`` (at least
8) for the network (a network batch Hessian costs ~3× more and only a 15% effect is in reach for it). The
excess is measured with the exact control variate ``u₁ᵀ(H_B − H_emp)u₁`` (the first-order term:
mean exactly zero, so the estimate stays unbiased while its spread drops 3–30×).

Checks:

* **excess, logistic** (headline) and **excess, network** (curves over B): t × SE over seeds
  (Bonferroni) plus 0.7% of the prediction for the terms beyond second order (pooled over the
  400 jobs of a 20-root-seed calibration, measured/predicted = 0.9991, 0.9971, 0.9955, 0.9954,
  0.9943 ± 0.0006 for B = 50 … 800 on logistic regression; 1.026, 1.027, 1.010, 1.009, 1.007
  ± 0.007 on the network, inside its statistical tolerance), compared where the second-order
  shift ``p κ`` is at most 0.3 of the gap ``λ₁ − λ₂`` (0.25 at the defaults' smallest batch; at
  0.81 the law is 6% off);
* **excess exponent** (scalar, logistic): per-job log–log slope of the excess against ``p`` over
  the compared batch sizes —
  the "∝ 1/B − 1/N" statement — against 1; floor 0.007 for the terms beyond second order;
* **Jensen** and **monotone in B** (consistency): the gaps ``E λ₁(H_B) − λ₁(H_emp)``,
  ``λ_min(H_emp) − E λ_min(H_B)`` (network) and the decrements of the excess between consecutive
  batch sizes must not be negative beyond t × SE (one-sided).
"""

from __future__ import annotations

import functools

import numpy as np

from simulate.hessian_batch import batch_extreme_eigenvalues
from simulate.hessian_models import LogisticRegression, TanhNetwork, gaussian_mixture
from theory.hessian_batch_perturbation import perturbative_excess
from theory.sgd_stability import without_replacement_factor

from ..checks import CurveAgreement, ScalarAgreement
from ..claim import Claim
from ..errors import UsageError
from ..params import Param, Preset

NETWORK_SHARE = 6
"""The network gets ``size // NETWORK_SHARE`` (at least 8) batches per batch size (a batch costs ~3×
more, and its 40–50% spread puts a 2% effect out of reach anyway)."""

THIRD_ORDER = 0.007
"""Relative floor on the excess for the terms beyond second order: the logistic law sits 0.1–0.6%
high at the defaults (pooled over 400 calibration jobs, ±0.06%)."""

SMALL_NOISE = 0.3
"""The law is compared where its second-order shift p·κ is at most this fraction of the gap
λ₁ − λ₂ (0.25 at the defaults' smallest batch, within 1%; at 0.81 it is 6% off)."""


@functools.lru_cache(maxsize=4)
def _models(n_data: int, dim: int, separation: float, weight_norm: float, network_dim: int, hidden: int,
            network_separation: float, data_seed: int):
    """The two models at their fixed points, with the full-data spectra the predictions and jobs need."""
    rng = np.random.default_rng(data_seed)
    x, _ = gaussian_mixture(n_data, dim, separation, rng)
    w = 0.5 * weight_norm * rng.standard_normal(dim) / np.sqrt(dim)
    w[0] += weight_norm
    logistic = LogisticRegression.at(x, w)
    x, y = gaussian_mixture(n_data, network_dim, network_separation, rng)
    network = TanhNetwork.at(x, y, rng.standard_normal((hidden, network_dim)) / np.sqrt(network_dim),
                             np.zeros(hidden), rng.standard_normal(hidden) / np.sqrt(hidden))
    out = {}
    for label, model in (("logistic", logistic), ("network", network)):
        eigenvalues, eigenvectors = np.linalg.eigh(model.batch_hessian(np.arange(n_data)))
        products = model.sample_products(eigenvectors[:, -1])
        out[label] = {"model": model, "top": eigenvalues[-1], "bottom": eigenvalues[0],
                      "gap": eigenvalues[-1] - eigenvalues[-2],
                      "kappa": perturbative_excess(eigenvalues, eigenvectors, products),
                      "first_order": products @ eigenvectors[:, -1]}
    return out


def fixed_models(params):
    """The claim's two models at their fixed points (cached per parameter set)."""
    return _models(params["n_data"], params["dim"], params["separation"], params["weight_norm"],
                   params["network_dim"], params["hidden"], params["network_separation"], params["data_seed"])


def _small_noise(params, label) -> np.ndarray:
    """Batch sizes where the second-order shift p·κ is at most ``SMALL_NOISE`` of the gap λ₁ − λ₂."""
    model = fixed_models(params)[label]
    factor = without_replacement_factor(np.asarray(params["batch_sizes"]).astype(int), params["n_data"])
    return factor * model["kappa"] <= SMALL_NOISE * model["gap"]


class BatchHessianExcess(Claim):
    name = "batch_hessian_excess"
    title = "Batch-Hessian top eigenvalue exceeds the full-data one by ∝ (1/B − 1/N): logistic regression, tanh network"
    reference = ("D. Granziol, S. Zohren, S. Roberts (2022), JMLR 23(173), arXiv:2006.09092: batch Hessian = "
                 "full Hessian + field-dependent noise, larger extremal eigenvalues; the constant κ(w) "
                 "(second-order perturbation, exact without-replacement factor) is our derivation")
    size_name = "batches"
    headline = "excess, logistic"
    params = (
        Param("n_data", "int", 2000, "number of samples N", low=500, high=4000),
        Param("dim", "int", 100, "input dimension (= parameters) of the logistic regression", low=20, high=200),
        Param("separation", "float", 3.0, "distance ‖μ‖ of the mixture means from 0 (logistic data)",
              low=2.0, high=6.0),
        Param("weight_norm", "float", 0.3, "norm of the logistic weights along μ (the point w)", low=0.1, high=0.6),
        Param("network_dim", "int", 10, "input dimension of the tanh network", low=4, high=16),
        Param("hidden", "int", 12, "hidden units of the tanh network (P = hidden·(network_dim + 2))", low=4, high=16),
        Param("network_separation", "float", 5.0, "‖μ‖ of the network's mixture", low=4.0, high=6.0),
        Param("data_seed", "int", 0, "seed of the data sets and the network's weights", low=0, high=2 ** 31 - 1),
        Param("batch_sizes", "floats", (50.0, 100.0, 200.0, 400.0, 800.0), "batch sizes B (integers < N)",
              low=20.0, high=3999.0),
    )
    presets = {
        "quick": Preset(sizes=(32,), seeds=10, params={"batch_sizes": (50.0, 100.0, 200.0)}),
        "standard": Preset(sizes=(240,), seeds=20),
        "paper": Preset(sizes=(600,), seeds=20),
    }

    def predict(self, params):
        models = fixed_models(params)
        b = np.asarray(params["batch_sizes"])
        factor = without_replacement_factor(b.astype(int), params["n_data"])
        return {
            "batch_size": b,
            "sampling_factor": factor,
            "excess_logistic": factor * models["logistic"]["kappa"],
            "excess_network": factor * models["network"]["kappa"],
            "compared_logistic": _small_noise(params, "logistic"),
            "compared_network": _small_noise(params, "network"),
            "excess_exponent": 1.0,
            "jensen_gap": np.zeros(3 * b.size),
            "jensen_batch_size": np.tile(b, 3),
            "decrement": np.zeros(2 * (b.size - 1)),
            "decrement_batch_size": np.tile(b[:-1], 2),
            "excess_logistic_floor": THIRD_ORDER * factor * models["logistic"]["kappa"],
            "excess_network_floor": THIRD_ORDER * factor * models["network"]["kappa"],
        }

    def measure(self, params, size, rng, backend):
        models = fixed_models(params)
        b = np.asarray(params["batch_sizes"]).astype(int)
        excess, jensen = {}, []
        for label, count in (("logistic", size), ("network", max(8, size // NETWORK_SHARE))):
            m = models[label]
            draws = [batch_extreme_eigenvalues(m["model"], int(batch), count, rng, covariate=m["first_order"])
                     for batch in b]
            excess[label] = np.array([np.mean(d.top - d.covariate) for d in draws])
            jensen.append(np.array([np.mean(d.top) for d in draws]) - m["top"])
            if label == "network":
                jensen.append(m["bottom"] - np.array([np.mean(d.bottom) for d in draws]))
        compared = _small_noise(params, "logistic")
        factor = without_replacement_factor(b, params["n_data"])[compared]
        logistic = excess["logistic"][compared]
        slope = (float(np.polyfit(np.log(factor), np.log(logistic), 1)[0]) if np.all(logistic > 0)
                 else float("nan"))
        return {
            "excess_logistic": excess["logistic"], "excess_network": excess["network"],
            "excess_exponent": slope, "jensen_gap": np.concatenate(jensen),
            "decrement": np.concatenate([-np.diff(excess["logistic"]), -np.diff(excess["network"])]),
        }

    def checks(self, params):
        third_order = ("t × SE over seeds (Bonferroni over B) + 0.7% of the prediction for the terms beyond "
                       "second order (the logistic law is 0.1–0.6% high, pooled over 400 calibration jobs)")
        return [
            CurveAgreement(
                "excess_logistic", x="batch_size", floor="excess_logistic_floor", where="compared_logistic",
                name="excess, logistic",
                effect={"quick": 0.3, "standard": 0.02}, reason=third_order),
            CurveAgreement(
                "excess_network", x="batch_size", floor="excess_network_floor", where="compared_network",
                name="excess, network",
                effect={"quick": 0.5, "standard": 0.15},
                effect_reason="a network batch's excess has a 40–50% relative spread even after the control "
                              "variate: 2% would need ~10⁴ batches per B (~10 CPU-minutes); the 800 per B of "
                              "standard resolve about 12%",
                reason=third_order),
            ScalarAgreement(
                "excess_exponent", floor=THIRD_ORDER, name="excess exponent",
                effect={"quick": 0.1, "standard": 0.02},
                reason="log–log slope of the logistic excess against p(B, N) ∝ 1/B − 1/N (per job) against 1; "
                       "t × SE over seeds + 0.007 for the terms beyond second order"),
            CurveAgreement(
                "jensen_gap", x="jensen_batch_size", side="lower", name="Jensen",
                consistency="E λ₁(H_B) ≥ λ₁(H_emp) and E λ_min(H_B) ≤ λ_min(H_emp) hold for any model (E H_B = "
                            "H_emp, λ_max convex): the prediction is the bound 0, which no theory value moves",
                reason="gaps λ₁: logistic, network; λ_min: network (B ascending in each block) must not fall "
                       "below 0 by more than the one-sided t × SE over seeds (Bonferroni)"),
            CurveAgreement(
                "decrement", x="decrement_batch_size", side="lower", name="monotone in B",
                consistency="E λ₁(H_B) is non-increasing in B for batches without replacement (a batch is the "
                            "average of its sub-batches): the bound 0 does not depend on the theory",
                reason="decrease of the excess from each B to the next (logistic, then network) must not be "
                       "negative by more than the one-sided t × SE over seeds (Bonferroni)"),
        ]

    @classmethod
    def validate_params(cls, params):
        b = np.asarray(params["batch_sizes"])
        if np.any(b != np.round(b)) or b.max() >= params["n_data"] or b.size < 2:
            raise UsageError(f"parameter batch_sizes={params['batch_sizes']!r} is invalid: needs two or more "
                             f"integers below n_data={params['n_data']}")
        for label in ("logistic", "network"):
            if _small_noise(params, label).sum() < 2:
                raise UsageError(f"parameter batch_sizes={params['batch_sizes']!r} is invalid: fewer than two "
                                 f"of them keep the {label} model's second-order shift p·κ below "
                                 f"{SMALL_NOISE} of its gap λ₁ − λ₂ (use larger batches)")


CLAIMS = (BatchHessianExcess,)
