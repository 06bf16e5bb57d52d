"""Claim ``gardner_capacity``: storage capacity of the spherical perceptron with margin κ.

Gardner (1988): ``P = αN`` random patterns ``ξ^μ ~ N(0, I_N)`` with fair labels can be stored
with margin κ ≥ 0 up to ``α_c(κ) = 1/W(κ)``, ``W(κ) = ∫_{−κ}^∞ Dt (t + κ)²``; equivalently the
maximum margin ``κ*`` of ``αN`` patterns tends to ``κ_c(α)``, the inverse (``W(κ_c) = 1/α``).
At κ = 0 this is Cover's capacity α_c(0) = 2, shared with :mod:`theory.capacity`'s
``cover_separable_probability``.

One job is one seed at one ``N``: for every α of the grid a fresh draw of ``round(αN)``
patterns and its maximum margin (least-distance program by NNLS), plus ``cover_trials``
point sets in ``cover_dim`` dimensions whose sequential capacity ``N*`` (HiGHS LP) measures
α_c(0). Checks:

* **critical margin** (headline, curve over α at the largest N): mean κ* against κ_c(α);
  ``t × SE`` over seeds (Bonferroni over α) plus ``1.5/N`` for the finite-size bias (measured
  +0.012 ± 0.005 at N = 100, α = 0.25, within one SE at N ≥ 200 for α ∈ [0.25, 1.5]).
  Per-sample sd of κ* is ≈ 1.4/√N at α = 0.25, 1.0/√N at 0.5, 0.65/√N at 1, 0.53/√N at 1.5:
  the small-α points carry the power.
* **N → ∞ intercept** (finite-size extrapolation in 1/N, per α): the intercept of
  ``a + b/N`` over the sizes against κ_c(α); ``t × SE`` of the intercept, no floor.
* **capacity at κ = 0** (scalar): mean ``N*/d`` of the Cover point sets against
  ``α_c(0) = 2`` (Cover: exact at every d, so no floor; relative sd ``1/√(2d)`` per set).

Only α < 2 (κ_c > 0) is accepted: the convex regime where the replica-symmetric formula is
exact and the margin is not censored at 0 (avoid α > 1.8 at N ≤ 400, note (c)). The sign-
flipped integral ``(1 + κ²)Φ(−κ) − κφ(κ)`` agrees with W at κ = 0 only (so the κ = 0 check
cannot see it) and predicts κ_c(α) = −κ_c(α): the critical-margin check rejects it.
"""

from __future__ import annotations

import numpy as np

from simulate.capacity import labelled_patterns, maximum_margin, sequential_capacity
from theory.capacity import gardner_capacity, gardner_margin

from ..checks import CurveAgreement, FiniteSizeExtrapolation, ScalarAgreement
from ..claim import Claim
from ..params import Param, Preset


class GardnerCapacity(Claim):
    name = "gardner_capacity"
    title = "Gardner capacity α_c(κ) of the spherical perceptron, by maximum margin"
    reference = ("E. Gardner (1988), J. Phys. A 21:257, eq. (39) α_c(κ) = 1/∫_{−κ}^∞ Dt (t+κ)²; "
                 "T. M. Cover (1965) for κ = 0; A. Engel & C. Van den Broeck (2001), ch. 6, Fig. 6.1")
    size_name = "N"
    headline = "critical margin"
    params = (
        Param("alpha", "floats", (0.25, 0.5, 1.0, 1.5), "loads α = P/N of the margin experiments",
              low=0.1, high=1.8),
        Param("cover_dim", "int", 25, "dimension of Cover's point sets (κ = 0)", low=2, high=60),
        Param("cover_trials", "int", 4, "Cover point sets per job", low=1, high=100),
    )
    presets = {
        "quick": Preset(sizes=(50, 100), seeds=16, params={"alpha": (0.25, 0.5, 1.0), "cover_dim": 10,
                                                         "cover_trials": 2}),
        "standard": Preset(sizes=(100, 200, 400), seeds=150),
        "paper": Preset(sizes=(200, 400, 800), seeds=200,
                        params={"alpha": (0.25, 0.5, 0.75, 1.0, 1.25, 1.5)}),
    }

    def predict(self, params):
        alpha = np.asarray(params["alpha"], dtype=float)
        return {"alpha": alpha, "margin": gardner_margin(alpha),
                "capacity_at_zero_margin": float(gardner_capacity(0.0))}

    def measure(self, params, size, rng, backend):
        margins = [maximum_margin(labelled_patterns(max(1, round(a * size)), size, rng, backend=backend))
                   for a in params["alpha"]]
        dim = params["cover_dim"]
        stars = [sequential_capacity(labelled_patterns(4 * dim + 40, dim, rng, backend=backend))
                 for _ in range(params["cover_trials"])]
        return {"margin": np.array(margins), "capacity_at_zero_margin": float(np.mean(stars) / dim)}

    def checks(self, params):
        return [
            CurveAgreement("margin", x="alpha", floor=lambda n: 1.5 / n, name="critical margin",
                           effect={"quick": 0.2, "standard": 0.02},
                           reason="mean maximum margin κ* vs κ_c(α); t × SE over seeds (Bonferroni "
                                  "over α) + 1.5/N finite-size bias (+0.012 ± 0.005 at N = 100)"),
            FiniteSizeExtrapolation("margin", exponent=1.0, x="alpha", name="N → ∞ intercept",
                                    effect={"quick": 0.45, "standard": 0.03},
                                    effect_reason="the intercept of a two-parameter fit over N = 100–400 "
                                                  "has ~1.5× the SE of the mean at N = 400, which the "
                                                  "headline uses (with a bias floor) for 2%",
                                    reason="intercept of a + b/N fitted per α vs κ_c(α); "
                                           "t × SE of the intercept, no floor"),
            ScalarAgreement("capacity_at_zero_margin", name="capacity at κ = 0",
                            effect={"quick": 0.3, "standard": 0.03},
                            effect_reason="600 Cover point sets at d = 25 (relative sd 1/√(2d) = 14% per "
                                          "set) resolve 2.5%; the cover_capacity claim states α_c(0) = 2 "
                                          "to 2% with 1 500 sets",
                            reason="mean N*/d of Cover's sequential capacity vs α_c(0) = 2 "
                                   "(exact at every d); t × SE over seeds, no floor"),
        ]


CLAIMS = (GardnerCapacity,)
