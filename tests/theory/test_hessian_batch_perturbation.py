"""Perturbative excess of the batch top eigenvalue: against the exact batch average and the additive outlier."""

import itertools

import numpy as np
import pytest

from theory.hessian_batch_perturbation import perturbative_excess
from theory.sgd_stability import without_replacement_factor
from tests.argument_validation import invalid_call_test, rejects


def test_perturbative_excess_is_the_small_noise_limit_of_the_exact_batch_average():
    """Every batch enumerated: (E λ₁(H_B) − λ₁)/(p κ) → 1 as the per-sample spread → 0."""
    rng = np.random.default_rng(3)
    n, p, b = 8, 4, 3
    base = np.diag([3.0, 1.0, 0.5, 0.2])
    noise = rng.standard_normal((n, p, p))
    noise = noise + noise.transpose(0, 2, 1)
    noise -= noise.mean(axis=0)
    for t, tol in ((1e-2, 3e-2), (1e-3, 3e-3)):
        per_sample = base + t * noise
        lam, vec = np.linalg.eigh(per_sample.mean(axis=0))
        kappa = perturbative_excess(lam, vec, per_sample @ vec[:, -1])
        tops = [np.linalg.eigvalsh(per_sample[list(c)].mean(axis=0))[-1] for c in itertools.combinations(range(n), b)]
        ratio = (np.mean(tops) - lam[-1]) / (without_replacement_factor(b, n) * kappa)
        assert ratio == pytest.approx(1.0, abs=tol)


def test_perturbative_excess_reproduces_the_additive_outlier():
    """Per-sample Hessians β e₁e₁ᵀ + √N·(GOE part) with exact entry variance: κ p = P σ² p/β − O(1/P)."""
    beta, p_dim = 2.0, 60
    e = np.zeros((p_dim, p_dim))
    e[-1, -1] = beta
    rng = np.random.default_rng(4)
    n = 4000
    off = rng.standard_normal((n, p_dim))
    off -= off.mean(axis=0)
    off /= np.sqrt(np.mean(off ** 2, axis=0))           # unit variance per entry over the data
    lam = np.zeros(p_dim)
    lam[-1] = beta
    products = off.copy()
    products[:, -1] = beta                              # H_i u₁ = β u₁ + noise column (diagonal entry unused)
    kappa = perturbative_excess(lam, np.eye(p_dim), products)
    assert kappa == pytest.approx((p_dim - 1) / beta, rel=1e-12)


test_invalid_calls = invalid_call_test(
    rejects("eigenvalues=", perturbative_excess, [1.0, 1.0], np.eye(2), np.ones((3, 2))),
    rejects("eigenvectors with shape (3, 3)", perturbative_excess, [0.0, 1.0], np.eye(3), np.ones((3, 2))),
    rejects("sample_hessian_top_products with shape (3, 3)", perturbative_excess, [0.0, 1.0], np.eye(2),
            np.ones((3, 3))),
)
