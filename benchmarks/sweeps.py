"""A standard sweep on a two-worker dask LocalCluster against one worker (goal ≥ 1.7× faster).

Both clusters use one thread per worker, so the comparison is about the executor, not BLAS
threads. The claim is ``semicircle`` at its standard preset with the dense sampler (each job
is a dense eigensolve, enough work per job to amortise the scheduling).
"""

from __future__ import annotations

import time

from compare.runner import run_claim

from .timing import Row


def _sweep_time(workers: int) -> float:
    from distributed import LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        run_claim("semicircle", preset="quick", scheduler=cluster.scheduler_address, cache=False)  # warm-up
        start = time.perf_counter()
        run_claim("semicircle", preset="standard", overrides={"method": "dense"},
                  scheduler=cluster.scheduler_address, cache=False)
        return time.perf_counter() - start


def rows() -> list[Row]:
    one, two = _sweep_time(1), _sweep_time(2)
    return [Row("sweeps", "semicircle standard (dense), dask 2 workers", two, "dask 1 worker", one,
                "<= 0.59 (≥ 1.7× speed-up)")]
