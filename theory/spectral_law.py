r"""The contract of a limiting spectral law: a subclass gives a few primitives, this base the rest.

In the spirit of scipy.stats' ``rv_continuous``. A law is a frozen dataclass of its parameters
(validated against its declared ``domain``) and provides

* ``support``: the sorted intervals of the continuous part; ``atom``: the mass of a point mass
  at 0 (default none);
* ``_stieltjes(z)``: :math:`G(z) = \int \mu(dx)/(z - x)` at finite complex ``z``, and at real
  ``z`` the limit from above :math:`G(x + i0)`;
* ``free_cumulants(k)``: :math:`\kappa_1, \dots, \kappa_k`;
* optionally ``stieltjes_polynomial(z)``, the polynomial in :math:`G` whose physical root is
  :math:`G(z)` (its discriminant vanishes at the edges; used by the tests).

From these the base derives the density :math:`\rho(x) = -\operatorname{Im} G(x + i0)/\pi`,
the Hilbert transform :math:`h(x) = \operatorname{Re} G(x + i0)`, moments (free cumulants
through :mod:`theory._free_cumulants`), CDF and quantile (Chebyshev series of the density in
the angle variable, :mod:`theory._spectral_cdf`: any density with square-root edges) and
integrals over the support. A law with closed forms overrides ``_pdf``, ``_cdf``, ``_ppf`` or
``_moment``; the public methods validate their arguments and handle infinite points once.

Conventions shared by every law: :math:`G(z) \sim 1/z` at infinity,
:math:`\operatorname{Im} G < 0` for :math:`\operatorname{Im} z > 0`; the density is that of
the continuous part (the atom is not a density); CDF, quantile, Stieltjes transform and
moments include the atom. All methods are float64, vectorised over their first argument, and
return a NumPy scalar for a scalar argument.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from typing import ClassVar

import numpy as np

from theory._docstrings import SNIPPETS, fill
from theory._free_cumulants import moments_from_free_cumulants
from theory._quadrature import support_nodes
from theory._spectral_cdf import ChebyshevCdf
from theory._validate import Interval, complex_points, integer, levels, real_points

__all__ = ["SpectralLaw", "VARIANCE_RANGE"]

VARIANCE_RANGE = Interval(1e-30, 1e30)
"""Valid range of a law's variance (scale) parameter. The cubic of a free convolution and its
discriminant multiply up to six scales: within 1e±30 every such product stays inside double
range (1e±308), beyond it they overflow or underflow (a density of NaN, a support that cannot
be computed); no physical spectrum needs more."""

_DOCS = {**SNIPPETS, "parameters": "", "convention": ""}  # a method's parameters are the law's


class SpectralLaw:
    """Base class of the limiting spectral laws; see the module docstring for the contract."""

    domain: ClassVar[Mapping[str, Interval]] = {}  # the valid range of each parameter (field)

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = self.domain[field.name].scalar(field.name, getattr(self, field.name))
            object.__setattr__(self, field.name, value)

    # ------------------------------------------------------------------ primitives

    @property
    def support(self) -> tuple[tuple[float, float], ...]:
        """Sorted, disjoint intervals ``((lo, hi), ...)`` carrying the continuous part."""
        raise NotImplementedError

    @property
    def atom(self) -> float:
        """Mass of the point mass at 0 (0.0 when there is none)."""
        return 0.0

    def _stieltjes(self, z: np.ndarray) -> np.ndarray:
        """``G(z)`` at finite complex128 ``z``; at real ``z`` the limit from above, ``G(x + i0)``."""
        raise NotImplementedError

    def free_cumulants(self, k: int) -> np.ndarray:
        r"""Free cumulants :math:`\kappa_1, \dots, \kappa_k` (they add under free convolution)."""
        raise NotImplementedError

    def stieltjes_polynomial(self, z) -> list:
        """Coefficients (highest power first) of the polynomial in ``G`` that ``G(z)`` solves."""
        raise NotImplementedError

    # ------------------------------------------------------------------ overridable derivations

    def _pdf(self, x: np.ndarray) -> np.ndarray:
        g = self._stieltjes(x.astype(np.complex128))
        return np.where(g.imag < 0.0, -g.imag, 0.0) / np.pi

    def _cdf(self, x: np.ndarray) -> np.ndarray:
        return _chebyshev_cdf(self).cdf(x)

    def _ppf(self, p: np.ndarray) -> np.ndarray:
        return _chebyshev_cdf(self).quantile(p)

    def _moment(self, k: int) -> float:
        return float(moments_from_free_cumulants(self.free_cumulants(k))[k])

    def _pieces(self) -> tuple[tuple[float, float], ...]:
        """Quadrature pieces covering the support (a law may cut them towards singularities)."""
        return self.support

    # ------------------------------------------------------------------ public derived methods

    @property
    def edges(self) -> np.ndarray:
        """The support's endpoints, sorted: ``[a0, b0, a1, b1, ...]``."""
        return np.array(self.support, dtype=float).ravel()

    @fill(_DOCS)
    def pdf(self, x) -> np.ndarray:
        r"""Density :math:`\rho(x)` of the continuous part; zero outside the support.

        %(on_real_points)s
        """
        return _on_finite(real_points("x", x), self._pdf, 0.0, 0.0)

    @fill(_DOCS)
    def cdf(self, x) -> np.ndarray:
        r"""Distribution function :math:`F(x) = \mu((-\infty, x])`, atom included.

        %(on_real_points)s
        """
        return _on_finite(real_points("x", x), self._cdf, 0.0, 1.0)

    def ppf(self, p) -> np.ndarray:
        r"""Quantile :math:`Q(p) = \inf\{x : F(x) \ge p\}`: ``Q(0)``, ``Q(1)`` are the support's ends.

        Levels inside the atom map to 0.

        Parameters
        ----------
        p : array_like
            Levels in ``[0, 1]``.

        Returns
        -------
        ndarray
            float64, same shape as ``p`` (a NumPy scalar for scalar ``p``).
        """
        return self._ppf(levels("p", p))[()]

    def moment(self, k: int) -> float:
        r"""Moment :math:`m_k = \int x^k \mu(dx)`, atom included (:math:`m_0 = 1`).

        Parameters
        ----------
        k : int
            Order, ``k >= 0``.
        """
        return self._moment(integer("k", k))

    def stieltjes(self, z) -> np.ndarray:
        r"""Stieltjes transform :math:`G(z)`; at real ``z`` the limit from above :math:`G(x + i0)`.

        Parameters
        ----------
        z : array_like
            Finite complex (or real) points. At an atom (or a hard edge) the value is not finite.

        Returns
        -------
        ndarray
            complex128, same shape as ``z`` (a NumPy scalar for scalar ``z``).
        """
        return self._stieltjes(complex_points("z", z))[()]

    @fill(_DOCS)
    def hilbert(self, x) -> np.ndarray:
        r"""Hilbert transform :math:`h(x) = \operatorname{Re} G(x + i0) = \mathrm{p.v.}\int \mu(dy)/(x - y)`.

        Outside the support the real, physical branch (:math:`h \sim 1/x` at infinity), as
        needed for outlier eigenvalues of rotationally invariant estimators (Bun, Bouchaud &
        Potters 2017). Infinite at an atom.

        %(on_real_points)s
        """
        return _on_finite(real_points("x", x), lambda t: self._stieltjes(t.astype(np.complex128)).real, 0.0, 0.0)

    def integrate(self, f: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
                  n_nodes: int = 128) -> float:
        r"""Integral :math:`\int f(x, \rho(x), h(x))\,dx` over the support of the continuous part.

        Gauss–Legendre in the angle (:func:`theory._quadrature.support_nodes`) on each
        quadrature piece. ``f = lambda x, rho, h: rho`` gives the continuous mass,
        ``lambda x, rho, h: rho ** 3`` gives :math:`\int\rho^3`.

        Parameters
        ----------
        f : callable
            Vectorised ``f(x, rho, h)`` of three arrays of equal shape.
        n_nodes : int
            Nodes per piece, ``>= 1``.
        """
        x, w = support_nodes(np.ravel(self._pieces()), integer("n_nodes", n_nodes, low=1))
        g = self._stieltjes(x.astype(np.complex128))
        return float(np.dot(w, f(x, -g.imag / np.pi, g.real)))


def _on_finite(x: np.ndarray, func: Callable[[np.ndarray], np.ndarray], at_minus_inf: float,
               at_plus_inf: float) -> np.ndarray:
    """``func`` at the finite points of ``x``; the given limits at ``-inf`` and ``+inf``."""
    finite = np.isfinite(x)
    if finite.all():
        return func(x)[()]
    out = np.where(x > 0, at_plus_inf, at_minus_inf)
    out[finite] = func(x[finite])
    return out[()]


@functools.lru_cache(maxsize=64)
def _chebyshev_cdf(law: SpectralLaw) -> ChebyshevCdf:
    return ChebyshevCdf.build(law._pdf, law._pieces(), law.atom)
