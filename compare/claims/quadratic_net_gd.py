"""Claim ``quadratic_net_gd``: gradient descent on the quadratic network behaves like a
posterior sample (Maillard et al. 2024, §4 and Fig. 4; an empirical claim).

The paper observes that full-batch GD from a random initialisation interpolates the data
with an error close to twice the Bayes-optimal one — the error of a posterior sample
(Nishimori: ``E‖S − S*‖² = 2 M`` for ``S`` drawn from the posterior) — and that averaging
the learned ``WᵀW`` over initialisations brings the error down towards ``M``. If GD
initialisations behaved as independent posterior samples, the average of ``k`` of them
would have error ``M (1 + 1/k)``: that is the prediction checked for averaged GD.

There is no theory of GD here, and the paper's own figure shows the finite-d gap, so the
tolerances are empirical and say so. Both errors are measured with the teacher-variance
control variate of the ``gamp_rie`` claim (``error − b·c``, ``b`` the predicted error, ``c``
:attr:`~simulate.quadratic_teacher.QuadraticTeacherData.variance_excess`, exactly mean zero):
at α = 0.1, d = 24 it cuts the standard error over data sets 2.3×.

* **single-run error** (headline; curve over α): mean GD error against ``2M``; ``t × SE``
  plus 30% of ``2M``: at d = 200 the GD/MMSE ratio is ≈ 2.1 at small α and rises to ≈ 2.5
  towards α_PR (note §10), i.e. up to 25% above ``2M``; at d = 64 it is 2.2–2.5 on the
  default grid (measured).
* **averaged error** (curve over α): error of the average over ``k`` initialisations against
  ``M (1 + 1/k)``; ``t × SE`` plus ``max(0.05, 5/d)``: the paper's averaged GD sits ≈ 0.05
  above ``M`` at d = 200, and at d = 40–64 the measured gap is (4.0–4.4)/d.

The default grid stops at α = 0.2: at small d, GD/M climbs to 3.3–3.8 near α_PR (measured
at d = 30–60), beyond the paper's d = 200 band.

Both gaps lie above the prediction at every α and d measured (and in the paper's figure),
so each floor is granted above it only (``bias_above``): below, ``t × SE`` alone.

Neither check can resolve 2%: the paper's statement is itself a 5–25% band. They declare
what they do resolve (40% and 15% at ``standard``), enough to separate "GD ≈ 2M" from
"GD ≈ 3M" or "≈ M".
"""

from __future__ import annotations

import numpy as np

from simulate.quadratic_teacher import quadratic_teacher
from simulate.quadratic_net import gd_errors
from theory.gamp_rie import bayes_optimal_mmse

from ..checks import CurveAgreement
from ..params import Param, Preset
from ..plots import size_colours, size_points, theory_label
from ._quadratic_teacher import QuadraticTeacherClaim


EMPIRICAL = ("an empirical claim with no theory of GD: the paper's own Fig. 4 puts GD 5–25% above 2M "
             "at d = 200, so its statement is a band, not a value a 2% test could hold it to")


