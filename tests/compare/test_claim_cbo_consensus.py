"""Claim ``cbo_consensus``: the note's negative controls fail, the declared ranges keep the
weights healthy, the figure script runs."""

import functools
import itertools

import numpy as np

from compare.claims.cbo_consensus import CboConsensus, quadratic_setting
from theory.consensus import cbo_variance_rate, consensus_ess_fraction

from .claim_runs import check_named, measure_claim, run_example


@functools.cache
def quick():
    return measure_claim("cbo_consensus")


def test_correct_predictions_pass_at_quick():
    claim, params, predictions, ms = quick()
    assert all(c.evaluate(predictions, ms).passed for c in claim.checks(params))


def test_explicit_gradient_step_is_rejected():
    """x − hA(x − y*) agrees with the consensus point only to first order in h."""
    claim, params, predictions, ms = quick()
    wrong = {**predictions, "consensus_point": predictions["gradient_step"]}
    result = check_named(claim, params, "consensus = proximal step").evaluate(wrong, ms)
    assert not result.passed and result.deviation > 3


def test_anisotropic_rate_for_isotropic_noise_is_rejected():
    """2λ − σ² = 1.84 instead of 2λ − dσ² = 1.2 for isotropic noise (d = 5)."""
    claim, params, predictions, ms = quick()
    wrong = {**predictions, "isotropic_rate": cbo_variance_rate(params["drift"], params["noise"], params["dim"],
                                                                "anisotropic")}
    result = check_named(claim, params, "isotropic rate").evaluate(wrong, ms)
    assert not result.passed and result.deviation > 3


def test_declared_ranges_keep_the_effective_sample_size_above_one_percent():
    """At every corner of (d, α, h) the weights' ESS fraction (closed form) stays ≥ 2.9%."""
    ranges = {p.name: (p.low, p.high) for p in CboConsensus.params}
    worst = 1.0
    for dim, alpha, h in itertools.product(range(1, int(ranges["dim"][1]) + 1), ranges["alpha"], ranges["h"]):
        hessian, minimiser, centre = quadratic_setting(dim)
        worst = min(worst, float(consensus_ess_fraction(centre, hessian, minimiser, alpha, np.sqrt(h / alpha))))
    assert 0.028 < worst < 0.03


def test_example_writes_its_figure(tmp_path):
    out = tmp_path / "cbo.png"
    run_example("cbo_consensus.py", "--out", str(out), "--samples", "500", "--particles", "200", "--dt", "0.04")
    assert out.stat().st_size > 10_000
