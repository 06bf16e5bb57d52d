"""What the three random-matrix claims share: a limiting law checked against sampled spectra.

A spectral claim names its limiting law (quantile function, density, moments, right
edge) and its sampler; this base class turns them into the four checks below. Each
seed is one matrix, so every statistic is computed per matrix and its spread measured
over independent matrices (the eigenvalues of one matrix are strongly correlated).

Checks and why their tolerances are what they are:

* **density** (distribution): empirical quantiles at 19 levels against the limiting
  quantile function; the floor is one local eigenvalue spacing ``1/(N ρ)`` (rigidity:
  an order statistic sits within O(1) spacings of its classical location).
* **edge** (finite-size extrapolation in ``N^(-2/3)``): the mean largest eigenvalue
  approaches the edge from below like ``N^(-2/3)`` (Tracy–Widom scaling: Tracy & Widom
  1996, Johnstone 2001); the intercept of the fit is the infinite-size edge.
* **second moment** (finite-size extrapolation in ``1/N``): ``(1/N) tr M²`` is a linear
  statistic with O(1/N) fluctuations and an exactly O(1/N) bias for Gaussian ensembles
  (e.g. GOE ``E tr M² = N + 1``), so its intercept in ``1/N`` is the limiting moment.
* **fluctuation scaling** (scaling law): the spread of ``(1/N) tr M²`` over matrices
  shrinks like ``N^(-1)`` — linear statistics do not fluctuate like ``N^(-1/2)``, as
  they would for independent samples (Johansson 1998; Bai & Silverstein 2004).
"""

from __future__ import annotations

import numpy as np

from ..checks import DistributionAgreement, FiniteSizeExtrapolation, ScalingLaw
from ..claim import Claim
from ..params import Param

LEVELS = np.linspace(0.05, 0.95, 19)


def method_param(default: str = "tridiagonal", fast: str = "tridiagonal") -> Param:
    """The sampler: the O(N²) Dumitriu–Edelman model (``fast``) or the dense O(N³) matrix."""
    return Param("method", "str", default, f"sampler: {fast} O(N²) model or dense O(N³) matrix",
                 choices=(fast, "dense"))


def variance_param() -> Param:
    return Param("variance", "float", 1.0, "entry variance σ² of the ensemble", low=0.0, low_open=True,
                 high=1e6)


class SpectralClaim(Claim):
    """A limiting spectral law against sampled spectra; subclasses give the law and the sampler."""

    size_name = "N"
    headline = "density"

    # -- what a subclass provides -----------------------------------------------
    def atom(self, params) -> float:
        """Mass of an atom at 0 of the limiting law (excluded from the quantile levels)."""
        return 0.0

    def quantile(self, levels, params) -> np.ndarray:
        raise NotImplementedError

    def density(self, x, params) -> np.ndarray:
        raise NotImplementedError

    def moment(self, k: int, params) -> float:
        raise NotImplementedError

    def right_edge(self, params) -> float:
        raise NotImplementedError

    def sample(self, params, size: int, rng: np.random.Generator, backend: str) -> np.ndarray:
        raise NotImplementedError

    # -- the generic part ----------------------------------------------------------
    def levels(self, params) -> np.ndarray:
        """Quantile levels spread over the continuous part of the law."""
        atom = self.atom(params)
        return atom + (1.0 - atom) * LEVELS

    def predict(self, params):
        levels = self.levels(params)
        quantiles = self.quantile(levels, params)
        return {
            "levels": levels,
            "quantiles": quantiles,
            "quantile_density": self.density(quantiles, params),
            "right_edge": float(self.right_edge(params)),
            "m1": float(self.moment(1, params)),
            "m2": float(self.moment(2, params)),
            "m2_fluctuation_exponent": -1.0,
        }

    def measure(self, params, size, rng, backend):
        eigenvalues = self.sample(params, size, rng, backend)
        return {
            "quantiles": np.quantile(eigenvalues, self.levels(params), method="hazen"),
            "right_edge": float(eigenvalues[-1]),
            "m1": float(np.mean(eigenvalues)),
            "m2": float(np.mean(eigenvalues ** 2)),
        }

    def checks(self, params):
        return [
            DistributionAgreement(
                "quantiles", x="levels", name="density", effect={"quick": 0.05, "standard": 0.02},
                reason="t-quantile × SE over independent matrices (Bonferroni over 19 levels) "
                       "+ one local eigenvalue spacing 1/(Nρ) for the deterministic O(1/N) offset"),
            FiniteSizeExtrapolation(
                "right_edge", exponent=2.0 / 3.0, name="edge", effect={"quick": 0.1, "standard": 0.02},
                reason="intercept of a + b N^(-2/3) fitted to the mean largest eigenvalue "
                       "(Tracy–Widom scaling), t-quantile × fit SE"),
            FiniteSizeExtrapolation(
                "m2", exponent=1.0, name="second moment", effect={"quick": 0.1, "standard": 0.02},
                reason="intercept of a + b/N fitted to (1/N) tr M² (exact O(1/N) bias for "
                       "Gaussian ensembles), t-quantile × fit SE"),
            ScalingLaw(
                "m2_fluctuation_exponent", source="m2", statistic="sd", name="fluctuation scaling",
                floor=0.1,
                consistency="guards the experiment, not the law: linear statistics of these ensembles "
                            "fluctuate like N^-1 (not the i.i.d. N^-1/2) whatever the limiting density, "
                            "so a scaled density cannot move this exponent",
                reason="slope of log sd((1/N) tr M²) vs log N, SE 1/sqrt(2(R-1)) per size; "
                       "+0.1 for O(1/N) corrections to the CLT variance at the sizes used"),
        ]
