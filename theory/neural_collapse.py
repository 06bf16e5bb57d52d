r"""Global optimum of the square-loss unconstrained-features model with weight decay.

The unconstrained-features model (UFM; Mixon, Parshall & Pi 2020, arXiv:2011.11619) treats
the last-layer features as free parameters. With :math:`K` classes of :math:`n` samples each
(:math:`N = Kn`), one-hot labels :math:`Y \in \{0, 1\}^{K\times N}`, classifier
:math:`W \in \mathbb R^{K\times d}`, features :math:`H \in \mathbb R^{d\times N}`
(:math:`d \ge K`) and an optional unpenalised bias :math:`b \in \mathbb R^K`, it minimises

.. math::

    \mathcal L(W, H, b) = \frac{1}{2N}\lVert WH + b\mathbf 1_N^\top - Y\rVert_F^2
        + \frac{\lambda_W}{2}\lVert W\rVert_F^2 + \frac{\lambda_H}{2}\lVert H\rVert_F^2 .

The square-loss dynamics of Xu, Rangamani, Liao, Galanti & Poggio (2023, *Research* 6,
"Dynamics in deep classifiers trained with the square loss") predict neural collapse in this
regime; the UFM makes the prediction exact (Han, Papyan & Donoho 2021, arXiv:2106.02073;
Tirer & Bruna 2022, arXiv:2202.08087).

Solution. For a fixed product :math:`Z = WH`,
:math:`\min_{WH = Z} \tfrac{\lambda_W}{2}\lVert W\rVert^2 + \tfrac{\lambda_H}{2}\lVert H\rVert^2
= \sqrt{\lambda_W\lambda_H}\,\lVert Z\rVert_*`, attained when
:math:`\lambda_W\lVert W\rVert^2 = \lambda_H\lVert H\rVert^2`. The problem in :math:`Z` is
convex, and its minimiser is the singular-value soft-thresholding of the target by
:math:`N\sqrt{\lambda_W\lambda_H}`. The target is :math:`Y` without a bias and the centred
:math:`Y - \mathbf 1_K\mathbf 1_N^\top/K` with one (the optimal bias is then
:math:`b = \mathbf 1_K/K`); either way its :math:`m` non-zero singular values all equal
:math:`\sqrt n`, with :math:`m = K` (no bias) or :math:`K - 1` (bias). Hence, with
:math:`s = K\sqrt{n\lambda_W\lambda_H}`,

.. math::

    WH = c\,(\text{target}), \qquad c = \max(0, 1 - s), \qquad
    \lVert W\rVert_F^2 = \sqrt{\lambda_H/\lambda_W}\; c\, m\sqrt n, \qquad
    \lVert H\rVert_F^2 = \sqrt{\lambda_W/\lambda_H}\; c\, m\sqrt n,

    \mathcal L^\star = \frac{m}{K}\Bigl[\frac{(1 - c)^2}{2} + c\,s\Bigr].

Every feature equals its class mean (NC1) and the class means have the Gram matrix
:math:`\tfrac{\lVert H\rVert^2}{N}\,I_K` (orthogonal frame, no bias) or
:math:`\tfrac{\lVert H\rVert^2}{N}\,\tfrac{K}{K-1}(I_K - \mathbf 1\mathbf 1^\top/K)` (simplex
equiangular tight frame, bias): :math:`H^\top H = \sqrt{\lambda_W/\lambda_H}\,(Z^\top Z)^{1/2}`.
For :math:`s \ge 1` everything collapses to zero.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from theory._validate import check_integer, check_positive

__all__ = ["UFMOptimum", "ufm_class_mean_gram", "ufm_optimum"]


class UFMOptimum(NamedTuple):
    """The global optimum of the UFM: shrinkage ``c``, squared norms and the objective."""

    c: float | np.ndarray
    """``WH = c · target``; ``max(0, 1 − K√(nλ_Wλ_H))``."""
    w_norm2: float | np.ndarray
    """``‖W‖_F²`` at the optimum."""
    h_norm2: float | np.ndarray
    """``‖H‖_F²`` at the optimum."""
    objective: float | np.ndarray
    """Minimum of the loss (data term ``1/(2N)`` plus both penalties)."""


def _scalar_or_array(value: np.ndarray):
    return float(value) if value.ndim == 0 else value


def ufm_optimum(n_classes: int, per_class: int, weight_decay_w, weight_decay_h,
                bias: bool = False) -> UFMOptimum:
    r"""Closed-form global optimum of the square-loss UFM (module docstring).

    .. math::

        c = \max\bigl(0, 1 - K\sqrt{n\lambda_W\lambda_H}\bigr), \quad
        \lVert W\rVert_F^2 = \sqrt{\lambda_H/\lambda_W}\,c\,m\sqrt n, \quad
        \lVert H\rVert_F^2 = \sqrt{\lambda_W/\lambda_H}\,c\,m\sqrt n, \quad
        \mathcal L^\star = \frac{m}{K}\Bigl[\frac{(1-c)^2}{2} + c\,K\sqrt{n\lambda_W\lambda_H}\Bigr],

    with :math:`m = K` without bias and :math:`m = K - 1` with an unpenalised bias. The
    loss is :math:`\frac{1}{2N}\lVert WH + b\mathbf 1^\top - Y\rVert_F^2
    + \frac{\lambda_W}{2}\lVert W\rVert_F^2 + \frac{\lambda_H}{2}\lVert H\rVert_F^2`, :math:`N = Kn`,
    feature dimension at least :math:`K` (Tirer & Bruna 2022, arXiv:2202.08087; Xu et al. 2023).

    Parameters
    ----------
    n_classes : int
        Number of classes :math:`K \ge 2`.
    per_class : int
        Samples per class :math:`n \ge 1`.
    weight_decay_w, weight_decay_h : float or array_like
        :math:`\lambda_W, \lambda_H > 0`; arrays broadcast against each other.
    bias : bool
        Whether the model has an unpenalised bias :math:`b`.

    Returns
    -------
    UFMOptimum
        Fields ``c``, ``w_norm2``, ``h_norm2``, ``objective`` (floats, or arrays of the
        broadcast shape of the weight decays).
    """
    check_integer("n_classes", n_classes, 2)
    k = int(n_classes)
    check_integer("per_class", per_class, 1)
    n = int(per_class)
    check_positive("weight_decay_w", weight_decay_w)
    check_positive("weight_decay_h", weight_decay_h)
    if not isinstance(bias, (bool, np.bool_)):
        raise ValueError(f"bias={bias!r} is out of range: must be True or False")
    lam_w, lam_h = np.broadcast_arrays(np.asarray(weight_decay_w, dtype=float),
                                       np.asarray(weight_decay_h, dtype=float))
    m = k - 1 if bias else k
    s = k * np.sqrt(n * lam_w * lam_h)
    c = np.maximum(0.0, 1.0 - s)
    nuclear = c * m * math.sqrt(n)          # ‖WH‖_* at the optimum
    ratio = np.sqrt(lam_h / lam_w)
    objective = (m / k) * (0.5 * (1.0 - c) ** 2 + c * s)
    return UFMOptimum(c=_scalar_or_array(c), w_norm2=_scalar_or_array(ratio * nuclear),
                      h_norm2=_scalar_or_array(nuclear / ratio),
                      objective=_scalar_or_array(objective))


def ufm_class_mean_gram(n_classes: int, per_class: int, weight_decay_w: float,
                        weight_decay_h: float, bias: bool = False) -> np.ndarray:
    r"""Gram matrix :math:`\bar H^\top\bar H` of the :math:`K` class-mean features at the optimum.

    .. math::

        \bar H^\top \bar H = \frac{\lVert H\rVert_F^2}{N}\,I_K \ \text{(no bias)}, \qquad
        \frac{\lVert H\rVert_F^2}{N}\,\frac{K}{K-1}\Bigl(I_K - \frac{\mathbf 1\mathbf 1^\top}{K}\Bigr)
        \ \text{(bias: simplex ETF)},

    from :math:`H^\top H = \sqrt{\lambda_W/\lambda_H}\,(Z^\top Z)^{1/2}` with :math:`Z = cY` or
    :math:`c(Y - \mathbf 1\mathbf 1^\top/K)`. Scalar weight decays only.

    Returns
    -------
    ndarray, shape (K, K)
    """
    for name, value in (("weight_decay_w", weight_decay_w), ("weight_decay_h", weight_decay_h)):
        if np.ndim(value) != 0:
            raise ValueError(f"{name}={value!r} is out of range: must be a scalar > 0")
    opt = ufm_optimum(n_classes, per_class, weight_decay_w, weight_decay_h, bias)
    k = int(n_classes)
    norm2 = opt.h_norm2 / (k * per_class)  # ‖h̄_a‖² of every class mean
    if not bias:
        return norm2 * np.eye(k)
    return norm2 * k / (k - 1) * (np.eye(k) - np.full((k, k), 1.0 / k))
