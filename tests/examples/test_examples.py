"""Every example script runs end to end at a tiny size and writes its PNG.

The scripts run as ``python examples/NAME.py`` would run them: ``runpy`` as ``__main__``, with
``examples/`` first on ``sys.path`` (for their shared ``_common``) and a private result store;
their figures are closed after each.
"""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CASES = {
    # batch Hessians and SGD stability
    "batch_hessian_additive": ["--size", "200", "--matrices", "4", "--seeds", "2", "--workers", "1"],
    "batch_hessian_least_squares": ["--size", "200", "--batches", "4", "--seeds", "2", "--workers", "1"],
    "batch_learning_rate": ["--n-params", "8", "--n-data", "40", "--chains", "40", "--seeds", "2", "--workers", "1"],
    "batch_hessian_excess": ["--batches", "4", "--seeds", "2", "--workers", "1"],
    "sgd_linear_stability": ["--chains", "200", "--seeds", "2", "--workers", "1"],
    # capacity, committee, logistic
    "cover_capacity": ["--dims", "3,5", "--sets", "8"],
    "gardner_capacity": ["--size", "20", "--seeds", "2", "--cover-dims", "10,20"],
    "saad_solla_committee": ["--sizes", "40", "--runs", "2", "--t-max", "5", "--backend", "numpy"],
    "logistic_sur_candes": ["--n", "120", "--sets", "2", "--lp-n", "30", "--points", "3"],
    # deep linear networks and linear regression
    "saxe_deep_linear": ["--hidden", "8", "--width", "6", "--max-depth", "4", "--max-steps", "150", "--repeats", "1",
                         "--eta", "5e-3", "--backend", "numpy"],
    "advani_saxe": ["--size", "20", "--seeds", "2"],
    "ridge_replica": ["--size", "30", "--seeds", "2"],
    # zeroth order, wide networks, consensus
    "zeroth_order_spsa": ["--draws", "200"],
    "nngp_ntk_relu": ["--nets", "40", "--widths", "8,32"],
    "cbo_consensus": ["--samples", "500", "--particles", "200", "--dt", "0.04"],
    # perceptron family
    "perceptron_teacher_student": ["--d", "100", "--seeds", "2", "--alphas", "1,2", "--n-iter", "15", "--workers", "1"],
    "lasso_amp": ["--N", "200", "--seeds", "2", "--n-iter", "8", "--workers", "1"],
    # neural collapse, matrix factorisation, derandomisation
    "ufm_neural_collapse": ["--points", "3", "--classes", "3", "--per-class", "3", "--dim", "4"],
    "overparam_matrix_factorization": ["--n", "10", "--steps", "2000", "--alphas", "0.1"],
    "derandomization_stein": ["--steps", "600", "--samples", "2000", "--seeds", "3"],
    # quadratic networks (theory only)
    "gamp_rie_theory": ["--points", "16", "--grid", "8"],
    # spectra
    "random_matrix_spectra": ["--size", "200"],
    "free_convolution": ["--size", "200"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_writes_its_figure(name, tmp_path, monkeypatch):
    out = tmp_path / f"{name}.png"
    monkeypatch.syspath_prepend(str(EXAMPLES))
    monkeypatch.setenv("VERIFY_CACHE", str(tmp_path / "store.sqlite"))
    monkeypatch.setattr(sys, "argv", [name, *CASES[name], "--out", str(out)])
    try:
        runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")
    finally:
        from matplotlib import pyplot
        pyplot.close("all")             # the scripts leave their figure open, as a script may
    assert out.stat().st_size > 10_000
