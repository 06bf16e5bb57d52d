"""Claim gardner_capacity: the sign-flipped Gardner integral (the note's negative control) is
rejected by the κ > 0 check on the same measurements on which the right formula passes, and
the κ = 0 check cannot tell the two apart."""

import math

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr

from compare.claims.gardner_capacity import GardnerCapacity

from .claim_runs import rerun_with_theory, stored_quick_run


def flipped_margin(alpha: float) -> float:
    """κ solving W̃(κ) = 1/α with W̃(κ) = (1+κ²)Φ(−κ) − κφ(κ) (decreasing in κ)."""
    def w_flipped(k):
        return (1 + k * k) * ndtr(-k) - k * math.exp(-k * k / 2) / math.sqrt(2 * math.pi)
    return brentq(lambda k: w_flipped(k) - 1 / alpha, -20.0, 20.0, xtol=1e-14)


def test_sign_flipped_integral_is_rejected(tmp_path, monkeypatch):
    store = tmp_path / "store.sqlite"
    stored_quick_run("gardner_capacity", store)
    gardner = GardnerCapacity.predict

    def flipped(self, params):
        out = gardner(self, params)
        out["margin"] = np.array([flipped_margin(a) for a in params["alpha"]])
        out["capacity_at_zero_margin"] = 1 / (1 * ndtr(-0.0) - 0.0)    # 1/W̃(0) = 2, as for W
        return out

    _, verdicts = rerun_with_theory(GardnerCapacity, flipped, monkeypatch, store)
    assert verdicts == {"critical margin": False, "N → ∞ intercept": False, "capacity at κ = 0": True}
