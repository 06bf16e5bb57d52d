r"""Generalisation dynamics of gradient descent in a linear student (Advani & Saxe).

Model (Advani, Saxe & Sompolinsky 2020, §2–3). Inputs :math:`x \in \mathbb R^N` with i.i.d.
:math:`\mathcal N(0, 1/N)` entries, :math:`P` examples, :math:`\alpha = P/N`; teacher
:math:`y = \bar w\cdot x + \varepsilon`, :math:`\bar w_i \sim \mathcal N(0, \sigma_{\bar w}^2)`
(``teacher_variance``), :math:`\varepsilon \sim \mathcal N(0, \sigma_\varepsilon^2)`
(``noise_variance``); linear student :math:`\hat y = w\cdot x` from
:math:`w(0) \sim \mathcal N(0, \sigma_0^2 I)` (``init_variance``), trained by gradient flow
on the **summed** loss :math:`\frac12\sum_\mu (y^\mu - w\cdot x^\mu)^2`:
:math:`\tau\dot w = \sum_\mu (y^\mu - w\cdot x^\mu)\,x^\mu` (full-batch GD with step
:math:`\eta` is this flow with :math:`\tau = 1/\eta`, ``t`` counted in steps times :math:`\eta\tau`).
Errors: :math:`E_g = \mathbb E_{x,\varepsilon}(y - \hat y)^2 = \lVert w - \bar w\rVert^2/N + \sigma_\varepsilon^2`,
:math:`E_t = \frac1P\sum_\mu (y^\mu - \hat y^\mu)^2` (no factor ½).

In the eigenbasis of :math:`\Sigma = \sum_\mu x^\mu x^{\mu\top}` every direction relaxes on its
own: the signal decays like :math:`e^{-\lambda t/\tau}` and the noise is fitted through
:math:`1/\lambda`. With :math:`A = \sigma_{\bar w}^2 + \sigma_0^2` and the spectrum of
:math:`\Sigma` (Marchenko–Pastur, :math:`\lambda_\pm = (1 \pm \sqrt\alpha)^2`, bulk mass
:math:`\min(1, \alpha)`, atom :math:`1 - \alpha` at 0 for :math:`\alpha < 1`):

.. math::

    E_g(t) = \int\rho(\lambda)\Big[A e^{-2\lambda t/\tau}
             + \frac{\sigma_\varepsilon^2}{\lambda}\big(1 - e^{-\lambda t/\tau}\big)^2\Big]d\lambda
             + (1 - \alpha)_+ A + \sigma_\varepsilon^2,

    E_t(t) = \frac1\alpha\int\rho(\lambda)\big[\lambda A + \sigma_\varepsilon^2\big]
             e^{-2\lambda t/\tau}\,d\lambda + (1 - 1/\alpha)_+\,\sigma_\varepsilon^2

(the paper's eqs. for :math:`E_g, E_t`; the zero atom is the *frozen subspace*: directions
orthogonal to every input never move, so the initial error :math:`A` there is permanent).
Long times: :math:`E_g(\infty) = (1-\alpha)A + \sigma_\varepsilon^2/(1-\alpha)` for
:math:`\alpha < 1`, :math:`\sigma_\varepsilon^2\alpha/(\alpha - 1)` for :math:`\alpha > 1`, infinite
at :math:`\alpha = 1` (:math:`\lambda_- = 0`: overtraining peaks where examples match
parameters); :math:`E_t(\infty) = (1 - 1/\alpha)_+\sigma_\varepsilon^2`.

Quadrature. With :math:`\lambda = \lambda_- + (\lambda_+ - \lambda_-)\sin^2\theta` the
measure :math:`\rho\,d\lambda` is smooth in :math:`\theta \in [0, \pi/2]`, also at the hard edge
:math:`\alpha = 1`; the density is :func:`theory.marchenko_pastur.marchenko_pastur_density` of
:math:`\Sigma` (ratio :math:`1/\alpha`, scale :math:`\alpha`). Late times and
:math:`\alpha \approx 1` concentrate the integrands at the lower edge, so Gauss–Legendre runs on
panels :math:`[\pi 2^{-k-2}, \pi 2^{-k-1}]` graded geometrically towards :math:`\theta = 0`
(agreement with mpmath quadrature ~1e-13 for :math:`t \le 10^6`).

References
----------
M. S. Advani, A. M. Saxe, H. Sompolinsky, "High-dimensional dynamics of generalization error
in neural networks", Neural Networks 132 (2020) 428–446, arXiv:1710.03667.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy.optimize import brentq

from theory._validate import check_positive
from theory.marchenko_pastur import marchenko_pastur_density, marchenko_pastur_edges
from theory.ridge import ridge_test_error

__all__ = [
    "generalization_error",
    "training_error",
    "asymptotic_generalization_error",
    "asymptotic_training_error",
    "optimal_stopping_time",
    "optimal_stopping_error",
    "overtraining_gap",
    "optimal_ridge_error",
]

_PANELS = 48  # geometric panels towards θ = 0: the smallest is π/2^49 ≈ 6e-15 wide
_NODES = 16  # Gauss–Legendre nodes per panel


@functools.lru_cache(maxsize=64)
def _bulk_measure(alpha: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Nodes :math:`\lambda_j` and weights :math:`w_j`: :math:`\sum_j w_j f(\lambda_j) \approx \int_{\rm bulk}\rho f`.

    Note for the lead: this is an integral against the Marchenko–Pastur law that
    :mod:`theory.marchenko_pastur` does not expose (a moment of a general function); it
    uses only that module's public edges and density.
    """
    lo, hi = marchenko_pastur_edges(1.0 / alpha, alpha)
    x, wx = np.polynomial.legendre.leggauss(_NODES)
    bounds = 0.5 * np.pi * 0.5 ** np.arange(_PANELS + 1)  # π/2, π/4, ..., then 0
    bounds = np.append(bounds, 0.0)
    left, right = bounds[1:, None], bounds[:-1, None]
    theta = (0.5 * (left + right) + 0.5 * (right - left) * x).ravel()
    dtheta = (0.5 * (right - left) * wx).ravel()
    lam = lo + (hi - lo) * np.sin(theta) ** 2
    weight = marchenko_pastur_density(lam, 1.0 / alpha, alpha) * (hi - lo) * np.sin(2.0 * theta) * dtheta
    keep = weight > 0.0
    lam, weight = lam[keep], weight[keep]
    lam.setflags(write=False)
    weight.setflags(write=False)
    return lam, weight


