r"""Convergence rates of gradient descent on over-parameterised matrix factorisation.

Xiong, Ding & Du (ICLR 2024), "How over-parameterization slows down gradient descent in
matrix sensing: the curses of symmetry and initialization", arXiv:2310.01769, prove for a
rank-:math:`r` target :math:`M^*` and factors of width :math:`k`: symmetric
:math:`XX^\top` with :math:`k > r` converges no faster than :math:`\Omega(1/T^2)`; with
:math:`k = r` it converges linearly; asymmetric :math:`FG^\top` with :math:`k > r` converges
linearly again, at a rate :math:`\exp(-\Omega(\alpha^2 T))` set by the initialisation scale
:math:`\alpha`. The constants below are those of full observation (matrix factorisation,
the RIP case :math:`\delta = 0`), derived in the science note (more_claims.md §6) and here.

**Symmetric, k > r.** For :math:`f = \tfrac14\lVert XX^\top - M^*\rVert_F^2`, GD reads
:math:`X \leftarrow X - \eta(XX^\top - M^*)X`. Once the signal has been fitted, the
:math:`k - r` excess eigenvalues :math:`s` of :math:`XX^\top` (in the orthogonal complement of
the range of :math:`M^*`) evolve on their own, :math:`s \leftarrow s(1 - \eta s)^2`, so
:math:`1/s_{t+1} = 1/s_t + 2\eta + 3\eta^2 s_t + O(s_t^2)` and

.. math::

    \frac{1}{s_t} = 2\eta t + \tfrac32\eta\ln t + C + o(1), \qquad
    \lVert X_tX_t^\top - M^*\rVert_F^2 \simeq \sum s_t^2
      = \frac{k - r}{4\eta^2 t^2}\Bigl(1 - \frac{3\ln t}{2t} - \frac{\bar C}{\eta t} + \dots\Bigr),

with :math:`C` set by the transient (:math:`\bar C` its average over the excess directions).

**Symmetric, k = r.** Near the solution GD is the linear map
:math:`I - \eta\nabla^2 f`, whose slowest non-trivial mode has curvature :math:`\sigma_r(M^*)`
(a factor direction leaving the range of :math:`M^*`): the late slope of
:math:`\ln\lVert XX^\top - M^*\rVert_F^2` per step is :math:`2\ln(1 - \eta\sigma_r)`.

**Asymmetric, k > r.** For :math:`f = \tfrac12\lVert FG^\top - M^*\rVert_F^2`, gradient flow
conserves the imbalance :math:`\Delta = F^\top F - G^\top G` (GD changes it by
:math:`O(\eta^2)` per step). In the :math:`k - r` weak directions (an orthonormal basis
:math:`V` of the right singular directions that :math:`G` loses) :math:`G V \to 0` while
:math:`V^\top F^\top F V \to V^\top\Delta V`, and the residual decays with the late slope

.. math::  2\ln\bigl(1 - \eta\,\lambda_{\min}(V^\top\Delta V)\bigr) \approx -2\eta\lambda_{\min}(V^\top\Delta V).

With :math:`F_0 \sim \alpha N(0, 1)`, :math:`G_0 \sim (\alpha/3) N(0, 1)`,
:math:`\mathbb E\Delta_0 = \tfrac89 n\alpha^2 I`, hence the rate :math:`\propto\alpha^2`. The
formula is leading order in :math:`n\alpha^2/\sigma_r`: the exact asymptotic rate is the
smallest eigenvalue of :math:`F_\infty^\top F_\infty`, which is at most
:math:`\lambda_{\min}(V^\top\Delta V)` (Cauchy interlacing, as
:math:`V^\top F_\infty^\top F_\infty V = V^\top\Delta_\infty V`) and differs from it by
:math:`O(\lVert\Delta\rVert^2/\sigma_r)` (a Schur complement); the predicted slope is
therefore slightly too steep, by ≈ 0.3% on average at :math:`n\alpha^2/\sigma_r = 0.036`.
"""

from __future__ import annotations

import math

import numpy as np

from theory._validate import check_integer, check_interval, check_positive

__all__ = [
    "exact_parameterization_log_rate",
    "excess_eigenvalue_trajectory",
    "imbalance_log_rate",
    "symmetric_error_constant",
]


def symmetric_error_constant(width: int, rank: int, step: float) -> float:
    r"""Late-time constant of the over-parameterised symmetric error, :math:`(k - r)/(4\eta^2)`.

    .. math::  \lim_{t\to\infty} t^2\,\lVert X_tX_t^\top - M^*\rVert_F^2 = \frac{k - r}{4\eta^2}

    for GD :math:`X \leftarrow X - \eta(XX^\top - M^*)X` with :math:`X \in \mathbb R^{n\times k}`,
    rank :math:`M^* = r < k` (module docstring; Xiong, Ding & Du 2024 prove the
    :math:`\Omega(1/T^2)` order). Independent of :math:`n`, of :math:`M^*`'s eigenvalues and of
    the initialisation.

    Parameters
    ----------
    width : int
        Factor width :math:`k`.
    rank : int
        Rank :math:`r` of the target, :math:`1 \le r < k`.
    step : float
        Step size :math:`\eta > 0`.
    """
    check_integer("width", width, 2)
    k = int(width)
    check_integer("rank", rank, 1)
    r = int(rank)
    if r >= k:
        raise ValueError(f"rank={rank!r} is out of range: must be < width={width!r}")
    check_positive("step", step)
    return (k - r) / (4.0 * step * step)


