r"""Exact learning dynamics of deep linear networks (Saxe, McClelland & Ganguli).

Conventions (Saxe et al. 2014, §1–2). A network with ``n_layers`` :math:`= N_l` layers of
units (input and output counted) has :math:`N_l - 1` weight matrices,
:math:`\hat y = W^{N_l-1}\cdots W^1 x`; ``n_layers = 3`` is one hidden layer. The loss is the
**summed** :math:`\frac12\sum_\mu\lVert y^\mu - \hat y^\mu\rVert^2` with whitened inputs
:math:`\sum_\mu x^\mu x^{\mu\top} = I`, and full-batch gradient descent with step :math:`\eta`
is the gradient flow :math:`\tau\dot W = -\partial E/\partial W` with :math:`\tau = 1/\eta`
(``t`` in steps times :math:`\eta\tau`). The input–output correlation
:math:`\Sigma^{31} = \sum_\mu y^\mu x^{\mu\top} = \sum_\alpha s_\alpha u_\alpha v_\alpha^\top`
defines the modes; the **mode strength** is :math:`u_\alpha(t) = u_\alpha^\top W_{\rm tot}(t) v_\alpha`.

On the decoupled, balanced manifold (every layer :math:`W^l = R_{l+1} D R_l^\top` with equal
diagonal entries, :math:`R_1 = V`, :math:`R_{N_l} = U`) each mode is a scalar product of
:math:`n = N_l - 1` equal weights :math:`a`, :math:`u = a^n`, doing gradient flow on
:math:`\frac12(s - u)^2`:

.. math::

    \tau\dot u = n\,u^{2 - 2/n}(s - u).

* :math:`N_l = 3` [paper, eqs. 6–8]: the logistic solution
  :math:`u(t) = s e^{2st/\tau}/(e^{2st/\tau} - 1 + s/u_0)` and the learning time
  :math:`t(u_0 \to u_f) = \frac{\tau}{2s}\ln\frac{u_f(s - u_0)}{u_0(s - u_f)}`.
* :math:`N_l \ge 4` [paper: the ODE and its quadrature; closed form derived here]. In the
  per-layer weight :math:`a`, :math:`t = \tau\int da/(a^{n-1}(s - a^n))`, and the partial fractions
  :math:`1/(a^{n-1}(s - a^n)) = s^{-1}[a^{1-n} + a/(s - a^n)]` give, with :math:`w = a/s^{1/n}`
  and :math:`\omega_k = e^{2\pi i k/n}`,

  .. math::

      \frac t\tau = \frac{a^{2-n} - a_0^{2-n}}{s(2 - n)}
                    - \frac{s^{2/n}}{n s^2}\sum_{k=0}^{n-1}\omega_k^2
                      \ln\frac{w - \omega_k}{w_0 - \omega_k},

  the elementary form of the paper's hypergeometric :math:`F(u) = u^{1-p}/(s(1-p))\,
  {}_2F_1(1, 1-p; 2-p; u/s)`, :math:`p = 2 - 2/n` (the roots of unity make :math:`{}_2F_1`
  elementary for integer :math:`n`). Every difference is taken in a form that keeps its
  relative accuracy; :func:`mode_strength` inverts it by bisection in :math:`\ln z`,
  :math:`z = \ln[(s - u_0)/(s - u)]`, polished by Newton steps (:math:`dt/dz = \tau/(n u^p)`).
* :math:`N_l = 2` (no hidden layer): :math:`u = s - (s - u_0)e^{-t/\tau}`.

References
----------
A. M. Saxe, J. L. McClelland, S. Ganguli, "Exact solutions to the nonlinear dynamics of
learning in deep linear neural networks", ICLR 2014, arXiv:1312.6120.
"""

from __future__ import annotations

import math
import operator

import numpy as np
from scipy.special import digamma

from theory._validate import broadcast_together, check_positive

__all__ = [
    "mode_strength",
    "learning_time",
    "very_deep_learning_time",
    "unbalanced_mode_strength",
    "unbalanced_learning_time",
    "effective_initial_strength",
    "random_init_half_time",
]

