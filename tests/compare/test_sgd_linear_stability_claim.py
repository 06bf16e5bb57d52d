"""Negative control of ``sgd_linear_stability`` (more_claims.md §1): gradient descent's threshold
2/λ_max(H) is not SGD's. Re-evaluated on the quick preset's measurements."""

import numpy as np

from compare.testing import quick_report

from .claim_runs import evaluate_named


def test_gradient_descent_threshold_is_rejected_for_mini_batches():
    report = quick_report("sgd_linear_stability")
    wrong = np.full_like(report.predictions["threshold"], report.predictions["gradient_descent_threshold"])
    assert evaluate_named(report, "threshold", threshold=wrong).status == "fail"
    assert evaluate_named(report, "threshold").status == "pass"


def test_chains_above_the_threshold_grow_and_below_it_decay():
    report = quick_report("sgd_linear_stability")
    steps = report.params["steps"]
    measured = np.asarray(report.check("mean-square trajectory").measured)
    below, above = measured[:steps], measured[2 * steps:]
    assert below[-1] < below[0] and above[-1] > above[steps // 2]