def excess_eigenvalue_trajectory(initial, step: float, steps: int) -> np.ndarray:
    r"""Iterates of :math:`s_{t+1} = s_t(1 - \eta s_t)^2`, the excess eigenvalues of :math:`XX^\top`.

    Exact for the eigenvalues of :math:`XX^\top` in the orthogonal complement of the range of
    :math:`M^*` once :math:`X`'s component there is orthogonal to the signal
    (:math:`X \leftarrow X - \eta XX^\top X` on that block). For :math:`0 < \eta s_0 < 1` they
    decrease monotonically as :math:`s_t \simeq 1/(2\eta t)`.

    Parameters
    ----------
    initial : float or array_like
        Starting eigenvalues :math:`s_0` with :math:`0 \le \eta s_0 < 1`.
    step : float
        :math:`\eta > 0`.
    steps : int
        Number of steps :math:`T \ge 0`.

    Returns
    -------
    ndarray, shape (T + 1,) + shape of ``initial``
    """
    check_positive("step", step)
    s = np.asarray(initial, dtype=float)
    check_interval("initial", s * step, 0.0, 1.0, closed_high=False)
    check_integer("steps", steps, 0)
    steps = int(steps)
    out = np.empty((steps + 1,) + s.shape)
    out[0] = s
    for t in range(steps):
        s = s * (1.0 - step * s) ** 2
        out[t + 1] = s
    return out


def exact_parameterization_log_rate(step: float, sigma_min: float) -> float:
    r"""Late slope of :math:`\ln\lVert XX^\top - M^*\rVert_F^2` per GD step for :math:`k = r`.

    .. math::  2\ln(1 - \eta\,\sigma_r(M^*))

    (linear convergence; the slowest mode of :math:`I - \eta\nabla^2 f` at the solution).

    Parameters
    ----------
    step : float
        :math:`\eta > 0` with :math:`\eta\sigma_r < 1`.
    sigma_min : float
        Smallest non-zero eigenvalue :math:`\sigma_r > 0` of :math:`M^*`.
    """
    check_positive("step", step)
    check_positive("sigma_min", sigma_min)
    check_interval("step * sigma_min", step * sigma_min, 0.0, 1.0, closed_high=False)
    return 2.0 * math.log1p(-step * sigma_min)


def imbalance_log_rate(imbalance, weak_basis, step: float) -> float:
    r"""Late slope of :math:`\ln\lVert FG^\top - M^*\rVert_F^2` per GD step for :math:`k > r`.

    .. math::  2\ln\bigl(1 - \eta\,\lambda_{\min}(V^\top\Delta V)\bigr),

    :math:`\Delta = F^\top F - G^\top G` (conserved by gradient flow) and :math:`V` an
    orthonormal basis of the :math:`k - r` weak right singular directions (module
    docstring; science note §6 with its erratum: :math:`\lambda_{\min}` of the compression
    to the weak directions, not of the full :math:`k\times k` matrix).

    Parameters
    ----------
    imbalance : array_like, shape (k, k)
        Symmetric :math:`\Delta`.
    weak_basis : array_like, shape (k, k - r)
        Orthonormal columns :math:`V`.
    step : float
        :math:`\eta > 0`.

    Raises
    ------
    ValueError
        If :math:`\lambda_{\min}(V^\top\Delta V) \le 0` or :math:`\eta\lambda_{\min} \ge 1`: the
        formula then predicts no decay (an initialisation with a negative imbalance direction;
        the weak directions then belong to :math:`F`).
    """
    check_positive("step", step)
    delta = np.asarray(imbalance, dtype=float)
    v = np.asarray(weak_basis, dtype=float)
    if (delta.ndim != 2 or delta.shape[0] != delta.shape[1] or not np.all(np.isfinite(delta))
            or not np.allclose(delta, delta.T)):
        raise ValueError(f"imbalance=<array of shape {delta.shape}> is out of range: "
                         "must be a finite symmetric square matrix")
    if (v.ndim != 2 or v.shape[0] != delta.shape[0] or not np.all(np.isfinite(v))
            or not np.allclose(v.T @ v, np.eye(v.shape[1]))):
        raise ValueError(f"weak_basis=<array of shape {v.shape}> is out of range: "
                         f"must have {delta.shape[0]} rows and orthonormal columns")
    lam = float(np.linalg.eigvalsh(v.T @ delta @ v)[0])
    check_interval("step * lambda_min(V^T imbalance V)", step * lam, 0.0, 1.0,
                   closed_low=False, closed_high=False)
    return 2.0 * math.log1p(-step * lam)
