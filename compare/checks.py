"""The six check types: each turns predictions and measurements into a verdict.

Every check records the quantity, predicted and measured values, the standard error,
the tolerance and the reason for it, the deviation in units of the tolerance, pass/fail,
and ``min_detectable``: the smallest relative change of the prediction the check would
have flagged at this budget (``tolerance / |predicted|``; for several points the most
sensitive one). A check whose ``min_detectable`` exceeds the effect of interest has no
power and says so in the report.

Tolerances are ``critical value × standard error + floor``. The critical value is a
Student-t quantile at family-wise level ``alpha`` (Bonferroni over the points compared),
the standard error comes from independent seeds, and the floor bounds a deterministic
finite-size bias that averaging over seeds cannot remove; the claim states its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from .measurements import Measurements
from .stats import critical_value, mean_and_stderr, weighted_linear_fit

DEFAULT_ALPHA = 1e-3


@dataclass
class CheckResult:
    """One check's verdict and everything needed to audit and plot it."""

    name: str
    kind: str
    quantity: str
    predicted: Any
    measured: Any
    stderr: Any
    tolerance: Any
    tolerance_reason: str
    deviation: float
    passed: bool
    min_detectable: float
    x: Any = None
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {key: _jsonable(value) for key, value in self.__dict__.items()}


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return v if np.isfinite(v) else None
    return value


def _min_detectable(tolerance, predicted) -> float:
    tol = np.ravel(np.asarray(tolerance, dtype=float))
    pred = np.abs(np.ravel(np.asarray(predicted, dtype=float)))
    ok = pred > 0
    return float(np.min(tol[ok] / pred[ok])) if np.any(ok) else float("inf")


def _deviation(measured, predicted, tolerance) -> float:
    dev = np.abs(np.asarray(measured, dtype=float) - np.asarray(predicted, dtype=float))
    dev = dev / np.asarray(tolerance, dtype=float)
    return float(np.max(np.where(np.isnan(dev), np.inf, dev)))


@dataclass
class Check:
    """Base of all checks: ``quantity`` names a prediction and a measurement."""

    quantity: str
    reason: str
    name: str = ""
    alpha: float = DEFAULT_ALPHA

    kind = "check"

    def __post_init__(self):
        if not self.name:
            self.name = f"{self.kind}:{self.quantity}"

    def evaluate(self, predictions: Mapping[str, Any], ms: Measurements, perturb: float = 1.0) -> CheckResult:
        raise NotImplementedError

    def _result(self, predicted, measured, stderr, tolerance, **extra) -> CheckResult:
        deviation = _deviation(measured, predicted, tolerance)
        return CheckResult(
            name=self.name, kind=self.kind, quantity=self.quantity, predicted=predicted,
            measured=measured, stderr=stderr, tolerance=tolerance, tolerance_reason=self.reason,
            deviation=deviation, passed=bool(deviation <= 1.0),
            min_detectable=_min_detectable(tolerance, predicted), **extra)


@dataclass
class ScalarAgreement(Check):
    """Mean over seeds at the largest size against a scalar prediction.

    ``tolerance = t_{R-1}(1 - alpha/2) · SE + floor``; ``floor`` is a number or a
    function of the size (a finite-size bias bound such as ``c / size``).
    """

    floor: float | Callable[[int], float] = 0.0
    kind = "scalar"

    def evaluate(self, predictions, ms, perturb=1.0):
        predicted = float(predictions[self.quantity]) * perturb
        mean, se = mean_and_stderr(ms.values(self.quantity, ms.largest))
        tol = critical_value(self.alpha, ms.seeds - 1) * float(se) + _floor_at(self.floor, ms.largest)
        return self._result(predicted, float(mean), float(se), tol, details={"size": ms.largest})


