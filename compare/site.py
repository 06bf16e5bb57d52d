"""``verify --all``: one page for all claims, and its JSON summary.

``verify --all --report-dir DIR`` writes one HTML report per claim (``DIR/NAME.html``,
figure first), ``DIR/index.html`` — a table of claim, paper, verdict, checks passed,
the headline check's ``min_detectable``, wall time, a thumbnail of the headline figure
and a link — and ``DIR/summary.json`` (schema ``verify-summary/1``, also written by
``--all --json FILE``). This is the page a lab would publish next to a paper.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from .checks import _jsonable
from .report import PAGE_STYLE, Report

SCHEMA = "verify-summary/1"


@dataclass
class SummaryRow:
    """One claim's line of the summary."""

    claim: str
    title: str
    reference: str
    verdict: str
    checks_passed: int = 0
    checks: int = 0
    headline: str = ""
    headline_min_detectable: float | None = None
    wall_time_s: float = 0.0
    report: str | None = None
    error: str | None = None
    thumbnail: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_report(cls, report: Report, wall_time_s: float) -> "SummaryRow":
        head = next((c for c in report.checks if c.name == report.headline), None)
        return cls(report.claim, report.title, report.reference, report.verdict,
                   sum(c.status == "pass" for c in report.checks), len(report.checks), report.headline,
                   None if head is None else head.min_detectable, wall_time_s)

    def to_json(self) -> dict:
        return _jsonable({k: v for k, v in self.__dict__.items() if k != "thumbnail"})


def summary_json(rows: list[SummaryRow], preset: str, root_seed: int) -> str:
    data = {"schema": SCHEMA, "preset": preset, "root_seed": root_seed,
            "verdict": _overall(rows), "claims": [r.to_json() for r in rows]}
    return json.dumps(data, indent=2, sort_keys=True, allow_nan=False) + "\n"


def _overall(rows: list[SummaryRow]) -> str:
    verdicts = {r.verdict for r in rows}
    return "error" if "error" in verdicts else "fail" if "fail" in verdicts else "pass"


def render_index(rows: list[SummaryRow], preset: str, root_seed: int) -> str:
    esc = html.escape
    colours = {"pass": "#1a7f37", "fail": "#cf222e", "error": "#9a6700", "not-checked": "#57606a"}
    body = []
    for r in rows:
        thumb = (f"<img class='thumb' alt='headline figure of {esc(r.claim)}' "
                 f"src='data:image/png;base64,{base64.b64encode(r.thumbnail).decode()}'>" if r.thumbnail else "")
        name = f"<a href='{esc(r.report)}'>{esc(r.claim)}</a>" if r.report else esc(r.claim)
        power = "—" if r.headline_min_detectable is None else f"{100 * r.headline_min_detectable:.2g}%"
        note = f"<br><small>{esc(r.error)}</small>" if r.error else ""
        body.append(f"<tr><td>{name}<br><small>{esc(r.title)}</small></td><td>{esc(r.reference)}</td>"
                    f"<td style='color:{colours.get(r.verdict, '#000')}'><strong>{esc(r.verdict)}</strong>{note}</td>"
                    f"<td>{r.checks_passed}/{r.checks}</td><td>{esc(r.headline)}: {power}</td>"
                    f"<td>{r.wall_time_s:.1f} s</td><td>{thumb}</td></tr>")
    style = PAGE_STYLE + ".thumb{width:280px;max-width:100%}"
    return (f"<!doctype html><html><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>verify: {len(rows)} claims</title><style>{style}</style></head><body>"
            f"<h1>Theory against simulation: {len(rows)} claims</h1>"
            f"<p>Preset <code>{esc(preset)}</code>, root seed {root_seed}. Overall: "
            f"<strong>{esc(_overall(rows))}</strong>. <em>min det.</em> is the relative error of the theory "
            f"the headline check detects with 80% power.</p>"
            "<div class='table'><table><tr><th>claim</th><th>paper</th><th>verdict</th><th>checks passed</th>"
            "<th>headline, min det.</th><th>wall time</th><th>headline figure</th></tr>"
            + "".join(body) + "</table></div></body></html>\n")


def write_site(directory: Path, rows: list[SummaryRow], preset: str, root_seed: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "index.html").write_text(render_index(rows, preset, root_seed), encoding="utf-8")
    (directory / "summary.json").write_text(summary_json(rows, preset, root_seed), encoding="utf-8")
