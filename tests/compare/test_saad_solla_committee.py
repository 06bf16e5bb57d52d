"""Claim saad_solla_committee: the ODE without its η² term (the note's negative control) is
rejected on the same SGD runs on which the full ODE passes."""

import numpy as np
from scipy.integrate import solve_ivp

from compare.claims import saad_solla_committee as claim
from theory.committee import _rhs_terms

from .claim_runs import rerun_with_theory, stored_quick_run


def first_order_trajectory(lr, times):
    """Q, R of the ODE with dQ/dt's η² term dropped (the private split of the field into its
    η and η² parts; without the η² term C leaves the PSD cone, which the public rhs rejects)."""
    K, M = claim.INITIAL_R.shape

    def rhs(_t, y):
        Q, R = y[:K * K].reshape(K, K), y[K * K:].reshape(K, M)
        first_q, dR, _second = _rhs_terms(0.5 * (Q + Q.T), R, claim.TEACHER_T)
        return np.concatenate([(lr * first_q).ravel(), (lr * dR).ravel()])

    y0 = np.concatenate([claim.INITIAL_Q.ravel(), claim.INITIAL_R.ravel()])
    sol = solve_ivp(rhs, (0, times[-1]), y0, method="DOP853", t_eval=times, rtol=1e-10, atol=1e-12)
    return sol.y[:K * K].T.reshape(-1, K, K), sol.y[K * K:].T.reshape(-1, K, M)


def test_dropping_the_second_order_term_is_rejected(tmp_path, monkeypatch):
    store = tmp_path / "store.sqlite"
    right = stored_quick_run("saad_solla_committee", store)

    def first_order(self, params):
        times = np.asarray(params["times"], dtype=float)
        Q, R = first_order_trajectory(params["lr"], times)
        return {"times": times, **claim._summaries(Q, R, claim.TEACHER_T)}

    wrong, verdicts = rerun_with_theory(claim.SaadSollaCommittee, first_order, monkeypatch, store)
    assert not verdicts["generalisation error"] and not verdicts["student norms"]
    error = wrong.predictions["error"][list(wrong.predictions["times"]).index(20.0)]
    assert error < 0.85 * right.predictions["error"][list(right.predictions["times"]).index(20.0)]
