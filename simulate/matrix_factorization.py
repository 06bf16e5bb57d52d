r"""Gradient descent on matrix factorisation: symmetric :math:`XX^\top` and asymmetric :math:`FG^\top`.

The fully observed versions of the matrix-sensing experiments of Xiong, Ding & Du (ICLR
2024, arXiv:2310.01769): a planted positive semi-definite target
:math:`M^* = U\operatorname{diag}(\sigma)U^\top` (:math:`U` Haar on the Stiefel manifold) and

* symmetric: :math:`f = \tfrac14\lVert XX^\top - M^*\rVert_F^2`,
  :math:`X \leftarrow X - \eta(XX^\top - M^*)X`, :math:`X_0 \sim \alpha N(0, 1)`;
* asymmetric: :math:`f = \tfrac12\lVert FG^\top - M^*\rVert_F^2`,
  :math:`(F, G) \leftarrow (F - \eta RG,\ G - \eta R^\top F)` with :math:`R = FG^\top - M^*`,
  :math:`F_0 \sim \alpha N(0, 1)`, :math:`G_0 \sim (\alpha/3) N(0, 1)`, so that the imbalance
  :math:`\Delta_0 = F_0^\top F_0 - G_0^\top G_0` has mean :math:`\tfrac89 n\alpha^2 I`.

Every run records :math:`\lVert\cdot - M^*\rVert_F^2` after every step, computed from the
:math:`n\times n` residual itself (the expansion :math:`\lVert X^\top X\rVert^2 - 2\operatorname{tr}(X^\top M^*X) + \lVert M^*\rVert^2`
cancels catastrophically once the error is below ~1e-16).

Initialisation screen (science note §6(c), erratum). :math:`\Delta_0` concentrates only
as :math:`n \to \infty`: at :math:`n = 20, k = 4` its smallest eigenvalue is below
:math:`0.1\cdot\tfrac89 n\alpha^2` in ~2.5% of draws and negative in ~0.5%, and then the
weak directions belong to :math:`F` or converge arbitrarily slowly. :func:`asymmetric_gd`
redraws :math:`(F_0, G_0)` until :math:`\lambda_{\min}(\Delta_0) \ge`
``min_imbalance`` :math:`\cdot\tfrac89 n\alpha^2` and reports how many draws it rejected.

Backends. The matrices are a few dozen entries wide, so a step is a handful of tiny
products and NumPy's per-call overhead is the cost. ``numpy`` is the reference; ``numba``
compiles the same loop (:func:`_symmetric_loop`, :func:`_asymmetric_loop`, written once in the
NumPy subset Numba accepts) and runs it whole: at n = 20, k = 4 (``make bench``, best of 3 on
a loaded 2-core machine) 28 → 2.8 µs per symmetric step and 70 → 12 µs per asymmetric step
(ratios 0.10 and 0.16), the same errors to ~1e-12. ``cupy`` runs the NumPy loop on the host
(a GPU cannot help arrays this small).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from simulate._validate import check_choice, check_int, check_real, check_rng, fail
from simulate.backend import BACKENDS, resolve_backend

MAX_REDRAWS = 1000
"""Initialisations rejected by the imbalance screen before :func:`asymmetric_gd` gives up."""


@dataclass(frozen=True, eq=False)
class PlantedTarget:
    """``M* = U diag(eigenvalues) Uᵀ`` with orthonormal ``U`` of shape ``(n, r)``."""

    basis: np.ndarray
    eigenvalues: np.ndarray

    @property
    def matrix(self) -> np.ndarray:
        return (self.basis * self.eigenvalues) @ self.basis.T


@dataclass(frozen=True, eq=False)
class SymmetricRun:
    """Output of :func:`symmetric_gd`: ``errors[t] = ‖X_t X_tᵀ − M*‖_F²`` for t = 0..steps, final ``X``."""

    errors: np.ndarray
    X: np.ndarray


@dataclass(frozen=True, eq=False)
class AsymmetricRun:
    """Output of :func:`asymmetric_gd`.

    Attributes
    ----------
    errors : numpy.ndarray
        ``‖F_t G_tᵀ − M*‖_F²`` for every step taken.
    imbalance : numpy.ndarray, shape (k, k)
        ``Δ₀ = F₀ᵀF₀ − G₀ᵀG₀`` of the accepted initialisation.
    F, G : numpy.ndarray, shape (n, k)
        Final factors.
    converged : bool
        The error fell below ``stop_error`` within ``max_steps``.
    rejected : int
        Initialisations redrawn by the imbalance screen.
    """

    errors: np.ndarray
    imbalance: np.ndarray
    F: np.ndarray
    G: np.ndarray
    converged: bool
    rejected: int


def planted_target(n: int, eigenvalues, rng: np.random.Generator) -> PlantedTarget:
    """A rank-``r`` PSD target with the given positive eigenvalues and a Haar-random basis (QR of a Gaussian)."""
    n = check_int("n", n, low=2)
    lam = np.asarray(eigenvalues, dtype=float)
    if lam.ndim != 1 or not 1 <= lam.size < n or not np.all(np.isfinite(lam)) or np.any(lam <= 0):
        fail("eigenvalues", f"<array of shape {lam.shape}>", f"between 1 and {n - 1} finite values > 0")
    check_rng(rng)
    q, r = np.linalg.qr(rng.standard_normal((n, lam.size)))
    return PlantedTarget(basis=q * np.sign(np.diag(r)), eigenvalues=lam)


def _check_common(target, width, init_scale, step, rng, backend):
    if not isinstance(target, PlantedTarget):
        fail("target", type(target).__name__, "a PlantedTarget (see planted_target)")
    n = target.basis.shape[0]
    k = check_int("width", width, low=1)
    alpha = check_real("init_scale", init_scale, low=0.0, high=1.0, closed_low=False)
    eta = check_real("step", step, low=0.0, closed_low=False,
                     high=0.5 / float(np.max(target.eigenvalues)), closed_high=False)
    check_rng(rng)
    check_choice("backend", backend, BACKENDS)
    resolve_backend(backend)
    return n, k, alpha, eta


def symmetric_gd(target: PlantedTarget, width: int, init_scale: float, step: float, steps: int,
                 rng: np.random.Generator, *, stop_error: float = 0.0, backend: str = "numpy") -> SymmetricRun:
    r"""GD on :math:`\tfrac14\lVert XX^\top - M^*\rVert_F^2`, :math:`X \in \mathbb R^{n\times k}`, :math:`X_0 \sim \alpha N(0,1)`.

    Parameters
    ----------
    target : PlantedTarget
    width : int
        :math:`k \ge 1` (over-parameterised when :math:`k > r`).
    init_scale : float
        :math:`\alpha` in (0, 1].
    step : float
        :math:`\eta`, in :math:`(0, 1/(2\sigma_1))`: stable for the claim's initialisations
        (the Hessian at the solution has top eigenvalue :math:`2\sigma_1`).
    steps : int
        Number of steps :math:`T \ge 1`.
    rng : numpy.random.Generator
    stop_error : float
        Stop early once the error is at most this (0: run all ``steps``).
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    SymmetricRun
    """
    n, k, alpha, eta = _check_common(target, width, init_scale, step, rng, backend)
    steps = check_int("steps", steps, low=1)
    stop = check_real("stop_error", stop_error, low=0.0)
    M = target.matrix
    X = alpha * rng.standard_normal((n, k))
    loop = _compiled()[0] if resolve_backend(backend) == "numba" else _symmetric_loop
    errors, X = loop(X, M, eta, steps, stop)
    return SymmetricRun(errors=errors, X=X)


def asymmetric_gd(target: PlantedTarget, width: int, init_scale: float, step: float,
                  rng: np.random.Generator, *, stop_error: float = 1e-22, max_steps: int = 400_000,
                  min_imbalance: float = 0.1, backend: str = "numpy") -> AsymmetricRun:
    r"""GD on :math:`\tfrac12\lVert FG^\top - M^*\rVert_F^2` from an imbalanced small initialisation.

    Parameters
    ----------
    target : PlantedTarget
    width : int
        :math:`k \ge 1`.
    init_scale : float
        :math:`\alpha` in (0, 1]: :math:`F_0 \sim \alpha N(0, 1)`, :math:`G_0 \sim (\alpha/3)N(0, 1)`.
    step : float
        :math:`\eta` in :math:`(0, 1/(2\sigma_1))`.
    rng : numpy.random.Generator
    stop_error : float
        Stop once :math:`\lVert FG^\top - M^*\rVert_F^2` is at most this (> 0).
    max_steps : int
        Step cap; ``converged`` is False if reached first.
    min_imbalance : float
        Screen: redraw the initialisation while
        :math:`\lambda_{\min}(\Delta_0) < \text{min\_imbalance}\cdot\tfrac89 n\alpha^2` (0 keeps every
        positive-definite draw; module docstring).
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    AsymmetricRun
    """
    n, k, alpha, eta = _check_common(target, width, init_scale, step, rng, backend)
    stop = check_real("stop_error", stop_error, low=0.0, closed_low=False)
    max_steps = check_int("max_steps", max_steps, low=1)
    screen = check_real("min_imbalance", min_imbalance, low=0.0, high=1.0)
    threshold = max(screen * 8.0 / 9.0 * n * alpha ** 2, 0.0)
    for rejected in range(MAX_REDRAWS + 1):
        F = alpha * rng.standard_normal((n, k))
        G = alpha / 3.0 * rng.standard_normal((n, k))
        imbalance = F.T @ F - G.T @ G
        if np.linalg.eigvalsh(imbalance)[0] > threshold:
            break
    else:
        raise ValueError(f"min_imbalance={min_imbalance!r} is out of range: no initialisation "
                         f"passed the screen in {MAX_REDRAWS} draws")
    M = target.matrix
    loop = _compiled()[1] if resolve_backend(backend) == "numba" else _asymmetric_loop
    errors, F, G = loop(F, G, M, eta, max_steps, stop)
    return AsymmetricRun(errors=errors, imbalance=imbalance, F=F, G=G,
                         converged=bool(errors[-1] <= stop), rejected=rejected)


def late_log_slope(errors, low: float, high: float) -> float:
    r"""Least-squares slope of :math:`\ln(\text{error})` against the step over the steps with ``low < error < high``.

    The window is where the slowest linear mode dominates (below ``high``) and rounding does
    not (above ``low``). Returns NaN when fewer than 10 steps fall in the window (the run
    did not reach it, or crossed it too fast to fit).
    """
    errors = np.asarray(errors, dtype=float)
    lo = check_real("low", low, low=0.0, closed_low=False)
    hi = check_real("high", high, low=lo, closed_low=False)
    steps = np.flatnonzero((errors > lo) & (errors < hi))
    if steps.size < 10:
        return float("nan")
    return float(np.polyfit(steps, np.log(errors[steps]), 1)[0])



# The two GD loops, written once in the subset of NumPy that Numba compiles: run as Python
# they are the ``numpy`` reference, compiled by :func:`_compiled` the ``numba`` backend.

def _symmetric_loop(X, M, eta, steps, stop):
    errors = np.empty(steps + 1)
    for t in range(steps + 1):
        E = X @ X.T - M
        errors[t] = np.sum(E * E)
        if t == steps or errors[t] <= stop or not np.isfinite(errors[t]):
            return errors[:t + 1], X
        X = X - eta * (E @ X)
    return errors, X


def _asymmetric_loop(F, G, M, eta, max_steps, stop):
    errors = np.empty(min(max_steps, 4095) + 1)
    t = 0
    while True:
        if t == errors.shape[0]:
            grown = np.empty(2 * t)
            grown[:t] = errors
            errors = grown
        R = F @ G.T - M
        errors[t] = np.sum(R * R)
        if errors[t] <= stop or not np.isfinite(errors[t]) or t == max_steps:
            return errors[:t + 1], F, G
        F, G = F - eta * (R @ G), G - eta * (R.T @ F)
        t += 1


@functools.cache
def _compiled():
    """The loops compiled by Numba (cached on disk); numba is imported only here."""
    import numba
    return numba.njit(cache=True)(_symmetric_loop), numba.njit(cache=True)(_asymmetric_loop)
