"""Run every benchmark and write ``benchmarks/results/ratios.md`` (and figures beside it).

Usage: ``python -m benchmarks [--only spectra,theory,...]`` (``make bench``). Times are
best-of-several after warm-up; only ratios measured in this one run are meaningful.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
from pathlib import Path

GROUPS = ("spectra", "theory_curves", "gamp_iteration", "backends", "sweeps", "deep_linear", "wide_networks",
          "batch_hessian", "committee_sgd")
RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(GROUPS))
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    rows, notes = [], []
    for group in args.only.split(","):
        module = importlib.import_module(f"benchmarks.{group}")
        print(f"[{group}] running ...", flush=True)
        got = module.rows()
        rows.extend(got)
        notes.extend(getattr(module, "NOTES", []))
        for row in got:
            print(f"  {row.what}: {row.ratio:.3g} × {row.baseline}", flush=True)
    lines = [f"# Benchmark ratios ({platform.machine()}, {os.cpu_count()} cores, "
             f"python {platform.python_version()})", "",
             "| group | ours | baseline | ours (s) | baseline (s) | ratio | goal |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {r.group} | {r.what} | {r.baseline} | {r.ours_s:.4g} | {r.baseline_s:.4g} | "
              f"**{r.ratio:.3g}** | {r.goal} |" for r in rows]
    if notes:
        lines += ["", *notes]
    (RESULTS / "ratios.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {RESULTS / 'ratios.md'}")


if __name__ == "__main__":
    main()
