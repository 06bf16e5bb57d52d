r"""Matrix denoising by a rotationally invariant estimator (science note §5).

Observe ``Y = S + √s G`` with ``G`` a GOE matrix of semicircle variance 1; the estimator
keeps the eigenvectors of ``Y`` and replaces each eigenvalue ``λ`` by ``ξ(λ)`` (Bun, Allez,
Bouchaud, Potters 2016). The spectral map ``ξ`` is injected (the theory layer provides the
optimal one), so this module never depends on :mod:`theory`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import array_api_compat
import numpy as np

from simulate._validate import check_int as _check_int
from simulate._validate import check_real as _check_real
from simulate._validate import check_rng as _check_rng
from simulate._validate import fail as _fail
from simulate.backend import resolve_backend, to_numpy
from simulate.errors import DivergenceError
from simulate.quadratic_teacher import _to_backend

Denoiser = Callable[[np.ndarray, float], np.ndarray]
"""``denoiser(eigenvalues, s) -> cleaned eigenvalues``: the RIE ``ξ(λ) = λ − 2 s h_s(λ)``."""


def goe_noise(d: int, rng: np.random.Generator) -> np.ndarray:
    r"""A GOE matrix normalised to the semicircle of variance 1 (edges ±2).

    ``G = (A + Aᵀ)/√(2d)`` with ``A`` of i.i.d. N(0, 1) entries: off-diagonal entries
    N(0, 1/d), diagonal N(0, 2/d). Host NumPy array.
    """
    d = _check_int("d", d, low=1)
    _check_rng(rng)
    a = rng.standard_normal((d, d))
    return (a + a.T) / math.sqrt(2 * d)


def apply_spectral_denoiser(R, s: float, denoiser: Denoiser, clip: tuple[float, float] | None = None):
    r"""Rotationally invariant estimate ``Σ_i ξ(λ_i) u_i u_iᵀ`` from ``R = Σ_i λ_i u_i u_iᵀ``.

    ``ξ = denoiser(λ, s)`` is evaluated on host NumPy eigenvalues (Bun et al. 2016), then
    optionally clipped to ``[clip[0], clip[1]]``. The eigendecomposition runs on ``R``'s backend.

    Returns
    -------
    array, shape (d, d)
        In ``R``'s namespace. Raises :class:`DivergenceError` if the denoiser returns
        non-finite values or the wrong shape.
    """
    xp = array_api_compat.array_namespace(R)
    eigenvalues, U = xp.linalg.eigh(R)
    lam = to_numpy(eigenvalues)
    xi = np.asarray(denoiser(lam, float(s)), dtype=np.float64)
    if xi.shape != lam.shape:
        raise DivergenceError(f"denoiser returned shape {xi.shape}, expected {lam.shape}")
    if not np.all(np.isfinite(xi)):
        raise DivergenceError(f"denoiser returned non-finite eigenvalues at s={s!r}")
    if clip is not None:
        xi = np.clip(xi, clip[0], clip[1])
    xi = xp.asarray(xi, dtype=R.dtype)
    return (U * xi[None, :]) @ U.T


def rie_denoising_error(S, s: float, denoiser: Denoiser, rng: np.random.Generator, *,
                        backend: str = "numpy") -> float:
    r"""Per-entry error of the RIE on one draw of ``Y = S + √s G``, G from :func:`goe_noise`.

    .. math::  \frac1d \lVert \hat S(Y) - S \rVert_F^2 ,

    which concentrates on ``MMSE_den(s)`` when the RIE is Bayes-optimal for the law of ``S``
    (Maillard, Krzakala, Mézard, Zdeborová 2022; note §5).

    Parameters
    ----------
    S : array, shape (d, d)
        Symmetric signal.
    s : float
        Noise variance of the semicircle, ``> 0``.
    denoiser : callable
        ``denoiser(eigenvalues, s)``.
    rng : numpy.random.Generator
    backend : {"numpy", "numba", "cupy", "auto"}
    """
    s = _check_real("s", s, low=0.0, closed_low=False)
    _check_rng(rng)
    backend = resolve_backend(backend)
    S_host = to_numpy(S)
    if S_host.ndim != 2 or S_host.shape[0] != S_host.shape[1]:
        _fail("S", f"<array of shape {S_host.shape}>", "a square 2-d array")
    noise = goe_noise(S_host.shape[0], rng)
    xp, (S, noise) = _to_backend(backend, S_host, noise)
    S_hat = apply_spectral_denoiser(S + math.sqrt(s) * noise, s, denoiser)
    return float(xp.sum((S_hat - S) ** 2)) / S.shape[0]
