r"""Online SGD in a soft committee machine: the Saad–Solla order-parameter ODE.

Teacher and student are committee machines with activation :math:`g(x) = \mathrm{erf}(x/\sqrt2)`
(not :math:`\mathrm{erf}(x)`) and no :math:`1/K` normalisation: for an input
:math:`\xi \sim N(0, I_N)`, pre-activations :math:`\lambda_i = w_i\cdot\xi/\sqrt N`
(student, :math:`i \le K`) and :math:`\nu_n = B_n\cdot\xi/\sqrt N` (teacher, :math:`n \le M`),
outputs :math:`\sigma = \sum_i g(\lambda_i)` and :math:`\tau = \sum_n g(\nu_n)`. Plain SGD on
:math:`\tfrac12(\tau - \sigma)^2` with one fresh sample per step,
:math:`w_i \leftarrow w_i + (\eta/\sqrt N)\,\delta_i\,\xi`,
:math:`\delta_i = g'(\lambda_i)(\tau - \sigma)`, and time :math:`t = \text{steps}/N`. As
:math:`N \to \infty` the overlaps :math:`Q = ww^\top/N`, :math:`R = wB^\top/N` (with
:math:`T = BB^\top/N` fixed) follow

.. math::

    \frac{dR_{in}}{dt} &= \eta\Big[\sum_m I_3(i,n,m) - \sum_j I_3(i,n,j)\Big],\\
    \frac{dQ_{ik}}{dt} &= \eta\Big[\sum_m I_3(i,k,m) - \sum_j I_3(i,k,j) + (i \leftrightarrow k)\Big]
      + \eta^2\Big[\sum_{nm} I_4(i,k,n,m) - 2\sum_{jn} I_4(i,k,j,n) + \sum_{jl} I_4(i,k,j,l)\Big],

with the Gaussian averages over :math:`u \sim N(0, C)`, :math:`C = [[Q, R], [R^\top, T]]`
(indices ``a..d`` are rows of ``C``: students first, then teachers), in closed form
(Saad & Solla 1995, PRE, Appendix):

.. math::

    I_2(a,b) &= E\,g(u_a)g(u_b) = \frac2\pi\arcsin\frac{C_{ab}}{\sqrt{(1+C_{aa})(1+C_{bb})}},\\
    I_3(a,b,c) &= E\,g'(u_a)\,u_b\,g(u_c) = \frac2\pi\,\frac1{\sqrt{\Lambda_3}}\,
        \frac{C_{bc}(1+C_{aa}) - C_{ab}C_{ac}}{1+C_{aa}},
        \quad \Lambda_3 = (1+C_{aa})(1+C_{cc}) - C_{ac}^2,\\
    I_4(a,b,c,d) &= E\,g'(u_a)g'(u_b)g(u_c)g(u_d) = \frac4{\pi^2}\frac1{\sqrt{\Lambda_4}}
        \arcsin\frac{\Lambda_0}{\sqrt{\Lambda_1\Lambda_2}},

:math:`\Lambda_4 = (1+C_{aa})(1+C_{bb}) - C_{ab}^2`,
:math:`\Lambda_0 = \Lambda_4 C_{cd} - C_{bc}C_{bd}(1+C_{aa}) - C_{ac}C_{ad}(1+C_{bb})
+ C_{ab}C_{ac}C_{bd} + C_{ab}C_{ad}C_{bc}`,
:math:`\Lambda_1 = \Lambda_4(1+C_{cc}) - C_{bc}^2(1+C_{aa}) - C_{ac}^2(1+C_{bb}) + 2C_{ab}C_{ac}C_{bc}`,
:math:`\Lambda_2` = :math:`\Lambda_1` with ``c → d``. (:math:`I_4` is :math:`E[g'g']` times the
:math:`I_2` of the Gaussian tilted by :math:`e^{-(u_a^2+u_b^2)/2}`, whose covariance is
:math:`C_{cd} - C_{cd,ab}(I + C_{ab})^{-1}C_{ab,cd}`: that is where the Λ's come from.)
The generalisation error is

.. math::

    \varepsilon_g = \tfrac12 E(\sigma - \tau)^2
    = \tfrac12\Big[\sum_{ik} I_2(i,k) + \sum_{nm} I_2(n,m) - 2\sum_{in} I_2(i,n)\Big].

Writing :math:`\tau - \sigma = \sum_c s_c\,g(u_c)` with signs :math:`s_c = +1` on teachers and
:math:`-1` on students, the drift terms are :math:`D_{ab} = \sum_c s_c I_3(a, b, c)` and the
η² term is :math:`\sum_{cd} s_c s_d I_4(i, k, c, d)`; this is how they are computed here.

At the symmetric plateau of a realisable, isotropic task (:math:`T = I`, :math:`K = M`,
η → 0), :math:`Q_{ik} = 1/(2K-1)` for all ``i, k``, :math:`R_{in} = 1/\sqrt{K(2K-1)}` and
:math:`\varepsilon^* = (K/\pi)[\pi/6 - K\arcsin(1/(2K))]` (Saad & Solla 1995, §IV).

References
----------
D. Saad, S. A. Solla (1995), Phys. Rev. Lett. 74, 4337; Phys. Rev. E 52, 4225 (ODEs and the
Appendix integrals). M. Biehl, H. Schwarze (1995), J. Phys. A 28, 643. S. Goldt, M. Advani,
A. Saxe, F. Krzakala, L. Zdeborová (2019), NeurIPS, arXiv:1906.08632 (proof of the ODE limit).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy.integrate import solve_ivp

from theory._validate import check_positive, integer

__all__ = [
    "CommitteeTrajectory",
    "SymmetricPlateau",
    "committee_generalisation_error",
    "erf_I2",
    "erf_I3",
    "erf_I4",
    "saad_solla_rhs",
    "saad_solla_trajectory",
    "symmetric_plateau",
]

_ODE_RTOL = 1e-12
_ODE_ATOL = 1e-14


class CommitteeTrajectory(NamedTuple):
    """Output of :func:`saad_solla_trajectory`: ``Q`` of shape (T, K, K), ``R`` of shape (T, K, M)."""

    Q: np.ndarray
    R: np.ndarray


class SymmetricPlateau(NamedTuple):
    """Output of :func:`symmetric_plateau`: the common overlaps and the plateau error."""

    q: float
    r: float
    generalisation_error: float


# ------------------------------------------------------------------ the three integrals
# Elementwise forms on the entries of C; the public functions gather the entries.

def _i2(c_ab, c_aa, c_bb):
    x = c_ab / np.sqrt((1.0 + c_aa) * (1.0 + c_bb))
    return (2.0 / math.pi) * np.arcsin(np.clip(x, -1.0, 1.0))


def _i3(c_aa, c_ab, c_ac, c_bc, c_cc):
    lam3 = (1.0 + c_aa) * (1.0 + c_cc) - c_ac * c_ac
    return (2.0 / math.pi) * (c_bc * (1.0 + c_aa) - c_ab * c_ac) / ((1.0 + c_aa) * np.sqrt(lam3))


def _i4(c_aa, c_bb, c_cc, c_dd, c_ab, c_ac, c_ad, c_bc, c_bd, c_cd):
    lam4 = (1.0 + c_aa) * (1.0 + c_bb) - c_ab * c_ab
    lam0 = (lam4 * c_cd - c_bc * c_bd * (1.0 + c_aa) - c_ac * c_ad * (1.0 + c_bb)
            + c_ab * c_ac * c_bd + c_ab * c_ad * c_bc)
    lam1 = (lam4 * (1.0 + c_cc) - c_bc * c_bc * (1.0 + c_aa) - c_ac * c_ac * (1.0 + c_bb)
            + 2.0 * c_ab * c_ac * c_bc)
    lam2 = (lam4 * (1.0 + c_dd) - c_bd * c_bd * (1.0 + c_aa) - c_ad * c_ad * (1.0 + c_bb)
            + 2.0 * c_ab * c_ad * c_bd)
    x = lam0 / np.sqrt(lam1 * lam2)
    return (4.0 / math.pi**2) * np.arcsin(np.clip(x, -1.0, 1.0)) / np.sqrt(lam4)


def _I2(C, a, b):
    return _i2(C[a, b], C[a, a], C[b, b])


def _I3(C, a, b, c):
    return _i3(C[a, a], C[a, b], C[a, c], C[b, c], C[c, c])


def _I4(C, a, b, c, d):
    return _i4(C[a, a], C[b, b], C[c, c], C[d, d], C[a, b], C[a, c], C[a, d], C[b, c], C[b, d],
               C[c, d])


def _finite_array(name: str, value) -> np.ndarray:
    """``value`` as a float array if all its entries are finite reals; the error names its shape."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf" or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}=<array of shape {arr.shape}> is out of range: "
                         "must be a finite real array")
    return arr.astype(float)


