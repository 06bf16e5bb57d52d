"""Claim ``lasso_amp``: AMP for the LASSO follows its state evolution, iteration by iteration.

Donoho, Maleki & Montanari (PNAS 2009, arXiv:0907.3574), proven by Bayati & Montanari (2011,
arXiv:1001.3448; 2012, arXiv:1008.2581). For ``y = Ax₀ + w`` with ``A`` of i.i.d. N(0, 1/n)
entries, ``δ = n/N``, a Bernoulli–Gaussian signal ``(1−ε)δ₀ + εN(0, s²)`` and noise variance
σ², AMP with soft thresholding at ``θτ̂_t`` has, at every iteration, the error of the scalar
denoising problem: ``MSE_{t+1} = mse(τ_t²)``, ``τ_{t+1}² = σ² + mse(τ_t²)/δ``,
``τ₀² = σ² + εs²/δ``; its fixed point is the LASSO at ``λ = θτ*(1 − Eη'/δ)``. Noiseless
recovery succeeds below the Donoho–Maleki–Montanari curve ``ρ_SE(δ)`` (reported with its
optimal threshold).

One job is one draw of ``(A, x₀, w)`` at one ``N`` and ``n_iter`` AMP iterations. The signal
is drawn with the ``quantile`` design by default (exactly ``round(εN)`` non-zeros at the
N(0, s²) quantiles, mean square exactly s²): state evolution holds for any signal with the
right empirical law, and fixing the count and energy halves the first iterate's spread (3.9%
per seed at N = 2000 instead of 6.6%; ``design=iid`` draws i.i.d. entries). Checks, over
seeds at the largest N, ``t × SE`` (Bonferroni over the iterations of a curve):

* **MSE per iteration** (the headline): ``‖x^t − x₀‖²/N`` against ``MSE_t``, t = 1..T. Its
  most sensitive point is the first iterate; per-seed spread 3.9–7.5% at N = 2000, 200
  seeds resolve 2%. AMP's error exceeds the state evolution by ≈ 8 MSE*/N (+0.38% ± 0.18%
  of MSE* at N = 2000 from t = 3 on, +0.08% ± 0.10% at t = 1; 20 root seeds × 150 draws),
  a floor of the tolerance.
* **noise level per iteration**: ``τ̂_t² = ‖z^t‖²/n`` against ``τ_t²``, t = 0..T−1.
* **fixed point**: the mean of the last four iterates' MSE against ``MSE*`` (same floor), and AMP's
  LASSO penalty ``λ̂ = θτ̂(1 − ⟨η'⟩/δ)`` (its fixed point satisfies the LASSO's KKT
  conditions exactly with it) against ``λ(θ)``. Both only when the state evolution has
  reached its fixed point within 0.1% by iteration T − 3.

The DMM phase transition itself is not simulated: at the optimal threshold the Onsager
coefficient ``⟨η'⟩/δ`` is ≈ 0.9 near the transition, and noiseless AMP at N ≤ 1000 stalls
in 3–7% of runs even at ρ = 0.6–0.8 ρ_SE; the finite-N transition is ≈ 10% wide and
convergence critically slow there. ``ρ_SE(δ)`` is verified against the statistical-dimension
form of Amelunxen, Lotz, McCoy & Tropp (2014) in the theory tests.
"""

from __future__ import annotations

import math

import numpy as np

from simulate.errors import DivergenceError
from simulate.lasso_amp import DESIGNS, bernoulli_gaussian_data, lasso_amp
from theory.lasso_amp import (dmm_phase_transition, lasso_amp_fixed_point, lasso_amp_state_evolution,
                              lasso_lambda, soft_threshold_active_fraction)

from ..checks import CurveAgreement, ScalarAgreement
from ..claim import Claim
from ..params import Param, Preset

LATE = 4
"""Iterations averaged for the fixed-point comparison (iterates are strongly correlated)."""
CONVERGED = 1e-3
"""Relative distance of the state evolution to its fixed point at iteration T − LATE + 1
below which the fixed-point checks are run."""
FINITE_SIZE_BIAS = 8.0
"""The measured O(1/N) excess of AMP's MSE is ≈ 8 MSE*/N: +0.38% ± 0.18% of MSE* at N = 2000
from t = 3 on (+0.08% ± 0.10% at t = 1), over 20 root seeds × 150 draws; τ̂² and λ̂ show none."""


def _problem(params):
    return (params["delta"], params["theta"], params["sparsity"], params["signal_variance"],
            params["noise_variance"])


