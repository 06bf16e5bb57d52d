"""The ``verify`` command (``python -m compare`` is the same).

Exit codes: 0 every check passed (or ``--predict-only``), 1 a check failed, 2 bad usage
or input (found before anything is computed), 3 a run failed or a check could not
compare anything (verdict ``error``; the JSON report is still written). Errors are one
line on stderr, never a traceback (``--debug`` shows it for an unexpected error).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from .errors import RunFailed, UsageError
from .params import PRESET_NAMES

MAX_SEEDS = 100_000
"""Upper bound of ``--seeds`` (time: at ≥ 1 ms a job, more is hours per size)."""
MAX_SIZE = 1_000_000
"""Upper bound of each ``--sizes`` value (memory: a dense matrix of that size is ~8 TB)."""
MAX_WORKERS = 1024
"""Upper bound of ``--workers`` (local processes; a cluster is reached with ``--scheduler``)."""
MAX_CALIBRATE = 10_000


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="verify", description="Check a paper's prediction against a simulation of the same setup.")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--list", action="store_true", help="list the registered claims")
    what.add_argument("--claim", metavar="NAME", help="the claim to verify")
    what.add_argument("--all", action="store_true", help="verify every registered claim")
    p.add_argument("--preset", default="standard", help="quick | standard | paper (default standard)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a parameter (parsed by its declared type)")
    p.add_argument("--seeds", metavar="N", help="independent seeds per size (>= 2)")
    p.add_argument("--sizes", metavar="N1,N2,...", help="sizes to simulate")
    p.add_argument("--backend", default="auto", help="auto | numpy | numba | cupy")
    p.add_argument("--seed", dest="root_seed", default="0", metavar="ROOT", help="root seed (default 0)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", metavar="N", help="local worker processes (default: cores)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="dask.distributed scheduler address")
    p.add_argument("--json", metavar="FILE|-", help="write the JSON report (verify-report/1)")
    p.add_argument("--report", metavar="FILE.html|.md", help="write an HTML or Markdown report")
    p.add_argument("--plot", metavar="FILE.png", help="write the figure")
    p.add_argument("--report-dir", metavar="DIR",
                   help="with --all: one HTML report per claim, index.html and summary.json")
    p.add_argument("--cache", metavar="PATH", help="result store (default $VERIFY_CACHE or ~/.cache/verify)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the result store")
    p.add_argument("--predict-only", action="store_true", help="theory only, no simulation")
    p.add_argument("--perturb", default="1.0", metavar="FACTOR",
                   help="multiply every checked prediction by FACTOR (power test)")
    p.add_argument("--calibrate", metavar="R",
                   help="run R further root seeds; print false-failure rates and power per check")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no terminal report")
    p.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    return p


def _number(flag: str, text: str, kind=int, low=None, high=None, why: str = ""):
    """``text`` parsed as ``kind`` and checked against ``[low, high]``, or a UsageError naming ``flag``."""
    try:
        value = kind(text)
    except (TypeError, ValueError, OverflowError):
        what = "an integer" if kind is int else "a number"
        raise UsageError(f"{flag}={text!r} is invalid: must be {what}") from None
    if (low is not None and not value >= low) or (high is not None and not value <= high):
        rule = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise UsageError(f"{flag}={text.strip()} is out of range: must be {rule}{why}")
    return value


def _parse_overrides(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--set {item!r} is invalid: must be KEY=VALUE")
        if key in out:
            raise UsageError(f"--set {key}= is given twice: give each parameter once")
        out[key] = value
    return out


def _check_output(flag: str, path: str | None, suffixes: tuple[str, ...], stdout_ok: bool = False) -> None:
    """Reject an unusable output path before any work is done."""
    if path is None or (stdout_ok and path == "-"):
        return
    if path == "-" or not path.strip():
        raise UsageError(f"{flag}={path!r} is invalid: must be a file name ending in {' or '.join(suffixes)}")
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        raise UsageError(f"{flag}={path!r} is invalid: must end in {' or '.join(suffixes)}")
    if target.is_dir():
        raise UsageError(f"{flag}={path!r} is invalid: it is a directory")
    parent = target.resolve().parent
    if not parent.is_dir():
        raise UsageError(f"{flag}={path!r} is invalid: directory {str(parent)!r} does not exist")
    existed = target.exists()
    try:  # the only sure test of writability is to open the file; remove it again if we made it
        with open(target, "a"):
            pass
    except OSError as exc:
        raise UsageError(f"{flag}={path!r} is invalid: cannot write there ({exc.strerror or exc})") from None
    if not existed:
        os.remove(target)


def _check_directory(flag: str, path: str) -> None:
    """A directory that exists and is writable, or whose parent is, before any work."""
    target = Path(path)
    if not path.strip() or (target.exists() and not target.is_dir()):
        raise UsageError(f"{flag}={path!r} is invalid: must be a directory")
    existing = target if target.exists() else target.resolve().parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{flag}={path!r} is invalid: cannot create or write it")


def _list() -> int:
    from .registry import claim_index
    for name, entry in sorted(claim_index().items()):
        print(f"{name:20s} {entry['title']}")
        print(f"{'':20s} {entry['reference']}")
        params = ", ".join(f"{key}={default}" for key, default in entry["params"])
        print(f"{'':20s} parameters: {params}")
    return 0


def _write_outputs(report, args) -> None:
    """JSON first (it cannot fail to render), then the figure and the report."""
    if args.json:
        text = report.to_json()
        if args.json == "-":
            sys.stdout.write(text)
        else:
            Path(args.json).write_text(text)
    png = None
    if args.plot or args.report:
        from .plots import report_png
        png = report_png(report)
    if args.plot:
        Path(args.plot).write_bytes(png)
    if args.report:
        html = Path(args.report).suffix.lower() in (".html", ".htm")
        Path(args.report).write_text(report.render_html(png) if html else report.render_markdown(png))


def _run_all(args, common) -> int:
    from .registry import registry
    from .runner import run_claim
    from .site import SummaryRow, summary_json, write_site

    directory = Path(args.report_dir) if args.report_dir else None
    rows, worst = [], 0
    for name in sorted(registry()):
        started = time.perf_counter()
        try:
            report = run_claim(name, **common)
            row = SummaryRow.from_report(report, time.perf_counter() - started)
            if directory is not None:
                from .plots import figure_png, headline_figure, report_png
                directory.mkdir(parents=True, exist_ok=True)
                row.report = f"{name}.html"
                (directory / row.report).write_text(report.render_html(report_png(report)), encoding="utf-8")
                row.thumbnail = figure_png(headline_figure(report), dpi=80)
            code = report.exit_code
        except RunFailed as exc:
            cls = registry()[name]
            row = SummaryRow(name, cls.title, cls.reference, "error", wall_time_s=time.perf_counter() - started,
                             headline=cls.headline, error=f"run failed: {exc}")
            code = 3
            print(f"verify: {name}: run failed: {exc}", file=sys.stderr)
        rows.append(row)
        worst = max(worst, code)
        if directory is not None:  # rewritten after every claim: an interrupted --all keeps its page
            write_site(directory, rows, args.preset, common["root_seed"])
    if args.json:
        text = summary_json(rows, args.preset, common["root_seed"])
        sys.stdout.write(text) if args.json == "-" else Path(args.json).write_text(text)
    if not args.quiet and args.json != "-":
        print(f"{'claim':32s} {'verdict':11s} {'checks':7s} wall time")
        for r in rows:
            print(f"{r.claim:32s} {r.verdict:11s} {f'{r.checks_passed}/{r.checks}':7s} {r.wall_time_s:.1f} s")
        if directory is not None:
            print(f"wrote {directory / 'index.html'}")
    return worst


def _common_options(args) -> dict:
    if args.preset not in PRESET_NAMES:
        raise UsageError(f"--preset={args.preset!r} is invalid: must be one of {', '.join(PRESET_NAMES)}")
    if args.cache is not None and not args.cache.strip():
        raise UsageError("--cache='' is invalid: must be a file path (or use --no-cache)")
    if args.scheduler is not None and not args.scheduler.strip():
        raise UsageError("--scheduler='' is invalid: must be an address such as tcp://HOST:8786")
    sizes = None
    if args.sizes is not None:
        sizes = [_number("--sizes", s, int, 2, MAX_SIZE, " (memory)") for s in args.sizes.split(",")]
    return dict(
        preset=args.preset,
        seeds=None if args.seeds is None else _number("--seeds", args.seeds, int, 2, MAX_SEEDS, " (time)"),
        sizes=sizes, backend=args.backend,
        root_seed=_number("--seed", args.root_seed, int, 0, 2**63 - 1),
        perturb=_number("--perturb", args.perturb, float, 1e-6, 1e6),
        workers=None if args.workers is None else _number("--workers", args.workers, int, 1, MAX_WORKERS,
                                                          " (local processes; use --scheduler for more)"),
        scheduler=args.scheduler,
        cache=False if args.no_cache else args.cache,
        progress=not args.quiet and sys.stderr.isatty(),
        predict_only=args.predict_only)


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.list:
        return _list()
    for flag, path, suffixes, stdout_ok in (("--json", args.json, (".json",), True),
                                            ("--plot", args.plot, (".png",), False),
                                            ("--report", args.report, (".html", ".htm", ".md"), False)):
        _check_output(flag, path, suffixes, stdout_ok)
    common = _common_options(args)
    if args.backend:
        from simulate.backend import BACKENDS
        if args.backend not in BACKENDS:
            raise UsageError(f"--backend={args.backend!r} is invalid: must be one of {', '.join(BACKENDS)}")
    if args.all:
        if args.overrides:
            raise UsageError("--set is invalid with --all: parameters differ between claims")
        if args.plot or args.report:
            raise UsageError("--plot and --report are invalid with --all: use --report-dir DIR "
                             "(one report per claim and an index page)")
        if args.calibrate:
            raise UsageError("--calibrate is invalid with --all: calibrate one claim with --claim")
        if args.report_dir is not None:
            _check_directory("--report-dir", args.report_dir)
        return _run_all(args, common)
    if args.report_dir is not None:
        raise UsageError("--report-dir is invalid with --claim: use --report FILE.html (or --all --report-dir)")
    from .registry import get_claim
    from .runner import run_claim

    get_claim(args.claim)
    overrides = _parse_overrides(args.overrides)
    if args.calibrate is not None:
        return _calibrate(args, overrides, common)
    report = run_claim(args.claim, overrides=overrides, **common)
    if not args.quiet and args.json != "-":
        sys.stdout.write(report.render_terminal())
    _write_outputs(report, args)
    return report.exit_code


def _calibrate(args, overrides, common) -> int:
    from .calibrate import calibrate, render_calibration

    runs = _number("--calibrate", args.calibrate, int, 1, MAX_CALIBRATE, " (time)")
    if args.predict_only or common["perturb"] != 1.0 or args.json or args.report or args.plot:
        raise UsageError("--calibrate is invalid with --predict-only, --perturb, --json, --report or --plot")
    root = common.pop("root_seed")
    common.pop("predict_only")
    rows = calibrate(args.claim, runs, root_seed=root, overrides=overrides, **common)
    sys.stdout.write(render_calibration(args.claim, rows, args.preset))
    return 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM (what ``timeout`` and ``kill`` send), handled like Ctrl-C."""


def _on_sigterm(signum, frame):
    raise _Terminated


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main_thread else None
    try:
        return _main(argv)
    except UsageError as exc:
        print(f"verify: error: {_one_line(exc)}", file=sys.stderr)
        return UsageError.exit_code
    except RunFailed as exc:
        print(f"verify: run failed: {_one_line(exc)}", file=sys.stderr)
        return RunFailed.exit_code
    except KeyboardInterrupt as exc:
        print("verify: interrupted; finished jobs are kept in the store", file=sys.stderr)
        return 143 if isinstance(exc, _Terminated) else 130
    except Exception as exc:  # noqa: BLE001 - any other failure is one line and exit 3
        if "--debug" in argv:
            import traceback
            traceback.print_exc()
        print(f"verify: run failed: {type(exc).__name__}: {_one_line(exc)} (rerun with --debug for the "
              "traceback)", file=sys.stderr)
        return RunFailed.exit_code
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
