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
import functools
import hashlib
import importlib
import json
import multiprocessing
import os
import signal
import socket
import sys
import warnings
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
    # Floating-point warnings inside a simulation are not printed from whichever process ran
    # it: numerical trouble that matters shows as a non-finite measurement, which the checks
    # report as an error.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = claim.measure(params, job.size, rng, job.backend)
    return {k: _significant(np.asarray(v, dtype=float)) for k, v in out.items()}


SIGNIFICANT_DIGITS = 12
"""Measurements are kept to 12 significant digits: far below any statistical error, and
enough to make reports identical when a BLAS with another thread count reorders a sum."""


def _significant(values: np.ndarray):
    rounded = [float(f"{v:.{SIGNIFICANT_DIGITS}g}") for v in values.ravel().tolist()]
    return rounded[0] if values.ndim == 0 else np.reshape(rounded, values.shape).tolist()


THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def _limit_threads(threads: int) -> None:
    """Cap every BLAS/OpenMP pool of this process at ``threads``, also those loaded later.

    ``threadpool_limits`` reaches only the libraries loaded so far; scipy's own OpenBLAS
    is often loaded later, by the first job that imports ``scipy.linalg``. The
    environment variables are what such a library reads when it loads.
    """
    from threadpoolctl import threadpool_limits

    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)
    threadpool_limits(threads)


def _init_worker(threads: int) -> None:
    """Pool-worker initialiser: share the cores, and never outlive the parent.

    Each worker's BLAS would otherwise start one thread per core; with several workers on
    few cores, multi-threaded OpenBLAS stalls badly (an eigvalsh at N = 400 went from 13 ms
    to 1.7 s on a loaded 2-core machine; free_convolution at standard took 324 s instead of
    23 s when scipy's OpenBLAS escaped the limit). On Linux the worker asks the kernel for
    SIGTERM when its parent dies (``PR_SET_PDEATHSIG``), so a ``kill -9`` of ``verify``
    leaves no orphan computing on; the resource tracker then sees its last pipe close and
    exits too.
    """
    _limit_threads(threads)
    _die_with_parent()


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


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


SCHEDULER_TIMEOUT_S = 10
"""How long to wait for a dask scheduler that accepts connections but does not answer."""


def _probe_scheduler(address: str) -> None:
    """Fail at once, naming the flag, when a ``tcp://`` scheduler's port refuses connections."""
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "tcp", address
    if scheme != "tcp":
        return
    host, _, port = rest.rstrip("/").rpartition(":")
    try:
        socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=SCHEDULER_TIMEOUT_S).close()
    except ValueError:
        raise UsageError(f"--scheduler={address!r} is invalid: must be tcp://HOST:PORT") from None
    except OSError as exc:
        raise UsageError(f"--scheduler={address!r} could not be reached: {exc.strerror or exc}") from None


def _dask_executor(scheduler: str):
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs dask.distributed: pip install '.[distributed]'") from None
    _probe_scheduler(scheduler)
    try:
        client = Client(scheduler, timeout=SCHEDULER_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - dask raises many types (TypeError for tls:// without certificates)
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"--scheduler={scheduler!r} could not be used: {message}") from None
    n = len(client.scheduler_info().get("workers", {}))
    return client.get_executor(pure=False), "dask", n, lambda interrupted=False: client.close()


def make_executor(workers: int | None, scheduler: str | None) -> tuple[cf.Executor, str, int, Callable]:
    """The executor for a run, its name, its worker count and a function that closes it.

    The in-process executor (one worker) caps BLAS at one thread for the run, like a pool
    worker on a core of its own: two concurrent ``--workers 1`` runs must not oversubscribe
    the cores.
    """
    if scheduler:
        return _dask_executor(scheduler)
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        from threadpoolctl import threadpool_limits

        saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
        limits = threadpool_limits(1)
        _limit_threads(1)

        def restore(interrupted: bool = False) -> None:
            limits.restore_original_limits()
            for name, value in saved.items():
                os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)

        return SerialExecutor(), "serial", 1, restore
    threads = max(1, (os.cpu_count() or 1) // workers)
    executor = cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                      initializer=_init_worker, initargs=(threads,))
    return executor, "process-pool", workers, functools.partial(_close_pool, executor)


def _close_pool(executor: cf.ProcessPoolExecutor, interrupted: bool = False) -> None:
    """Shut the pool down; after an interrupt, stop the workers' jobs in flight too."""
    if interrupted:
        for process in list(getattr(executor, "_processes", {}).values()):
            process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)


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
