"""A test kit for claims: the generic guarantees every claim, built-in or plug-in, must meet.

In the spirit of scikit-learn's ``parametrize_with_checks``: a third-party claim package
gets the project's own generic suite with two lines::

    from compare.testing import parametrize_with_claims

    @parametrize_with_claims(["my_claim"])
    def test_my_claim(claim, check):
        check(claim)

or, outside pytest, ``check_claim("my_claim")`` runs them all and raises
``AssertionError`` naming the first broken guarantee. The generic checks are:

* ``check_definition`` — the static contract, a headline that names a power check, every
  check reading quantities that ``predict`` returns, every check either a power check with
  a declared ``quick`` effect ≤ 0.5 and ``standard`` effect ≤ 2% (or a stated reason) or a
  consistency check with its reason;
* ``check_declared_ranges`` — ``predict`` gives finite values, without warnings, with each
  parameter at the bounds of its declared range (the ranges are where the claim works);
* ``check_quick_passes`` — the ``quick`` preset passes (a correct theory is not rejected);
* ``check_json_complete`` — the JSON report has every ``verify-report/1`` key;
* ``check_quick_power`` — each power check has ``min_detectable ≤ effect`` at ``quick`` and
  fails when its prediction alone is scaled by ``1 ± 1.5 × effect`` (re-evaluated on the
  same measurements, never re-simulated);
* ``check_bad_input`` — out-of-range, unknown and code-like ``--set`` values and a bad
  ``--seeds`` exit 2 with one line on stderr, through the command's entry point;
* ``check_headline_figure`` — the headline panel (the claim's ``draw_headline`` or the
  default one) draws the quick run without falling back to its error text.

One quick run per claim per process serves every check (``quick_report``). ``make power``
(:mod:`compare.power`) runs the power check at ``standard`` on demand.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import math
import warnings

import numpy as np

from .checks import Check
from .claim import Claim, validate_definition
from .registry import get_claim, registry
from .report import CHECK_KEYS, Report
from .runner import evaluate_checks, run_claim

REPORT_KEYS = {"schema", "claim", "title", "reference", "verdict", "headline", "preset", "params", "sizes",
               "seeds", "root_seed", "backend", "perturb", "checks", "predictions", "run"}
MAX_QUICK_EFFECT = 0.5
"""A quick effect above 1/2 would make the downward perturbation ``1 − 1.5 e`` meaningless."""
PERTURB_MULTIPLE = 1.5


def _claim_class(claim) -> type[Claim]:
    return get_claim(claim) if isinstance(claim, str) else claim


@functools.cache
def quick_report(name: str) -> Report:
    """The claim's ``quick`` run (one worker, no store), computed once per process."""
    return run_claim(name, preset="quick", workers=1, cache=False)


def declared_checks(cls: type[Claim], preset: str = "quick") -> list[Check]:
    """The claim's check objects at the parameters of ``preset``."""
    return cls().checks(cls.resolve_params(preset))


def check_definition(claim) -> None:
    cls = _claim_class(claim)
    validate_definition(cls)
    for preset in ("quick", "standard"):
        params = cls.resolve_params(preset)
        predictions = cls().predict(params)
        checks = cls().checks(params)
        assert checks, f"{cls.name}: checks() is empty: a claim without checks verifies nothing"
        names = [c.name for c in checks]
        assert len(set(names)) == len(names), f"{cls.name}: check names repeat: {names}"
        assert cls.headline in names, f"{cls.name}: headline {cls.headline!r} is not one of its checks {names}"
        for check in checks:
            missing = [n for n in check.names()["predictions"] if n not in predictions]
            assert not missing, f"{cls.name}: check {check.name!r} reads {missing}, not returned by predict()"
            if check.consistency:
                assert check.name != cls.headline, \
                    f"{cls.name}: the headline {check.name!r} must be a power check, not a consistency check"
                continue
            effect = check.effect_at(preset)
            assert effect is not None and 0 < effect, \
                f"{cls.name}: power check {check.name!r} declares no effect at {preset!r}"
            if preset == "quick":
                assert effect <= MAX_QUICK_EFFECT, \
                    f"{cls.name}: check {check.name!r} declares quick effect {effect} > {MAX_QUICK_EFFECT}"
            elif effect > 0.02:
                assert check.effect_reason, (f"{cls.name}: check {check.name!r} declares a standard effect "
                                             f"{effect} > 2% without effect_reason")


def _bounds(param) -> list:
    """Values at the edges of a parameter's declared range (a grid at each bound)."""
    if param.kind in ("str", "bool"):
        return list(param.choices) if param.choices else [True, False] if param.kind == "bool" else []
    values = []
    for bound, is_open, step in ((param.low, param.low_open, 1), (param.high, param.high_open, -1)):
        if bound is None or not math.isfinite(bound):
            continue
        value = bound if not is_open else float(np.nextafter(bound, math.inf * step))
        if param.kind == "int":
            value = math.ceil(value) if step > 0 else math.floor(value)
        values.append(value if param.kind != "floats" else (float(value),))
    return values


