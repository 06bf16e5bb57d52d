"""The Fig. 2 (gamp_rie) and Fig. 4 (quadratic_net_gd) examples: computed at a tiny size, and
drawn from the JSON report of a tiny ``verify --json`` run (the way a paper run is drawn)."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _run_example(name, args, out, monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    monkeypatch.setattr(sys, "argv", [name, "--out", str(out), *args])
    runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")
    assert out.stat().st_size > 10_000


@pytest.mark.parametrize("name,args", [
    ("gamp_rie_vs_theory", ["--sizes", "20,24", "--seeds", "2", "--step", "0.2", "--workers", "1"]),
    ("quadratic_net_gd", ["--sizes", "12", "--seeds", "2", "--inits", "2", "--alphas", "0.1,0.2",
                          "--workers", "1"]),
])
def test_example_computes_and_writes_its_figure(name, args, tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFY_CACHE", str(tmp_path / "store.sqlite"))
    _run_example(name, args, tmp_path / f"{name}.png", monkeypatch)


@pytest.mark.parametrize("name,claim,verify_args", [
    ("gamp_rie_vs_theory", "gamp_rie", ["--set", "alpha=0.2,0.3", "--sizes", "20,24"]),
    ("quadratic_net_gd", "quadratic_net_gd", ["--set", "alpha=0.1,0.2", "--set", "inits=2", "--sizes", "12"]),
])
def test_example_draws_from_a_verify_json_report(name, claim, verify_args, tmp_path, monkeypatch):
    report = tmp_path / "report.json"
    subprocess.run([sys.executable, "-m", "compare", "--claim", claim, "--preset", "paper", *verify_args,
                    "--seeds", "2", "--workers", "1", "--no-cache", "--quiet", "--json", str(report)],
                   check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _run_example(name, ["--report", str(report)], tmp_path / f"{name}.png", monkeypatch)


def test_gamp_example_rejects_another_claims_report(tmp_path, monkeypatch):
    report = tmp_path / "report.json"
    report.write_text('{"claim": "semicircle", "params": {}, "checks": []}')
    with pytest.raises(SystemExit, match="not gamp_rie"):
        _run_example("gamp_rie_vs_theory", ["--report", str(report)], tmp_path / "x.png", monkeypatch)
