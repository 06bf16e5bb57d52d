r"""The GAMP-RIE algorithm for the quadratic-network teacher (S*-scale).

The teacher ``f*(x) = Tr[Z(x) S*]`` is a generalised linear model for the symmetric matrix
``S* = W*ᵀW*/√(md)`` sensed through ``A`` (:mod:`simulate.quadratic_teacher`). Everything
here works in the S*-scale of the note (spectral mean ``√κ``, variance 1, per-entry error
``M = (1/d)‖Ŝ − S*‖²_F``, which is 1 for the trivial estimator ``√κ I``).

GAMP-RIE (Maillard et al. 2024) is GAMP (Rangan 2011) for this GLM whose denoising
step is the rotationally invariant estimator of Bun et al. (2016). The theory side (the RIE
``ξ(λ) = λ − 2 s h_s(λ)`` and ``MMSE_den(s)``) is injected as two callables, so this module
never depends on :mod:`theory`.

References
----------
.. [1] A. Maillard, E. Troiani, S. Martin, F. Krzakala, L. Zdeborová, "Bayes-optimal learning
   of an extensive-width neural network from quadratically many samples", NeurIPS 2024,
   arXiv:2408.03733.
.. [2] S. Rangan, "Generalized approximate message passing for estimation with random linear
   mixing", ISIT 2011, arXiv:1010.5141.
.. [3] J. Bun, R. Allez, J.-P. Bouchaud, M. Potters, "Rotational invariant estimator for
   general noisy matrices", IEEE Trans. Inf. Theory 62:7475 (2016), arXiv:1502.06736.

Notes
-----
Backends: ``numpy`` is the reference; ``cupy`` runs the same array-API code on the GPU
(eigendecomposition included; the injected denoiser always gets host NumPy eigenvalues);
``numba`` runs the NumPy path. No Numba kernel earned its place: the only loop-shaped cost,
the row-wise quadratic form ``Σ_j (X S)_{μj} X_{μj}``, is an O(n d) reduction beside the
O(n d²) BLAS product ``X S``, and ``vecdot`` runs it 1.2–2× faster than a serial or
``prange`` Numba loop at d ≥ 60. Whole operator, NumPy time / Numba time: 1.06 (d = 60),
0.95 (d = 100), 0.98 (d = 200), single-threaded BLAS; only at d = 30 (0.04 ms) does Numba
win (1.4×). Per GAMP-RIE iteration BLAS and the injected denoiser dominate.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulate._validate import check_int as _check_int
from simulate._validate import check_real as _check_real
from simulate._validate import fail as _fail
from simulate.backend import resolve_backend, to_numpy
from simulate.errors import DivergenceError
from simulate.matrix_denoising import Denoiser, apply_spectral_denoiser
from simulate.quadratic_teacher import _check_design, _to_backend, sensing_adjoint, sensing_operator

DenoisingMMSE = Callable[[float], float]
"""``denoising_mmse(s) -> MMSE_den(s)``, the asymptotic error of the RIE at noise ``s``."""

S_FLOOR = 1e-9
"""Floor on the effective denoising noise ``s`` (noiseless runs above α_PR, note §7)."""
V_FLOOR = 1e-10
"""Floor on the GAMP variance ``V`` (same reason)."""
CLIP_MARGIN = 0.05
"""Width added on both sides of the prior's convex hull before clipping the spectrum."""
RATE_LAG = 5
"""Iterations over which the contraction rate ρ̂ of the iterate's change is estimated."""
STALL_PROGRESS = 0.9
"""A window whose smallest change is not below this fraction of every earlier change is no
progress: the iterate has reached an attractor that is not a fixed point (a cycle)."""


def _check_clip(clip) -> tuple[float, float]:
    """Validate ``clip = (lo, hi)`` and return it widened by :data:`CLIP_MARGIN`."""
    try:
        lo, hi = (float(c) for c in clip)
    except (TypeError, ValueError):
        lo = hi = math.nan
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        _fail("clip", clip, "a pair (lo, hi) of finite numbers with lo < hi")
    return lo - CLIP_MARGIN, hi + CLIP_MARGIN



