"""The six check types: each turns predictions and measurements into a verdict.

Every check records the quantity, predicted and measured values, the standard error,
the tolerance and the reason for it, the deviation in units of the tolerance, its
status (``pass``, ``fail`` or ``error``) and ``min_detectable``: the smallest relative
change of the prediction that the check detects with 80% power at this budget,
``(tolerance + z₀.₈ · SE) / |predicted|`` (for several points, the most sensitive one).

Tolerances are ``critical value × standard error + floor``. The critical value is a
Student-t quantile at family-wise level ``alpha`` (Bonferroni over the points compared),
the standard error comes from independent seeds, and the floor bounds a deterministic
finite-size bias that averaging over seeds cannot remove; the claim states its reason.

Each check declares what it is for:

* a **power check** declares ``effect``, the relative error of the theory it must
  detect (2% at ``standard`` unless the claim says why not in ``effect_reason``); a
  mapping gives it per preset, ``{"quick": 0.3, "standard": 0.02}``. The generic tests
  scale this check's prediction alone by ``1 ± 1.5 × effect`` and require it to fail,
  and require ``min_detectable ≤ effect``;
* a **consistency check** declares ``consistency``, the reason a scaled prediction
  cannot move it (an inequality, a conserved quantity equal to 0, a limit): it guards
  the experiment, not the theory's numbers, and has no power requirement.

A check that compared nothing (no point selected, a non-finite tolerance at a compared
point) or saw a non-finite measurement (a run stopped by its cap, a divergence: claims
return NaN for what they did not reach) has status ``error``, never ``pass``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from .measurements import Measurements
from .stats import critical_value, mean_and_stderr, weighted_linear_fit

DEFAULT_ALPHA = 1e-3
DEFAULT_EFFECT = 0.02
"""The relative error of the theory a power check must detect at ``standard``."""

Z_POWER = 0.8416212335729143
"""``Φ⁻¹(0.8)``: a shift of ``tolerance + Z_POWER · SE`` is detected with 80% power."""

SIDES = ("both", "upper", "lower")
STATUSES = ("pass", "fail", "error")


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
    status: str = "pass"
    effect: float | None = None
    effect_reason: str = ""
    consistency: str = ""
    side: str = "both"
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


def _flat_together(*values) -> list[np.ndarray]:
    """The values broadcast to one shape (a curve may be 2-D: modes × times), then flattened."""
    arrays = [np.asarray(v) for v in values]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    return [np.ravel(np.broadcast_to(a, shape)) for a in arrays]


def _size_stats(ms: Measurements, quantity: str) -> list[tuple[Any, Any]]:
    """``(mean, SE)`` over seeds of ``quantity`` at each size of ``ms.sizes``, in that order."""
    return [mean_and_stderr(ms.values(quantity, n)) for n in ms.sizes]


def min_detectable(predicted, stderr, tolerance, compared=None) -> float:
    """``min over compared points of (tolerance + z₀.₈ SE) / |predicted|`` (inf if none)."""
    compared = True if compared is None else compared
    pred, se, tol, keep = _flat_together(predicted, stderr, tolerance, compared)
    pred, se, tol, keep = np.abs(pred.astype(float)), se.astype(float), tol.astype(float), keep.astype(bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (tol + Z_POWER * se) / pred
    ok = keep & (pred > 0) & np.isfinite(ratio)
    return float(np.min(ratio[ok])) if np.any(ok) else float("inf")


def _deviation(measured, predicted, tolerance, side: str, compared, tolerance_below=None) -> tuple[float, str]:
    """Largest ``gap / tolerance`` over compared points, and the status it implies.

    ``tolerance_below`` (default ``tolerance``) applies where the measurement lies below the
    prediction: a floor for a finite-size bias of known sign is granted on its side only.
    """
    below = tolerance if tolerance_below is None else tolerance_below
    meas, pred, tol, low, keep = _flat_together(measured, predicted, tolerance, below, compared)
    meas, pred, tol, low, keep = (meas.astype(float), pred.astype(float), tol.astype(float),
                                  low.astype(float), keep.astype(bool))
    if not keep.any():
        return float("inf"), "error"
    meas, pred, tol, low = meas[keep], pred[keep], tol[keep], low[keep]
    if not (np.all(np.isfinite(meas)) and np.all(np.isfinite(pred)) and np.all(np.isfinite(tol))
            and np.all(tol > 0) and np.all(np.isfinite(low)) and np.all(low >= 0)):
        return float("inf"), "error"
    gap = meas - pred
    if side == "upper":
        gap = np.maximum(gap, 0.0)
    elif side == "lower":
        gap = np.maximum(-gap, 0.0)
    scale = np.where(gap >= 0, tol, low)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(gap == 0, 0.0, np.abs(gap) / scale)
    deviation = float(np.max(ratio))
    return deviation, "pass" if deviation <= 1.0 else "fail"


@dataclass
class Check:
    """Base of all checks: ``quantity`` names a prediction and a measurement.

    ``effect`` (a power check) or ``consistency`` (a consistency check, with its reason)
    says what the check is for; ``effect_reason`` explains a declared ``standard`` effect
    above 2% (the paper's statement cannot reach it at the sizes a laptop affords).
    ``side`` is ``"both"`` (agreement), ``"upper"`` (the prediction is an upper bound: only
    ``measured > predicted + tolerance`` fails) or ``"lower"`` (a lower bound); one-sided
    checks use the one-sided critical value.
    """

    quantity: str
    reason: str
    name: str = ""
    alpha: float = DEFAULT_ALPHA
    effect: float | Mapping[str, float] = DEFAULT_EFFECT
    effect_reason: str = ""
    consistency: str = ""
    side: str = "both"

    kind = "check"
    min_sizes = 1
    """Distinct sizes the check needs (an extrapolation or a fitted exponent needs two)."""

    def __post_init__(self):
        if not self.name:
            self.name = f"{self.kind}:{self.quantity}"
        if self.side not in SIDES:
            raise ValueError(f"side={self.side!r} is invalid: must be one of {', '.join(SIDES)}")

    def effect_at(self, preset: str) -> float | None:
        """The declared effect at ``preset`` (``paper`` inherits ``standard``); None if undeclared."""
        if self.consistency:
            return None
        if not isinstance(self.effect, Mapping):
            return None if preset == "quick" else float(self.effect)
        if preset in self.effect:
            return float(self.effect[preset])
        return float(self.effect["standard"]) if preset == "paper" and "standard" in self.effect else None

    def names(self) -> dict[str, list[str]]:
        """The prediction and measurement names this check reads (checked before a run)."""
        predictions = [self.quantity] + [v for v in self._prediction_fields() if isinstance(v, str) and v]
        return {"predictions": predictions, "measurements": [self._source()]}

    def _prediction_fields(self) -> list:
        return []

    def _source(self) -> str:
        return self.quantity

    def evaluate(self, predictions: Mapping[str, Any], ms: Measurements, perturb: float = 1.0) -> CheckResult:
        raise NotImplementedError

    def _critical(self, dof: float, comparisons: int = 1) -> float:
        return critical_value(self.alpha, dof, comparisons, two_sided=self.side == "both")

    def _result(self, predicted, measured, stderr, tolerance, *, compared=True, tolerance_below=None,
                **extra) -> CheckResult:
        deviation, status = _deviation(measured, predicted, tolerance, self.side, compared, tolerance_below)
        return CheckResult(
            name=self.name, kind=self.kind, quantity=self.quantity, predicted=predicted,
            measured=measured, stderr=stderr, tolerance=tolerance, tolerance_reason=self.reason,
            deviation=deviation, passed=status == "pass", status=status,
            min_detectable=min_detectable(predicted, stderr, tolerance, compared),
            effect=None, effect_reason=self.effect_reason, consistency=self.consistency,
            side=self.side, **extra)


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
        tol = self._critical(ms.seeds - 1) * float(se) + _floor_at(self.floor, ms.largest)
        return self._result(predicted, float(mean), float(se), tol, details={"size": ms.largest})


@dataclass
class CurveAgreement(Check):
    """Many points at once (a curve over a grid) at the largest size.

    Each point gets ``t_{R-1}(1 - alpha/(2K)) · SE_i + floor_i`` over the ``K`` points
    compared (Bonferroni). ``floor`` is a number, the name of a per-point prediction or
    a function of the size;
    ``where`` optionally names a boolean prediction selecting the points compared
    (for example away from a transition, where finite-size smoothing is expected).
    ``x`` names the prediction holding the abscissa (for the report and the figure); the
    details keep the mean ± SE at every size (``sizes``, ``means``, ``stderrs``), so a
    finite-size figure can be drawn from the JSON report alone.
    ``bias_above=True`` says the floor covers a finite-size bias known to lie above the
    prediction (measured at every size the claim runs): below the prediction only
    ``t · SE`` counts, so a theory that is too high is caught without the floor's slack.
    ``min_detectable`` keeps the two-sided formula, the worst case (a bias as large as
    the floor).
    """

    x: str | None = None
    floor: float | str | Callable[[int], float] = 0.0
    where: str | None = None
    bias_above: bool = False
    kind = "curve"

    def __post_init__(self):
        super().__post_init__()
        if self.bias_above and self.side != "both":
            raise ValueError(f"bias_above=True is invalid with side={self.side!r}: must be used with side='both'")

    def _prediction_fields(self):
        return [self.x, self.where, self.floor]

    def _floor(self, predictions, ms):
        if isinstance(self.floor, str):
            return np.asarray(predictions[self.floor], dtype=float)
        return np.asarray(_floor_at(self.floor, ms.largest), dtype=float)

    def _x(self, predictions):
        return None if self.x is None else np.asarray(predictions[self.x], dtype=float)

    def evaluate(self, predictions, ms, perturb=1.0):
        predicted = np.asarray(predictions[self.quantity], dtype=float) * perturb
        per_size = _size_stats(ms, self.quantity)
        mean, se = per_size[ms.sizes.index(ms.largest)]
        keep = np.ones(predicted.shape, bool) if self.where is None else np.asarray(predictions[self.where], bool)
        crit = self._critical(ms.seeds - 1, int(keep.sum()))
        floor = np.broadcast_to(self._floor(predictions, ms), predicted.shape)
        tol = crit * se + floor
        details = {"size": ms.largest, "compared": keep, "sizes": list(ms.sizes),
                   "means": [m for m, _ in per_size], "stderrs": [e for _, e in per_size]}
        below = None
        if self.bias_above:
            below = details["tolerance_below"] = crit * np.broadcast_to(se, predicted.shape)
        return self._result(predicted, mean, se, tol, compared=keep, x=self._x(predictions),
                            tolerance_below=below, details=details)


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

    def _prediction_fields(self):
        return [self.x, self.where, self.density]

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
    curve. ``where`` optionally names a boolean prediction selecting the points compared.
    Needs at least two distinct sizes (the runner refuses fewer before computing).
    """

    exponent: float = 1.0
    floor: float = 0.0
    x: str | None = None
    where: str | None = None
    kind = "extrapolation"
    min_sizes = 2

    def _prediction_fields(self):
        return [self.x, self.where]

    def evaluate(self, predictions, ms, perturb=1.0):
        predicted = np.asarray(predictions[self.quantity], dtype=float) * perturb
        sizes = np.asarray(ms.sizes, dtype=float)
        stats = _size_stats(ms, self.quantity)
        means = np.array([m for m, _ in stats])
        ses = np.array([s for _, s in stats])
        ses = np.maximum(ses, 1e-15 + 1e-12 * np.abs(means))
        inv = sizes ** (-self.exponent)
        a, b, cov = weighted_linear_fit(inv, means, ses)
        se_a = np.sqrt(cov[0, 0])
        keep = np.ones(predicted.shape, bool) if self.where is None else np.asarray(predictions[self.where], bool)
        tol = self._critical(ms.seeds - 1, int(keep.sum())) * se_a + self.floor
        x = None if self.x is None else np.asarray(predictions[self.x], dtype=float)
        return self._result(_squeeze(predicted), _squeeze(a), _squeeze(se_a), _squeeze(tol), x=x,
                            compared=keep,
                            details={"sizes": list(ms.sizes), "exponent": self.exponent,
                                     "means": means, "stderrs": ses, "slope": _squeeze(b),
                                     "compared": keep})


@dataclass
class ScalingLaw(Check):
    """A fitted exponent against the predicted one.

    ``quantity`` names the predicted exponent and ``source`` the measurement whose
    ``statistic`` scales: ``"mean"`` (the mean over seeds scales like ``size^p``) or
    ``"sd"`` (the spread over seeds does). The fit is ``log stat = c + p log size``,
    weighted by the standard error of ``log stat``: ``SE/mean`` for a mean and
    ``1/sqrt(2(R-1))`` for a standard deviation (normal theory). The tolerance adds a
    ``floor`` for corrections to scaling at the sizes used. Needs at least two distinct
    sizes.
    """

    source: str = ""
    statistic: str = "sd"
    floor: float = 0.0
    kind = "scaling"
    min_sizes = 2

    def _source(self):
        return self.source or self.quantity

    def evaluate(self, predictions, ms, perturb=1.0):
        predicted = float(predictions[self.quantity]) * perturb
        values = [ms.values(self._source(), n) for n in ms.sizes]
        if self.statistic == "sd":
            stat = np.array([np.std(v, ddof=1) for v in values])
            se_log = np.full(len(values), 1.0 / np.sqrt(2.0 * (ms.seeds - 1)))
        else:
            pairs = [mean_and_stderr(v) for v in values]
            stat = np.array([float(m) for m, _ in pairs])
            with np.errstate(divide="ignore", invalid="ignore"):
                se_log = np.array([float(s) for _, s in pairs]) / np.abs(stat)
        with np.errstate(divide="ignore", invalid="ignore"):
            _, slope, cov = weighted_linear_fit(np.log(ms.sizes), np.log(np.abs(stat)), se_log)
        se = float(np.sqrt(cov[1, 1]))
        tol = self._critical(ms.seeds - 1) * se + self.floor
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
    finite-size smoothing of the transition, stated by the claim. A curve that never
    stays below the level (a censored crossing) gives status ``error``.
    """

    x: str = "alpha"
    level: float = 1e-2
    curve: str = "mse"
    floor: float = 0.0
    bootstrap: int = 200
    kind = "threshold"

    def _prediction_fields(self):
        return [self.x]

    def _source(self):
        return self.curve

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
        tol = self._critical(np.inf) * se + resolution + self.floor
        return self._result(predicted, measured, se, tol,
                            details={"size": ms.largest, "level": self.level, "resolution": resolution})


def _floor_at(floor, size: int) -> float:
    return float(floor(size)) if callable(floor) else float(floor)


def _squeeze(value):
    arr = np.asarray(value, dtype=float)
    return float(arr) if arr.ndim == 0 else arr
