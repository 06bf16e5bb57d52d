"""Honest verdicts: power per check, the ``error`` verdict, contracts checked early,
source-keyed store keys, the claim test kit and calibration."""

import json
import shutil
import sys
import textwrap

import numpy as np
import pytest

from compare.checks import CurveAgreement, FiniteSizeExtrapolation, ScalarAgreement, Z_POWER
from compare.claim import Claim
from compare.errors import ClaimDefinitionError, RunFailed, UsageError
from compare.measurements import Measurements
from compare.params import Param, Preset
from compare.registry import register
from compare.runner import run_claim
from compare.testing import check_claim, power_failures

from . import toy_claims  # noqa: F401  (registers the toy claims)

PRESETS = {name: Preset(sizes=(16, 32), seeds=4) for name in ("quick", "standard", "paper")}


def make(sizes, seeds, fn, grid=None):
    n_grid = 1 if grid is None else len(grid)
    table = {(g, n, s): fn(g, n, s) for g in range(n_grid) for n in sizes for s in range(seeds)}
    return Measurements(tuple(sizes), seeds, grid, table)


def test_min_detectable_is_the_80_percent_power_shift():
    rng = np.random.default_rng(1)
    ms = make([100], 20, lambda g, n, s: {"m": 1.0 + 0.1 * rng.standard_normal()})
    result = ScalarAgreement("m", reason="r").evaluate({"m": 1.0}, ms)
    assert result.min_detectable == pytest.approx((result.tolerance + Z_POWER * result.stderr) / 1.0)


def test_one_sided_check_fails_only_on_its_side():
    ms = make([100], 10, lambda g, n, s: {"m": 0.5 + 0.01 * s})
    upper = ScalarAgreement("m", reason="bound", side="upper", consistency="an upper bound")
    assert upper.evaluate({"m": 1.0}, ms).status == "pass"      # far below the bound
    assert upper.evaluate({"m": 0.3}, ms).status == "fail"      # above it
    lower = ScalarAgreement("m", reason="bound", side="lower", consistency="a lower bound")
    assert lower.evaluate({"m": 0.3}, ms).status == "pass"
    with pytest.raises(ValueError, match="side="):
        ScalarAgreement("m", reason="r", side="left")


@pytest.mark.parametrize("check, predictions", [
    (ScalarAgreement("m", reason="r"), {"m": 1.0}),
    (FiniteSizeExtrapolation("m", reason="r"), {"m": 1.0}),
])
def test_a_measurement_that_did_not_converge_is_an_error_not_a_pass(check, predictions):
    ms = make([10, 20], 4, lambda g, n, s: {"m": np.nan if s == 0 else 1.0})
    assert check.evaluate(predictions, ms).status == "error"


def test_a_curve_that_compares_nothing_or_has_an_infinite_tolerance_is_an_error():
    grid = (1.0, 2.0)
    ms = make([10], 4, lambda g, n, s: {"y": 1.0 + 0.01 * s}, grid=grid)
    pred = {"y": np.ones(2), "x": np.array(grid), "none": np.zeros(2, bool), "inf": np.array([0.0, np.inf])}
    assert CurveAgreement("y", x="x", where="none", reason="r").evaluate(pred, ms).status == "error"
    assert CurveAgreement("y", x="x", floor="inf", reason="r").evaluate(pred, ms).status == "error"


class _NoChecks(Claim):
    name = "toy_no_checks"
    title = "A claim that checks nothing"
    reference = "test"
    headline = "none"
    params = (Param("mu", "float", 0.0, "mean", low=-1.0, high=1.0),)
    presets = PRESETS

    def predict(self, params):
        return {"m": 0.0}

    def measure(self, params, size, rng, backend):
        return {"m": float(rng.normal())}

    def checks(self, params):
        return []


register(_NoChecks)


def test_a_claim_without_checks_has_verdict_error_and_its_json_is_written(tmp_path):
    from compare.cli import main
    out = tmp_path / "r.json"
    assert main(["--claim", "toy_no_checks", "--no-cache", "--workers", "1", "--quiet",
                 "--json", str(out)]) == 3
    data = json.loads(out.read_text())
    assert data["verdict"] == "error" and data["checks"] == []


def test_predict_only_is_not_checked():
    report = run_claim("toy_normal_mean", preset="quick", predict_only=True, cache=False)
    assert report.verdict == "not-checked" and report.exit_code == 0


def test_one_size_for_an_extrapolating_check_is_refused_before_computing():
    with pytest.raises(UsageError, match="needs at least 2 distinct sizes"):
        run_claim("toy_normal_mean", sizes=[64], seeds=4, workers=1, cache=False)


def test_a_grid_with_no_compared_point_is_refused_before_computing():
    with pytest.raises(UsageError, match="compares no point"):
        run_claim("gamp_rie", preset="quick", overrides={"alpha": "0.05"}, workers=1, cache=False)


