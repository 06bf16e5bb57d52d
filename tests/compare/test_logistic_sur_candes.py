"""Claim logistic_sur_candes: the note's negative controls — the classical theory (α = 1,
σ² = 1/Fisher information) and a sign slip in Cov(Q₁, Q₂) (α* → −α*) — are rejected on the
same measurements on which Sur–Candès passes."""

import math

import numpy as np
from scipy.integrate import quad
from scipy.special import expit

from compare.claims.logistic_sur_candes import LogisticSurCandes

from .claim_runs import rerun_with_theory, stored_quick_run


def classical(self, params):
    gamma = math.sqrt(params["signal_variance"])
    info = quad(lambda z: expit(gamma * z) * (1 - expit(gamma * z)) * math.exp(-z * z / 2) / math.sqrt(2 * math.pi),
                -40, 40)[0]
    return {"inflation": 1.0, "spread": 1 / math.sqrt(info), "existence_threshold": 0.5}


def test_classical_theory_and_sign_slip_are_rejected(tmp_path, monkeypatch):
    store = tmp_path / "store.sqlite"
    stored_quick_run("logistic_sur_candes", store)
    sur_candes = LogisticSurCandes.predict

    def sign_slip(self, params):
        out = sur_candes(self, params)
        return {**out, "inflation": -out["inflation"]}

    for wrong_theory in (classical, sign_slip):
        assert rerun_with_theory(LogisticSurCandes, wrong_theory, monkeypatch, store)[1]["inflation"] is False
    assert np.isclose(classical(None, {"signal_variance": 5.0})["spread"], 2.66, atol=0.01)
