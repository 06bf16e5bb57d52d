"""Claim ``nngp_ntk_relu``: the note's negative controls fail, the figure script runs."""

import functools

import numpy as np

from compare.checks import CurveAgreement

from .claim_runs import check_named, measure_claim, run_example


@functools.cache
def quick():
    return measure_claim("nngp_ntk_relu")


def test_correct_predictions_pass_at_quick():
    claim, params, predictions, ms = quick()
    assert all(c.evaluate(predictions, ms).passed for c in claim.checks(params))


def test_ntk_without_the_backward_term_is_rejected():
    """Θ^{l+1} = Σ^{l+1} without Θ^l Σ̇^{l+1} is the NNGP: 2.4 instead of 9 on the diagonal."""
    claim, params, predictions, ms = quick()
    wrong = {**predictions, "ntk": np.concatenate([[predictions["nngp_diagonal"]], predictions["nngp_offdiagonal"]])}
    result = check_named(claim, params, "NTK, width → ∞").evaluate(wrong, ms)
    assert not result.passed and result.deviation > 2


def test_large_width_form_of_the_fourth_moment_is_rejected():
    """e^{5L/n} = 2.55 instead of (1 + 5/n)^L = 2.26 at n = 16, L = 3."""
    claim, params, predictions, ms = quick()
    wrong = {**predictions, "fourth_moment_ratio": predictions["fourth_moment_large_width_form"]}
    result = check_named(claim, params, "fourth moment, exact").evaluate(wrong, ms)
    assert not result.passed and result.deviation > 2


def test_one_width_comparison_of_the_off_diagonal_is_rejected():
    """Without the 1/n extrapolation, K(x₀, x) at n = 16 alone is biased (≈ −8% at 2.5 rad)."""
    claim, params, predictions, ms = measure_claim("nngp_ntk_relu", values={"nets": 3000, "moment_nets": 100},
                                                   sizes=(16,), seeds=8)
    one_width = CurveAgreement("nngp_offdiagonal", x="angle", reason="no extrapolation (negative control)")
    assert not one_width.evaluate(predictions, ms).passed


def test_example_writes_its_figure(tmp_path):
    out = tmp_path / "nngp.png"
    run_example("nngp_ntk_relu.py", "--out", str(out), "--nets", "40", "--widths", "8,32")
    assert out.stat().st_size > 10_000
