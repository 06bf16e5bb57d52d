r"""Infinite-width kernels of a ReLU multilayer perceptron and its exact finite-width fourth moment.

Network (NTK parametrisation), input :math:`x \in \mathbb R^{n_0}`, :math:`L` hidden layers of
width :math:`n`, all weights and biases i.i.d. :math:`N(0, 1)`, :math:`\varphi = \max(0, \cdot)`:

.. math::

    h^1 = \frac{\sigma_w}{\sqrt{n_0}} W^1 x + \sigma_b b^1,\qquad
    h^{l+1} = \frac{\sigma_w}{\sqrt n} W^{l+1}\varphi(h^l) + \sigma_b b^{l+1},\qquad
    f = h^{L+1} \in \mathbb R .

As :math:`n \to \infty` the output is a Gaussian process with covariance (NNGP)
:math:`K = \Sigma^{L+1}` and gradient descent on all parameters follows the neural tangent
kernel :math:`\Theta = \Theta^{L+1}`, where

.. math::

    \Sigma^1(x, x') = \sigma_w^2\,\frac{x\cdot x'}{n_0} + \sigma_b^2,\qquad
    \Sigma^{l+1} = \sigma_w^2\, E[\varphi(u)\varphi(v)] + \sigma_b^2,\qquad
    \dot\Sigma^{l+1} = \sigma_w^2\, E[\varphi'(u)\varphi'(v)],

    \Theta^1 = \Sigma^1,\qquad \Theta^{l+1} = \Sigma^{l+1} + \Theta^l\,\dot\Sigma^{l+1},

with :math:`(u, v) \sim N(0, \Sigma^l \text{ restricted to } \{x, x'\})`. Writing
:math:`a = \Sigma^l(x, x)`, :math:`b = \Sigma^l(x', x')`, :math:`s = \Sigma^l(x, x')` and
:math:`\theta` the angle with :math:`\cos\theta = s/\sqrt{ab}`, the arc-cosine kernels of
degree 1 and 0 (Cho & Saul 2009) are

.. math::

    E[\varphi(u)\varphi(v)] = \frac{\sqrt{ab - s^2} + (\pi - \theta)\, s}{2\pi},\qquad
    E[\varphi'(u)\varphi'(v)] = \frac{\pi - \theta}{2\pi}

(the first is :math:`\sqrt{ab}(\sin\theta + (\pi - \theta)\cos\theta)/(2\pi)` written without
:math:`\sqrt{ab}`). Numerics: :math:`\theta = \arccos(s/\sqrt{ab})` loses :math:`\sim\sqrt{\epsilon}
\approx 10^{-8}` on the diagonal, where :math:`s/\sqrt{ab}` rounds to :math:`1 - \epsilon`. Here
:math:`\theta = \operatorname{atan2}(\sqrt{\max(ab - s^2, 0)}, s)` from the kernel entries
themselves: on the diagonal :math:`a = b = s` are one floating-point number, so
:math:`ab - s^2 = 0` exactly, :math:`\theta = 0`, and the diagonal recursions
:math:`\Sigma^{l+1}(x, x) = \sigma_w^2\Sigma^l(x, x)/2 + \sigma_b^2`,
:math:`\dot\Sigma^{l+1}(x, x) = \sigma_w^2/2` hold to rounding. Off the diagonal the rounding of
:math:`ab - s^2` (:math:`\sim 10^{-16}ab`) moves :math:`\theta` by :math:`\sim 10^{-16}/\theta`, so
:math:`\dot\Sigma` keeps 9 significant digits for input angles above :math:`\sim 10^{-7}` rad
(:math:`\Sigma` itself is flat in :math:`\theta` there and keeps all of them).

Finite width, exact (:math:`\sigma_b = 0`, one input): given the last hidden layer the output is
:math:`N(0, q)` with :math:`q = \sigma_w^2\lVert\varphi(h^L)\rVert^2/n`, so
:math:`E f^4 = 3E q^2` and :math:`E f^2 = E q`; each layer multiplies :math:`q` by
:math:`(\sigma_w^2/n) Y`, :math:`Y = \sum_{i\le n}\varphi(\xi_i)^2` with :math:`\xi_i` i.i.d.
:math:`N(0, 1)` independent of the past, :math:`E Y = n/2`, :math:`E Y^2 = n\cdot\frac32 +
n(n-1)\frac14`, hence

.. math:: \frac{E f^4}{3 (E f^2)^2} = \frac{E q^2}{(E q)^2} = \Big(1 + \frac5n\Big)^L

for every width and every :math:`\sigma_w` (Hanin & Nica 2019 give the large-:math:`n` form
:math:`e^{5L/n}`). With :math:`\sigma_b > 0` the layers no longer multiply and there is no such
product.

References
----------
G. Yang (2019), "Tensor Programs I", arXiv:1902.04760. J. Lee, Y. Bahri, R. Novak,
S. Schoenholz, J. Pennington, J. Sohl-Dickstein (2018), "Deep neural networks as Gaussian
processes", arXiv:1711.00165. A. Jacot, F. Gabriel, C. Hongler (2018), "Neural tangent
kernel", arXiv:1806.07572. Y. Cho, L. Saul (2009), "Kernel methods for deep learning",
NeurIPS. B. Hanin, M. Nica (2019), "Finite depth and width corrections to the neural tangent
kernel", arXiv:1909.05989.
"""

from __future__ import annotations

