"""Claim ``gamp_rie``: Bayes-optimal learning of an extensive-width quadratic network.

Maillard, Troiani, Martin, Krzakala & Zdeborová (NeurIPS 2024, arXiv:2408.03733): with
``n = α d²`` samples, width ``m = κ d`` and label noise Δ, the Bayes-optimal error (per
entry of ``S* = W*ᵀW*/√(md)``) solves

    M = MMSE_den((Δ + 2M) / (4α)),

with ``MMSE_den(s) = s − (4π²/3) s² ∫ ρ_s³`` the matrix-denoising MMSE of the
Marchenko–Pastur ⊞ semicircle spectrum ρ_s; GAMP-RIE attains it, its iterates follow the
state evolution ``M^{t+1} = MMSE_den((Δ + 2M^t)/(4α))``, and without noise ``M = 0`` from
``α_PR(κ) = κ − κ²/2`` (κ ≤ 1; 1/2 beyond).

One job is one teacher, one GAMP-RIE run and one pure denoising experiment at one
``(α, d, seed)``. Every error is measured with the teacher-variance control variate
``error − b·c`` (``c`` the teacher's realised spread minus its exact mean, see
:attr:`simulate.quadratic_teacher.QuadraticTeacherData.variance_excess`; ``b`` the
predicted error, the noiseless problem being homogeneous in the teacher's variance): the
mean is unchanged for any fixed ``b`` and the spread over teachers drops 2–3× at small α
(α = 0.1, d = 80: SE over 48 teachers 0.0068 → 0.0029). Checks and their tolerances:

* **Bayes-optimal error** (headline; curve over α at the largest d): GAMP-RIE's final
  error against ``M(α)``; ``t × SE`` over teachers (Bonferroni over α) plus
  ``2/d + 30/d²``: the error sits above M by ``(0.9–1.7)/d`` at d = 56–80 and by
  ``(1.1–2.7)/d`` at d = 32 (α = 0.1, 0.2, 0.3, 48 teachers each; the paper's Fig. 2 shows
  the same gap at d = 100–200). The gap lies above M at every α and d measured, so the
  floor is granted above M only (``bias_above``): below M, ``t × SE`` alone.
  Points within 0.03 of α_PR, where finite d smooths the transition, and below α = 0.1 are
  not compared. This finite-size gap, not the seeds, bounds the check: at ``standard`` it
  resolves 6–7% of M (``effect_reason``); 2% would need d ≳ 200 (hours per run).
* State evolution's first step (the first iterate's error against
  ``MMSE_den((Δ + 2)/(4α))``) is not checked: its O(1/d) gap (≈ 0.02 at d = 200) leaves a
  1/d extrapolation from d ≤ 80 resolving only 20–90% of it, and the damped transient of
  later iterates does not follow the scalar recursion at d ≤ 200 (undamped runs do, but
  diverge at d ≤ 100). That the algorithm's variance follows the damped recursion exactly
  is a unit test.
* **denoising** (curve over α): the rotation-invariant estimator applied to one noisy
  draw ``S + √s GOE`` at the fixed-point noise ``s*(α) = (Δ + 2M)/(4α)`` has error
  ``MMSE_den(s*) = M(α)`` — the right-hand side of the fixed point, measured directly;
  ``t × SE`` plus ``2/d_den`` for the O(1/d) bias of the RIE at finite size.
* **perfect-recovery threshold** (Δ = 0 only): where the measured error falls below
  ``5·10⁻³`` against α_PR; bootstrap SE plus half the α spacing around the crossing plus
  0.05: at finite d the error at α_PR is ~10⁻² and falls below 5·10⁻³ only by α_PR + 0.05
  (note §12).
"""

from __future__ import annotations

import numpy as np

from simulate.gamp_rie import gamp_rie
from simulate.matrix_denoising import rie_denoising_error
from simulate.quadratic_teacher import quadratic_teacher, teacher_matrix
from theory.gamp_rie import (bayes_optimal_mmse, denoising_mmse, perfect_recovery_threshold,
                             prior_support_hull, rie_denoiser)

from ..checks import CurveAgreement, ThresholdLocation
from ..params import Param, Preset
from ..plots import size_colours, size_points, theory_label
from ._quadratic_teacher import QuadraticTeacherClaim

DAMPING = 0.5
"""Damping β of GAMP-RIE on ω and V (note §7), needed for stability at d ≈ 100."""


def _alpha_grid(start: float, stop: float, step: float) -> tuple[float, ...]:
    return tuple(float(a) for a in np.round(np.arange(start, stop + step / 2, step), 6))


