r"""Mean-square linear stability of mini-batch SGD on a finite data set.

Setting (Ma & Ying 2021; Wu & Su 2023; Mulayoff & Michaeli 2023). At an interpolating minimum
of the square loss the per-sample Hessians are rank one, :math:`H_i = g_i g_i^\top` (``g_i`` the
per-sample gradient of the model output, the ``i``-th row of ``sample_gradients``), and
:math:`H = \frac1n \sum_i H_i`. Linearised SGD with learning rate :math:`\eta` moves the error
:math:`\delta` by :math:`\delta \leftarrow (I - \eta H_B)\delta`, where
:math:`H_B = \frac1B \sum_{i \in \mathcal B} H_i` and :math:`\mathcal B` is a fresh uniform
``B``-subset of the ``n`` samples at every step (drawn without replacement within the batch).
The second moment :math:`\Sigma_t = E\,\delta_t\delta_t^\top` then obeys
:math:`\Sigma_{t+1} = \mathcal Q(\Sigma_t)` with

.. math::

    \mathcal Q(\Sigma) = (1 - p)(I - \eta H)\Sigma(I - \eta H)
        + \frac pn \sum_i (I - \eta H_i)\Sigma(I - \eta H_i),
    \qquad p = \frac{n - B}{B(n - 1)},

because :math:`E[H_B \otimes H_B] = (1 - p) H \otimes H + \frac pn \sum_i H_i \otimes H_i`
for sampling without replacement (:func:`without_replacement_factor`). Write
:math:`\mathcal Q = I - 2\eta\,\mathcal C + \eta^2 \mathcal D` with
:math:`\mathcal C(\Sigma) = \tfrac12(H\Sigma + \Sigma H)` and
:math:`\mathcal D(\Sigma) = (1 - p) H\Sigma H + \frac pn \sum_i H_i \Sigma H_i`. Both are
self-adjoint for the Frobenius inner product on symmetric matrices, :math:`\mathcal C \succ 0`
on the range of :math:`H` and :math:`\mathcal D \succeq 0`, and :math:`\mathcal Q` maps the
positive semidefinite cone into itself, so its spectral radius is its largest eigenvalue
(Krein–Rutman) and

.. math::

    E\|\delta_t\|^2 \text{ stays bounded for every } \delta_0
    \iff \eta \le \eta^* = \frac{2}{\mu_{\max}}, \qquad
    \mu_{\max} = \max_{\Sigma} \frac{\langle \Sigma, \mathcal D\Sigma\rangle}
                                  {\langle \Sigma, \mathcal C\Sigma\rangle}.

Special cases: :math:`B = n` (:math:`p = 0`) gives gradient descent, :math:`\eta^* =
2/\lambda_{\max}(H)`; :math:`B = 1` gives :math:`\eta^* \le 2/\operatorname{Tr} H` (Wu & Su's
bound), with equality for orthogonal ``g_i`` of equal norm. Directions in the kernel of
:math:`H` (orthogonal to every ``g_i``) never move; the threshold is that of the dynamics on
the range of :math:`H`.

Numerics. In the eigenbasis :math:`H = V\Lambda V^\top` both :math:`\mathcal C` and
:math:`H\otimes H` are diagonal on the orthonormal basis :math:`E_{ab}` (``a <= b``) of symmetric
matrices, so :math:`\mathcal C^{-1/2}\mathcal D\,\mathcal C^{-1/2}` is a diagonal matrix plus
:math:`\frac pn U U^\top`, where column ``i`` of ``U`` is :math:`g_i g_i^\top` in that basis
scaled by :math:`\mathcal C^{-1/2}`. Its largest eigenvalue is found on the :math:`m = r(r+1)/2` symmetric
coordinates (``r`` the rank of ``H``): by the dense symmetric eigensolver for small ``m``, by
matrix-free Lanczos (products with ``U`` and ``Uᵀ``, :math:`O(nm)` each) for large ``m``.

References
----------
C. Ma and L. Ying, "On linear stability of SGD and input-smoothness of neural networks",
NeurIPS 2021, arXiv:2105.13462.
L. Wu and W. J. Su, "The implicit regularization of dynamical stability in stochastic gradient
descent", ICML 2023, arXiv:2305.17490.
R. Mulayoff and T. Michaeli, "Exact mean square linear stability analysis for SGD", COLT 2024,
arXiv:2306.07850.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from theory._docstrings import SNIPPETS, fill
from theory._validate import check_finite, integer

__all__ = [
    "mean_square_threshold",
    "mean_square_critical_mode",
    "mean_square_trajectory",
    "trace_bound",
    "without_replacement_factor",
]


def _gradients(sample_gradients) -> np.ndarray:
    g = np.asarray(sample_gradients)
    if g.ndim != 2 or g.shape[0] < 1 or g.shape[1] < 1:
        raise ValueError(f"sample_gradients with shape {g.shape} is out of range: must be a 2-D "
                         "array (n samples × d parameters) with n, d >= 1")
    check_finite("sample_gradients", g)
    g = g.astype(float)
    if not np.any(g):
        raise ValueError("sample_gradients=<all zeros> is out of range: must be nonzero somewhere "
                         "(H = 0 has no threshold)")
    return g


def _batch_sizes(batch_size, n_data: int) -> np.ndarray:
    b = np.asarray(batch_size)
    if b.dtype.kind not in "iu" and not (b.dtype.kind == "f" and np.all(np.isfinite(b)) and np.all(b == np.round(b))):
        raise ValueError(f"batch_size={batch_size!r} is out of range: must be an integer in [1, {n_data}]")
    b = b.astype(np.int64)
    if np.any(b < 1) or np.any(b > n_data):
        raise ValueError(f"batch_size={batch_size!r} is out of range: must be an integer in [1, {n_data}]")
    return b


def _batch_size(batch_size, n_data: int) -> int:
    if np.ndim(batch_size) != 0:
        raise ValueError(f"batch_size={batch_size!r} is out of range: must be a single integer in [1, {n_data}]")
    return int(_batch_sizes(batch_size, n_data))


@fill(SNIPPETS)
def without_replacement_factor(batch_size, n_data):
    r"""Variance factor of a batch mean drawn without replacement: :math:`p = \frac{N - B}{B(N - 1)}`.

    For values :math:`v_1, \dots, v_N` with :math:`\bar v = \frac1N\sum_i v_i` and a uniform
    ``B``-subset :math:`\mathcal B`, :math:`E\|\bar v_{\mathcal B} - \bar v\|^2 = p \cdot
    \frac1N \sum_i \|v_i - \bar v\|^2` (Cochran 1977, Thm 2.2). With the ``1/(N - 1)``
    sample variance instead of the ``1/N`` one the factor is exactly :math:`1/B - 1/N`. It is
    ``1`` at ``B = 1`` and ``0`` at ``B = N``; ``N = 1`` (hence ``B = 1 = N``) gives ``0``.

    Parameters
    ----------
    %(batch_of_data)s

    Returns
    -------
    float or ndarray
    """
    n_data = integer("n_data", n_data, low=1)
    b = _batch_sizes(batch_size, int(n_data)).astype(float)
    factor = np.zeros_like(b) if n_data == 1 else (n_data - b) / (b * (n_data - 1.0))
    return factor[()] if factor.ndim == 0 else factor


# Above this many symmetric coordinates matrix-free Lanczos (ARPACK) finds the top eigenpair
# faster than the dense solver on the formed matrix (measured on one BLAS thread in
# benchmarks/sgd_stability.py); both agree to ~1e-15 relative.
_DENSE_LIMIT = 128


@dataclass(frozen=True)
class _Operator:
    """``K = C^{-1/2} D C^{-1/2}`` on symmetric matrices in the eigenbasis of ``H`` (rank ``r``).

    ``K = (1 − p) diag(λ_a λ_b / c_ab) + p UᵀU`` over the ``m = r(r+1)/2`` pairs ``a <= b``,
    ``c_ab = (λ_a + λ_b)/2``; row ``i`` of ``U`` is ``C^{-1/2} vec_sym(g_i g_iᵀ)/√n``.
    """

    basis: np.ndarray      # (d, r): eigenvectors of H with nonzero eigenvalue
    eigenvalues: np.ndarray  # (r,)
    rows: np.ndarray       # (m,) index a of the pair (a, b)
    cols: np.ndarray       # (m,) index b
    c_diag: np.ndarray     # (m,) eigenvalue of C on E_ab
    gd_diag: np.ndarray    # (m,) H⊗H in the scaled coordinates: λ_a λ_b / c_ab
    samples: np.ndarray    # (n, m): U
    n_data: int

    def top_eigenpair(self, batch_size: int) -> tuple[float, np.ndarray]:
        p = float(without_replacement_factor(batch_size, self.n_data))
        m, u = self.gd_diag.size, self.samples
        if m <= _DENSE_LIMIT:
            k = p * (u.T @ u)
            k[np.diag_indices_from(k)] += (1.0 - p) * self.gd_diag
            values, vectors = scipy.linalg.eigh(k, subset_by_index=[m - 1, m - 1], driver="evr",
                                                check_finite=False)
            return float(values[0]), vectors[:, 0]
        from scipy.sparse.linalg import LinearOperator, eigsh  # heavy import, large problems only

        diagonal = (1.0 - p) * self.gd_diag
        operator = LinearOperator((m, m), dtype=float,
                                  matvec=lambda v: diagonal * v.ravel() + p * (u.T @ (u @ v.ravel())))
        start = 1.5 + np.cos(np.arange(m))  # a fixed, generic start: the result is reproducible
        values, vectors = eigsh(operator, k=1, which="LA", tol=0.0, v0=start)
        return float(values[0]), vectors[:, 0]


def _operator(sample_gradients) -> _Operator:
    g = _gradients(sample_gradients)
    n = g.shape[0]
    # G = U S Vᵀ: H = V (S²/n) Vᵀ; the rank cut uses singular values (not their squares)
    u, s, vt = scipy.linalg.svd(g, full_matrices=False, lapack_driver="gesdd")
    keep = s > max(g.shape) * np.finfo(float).eps * s[0]
    rotated = u[:, keep] * s[keep]          # g_i in the eigenbasis of H: G V
    lam = s[keep] ** 2 / n
    a, b = np.triu_indices(lam.size)
    c_diag = 0.5 * (lam[a] + lam[b])
    scale = np.where(a == b, 1.0, np.sqrt(2.0)) / np.sqrt(c_diag * n)
    return _Operator(vt[keep].T, lam, a, b, c_diag, lam[a] * lam[b] / c_diag,
                     rotated[:, a] * rotated[:, b] * scale, n)


def mean_square_threshold(sample_gradients, batch_size):
    r"""Largest learning rate :math:`\eta^*` at which mini-batch SGD is mean-square stable.

    :math:`\eta^* = 2/\mu_{\max}(\mathcal C^{-1}\mathcal D)` for the rank-one per-sample
    Hessians :math:`H_i = g_i g_i^\top` and batches of ``B`` samples drawn uniformly without
    replacement, fresh at every step (module docstring; Ma & Ying 2021, Mulayoff & Michaeli
    2023). At :math:`\eta^*` the spectral radius of the second-moment map is exactly 1; below
    it :math:`E\|\delta_t\|^2 \to 0`, above it the second moment grows geometrically.

    Parameters
    ----------
    sample_gradients : array_like, shape (n, d)
        Row ``i`` is :math:`g_i`; finite, not all zero.
    batch_size : int or array_like of int
        ``B`` in ``[1, n]``; an array gives one threshold per entry (the eigenbasis of ``H`` and
        the per-sample term are computed once).

    Returns
    -------
    float or ndarray
        :math:`\eta^*`; equals :math:`2/\lambda_{\max}(H)` at ``B = n``.
    """
    op = _operator(sample_gradients)
    sizes = _batch_sizes(batch_size, op.n_data)
    out = np.array([2.0 / op.top_eigenpair(int(b))[0] for b in sizes.ravel()]).reshape(sizes.shape)
    return float(out) if out.ndim == 0 else out


def mean_square_critical_mode(sample_gradients, batch_size: int) -> np.ndarray:
    r"""The second moment :math:`\Sigma^*` that neither grows nor decays at :math:`\eta^*`.

    The generalised eigenvector :math:`\mathcal D\Sigma^* = \mu_{\max}\mathcal C\Sigma^*`, hence
    :math:`\mathcal Q(\eta^*)\Sigma^* = \Sigma^*`; it is positive semidefinite (the Perron
    vector of the positive map :math:`\mathcal Q`) and is returned with unit trace. For any
    other :math:`\Sigma \succeq 0` the ratio :math:`2\langle\Sigma,\mathcal C\Sigma\rangle /
    \langle\Sigma,\mathcal D\Sigma\rangle` exceeds :math:`\eta^*`, so started from
    :math:`\delta_0 \sim N(0, \Sigma^*)` the :math:`\Sigma^*`-weighted mean square of one SGD step
    is stationary exactly at :math:`\eta^*`.

    Parameters
    ----------
    sample_gradients : array_like, shape (n, d)
    batch_size : int
        ``B`` in ``[1, n]``.

    Returns
    -------
    ndarray, shape (d, d)
        Symmetric, positive semidefinite, trace 1, supported on the range of :math:`H`.
    """
    op = _operator(sample_gradients)
    _, vector = op.top_eigenpair(_batch_size(batch_size, op.n_data))
    coords = vector / np.sqrt(op.c_diag)                       # C^{-1/2}: the generalised eigenvector
    coords = coords / np.where(op.rows == op.cols, 1.0, np.sqrt(2.0))
    small = np.zeros((op.eigenvalues.size,) * 2)
    small[op.rows, op.cols] = coords
    small[op.cols, op.rows] = coords
    mode = op.basis @ small @ op.basis.T
    mode = 0.5 * (mode + mode.T)
    return mode / np.trace(mode)


def mean_square_trajectory(sample_gradients, batch_size: int, learning_rate: float,
                           initial_covariance, steps: int) -> np.ndarray:
    r"""Exact :math:`E\|\delta_t\|^2 = \operatorname{tr}\Sigma_t` for ``t = 0..steps``.

    Iterates :math:`\Sigma_{t+1} = \mathcal Q(\Sigma_t)` (module docstring) from
    :math:`\Sigma_0` = ``initial_covariance``, with a fresh uniform batch at every step. Each
    term :math:`(I - \eta H_i)\Sigma(I - \eta H_i)` is expanded with :math:`H_i = g_i g_i^\top`,
    so a step costs :math:`O(n d^2)`; the iterate is re-symmetrised every step (round-off
    would otherwise feed the antisymmetric part, which is not a second moment).

    Parameters
    ----------
    sample_gradients : array_like, shape (n, d)
    batch_size : int
        ``B`` in ``[1, n]``.
    learning_rate : float
        :math:`\eta \ge 0`.
    initial_covariance : array_like, shape (d, d)
        Symmetric positive semidefinite :math:`E\,\delta_0\delta_0^\top`.
    steps : int
        Number of steps, ``>= 0``.

    Returns
    -------
    ndarray, shape (steps + 1,)
    """
    g = _gradients(sample_gradients)
    n, d = g.shape
    p = float(without_replacement_factor(_batch_size(batch_size, n), n))
    check_finite("learning_rate", learning_rate)
    if np.ndim(learning_rate) != 0 or learning_rate < 0:
        raise ValueError(f"learning_rate={learning_rate!r} is out of range: must be a number >= 0")
    steps = integer("steps", steps, low=0)
    sigma = np.asarray(initial_covariance, dtype=float)
    if sigma.shape != (d, d) or not np.allclose(sigma, sigma.T, rtol=1e-12, atol=0.0):
        raise ValueError(f"initial_covariance with shape {sigma.shape} is out of range: must be a "
                         f"symmetric {d}×{d} matrix")
    check_finite("initial_covariance", sigma)
    eta = float(learning_rate)
    h = g.T @ g / n
    contraction = np.eye(d) - eta * h
    out = np.empty(steps + 1)
    for t in range(steps + 1):
        out[t] = np.trace(sigma)
        if t == steps:
            break
        sg = sigma @ g.T                                        # columns Σ g_i
        quad = np.einsum("ij,ji->i", g, sg)                     # g_iᵀ Σ g_i
        cross = sg @ g / n                                      # (1/n) Σ_i Σ g_i g_iᵀ = Σ H
        # (1/n) Σ_i (I − η g gᵀ) Σ (I − η g gᵀ) = Σ − η(ΣH + HΣ) + η² (1/n) Σ_i (gᵀΣg) g gᵀ
        per_sample = sigma - eta * (cross + cross.T) + eta ** 2 * (g.T * quad) @ g / n
        full = contraction @ sigma @ contraction
        sigma = (1.0 - p) * full + p * per_sample
        sigma = 0.5 * (sigma + sigma.T)
    return out


def trace_bound(sample_gradients) -> float:
    r"""Wu & Su's bound for single-sample SGD: :math:`\eta^*(B = 1) \le 2/\operatorname{Tr} H`.

    At :math:`B = 1`, :math:`\mathcal D(\Sigma) = \frac1n\sum_i H_i\Sigma H_i`; the Rayleigh
    quotient at :math:`\Sigma = I` is :math:`\frac1n\sum_i\|g_i\|^4 / \frac1n\sum_i\|g_i\|^2
    \ge \frac1n\sum_i\|g_i\|^2 = \operatorname{Tr} H` (Cauchy–Schwarz), so
    :math:`\mu_{\max} \ge \operatorname{Tr} H`. Equality needs equal norms :math:`\|g_i\|` and
    :math:`I` to be the critical mode (orthogonal ``g_i`` of equal norm). It holds only for
    rank-one :math:`H_i` (for :math:`H_i = I_3`, ``n = 5``: :math:`\eta^* = 2` against 0.667).

    Parameters
    ----------
    sample_gradients : array_like, shape (n, d)

    Returns
    -------
    float
        :math:`2/\operatorname{Tr} H = 2n/\sum_i \|g_i\|^2`.
    """
    g = _gradients(sample_gradients)
    return 2.0 * g.shape[0] / float(np.sum(g * g))
