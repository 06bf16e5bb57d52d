r"""High-dimensional logistic regression: data from a logistic model and the MLE by Newton.

Conventions of Sur & Candès (2019): ``n`` observations, ``p = round(κ n)`` covariates
:math:`x_i \sim N(0, I_p/n)`, a coefficient vector with :math:`\|\beta\|^2 = n\gamma^2` exactly
(direction uniform: a Gaussian vector rescaled), labels
:math:`y_i \sim \mathrm{Bernoulli}(\rho'(x_i\cdot\beta))`, :math:`\rho(t) = \log(1 + e^t)`, no
intercept. The MLE minimises :math:`\ell(b) = \sum_i [\rho(x_i\cdot b) - y_i\,x_i\cdot b]`, by
Newton's method with a backtracking (Armijo) line search; it exists iff the data are not
separable, and on separable data :math:`\|b\|` grows without bound — the run then stops at its
cap and reports that it did not converge.

The Newton system is one p × p Cholesky solve of :math:`X^\top D X` per step (LAPACK through
NumPy): no loop for a compiled kernel to speed up, so every backend runs this code on the host.

References
----------
P. Sur, E. J. Candès (2019), PNAS 116, 14516, arXiv:1803.06964.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg
from scipy.special import expit, log_expit

from simulate._validate import check_int, check_real, check_rng
from simulate.backend import resolve_backend

__all__ = ["LogisticData", "LogisticFit", "logistic_data", "logistic_mle"]


@dataclass(frozen=True, eq=False)
class LogisticData:
    """Output of :func:`logistic_data`: ``X`` (n × p), labels ``y`` in {0, 1}, the true ``beta``."""

    X: np.ndarray
    y: np.ndarray
    beta: np.ndarray


@dataclass(frozen=True, eq=False)
class LogisticFit:
    """Output of :func:`logistic_mle`.

    Attributes
    ----------
    beta : numpy.ndarray
        The last iterate (the MLE when ``converged``).
    converged : bool
        True when the Newton decrement fell below the tolerance at a ``b`` that does not
        separate the data; False at the step cap or when the last iterate separates the
        data (the likelihood then flattens towards 0 at infinity and no MLE exists).
    iterations : int
    """

    beta: np.ndarray
    converged: bool
    iterations: int


def logistic_data(n: int, kappa: float, gamma: float, rng: np.random.Generator, *,
                  backend: str = "numpy") -> LogisticData:
    r"""Draw ``X`` with i.i.d. N(0, 1/n) entries, ``β`` with ``‖β‖² = nγ²`` and logistic labels.

    Parameters
    ----------
    n : int
        Observations, ``>= 2``.
    kappa : float
        ``p/n`` in (0, 1); ``p = max(1, round(κ n))``.
    gamma : float
        ``γ = ‖β‖/√n >= 0`` (the linear predictor has variance γ²).
    rng : numpy.random.Generator
    backend : str
        Validated; the data live on the host.
    """
    n = check_int("n", n, low=2)
    kappa = check_real("kappa", kappa, low=0.0, high=1.0, closed_low=False, closed_high=False)
    gamma = check_real("gamma", gamma, low=0.0)
    check_rng(rng)
    resolve_backend(backend)
    p = max(1, round(kappa * n))
    X = rng.standard_normal((n, p)) / math.sqrt(n)
    direction = rng.standard_normal(p)
    beta = gamma * math.sqrt(n) * direction / np.linalg.norm(direction)
    y = (rng.random(n) < expit(X @ beta)).astype(float)
    return LogisticData(X=X, y=y, beta=beta)


def _negative_log_likelihood(X: np.ndarray, y: np.ndarray, b: np.ndarray) -> float:
    eta = X @ b
    return float(-np.sum(y * log_expit(eta) + (1.0 - y) * log_expit(-eta)))


def logistic_mle(X, y, *, max_iter: int = 100, tol: float = 1e-10) -> LogisticFit:
    r"""The maximum-likelihood estimate of a logistic regression without intercept.

    Newton steps :math:`b \leftarrow b - t\,(X^\top D X)^{-1}\nabla\ell`,
    :math:`D = \mathrm{diag}(\rho''(Xb))`, from ``b = 0``, with ``t`` halved until the Armijo
    condition holds; stops when the Newton decrement :math:`\nabla\ell^\top(X^\top DX)^{-1}\nabla\ell/2`
    is below ``tol`` — unless the iterate separates the data (then no MLE exists).

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
        Labels in {0, 1}.
    max_iter : int
        Newton steps at most.
    tol : float
        Stopping threshold on the Newton decrement (a log-likelihood scale).

    Returns
    -------
    LogisticFit
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or not np.all(np.isin(y, (0.0, 1.0))):
        raise ValueError(f"y=<array of shape {y.shape}> is out of range: must be labels in {{0, 1}}, "
                         f"one per row of X (shape {X.shape})")
    max_iter = check_int("max_iter", max_iter, low=1)
    tol = check_real("tol", tol, low=0.0, closed_low=False)
    b = np.zeros(X.shape[1])
    loss = _negative_log_likelihood(X, y, b)
    for iteration in range(1, max_iter + 1):
        mu = expit(X @ b)
        grad = X.T @ (mu - y)
        hessian = (X * (mu * (1.0 - mu))[:, None]).T @ X
        try:
            step = scipy.linalg.cho_solve(scipy.linalg.cho_factor(hessian), grad)
        except np.linalg.LinAlgError:  # a vanishing curvature: the iterates run off (separable data)
            return LogisticFit(beta=b, converged=False, iterations=iteration)
        decrement = 0.5 * float(grad @ step)
        if decrement < tol:
            # on separable data the loss itself flattens to 0 along a separating b: that b
            # certifies that no MLE exists
            separates = bool(np.all((2.0 * y - 1.0) * (X @ b) > 0))
            return LogisticFit(beta=b, converged=not separates, iterations=iteration)
        t = 1.0
        while True:
            trial = b - t * step
            trial_loss = _negative_log_likelihood(X, y, trial)
            if trial_loss <= loss - 0.25 * t * 2.0 * decrement or t < 1e-10:
                break
            t *= 0.5
        b, loss = trial, trial_loss
    return LogisticFit(beta=b, converged=False, iterations=max_iter)
