"""ufm_neural_collapse: the science note's negative controls are rejected by the claim's own
checks on its quick measurements; a run stopped by its step cap measures NaN."""

import math

import numpy as np
import pytest

from compare.claims.ufm_neural_collapse import UFMNeuralCollapse as UFM

from compare.runner import run_claim
from compare.testing import quick_report


@pytest.fixture(scope="module")
def quick():
    report = quick_report(UFM.name)
    return report.params, report.predictions, report.measurements


def check_named(params, name):
    return {check.name: check for check in UFM().checks(params)}[name]


def test_dropped_n_is_rejected(quick):
    """c = 1 − K√(λ_Wλ_H), without the √n (note §3), fails the headline check."""
    params, pred, ms = quick
    check = check_named(params, UFM.headline)
    dropped = 1 - params["n_classes"] * np.sqrt(params["weight_decay_w"] * np.asarray(params["weight_decay_h"]))
    assert check.evaluate(pred, ms).passed
    assert not check.evaluate(dict(pred, c=dropped), ms).passed


def test_orthogonal_frame_with_a_bias_is_rejected(quick):
    params, pred, ms = quick
    assert params["bias"]
    check = check_named(params, "simplex ETF of class means")
    assert check.evaluate(pred, ms).passed
    assert not check.evaluate(dict(pred, class_mean_offdiag=0 * pred["class_mean_offdiag"]), ms).passed


def test_simplex_without_a_bias_is_rejected():
    report = run_claim(UFM.name, preset="quick", values={"bias": False}, workers=1, cache=False)
    params, pred, ms = report.params, report.predictions, report.measurements
    check = check_named(params, "orthogonal class means")
    simplex = UFM().predict(dict(params, bias=True))["class_mean_offdiag"]
    assert check.evaluate(pred, ms).passed
    assert not check.evaluate(dict(pred, class_mean_offdiag=simplex), ms).passed


def test_a_run_stopped_by_its_cap_measures_nan():
    params = UFM.resolve_params("quick") | {"weight_decay_h": 0.01, "max_steps": 10}
    out = UFM().measure(params, 6, np.random.default_rng(0), "numpy")
    assert set(out) == {"c", "w_norm2", "h_norm2", "objective", "class_mean_offdiag", "within_class",
                        "fit_residual"}
    assert all(math.isnan(v) for v in out.values())
