"""Claim ``zeroth_order_spsa``: the note's negative controls fail, the figure script runs."""

import functools

import numpy as np
import pytest

from theory.zeroth_order import spsa_second_moment_ratio

from .claim_runs import check_named, measure_claim, run_example


@functools.cache
def quick():
    return measure_claim("zeroth_order_spsa")


def test_correct_predictions_pass_at_quick():
    claim, params, predictions, ms = quick()
    assert all(c.evaluate(predictions, ms).passed for c in claim.checks(params))


def test_sphere_constant_for_gaussian_directions_is_rejected():
    """(d + K − 1)/K predicted for Gaussian directions: off by 2/K, rejected at d = 4."""
    claim, params, predictions, ms = quick()
    wrong = {**predictions, "second_moment_ratio": spsa_second_moment_ratio(params["dim"], predictions["n_directions"],
                                                                            "sphere")}
    result = check_named(claim, params, "second moment").evaluate(wrong, ms)
    assert not result.passed and result.deviation > 3


def test_unsmoothed_gradient_is_rejected():
    """E ĝ compared with ∇L instead of ∇L_ε at ε = 0.5 (Stein's lemma gives the smoothed one)."""
    claim, params, predictions, ms = quick()
    wrong = {**predictions, "smoothed_gradient": predictions["gradient"]}
    result = check_named(claim, params, "Stein: E ĝ = ∇L_ε").evaluate(wrong, ms)
    assert not result.passed and result.deviation > 3


def test_gradient_descent_step_limit_is_not_the_critical_step():
    """GD's 2/λ_max is 4× the zeroth-order critical step at d = 4: rejected."""
    claim, params, predictions, ms = quick()
    wrong = {**predictions, "critical_step": np.full_like(predictions["critical_step"], predictions["gd_step_limit"])}
    assert not check_named(claim, params, "critical step").evaluate(wrong, ms).passed


@pytest.mark.parametrize("distribution", ["sphere", "rademacher"])
def test_other_direction_laws_pass(distribution):
    claim, params, predictions, ms = measure_claim("zeroth_order_spsa", values={"distribution": distribution,
                                                                              "max_directions": 4}, seeds=5)
    assert all(c.evaluate(predictions, ms).passed for c in claim.checks(params))


def test_example_writes_its_figure(tmp_path):
    out = tmp_path / "spsa.png"
    run_example("zeroth_order_spsa.py", "--out", str(out), "--draws", "200")
    assert out.stat().st_size > 10_000
