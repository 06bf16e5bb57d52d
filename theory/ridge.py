r"""Ridge regression on a linear teacher with Gaussian inputs: asymptotic errors and overlaps.

Convention (physics; Krogh & Hertz 1992, Engel & Van den Broeck 2001). Inputs
:math:`x_\mu \sim \mathcal N(0, I_d/d)` (component variance :math:`1/d`), :math:`\mu = 1..n`,
:math:`\alpha = n/d`; teacher :math:`\lVert w^*\rVert^2/d = \rho` (``teacher_variance``);
labels :math:`y = w^*\cdot x + \varepsilon`, :math:`\varepsilon \sim \mathcal N(0, \sigma^2)`
(``noise_variance``). The estimator minimises the **summed** loss

.. math::

    \hat w = \arg\min_w \tfrac12 \sum_\mu (y_\mu - w\cdot x_\mu)^2 + \tfrac12\lambda\lVert w\rVert^2
           = (X^\top X + \lambda I)^{-1} X^\top y ,

``reg`` = :math:`\lambda`. The statistics convention (:math:`x \sim \mathcal N(0, I_d)`, loss
:math:`\frac1{2n}\sum + \frac12\lambda_s\lVert w\rVert^2`) is the same estimator with
:math:`\lambda_s = \lambda/\alpha`. Errors returned here:

* excess risk :math:`E = \lVert\hat w - w^*\rVert^2/d = \mathbb E_x[(x\cdot\hat w - x\cdot w^*)^2]`;
* test error :math:`\sigma^2 + E` (a fresh noisy label, no factor ½);
* training error :math:`\frac1n\sum_\mu (y_\mu - \hat w\cdot x_\mu)^2` (no ½, no penalty).

Physics papers often plot :math:`\epsilon_g = E/2`; nothing here carries that ½.

Theory (Dobriban & Wager 2018; Hastie, Montanari, Rosset & Tibshirani 2022). The spectrum of
:math:`X^\top X` is Marchenko–Pastur with ratio :math:`1/\alpha` and scale :math:`\alpha`, and
:math:`g(\alpha, \lambda) = \lim \frac1d \operatorname{tr}(X^\top X + \lambda)^{-1}` is the
positive root of :math:`\lambda g^2 + (\alpha - 1 + \lambda) g - 1 = 0`. With
:math:`b = \alpha - 1 + \lambda`, :math:`c = 1 - \alpha + \lambda`,
:math:`D = b^2 + 4\lambda = c^2 + 4\alpha\lambda`:

.. math::

    g' = \partial_\lambda g = -\frac{g(1+g)}{\sqrt D},\quad
    V = g + \lambda g',\quad B = -\lambda^2 g',\quad E = \rho B + \sigma^2 V,

    \text{train} = \frac{\rho}{\alpha}\lambda^2 V + \sigma^2\lambda^2
                   \frac{\tilde g(1 + \alpha\tilde g)}{\sqrt D},\qquad
    \alpha\lambda\tilde g^2 + c\,\tilde g - 1 = 0,

    m = w^*\!\cdot\hat w/d = \rho(1 - \lambda g), \qquad q = \lVert\hat w\rVert^2/d = E + 2m - \rho .

Every root and difference is evaluated in the branch that avoids cancellation (each form
below is exact algebra on the one above); they keep ~1e-14 relative accuracy for
:math:`\alpha \in [0.1, 10]`, :math:`\lambda \in [10^{-12}, 100]`, where the textbook forms lose
up to 1e-3 (E at :math:`\lambda = 10^{-12}`) or all digits (train at :math:`\alpha < 1`).

Ridgeless limit :math:`\lambda = 0` (min-norm interpolator for :math:`\alpha < 1`):
:math:`E = \rho(1 - \alpha) + \sigma^2\alpha/(1-\alpha)`, train 0 (:math:`\alpha < 1`);
:math:`E = \sigma^2/(\alpha - 1)`, train :math:`\sigma^2(1 - 1/\alpha)` (:math:`\alpha > 1`);
:math:`E = \infty` at :math:`\alpha = 1` when :math:`\sigma > 0` (the double-descent peak).

References
----------
A. Krogh, J. A. Hertz, "Generalization in a linear perceptron in the presence of noise",
J. Phys. A 25 (1992) 1135. E. Dobriban, S. Wager, arXiv:1507.03003. T. Hastie, A. Montanari,
S. Rosset, R. Tibshirani, arXiv:1903.08560 (Thm. 1–5). M. Advani, A. Saxe, arXiv:1710.03667.
"""

