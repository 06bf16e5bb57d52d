"""One generic suite over every registered claim (built-in and plug-in), in the spirit of
scipy.stats' tests over all distributions: adding a claim adds these tests.

* the ``quick`` preset passes;
* a deliberately wrong theory — every checked prediction multiplied by the claim's
  ``power_perturb`` (1.02 unless the claim states a wider, empirical tolerance) — fails at
  the ``standard`` preset (negative control: a check that cannot fail says nothing);
* the JSON report has every ``verify-report/1`` key;
* bad input exits 2 with one line, through the real command.
"""

import functools
import json
import subprocess
import sys

import pytest

from compare.registry import registry
from compare.report import CHECK_KEYS
from compare.runner import run_claim

CLAIMS = sorted(name for name in registry() if not name.startswith("toy_"))
REPORT_KEYS = {"schema", "claim", "title", "reference", "verdict", "preset", "params", "sizes", "seeds",
               "root_seed", "backend", "perturb", "checks", "predictions", "run"}


@functools.cache
def quick_report(name):
    return run_claim(name, preset="quick", workers=1, cache=False)


@pytest.mark.parametrize("name", CLAIMS)
def test_quick_preset_passes(name):
    report = quick_report(name)
    failed = [(c.name, round(c.deviation, 2)) for c in report.checks if not c.passed]
    assert report.verdict == "pass", failed
    assert report.checks, "a claim without checks verifies nothing"


@pytest.mark.slow
@pytest.mark.parametrize("name", CLAIMS)
def test_perturbed_theory_fails_at_standard(name):
    """Negative control: --perturb power_perturb at the standard preset must fail."""
    cls = registry()[name]
    report = run_claim(name, preset="standard", perturb=cls.power_perturb, workers=2, cache=False)
    assert report.verdict == "fail"
    assert report.exit_code == 1


@pytest.mark.parametrize("name", CLAIMS)
def test_json_report_is_complete(name):
    data = json.loads(quick_report(name).to_json())
    assert REPORT_KEYS <= set(data)
    assert data["schema"] == "verify-report/1"
    for check in data["checks"]:
        assert set(CHECK_KEYS) <= set(check)
    assert {"wall_time_s", "executor", "workers", "cache", "versions"} <= set(data["run"])


@pytest.mark.parametrize("name", CLAIMS)
def test_bad_input_exits_2_with_one_line(name):
    first = registry()[name].params[0]
    bad = {"float": "1e9", "int": "-5", "floats": "1e9", "str": "no-such-choice", "bool": "maybe"}[first.kind]
    for args in (["--set", f"{first.name}={bad}"], ["--set", "no_such_parameter=1"],
                 ["--set", f"{first.name}=__import__('os').getcwd()"], ["--seeds", "0"]):
        proc = subprocess.run([sys.executable, "-m", "compare", "--claim", name, "--preset", "quick",
                               "--no-cache", *args], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
