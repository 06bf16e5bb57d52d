r"""Top eigenvalue of a mini-batch Hessian, and the largest stable learning rate, versus batch size.

Granziol, Zohren & Roberts, "Learning rates as a function of batch size: a random matrix theory
approach to neural network training", JMLR 23(173), 2022, arXiv:2006.09092. What the paper states
(its abstract): the batch Hessian is the full-data Hessian plus a fluctuation that grows as the
batch shrinks ("spiked, field-dependent random matrix theory"); its extremal eigenvalues are larger
in magnitude than those of the full-data Hessian (also for the Gauss–Newton matrix); hence the
largest stable learning rate grows linearly in the batch size ``B`` for SGD and like
:math:`\sqrt B` for adaptive methods. The constants below are **our derivation** for explicit
models (the theorem text was not available when this module was written); each function says
which model it describes.

Notation: ``n_params`` :math:`P`, ``batch_size`` :math:`B`, ``n_data`` :math:`N`, batches drawn
uniformly without replacement; :math:`H_B = \frac1B\sum_{i\in\mathcal B}\nabla^2\ell_i` and
:math:`H_{\rm emp} = \frac1N\sum_i\nabla^2\ell_i`, so :math:`H_B = H_{\rm emp} + \varepsilon` with
:math:`E\varepsilon = 0` and :math:`\operatorname{Var}\varepsilon_{jk} = s_{jk}^2\,p(B, N)`,
:math:`p = (N - B)/(B(N - 1))` (:func:`theory.sgd_stability.without_replacement_factor`;
:math:`s_{jk}^2` the ``1/N`` variance of the per-sample entry over the data).

Models
------
Additive spiked model
    :math:`H_B = \beta\,uu^\top + \varepsilon`, :math:`\varepsilon` a GOE matrix with entry
    variance :math:`\sigma^2/B` (semicircle radius :math:`2s_B`, :math:`s_B = \sigma\sqrt{P/B}`).
    Outlier :math:`\beta + s_B^2/\beta` when :math:`\beta > s_B`, else the bulk edge
    :math:`2s_B` (Péché 2006; Benaych-Georges & Nadakuditi 2011).
Spiked Wishart (least squares)
    :math:`H_B = X_B^\top X_B/B`, rows :math:`x \sim N(0, I + (\ell - 1)ee^\top)`,
    :math:`\gamma = P/B`: outlier :math:`\ell(1 + \gamma/(\ell - 1))` when
    :math:`\ell > 1 + \sqrt\gamma`, else :math:`(1 + \sqrt\gamma)^2` (Baik, Ben Arous & Péché 2005;
    Baik & Silverstein 2006).
Bulk plus noise (Baskerville et al., arXiv:2205.08601)
    :math:`H_B = A + s_B X`: the full-data Hessian's bulk (here Marchenko–Pastur) freely
    convolved with the semicircle of the batch noise, plus a spike; computed with
    :mod:`theory.free_convolution`.
Field-dependent perturbation (any model)
    Second-order perturbation theory with the exact sampling variance:
    :math:`E\lambda_1(H_B) - \lambda_1(H_{\rm emp}) \approx p(B, N)\,\kappa`,
    :math:`\kappa = \sum_{k\ge2}\frac1N\sum_i (u_k^\top H_i u_1)^2/(\lambda_1 - \lambda_k)`
    (:func:`perturbative_excess`). For the additive model it reproduces
    :math:`s_B^2/\beta` exactly.

Largest stable learning rate: the per-step rule :math:`2/\lambda_1(H_B)` (gradient descent on one
batch quadratic) and the mean-square threshold of SGD (:mod:`theory.sgd_stability`), exact for
least squares; for isotropic Gaussian data drawn afresh each step it is :math:`2B/(B + P + 1)`.

References
----------
D. Granziol, S. Zohren, S. Roberts, JMLR 23(173):1–65, 2022, arXiv:2006.09092.
N. P. Baskerville, J. P. Keating, F. Mezzadri, J. Najnudel, D. Granziol, "Universal
characteristics of deep neural network loss surfaces from random matrix theory",
arXiv:2205.08601.
J. Baik, G. Ben Arous, S. Péché, Ann. Probab. 33 (2005) 1643–1697.
F. Benaych-Georges, R. R. Nadakuditi, Adv. Math. 227 (2011) 494–521.
I. M. Johnstone, Ann. Statist. 29 (2001) 295–327.
F. Bornemann, Markov Process. Related Fields 16 (2010) 803–866 (Tracy–Widom moments).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from theory._docstrings import SNIPPETS, fill
from theory._validate import check_finite, check_positive
from theory.free_convolution import mp_semicircle_edges, mp_semicircle_hilbert
from theory.sgd_stability import mean_square_threshold, without_replacement_factor

__all__ = [
    "TRACY_WIDOM_GOE_MEAN",
    "additive_model_critical_batch_size",
    "additive_model_edge_centring",
    "additive_model_max_learning_rate",
    "additive_model_top_eigenvalue",
    "additive_model_top_eigenvalue_finite_data",
    "free_convolution_top_eigenvalue",
    "frozen_adam_max_learning_rate",
    "online_sgd_max_learning_rate",
    "perturbative_excess",
    "spiked_wishart_critical_batch_size",
    "spiked_wishart_edge_centring",
    "spiked_wishart_excess_finite_data",
    "spiked_wishart_max_learning_rate",
    "spiked_wishart_top_eigenvalue",
]

_DOCS = {
    "batch_of_data": SNIPPETS["batch_of_data"],
    "sizes": ("n_params : float or array_like\n    :math:`P \\ge 1`.\n"
              "batch_size : float or array_like\n    :math:`B \\ge 1`."),
}

TRACY_WIDOM_GOE_MEAN = -1.2065335745820
"""Mean of the Tracy–Widom law TW₁ (β = 1), to 13 digits (Bornemann 2010, Table 1)."""


def _out(values):
    values = np.asarray(values, dtype=float)
    return float(values) if values.ndim == 0 else values


def _sizes(name: str, value, *, low: float = 1.0) -> np.ndarray:
    """Positive sizes (``>= low``); real values are allowed (the laws are smooth in them)."""
    check_finite(name, value)
    arr = np.asarray(value, dtype=float)
    if np.any(arr < low):
        raise ValueError(f"{name}={value!r} is out of range: must be >= {low!r}")
    return arr


# --------------------------------------------------------------------------- additive model

def _noise_variance(n_params, batch_size, entry_variance):
    p = _sizes("n_params", n_params)
    b = _sizes("batch_size", batch_size)
    check_positive("entry_variance", entry_variance)
    return p * np.asarray(entry_variance, dtype=float) / b


def _additive_top(spike, semicircle_variance):
    spike = np.asarray(spike, dtype=float)
    s = np.sqrt(semicircle_variance)
    return np.where(spike > s, spike + semicircle_variance / np.where(spike > s, spike, 1.0), 2.0 * s)


@fill(_DOCS)
def additive_model_top_eigenvalue(spike, n_params, batch_size, entry_variance=1.0):
    r"""Limit of :math:`\lambda_1(H_B)` in the additive spiked model.

    :math:`H_B = \beta uu^\top + \varepsilon`, :math:`\varepsilon` GOE with entry variance
    :math:`\sigma^2/B`, so its semicircle has variance :math:`s_B^2 = P\sigma^2/B`:

    .. math::

        \lambda_1 = \begin{cases} \beta + \dfrac{P\sigma^2}{B\beta} & \beta > s_B
        \ \ (B > B^* = P\sigma^2/\beta^2) \\[4pt]
        2\sigma\sqrt{P/B} & \text{otherwise (bulk edge).} \end{cases}

    The excess over :math:`\lambda_1(H_{\rm emp}) = \beta` falls like :math:`1/B` above
    :math:`B^*`; below it the top eigenvalue falls like :math:`B^{-1/2}`. Continuous at
    :math:`B^*` (both branches give :math:`2\beta`).

    Parameters
    ----------
    spike : float or array_like
        :math:`\beta > 0`, the top eigenvalue of the full-data Hessian.
    %(sizes)s
    entry_variance : float
        :math:`\sigma^2 > 0`, the variance of one per-sample Hessian entry over the data.

    Returns
    -------
    float or ndarray (broadcast shape)
    """
    check_positive("spike", spike)
    return _out(_additive_top(spike, _noise_variance(n_params, batch_size, entry_variance)))


@fill(_DOCS)
def additive_model_top_eigenvalue_finite_data(spike, n_params, batch_size, n_data, entry_variance=1.0):
    r"""The additive model on ``N`` data: the noise variance carries the exact sampling factor.

    :math:`s_B^2 = P\sigma^2\,\frac{N - B}{B(N - 1)}` (``σ²`` with the ``1/N`` normalisation; with
    the ``1/(N − 1)`` sample variance the factor is exactly :math:`1/B - 1/N`), otherwise as
    :func:`additive_model_top_eigenvalue`. At ``B = N`` it returns :math:`\beta`.

    Parameters
    ----------
    spike, n_params, entry_variance
        As in :func:`additive_model_top_eigenvalue`.
    %(batch_of_data)s

    Returns
    -------
    float or ndarray
    """
    check_positive("spike", spike)
    check_positive("entry_variance", entry_variance)
    factor = without_replacement_factor(batch_size, n_data)
    variance = _sizes("n_params", n_params) * np.asarray(entry_variance, dtype=float) * factor
    return _out(_additive_top(spike, variance))


def additive_model_critical_batch_size(spike, n_params, entry_variance=1.0):
    r""":math:`B^* = P\sigma^2/\beta^2`: the outlier separates from the bulk for :math:`B > B^*`.

    Parameters
    ----------
    spike, n_params, entry_variance
        As in :func:`additive_model_top_eigenvalue`.

    Returns
    -------
    float or ndarray
    """
    check_positive("spike", spike)
    check_positive("entry_variance", entry_variance)
    return _out(_sizes("n_params", n_params) * np.asarray(entry_variance, dtype=float)
                / np.square(np.asarray(spike, dtype=float)))


def additive_model_edge_centring(n_params, batch_size, entry_variance=1.0):
    r"""Finite-size mean of the largest eigenvalue of the GOE noise: :math:`s_B(2 + \mu_1 P^{-2/3})`.

    :math:`P^{2/3}(\lambda_{\max}/s_B - 2) \to \mathrm{TW}_1` for a GOE matrix of semicircle radius
    :math:`2s_B` (Tracy & Widom 1996), whose mean is :math:`\mu_1` =
    :data:`TRACY_WIDOM_GOE_MEAN`. At ``P = 400`` the bare edge :math:`2s_B` is 1.1% above the
    mean maximum; the centring is within 0.05% of it when :math:`\beta/s_B \le 0.5`
    (a sub-critical spike lifts the maximum by ~0.25% at :math:`\beta/s_B = 0.7`).

    Parameters
    ----------
    n_params, batch_size, entry_variance
        As in :func:`additive_model_top_eigenvalue`.

    Returns
    -------
    float or ndarray
    """
    p = _sizes("n_params", n_params)
    s = np.sqrt(_noise_variance(n_params, batch_size, entry_variance))
    return _out(s * (2.0 + TRACY_WIDOM_GOE_MEAN * p ** (-2.0 / 3.0)))


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
        As in :func:`additive_model_top_eigenvalue`.

    Returns
    -------
    float or ndarray
    """
    return _out(2.0 / np.asarray(additive_model_top_eigenvalue(spike, n_params, batch_size, entry_variance)))


