"""Claim ``batch_hessian_least_squares``: top eigenvalue of least-squares batch Hessians (spiked Wishart).

Granziol, Zohren & Roberts (JMLR 2022, arXiv:2006.09092) state that the extremal eigenvalues of the
batch Hessian exceed those of the full Hessian, also for Gauss–Newton matrices, with an excess
falling like 1/B, so the per-step learning rate grows about linearly in B for SGD. For least
squares the batch Hessian ``X_BᵀX_B/B`` with rows ``x ~ N(0, I + (ℓ − 1)eeᵀ)`` is a spiked
Wishart matrix and the law is exact (our choice of model, science note §2): with ``γ = P/B``,
``λ₁ → ℓ(1 + γ/(ℓ − 1))`` above ``B* = P/(ℓ − 1)²`` (Baik, Ben Arous & Péché 2005) and the
Marchenko–Pastur edge ``(1 + √γ)²`` below, where the per-step rate ``2/λ₁ ≈ 2B/P`` is linear.

Batch sizes are given as ``B/B*`` and rounded to integers; one job draws ``size`` batches per batch
size through the exact bidiagonal (Laguerre) model with the spike in its first entry.

Checks:

* **outlier excess** (headline): ``E λ₁ − ℓ`` against ``ℓP/((ℓ − 1)B)`` where
  ``(ℓ − 1)/√γ ≥ 1.25``; t × SE over seeds (Bonferroni) plus ``1/P`` relative for the O(1/B)
  bias of the outlier;
* **edge regime** (curve): ``E λ₁`` against Johnstone's finite-size centring
  ``(μ + μ₁σ_J)/B`` where ``(ℓ − 1)/√γ ≤ 0.7``; floor ``0.15 P^{-1/3}`` relative (the centring is
  an asymptotic expansion, 0.3–1.0% off at P = 400 for B = 10–45, partly the sub-critical spike's
  lift; note §7);
* **per-step learning-rate exponent** (scalar): per job, the log–log slope of the mean
  ``2/λ₁(H_B)`` over the edge-regime batch sizes against the slope of ``2/centring`` (≈ 0.8–0.9:
  ``(1 + √(P/B))⁻²`` becomes linear only as B/P → 0); floor ``4/P`` for the drift of the
  centring's error across those batch sizes (the slope sits 0.013 low at P = 200, 0.007 at 400).
"""

from __future__ import annotations

import numpy as np

from simulate.hessian_batch import spiked_wishart_top_eigenvalues
from theory.hessian_batch import (spiked_wishart_critical_batch_size, spiked_wishart_edge_centring,
                                  spiked_wishart_top_eigenvalue)
from theory.hessian_batch_learning_rate import spiked_wishart_max_learning_rate

from ..checks import CurveAgreement, ScalarAgreement
from ..claim import Claim
from ..params import Param, Preset
from ._spike_regimes import regime_measurements, regime_predictions, require_both_regimes


def _batch_sizes(params) -> np.ndarray:
    b_star = spiked_wishart_critical_batch_size(params["spike"], params["n_params"])
    return np.maximum(2.0, np.round(np.asarray(params["batch_ratio"]) * b_star))


def _snr(params, batch_size: np.ndarray) -> np.ndarray:
    """((ℓ − 1)/√γ)² = B(ℓ − 1)²/P at the rounded batch sizes: it picks the regime."""
    return batch_size * (params["spike"] - 1.0) ** 2 / params["n_params"]