from __future__ import annotations

import numpy as np

from theory._validate import check_positive

__all__ = [
    "ridge_resolvent_trace",
    "ridge_excess_risk",
    "ridge_test_error",
    "ridge_train_error",
    "ridge_overlaps",
    "ridge_bayes_error",
    "ridgeless_finite_size_excess",
]


def _arrays(alpha, reg):
    check_positive("alpha", alpha)
    check_positive("reg", reg, allow_zero=True)
    return np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(reg, dtype=float))


def _variances(noise_variance, teacher_variance):
    check_positive("noise_variance", noise_variance, allow_zero=True)
    check_positive("teacher_variance", teacher_variance, allow_zero=True)
    return np.asarray(noise_variance, dtype=float), np.asarray(teacher_variance, dtype=float)


def _out(values: np.ndarray):
    return values[()] if values.ndim == 0 else values


def _resolvent(alpha: np.ndarray, lam: np.ndarray):
    """``(g, √D)`` for ``λ > 0``: g from the root form without cancellation."""
    b = alpha - 1.0 + lam
    root = np.hypot(b, 2.0 * np.sqrt(lam))  # √(b² + 4λ) without overflow
    with np.errstate(all="ignore"):
        g = np.where(b >= 0.0, 2.0 / (b + root), (root - b) / (2.0 * lam))
    return g, root


def _variance_term(alpha, lam, g, root):
    """``V = g + λ g'``: the noise part of the excess risk (λ > 0)."""
    a1 = alpha - 1.0 - lam
    with np.errstate(all="ignore"):
        return np.where(a1 >= 0.0, g * (root + a1) / (2.0 * root),
                        2.0 * alpha * lam * g / (root * (root - a1)))


def _ridgeless_excess(alpha, noise, teacher):
    below = alpha < 1.0
    with np.errstate(all="ignore"):
        noise_part = np.where(below, alpha / (1.0 - alpha), 1.0 / (alpha - 1.0))
        noise_part = np.where(alpha == 1.0, np.inf, noise_part)
        noise_term = np.where(noise > 0.0, noise * noise_part, 0.0)
    return np.where(below, teacher * (1.0 - alpha), 0.0) + noise_term


def ridge_resolvent_trace(alpha, reg) -> np.ndarray:
    r"""Limiting normalised resolvent trace :math:`g(\alpha, \lambda) = \frac1d\operatorname{tr}(X^\top X + \lambda)^{-1}`.

    The positive root of :math:`\lambda g^2 + (\alpha - 1 + \lambda) g - 1 = 0`, computed as
    :math:`2/(b + \sqrt D)` for :math:`b = \alpha - 1 + \lambda \ge 0` and
    :math:`(\sqrt D - b)/(2\lambda)` otherwise. At :math:`\lambda = 0`: :math:`1/(\alpha - 1)`
    for :math:`\alpha > 1`, ``inf`` for :math:`\alpha \le 1` (the atom at zero, or the hard edge).

    Parameters
    ----------
    alpha : array_like
        Sample ratio :math:`n/d > 0`.
    reg : array_like
        Ridge :math:`\lambda \ge 0` (summed-loss convention).

    Returns
    -------
    ndarray or float
        Broadcast shape of the inputs.
    """
    alpha, lam = _arrays(alpha, reg)
    g, _ = _resolvent(alpha, lam)
    with np.errstate(divide="ignore"):
        ridgeless = np.where(alpha > 1.0, 1.0 / (alpha - 1.0), np.inf)
    return _out(np.where(lam > 0.0, g, ridgeless))


