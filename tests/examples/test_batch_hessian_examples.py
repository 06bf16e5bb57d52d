"""The batch-Hessian and SGD-stability examples run end to end at a tiny size and write their PNG."""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CASES = {
    "batch_hessian_additive": ["--size", "200", "--matrices", "4", "--seeds", "2"],
    "batch_hessian_least_squares": ["--size", "200", "--batches", "4", "--seeds", "2"],
    "batch_learning_rate": ["--n-params", "8", "--n-data", "40", "--chains", "40", "--seeds", "2"],
    "batch_hessian_excess": ["--batches", "4", "--seeds", "2"],
    "sgd_linear_stability": ["--chains", "200", "--seeds", "2"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_writes_its_figure(name, tmp_path, monkeypatch):
    out = tmp_path / f"{name}.png"
    monkeypatch.setenv("VERIFY_CACHE", str(tmp_path / "store.sqlite"))
    monkeypatch.setattr(sys, "argv", [name, *CASES[name], "--workers", "1", "--out", str(out)])
    runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")
    assert out.stat().st_size > 10_000