class QuadraticNetGD(QuadraticTeacherClaim):
    name = "quadratic_net_gd"
    title = "Gradient descent on a quadratic network reaches twice the Bayes error; averaging reaches it"
    reference = ("A. Maillard, E. Troiani, S. Martin, F. Krzakala, L. Zdeborová (2024), NeurIPS, "
                 "arXiv:2408.03733, §4, Fig. 4 (empirical)")
    headline = "single-run error"
    params = (
        Param("kappa", "float", 0.5, "width ratio m/d of teacher and student", low=0.1, high=2.0),
        Param("alpha", "floats", (0.1, 0.15, 0.2), "sample ratios n/d² (below α_PR)", low=0.02, high=1.0),
        Param("inits", "int", 8, "initialisations averaged per data set", low=2, high=256),
        Param("max_steps", "int", 20000, "GD step cap", low=100, high=10**6),
    )
    presets = {
        "quick": Preset(sizes=(24,), seeds=16, params={"alpha": (0.1, 0.2), "inits": 4}),
        "standard": Preset(sizes=(64,), seeds=16),
        "paper": Preset(sizes=(100, 200), seeds=8, params={"inits": 64,
                                                           "alpha": (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35)}),
    }

    def predict(self, params):
        alpha = np.asarray(params["alpha"], dtype=float)
        mse = bayes_optimal_mmse(alpha, params["kappa"], 0.0)
        return {"alpha": alpha, "mse": mse, "gd_error": 2.0 * mse,
                "gd_error_floor": 0.3 * 2.0 * mse,
                "averaged_gd_error": mse * (1.0 + 1.0 / params["inits"])}

    def measure(self, params, size, rng, backend):
        data = quadratic_teacher(size, params["kappa"], params["alpha"], 0.0, rng, backend=backend)
        out = gd_errors(data, params["inits"], rng, max_steps=params["max_steps"], backend=backend)
        mse = float(bayes_optimal_mmse(params["alpha"], params["kappa"], 0.0))
        excess = data.variance_excess
        return {"gd_error": float(np.mean(out.errors)) - 2.0 * mse * excess,
                "averaged_gd_error": out.averaged_error - mse * (1.0 + 1.0 / params["inits"]) * excess}

    def draw_headline(self, ax, report):
        """The paper's Fig. 4: GD and averaged GD against 2M, M(1 + 1/k) and M."""
        params = report.params
        alpha = np.asarray(params["alpha"], dtype=float)
        grid = np.linspace(max(0.02, 0.5 * alpha.min()), 1.1 * alpha.max(), 120)
        mse = report.perturb * bayes_optimal_mmse(grid, params["kappa"], 0.0)
        label = theory_label(report)
        ax.plot(grid, 2.0 * mse, "k-", lw=1.5, label=f"{label}: 2M (posterior sample)")
        ax.plot(grid, mse * (1.0 + 1.0 / params["inits"]), "k--", lw=1,
                label=f"{label}: M(1 + 1/k), k = {params['inits']}")
        ax.plot(grid, mse, "k:", lw=1, label=f"{label}: M (Bayes-optimal)")
        for quantity, marker, what in (("gd_error", "o", "GD"), ("averaged_gd_error", "s", "averaged GD")):
            points = size_points(report, quantity)
            for (size, mean, se), colour in zip(points, size_colours(len(points))):
                ax.errorbar(alpha, mean, yerr=se, fmt=marker, ms=4, capsize=2, color=colour,
                            mfc="none" if marker == "s" else colour, label=f"{what}, d = {size}")
        ax.set_xlabel("α = n/d²")
        ax.set_ylabel("error per entry (1/d)‖S_W − S*‖²")
        ax.set_title(f"Gradient descent vs the Bayes error, κ = {params['kappa']:g} (Fig. 4)")
        ax.legend(fontsize=8)

    def checks(self, params):
        return [
            CurveAgreement("gd_error", x="alpha", floor="gd_error_floor", bias_above=True,
                           name="single-run error",
                           effect={"quick": 0.5, "standard": 0.4}, effect_reason=EMPIRICAL,
                           reason="t × SE over data sets + 30% of 2M above 2M: GD/MMSE ≈ 2.1–2.5 at d = 200 "
                                  "(paper Fig. 4, note §10); below 2M, t × SE alone"),
            CurveAgreement("averaged_gd_error", x="alpha", floor=lambda d: max(0.05, 5.0 / d),
                           bias_above=True,
                           name="averaged error", effect={"quick": 0.5, "standard": 0.15},
                           effect_reason=EMPIRICAL,
                           reason="posterior-sample average of k runs has error M(1 + 1/k); t × SE + "
                                  "max(0.05, 5/d): averaged GD ≈ M + 0.05 at d = 200 (Fig. 4), "
                                  "(4.0–4.4)/d above M(1 + 1/k) at d = 40–64 (measured); below, t × SE alone"),
        ]


CLAIMS = (QuadraticNetGD,)