class BatchHessianLeastSquares(Claim):
    name = "batch_hessian_least_squares"
    title = "Top eigenvalue of least-squares batch Hessians: spiked Wishart outlier and Marchenko–Pastur edge"
    reference = ("D. Granziol, S. Zohren, S. Roberts (2022), JMLR 23(173), arXiv:2006.09092 (excess ∝ 1/B, "
                 "linear SGD rule); law for least squares: J. Baik, G. Ben Arous, S. Péché (2005), Ann. Probab. "
                 "33:1643, λ₁ = ℓ(1 + γ/(ℓ−1)); I. M. Johnstone (2001), Ann. Statist. 29:295 (edge centring)")
    size_name = "batches"
    headline = "outlier excess"
    params = (
        Param("spike", "float", 3.0, "top population eigenvalue ℓ of the input covariance", low=2.0, high=4.0),
        Param("n_params", "int", 400, "number of parameters P", low=200, high=4000),
        Param("batch_ratio", "floats", (0.1, 0.2, 0.3, 0.45, 1.0, 2.0, 4.0, 8.0),
              "batch sizes in units of the critical batch size B* = P/(ℓ − 1)² (B >= 2)", low=0.02, high=32.0),
    )
    presets = {
        "quick": Preset(sizes=(40,), seeds=4, params={"n_params": 200}),
        "standard": Preset(sizes=(100,), seeds=20),
        "paper": Preset(sizes=(200,), seeds=20, params={"n_params": 2000}),
    }

    def predict(self, params):
        ell, p = params["spike"], params["n_params"]
        b = _batch_sizes(params)
        predictions = regime_predictions(
            ell, p, np.asarray(params["batch_ratio"]), b, snr=_snr(params, b),
            limit=spiked_wishart_top_eigenvalue(ell, p, b), centred=spiked_wishart_edge_centring(p, b),
            rate=spiked_wishart_max_learning_rate(ell, p, b), edge_floor=0.15)
        predictions["excess_floor"] = predictions["excess"] / p
        return predictions

    def measure(self, params, size, rng, backend):
        ell, p = params["spike"], params["n_params"]
        b = _batch_sizes(params)
        tops = np.array([spiked_wishart_top_eigenvalues(p, ell, int(batch), size, rng, backend=backend)
                         for batch in b])
        return regime_measurements(ell, b, _snr(params, b), tops)

    def checks(self, params):
        return [
            CurveAgreement(
                "excess", x="batch_size", where="outlier", floor="excess_floor", name="outlier excess",
                effect={"quick": 0.3, "standard": 0.02},
                reason="E λ₁ − ℓ against ℓP/((ℓ−1)B) where (ℓ−1)/√γ ≥ 1.25; t × SE over seeds (Bonferroni) "
                       "+ 1/P relative for the O(1/B) bias of the outlier"),
            CurveAgreement(
                "top_eigenvalue", x="batch_size", where="edge_regime", floor="edge_floor", name="edge regime",
                effect={"quick": 0.15, "standard": 0.03},
                effect_reason="Johnstone's centring is itself 0.3–1.0% off at P = 400 and 0.8–1.5% at P = 200 "
                              "(its floor, 0.15 P^(-1/3) relative, is 2.0% at P = 400): 3% is what an asymptotic "
                              "centring can resolve",
                reason="E λ₁ against Johnstone's centring (μ + μ₁σ_J)/B where (ℓ−1)/√γ ≤ 0.7; t × SE "
                       "(Bonferroni) + 0.15 P^(-1/3) relative for the centring's own error"),
            ScalarAgreement(
                "lr_exponent", floor=4.0 / params["n_params"], name="per-step learning-rate exponent",
                effect={"quick": 0.1, "standard": 0.04},
                effect_reason="the measured slope sits 0.007 (0.9%) below the centring's at P = 400 (the "
                              "sub-critical spike's lift grows with B), which hides a −2% error: over 20 root "
                              "seeds −2% was detected 0/20 times, +2% 20/20; 4% is resolved both ways",
                reason="log–log slope of the mean 2/λ₁(H_B) over the edge-regime batch sizes (per job) against "
                       "the slope of 2/centring; t × SE over seeds + 4/P for the drift of the centring's error "
                       "(measured 0.013 low at P = 200, 0.007 at P = 400)"),
        ]

    @classmethod
    def validate_params(cls, params):
        require_both_regimes(_snr(params, _batch_sizes(params)), params["batch_ratio"])

CLAIMS = (BatchHessianLeastSquares,)