def free_convolution_top_eigenvalue(spike, n_params, batch_size, bulk_ratio, bulk_variance=1.0,
                                    entry_variance=1.0) -> float:
    r"""Top eigenvalue of :math:`H_B = W + \beta uu^\top + \varepsilon`: a Marchenko–Pastur bulk plus noise.

    The full-data Hessian has a bulk ``W`` with the Marchenko–Pastur law (ratio
    :math:`q` = ``bulk_ratio``, variance :math:`\sigma_b^2` = ``bulk_variance``) and a spike
    :math:`\beta uu^\top` in a generic direction; the batch noise :math:`\varepsilon` is GOE with
    semicircle variance :math:`s_B^2 = P\sigma^2/B` (Baskerville et al.'s
    :math:`A + s(B)X`). The bulk of :math:`H_B` is :math:`\nu = \mathrm{MP} \boxplus \mathrm{SC}`
    (:mod:`theory.free_convolution`), with right edge :math:`E_+`; the spike gives an outlier at
    the solution of :math:`G_\nu(\lambda) = 1/\beta` when :math:`\beta > 1/G_\nu(E_+)`
    (Benaych-Georges & Nadakuditi 2011), otherwise :math:`\lambda_1 = E_+`. With a vanishing bulk
    (:math:`q \to 0`: ``W`` → :math:`\sigma_b^2 I`) this is :math:`\sigma_b^2` plus
    :func:`additive_model_top_eigenvalue`.

    Parameters
    ----------
    spike : float
        :math:`\beta > 0`.
    n_params, batch_size : float
        :math:`P \ge 1`, :math:`B \ge 1`.
    bulk_ratio : float
        :math:`q` in [1e-12, 1e8] (the domain of :mod:`theory.free_convolution`).
    bulk_variance : float
        :math:`\sigma_b^2 > 0`.
    entry_variance : float
        :math:`\sigma^2 > 0`.

    Returns
    -------
    float
    """
    check_positive("spike", spike)
    for name, value in (("spike", spike), ("n_params", n_params), ("batch_size", batch_size)):
        if np.ndim(value) != 0:
            raise ValueError(f"{name}={value!r} is out of range: must be a single number")
    noise = float(_noise_variance(n_params, batch_size, entry_variance))
    law = {"ratio": bulk_ratio, "noise_variance": noise, "variance": bulk_variance}
    edge = float(mp_semicircle_edges(**law)[-1])
    beta = float(spike)
    if beta * float(mp_semicircle_hilbert(edge, **law)) <= 1.0:
        return edge
    # G decreases from G(E₊) > 1/β to G(E₊ + β) <= 1/β (G(x) <= 1/(x − E₊) beyond the support)
    return float(brentq(lambda x: mp_semicircle_hilbert(x, **law) - 1.0 / beta,
                        edge, edge + beta, xtol=1e-14 * (edge + beta), rtol=4 * np.finfo(float).eps))


