"""Claim ``nngp_ntk_relu``: the note's negative controls fail."""

import numpy as np

from compare.checks import CurveAgreement
from compare.runner import run_claim
from compare.testing import quick_report

from .claim_runs import evaluate_named

NAME = "nngp_ntk_relu"


def test_ntk_without_the_backward_term_is_rejected():
    """Θ^{l+1} = Σ^{l+1} without Θ^l Σ̇^{l+1} is the NNGP: 2.4 instead of 9 on the diagonal."""
    report = quick_report(NAME)
    p = report.predictions
    nngp = np.concatenate([[p["nngp_diagonal"]], p["nngp_offdiagonal"]])
    result = evaluate_named(report, "NTK, width → ∞", ntk=nngp)
    assert result.status == "fail" and result.deviation > 2


def test_large_width_form_of_the_fourth_moment_is_rejected():
    """e^{5L/n} = 2.55 instead of (1 + 5/n)^L = 2.26 at n = 16, L = 3."""
    report = quick_report(NAME)
    result = evaluate_named(report, "fourth moment, exact",
                            fourth_moment_ratio=report.predictions["fourth_moment_large_width_form"])
    assert result.status == "fail" and result.deviation > 2


def test_one_width_comparison_of_the_off_diagonal_is_rejected():
    """Without the 1/n extrapolation, K(x₀, x) at n = 16 alone is biased (≈ −8% at 2.5 rad)."""
    report = run_claim(NAME, preset="quick", values={"nets": 3000, "moment_nets": 100}, sizes=[8, 16], seeds=8,
                       workers=1, cache=False)
    one_width = CurveAgreement("nngp_offdiagonal", x="angle", reason="no extrapolation (negative control)")
    assert one_width.evaluate(report.predictions, report.measurements).status == "fail"

