"""The figure of a report: one panel per check, theory against simulation.

Plotting lives here and only here; checks and claims compute, this module draws.
"""

from __future__ import annotations

import io

import numpy as np

from .report import Report


def _axes_grid(n: int):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = min(3, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.6 * rows), squeeze=False)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    return fig, axes.ravel()


def _panel(ax, check) -> None:
    if check.status == "error" and check.predicted is None:
        ax.text(0.5, 0.5, check.details.get("error", "error"), ha="center", va="center", wrap=True,
                transform=ax.transAxes, fontsize=8)
        ax.set_title(f"{check.name} [ERROR]", fontsize=9)
        return
    pred = np.asarray(check.predicted, dtype=float)
    meas = np.asarray(check.measured, dtype=float)
    se = np.asarray(check.stderr, dtype=float)
    tol = np.asarray(check.tolerance, dtype=float)
    kind = check.kind
    if kind == "distribution":
        x = np.asarray(check.x, dtype=float)
        ax.fill_between(x, -tol, tol, color="0.85", label="tolerance")
        ax.errorbar(x, meas - pred, yerr=se, fmt="o", ms=3, label="empirical − predicted quantile")
        ax.axhline(0, color="k", lw=1)
        ax.set_xlabel("level p")
    elif kind == "extrapolation" and pred.ndim == 0:
        d = check.details
        inv = np.asarray(d["sizes"], float) ** (-d["exponent"])
        ax.errorbar(inv, d["means"], yerr=d["stderrs"], fmt="o", label="mean over seeds")
        grid = np.linspace(0, inv.max() * 1.05, 50)
        ax.plot(grid, meas + d["slope"] * grid, "--", label="fit")
        ax.errorbar([0], [meas], yerr=[tol], fmt="s", color="C3", label="intercept ± tol")
        ax.plot([0], [pred], "k*", ms=10, label="theory")
        ax.set_xlabel(f"size^-{d['exponent']:.3g}")
    elif kind == "scaling":
        d = check.details
        sizes = np.asarray(d["sizes"], float)
        vals = np.abs(np.asarray(d["values"], float))
        ax.loglog(sizes, vals, "o", label=f"{d['statistic']} over seeds")
        centre = np.exp(np.mean(np.log(vals)) - pred * np.mean(np.log(sizes)))
        ax.loglog(sizes, centre * sizes ** pred, "k-", label=f"theory slope {pred:.3g}")
        ax.set_xlabel("size")
    elif pred.ndim >= 1:
        x = np.arange(pred.size) if check.x is None else np.asarray(check.x, dtype=float)
        ax.plot(x, pred, "k-", label="theory")
        finite = np.isfinite(tol)
        ax.errorbar(x, meas, yerr=se, fmt="o", ms=4, label="simulation ± SE")
        ax.fill_between(x[finite], (pred - tol)[finite], (pred + tol)[finite], color="0.85",
                        label="tolerance")
    else:
        ax.errorbar([0], [meas], yerr=[se], fmt="o", label="simulation ± SE")
        ax.axhspan(pred - tol, pred + tol, color="0.85", label="tolerance")
        ax.axhline(pred, color="k", label="theory")
        ax.set_xticks([])
    ax.set_title(f"{check.name} [{check.status.upper()}]", fontsize=9)
    ax.legend(fontsize=7)


def report_figure(report: Report):
    """A matplotlib Figure with one panel per check of ``report``."""
    checks = report.checks
    fig, axes = _axes_grid(max(1, len(checks)))
    for ax, check in zip(axes, checks):
        _panel(ax, check)
    fig.suptitle(f"{report.title} — {report.verdict.upper()}", fontsize=10)
    fig.tight_layout()
    return fig


def report_png(report: Report) -> bytes:
    """The report's figure as PNG bytes (for ``--plot`` and the HTML/Markdown reports)."""
    import matplotlib.pyplot as plt

    fig = report_figure(report)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()