# --------------------------------------------------------------------------- spiked Wishart

def _ratio(n_params, batch_size):
    return _sizes("n_params", n_params) / _sizes("batch_size", batch_size)


@fill(_DOCS)
def spiked_wishart_top_eigenvalue(spike, n_params, batch_size):
    r"""Limit of :math:`\lambda_1(X_B^\top X_B/B)`, rows :math:`x \sim N(0, I + (\ell - 1)ee^\top)`.

    The batch Hessian of least squares. With :math:`\gamma = P/B`:

    .. math::

        \lambda_1 = \begin{cases} \ell\left(1 + \dfrac{\gamma}{\ell - 1}\right) & \ell > 1 + \sqrt\gamma \\[4pt]
        (1 + \sqrt\gamma)^2 & \text{otherwise (Marchenko–Pastur edge).} \end{cases}

    The excess over :math:`\ell` is :math:`\ell P/((\ell - 1)B)`: :math:`\propto 1/B`, with a
    larger constant than the additive model's (:math:`P/(B(\ell - 1))` for :math:`\theta = \ell - 1`,
    :math:`\sigma = 1`). For :math:`B \ll P` the edge is :math:`\approx P/B`.

    Parameters
    ----------
    spike : float or array_like
        :math:`\ell > 0`, the top population eigenvalue (the others are 1).
    %(sizes)s

    Returns
    -------
    float or ndarray
    """
    check_positive("spike", spike)
    ell = np.asarray(spike, dtype=float)
    gamma = _ratio(n_params, batch_size)
    outlier = ell > 1.0 + np.sqrt(gamma)
    excess = gamma / np.where(outlier, ell - 1.0, 1.0)
    return _out(np.where(outlier, ell * (1.0 + excess), (1.0 + np.sqrt(gamma)) ** 2))


