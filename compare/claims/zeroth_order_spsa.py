"""Claim ``zeroth_order_spsa``: moments of the two-point (SPSA/MeZO) zeroth-order gradient estimator.

``ĝ = (1/K) Σ_k [(L(θ + εz_k) − L(θ − εz_k))/(2ε)] z_k`` with i.i.d. isotropic directions
(Gaussian, uniform on the sphere of radius √d, or Rademacher). The paper's statement (MeZO
Lemma 2, and the variance behind "Just One Byte"'s shared-seed SPSA) is the second moment

    E‖ĝ‖²/‖∇L‖² = (d + K + 1)/K  (Gaussian),   (d + K − 1)/K  (sphere, Rademacher),

exact for a quadratic loss at every ε. The same fourth moments give the expected one-step
change of a quadratic loss, ``−η‖g‖² + (η²/2) E ĝᵀHĝ``, and the largest step that still
descends on average, ``η* = 2‖g‖²/E ĝᵀHĝ ≈ 2/Tr H`` for K = 1 (not gradient descent's
2/λ_max); and Stein's lemma makes Gaussian-direction SPSA unbiased for the gradient of the
smoothed loss ``L_ε(θ) = E L(θ + εz)``, not of L.

One job is one seed: ``draws`` independent estimates for every K = 1, 2, 4, ... up to
``max_directions``, evaluating the loss only (two calls per direction). The quadratic is
``L(θ) = ½θᵀHθ`` with ``H = diag(geomspace(1, condition, d)) + (0.5/d)·11ᵀ`` at ``θ = 1``;
the non-quadratic test loss is ``Σ_i(θ_i⁴/4 − cos θ_i) + exp(v·θ)``, ``v = 1/(2√d)``, at
``θ_i`` evenly spaced in [−0.8, 0.8] (its smoothed gradient is closed-form,
:mod:`theory.zeroth_order`). Every check
compares a Monte-Carlo mean over seeds with an exact value, so every tolerance is
``t × SE`` over seeds (Bonferroni over the points of a curve) and nothing else:

* **second moment** (the paper's statement): mean ‖ĝ‖²/‖g‖² against ``(d + K ± 1)/K``, a
  curve over K. The Gaussian and sphere constants differ by 2/K (33% at d = 4, K = 1).
* **critical step**: ``2 g·mean(ĝ) / mean(ĝᵀHĝ)`` per seed (a ratio of means; its O(1/draws)
  bias is ~10⁻⁴ of η*, far below the SE) against η*(K), a curve over K.
* **one-step loss change**: mean of ``L(θ − ηĝ) − L(θ)``, the loss evaluated at the stepped
  point, at the smallest K of the grid and steps ``η = f · 2/Tr H`` for the fractions f of
  ``step_fractions``, against the exact expectation.
* **Stein: E ĝ = ∇L_ε**: mean of ``8 × draws`` estimates ĝ with Gaussian directions and
  K = 1 on the non-quadratic loss, per coordinate, against ``∇L_ε`` (Gaussian directions
  whatever ``distribution`` is: Stein's lemma is a Gaussian identity). The unsmoothed ``∇L``
  differs by ``3ε²θ`` and more.

The per-draw statistics have finite variance (eighth Gaussian moments) but are skewed
(‖ĝ‖² for K = 1 has relative s.d. 2.4 per draw at d = 4); a seed averages ``draws`` of them,
so the seed means are close to normal and the t-based SE is honest (calibrated over 20 root
seeds, see the docs page).
"""

from __future__ import annotations

import functools

import numpy as np

from simulate.zeroth_order import nonquadratic_loss, quadratic_loss, spsa_moments
from theory.zeroth_order import (DIRECTION_LAWS, nonquadratic_smoothed_gradient, spsa_critical_step,
                                 spsa_one_step_change, spsa_second_moment_ratio)

from ..checks import CurveAgreement
from ..claim import Claim
from ..params import Param, Preset


STEIN_DRAWS_FACTOR = 8
"""The Stein check's estimates per job, in units of ``draws``: one K = 1 estimate costs 1/31 of
the K = 1, 2, ..., 16 sweep, and per-coordinate means need ~8× more draws for 2% power."""


def quadratic_problem(dim: int, condition: float) -> tuple[np.ndarray, np.ndarray]:
    """Hessian ``H`` and point ``θ`` of the quadratic test loss ``½θᵀHθ`` (module docstring)."""
    hessian = np.diag(np.geomspace(1.0, condition, dim)) + 0.5 / dim
    return hessian, np.ones(dim)


