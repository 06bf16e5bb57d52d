"""Claim ``advani_saxe``: generalisation dynamics of a linear student under gradient descent.

Advani, Saxe & Sompolinsky (Neural Networks 2020, arXiv:1710.03667): a linear student trained
by GD on ``P = αN`` noisy examples of a linear teacher (inputs of variance 1/N, summed loss,
``τ = 1/η``) has generalisation and training errors given, at every time, by integrals over
the Marchenko–Pastur spectrum of the input correlation; the error falls, reaches a minimum
and rises again as noise is fitted through the small eigenvalues (overtraining), most
strongly at α = 1 where ``E_g(∞)`` diverges; optimal early stopping comes close to the
best (Bayes-optimal) ridge estimator.

One job is one ``(N, seed)``: for every α a design ``X`` with ``P = round(αN)`` rows is drawn
(when ``αN`` is not an integer each measurement is reported at the nominal α by subtracting
``theory(P/N) − theory(α)``: the rounding is not a smooth 1/N effect; the shift is 0 at the
presets' sizes) and one eigendecomposition serves every noise level (same teacher and noise directions, scaled), the GD trajectory
(exact in the eigenbasis, so any number of steps costs the same: η = 10⁻⁴, where the
discrete-GD bias against the flow is ≤ 2.4e-5 relative for E_g and ≤ 7e-5 for E_t; at
η = 10⁻³ it would be 7e-4 for E_t, a third of the training-error tolerance) and the ridge
comparison. Besides the errors of the run, each quantity is also
computed as its expectation given ``X`` (teacher, noise and initialisation enter linearly):
the same mean, but a per-seed spread of 0.1–0.6% (a linear statistic of the spectrum)
instead of 5–14%, with an ``O(1/N)`` bias (≤ 0.6% at N = 100, 0.15% at N = 400) that the
checks extrapolate away. Checks:

* **generalisation error** (headline; per noise level, α and time): the conditional
  ``E_g(t)`` fitted as ``a + b/N`` over the sizes, the intercept against the theory; ``t × SE``
  of the intercept (Bonferroni over the points; the fit's covariance is inflated when the
  residuals exceed the standard errors).
* **training error** (same, at the points where it is informative): ``E_t(t)``; for α < 1 it
  decays to 0 like ``e^{−2λ₋t}`` and its late value is set by the smallest eigenvalue, whose
  fluctuations are not a 1/N effect, so α < 1 is compared only for ``t ≤ 2τ``.
* **single-run error** (curve at the largest N): the raw ``E_g(t)`` of the GD runs (one teacher,
  one noise draw each), mean over seeds against the theory; ``t × SE`` (Bonferroni) plus
  ``2/N`` for the ``O(1/N)`` bias (≤ 0.6% of errors ≤ 2.5 at N = 100). It checks that the conditional means describe the
  actual runs; its power is limited by the 5–14% per-run spread (5% effect at ``standard``).
* **asymptotic error** (α ≠ 1; the overtraining peak): ``E_g(∞)`` of the run's limit (min-norm
  plus frozen part), extrapolated in 1/N, against ``σ²α/(α−1)`` resp.
  ``(1−α)(σ_w̄² + σ₀²) + σ²/(1−α)``.
* **early stopping** (per noise level and α): ``min_t E_g`` over 120 times (log-spaced
  0.02–200 τ) of the conditional curve, extrapolated, against ``optimal_stopping_error``.
* **early stopping vs ridge** (consistency, one-sided): per data set the Bayes-optimal ridge
  (``λ* = σ²/σ_w̄²``) has the smallest error given ``X`` of any estimator, so
  ``min_t E_g − E_g^{ridge}`` ≥ 0 at every seed; its mean must not be below 0.
"""

from __future__ import annotations

import numpy as np

from simulate.linear_regression import (LinearTeacherData, design_spectrum, linear_student_gd,
                                        linear_teacher, ridge_regression)
from theory.linear_generalization import (asymptotic_generalization_error, generalization_error,
                                          optimal_ridge_error, optimal_stopping_error, training_error)

from ..checks import CurveAgreement, FiniteSizeExtrapolation
from ..claim import Claim
from ..params import Param, Preset

