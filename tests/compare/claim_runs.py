"""Measure a registered claim in-process once, then evaluate its checks against other predictions.

Negative controls of single claims (a wrong formula must be rejected) reuse one set of
measurements instead of re-running the simulation for every wrong prediction.
"""

from __future__ import annotations

from compare.measurements import Measurements
from compare.registry import get_claim
from compare.sweep import SerialExecutor, expand_jobs, run_jobs


def measure_claim(name: str, preset: str = "quick", *, values=None, sizes=None, seeds=None, root_seed: int = 0):
    """``(claim instance, params, predictions, Measurements)`` of one in-process run (no store)."""
    cls = get_claim(name)
    params = cls.resolve_params(preset, values=values)
    chosen = cls.preset(preset)
    sizes = tuple(sorted(sizes or chosen.sizes))
    seeds = seeds or chosen.seeds
    jobs = expand_jobs(cls, params, sizes, seeds, root_seed, "numpy")
    results, _ = run_jobs(jobs, SerialExecutor())
    grid = None if cls.grid is None else tuple(params[cls.grid])
    ms = Measurements(sizes, seeds, grid, {(j.grid_index, j.size, j.seed_index): results[j.key] for j in jobs})
    claim = cls()
    return claim, params, claim.predict(params), ms


def check_named(claim, params, name: str):
    """The check of ``claim`` called ``name``."""
    return next(c for c in claim.checks(params) if c.name == name)


def run_example(script: str, *args: str) -> None:
    """Run ``examples/<script>`` in this process (no interpreter start-up) with ``args`` as argv."""
    import runpy
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / script
    saved = sys.argv
    sys.argv = [str(path), *args]
    try:
        runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = saved
