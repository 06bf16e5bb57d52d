r"""The sign-teacher perceptron: data, Bayes-optimal GAMP and the Hebb rule.

Teacher–student setting of Engel & Van den Broeck (2001), ch. 2–3: inputs
:math:`x_\mu \sim N(0, I_d)`, a teacher uniform on the sphere :math:`|w^*|^2 = d`, labels
:math:`y_\mu = \operatorname{sign}(w^*\cdot x_\mu/\sqrt d)`, :math:`n = \operatorname{round}(\alpha d)`.
A student :math:`J` has population error :math:`\arccos(R)/\pi`, :math:`R = J\cdot w^*/(|J||w^*|)`
(no test set needed).

Bayes-optimal learning with the Gaussian prior :math:`N(0, I_d)` (whose limit equals the
spherical one) is GAMP (:func:`simulate.gamp.gamp`) with the sign channel and the Gaussian
denoiser; its overlap :math:`\hat w^t\cdot w^*/d` follows the state evolution :math:`q_t`
(Rangan 2011; Zdeborová & Krzakala 2016, §VI; Barbier et al. 2019, arXiv:1708.03395).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import array_api_compat
import numpy as np

from simulate._validate import check_int as _check_int
from simulate._validate import check_real as _check_real
from simulate._validate import check_rng as _check_rng
from simulate._validate import fail as _fail
from simulate.backend import resolve_backend
from simulate.gamp import GampResult, gamp, special_function
from simulate.quadratic_teacher import _to_backend

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


@dataclass(frozen=True, eq=False)
class SignPerceptronData:
    """One teacher and its labelled inputs.

    Attributes
    ----------
    F : array, shape (n, d)
        Normalised inputs :math:`x_\\mu/\\sqrt d` as rows (i.i.d. :math:`N(0, 1/d)` entries).
    y : array, shape (n,)
        Labels :math:`\\pm 1`.
    teacher : array, shape (d,)
        :math:`w^*` with :math:`|w^*|^2 = d` exactly.

    Arrays live on the backend they were made for.
    """

    F: object
    y: object
    teacher: object

    @property
    def d(self) -> int:
        return int(self.F.shape[1])

    @property
    def alpha(self) -> float:
        """Realised sample ratio ``n/d``."""
        return self.F.shape[0] / self.F.shape[1]


def sign_perceptron_data(d: int, alpha: float, rng: np.random.Generator, *,
                         backend: str = "numpy") -> SignPerceptronData:
    r"""Draw a spherical teacher and ``n = round(αd)`` sign-labelled Gaussian inputs.

    Draws are made on the host in a fixed order (teacher, then inputs), so one seed gives
    the same data on every backend. A label of exactly 0 (probability 0) is set to +1.

    Parameters
    ----------
    d : int
        Input dimension, ``>= 2``.
    alpha : float
        Sample ratio, ``> 0`` with ``round(α d) >= 1``.
    rng : numpy.random.Generator
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    SignPerceptronData
    """
    d = _check_int("d", d, low=2)
    alpha = _check_real("alpha", alpha, low=0.0, closed_low=False)
    _check_rng(rng)
    backend = resolve_backend(backend)
    n = round(alpha * d)
    if n < 1:
        _fail("alpha", alpha, f">= {0.5 / d!r} so that n = round(alpha d) >= 1 at d={d}")
    teacher = rng.standard_normal(d)
    teacher *= math.sqrt(d) / np.linalg.norm(teacher)
    F = rng.standard_normal((n, d))
    F /= math.sqrt(d)
    y = np.where(F @ teacher >= 0.0, 1.0, -1.0)
    _, (F, y, teacher) = _to_backend(backend, F, y, teacher)
    return SignPerceptronData(F=F, y=y, teacher=teacher)


def sign_channel(y, omega, V: float):
    r"""Output function of :math:`y = \operatorname{sign}(z)`, :math:`z \sim N(\omega, V)`.

    With :math:`u = y\omega/\sqrt V` and :math:`r = \varphi(u)/\Phi(u) = \sqrt{2/\pi}/\operatorname{erfcx}(-u/\sqrt2)`
    (stable for every :math:`u`): :math:`g = y r/\sqrt V`, :math:`\partial_\omega g = -(r/V)(u + r)`.

    Returns
    -------
    g : array, shape (n,)
    mean_dg : float
    """
    xp = array_api_compat.array_namespace(y, omega)
    root = math.sqrt(V)
    u = y * omega / root
    r = _SQRT_2_OVER_PI / special_function("erfcx", -u / math.sqrt(2.0))
    return y * r / root, -float(xp.mean(r * (u + r))) / V


def gaussian_prior_denoiser(R, sigma2: float, tau2_hat: float):
    r"""Posterior mean of :math:`x \sim N(0, 1)` from :math:`R = x + \sqrt{\Sigma} Z`: :math:`R/(1 + \Sigma)`.

    The derivative :math:`1/(1 + \Sigma)` gives :math:`\bar v = \Sigma/(1 + \Sigma)`.
    ``tau2_hat`` is not used (Bayes-optimal GAMP trusts its own variance).
    """
    shrink = 1.0 / (1.0 + sigma2)
    return R * shrink, shrink


def perceptron_gamp(data: SignPerceptronData, n_iter: int, *, backend: str = "numpy") -> GampResult:
    r"""Bayes-optimal GAMP for the sign perceptron (Gaussian prior, prior variance 1).

    ``result.overlap[t]`` is :math:`m_{t+1} = \hat w^{t+1}\cdot w^*/d`, to compare with the
    state evolution :math:`q_{t+1}`; ``result.self_overlap`` is :math:`|\hat w|^2/d`, equal to
    the same :math:`q` by the Nishimori identity.
    """
    return gamp(data.F, data.y, sign_channel, gaussian_prior_denoiser, entry_variance=1.0 / data.d,
                n_iter=n_iter, initial_variance=1.0, x_true=data.teacher, backend=backend)


def hebb_student(data: SignPerceptronData):
    r"""The Hebb rule :math:`J = \sum_\mu y_\mu x_\mu` (up to a positive factor: :math:`F^\top y`)."""
    return data.F.T @ data.y


def generalisation_error(student, teacher) -> float:
    r"""Population error :math:`\arccos(R)/\pi` of ``student`` against ``teacher``, :math:`R` the cosine.

    Returns 1/2 for a zero student (it predicts nothing).
    """
    xp = array_api_compat.array_namespace(student, teacher)
    norms = float(xp.linalg.vector_norm(student)) * float(xp.linalg.vector_norm(teacher))
    if norms == 0.0:
        return 0.5
    cosine = min(1.0, max(-1.0, float(xp.sum(student * teacher)) / norms))
    return math.acos(cosine) / math.pi
