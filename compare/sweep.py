"""A sweep: the (parameters, size, seed) jobs of a claim, run through one Executor.

Each job's random stream is spawned from the root seed and the job's identity
(``SeedSequence(root, spawn_key=hash(claim, parameters, size, seed index))``), so the
numbers do not depend on the executor, the number of workers or the order in which
jobs finish. The backend is not part of that identity: the same job on ``numpy`` and
``numba`` draws the same random numbers.

Jobs go through a ``concurrent.futures.Executor``: in-process for one worker, a local
process pool for several, or a dask.distributed client's executor (``--scheduler``):
one code path from a laptop to a cluster. Each finished job is written to the store at
once, so an interruption loses nothing.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import importlib
import json
import multiprocessing
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import numpy as np

from .errors import RunFailed, UsageError
from .fingerprint import code_fingerprint
from .params import canonical


@dataclass(frozen=True)
class Job:
    """One measurement: a claim at one parameter point, one size and one seed index."""

    claim: str
    module: str
    code: str
    params_json: str
    grid_index: int
    size: int
    seed_index: int
    root_seed: int
    backend: str

    @property
    def params(self) -> dict[str, Any]:
        return json.loads(self.params_json)

    @property
    def identity(self) -> str:
        """Claim, parameters, size and seed index: what the random stream depends on."""
        return f"{self.claim}|{self.params_json}|{self.size}|{self.seed_index}"

    @property
    def key(self) -> str:
        """The store key: identity plus root seed, backend and the claim's code fingerprint."""
        text = f"{self.identity}|{self.root_seed}|{self.backend}|{self.code}"
        return hashlib.sha256(text.encode()).hexdigest()

    def seed_sequence(self) -> np.random.SeedSequence:
        digest = hashlib.sha256(self.identity.encode()).digest()
        words = tuple(int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4))
        return np.random.SeedSequence(self.root_seed, spawn_key=words)


def expand_jobs(claim_cls, params: dict, sizes: Iterable[int], seeds: int, root_seed: int,
                backend: str) -> list[Job]:
    """Every job of a claim: grid points × sizes × seeds."""
    grid = claim_cls.grid
    code = code_fingerprint(claim_cls.__module__)
    points = [params] if grid is None else [{**params, grid: value} for value in params[grid]]
    jobs = []
    for g, point in enumerate(points):
        text = json.dumps({k: canonical(v) for k, v in point.items()}, sort_keys=True)
        for size in sizes:
            for s in range(seeds):
                jobs.append(Job(claim_cls.name, claim_cls.__module__, code, text, g,
                                int(size), s, int(root_seed), backend))
    return jobs


def run_job(job: Job) -> dict[str, Any]:
    """Run one job (in any process) and return its measurements as JSON-ready values."""
    from .registry import get_claim, registry

    if job.claim not in registry():
        importlib.import_module(job.module)  # a claim registered at import, e.g. in a notebook module
    claim = get_claim(job.claim)()
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in job.params.items()}
    rng = np.random.default_rng(job.seed_sequence())
    out = claim.measure(params, job.size, rng, job.backend)
    return {k: _significant(np.asarray(v, dtype=float)) for k, v in out.items()}


SIGNIFICANT_DIGITS = 12
"""Measurements are kept to 12 significant digits: far below any statistical error, and
enough to make reports identical when a BLAS with another thread count reorders a sum."""


def _significant(values: np.ndarray):
    rounded = [float(f"{v:.{SIGNIFICANT_DIGITS}g}") for v in values.ravel().tolist()]
    return rounded[0] if values.ndim == 0 else np.reshape(rounded, values.shape).tolist()


def _limit_blas_threads(threads: int) -> None:
    """Worker initialiser: share the cores between workers instead of oversubscribing them.

    Each worker's BLAS would otherwise start one thread per core; with several workers on
    few cores, multi-threaded OpenBLAS stalls badly (an eigvalsh at N = 400 went from 13 ms
    to 1.7 s on a loaded 2-core machine).
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(threads)


class SerialExecutor(cf.Executor):
    """Runs each submitted call at once in this process (one worker, no pool overhead)."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # delivered through the future, like a pool would
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future


def make_executor(workers: int | None, scheduler: str | None) -> tuple[cf.Executor, str, int, Callable]:
    """The executor for a run, its name, its worker count and a function that closes it."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs dask.distributed: pip install '.[distributed]'") from None
        try:
            client = Client(scheduler, timeout=20)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"--scheduler={scheduler!r} could not be reached: {exc}") from None
        n = len(client.scheduler_info().get("workers", {}))
        executor = client.get_executor(pure=False)
        return executor, "dask", n, client.close
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        return SerialExecutor(), "serial", 1, lambda: None
    threads = max(1, (os.cpu_count() or 1) // workers)
    executor = cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                      initializer=_limit_blas_threads, initargs=(threads,))
    return executor, "process-pool", workers, lambda: executor.shutdown(cancel_futures=True)


def run_jobs(jobs: list[Job], executor: cf.Executor, store=None, progress=None,
             max_pending: int = 1) -> tuple[dict, int]:
    """Run the jobs not in the store; return ``({job key: measurements}, cache hits)``.

    At most ``max_pending`` jobs are submitted and not yet collected (1 for the in-process
    executor, whose ``submit`` runs the job; all of them for a pool or a cluster). Each
    finished job is stored and counted as it arrives, so an interruption loses only the
    jobs in flight. If jobs fail, the others are still run and stored, then :class:`RunFailed`
    names the first failure.
    """
    results = store.get_many([j.key for j in jobs]) if store is not None else {}
    hits = len(results)
    todo = iter([j for j in jobs if j.key not in results])
    if progress is not None:
        progress.total = len(jobs)
        progress.update(hits)
    pending: dict[cf.Future, Job] = {}
    failures = []

    def fill() -> None:
        while len(pending) < max(1, max_pending):
            job = next(todo, None)
            if job is None:
                return
            pending[executor.submit(run_job, job)] = job

    fill()
    while pending:
        done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
        for future in done:
            job = pending.pop(future)
            try:
                value = future.result()
            except Exception as exc:  # noqa: BLE001 - reported with the job that failed
                failures.append((job, exc))
                continue
            results[job.key] = value
            if store is not None:
                store.put(job.key, job.claim, json.dumps(job.params), job.size, job.seed_index, value)
            if progress is not None:
                progress.update(1)
        fill()
    if failures:
        job, exc = failures[0]
        what = type(exc).__name__
        raise RunFailed(f"{len(failures)} of {len(jobs) - hits} jobs failed; first: {job.claim} "
                        f"size={job.size} seed={job.seed_index} params={job.params_json}: "
                        f"{what}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc
    return results, hits
