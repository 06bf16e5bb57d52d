r"""Spectra of Gaussian random matrices: GOE, Wishart, and Wishart plus GOE.

Each sampler takes ``(size, ..., rng, *, method, backend)`` and returns the sorted
eigenvalues as a float64 NumPy array. Conventions match :mod:`theory.random_matrices`:

* GOE of variance :math:`\sigma^2`: :math:`M = \sigma (A + A^\top)/\sqrt{2N}`, ``A``
  :math:`N \times N` i.i.d. :math:`N(0, 1)`; off-diagonal variance :math:`\sigma^2/N`,
  diagonal :math:`2\sigma^2/N`; limit: semicircle on :math:`[-2\sigma, 2\sigma]`.
* Wishart: ``X`` :math:`p \times n` i.i.d. :math:`N(0, \sigma^2)`, :math:`W = X X^\top / n`
  (:math:`p \times p`), :math:`p` = ``size``, :math:`n = \max(1, \mathrm{round}(p/q))`
  (see :func:`wishart_dimensions`); limit: Marchenko–Pastur with ratio :math:`p/n`.

Two routes to the same law:

* ``"dense"`` builds the matrix and calls a symmetric eigensolver, :math:`O(N^3)`. The
  ``backend`` decides where: ``"numpy"`` and ``"numba"`` both use LAPACK ``syevd`` through
  SciPy (the eigensolver is the whole cost; there is no loop for Numba to speed up),
  ``"cupy"`` moves the matrix to the GPU and uses ``cupy.linalg.eigvalsh``. The random
  numbers always come from ``rng`` on the host, so every backend diagonalises the same
  matrix.
* ``"tridiagonal"`` / ``"bidiagonal"`` draw the Dumitriu–Edelman :math:`\beta = 1` models,
  whose eigenvalues have exactly the law of the dense ones, and diagonalise a
  tridiagonal matrix in :math:`O(N^2)` (LAPACK ``sterf``, on the CPU for every backend).

References
----------
I. Dumitriu and A. Edelman, "Matrix models for beta ensembles", J. Math. Phys. 43 (2002)
5830–5847.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg
import scipy.linalg.lapack

from simulate._validate import check_choice, check_int, check_real, check_rng
from simulate.backend import array_namespace, resolve_backend, to_numpy

__all__ = ["goe_spectrum", "wishart_spectrum", "wishart_goe_spectrum", "wishart_dimensions"]


# --------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------

def wishart_dimensions(size: int, ratio: float) -> tuple[int, int]:
    """``(p, n)`` of the Wishart samplers: ``p = size``, ``n = max(1, round(size/ratio))``.

    The realised aspect ratio is ``p/n``, which differs from ``ratio`` when
    ``size/ratio`` is not an integer; finite-size formulas should use ``p`` and ``n``.
    """
    p = check_int("size", size, low=1)
    return p, max(1, round(p / check_real("ratio", ratio, low=0.0, closed_low=False)))


def _eigvalsh(matrix, backend: str) -> np.ndarray:
    """Ascending eigenvalues of a symmetric matrix given by its lower triangle.

    ``matrix`` is Fortran-ordered (as LAPACK stores it), so SciPy hands it to ``syevd``
    without a copy and LAPACK overwrites it in place. For eigenvalues only, the drivers
    ``ev``, ``evd``, ``evr`` and ``evx`` cost the same (all are ``sytrd`` plus ``sterf``;
    measured at N = 1000), as does ``numpy.linalg.eigvalsh``.
    """
    if backend == "cupy":
        return to_numpy(array_namespace(backend).linalg.eigvalsh(matrix, UPLO="L"))
    return scipy.linalg.eigvalsh(matrix, lower=True, overwrite_a=True, check_finite=False,
                                 driver="evd")


def _goe_lower(size: int, variance: float, rng: np.random.Generator) -> np.ndarray:
    r"""Lower triangle of a GOE matrix, Fortran order, zeros above the diagonal.

    The lower triangle of :math:`\sigma(A + A^\top)/\sqrt{2N}` has independent entries,
    :math:`N(0, \sigma^2/N)` off the diagonal and :math:`N(0, 2\sigma^2/N)` on it, and the
    eigensolver reads nothing else: draw exactly those :math:`N(N+1)/2` numbers (half the
    random numbers of ``A``, no transpose-add) and unpack them from LAPACK's rectangular
    full packed layout (``tfttr``, a copy).
    """
    packed = rng.standard_normal(size * (size + 1) // 2)
    packed *= math.sqrt(variance / size)
    lower, _ = scipy.linalg.lapack.dtfttr(size, packed, uplo="L")
    lower[np.diag_indices(size)] *= math.sqrt(2.0)
    return lower


def _gram(x, scale: float):
    """``scale · x xᵀ`` in Fortran order (the transpose view of the symmetric product)."""
    gram = (x @ x.T).T
    gram *= scale
    return gram


def _eigvalsh_tridiagonal(diagonal: np.ndarray, off_diagonal: np.ndarray) -> np.ndarray:
    return scipy.linalg.eigvalsh_tridiagonal(diagonal, off_diagonal, check_finite=False,
                                             lapack_driver="sterf")


# --------------------------------------------------------------------------------------
# Samplers
# --------------------------------------------------------------------------------------

def goe_spectrum(size: int, rng: np.random.Generator, *, variance: float = 1.0,
                 method: str = "tridiagonal", backend: str = "numpy") -> np.ndarray:
    r"""Eigenvalues of an :math:`N \times N` GOE matrix of semicircle variance :math:`\sigma^2`.

    ``"dense"``: :math:`M = \sigma (A + A^\top)/\sqrt{2N}`, :math:`A_{ij}` i.i.d.
    :math:`N(0, 1)`, diagonalised by the backend's eigensolver.

    ``"tridiagonal"`` (Dumitriu–Edelman 2002, :math:`\beta = 1` Hermite model): the
    symmetric tridiagonal matrix with diagonal :math:`\sigma\sqrt{2/N}\,N(0, 1)` and
    off-diagonal :math:`(\sigma/\sqrt N)\,\chi_{N-1}, \dots, \chi_1`, all independent, has
    the same eigenvalue law as ``"dense"``; cost :math:`O(N^2)`.

    Parameters
    ----------
    size : int
        :math:`N \ge 1`.
    rng : numpy.random.Generator
        Source of all randomness.
    variance : float
        :math:`\sigma^2 \ge 0`; the spectrum fills :math:`[-2\sigma, 2\sigma]` as
        :math:`N \to \infty`.
    method : {"tridiagonal", "dense"}
    backend : {"numpy", "numba", "cupy", "auto"}
        Where the dense eigensolver runs; the tridiagonal model always runs on the CPU.

    Returns
    -------
    ndarray
        ``size`` eigenvalues, ascending, float64.
    """
    size = check_int("size", size, low=1)
    variance = check_real("variance", variance, low=0.0)
    rng = check_rng(rng)
    method = check_choice("method", method, ("tridiagonal", "dense"))
    backend = resolve_backend(backend)
    if method == "dense":
        xp = array_namespace(backend)
        return _eigvalsh(xp.asarray(_goe_lower(size, variance, rng)), backend)
    scale = math.sqrt(variance / size)
    diagonal = rng.standard_normal(size)
    diagonal *= math.sqrt(2.0) * scale
    off_diagonal = np.sqrt(rng.chisquare(np.arange(size - 1, 0, -1, dtype=np.float64)))
    off_diagonal *= scale
    return _eigvalsh_tridiagonal(diagonal, off_diagonal)


def wishart_spectrum(size: int, ratio: float, rng: np.random.Generator, *,
                     variance: float = 1.0, method: str = "bidiagonal",
                     backend: str = "numpy") -> np.ndarray:
    r"""Eigenvalues of the Wishart matrix :math:`W = X X^\top / n`, ``X`` :math:`p \times n` Gaussian.

    :math:`p` = ``size`` and :math:`n = \max(1, \mathrm{round}(p/q))`
    (:func:`wishart_dimensions`). When :math:`p > n`, :math:`W` has :math:`p - n` exact
    zero eigenvalues; they are returned as zeros, and the other :math:`n` are computed
    from the :math:`n \times n` Gram :math:`X^\top X / n`, which has the same nonzero
    spectrum. Rounding below zero is clipped (:math:`W` is positive semi-definite).

    ``"dense"``: form the smaller Gram matrix and diagonalise it on the backend.

    ``"bidiagonal"`` (Dumitriu–Edelman 2002, :math:`\beta = 1` Laguerre model): with
    :math:`m = \min(p, n)`, :math:`M = \max(p, n)`, the lower bidiagonal :math:`B` with
    diagonal :math:`\chi_M, \chi_{M-1}, \dots, \chi_{M-m+1}` and sub-diagonal
    :math:`\chi_{m-1}, \dots, \chi_1` (independent) makes :math:`\sigma^2 B B^\top / n`
    equal in law to the nonzero part of the spectrum; :math:`BB^\top` is tridiagonal,
    cost :math:`O(m^2)`.

    Parameters
    ----------
    size : int
        :math:`p \ge 1`, the dimension of :math:`W`.
    ratio : float
        Requested :math:`q = p/n > 0`.
    rng : numpy.random.Generator
    variance : float
        Entry variance :math:`\sigma^2 \ge 0`.
    method : {"bidiagonal", "dense"}
    backend : {"numpy", "numba", "cupy", "auto"}
        Where the dense Gram product and eigensolver run.

    Returns
    -------
    ndarray
        ``size`` eigenvalues, ascending, float64.
    """
    p, n = wishart_dimensions(size, ratio)
    variance = check_real("variance", variance, low=0.0)
    rng = check_rng(rng)
    method = check_choice("method", method, ("bidiagonal", "dense"))
    backend = resolve_backend(backend)
    m, big = min(p, n), max(p, n)
    scale = variance / n
    if method == "dense":
        x = array_namespace(backend).asarray(rng.standard_normal((p, n)))
        nonzero = _eigvalsh(_gram(x if p <= n else x.T, scale), backend)
    else:
        # a_i on, b_i below the diagonal of B:
        # (B Bᵀ)_ii = a_i² + b_{i-1}², (B Bᵀ)_{i,i+1} = a_i b_i
        a_sq = rng.chisquare(np.arange(big, big - m, -1, dtype=np.float64))
        b_sq = rng.chisquare(np.arange(m - 1, 0, -1, dtype=np.float64))
        off_diagonal = np.sqrt(a_sq[:-1] * b_sq)
        off_diagonal *= scale
        diagonal = a_sq
        diagonal[1:] += b_sq
        diagonal *= scale
        nonzero = _eigvalsh_tridiagonal(diagonal, off_diagonal)
    return np.concatenate([np.zeros(p - m), np.maximum(nonzero, 0.0)])


def wishart_goe_spectrum(size: int, ratio: float, noise_variance: float,
                         rng: np.random.Generator, *, variance: float = 1.0,
                         method: str = "diagonal", backend: str = "numpy") -> np.ndarray:
    r"""Eigenvalues of :math:`W + S`: Wishart plus an independent GOE.

    :math:`W = X X^\top / n` as in :func:`wishart_spectrum` (entry variance ``variance``)
    and :math:`S` a GOE matrix as in :func:`goe_spectrum` with semicircle variance
    ``noise_variance``. The limit is the free convolution Marchenko–Pastur ⊞ semicircle.

    Two routes to the same law:

    * ``"dense"`` forms :math:`W` from ``X`` (a Gram product, :math:`2p^2 n` flops) and
      diagonalises :math:`W + S`;
    * ``"diagonal"`` (default) draws the eigenvalues :math:`\Lambda` of :math:`W` from the
      bidiagonal model and diagonalises :math:`\Lambda + S`. This is exact, not an
      approximation: with :math:`W = U \Lambda U^\top`, :math:`W + S = U(\Lambda + U^\top S U)U^\top`
      and :math:`U^\top S U` has the law of :math:`S`, independent of :math:`(U, \Lambda)`,
      because the GOE is orthogonally invariant. The cost is then the one eigensolve.

    Parameters
    ----------
    size : int
        :math:`p \ge 1`.
    ratio : float
        Requested :math:`q = p/n > 0`.
    noise_variance : float
        :math:`s^2 \ge 0`, the GOE's semicircle variance (radius :math:`2s`).
    rng : numpy.random.Generator
    variance : float
        Wishart entry variance :math:`\sigma^2 \ge 0`.
    method : {"diagonal", "dense"}
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    ndarray
        ``size`` eigenvalues, ascending, float64.
    """
    p, n = wishart_dimensions(size, ratio)
    noise_variance = check_real("noise_variance", noise_variance, low=0.0)
    variance = check_real("variance", variance, low=0.0)
    rng = check_rng(rng)
    method = check_choice("method", method, ("diagonal", "dense"))
    backend = resolve_backend(backend)
    xp = array_namespace(backend)
    if method == "diagonal":
        wishart = wishart_spectrum(p, ratio, rng, variance=variance, method="bidiagonal")
        matrix = _goe_lower(p, noise_variance, rng)
        matrix[np.diag_indices(p)] += wishart
        return _eigvalsh(xp.asarray(matrix), backend)
    matrix = _gram(xp.asarray(rng.standard_normal((p, n))), variance / n)
    matrix += xp.asarray(_goe_lower(p, noise_variance, rng))
    return _eigvalsh(matrix, backend)