def spiked_wishart_critical_batch_size(spike, n_params):
    r""":math:`B^* = P/(\ell - 1)^2`: the spiked-Wishart outlier separates for :math:`B > B^*`.

    Parameters
    ----------
    spike : float or array_like
        :math:`\ell > 1`.
    n_params : float or array_like
        :math:`P \ge 1`.

    Returns
    -------
    float or ndarray
    """
    check_finite("spike", spike)
    if np.any(np.asarray(spike, dtype=float) <= 1.0):
        raise ValueError(f"spike={spike!r} is out of range: must be > 1 (no outlier otherwise)")
    return _out(_sizes("n_params", n_params) / np.square(np.asarray(spike, dtype=float) - 1.0))


@fill(_DOCS)
def spiked_wishart_excess_finite_data(spike, n_params, batch_size, n_data):
    r""":math:`E\lambda_1(H_B) - E\lambda_1(H_{\rm emp}) = \frac{\ell P}{\ell - 1}\left(\frac1B - \frac1N\right)`.

    Least squares on ``N`` Gaussian rows, batches without replacement. Each batch is ``B`` i.i.d.
    rows, so :math:`H_B` is marginally the spiked Wishart matrix of ratio :math:`P/B` whatever
    ``N``, and :math:`H_{\rm emp}` is the one of ratio :math:`P/N`; the difference of the two
    outlier locations is this (both ``B`` and ``N`` in the outlier regime). Averaged over data
    sets: a single data set adds its own fluctuation of :math:`\lambda_1(H_{\rm emp})`.

    Parameters
    ----------
    spike : float
        :math:`\ell > 1 + \sqrt{P/B}`.
    n_params : float
        :math:`P \ge 1`.
    %(batch_of_data)s

    Returns
    -------
    float or ndarray
    """
    check_finite("spike", spike)
    ell = np.asarray(spike, dtype=float)
    b = np.asarray(batch_size, dtype=float)
    without_replacement_factor(batch_size, n_data)  # validates B in [1, N]
    p = _sizes("n_params", n_params)
    if np.any(ell <= 1.0 + np.sqrt(p / b)):
        raise ValueError(f"spike={spike!r} is out of range: must be above 1 + sqrt(n_params/batch_size) "
                         "(the outlier regime)")
    return _out(ell * p / (ell - 1.0) * (1.0 / b - 1.0 / n_data))


