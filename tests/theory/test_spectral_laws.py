"""Every spectral law against the identities any law must satisfy (scipy's ``common_tests``).

The laws are found, not listed: every concrete :class:`theory.spectral_law.SpectralLaw`
subclass in the ``theory`` package, plus a minimal law defined here from primitives only (so
the generic derivations are tested on a law that overrides none of them). Parameters are drawn
by hypothesis from each law's declared ``domain``, bounds included, so a new law gets these
tests, over its whole declared domain, by existing:

* no NaN anywhere; density >= 0 and zero off the support; CDF in [0, 1], non-decreasing;
* normalisation: continuous mass + atom = 1;
* quantile and CDF invert each other above the atom;
* moments: from the free cumulants summed over non-crossing partitions, and by quadrature;
* edges: real zeros of the discriminant of the Stieltjes polynomial (it changes sign across
  each edge and is negative inside the support, where ``G`` is one of a complex pair);
* the Stieltjes transform is the physical root: it solves its polynomial, ``Im G < 0`` above
  the axis, ``G ~ 1/z`` at infinity, and ``-Im G(x + i0)/pi`` is the density.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import itertools
import math
import pkgutil
from dataclasses import dataclass

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import theory
from theory.random_matrices import Semicircle
from theory.spectral_law import SpectralLaw
from theory._validate import Interval


@dataclass(frozen=True)
class ShiftedSemicircle(SpectralLaw):
    """A law written from its primitives only: semicircle of variance ``variance`` centred at ``centre``."""

    variance: float = 1.0
    centre: float = 0.0

    domain = {"variance": Interval(1e-3, 1e3), "centre": Interval(-10.0, 10.0)}

    @property
    def support(self):
        radius = 2.0 * math.sqrt(self.variance)
        return ((self.centre - radius, self.centre + radius),)

    def _stieltjes(self, z):
        w, radius = z - self.centre, 2.0 * math.sqrt(self.variance)
        return 2.0 / (w + np.sqrt(w - radius) * np.sqrt(w + radius))

    def free_cumulants(self, k):
        return np.array([{1: self.centre, 2: self.variance}.get(n, 0.0) for n in range(1, k + 1)])

    def stieltjes_polynomial(self, z):
        return [self.variance, -(z - self.centre), 1.0]


def _concrete_laws() -> list[type[SpectralLaw]]:
    for module in pkgutil.iter_modules(theory.__path__):
        importlib.import_module(f"theory.{module.name}")
    found, stack = [], list(SpectralLaw.__subclasses__())
    while stack:
        cls = stack.pop()
        stack += cls.__subclasses__()
        if dataclasses.is_dataclass(cls) and cls.__module__.startswith("theory."):
            found.append(cls)
    return sorted(found, key=lambda cls: cls.__name__) + [ShiftedSemicircle]


LAWS = _concrete_laws()


def values(interval: Interval) -> st.SearchStrategy[float]:
    """The bounds, and log-uniform (or uniform, for a range through 0) values between them."""
    low, high = interval.low, interval.high
    bounds = [b for b, closed in ((low, interval.closed_low), (high, interval.closed_high))
              if closed and math.isfinite(b)]
    if low < 0:
        inner = st.floats(low, high, exclude_min=not interval.closed_low, exclude_max=not interval.closed_high)
    else:
        lo, hi = math.log10(max(low, 1e-300)), math.log10(min(high, 1e300))
        inner = st.floats(lo, hi).map(lambda e: min(max(10.0 ** e, low), high)).filter(
            lambda v: v > low or interval.closed_low)
    return st.one_of(st.sampled_from(bounds), inner) if bounds else inner


def law_strategy(cls: type[SpectralLaw]) -> st.SearchStrategy[SpectralLaw]:
    return st.builds(cls, **{field.name: values(cls.domain[field.name]) for field in dataclasses.fields(cls)})


def given_law(test):
    """Run ``test(law)`` over hypothesis-drawn parameters of every law."""
    @pytest.mark.parametrize("cls", LAWS, ids=[cls.__name__ for cls in LAWS])
    @given(data=st.data())
    def wrapper(cls, data):
        test(data.draw(law_strategy(cls), label="law"))
    wrapper.__name__, wrapper.__doc__ = test.__name__, test.__doc__
    return wrapper


def probe_points(law: SpectralLaw) -> np.ndarray:
    """Points across and around the support: a grid per interval and per gap, and beyond."""
    edges = law.edges
    width = edges[-1] - edges[0]
    grids = [np.linspace(a, b, 17) for a, b in zip(edges[:-1], edges[1:])]
    return np.unique(np.concatenate([*grids, edges[0] - width * np.array([1e-3, 0.5, 3.0]),
                                     edges[-1] + width * np.array([1e-3, 0.5, 3.0])]))


# --------------------------------------------------------------------------- values and shapes

@given_law
def test_density_cdf_hilbert_have_no_nan_and_the_right_signs(law):
    x = probe_points(law)
    rho, cdf, h = law.pdf(x), law.cdf(x), law.hilbert(x)
    assert not np.any(np.isnan(rho) | np.isnan(cdf) | np.isnan(h))
    assert np.all(rho >= 0) and np.all(rho[(x < law.edges[0]) | (x > law.edges[-1])] == 0)
    assert np.all(np.isfinite(rho[x != 0]))  # infinite only at a hard edge at 0
    assert np.all((cdf >= 0) & (cdf <= 1)) and np.all(np.diff(cdf) >= 0)
    assert law.cdf(law.edges[-1]) == pytest.approx(1.0, abs=1e-9)
    np.testing.assert_array_equal(law.pdf([-np.inf, np.inf]), [0.0, 0.0])
    np.testing.assert_array_equal(law.cdf([-np.inf, np.inf]), [0.0, 1.0])
    np.testing.assert_array_equal(law.hilbert([-np.inf, np.inf]), [0.0, 0.0])
    assert np.ndim(law.pdf(x[0])) == 0 and law.cdf(x.reshape(-1, 1)).shape == (x.size, 1)


@given_law
def test_mass_is_one(law):
    assert law.integrate(lambda x, rho, h: rho) + law.atom == pytest.approx(1.0, abs=1e-9)


@given_law
def test_quantile_inverts_cdf_above_the_atom(law):
    p = law.atom + (1.0 - law.atom) * np.array([1e-6, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-6])
    x = law.ppf(p)
    assert np.all(np.diff(x) >= 0) and x[0] >= law.edges[0] and x[-1] <= law.edges[-1]
    np.testing.assert_allclose(law.cdf(x), p, rtol=0, atol=1e-9)
    assert law.ppf(1.0) == law.edges[-1]
    assert law.ppf(0.0) == (0.0 if law.atom > 0 else law.edges[0])


# --------------------------------------------------------------------------- moments

@functools.cache
def noncrossing_partitions(k: int) -> list[list[int]]:
    """Block sizes of each non-crossing partition of {0, ..., k-1}."""
    def partitions(items):
        if not items:
            yield []
            return
        first, rest = items[0], items[1:]
        for size in range(len(rest) + 1):
            for others in itertools.combinations(rest, size):
                block = [first, *others]
                remaining = [i for i in rest if i not in others]
                for tail in partitions(remaining):
                    yield [block, *tail]

    def crossing(blocks):
        return any(a < b < c < d for p in blocks for r in blocks if p is not r
                   for a in p for c in p for b in r for d in r)
    return [[len(b) for b in blocks] for blocks in partitions(list(range(k))) if not crossing(blocks)]


@given_law
def test_moments_from_free_cumulants_and_quadrature(law):
    kappa = law.free_cumulants(5)
    scale = math.sqrt(law.moment(2))
    for k in range(6):
        combinatorial = math.fsum(math.prod(kappa[size - 1] for size in sizes)
                                  for sizes in noncrossing_partitions(k))
        terms = math.fsum(math.prod(abs(kappa[size - 1]) for size in sizes) for sizes in noncrossing_partitions(k))
        assert law.moment(k) == pytest.approx(combinatorial, rel=1e-12, abs=1e-12 * terms + 1e-300)
        if k >= 1:  # the atom at 0 adds nothing; quadrature resolves ~1e-10 of the scale
            quadrature = law.integrate(lambda x, rho, h: x ** k * rho)
            assert quadrature == pytest.approx(law.moment(k), rel=1e-8, abs=1e-9 * scale ** k)


def test_noncrossing_partitions_are_catalan_many():
    assert [len(noncrossing_partitions(k)) for k in range(7)] == [1, 1, 2, 5, 14, 42, 132]


# --------------------------------------------------------------------------- edges and G

def discriminant(coefficients) -> mp.mpf:
    """Discriminant of a polynomial (highest power first), in the working mpmath precision.

    Closed forms for degrees 2 and 3; otherwise :math:`a_n^{2n-2}\\prod_{i<j}(r_i - r_j)^2`.
    """
    a = [mp.mpf(c) for c in coefficients]
    while a and a[0] == 0:  # the degree can drop at a point (an atom's pole)
        a = a[1:]
    if len(a) == 3:
        (p, q, r) = a
        return q * q - 4 * p * r
    if len(a) == 4:
        (p, q, r, s) = a
        return q * q * r * r - 4 * p * r ** 3 - 4 * q ** 3 * s - 27 * p * p * s * s + 18 * p * q * r * s
    roots = mp.polyroots(a, maxsteps=400, extraprec=400)
    return a[0] ** (2 * len(roots) - 2) * mp.fprod((x - y) ** 2 for x, y in itertools.combinations(roots, 2))


@given_law
def test_edges_are_where_the_discriminant_changes_sign(law):
    edges = law.edges
    assert np.all(np.isfinite(edges)) and np.all(np.diff(edges) > 0)
    with mp.workdps(60):
        try:
            disc = lambda x: discriminant(law.stieltjes_polynomial(mp.mpf(x)))  # noqa: E731
            disc(edges[0])
        except NotImplementedError:
            pytest.skip(f"{type(law).__name__} has no Stieltjes polynomial")
        lengths = np.diff(np.concatenate([[edges[0] - (edges[-1] - edges[0])], edges, [2 * edges[-1] - edges[0]]]))
        for i, edge in enumerate(edges):
            delta = 1e-6 * min(lengths[i], lengths[i + 1])
            assert disc(edge - delta) * disc(edge + delta) < 0, (i, edge)
        for lo, hi in law.support:
            assert disc((lo + hi) / 2) < 0


@given_law
def test_stieltjes_is_the_physical_root(law):
    edges = law.edges
    width, centre = edges[-1] - edges[0], 0.5 * (edges[0] + edges[-1])
    z = centre + width * np.array([0.3 + 0.1j, -0.7 + 1j, 2.0 + 0.01j, 0.1 + 3j])
    far = 1e6 * max(width, abs(centre)) * np.array([1, -1, 1j])
    g = law.stieltjes(z)
    assert np.all(g.imag < 0)
    np.testing.assert_allclose(law.stieltjes(z.conj()), g.conj(), rtol=1e-12)
    residual = sum(c * g ** (len(law.stieltjes_polynomial(z)) - 1 - i)
                   for i, c in enumerate(law.stieltjes_polynomial(z)))
    scale = sum(abs(c * g ** (len(law.stieltjes_polynomial(z)) - 1 - i))
                for i, c in enumerate(law.stieltjes_polynomial(z)))
    assert np.all(np.abs(residual) <= 1e-10 * scale)
    np.testing.assert_allclose(far * law.stieltjes(far), 1.0, rtol=1e-5)
    x = np.setdiff1d(probe_points(law), [0.0, *law.edges])  # not at a pole or a double root
    np.testing.assert_allclose(-law.stieltjes(x).imag / np.pi, law.pdf(x), rtol=1e-9,
                               atol=1e-12 * np.max(law.pdf(x)))


# --------------------------------------------------------------------------- the minimal law

def test_generic_derivations_match_the_semicircle_closed_forms():
    """The minimal law uses only the generic engines: they must agree with the angle form."""
    minimal, closed = ShiftedSemicircle(0.7, 0.0), Semicircle(0.7)
    x = np.linspace(-2, 2, 101)
    np.testing.assert_allclose(minimal.pdf(x), closed.pdf(x), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(minimal.cdf(x), closed.cdf(x), rtol=0, atol=1e-13)
    p = np.linspace(0, 1, 101)
    np.testing.assert_allclose(minimal.ppf(p), closed.ppf(p), rtol=0, atol=1e-12)
    assert [minimal.moment(k) for k in range(8)] == pytest.approx([closed.moment(k) for k in range(8)], rel=1e-14)


def test_a_law_without_primitives_says_so():
    @dataclass(frozen=True)
    class Empty(SpectralLaw):
        pass

    with pytest.raises(NotImplementedError):
        Empty().edges
    with pytest.raises(NotImplementedError):
        Empty().moment(2)
