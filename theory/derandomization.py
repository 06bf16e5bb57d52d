r"""The derandomisation lemma: Stein's identity for a Gaussian-smoothed objective.

Tsikouras, Pantis, Mitliagkas & Tzamos (2025), "A derandomization framework for structure
discovery", arXiv:2510.19382. For :math:`x \sim N(0, I_d)`, weights
:math:`W \in \mathbb R^{m\times d}`, a bias :math:`b \in \mathbb R^m` and a smooth
:math:`g: \mathbb R^m \to \mathbb R`, the smoothed objective :math:`F(W, b) = \mathbb E\,g(Wx + b)`
satisfies (Stein's lemma, :math:`\mathbb E[x\,h(x)] = \mathbb E[\nabla h(x)]`)

.. math::

    \nabla_W F = \mathbb E\bigl[\nabla g(Wx + b)\,x^\top\bigr]
               = \mathbb E\bigl[\nabla^2 g(Wx + b)\bigr] W = (\nabla_b^2 F)\, W .

So for :math:`f = F + \lambda\lVert W\rVert_F^2`, :math:`\nabla_W f = (\nabla_b^2 F + 2\lambda I)W`:
at a stationary point with a trainable bias, where :math:`\nabla_b^2 F \succeq 0` (a local
minimum; :math:`\succeq -\sqrt{K\rho}\,I` at a :math:`\rho`-second-order stationary point),
:math:`W = 0`, and a GD step :math:`W \leftarrow W - \ell\nabla_W f` contracts :math:`W` by at
least the weight-decay factor :math:`1 - 2\lambda\ell` near such a point. Applied to the first
layer of a network whose teacher sees :math:`x` only through a subspace :math:`U`, the same
argument acts on the weights :math:`W_\perp` on :math:`U^\perp` (Stein in those coordinates):
they vanish. Expectations here are tensor-product Gauss–Hermite quadratures in the
:math:`m` dimensions of :math:`z = Wx + b \sim N(b, WW^\top)`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from theory._validate import check_finite, check_integer, check_interval, check_positive

__all__ = [
    "SmoothFunction",
    "gaussian_expectation",
    "softplus_cosine_quartic",
    "stein_weight_gradient",
    "weight_decay_log_rate",
]

ArrayFunction = Callable[[np.ndarray], np.ndarray]


class SmoothFunction(NamedTuple):
    """A smooth :math:`g: \\mathbb R^m \\to \\mathbb R` with its derivatives, vectorised over points.

    Each callable takes points of shape ``(m, P)``; ``value`` returns ``(P,)``, ``gradient``
    ``(m, P)`` and ``hessian`` ``(m, m, P)``.
    """

    value: ArrayFunction
    gradient: ArrayFunction
    hessian: ArrayFunction


def _array(name: str, value, ndim: int, rule: str = "",
           valid: Callable[[np.ndarray], bool] = lambda arr: True) -> np.ndarray:
    """``value`` as a finite float array of ``ndim`` dimensions passing ``valid``, else a one-line ValueError."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim != ndim or not np.all(np.isfinite(arr)) or not valid(arr):
        raise ValueError(f"{name}=<array of shape {arr.shape}> is out of range: must be a finite "
                         f"{ndim}-d array{rule}")
    return arr


def softplus_cosine_quartic(direction, quartic: float = 0.1) -> SmoothFunction:
    r"""The science note's test function (more_claims.md §5(a)).

    .. math::  g(z) = \operatorname{softplus}(u^\top z) + \sum_k \cos z_k + c\, z_1^2 z_2^2 ,

    with :math:`u` = ``direction`` (length :math:`m \ge 2`) and :math:`c` = ``quartic``:
    a non-convex :math:`g` with a non-constant Hessian, so the identity is not trivial.
    """
    check_finite("quartic", quartic)
    u = _array("direction", direction, 1, " of length >= 2", lambda arr: arr.size >= 2)
    c = float(quartic)

    def value(z):
        return np.logaddexp(0.0, u @ z) + np.cos(z).sum(axis=0) + c * z[0] ** 2 * z[1] ** 2

    def gradient(z):
        grad = np.outer(u, _sigmoid(u @ z)) - np.sin(z)
        grad[0] += 2 * c * z[0] * z[1] ** 2
        grad[1] += 2 * c * z[0] ** 2 * z[1]
        return grad

    def hessian(z):
        p = _sigmoid(u @ z)
        hess = np.einsum("i,j,p->ijp", u, u, p * (1 - p))
        idx = np.arange(u.size)
        hess[idx, idx] -= np.cos(z)
        hess[0, 0] += 2 * c * z[1] ** 2
        hess[1, 1] += 2 * c * z[0] ** 2
        hess[0, 1] += 4 * c * z[0] * z[1]
        hess[1, 0] += 4 * c * z[0] * z[1]
        return hess

    return SmoothFunction(value, gradient, hessian)


