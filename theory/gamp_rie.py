r"""Bayes-optimal learning of an extensive-width quadratic network (GAMP-RIE theory).

Maillard, Troiani, Martin, Krzakala, Zdeborová (2024), "Bayes-optimal learning of an
extensive-width neural network from quadratically many samples", NeurIPS 2024,
arXiv:2408.03733.

Teacher :math:`f^*(x) = m^{-1/2}\sum_{k\le m} [(w_k\cdot x)^2 - \|w_k\|^2]/d`, width
:math:`m = \kappa d`, :math:`n = \alpha d^2` samples, labels :math:`y = f^*(x) + \sqrt\Delta\,\xi`
(:math:`\Delta`: label-noise variance). Everything is in the :math:`S^*`-scale:
:math:`f^*(x) = \operatorname{Tr}[Z(x) S^*]` with :math:`S^* = W^{*\top}W^*/\sqrt{md}`, whose
spectrum is Marchenko–Pastur with mean :math:`\sqrt\kappa` and variance 1 (atom of mass
:math:`1 - \kappa` at 0 when :math:`\kappa < 1`). The error :math:`M = \|\hat S - S^*\|_F^2/d`
equals 1 at :math:`\alpha = 0`; the excess prediction error is :math:`2M`, the test error
against a fresh noisy label :math:`\Delta + 2M`.

The Bayes-optimal error solves :math:`M = \mathrm{MMSE}_{\rm den}((\Delta + 2M)/(4\alpha))`,
where :math:`\mathrm{MMSE}_{\rm den}(s)` is the error of denoising :math:`S^*` from
:math:`S^* + \sqrt s\,\mathrm{GOE}` (Maillard, Krzakala, Mézard, Zdeborová 2022):

.. math::

    \mathrm{MMSE}_{\rm den}(s) = s - \frac{4\pi^2}{3} s^2 \int \rho_s(x)^3\,dx
                               = s - 4 s^2 \int \rho_s h_s^2 \,dx,

with :math:`\rho_s` the density of :math:`\mathrm{law}(S^*) \boxplus \mathrm{SC}(s)` and
:math:`h_s` its Hilbert transform (:mod:`theory.free_convolution`).
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy.optimize.elementwise import find_root

from theory._mp_semicircle_fisher import cube_integral
from theory._validate import broadcast_together, check_finite, check_interval, check_positive
from theory.fixed_point import FixedPointResult, solve_fixed_point
from theory.free_convolution import mp_semicircle_hilbert

__all__ = [
    "bayes_optimal_mmse",
    "denoising_mmse",
    "excess_prediction_error",
    "label_noise_from_preactivation",
    "perfect_recovery_threshold",
    "prior_spectrum_parameters",
    "prior_support_hull",
    "rie_denoiser",
    "small_width_limit_mmse",
    "state_evolution",
    "test_mse",
]

_S_MIN = 1e-13  # below this channel noise, M < 2α·1e-13 is reported as 0
_S_EXPANSION = 1e4  # from here (and where its s⁻³ term is below 5e-13) the expansion is used
_S_MORE_NODES = 1e3  # from here 8/5 of the nodes: 1e-12 relative in ∫ρ³ would be s·1e-12 in MMSE_den
_ALPHA_SERIES = 1e-12  # below, M = 1 − 4α/(2 + Δ) + O(α²/κ) is exact in double precision
_KAPPA_RANGE = (1e-8, 1e12)  # the MP ratio 1/κ must lie in theory.free_convolution's domain
_NODES = 20  # Gauss nodes per quadrature piece: below 1e-10 relative in ∫ρ³ (typically 1e-14)
_COARSE_NODES = 10  # below 1e-6 relative (median 1e-9): enough to narrow the brackets
_WARM_WIDTH = 1e-3  # half-width in log s of the narrowed brackets
_INVALID_BRACKET = -1  # status of scipy.optimize.elementwise.find_root
_COARSE_FROM = 64  # points per call from which the coarse stage pays for itself
_TOLERANCES = {"xatol": 1e-13, "xrtol": 4.0 * np.finfo(float).eps}  # on log s


def _scalar_or_array(values: np.ndarray):
    return values[()] if values.ndim == 0 else values


def prior_spectrum_parameters(kappa: float) -> dict[str, float]:
    r"""Marchenko–Pastur parameters of :math:`\mathrm{law}(S^*)` for :mod:`theory.free_convolution`.

    :math:`S^* = \sqrt\kappa\, W^{*\top}W^*/m` is the Wishart law of aspect ratio
    :math:`d/m = 1/\kappa` and entry variance :math:`\sqrt\kappa`: mean :math:`\sqrt\kappa`,
    variance :math:`q\sigma^4 = 1`.

    Parameters
    ----------
    kappa : float
        Width ratio :math:`\kappa = m/d`, in [1e-8, 1e12].

    Returns
    -------
    dict
        ``{"ratio": 1/kappa, "variance": sqrt(kappa)}``, to pass as keyword arguments.
    """
    check_interval("kappa", kappa, *_KAPPA_RANGE)
    return {"ratio": 1.0 / kappa, "variance": math.sqrt(kappa)}


def prior_support_hull(kappa: float) -> tuple[float, float]:
    r"""Convex hull ``(lo, hi)`` of the spectrum of :math:`S^*`.

    :math:`hi = (\sqrt\kappa + 1)^2/\sqrt\kappa`; :math:`lo = 0` for :math:`\kappa < 1` (the atom),
    else :math:`(\sqrt\kappa - 1)^2/\sqrt\kappa`.
    """
    check_positive("kappa", kappa)
    root = math.sqrt(kappa)
    lo = 0.0 if kappa < 1 else (root - 1.0) ** 2 / root
    return lo, (root + 1.0) ** 2 / root


def perfect_recovery_threshold(kappa):
    r"""Noiseless perfect-recovery threshold :math:`\alpha_{PR} = \kappa - \kappa^2/2` (:math:`\kappa \le 1`), else 1/2.

    Equal to half the fraction :math:`r_0 = \lim_{s\to 0}\mathrm{MMSE}_{\rm den}(s)/s` of the
    :math:`d^2` entries not fixed by the rank constraint (Maillard et al. 2024).
    """
    check_positive("kappa", kappa)
    kappa = np.asarray(kappa, dtype=float)
    return _scalar_or_array(np.where(kappa <= 1, kappa - 0.5 * kappa * kappa, 0.5))


def _expansion_start(kappa: np.ndarray) -> np.ndarray:
    """Noise from which the large-s expansion of MMSE_den is used: its O(s⁻³) term, measured at
    most 4(1/κ + 1/κ²)/s³, is under 5e-13 there. Below it the quadrature, whose cancellation of
    s²∫ρ³ against s costs ~1e-16·s: 1e-10 at κ ≳ 2e-3 (start ≤ 1e6), 4e-7 at κ = 1e-8 (4e9)."""
    return np.maximum(_S_EXPANSION, np.cbrt(8e12 * (1.0 + 1.0 / kappa) / kappa))


def _denoising_mmse(s: np.ndarray, kappa: np.ndarray, nodes: int = _NODES) -> np.ndarray:
    """MMSE_den at 1-D arrays ``s > 0``, ``kappa`` of equal shape (curve quadrature, or large s)."""
    out = np.empty(s.shape)
    large = s >= _expansion_start(kappa)  # third free cumulant of the prior: k₃ = q²σ⁶ = 1/√κ
    out[large] = s[large] / (1.0 + s[large]) - 1.0 / (kappa[large] * s[large] ** 2)
    # s²∫ρ³ cancels against s to ~1/s: larger s need ∫ρ³ to more digits, hence more nodes
    for part, count in ((~large & (s < _S_MORE_NODES), nodes), (~large & (s >= _S_MORE_NODES), 8 * nodes // 5)):
        if not part.any():
            continue
        small, p = s[part], 1.0 / np.sqrt(kappa[part])  # qσ² = 1/√κ, qσ⁴ = 1
        out[part] = small - (4.0 * math.pi ** 2 / 3.0) * small ** 2 * cube_integral(p, np.ones_like(p), small, count)
    return out


def denoising_mmse(s, kappa):
    r"""Matrix-denoising MMSE :math:`\mathrm{MMSE}_{\rm den}(s) = s - (4\pi^2/3)\, s^2 \int\rho_s^3`.

    Error per entry (:math:`\|\hat S - S\|_F^2/d`) of the Bayes-optimal estimate of :math:`S`
    (distributed as :math:`S^*`) from :math:`S + \sqrt s\,\mathrm{GOE}` (semicircle of variance
    :math:`s`); Maillard, Krzakala, Mézard, Zdeborová (2022), arXiv:2110.08775. It increases
    from :math:`r_0 s` at small :math:`s` (:math:`r_0 = 2\kappa - \kappa^2` for
    :math:`\kappa \le 1`, else 1) to 1.

    :math:`(4\pi^2/3)\int\rho_s^3` is Voiculescu's free Fisher information of the noisy law,
    at least :math:`1/(1 + s)` (free Cramér–Rao, equality for a semicircular prior: then
    :math:`s/(1 + s)`); :math:`\int\rho_s^3` is integrated along the curve :math:`1/G(x + i0)`
    (:mod:`theory._mp_semicircle_fisher`), vectorised over ``s`` and ``kappa``. At large
    :math:`s` the subtraction loses digits to rounding (about :math:`10^{-16} s`) and the
    large-noise expansion :math:`s/(1 + s) - k_3^2/s^2 + O(s^{-3})` is used instead, with
    :math:`k_3^2 = 1/\kappa` the squared third free cumulant of the prior, from
    :math:`s = \max(10^4, (8 \cdot 10^{12}(1/\kappa + 1/\kappa^2))^{1/3})` (where the
    :math:`s^{-3}` term, measured at most :math:`4(1/\kappa + 1/\kappa^2)/s^3`, is below
    5e-13), checked against the quadrature in the tests. Below that start the quadrature's
    rounding is about 1e-10 for κ ≳ 2e-3 (start ≤ 1e6) and grows to 4e-7 at κ = 1e-8
    (start 4e9): for small κ the expansion needs :math:`s \gg 1/\kappa`.

    Parameters
    ----------
    s : float or array_like
        Noise variance, > 0.
    kappa : float or array_like
        Width ratio, in [1e-8, 1e12]; broadcast against ``s``.

    Returns
    -------
    float or ndarray
    """
    check_positive("s", s)
    check_interval("kappa", kappa, *_KAPPA_RANGE)
    s, kappa = broadcast_together(s=s, kappa=kappa)
    return _scalar_or_array(_denoising_mmse(s.ravel(), kappa.ravel()).reshape(s.shape))


def rie_denoiser(eigenvalues, s: float, kappa: float):
    r"""Optimal rotationally invariant denoiser :math:`\xi(\lambda) = \lambda - 2 s\, h_s(\lambda)`.

    Applied to the eigenvalues of :math:`Y = S^* + \sqrt s\,\mathrm{GOE}` (Bun, Allez, Bouchaud,
    Potters 2016, arXiv:1502.06736); :math:`h_s` is taken on its physical branch outside the
    support, so outliers are handled.
    """
    check_finite("eigenvalues", eigenvalues)
    check_positive("s", s)
    lam = np.asarray(eigenvalues, dtype=float)
    return lam - 2.0 * s * mp_semicircle_hilbert(lam, noise_variance=s, **prior_spectrum_parameters(kappa))


def _large_noise_mmse(alpha: float, kappa: float, delta: float) -> float:
    r"""(FP) where every admissible :math:`s \ge \Delta/(4\alpha)` is in the large-noise regime.

    There :math:`M = 1 - D` with :math:`D = 1/(1 + s) + k_3^2/s^2` (the expansion of
    :func:`denoising_mmse`) is so close to 1 that a bracket in :math:`s` cannot resolve the sign
    of :math:`\mathrm{MMSE}_{\rm den}(s) - M(s)`; :math:`D = D(s(D))`,
    :math:`s = (\Delta + 2 - 2D)/(4\alpha)`, is a contraction with factor
    :math:`\approx 8\alpha/(\Delta + 2)^2 \le 2\cdot 10^{-6}`, solved to full relative accuracy.
    """
    def deficit(d: float) -> float:
        s = (delta + 2.0 - 2.0 * d) / (4.0 * alpha)
        return 1.0 / (1.0 + s) + 1.0 / (kappa * s * s)

    first = deficit(0.0)
    return 1.0 - solve_fixed_point(deficit, first, tol=4.0 * np.finfo(float).eps * first).value


def _gap(log_s, alpha, kappa, delta, *, nodes: int = _NODES):
    """(MMSE_den(s) − M(s))/s with M(s) = 2αs − Δ/2: decreasing in s, zero at the fixed point."""
    s = np.exp(log_s)
    shape = s.shape
    s, alpha, kappa, delta = (np.broadcast_to(v, shape).ravel() for v in (s, alpha, kappa, delta))
    value = _denoising_mmse(s, kappa, nodes) / s - 2.0 * alpha + 0.5 * delta / s
    return value.reshape(shape)


def _bracketed_fixed_point(alpha, kappa, delta):
    r"""M on 1-D arrays of points where (FP) is solved in :math:`\log s` inside the bracket.

    All points at once: Chandrupatla's method (:func:`scipy.optimize.elementwise.find_root`),
    each step on every unfinished point in one vectorised call. From :data:`_COARSE_FROM` points
    on, a first pass on a coarse quadrature (:data:`_COARSE_NODES` per piece, below 1e-6
    relative) narrows each bracket to a half-width :data:`_WARM_WIDTH` in :math:`\log s`, and
    the full quadrature solves inside it (the full bracket where the narrowed one holds no sign
    change). Where the full bracket holds none, the root lies below :data:`_S_MIN`, within
    :math:`2\alpha \cdot 10^{-13}` of perfect recovery: M = 0.
    """
    lo = np.log(np.maximum(delta / (4.0 * alpha), _S_MIN))  # M = 0 (or 2α·1e-13) there
    hi = np.log((delta + 2.0) / (4.0 * alpha))  # M = 1 there, and MMSE_den < 1
    warm_lo, warm_hi = lo, hi
    if alpha.size >= _COARSE_FROM:  # fewer points: the cost per call is its overhead
        coarse = find_root(functools.partial(_gap, nodes=_COARSE_NODES), (lo, hi), args=(alpha, kappa, delta),
                           tolerances={"xatol": 0.1 * _WARM_WIDTH, "xrtol": 0.0}).x
        coarse = np.where(np.isfinite(coarse), coarse, lo)  # no coarse sign change: near lo
        warm_lo, warm_hi = np.maximum(lo, coarse - _WARM_WIDTH), np.minimum(hi, coarse + _WARM_WIDTH)
    found = find_root(_gap, (warm_lo, warm_hi), args=(alpha, kappa, delta), tolerances=_TOLERANCES)
    log_s, status = found.x, found.status
    retry = (status == _INVALID_BRACKET) & ((warm_lo > lo) | (warm_hi < hi))  # a narrowed bracket missed it
    if retry.any():
        found = find_root(_gap, (lo[retry], hi[retry]), args=(alpha[retry], kappa[retry], delta[retry]),
                          tolerances=_TOLERANCES)
        log_s[retry], status[retry] = found.x, found.status
    # gap(hi) = (MMSE_den − 1)/s < 0, so an invalid full bracket means gap(lo) <= 0
    below = status == _INVALID_BRACKET
    log_s[below] = -np.inf
    solved = below | (status == 0)
    if not solved.all():
        i = np.flatnonzero(~solved)[0]
        raise RuntimeError(f"bayes_optimal_mmse: no root of (FP) found at alpha={alpha[i]!r}, "
                           f"kappa={kappa[i]!r}, delta={delta[i]!r}")
    return np.clip(2.0 * alpha * np.exp(log_s) - 0.5 * delta, 0.0, 1.0)


def bayes_optimal_mmse(alpha, kappa, delta=0.0):
    r"""Bayes-optimal error :math:`M` (S*-scale): the root of (FP) below, on whole grids at once.

    .. math::

        M = \mathrm{MMSE}_{\rm den}\bigl((\Delta + 2M)/(4\alpha)\bigr).        \tag{FP}

    Solved in :math:`s = (\Delta + 2M)/(4\alpha)` on
    :math:`\log s \mapsto \mathrm{MMSE}_{\rm den}(s)/s - 2\alpha + \Delta/(2s)`, bracketed by
    :math:`s = \Delta/(4\alpha)` (:math:`M = 0`) and :math:`(\Delta + 2)/(4\alpha)` (:math:`M = 1`),
    for every point of the broadcast ``(alpha, kappa, delta)`` at once (coarse quadrature to
    narrow the brackets, then the full one; a 128 × 128 (α, κ) diagram takes seconds). Where even
    :math:`\Delta/(4\alpha)` is in the large-noise regime, :math:`1 - M \approx 4\alpha/(\Delta + 2)`
    is below what that bracket resolves and is solved for directly from the large-noise
    expansion (from its start, :math:`10^6` or more for κ ≲ 2e-3, as in :func:`denoising_mmse`).
    Noiseless, :math:`M = 0` exactly for :math:`\alpha \ge \alpha_{PR}(\kappa)`
    (:func:`perfect_recovery_threshold`). Maillard et al. (2024), arXiv:2408.03733.

    Parameters
    ----------
    alpha : float or array_like
        Sample ratio :math:`n/d^2 \ge 0`.
    kappa : float or array_like
        Width ratio :math:`m/d`, in [1e-8, 1e12].
    delta : float or array_like
        Label-noise variance :math:`\Delta \ge 0`.

    Returns
    -------
    float or ndarray
        :math:`M \in [0, 1]` of the broadcast shape, accurate to about 1e-10 (1e-8 where
        :math:`\Delta/(4\alpha)` nears :math:`10^6`: rounding in :math:`2\alpha s - \Delta/2`).
    """
    check_positive("alpha", alpha, allow_zero=True)
    check_interval("kappa", kappa, *_KAPPA_RANGE)
    check_positive("delta", delta, allow_zero=True)
    alpha, kappa, delta = broadcast_together(alpha=alpha, kappa=kappa, delta=delta)
    shape = alpha.shape
    alpha, kappa, delta = alpha.ravel(), kappa.ravel(), delta.ravel()
    out = np.zeros(alpha.shape)
    series = alpha < _ALPHA_SERIES
    out[series] = 1.0 - 4.0 * alpha[series] / (2.0 + delta[series])
    perfect = ~series & (delta == 0) & (alpha >= perfect_recovery_threshold(kappa))
    large = ~series & ~perfect & (delta >= 4.0 * alpha * _expansion_start(kappa))
    out[large] = [_large_noise_mmse(*point) for point in zip(alpha[large], kappa[large], delta[large])]
    rest = ~(series | perfect | large)
    if rest.any():
        out[rest] = _bracketed_fixed_point(alpha[rest], kappa[rest], delta[rest])
    return _scalar_or_array(out.reshape(shape))


def state_evolution(alpha: float, kappa: float, delta: float = 0.0, *, max_iter: int = 100_000,
                    tol: float = 1e-13, damping: float = 0.0) -> FixedPointResult:
    r"""State evolution of GAMP-RIE from the uninformed start :math:`M^0 = 1`.

    .. math::

        M^{t+1} = \mathrm{MMSE}_{\rm den}\bigl((\Delta + 2M^t)/(4\alpha)\bigr).

    Its limit is the Bayes-optimal error: no computational gap (Maillard et al. 2024).

    Parameters
    ----------
    alpha : float
        Sample ratio, > 0.
    kappa : float
        Width ratio, > 0.
    delta : float
        Label-noise variance, >= 0.
    max_iter, tol, damping
        Passed to :func:`theory.fixed_point.solve_fixed_point`.

    Returns
    -------
    FixedPointResult
        ``trajectory`` holds :math:`M^0 = 1, M^1, \dots`.
    """
    check_positive("alpha", alpha)
    check_positive("delta", delta, allow_zero=True)
    check_interval("kappa", kappa, *_KAPPA_RANGE)
    kappa_ = np.array([float(kappa)])

    def update(m: float) -> float:
        s = (delta + 2.0 * m) / (4.0 * alpha)
        return float(_denoising_mmse(np.array([s]), kappa_)[0]) if s > 0 else 0.0

    return solve_fixed_point(update, 1.0, damping=damping, tol=tol, max_iter=max_iter)


def label_noise_from_preactivation(sigma):
    r"""Label-noise variance :math:`\Delta = 2\sigma^2(2 + \sigma^2)` equivalent to pre-activation noise.

    Noise :math:`\sigma z_k` inside each hidden unit, :math:`m^{-1/2}\sum_k (w_k\cdot x/\sqrt d + \sigma z_k)^2`,
    adds (after removing its mean :math:`\sqrt m\,\sigma^2`) a term of variance
    :math:`4\sigma^2 + 2\sigma^4` given :math:`x`.
    """
    check_positive("sigma", sigma, allow_zero=True)
    sigma = np.asarray(sigma, dtype=float)
    return _scalar_or_array(2.0 * sigma ** 2 * (2.0 + sigma ** 2))


def excess_prediction_error(mmse):
    r"""Excess prediction error :math:`\mathbb E_x (f^* - \hat f)^2 = 2M` of the estimator with error ``mmse``."""
    check_positive("mmse", mmse, allow_zero=True)
    return _scalar_or_array(2.0 * np.asarray(mmse, dtype=float))


def test_mse(mmse, delta: float):
    r"""Test mean-squared error against a fresh noisy label, :math:`\Delta + 2M`."""
    check_positive("mmse", mmse, allow_zero=True)
    check_positive("delta", delta, allow_zero=True)
    return _scalar_or_array(delta + 2.0 * np.asarray(mmse, dtype=float))


test_mse.__test__ = False  # not a pytest test despite its name


def small_width_limit_mmse(beta):
    r"""Limit of the noiseless :math:`M` as :math:`\kappa \to 0` at fixed :math:`\beta = \alpha/\kappa = n/(md)`.

    .. math::

        M = 1 \;(\beta \le 1/2), \qquad 4\beta(1 - \beta) \;(1/2 \le \beta \le 1), \qquad 0 \;(\beta \ge 1).
    """
    check_positive("beta", beta, allow_zero=True)
    beta = np.asarray(beta, dtype=float)
    return _scalar_or_array(np.where(beta <= 0.5, 1.0, np.where(beta >= 1.0, 0.0, 4.0 * beta * (1.0 - beta))))
