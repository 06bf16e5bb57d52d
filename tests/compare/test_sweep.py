"""Sweeps: one executor path (serial, process pool, dask) with identical reports, workers that
fail or die, and an interrupted run that resumes from the store without recomputing."""

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from compare.errors import RunFailed
from compare.runner import run_claim

from . import toy_claims  # noqa: F401  (registers the toy claims; workers import the module)


def stable(report):
    data = json.loads(report.to_json())
    data.pop("run")
    return data


def test_serial_pool_and_dask_give_identical_reports():
    distributed = pytest.importorskip("distributed")
    serial = run_claim("semicircle", preset="quick", workers=1, cache=False, root_seed=11)
    pool = run_claim("semicircle", preset="quick", workers=2, cache=False, root_seed=11)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        dask = run_claim("semicircle", preset="quick", scheduler=cluster.scheduler_address,
                         cache=False, root_seed=11)
    assert pool.run["executor"] == "process-pool" and dask.run["executor"] == "dask"
    assert stable(serial) == stable(pool) == stable(dask)


def test_job_that_raises_in_a_worker_is_reported_with_the_job(tmp_path):
    with pytest.raises(RunFailed, match="size=64.*FloatingPointError"):
        run_claim("toy_normal_mean", preset="quick", workers=2, cache=tmp_path / "c.sqlite",
                  values={"fail_at": 64})


def test_worker_that_dies_is_a_run_failure_and_finished_jobs_are_kept(tmp_path):
    with pytest.raises(RunFailed, match="jobs failed"):
        run_claim("toy_normal_mean", preset="quick", workers=2, cache=tmp_path / "c.sqlite",
                  values={"exit_at": 256})


def _rows(path):
    try:
        with sqlite3.connect(path, timeout=30) as db:
            return db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_interrupted_run_resumes_without_recomputing(tmp_path):
    cache = tmp_path / "store.sqlite"
    args = [sys.executable, "-m", "compare", "--claim", "marchenko_pastur", "--preset", "standard",
            "--seed", "7", "--seeds", "48", "--workers", "1", "--quiet"]
    total = 4 * 48
    proc = subprocess.Popen(args + ["--cache", str(cache)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.time() + 120
    while _rows(cache) < 10 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    kept = _rows(cache)
    if kept == total:
        pytest.skip("the run finished before it could be interrupted")
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert 10 <= kept < total
    resumed = subprocess.run(args + ["--cache", str(cache), "--json", "-"], capture_output=True, text=True,
                             timeout=300)
    third = subprocess.run(args + ["--cache", str(cache), "--json", "-"], capture_output=True, text=True,
                           timeout=300)
    fresh = subprocess.run(args + ["--no-cache", "--json", "-"], capture_output=True, text=True, timeout=300)
    r, t, f = (json.loads(p.stdout) for p in (resumed, third, fresh))
    assert r["run"]["cache"] == {"hits": kept, "misses": total - kept}
    assert t["run"]["cache"] == {"hits": total, "misses": 0}
    for data in (r, t, f):
        data.pop("run")
    assert r == t == f


def _children(pid):
    import pathlib
    kids = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid):
    import os
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGKILL, -9)])
def test_terminated_run_leaves_no_worker_behind(tmp_path, sig, code):
    cache = tmp_path / "store.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "compare", "--claim", "marchenko_pastur", "--preset",
                             "standard", "--seeds", "48", "--workers", "2", "--quiet", "--cache", str(cache)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while (len(_children(proc.pid)) < 3 or _rows(cache) < 2) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    workers = _children(proc.pid)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code and "Traceback" not in err
    deadline = time.time() + 30
    while any(_alive(w) for w in workers) and time.time() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
    assert _rows(cache) >= 2


def test_pool_worker_limits_every_blas_it_will_use():
    """threadpoolctl limits only libraries already loaded; SciPy's own OpenBLAS loads with
    scipy.linalg, which a worker imports only with a job's claim — it must come up limited
    too (unlimited, it spun a loaded 2-core machine 17× on logistic_sur_candes)."""
    code = ("from compare.sweep import _init_worker; _init_worker(1); import scipy.linalg; "
            "from threadpoolctl import threadpool_info; "
            "print(sorted({i['num_threads'] for i in threadpool_info()}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         timeout=60)
    assert out.stdout.strip() == "[1]"
