"""Negative controls of ``perceptron_teacher_student`` and ``lasso_amp`` (classics note (b), (e)).

Each wrong formula or wrong algorithm the note names must be rejected by the claim's headline
check on the same quick-preset measurements that the right theory passes: the Gibbs error
(38% high at α = 2), a missing factor 2 in q̂ (= ε_B(α/2)) and the Hebb error in place of the
Bayes-optimal error; AMP without its Onsager term (IST), AMP run on a design of the wrong
normalisation, and the state evolution with δ in place of 1/δ.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from compare.claims.lasso_amp import LassoAmp
from compare.claims.perceptron_teacher_student import PerceptronTeacherStudent
from compare.measurements import Measurements
from simulate.lasso_amp import SparseRegressionData, bernoulli_gaussian_data, lasso_amp
from theory.lasso_amp import soft_threshold_mse
from theory.perceptron import perceptron_bayes_error


def _measurements(cls, measure=None):
    """The quick preset's measurements, by calling ``measure`` (default: the claim's) per seed."""
    claim = cls()
    params = cls.resolve_params("quick")
    preset = cls.preset("quick")
    size = max(preset.sizes)
    measure = measure or claim.measure
    table = {(0, size, s): measure(params, size, np.random.default_rng(1000 + s), "numpy")
             for s in range(preset.seeds)}
    return claim, params, Measurements((size,), preset.seeds, None, table)


def _headline(claim, params):
    return next(c for c in claim.checks(params) if c.quantity in ("bayes_error", "mse"))


@functools.cache
def perceptron_quick():
    return _measurements(PerceptronTeacherStudent)


@functools.cache
def lasso_quick():
    return _measurements(LassoAmp)


def test_perceptron_right_theory_passes_on_these_measurements():
    claim, params, ms = perceptron_quick()
    predictions = claim.predict(params)
    assert all(check.evaluate(predictions, ms).passed for check in claim.checks(params))


@pytest.mark.parametrize("wrong", ["gibbs", "half_alpha", "hebb"])
def test_perceptron_wrong_errors_are_rejected(wrong):
    claim, params, ms = perceptron_quick()
    predictions = claim.predict(params)
    alpha = predictions["alpha"]
    predictions["bayes_error"] = {"gibbs": predictions["gibbs_error"],
                                  "half_alpha": perceptron_bayes_error(alpha / 2),  # one label branch in q̂
                                  "hebb": predictions["hebb_error"]}[wrong]
    assert not _headline(claim, params).evaluate(predictions, ms).passed


def test_perceptron_se_alpha_off_the_grid_gets_its_own_run():
    claim = PerceptronTeacherStudent()
    params = PerceptronTeacherStudent.resolve_params("quick", {"se_alpha": "3", "n_iter": "15"})
    values = claim.measure(params, 200, np.random.default_rng(0), "numpy")
    assert len(values["se_overlap"]) == 10 and len(values["bayes_error"]) == 2
    assert np.allclose(values["se_overlap"], claim.predict(params)["se_overlap"], rtol=0.1)


def test_lasso_right_theory_passes_on_these_measurements():
    claim, params, ms = lasso_quick()
    predictions = claim.predict(params)
    assert all(check.evaluate(predictions, ms).passed for check in claim.checks(params))


def test_lasso_state_evolution_with_delta_for_one_over_delta_is_rejected():
    claim, params, ms = lasso_quick()
    predictions = claim.predict(params)
    delta, theta, eps, s2, sigma2 = (params[k] for k in ("delta", "theta", "sparsity", "signal_variance",
                                                         "noise_variance"))
    tau2, wrong = sigma2 + delta * eps * s2, []
    for _ in range(params["n_iter"]):
        wrong.append(soft_threshold_mse(tau2, theta, eps, s2))
        tau2 = sigma2 + delta * wrong[-1]
    predictions["mse"] = np.array(wrong)
    assert not _headline(claim, params).evaluate(predictions, ms).passed


def _ist(params, size, rng, backend):
    data = bernoulli_gaussian_data(size, params["delta"], params["sparsity"], params["signal_variance"],
                                   params["noise_variance"], rng, design=params["design"])
    return {"mse": lasso_amp(data, params["theta"], params["n_iter"], onsager=False).mse.tolist()}


def _wrong_normalisation(params, size, rng, backend):
    """A with N(0, 1/N) entries (columns of squared norm δ), run as if they were N(0, 1/n)."""
    data = bernoulli_gaussian_data(size, params["delta"], params["sparsity"], params["signal_variance"],
                                   params["noise_variance"], rng, design=params["design"])
    A = data.A * np.sqrt(data.delta)
    y = A @ data.signal + (data.y - data.A @ data.signal)
    wrong = SparseRegressionData(A=A, y=y, signal=data.signal)
    return {"mse": lasso_amp(wrong, params["theta"], params["n_iter"]).mse.tolist()}


@pytest.mark.parametrize("algorithm", [_ist, _wrong_normalisation])
def test_lasso_wrong_algorithms_are_rejected(algorithm):
    claim, params, ms = _measurements(LassoAmp, algorithm)
    assert not _headline(claim, params).evaluate(claim.predict(params), ms).passed


def test_lasso_fixed_point_checks_need_a_converged_state_evolution():
    names = [c.name for c in LassoAmp().checks(LassoAmp.resolve_params("quick", {"n_iter": "6"}))]
    assert not any("fixed point" in n or "penalty" in n for n in names)
    names = [c.name for c in LassoAmp().checks(LassoAmp.resolve_params("quick"))]
    assert "fixed point MSE*" in names