@dataclass(frozen=True, eq=False)
class GampRieResult:
    """Output of :func:`gamp_rie`. Trajectories have one entry per iteration ``t = 0, 1, …``.

    Attributes
    ----------
    S_hat : numpy.ndarray, shape (d, d)
        The last estimate (host array).
    mse_trajectory : numpy.ndarray
        ``(1/d)‖Ŝ^{t+1} − S*‖²_F`` after iteration t (empty when ``S_star`` was not given).
    variance_trajectory : numpy.ndarray
        ``V^{t+1}``, the damped variance after iteration t. With the theoretical variance it is
        deterministic: it follows the damped state evolution
        ``V^{t+1} = β·2 MMSE_den((Δ + V^t)/(4α)) + (1 − β) V^t``, ``V^0 = 2``, whose fixed point is
        ``V = 2M`` (so ``V/2`` is compared with the state-evolution error M).
    s_trajectory : numpy.ndarray
        ``s^t = max((Δ + V^t)/(4α), 1e-9)``, the denoising noise used at iteration t; the
        predicted error of ``Ŝ^{t+1}`` is ``MMSE_den(s^t)``.
    change_trajectory : numpy.ndarray
        ``r_t = ‖Ŝ^{t+1} − Ŝ^t‖_F / ‖Ŝ^{t+1}‖_F``, the iterate's relative change, on which both
        stop rules act.
    iterations : int
    converged : bool
        True when the iterate reached a fixed point: its estimated relative distance to the
        fixed point, ``r_t ρ̂/(1 − ρ̂)`` with ``ρ̂ = (r_t/r_{t−5})^{1/5} < 1`` the contraction
        rate of its own change, fell below ``tol``.
    stalled : bool
        True when the run stopped because the iterate stopped approaching a fixed point: no
        change in the last ``stall_window`` iterations fell below 0.9 × every earlier change.
        At d ≈ 50–100 about half the runs end so, mostly at small α: once the state evolution
        has converged the iterate cycles (relative changes ~1e-2 that no longer decrease, the
        error steady to ~1e-4; a finite-size effect), which is why the reported error then
        averages the last iterates. Neither flag set: the run hit ``max_iter`` while still
        approaching a fixed point. No flag is a failure; divergence raises.
    final_mse : float or None
        The last iterate's error when ``converged``, else the mean of the last ``n_average``
        entries of ``mse_trajectory`` (None without ``S_star``).
    """

    S_hat: np.ndarray
    mse_trajectory: np.ndarray
    variance_trajectory: np.ndarray
    s_trajectory: np.ndarray
    change_trajectory: np.ndarray
    iterations: int
    converged: bool
    stalled: bool
    final_mse: float | None


