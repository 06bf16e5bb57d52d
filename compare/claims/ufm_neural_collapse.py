"""Claim ``ufm_neural_collapse``: gradient descent on the square-loss unconstrained-features
model with weight decay reaches its closed-form optimum, with neural collapse.

Xu, Rangamani, Liao, Galanti & Poggio (2023, *Research* 6) predict neural collapse for deep
classifiers trained with the square loss and weight decay; the unconstrained-features model
(UFM) makes the prediction exact. Minimising
``(1/2N)‖WH + b1ᵀ − Y‖² + (λ_W/2)‖W‖² + (λ_H/2)‖H‖²`` over ``W`` (K × d), ``H`` (d × N) and an
optional unpenalised bias ``b`` gives ``WH = c·target`` with
``c = max(0, 1 − K√(nλ_Wλ_H))``, the target ``Y`` (no bias) or ``Y − 11ᵀ/K`` (bias),
closed-form norms and objective, every feature at its class mean (NC1) and class means in an
orthogonal frame (no bias) or a simplex ETF (bias) (:mod:`theory.neural_collapse`). One job
is one GD run from a random initialisation at one ``λ_H`` (the grid) and feature dimension
``d`` (the size; the optimum does not depend on it once ``d ≥ K``).

Tolerances are numerical, not statistical: the landscape is benign, so GD from any generic
initialisation converges to the global optimum, and it stops when the gradient norm is at
most 1e-13 (step ℓ = 1). The smallest curvature off the set of optima is at least
``min(λ_W, λ_H) ≥ 5·10⁻³`` in the declared ranges, so the parameters are within
2·10⁻¹¹ of it and every statistic within ~10⁻¹⁰; measured agreement is ≤ 10⁻¹² (science
note §3: ≤ 2·10⁻¹⁴). Each check adds a floor of 10⁻⁸ (×(1 + |prediction|)) to t × SE over
initialisations (which is ~10⁻¹⁵). A run that hits ``max_steps`` before the gradient
criterion returns NaN for every quantity (verdict ``error``).

The declared ranges keep ``K√(nλ_Wλ_H) ≤ 0.72`` (6·√16·0.03): below the kink at 1, where the
curvature in the shrinkage direction vanishes and GD slows without bound.
"""

from __future__ import annotations

import numpy as np

from simulate.unconstrained_features import ufm_gradient_descent
from theory.neural_collapse import ufm_class_mean_gram, ufm_optimum

from ..checks import CurveAgreement
from ..claim import Claim
from ..params import Param, Preset

GRADIENT_TOL = 1e-13
"""GD stops when the norm of the full gradient is at most this."""

NUMERICAL_FLOOR = 1e-8
"""Floor of every check: GD's distance to the optimum (≤ 1e-10) with room to spare."""

QUANTITIES = ("c", "w_norm2", "h_norm2", "objective", "class_mean_offdiag", "within_class", "fit_residual")