def _validate(t, alpha, noise_variance, teacher_variance, init_variance, tau):
    check_positive("alpha", alpha)
    check_positive("noise_variance", noise_variance, allow_zero=True)
    check_positive("teacher_variance", teacher_variance, allow_zero=True)
    check_positive("init_variance", init_variance, allow_zero=True)
    check_positive("tau", tau)
    if t is not None:
        arr = np.asarray(t)
        if arr.dtype.kind not in "biuf" or np.any(np.isnan(arr)) or np.any(arr < 0):
            raise ValueError(f"t={t!r} is out of range: must be in [0, inf] (inf allowed)")


def _out(values: np.ndarray):
    return values[()] if values.ndim == 0 else values


def _integrate(integrand, alpha: np.ndarray, *args: np.ndarray) -> np.ndarray:
    """``∫_bulk ρ(λ) integrand(λ, *args) dλ`` per element of the broadcast arrays."""
    out = np.empty(alpha.shape)
    for a in np.unique(alpha):
        sel = alpha == a
        lam, weight = _bulk_measure(float(a))
        cols = [np.asarray(v)[sel][:, None] for v in args]
        out[sel] = integrand(lam, *cols) @ weight
    return out


def asymptotic_generalization_error(alpha, noise_variance, teacher_variance=1.0,
                                    init_variance=0.0) -> np.ndarray:
    r"""Long-time limit :math:`E_g(\infty)` of gradient flow (the min-norm interpolator plus the frozen part).

    .. math::

        E_g(\infty) = \begin{cases}
            (1 - \alpha)(\sigma_{\bar w}^2 + \sigma_0^2) + \sigma_\varepsilon^2/(1 - \alpha), & \alpha < 1,\\
            \sigma_\varepsilon^2\,\alpha/(\alpha - 1), & \alpha > 1,
        \end{cases}

    from :math:`\int\rho/\lambda = \alpha/(1-\alpha)` resp. :math:`1/(\alpha - 1)`; ``inf`` at
    :math:`\alpha = 1` when :math:`\sigma_\varepsilon > 0`.

    Parameters are those of :func:`generalization_error` without ``t`` and ``tau``.
    """
    _validate(None, alpha, noise_variance, teacher_variance, init_variance, 1.0)
    alpha, noise, teacher, init = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (alpha, noise_variance, teacher_variance, init_variance)))
    below = alpha < 1.0
    with np.errstate(all="ignore"):
        fitted = np.where(below, alpha / (1.0 - alpha), 1.0 / (alpha - 1.0))
        fitted = np.where(alpha == 1.0, np.inf, fitted)
        noise_fit = np.where(noise > 0.0, noise * fitted, 0.0)
    frozen = np.where(below, (1.0 - alpha) * (teacher + init), 0.0)
    return _out(frozen + noise_fit + noise)


