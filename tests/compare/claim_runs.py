"""Helpers for the tests of single claims: re-evaluate one check against other predictions on
the measurements of a finished run, or rerun a claim with a wrong theory on stored
measurements (a negative control never re-simulates)."""

from __future__ import annotations

from compare.registry import get_claim
from compare.runner import evaluate_checks, run_claim


def evaluate_named(report, name: str, predictions=None, **replaced):
    """The check ``name`` of ``report``'s claim, re-evaluated on its measurements.

    Against ``predictions`` (default: the report's own) with the quantities in ``replaced``
    swapped for the given values: ``evaluate_named(report, "threshold", threshold=wrong)``.
    """
    check = next(c for c in get_claim(report.claim)().checks(report.params) if c.name == name)
    predictions = {**(report.predictions if predictions is None else predictions), **replaced}
    return evaluate_checks([check], predictions, report.measurements, report.preset)[0]



def stored_quick_run(name: str, store, **values):
    """The claim's ``quick`` run (parameters ``values``), its measurements kept in ``store``; it must pass."""
    report = run_claim(name, preset="quick", values=values, workers=1, cache=str(store))
    assert report.verdict == "pass"
    return report


def rerun_with_theory(claim_cls, predict, monkeypatch, store, **values):
    """The same ``quick`` run with ``predict`` as the claim's theory, on the measurements in ``store``.

    Returns the report and ``{check name: passed}``; no job is simulated again.
    """
    monkeypatch.setattr(claim_cls, "predict", predict)
    report = run_claim(claim_cls.name, preset="quick", values=values, workers=1, cache=str(store))
    assert report.run["cache"]["misses"] == 0
    return report, {c.name: c.passed for c in report.checks}
