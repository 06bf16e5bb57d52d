r"""Moments of the two-point (SPSA / MeZO) zeroth-order gradient estimator.

With ``K`` i.i.d. random directions :math:`z_k \in \mathbb R^d` (isotropic:
:math:`E\,zz^\top = I`) and a smoothing radius :math:`\varepsilon`, the estimator is

.. math::

    \hat g = \frac1K \sum_{k=1}^K \frac{L(\theta + \varepsilon z_k) - L(\theta - \varepsilon z_k)}
                                      {2\varepsilon}\, z_k .

Three direction laws: ``"gaussian"`` (:math:`z \sim N(0, I_d)`), ``"sphere"`` (uniform on the
sphere of radius :math:`\sqrt d`) and ``"rademacher"`` (i.i.d. :math:`\pm 1` entries).

* Unbiasedness (Gaussian directions, Stein's lemma): :math:`E\hat g = \nabla L_\varepsilon(\theta)`,
  :math:`L_\varepsilon(\theta) = E\,L(\theta + \varepsilon z)` (Nesterov & Spokoiny 2017). By the
  symmetry :math:`z \to -z` the two-point quotient has the same mean as
  :math:`L(\theta + \varepsilon z) z/\varepsilon`, and Stein's lemma turns that into
  :math:`E\nabla L(\theta + \varepsilon z)`.
* For a quadratic :math:`L` the quotient is exactly :math:`g\cdot z` with :math:`g = \nabla L(\theta)`
  (the curvature cancels between :math:`\pm\varepsilon`), so :math:`\hat g = \frac1K\sum_k z_k z_k^\top g`
  for every :math:`\varepsilon`, and for any symmetric :math:`H`

  .. math::

      E\,\hat g^\top H \hat g = \frac1K Q + \Big(1 - \frac1K\Big) g^\top H g,\qquad
      Q = E\,(z\cdot g)^2\, z^\top H z,

  the cross terms :math:`k \ne l` factorising through :math:`E\,zz^\top = I`. Fourth moments give
  :math:`Q = \lVert g\rVert^2 \operatorname{Tr} H + 2 g^\top H g` (Gaussian: Isserlis),
  :math:`\frac{d}{d+2}(\lVert g\rVert^2\operatorname{Tr}H + 2g^\top Hg)` (sphere:
  :math:`E u_iu_ju_ku_l = (\delta_{ij}\delta_{kl} + \delta_{ik}\delta_{jl} + \delta_{il}\delta_{jk})/(d(d+2))`
  for :math:`u` uniform on the unit sphere), and
  :math:`\lVert g\rVert^2\operatorname{Tr}H + 2g^\top Hg - 2\sum_i g_i^2 H_{ii}` (Rademacher:
  the Gaussian value less the :math:`i = j = k = l` excess :math:`E z_i^4 - 3 = -2`).
* :math:`H = I` gives the second moment of the MeZO lemma,
  :math:`E\lVert\hat g\rVert^2 / \lVert g\rVert^2 = (d + K + 1)/K` (Gaussian) and
  :math:`(d + K - 1)/K` (sphere, Rademacher). MeZO's Lemma 2 constant :math:`(d + n - 1)/n` is the
  sphere/Rademacher one.
* For :math:`L(\theta) = \frac12(\theta - \theta^*)^\top H(\theta - \theta^*)` one step
  :math:`\theta \to \theta - \eta\hat g` changes the loss by exactly
  :math:`-\eta\, g\cdot\hat g + \frac{\eta^2}2 \hat g^\top H\hat g`, whose mean is
  :math:`-\eta\lVert g\rVert^2 + \frac{\eta^2}2 E\,\hat g^\top H\hat g`; the expected loss
  decreases iff :math:`\eta < \eta^* = 2\lVert g\rVert^2 / E\,\hat g^\top H\hat g`, which for
  Gaussian directions and :math:`K = 1` is :math:`2\lVert g\rVert^2/(\lVert g\rVert^2\operatorname{Tr}H
  + 2g^\top Hg) \approx 2/\operatorname{Tr}H` — the trace, not gradient descent's
  :math:`2/\lambda_{\max}(H)`.

References
----------
E. Zelikman, Q. Huang, P. Liang, N. Haber, N. D. Goodman (2023), "Just One Byte (per
gradient)", arXiv:2306.10015. S. Malladi, T. Gao, E. Nichani, A. Damian, J. D. Lee, D. Chen,
S. Arora (2023), "Fine-Tuning Language Models with Just Forward Passes" (MeZO),
arXiv:2305.17333, Lemma 2. Y. Nesterov, V. Spokoiny (2017), "Random gradient-free
minimization of convex functions", Found. Comput. Math. 17:527.
"""

from __future__ import annotations

import numpy as np

from theory._validate import check_finite, check_integer, check_positive

