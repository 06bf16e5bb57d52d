"""Timing helpers: warm-up outside the timed region, best of several repeats."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable


def best_time(fn: Callable[[], object], repeats: int = 5, warmup: int = 1) -> float:
    """Smallest wall time of ``repeats`` calls after ``warmup`` untimed calls (JIT, caches)."""
    for _ in range(warmup):
        fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def first_call_time(fn: Callable[[], object]) -> float:
    """Wall time of one call, compilation and cache loading included (report it apart)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@dataclass
class Row:
    """One line of the ratio table: ours against a baseline measured in the same run."""

    group: str
    what: str
    ours_s: float
    baseline: str
    baseline_s: float
    goal: str = ""

    @property
    def ratio(self) -> float:
        return self.ours_s / self.baseline_s
