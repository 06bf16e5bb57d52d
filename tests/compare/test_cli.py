"""The verify command through a real subprocess: listing, exit codes, outputs, determinism."""

import json
import subprocess
import sys

import pytest

QUICK = ["--preset", "quick", "--no-cache", "--workers", "1"]


def verify(*args, timeout=300, env=None):
    return subprocess.run([sys.executable, "-m", "compare", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_list_names_the_claims():
    proc = verify("--list")
    assert proc.returncode == 0
    for name in ("marchenko_pastur", "semicircle", "free_convolution", "gamp_rie"):
        assert name in proc.stdout


@pytest.mark.parametrize("args, fragment", [
    (["--claim", "no_such_claim"], "--claim='no_such_claim' is unknown"),
    (["--claim", "semicircle", "--preset", "huge"], "--preset='huge'"),
    (["--claim", "semicircle", "--set", "nope=1"], "unknown parameter 'nope'"),
    (["--claim", "marchenko_pastur", "--set", "ratio=-1"], "ratio=-1.0 is out of range"),
    (["--claim", "marchenko_pastur", "--set", "ratio=__import__('os').system('true')"], "ratio="),
    (["--claim", "semicircle", "--seeds", "0"], "--seeds=0"),
    (["--claim", "semicircle", "--sizes", "10,abc"], "--sizes='abc'"),
    (["--claim", "semicircle", "--backend", "cuda"], "backend='cuda'"),
    (["--claim", "semicircle", "--report", "out.pdf"], "--report='out.pdf'"),
    (["--claim", "semicircle", "--json", "/no/such/dir/r.json"], "does not exist"),
    (["--claim", "semicircle", "--bogus"], "unrecognized arguments"),
    ([], "one of the arguments"),
])
def test_bad_usage_exits_2_with_one_line(args, fragment):
    proc = verify(*QUICK, *args)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and fragment in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_cupy_without_gpu_exits_2():
    from simulate.backend import cupy_available
    if cupy_available():
        pytest.skip("a GPU with CuPy is present")
    proc = verify("--claim", "semicircle", "--backend", "cupy", *QUICK)
    assert proc.returncode == 2 and "cupy" in proc.stderr and proc.stderr.count("\n") == 1


def test_pass_writes_every_output_and_json_is_deterministic(tmp_path):
    out = [tmp_path / name for name in ("a.json", "b.json", "r.html", "r.md", "f.png")]
    first = verify("--claim", "semicircle", *QUICK, "--seed", "5", "--json", str(out[0]),
                   "--report", str(out[2]), "--plot", str(out[4]))
    assert first.returncode == 0, first.stderr
    assert "verdict: PASS" in first.stdout
    second = verify("--claim", "semicircle", *QUICK, "--seed", "5", "--json", str(out[1]),
                    "--report", str(out[3]))
    assert second.returncode == 0
    a, b = (json.loads(p.read_text()) for p in out[:2])
    a.pop("run"), b.pop("run")
    assert a == b and out[0].read_text().split('"run"')[0] == out[1].read_text().split('"run"')[0]
    assert out[2].read_text().startswith("<!doctype html>") and "data:image/png;base64" in out[2].read_text()
    assert out[3].read_text().startswith("# ") and out[4].read_bytes()[:4] == b"\x89PNG"


def test_perturbed_theory_exits_1():
    proc = verify("--claim", "semicircle", *QUICK, "--perturb", "1.1")
    assert proc.returncode == 1 and "verdict: FAIL" in proc.stdout


def test_predict_only_and_json_to_stdout():
    proc = verify("--claim", "marchenko_pastur", "--predict-only", "--json", "-", "--no-cache")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["checks"] == [] and data["predictions"]["right_edge"] == pytest.approx((1 + 0.5 ** 0.5) ** 2)


def test_all_prints_a_summary_and_exits_with_the_worst_code(monkeypatch, capsys):
    """``--all`` over every registered claim (here two toy claims, one perturbed to fail:
    the real claims' quick runs are the generic suite's)."""
    from compare import registry as reg
    from compare.cli import main
    from . import toy_claims  # noqa: F401

    table = {name: reg.registry()[name] for name in ("toy_normal_curve", "toy_normal_mean")}
    monkeypatch.setattr(reg, "_TABLE", table)
    assert main(["--all", "--preset", "quick", "--no-cache", "--workers", "1", "--perturb", "1.5"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split() == ["claim", "verdict", "checks", "wall", "time"]
    assert {line.split()[0] for line in lines[1:]} == set(table)
    assert any(" fail " in line for line in lines[1:])