def asymptotic_training_error(alpha, noise_variance) -> np.ndarray:
    r"""Long-time limit :math:`E_t(\infty) = \max(0, 1 - 1/\alpha)\,\sigma_\varepsilon^2`.

    For :math:`\alpha \le 1` the student interpolates; above, the residual is the label noise
    outside the :math:`N`-dimensional span of the fitted directions.
    """
    check_positive("alpha", alpha)
    check_positive("noise_variance", noise_variance, allow_zero=True)
    alpha = np.asarray(alpha, dtype=float)
    return _out(np.maximum(0.0, 1.0 - 1.0 / alpha) * np.asarray(noise_variance, dtype=float))


def generalization_error(t, alpha, noise_variance, teacher_variance=1.0, init_variance=0.0,
                         tau=1.0) -> np.ndarray:
    r"""Generalisation error :math:`E_g(t)` of the linear student under gradient flow.

    .. math::

        E_g(t) = \int\rho(\lambda)\Big[(\sigma_{\bar w}^2 + \sigma_0^2)e^{-2\lambda t/\tau}
               + \frac{\sigma_\varepsilon^2}{\lambda}\big(1 - e^{-\lambda t/\tau}\big)^2\Big]d\lambda
               + (1-\alpha)_+(\sigma_{\bar w}^2 + \sigma_0^2) + \sigma_\varepsilon^2 .

    :math:`E_g(0) = \sigma_{\bar w}^2 + \sigma_0^2 + \sigma_\varepsilon^2`; ``t = inf`` gives
    :func:`asymptotic_generalization_error`.

    Parameters
    ----------
    t : array_like
        Time :math:`\ge 0` (``numpy.inf`` allowed), in the units of ``tau``.
    alpha : array_like
        :math:`\alpha = P/N > 0`.
    noise_variance : array_like
        :math:`\sigma_\varepsilon^2 \ge 0`.
    teacher_variance : array_like
        :math:`\sigma_{\bar w}^2 \ge 0`.
    init_variance : array_like
        :math:`\sigma_0^2 \ge 0` (variance of each initial weight).
    tau : array_like
        Time constant :math:`\tau > 0` (:math:`1/\eta` for GD with step :math:`\eta`).

    Returns
    -------
    ndarray or float
        Broadcast shape of the inputs.
    """
    _validate(t, alpha, noise_variance, teacher_variance, init_variance, tau)
    t, alpha, noise, teacher, init, tau = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (t, alpha, noise_variance, teacher_variance,
                                               init_variance, tau)))
    signal = teacher + init
    finite = np.isfinite(t)
    rate = np.where(finite, t / tau, 0.0)

    def integrand(lam, rate, signal, noise):
        decay = np.expm1(-lam * rate)
        return signal * np.exp(-2.0 * lam * rate) + noise * decay * decay / lam

    bulk = _integrate(integrand, alpha, rate, signal, noise)
    frozen = np.where(alpha < 1.0, (1.0 - alpha) * signal, 0.0)
    late = np.asarray(asymptotic_generalization_error(alpha, noise, teacher, init))
    return _out(np.where(finite, bulk + frozen + noise, late))


