"""overparam_matrix_factorization: the note's negative controls and traps — a linear rate for
the over-parameterised error, a one-horizon reading of the 1/T² constant, the imbalance on the
full k-space (vacuous as λ_min(PΔP), wrong as λ_min(Δ₀)) — are rejected."""

import numpy as np
import pytest

from compare.checks import ScalarAgreement
from compare.claims.overparam_matrix_factorization import OverparamMatrixFactorization as OMF
from simulate.matrix_factorization import asymmetric_gd, late_log_slope, planted_target
from theory.matrix_factorization import imbalance_log_rate

from compare.testing import quick_report


@pytest.fixture(scope="module")
def quick():
    report = quick_report(OMF.name)
    return report.params, report.predictions, report.measurements


def check_named(params, name):
    return {check.name: check for check in OMF().checks(params)}[name]


def test_a_linear_rate_for_the_overparameterised_error_is_rejected(quick):
    """k = r's rate 2 ln(1 − ησ_r) per step is a log–log slope 2T ln(1 − ησ_r) ≈ −100 at T = 2000."""
    params, pred, ms = quick
    check = check_named(params, "Ω(1/T²) exponent")
    linear = float(np.sqrt(ms.sizes[0] * ms.sizes[-1])) * pred["exact_log_slope"]
    assert check.evaluate(pred, ms).passed
    assert not check.evaluate(dict(pred, symmetric_exponent=linear), ms).passed


def test_one_horizon_reading_is_biased_and_the_extrapolation_is_not(quick):
    """T²·error at T = 1000 sits ≈ 2% below (k − r)/(4η²), dozens of SE: the (3/2) ln T/T + C/(ηT)
    deficit. A t-test at one T rejects the true constant; the 1/T extrapolation does not."""
    params, pred, ms = quick
    one_horizon = ScalarAgreement("error_t2", reason="no finite-T correction", effect=0.02)
    values = ms.values("error_t2", ms.sizes[0])
    assert (pred["error_t2"] - values.mean()) > 10 * values.std(ddof=1) / np.sqrt(len(values))
    first = type(ms)((ms.sizes[0],), ms.seeds, None, {k: v for k, v in ms.table.items() if k[1] == ms.sizes[0]})
    assert not one_horizon.evaluate(pred, first).passed
    assert check_named(params, OMF.headline).evaluate(pred, ms).passed


def test_imbalance_on_the_full_space_is_vacuous_or_wrong():
    """Erratum §6(c): λ_min(PΔP) of the k×k projection is 0 (PΔP has rank k − r), a formula that
    predicts no decay; λ_min(Δ₀) over all of R^k (the note's negative control) is 10–90% off;
    λ_min(VᵀΔ₀V) on the weak directions is within 2%."""
    rng = np.random.default_rng(3)
    target = planted_target(20, [1.0, 0.5], rng)
    for _ in range(3):
        run = asymmetric_gd(target, 4, 0.04, 0.05, rng, backend="numba")
        weak = np.linalg.svd(run.G)[2][2:].T
        projected = weak @ weak.T @ run.imbalance @ weak @ weak.T
        assert abs(np.linalg.eigvalsh(projected)[0]) < 1e-12 * np.abs(run.imbalance).max()
        with pytest.raises(ValueError, match="lambda_min"):
            imbalance_log_rate(projected, np.eye(4), 0.05)
        slope = late_log_slope(run.errors, 1e-21, 1e-12)
        assert slope / imbalance_log_rate(run.imbalance, weak, 0.05) == pytest.approx(1.0, abs=0.02)
        assert slope / imbalance_log_rate(run.imbalance, np.eye(4), 0.05) > 1.1


def test_runs_stopped_by_the_step_cap_measure_nan_and_the_checks_error(quick, monkeypatch):
    """A run that does not reach its error target measures NaN, and a check that sees it has
    status error, never pass."""
    import compare.claims.overparam_matrix_factorization as module
    from compare.measurements import Measurements

    params, pred, _ = quick
    monkeypatch.setattr(module, "MAX_STEPS", 200)
    table = {(0, 1000, s): OMF().measure(params, 1000, np.random.default_rng(s), "numba") for s in range(3)}
    assert all(np.isnan(m["asymmetric_rate_ratio"]) and np.isnan(m["exact_log_slope"]) for m in table.values())
    ms = Measurements((1000,), 3, None, table)
    for name in ("asymmetric k > r: rate set by the imbalance", "k = r: linear rate"):
        assert check_named(params, name).evaluate(pred, ms).status == "error"
