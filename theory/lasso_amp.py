r"""State evolution of AMP for the LASSO: soft thresholding of a Bernoulli–Gaussian signal.

Donoho, Maleki & Montanari (2009), PNAS 106:18914, arXiv:0907.3574; Bayati & Montanari (2011),
IEEE-IT 57:764, arXiv:1001.3448 (state evolution proven); Bayati & Montanari (2012), IEEE-IT
58:1997, arXiv:1008.2581 (the AMP fixed point is the LASSO, and the calibration of λ).

Setting: :math:`y = A x_0 + w` with :math:`A \in \mathbb R^{n\times N}` of i.i.d.
:math:`N(0, 1/n)` entries (unit-norm columns), :math:`\delta = n/N`,
:math:`x_{0,i} \sim (1-\varepsilon)\,\delta_0 + \varepsilon\, N(0, s^2)` and
:math:`w \sim N(0, \sigma^2 I_n)`. AMP with the soft threshold
:math:`\eta(u; \theta\tau) = \operatorname{sign}(u)(|u| - \theta\tau)_+` at the estimated noise
level :math:`\tau` has, at every iteration, the error of the scalar problem
:math:`\eta(X + \tau Z; \theta\tau)` with :math:`X \sim x_{0,i}`, :math:`Z \sim N(0, 1)`:

.. math::

    \mathrm{mse}(\tau^2) = \mathbb E\bigl[(\eta(X + \tau Z; \theta\tau) - X)^2\bigr], \qquad
    \tau_0^2 = \sigma^2 + \varepsilon s^2/\delta, \qquad
    \tau_{t+1}^2 = \sigma^2 + \mathrm{mse}(\tau_t^2)/\delta .

Closed form, with :math:`m_0(\theta) = 2[(1+\theta^2)\Phi(-\theta) - \theta\varphi(\theta)]`
(the risk of thresholding pure noise, per unit :math:`\tau^2`): the zero coordinates contribute
:math:`\tau^2 m_0(\theta)`; the Gaussian ones, with :math:`v = s^2 + \tau^2`,
:math:`\lambda = \theta\tau`, :math:`a = \lambda/\sqrt v`, :math:`b = \tau^2/\sqrt v`
(condition on :math:`U = X + \tau Z \sim N(0, v)`:
:math:`\mathbb E[X\mid U] = (s^2/v) U`, :math:`\operatorname{Var}[X\mid U] = s^2\tau^2/v`),

.. math::

    2\bigl[b^2(a\varphi(a) + \Phi(-a)) - 2b\lambda\varphi(a)
           + (\lambda^2 + \tau^2 s^2/v)\Phi(-a)\bigr]
    + \frac{s^4}{v} P\bigl(\tfrac32, \tfrac{a^2}{2}\bigr)
    + \frac{s^2\tau^2}{v}\operatorname{erf}(a/\sqrt2),

a sum of non-negative parts (:math:`P` the regularised lower incomplete gamma function). The
textbook form :math:`v\,m_0(a) - 4s^2\Phi(-a) + s^2` cancels :math:`O(s^2)` terms to an
:math:`O(\tau^2)` result and loses every digit as :math:`\tau \to 0`.

:math:`m_0` and :math:`\Phi(-\theta)` are evaluated through :math:`\operatorname{erfcx}`; the
bracket of :math:`m_0` still cancels to :math:`2\varphi(\theta)/\theta^3` for large
:math:`\theta`, which costs about :math:`\theta^4` ulp (1e-12 relative at :math:`\theta = 10`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq
from scipy.special import erf, erfc, erfcx, gammainc

from theory._validate import check_interval, check_positive, integer

__all__ = [
    "dmm_phase_transition",
    "lasso_amp_fixed_point",
    "lasso_amp_state_evolution",
    "lasso_lambda",
    "minimal_threshold",
    "noise_threshold_risk",
    "soft_threshold_active_fraction",
    "soft_threshold_mse",
]

_SQRT2 = math.sqrt(2.0)
_SQRT_HALF_PI = math.sqrt(0.5 * math.pi)
_RTOL = 4.0 * np.finfo(float).eps
_THETA_MAX = 30.0  # beyond, Φ(−θ) < 1e-197: thresholds that kill everything are no use


def _scalar_or_array(values):
    values = np.asarray(values, dtype=float)
    return values[()] if values.ndim == 0 else values


def _npdf(x):
    return np.exp(-0.5 * np.square(x)) / math.sqrt(2.0 * math.pi)


def _upper_tail(x):
    r""":math:`\Phi(-x) = \operatorname{erfc}(x/\sqrt2)/2`, accurate in the far tail."""
    return 0.5 * erfc(np.asarray(x, dtype=float) / _SQRT2)


def _noise_risk(theta):
    r""":math:`m_0(\theta) = 2[(1+\theta^2)\Phi(-\theta) - \theta\varphi(\theta)]` for :math:`\theta \ge 0`.

    Written :math:`2\varphi(\theta)[(1+\theta^2)\sqrt{\pi/2}\,\operatorname{erfcx}(\theta/\sqrt2) - \theta]`
    (Mills ratio form) so that no exponential underflows before the subtraction.
    """
    theta = np.asarray(theta, dtype=float)
    bracket = (1.0 + theta ** 2) * _SQRT_HALF_PI * erfcx(theta / _SQRT2) - theta
    return 2.0 * _npdf(theta) * bracket


def _gaussian_part(tau2, theta, signal_variance):
    """Risk of soft thresholding at ``θτ`` on a N(0, s²) coordinate observed with noise τ² (stable form)."""
    s2 = signal_variance
    v = s2 + tau2
    tau = np.sqrt(tau2)
    lam = theta * tau
    root_v = np.sqrt(v)
    a = lam / root_v
    b = tau2 / root_v
    pdf = _npdf(a)
    tail = _upper_tail(a)
    conditional = tau2 * s2 / v  # Var[X | U]
    return (2.0 * (b * b * (a * pdf + tail) - 2.0 * b * lam * pdf + (lam * lam + conditional) * tail)
            + (s2 * s2 / v) * gammainc(1.5, 0.5 * a * a) + conditional * erf(a / _SQRT2))


def _check_signal(sparsity, signal_variance) -> None:
    check_interval("sparsity", sparsity, 0.0, 1.0)
    check_positive("signal_variance", signal_variance)


def _check_theta(theta) -> None:
    check_interval("theta", theta, 0.0, _THETA_MAX)


def _mse(tau2, theta, sparsity, signal_variance):
    return ((1.0 - sparsity) * tau2 * _noise_risk(theta)
            + sparsity * _gaussian_part(tau2, theta, signal_variance))


def noise_threshold_risk(theta):
    r"""Risk per unit noise of soft thresholding pure noise, :math:`m_0(\theta) = \mathbb E\,\eta(Z;\theta)^2`.

    .. math:: m_0(\theta) = 2\bigl[(1+\theta^2)\Phi(-\theta) - \theta\varphi(\theta)\bigr],

    decreasing from 1 at :math:`\theta = 0` (Donoho, Maleki & Montanari 2009, eq. (5) there).

    Parameters
    ----------
    theta : float or array_like
        Threshold in units of the noise level, in [0, 30].

    Returns
    -------
    float or ndarray
    """
    _check_theta(theta)
    return _scalar_or_array(_noise_risk(theta))


def soft_threshold_mse(tau2, theta, sparsity, signal_variance):
    r"""Risk :math:`\mathrm{mse}(\tau^2) = \mathbb E[(\eta(X + \tau Z; \theta\tau) - X)^2]` of soft thresholding.

    :math:`X \sim (1-\varepsilon)\delta_0 + \varepsilon N(0, s^2)`: the zero part
    :math:`\tau^2 m_0(\theta)` plus :math:`\varepsilon` times the stable closed form of the
    module docstring. Broadcasts over all arguments.

    Parameters
    ----------
    tau2 : float or array_like
        Effective noise variance :math:`\tau^2 \ge 0`.
    theta : float or array_like
        Threshold in units of :math:`\tau`, in [0, 30].
    sparsity : float or array_like
        Fraction :math:`\varepsilon` of non-zero entries, in [0, 1].
    signal_variance : float or array_like
        Variance :math:`s^2 > 0` of the non-zero entries.

    Returns
    -------
    float or ndarray
        In :math:`[0, \varepsilon s^2 + \tau^2(1 + \theta^2)]`; 0 at :math:`\tau^2 = 0`,
        increasing and concave in :math:`\tau^2` (Donoho, Maleki & Montanari 2009).
    """
    check_positive("tau2", tau2, allow_zero=True)
    _check_theta(theta)
    _check_signal(sparsity, signal_variance)
    args = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                 for v in (tau2, theta, sparsity, signal_variance)))
    return _scalar_or_array(_mse(*args))


def soft_threshold_active_fraction(tau2, theta, sparsity, signal_variance):
    r"""Fraction of non-zero outputs :math:`\mathbb E\,\eta'(X + \tau Z; \theta\tau)`.

    .. math:: 2(1-\varepsilon)\Phi(-\theta) + 2\varepsilon\,\Phi(-\theta\tau/\sqrt{s^2 + \tau^2}).

    At the AMP fixed point this is :math:`\lVert\hat x\rVert_0/N`, and it sets AMP's Onsager
    coefficient :math:`\langle\eta'\rangle/\delta`. At :math:`\tau^2 = 0` it is the limit
    :math:`2(1-\varepsilon)\Phi(-\theta) + \varepsilon`. Parameters as :func:`soft_threshold_mse`.

    Returns
    -------
    float or ndarray
        In [0, 1].
    """
    check_positive("tau2", tau2, allow_zero=True)
    _check_theta(theta)
    _check_signal(sparsity, signal_variance)
    tau2, theta, sparsity, s2 = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (tau2, theta, sparsity, signal_variance)))
    a = theta * np.sqrt(tau2 / (s2 + tau2))
    return _scalar_or_array(2.0 * (1.0 - sparsity) * _upper_tail(theta) + 2.0 * sparsity * _upper_tail(a))


def _check_problem(delta, theta, sparsity, signal_variance, noise_variance) -> None:
    check_positive("delta", delta)
    _check_theta(theta)
    _check_signal(sparsity, signal_variance)
    check_positive("noise_variance", noise_variance, allow_zero=True)
    for name, value in (("delta", delta), ("theta", theta), ("sparsity", sparsity),
                        ("signal_variance", signal_variance), ("noise_variance", noise_variance)):
        if np.ndim(value) != 0:
            raise ValueError(f"{name}={value!r} is out of range: must be a scalar")


def minimal_threshold(delta):
    r"""Smallest threshold with a finite state-evolution fixed point: :math:`m_0(\theta_{\min}) = \delta`.

    For :math:`\theta \le \theta_{\min}` the map :math:`\tau^2 \mapsto \sigma^2 + \mathrm{mse}(\tau^2)/\delta`
    grows like :math:`(m_0(\theta)/\delta)\,\tau^2` at large :math:`\tau^2` and AMP diverges;
    :math:`\theta_{\min} = 0` for :math:`\delta \ge 1` (:math:`m_0 \le 1`).

    Parameters
    ----------
    delta : float
        Undersampling ratio :math:`n/N > 0`.

    Returns
    -------
    float
    """
    check_positive("delta", delta)
    delta = float(delta)
    if delta >= 1.0:
        return 0.0
    if delta <= _noise_risk(_THETA_MAX):
        return _THETA_MAX
    # log m0 is smooth and decreasing; m0(θ) < 2φ(θ)/θ³ bounds the bracket.
    return brentq(lambda t: math.log(_noise_risk(t)) - math.log(delta), 0.0, _THETA_MAX,
                  xtol=1e-15, rtol=_RTOL)


def lasso_amp_state_evolution(delta: float, theta: float, sparsity: float, signal_variance: float,
                              noise_variance: float, n_iter: int) -> tuple[np.ndarray, np.ndarray]:
    r"""State evolution of AMP for the LASSO from :math:`x^0 = 0`: :math:`(\tau_0^2..\tau_T^2,\ \mathrm{MSE}_1..\mathrm{MSE}_T)`.

    .. math::

        \tau_0^2 = \sigma^2 + \varepsilon s^2/\delta, \qquad
        \mathrm{MSE}_{t+1} = \mathrm{mse}(\tau_t^2), \qquad
        \tau_{t+1}^2 = \sigma^2 + \mathrm{MSE}_{t+1}/\delta,

    where :math:`\tau_t^2` is the limit of AMP's :math:`\lVert z^t\rVert^2/n` and
    :math:`\mathrm{MSE}_t` that of :math:`\lVert x^t - x_0\rVert^2/N` (Donoho, Maleki &
    Montanari 2009; Bayati & Montanari 2011, arXiv:1001.3448).

    Parameters
    ----------
    delta : float
        Undersampling ratio :math:`n/N > 0`.
    theta : float
        Threshold in units of :math:`\tau`, in [0, 30].
    sparsity : float
        Fraction :math:`\varepsilon` of non-zeros, in [0, 1].
    signal_variance : float
        :math:`s^2 > 0`.
    noise_variance : float
        :math:`\sigma^2 \ge 0`.
    n_iter : int
        :math:`T \ge 1`.

    Returns
    -------
    tau2 : ndarray, shape (n_iter + 1,)
    mse : ndarray, shape (n_iter,)
    """
    _check_problem(delta, theta, sparsity, signal_variance, noise_variance)
    n_iter = integer("n_iter", n_iter, 1)
    tau2 = [noise_variance + sparsity * signal_variance / delta]
    mse = []
    for _ in range(n_iter):
        mse.append(float(_mse(tau2[-1], theta, sparsity, signal_variance)))
        tau2.append(noise_variance + mse[-1] / delta)
    return np.array(tau2), np.array(mse)


def lasso_amp_fixed_point(delta: float, theta: float, sparsity: float, signal_variance: float,
                          noise_variance: float) -> tuple[float, float]:
    r"""Fixed point :math:`(\tau_*^2, \mathrm{MSE}_*)` of :func:`lasso_amp_state_evolution`.

    :math:`\tau_*^2 = \sigma^2 + \mathrm{mse}(\tau_*^2)/\delta` and
    :math:`\mathrm{MSE}_* = \mathrm{mse}(\tau_*^2) = \delta(\tau_*^2 - \sigma^2)`: the asymptotic
    error of the LASSO at the calibrated :math:`\lambda` (:func:`lasso_lambda`; Bayati &
    Montanari 2012, arXiv:1008.2581). Since :math:`\mathrm{mse}(\tau^2)/\tau^2` decreases
    (mse is concave with mse(0) = 0), :math:`h(u) = 1 - (\sigma^2 + \mathrm{mse}(e^u)/\delta)e^{-u}`
    increases in :math:`u = \log\tau^2` and has one root, found by Brent's method to rounding
    (iterating the map would crawl near the phase transition, where its slope tends to 1).

    Noiseless (:math:`\sigma^2 = 0`): :math:`\tau_*^2 = 0` (exact recovery) when
    :math:`[(1-\varepsilon)m_0(\theta) + \varepsilon(1+\theta^2)]/\delta \le 1`, else the
    positive root.

    Parameters
    ----------
    delta, theta, sparsity, signal_variance, noise_variance
        As :func:`lasso_amp_state_evolution`; ``theta`` must exceed
        :func:`minimal_threshold` ``(delta)``, otherwise the iteration diverges.

    Returns
    -------
    tau2 : float
    mse : float
    """
    _check_problem(delta, theta, sparsity, signal_variance, noise_variance)
    theta_min = minimal_threshold(delta)
    if theta <= theta_min:
        raise ValueError(f"theta={theta!r} is out of range: must be > {theta_min!r} (where "
                         f"m0(theta) = delta={delta!r}); below it state evolution diverges")
    def gap(log_tau2: float) -> float:
        tau2 = math.exp(log_tau2)
        return 1.0 - (noise_variance + _mse(tau2, theta, sparsity, signal_variance) / delta) / tau2

    slope_at_zero = ((1.0 - sparsity) * _noise_risk(theta) + sparsity * (1.0 + theta * theta)) / delta
    if noise_variance == 0.0 and slope_at_zero <= 1.0:
        return 0.0, 0.0
    # Lower end: gap(σ²) < 0 (σ > 0), or just above 0 where the slope exceeds 1 (σ = 0).
    lo = math.log(noise_variance) if noise_variance > 0 else math.log(sparsity * signal_variance) - 80.0
    hi = math.log(noise_variance + sparsity * signal_variance / delta + 10.0)
    while gap(hi) <= 0.0:  # gap → 1 − m0(θ)/δ > 0 as τ² → ∞
        hi += math.log(4.0)
    log_tau2 = brentq(gap, lo, hi, xtol=1e-300, rtol=_RTOL) if gap(lo) < 0.0 else lo
    tau2 = math.exp(log_tau2)
    return tau2, float(_mse(tau2, theta, sparsity, signal_variance))


def lasso_lambda(delta: float, theta: float, sparsity: float, signal_variance: float,
                 noise_variance: float) -> float:
    r"""LASSO penalty equivalent to AMP at threshold :math:`\theta`: :math:`\lambda = \theta\tau_*(1 - \mathbb E\eta'/\delta)`.

    The AMP fixed point with threshold :math:`\theta\tau_*` minimises
    :math:`\tfrac12\lVert y - Ax\rVert^2 + \lambda\lVert x\rVert_1` with this :math:`\lambda`
    (Bayati & Montanari 2012, arXiv:1008.2581, eq. (1.7) there; Donoho, Maleki & Montanari
    2009); :math:`\mathbb E\eta'` is :func:`soft_threshold_active_fraction` at :math:`\tau_*^2`.
    At finite size the AMP fixed point satisfies the LASSO's KKT conditions exactly with the
    empirical :math:`\hat\lambda = \theta\hat\tau(1 - \langle\eta'\rangle/\delta)`.

    Parameters
    ----------
    delta, theta, sparsity, signal_variance, noise_variance
        As :func:`lasso_amp_fixed_point`.

    Returns
    -------
    float
        Positive exactly when :math:`\mathbb E\eta' < \delta` (fewer active coordinates than
        measurements). It tends to :math:`-\infty` as :math:`\theta \downarrow \theta_{\min}`
        and grows without bound with :math:`\theta` (Bayati & Montanari 2012, §1.3
        there): thresholds just above :math:`\theta_{\min}` correspond to no LASSO.
    """
    tau2, _ = lasso_amp_fixed_point(delta, theta, sparsity, signal_variance, noise_variance)
    active = float(soft_threshold_active_fraction(tau2, theta, sparsity, signal_variance))
    return theta * math.sqrt(tau2) * (1.0 - active / delta)


def _transition_ratio(z: float, delta: float) -> float:
    half_risk = 0.5 * float(_noise_risk(z))
    return (1.0 - 2.0 * half_risk / delta) / (1.0 + z * z - 2.0 * half_risk)


def dmm_phase_transition(delta) -> tuple:
    r"""Donoho–Maleki–Montanari phase transition :math:`\rho_{SE}(\delta)` and its optimal threshold.

    Noiseless AMP recovers :math:`x_0` exactly (the state evolution's :math:`\tau = 0` is
    stable) iff :math:`[(1-\varepsilon)m_0(\theta) + \varepsilon(1+\theta^2)]/\delta < 1`;
    with :math:`\rho = \varepsilon/\delta` and :math:`W(z) = (1+z^2)\Phi(-z) - z\varphi(z)`
    (DMM 2009, eq. (7) there),

    .. math::

        \rho_{SE}(\delta) = \max_{z > 0}
        \frac{1 - (2/\delta) W(z)}{1 + z^2 - 2W(z)} .

    The maximiser is the root of the derivative,
    :math:`-W'(z) D(z)/\delta - N(z)(z - W'(z)) = 0` with :math:`W'(z) = 2z\Phi(-z) - 2\varphi(z)`,
    :math:`N, D` the numerator and denominator; it coincides with the Donoho–Tanner weak
    threshold of the cross-polytope.

    Parameters
    ----------
    delta : float or array_like
        Undersampling ratio, in (0, 1).

    Returns
    -------
    rho : float or ndarray
        :math:`\rho_{SE}(\delta) \in (0, 1)`: the largest :math:`\varepsilon/\delta` recovered.
    theta_opt : float or ndarray
        The maximising threshold :math:`z^*(\delta)`.
    """
    check_interval("delta", delta, 0.0, 1.0, closed_low=False, closed_high=False)
    deltas = np.asarray(delta, dtype=float)
    rho = np.empty(deltas.shape)
    theta = np.empty(deltas.shape)
    for index, d in np.ndenumerate(deltas):
        d = float(d)

        def slope(z: float) -> float:
            half_risk = 0.5 * float(_noise_risk(z))
            w_prime = 2.0 * z * float(_upper_tail(z)) - 2.0 * float(_npdf(z))
            numerator = 1.0 - 2.0 * half_risk / d
            denominator = 1.0 + z * z - 2.0 * half_risk
            return -w_prime * denominator / d - numerator * (z - w_prime)

        # ρ(z) rises from N = 0 at θ_min (where m0 = δ) and falls again at large z.
        lo = minimal_threshold(d)
        hi = lo + 1.0
        while slope(hi) > 0.0:
            hi += 1.0
        z = brentq(slope, lo, hi, xtol=1e-15, rtol=_RTOL)
        theta[index] = z
        rho[index] = _transition_ratio(z, d)
    return _scalar_or_array(rho), _scalar_or_array(theta)