_BISECTIONS = 64  # in ln z over [ln z_min, ln z_max]: a ratio of at most e^(p·|ln(u0/s)|) + ...
_NEWTON = 3  # quadratic polish after the bisection


def _out(values: np.ndarray):
    return values[()] if values.ndim == 0 else values


def _depth(n_layers) -> int:
    """``n = N_l − 1``, the number of weight matrices, from a validated ``n_layers``."""
    try:
        n_layers = operator.index(n_layers)
    except TypeError:
        raise ValueError(f"n_layers={n_layers!r} is out of range: must be an integer >= 2") from None
    if n_layers < 2:
        raise ValueError(f"n_layers={n_layers!r} is out of range: must be an integer >= 2")
    return n_layers - 1


def _check_times(t) -> None:
    arr = np.asarray(t)
    if arr.dtype.kind not in "biuf" or np.any(np.isnan(arr)) or np.any(arr < 0):
        raise ValueError(f"t={t!r} is out of range: must be in [0, inf] (inf allowed)")


def _check_targets(s, u0, uf) -> None:
    """``uf`` must lie between ``u0`` (included) and ``s`` (excluded): the flow reaches it."""
    s, u0, uf = broadcast_together(s=s, u0=u0, uf=uf)
    ok = ((u0 <= uf) & (uf < s)) | ((s < uf) & (uf <= u0))
    if not np.all(ok):
        raise ValueError(f"uf={_show(uf)} is out of range: must lie between u0 (included) "
                         "and s (excluded), where the flow reaches it")


def _show(values: np.ndarray):
    return values.item() if values.size == 1 else values


# ----------------------------------------------------------------------------- balanced

def _time_deep(s, u0, u, gap0, gap, n: int) -> np.ndarray:
    r""":math:`t/\tau` from :math:`u_0` to :math:`u` for :math:`n \ge 3` weight matrices.

    ``gap0 = s − u0`` and ``gap = s − u`` are passed separately so that the time near
    saturation keeps its relative accuracy.
    """
    a0, a = u0 ** (1.0 / n), u ** (1.0 / n)
    root = s ** (1.0 / n)
    w0, w = a0 / root, a / root
    # Σ_j w^j w0^(n−1−j) and Σ_j w^j: denominators of w − w0 and of 1 − w (no cancellation).
    powers = np.arange(n)[:, None]
    flat = [np.ravel(v) for v in (w0, w)]
    mixed = np.sum(flat[1] ** powers * flat[0] ** (n - 1 - powers), axis=0).reshape(np.shape(w))
    geo = np.sum(flat[1] ** powers, axis=0).reshape(np.shape(w))
    geo0 = np.sum(flat[0] ** powers, axis=0).reshape(np.shape(w))
    dw = (u - u0) / (s * mixed)
    # Power part: (a^{2−n} − a0^{2−n})/(2 − n) = a0^{2−n} expm1((2−n)/n · ln(u/u0)) / (2 − n).
    log_ratio = np.log1p((u - u0) / u0) / n
    power = a0 ** (2 - n) * np.expm1((2 - n) * log_ratio) / (2 - n)
    # Root k = 0: ln((1 − w0)/(1 − w)) = ln(1 + (w − w0)/(1 − w)), 1 − w = (s − u)/(s Σ_j w^j);
    # s − u = 0 (reached only at t = ∞) gives inf.
    with np.errstate(divide="ignore", over="ignore"):
        logs = np.log1p(dw * s * geo / gap)
    for k in range(1, n):
        theta = 2.0 * math.pi * k / n
        modulus0 = w0 * w0 - 2.0 * w0 * math.cos(theta) + 1.0
        log_modulus = 0.5 * np.log1p(dw * (w + w0 - 2.0 * math.cos(theta)) / modulus0)
        argument = np.arctan2(dw * math.sin(theta), w * w0 + 1.0 - (w + w0) * math.cos(theta))
        logs = logs - (math.cos(2.0 * theta) * log_modulus - math.sin(2.0 * theta) * argument)
    return power / s + root * root * logs / (n * s * s)