def training_error(t, alpha, noise_variance, teacher_variance=1.0, init_variance=0.0,
                   tau=1.0) -> np.ndarray:
    r"""Training error :math:`E_t(t) = \frac1P\sum_\mu(y^\mu - \hat y^\mu)^2` under gradient flow.

    .. math::

        E_t(t) = \frac1\alpha\int\rho(\lambda)\big[\lambda(\sigma_{\bar w}^2 + \sigma_0^2)
               + \sigma_\varepsilon^2\big]e^{-2\lambda t/\tau}d\lambda
               + (1 - 1/\alpha)_+\,\sigma_\varepsilon^2 .

    Parameters are those of :func:`generalization_error`; ``t = inf`` gives
    :func:`asymptotic_training_error`.
    """
    _validate(t, alpha, noise_variance, teacher_variance, init_variance, tau)
    t, alpha, noise, teacher, init, tau = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (t, alpha, noise_variance, teacher_variance,
                                               init_variance, tau)))
    finite = np.isfinite(t)
    rate = np.where(finite, t / tau, 0.0)

    def integrand(lam, rate, signal, noise):
        return (lam * signal + noise) * np.exp(-2.0 * lam * rate)

    bulk = _integrate(integrand, alpha, rate, teacher + init, noise) / alpha
    late = np.asarray(asymptotic_training_error(alpha, noise))
    return _out(np.where(finite, bulk + late, late))


def _slope(t: float, alpha: float, noise: float, signal: float) -> float:
    r""":math:`\tau\, dE_g/dt = 2\int\rho\, e^{-\lambda t}[\sigma_\varepsilon^2 - (\lambda A + \sigma_\varepsilon^2)e^{-\lambda t}]` (τ = 1)."""
    lam, weight = _bulk_measure(alpha)
    decay = np.exp(-lam * t)
    return float(2.0 * (decay * (noise - (lam * signal + noise) * decay)) @ weight)


def _stopping(alpha: float, noise: float, signal: float) -> float:
    """Minimiser of E_g over t ≥ 0 at τ = 1 (``inf`` without noise, 0 without signal)."""
    if signal == 0.0:
        return 0.0
    if noise == 0.0:
        return np.inf
    # Each mode's error is smallest at t_λ = ln(1 + λA/σ²)/λ ≤ A/σ²: the slope is > 0 beyond.
    upper = signal / noise
    return brentq(_slope, 0.0, upper, args=(alpha, noise, signal), xtol=1e-14 * upper, rtol=1e-14)


def _stopping_arrays(alpha, noise_variance, teacher_variance, init_variance, tau):
    _validate(None, alpha, noise_variance, teacher_variance, init_variance, tau)
    alpha, noise, teacher, init, tau = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (alpha, noise_variance, teacher_variance,
                                               init_variance, tau)))
    times = np.array([_stopping(a, n, s) for a, n, s in
                      zip(alpha.ravel(), noise.ravel(), (teacher + init).ravel())]).reshape(alpha.shape)
    return times * tau, alpha, noise, teacher, init, tau


