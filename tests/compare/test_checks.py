"""Each check type passes under its null and fails under a shifted prediction (power)."""

import numpy as np
import pytest

from compare.checks import (CurveAgreement, DistributionAgreement, FiniteSizeExtrapolation,
                            ScalarAgreement, ScalingLaw, ThresholdLocation)
from compare.measurements import Measurements

RNG = np.random.default_rng(12345)


def make(sizes, seeds, fn, grid=None):
    n_grid = 1 if grid is None else len(grid)
    table = {(g, n, s): fn(g, n, s) for g in range(n_grid) for n in sizes for s in range(seeds)}
    return Measurements(tuple(sizes), seeds, grid, table)


def test_scalar_agreement_null_passes_shift_fails_and_reports_power():
    ms = make([100], 20, lambda g, n, s: {"m": 1.0 + 0.1 * RNG.standard_normal()})
    check = ScalarAgreement("m", reason="t × SE")
    ok = check.evaluate({"m": 1.0}, ms)
    assert ok.passed and 0 < ok.min_detectable < 0.2
    assert not check.evaluate({"m": 1.0}, ms, perturb=1.0 + 3 * ok.min_detectable).passed
    record = ok.to_json()
    for key in ("name", "quantity", "predicted", "measured", "stderr", "tolerance",
                "tolerance_reason", "deviation", "passed", "min_detectable"):
        assert key in record


def test_scalar_floor_is_added_to_tolerance():
    ms = make([100], 5, lambda g, n, s: {"m": 1.0 + 1e-3 * s})
    bare = ScalarAgreement("m", reason="r").evaluate({"m": 1.0}, ms)
    floored = ScalarAgreement("m", reason="r", floor=0.05).evaluate({"m": 1.0}, ms)
    assert np.isclose(floored.tolerance, bare.tolerance + 0.05)


def test_curve_agreement_bonferroni_and_mask():
    grid = (1.0, 2.0, 3.0, 4.0)
    ms = make([50], 15, lambda g, n, s: {"y": grid[g] ** 2 + 0.05 * RNG.standard_normal()}, grid=grid)
    pred = {"y": np.array(grid) ** 2, "x": np.array(grid)}
    check = CurveAgreement("y", x="x", reason="r")
    assert check.evaluate(pred, ms).passed
    wrong = dict(pred, y=pred["y"] + np.array([0, 0, 0, 1.0]))
    assert not check.evaluate(wrong, ms).passed
    wrong["keep"] = np.array([True, True, True, False])
    masked = CurveAgreement("y", x="x", where="keep", reason="r").evaluate(wrong, ms)
    assert masked.passed and masked.details["compared"].sum() == 3


def test_a_floor_for_a_bias_above_is_granted_above_only():
    """Measurements 0.04 above the truth with a floor 0.05 for that bias: a theory 0.08 too
    high is caught only when the floor is one-signed; one 0.12 too low fails either way."""
    grid = (1.0, 2.0, 3.0)
    ms = make([50], 16, lambda g, n, s: {"y": grid[g] + 0.04 + 0.002 * RNG.standard_normal()}, grid=grid)
    truth = {"y": np.array(grid), "x": np.array(grid)}
    both = CurveAgreement("y", x="x", floor=0.05, reason="r")
    above = CurveAgreement("y", x="x", floor=0.05, bias_above=True, reason="r")
    assert both.evaluate(truth, ms).status == above.evaluate(truth, ms).status == "pass"
    too_high = dict(truth, y=truth["y"] + 0.08)
    assert both.evaluate(too_high, ms).status == "pass"
    result = above.evaluate(too_high, ms)
    assert result.status == "fail"
    assert np.all(result.details["tolerance_below"] < result.tolerance - 0.049)
    assert above.evaluate(dict(truth, y=truth["y"] - 0.12), ms).status == "fail"