def _time(s, u0, u, gap0, gap, n: int) -> np.ndarray:
    r""":math:`t/\tau` from :math:`u_0` to :math:`u` on the balanced manifold, any depth."""
    with np.errstate(divide="ignore", over="ignore"):
        saturation = np.log1p((u - u0) / gap)  # ln((s − u0)/(s − u))
    if n == 1:
        return saturation
    if n == 2:
        return (np.log1p((u - u0) / u0) + saturation) / (2.0 * s)
    return _time_deep(s, u0, u, gap0, gap, n)


def learning_time(s, u0, uf, tau=1.0, n_layers=3) -> np.ndarray:
    r"""Time for one mode to grow from strength ``u0`` to ``uf`` on the balanced decoupled manifold.

    .. math::

        t = \frac{\tau}{N_l - 1}\int_{u_0}^{u_f}\frac{du}{u^{2 - 2/(N_l-1)}(s - u)},

    :math:`\frac{\tau}{2s}\ln\frac{u_f(s - u_0)}{u_0(s - u_f)}` for ``n_layers = 3`` [paper, eq. 8],
    the elementary closed form of the module notes for ``n_layers >= 4``,
    :math:`\tau\ln\frac{s - u_0}{s - u_f}` for ``n_layers = 2``. Exact scaling:
    :math:`(s, u_0, u_f) \to \lambda(s, u_0, u_f)` maps :math:`t \to t/\lambda` for
    ``n_layers = 3``. Sanity values (:math:`s = 1, \tau = 1`): :math:`t_{1/2}` from
    :math:`u_0 = 10^{-3}` is 3.45338; to :math:`u_f = 0.5`, ``n_layers = 4`` from 0.01 is 3.76804,
    ``n_layers = 6`` from 0.1 is 1.07480.

    Parameters
    ----------
    s : array_like
        Singular value of the mode, :math:`s > 0`.
    u0 : array_like
        Initial strength, :math:`u_0 > 0`.
    uf : array_like
        Final strength, between ``u0`` (included) and ``s`` (excluded).
    tau : array_like
        Time constant :math:`\tau = 1/\eta > 0`.
    n_layers : int
        Layers of units :math:`N_l \ge 2` (input and output counted).

    Returns
    -------
    ndarray or float
        Broadcast shape of ``s, u0, uf, tau``.
    """
    n = _depth(n_layers)
    for name, value in (("s", s), ("u0", u0), ("tau", tau)):
        check_positive(name, value)
    check_positive("uf", uf)
    _check_targets(s, u0, uf)
    s, u0, uf, tau = broadcast_together(s=s, u0=u0, uf=uf, tau=tau)
    return _out(tau * _time(s, u0, uf, s - u0, s - uf, n))


def very_deep_learning_time(s, u0, uf, tau=1.0, n_layers=3) -> np.ndarray:
    r"""Saxe et al.'s very-deep approximation :math:`\tau\dot u \approx N_l u^2(s - u)`.

    .. math::

        t \approx \frac{\tau}{N_l}\Big[\frac1{s^2}\ln\frac{u_f(s - u_0)}{u_0(s - u_f)}
                  + \frac1{s u_0} - \frac1{s u_f}\Big].

    It converges slowly in depth: against :func:`learning_time` (:math:`s = 1`,
    :math:`u_0 = 0.01 \to u_f = 0.5`) it is 98%, 24%, 6.5%, 2.1% too long at
    :math:`N_l = 10, 30, 100, 300`.

    Parameters are those of :func:`learning_time`.
    """
    n_layers = _depth(n_layers) + 1
    for name, value in (("s", s), ("u0", u0), ("tau", tau), ("uf", uf)):
        check_positive(name, value)
    _check_targets(s, u0, uf)
    s, u0, uf, tau = broadcast_together(s=s, u0=u0, uf=uf, tau=tau)
    logistic = np.log1p((uf - u0) / u0) + np.log1p((uf - u0) / (s - uf))
    return _out(tau / n_layers * (logistic / s ** 2 + (uf - u0) / (s * u0 * uf)))


