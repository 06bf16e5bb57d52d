"""Claim ``ridge_replica``: asymptotic errors of ridge regression on a linear teacher.

Krogh & Hertz (1992); Dobriban & Wager (arXiv:1507.03003); Hastie, Montanari, Rosset &
Tibshirani (arXiv:1903.08560). Inputs ``x ~ N(0, I_d/d)``, ``n = αd`` samples, teacher with
``‖w*‖²/d = ρ`` exactly, labels ``y = w*·x + ε``, ``ε ~ N(0, σ²)``; the estimator minimises the
summed loss ``½Σ(y − w·x)² + ½λ‖w‖²``. As ``d → ∞`` the excess risk ``‖ŵ − w*‖²/d``, training
error and overlap ``m = w*·ŵ/d`` are closed forms in the resolvent ``g(α, λ)`` of the
Marchenko–Pastur law (:mod:`theory.ridge`); the ridgeless limit peaks at α = 1 (double
descent) and the Bayes-optimal ``λ* = σ²/ρ`` removes the peak.

One job is one ``(d, seed)``: for every α a design with ``n = round(αd)`` rows, a teacher
direction and a noise draw; one eigendecomposition gives ridge at every λ. When ``αd`` is not
an integer, every measurement is reported at the nominal α by subtracting
``theory(n/d) − theory(α)`` (the rounding is not a smooth 1/d effect; the shift is 0 at the
presets' sizes and a wrong theory enters it only at second order). Each error is measured for the run and as
its expectation given ``X`` (over the teacher direction and the noise): the same mean, a
per-seed spread of ``O(1/d)`` (a linear statistic of the spectrum; (0.5–1.3)/d relative)
instead of 6.5–9.5% at d = 400, and an ``O(1/d)`` bias (≈ 0.5/d relative) removed by
extrapolation. Checks:

* **excess risk** (headline; per α and λ): conditional ``E`` fitted as ``a + b/d``, the
  intercept against ``ridge_excess_risk``; ``t × SE`` of the intercept (Bonferroni; the
  fit's covariance is inflated when the residuals exceed the standard errors).
* **training error**, **overlap m**: the same for ``(1/n)‖y − Xŵ‖²`` and ``w*·ŵ/d``.
* **Bayes-optimal ridge** (per α): the conditional excess at ``λ* = σ²/ρ`` against
  ``ridge_bayes_error = σ² g(α, λ*)`` (the MMSE), extrapolated.
* **test error, single run** (curve at the largest d): ``σ² + ‖ŵ − w*‖²/d`` of the runs against
  ``ridge_test_error``; ``t × SE`` (Bonferroni) plus ``1/d`` for the bias. Limited by the
  per-run spread (10% effect at ``standard``): it checks that the conditional means
  describe real runs, and catches a test error without σ² or with a factor ½.
* **ridgeless, finite size** (curve over α ≠ 1 at the largest d): the min-norm solution's
  conditional excess corrected by the exact finite-size shift
  ``ridgeless_finite_size_excess(n, d) − ridge_excess_risk(α, 0)`` (inverse-Wishart means),
  whose mean is then the asymptotic value at every d; ``t × SE`` (Bonferroni). Near α = 1
  the shift is large (n = 220, d = 200: 2.632 vs 2.5) and the errors heavy-tailed (finite
  variance needs ``|n − d| ≥ 4``), so α within 0.1 of 1 is not allowed.
"""

from __future__ import annotations

import numpy as np

from simulate.linear_regression import design_spectrum, linear_teacher, ridge_regression
from theory.ridge import (ridge_bayes_error, ridge_excess_risk, ridge_overlaps, ridge_test_error,
                          ridge_train_error, ridgeless_finite_size_excess)

from ..checks import CurveAgreement, FiniteSizeExtrapolation
from ..claim import Claim
from ..errors import UsageError
from ..params import Param, Preset


EFFECT = {"quick": 0.05, "standard": 0.02}


def _samples(alpha: float, d: int) -> int:
    return max(1, int(round(alpha * d)))


