"""Claim ``cbo_consensus``: the note's negative controls fail, the declared ranges keep the
weights healthy."""

import itertools

import numpy as np

from compare.claims.cbo_consensus import CboConsensus, quadratic_setting
from compare.testing import quick_report
from theory.consensus import cbo_variance_rate, consensus_ess_fraction

from .claim_runs import evaluate_named

NAME = "cbo_consensus"


def test_explicit_gradient_step_is_rejected():
    """x − hA(x − y*) agrees with the consensus point only to first order in h."""
    report = quick_report(NAME)
    result = evaluate_named(report, "consensus = proximal step", consensus_point=report.predictions["gradient_step"])
    assert result.status == "fail" and result.deviation > 3


def test_anisotropic_rate_for_isotropic_noise_is_rejected():
    """2λ − σ² = 1.84 instead of 2λ − dσ² = 1.2 for isotropic noise (d = 5)."""
    report = quick_report(NAME)
    p = report.params
    result = evaluate_named(report, "isotropic rate",
                            isotropic_rate=cbo_variance_rate(p["drift"], p["noise"], p["dim"], "anisotropic"))
    assert result.status == "fail" and result.deviation > 3


def test_declared_ranges_keep_the_effective_sample_size_above_one_percent():
    """At every corner of (d, α, h) the weights' ESS fraction (closed form) stays ≥ 2.9%."""
    ranges = {p.name: (p.low, p.high) for p in CboConsensus.params}
    worst = 1.0
    for dim, alpha, h in itertools.product(range(1, int(ranges["dim"][1]) + 1), ranges["alpha"], ranges["h"]):
        hessian, minimiser, centre = quadratic_setting(dim)
        worst = min(worst, float(consensus_ess_fraction(centre, hessian, minimiser, alpha, np.sqrt(h / alpha))))
    assert 0.028 < worst < 0.03

