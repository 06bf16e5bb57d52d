"""Claim cover_capacity: the note's negative control (the affine count for homogeneous
separation) is rejected on the same measurements on which Cover's formula passes."""

import numpy as np

from compare.claims.cover_capacity import CoverCapacity
from theory.capacity import cover_separable_probability

from .claim_runs import rerun_with_theory, stored_quick_run


def test_affine_count_is_rejected(tmp_path, monkeypatch):
    """d = 4: P(N, d + 1) predicts E N*/d = 2 + 2/d = 2.5 and P(8, 5) = 0.77 instead of ½."""
    store = tmp_path / "store.sqlite"
    stored_quick_run("cover_capacity", store, dim=4)

    cover = CoverCapacity.predict

    def affine(self, params):
        out = cover(self, params)
        d = params["dim"]
        out["separable"] = cover_separable_probability(out["n_points"], d + 1)
        out["capacity"] = 2.0 * (d + 1) / d
        return out

    _, verdicts = rerun_with_theory(CoverCapacity, affine, monkeypatch, store, dim=4)
    assert verdicts == {"capacity": False, "separation probability": False}


def test_prediction_is_exact_and_marks_the_compared_range():
    out = CoverCapacity().predict({"dim": 25})
    assert out["capacity"] == 2.0
    assert out["n_points"][0] == 25 and out["n_points"][-1] == 140
    np.testing.assert_array_equal(out["separable"][out["n_points"] == 50], 0.5)
    compared = out["n_points"][out["compared"]]
    assert compared.min() == 42 and compared.max() == 59     # 0.1 ≤ P ≤ 0.9: 18 values of N