def ridge_excess_risk(alpha, reg, noise_variance, teacher_variance=1.0) -> np.ndarray:
    r"""Asymptotic excess risk :math:`E = \lVert\hat w - w^*\rVert^2/d = \rho B + \sigma^2 V`.

    :math:`B = \lambda^2 g(1+g)/\sqrt D` (bias) and :math:`V = g + \lambda g'` (variance) in the
    stable forms of the module notes; ``reg = 0`` gives the ridgeless limit, ``inf`` at
    :math:`\alpha = 1` when ``noise_variance > 0``.

    Parameters
    ----------
    alpha : array_like
        Sample ratio :math:`n/d > 0`.
    reg : array_like
        Ridge :math:`\lambda \ge 0` of the summed loss
        :math:`\frac12\sum_\mu(y_\mu - w\cdot x_\mu)^2 + \frac12\lambda\lVert w\rVert^2`.
    noise_variance : array_like
        Label-noise variance :math:`\sigma^2 \ge 0`.
    teacher_variance : array_like
        :math:`\rho = \lVert w^*\rVert^2/d \ge 0`.

    Returns
    -------
    ndarray or float
        Broadcast shape of the inputs.
    """
    alpha, lam = _arrays(alpha, reg)
    noise, teacher = _variances(noise_variance, teacher_variance)
    g, root = _resolvent(alpha, lam)
    with np.errstate(all="ignore"):
        bias = lam * lam * g * (1.0 + g) / root
        ridge = teacher * bias + noise * _variance_term(alpha, lam, g, root)
    return _out(np.where(lam > 0.0, ridge, _ridgeless_excess(alpha, noise, teacher)))


def ridge_test_error(alpha, reg, noise_variance, teacher_variance=1.0) -> np.ndarray:
    r"""Test error against a fresh noisy label, :math:`\sigma^2 + E` (no factor ½).

    Parameters are those of :func:`ridge_excess_risk`.
    """
    excess = ridge_excess_risk(alpha, reg, noise_variance, teacher_variance)
    return _out(np.asarray(noise_variance, dtype=float) + excess)


def ridge_train_error(alpha, reg, noise_variance, teacher_variance=1.0) -> np.ndarray:
    r"""Asymptotic training error :math:`\frac1n\sum_\mu (y_\mu - \hat w\cdot x_\mu)^2`.

    .. math::

        \text{train} = \frac{\rho}{\alpha}\lambda^2 V
                     + \sigma^2\lambda^2\frac{\tilde g(1 + \alpha\tilde g)}{\sqrt D},

    with :math:`\tilde g = \frac1n\operatorname{tr}(XX^\top + \lambda)^{-1}` the positive root of
    :math:`\alpha\lambda\tilde g^2 + c\tilde g - 1 = 0`, :math:`c = 1 - \alpha + \lambda`
    (computed as :math:`2/(c + \sqrt D)` for :math:`c \ge 0`, :math:`(\sqrt D - c)/(2\alpha\lambda)`
    otherwise). Ridgeless: 0 for :math:`\alpha \le 1`, :math:`\sigma^2(1 - 1/\alpha)` above.

    Parameters are those of :func:`ridge_excess_risk`.
    """
    alpha, lam = _arrays(alpha, reg)
    noise, teacher = _variances(noise_variance, teacher_variance)
    g, root = _resolvent(alpha, lam)
    c = 1.0 - alpha + lam
    with np.errstate(all="ignore"):
        gt = np.where(c >= 0.0, 2.0 / (c + root), (root - c) / (2.0 * alpha * lam))
        lam2 = lam * lam
        ridge = (teacher / alpha * lam2 * _variance_term(alpha, lam, g, root)
                 + noise * lam2 * gt * (1.0 + alpha * gt) / root)
        ridgeless = np.where(alpha > 1.0, noise * (1.0 - 1.0 / alpha), 0.0)
    return _out(np.where(lam > 0.0, ridge, ridgeless))


def ridge_overlaps(alpha, reg, noise_variance, teacher_variance=1.0) -> tuple:
    r"""Overlaps :math:`m = w^*\!\cdot\hat w/d = \rho(1 - \lambda g)` and
    :math:`q = \lVert\hat w\rVert^2/d = E + 2m - \rho`.

    :math:`\lambda g = (\sqrt D - b)/2` is evaluated as :math:`2\lambda/(b + \sqrt D)` when
    :math:`b \ge 0`. Ridgeless: :math:`m = \rho\min(1, \alpha)`; :math:`q = \infty` at
    :math:`\alpha = 1` with noise.

    Parameters are those of :func:`ridge_excess_risk`.

    Returns
    -------
    (m, q)
        Each of the broadcast shape of the inputs.
    """
    alpha, lam = _arrays(alpha, reg)
    noise, teacher = _variances(noise_variance, teacher_variance)
    b = alpha - 1.0 + lam
    root = np.sqrt(b * b + 4.0 * lam)
    with np.errstate(all="ignore"):
        lam_g = np.where(b >= 0.0, 2.0 * lam / (b + root), 0.5 * (root - b))
    m = teacher * np.where(lam > 0.0, 1.0 - lam_g, np.minimum(1.0, alpha))
    excess = np.asarray(ridge_excess_risk(alpha, lam, noise, teacher))
    with np.errstate(invalid="ignore"):
        q = excess + 2.0 * m - teacher
    return _out(m), _out(q)