class RidgeReplica(Claim):
    name = "ridge_replica"
    title = "Ridge regression on a linear teacher: excess, training error, overlap, double descent"
    reference = ("A. Krogh, J. A. Hertz (1992), J. Phys. A 25:1135; T. Hastie, A. Montanari, S. Rosset, "
                 "R. Tibshirani (2022), Ann. Stat., arXiv:1903.08560 (Thms. 1–5): asymptotic risk of ridge "
                 "and min-norm least squares")
    size_name = "d"
    headline = "excess risk"
    params = (
        Param("alpha", "floats", (0.25, 0.5, 1.0, 1.5, 2.0, 3.0), "sample ratios α = n/d", low=0.1, high=5.0),
        Param("reg", "floats", (0.01, 0.1, 1.0), "ridges λ of the summed loss", low=0.001, high=10.0),
        Param("noise_variance", "float", 0.25, "label-noise variance σ²", low=0.01, high=4.0),
        Param("teacher_variance", "float", 1.0, "ρ = ‖w*‖²/d", low=0.1, high=4.0),
        Param("ridgeless_alpha", "floats", (0.5, 0.8, 1.25, 2.0), "α of the min-norm check "
              "(|α − 1| >= 0.1)", low=0.1, high=5.0),
    )
    presets = {
        "quick": Preset(sizes=(50, 100), seeds=10),
        "standard": Preset(sizes=(100, 200, 400), seeds=24),
        "paper": Preset(sizes=(200, 400, 800), seeds=48),
    }

    @classmethod
    def validate_params(cls, params):
        near = [a for a in params["ridgeless_alpha"] if abs(a - 1.0) < 0.1]
        if near:
            raise UsageError(f"parameter ridgeless_alpha={params['ridgeless_alpha']!r} is invalid: "
                             "values within 0.1 of 1 have heavy-tailed errors (finite variance needs |n − d| >= 4)")

    def predict(self, params):
        alpha = np.asarray(params["alpha"], dtype=float)[:, None]
        reg = np.asarray(params["reg"], dtype=float)[None, :]
        args = (params["noise_variance"], params["teacher_variance"])
        ridgeless = np.asarray(params["ridgeless_alpha"], dtype=float)
        return {
            "alpha": alpha[:, 0],
            "excess_risk": ridge_excess_risk(alpha, reg, *args),
            "train_error": ridge_train_error(alpha, reg, *args),
            "overlap": ridge_overlaps(alpha, reg, *args)[0],
            "test_error": ridge_test_error(alpha, reg, *args),
            "bayes_error": ridge_bayes_error(alpha[:, 0], *args),
            "ridgeless_alpha": ridgeless,
            "ridgeless_excess": ridge_excess_risk(ridgeless, 0.0, *args),
        }

    def measure(self, params, size, rng, backend):
        noise, teacher = params["noise_variance"], params["teacher_variance"]
        regs = np.asarray(params["reg"], dtype=float)
        rows = {key: [] for key in ("excess_risk", "train_error", "overlap", "test_error", "bayes_error")}
        for a in params["alpha"]:
            n = _samples(a, size)
            data = linear_teacher(size, n, rng, noise_variance=noise, teacher_variance=teacher,
                                  teacher_norm="exact")
            out = ridge_regression(data, np.append(regs, noise / teacher),
                                   spectrum=design_spectrum(data.X, backend=backend))
            shift = self._rounding_shift(params, a, n / size)
            rows["excess_risk"].append(out.expected_excess[:-1] - shift["excess_risk"])
            rows["train_error"].append(out.expected_train[:-1] - shift["train_error"])
            rows["overlap"].append(out.expected_overlap[:-1] - shift["overlap"])
            rows["test_error"].append(noise + out.excess[:-1] - shift["test_error"])
            rows["bayes_error"].append(out.expected_excess[-1] - shift["bayes_error"])
        corrected = []
        for a in params["ridgeless_alpha"]:
            n = _samples(a, size)
            data = linear_teacher(size, n, rng, noise_variance=noise, teacher_variance=teacher, teacher_norm="exact")
            excess = ridge_regression(data, [0.0], spectrum=design_spectrum(data.X, backend=backend)).expected_excess[0]
            shift = ridgeless_finite_size_excess(n, size, noise, teacher) - ridge_excess_risk(a, 0.0, noise, teacher)
            corrected.append(excess - shift)
        return {**{key: np.array(value) for key, value in rows.items()}, "ridgeless_excess": np.array(corrected)}

    def _rounding_shift(self, params, nominal: float, realised: float) -> dict:
        """``theory(realised α) − theory(nominal α)`` for every per-α quantity (0 when equal)."""
        if realised == nominal:
            return {key: 0.0 for key in ("excess_risk", "train_error", "overlap", "test_error", "bayes_error")}
        at = [self.predict({**params, "alpha": (value,)}) for value in (realised, nominal)]
        return {key: at[0][key][0] - at[1][key][0]
                for key in ("excess_risk", "train_error", "overlap", "test_error", "bayes_error")}

    def checks(self, params):
        fit = "t × SE of the intercept of a + b/d fitted to the conditional mean given X (Bonferroni)"
        return [
            FiniteSizeExtrapolation("excess_risk", x="alpha", name="excess risk", reason=fit, effect=EFFECT),
            FiniteSizeExtrapolation("train_error", x="alpha", name="training error", reason=fit, effect=EFFECT),
            FiniteSizeExtrapolation("overlap", x="alpha", name="overlap m", reason=fit, effect=EFFECT),
            FiniteSizeExtrapolation("bayes_error", x="alpha", name="Bayes-optimal ridge", effect=EFFECT,
                                    reason=fit + " at λ* = σ²/ρ"),
            CurveAgreement("test_error", x="alpha", floor=lambda d: 1.0 / d, name="test error, single run",
                           reason="mean over runs at the largest d: t × SE (Bonferroni) + 1/d for the O(1/d) bias",
                           effect={"quick": 0.3, "standard": 0.05},
                           effect_reason="one run's error spreads by 6.5–9.5% at d = 400; the conditional "
                                         "mean (the headline) carries the 2% power"),
            CurveAgreement("ridgeless_excess", x="ridgeless_alpha", name="ridgeless, finite size",
                           effect={"quick": 0.1, "standard": 0.02},
                           reason="min-norm conditional excess minus the exact finite-d shift (inverse-Wishart "
                                  "means), at the largest d: t × SE (Bonferroni)"),
        ]


CLAIMS = (RidgeReplica,)