@pytest.mark.parametrize("attrs, fragment", [
    ({"name": "BadName"}, "snake_case"),
    ({"presets": {"quick": PRESETS["quick"]}}, "presets must be exactly"),
    ({"params": (Param("mu", "float", 5.0, "mean", low=-1.0, high=1.0),)}, "default of"),
    ({"presets": {**PRESETS, "quick": Preset(sizes=(32, 16), seeds=4)}}, "distinct increasing"),
    ({"headline": ""}, "headline"),
    ({"grid": "mu"}, "grid="),
])
def test_claim_contract_is_checked_when_the_class_is_defined(attrs, fragment):
    base = {"name": "toy_defined", "title": "t", "reference": "r", "headline": "h",
            "params": (Param("mu", "float", 0.0, "mean", low=-1.0, high=1.0),), "presets": PRESETS}
    with pytest.raises(ClaimDefinitionError, match=fragment):
        type("Broken", (Claim,), {**base, **attrs})


def test_grid_values_are_sorted_and_deduplicated():
    param = Param("a", "floats", (0.1,), "grid", low=0.0, high=1.0)
    assert param.parse("0.45,0.1,0.3,0.1") == (0.1, 0.3, 0.45)


def test_each_check_has_its_own_power_guarantee():
    report = run_claim("toy_normal_mean", preset="quick", workers=1, cache=False)
    assert power_failures(report, "quick") == []
    assert report.checks[0].effect == 0.3 and report.checks[2].consistency


def test_the_claim_test_kit_runs_on_a_claim():
    check_claim("toy_normal_curve")


def test_editing_a_claims_code_changes_its_store_key(tmp_path, monkeypatch):
    """A copy of a claim module, edited, gives other store keys: old results are never reused."""
    from compare.fingerprint import code_fingerprint
    from compare.sweep import expand_jobs
    package = tmp_path / "plugin_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.copy(toy_claims.__file__, package / "claims.py")
    monkeypatch.syspath_prepend(str(tmp_path))
    source = (package / "claims.py").read_text().replace('"toy_normal_mean"', '"toy_copy_mean"') \
        .replace('"toy_normal_curve"', '"toy_copy_curve"')
    (package / "claims.py").write_text(source)
    import importlib
    module = importlib.import_module("plugin_pkg.claims")
    cls = module.NormalMean
    before = {j.key for j in expand_jobs(cls, cls.resolve_params("quick"), [16], 2, 0, "numpy")}
    (package / "claims.py").write_text(source.replace("params[\"bias\"])", "params[\"bias\"] + 0.0)"))
    code_fingerprint.cache_clear()
    after = {j.key for j in expand_jobs(cls, cls.resolve_params("quick"), [16], 2, 0, "numpy")}
    assert before.isdisjoint(after)
    sys.modules.pop("plugin_pkg.claims", None)


def test_fingerprint_follows_theory_and_simulate_imports():
    from compare.fingerprint import _imports, _source_file
    found = _imports("compare.claims.gamp_rie", _source_file("compare.claims.gamp_rie"), "compare.claims")
    assert {"theory.gamp_rie", "simulate.gamp_rie"} <= found and "compare.checks" not in found


def test_broken_plugin_is_skipped_with_one_warning(monkeypatch, capsys):
    from compare import registry as reg

    class FakeEntryPoint:
        name, value = "broken", "nowhere:Nothing"

        def load(self):
            raise ImportError("No module named 'nowhere'")

    monkeypatch.setattr(reg, "entry_points", lambda group: [FakeEntryPoint()])
    table = reg._load_table()
    assert "semicircle" in table and "broken" not in table
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "plug-in claim broken" in err


def test_calibration_counts_false_failures_and_power(capsys):
    from compare.calibrate import binomial_interval, calibrate, render_calibration
    rows = calibrate("toy_normal_mean", 3, preset="quick", workers=1, cache=False)
    by_name = {r.name: r for r in rows}
    assert by_name["scalar:mean"].runs == 3 and by_name["scalar:mean"].false_failures == 0
    assert by_name["scalar:mean"].detected_up == 3          # a 30% shift of a mean of ~1 is obvious
    text = render_calibration("toy_normal_mean", rows, "quick")
    assert "false failures" in text and "3/3" in text
    low, high = binomial_interval(0, 20)
    assert low == 0.0 and high == pytest.approx(0.1684, abs=1e-4)


def test_unexpected_exception_is_one_line_exit_3(monkeypatch, capsys):
    from compare import cli

    def boom(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("compare.runner.run_claim", boom)
    assert cli.main(["--claim", "toy_normal_mean", "--no-cache"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ZeroDivisionError: boom" in err and "--debug" in err