__all__ = [
    "DIRECTION_LAWS",
    "nonquadratic_smoothed_gradient",
    "spsa_critical_step",
    "spsa_one_step_change",
    "spsa_quadratic_form",
    "spsa_second_moment_ratio",
]

DIRECTION_LAWS = ("gaussian", "sphere", "rademacher")
"""Direction laws of the estimator, all isotropic (``E zzᵀ = I``)."""


def _check_law(distribution: str) -> None:
    if distribution not in DIRECTION_LAWS:
        raise ValueError(f"distribution={distribution!r} is out of range: must be one of "
                         + ", ".join(DIRECTION_LAWS))


def _scalar_or_array(values: np.ndarray):
    return values[()] if values.ndim == 0 else values


def _check_quadratic(hessian, gradient) -> tuple[np.ndarray, np.ndarray]:
    check_finite("hessian", hessian)
    h = np.asarray(hessian, dtype=float)
    if h.ndim != 2 or h.shape[0] != h.shape[1] or h.shape[0] < 1:
        raise ValueError(f"hessian of shape {np.shape(h)} is out of range: must be a square matrix")
    if not np.allclose(h, h.T, rtol=1e-12, atol=1e-12 * np.max(np.abs(h), initial=0.0)):
        raise ValueError("hessian is out of range: must be symmetric")
    check_finite("gradient", gradient)
    g = np.asarray(gradient, dtype=float)
    if g.shape != (h.shape[0],):
        raise ValueError(f"gradient of shape {np.shape(g)} is out of range: must be ({h.shape[0]},)")
    return h, g


def spsa_second_moment_ratio(dim, n_directions, distribution: str = "gaussian"):
    r"""Normalised second moment :math:`E\lVert\hat g\rVert^2 / \lVert\nabla L\rVert^2` of the estimator.

    Exact for a quadratic loss at every :math:`\varepsilon` (and for any smooth loss as
    :math:`\varepsilon \to 0`):

    .. math::

        \frac{E\lVert\hat g\rVert^2}{\lVert\nabla L\rVert^2} =
        \begin{cases} (d + K + 1)/K & \text{Gaussian directions,}\\
                      (d + K - 1)/K & \text{sphere of radius } \sqrt d \text{ or Rademacher.}
        \end{cases}

    Parameters
    ----------
    dim : int or array_like of int
        Dimension :math:`d \ge 1`.
    n_directions : int or array_like of int
        Number :math:`K \ge 1` of directions averaged (broadcast against ``dim``).
    distribution : {"gaussian", "sphere", "rademacher"}
        Law of the directions.

    Returns
    -------
    float or ndarray
        The ratio, :math:`\ge 1` (equal to 1 only for :math:`d = 1` with ±1 directions).

    References
    ----------
    Malladi et al. (2023), MeZO, arXiv:2305.17333, Lemma 2 (the sphere constant).
    """
    check_integer("dim", dim, 1)
    check_integer("n_directions", n_directions, 1)
    _check_law(distribution)
    d = np.asarray(dim, dtype=float)
    k = np.asarray(n_directions, dtype=float)
    extra = 1.0 if distribution == "gaussian" else -1.0
    return _scalar_or_array((d + k + extra) / k)


def _single_direction_moment(h: np.ndarray, g: np.ndarray, distribution: str) -> float:
    """``Q = E (z·g)² zᵀHz`` for one direction (module docstring)."""
    d = h.shape[0]
    gaussian = float(g @ g) * float(np.trace(h)) + 2.0 * float(g @ h @ g)
    if distribution == "gaussian":
        return gaussian
    if distribution == "sphere":
        return gaussian * d / (d + 2.0)
    return gaussian - 2.0 * float(np.sum(g * g * np.diag(h)))


def spsa_quadratic_form(hessian, gradient, n_directions, distribution: str = "gaussian"):
    r""":math:`E\,\hat g^\top H\hat g` for a quadratic loss with Hessian :math:`H` and gradient :math:`g`.

    .. math:: E\,\hat g^\top H\hat g = \frac1K Q + \Big(1 - \frac1K\Big) g^\top H g

    with :math:`Q = E(z\cdot g)^2 z^\top Hz` given in the module docstring for each direction law.

    Parameters
    ----------
    hessian : array_like, shape (d, d)
        Symmetric matrix :math:`H`.
    gradient : array_like, shape (d,)
        :math:`g = \nabla L(\theta)`.
    n_directions : int or array_like of int
        :math:`K \ge 1`.
    distribution : {"gaussian", "sphere", "rademacher"}

    Returns
    -------
    float or ndarray
        One value per ``n_directions``.
    """
    h, g = _check_quadratic(hessian, gradient)
    check_integer("n_directions", n_directions, 1)
    _check_law(distribution)
    k = np.asarray(n_directions, dtype=float)
    q = _single_direction_moment(h, g, distribution)
    return _scalar_or_array(q / k + (1.0 - 1.0 / k) * float(g @ h @ g))


