"""The deep-linear, Advani–Saxe and ridge examples run at a tiny size and write their PNG."""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("script, args", [
    ("saxe_deep_linear.py", ["--hidden", "8", "--width", "6", "--max-depth", "4", "--max-steps", "150",
                             "--repeats", "1", "--eta", "5e-3", "--backend", "numpy"]),
    ("advani_saxe.py", ["--size", "20", "--seeds", "2"]),
    ("ridge_replica.py", ["--size", "30", "--seeds", "2"]),
])
def test_example_writes_its_figure(script, args, tmp_path, monkeypatch):
    out = tmp_path / script.replace(".py", ".png")
    monkeypatch.setattr(sys, "argv", [script, "--out", str(out), *args])
    runpy.run_path(str(EXAMPLES / script), run_name="__main__")
    assert out.stat().st_size > 10_000
