r"""Excess of a mini-batch Hessian's top eigenvalue over the full-data one, by perturbation theory.

Granziol, Zohren & Roberts (JMLR 23(173), 2022, arXiv:2006.09092) describe the batch Hessian as
the full-data Hessian plus a field-dependent fluctuation that grows as the batch shrinks. For any
model, given the per-sample Hessians at a point, second-order perturbation theory with the exact
sampling variance gives the mean excess [our derivation]:
:math:`E\lambda_1(H_B) - \lambda_1(H_{\rm emp}) \approx p(B, N)\,\kappa`,
:math:`\kappa = \sum_{k\ge2}\frac1N\sum_i (u_k^\top H_i u_1)^2/(\lambda_1 - \lambda_k)`
(:func:`perturbative_excess`). For the additive model of :mod:`theory.hessian_batch` it
reproduces :math:`s_B^2/\beta` exactly.

Notation: :math:`H_B = \frac1B\sum_{i\in\mathcal B}H_i` over a batch of ``B`` of the ``N`` samples
drawn uniformly without replacement, :math:`H_{\rm emp} = \frac1N\sum_i H_i`,
:math:`p = (N - B)/(B(N - 1))` (:func:`theory.sgd_stability.without_replacement_factor`).

References
----------
D. Granziol, S. Zohren, S. Roberts, JMLR 23(173):1–65, 2022, arXiv:2006.09092.
"""

from __future__ import annotations

import numpy as np

from theory._validate import check_finite

__all__ = ["perturbative_excess"]


def perturbative_excess(eigenvalues, eigenvectors, sample_hessian_top_products) -> float:
    r"""Constant :math:`\kappa` of :math:`E\lambda_1(H_B) - \lambda_1(H_{\rm emp}) \approx p(B, N)\,\kappa`.

    Second-order perturbation theory for :math:`H_B = H_{\rm emp} + \varepsilon`:
    :math:`\lambda_1(H_B) = \lambda_1 + u_1^\top\varepsilon u_1 + \sum_{k\ge2}
    (u_k^\top\varepsilon u_1)^2/(\lambda_1 - \lambda_k) + O(\varepsilon^3)`. The first-order
    term has mean zero; the second has mean :math:`p\,\kappa` with
    :math:`\kappa = \sum_{k\ge2}\frac1N\sum_i (u_k^\top H_i u_1)^2/(\lambda_1 - \lambda_k)` (since
    :math:`u_k^\top H_{\rm emp}u_1 = 0`) and the exact without-replacement factor
    :math:`p = (N - B)/(B(N - 1))`. Field-dependent: ``κ`` is computed from the per-sample
    Hessians at the point ``w`` where they are evaluated. For the additive model
    :math:`\kappa p = s_B^2/\beta` and the expansion is exact in the limit; in general it needs
    the noise to be small against the gap :math:`\lambda_1 - \lambda_2` [our derivation].

    Parameters
    ----------
    eigenvalues : array_like, shape (P,)
        Eigenvalues of :math:`H_{\rm emp}`, ascending (``numpy.linalg.eigh`` order), with a
        simple largest one.
    eigenvectors : array_like, shape (P, P)
        The matching orthonormal eigenvectors as columns.
    sample_hessian_top_products : array_like, shape (N, P)
        Row ``i`` is :math:`H_i u_1` (:math:`u_1` the last column of ``eigenvectors``).

    Returns
    -------
    float
        :math:`\kappa \ge 0`.
    """
    lam = np.asarray(eigenvalues, dtype=float)
    vectors = np.asarray(eigenvectors, dtype=float)
    products = np.asarray(sample_hessian_top_products, dtype=float)
    check_finite("eigenvalues", lam)
    check_finite("eigenvectors", vectors)
    check_finite("sample_hessian_top_products", products)
    if lam.ndim != 1 or lam.size < 2:
        raise ValueError(f"eigenvalues with shape {lam.shape} is out of range: must be of shape (P,), P >= 2")
    if vectors.shape != (lam.size, lam.size):
        raise ValueError(f"eigenvectors with shape {vectors.shape} is out of range: must be of shape "
                         f"({lam.size}, {lam.size})")
    if products.ndim != 2 or products.shape[1] != lam.size:
        raise ValueError(f"sample_hessian_top_products with shape {products.shape} is out of range: must be "
                         f"of shape (N, {lam.size})")
    if np.any(np.diff(lam) < 0) or lam[-1] <= lam[-2]:
        raise ValueError(f"eigenvalues={lam!r} is out of range: must be ascending with a simple largest one")
    projections = products @ vectors[:, :-1]              # (N, P − 1): u_kᵀ H_i u_1
    return float(np.sum(np.mean(projections ** 2, axis=0) / (lam[-1] - lam[:-1])))
