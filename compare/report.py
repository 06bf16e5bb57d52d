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
            rows.append([name, _fmt(c.predicted), _fmt(c.measured), _fmt(c.stderr), _fmt(c.tolerance),
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
        out = [f"# {self.title}", "", f"*{self.reference}*", "",
               f"Run `{self.label}`: preset `{self.preset}`, sizes {self.sizes}, {self.seeds} seeds, "
               f"root seed {self.root_seed}, backend `{self.backend}`, perturb {self.perturb:g}.", "",
               f"**Verdict: {self.verdict.upper()}**", ""]
        rows = self._rows()
        out.append("| " + " | ".join(rows[0]) + " | reason |")
        out.append("|" + "---|" * (len(rows[0]) + 1))
        for row, c in zip(rows[1:], self.checks):
            out.append("| " + " | ".join(row) + f" | {c.tolerance_reason} |")
        if png is not None:
            out += ["", f"![figure](data:image/png;base64,{base64.b64encode(png).decode()})"]
        return "\n".join(out) + "\n"

    def render_html(self, png: bytes | None = None) -> str:
        esc = html.escape
        rows = self._rows()
        head = "".join(f"<th>{esc(c)}</th>" for c in rows[0] + ["reason"])
        body = "".join(
            "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row)
            + f"<td>{esc(c.tolerance_reason)}</td></tr>" for row, c in zip(rows[1:], self.checks))
        img = (f'<img alt="theory vs simulation" src="data:image/png;base64,'
               f'{base64.b64encode(png).decode()}">' if png is not None else "")
        color = {"pass": "#1a7f37", "not-checked": "#57606a"}.get(self.verdict, "#cf222e")
        return (f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(self.label)}</title>"
                "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
                "td,th{padding:2px 8px;border-bottom:1px solid #ddd;font-size:13px}</style></head><body>"
                f"<h1>{esc(self.title)}</h1><p><em>{esc(self.reference)}</em></p>"
                f"<p>Run <code>{esc(self.label)}</code>: preset {esc(self.preset)}, sizes {self.sizes}, "
                f"{self.seeds} seeds, root seed {self.root_seed}, backend {esc(self.backend)}, "
                f"perturb {self.perturb:g}.</p>"
                f"<h2 style='color:{color}'>Verdict: {esc(self.verdict.upper())}</h2>"
                f"<table><tr>{head}</tr>{body}</table>{img}</body></html>\n")


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
