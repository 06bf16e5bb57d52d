r"""The quadratic-network teacher and its sensing operator (S*-scale, science note §1–2).

A one-hidden-layer network with quadratic activation, width ``m = κ d`` and all second-layer
weights equal to one,

.. math::

    f^*(x) = \frac{1}{\sqrt m} \sum_{k=1}^{m}
             \Big[ \frac{(w_k \cdot x)^2}{d} - \frac{\lVert w_k \rVert^2}{d} \Big]
           = \operatorname{Tr}[Z(x) S^*],
    \qquad Z(x) = \frac{x x^\top - I_d}{\sqrt d}, \qquad S^* = \frac{W^{*\top} W^*}{\sqrt{m d}},

is a generalised linear model for the symmetric matrix ``S*`` sensed by the ``Z(x_μ)``
(Maillard, Troiani, Martin, Krzakala, Zdeborová 2024, arXiv:2408.03733). The operator and
its adjoint are two O(n d²) matrix products; the n × d × d tensor is never built. Used by
GAMP-RIE (:mod:`simulate.gamp_rie`) and gradient descent (:mod:`simulate.quadratic_net`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import array_api_compat
import numpy as np

from simulate._validate import check_int as _check_int
from simulate._validate import check_real as _check_real
from simulate._validate import check_rng as _check_rng
from simulate._validate import fail as _fail
from simulate.backend import array_namespace, resolve_backend, to_numpy


def _to_backend(backend: str, *arrays):
    """Move host or device arrays to ``backend`` as float64; return (array-API namespace, arrays)."""
    raw = array_namespace(backend)
    out = tuple(raw.asarray(a, dtype=raw.float64) for a in arrays)
    return array_api_compat.array_namespace(*out), out


def _check_design(X, y) -> tuple[int, int]:
    if len(X.shape) != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        _fail("X", f"<array of shape {tuple(X.shape)}>", "a 2-d array of shape (n, d)")
    if tuple(y.shape) != (X.shape[0],):
        _fail("y", f"<array of shape {tuple(y.shape)}>", f"a 1-d array of length n={X.shape[0]}")
    return int(X.shape[0]), int(X.shape[1])


@dataclass(frozen=True, eq=False)
class QuadraticTeacherData:
    """One draw of the quadratic-network teacher and its labelled data set (S*-scale).

    Attributes
    ----------
    X : array, shape (n, d)
        Inputs, i.i.d. N(0, 1) entries.
    y : array, shape (n,)
        Labels ``y_μ = Tr[Z(x_μ) S*] + √Δ ξ_μ``.
    S_star : array, shape (d, d)
        ``W*ᵀ W* / √(m d)`` with ``W*`` of i.i.d. N(0, 1) entries.
    m, n : int
        Width ``max(1, round(κ d))`` and sample count ``round(α d²)``.
    kappa, delta : float
        The requested width ratio and the label-noise variance Δ.

    Arrays live on the backend they were made for (NumPy, or CuPy for ``backend="cupy"``).
    """

    X: object
    y: object
    S_star: object
    m: int
    n: int
    kappa: float
    delta: float

    @property
    def d(self) -> int:
        """Input dimension."""
        return int(self.X.shape[1])

    @property
    def alpha(self) -> float:
        """Realised sample ratio ``n / d²``."""
        return self.n / self.d**2

    @property
    def variance_excess(self) -> float:
        r"""The teacher's realised spread minus its exact mean: a zero-mean control variate.

        .. math::  c = \frac1d\big\lVert S^* - \sqrt{m/d}\, I\big\rVert_F^2 - \Big(1 + \frac1d\Big),

        exactly mean zero over ``W*`` at every d (``E S* = √(m/d) I``, ``Var S*_ij = (1 + δ_ij)/d``).
        The error of any estimator of S* moves with the teacher's realised variance; without
        noise the problem is invariant under ``S* → a S*, y → a y``, so the error is
        homogeneous of degree one in that variance. ``error − b·c`` therefore has the mean
        of ``error`` for every fixed ``b`` and, with ``b`` close to the error itself, a
        2–3× smaller spread over teachers (measured at d = 24–80, α ≤ 0.2, κ = 0.5).
        """
        d = self.d
        S_star = to_numpy(self.S_star)
        centre = math.sqrt(self.m / d)
        spread = (float(np.sum(S_star * S_star)) - 2.0 * centre * float(np.trace(S_star)) + centre**2 * d) / d
        return spread - (1.0 + 1.0 / d)


def sensing_operator(X, S):
    r"""The sensing operator ``A(S)_μ = Tr[Z(x_μ) S] = (x_μᵀ S x_μ − Tr S)/√d``.

    Computed as the row sums of ``(X S) ∘ X`` (one O(n d²) product, no n×d×d tensor).

    Parameters
    ----------
    X : array, shape (n, d)
        Inputs as rows.
    S : array, shape (d, d)
        Symmetric matrix.

    Returns
    -------
    array, shape (n,)
        In the namespace of the inputs (NumPy, CuPy or any array-API library).
    """
    xp = array_api_compat.array_namespace(X, S)
    quad = xp.vecdot(X @ S, X)
    return (quad - xp.linalg.trace(S)) / math.sqrt(X.shape[1])


def sensing_adjoint(X, g):
    r"""The adjoint ``Aᵀ(g) = Σ_μ g_μ Z(x_μ) = (Xᵀ diag(g) X − (Σ_μ g_μ) I)/√d``.

    Satisfies ``⟨A(S), g⟩ = ⟨S, Aᵀ(g)⟩_F`` for every symmetric ``S``. The result is
    symmetrised so that it is exactly symmetric in floating point.

    Parameters
    ----------
    X : array, shape (n, d)
        Inputs as rows.
    g : array, shape (n,)
        One weight per sample.

    Returns
    -------
    array, shape (d, d)
    """
    xp = array_api_compat.array_namespace(X, g)
    d = X.shape[1]
    gram = (X * g[:, None]).T @ X
    gram = 0.5 * (gram + gram.T) - xp.sum(g) * xp.eye(d, dtype=X.dtype)
    return gram / math.sqrt(d)


def teacher_matrix(d: int, kappa: float, rng: np.random.Generator) -> np.ndarray:
    r"""``S* = W*ᵀW*/√(m d)`` with ``W*`` an ``m × d`` matrix of i.i.d. N(0, 1), ``m = max(1, round(κ d))``.

    Its spectrum follows Marchenko–Pastur with ratio ``d/m`` and scale ``√κ`` (mean ``√κ``,
    variance 1, an atom at 0 of mass ``1 − κ`` when κ < 1): the prior of note §3. Host
    NumPy array; the first draw of :func:`quadratic_teacher`.
    """
    d = _check_int("d", d, low=1)
    kappa = _check_real("kappa", kappa, low=0.0, closed_low=False)
    _check_rng(rng)
    m = max(1, round(kappa * d))
    W = rng.standard_normal((m, d))
    return (W.T @ W) / math.sqrt(m * d)


def smallest_dimension(alpha: float) -> int:
    """Smallest d at which ``n = round(α d²)`` is at least 1 (the smallest meaningful run)."""
    alpha = _check_real("alpha", alpha, low=0.0, closed_low=False)
    d = max(1, math.ceil(math.sqrt(0.5 / alpha)))
    return d if round(alpha * d * d) >= 1 else d + 1


def quadratic_teacher(d: int, kappa: float, alpha: float, delta: float,
                      rng: np.random.Generator, *, backend: str = "numpy") -> QuadraticTeacherData:
    r"""Draw a teacher ``W*`` and ``n = round(α d²)`` labelled Gaussian inputs.

    .. math::

        y_μ = \frac{1}{\sqrt m} \sum_k \Big[\frac{(w_k\cdot x_μ)^2}{d}
              - \frac{\lVert w_k\rVert^2}{d}\Big] + \sqrt{Δ}\, ξ_μ
            = A(S^*)_μ + \sqrt{Δ}\, ξ_μ ,

    with ``m = max(1, round(κ d))``; labels are computed through :func:`sensing_operator`.
    The draws are made on the host in a fixed order (``W*``, ``X``, ``ξ``; ``ξ`` is drawn
    even when Δ = 0), so one seed gives the same data on every backend and for every Δ.

    Parameters
    ----------
    d : int
        Input dimension, ``>= 1``.
    kappa : float
        Width ratio ``m/d``, ``> 0``.
    alpha : float
        Sample ratio ``n/d²``, ``> 0`` and large enough that ``n >= 1``.
    delta : float
        Label-noise variance Δ, ``>= 0`` (note §13 for the pre-activation convention).
    rng : numpy.random.Generator
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    QuadraticTeacherData
    """
    d = _check_int("d", d, low=1)
    kappa = _check_real("kappa", kappa, low=0.0, closed_low=False)
    alpha = _check_real("alpha", alpha, low=0.0, closed_low=False)
    delta = _check_real("delta", delta, low=0.0)
    _check_rng(rng)
    backend = resolve_backend(backend)
    n = round(alpha * d * d)
    if n < 1:
        _fail("alpha", alpha, f"> {0.5 / d**2!r} so that n = round(alpha d^2) >= 1 at d={d}")
    S_star = teacher_matrix(d, kappa, rng)
    m = max(1, round(kappa * d))
    X = rng.standard_normal((n, d))
    xi = rng.standard_normal(n)
    _, (X, S_star, xi) = _to_backend(backend, X, S_star, xi)
    y = sensing_operator(X, S_star) + math.sqrt(delta) * xi
    return QuadraticTeacherData(X=X, y=y, S_star=S_star, m=m, n=n, kappa=kappa, delta=delta)
