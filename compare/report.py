"""The report of one verification, and its renderers: terminal table, JSON, Markdown, HTML.

The JSON schema is ``verify-report/1``. Everything outside ``run`` is a pure function of
the claim, its parameters and the root seed; ``run`` holds what depends on the machine
(wall time, executor, workers, cache hits, versions).
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass, field
from typing import Any

from .checks import CheckResult, _jsonable
from .params import canonical

SCHEMA = "verify-report/1"
CHECK_KEYS = ("name", "quantity", "predicted", "measured", "stderr", "tolerance",
              "tolerance_reason", "deviation", "passed", "min_detectable", "status", "effect",
              "consistency")
VERDICTS = ("pass", "fail", "error", "not-checked")
EXIT_CODES = {"pass": 0, "fail": 1, "error": 3, "not-checked": 0}


@dataclass
class Report:
    """One verification: the claim, its parameters and budget, the check results and the run.

    ``verdict`` is ``pass`` (every check passed), ``fail`` (a check failed), ``error`` (a
    check compared nothing or saw a measurement that did not converge; or no checks) or
    ``not-checked`` (``--predict-only``). ``measurements`` is kept for re-evaluating
    checks (perturbation tests, calibration) and is not part of the JSON.
    """

    claim: str
    title: str
    reference: str
    verdict: str
    preset: str
    params: dict[str, Any]
    sizes: list[int]
    seeds: int
    root_seed: int
    backend: str
    perturb: float
    label: str
    checks: list[CheckResult] = field(default_factory=list)
    predictions: dict[str, Any] = field(default_factory=dict)
    run: dict[str, Any] = field(default_factory=dict)
    predict_only: bool = False
    headline: str = ""
    measurements: Any = field(default=None, repr=False, compare=False)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.verdict, 3)

    def check(self, name: str) -> CheckResult:
        """The result of the check called ``name``; KeyError naming the known checks if there is none."""
        for result in self.checks:
            if result.name == name:
                return result
        raise KeyError(f"no check {name!r} in this report: its checks are {[c.name for c in self.checks]}")

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA, "claim": self.claim, "title": self.title,
            "reference": self.reference, "label": self.label, "verdict": self.verdict,
            "headline": self.headline,
            "preset": self.preset, "predict_only": self.predict_only,
            "params": {k: canonical(v) for k, v in self.params.items()},
            "sizes": list(self.sizes), "seeds": self.seeds, "root_seed": self.root_seed,
            "backend": self.backend, "perturb": self.perturb,
            "checks": [c.to_json() for c in self.checks],
            "predictions": _jsonable(self.predictions),
            "run": _jsonable(self.run),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, sort_keys=True, allow_nan=False) + "\n"

    # ------------------------------------------------------------------ text forms
    def _rows(self) -> list[list[str]]:
        rows = [["check", "predicted", "measured", "± SE", "tolerance", "dev/tol", "min det.", "must detect",
                 "ok"]]
        for c in self.checks:
            name = f"* {c.name}" if c.name == self.headline else c.name
            tolerance = _fmt(c.tolerance)
            if "tolerance_below" in c.details:  # a floor granted above the prediction only
                tolerance = f"+{tolerance} / −{_fmt(c.details['tolerance_below'])}"
            rows.append([name, _fmt(c.predicted), _fmt(c.measured), _fmt(c.stderr), tolerance,
                         f"{c.deviation:.2f}", _fmt_rel(c.min_detectable), _fmt_declared(c),
                         c.status.upper()])
        return rows

    def summary(self) -> str:
        """``VERDICT (k/n checks passed)``, naming the checks that errored."""
        passed = sum(c.status == "pass" for c in self.checks)
        text = f"{self.verdict.upper()} ({passed}/{len(self.checks)} checks passed)"
        errors = [f"{c.name}: {c.details.get('error', 'compared nothing or a non-finite measurement')}"
                  for c in self.checks if c.status == "error"]
        if not self.checks:
            errors.append("the claim declares no checks")
        return text + ("; error: " + "; ".join(errors) if errors else "")

    def header_lines(self) -> list[str]:
        lines = [f"{self.title}", f"  {self.reference}", f"  run: {self.label}",
                 f"  preset={self.preset} sizes={','.join(map(str, self.sizes))} seeds={self.seeds} "
                 f"root_seed={self.root_seed} backend={self.backend}"
                 + (f" perturb={self.perturb:g}" if self.perturb != 1.0 else "")]
        return lines

    def render_terminal(self) -> str:
        lines = self.header_lines()
        if self.predict_only:
            lines.append("  predictions (theory only):")
            for key, value in self.predictions.items():
                lines.append(f"    {key} = {_fmt(value, width=12)}")
        else:
            rows = self._rows()
            widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
            for k, row in enumerate(rows):
                lines.append("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
                if k == 0:
                    lines.append("  " + "  ".join("-" * w for w in widths))
            lines.append("  * headline: the paper's own statement. min det.: relative error of the theory "
                         "detected with 80% power; must detect: the declared effect, or a consistency check")
            lines.append("  tolerances:")
            lines.extend(f"    {c.name}: {c.tolerance_reason}" for c in self.checks)
            lines.extend(f"    {c.name} (consistency): {c.consistency}" for c in self.checks if c.consistency)
            lines.extend(f"    {c.name} (declared effect): {c.effect_reason}" for c in self.checks
                         if c.effect_reason)
        status = self.verdict.upper() if self.predict_only else self.summary()
        lines.append(f"verdict: {status} in {self.run.get('wall_time_s', 0):.1f} s")
        return "\n".join(lines) + "\n"

    def render_markdown(self, png: bytes | None = None) -> str:
        """Markdown: the figure first, then the checks (cells escape ``|``)."""
        out = [f"# {_md(self.title)}", "", f"*{_md(self.reference)}*", "",
               f"Run `{self.label}`: preset `{self.preset}`, sizes {self.sizes}, {self.seeds} seeds, "
               f"root seed {self.root_seed}, backend `{self.backend}`, perturb {self.perturb:g}.", "",
               f"**Verdict: {_md(self.summary() if not self.predict_only else self.verdict.upper())}**", ""]
        if png is not None:
            out += [f"![{_md(self.title)}: the paper's figure, then one panel per check]"
                    f"(data:image/png;base64,{base64.b64encode(png).decode()})", ""]
        if self.checks:
            rows = self._rows()
            out.append("| " + " | ".join(_md(c) for c in rows[0]) + " | reason |")
            out.append("|" + "---|" * (len(rows[0]) + 1))
            for row, c in zip(rows[1:], self.checks):
                out.append("| " + " | ".join(_md(cell) for cell in row) + f" | {_md(_reason(c))} |")
        return "\n".join(out) + "\n"

    def render_html(self, png: bytes | None = None) -> str:
        """A self-contained page: figure first (scaled to the page), a table of contents, the checks."""
        esc = html.escape
        color = {"pass": "#1a7f37", "not-checked": "#57606a"}.get(self.verdict, "#cf222e")
        parts = [f"<!doctype html><html><head><meta charset='utf-8'>"
                 f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
                 f"<title>{esc(self.label)}</title><style>{PAGE_STYLE}</style></head><body>",
                 f"<h1>{esc(self.title)}</h1><p><em>{esc(self.reference)}</em></p>",
                 f"<p>Run <code>{esc(self.label)}</code>: preset {esc(self.preset)}, sizes "
                 f"{esc(', '.join(map(str, self.sizes)))}, {self.seeds} seeds, root seed {self.root_seed}, "
                 f"backend {esc(self.backend)}, perturb {self.perturb:g}.</p>",
                 f"<h2 style='color:{color}'>Verdict: "
                 f"{esc(self.summary() if not self.predict_only else self.verdict.upper())}</h2>"]
        if self.checks:
            parts.append("<nav><strong>Checks</strong><ol>" + "".join(
                f"<li><a href='#check-{k}'>{esc(c.name)}</a>{' (headline)' if c.name == self.headline else ''}"
                f" — {esc(c.status)}</li>" for k, c in enumerate(self.checks)) + "</ol></nav>")
        if png is not None:
            parts.append(f"<figure><img alt='{esc(self.title)}: the paper&#39;s figure, then one panel per check' "
                         f"src='data:image/png;base64,{base64.b64encode(png).decode()}'></figure>")
        if self.checks:
            rows = self._rows()
            head = "".join(f"<th>{esc(c)}</th>" for c in rows[0] + ["reason"])
            body = "".join(
                f"<tr id='check-{k}'>" + "".join(f"<td>{esc(cell)}</td>" for cell in row)
                + f"<td>{esc(_reason(c))}</td></tr>" for k, (row, c) in enumerate(zip(rows[1:], self.checks)))
            parts.append(f"<div class='table'><table><tr>{head}</tr>{body}</table></div>")
        else:
            parts.append("<h3>Predictions</h3><ul>" + "".join(
                f"<li><code>{esc(key)}</code> = {esc(_fmt(value, width=12))}</li>"
                for key, value in self.predictions.items()) + "</ul>")
        parts.append("</body></html>\n")
        return "".join(parts)


PAGE_STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:auto;padding:0 12px;box-sizing:border-box}"
              "img{max-width:100%;height:auto;display:block}figure{margin:1em 0}"
              ".table{max-width:100%;overflow-x:auto}table{border-collapse:collapse;width:100%}"
              "td,th{padding:2px 8px;border-bottom:1px solid #ddd;font-size:13px;vertical-align:top;"
              "overflow-wrap:break-word}nav ol{margin:0.3em 0}code{overflow-wrap:anywhere}")
"""Page style shared by reports and the index page: the figure and the tables scale to the page."""


def _reason(check: CheckResult) -> str:
    extra = [f"consistency: {check.consistency}"] if check.consistency else []
    extra += [f"declared effect: {check.effect_reason}"] if check.effect_reason else []
    if check.details.get("error"):
        extra.append(f"error: {check.details['error']}")
    return "; ".join([check.tolerance_reason, *extra])


def _md(text) -> str:
    """A Markdown table cell or inline text: ``|`` escaped, no line breaks."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _fmt(value, width: int = 6) -> str:
    import numpy as np
    arr = np.asarray(value, dtype=float) if value is not None else np.asarray(np.nan)
    if arr.ndim == 0:
        return f"{float(arr):.{width}g}"
    if arr.size <= 3:
        return "[" + ", ".join(f"{v:.4g}" for v in arr.ravel()) + "]"
    return f"[{arr.size} pts, {np.nanmin(arr):.3g}..{np.nanmax(arr):.3g}]"


def _fmt_rel(value: float) -> str:
    return "none" if value == float("inf") else f"{100 * value:.2g}%"


def _fmt_declared(check: CheckResult) -> str:
    if check.consistency:
        return "consistency"
    return "undeclared" if check.effect is None else _fmt_rel(check.effect)
