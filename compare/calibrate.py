"""Empirical calibration of a claim's checks: false failures and power over root seeds.

``verify --claim NAME --calibrate R`` runs the claim with ``R`` independent root seeds
(``ROOT + 1 … ROOT + R``, so never the default run's own seed) through the usual store
and executor (a cluster runs it with ``--scheduler``), and re-evaluates every check on
each run's measurements:

* at the true theory: the **false-failure rate**, which a calibrated check keeps at or
  below its level (family-wise ``alpha = 1e-3`` per check);
* with that check's prediction alone scaled by ``1 + effect`` and by ``1 − effect``
  (its declared effect at this preset): the **empirical power**, which is at least 80%
  when ``min_detectable ≤ effect`` holds.

Each rate comes with its exact (Clopper–Pearson) 95% binomial interval. Perturbing
re-evaluates the checks on the same measurements; nothing is simulated twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scipy import special

from .runner import evaluate_checks, run_claim


@dataclass
class CheckCalibration:
    """Counts over the calibration runs for one check."""

    name: str
    effect: float | None
    consistency: str
    runs: int = 0
    false_failures: int = 0
    errors: int = 0
    detected_up: int = 0
    detected_down: int = 0
    min_detectable: list = field(default_factory=list)


def binomial_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval for a binomial proportion ``k/n``."""
    tail = (1.0 - level) / 2.0
    low = 0.0 if k == 0 else float(special.betaincinv(k, n - k + 1, tail))
    high = 1.0 if k == n else float(special.betaincinv(k + 1, n - k, 1.0 - tail))
    return low, high


def calibrate(name: str, runs: int, *, root_seed: int = 0, **run_options) -> list[CheckCalibration]:
    """Run ``name`` over ``runs`` root seeds and count false failures and detections per check."""
    preset = run_options.get("preset", "standard")
    table: dict[str, CheckCalibration] = {}
    for k in range(1, runs + 1):
        report = run_claim(name, root_seed=root_seed + k, **run_options)
        checks = _checks_of(name, report.params)
        for check, result in zip(checks, report.checks):
            row = table.setdefault(check.name, CheckCalibration(check.name, result.effect, check.consistency))
            row.runs += 1
            row.errors += result.status == "error"
            row.false_failures += result.status == "fail"
            row.min_detectable.append(result.min_detectable)
            if result.effect is None:
                continue
            for factor, attr in ((1.0 + result.effect, "detected_up"), (1.0 - result.effect, "detected_down")):
                moved = evaluate_checks([check], report.predictions, report.measurements, preset, factor)[0]
                setattr(row, attr, getattr(row, attr) + (moved.status == "fail"))
    return list(table.values())


def _checks_of(name: str, params):
    from .registry import get_claim
    return get_claim(name)().checks(params)


def render_calibration(name: str, rows: list[CheckCalibration], preset: str) -> str:
    """The calibration table as text, with 95% intervals."""
    def rate(k: int, n: int) -> str:
        low, high = binomial_interval(k, n)
        return f"{k}/{n} [{100 * low:.0f}–{100 * high:.0f}%]"

    lines = [f"calibration of {name} at preset {preset}: each rate with its 95% Clopper–Pearson interval",
             f"  {'check':28s} {'must detect':12s} {'false failures':18s} {'errors':7s} "
             f"{'power at +effect':20s} {'power at −effect':20s}"]
    for row in rows:
        declared = "consistency" if row.consistency else ("undeclared" if row.effect is None
                                                           else f"{100 * row.effect:.2g}%")
        up = "—" if row.effect is None else rate(row.detected_up, row.runs)
        down = "—" if row.effect is None else rate(row.detected_down, row.runs)
        lines.append(f"  {row.name:28s} {declared:12s} {rate(row.false_failures, row.runs):18s} "
                     f"{row.errors:<7d} {up:20s} {down:20s}")
    lines.append("  a calibrated check fails a correct theory at most at its level (1e-3 per check) "
                 "and detects its declared effect in at least 80% of runs")
    return "\n".join(lines) + "\n"
