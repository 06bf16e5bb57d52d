"""Helper for the tests of single claims: re-evaluate one check against other predictions on
the measurements of a finished run (a negative control never re-simulates)."""

from __future__ import annotations

from compare.registry import get_claim
from compare.runner import evaluate_checks


def evaluate_named(report, name: str, predictions=None, **replaced):
    """The check ``name`` of ``report``'s claim, re-evaluated on its measurements.

    Against ``predictions`` (default: the report's own) with the quantities in ``replaced``
    swapped for the given values: ``evaluate_named(report, "threshold", threshold=wrong)``.
    """
    check = next(c for c in get_claim(report.claim)().checks(report.params) if c.name == name)
    predictions = {**(report.predictions if predictions is None else predictions), **replaced}
    return evaluate_checks([check], predictions, report.measurements, report.preset)[0]