def _check_covariance(C) -> np.ndarray:
    C = _finite_array("C", C)
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] < 1:
        raise ValueError(f"C=<array of shape {C.shape}> is out of range: must be a square matrix")
    if not np.allclose(C, C.T, rtol=1e-12, atol=1e-14):
        raise ValueError(f"C=<array of shape {C.shape}> is out of range: must be symmetric")
    lowest = float(np.linalg.eigvalsh(C)[0])
    if lowest < -1e-10 * max(1.0, float(np.max(np.abs(C)))):
        raise ValueError(f"C=<array with smallest eigenvalue {lowest:.3g}> is out of range: "
                         "must be positive semi-definite")
    return C


def _check_indices(n: int, **indices) -> list[np.ndarray]:
    out = []
    for name, value in indices.items():
        arr = np.asarray(value)
        if arr.dtype.kind not in "iu" or np.any(arr < 0) or np.any(arr >= n):
            raise ValueError(f"{name}={value!r} is out of range: must be integer row indices of C "
                             f"in [0, {n - 1}]")
        out.append(arr)
    return out


def erf_I2(C, a, b):
    r""":math:`I_2(a,b) = E\,g(u_a)g(u_b) = (2/\pi)\arcsin(C_{ab}/\sqrt{(1+C_{aa})(1+C_{bb})})`.

    :math:`u \sim N(0, C)`, :math:`g(x) = \mathrm{erf}(x/\sqrt2)` (Saad & Solla 1995).

    Parameters
    ----------
    C : array_like, shape (n, n)
        Covariance matrix (symmetric, positive semi-definite).
    a, b : int or array of int
        Row indices of ``C``; arrays broadcast against each other.

    Returns
    -------
    float or ndarray
    """
    C = _check_covariance(C)
    return _I2(C, *_check_indices(C.shape[0], a=a, b=b))