def spiked_wishart_edge_centring(n_params, batch_size):
    r"""Finite-size mean of :math:`\lambda_{\max}(X^\top X/B)`, ``X`` a ``B × P`` standard Gaussian.

    Johnstone's centring and scaling (2001) with :math:`n = \max(B, P)`, :math:`p = \min(B, P)`:
    :math:`\mu = (\sqrt{n - 1} + \sqrt p)^2`, :math:`\sigma_J = (\sqrt{n - 1} + \sqrt p)
    (1/\sqrt{n - 1} + 1/\sqrt p)^{1/3}`, and :math:`E\lambda_{\max} \approx (\mu + \mu_1\sigma_J)/B`
    with :math:`\mu_1` = :data:`TRACY_WIDOM_GOE_MEAN`. Against simulation at ``P = 400``: within
    1% for :math:`5 \le B \le 40`, 1.4% at ``B = 2``; the bare edge :math:`(1 + \sqrt{P/B})^2` is
    2.7–6.7% high there.

    Parameters
    ----------
    n_params, batch_size : float or array_like
        :math:`P \ge 2`, :math:`B \ge 2` (``p = 1`` has no Tracy–Widom limit).

    Returns
    -------
    float or ndarray
    """
    p_ = _sizes("n_params", n_params, low=2.0)
    b = _sizes("batch_size", batch_size, low=2.0)
    n, p = np.maximum(p_, b), np.minimum(p_, b)
    root = np.sqrt(n - 1.0) + np.sqrt(p)
    scale = root * (1.0 / np.sqrt(n - 1.0) + 1.0 / np.sqrt(p)) ** (1.0 / 3.0)
    return _out((root * root + TRACY_WIDOM_GOE_MEAN * scale) / b)


