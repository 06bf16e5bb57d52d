"""Fuzzing the real command over every registered claim's declared parameter space.

Hypothesis draws a claim, parameter values inside its declared ranges, at their bounds and
just beyond, nonsense text, and odd values of the budget and output flags, and runs the
real ``verify`` entry point (``--predict-only``: the theory is what every input must
survive; the simulations run in the generic suite). The oracle is the contract: a value
inside every declared range gives a report and exit 0; anything else is one line on stderr
and exit 2; never a traceback, and no file is written but the ones asked for. New claims
get this for free.
"""

from __future__ import annotations

import contextlib
import io
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compare.cli import main
from compare.registry import registry

from . import toy_claims  # noqa: F401  (the toy claims are fuzzed too)

CLAIMS = sorted(registry())


def _inside(param) -> st.SearchStrategy:
    """Text of a value inside the declared range (bounds included where closed)."""
    if param.kind == "bool":
        return st.sampled_from(["true", "false", "1", "0", "yes", "off"])
    if param.kind == "str":
        return st.sampled_from(param.choices) if param.choices else st.text("abc", min_size=1, max_size=5)
    low = -1e6 if param.low is None else param.low
    high = 1e6 if param.high is None else param.high
    if param.kind == "int":
        lo, hi = math.ceil(low + (1 if param.low_open and low == int(low) else 0)), math.floor(high)
        return st.integers(lo, hi).map(str)
    number = st.floats(low, high, exclude_min=param.low_open, exclude_max=param.high_open,
                       allow_nan=False, allow_infinity=False)
    edges = [v for v, is_open in ((low, param.low_open), (high, param.high_open)) if not is_open]
    value = st.one_of(number, st.sampled_from(edges)) if edges else number
    if param.kind == "floats":
        return st.lists(value, min_size=1, max_size=4).map(lambda vs: ",".join(repr(float(v)) for v in vs))
    return value.map(lambda v: repr(float(v)))


def _beyond(param) -> st.SearchStrategy:
    """Text of a value outside the declared range, or not of the declared type."""
    bad = [st.sampled_from(["", "nan", "inf", "-inf", "1e999", "__import__('os')", "0x10", "1;2", "None"])]
    if param.kind in ("float", "int", "floats"):
        if param.high is not None:
            bad.append(st.just(repr(np.nextafter(param.high, math.inf) if not param.high_open else param.high)))
            bad.append(st.just(repr(param.high * 10 + 1)))
        if param.low is not None:
            bad.append(st.just(repr(np.nextafter(param.low, -math.inf) if not param.low_open else param.low)))
        if param.kind == "int":
            bad.append(st.just("1.5"))
    if param.kind == "str" and param.choices:
        bad.append(st.just("no-such-choice"))
    if param.kind == "bool":
        bad.append(st.just("maybe"))
    return st.one_of(bad)


@st.composite
def invocations(draw):
    name = draw(st.sampled_from(CLAIMS))
    cls = registry()[name]
    argv = ["--claim", name, "--predict-only", "--no-cache", "--quiet", "--preset",
            draw(st.sampled_from(["quick", "standard", "paper"]))]
    valid = True
    for param in cls.params:
        choice = draw(st.sampled_from(["skip", "skip", "inside", "beyond"]))
        if choice == "inside":
            argv += ["--set", f"{param.name}={draw(_inside(param))}"]
        elif choice == "beyond":
            argv += ["--set", f"{param.name}={draw(_beyond(param))}"]
            valid = False
    flag = draw(st.sampled_from(["none", "none", "seeds", "sizes", "perturb", "workers", "json", "seed"]))
    if flag != "none":
        good = {"seeds": "4", "sizes": "16,32", "perturb": "1.02", "workers": "2", "json": "out.json",
                "seed": "7"}[flag]
        bad = {"seeds": ["1", "-3", "1e9", "x", "100001"], "sizes": ["1", "8,8", "a,b", "", "10000000"],
               "perturb": ["0", "-1", "nan", "1e308"], "workers": ["0", "2147483648", "two"],
               "json": ["-", "/proc/x.json", ".", "out.txt", "no/such/dir/x.json"],
               "seed": ["-1", "abc", "1e400"]}[flag]
        if draw(st.booleans()):
            argv += [f"--{flag}", good]
        else:
            argv += [f"--{flag}", draw(st.sampled_from(bad))]
            valid = valid and flag == "json" and argv[-1] == "-"
    return argv, valid, cls


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(case=invocations())
def test_every_input_gives_a_report_or_one_line_exit_2(case, tmp_path_factory):
    argv, valid, cls = case
    workdir = tmp_path_factory.mktemp("fuzz")
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        os.chdir(cwd)
    stderr = err.getvalue()
    assert "Traceback" not in stderr
    if valid:
        # In-range values may still break a claim's cross-parameter rule: a usage error then.
        assert code == 0 or (code == 2 and "validate_params" in vars(cls)), (argv, code, stderr)
    else:
        assert code == 2, (argv, code, stderr)
    if code != 0:
        assert stderr.count("\n") == 1, stderr
    written = {p.name for p in workdir.iterdir()}
    asked = {"out.json"} if code == 0 and "out.json" in argv else set()
    assert written == asked, (argv, written)


@pytest.mark.parametrize("argv", [
    ["--claim", "semicircle", "--all"], ["--list", "--claim", "semicircle"], ["--all", "--set", "a=1"],
    ["--all", "--plot", "x.png"], ["--claim"], ["--claim", "semicircle", "--set", "=1"],
    ["--claim", "semicircle", "--set", "variance"], ["--claim", "semicircle", "--calibrate", "0"],
])
def test_malformed_command_lines_are_one_line_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("name", sorted(n for n in registry() if not n.startswith("toy_no")))
def test_the_smallest_declared_sizes_give_a_report(name):
    """At its ``min_size`` a claim runs to a report (a non-converged measurement is an
    ``error`` verdict, never a crash); below it, a one-line usage error."""
    from compare.errors import UsageError
    from compare.runner import run_claim

    cls = registry()[name]
    smallest = cls.smallest_size(cls.resolve_params("quick"))
    report = run_claim(name, preset="quick", sizes=[smallest, smallest + 1], seeds=2, workers=1, cache=False)
    assert report.verdict in ("pass", "fail", "error")
    if smallest > 2:
        with pytest.raises(UsageError, match="must be >="):
            run_claim(name, preset="quick", sizes=[smallest - 1, smallest], seeds=2, workers=1, cache=False)