def check_declared_ranges(claim) -> None:
    cls = _claim_class(claim)
    base = cls.resolve_params("quick")
    for param in cls.params:
        for value in _bounds(param):
            try:
                params = cls.resolve_params("quick", values={param.name: value})
            except Exception as exc:  # a cross-parameter rule may refuse it: then it must say so
                from .errors import UsageError
                assert isinstance(exc, UsageError), f"{cls.name}: {param.name}={value!r}: {exc!r}"
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                predictions = cls().predict(params)
            for key, out in predictions.items():
                arr = np.asarray(out)
                if arr.dtype.kind in "fc":
                    assert not np.any(np.isnan(arr)), \
                        f"{cls.name}: predict() gives NaN in {key!r} at {param.name}={value!r} (base {base})"


def check_quick_passes(claim) -> None:
    cls = _claim_class(claim)
    report = quick_report(cls.name)
    failed = [(c.name, c.status, round(c.deviation, 2)) for c in report.checks if c.status != "pass"]
    assert report.verdict == "pass", f"{cls.name}: quick preset gives {report.verdict}: {failed}"


def check_json_complete(claim) -> None:
    cls = _claim_class(claim)
    data = json.loads(quick_report(cls.name).to_json())
    assert REPORT_KEYS <= set(data), f"{cls.name}: JSON lacks {REPORT_KEYS - set(data)}"
    assert data["schema"] == "verify-report/1"
    for check in data["checks"]:
        assert set(CHECK_KEYS) <= set(check), f"{cls.name}: check lacks {set(CHECK_KEYS) - set(check)}"
    assert {"wall_time_s", "executor", "workers", "cache", "versions"} <= set(data["run"])


def power_failures(report: Report, preset: str) -> list[str]:
    """What breaks the power guarantee in ``report``: one line per check, empty when it holds."""
    cls = get_claim(report.claim)
    problems = []
    for check, result in zip(cls().checks(report.params), report.checks):
        effect = check.effect_at(preset)
        if check.consistency or effect is None:
            continue
        if not result.min_detectable <= effect:
            problems.append(f"{check.name}: min_detectable {result.min_detectable:.3g} > declared effect "
                            f"{effect:g} at {preset}")
        for factor in (1.0 + PERTURB_MULTIPLE * effect, 1.0 - PERTURB_MULTIPLE * effect):
            moved = evaluate_checks([check], report.predictions, report.measurements, preset, factor)[0]
            if moved.status != "fail":
                problems.append(f"{check.name}: prediction × {factor:g} gives {moved.status}, not fail "
                                f"(deviation {moved.deviation:.2f})")
    return problems


def check_quick_power(claim) -> None:
    cls = _claim_class(claim)
    problems = power_failures(quick_report(cls.name), "quick")
    assert not problems, f"{cls.name}: " + "; ".join(problems)


def _first_numeric(cls):
    return next((p for p in cls.params if p.kind in ("float", "int", "floats") and
                 (p.high is not None or p.low is not None)), None)


def check_bad_input(claim) -> None:
    from .cli import main

    cls = _claim_class(claim)
    param = _first_numeric(cls)
    cases = [["--set", "no_such_parameter=1"], ["--seeds", "0"], ["--sizes", "1"]]
    if param is not None:
        beyond = param.high * 10 + 1 if param.high is not None else param.low - abs(param.low) - 1
        cases += [["--set", f"{param.name}={beyond:g}"],
                  ["--set", f"{param.name}=__import__('os').getcwd()"]]
    for args in cases:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--claim", cls.name, "--preset", "quick", "--no-cache", *args])
        assert code == 2, f"{cls.name} {args}: exit {code}, stderr {err.getvalue()!r}"
        assert err.getvalue().count("\n") == 1 and "Traceback" not in err.getvalue(), err.getvalue()
        assert out.getvalue() == "", out.getvalue()


def check_headline_figure(claim) -> None:
    from matplotlib.figure import Figure

    from .plots import draw_headline

    cls = _claim_class(claim)
    ax = Figure().add_subplot()
    assert draw_headline(ax, quick_report(cls.name)), f"{cls.name}: no headline figure"
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "headline figure not drawn" not in texts, f"{cls.name}: {texts}"
    assert ax.lines or ax.collections or ax.patches or ax.images, f"{cls.name}: empty headline panel"


GENERIC_CHECKS = (check_definition, check_declared_ranges, check_quick_passes, check_json_complete,
                  check_quick_power, check_bad_input, check_headline_figure)


def check_claim(claim) -> None:
    """Run every generic check on one claim (a class or a registered name)."""
    for check in GENERIC_CHECKS:
        check(claim)


def parametrize_with_claims(names=None):
    """A ``pytest.mark.parametrize("claim, check", ...)`` over claims × generic checks.

    ``names`` defaults to every registered claim. Tests of one claim share a group for
    pytest-xdist (``--dist loadgroup``), so its quick run happens once.
    """
    import pytest

    names = sorted(registry()) if names is None else list(names)
    cases = [pytest.param(name, check, id=f"{name}-{check.__name__}",
                          marks=pytest.mark.xdist_group(name))
             for name in names for check in GENERIC_CHECKS]
    return pytest.mark.parametrize("claim, check", cases)
