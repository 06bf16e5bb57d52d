r"""A linear student on noisy linear-teacher data: gradient descent and ridge at finite size.

Data (:func:`linear_teacher`): ``X`` is :math:`P \times N` (``n_samples × n_features``) with
i.i.d. :math:`\mathcal N(0, 1/N)` entries, labels :math:`y = X\bar w + \varepsilon`,
:math:`\varepsilon \sim \mathcal N(0, \sigma^2 I_P)`; the teacher has i.i.d.
:math:`\mathcal N(0, \sigma_{\bar w}^2)` entries (Advani & Saxe) or is rescaled to exactly
:math:`\lVert\bar w\rVert^2 = N\sigma_{\bar w}^2` (``teacher_norm="exact"``, the ridge
convention). :math:`\alpha = P/N`.

Both estimators are read off one eigendecomposition of the smaller Gram matrix
(:math:`X^\top X = \sum_i \lambda_i v_i v_i^\top` on the :math:`r = \min(N, P)` directions the
data span; the other :math:`N - r` directions are null; see :func:`design_spectrum`):

* Gradient descent on :math:`\frac12\lVert y - Xw\rVert^2` with step :math:`\eta`,
  :math:`w \leftarrow w + \eta X^\top(y - Xw)`: with :math:`z_i = v_i\cdot(\bar w - w)`,
  :math:`\xi_i = u_i\cdot\varepsilon` and :math:`q_i = 1 - \eta\lambda_i`,
  :math:`z_i(k) = z_i(0) q_i^k - (\xi_i/\sqrt{\lambda_i})(1 - q_i^k)` exactly, and null directions
  never move (:func:`linear_student_gd`; ``method="loop"`` runs the iteration itself).
* Ridge :math:`\hat w = (X^\top X + \lambda I)^{-1}X^\top y`, and the min-norm least-squares
  solution at :math:`\lambda = 0` (:func:`ridge_regression`).

Errors: generalisation :math:`E_g = \lVert w - \bar w\rVert^2/N + \sigma^2` (exact population error
for inputs of variance :math:`1/N`), excess :math:`E = \lVert w - \bar w\rVert^2/N`, training
:math:`\frac1P\lVert y - Xw\rVert^2`. Besides the errors of the one run, each function returns
their **expectation given the design** ``X`` (over the teacher, the label noise and the
initialisation, which enter linearly): for GD,

.. math::

    \mathbb E[E_g\,|\,X] = \frac1N\Big[\sum_{i\le r}\Big(A q_i^{2k}
        + \frac{\sigma^2}{\lambda_i}(1 - q_i^k)^2\Big) + (N - r)A\Big] + \sigma^2,\quad
    \mathbb E[E_t\,|\,X] = \frac1P\Big[\sum_{i\le r}(\lambda_i A + \sigma^2)q_i^{2k} + (P - r)\sigma^2\Big],

:math:`A = \sigma_{\bar w}^2 + \sigma_0^2`; for ridge
:math:`\mathbb E[E\,|\,X] = \frac1N\sum_i[\rho\lambda^2 + \sigma^2\lambda_i]/(\lambda_i + \lambda)^2`
over all :math:`N` eigenvalues. Their per-seed spread comes only from the spectrum (a linear
spectral statistic, :math:`O(1/N)`), against :math:`O(1/\sqrt N)` for the raw errors: the
statistic of choice when a claim needs power, with its :math:`O(1/N)` bias extrapolated away.

Backends. ``numpy`` (and ``numba``: the cost is one Gram product and one symmetric
eigensolver, LAPACK either way; there is no loop to compile) or ``cupy`` (the Gram and its
eigendecomposition on the GPU). Random numbers are drawn on the host from ``rng``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulate._validate import check_choice, check_int, check_real, check_rng, fail
from simulate.backend import array_namespace, resolve_backend, to_numpy

__all__ = ["LinearTeacherData", "DesignSpectrum", "GdCurves", "RidgeErrors", "linear_teacher",
           "design_spectrum", "linear_student_gd", "ridge_regression"]


@dataclass(frozen=True, eq=False)
class LinearTeacherData:
    """One data set of :func:`linear_teacher` (host arrays).

    Attributes
    ----------
    X : numpy.ndarray, shape (P, N)
        Inputs, one row per example, entries of variance ``1/N``.
    y : numpy.ndarray, shape (P,)
        Labels ``X @ teacher + noise``.
    teacher : numpy.ndarray, shape (N,)
    noise : numpy.ndarray, shape (P,)
    noise_variance, teacher_variance : float
        The variances the data were drawn with (:math:`\\sigma^2`, :math:`\\sigma_{\\bar w}^2`).
    """

    X: np.ndarray
    y: np.ndarray
    teacher: np.ndarray
    noise: np.ndarray
    noise_variance: float
    teacher_variance: float


@dataclass(frozen=True, eq=False)
class GdCurves:
    """Errors of :func:`linear_student_gd` at the requested step counts.

    ``generalization_error`` and ``training_error`` are those of the run;
    ``expected_generalization_error`` and ``expected_training_error`` their expectation given
    ``X`` (over teacher, noise and initialisation). All of shape ``(len(steps),)``; a step
    count of ``-1`` stands for the limit of infinitely many steps.
    """

    steps: np.ndarray
    generalization_error: np.ndarray
    training_error: np.ndarray
    expected_generalization_error: np.ndarray
    expected_training_error: np.ndarray


@dataclass(frozen=True, eq=False)
class RidgeErrors:
    """Errors of :func:`ridge_regression`, one entry per ridge value.

    ``excess`` (:math:`\\lVert\\hat w - \\bar w\\rVert^2/N`), ``train``, ``overlap``
    (:math:`m = \\bar w\\cdot\\hat w/N`) and ``self_overlap`` (:math:`q = \\lVert\\hat w\\rVert^2/N`)
    of this data set; ``expected_excess``, ``expected_train`` and ``expected_overlap`` their
    expectation given ``X`` (over teacher direction and noise).
    """

    reg: np.ndarray
    excess: np.ndarray
    train: np.ndarray
    overlap: np.ndarray
    self_overlap: np.ndarray
    expected_excess: np.ndarray
    expected_train: np.ndarray
    expected_overlap: np.ndarray


def linear_teacher(n_features: int, n_samples: int, rng: np.random.Generator, *,
                   noise_variance: float, teacher_variance: float = 1.0,
                   teacher_norm: str = "gaussian") -> LinearTeacherData:
    """Draw ``X`` (:math:`P \\times N`, variance ``1/N``), a linear teacher and noisy labels.

    Parameters
    ----------
    n_features : int
        :math:`N \\ge 1`.
    n_samples : int
        :math:`P \\ge 1`.
    rng : numpy.random.Generator
    noise_variance : float
        :math:`\\sigma^2 \\ge 0`.
    teacher_variance : float
        :math:`\\sigma_{\\bar w}^2 \\ge 0` (:math:`\\rho` of the ridge convention).
    teacher_norm : {"gaussian", "exact"}
        ``"gaussian"``: i.i.d. entries of that variance; ``"exact"``: a uniformly random
        direction with :math:`\\lVert\\bar w\\rVert^2 = N\\sigma_{\\bar w}^2` exactly.
    """
    n = check_int("n_features", n_features, low=1)
    p = check_int("n_samples", n_samples, low=1)
    rng = check_rng(rng)
    noise_variance = check_real("noise_variance", noise_variance, low=0.0)
    teacher_variance = check_real("teacher_variance", teacher_variance, low=0.0)
    check_choice("teacher_norm", teacher_norm, ("gaussian", "exact"))
    X = rng.standard_normal((p, n)) / math.sqrt(n)
    teacher = rng.standard_normal(n)
    if teacher_norm == "exact":
        teacher *= math.sqrt(n * teacher_variance) / np.linalg.norm(teacher)
    else:
        teacher *= math.sqrt(teacher_variance)
    noise = math.sqrt(noise_variance) * rng.standard_normal(p)
    return LinearTeacherData(X, X @ teacher + noise, teacher, noise, noise_variance, teacher_variance)


@dataclass(frozen=True, eq=False)
class DesignSpectrum:
    """The singular system of a design ``X`` (``P × N``) on the ``r ≤ min(N, P)`` directions it spans.

    Attributes
    ----------
    eigenvalues : numpy.ndarray, shape (r,)
        Eigenvalues :math:`\\lambda_i > 0` of :math:`X^\\top X` on those directions (ascending).
    right_vectors : array, shape (N, r)
        :math:`v_i` (NumPy or CuPy, as the backend computed them).
    left_vectors : array, shape (P, r)
        :math:`u_i = X v_i/\\sqrt{\\lambda_i}`.
    """

    eigenvalues: np.ndarray
    right_vectors: object
    left_vectors: object

    def project(self, vector, side: str) -> np.ndarray:
        """Components (host array) of a feature-space (``side="right"``) or label-space vector."""
        basis = self.right_vectors if side == "right" else self.left_vectors
        xp = array_namespace("cupy" if hasattr(basis, "get") else "numpy")
        return to_numpy(basis.T @ xp.asarray(vector))


def design_spectrum(X, *, backend: str = "numpy") -> DesignSpectrum:
    """Eigendecomposition of the smaller Gram matrix of ``X``, shared by :func:`linear_student_gd`
    and :func:`ridge_regression` (pass it as ``spectrum=`` to reuse it across label draws).

    Eigenvalues below ``max(N, P) · ε · λ_max`` cannot be told from 0 in double precision
    (the Gram's eigensolver has that absolute error; a Gaussian design has them only at
    ``P ≈ N``, about once in 10⁴ draws at N = 100): their directions are treated as null
    ones, which every error formula here accounts for (``r ≤ min(N, P)``).
    """
    backend = resolve_backend(backend)
    xp = array_namespace(backend)
    X = xp.asarray(np.asarray(X, dtype=float))
    p, n = X.shape
    lam, vectors = xp.linalg.eigh(X.T @ X if p >= n else X @ X.T)
    keep = lam > max(p, n) * np.finfo(float).eps * float(lam.max())
    lam, vectors = lam[keep], vectors[:, keep]
    if p >= n:
        V, U = vectors, (X @ vectors) / xp.sqrt(lam)
    else:
        U, V = vectors, (X.T @ vectors) / xp.sqrt(lam)
    return DesignSpectrum(to_numpy(lam), V, U)


def _spectrum_of(data, spectrum, backend) -> DesignSpectrum:
    if spectrum is None:
        return design_spectrum(data.X, backend=backend)
    if not isinstance(spectrum, DesignSpectrum) or spectrum.right_vectors.shape[0] != data.X.shape[1]:
        fail("spectrum", type(spectrum).__name__, "design_spectrum(data.X) of this design")
    return spectrum


def _check_data(data) -> LinearTeacherData:
    if not isinstance(data, LinearTeacherData):
        raise TypeError(f"data={type(data).__name__} is not a LinearTeacherData (use linear_teacher)")
    return data


def linear_student_gd(data: LinearTeacherData, learning_rate: float, steps, rng: np.random.Generator,
                      *, init_variance: float = 0.0, method: str = "spectral",
                      spectrum: DesignSpectrum | None = None, backend: str = "numpy") -> GdCurves:
    """Full-batch GD of a linear student from ``w(0) ~ N(0, σ0² I)``: errors at the given step counts.

    Parameters
    ----------
    data : LinearTeacherData
    learning_rate : float
        :math:`\\eta`, with :math:`0 < \\eta\\lambda_{\\max} < 2` for stability (GD is the flow
        :math:`\\tau\\dot w = X^\\top(y - Xw)` with :math:`\\tau = 1/\\eta`, up to :math:`O(\\eta)`).
    steps : array_like of int
        Step counts ``>= 0`` at which to report the errors, or ``-1`` for the limit of
        infinitely many steps (the min-norm interpolator plus the frozen initial component).
    rng : numpy.random.Generator
        Draws the initial weights.
    init_variance : float
        :math:`\\sigma_0^2 \\ge 0`.
    method : {"spectral", "loop"}
        ``"spectral"``: the exact closed form in the eigenbasis (any step count at the cost
        of one eigendecomposition); ``"loop"``: the iteration itself (the reference; no ``-1``).
    spectrum : DesignSpectrum, optional
        :func:`design_spectrum` of ``data.X``, if already computed.
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    GdCurves
    """
    data = _check_data(data)
    eta = check_real("learning_rate", learning_rate, low=0.0, closed_low=False)
    init_variance = check_real("init_variance", init_variance, low=0.0)
    check_choice("method", method, ("spectral", "loop"))
    steps = np.asarray(steps)
    if steps.ndim != 1 or steps.dtype.kind not in "iu" or np.any(steps < -1) \
            or (method == "loop" and np.any(steps < 0)):
        fail("steps", steps, "a 1-d array of integers >= 0 (or -1 for infinity with method='spectral')")
    backend = resolve_backend(backend)
    w0 = math.sqrt(init_variance) * check_rng(rng).standard_normal(data.X.shape[1])
    p, n = data.X.shape
    spectrum = _spectrum_of(data, spectrum, backend)
    lam = spectrum.eigenvalues
    if eta * float(lam.max()) >= 2.0:
        fail("learning_rate", learning_rate, f"< 2/λ_max = {2.0 / float(lam.max())!r} (GD diverges)")
    signal = data.teacher_variance + init_variance
    noise = data.noise_variance
    infinite = steps < 0
    powers = np.where(infinite[:, None], 0.0,
                      (1.0 - eta * lam)[None, :] ** np.maximum(steps, 0)[:, None])
    expected_g = ((signal * powers ** 2 + noise / lam * (1.0 - powers) ** 2).sum(axis=1)
                  + (n - lam.size) * signal) / n + noise
    expected_t = (((lam * signal + noise) * powers ** 2).sum(axis=1) + (p - lam.size) * noise) / p
    if method == "loop":
        gen, train = _gd_loop(data, w0, eta, steps)
    else:
        gen, train = _gd_spectral(data, w0, spectrum, powers)
    return GdCurves(steps, gen, train, expected_g, expected_t)


def _gd_spectral(data, w0, spectrum, powers):
    """Errors of the run from the exact per-direction solution ``z(k) = z0 q^k − (ξ/√λ)(1 − q^k)``."""
    lam = spectrum.eigenvalues
    diff = data.teacher - w0
    z0 = spectrum.project(diff, "right")
    frozen = max(float(diff @ diff) - float(z0 @ z0), 0.0)  # ‖(I − P_r)(w̄ − w0)‖², never moves
    xi = spectrum.project(data.noise, "left")
    p, n = data.X.shape
    z = z0 * powers - (xi / np.sqrt(lam)) * (1.0 - powers)
    gen = ((z * z).sum(axis=1) + frozen) / n + data.noise_variance
    fitted = np.sqrt(lam) * z + xi  # u_i·(y − Xw)
    outside = max(float(data.noise @ data.noise) - float(xi @ xi), 0.0)  # noise outside span(X)
    train = ((fitted * fitted).sum(axis=1) + outside) / p
    return gen, train


def _gd_loop(data, w0, eta, steps):
    """Errors of the run by iterating ``w ← w + η Xᵀ(y − Xw)`` (NumPy reference)."""
    X, y = data.X, data.y
    w = w0.copy()
    gen, train = np.empty(steps.size), np.empty(steps.size)
    wanted = {int(k): [] for k in steps}
    for idx, k in enumerate(steps):
        wanted[int(k)].append(idx)
    for k in range(int(steps.max()) + 1):
        if k in wanted:
            diff = w - data.teacher
            residual = y - X @ w
            for idx in wanted[k]:
                gen[idx] = diff @ diff / X.shape[1] + data.noise_variance
                train[idx] = residual @ residual / X.shape[0]
        w = w + eta * (X.T @ (y - X @ w))
    return gen, train


def ridge_regression(data: LinearTeacherData, reg, *, spectrum: DesignSpectrum | None = None,
                     backend: str = "numpy") -> RidgeErrors:
    """Ridge :math:`(X^\\top X + \\lambda I)^{-1}X^\\top y` for every ``reg`` (min-norm at 0), one eigendecomposition.

    Parameters
    ----------
    data : LinearTeacherData
    reg : array_like, shape (L,)
        Ridge values :math:`\\lambda \\ge 0` of the summed loss
        :math:`\\frac12\\lVert y - Xw\\rVert^2 + \\frac12\\lambda\\lVert w\\rVert^2`.
    spectrum : DesignSpectrum, optional
        :func:`design_spectrum` of ``data.X``, if already computed.
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    RidgeErrors
    """
    data = _check_data(data)
    reg = np.atleast_1d(np.asarray(reg, dtype=float))
    if reg.ndim != 1 or not np.all(np.isfinite(reg)) or np.any(reg < 0):
        fail("reg", reg, "a 1-d array of finite numbers >= 0")
    backend = resolve_backend(backend)
    p, n = data.X.shape
    spectrum = _spectrum_of(data, spectrum, backend)
    lam = spectrum.eigenvalues
    r = lam.size
    t = spectrum.project(data.teacher, "right")  # teacher along the data directions
    xi = spectrum.project(data.noise, "left")
    frozen = max(float(data.teacher @ data.teacher) - float(t @ t), 0.0)  # teacher outside span(X)
    noise_out = max(float(data.noise @ data.noise) - float(xi @ xi), 0.0)  # noise outside span(X)
    rho, sigma2 = data.teacher_variance, data.noise_variance
    L = reg[:, None]
    denom = lam + L  # (L, r)
    what = (lam * t + np.sqrt(lam) * xi) / denom  # ŵ along v_i (min-norm at λ = 0)
    err = what - t
    excess = ((err * err).sum(axis=1) + frozen) / n
    fitted = xi - np.sqrt(lam) * err  # u_i·(y − Xŵ) = √λ_i(t_i − ŵ_i) + ξ_i
    train = ((fitted * fitted).sum(axis=1) + noise_out) / p
    overlap = (what @ t) / n
    self_overlap = (what * what).sum(axis=1) / n
    # Given X: E t_i² = ρ, E ξ_i² = σ², independent; ŵ_i − t_i = (−λ t_i + √λ_i ξ_i)/(λ_i + λ).
    expected_excess = (((rho * L * L + sigma2 * lam) / denom ** 2).sum(axis=1) + (n - r) * rho) / n
    expected_train = ((L * L * (rho * lam + sigma2) / denom ** 2).sum(axis=1) + (p - r) * sigma2) / p
    expected_overlap = rho * (lam / denom).sum(axis=1) / n
    return RidgeErrors(reg, excess, train, overlap, self_overlap, expected_excess, expected_train,
                       expected_overlap)
