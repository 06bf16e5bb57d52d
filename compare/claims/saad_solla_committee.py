"""Claim ``saad_solla_committee``: online SGD of a soft committee machine follows the Saad–Solla ODE.

Saad & Solla (1995): for a student committee of K erf(x/√2) units learning a teacher
committee of M units by online SGD (one fresh Gaussian input per step, learning rate η,
time t = steps/N), the overlaps ``Q = wwᵀ/N`` and ``R = wBᵀ/N`` follow a closed system of
ODEs as N → ∞, with the Gaussian averages I2, I3, I4 in closed form; the generalisation
error ``ε_g(Q, R, T)`` falls fast, stalls on the symmetric plateau (student units not yet
specialised) and escapes when each student unit picks a teacher unit.

The run is the note's reference: K = M = 2, T = I, η = 0.5,
``Q0 = [[0.25, 0.01], [0.01, 0.30]]``, ``R0 = [[0.02, −0.01], [0.005, 0.015]]``: plateau
ε ≈ 0.015 for t ≈ 10–75, escape for t ≈ 100–200. Teacher and student are built with exactly
these overlaps (so every seed starts at the ODE's initial condition); one job is one SGD run
at one N, recording Q and R at the requested times (ε_g is the closed form I2 sum of the
measured overlaps: no test set, no extra noise). Checks (curves over t at the largest N,
Bonferroni over t, ``t × SE`` over runs, no floor):

* **generalisation error** (headline): ε_g(t). Per-run relative sd at N = 500 is 1.6–1.9% on
  the plateau (the points that carry the power), 4–6% before it, and 14–41% during the
  escape, whose timing is noise-driven (measured over 64 runs at N = 500: mean +2.6%, +6.1%,
  +7.8% above the ODE at t = 150, 175, 200, z ≤ 1.5, medians 1–3% below: a few late escapes
  skew the mean; +0.8%, +1.7%, +2.4% at N = 1000; the tolerance there is ~5× wider).
* **specialisation** (mean over i of R_ii(t)): relative sd 0.7–1.4% on the plateau.
* **student norms** (mean over i of Q_ii(t)): relative sd 0.9–1.3% on the plateau.

Dropping the η² term of dQ/dt (the note's negative control) lowers ε(t = 20) by 20%: rejected.
"""

from __future__ import annotations

import numpy as np

from simulate.committee import committee_weights, online_sgd
from theory.committee import committee_generalisation_error, saad_solla_trajectory

from ..checks import CurveAgreement
from ..claim import Claim
from ..params import Param, Preset

INITIAL_Q = np.array([[0.25, 0.01], [0.01, 0.30]])
INITIAL_R = np.array([[0.02, -0.01], [0.005, 0.015]])
TEACHER_T = np.eye(2)
_TIMES = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 50.0, 75.0, 100.0, 150.0, 200.0)


def _summaries(Q: np.ndarray, R: np.ndarray, T: np.ndarray) -> dict[str, np.ndarray]:
    """The compared quantities from overlaps of shape (n_times, K, K) and (n_times, K, M)."""
    return {"error": committee_generalisation_error(Q, R, T),
            "specialisation": np.mean(np.diagonal(R, axis1=-2, axis2=-1), axis=-1),
            "student_norm": np.mean(np.diagonal(Q, axis1=-2, axis2=-1), axis=-1)}


class SaadSollaCommittee(Claim):
    name = "saad_solla_committee"
    title = "Online SGD of a soft committee machine follows the Saad–Solla ODE, plateau and escape"
    reference = ("D. Saad, S. A. Solla (1995), Phys. Rev. E 52:4225, eqs. (9)–(11) and Appendix "
                 "(I2, I3, I4 for g = erf(x/√2)); PRL 74:4337, Fig. 1 (plateau)")
    size_name = "N"
    min_size = 4
    """N ≥ K + M: teacher and student need independent directions."""
    headline = "generalisation error"
    params = (
        Param("lr", "float", 0.5, "learning rate η", low=0.1, high=1.0),
        Param("times", "floats", _TIMES, "times t = steps/N at which the overlaps are compared",
              low=0.1, high=400.0),
    )
    presets = {
        "quick": Preset(sizes=(200,), seeds=12, params={"times": (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 50.0)}),
        "standard": Preset(sizes=(500,), seeds=32),
        "paper": Preset(sizes=(500, 1000), seeds=32),
    }

    def predict(self, params):
        times = np.asarray(params["times"], dtype=float)
        traj = saad_solla_trajectory(INITIAL_Q, INITIAL_R, TEACHER_T, params["lr"], times)
        return {"times": times, **_summaries(traj.Q, traj.R, TEACHER_T)}

    def measure(self, params, size, rng, backend):
        B, W0 = committee_weights(INITIAL_Q, INITIAL_R, TEACHER_T, size, rng)
        run = online_sgd(B, W0, params["lr"], params["times"], rng, backend=backend)
        return _summaries(run.Q, run.R, run.T)

    def checks(self, params):
        why = "t × SE over SGD runs, Bonferroni over t, no floor"
        return [
            CurveAgreement("error", x="times", name="generalisation error",
                           effect={"quick": 0.1, "standard": 0.02},
                           reason=f"ε_g(Q, R, T) of the measured overlaps vs the ODE; {why} (power from "
                                  "the plateau; escape points are noise-driven, sd 15–45%)"),
            CurveAgreement("specialisation", x="times", name="specialisation",
                           effect={"quick": 0.05, "standard": 0.02},
                           reason=f"mean of R_ii vs the ODE; {why}"),
            CurveAgreement("student_norm", x="times", name="student norms",
                           effect={"quick": 0.05, "standard": 0.02},
                           reason=f"mean of Q_ii vs the ODE; {why}"),
        ]


CLAIMS = (SaadSollaCommittee,)