def erf_I3(C, a, b, c):
    r""":math:`I_3(a,b,c) = E\,g'(u_a)\,u_b\,g(u_c)` in closed form (module docstring).

    Parameters
    ----------
    C : array_like, shape (n, n)
        Covariance matrix (symmetric, positive semi-definite).
    a, b, c : int or array of int
        Row indices of ``C``, broadcast against each other.

    Returns
    -------
    float or ndarray
    """
    C = _check_covariance(C)
    return _I3(C, *_check_indices(C.shape[0], a=a, b=b, c=c))


def erf_I4(C, a, b, c, d):
    r""":math:`I_4(a,b,c,d) = E\,g'(u_a)g'(u_b)g(u_c)g(u_d)` in closed form (module docstring).

    Parameters
    ----------
    C : array_like, shape (n, n)
        Covariance matrix (symmetric, positive semi-definite).
    a, b, c, d : int or array of int
        Row indices of ``C``, broadcast against each other.

    Returns
    -------
    float or ndarray
    """
    C = _check_covariance(C)
    return _I4(C, *_check_indices(C.shape[0], a=a, b=b, c=c, d=d))


# --------------------------------------------------------------- order parameters, ODE

def _overlaps(Q, R, T) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked float arrays: ``Q`` (..., K, K), ``R`` (..., K, M), ``T`` (M, M)."""
    Q, R, T = (_finite_array(name, value) for name, value in (("Q", Q), ("R", R), ("T", T)))
    if T.ndim != 2 or T.shape[0] != T.shape[1] or T.shape[0] < 1:
        raise ValueError(f"T=<array of shape {T.shape}> is out of range: must be a square M×M matrix")
    if Q.ndim < 2 or Q.shape[-1] != Q.shape[-2] or Q.shape[-1] < 1:
        raise ValueError(f"Q=<array of shape {Q.shape}> is out of range: must be (..., K, K)")
    if R.shape[-2:] != (Q.shape[-1], T.shape[0]) or R.shape[:-2] != Q.shape[:-2]:
        expected = Q.shape[:-2] + (Q.shape[-1], T.shape[0])
        raise ValueError(f"R=<array of shape {R.shape}> is out of range: must be of shape {expected}")
    return Q, R, T


def _joint(Q, R, T) -> np.ndarray:
    """``C = [[Q, R], [Rᵀ, T]]`` with leading axes of ``Q`` and ``R``."""
    lead = Q.shape[:-2]
    top = np.concatenate([Q, R], axis=-1)
    bottom = np.concatenate([np.swapaxes(R, -1, -2), np.broadcast_to(T, lead + T.shape)], axis=-1)
    return np.concatenate([top, bottom], axis=-2)


def _signs(K: int, M: int) -> np.ndarray:
    """``s_c``: −1 on the student rows, +1 on the teacher rows (``τ − σ = Σ_c s_c g(u_c)``)."""
    return np.concatenate([-np.ones(K), np.ones(M)])


def committee_generalisation_error(Q, R, T):
    r""":math:`\varepsilon_g = \tfrac12 E(\sigma - \tau)^2` of a soft committee machine.

    .. math::

        \varepsilon_g = \tfrac12\Big[\sum_{ik} I_2(i,k) + \sum_{nm} I_2(n,m) - 2\sum_{in} I_2(i,n)\Big]

    (Saad & Solla 1995, eq. 5), :math:`g = \mathrm{erf}(x/\sqrt2)`, outputs without 1/K.

    Parameters
    ----------
    Q : array_like, shape (..., K, K)
        Student–student overlaps ``w wᵀ/N``; leading axes (for example time) are kept.
    R : array_like, shape (..., K, M)
        Student–teacher overlaps ``w Bᵀ/N``.
    T : array_like, shape (M, M)
        Teacher–teacher overlaps ``B Bᵀ/N``.

    Returns
    -------
    float or ndarray
        Shape ``Q.shape[:-2]``; >= 0, and 0 when the student equals the teacher.
    """
    Q, R, T = _overlaps(Q, R, T)
    C = _joint(Q, R, T)
    diag = np.diagonal(C, axis1=-2, axis2=-1)
    i2 = _i2(C, diag[..., :, None], diag[..., None, :])
    s = _signs(Q.shape[-1], T.shape[0])
    return 0.5 * np.einsum("c,...cd,d->...", s, i2, s)


def _rhs_terms(Q, R, T) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First-order drift of Q and R and the η² term of dQ/dt (all for η = 1)."""
    K, M = R.shape
    C = _joint(Q, R, T)
    s = _signs(K, M)
    rows = np.arange(K + M)
    students = np.arange(K)
    # D[a, b] = Σ_c s_c I3(a, b, c) for a a student, b any row.
    drift = _I3(C, students[:, None, None], rows[None, :, None], rows[None, None, :]) @ s
    # E[δ_i δ_k] = Σ_cd s_c s_d I4(i, k, c, d).
    i4 = _I4(C, students[:, None, None, None], students[None, :, None, None],
             rows[None, None, :, None], rows[None, None, None, :])
    second = np.einsum("ikcd,c,d->ik", i4, s, s)
    first_q = drift[:, :K] + drift[:, :K].T
    return first_q, drift[:, K:], second