def nonquadratic_problem(dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Point ``θ`` and coupling direction ``v`` of the non-quadratic test loss."""
    return np.linspace(-0.8, 0.8, dim), np.full(dim, 0.5 / np.sqrt(dim))


def direction_counts(largest: int) -> np.ndarray:
    """``K = 1, 2, 4, ...`` below ``largest``, then ``largest`` itself."""
    powers = 2 ** np.arange(int(np.log2(largest)) + 1)
    return np.unique(np.append(powers, largest))


class ZerothOrderSpsa(Claim):
    name = "zeroth_order_spsa"
    title = "Second moment, descent step and bias of the two-point (SPSA/MeZO) zeroth-order gradient"
    reference = ("S. Malladi et al. (2023), MeZO, arXiv:2305.17333, Lemma 2 (E‖ĝ‖² = (d+n−1)/n ‖∇L‖²); "
                 "E. Zelikman et al. (2023), 'Just One Byte (per gradient)', arXiv:2306.10015; "
                 "Y. Nesterov, V. Spokoiny (2017), Found. Comput. Math. 17:527 (Gaussian smoothing)")
    size_name = "draws"
    headline = "second moment"
    params = (
        Param("dim", "int", 4, "dimension d", low=1, high=64),
        Param("distribution", "str", "gaussian", "law of the directions", choices=DIRECTION_LAWS),
        Param("max_directions", "int", 16, "largest K; K runs over 1, 2, 4, ... up to it", low=1, high=64),
        Param("epsilon", "float", 0.5, "smoothing radius ε of the non-quadratic test", low=0.05, high=1.0),
        Param("condition", "float", 4.0, "eigenvalue ratio of the quadratic's Hessian", low=1.0, high=100.0),
        Param("step_fractions", "floats", (0.25, 0.5, 0.75, 1.0, 1.25), "steps η in units of 2/Tr H",
              low=0.05, high=2.0),
    )
    presets = {
        "quick": Preset(sizes=(4000,), seeds=8),
        "standard": Preset(sizes=(10000,), seeds=20),
        "paper": Preset(sizes=(100000,), seeds=20, params={"dim": 20}),
    }

    def predict(self, params):
        d, law = params["dim"], params["distribution"]
        ks = direction_counts(params["max_directions"]).astype(float)
        hessian, theta = quadratic_problem(d, params["condition"])
        g = hessian @ theta
        steps = np.asarray(params["step_fractions"]) * 2.0 / np.trace(hessian)
        theta_nq, v = nonquadratic_problem(d)
        return {
            "n_directions": ks,
            "second_moment_ratio": spsa_second_moment_ratio(d, ks, law),
            "critical_step": spsa_critical_step(hessian, g, ks, law),
            "step": steps,
            "loss_change": spsa_one_step_change(steps, hessian, g, ks[0], law),
            "coordinate": np.arange(d, dtype=float),
            "smoothed_gradient": nonquadratic_smoothed_gradient(theta_nq, v, params["epsilon"]),
            "gradient": nonquadratic_smoothed_gradient(theta_nq, v, 0.0),
            "gd_step_limit": 2.0 / np.linalg.eigvalsh(hessian)[-1],
            "trace_step": 2.0 / np.trace(hessian),
        }

    def measure(self, params, size, rng, backend):
        d, law, eps = params["dim"], params["distribution"], params["epsilon"]
        hessian, theta = quadratic_problem(d, params["condition"])
        g = hessian @ theta
        loss = functools.partial(quadratic_loss, hessian=hessian, minimiser=np.zeros(d))
        steps = np.asarray(params["step_fractions"]) * 2.0 / np.trace(hessian)
        ratios, critical, change = [], [], None
        for k in direction_counts(params["max_directions"]):
            m = spsa_moments(loss, theta, eps, int(k), size, rng, distribution=law,
                             steps=steps if change is None else (), backend=backend)
            ratios.append(np.trace(m.second_moment) / (g @ g))
            critical.append(2.0 * (g @ m.mean) / np.trace(hessian @ m.second_moment))
            change = m.loss_change if change is None else change
        theta_nq, v = nonquadratic_problem(d)
        smooth = spsa_moments(functools.partial(nonquadratic_loss, direction=v), theta_nq, eps, 1,
                              STEIN_DRAWS_FACTOR * size, rng, distribution="gaussian", backend=backend)
        return {"second_moment_ratio": np.array(ratios), "critical_step": np.array(critical),
                "loss_change": change, "smoothed_gradient": smooth.mean}

    def checks(self, params):
        reason = "t × SE over seeds (Bonferroni over the points); the prediction is exact, no floor"
        return [
            CurveAgreement("second_moment_ratio", x="n_directions", name="second moment",
                           effect={"quick": 0.05, "standard": 0.02},
                           reason="E‖ĝ‖²/‖g‖² = (d + K ± 1)/K; " + reason),
            CurveAgreement("critical_step", x="n_directions", name="critical step",
                           effect={"quick": 0.03, "standard": 0.02},
                           reason="η* = 2‖g‖²/E ĝᵀHĝ from the sample moments; " + reason),
            CurveAgreement("loss_change", x="step", name="one-step loss change",
                           effect={"quick": 0.12, "standard": 0.02},
                           reason="E L(θ − ηĝ) − L(θ) at the smallest K; " + reason),
            CurveAgreement("smoothed_gradient", x="coordinate", name="Stein: E ĝ = ∇L_ε",
                           effect={"quick": 0.04, "standard": 0.02},
                           reason="Gaussian directions, K = 1, 8 × draws, non-quadratic loss; " + reason),
        ]


CLAIMS = (ZerothOrderSpsa,)
