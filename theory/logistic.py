r"""High-dimensional logistic regression: the Sur–Candès system for the MLE and its existence.

Covariates :math:`x_i \sim N(0, I_p/n)`, :math:`i \le n`, ratio :math:`\kappa = p/n`; a
coefficient vector with :math:`\|\beta\|^2/n = \gamma^2` (so :math:`\operatorname{Var}x\cdot\beta
= \gamma^2`); labels :math:`y_i \sim \mathrm{Bernoulli}(\rho'(x_i\cdot\beta))`,
:math:`\rho(t) = \log(1 + e^t)`, no intercept. The MLE minimises
:math:`\sum_i [\rho(x_i\cdot b) - y_i x_i\cdot b]`. As :math:`n, p \to \infty` at fixed κ
(Sur & Candès 2019), when the MLE exists, :math:`\hat\beta_j \approx \alpha_*\beta_j + \sigma_* Z_j`
coordinate-wise in the sense :math:`\frac1p\sum_j\psi(\hat\beta_j - \alpha_*\beta_j, \beta_j) \to
E\,\psi(\sigma_* Z, \beta)`, where :math:`(\alpha_*, \sigma_*, \lambda_*)` solve

.. math::

    \kappa^2\sigma^2 &= E\big[2\rho'(Q_1)\,(\lambda\rho'(\mathrm{prox}_{\lambda\rho}(Q_2)))^2\big],\\
    0 &= E\big[\rho'(Q_1)\,Q_1\,\lambda\rho'(\mathrm{prox}_{\lambda\rho}(Q_2))\big],\\
    1 - \kappa &= E\Big[\frac{2\rho'(Q_1)}{1 + \lambda\rho''(\mathrm{prox}_{\lambda\rho}(Q_2))}\Big],

with :math:`(Q_1, Q_2) \sim N\big(0, [[\gamma^2, -\alpha\gamma^2], [-\alpha\gamma^2, \alpha^2\gamma^2 +
\kappa\sigma^2]]\big)` and :math:`\mathrm{prox}_{\lambda\rho}(z) = \arg\min_t \lambda\rho(t) + (t-z)^2/2`,
i.e. :math:`t + \lambda\rho'(t) = z` (Sur & Candès 2019, eq. 5; the factor 2ρ'(Q₁) sums the
two label branches). :math:`\alpha_* > 1`: the MLE over-estimates every effect.

The MLE exists (the data are not separable) with probability → 1 iff :math:`\kappa < h(\gamma)`,

.. math::

    h(\gamma) = \min_{t\in\mathbb R} E\big[(Z - tV)_+^2\big]
              = \min_t\, 2E_X\big[\rho'(\gamma X)\,W(-tX)\big],

:math:`V = YX`, :math:`X, Z \sim N(0,1)`, :math:`\Pr(Y = 1 \mid X) = \rho'(\gamma X)`, and
:math:`W(c) = E(Z + c)_+^2` Gardner's integral of :mod:`theory.capacity` (Candès & Sur 2020,
Theorem 1). :math:`h(0) = 1/2` is Cover's 2d (random labels), :math:`h(\gamma) \to 0` as γ → ∞.

Numerics. The expectations are taken as :math:`E_{Q_2}[G(Q_2)\,E(F(Q_1)\mid Q_2)]`: the outer
one over :math:`Q_2` by composite Gauss–Legendre (16 nodes per panel, panels at most 1 wide
in :math:`Q_2` over ±12 sd), the inner one over the Gaussian :math:`Q_1 \mid Q_2` by
Gauss–Hermite (100 nodes). The prox turns over on a scale of order 1 in :math:`Q_2`, whose sd
reaches ~10 near the existence threshold: there a global 2-D Gauss–Hermite rule (the note's
200 × 200) is off by 2e-6 relative in α* (κ = 0.3, γ² = 5), although it agrees to 1e-14 at
κ = 0.2; halving the panels or raising the nodes changes the residuals by < 1e-14 over
κ ∈ (0, h(γ)), γ ∈ [0, 15]. The prox by Newton safeguarded with bisection on the bracket
:math:`(z - \lambda, z)`; the system by ``scipy.optimize.root`` (hybr) from the classical
values, with a continuation in κ when that start fails. h(γ) uses composite Gauss–Legendre
quadrature (panels refined towards 0, where ρ'(γx) turns over; Gauss–Hermite with 200 nodes
is off by 3e-8 at γ = 5) and a bounded scalar minimisation of the convex function of t.

References
----------
P. Sur, E. J. Candès (2019), PNAS 116, 14516, arXiv:1803.06964. E. J. Candès, P. Sur (2020),
Ann. Statist. 48, 27, arXiv:1804.09753. Q. Zhao, P. Sur, E. J. Candès, arXiv:2001.09351
(R package glmhd).
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np
from scipy.optimize import minimize_scalar, root
from scipy.special import expit

from theory._validate import check_interval, check_positive
from theory.capacity import gardner_margin_integral

__all__ = ["SurCandesParameters", "logistic_mle_existence_threshold", "sur_candes_parameters"]

_INNER_NODES = 100
_PANEL_WIDTH = 1.0
_MIN_PANELS = 48
_PROX_TOL = 1e-11  # Newton step size at which the next iterate is exact to rounding (quadratic)
_CONTINUATION_STEPS = 12
_PANEL_NODES = 48


class SurCandesParameters(NamedTuple):
    """Output of :func:`sur_candes_parameters`: inflation α*, spread σ* and λ*."""

    alpha: float
    sigma: float
    lam: float


@functools.cache
def _inner_rule() -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Hermite nodes and weights for E over N(0, 1) (the conditional law of Q₁)."""
    x, w = np.polynomial.hermite_e.hermegauss(_INNER_NODES)
    return x, w / math.sqrt(2.0 * math.pi)