def _strength_deep(rate, s, u0, n: int) -> np.ndarray:
    """Invert :func:`_time_deep` at ``rate = t/τ`` (finite, > 0) for ``u0 != s``."""
    p = 2.0 - 2.0 / n
    gap0 = s - u0
    # dt/dz = 1/(n u^p) (τ = 1) with u between u0 and s: z_min, z_max bracket the root.
    z_lo = np.log(rate * n * np.minimum(u0, s) ** p)
    z_hi = np.log(rate * n * np.maximum(u0, s) ** p)

    def state(log_z):
        z = np.exp(log_z)
        u = u0 - gap0 * np.expm1(-z)
        return z, u, gap0 * np.exp(-z)

    for _ in range(_BISECTIONS):
        mid = 0.5 * (z_lo + z_hi)
        _, u, gap = state(mid)
        early = _time_deep(s, u0, u, gap0, gap, n) < rate
        z_lo = np.where(early, mid, z_lo)
        z_hi = np.where(early, z_hi, mid)
    z, u, gap = state(0.5 * (z_lo + z_hi))
    bounds = np.exp(z_lo), np.exp(z_hi)
    for _ in range(_NEWTON):
        with np.errstate(divide="ignore", invalid="ignore"):
            step = (_time_deep(s, u0, u, gap0, gap, n) - rate) * n * u ** p
        z = np.clip(np.where(np.isfinite(step), z - step, z), *bounds)
        u, gap = u0 - gap0 * np.expm1(-z), gap0 * np.exp(-z)
    return u


def mode_strength(t, s, u0, tau=1.0, n_layers=3) -> np.ndarray:
    r"""Strength :math:`u(t)` of one mode on the balanced decoupled manifold.

    The solution of :math:`\tau\dot u = (N_l - 1)\,u^{2 - 2/(N_l - 1)}(s - u)`, :math:`u(0) = u_0`:

    * ``n_layers = 3`` [paper, eq. 7]: :math:`u(t) = \dfrac{s e^{2st/\tau}}{e^{2st/\tau} - 1 + s/u_0}`,
      evaluated as :math:`u_0 e^{x}/(1 + u_0\,\mathrm{expm1}(x)/s)` for :math:`x = 2st/\tau \le 1`
      and :math:`s u_0/(u_0 + (s - u_0)e^{-x})` beyond;
    * ``n_layers >= 4``: the inverse of the closed-form :func:`learning_time` (to ~1e-15);
    * ``n_layers = 2``: :math:`s - (s - u_0)e^{-t/\tau}`.

    :math:`u` moves monotonically from :math:`u_0` to :math:`s` (from above when
    :math:`u_0 > s`); ``t = inf`` gives ``s``. Sanity value: :math:`s = 1, u_0 = 0.1, t = \tau`:
    0.450853.

    Parameters
    ----------
    t : array_like
        Time :math:`\ge 0` (``numpy.inf`` allowed), in the units of ``tau``.
    s : array_like
        Singular value of the mode, :math:`s > 0`.
    u0 : array_like
        Initial strength, :math:`u_0 > 0`.
    tau : array_like
        Time constant :math:`\tau = 1/\eta > 0`.
    n_layers : int
        Layers of units :math:`N_l \ge 2` (input and output counted; 3 = one hidden layer).

    Returns
    -------
    ndarray or float
        Broadcast shape of ``t, s, u0, tau``.
    """
    n = _depth(n_layers)
    _check_times(t)
    for name, value in (("s", s), ("u0", u0), ("tau", tau)):
        check_positive(name, value)
    t, s, u0, tau = broadcast_together(t=t, s=s, u0=u0, tau=tau)
    finite = np.isfinite(t)
    rate = np.where(finite, t / tau, 0.0)
    if n == 1:
        u = u0 - (s - u0) * np.expm1(-rate)
    elif n == 2:
        x = 2.0 * s * rate
        xe = np.minimum(x, 1.0)
        early = u0 * np.exp(xe) / (1.0 + u0 * np.expm1(xe) / s)
        late = s * u0 / (u0 + (s - u0) * np.exp(-x))
        u = np.where(x <= 1.0, early, late)
    else:
        u = u0.copy()
        moving = (rate > 0.0) & (u0 != s)
        if np.any(moving):
            u[moving] = _strength_deep(rate[moving], s[moving], u0[moving], n)
    u = np.clip(u, np.minimum(u0, s), np.maximum(u0, s))  # exact u lies between; rounding may step out
    return _out(np.where(finite, u, s))


