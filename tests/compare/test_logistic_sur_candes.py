"""Claim logistic_sur_candes: the note's negative controls — the classical theory (α = 1,
σ² = 1/Fisher information) and a sign slip in Cov(Q₁, Q₂) (α* → −α*) — are rejected on the
same measurements on which Sur–Candès passes."""

import math

import numpy as np
from scipy.integrate import quad
from scipy.special import expit

from compare.claims.logistic_sur_candes import LogisticSurCandes
from compare.runner import run_claim


def classical(self, params):
    gamma = math.sqrt(params["signal_variance"])
    info = quad(lambda z: expit(gamma * z) * (1 - expit(gamma * z)) * math.exp(-z * z / 2) / math.sqrt(2 * math.pi),
                -40, 40)[0]
    return {"inflation": 1.0, "spread": 1 / math.sqrt(info), "existence_threshold": 0.5}


def test_classical_theory_and_sign_slip_are_rejected(tmp_path, monkeypatch):
    store = str(tmp_path / "store.sqlite")
    right = run_claim("logistic_sur_candes", preset="quick", workers=1, cache=store)
    assert right.verdict == "pass"
    sur_candes = LogisticSurCandes.predict

    def sign_slip(self, params):
        out = sur_candes(self, params)
        return {**out, "inflation": -out["inflation"]}

    for wrong_theory in (classical, sign_slip):
        monkeypatch.setattr(LogisticSurCandes, "predict", wrong_theory)
        wrong = run_claim("logistic_sur_candes", preset="quick", workers=1, cache=store)
        assert wrong.run["cache"]["misses"] == 0
        assert {c.name: c.passed for c in wrong.checks}["inflation"] is False
    assert np.isclose(classical(None, {"signal_variance": 5.0})["spread"], 2.66, atol=0.01)
