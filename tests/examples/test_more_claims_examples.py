"""The examples of zeroth_order_spsa, nngp_ntk_relu and cbo_consensus run end to end at a tiny
size and write their PNG."""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name,args", [
    ("zeroth_order_spsa", ["--draws", "200"]),
    ("nngp_ntk_relu", ["--nets", "40", "--widths", "8,32"]),
    ("cbo_consensus", ["--samples", "500", "--particles", "200", "--dt", "0.04"]),
])
def test_example_writes_its_figure(name, args, tmp_path, monkeypatch):
    out = tmp_path / f"{name}.png"
    monkeypatch.setattr(sys, "argv", [name, "--out", str(out), *args])
    runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")
    assert out.stat().st_size > 10_000
