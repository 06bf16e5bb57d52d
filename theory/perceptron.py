r"""Generalisation error of the sign-teacher perceptron: Bayes-optimal, Gibbs and Hebb learning.

Teacher–student setting of Engel & Van den Broeck, *Statistical Mechanics of Learning*
(CUP 2001), ch. 2–3: inputs :math:`x_\mu \sim N(0, I_d)`, a teacher :math:`w^*` with
:math:`|w^*|^2 = d`, labels :math:`y_\mu = \operatorname{sign}(w^*\cdot x_\mu/\sqrt d)`,
:math:`n = \alpha d` examples. A student with normalised overlap :math:`R` with the teacher
disagrees on a fresh input with probability :math:`\varepsilon = \arccos(R)/\pi`.

The replica-symmetric overlap :math:`q(\alpha) \in (0, 1)` of the Bayes-optimal estimator
(proven by Barbier, Krzakala, Macris, Miolane & Zdeborová 2019, arXiv:1708.03395) solves

.. math::

    \frac{q}{\sqrt{1 - q}} = \frac{2\alpha}{\pi}\, I(q), \qquad
    I(q) = \int Dz\, \frac{1}{\operatorname{erfcx}(z\sqrt{q/2})}
         = \frac12 \int Dz\, \frac{e^{-q z^2/2}}{H(\sqrt q\, z)},

the second form being Engel & Van den Broeck's (eq. 3.38 there). Everything below is written
in the conjugate :math:`\hat q = q/(1 - q)`, in which the fixed point reads
:math:`\hat q = (2\alpha/\pi)\sqrt{1 + \hat q}\; I(\hat q/(1 + \hat q))` and the errors have
forms that keep every digit when :math:`q \to 1` (large :math:`\alpha`):

* Bayes-optimal (centre of mass, reached by GAMP): :math:`R = \sqrt q`,
  :math:`\varepsilon_B = \arccos(\sqrt q)/\pi = \arctan(1/\sqrt{\hat q})/\pi`;
* Gibbs (one posterior sample; Nishimori: :math:`R = q`):
  :math:`\varepsilon_G = \arccos(q)/\pi = 2\arctan(1/\sqrt{1 + 2\hat q})/\pi`;
* Hebb (:math:`J = \sum_\mu y_\mu x_\mu`): :math:`R = \sqrt{2\alpha/(2\alpha + \pi)}`,
  :math:`\varepsilon_H = \arctan\sqrt{\pi/(2\alpha)}/\pi`.

Small :math:`\alpha`: :math:`q \approx 2\alpha/\pi`. Large :math:`\alpha`:
:math:`\varepsilon_B \approx 1/(2 I(1)\alpha) = 0.4417/\alpha`,
:math:`\varepsilon_G \approx 1/(\sqrt2 I(1)\alpha) = 0.6247/\alpha`.

:math:`I(q)` is computed by Gauss–Hermite quadrature (201 nodes) of the erfcx form, whose
integrand is smooth and grows only linearly; it matches 30-digit mpmath to 2e-16.
"""

from __future__ import annotations

import functools
import textwrap

import numpy as np
from scipy.special import erfcx

from theory._docstrings import fill
from theory._validate import check_positive, integer
from theory.fixed_point import solve_fixed_point

__all__ = [
    "perceptron_bayes_error",
    "perceptron_gibbs_error",
    "perceptron_hebb_error",
    "perceptron_overlap",
    "perceptron_state_evolution",
]

_ALPHA = "alpha : float or array_like\n    Sample ratio :math:`n/d \\ge 0`."


def _sections(returns: str) -> str:
    """Parameters (``alpha``) and Returns (``float or ndarray``, then ``returns``) of a law of ``alpha``."""
    head = f"Parameters\n----------\n{_ALPHA}\n\nReturns\n-------\nfloat or ndarray\n"
    return head + textwrap.indent(returns, "    ")


