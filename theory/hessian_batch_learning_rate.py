r"""Largest stable learning rate versus batch size: the per-step rule and the mean-square threshold.

Granziol, Zohren & Roberts (JMLR 23(173), 2022, arXiv:2006.09092) state that the largest stable
learning rate grows linearly in the batch size ``B`` for SGD and like :math:`\sqrt B` for
adaptive methods. Two rules, each for an explicit model [our derivation]:

* the per-step rule :math:`2/\lambda_1(H_B)` (gradient descent on one batch quadratic), with the
  top eigenvalues of :mod:`theory.hessian_batch`;
* the mean-square threshold of SGD (:mod:`theory.sgd_stability`), exact for least squares; for
  isotropic Gaussian data drawn afresh each step it is :math:`2B/(B + P + 1)`, and with a frozen
  Adam-like preconditioner it grows like :math:`\sqrt B`.

Notation as in :mod:`theory.hessian_batch`: ``n_params`` :math:`P`, ``batch_size`` :math:`B`,
``n_data`` :math:`N`, batches drawn uniformly without replacement.

References
----------
D. Granziol, S. Zohren, S. Roberts, JMLR 23(173):1–65, 2022, arXiv:2006.09092.
"""

from __future__ import annotations

import numpy as np

from theory._docstrings import SNIPPETS, fill
from theory._validate import check_positive, sizes
from theory.hessian_batch import additive_model_top_eigenvalue, spiked_wishart_top_eigenvalue
from theory.sgd_stability import mean_square_threshold, without_replacement_factor

__all__ = [
    "additive_model_max_learning_rate",
    "frozen_adam_max_learning_rate",
    "online_sgd_max_learning_rate",
    "spiked_wishart_max_learning_rate",
]


def _out(values):
    values = np.asarray(values, dtype=float)
    return float(values) if values.ndim == 0 else values


def additive_model_max_learning_rate(spike, n_params, batch_size, entry_variance=1.0):
    r"""Per-step rule :math:`2/\lambda_1(H_B)` in the additive spiked model.

    .. math::

        \alpha_{\max}(B) = \frac{2B\beta}{B\beta^2 + P\sigma^2} \quad (B > B^*), \qquad
        \frac{1}{\sigma}\sqrt{\frac BP} \quad (B \le B^*).

    Below :math:`B^*` it grows like :math:`\sqrt B` — there is no linear regime: the linear
    approximation :math:`2\beta B/(P\sigma^2)` of the outlier branch applies only where that
    branch does not exist. Above :math:`B^*` it rises from :math:`1/\beta` to :math:`2/\beta`.

    Parameters
    ----------
    spike, n_params, batch_size, entry_variance
        As in :func:`theory.hessian_batch.additive_model_top_eigenvalue`.

    Returns
    -------
    float or ndarray
    """
    return _out(2.0 / np.asarray(additive_model_top_eigenvalue(spike, n_params, batch_size, entry_variance)))


def spiked_wishart_max_learning_rate(spike, n_params, batch_size):
    r"""Per-step rule :math:`2/\lambda_1(H_B)` for least squares with a spiked covariance.

    :math:`2/(1 + \sqrt{P/B})^2 \approx 2B/P` for :math:`B \ll P` (linear in ``B``), saturating
    at :math:`2/\ell` for :math:`B \gg P/(\ell - 1)^2`.

    Parameters
    ----------
    spike, n_params, batch_size
        As in :func:`theory.hessian_batch.spiked_wishart_top_eigenvalue`.

    Returns
    -------
    float or ndarray
    """
    return _out(2.0 / np.asarray(spiked_wishart_top_eigenvalue(spike, n_params, batch_size)))