# --------------------------------------------------------------------------- unbalanced

def _unbalanced_coordinates(s, u, c):
    r"""``w(u) = 2u + √(c² + 4u²)``, ``w± = 2s ± Γ``, ``Γ = √(4s² + c²)``, without cancellation."""
    h = np.sqrt(c * c + 4.0 * u * u)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(u >= 0.0, 2.0 * u + h, c * c / (h - 2.0 * u))
    gamma = np.sqrt(4.0 * s * s + c * c)
    w_plus = 2.0 * s + gamma
    w_minus = -c * c / w_plus
    # w+ − w(u) = (s − u)[2 + 4(s + u)/(Γ + h)]
    to_plus = (s - u) * (2.0 + 4.0 * (s + u) / (gamma + h))
    return w, w_plus, w_minus, to_plus, gamma


def _check_imbalance(u0, imbalance) -> None:
    check_positive("imbalance", imbalance, allow_zero=True)
    u0, c = broadcast_together(u0=u0, imbalance=imbalance)
    if np.any((c == 0.0) & (u0 <= 0.0)):
        raise ValueError(f"u0={_show(u0)} is out of range: must be > 0 when imbalance = 0 "
                         "(a balanced mode starting at u0 <= 0 never grows)")


def unbalanced_learning_time(s, u0, uf, imbalance, tau=1.0) -> np.ndarray:
    r"""Learning time of a two-layer mode off the balanced manifold [derived].

    On the decoupled manifold a mode is a pair :math:`(a, b)` with :math:`u = ab`,
    :math:`\tau\dot a = b(s - ab)`, :math:`\tau\dot b = a(s - ab)`; :math:`a^2 - b^2` is conserved,
    so with ``imbalance`` :math:`c = |a_0^2 - b_0^2|`, :math:`\tau\dot u = \sqrt{c^2 + 4u^2}(s - u)`
    and, with :math:`\Gamma = \sqrt{4s^2 + c^2}`, :math:`w(u) = 2u + \sqrt{c^2 + 4u^2}`,
    :math:`w_\pm = 2s \pm \Gamma`:

    .. math::

        t = \frac\tau\Gamma\ln\frac{(w(u_f) - w_-)(w_+ - w(u_0))}{(w(u_0) - w_-)(w_+ - w(u_f))} .

    ``imbalance = 0`` is the balanced :func:`learning_time`; the final approach to :math:`s`
    has rate :math:`\Gamma/\tau`. Valid for :math:`u_0 \le 0` when :math:`c > 0`.

    Parameters
    ----------
    s : array_like
        Singular value :math:`s > 0`.
    u0 : array_like
        Initial strength :math:`a_0 b_0` (real; :math:`> 0` when ``imbalance = 0``).
    uf : array_like
        Final strength, between ``u0`` (included) and ``s`` (excluded).
    imbalance : array_like
        :math:`c = |a_0^2 - b_0^2| \ge 0`.
    tau : array_like
        :math:`\tau > 0`.
    """
    check_positive("s", s)
    check_positive("tau", tau)
    for name, value in (("u0", u0), ("uf", uf)):
        arr = np.asarray(value)
        if arr.dtype.kind not in "biuf" or not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}={value!r} is out of range: must be a finite real number")
    _check_imbalance(u0, imbalance)
    _check_targets(s, u0, uf)
    s, u0, uf, c, tau = broadcast_together(s=s, u0=u0, uf=uf, imbalance=imbalance, tau=tau)
    w0, _, w_minus, plus0, gamma = _unbalanced_coordinates(s, u0, c)
    wf, _, _, plusf, _ = _unbalanced_coordinates(s, uf, c)
    return _out(tau / gamma * np.log(((wf - w_minus) / (w0 - w_minus)) * (plus0 / plusf)))