_DOCS = {
    "alpha": _ALPHA,
    "error_of_alpha": _sections(r"In (0, 1/2]; 1/2 at :math:`\alpha = 0`."),
    "overlap_of_alpha": _sections(
        r":math:`q \in [0, 1)`; 0 at :math:`\alpha = 0`, :math:`\approx 2\alpha/\pi` for small" "\n"
        r":math:`\alpha`, :math:`1 - q \approx \pi^2/(4 I(1)^2\alpha^2)` for large :math:`\alpha`."),
}

_HERMITE_NODES = 201
_TOL = 1e-15  # on log q̂: relative accuracy of q̂ (the map contracts by at most 1/2)


@functools.cache
def _hermite() -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of ``∫ Dz f(z) ≈ Σ w_j f(z_j)`` (probabilists' Hermite)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(_HERMITE_NODES)
    return nodes, weights / np.sqrt(2.0 * np.pi)


def _overlap_integral(q: np.ndarray) -> np.ndarray:
    """:math:`I(q) = \\int Dz / \\mathrm{erfcx}(z\\sqrt{q/2})`, elementwise over ``q`` in [0, 1]."""
    nodes, weights = _hermite()
    root = np.sqrt(0.5 * np.asarray(q, dtype=float))
    return np.tensordot(weights, 1.0 / erfcx(np.multiply.outer(nodes, root)), axes=1)


def _conjugate_update(alpha: np.ndarray, q_hat: np.ndarray) -> np.ndarray:
    r"""One state-evolution step in the conjugate: :math:`\hat q \mapsto (2\alpha/\pi)\sqrt{1+\hat q}\,I(\hat q/(1+\hat q))`."""
    return (2.0 * alpha / np.pi) * np.sqrt(1.0 + q_hat) * _overlap_integral(q_hat / (1.0 + q_hat))


def _conjugate_overlap(alpha: np.ndarray) -> np.ndarray:
    r"""Fixed point :math:`\hat q(\alpha)` (0 at :math:`\alpha = 0`), by the shared solver in :math:`\log\hat q`.

    The map contracts by :math:`F'(\hat q^*) \le 1/2` at every :math:`\alpha` (it tends to 1/2
    as :math:`\alpha \to \infty`), and in :math:`\log\hat q` the contraction is the same, so an
    absolute tolerance there is a relative one on :math:`\hat q` at every scale. The start is
    the first state-evolution step from :math:`q = 0`, :math:`\hat q = 2\alpha/\pi`.
    """
    positive = alpha > 0
    a = alpha[positive]
    q_hat = np.zeros(alpha.shape)
    if a.size:
        result = solve_fixed_point(lambda log_q: np.log(_conjugate_update(a, np.exp(log_q))),
                                   np.log(2.0 * a / np.pi), tol=_TOL, max_iter=500)
        q_hat[positive] = np.exp(result.value)
    return q_hat


def _prepare(alpha) -> np.ndarray:
    check_positive("alpha", alpha, allow_zero=True)
    return np.asarray(alpha, dtype=float)


def _scalar_or_array(values: np.ndarray):
    return values[()] if values.ndim == 0 else values


@fill(_DOCS)
def perceptron_overlap(alpha):
    r"""Replica-symmetric overlap :math:`q(\alpha)` of the Bayes-optimal perceptron student.

    The root in (0, 1) of :math:`q/\sqrt{1-q} = (2\alpha/\pi) I(q)` with
    :math:`I(q) = \int Dz/\operatorname{erfcx}(z\sqrt{q/2})` (Györgyi & Tishby 1990; Engel &
    Van den Broeck 2001, ch. 3; Barbier et al. 2019, arXiv:1708.03395). By the Nishimori
    identity it is both the teacher–estimate overlap :math:`\hat w\cdot w^*/d` and the squared
    norm :math:`|\hat w|^2/d` of the posterior mean.

    %(overlap_of_alpha)s
    """
    q_hat = _conjugate_overlap(_prepare(alpha))
    return _scalar_or_array(q_hat / (1.0 + q_hat))


@fill(_DOCS)
def perceptron_bayes_error(alpha):
    r"""Bayes-optimal generalisation error :math:`\varepsilon_B = \arccos(\sqrt{q(\alpha)})/\pi`.

    The error of the posterior mean (centre of mass of the version space), which GAMP attains.
    Evaluated as :math:`\arctan(1/\sqrt{\hat q})/\pi` with :math:`\hat q = q/(1-q)`, exact to
    rounding also when :math:`q \to 1`. Large :math:`\alpha`:
    :math:`\varepsilon_B \approx 0.44170/\alpha` (Opper & Haussler 1991; Engel & Van den
    Broeck 2001, eq. 3.41).

    %(error_of_alpha)s
    """
    q_hat = _conjugate_overlap(_prepare(alpha))
    return _scalar_or_array(np.arctan2(1.0, np.sqrt(q_hat)) / np.pi)


@fill(_DOCS)
def perceptron_gibbs_error(alpha):
    r"""Gibbs-learning error :math:`\varepsilon_G = \arccos(q(\alpha))/\pi` (one posterior sample).

    A posterior sample has overlap :math:`R = q` with the teacher (Nishimori identity), so
    :math:`\varepsilon_G` uses the same :math:`q` as :func:`perceptron_bayes_error`; evaluated as
    :math:`2\arctan(1/\sqrt{1 + 2\hat q})/\pi`. Large :math:`\alpha`:
    :math:`\varepsilon_G \approx 0.62466/\alpha` (Engel & Van den Broeck 2001, ch. 2–3). For
    :math:`\alpha > 0`, :math:`\varepsilon_B < \varepsilon_G < 2\varepsilon_B`.

    %(error_of_alpha)s
    """
    q_hat = _conjugate_overlap(_prepare(alpha))
    return _scalar_or_array(2.0 * np.arctan2(1.0, np.sqrt(1.0 + 2.0 * q_hat)) / np.pi)


@fill(_DOCS)
def perceptron_hebb_error(alpha):
    r"""Error of the Hebb rule :math:`J = \sum_\mu y_\mu x_\mu`: :math:`\arccos\sqrt{2\alpha/(2\alpha+\pi)}/\pi`.

    Evaluated as :math:`\arctan\sqrt{\pi/(2\alpha)}/\pi`; decays like
    :math:`1/\sqrt{2\pi\alpha}` (Vallet 1989; Engel & Van den Broeck 2001, eq. 3.8).

    %(error_of_alpha)s
    """
    alpha = _prepare(alpha)
    return _scalar_or_array(np.arctan2(np.sqrt(np.pi), np.sqrt(2.0 * alpha)) / np.pi)


@fill(_DOCS)
def perceptron_state_evolution(alpha, n_iter: int):
    r"""State evolution of GAMP for the sign perceptron: overlaps :math:`q_1, \dots, q_T`.

    From the uninformed start :math:`q_0 = 0` (:math:`\hat w = 0`),

    .. math::

        \hat q_t = \frac{2\alpha}{\pi}\,\frac{I(q_t)}{\sqrt{1 - q_t}}, \qquad
        q_{t+1} = \frac{\hat q_t}{1 + \hat q_t},

    so :math:`q_1 = (2\alpha/\pi)/(1 + 2\alpha/\pi)`. :math:`q_t` is the limit of GAMP's
    overlap :math:`\hat w^t\cdot w^*/d` after iteration :math:`t` (Rangan 2011,
    arXiv:1010.5141; Zdeborová & Krzakala 2016, arXiv:1511.02476, §VI) and increases
    monotonically to :func:`perceptron_overlap`.

    Parameters
    ----------
    %(alpha)s
    n_iter : int
        Number of iterations :math:`T \ge 1`.

    Returns
    -------
    ndarray
        Shape ``np.shape(alpha) + (n_iter,)``: :math:`q_1, \dots, q_T` along the last axis.
    """
    alpha = _prepare(alpha)
    n_iter = integer("n_iter", n_iter, 1)
    q_hat = np.zeros(alpha.shape)
    overlaps = []
    for _ in range(n_iter):
        q_hat = _conjugate_update(alpha, q_hat)
        overlaps.append(q_hat / (1.0 + q_hat))
    return np.stack(overlaps, axis=-1)