def ridge_bayes_error(alpha, noise_variance, teacher_variance=1.0) -> np.ndarray:
    r"""Excess risk at the Bayes-optimal ridge :math:`\lambda^* = \sigma^2/\rho`: :math:`E = \sigma^2 g(\alpha, \lambda^*)`.

    For :math:`w^* \sim \mathcal N(0, \rho I)` the ridge estimator at :math:`\lambda^*` is the
    posterior mean, so this is the MMSE, and :math:`\partial E/\partial\lambda = 0` there.
    ("λ* = noise/teacher variance" holds for the summed loss; in the statistics convention
    :math:`\lambda_s^* = \sigma^2/(\alpha\rho)`.) Noiseless: :math:`\rho\max(0, 1 - \alpha)`.

    Parameters
    ----------
    alpha : array_like
        Sample ratio :math:`n/d > 0`.
    noise_variance : array_like
        :math:`\sigma^2 \ge 0`.
    teacher_variance : array_like
        :math:`\rho > 0`.
    """
    check_positive("alpha", alpha)
    check_positive("teacher_variance", teacher_variance)
    check_positive("noise_variance", noise_variance, allow_zero=True)
    alpha, noise, teacher = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in
                                                  (alpha, noise_variance, teacher_variance)))
    # σ² g = ρ λ* g with λ* g = (√D − b)/2 (b < 0) or 2λ*/(b + √D): no division by a tiny λ*.
    lam = noise / teacher
    b = alpha - 1.0 + lam
    root = np.hypot(b, 2.0 * np.sqrt(lam))
    noiseless = teacher * np.maximum(0.0, 1.0 - alpha)
    with np.errstate(all="ignore"):
        lam_g = np.where(b >= 0.0, 2.0 * lam / (b + root), 0.5 * (root - b))
        return _out(np.where(noise > 0.0, teacher * lam_g, noiseless))


def ridgeless_finite_size_excess(n, d, noise_variance, teacher_variance=1.0) -> np.ndarray:
    r"""Exact mean excess risk of the min-norm least-squares solution at finite ``n, d``.

    From the inverse-Wishart mean :math:`\mathbb E W^{-1} = I/(m - p - 1)` of
    :math:`W \sim \mathcal W_p(m, I)` (Gaussian inputs of variance :math:`1/d`):

    .. math::

        \mathbb E[E] = \frac{\sigma^2 d}{n - d - 1}\ (n \ge d + 2), \qquad
        \mathbb E[E] = \rho\Big(1 - \frac nd\Big) + \frac{\sigma^2 n}{d - n - 1}\ (n \le d - 2),

    ``inf`` for :math:`|n - d| \le 1` with noise (the mean diverges). The variance of
    :math:`E` is finite only for :math:`|n - d| \ge 4`.

    Parameters
    ----------
    n, d : array_like of int
        Number of samples and dimension, each ``>= 1``.
    noise_variance : array_like
        :math:`\sigma^2 \ge 0`.
    teacher_variance : array_like
        :math:`\rho \ge 0`.
    """
    for name, value in (("n", n), ("d", d)):
        arr = np.asarray(value)
        if arr.dtype.kind not in "iu" or np.any(arr < 1):
            raise ValueError(f"{name}={value!r} is out of range: must be an integer >= 1")
    noise, teacher = _variances(noise_variance, teacher_variance)
    n, d, noise, teacher = np.broadcast_arrays(np.asarray(n, dtype=float), np.asarray(d, dtype=float),
                                               noise, teacher)
    with np.errstate(all="ignore"):
        noise_part = np.where(n > d, d / (n - d - 1.0), n / (d - n - 1.0))
        noise_part = np.where(np.abs(n - d) <= 1.0, np.inf, noise_part)
        noise_term = np.where(noise > 0.0, noise * noise_part, 0.0)
    return _out(np.where(n < d, teacher * (1.0 - n / d), 0.0) + noise_term)
