"""The examples of ufm_neural_collapse, overparam_matrix_factorization and derandomization_stein
run end to end at a tiny size and write their PNG."""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name,args", [
    ("ufm_neural_collapse", ["--points", "3", "--classes", "3", "--per-class", "3", "--dim", "4"]),
    ("overparam_matrix_factorization", ["--n", "10", "--steps", "2000", "--alphas", "0.1"]),
    ("derandomization_stein", ["--steps", "600", "--samples", "2000", "--seeds", "3"]),
])
def test_example_writes_its_figure(name, args, tmp_path, monkeypatch):
    out = tmp_path / f"{name}.png"
    monkeypatch.setattr(sys, "argv", [name, "--out", str(out), *args])
    runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")
    assert out.stat().st_size > 10_000
