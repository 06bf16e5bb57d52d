"""What the example scripts share: their command line, their labelled panels and the PNG they write.

``python examples/NAME.py`` puts this folder first on ``sys.path``, so a script imports this module as
``_common``; the example tests put it there too.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def example_parser(doc: str, script: str, *, seeds: int | None = None, seeds_help: str | None = None,
                   workers: bool = False, seed: bool = False) -> argparse.ArgumentParser:
    """The script's parser: described by its docstring's first line, ``--out`` defaulting to ``NAME.png``.

    Parameters
    ----------
    doc : str
        The script's ``__doc__``.
    script : str
        The script's ``__file__``; its stem names the default PNG.
    seeds : int, optional
        Adds ``--seeds`` with this default (independent repetitions, e.g. the seeds of a claim's run).
    seeds_help : str, optional
        Help text of ``--seeds``.
    workers : bool
        Adds ``--workers`` (processes of a claim's run; default: the runner's choice).
    seed : bool
        Adds ``--seed``, the root of the script's own random draws (default 0).
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", default=f"{Path(script).stem}.png")
    if seeds is not None:
        parser.add_argument("--seeds", type=int, default=seeds, help=seeds_help)
    if workers:
        parser.add_argument("--workers", type=int, default=None)
    if seed:
        parser.add_argument("--seed", type=int, default=0)
    return parser


def label_panel(ax, title: str | None = None, xlabel: str | None = None, ylabel: str | None = None, *,
                title_size: float | None = None, legend: bool = True) -> None:
    """Title (in ``title_size`` if given) and axis labels where given, and the legend in the examples' size."""
    if title is not None:
        ax.set_title(title, **({} if title_size is None else {"fontsize": title_size}))
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if legend:
        ax.legend(fontsize=8)


def write_figure(fig, out: str) -> None:
    """Lay the figure out, write it as PNG at the examples' resolution and say where."""
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


def theory_and_simulation(ax, x, check, *, colour=None, theory: str | None = None, simulation: str | None = None,
                          scale: float = 1.0, style: str = "-") -> None:
    """A check's prediction as a line (``style``) and its measurement as points ± SE, all times ``scale``.

    Without ``colour`` the line takes the style's colour and the points the next one of the cycle.
    """
    colour_kw = {} if colour is None else {"color": colour}
    ax.plot(x, np.asarray(check.predicted) * scale, style, label=theory, **colour_kw)
    ax.errorbar(x, np.asarray(check.measured) * scale, yerr=np.asarray(check.stderr) * scale, fmt="o", ms=4,
                capsize=2, label=simulation, **colour_kw)


def rate_points(ax, batch_size, mean, se) -> None:
    """The per-step learning rate ``2/E λ₁`` of simulated top eigenvalues, its SE by the delta method."""
    ax.errorbar(batch_size, 2.0 / mean, yerr=2.0 * se / mean ** 2, fmt="o", ms=4, capsize=2,
                label="2/E λ₁ (simulation)")


def add_report_option(parser: argparse.ArgumentParser, claim: str) -> None:
    """``--report REPORT.json`` (repeatable): draw from ``verify --json`` reports instead of computing."""
    parser.add_argument("--report", action="append", metavar="REPORT.json",
                        help=f"a `verify --claim {claim} --json` report to draw (repeat for more)")


def load_reports(paths: list[str], claim: str) -> list[dict]:
    """The JSON reports at ``paths``; a report of another claim exits with a one-line message."""
    reports = []
    for path in paths:
        try:
            reports.append(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise SystemExit(f"--report {path}: cannot read a JSON report ({type(exc).__name__}: {exc})") from None
    for report in reports:
        if report.get("claim") != claim:
            raise SystemExit(f"--report: a report of claim {report.get('claim')!r}, not {claim}")
    return reports
