"""The generic run path on the toy claims: determinism, the store, failures, perturbation."""

import json

import pytest

from compare.errors import RunFailed, UsageError
from compare.runner import run_claim
from compare.store import Store
from compare.sweep import expand_jobs

from . import toy_claims  # noqa: F401  (registers the toy claims)


def stable(report):
    data = report.to_dict()
    data.pop("run")
    return json.dumps(data, sort_keys=True)


def test_same_root_seed_same_report_other_seed_other_numbers():
    a = run_claim("toy_normal_mean", preset="quick", workers=1, cache=False, root_seed=3)
    b = run_claim("toy_normal_mean", preset="quick", workers=1, cache=False, root_seed=3)
    c = run_claim("toy_normal_mean", preset="quick", workers=1, cache=False, root_seed=4)
    assert stable(a) == stable(b) != stable(c)
    assert a.verdict == "pass"


def test_store_resumes_and_reproduces(tmp_path):
    path = tmp_path / "cache.sqlite"
    first = run_claim("toy_normal_mean", preset="quick", workers=1, cache=path)
    assert first.run["cache"] == {"hits": 0, "misses": 30}
    again = run_claim("toy_normal_mean", preset="quick", workers=1, cache=path)
    assert again.run["cache"] == {"hits": 30, "misses": 0}
    assert stable(first) == stable(again)


def test_failed_job_is_reported_and_finished_jobs_are_kept(tmp_path):
    path = tmp_path / "cache.sqlite"
    with pytest.raises(RunFailed, match="size=256.*FloatingPointError"):
        run_claim("toy_normal_mean", preset="quick", workers=1, cache=path, values={"fail_at": 256})
    with Store(path) as store:
        assert store.count() == 20  # sizes 16 and 64, ten seeds each


def test_perturbed_theory_fails():
    report = run_claim("toy_normal_mean", preset="standard", workers=1, cache=False, perturb=1.02)
    assert report.verdict == "fail" and report.exit_code == 1


def test_biased_simulation_fails():
    report = run_claim("toy_normal_mean", preset="standard", workers=1, cache=False, values={"bias": 0.05})
    assert report.verdict == "fail"


def test_grid_claim_runs_one_job_per_point():
    report = run_claim("toy_normal_curve", preset="quick", workers=1, cache=False)
    assert report.verdict == "pass"
    assert len(report.checks[0].predicted) == 4 and report.run["cache"]["misses"] == 4 * 2 * 12


def test_predict_only_runs_no_job():
    report = run_claim("toy_normal_mean", preset="quick", predict_only=True, cache=False)
    assert report.checks == [] and report.predictions["mean"] == 1.0
    assert report.run["cache"] == {"hits": 0, "misses": 0}


@pytest.mark.parametrize("kwargs, fragment", [
    ({"seeds": 1}, "--seeds=1"), ({"seeds": 0}, "--seeds=0"), ({"sizes": [0, 10]}, "--sizes"),
    ({"overrides": {"nope": "1"}}, "unknown parameter 'nope'"),
    ({"overrides": {"mu": "11"}}, "mu="), ({"preset": "huge"}, "--preset='huge'"),
    ({"backend": "fortran"}, "backend='fortran'"), ({"perturb": -1.0}, "--perturb"),
    ({"workers": 0}, "--workers"),
])
def test_bad_input_is_a_one_line_usage_error(kwargs, fragment):
    with pytest.raises(UsageError) as info:
        run_claim("toy_normal_mean", **{"cache": False, "workers": 1, **kwargs})
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_job_seeds_depend_on_identity_not_order_or_backend():
    from compare.registry import get_claim
    cls = get_claim("toy_normal_mean")
    params = cls.resolve_params("quick")
    numpy_jobs = expand_jobs(cls, params, [16, 64], 3, 7, "numpy")
    numba_jobs = expand_jobs(cls, params, [64, 16], 3, 7, "numba")
    by_id = {j.identity: j.seed_sequence().generate_state(4).tolist() for j in numba_jobs}
    for job in numpy_jobs:
        assert job.seed_sequence().generate_state(4).tolist() == by_id[job.identity]
    assert len({tuple(v) for v in by_id.values()}) == len(by_id)
    assert len({j.key for j in numpy_jobs} | {j.key for j in numba_jobs}) == 12