def optimal_stopping_time(alpha, noise_variance, teacher_variance=1.0, init_variance=0.0,
                          tau=1.0) -> np.ndarray:
    r"""Early-stopping time :math:`t^* = \arg\min_t E_g(t)`.

    The root of :math:`dE_g/dt = (2/\tau)\int\rho\,e^{-\lambda t/\tau}[\sigma_\varepsilon^2
    - (\lambda A + \sigma_\varepsilon^2)e^{-\lambda t/\tau}]d\lambda` in
    :math:`(0, \tau A/\sigma_\varepsilon^2]` (Brent): each mode's own optimum
    :math:`\tau\ln(1 + \lambda A/\sigma_\varepsilon^2)/\lambda` lies below
    :math:`\tau A/\sigma_\varepsilon^2`. ``inf`` without noise (the error only decreases),
    0 when :math:`A = \sigma_{\bar w}^2 + \sigma_0^2 = 0`. Sanity value: SNR 1, :math:`\alpha = 2`:
    :math:`t^* = 0.61852\,\tau`.

    Parameters are those of :func:`generalization_error` without ``t``.
    """
    return _out(_stopping_arrays(alpha, noise_variance, teacher_variance, init_variance, tau)[0])


def optimal_stopping_error(alpha, noise_variance, teacher_variance=1.0, init_variance=0.0,
                           tau=1.0) -> np.ndarray:
    r"""Smallest generalisation error over time, :math:`\min_t E_g(t) = E_g(t^*)`.

    Close to, and never below, the Bayes-optimal ridge error :func:`optimal_ridge_error`
    (for :math:`\sigma_0 = 0`; SNR 1, :math:`\alpha = 2`: 1.42323 against 1.41421).

    Parameters are those of :func:`generalization_error` without ``t``.
    """
    times, alpha, noise, teacher, init, tau = _stopping_arrays(
        alpha, noise_variance, teacher_variance, init_variance, tau)
    return generalization_error(times, alpha, noise, teacher, init, tau)


def overtraining_gap(alpha, noise_variance, teacher_variance=1.0, init_variance=0.0) -> np.ndarray:
    r"""Overtraining :math:`E_g(\infty) - \min_t E_g(t)`: what training to convergence loses.

    Largest where the number of examples matches the number of parameters; ``inf`` at
    :math:`\alpha = 1` with noise.

    Parameters are those of :func:`asymptotic_generalization_error`.
    """
    late = np.asarray(asymptotic_generalization_error(alpha, noise_variance, teacher_variance,
                                                      init_variance))
    best = np.asarray(optimal_stopping_error(alpha, noise_variance, teacher_variance, init_variance))
    with np.errstate(invalid="ignore"):
        return _out(np.where(np.isinf(late), np.inf, late - best))


def optimal_ridge_error(alpha, noise_variance, teacher_variance=1.0) -> np.ndarray:
    r"""Generalisation error of the best ridge estimator, :math:`\lambda^* = \sigma_\varepsilon^2/\sigma_{\bar w}^2`.

    .. math::

        E_g^{\rm ridge} = \frac{\sigma_{\bar w}^2}{2}\Big[\sqrt{(\gamma + \alpha + 1)^2 - 4\alpha}
                          - (\alpha - 1 + \gamma)\Big] + \sigma_\varepsilon^2, \qquad
        \gamma = \sigma_\varepsilon^2/\sigma_{\bar w}^2,

    the Bayes-optimal (posterior-mean) error of :mod:`theory.ridge` plus the label noise; the
    same conventions (inputs of variance :math:`1/N`, summed loss). Sanity value: SNR 1,
    :math:`\alpha = 2`: :math:`\sqrt 2`.

    Parameters
    ----------
    alpha : array_like
        :math:`\alpha = P/N > 0`.
    noise_variance : array_like
        :math:`\sigma_\varepsilon^2 \ge 0`.
    teacher_variance : array_like
        :math:`\sigma_{\bar w}^2 > 0`.
    """
    check_positive("teacher_variance", teacher_variance)
    check_positive("noise_variance", noise_variance, allow_zero=True)
    reg = np.asarray(noise_variance, dtype=float) / np.asarray(teacher_variance, dtype=float)
    return ridge_test_error(alpha, reg, noise_variance, teacher_variance)
