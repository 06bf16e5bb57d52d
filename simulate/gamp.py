r"""Generalised approximate message passing with scalar variances, for any channel and denoiser.

For a generalised linear model :math:`y_\mu \sim P_{\rm out}(\cdot \mid (F x^*)_\mu)` with a
design :math:`F \in \mathbb R^{n\times N}` of i.i.d. entries of variance :math:`s_F`, GAMP
(Rangan 2011) alternates an output step (the channel) and an input step (the denoiser). With
the variances replaced by their averages (the i.i.d.-design simplification, exact in the
limit: Zdeborová & Krzakala 2016, §VI.C), one iteration from
:math:`\hat x = 0,\ \bar v = v_0,\ g = 0` reads

.. math::

    V &= s_F N\,\bar v, \qquad \omega = F\hat x - V g
        \quad(\text{the Onsager term } -Vg \text{ uses the previous } g), \\
    g &= g_{\rm out}(y, \omega, V), \qquad A = -s_F\, n\,\langle\partial_\omega g_{\rm out}\rangle,
        \qquad \Sigma = 1/A, \\
    R &= \hat x + \Sigma\, F^\top g \quad(\approx x^* + \text{Gaussian noise of variance } \Sigma), \\
    \hat x &= f_{\rm in}(R, \Sigma, \hat\tau^2), \qquad
        \bar v = \Sigma\,\langle\partial_R f_{\rm in}\rangle,

with :math:`\hat\tau^2 = \Sigma^2 s_F \lVert g\rVert^2` the empirical variance of the noise in
:math:`R`. Two algorithms of this package are this loop:

* the Bayes-optimal perceptron (:mod:`simulate.perceptron`): sign channel, Gaussian-prior
  denoiser, :math:`F = X/\sqrt d` (:math:`s_F = 1/d`);
* AMP for the LASSO of Donoho, Maleki & Montanari (2009) (:mod:`simulate.lasso_amp`): the
  least-squares channel :math:`g = (y - \omega)/V` and soft thresholding at
  :math:`\theta\hat\tau`, :math:`A` with :math:`N(0, 1/n)` entries; then :math:`z = Vg` obeys
  :math:`z^{t+1} = y - Ax^{t+1} + (\langle\eta'\rangle/\delta) z^t` and
  :math:`\hat\tau^2 = \lVert z\rVert^2/n`, exactly DMM's iteration (the initial :math:`v_0`
  cancels).

``onsager=False`` drops :math:`-Vg` (for the LASSO channel this is iterative soft
thresholding, IST): the comparison that shows why the Onsager term is there.

References
----------
.. [1] S. Rangan, "Generalized approximate message passing for estimation with random linear
   mixing", ISIT 2011, arXiv:1010.5141.
.. [2] L. Zdeborová, F. Krzakala, "Statistical physics of inference: thresholds and
   algorithms", Adv. Phys. 65:453 (2016), arXiv:1511.02476.
.. [3] D. L. Donoho, A. Maleki, A. Montanari, "Message-passing algorithms for compressed
   sensing", PNAS 106:18914 (2009), arXiv:0907.3574.

Notes
-----
Backends: ``numpy`` is the reference; ``cupy`` runs the same array-API code on the GPU;
``numba`` runs the NumPy path. Each iteration is two matrix–vector products over the
:math:`n\times N` design, which BLAS already runs at memory bandwidth: there is no loop for a
kernel to win.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import array_api_compat
import numpy as np

from simulate._validate import check_int as _check_int
from simulate._validate import check_real as _check_real
from simulate._validate import fail as _fail
from simulate.backend import resolve_backend, to_numpy
from simulate.errors import DivergenceError
from simulate.quadratic_teacher import _to_backend

Channel = Callable[[object, object, float], tuple[object, float]]
"""``channel(y, omega, V) -> (g, mean_dg)``: the output function :math:`g_{\\rm out}` and the
sample mean of its derivative in ``omega``."""

Denoiser = Callable[[object, float, float], tuple[object, float]]
"""``denoiser(R, sigma2, tau2_hat) -> (x_hat, mean_derivative)``: the input function and the
mean of its derivative in ``R``; ``sigma2`` is GAMP's predicted noise variance of ``R`` and
``tau2_hat`` the empirical one."""


@dataclass(frozen=True, eq=False)
class GampResult:
    """Output of :func:`gamp`; trajectories have one entry per iteration ``t = 0 … T−1``.

    Attributes
    ----------
    estimate : numpy.ndarray, shape (N,)
        The last estimate :math:`\\hat x^T` (host array).
    overlap : numpy.ndarray
        :math:`\\hat x^{t+1}\\cdot x^*/N` (empty without ``x_true``).
    self_overlap : numpy.ndarray
        :math:`\\lVert\\hat x^{t+1}\\rVert^2/N`.
    mse : numpy.ndarray
        :math:`\\lVert\\hat x^{t+1} - x^*\\rVert^2/N` (empty without ``x_true``).
    noise : numpy.ndarray
        :math:`\\hat\\tau_t^2`, the empirical noise variance of :math:`R^t`, the input of the
        denoiser at iteration t.
    predicted_noise : numpy.ndarray
        :math:`\\Sigma_t`, GAMP's own prediction of that variance.
    mean_derivative : numpy.ndarray
        :math:`\\langle\\partial_R f_{\\rm in}\\rangle` at iteration t (for soft thresholding the
        fraction of non-zero outputs).
    """

    estimate: np.ndarray
    overlap: np.ndarray
    self_overlap: np.ndarray
    mse: np.ndarray
    noise: np.ndarray
    predicted_noise: np.ndarray
    mean_derivative: np.ndarray


def gamp(F, y, channel: Channel, denoiser: Denoiser, *, entry_variance: float, n_iter: int,
         initial_variance: float = 1.0, x_true=None, onsager: bool = True,
         backend: str = "numpy") -> GampResult:
    r"""Run ``n_iter`` iterations of scalar-variance GAMP from :math:`\hat x = 0` (module docstring).

    Parameters
    ----------
    F : array, shape (n, N)
        Design with i.i.d. entries of variance ``entry_variance``.
    y : array, shape (n,)
        Observations.
    channel : callable
        ``channel(y, omega, V) -> (g, mean_dg)``; ``mean_dg`` must be negative.
    denoiser : callable
        ``denoiser(R, sigma2, tau2_hat) -> (x_hat, mean_derivative)``.
    entry_variance : float
        :math:`s_F > 0`: the variance of one entry of ``F`` (``1/d`` for :math:`X/\sqrt d`,
        ``1/n`` for the compressed-sensing normalisation).
    n_iter : int
        Number of iterations, ``>= 1``.
    initial_variance : float
        :math:`v_0 > 0`, the variance of the start :math:`\hat x = 0` about :math:`x^*` (the
        prior variance for Bayes-optimal GAMP).
    x_true : array, shape (N,), optional
        Ground truth, for the overlap and error trajectories.
    onsager : bool
        Keep the Onsager term :math:`-Vg` (``False`` gives the naive iteration).
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    GampResult

    Raises
    ------
    DivergenceError
        When an iterate or a variance is not finite, or the channel's mean derivative is not
        negative; the message names the iteration.
    """
    s_f = _check_real("entry_variance", entry_variance, low=0.0, closed_low=False)
    v_bar = _check_real("initial_variance", initial_variance, low=0.0, closed_low=False)
    n_iter = _check_int("n_iter", n_iter, low=1)
    if not callable(channel):
        _fail("channel", channel, "a callable channel(y, omega, V) -> (g, mean_dg)")
    if not callable(denoiser):
        _fail("denoiser", denoiser, "a callable denoiser(R, sigma2, tau2_hat) -> (x_hat, mean_derivative)")
    backend = resolve_backend(backend)
    xp, (F, y) = _to_backend(backend, F, y)
    if len(F.shape) != 2 or F.shape[0] < 1 or F.shape[1] < 1:
        _fail("F", f"<array of shape {tuple(F.shape)}>", "a 2-d array of shape (n, N)")
    n, N = int(F.shape[0]), int(F.shape[1])
    if tuple(y.shape) != (n,):
        _fail("y", f"<array of shape {tuple(y.shape)}>", f"a 1-d array of length n={n}")
    if x_true is not None:
        (x_true,) = _to_backend(backend, x_true)[1]
        if tuple(x_true.shape) != (N,):
            _fail("x_true", f"<array of shape {tuple(x_true.shape)}>", f"a 1-d array of length N={N}")

    def stop(t: int, what: str):
        raise DivergenceError(f"GAMP diverged at iteration {t}: {what}")

    x_hat = xp.zeros(N, dtype=xp.float64)
    g = xp.zeros(n, dtype=xp.float64)
    records: dict[str, list[float]] = {key: [] for key in ("overlap", "self_overlap", "mse", "noise",
                                                           "predicted_noise", "mean_derivative")}
    for t in range(n_iter):
        V = s_f * N * v_bar
        omega = F @ x_hat
        if onsager:
            omega = omega - V * g
        g, mean_dg = channel(y, omega, V)
        precision = -s_f * n * float(mean_dg)
        if not (math.isfinite(precision) and precision > 0):
            stop(t, f"the channel's mean derivative {float(mean_dg)!r} is not negative and finite")
        sigma2 = 1.0 / precision
        back = F.T @ g
        R = x_hat + sigma2 * back
        tau2_hat = sigma2 * sigma2 * s_f * float(xp.sum(g * g))
        x_hat, mean_derivative = denoiser(R, sigma2, tau2_hat)
        v_bar = sigma2 * float(mean_derivative)
        if not (math.isfinite(v_bar) and bool(xp.all(xp.isfinite(x_hat)))):
            stop(t, "non-finite estimate or variance")
        records["noise"].append(tau2_hat)
        records["predicted_noise"].append(sigma2)
        records["mean_derivative"].append(float(mean_derivative))
        records["self_overlap"].append(float(xp.sum(x_hat * x_hat)) / N)
        if x_true is not None:
            records["overlap"].append(float(xp.sum(x_hat * x_true)) / N)
            records["mse"].append(float(xp.sum((x_hat - x_true) ** 2)) / N)
    return GampResult(estimate=to_numpy(x_hat),
                      **{key: np.asarray(values, dtype=np.float64) for key, values in records.items()})


def special_function(name: str, x):
    """``scipy.special.<name>`` or, for a CuPy array, ``cupyx.scipy.special.<name>``."""
    if array_api_compat.is_cupy_array(x):
        import cupyx.scipy.special as special
    else:
        import scipy.special as special
    return getattr(special, name)(x)
