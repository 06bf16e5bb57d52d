"""Claim ``zeroth_order_spsa``: the note's negative controls fail on the quick run's measurements,
the other direction laws pass."""

import numpy as np
import pytest

from compare.runner import run_claim
from compare.testing import quick_report
from theory.zeroth_order import spsa_second_moment_ratio

from .claim_runs import evaluate_named

NAME = "zeroth_order_spsa"


def test_sphere_constant_for_gaussian_directions_is_rejected():
    """(d + K − 1)/K predicted for Gaussian directions: off by 2/K, rejected at d = 4."""
    report = quick_report(NAME)
    result = evaluate_named(report, "second moment", second_moment_ratio=spsa_second_moment_ratio(
        report.params["dim"], report.predictions["n_directions"], "sphere"))
    assert result.status == "fail" and result.deviation > 3


def test_unsmoothed_gradient_is_rejected():
    """E ĝ compared with ∇L instead of ∇L_ε at ε = 0.5 (Stein's lemma gives the smoothed one)."""
    report = quick_report(NAME)
    result = evaluate_named(report, "Stein: E ĝ = ∇L_ε", smoothed_gradient=report.predictions["gradient"])
    assert result.status == "fail" and result.deviation > 3


def test_gradient_descent_step_limit_is_not_the_critical_step():
    """GD's 2/λ_max is 4× the zeroth-order critical step at d = 4: rejected."""
    report = quick_report(NAME)
    critical = report.predictions["critical_step"]
    wrong = np.full_like(critical, report.predictions["gd_step_limit"])
    assert evaluate_named(report, "critical step", critical_step=wrong).status == "fail"


@pytest.mark.parametrize("distribution", ["sphere", "rademacher"])
def test_other_direction_laws_pass(distribution):
    report = run_claim(NAME, preset="quick", values={"distribution": distribution, "max_directions": 4},
                       seeds=5, workers=1, cache=False)
    assert report.verdict == "pass", [(c.name, c.deviation) for c in report.checks]

