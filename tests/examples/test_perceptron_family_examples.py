"""The examples of perceptron_teacher_student and lasso_amp run end to end at a tiny size and
write their PNG."""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name,args", [
    ("perceptron_teacher_student", ["--d", "100", "--seeds", "2", "--alphas", "1,2", "--n-iter", "15"]),
    ("lasso_amp", ["--N", "200", "--seeds", "2", "--n-iter", "8"]),
])
def test_example_writes_its_figure(name, args, tmp_path, monkeypatch):
    out = tmp_path / f"{name}.png"
    monkeypatch.setenv("VERIFY_CACHE", str(tmp_path / "results.sqlite"))
    monkeypatch.setattr(sys, "argv", [name, "--out", str(out), "--workers", "1", *args])
    runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")
    assert out.stat().st_size > 10_000
