"""Negative controls of the batch-Hessian claims: the wrong formulas the science note names are
rejected, on the ``quick`` preset's own measurements (re-evaluated, never re-simulated)."""

import numpy as np

from compare.testing import quick_report
from theory.hessian_batch import additive_model_top_eigenvalue

from .claim_runs import evaluate_named


def evaluate(name, check_name, **replaced):
    return evaluate_named(quick_report(name), check_name, **replaced)


def test_additive_rate_is_not_linear_below_the_threshold():
    """Errata to note §4: below B* the per-step rate grows like √B; the linear rule (slope 1) fails."""
    assert evaluate("batch_hessian_additive", "learning-rate exponent").status == "pass"
    assert evaluate("batch_hessian_additive", "learning-rate exponent", lr_exponent=1.0).status == "fail"


def test_additive_edge_needs_the_bulk_edge_not_the_outlier_formula():
    report = quick_report("batch_hessian_additive")
    p, beta = report.params["n_params"], report.params["spike"]
    b = np.asarray(report.predictions["batch_size"])
    wrong = np.maximum(beta + p / (b * beta), beta)        # the outlier branch used where it does not exist
    assert evaluate("batch_hessian_additive", "edge regime", top_eigenvalue=wrong).status == "fail"


def test_least_squares_rejects_the_additive_model():
    """Note §2: the isotropic additive formula (θ = ℓ − 1, σ² = 1) underestimates the Wishart excess by ℓ."""
    report = quick_report("batch_hessian_least_squares")
    p, ell = report.params["n_params"], report.params["spike"]
    b = np.asarray(report.predictions["batch_size"])
    wrong = additive_model_top_eigenvalue(ell - 1.0, p, b) - (ell - 1.0)
    assert evaluate("batch_hessian_least_squares", "outlier excess", excess=wrong).status == "fail"


def test_learning_rate_rejects_the_per_step_rule_and_swapped_exponents():
    """Note §4: 2/E λ₁(H_B) is not SGD's threshold (conservative by up to ~40%); slopes 1 and ½ are not swappable."""
    report = quick_report("batch_learning_rate")
    from compare.claims.batch_learning_rate import _setup
    from simulate.sgd_stability import batch_masks

    _, exp = _setup(report.params)
    x, rng = exp["x"], np.random.default_rng(0)
    per_step = []
    for b in report.predictions["batch_size"].astype(int):
        tops = [np.linalg.eigvalsh(x[np.flatnonzero(m)].T @ x[np.flatnonzero(m)] / b)[-1]
                for m in batch_masks(len(x), b, 50, rng)]
        per_step.append(2.0 / np.mean(tops))
    assert evaluate("batch_learning_rate", "SGD threshold", sgd_threshold=np.array(per_step)).status == "fail"
    assert evaluate("batch_learning_rate", "SGD exponent", sgd_exponent=0.5).status == "fail"
    assert evaluate("batch_learning_rate", "frozen-Adam exponent", adam_exponent=1.0).status == "fail"


def test_excess_rejects_the_with_replacement_factor():
    """Sampling without replacement: p = (N − B)/(B(N − 1)), not 1/B (1.03–1.11× at the quick batch sizes)."""
    report = quick_report("batch_hessian_excess")
    b = np.asarray(report.predictions["batch_size"])
    factor = np.asarray(report.predictions["sampling_factor"])
    wrong = np.asarray(report.predictions["excess_logistic"]) / factor / b
    assert evaluate("batch_hessian_excess", "excess, logistic", excess_logistic=wrong).status == "fail"
