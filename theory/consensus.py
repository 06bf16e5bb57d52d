r"""Consensus-based optimisation (CBO): the consensus point as a proximal step, and the decay rates.

**Consensus point.** The consensus point of a cloud :math:`y \sim N(x, \sigma^2 I_d)` weighted
by :math:`e^{-\alpha f(y)}` is

.. math:: v_\alpha = \frac{E[y\, e^{-\alpha f(y)}]}{E[e^{-\alpha f(y)}]},

the mean of the density :math:`\propto \exp(-\lVert y - x\rVert^2/(2\sigma^2) - \alpha f(y))`.
For a quadratic :math:`f(y) = \frac12 (y - y^*)^\top A (y - y^*)` that density is Gaussian with
precision :math:`I/\sigma^2 + \alpha A`, and with :math:`h = \alpha\sigma^2` its mean solves
:math:`(I + hA) v = x + hAy^*`, the optimality condition of
:math:`\min_y f(y) + \lVert y - x\rVert^2/(2h)`:

.. math:: v_\alpha = \operatorname{prox}_{hf}(x) = (I + hA)^{-1}(x + hAy^*)
          = x - h\nabla f(v_\alpha),

an implicit (backward) gradient step of size :math:`h`, exactly; to first order in :math:`h` it
is the explicit step :math:`x - h\nabla f(x)`. This is the exact quadratic case of the
"CBO is a stochastic relaxation of gradient descent" link of Riedl et al. (2023), whose
general statement goes through a quantitative Laplace principle and a proximal
(minimising-movement) step.

**Effective sample size.** A Monte-Carlo consensus point from :math:`M` draws has effective
sample size :math:`M (E w)^2 / E w^2`, :math:`w = e^{-\alpha f(y)}`; for quadratic :math:`f` both
moments are Gaussian integrals,

.. math:: E\, e^{-c f(y)} = \det(I + c\sigma^2 A)^{-1/2}
          \exp\Big(-\frac c2 (x - y^*)^\top A (I + c\sigma^2 A)^{-1} (x - y^*)\Big),

so the ratio is known before sampling (:func:`consensus_ess_fraction`).

**Decay rates.** With the consensus pinned at the minimiser :math:`x^*`, the particles follow
:math:`dX = -\lambda(X - x^*)dt + \sigma\lvert X - x^*\rvert\, dW` (isotropic noise) or
:math:`dX = -\lambda(X - x^*)dt + \sigma\operatorname{diag}(X - x^*)\, dW` (anisotropic). Itô's
formula for :math:`\lvert X - x^*\rvert^2` gives the drift :math:`(-2\lambda + d\sigma^2)` resp.
:math:`(-2\lambda + \sigma^2)` times :math:`\lvert X - x^*\rvert^2`, so

.. math:: E\lvert X_t - x^*\rvert^2 = E\lvert X_0 - x^*\rvert^2\, e^{-(2\lambda - d\sigma^2)t}
          \quad\text{resp.}\quad e^{-(2\lambda - \sigma^2)t}.

With the true (particle) consensus and large :math:`\alpha` the isotropic rate is that of
Fornasier, Klock & Riedl (2021) in the limit of their parameters.

References
----------
K. Riedl, T. Klock, C. Geldhauser, M. Fornasier (2023), "Gradient is all you need? How
consensus-based optimization can be interpreted as a stochastic relaxation of gradient
descent", arXiv:2306.09778. M. Fornasier, T. Klock, K. Riedl (2021), "Consensus-based
optimization methods converge globally", arXiv:2103.15130. J. A. Carrillo, S. Jin, L. Li,
Y. Zhu (2021), "A consensus-based global optimization method for high dimensional machine
learning problems" (anisotropic noise), ESAIM: COCV 27:S5.
"""

from __future__ import annotations

import numpy as np

from theory._validate import check_finite, check_integer, check_positive

__all__ = ["NOISE_TYPES", "cbo_variance_rate", "consensus_ess_fraction", "consensus_point",
           "quadratic_proximal_point"]

NOISE_TYPES = ("isotropic", "anisotropic")


def _check_problem(point, hessian, minimiser) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    for name, value in (("point", point), ("hessian", hessian), ("minimiser", minimiser)):
        check_finite(name, value)
    x = np.asarray(point, dtype=float)
    a = np.asarray(hessian, dtype=float)
    y = np.asarray(minimiser, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"point of shape {x.shape} is out of range: must be a non-empty vector")
    d = x.size
    if a.shape != (d, d):
        raise ValueError(f"hessian of shape {a.shape} is out of range: must be ({d}, {d})")
    if y.shape != (d,):
        raise ValueError(f"minimiser of shape {y.shape} is out of range: must be ({d},)")
    if not np.allclose(a, a.T, rtol=1e-12, atol=1e-12 * np.max(np.abs(a))):
        raise ValueError("hessian is out of range: must be symmetric")
    if np.min(np.linalg.eigvalsh(a)) < -1e-12 * np.max(np.abs(a)):
        raise ValueError("hessian is out of range: must be positive semi-definite")
    return x, a, y


