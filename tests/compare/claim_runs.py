"""Helpers for the tests of single claims: re-evaluate one check against other predictions on
the measurements of a finished run, and run a figure script in this process."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from compare.registry import get_claim
from compare.runner import evaluate_checks


def evaluate_named(report, name: str, predictions):
    """The check ``name`` of ``report``'s claim, re-evaluated on its measurements with ``predictions``."""
    check = next(c for c in get_claim(report.claim)().checks(report.params) if c.name == name)
    return evaluate_checks([check], predictions, report.measurements, report.preset)[0]


def run_example(script: str, *args: str) -> None:
    """Run ``examples/<script>`` in this process (no interpreter start-up) with ``args`` as argv."""
    path = Path(__file__).resolve().parents[2] / "examples" / script
    saved = sys.argv
    sys.argv = [str(path), *args]
    try:
        runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = saved
