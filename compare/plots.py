"""The figure of a report: the paper's figure first, then one diagnostic panel per check.

Plotting lives here and only here (claims may add a ``draw_headline`` method, which runs
here too); checks and claims compute, this module draws. Figures are built with
matplotlib's object API (``matplotlib.figure.Figure``): no global backend switch, no
pyplot state.

The **headline panel** shows the paper's statement in the paper's coordinates. A claim
may draw it itself (``draw_headline(self, ax, report)``); otherwise it is derived from
the headline check: a theory curve over its abscissa with the simulation's mean ± SE at
every size (one colour per size, as in finite-size figures of the papers), a scalar
against the size, a threshold against the measured curves. With ``--predict-only`` it
shows the theory alone. The **diagnostic panels** follow, one per check: residuals and
tolerance bands, fits at 1/size → 0, log–log slopes.
"""

from __future__ import annotations

import io

import numpy as np

from .report import Report


def _new_figure(n_diagnostics: int, headline: bool):
    from matplotlib.figure import Figure

    cols = max(1, min(3, n_diagnostics))
    rows = -(-n_diagnostics // cols) if n_diagnostics else 0
    top = 1 if headline else 0
    fig = Figure(figsize=(4.6 * max(cols, 2), 3.6 * rows + 4.2 * top), layout="constrained")
    grid = fig.add_gridspec(top + rows, cols, height_ratios=[1.3] * top + [1.0] * rows)
    head = fig.add_subplot(grid[0, :]) if headline else None
    axes = [fig.add_subplot(grid[top + k // cols, k % cols]) for k in range(n_diagnostics)]
    return fig, head, axes


# --------------------------------------------------------------------------- headline
def _declared_checks(report: Report) -> dict:
    from .registry import get_claim

    try:
        return {c.name: c for c in get_claim(report.claim)().checks(report.params)}
    except Exception:  # noqa: BLE001 - a figure never breaks a report
        return {}


def size_points(report: Report, quantity: str):
    """``[(size, mean, se)]`` of ``quantity`` over seeds at every size (empty without measurements)."""
    from .stats import mean_and_stderr

    ms = report.measurements
    if ms is None:
        return []
    out = []
    for size in ms.sizes:
        try:
            mean, se = mean_and_stderr(ms.values(quantity, size))
        except (KeyError, ValueError):
            return []
        out.append((size, np.asarray(mean, float), np.asarray(se, float)))
    return out


def size_colours(n: int):
    """``n`` colours of the viridis map, one per size (the papers' finite-size figures)."""
    from matplotlib import colormaps
    cmap = colormaps["viridis"]
    return [cmap(0.15 + 0.7 * k / max(1, n - 1)) for k in range(n)]


def theory_label(report: Report) -> str:
    """Legend label of the theory line (``theory × p`` under ``--perturb p``)."""
    return "theory" if report.perturb == 1.0 else f"theory × {report.perturb:g}"


def default_headline(ax, report: Report) -> bool:
    """Draw the headline check in the paper's coordinates; False if there is nothing to draw."""
    check = _declared_checks(report).get(report.headline)
    if check is None or check.quantity not in report.predictions:
        return False
    predicted = np.asarray(report.predictions[check.quantity], dtype=float) * report.perturb
    name = f"{report.claim}: {check.quantity}"
    x_name = getattr(check, "x", None)
    source = getattr(check, "curve", None) if check.kind == "threshold" else check.quantity
    points = size_points(report, source)
    colours = size_colours(len(points))
    size_name = _size_name(report)
    if check.kind == "threshold":
        xs = np.asarray(report.predictions[x_name], dtype=float)
        for (size, mean, se), colour in zip(points, colours):
            ax.errorbar(xs, np.maximum(mean, 1e-300), yerr=se, fmt="o-", ms=3, color=colour,
                        label=f"simulation, {size_name} = {size}")
        ax.axvline(float(predicted), color="k", label=theory_label(report))
        ax.axhline(check.level, color="0.5", ls=":", label="level")
        ax.set_yscale("log")
        ax.set_xlabel(x_name)
    elif predicted.ndim >= 1 and predicted.size > 1 or (x_name and x_name in report.predictions):
        xs = (np.asarray(report.predictions[x_name], dtype=float) if x_name in report.predictions
              else np.arange(predicted.shape[-1]))
        lines = predicted.reshape(-1, xs.size) if predicted.size % max(1, xs.size) == 0 else predicted[None]
        for k, line in enumerate(lines):
            ax.plot(xs, line, "k-", lw=1.5, label=theory_label(report) if k == 0 else None)
        for (size, mean, se), colour in zip(points, colours):
            mean, se = mean.reshape(-1, xs.size), se.reshape(-1, xs.size)
            for k in range(mean.shape[0]):
                ax.errorbar(xs, mean[k], yerr=se[k], fmt="o", ms=4, capsize=2, color=colour,
                            label=f"simulation, {size_name} = {size}" if k == 0 else None)
        ax.set_xlabel(x_name or "index")
    else:
        for (size, mean, se), colour in zip(points, colours):
            ax.errorbar([size], [float(np.ravel(mean)[0])], yerr=[float(np.ravel(se)[0])], fmt="o",
                        capsize=3, color=colour, label=f"simulation, {size_name} = {size}")
        ax.axhline(float(predicted), color="k", label=theory_label(report))
        if points:
            ax.set_xscale("log")
        ax.set_xlabel(size_name)
    ax.set_ylabel(check.quantity)
    ax.set_title(f"{name} — {check.name}", fontsize=10)
    ax.legend(fontsize=8)
    return True


def _size_name(report: Report) -> str:
    from .registry import get_claim
    try:
        return get_claim(report.claim).size_name
    except Exception:  # noqa: BLE001
        return "size"


def draw_headline(ax, report: Report) -> bool:
    """The claim's own headline figure if it draws one, else :func:`default_headline`."""
    from .registry import get_claim

    try:
        cls = get_claim(report.claim)
    except Exception:  # noqa: BLE001
        cls = None
    drawer = getattr(cls, "draw_headline", None) if cls is not None else None
    try:
        if drawer is not None:
            drawer(cls(), ax, report)
            return True
        return default_headline(ax, report)
    except Exception as exc:  # noqa: BLE001 - a figure that cannot be drawn never costs the report
        ax.clear()
        ax.set_axis_off()
        ax.text(0.5, 0.5, f"headline figure not drawn: {type(exc).__name__}: {exc}", ha="center",
                va="center", wrap=True, transform=ax.transAxes, fontsize=8)
        return True


# --------------------------------------------------------------------------- diagnostics
def _panel(ax, check) -> None:
    if check.predicted is None:
        ax.text(0.5, 0.5, check.details.get("error", "error"), ha="center", va="center", wrap=True,
                transform=ax.transAxes, fontsize=8)
        ax.set_title(f"{check.name} [{check.status.upper()}]", fontsize=9)
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
        ok = vals > 0
        ax.loglog(sizes[ok], vals[ok], "o", label=f"{d['statistic']} over seeds")
        if ok.any():
            centre = np.exp(np.mean(np.log(vals[ok])) - pred * np.mean(np.log(sizes[ok])))
            ax.loglog(sizes, centre * sizes ** pred, "k-", label=f"theory slope {pred:.3g}")
        ax.set_xlabel("size")
    elif pred.ndim >= 1:
        below = np.asarray(check.details.get("tolerance_below", tol), dtype=float)
        pred, meas, se, tol, below = (np.broadcast_to(a, pred.shape).ravel() for a in (pred, meas, se, tol, below))
        x = np.asarray(check.x, dtype=float).ravel() if check.x is not None else None
        x = x if x is not None and x.size == pred.size else np.arange(pred.size)
        ax.plot(x, pred, "k-", label="theory")
        finite = np.isfinite(tol) & np.isfinite(below)
        ax.errorbar(x, meas, yerr=se, fmt="o", ms=4, label="simulation ± SE")
        ax.fill_between(x[finite], (pred - below)[finite], (pred + tol)[finite], color="0.85",
                        label="tolerance")
    else:
        ax.errorbar([0], [meas], yerr=[se], fmt="o", label="simulation ± SE")
        if np.isfinite(tol):
            ax.axhspan(pred - tol, pred + tol, color="0.85", label="tolerance")
        ax.axhline(pred, color="k", label="theory")
        ax.set_xticks([])
    ax.set_title(f"{check.name} [{check.status.upper()}]", fontsize=9)
    ax.legend(fontsize=7)


def report_figure(report: Report):
    """A matplotlib ``Figure``: the headline panel, then one diagnostic panel per check."""
    fig, head, axes = _new_figure(len(report.checks), headline=True)
    if not draw_headline(head, report):
        head.set_axis_off()
        head.text(0.5, 0.5, "no headline figure", ha="center", va="center", transform=head.transAxes)
    for ax, check in zip(axes, report.checks):
        _panel(ax, check)
    fig.suptitle(f"{report.title} — {report.verdict.upper()}", fontsize=11)
    return fig


def headline_figure(report: Report):
    """A small ``Figure`` with the headline panel alone (thumbnails of the index page)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4.8, 3.4), layout="constrained")
    ax = fig.add_subplot()
    if not draw_headline(ax, report):
        ax.set_axis_off()
    return fig


def figure_png(fig, dpi: int = 110) -> bytes:
    """A figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def report_png(report: Report) -> bytes:
    """The report's figure as PNG bytes (for ``--plot`` and the HTML/Markdown reports)."""
    return figure_png(report_figure(report))