def quadratic_proximal_point(point, hessian, minimiser, step):
    r"""Proximal point :math:`\operatorname{prox}_{hf}(x) = (I + hA)^{-1}(x + hAy^*)` of a quadratic.

    :math:`f(y) = \frac12(y - y^*)^\top A(y - y^*)`.

    Parameters
    ----------
    point : array_like, shape (d,)
        :math:`x`.
    hessian : array_like, shape (d, d)
        Symmetric positive semi-definite :math:`A`.
    minimiser : array_like, shape (d,)
        :math:`y^*`.
    step : float or array_like
        :math:`h \ge 0`.

    Returns
    -------
    ndarray, shape ``np.shape(step) + (d,)``
        ``x`` at ``h = 0``; tends to the projection of ``x`` on ``y* + ker A`` as ``h → ∞``.
    """
    x, a, y = _check_problem(point, hessian, minimiser)
    check_positive("step", step, allow_zero=True)
    h = np.asarray(step, dtype=float)
    # In A's eigenbasis: v = y* + U (I + hΛ)^{-1} Uᵀ (x − y*), stable for every h ≥ 0.
    lam, u = np.linalg.eigh(a)
    coords = u.T @ (x - y)
    shrink = 1.0 / (1.0 + h[..., None] * np.maximum(lam, 0.0))
    return y + (shrink * coords) @ u.T


def consensus_point(center, hessian, minimiser, alpha, sigma):
    r"""Consensus point of :math:`N(x, \sigma^2 I)` weighted by :math:`e^{-\alpha f}`, quadratic :math:`f`.

    Equals :math:`\operatorname{prox}_{hf}(x)` with :math:`h = \alpha\sigma^2` (module docstring).

    Parameters
    ----------
    center : array_like, shape (d,)
        Centre :math:`x` of the Gaussian cloud.
    hessian, minimiser
        :math:`A` (symmetric positive semi-definite) and :math:`y^*` of :math:`f`.
    alpha : float
        Inverse temperature :math:`\alpha > 0`.
    sigma : float or array_like
        Cloud radius :math:`\sigma \ge 0`.

    Returns
    -------
    ndarray, shape ``np.shape(sigma) + (d,)``
    """
    check_positive("alpha", alpha)
    check_positive("sigma", sigma, allow_zero=True)
    return quadratic_proximal_point(center, hessian, minimiser,
                                    float(alpha) * np.asarray(sigma, dtype=float) ** 2)


def _log_weight_moment(coords, lam, c, sigma2):
    """``log E exp(−c f(y))`` for ``y ~ N(x, σ²I)``, in ``A``'s eigenbasis (module docstring)."""
    scale = 1.0 + c * sigma2[..., None] * lam
    return -0.5 * np.sum(np.log(scale), axis=-1) - 0.5 * c * np.sum(lam * coords ** 2 / scale, axis=-1)


def consensus_ess_fraction(center, hessian, minimiser, alpha, sigma):
    r"""Effective-sample-size fraction :math:`(E w)^2/E w^2` of the consensus weights.

    :math:`w = e^{-\alpha f(y)}`, :math:`y \sim N(x, \sigma^2 I)`.

    Parameters
    ----------
    center, hessian, minimiser, alpha, sigma
        As in :func:`consensus_point`.

    Returns
    -------
    float or ndarray
        In (0, 1]; 1 at :math:`\sigma = 0`. A Monte-Carlo consensus point from :math:`M` draws
        behaves like an average of :math:`M` times this many independent points.
    """
    x, a, y = _check_problem(center, hessian, minimiser)
    check_positive("alpha", alpha)
    check_positive("sigma", sigma, allow_zero=True)
    sigma2 = np.asarray(sigma, dtype=float) ** 2
    lam, u = np.linalg.eigh(a)
    lam = np.maximum(lam, 0.0)
    coords = u.T @ (x - y)
    log_ratio = (2.0 * _log_weight_moment(coords, lam, float(alpha), sigma2)
                 - _log_weight_moment(coords, lam, 2.0 * float(alpha), sigma2))
    out = np.exp(log_ratio)
    return out[()] if out.ndim == 0 else out


def cbo_variance_rate(drift: float, noise: float, dim: int, noise_type: str = "isotropic") -> float:
    r"""Decay rate :math:`r` of :math:`E\lvert X_t - x^*\rvert^2 \propto e^{-rt}` with the consensus at :math:`x^*`.

    .. math:: r = 2\lambda - d\sigma^2 \ \text{(isotropic)},\qquad r = 2\lambda - \sigma^2\ \text{(anisotropic)}.

    Parameters
    ----------
    drift : float
        :math:`\lambda > 0`.
    noise : float
        :math:`\sigma \ge 0`.
    dim : int
        :math:`d \ge 1`.
    noise_type : {"isotropic", "anisotropic"}

    Returns
    -------
    float
        Positive when the second moment contracts; negative rates (growth) are returned as such.
    """
    check_positive("drift", drift)
    check_positive("noise", noise, allow_zero=True)
    check_integer("dim", dim, 1)
    if noise_type not in NOISE_TYPES:
        raise ValueError(f"noise_type={noise_type!r} is out of range: must be one of {', '.join(NOISE_TYPES)}")
    factor = float(dim) if noise_type == "isotropic" else 1.0
    return 2.0 * float(drift) - factor * float(noise) ** 2
