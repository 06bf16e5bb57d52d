r"""Top eigenvalue of a mini-batch Hessian versus batch size, in explicit spiked models.

Granziol, Zohren & Roberts, "Learning rates as a function of batch size: a random matrix theory
approach to neural network training", JMLR 23(173), 2022, arXiv:2006.09092. What the paper states
(its abstract): the batch Hessian is the full-data Hessian plus a fluctuation that grows as the
batch shrinks ("spiked, field-dependent random matrix theory"); its extremal eigenvalues are larger
in magnitude than those of the full-data Hessian (also for the Gauss–Newton matrix); hence the
largest stable learning rate grows linearly in the batch size ``B`` for SGD and like
:math:`\sqrt B` for adaptive methods. The constants below are **our derivation** for explicit
models (the theorem text was not available when this module was written); each function says
which model it describes. The learning rates are in :mod:`theory.hessian_batch_learning_rate`,
the excess for any model by perturbation theory in :mod:`theory.hessian_batch_perturbation`.

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
from theory._validate import check_finite, check_positive, sizes
from theory.free_convolution import mp_semicircle_edges, mp_semicircle_hilbert
from theory.sgd_stability import without_replacement_factor

__all__ = [
    "TRACY_WIDOM_GOE_MEAN",
    "additive_model_critical_batch_size",
    "additive_model_edge_centring",
    "additive_model_top_eigenvalue",
    "additive_model_top_eigenvalue_finite_data",
    "free_convolution_top_eigenvalue",
    "spiked_wishart_critical_batch_size",
    "spiked_wishart_edge_centring",
    "spiked_wishart_excess_finite_data",
    "spiked_wishart_top_eigenvalue",
]

TRACY_WIDOM_GOE_MEAN = -1.2065335745820
"""Mean of the Tracy–Widom law TW₁ (β = 1), to 13 digits (Bornemann 2010, Table 1)."""


def _out(values):
    values = np.asarray(values, dtype=float)
    return float(values) if values.ndim == 0 else values


# --------------------------------------------------------------------------- additive model

def _noise_variance(n_params, batch_size, entry_variance):
    p = sizes("n_params", n_params)
    b = sizes("batch_size", batch_size)
    check_positive("entry_variance", entry_variance)
    return p * np.asarray(entry_variance, dtype=float) / b


def _additive_top(spike, semicircle_variance):
    spike = np.asarray(spike, dtype=float)
    s = np.sqrt(semicircle_variance)
    return np.where(spike > s, spike + semicircle_variance / np.where(spike > s, spike, 1.0), 2.0 * s)


@fill(SNIPPETS)
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
    %(n_params_batch_size)s
    entry_variance : float
        :math:`\sigma^2 > 0`, the variance of one per-sample Hessian entry over the data.

    Returns
    -------
    float or ndarray (broadcast shape)
    """
    check_positive("spike", spike)
    return _out(_additive_top(spike, _noise_variance(n_params, batch_size, entry_variance)))


@fill(SNIPPETS)
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
    variance = sizes("n_params", n_params) * np.asarray(entry_variance, dtype=float) * factor
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
    return _out(sizes("n_params", n_params) * np.asarray(entry_variance, dtype=float)
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
    p = sizes("n_params", n_params)
    s = np.sqrt(_noise_variance(n_params, batch_size, entry_variance))
    return _out(s * (2.0 + TRACY_WIDOM_GOE_MEAN * p ** (-2.0 / 3.0)))


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
    return sizes("n_params", n_params) / sizes("batch_size", batch_size)


@fill(SNIPPETS)
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
    %(n_params_batch_size)s

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
    return _out(sizes("n_params", n_params) / np.square(np.asarray(spike, dtype=float) - 1.0))


@fill(SNIPPETS)
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
    p = sizes("n_params", n_params)
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
    p_ = sizes("n_params", n_params, low=2.0)
    b = sizes("batch_size", batch_size, low=2.0)
    n, p = np.maximum(p_, b), np.minimum(p_, b)
    root = np.sqrt(n - 1.0) + np.sqrt(p)
    scale = root * (1.0 / np.sqrt(n - 1.0) + 1.0 / np.sqrt(p)) ** (1.0 / 3.0)
    return _out((root * root + TRACY_WIDOM_GOE_MEAN * scale) / b)