def test_two_dimensional_curves_and_extrapolations_with_a_mask():
    """A curve may be a table (modes × times): the mask and the floors broadcast to its shape."""
    truth = np.arange(1.0, 7.0).reshape(2, 3)
    ms = make([50, 100], 12, lambda g, n, s: {"y": truth * (1 + 1 / n) + 0.01 * RNG.standard_normal((2, 3))})
    pred = {"y": truth, "keep": np.array([[True, True, False], [True, True, True]]),
            "floor": 0.05 * truth}
    curve = CurveAgreement("y", floor="floor", where="keep", reason="r").evaluate(pred, ms)
    assert curve.status == "pass" and 0 < curve.min_detectable < 0.1
    fit = FiniteSizeExtrapolation("y", where="keep", reason="r")
    assert fit.evaluate(pred, ms).status == "pass"
    assert fit.evaluate(dict(pred, y=truth * 1.2), ms).status == "fail"


def test_distribution_agreement_uses_spacing_floor():
    levels = np.linspace(0.1, 0.9, 9)
    from scipy import stats
    true_q = stats.norm.ppf(levels)

    def measure(g, n, s):
        sample = np.sort(RNG.standard_normal(n))
        return {"q": np.quantile(sample, levels, method="hazen")}

    ms = make([400], 20, measure)
    pred = {"q": true_q, "levels": levels, "dens": stats.norm.pdf(true_q)}
    check = DistributionAgreement("q", x="levels", density="dens", reason="r")
    result = check.evaluate(pred, ms)
    assert result.passed
    assert np.all(np.asarray(result.tolerance) >= 1 / (400 * pred["dens"]) - 1e-12)
    assert not check.evaluate(dict(pred, q=true_q + 0.3), ms).passed


def test_extrapolation_recovers_intercept():
    sizes = [50, 100, 200, 400]
    ms = make(sizes, 30, lambda g, n, s: {"y": 2.0 - 3.0 / n + 0.3 / n * RNG.standard_normal()})
    check = FiniteSizeExtrapolation("y", exponent=1.0, reason="r")
    result = check.evaluate({"y": 2.0}, ms)
    assert result.passed and abs(result.details["slope"] + 3.0) < 0.5
    assert not check.evaluate({"y": 2.0}, ms, perturb=1.01).passed


def test_extrapolation_of_a_one_point_curve():
    """A curve of one point (e.g. one grid value) is extrapolated, not an error."""
    ms = make([50, 100, 200], 20, lambda g, n, s: {"y": [2.0 - 3.0 / n + 0.3 / n * RNG.standard_normal()]})
    result = FiniteSizeExtrapolation("y", exponent=1.0, reason="r").evaluate({"y": [2.0]}, ms)
    assert result.status == "pass"


def test_scaling_law_detects_wrong_exponent():
    sizes = [16, 64, 256, 1024]
    ms = make(sizes, 40, lambda g, n, s: {"m": RNG.standard_normal(n).mean()})
    check = ScalingLaw("e", source="m", statistic="sd", reason="r")
    assert check.evaluate({"e": -0.5}, ms).passed
    assert not check.evaluate({"e": -1.0}, ms).passed


def test_threshold_location_interpolates_crossing():
    grid = tuple(np.round(np.arange(0.1, 0.61, 0.05), 3))
    x0 = 0.375

    def measure(g, n, s):
        x = grid[g]
        value = max(1e-4, 0.5 * (x0 - x)) if x < x0 else 1e-4
        return {"mse": value * np.exp(0.05 * RNG.standard_normal())}

    ms = make([100], 10, measure, grid=grid)
    check = ThresholdLocation("alpha_pr", x="alpha", level=1e-2, curve="mse", floor=0.025, reason="r")
    pred = {"alpha_pr": x0, "alpha": np.array(grid)}
    result = check.evaluate(pred, ms)
    assert result.passed and abs(result.measured - x0) < 0.05
    assert not check.evaluate(dict(pred, alpha_pr=0.5), ms).passed


@pytest.mark.parametrize("check", [
    ScalarAgreement("m", reason="r"),
    FiniteSizeExtrapolation("m", reason="r"),
])
def test_nan_measurement_fails_not_passes(check):
    ms = make([10, 20], 4, lambda g, n, s: {"m": np.nan})
    assert not check.evaluate({"m": 1.0}, ms).passed
