"""``make power``: each check's power at the ``standard`` preset, shown on demand (not in CI).

For every claim (or those named on the command line) this runs the ``standard`` preset
once and, for each power check, re-evaluates it on the same measurements with its
prediction alone scaled by ``1 ± 1.5 × effect``: the check must fail both ways and have
``min_detectable ≤ effect``. Consistency checks are listed with their reason. The table
is printed and written as Markdown (``--out``, default ``docs/power.md``), with the
command that produced it.

    python -m compare.power [NAME ...] [--preset standard] [--workers N] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
import time

from .registry import get_claim, registry
from .runner import evaluate_checks, run_claim
from .testing import PERTURB_MULTIPLE


def power_rows(name: str, preset: str, workers: int | None, root_seed: int = 0) -> tuple[list, object]:
    report = run_claim(name, preset=preset, workers=workers, root_seed=root_seed, cache=None)
    rows = []
    for check, result in zip(get_claim(name)().checks(report.params), report.checks):
        effect = check.effect_at(preset)
        row = {"claim": name, "check": check.name, "headline": check.name == report.headline,
               "status": result.status, "min_detectable": result.min_detectable, "effect": effect,
               "consistency": check.consistency, "up": "", "down": "", "ok": True}
        if effect is not None:
            for key, factor in (("up", 1 + PERTURB_MULTIPLE * effect), ("down", 1 - PERTURB_MULTIPLE * effect)):
                moved = evaluate_checks([check], report.predictions, report.measurements, preset, factor)[0]
                row[key] = moved.status
            row["ok"] = result.min_detectable <= effect and row["up"] == row["down"] == "fail"
        rows.append(row)
    return rows, report


def render(rows: list[dict], command: str) -> str:
    out = ["# Power of every check at `standard`", "",
           f"Produced by `{command}` (one run per claim; each power check re-evaluated with its prediction "
           f"alone scaled by 1 ± {PERTURB_MULTIPLE} × its declared effect). `min det.` is the relative error "
           "of the theory detected with 80% power.", "",
           "| claim | check | min det. | must detect | × (1 + 1.5e) | × (1 − 1.5e) | holds |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        name = f"**{r['check']}** (headline)" if r["headline"] else r["check"]
        declared = "consistency" if r["consistency"] else f"{100 * r['effect']:.2g}%"
        out.append(f"| {r['claim']} | {name} | {100 * r['min_detectable']:.2g}% | {declared} | "
                   f"{r['up'] or '—'} | {r['down'] or '—'} | {'yes' if r['ok'] else '**no**'} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compare.power", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="claims (default: all)")
    parser.add_argument("--preset", default="standard")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", default="docs/power.md")
    args = parser.parse_args(argv)
    names = args.names or sorted(n for n in registry() if not n.startswith("toy_"))
    rows = []
    for name in names:
        started = time.perf_counter()
        claim_rows, report = power_rows(name, args.preset, args.workers)
        rows.extend(claim_rows)
        print(f"{name}: {report.verdict} in {time.perf_counter() - started:.0f} s; "
              + ", ".join(f"{r['check']} {100 * r['min_detectable']:.2g}%{'' if r['ok'] else ' (NOT MET)'}"
                          for r in claim_rows), flush=True)
    command = "make power" if not args.names else f"python -m compare.power {' '.join(args.names)}"
    text = render(rows, command)
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {args.out}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
