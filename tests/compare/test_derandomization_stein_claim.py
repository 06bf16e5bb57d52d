"""derandomization_stein: the identity without the bias Hessian is rejected; without weight decay
the off-subspace weights stay put and the weight-decay rate is rejected; the rate fit."""

import math

import numpy as np
import pytest

from compare.claims.derandomization_stein import LEARNING_RATE, DerandomizationStein as DS
from compare.claims.derandomization_stein import identity_instance, late_log_rate
from compare.measurements import Measurements
from theory.derandomization import weight_decay_log_rate

from compare.testing import quick_report


@pytest.fixture(scope="module")
def quick():
    report = quick_report(DS.name)
    return report.params, report.predictions, report.measurements


def check_named(params, name):
    return {check.name: check for check in DS().checks(params)}[name]


def test_identity_with_the_bias_hessian_replaced_by_the_identity_is_rejected(quick):
    """Note §5: ∇_W F = W (∇²_b F := I) is the wrong right-hand side."""
    params, pred, ms = quick
    check = check_named(params, DS.headline)
    W, _ = identity_instance(params)
    assert check.evaluate(pred, ms).passed
    assert not check.evaluate(dict(pred, stein_gradient=W.ravel()), ms).passed


def test_without_weight_decay_the_ignored_weights_stay_and_the_bound_is_rejected(quick):
    """Note §5 negative control: at λ = 0 the over-parameterised student keeps ‖w⊥‖ = O(1) (slope
    ≈ 0), so 'w⊥ → 0 at the weight-decay rate' of λ = 0.02 fails there."""
    params, pred, _ = quick
    free = dict(params, weight_decay=0.0)         # outside the declared range, on purpose
    table = {(0, 2000, s): DS().measure(free, 2000, np.random.default_rng(s), "numpy") for s in range(4)}
    rates = [m["w_perp_log_rate"] for m in table.values()]
    assert all(abs(r) < 0.01 * abs(pred["w_perp_log_rate"]) for r in rates)
    check = check_named(params, "w⊥ → 0 at least at the weight-decay rate")
    assert not check.evaluate(pred, Measurements((2000,), 4, None, table)).passed


def test_late_log_rate_fits_the_second_half_above_rounding():
    t = np.arange(3001)
    norms = 2.0 * np.exp(-0.01 * t)                # below 1e-10 of the start from t ≈ 2303
    assert late_log_rate(norms) == pytest.approx(-0.01, rel=1e-9)
    assert late_log_rate(np.r_[norms[:2303], np.full(698, 1e-300)]) == pytest.approx(-0.01, rel=1e-9)
    assert math.isnan(late_log_rate(np.exp(-5.0 * np.arange(20))))
    assert weight_decay_log_rate(0.02, LEARNING_RATE) == pytest.approx(math.log(1 - 0.004))