@dataclass
class CurveAgreement(Check):
    """Many points at once (a curve over a grid) at the largest size.

    Each point gets ``t_{R-1}(1 - alpha/(2K)) · SE_i + floor_i`` over the ``K`` points
    compared (Bonferroni). ``floor`` is a number, the name of a per-point prediction or
    a function of the size;
    ``where`` optionally names a boolean prediction selecting the points compared
    (for example away from a transition, where finite-size smoothing is expected).
    ``x`` names the prediction holding the abscissa (for the report and the figure).
    """

    x: str | None = None
    floor: float | str | Callable[[int], float] = 0.0
    where: str | None = None
    kind = "curve"

    def _floor(self, predictions, ms):
        if isinstance(self.floor, str):
            return np.asarray(predictions[self.floor], dtype=float)
        return np.asarray(_floor_at(self.floor, ms.largest), dtype=float)

    def _x(self, predictions):
        return None if self.x is None else np.asarray(predictions[self.x], dtype=float)

    def evaluate(self, predictions, ms, perturb=1.0):
        predicted = np.asarray(predictions[self.quantity], dtype=float) * perturb
        mean, se = mean_and_stderr(ms.values(self.quantity, ms.largest))
        keep = np.ones(predicted.shape, bool) if self.where is None else np.asarray(predictions[self.where], bool)
        crit = critical_value(self.alpha, ms.seeds - 1, int(keep.sum()))
        floor = np.broadcast_to(self._floor(predictions, ms), predicted.shape)
        tol = crit * se + floor
        tol_checked = np.where(keep, tol, np.inf)
        result = self._result(predicted, mean, se, tol_checked,
                              x=self._x(predictions), details={"size": ms.largest, "compared": keep})
        result.min_detectable = _min_detectable(tol[keep], predicted[keep])
        return result


@dataclass
class DistributionAgreement(CurveAgreement):
    """An empirical sample against a limiting law, through its quantile function.

    Each seed contributes the empirical quantiles of its sample (for example the
    eigenvalues of one matrix) at fixed levels; the predicted quantiles come from the
    limiting CDF. Eigenvalues of one matrix are strongly correlated (the bulk is rigid),
    so i.i.d. KS or χ² thresholds are wrong; here the spread of each quantile is
    measured over independent replicates of the same ensemble at the same size, which
    calibrates the threshold for that ensemble at that size. The floor is
    ``floor_spacings`` local eigenvalue spacings ``1/(N ρ(x_p))``: by rigidity an order
    statistic sits within O(1) spacings of its classical location, and that O(1/N)
    offset is deterministic, so averaging seeds cannot remove it. The statistic reported
    as ``deviation`` is the largest standardised quantile gap (a sup-distance in the
    x-direction, the KS statistic's transpose).

    ``density`` names the prediction holding ``ρ`` at the predicted quantiles; ``x``
    names the levels.
    """

    density: str = "quantile_density"
    floor_spacings: float = 1.0
    kind = "distribution"

    def _floor(self, predictions, ms):
        return self.floor_spacings / (ms.largest * np.asarray(predictions[self.density], dtype=float))


@dataclass
class FiniteSizeExtrapolation(Check):
    """Means at several sizes fitted as ``a + b · size^(-exponent)``; the intercept ``a``
    against the prediction.

    The fit is weighted by the per-size standard errors over seeds and its covariance is
    inflated when the residuals exceed them (an inadequate finite-size form widens its
    own error bar). ``tolerance = t_{R-1}(1 - alpha/(2K)) · SE(a) + floor`` with ``floor``
    for corrections beyond the fitted order. Works per grid point when the quantity is a
    curve.
    """

    exponent: float = 1.0
    floor: float = 0.0
    x: str | None = None
    kind = "extrapolation"

    def evaluate(self, predictions, ms, perturb=1.0):
        predicted = np.asarray(predictions[self.quantity], dtype=float) * perturb
        sizes = np.asarray(ms.sizes, dtype=float)
        stats = [mean_and_stderr(ms.values(self.quantity, n)) for n in ms.sizes]
        means = np.array([m for m, _ in stats])
        ses = np.array([s for _, s in stats])
        ses = np.maximum(ses, 1e-15 + 1e-12 * np.abs(means))
        inv = sizes ** (-self.exponent)
        a, b, cov = weighted_linear_fit(inv, means, ses)
        se_a = np.sqrt(cov[0, 0])
        points = int(np.size(predicted))
        tol = critical_value(self.alpha, ms.seeds - 1, points) * se_a + self.floor
        x = None if self.x is None else np.asarray(predictions[self.x], dtype=float)
        return self._result(_squeeze(predicted), _squeeze(a), _squeeze(se_a), _squeeze(tol), x=x,
                            details={"sizes": list(ms.sizes), "exponent": self.exponent,
                                     "means": means, "stderrs": ses, "slope": _squeeze(b)})


