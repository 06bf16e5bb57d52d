"""Negative control of ``sgd_linear_stability`` (more_claims.md §1): gradient descent's threshold
2/λ_max(H) is not SGD's. Re-evaluated on the quick preset's measurements."""

import numpy as np

from compare.registry import get_claim
from compare.runner import evaluate_checks
from compare.testing import quick_report


def test_gradient_descent_threshold_is_rejected_for_mini_batches():
    report = quick_report("sgd_linear_stability")
    check = next(c for c in get_claim("sgd_linear_stability")().checks(report.params) if c.name == "threshold")
    wrong = np.full_like(report.predictions["threshold"], report.predictions["gradient_descent_threshold"])
    result = evaluate_checks([check], {**report.predictions, "threshold": wrong}, report.measurements, "quick")[0]
    assert result.status == "fail"
    assert evaluate_checks([check], report.predictions, report.measurements, "quick")[0].status == "pass"


def test_chains_above_the_threshold_grow_and_below_it_decay():
    report = quick_report("sgd_linear_stability")
    steps = report.params["steps"]
    measured = np.asarray(report.check("mean-square trajectory").measured)
    below, above = measured[:steps], measured[2 * steps:]
    assert below[-1] < below[0] and above[-1] > above[steps // 2]