@functools.cache
def _outer_rule(panels: int) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss–Legendre nodes and weights (times φ) for E over N(0, 1) on [−12, 12]."""
    edges = np.linspace(-12.0, 12.0, panels + 1)
    t, w = np.polynomial.legendre.leggauss(_PANEL_NODES)
    half = 0.5 * np.diff(edges)
    mid = 0.5 * (edges[1:] + edges[:-1])
    y = (mid[:, None] + half[:, None] * t[None, :]).ravel()
    return y, (half[:, None] * w[None, :]).ravel() * np.exp(-0.5 * y * y) / math.sqrt(2.0 * math.pi)


def _prox(z: np.ndarray, lam: float) -> np.ndarray:
    """Solve ``t + λρ'(t) = z`` elementwise: Newton safeguarded by bisection on the bracket
    (z − λ, z) whenever a step leaves the bracket or fails to halve the previous one (Numerical
    Recipes' rtsafe; plain Newton can cycle between the two ends for λ ≳ 10)."""
    lo, hi = z - lam, z.copy()
    t = z - lam * expit(z)
    previous = np.full_like(z, np.inf)
    for _ in range(200):
        s = expit(t)
        f = t + lam * s - z
        lo = np.where(f < 0, t, lo)
        hi = np.where(f > 0, t, hi)
        newton = t - f / (1.0 + lam * s * (1.0 - s))
        change = np.abs(newton - t)
        scale = _PROX_TOL * (1.0 + np.abs(t))
        if np.all(change <= scale):
            return newton  # the error of a Newton iterate is the square of this step
        bisect = (newton < lo) | (newton > hi) | ((change > 0.5 * previous) & (change > scale))
        step = np.where(bisect, 0.5 * (lo + hi), newton)
        previous = np.abs(step - t)
        t = step
    raise RuntimeError(f"prox of λρ did not converge (lam={lam!r})")


def _residuals(v, kappa: float, gamma: float) -> np.ndarray:
    """The three equations at ``v = (α, σ, λ)``; at γ = 0 the two at ``v = (σ, λ)`` (α is void).

    Expectations are taken as ``E_{Q₂}[G(Q₂) E(F(Q₁) | Q₂)]``: the outer one over
    ``Q₂ ~ N(0, v₂)``, ``v₂ = α²γ² + κσ²``, by composite Gauss–Legendre with panels at most
    ``_PANEL_WIDTH`` wide in Q₂ (the prox turns over on a scale of order 1 in Q₂, which a
    global rule misses once v₂ is large); the inner one over ``Q₁ | Q₂ = q ~
    N(−αγ²q/v₂, γ²κσ²/v₂)`` by Gauss–Hermite.
    """
    alpha, sigma, lam = v if gamma > 0 else (0.0, *v)
    v2 = alpha**2 * gamma**2 + kappa * sigma**2
    sd = math.sqrt(v2)
    y, wy = _outer_rule(max(_MIN_PANELS, math.ceil(24.0 * sd / _PANEL_WIDTH)))
    q2 = sd * y
    u, wu = _inner_rule()
    q1 = (-alpha * gamma**2 / v2) * q2[:, None] + (gamma * math.sqrt(kappa) * abs(sigma) / sd) * u[None, :]
    r = expit(q1)
    branches = 2.0 * (r @ wu)                  # E[2ρ'(Q₁) | Q₂]: the two label branches
    slope = expit(_prox(q2, abs(lam)))
    variance = kappa**2 * sigma**2 - np.sum(wy * branches * (lam * slope) ** 2)
    slope_eq = 1.0 - kappa - np.sum(wy * branches / (1.0 + lam * slope * (1.0 - slope)))
    if gamma == 0:
        return np.array([variance, slope_eq])
    tilt = (r * q1) @ wu                       # E[ρ'(Q₁) Q₁ | Q₂]
    return np.array([variance, np.sum(wy * tilt * lam * slope), slope_eq])


def _classical_start(kappa: float, gamma: float) -> np.ndarray:
    """α = 1, σ² = 1/E ρ''(γZ) (inverse Fisher information), λ = κ/E ρ''(γZ): the κ → 0 values."""
    u, wu = _inner_rule()
    s = expit(gamma * u)
    info = float(np.sum(wu * s * (1.0 - s)))
    start = np.array([1.0, 1.0 / math.sqrt(info), kappa / info])
    return start if gamma > 0 else start[1:]


def _solve(kappa: float, gamma: float, start: np.ndarray):
    sol = root(_residuals, start, args=(kappa, gamma), method="hybr", options={"xtol": 1e-13})
    ok = sol.success and np.all(np.isfinite(sol.x)) and sol.x[-1] > 0
    return sol.x if ok and np.max(np.abs(sol.fun)) < 1e-9 else None  # x itself to xtol = 1e-13


def _parameters_scalar(kappa: float, gamma: float) -> SurCandesParameters:
    x = _solve(kappa, gamma, _classical_start(kappa, gamma))
    if x is None:  # continuation in κ from the classical regime
        x = _classical_start(kappa / _CONTINUATION_STEPS, gamma)
        for k in range(1, _CONTINUATION_STEPS + 1):
            x = _solve(kappa * k / _CONTINUATION_STEPS, gamma, x)
            if x is None:
                raise RuntimeError(f"Sur–Candès system did not converge at kappa={kappa!r}, "
                                   f"gamma={gamma!r}")
    alpha = float(x[0]) if gamma > 0 else math.nan
    return SurCandesParameters(alpha=alpha, sigma=abs(float(x[-2])), lam=float(x[-1]))


def sur_candes_parameters(kappa: float, gamma: float) -> SurCandesParameters:
    r"""Inflation α*, per-coordinate spread σ* and λ* of the logistic MLE (Sur & Candès 2019).

    Solves the three equations of the module docstring. :math:`\hat\beta_j - \alpha_*\beta_j`
    behaves like :math:`\sigma_* Z`; the MLE's estimate of the signal direction is inflated by
    α* > 1 (at κ = 0.2, γ² = 5: α* = 1.49935, σ* = 4.74355).

    Parameters
    ----------
    kappa : float
        κ = p/n, in (0, h(γ)) with h the existence threshold
        (:func:`logistic_mle_existence_threshold`; h(0) = 1/2).
    gamma : float
        γ = ‖β‖/√n ≥ 0 (γ² is the variance of the linear predictor). At γ = 0 the second
        equation is void and α* is undefined (returned as NaN).

    Returns
    -------
    SurCandesParameters
        ``(alpha, sigma, lam)``.

    Raises
    ------
    RuntimeError
        When the root finder fails even with a continuation in κ (close to the threshold).
    """
    check_positive("gamma", gamma, allow_zero=True)
    check_interval("gamma", gamma, 0.0, 20.0)
    threshold = logistic_mle_existence_threshold(float(gamma))
    check_interval("kappa", kappa, 0.0, threshold, closed_low=False, closed_high=False)
    return _parameters_scalar(float(kappa), float(gamma))


@functools.cache
def _panel_rule() -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss–Legendre nodes and weights on [−14, 14] (φ(14) ~ 1e-43), panels refined
    towards 0, where ρ'(γx) turns over on the scale 1/γ (its poles sit at ±iπ/γ)."""
    edges = np.array([0.0, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 14.0])
    edges = np.concatenate([-edges[:0:-1], edges])
    t, w = np.polynomial.legendre.leggauss(_PANEL_NODES)
    half = 0.5 * np.diff(edges)
    mid = 0.5 * (edges[1:] + edges[:-1])
    x = (mid[:, None] + half[:, None] * t[None, :]).ravel()
    weights = (half[:, None] * w[None, :]).ravel() * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    return x, weights


def _existence_objective(t: float, gamma: float) -> float:
    """``2 E_X[ρ'(γX) W(−tX)] = E(Z − tV)_+²`` (convex in t)."""
    x, w = _panel_rule()
    return float(np.sum(w * 2.0 * expit(gamma * x) * gardner_margin_integral(-t * x)))


@functools.lru_cache(maxsize=256)
def _threshold_scalar(gamma: float) -> float:
    if gamma == 0.0:
        return 0.5
    res = minimize_scalar(_existence_objective, bounds=(0.0, 10.0 + 10.0 * gamma), args=(gamma,),
                          method="bounded", options={"xatol": 1e-10})
    return float(min(res.fun, _existence_objective(0.0, gamma)))


def logistic_mle_existence_threshold(gamma):
    r"""The κ = p/n below which the logistic MLE exists: :math:`h(\gamma) = \min_t E(Z - tV)_+^2`.

    (Candès & Sur 2020, Theorem 1; module docstring.) ``h(0) = 1/2`` (Cover), decreasing
    to 0 as γ → ∞.

    Parameters
    ----------
    gamma : float or array_like
        γ = ‖β‖/√n, in [0, 20].

    Returns
    -------
    float or ndarray
    """
    check_interval("gamma", gamma, 0.0, 20.0)
    g = np.asarray(gamma, dtype=float)
    out = np.array([_threshold_scalar(float(v)) for v in g.ravel()]).reshape(g.shape)
    return out[()] if out.ndim == 0 else out