import numpy as np

from theory._validate import check_finite, check_integer, check_positive

__all__ = ["relu_fourth_moment_ratio", "relu_nngp", "relu_ntk"]


def _first_layer(inputs, depth, weight_variance, bias_variance) -> np.ndarray:
    """Validate the arguments and return :math:`\\Sigma^1` (symmetric to the last bit)."""
    check_finite("inputs", inputs)
    x = np.asarray(inputs, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.size == 0:
        raise ValueError(f"inputs of shape {np.shape(inputs)} is out of range: "
                         "must be a non-empty (n0, P) array, one input per column")
    check_integer("depth", depth, 0)
    check_positive("weight_variance", weight_variance)
    check_positive("bias_variance", bias_variance, allow_zero=True)
    if bias_variance == 0 and not np.all(np.any(x != 0, axis=0)):
        raise ValueError("inputs has a zero column: must be non-zero when bias_variance=0 "
                         "(the ReLU derivative at a constant 0 pre-activation is undefined)")
    gram = x.T @ x
    gram = 0.5 * (gram + gram.T)
    return float(weight_variance) * gram / x.shape[0] + float(bias_variance)


def _next_layer(sigma: np.ndarray, weight_variance: float, bias_variance: float):
    """:math:`(\\Sigma^{l+1}, \\dot\\Sigma^{l+1})` from :math:`\\Sigma^l` (arc-cosine kernels, atan2 angle)."""
    a = np.diag(sigma)
    gap = np.maximum(a[:, None] * a[None, :] - sigma * sigma, 0.0)   # exactly 0 on the diagonal
    root = np.sqrt(gap)
    theta = np.arctan2(root, sigma)
    relu_product = (root + (np.pi - theta) * sigma) / (2.0 * np.pi)
    step_product = (np.pi - theta) / (2.0 * np.pi)
    return weight_variance * relu_product + bias_variance, weight_variance * step_product


def relu_nngp(inputs, depth: int, weight_variance: float, bias_variance: float) -> np.ndarray:
    r"""NNGP kernel :math:`K = \Sigma^{L+1}` of a ReLU MLP with :math:`L` hidden layers.

    Parameters
    ----------
    inputs : array_like, shape (n0, P)
        One input per column (a 1-D array is one input).
    depth : int
        Number :math:`L \ge 0` of hidden layers (``0``: the linear model :math:`K = \Sigma^1`).
    weight_variance : float
        :math:`\sigma_w^2 > 0`.
    bias_variance : float
        :math:`\sigma_b^2 \ge 0` (with 0, every input must be non-zero).

    Returns
    -------
    ndarray, shape (P, P)
        :math:`K(x_i, x_j)`, symmetric, positive semi-definite; the diagonal obeys
        :math:`K(x, x) = \sigma_w^2 K^{(L)}(x, x)/2 + \sigma_b^2` to rounding.

    Notes
    -----
    Recursion and numerics in the module docstring (Lee et al. 2018, Cho & Saul 2009).
    """
    sigma = _first_layer(inputs, depth, weight_variance, bias_variance)
    for _ in range(int(depth)):
        sigma, _ = _next_layer(sigma, float(weight_variance), float(bias_variance))
    return sigma


def relu_ntk(inputs, depth: int, weight_variance: float, bias_variance: float) -> np.ndarray:
    r"""Neural tangent kernel :math:`\Theta = \Theta^{L+1}` of a ReLU MLP (NTK parametrisation).

    :math:`\Theta^1 = \Sigma^1`, :math:`\Theta^{l+1} = \Sigma^{l+1} + \Theta^l\dot\Sigma^{l+1}`
    (elementwise), the gradient taken with respect to all weights and biases (Jacot et al.
    2018).

    Parameters
    ----------
    inputs, depth, weight_variance, bias_variance
        As in :func:`relu_nngp`.

    Returns
    -------
    ndarray, shape (P, P)
        Symmetric; on the diagonal
        :math:`\Theta^{l+1}(x, x) = \Sigma^{l+1}(x, x) + \sigma_w^2\Theta^l(x, x)/2`.
    """
    sigma = _first_layer(inputs, depth, weight_variance, bias_variance)
    theta = sigma
    for _ in range(int(depth)):
        sigma, sigma_dot = _next_layer(sigma, float(weight_variance), float(bias_variance))
        theta = sigma + theta * sigma_dot
    return theta


def relu_fourth_moment_ratio(width, depth):
    r"""Exact finite-width kurtosis ratio :math:`E f^4 / (3 (E f^2)^2) = (1 + 5/n)^L` of one output.

    For :math:`\sigma_b = 0`, one input, :math:`L` hidden ReLU layers of width :math:`n`, any
    :math:`\sigma_w` (derivation in the module docstring).

    Parameters
    ----------
    width : int or array_like of int
        Hidden width :math:`n \ge 1`.
    depth : int or array_like of int
        Number :math:`L \ge 0` of hidden layers (broadcast against ``width``).

    Returns
    -------
    float or ndarray
        :math:`\ge 1`; equal to 1 at :math:`L = 0` (a Gaussian output).
    """
    check_integer("width", width, 1)
    check_integer("depth", depth, 0)
    n = np.asarray(width, dtype=float)
    depth_ = np.asarray(depth, dtype=float)
    out = np.exp(depth_ * np.log1p(5.0 / n))
    return out[()] if out.ndim == 0 else out