def saad_solla_rhs(Q, R, T, lr: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Right-hand side ``(dQ/dt, dR/dt)`` of the Saad–Solla ODEs (module docstring).

    Parameters
    ----------
    Q : array_like, shape (K, K)
        Student–student overlaps (symmetric).
    R : array_like, shape (K, M)
        Student–teacher overlaps.
    T : array_like, shape (M, M)
        Teacher–teacher overlaps.
    lr : float
        Learning rate η > 0 (SGD step ``(η/√N) δ_i ξ``; time = steps/N).

    Returns
    -------
    dQ : ndarray, shape (K, K)
        Symmetric.
    dR : ndarray, shape (K, M)
    """
    Q, R, T = _overlaps(Q, R, T)
    if Q.ndim != 2:
        raise ValueError(f"Q=<array of shape {Q.shape}> is out of range: must be (K, K)")
    check_positive("lr", lr)
    _check_covariance(_joint(Q, R, T))
    first_q, dR, second = _rhs_terms(Q, R, T)
    return lr * first_q + lr * lr * second, lr * dR


def saad_solla_trajectory(Q0, R0, T, lr: float, times) -> CommitteeTrajectory:
    r"""Integrate the Saad–Solla ODEs from ``(Q0, R0)`` at ``t = 0`` and return ``Q(t), R(t)``.

    DOP853 with ``rtol = 1e-12`` (RK45 at ``rtol = 1e-11`` and Radau agree to ~5e-12
    relative on the reference run of the tests). The
    generalisation error along the trajectory is
    ``committee_generalisation_error(traj.Q, traj.R, T)``.

    Parameters
    ----------
    Q0 : array_like, shape (K, K)
        Initial student–student overlaps (symmetric).
    R0 : array_like, shape (K, M)
        Initial student–teacher overlaps; ``[[Q0, R0], [R0ᵀ, T]]`` must be positive
        semi-definite.
    T : array_like, shape (M, M)
        Teacher–teacher overlaps (constant).
    lr : float
        Learning rate η > 0.
    times : array_like
        Non-decreasing times >= 0 (in units of N steps) at which to report.

    Returns
    -------
    CommitteeTrajectory
        ``Q`` of shape ``(len(times), K, K)`` and ``R`` of shape ``(len(times), K, M)``.
    """
    Q0, R0, T = _overlaps(Q0, R0, T)
    if Q0.ndim != 2:
        raise ValueError(f"Q0=<array of shape {Q0.shape}> is out of range: must be (K, K)")
    check_positive("lr", lr)
    _check_covariance(_joint(Q0, R0, T))
    times = np.atleast_1d(_finite_array("times", times))
    if times.ndim != 1 or np.any(times < 0) or np.any(np.diff(times) < 0):
        raise ValueError(f"times=<array of shape {times.shape}> is out of range: "
                         "must be a non-decreasing 1-D sequence of times >= 0")
    K, M = R0.shape

    def rhs(_t, y):
        Q = y[:K * K].reshape(K, K)
        R = y[K * K:].reshape(K, M)
        first_q, dR, second = _rhs_terms(Q, R, T)
        return np.concatenate([(lr * first_q + lr * lr * second).ravel(), lr * dR.ravel()])

    y0 = np.concatenate([Q0.ravel(), R0.ravel()])
    t_end = float(times[-1])
    if t_end == 0.0:
        ys = np.repeat(y0[:, None], times.size, axis=1)
    else:
        sol = solve_ivp(rhs, (0.0, t_end), y0, method="DOP853", t_eval=times,
                        rtol=_ODE_RTOL, atol=_ODE_ATOL)
        if not sol.success:
            raise RuntimeError(f"Saad–Solla ODE integration failed: {sol.message}")
        ys = sol.y
    Q = ys[:K * K].T.reshape(-1, K, K)
    return CommitteeTrajectory(Q=0.5 * (Q + np.swapaxes(Q, -1, -2)), R=ys[K * K:].T.reshape(-1, K, M))


def symmetric_plateau(K: int) -> SymmetricPlateau:
    r"""The symmetric plateau of a realisable task with ``T = I``, ``K = M``, η → 0.

    .. math::

        Q_{ik} = q = \frac1{2K-1}\ (\text{all } i, k), \qquad
        R_{in} = r = \frac1{\sqrt{K(2K-1)}}, \qquad
        \varepsilon^* = \frac K\pi\Big[\frac\pi6 - K\arcsin\frac1{2K}\Big]

    (Saad & Solla 1995, §IV): the unspecialised fixed point of the O(η) flow, where every
    student unit has the same overlap with every teacher unit. ε* = 0.011611 (K = 2),
    0.020297 (K = 3). At finite η the plateau shifts (O(η) corrections).

    Parameters
    ----------
    K : int
        Number of hidden units of student and teacher, >= 1.

    Returns
    -------
    SymmetricPlateau
        ``(q, r, generalisation_error)``.
    """
    K = integer("K", K, 1)
    error = (K / math.pi) * (math.pi / 6.0 - K * math.asin(1.0 / (2.0 * K)))
    return SymmetricPlateau(q=1.0 / (2 * K - 1), r=1.0 / math.sqrt(K * (2 * K - 1)),
                            generalisation_error=error)