def unbalanced_mode_strength(t, s, u0, imbalance, tau=1.0) -> np.ndarray:
    r"""Strength :math:`u(t)` of a two-layer mode off the balanced manifold [derived].

    The inverse of :func:`unbalanced_learning_time`: with :math:`E = e^{-\Gamma t/\tau}`,

    .. math::

        w_+ - w(t) = \frac{(w_+ - w_-)(w_+ - w_0)E}{(w_+ - w_0)E + (w_0 - w_-)}, \qquad
        u = \frac{w^2 - c^2}{4w}.

    Parameters are those of :func:`unbalanced_learning_time`, with ``t`` (:math:`\ge 0`,
    ``inf`` allowed) in place of ``uf``.
    """
    _check_times(t)
    check_positive("s", s)
    check_positive("tau", tau)
    arr = np.asarray(u0)
    if arr.dtype.kind not in "biuf" or not np.all(np.isfinite(arr)):
        raise ValueError(f"u0={u0!r} is out of range: must be a finite real number")
    _check_imbalance(u0, imbalance)
    t, s, u0, c, tau = broadcast_together(t=t, s=s, u0=u0, imbalance=imbalance, tau=tau)
    w0, _, w_minus, plus0, gamma = _unbalanced_coordinates(s, u0, c)
    rate = gamma * np.where(np.isfinite(t), t / tau, np.inf)
    # w − w0 = (w+ − w0)(w0 − w−)(1 − E)/((w+ − w0)E + w0 − w−), then
    # u − u0 = (w − w0)(1 + c²/(w w0))/4: no cancellation at small t.
    decay = np.exp(-rate)
    step = plus0 * (w0 - w_minus) * -np.expm1(-rate) / (plus0 * decay + (w0 - w_minus))
    w = w0 + step
    return _out(u0 + step * (1.0 + c * c / (w * w0)) / 4.0)


# ------------------------------------------------------------------ random initialisation

def effective_initial_strength(first_layer, second_layer, left_vectors, right_vectors) -> np.ndarray:
    r"""Effective initial strengths :math:`u_{0,\alpha}` of a small random two-layer initialisation [derived].

    Early on the dynamics are linear: with :math:`a_\alpha = W^{21}v_\alpha`,
    :math:`b_\alpha = W^{32\top}u_\alpha`, the sum :math:`a + b` grows like :math:`e^{s t/\tau}`
    and :math:`a - b` decays, so :math:`u_\alpha \approx \lVert c_\alpha\rVert^2 e^{2 s_\alpha t/\tau}`
    with :math:`c_\alpha = (a_\alpha + b_\alpha)/2`. Competition for hidden directions removes
    the part of :math:`c_\alpha` already used by stronger modes: orthogonalise
    :math:`c_1, c_2, \dots` in order of decreasing :math:`s` (QR) and take
    :math:`u_{0,\alpha} = R_{\alpha\alpha}^2`. The logistic :func:`mode_strength` with these
    :math:`u_0` then matches simulated half-learning times to ~0.2% (science note §6).

    Parameters
    ----------
    first_layer : array_like, shape (N2, N1)
        :math:`W^{21}(0)`.
    second_layer : array_like, shape (N3, N2)
        :math:`W^{32}(0)`.
    left_vectors : array_like, shape (N3, K)
        :math:`u_1, \dots, u_K`, columns in order of decreasing singular value.
    right_vectors : array_like, shape (N1, K)
        :math:`v_1, \dots, v_K`, same order; :math:`K \le N2`.

    Returns
    -------
    ndarray, shape (K,)
    """
    w21, w32, u, v = (np.asarray(x, dtype=float) for x in
                      (first_layer, second_layer, left_vectors, right_vectors))
    if w21.ndim != 2 or w32.ndim != 2 or w32.shape[1] != w21.shape[0]:
        raise ValueError(f"second_layer=<array of shape {w32.shape}> is out of range: must be "
                         f"(N3, N2), N2 the rows of first_layer {w21.shape}")
    if u.shape[0] != w32.shape[0] or v.shape[0] != w21.shape[1] or u.shape[1] != v.shape[1]:
        raise ValueError(f"left_vectors=<array of shape {u.shape}> is out of range: must be (N3, K) "
                         f"beside right_vectors (N1, K) = {v.shape}, N3 = {w32.shape[0]}, N1 = {w21.shape[1]}")
    if u.shape[1] > w21.shape[0]:
        raise ValueError(f"K={u.shape[1]} is out of range: must be <= the hidden width {w21.shape[0]}")
    c = 0.5 * (w21 @ v + w32.T @ u)
    return np.diagonal(np.linalg.qr(c, mode="r")) ** 2


