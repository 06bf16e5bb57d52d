"""Run one claim end to end: parameters, theory, sweep, checks, report."""

from __future__ import annotations

import platform
import time
import warnings
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Mapping

import numpy as np

from simulate.backend import BackendUnavailable, resolve_backend

from .checks import CheckResult
from .errors import RunFailed, UsageError
from .measurements import Measurements
from .registry import get_claim
from .report import Report
from .store import Store, default_path
from .sweep import expand_jobs, make_executor, run_jobs


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("verify-theory", "numpy", "scipy", "numba"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _validate_budget(sizes, seeds) -> None:
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 2:
        raise UsageError(f"--seeds={seeds!r} is out of range: must be an integer >= 2 "
                         "(standard errors need at least two independent seeds)")
    if not sizes or any(isinstance(n, bool) or not isinstance(n, int) or n < 2 for n in sizes):
        raise UsageError(f"--sizes={','.join(map(str, sizes))!r} is out of range: "
                         "must be integers >= 2, comma-separated")
    if len(set(sizes)) != len(sizes):
        raise UsageError(f"--sizes={','.join(map(str, sizes))!r} is invalid: sizes must be distinct "
                         "(a repeated size is not independent data)")


MAX_JOBS = 1_000_000
"""Upper bound of grid points × sizes × seeds in one run (memory: every job is listed up front)."""


def _check_job_count(cls, params, sizes, seeds) -> None:
    points = 1 if cls.grid is None else len(params[cls.grid])
    count = points * len(sizes) * seeds
    if count > MAX_JOBS:
        raise UsageError(f"--seeds={seeds} is out of range for this run: {points} grid points × "
                         f"{len(sizes)} sizes × {seeds} seeds = {count} jobs exceeds {MAX_JOBS} (memory)")


def _theory(claim, params):
    try:
        return claim.predict(params)
    except UsageError:
        raise
    except (ValueError, ArithmeticError, RuntimeError) as exc:
        raise RunFailed(f"theory failed: {type(exc).__name__}: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else ""


def _check_plan(cls, checks, params, predictions, sizes) -> None:
    """Refuse, before any simulation, a run in which a check could compare nothing."""
    if not checks:
        return
    for check in checks:
        missing = [n for n in check.names()["predictions"] if n not in predictions]
        if missing:
            raise RunFailed(f"claim {cls.name}: check {check.name!r} reads {', '.join(missing)}, "
                            "which predict() does not return")
        if len(sizes) < check.min_sizes:
            raise UsageError(f"--sizes={','.join(map(str, sizes))!r} is invalid for claim {cls.name}: "
                             f"check {check.name!r} fits over sizes and needs at least "
                             f"{check.min_sizes} distinct sizes")
        where = getattr(check, "where", None)
        if where is not None and not np.any(np.asarray(predictions[where], bool)):
            grid = f"{cls.grid}={','.join(f'{v:g}' for v in params[cls.grid])}" if cls.grid else "these parameters"
            raise UsageError(f"{grid} is invalid for claim {cls.name}: check {check.name!r} "
                             f"compares no point there (its '{where}' is false at every point)")


def evaluate_checks(checks, predictions, ms: Measurements, preset: str, perturb: float = 1.0) -> list:
    """Evaluate each check on the same measurements (perturbing never re-simulates).

    A check that raises is reported with status ``error`` and the exception in its
    details, so the report of everything computed so far is still written.
    """
    results = []
    for check in checks:
        try:
            result = check.evaluate(predictions, ms, perturb)
        except KeyError as exc:
            raise RunFailed(f"check {check.name!r} reads {exc}, which measure() does not return") from None
        except Exception as exc:  # noqa: BLE001 - becomes an ``error`` status, named in the report
            result = CheckResult(
                name=check.name, kind=check.kind, quantity=check.quantity, predicted=None, measured=None,
                stderr=None, tolerance=None, tolerance_reason=check.reason, deviation=float("inf"),
                passed=False, min_detectable=float("inf"), status="error", consistency=check.consistency,
                details={"error": f"{type(exc).__name__}: {_first_line(exc)}"})
        result.effect = check.effect_at(preset)
        results.append(result)
    return results


def verdict_of(results) -> str:
    """``error`` if a check errored or none ran, else ``fail`` if one failed, else ``pass``."""
    if not results or any(r.status == "error" for r in results):
        return "error"
    return "pass" if all(r.status == "pass" for r in results) else "fail"


def run_claim(name: str, *, preset: str = "standard", overrides: Mapping[str, str] | None = None,
              values: Mapping[str, Any] | None = None, seeds: int | None = None,
              sizes: list[int] | None = None, backend: str = "auto", root_seed: int = 0,
              perturb: float = 1.0, predict_only: bool = False, workers: int | None = None,
              scheduler: str | None = None, cache: str | bool | None = None,
              progress: bool = False) -> Report:
    """Verify one claim and return its :class:`~compare.report.Report`.

    Parameters mirror the ``verify`` command. ``overrides`` are ``--set`` texts parsed
    by type; ``values`` are already typed. ``cache`` is a path, ``None`` (the default
    store) or ``False`` (no store). Raises :class:`UsageError` for bad input (before
    anything is computed) and :class:`RunFailed` when a job fails; finished jobs are
    stored before either. The report keeps the measurements (``report.measurements``,
    not serialised) so that checks can be re-evaluated without simulating again.
    """
    started = time.perf_counter()
    cls = get_claim(name)
    params = cls.resolve_params(preset, overrides, values)
    chosen = cls.preset(preset)
    sizes = list(sizes) if sizes else list(chosen.sizes)
    seeds = chosen.seeds if seeds is None else seeds
    _validate_budget(sizes, seeds)
    smallest = cls.smallest_size(params)
    if min(sizes) < smallest:
        raise UsageError(f"--sizes={','.join(map(str, sizes))} is out of range for claim {cls.name}: "
                         f"each {cls.size_name} must be >= {smallest} at these parameters")
    _check_job_count(cls, params, sizes, seeds)
    if not (isinstance(perturb, (int, float)) and np.isfinite(perturb) and perturb > 0):
        raise UsageError(f"--perturb={perturb!r} is out of range: must be a number > 0")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise UsageError(f"--workers={workers!r} is out of range: must be an integer >= 1")
    try:
        concrete = resolve_backend(backend)
    except (BackendUnavailable, ValueError) as exc:
        raise UsageError(str(exc)) from None
    claim = cls()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        predictions = _theory(claim, params)
    checks = [] if predict_only else claim.checks(params)
    _check_plan(cls, checks, params, predictions, sizes)
    report = Report(claim=cls.name, title=cls.title, reference=cls.reference, verdict="not-checked",
                    preset=preset, params=params, sizes=sorted(sizes), seeds=seeds,
                    root_seed=root_seed, backend=concrete, perturb=float(perturb),
                    label=cls.label(params), predictions=predictions, predict_only=predict_only,
                    headline=cls.headline)
    run: dict[str, Any] = {"executor": "none", "workers": 0, "cache": {"hits": 0, "misses": 0}}
    if not predict_only:
        jobs = expand_jobs(cls, params, report.sizes, seeds, root_seed, concrete)
        store = None if cache is False else Store(cache or default_path())
        executor, kind, n_workers, close = make_executor(workers, scheduler)
        bar = _progress_bar(progress, cls.name)
        interrupted = True
        try:
            # In-process jobs run inside submit: one at a time, so each is stored as it finishes.
            window = 1 if kind == "serial" else len(jobs)
            results, hits = run_jobs(jobs, executor, store, bar, max_pending=window)
            interrupted = False
        except RunFailed:
            interrupted = False
            raise
        finally:
            close(interrupted)
            if bar is not None:
                bar.close()
            if store is not None:
                store.close()
        run.update(executor=kind, workers=n_workers, cache={"hits": hits, "misses": len(jobs) - hits})
        grid = None if cls.grid is None else tuple(params[cls.grid])
        report.measurements = Measurements(tuple(report.sizes), seeds, grid,
                                           {(j.grid_index, j.size, j.seed_index): results[j.key] for j in jobs})
        with warnings.catch_warnings(record=True) as caught_checks:
            warnings.simplefilter("always", RuntimeWarning)
            report.checks = evaluate_checks(checks, predictions, report.measurements, preset, perturb)
        caught += caught_checks
        report.verdict = verdict_of(report.checks)
    # Numerical warnings of the theory and the checks go to the report, not to stderr.
    run.update(wall_time_s=time.perf_counter() - started, versions=_versions(),
               warnings=sorted({f"{w.category.__name__}: {w.message}" for w in caught}))
    report.run = run
    return report


def _progress_bar(enabled: bool, name: str):
    if not enabled:
        return None
    from tqdm import tqdm
    return tqdm(desc=name, unit="job", leave=False, dynamic_ncols=True)