def gamp_rie(X, y, *, delta: float, kappa: float, denoiser: Denoiser,
             denoising_mmse: DenoisingMMSE, clip: tuple[float, float], S_star=None,
             damping: float = 0.5, max_iter: int = 300, tol: float = 1e-4,
             n_average: int = 10, stall_window: int | None = 30, divergence_bound: float = 10.0,
             backend: str = "numpy") -> GampRieResult:
    r"""GAMP with a rotationally invariant denoiser for ``y = A(S*) + √Δ ξ`` (note §7).

    With ``α = n/d²``, start from ``Ŝ = √κ I``, ``V = 2``, ``g = 0`` and repeat

    1. ``ω = A(Ŝ) − V g`` (Onsager term with the previous ``g``), damped
       ``ω ← β ω + (1 − β) ω_old`` from the second iteration on;
    2. ``g = (y − ω)/(Δ + V)``;
    3. ``Â = 2α/(Δ + V)`` (theoretical, not empirical, precision);
    4. ``R = Ŝ + Aᵀ(g)/(d Â)``, asymptotically ``S* + √s · GOE``;
    5. ``s = max((Δ + V)/(4α), 1e-9)``;
    6. ``Ŝ_new = U diag(ξ) Uᵀ`` with ``R = U diag(λ) Uᵀ``, ``ξ = denoiser(λ, s)`` clipped to
       ``[clip[0] − 0.05, clip[1] + 0.05]``;
    7. ``V ← β max(2 MMSE_den(s), 1e-10) + (1 − β) V``;
    8. with ``r_t = ‖Ŝ_new − Ŝ‖_F/‖Ŝ_new‖_F``, stop when converged, ``r_t ρ̂/(1 − ρ̂) < tol``
       with ``ρ̂ = (r_t/r_{t−5})^{1/5} < 1`` (the distance to the fixed point of an iteration
       contracting at rate ρ̂); when stalled, no ``r`` of the last ``stall_window`` iterations
       below 0.9 × the smallest earlier one (a cycle: the changes no longer decrease); or
       after ``max_iter`` iterations.

    The stop rules look only at the iterate's own changes, never at ``S_star`` or at a
    predicted error. The fixed point does not depend on β (damping only weighs ω and V
    against their previous values), but a cycle does: larger β changes the cycle's
    average error at d ≈ 50–100 (measured: 0.44 → 0.57 at d = 50, α = 0.2, β = 0.7), so
    the damping stays fixed.

    Parameters
    ----------
    X : array, shape (n, d)
    y : array, shape (n,)
    delta : float
        Label-noise variance Δ, ``>= 0``.
    kappa : float
        Width ratio, ``> 0``; sets the start ``Ŝ = √κ I`` (the prior mean).
    denoiser : callable
        ``denoiser(eigenvalues, s) -> ξ``, e.g. ``lambda lam, s: rie_denoiser(lam, s, kappa)``.
    denoising_mmse : callable
        ``denoising_mmse(s) -> MMSE_den(s)``.
    clip : (float, float)
        Convex hull ``(lo, hi)`` of the prior's spectrum (``lo = 0`` when κ < 1); widened by 0.05.
    S_star : array, optional
        Ground truth, for the per-iteration error.
    damping : float
        β in (0, 1]; 1 is undamped. Undamped runs blow up at d ≈ 100 (note §7).
    max_iter : int
    tol : float
        Converged when the estimated relative distance ``r_t ρ̂/(1 − ρ̂)`` to the fixed point
        falls below ``tol`` (0 only stops on an exactly repeated iterate).
    n_average : int
        Unless converged, the reported error averages the last ``n_average`` iterates.
    stall_window : int or None
        Window of the stall rule; None runs on until converged or ``max_iter``.
    divergence_bound : float
        Raise when the per-entry error exceeds this (10 × the prior error 1 by default).
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    GampRieResult

    Raises
    ------
    DivergenceError
        On non-finite values anywhere in the iteration, or when the error exceeds
        ``divergence_bound``; the message names the iteration.

    References
    ----------
    Rangan (2011), arXiv:1010.5141; Bun et al. (2016), arXiv:1502.06736; Maillard et al.
    (2024), arXiv:2408.03733.
    """
    delta = _check_real("delta", delta, low=0.0)
    kappa = _check_real("kappa", kappa, low=0.0, closed_low=False)
    beta = _check_real("damping", damping, low=0.0, high=1.0, closed_low=False)
    max_iter = _check_int("max_iter", max_iter, low=1)
    n_average = _check_int("n_average", n_average, low=1)
    if stall_window is not None:
        stall_window = _check_int("stall_window", stall_window, low=1)
    tol = _check_real("tol", tol, low=0.0)
    bound = _check_real("divergence_bound", divergence_bound, low=0.0, closed_low=False)
    clip_range = _check_clip(clip)
    if not callable(denoiser):
        _fail("denoiser", denoiser, "a callable denoiser(eigenvalues, s)")
    if not callable(denoising_mmse):
        _fail("denoising_mmse", denoising_mmse, "a callable denoising_mmse(s)")
    backend = resolve_backend(backend)
    xp, (X, y) = _to_backend(backend, X, y)
    n, d = _check_design(X, y)
    if S_star is not None:
        (S_star,) = _to_backend(backend, S_star)[1]
        if tuple(S_star.shape) != (d, d):
            _fail("S_star", f"<array of shape {tuple(S_star.shape)}>", f"of shape ({d}, {d})")
    alpha = n / d**2

    def stop(t: int, what: str):
        raise DivergenceError(f"GAMP-RIE diverged at iteration {t}: {what}") from None

    S_hat = math.sqrt(kappa) * xp.eye(d, dtype=xp.float64)
    V = 2.0
    g = xp.zeros(n, dtype=xp.float64)
    omega_old = None
    mse, variances, noises, changes = [], [], [], []
    converged = stalled = False
    for t in range(max_iter):
        omega = sensing_operator(X, S_hat) - V * g
        if omega_old is not None:
            omega = beta * omega + (1.0 - beta) * omega_old
        omega_old = omega
        g = (y - omega) / (delta + V)
        A_hat = 2.0 * alpha / (delta + V)
        R = S_hat + sensing_adjoint(X, g) / (d * A_hat)
        if not bool(xp.all(xp.isfinite(R))):
            stop(t, "non-finite entries in the effective observation R")
        s = max((delta + V) / (4.0 * alpha), S_FLOOR)
        try:
            S_new = apply_spectral_denoiser(R, s, denoiser, clip_range)
        except DivergenceError as err:
            stop(t, str(err))
        V_new = float(denoising_mmse(s))
        if not math.isfinite(V_new):
            stop(t, f"denoising_mmse({s!r}) = {V_new!r}")
        V = beta * max(2.0 * V_new, V_FLOOR) + (1.0 - beta) * V
        norm = math.sqrt(float(xp.sum(S_new * S_new)))
        change = math.sqrt(float(xp.sum((S_new - S_hat) ** 2))) / norm if norm > 0 else math.inf
        S_hat = S_new
        noises.append(s)
        variances.append(V)
        changes.append(change)
        if S_star is not None:
            err = float(xp.sum((S_hat - S_star) ** 2)) / d
            if not err <= bound:
                stop(t, f"error {err:.3g} exceeds divergence_bound={bound!r}")
            mse.append(err)
        converged = _reached_fixed_point(changes, tol)
        stalled = not converged and _stalled(changes, stall_window)
        if converged or stalled:
            break
    mse_arr = np.asarray(mse, dtype=np.float64)
    if S_star is None:
        final_mse = None
    else:
        final_mse = float(mse_arr[-1] if converged else np.mean(mse_arr[-n_average:]))
    return GampRieResult(
        S_hat=to_numpy(S_hat),
        mse_trajectory=mse_arr,
        variance_trajectory=np.asarray(variances, dtype=np.float64),
        s_trajectory=np.asarray(noises, dtype=np.float64),
        change_trajectory=np.asarray(changes, dtype=np.float64),
        iterations=t + 1,
        converged=converged,
        stalled=stalled,
        final_mse=final_mse,
    )


def _reached_fixed_point(changes: list[float], tol: float) -> bool:
    r"""Whether ``r_t ρ̂/(1 − ρ̂) < tol``, ``ρ̂ = (r_t/r_{t−L})^{1/L}`` (L = :data:`RATE_LAG`).

    For an iteration contracting at rate ρ the remaining distance to the fixed point is
    ``Σ_{k≥1} ρ^k r_t = r_t ρ/(1 − ρ)``; ρ̂ is the rate measured on the iterate's own changes.
    """
    last = changes[-1]
    if last == 0.0:
        return True
    if len(changes) <= RATE_LAG or not changes[-1 - RATE_LAG] > last:
        return False
    rate = (last / changes[-1 - RATE_LAG]) ** (1.0 / RATE_LAG)
    return last * rate / (1.0 - rate) < tol


def _stalled(changes: list[float], window: int | None) -> bool:
    """Whether no change of the last ``window`` is below :data:`STALL_PROGRESS` × every
    earlier one (checked once ``2 window`` changes exist)."""
    if window is None or len(changes) < 2 * window:
        return False
    return not min(changes[-window:]) < STALL_PROGRESS * min(changes[:-window])