@dataclass
class ScalingLaw(Check):
    """A fitted exponent against the predicted one.

    ``quantity`` names the predicted exponent and ``source`` the measurement whose
    ``statistic`` scales: ``"mean"`` (the mean over seeds scales like ``size^p``) or
    ``"sd"`` (the spread over seeds does). The fit is ``log stat = c + p log size``,
    weighted by the standard error of ``log stat``: ``SE/mean`` for a mean and
    ``1/sqrt(2(R-1))`` for a standard deviation (normal theory). The tolerance adds a
    ``floor`` for corrections to scaling at the sizes used.
    """

    source: str = ""
    statistic: str = "sd"
    floor: float = 0.0
    kind = "scaling"

    def evaluate(self, predictions, ms, perturb=1.0):
        predicted = float(predictions[self.quantity]) * perturb
        values = [ms.values(self.source or self.quantity, n) for n in ms.sizes]
        if self.statistic == "sd":
            stat = np.array([np.std(v, ddof=1) for v in values])
            se_log = np.full(len(values), 1.0 / np.sqrt(2.0 * (ms.seeds - 1)))
        else:
            pairs = [mean_and_stderr(v) for v in values]
            stat = np.array([float(m) for m, _ in pairs])
            se_log = np.array([float(s) for _, s in pairs]) / np.abs(stat)
        _, slope, cov = weighted_linear_fit(np.log(ms.sizes), np.log(np.abs(stat)), se_log)
        se = float(np.sqrt(cov[1, 1]))
        tol = critical_value(self.alpha, ms.seeds - 1) * se + self.floor
        return self._result(predicted, float(slope), se, tol,
                            details={"sizes": list(ms.sizes), "statistic": self.statistic,
                                     "values": stat})


@dataclass
class ThresholdLocation(Check):
    """A measured transition point against the predicted one.

    The measured curve (mean over seeds at the largest size, over the grid named by
    ``x``) is scanned for the first grid value after which it stays below ``level``;
    the crossing is located by linear interpolation in ``log`` of the measured value.
    Its standard error comes from a bootstrap over seeds with a fixed generator (the
    same data give the same number). The tolerance adds half the grid spacing around the
    crossing (the interpolation cannot locate it more finely) and ``floor`` for the
    finite-size smoothing of the transition, stated by the claim.
    """

    x: str = "alpha"
    level: float = 1e-2
    curve: str = "mse"
    floor: float = 0.0
    bootstrap: int = 200
    kind = "threshold"

    def _crossing(self, xs, curve):
        logs = np.log(np.maximum(curve, 1e-300))
        target = np.log(self.level)
        below = curve < self.level
        # First index from which every later point stays below the level.
        stays = np.flip(np.logical_and.accumulate(np.flip(below)))
        if not stays.any():
            return np.inf
        k = int(np.argmax(stays))
        if k == 0:
            return float(xs[0])
        t = (logs[k - 1] - target) / (logs[k - 1] - logs[k])
        return float(xs[k - 1] + t * (xs[k] - xs[k - 1]))

    def evaluate(self, predictions, ms, perturb=1.0):
        predicted = float(predictions[self.quantity]) * perturb
        xs = np.asarray(predictions[self.x], dtype=float)
        samples = ms.values(self.curve, ms.largest)
        measured = self._crossing(xs, samples.mean(axis=0))
        k = int(np.clip(np.searchsorted(xs, measured), 1, len(xs) - 1))
        resolution = 0.5 * float(xs[k] - xs[k - 1])
        rng = np.random.default_rng(0)
        boots = [self._crossing(xs, samples[rng.integers(0, ms.seeds, ms.seeds)].mean(axis=0))
                 for _ in range(self.bootstrap)]
        finite = np.array([b for b in boots if np.isfinite(b)])
        se = float(np.std(finite, ddof=1)) if finite.size > 1 else float("inf")
        tol = critical_value(self.alpha, np.inf) * se + resolution + self.floor
        return self._result(predicted, measured, se, tol,
                            details={"size": ms.largest, "level": self.level, "resolution": resolution})


def _floor_at(floor, size: int) -> float:
    return float(floor(size)) if callable(floor) else float(floor)


def _squeeze(value):
    arr = np.asarray(value, dtype=float)
    return float(arr) if arr.ndim == 0 or arr.size == 1 else arr