def _sigmoid(t: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def gaussian_expectation(func: ArrayFunction, mean, covariance, nodes: int = 40) -> np.ndarray:
    r""":math:`\mathbb E\, h(z)` for :math:`z \sim N(\mu, \Sigma)` by tensor-product Gauss–Hermite quadrature.

    :math:`z = \mu + \Sigma^{1/2}u`, :math:`u \sim N(0, I_m)` on the probabilists' Hermite
    nodes (``nodes`` per dimension, exact for polynomials of degree :math:`< 2\,`nodes);
    :math:`\Sigma^{1/2}` from the eigendecomposition, which also takes a singular
    :math:`\Sigma` (rank-deficient :math:`W`).

    Parameters
    ----------
    func : callable
        ``func(points)`` with points of shape ``(m, P)``, returning ``(..., P)``.
    mean : array_like, shape (m,)
    covariance : array_like, shape (m, m)
        Symmetric positive semi-definite.
    nodes : int
        Nodes per dimension, 2 to 200; ``nodes**m`` points in all (at most 4·10⁶).

    Returns
    -------
    ndarray
        The expectation, of shape ``func``'s output without the last axis.
    """
    mu = _array("mean", mean, 1)
    sigma = _array("covariance", covariance, 2, f" of shape ({mu.size}, {mu.size}), symmetric",
                   lambda arr: arr.shape == (mu.size, mu.size) and np.allclose(arr, arr.T))
    check_integer("nodes", nodes, 2)
    check_interval("nodes", nodes, 2, 200)
    m = mu.size
    if nodes ** m > 4_000_000:
        raise ValueError(f"nodes={nodes!r} is out of range: nodes**{m} must be <= 4000000")
    eigenvalues, vectors = np.linalg.eigh(sigma)
    if eigenvalues[0] < -1e-12 * max(1.0, eigenvalues[-1]):
        raise ValueError(f"covariance=<array of shape {sigma.shape}> is out of range: "
                         "must be positive semi-definite")
    root = vectors * np.sqrt(np.clip(eigenvalues, 0.0, None))
    t, w = np.polynomial.hermite_e.hermegauss(int(nodes))
    grid = np.stack([g.ravel() for g in np.meshgrid(*([t] * m), indexing="ij")])
    weights = math.prod(np.meshgrid(*([w / w.sum()] * m), indexing="ij")).ravel()
    return func(mu[:, None] + root @ grid) @ weights


def stein_weight_gradient(hessian: ArrayFunction, weight, bias, nodes: int = 40) -> np.ndarray:
    r"""The right-hand side of the derandomisation identity, :math:`(\nabla_b^2 F)\,W`.

    .. math::  \nabla_W\,\mathbb E\,g(Wx + b) = \mathbb E\bigl[\nabla^2 g(Wx + b)\bigr]\,W,
               \qquad x \sim N(0, I_d),

    with :math:`\mathbb E\,\nabla^2 g` over :math:`z \sim N(b, WW^\top)` by
    :func:`gaussian_expectation` (Tsikouras et al. 2025, arXiv:2510.19382).

    Parameters
    ----------
    hessian : callable
        ``hessian(points)``: ``(m, P)`` → ``(m, m, P)``.
    weight : array_like, shape (m, d)
    bias : array_like, shape (m,)
    nodes : int
        Gauss–Hermite nodes per dimension of :math:`z`.

    Returns
    -------
    ndarray, shape (m, d)
    """
    w = _array("weight", weight, 2)
    b = _array("bias", bias, 1, f" of length {w.shape[0]} (the rows of weight)",
               lambda arr: arr.size == w.shape[0])
    return gaussian_expectation(hessian, b, w @ w.T, nodes) @ w


def weight_decay_log_rate(weight_decay, learning_rate: float):
    r"""Slowest decay of :math:`\ln\lVert W_\perp\rVert` per GD step allowed by the lemma.

    Near a local minimum :math:`\nabla_b^2 F \succeq 0`, so the step
    :math:`W_\perp \leftarrow (I - \ell(\nabla_b^2 F + 2\lambda I))W_\perp` shrinks
    :math:`\lVert W_\perp\rVert` at least by :math:`1 - 2\lambda\ell`:

    .. math::  \frac{d \ln\lVert W_\perp\rVert}{dt} \le \ln(1 - 2\lambda\ell).

    Equality when :math:`W_\perp` lies in the kernel of :math:`\nabla_b^2 F` (science note §5,
    erratum: "the decay rate of :math:`\ln\lVert w_\perp\rVert` per step, ≈ :math:`-2\lambda\,`lr").

    Parameters
    ----------
    weight_decay : float or array_like
        :math:`\lambda \ge 0`.
    learning_rate : float
        :math:`\ell > 0` with :math:`2\lambda\ell < 1`.
    """
    check_positive("weight_decay", weight_decay, allow_zero=True)
    check_positive("learning_rate", learning_rate)
    product = 2.0 * np.asarray(weight_decay, dtype=float) * learning_rate
    check_interval("2 * weight_decay * learning_rate", product.tolist(), 0.0, 1.0, closed_high=False)
    rate = np.log1p(-product)
    return float(rate) if rate.ndim == 0 else rate