def spsa_one_step_change(step, hessian, gradient, n_directions, distribution: str = "gaussian"):
    r"""Expected change of a quadratic loss after one zeroth-order step :math:`\theta \to \theta - \eta\hat g`.

    .. math:: E\,L(\theta - \eta\hat g) - L(\theta) = -\eta\lVert g\rVert^2
              + \frac{\eta^2}{2}\, E\,\hat g^\top H\hat g

    (exact for :math:`L(\theta) = \frac12(\theta - \theta^*)^\top H(\theta - \theta^*)`,
    :math:`g = H(\theta - \theta^*)`).

    Parameters
    ----------
    step : float or array_like
        Step sizes :math:`\eta \ge 0`.
    hessian, gradient, n_directions, distribution
        As in :func:`spsa_quadratic_form` (``n_directions`` broadcast against ``step``).

    Returns
    -------
    float or ndarray
    """
    check_positive("step", step, allow_zero=True)
    eta = np.asarray(step, dtype=float)
    quad = np.asarray(spsa_quadratic_form(hessian, gradient, n_directions, distribution))
    g = np.asarray(gradient, dtype=float)
    return _scalar_or_array(-eta * float(g @ g) + 0.5 * eta ** 2 * quad)


def spsa_critical_step(hessian, gradient, n_directions, distribution: str = "gaussian"):
    r"""Largest step for which one zeroth-order step decreases a quadratic loss on average.

    .. math:: \eta^* = \frac{2\lVert g\rVert^2}{E\,\hat g^\top H\hat g}
              \;\overset{K = 1,\ \text{Gaussian}}{=}\;
              \frac{2\lVert g\rVert^2}{\lVert g\rVert^2\operatorname{Tr}H + 2g^\top Hg}

    Parameters
    ----------
    hessian : array_like, shape (d, d)
        Symmetric positive semi-definite :math:`H`.
    gradient : array_like, shape (d,)
        Non-zero :math:`g`.
    n_directions, distribution
        As in :func:`spsa_quadratic_form`.

    Returns
    -------
    float or ndarray
        :math:`\eta^* > 0`; ``inf`` where :math:`E\,\hat g^\top H\hat g = 0` (every step descends).
    """
    h, g = _check_quadratic(hessian, gradient)
    if np.min(np.linalg.eigvalsh(h)) < -1e-12 * max(1.0, float(np.max(np.abs(h)))):
        raise ValueError("hessian is out of range: must be positive semi-definite")
    if not np.any(g):
        raise ValueError("gradient=0 is out of range: must be non-zero")
    quad = np.asarray(spsa_quadratic_form(h, g, n_directions, distribution), dtype=float)
    positive = quad > 0
    out = np.full(quad.shape, np.inf)
    np.divide(2.0 * float(g @ g), quad, out=out, where=positive)
    return _scalar_or_array(out)


def nonquadratic_smoothed_gradient(theta, direction, epsilon):
    r"""Gradient of the Gaussian smoothing of the non-quadratic test loss of the claim.

    The test loss (the same formula as :func:`simulate.zeroth_order.nonquadratic_loss`) is

    .. math:: L(\theta) = \sum_i \Big(\frac{\theta_i^4}{4} - \cos\theta_i\Big) + e^{v\cdot\theta},

    and its smoothing :math:`L_\varepsilon(\theta) = E\,L(\theta + \varepsilon z)`,
    :math:`z \sim N(0, I)`, has the closed-form gradient

    .. math:: \nabla L_\varepsilon(\theta) = \theta^3 + 3\varepsilon^2\theta
              + e^{-\varepsilon^2/2}\sin\theta + v\, e^{v\cdot\theta + \varepsilon^2\lVert v\rVert^2/2}

    (:math:`E(\theta + \varepsilon z)^3 = \theta^3 + 3\varepsilon^2\theta`,
    :math:`E\sin(\theta + \varepsilon z) = e^{-\varepsilon^2/2}\sin\theta`, the Gaussian moment
    generating function for the exponential). ``epsilon = 0`` gives :math:`\nabla L`.

    Parameters
    ----------
    theta : array_like, shape (d,)
    direction : array_like, shape (d,)
        :math:`v`.
    epsilon : float
        Smoothing radius :math:`\varepsilon \ge 0`.

    Returns
    -------
    ndarray, shape (d,)
    """
    check_finite("theta", theta)
    check_finite("direction", direction)
    check_positive("epsilon", epsilon, allow_zero=True)
    t = np.atleast_1d(np.asarray(theta, dtype=float))
    v = np.atleast_1d(np.asarray(direction, dtype=float))
    if t.ndim != 1 or v.shape != t.shape:
        raise ValueError(f"direction of shape {v.shape} is out of range: must be {t.shape}, theta's shape")
    eps2 = float(epsilon) ** 2
    return (t ** 3 + 3.0 * eps2 * t + np.exp(-0.5 * eps2) * np.sin(t)
            + v * np.exp(float(v @ t) + 0.5 * eps2 * float(v @ v)))