class UFMNeuralCollapse(Claim):
    name = "ufm_neural_collapse"
    title = "Square-loss neural collapse: GD reaches the closed-form optimum of the unconstrained-features model"
    reference = ("Y. Xu, A. Rangamani, Q. Liao, T. Galanti, T. Poggio (2023), Research 6, 'Dynamics in deep "
                 "classifiers trained with the square loss'; UFM optimum c = max(0, 1 − K√(nλ_Wλ_H)): "
                 "Tirer & Bruna (2022), arXiv:2202.08087; science note more_claims.md §3")
    size_name = "d"
    min_size = 6
    """The feature dimension must be at least K (≤ 6 in the declared range) for the closed form."""
    grid = "weight_decay_h"
    headline = "shrinkage factor c"
    params = (
        Param("n_classes", "int", 4, "number of classes K", low=2, high=6),
        Param("per_class", "int", 10, "samples per class n", low=2, high=16),
        Param("weight_decay_w", "float", 0.02, "weight decay λ_W of the classifier", low=0.005, high=0.03),
        Param("weight_decay_h", "floats", (0.005, 0.01, 0.02, 0.03), "weight decays λ_H of the features",
              low=0.005, high=0.03),
        Param("bias", "bool", True, "train an unpenalised bias (simplex ETF) or not (orthogonal frame)"),
        Param("max_steps", "int", 200_000, "GD step cap", low=10_000, high=10 ** 6),
    )
    presets = {
        "quick": Preset(sizes=(6,), seeds=2, params={"weight_decay_h": (0.01, 0.03)}),
        "standard": Preset(sizes=(12,), seeds=4),
        "paper": Preset(sizes=(16,), seeds=6, params={"weight_decay_h": (0.005, 0.0075, 0.01, 0.015, 0.02,
                                                                         0.025, 0.03)}),
    }

    def predict(self, params):
        lam_h = np.asarray(params["weight_decay_h"], dtype=float)
        k, n, lam_w, bias = params["n_classes"], params["per_class"], params["weight_decay_w"], params["bias"]
        opt = ufm_optimum(k, n, lam_w, lam_h, bias)
        offdiag = [ufm_class_mean_gram(k, n, lam_w, float(v), bias)[0, 1] for v in lam_h]
        predictions = {"c": opt.c, "w_norm2": opt.w_norm2, "h_norm2": opt.h_norm2, "objective": opt.objective,
                       "class_mean_offdiag": np.asarray(offdiag), "within_class": np.zeros_like(lam_h),
                       "fit_residual": np.zeros_like(lam_h)}
        floors = {f"{q}_floor": NUMERICAL_FLOOR * (1.0 + np.abs(v)) for q, v in predictions.items()}
        return {"weight_decay_h": lam_h, "shrinkage_strength": k * np.sqrt(n * lam_w * lam_h),
                **predictions, **floors}

    def measure(self, params, size, rng, backend):
        k = params["n_classes"]
        run = ufm_gradient_descent(k, params["per_class"], size, params["weight_decay_w"],
                                   params["weight_decay_h"], rng, bias=params["bias"], tol=GRADIENT_TOL,
                                   max_steps=params["max_steps"], backend=backend)
        if not run.converged:
            return dict.fromkeys(QUANTITIES, float("nan"))
        gram = run.class_mean_gram
        return {"c": run.c, "w_norm2": run.w_norm2, "h_norm2": run.h_norm2, "objective": run.objective,
                "class_mean_offdiag": float(gram[~np.eye(k, dtype=bool)].mean()),
                "within_class": run.within_class, "fit_residual": run.fit_residual}

    def checks(self, params):
        reason = ("numerical: t × SE + 1e-8·(1 + |prediction|); GD stops at ‖∇L‖ ≤ 1e-13, within "
                  "~1e-10 of the optimum (curvature off it ≥ min(λ_W, λ_H)); measured ≤ 1e-12")

        def power(quantity, name):
            return CurveAgreement(quantity, x="weight_decay_h", floor=f"{quantity}_floor", name=name,
                                  reason=reason, effect={"quick": 0.02, "standard": 0.02})

        def consistency(quantity, name, why, side="upper"):
            return CurveAgreement(quantity, x="weight_decay_h", floor=f"{quantity}_floor", name=name,
                                  reason=reason, consistency=why, side=side)

        checks = [
            power("c", "shrinkage factor c"),
            power("w_norm2", "‖W‖² at the optimum"),
            power("h_norm2", "‖H‖² at the optimum"),
            power("objective", "optimal loss"),
            consistency("within_class", "NC1: features at their class means",
                        "a variability that vanishes at the optimum (prediction 0)"),
            consistency("fit_residual", "WH is a multiple of the target",
                        "singular-value thresholding keeps the target's singular vectors (prediction 0)"),
        ]
        if params["bias"]:   # ⟨h̄_a, h̄_b⟩ = −‖h̄‖²/(K − 1): a scalable prediction
            checks.append(power("class_mean_offdiag", "simplex ETF of class means"))
        else:
            checks.append(consistency("class_mean_offdiag", "orthogonal class means",
                                      "class means are orthogonal without a bias (prediction 0)", side="both"))
        return checks

    def draw_headline(self, ax, report):
        """c against √(nλ_Wλ_H), the kink at 1/K, GD's mean shrinkage at the largest d."""
        k, n, lam_w = report.params["n_classes"], report.params["per_class"], report.params["weight_decay_w"]
        strength = np.sqrt(n * lam_w * np.asarray(report.params["weight_decay_h"], dtype=float))
        grid = np.linspace(0.0, max(1.5 / k, 1.1 * strength.max()), 300)
        ax.plot(grid, np.maximum(0.0, 1.0 - k * grid), "k-", lw=1, label="c = max(0, 1 − K√(nλ_Wλ_H))")
        ax.axvline(1.0 / k, color="0.6", ls=":", lw=1)
        if report.measurements is not None:
            ms = report.measurements
            values = ms.values("c", ms.largest)
            ax.errorbar(strength, values.mean(axis=0), yerr=values.std(axis=0, ddof=1), fmt="o", mfc="none",
                        label=f"GD, d = {ms.largest} ({ms.seeds} initialisations)")
        ax.set_xlabel("√(nλ_Wλ_H)")
        ax.set_ylabel("shrinkage c in WH = c·target")
        ax.set_title(f"UFM optimum, K = {k}, n = {n}, {'with' if report.params['bias'] else 'no'} bias")
        ax.legend(fontsize=8)


CLAIMS = (UFMNeuralCollapse,)
