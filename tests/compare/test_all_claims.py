"""One generic suite over every registered claim (built-in and plug-in), in the spirit of
scipy.stats' tests over all distributions: adding a claim adds these tests.

The checks live in :mod:`compare.testing` (the claim test kit that plug-in authors use
too): the static contract and declared effects, predictions at the bounds of every
declared range, the ``quick`` preset passes, the JSON report is complete, the negative
control (each power check fails alone when its prediction is perturbed, scaled by
1 ± 1.5 × its quick effect), bad input exits 2 with one line, and the headline figure
draws. The ``standard``-preset power is ``make power`` (on demand).
"""

from compare.registry import registry
from compare.testing import parametrize_with_claims

BUILT_IN = ("advani_saxe", "batch_hessian_additive", "batch_hessian_excess", "batch_hessian_least_squares",
            "batch_learning_rate", "cbo_consensus", "cover_capacity", "derandomization_stein",
            "free_convolution", "gamp_rie", "gardner_capacity", "lasso_amp", "logistic_sur_candes",
            "marchenko_pastur", "nngp_ntk_relu", "overparam_matrix_factorization",
            "perceptron_teacher_student", "quadratic_net_gd", "ridge_replica", "saad_solla_committee",
            "saxe_deep_linear", "semicircle", "sgd_linear_stability", "ufm_neural_collapse",
            "zeroth_order_spsa")
"""The claims this package ships: each gets every generic check, its negative control included."""

CLAIMS = sorted(name for name in registry() if not name.startswith("toy_"))


def test_every_built_in_claim_is_registered():
    """A claim module that fails to import is skipped by the registry: catch it here."""
    assert set(BUILT_IN) <= set(CLAIMS), sorted(set(BUILT_IN) - set(CLAIMS))


@parametrize_with_claims(CLAIMS)
def test_claim(claim, check):
    check(claim)