class GampRie(QuadraticTeacherClaim):
    name = "gamp_rie"
    title = "Bayes-optimal error of an extensive-width quadratic network and GAMP-RIE"
    reference = ("A. Maillard, E. Troiani, S. Martin, F. Krzakala, L. Zdeborová (2024), NeurIPS, "
                 "arXiv:2408.03733: MMSE fixed point (Result 1), GAMP-RIE (Alg. 1), Fig. 2")
    headline = "Bayes-optimal error"
    params = (
        Param("kappa", "float", 0.5, "width ratio m/d", low=0.05, high=5.0),
        Param("delta", "float", 0.0, "label-noise variance Δ", low=0.0, high=4.0),
        Param("alpha", "floats", (0.1, 0.2, 0.3, 0.45), "sample ratios n/d²", low=0.02, high=2.0),
        Param("denoising_size", "int", 600, "dimension of the pure denoising experiment", low=20, high=4000),
        Param("max_iter", "int", 300, "GAMP-RIE iteration cap", low=10, high=5000),
    )
    presets = {
        "quick": Preset(sizes=(32,), seeds=10, params={"alpha": (0.1, 0.2, 0.3), "denoising_size": 120}),
        "standard": Preset(sizes=(80,), seeds=24),
        "paper": Preset(sizes=(100, 200), seeds=10, params={"alpha": _alpha_grid(0.075, 0.5, 0.025)}),
    }

    def predict(self, params):
        alpha = np.asarray(params["alpha"], dtype=float)
        kappa, delta = params["kappa"], params["delta"]
        mse = bayes_optimal_mmse(alpha, kappa, delta)
        alpha_pr = perfect_recovery_threshold(kappa)
        compared = (alpha >= 0.1) & (np.abs(alpha - alpha_pr) >= 0.03)
        return {
            "alpha": alpha,
            "mse": mse,
            "excess_error": 2.0 * mse,
            "test_mse": delta + 2.0 * mse,
            "denoising_mse": mse,
            "compared": compared,
            "alpha_pr": alpha_pr,
        }

    def measure(self, params, size, rng, backend):
        alpha, kappa, delta = params["alpha"], params["kappa"], params["delta"]
        data = quadratic_teacher(size, kappa, alpha, delta, rng, backend=backend)
        result = gamp_rie(data.X, data.y, delta=delta, kappa=kappa,
                          denoiser=lambda lam, s: rie_denoiser(lam, s, kappa),
                          denoising_mmse=lambda s: float(denoising_mmse(s, kappa)),
                          clip=prior_support_hull(kappa), S_star=data.S_star,
                          damping=DAMPING, max_iter=params["max_iter"], backend=backend)
        mse = float(bayes_optimal_mmse(alpha, kappa, delta))
        # Pure denoising at the fixed-point noise s* = (Δ + 2M)/(4α): error MMSE_den(s*) = M.
        s_star = (delta + 2.0 * mse) / (4.0 * alpha)
        if s_star > 0:
            den = rie_denoising_error(teacher_matrix(params["denoising_size"], kappa, rng), s_star,
                                      lambda lam, s: rie_denoiser(lam, s, kappa), rng, backend=backend)
        else:
            den = 0.0
        return {"mse": result.final_mse - mse * data.variance_excess, "denoising_mse": den}

    def draw_headline(self, ax, report):
        """The paper's Fig. 2: M(α) with GAMP-RIE's error ± SE at every d, and α_PR."""
        params = report.params
        alpha = np.asarray(params["alpha"], dtype=float)
        alpha_pr = perfect_recovery_threshold(params["kappa"])
        grid = np.linspace(max(0.02, 0.5 * alpha.min()), max(1.1 * alpha.max(), 1.15 * alpha_pr), 120)
        ax.plot(grid, report.perturb * bayes_optimal_mmse(grid, params["kappa"], params["delta"]), "k-",
                lw=1.5, label=theory_label(report) + ": Bayes-optimal M(α)")
        points = size_points(report, "mse")
        for (size, mean, se), colour in zip(points, size_colours(len(points))):
            ax.errorbar(alpha, mean, yerr=se, fmt="o", ms=4, capsize=2, color=colour,
                        label=f"GAMP-RIE, d = {size}")
        if params["delta"] == 0.0:
            ax.axvline(alpha_pr, color="0.6", ls=":", label="α_PR")
        ax.set_xlabel("α = n/d²")
        ax.set_ylabel("error per entry (1/d)‖Ŝ − S*‖²")
        ax.set_title(f"Bayes-optimal error, κ = {params['kappa']:g}, Δ = {params['delta']:g} (Fig. 2)")
        ax.legend(fontsize=8)

    def checks(self, params):
        checks = [
            CurveAgreement("mse", x="alpha", where="compared", floor=lambda d: 2.0 / d + 30.0 / d**2,
                           bias_above=True, name="Bayes-optimal error",
                           effect={"quick": 0.4, "standard": 0.07},
                           effect_reason="GAMP-RIE's finite-size gap, (0.9–1.7)/d above M at d = 56–80 "
                                         "(Fig. 2 shows it at d = 100–200), bounds the check at 6–7% "
                                         "of M at d = 80 (measured); 2% needs d ≳ 200",
                           reason="t × SE over teachers (Bonferroni over α) + 2/d + 30/d² above M for the "
                                  "finite-size gap, measured above M at every α and d: (0.9–1.7)/d at "
                                  "d = 56–80, (1.1–2.7)/d at d = 32; below M, t × SE alone"),
            CurveAgreement("denoising_mse", x="alpha", floor=lambda d: 2.0 / params["denoising_size"],
                           name="denoising at s*", effect={"quick": 0.1, "standard": 0.02},
                           reason="RIE error on one draw at the fixed-point noise vs MMSE_den(s*) = M; "
                                  "t × SE (Bonferroni) + 2/d_den for the RIE's O(1/d) bias"),
        ]
        alpha = np.asarray(params["alpha"])
        alpha_pr = perfect_recovery_threshold(params["kappa"])
        if params["delta"] == 0.0 and alpha.min() < alpha_pr - 0.05 and alpha.max() > alpha_pr + 0.05:
            checks.append(ThresholdLocation(
                "alpha_pr", x="alpha", curve="mse", level=5e-3, floor=0.05, name="perfect recovery",
                effect={"quick": 0.5, "standard": 0.7},
                effect_reason="located on the α grid: half its spacing plus 0.05 (finite-d rounding of "
                              "the transition) is 0.13 on the default grid, a third of α_PR; a finer "
                              "grid (--set alpha=…) sharpens it",
                reason="bootstrap SE over teachers + half the α spacing at the crossing + 0.05: "
                       "at finite d the error reaches 5e-3 only by α_PR + 0.05 (note §12)"))
        return checks


CLAIMS = (GampRie,)
