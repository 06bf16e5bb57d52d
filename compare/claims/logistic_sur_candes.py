"""Claim ``logistic_sur_candes``: the high-dimensional logistic MLE is inflated, as Sur & Candès predict.

Sur & Candès (2019): with ``p = κn`` Gaussian covariates (variance 1/n) and a signal of
strength ``γ² = Var(x·β)``, the MLE satisfies ``β̂ ≈ α*β + σ*Z`` coordinate-wise, where
``(α*, σ*, λ*)`` solve three equations (:mod:`theory.logistic`); α* > 1 (every effect is
over-estimated) and σ* exceeds the classical inverse-Fisher spread. At κ = 0.2, γ² = 5:
α* = 1.4994, σ* = 4.7436 (classical: 1 and 1/√E ρ''(γZ) = 2.66). The MLE exists iff κ < h(γ)
(Candès & Sur 2020; h(√5) = 0.326), reported with the predictions.

One job is one data set at one ``n`` and its MLE (Newton with backtracking; NaN when it does
not converge, i.e. the data are separable); measured are ``α̂ = β̂·β/‖β‖²`` and
``σ̂ = ‖β̂ − α̂β‖/√p``. Checks (extrapolations in 1/n over the sizes):

* **inflation** (headline): the intercept of ``a + b/n`` fitted to the mean α̂ against α*;
  ``t × SE`` of the intercept, no floor.
* **spread**: the same for σ̂ against σ*.

Power. Per data set the relative sd of α̂ is ≈ 16% at n = 500, 9% at n = 1000, 8–10% at
n = 2000 (60, 60, 30 sets) — twice what the per-coordinate picture ``σ*/(γ√n)`` gives: the
effective α of one data set fluctuates too. A 2% resolution of the intercept would take
~1 000 fits at n = 2000 (~3 minutes of CPU); the standard budget (100 sets per size, ~20 s
of CPU) resolves about 5–6%, which separates α* = 1.50 from the classical 1 by ~30 standard
errors. The note's finite-size bias at n = 2000 (α̂ = 1.471 ± 0.014, −1.9%) is what the
1/n extrapolation absorbs.
"""

from __future__ import annotations

import math

import numpy as np

from simulate.logistic import logistic_data, logistic_mle
from theory.logistic import logistic_mle_existence_threshold, sur_candes_parameters

from ..checks import FiniteSizeExtrapolation
from ..claim import Claim
from ..params import Param, Preset

_EFFECT_REASON = ("per data set the relative sd is 8–10% at n = 2000 (the data set's own effective "
                  "α fluctuates); 2% would take ~1 000 fits at n = 2000, the standard 100 per size "
                  "resolve 5–6%")


class LogisticSurCandes(Claim):
    name = "logistic_sur_candes"
    title = "High-dimensional logistic MLE: bias inflation α* and spread σ* (Sur–Candès)"
    reference = ("P. Sur, E. J. Candès (2019), PNAS 116:14516, arXiv:1803.06964, eq. (5) and Fig. 3; "
                 "E. J. Candès, P. Sur (2020), Ann. Statist. 48:27, arXiv:1804.09753 (existence)")
    size_name = "n"
    headline = "inflation"
    params = (
        Param("kappa", "float", 0.2, "κ = p/n", low=0.05, high=0.2),
        Param("signal_variance", "float", 5.0, "γ² = Var(x·β)", low=1.0, high=5.0),
    )
    presets = {
        "quick": Preset(sizes=(400, 800), seeds=24),
        "standard": Preset(sizes=(500, 1000, 2000), seeds=100),
        "paper": Preset(sizes=(1000, 2000, 4000), seeds=200),
    }

    def predict(self, params):
        gamma = math.sqrt(params["signal_variance"])
        theory = sur_candes_parameters(params["kappa"], gamma)
        return {"inflation": theory.alpha, "spread": theory.sigma,
                "existence_threshold": float(logistic_mle_existence_threshold(gamma))}

    def measure(self, params, size, rng, backend):
        data = logistic_data(size, params["kappa"], math.sqrt(params["signal_variance"]), rng,
                             backend=backend)
        fit = logistic_mle(data.X, data.y)
        if not fit.converged:  # separable data: no MLE
            return {"inflation": math.nan, "spread": math.nan}
        alpha = float(fit.beta @ data.beta / (data.beta @ data.beta))
        spread = float(np.linalg.norm(fit.beta - alpha * data.beta) / math.sqrt(fit.beta.size))
        return {"inflation": alpha, "spread": spread}

    def checks(self, params):
        return [
            FiniteSizeExtrapolation("inflation", exponent=1.0, name="inflation",
                                    effect={"quick": 0.4, "standard": 0.07}, effect_reason=_EFFECT_REASON,
                                    reason="intercept of a + b/n fitted to the mean α̂ = β̂·β/‖β‖² vs α*; "
                                           "t × SE of the intercept, no floor"),
            FiniteSizeExtrapolation("spread", exponent=1.0, name="spread",
                                    effect={"quick": 0.4, "standard": 0.07}, effect_reason=_EFFECT_REASON,
                                    reason="intercept of a + b/n fitted to the mean σ̂ = ‖β̂ − α̂β‖/√p "
                                           "vs σ*; t × SE of the intercept, no floor"),
        ]


CLAIMS = (LogisticSurCandes,)