def random_init_half_time(s, init_variance, hidden_width, tau=1.0) -> np.ndarray:
    r"""Mean half-learning time of each mode from a small i.i.d. Gaussian initialisation [derived].

    With :math:`W^{21}, W^{32}` i.i.d. :math:`\mathcal N(0, \sigma^2)`, the vectors
    :math:`c_\alpha` of :func:`effective_initial_strength` have i.i.d.
    :math:`\mathcal N(0, \sigma^2/2)` entries, independent across modes (orthonormal
    :math:`u_\alpha, v_\alpha`), so by the Bartlett decomposition
    :math:`u_{0,\alpha} = R_{\alpha\alpha}^2 \sim (\sigma^2/2)\chi^2_{k_\alpha}`,
    :math:`k_\alpha = N_2 - \alpha + 1`, independently. Averaging the logistic half time
    :math:`t_{1/2} = \frac{\tau}{2s}\ln\frac{s - u_0}{u_0}` over that law
    (:math:`\mathbb E\ln\chi^2_k = \psi(k/2) + \ln 2`):

    .. math::

        \mathbb E\,t_{1/2,\alpha} = \frac{\tau}{2s_\alpha}\Big[\ln\frac{s_\alpha}{\sigma^2}
            - \psi\big(\tfrac{k_\alpha}{2}\big) - \frac{\mathbb E u_0}{s_\alpha}
            - \frac{\mathbb E u_0^2}{2 s_\alpha^2}\Big],
        \quad \mathbb E u_0 = \frac{k\sigma^2}2,\ \mathbb E u_0^2 = \frac{\sigma^4 k(k+2)}4,

    the last two terms the expansion of :math:`\ln(1 - u_0/s)` (error :math:`O((k\sigma^2/s)^3)`).

    Parameters
    ----------
    s : array_like, shape (K,)
        Singular values of the active modes in decreasing order (all > 0).
    init_variance : float
        :math:`\sigma^2 > 0`, the variance of every initial weight (small: :math:`N_2\sigma^2 \ll s`).
    hidden_width : int
        :math:`N_2 \ge K`.
    tau : float
        :math:`\tau > 0`.

    Returns
    -------
    ndarray, shape (K,)
    """
    check_positive("s", s)
    check_positive("init_variance", init_variance)
    check_positive("tau", tau)
    s = np.atleast_1d(np.asarray(s, dtype=float))
    if s.ndim != 1 or np.any(np.diff(s) > 0):
        raise ValueError(f"s={s!r} is out of range: must be a 1-d array in decreasing order")
    try:
        width = operator.index(hidden_width)
    except TypeError:
        width = 0
    if width < s.size:
        raise ValueError(f"hidden_width={hidden_width!r} is out of range: must be an integer "
                         f">= the number of modes {s.size}")
    k = width - np.arange(s.size)
    var = float(init_variance)
    mean_u0 = 0.5 * k * var
    mean_u0_sq = 0.25 * var * var * k * (k + 2.0)
    log_gap = np.log(s / var) - digamma(0.5 * k) - mean_u0 / s - 0.5 * mean_u0_sq / s ** 2
    return float(tau) / (2.0 * s) * log_gap
