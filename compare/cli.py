"""The ``verify`` command (``python -m compare`` is the same).

Exit codes: 0 every check passed, 1 a check failed, 2 bad usage or input, 3 a run failed.
Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import RunFailed, UsageError
from .params import PRESET_NAMES
from .registry import get_claim, registry
from .runner import run_claim


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
    p.add_argument("--cache", metavar="PATH", help="result store (default $VERIFY_CACHE or ~/.cache/verify)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the result store")
    p.add_argument("--predict-only", action="store_true", help="theory only, no simulation")
    p.add_argument("--perturb", default="1.0", metavar="FACTOR",
                   help="multiply every checked prediction by FACTOR (power test)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no terminal report")
    return p


def _number(flag: str, text: str, kind=int):
    try:
        return kind(text)
    except (TypeError, ValueError):
        what = "an integer" if kind is int else "a number"
        raise UsageError(f"{flag}={text!r} is invalid: must be {what}") from None


def _parse_overrides(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {item!r} is invalid: must be KEY=VALUE")
        out[key.strip()] = value
    return out


def _check_output(flag: str, path: str | None, suffixes: tuple[str, ...]) -> None:
    """Reject an unusable output path before any work is done."""
    if path is None or path == "-":
        return
    if suffixes and Path(path).suffix.lower() not in suffixes:
        raise UsageError(f"{flag}={path!r} is invalid: must end in {' or '.join(suffixes)}")
    parent = Path(path).resolve().parent
    if not parent.is_dir():
        raise UsageError(f"{flag}={path!r} is invalid: directory {str(parent)!r} does not exist")


def _list() -> int:
    for name, cls in sorted(registry().items()):
        print(f"{name:20s} {cls.title}")
        print(f"{'':20s} {cls.reference}")
        params = ", ".join(f"{p.name}={p.default}" for p in cls.params)
        print(f"{'':20s} parameters: {params}")
    return 0


def _write_outputs(report, args) -> None:
    if args.json:
        text = report.to_json()
        if args.json == "-":
            sys.stdout.write(text)
        else:
            Path(args.json).write_text(text)
    png = None
    if args.plot or args.report:
        from .plots import report_png
        png = None if report.predict_only else report_png(report)
    if args.plot and png is not None:
        Path(args.plot).write_bytes(png)
    if args.report:
        html = Path(args.report).suffix.lower() in (".html", ".htm")
        Path(args.report).write_text(report.render_html(png) if html else report.render_markdown(png))


def _run_all(args, common) -> int:
    rows, worst = [], 0
    for name in sorted(registry()):
        started = time.perf_counter()
        try:
            report = run_claim(name, **common)
            verdict, passed, total, code = report.verdict, sum(c.passed for c in report.checks), \
                len(report.checks), report.exit_code
        except RunFailed as exc:
            verdict, passed, total, code = "error", 0, 0, 3
            print(f"verify: {name}: run failed: {exc}", file=sys.stderr)
        rows.append((name, verdict, f"{passed}/{total}", f"{time.perf_counter() - started:.1f} s"))
        worst = max(worst, code)
    print(f"{'claim':20s} {'verdict':8s} {'checks':7s} wall time")
    for name, verdict, checks, wall in rows:
        print(f"{name:20s} {verdict:8s} {checks:7s} {wall}")
    return worst


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.list:
            return _list()
        if args.preset not in PRESET_NAMES:
            raise UsageError(f"--preset={args.preset!r} is invalid: must be one of {', '.join(PRESET_NAMES)}")
        for flag, path, suffixes in (("--json", args.json, (".json",)), ("--plot", args.plot, (".png",)),
                                     ("--report", args.report, (".html", ".htm", ".md"))):
            _check_output(flag, path, suffixes)
        common = dict(
            preset=args.preset,
            seeds=None if args.seeds is None else _number("--seeds", args.seeds),
            sizes=None if args.sizes is None else [_number("--sizes", s) for s in args.sizes.split(",")],
            backend=args.backend, root_seed=_number("--seed", args.root_seed),
            perturb=_number("--perturb", args.perturb, float),
            workers=None if args.workers is None else _number("--workers", args.workers),
            scheduler=args.scheduler,
            cache=False if args.no_cache else args.cache,
            progress=not args.quiet and sys.stderr.isatty(),
            predict_only=args.predict_only)
        if common["root_seed"] < 0:
            raise UsageError(f"--seed={args.root_seed!r} is out of range: must be an integer >= 0")
        if args.all:
            if args.overrides:
                raise UsageError("--set is invalid with --all: parameters differ between claims")
            return _run_all(args, common)
        get_claim(args.claim)
        report = run_claim(args.claim, overrides=_parse_overrides(args.overrides), **common)
        if not args.quiet and args.json != "-":
            sys.stdout.write(report.render_terminal())
        _write_outputs(report, args)
        return report.exit_code
    except UsageError as exc:
        print(f"verify: error: {exc}", file=sys.stderr)
        return UsageError.exit_code
    except RunFailed as exc:
        print(f"verify: run failed: {exc}", file=sys.stderr)
        return RunFailed.exit_code
    except KeyboardInterrupt:
        print("verify: interrupted; finished jobs are kept in the store", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"verify: error: {exc.strerror or exc}: {getattr(exc, 'filename', '')}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
