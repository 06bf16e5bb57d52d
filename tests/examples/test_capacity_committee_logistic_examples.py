"""The Cover, Gardner, Saad–Solla and Sur–Candès figures run end to end at a tiny size and
write their PNG."""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CASES = {
    "cover_capacity": ["--dims", "3,5", "--sets", "8"],
    "gardner_capacity": ["--size", "20", "--seeds", "2", "--cover-dims", "10,20"],
    "saad_solla_committee": ["--sizes", "40", "--runs", "2", "--t-max", "5", "--backend", "numpy"],
    "logistic_sur_candes": ["--n", "120", "--sets", "2", "--lp-n", "30", "--points", "3"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_writes_its_figure(name, tmp_path, monkeypatch):
    out = tmp_path / f"{name}.png"
    monkeypatch.setattr(sys, "argv", [name, *CASES[name], "--out", str(out)])
    runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")
    assert out.stat().st_size > 10_000
