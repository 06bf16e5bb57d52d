r"""Extreme eigenvalues of mini-batch Hessians, sampled exactly.

Three sources of batch Hessians:

* :func:`spiked_wigner_top_eigenvalues` — the additive model :math:`\beta e_1e_1^\top + \varepsilon`,
  :math:`\varepsilon` GOE of semicircle variance :math:`s^2` (entries :math:`N(0, s^2/P)` off the
  diagonal, :math:`N(0, 2s^2/P)` on it);
* :func:`spiked_wishart_top_eigenvalues` — least squares, :math:`H_B = X_B^\top X_B/B` with
  ``B`` rows :math:`x \sim N(0, I + (\ell - 1)e_1e_1^\top)`;
* :func:`batch_extreme_eigenvalues` — any model of :mod:`simulate.hessian_models`, batches drawn
  uniformly without replacement from its ``N`` samples;
* :func:`bulk_spike_noise_spectrum` — the whole spectrum of a Marchenko–Pastur bulk plus a spike
  plus GOE noise (the free-convolution model of Baskerville et al.).

For the two Gaussian ensembles the default route draws an exactly equivalent tridiagonal matrix
(Dumitriu & Edelman 2002) and finds its top eigenvalue by bisection, :math:`O(P)` per replicate
instead of the :math:`O(P^3)` dense eigensolver (``method="dense"``, the reference). The spike
survives the reduction: Householder tridiagonalisation of :math:`\varepsilon` fixing
:math:`e_1` gives the Hermite model with :math:`e_1` its first basis vector, so the spike adds
:math:`\beta` to the first diagonal entry; Golub–Kahan bidiagonalisation of the ``B × P`` design
starting from its first column (the only scaled one, by :math:`\sqrt\ell`) gives the Laguerre
model with its first diagonal entry :math:`\sqrt\ell\,\chi_B`. Tridiagonal matrices have no
useful GPU path here, so every backend uses the CPU for them; ``"cupy"`` affects only the dense
eigensolves.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.linalg

from simulate._validate import check_choice, check_int, check_real, check_rng, fail
from simulate.backend import array_namespace, resolve_backend, to_numpy
from simulate.random_matrices import wishart_spectrum
from simulate.sgd_stability import batch_masks

__all__ = ["BatchEigenvalues", "batch_extreme_eigenvalues", "bulk_spike_noise_spectrum",
           "spiked_wigner_top_eigenvalues", "spiked_wishart_top_eigenvalues"]

# Above this dimension the two Lanczos runs (largest and smallest eigenvalue) beat one dense
# symmetric eigensolve of the formed batch Hessian; measured in benchmarks/hessian_batch.py.
_DENSE_LIMIT = 256


def _top_of_tridiagonal(diagonal: np.ndarray, off_diagonal: np.ndarray) -> float:
    n = diagonal.size
    return float(scipy.linalg.eigvalsh_tridiagonal(diagonal, off_diagonal, select="i", select_range=(n - 1, n - 1),
                                                   check_finite=False)[0])


def _top_of_dense(matrix, backend: str) -> float:
    if backend == "cupy":
        return float(to_numpy(array_namespace(backend).linalg.eigvalsh(matrix))[-1])
    n = matrix.shape[0]
    return float(scipy.linalg.eigh(matrix, subset_by_index=[n - 1, n - 1], eigvals_only=True, check_finite=False,
                                   overwrite_a=True)[0])


def spiked_wigner_top_eigenvalues(n_params: int, spike: float, noise_variance: float, replicates: int,
                                  rng: np.random.Generator, *, method: str = "tridiagonal",
                                  backend: str = "numpy") -> np.ndarray:
    r"""Largest eigenvalue of :math:`\beta e_1e_1^\top + \varepsilon`, ``replicates`` independent draws.

    :math:`\varepsilon` is a ``P × P`` GOE matrix of semicircle variance :math:`s^2` (=
    ``noise_variance``; the batch noise of the additive model has :math:`s^2 = P\sigma^2/B`).
    ``"tridiagonal"``: diagonal :math:`s\sqrt{2/P}\,N(0, 1)` plus :math:`\beta` in the first entry,
    off-diagonal :math:`(s/\sqrt P)\chi_{P-1}, \dots, \chi_1`; ``"dense"``: the matrix itself.

    Parameters
    ----------
    n_params : int
        ``P >= 2``.
    spike : float
        :math:`\beta \ge 0`.
    noise_variance : float
        :math:`s^2 > 0`.
    replicates : int
    rng : numpy.random.Generator
    method : {"tridiagonal", "dense"}
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    ndarray, shape (replicates,)
    """
    p = check_int("n_params", n_params, low=2)
    beta = check_real("spike", spike, low=0.0)
    scale = np.sqrt(check_real("noise_variance", noise_variance, low=0.0, closed_low=False) / p)
    replicates = check_int("replicates", replicates, low=1)
    rng = check_rng(rng)
    method = check_choice("method", method, ("tridiagonal", "dense"))
    backend = resolve_backend(backend)
    out = np.empty(replicates)
    for r in range(replicates):
        if method == "tridiagonal":
            diagonal = rng.standard_normal(p) * (np.sqrt(2.0) * scale)
            off_diagonal = np.sqrt(rng.chisquare(np.arange(p - 1, 0, -1, dtype=float))) * scale
            diagonal[0] += beta
            out[r] = _top_of_tridiagonal(diagonal, off_diagonal)
        else:
            a = rng.standard_normal((p, p))
            matrix = (a + a.T) * (scale / np.sqrt(2.0))
            matrix[0, 0] += beta
            out[r] = _top_of_dense(array_namespace(backend).asarray(matrix), backend)
    return out


def spiked_wishart_top_eigenvalues(n_params: int, spike: float, batch_size: int, replicates: int,
                                   rng: np.random.Generator, *, method: str = "bidiagonal",
                                   backend: str = "numpy") -> np.ndarray:
    r"""Largest eigenvalue of :math:`X_B^\top X_B/B`, rows :math:`x \sim N(0, I + (\ell - 1)e_1e_1^\top)`.

    ``"bidiagonal"``: with :math:`m = \min(B, P)`, diagonal :math:`a_k \sim \chi_{B-k+1}` and
    super-diagonal :math:`b_k \sim \chi_{P-k}` (:math:`k = 1..m`, :math:`\chi_0 = 0`), all
    independent, and :math:`a_1` multiplied by :math:`\sqrt\ell`; the eigenvalues of the
    tridiagonal :math:`(a_k^2 + b_k^2,\ b_ka_{k+1})/B` are the nonzero ones of :math:`H_B`.
    ``"dense"``: the ``B × P`` design, diagonalised through the smaller of its two Gram matrices.

    Parameters
    ----------
    n_params, batch_size : int
        ``P >= 1``, ``B >= 1``.
    spike : float
        :math:`\ell > 0`.
    replicates : int
    rng : numpy.random.Generator
    method : {"bidiagonal", "dense"}
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    ndarray, shape (replicates,)
    """
    p = check_int("n_params", n_params, low=1)
    b = check_int("batch_size", batch_size, low=1)
    root = np.sqrt(check_real("spike", spike, low=0.0, closed_low=False))
    replicates = check_int("replicates", replicates, low=1)
    rng = check_rng(rng)
    method = check_choice("method", method, ("bidiagonal", "dense"))
    backend = resolve_backend(backend)
    m = min(b, p)
    out = np.empty(replicates)
    for r in range(replicates):
        if method == "bidiagonal":
            a = np.sqrt(rng.chisquare(np.arange(b, b - m, -1, dtype=float)))
            degrees = np.arange(p - 1, p - m - 1, -1, dtype=float)   # ends at 0 (χ₀ = 0) when m = P
            sup = np.zeros(m)
            sup[degrees > 0] = np.sqrt(rng.chisquare(degrees[degrees > 0]))
            a[0] *= root
            out[r] = _top_of_tridiagonal((a * a + sup * sup) / b, sup[:-1] * a[1:] / b)
        else:
            x = rng.standard_normal((b, p))
            x[:, 0] *= root
            x = array_namespace(backend).asarray(x)
            out[r] = _top_of_dense((x @ x.T if b <= p else x.T @ x) / b, backend)
    return out


def bulk_spike_noise_spectrum(n_params: int, bulk_ratio: float, spike: float, noise_variance: float,
                              rng: np.random.Generator, *, backend: str = "numpy") -> np.ndarray:
    r"""Eigenvalues of :math:`W + \beta uu^\top + \varepsilon`: a Wishart bulk, a spike and GOE noise.

    Baskerville et al.'s batch Hessian :math:`A + s(B)X` with a full-data Hessian ``A`` made of a
    Marchenko–Pastur bulk ``W`` (``P × P``, ratio ``bulk_ratio``, unit entry variance) and a spike
    in a uniformly random direction ``u``; :math:`\varepsilon` is GOE with semicircle variance
    ``noise_variance``. By orthogonal invariance of the GOE, ``W`` is replaced by the diagonal
    of its eigenvalues (drawn from the bidiagonal model of :mod:`simulate.random_matrices`);
    then one dense eigensolve.

    Returns
    -------
    ndarray, shape (n_params,), ascending
    """
    p = check_int("n_params", n_params, low=2)
    beta = check_real("spike", spike, low=0.0)
    scale = np.sqrt(check_real("noise_variance", noise_variance, low=0.0) / p)
    rng = check_rng(rng)
    backend = resolve_backend(backend)
    matrix = rng.standard_normal((p, p))
    matrix = (matrix + matrix.T) * (scale / np.sqrt(2.0))
    matrix[np.diag_indices(p)] += wishart_spectrum(p, bulk_ratio, rng)
    direction = rng.standard_normal(p)
    direction /= np.linalg.norm(direction)
    matrix += beta * np.outer(direction, direction)
    if backend == "cupy":
        return to_numpy(array_namespace(backend).linalg.eigvalsh(array_namespace(backend).asarray(matrix)))
    return scipy.linalg.eigvalsh(matrix, check_finite=False, overwrite_a=True)


class BatchEigenvalues(NamedTuple):
    """Extreme eigenvalues of ``count`` batch Hessians, and the batch means of a covariate."""

    top: np.ndarray
    bottom: np.ndarray
    covariate: np.ndarray | None


def batch_extreme_eigenvalues(model, batch_size: int, count: int, rng: np.random.Generator, *,
                              covariate=None, method: str = "auto") -> BatchEigenvalues:
    r"""Largest and smallest eigenvalue of :math:`H_B` for ``count`` uniform batches of a model.

    ``model`` is one of :mod:`simulate.hessian_models` (``batch_hessian``, ``n_data``,
    ``n_params``). ``covariate``, a per-sample array of length ``N``, is averaged over each batch
    (for instance :math:`u_1^\top H_iu_1`, whose batch mean is the first-order perturbation of
    :math:`\lambda_1`). Methods: ``"dense"`` diagonalises the formed ``P × P`` batch Hessian
    once for both ends; ``"lanczos"`` runs ARPACK twice (largest and smallest algebraic — not
    largest magnitude, which at a saddle would return the most negative eigenvalue); ``"auto"``
    picks Lanczos above ``P = 256`` (measured crossover, benchmarks/hessian_batch.py).

    Returns
    -------
    BatchEigenvalues
        ``top`` and ``bottom`` of shape ``(count,)``; ``covariate`` of shape ``(count,)`` or None.
    """
    n, p = model.n_data, model.n_params
    batch_size = check_int("batch_size", batch_size, low=1)
    if batch_size > n:
        fail("batch_size", batch_size, f"an integer in [1, {n}]")
    count = check_int("count", count, low=1)
    rng = check_rng(rng)
    method = check_choice("method", method, ("auto", "dense", "lanczos"))
    if method == "auto":
        method = "lanczos" if p > _DENSE_LIMIT else "dense"
    weights = None
    if covariate is not None:
        weights = np.asarray(covariate, dtype=float)
        if weights.shape != (n,):
            fail("covariate", f"array of shape {weights.shape}", f"a vector of length {n}")
    top, bottom = np.empty(count), np.empty(count)
    means = np.empty(count) if weights is not None else None
    for r in range(count):
        index = np.flatnonzero(batch_masks(n, batch_size, 1, rng)[0])
        hessian = model.batch_hessian(index)
        if method == "dense":
            values = scipy.linalg.eigvalsh(hessian, check_finite=False, overwrite_a=True)
            top[r], bottom[r] = values[-1], values[0]
        else:
            from scipy.sparse.linalg import eigsh  # heavy import, large problems only

            start = 1.5 + np.cos(np.arange(p))
            top[r] = eigsh(hessian, k=1, which="LA", tol=1e-12, v0=start, return_eigenvectors=False)[0]
            bottom[r] = eigsh(hessian, k=1, which="SA", tol=1e-12, v0=start, return_eigenvectors=False)[0]
        if means is not None:
            means[r] = weights[index].mean()
    return BatchEigenvalues(top, bottom, means)