def spiked_wishart_max_learning_rate(spike, n_params, batch_size):
    r"""Per-step rule :math:`2/\lambda_1(H_B)` for least squares with a spiked covariance.

    :math:`2/(1 + \sqrt{P/B})^2 \approx 2B/P` for :math:`B \ll P` (linear in ``B``), saturating
    at :math:`2/\ell` for :math:`B \gg P/(\ell - 1)^2`.

    Parameters
    ----------
    spike, n_params, batch_size
        As in :func:`spiked_wishart_top_eigenvalue`.

    Returns
    -------
    float or ndarray
    """
    return _out(2.0 / np.asarray(spiked_wishart_top_eigenvalue(spike, n_params, batch_size)))


# --------------------------------------------------------------------------- learning rates

@fill(_DOCS)
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
    %(sizes)s

    Returns
    -------
    float or ndarray
    """
    p = _sizes("n_params", n_params)
    b = _sizes("batch_size", batch_size)
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


# --------------------------------------------------------------------------- any model

def perturbative_excess(eigenvalues, eigenvectors, sample_hessian_top_products) -> float:
    r"""Constant :math:`\kappa` of :math:`E\lambda_1(H_B) - \lambda_1(H_{\rm emp}) \approx p(B, N)\,\kappa`.

    Second-order perturbation theory for :math:`H_B = H_{\rm emp} + \varepsilon`:
    :math:`\lambda_1(H_B) = \lambda_1 + u_1^\top\varepsilon u_1 + \sum_{k\ge2}
    (u_k^\top\varepsilon u_1)^2/(\lambda_1 - \lambda_k) + O(\varepsilon^3)`. The first-order
    term has mean zero; the second has mean :math:`p\,\kappa` with
    :math:`\kappa = \sum_{k\ge2}\frac1N\sum_i (u_k^\top H_i u_1)^2/(\lambda_1 - \lambda_k)` (since
    :math:`u_k^\top H_{\rm emp}u_1 = 0`) and the exact without-replacement factor
    :math:`p = (N - B)/(B(N - 1))`. Field-dependent: ``κ`` is computed from the per-sample
    Hessians at the point ``w`` where they are evaluated. For the additive model
    :math:`\kappa p = s_B^2/\beta` and the expansion is exact in the limit; in general it needs
    the noise to be small against the gap :math:`\lambda_1 - \lambda_2` [our derivation].

    Parameters
    ----------
    eigenvalues : array_like, shape (P,)
        Eigenvalues of :math:`H_{\rm emp}`, ascending (``numpy.linalg.eigh`` order), with a
        simple largest one.
    eigenvectors : array_like, shape (P, P)
        The matching orthonormal eigenvectors as columns.
    sample_hessian_top_products : array_like, shape (N, P)
        Row ``i`` is :math:`H_i u_1` (:math:`u_1` the last column of ``eigenvectors``).

    Returns
    -------
    float
        :math:`\kappa \ge 0`.
    """
    lam = np.asarray(eigenvalues, dtype=float)
    vectors = np.asarray(eigenvectors, dtype=float)
    products = np.asarray(sample_hessian_top_products, dtype=float)
    check_finite("eigenvalues", lam)
    check_finite("eigenvectors", vectors)
    check_finite("sample_hessian_top_products", products)
    if lam.ndim != 1 or lam.size < 2:
        raise ValueError(f"eigenvalues with shape {lam.shape} is out of range: must be of shape (P,), P >= 2")
    if vectors.shape != (lam.size, lam.size):
        raise ValueError(f"eigenvectors with shape {vectors.shape} is out of range: must be of shape "
                         f"({lam.size}, {lam.size})")
    if products.ndim != 2 or products.shape[1] != lam.size:
        raise ValueError(f"sample_hessian_top_products with shape {products.shape} is out of range: must be "
                         f"of shape (N, {lam.size})")
    if np.any(np.diff(lam) < 0) or lam[-1] <= lam[-2]:
        raise ValueError(f"eigenvalues={lam!r} is out of range: must be ascending with a simple largest one")
    projections = products @ vectors[:, :-1]              # (N, P − 1): u_kᵀ H_i u_1
    return float(np.sum(np.mean(projections ** 2, axis=0) / (lam[-1] - lam[:-1])))