LEARNING_RATE = 1e-4
"""GD step η (τ = 1/η); its O(η) bias against the flow is ≤ 7e-5 relative here."""
STOPPING_TIMES = np.geomspace(0.02, 200.0, 120)
"""Times (in τ) over which the early-stopping minimum is taken (spacing ×1.08)."""
TRAIN_HORIZON = 2.0
EFFECT = {"quick": 0.05, "standard": 0.02}
"""For α < 1 the training error is compared up to this time only (see the module notes)."""


def _grid(params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.asarray(params["noise_variance"], dtype=float), np.asarray(params["alpha"], dtype=float),
            np.asarray(params["times"], dtype=float))


def _train_points(params) -> np.ndarray:
    """Boolean mask over (noise, α, t) of the compared training-error points."""
    noise, alpha, times = _grid(params)
    keep = (alpha[:, None] >= 1.0) | (times[None, :] <= TRAIN_HORIZON)
    return np.broadcast_to(keep, (noise.size, alpha.size, times.size))


def _late_alpha(params) -> np.ndarray:
    """α values with a finite asymptotic error (α ≠ 1)."""
    return _grid(params)[1] != 1.0


class AdvaniSaxe(Claim):
    name = "advani_saxe"
    title = "Generalisation dynamics of gradient descent in a linear student: overtraining peaks at α = 1"
    reference = ("M. S. Advani, A. M. Saxe, H. Sompolinsky (2020), Neural Networks 132:428, "
                 "arXiv:1710.03667: E_g(t), E_t(t) (eqs. 10–11, Figs. 2–4), early stopping vs ridge (Fig. 6)")
    size_name = "N"
    headline = "generalisation error"
    params = (
        Param("alpha", "floats", (0.5, 1.0, 2.0), "sample ratios α = P/N", low=0.2, high=5.0),
        Param("noise_variance", "floats", (0.25, 1.0), "label-noise variances σ² (SNR = σ_w̄²/σ²)",
              low=0.01, high=4.0),
        Param("teacher_variance", "float", 1.0, "teacher weight variance σ_w̄²", low=0.1, high=4.0),
        Param("init_variance", "float", 0.0, "initial student weight variance σ₀²", low=0.0, high=2.0),
        Param("times", "floats", (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0), "times t/τ compared",
              low=0.05, high=50.0),
    )
    presets = {
        "quick": Preset(sizes=(50, 100), seeds=8),
        "standard": Preset(sizes=(100, 200, 400), seeds=32),
        "paper": Preset(sizes=(200, 400, 800), seeds=64),
    }

    def predict(self, params):
        noise, alpha, times = _grid(params)
        teacher, init = params["teacher_variance"], params["init_variance"]
        shape = (noise.size, alpha.size, times.size)
        args = (times[None, None, :], alpha[None, :, None], noise[:, None, None], teacher, init)
        gen = np.broadcast_to(generalization_error(*args), shape)
        late = _late_alpha(params)
        return {
            "times": times,
            "generalization_error": gen,
            "raw_generalization_error": gen,
            "training_error": np.broadcast_to(training_error(*args), shape)[_train_points(params)],
            "asymptotic_error": asymptotic_generalization_error(alpha[None, late], noise[:, None], teacher, init),
            "early_stopping_error": optimal_stopping_error(alpha[None, :], noise[:, None], teacher, init),
            "ridge_gap": np.zeros((noise.size, alpha.size)),
            "optimal_ridge_error": optimal_ridge_error(alpha[None, :], noise[:, None], teacher),
        }

    def measure(self, params, size, rng, backend):
        noise, alpha, times = _grid(params)
        steps = np.concatenate([np.round(times / LEARNING_RATE), np.round(STOPPING_TIMES / LEARNING_RATE), [-1]])
        steps = steps.astype(np.int64)
        n_t, n_stop = times.size, STOPPING_TIMES.size
        out = {key: np.empty((noise.size, alpha.size, n_t)) for key in ("generalization_error", "raw", "train")}
        late, stop, gap = (np.empty((noise.size, alpha.size)) for _ in range(3))
        for j, a in enumerate(alpha):
            base = linear_teacher(size, max(1, int(round(a * size))), rng, noise_variance=1.0,
                                  teacher_variance=params["teacher_variance"])
            shift = self._rounding_shift(params, a, base.X.shape[0] / size)
            spectrum = design_spectrum(base.X, backend=backend)
            init_seed = int(rng.integers(2 ** 63))  # the same w(0) for every noise level
            for i, sigma2 in enumerate(noise):
                eps = np.sqrt(sigma2) * base.noise
                data = LinearTeacherData(base.X, base.X @ base.teacher + eps, base.teacher, eps, float(sigma2),
                                         params["teacher_variance"])
                run = linear_student_gd(data, LEARNING_RATE, steps, np.random.default_rng(init_seed),
                                        init_variance=params["init_variance"], spectrum=spectrum,
                                        backend=backend)
                expected = run.expected_generalization_error
                out["generalization_error"][i, j] = expected[:n_t] - shift["generalization"][i]
                out["raw"][i, j] = run.generalization_error[:n_t] - shift["generalization"][i]
                out["train"][i, j] = run.expected_training_error[:n_t] - shift["training"][i]
                stop[i, j] = expected[n_t:n_t + n_stop].min() - shift["stopping"][i]
                late[i, j] = expected[-1] - shift["asymptotic"][i]
                ridge = ridge_regression(data, [sigma2 / params["teacher_variance"]], spectrum=spectrum)
                gap[i, j] = stop[i, j] - (ridge.expected_excess[0] + sigma2)
        return {"generalization_error": out["generalization_error"], "raw_generalization_error": out["raw"],
                "training_error": out["train"][_train_points(params)],
                "asymptotic_error": late[:, _late_alpha(params)], "early_stopping_error": stop,
                "ridge_gap": gap}

    @staticmethod
    def _rounding_shift(params, nominal: float, realised: float) -> dict:
        """``theory(realised α) − theory(nominal α)`` per noise level (and time), 0 when equal."""
        noise, _, times = _grid(params)
        if realised == nominal:
            zero = np.zeros(noise.size)
            return {"generalization": np.zeros((noise.size, times.size)), "training": np.zeros((noise.size, times.size)),
                    "stopping": zero, "asymptotic": zero}
        teacher, init = params["teacher_variance"], params["init_variance"]
        alphas = np.array([realised, nominal])[:, None, None]
        args = (noise[None, :, None], teacher, init)
        gen = generalization_error(times[None, None, :], alphas, *args)
        train = training_error(times[None, None, :], alphas, *args)
        stop = optimal_stopping_error(alphas[:, :, 0], noise[None, :], teacher, init)
        late = asymptotic_generalization_error(alphas[:, :, 0], noise[None, :], teacher, init)
        with np.errstate(invalid="ignore"):
            return {"generalization": gen[0] - gen[1], "training": train[0] - train[1],
                    "stopping": stop[0] - stop[1], "asymptotic": late[0] - late[1]}

    def checks(self, params):
        fit = "t × SE of the intercept of a + b/N fitted to the conditional mean given X (Bonferroni)"
        checks = [
            FiniteSizeExtrapolation("generalization_error", name="generalisation error", reason=fit,
                                    effect=EFFECT),
            FiniteSizeExtrapolation("training_error", name="training error", effect=EFFECT,
                                    reason=fit + f"; α < 1 only for t ≤ {TRAIN_HORIZON:g}τ"),
            CurveAgreement("raw_generalization_error", floor=lambda n: 2.0 / n, name="single-run error",
                           reason="mean over runs (one teacher and noise draw each) at the largest N: "
                                  "t × SE (Bonferroni) + 2/N for the O(1/N) bias (≤ 0.6% of E_g ≤ 2.5 "
                                  "at N = 100)",
                           effect={"quick": 0.3, "standard": 0.05},
                           effect_reason="one run's error spreads by 5–14% (√(2/N)); the conditional "
                                         "mean (the headline) carries the 2% power"),
            FiniteSizeExtrapolation("early_stopping_error", name="early stopping", effect=EFFECT,
                                    reason=fit + "; minimum over 120 log-spaced times"),
            CurveAgreement("ridge_gap", name="early stopping vs ridge", side="lower",
                           reason="min_t E_g − E_g(Bayes ridge) given X is ≥ 0 for every data set "
                                  "(one-sided; t × SE)",
                           consistency="an inequality: the Bayes-optimal ridge is the posterior mean, no "
                                       "estimator does better given X"),
        ]
        if _late_alpha(params).any():
            checks.insert(3, FiniteSizeExtrapolation("asymptotic_error", name="asymptotic error",
                                                     effect={"quick": 0.1, "standard": 0.02},
                                                     reason=fit + "; α ≠ 1 (E_g(∞) = ∞ at α = 1)"))
        return checks


CLAIMS = (AdvaniSaxe,)