@fill(SNIPPETS)
def online_sgd_max_learning_rate(n_params, batch_size):
    r"""Mean-square stability threshold of online SGD on isotropic Gaussian least squares: :math:`2B/(B + P + 1)`.

    Fresh batches of ``B`` rows :math:`x \sim N(0, I_P)` every step, no label noise. By Isserlis,
    :math:`E[xx^\top\Sigma xx^\top] = 2\Sigma + \operatorname{tr}(\Sigma) I`, so
    :math:`E[H_B\Sigma H_B] = (1 + 1/B)\Sigma + \operatorname{tr}(\Sigma) I/B`; its largest
    eigenvalue, :math:`(B + P + 1)/B`, belongs to :math:`\Sigma = I`, and with :math:`H = I` the
    threshold :math:`2/\mu_{\max}` (:mod:`theory.sgd_stability`) is :math:`2B/(B + P + 1)`:
    linear, :math:`\approx 2B/P`, for :math:`B \ll P` and saturating at :math:`2/\lambda_1(H) = 2`.

    Parameters
    ----------
    %(n_params_batch_size)s

    Returns
    -------
    float or ndarray
    """
    p = sizes("n_params", n_params)
    b = sizes("batch_size", batch_size)
    return _out(2.0 * b / (b + p + 1.0))


def frozen_adam_max_learning_rate(sample_gradients, batch_size, gradient_variance, damping=0.0):
    r"""Mean-square threshold of SGD with a frozen Adam-like preconditioner at a minimum.

    Near a minimum with label noise Adam's second-moment estimate is the gradient-noise
    variance, :math:`v_j(B) = s_j^2\,(1/B - 1/N)` (``gradient_variance`` :math:`s_j^2`: the
    per-sample gradient variance of coordinate ``j`` with the ``1/(N − 1)`` normalisation, so the
    factor is exact for batches without replacement). Freezing
    :math:`D = \operatorname{diag}(\sqrt{v_j} + \delta)`, the linearised update
    :math:`\delta \leftarrow (I - \alpha D^{-1}H_B)\delta` is SGD on the rows
    :math:`D^{-1/2}g_i` (in the variable :math:`D^{1/2}\delta`), so the threshold is
    :func:`theory.sgd_stability.mean_square_threshold` of those rows. With :math:`\delta = 0`
    and :math:`B \ll N`: :math:`D \propto B^{-1/2}` and, where the SGD threshold is linear in
    ``B``, this one grows like :math:`\sqrt B` [our derivation of the paper's square-root rule;
    at ``B = N`` the noise vanishes and a damping :math:`\delta > 0` is needed].

    Parameters
    ----------
    sample_gradients : array_like, shape (N, P)
        Rows :math:`g_i` of the rank-one per-sample Hessians :math:`g_ig_i^\top`.
    batch_size : int or array_like of int
        ``B`` in ``[1, N]``; ``B = N`` needs ``damping > 0``.
    gradient_variance : array_like, shape (P,)
        :math:`s_j^2 \ge 0`.
    damping : float
        :math:`\delta \ge 0` (Adam's ε).

    Returns
    -------
    float or ndarray
    """
    g = np.asarray(sample_gradients, dtype=float)
    if g.ndim != 2:
        raise ValueError(f"sample_gradients with shape {g.shape} is out of range: must be a 2-D array")
    variance = np.asarray(gradient_variance, dtype=float)
    check_positive("gradient_variance", variance, allow_zero=True)
    if variance.shape != (g.shape[1],):
        raise ValueError(f"gradient_variance with shape {variance.shape} is out of range: must be of "
                         f"shape ({g.shape[1]},)")
    check_positive("damping", damping, allow_zero=True)
    n = g.shape[0]
    sizes = np.asarray(batch_size)
    without_replacement_factor(sizes, n)  # validates B in [1, N]
    out = []
    for b in sizes.ravel():
        diagonal = np.sqrt(variance * (1.0 / float(b) - 1.0 / n)) + float(damping)
        if np.any(diagonal <= 0):
            raise ValueError(f"damping={damping!r} is out of range: must be > 0 where the gradient "
                             f"noise vanishes (batch_size={int(b)}, n_data={n})")
        out.append(mean_square_threshold(g / np.sqrt(diagonal), int(b)))
    return _out(np.reshape(out, sizes.shape))