class LassoAmp(Claim):
    name = "lasso_amp"
    title = "AMP for the LASSO follows state evolution (Bernoulli–Gaussian signal)"
    reference = ("D. L. Donoho, A. Maleki, A. Montanari (2009), PNAS 106:18914, arXiv:0907.3574: "
                 "state evolution τ²_{t+1} = σ² + mse(τ_t²)/δ, Fig. 1; M. Bayati, A. Montanari (2011, "
                 "2012), arXiv:1001.3448, arXiv:1008.2581: fixed point = LASSO at λ = θτ*(1 − Eη'/δ)")
    size_name = "N"
    min_size = 10
    headline = "MSE per iteration"
    params = (
        Param("delta", "float", 0.6, "undersampling ratio n/N", low=0.45, high=0.9),
        Param("sparsity", "float", 0.2, "fraction ε of non-zero signal entries", low=0.05, high=0.25),
        Param("theta", "float", 1.3, "threshold in units of the noise level τ̂", low=1.2, high=3.0),
        Param("noise_variance", "float", 0.05, "measurement-noise variance σ²", low=0.01, high=1.0),
        Param("signal_variance", "float", 1.0, "variance s² of the non-zero entries", low=0.5, high=4.0),
        Param("n_iter", "int", 15, "AMP iterations", low=5, high=200),
        Param("design", "str", "quantile", "how the signal is drawn", choices=DESIGNS),
    )
    presets = {
        "quick": Preset(sizes=(1000,), seeds=10),
        "standard": Preset(sizes=(2000,), seeds=200),
        "paper": Preset(sizes=(4000,), seeds=200),
    }

    @staticmethod
    def _fixed_point_reached(params) -> bool:
        _, mse = lasso_amp_state_evolution(*_problem(params), params["n_iter"])
        _, mse_star = lasso_amp_fixed_point(*_problem(params))
        return params["n_iter"] > LATE and abs(mse[-LATE] / mse_star - 1.0) < CONVERGED

    def predict(self, params):
        tau2, mse = lasso_amp_state_evolution(*_problem(params), params["n_iter"])
        tau2_star, mse_star = lasso_amp_fixed_point(*_problem(params))
        rho, theta_opt = dmm_phase_transition(params["delta"])
        T = params["n_iter"]
        return {
            "iteration": np.arange(1, T + 1, dtype=float),
            "mse": mse,
            "noise_iteration": np.arange(0, T, dtype=float),
            "noise": tau2[:-1],
            "fixed_point_mse": mse_star,
            "fixed_point_noise": tau2_star,
            "lasso_lambda": lasso_lambda(*_problem(params)),
            "active_fraction": float(soft_threshold_active_fraction(tau2_star, params["theta"],
                                                                    params["sparsity"],
                                                                    params["signal_variance"])),
            "dmm_rho": rho,
            "dmm_theta": theta_opt,
            "rho": params["sparsity"] / params["delta"],
        }

    def measure(self, params, size, rng, backend):
        data = bernoulli_gaussian_data(size, params["delta"], params["sparsity"], params["signal_variance"],
                                       params["noise_variance"], rng, design=params["design"], backend=backend)
        T = params["n_iter"]
        try:
            result = lasso_amp(data, params["theta"], T, backend=backend)
        except DivergenceError:  # not reached: the checks then say "error"
            return {"mse": [math.nan] * T, "noise": [math.nan] * T, "fixed_point_mse": math.nan,
                    "lasso_lambda": math.nan}
        lam = params["theta"] * math.sqrt(result.noise[-1]) * (1.0 - result.mean_derivative[-1] / data.delta)
        return {"mse": result.mse.tolist(), "noise": result.noise.tolist(),
                "fixed_point_mse": float(np.mean(result.mse[-LATE:])), "lasso_lambda": lam}

    def checks(self, params):
        stats = "t × SE over seeds (Bonferroni over the iterations)"
        _, mse_star = lasso_amp_fixed_point(*_problem(params))

        def bias(size: int) -> float:
            return FINITE_SIZE_BIAS * mse_star / size

        bias_reason = (f"+ {FINITE_SIZE_BIAS:g} MSE*/N for AMP's O(1/N) excess error (+0.38% ± 0.18% of MSE* "
                       "at N = 2000, 20 × 150 draws)")
        checks = [
            CurveAgreement("mse", x="iteration", name="MSE per iteration", floor=bias,
                           effect={"quick": 0.3, "standard": 0.02},
                           reason=f"{stats} {bias_reason}"),
            CurveAgreement("noise", x="noise_iteration", name="noise level τ̂_t² = ‖z^t‖²/n",
                           effect={"quick": 0.2, "standard": 0.02},
                           reason=f"{stats}; no floor: bias +0.05% ± 0.09% at N = 2000"),
        ]
        if self._fixed_point_reached(params):
            checks += [
                ScalarAgreement("fixed_point_mse", name="fixed point MSE*", floor=bias,
                                effect={"quick": 0.35, "standard": 0.04},
                                effect_reason="late iterates spread 7.5% per seed at N = 2000 (the first one "
                                              "3.9%): 200 seeds resolve ≈ 2.7% here; the headline carries 2%",
                                reason=f"t × SE over seeds of the mean of the last {LATE} iterates {bias_reason}; "
                                       f"state evolution within {CONVERGED:g} of MSE* there"),
                ScalarAgreement("lasso_lambda", name="LASSO penalty λ = θτ*(1 − Eη'/δ)",
                                effect={"quick": 0.2, "standard": 0.02},
                                reason="t × SE over seeds of AMP's λ̂ = θτ̂(1 − ⟨η'⟩/δ) at the last iterate, "
                                       "for which its fixed point solves the LASSO exactly; no floor: bias "
                                       "−0.03% ± 0.05% at N = 2000"),
            ]
        return checks

CLAIMS = (LassoAmp,)
