"""What the three random-matrix claims share: a limiting law checked against sampled spectra.

A spectral claim gives its limiting law (a :class:`theory.spectral_law.SpectralLaw`: quantile
function, density, moments, right edge, atom) and its sampler, nothing else; this base class
turns them into the four checks below. Each seed is one matrix, so every statistic is computed
per matrix and its spread measured over independent matrices (the eigenvalues of one matrix
are strongly correlated).

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

from theory.random_matrices import SpectralLaw

from ..checks import DistributionAgreement, FiniteSizeExtrapolation, ScalingLaw
from ..claim import Claim
from ..params import Param

LEVELS = np.linspace(0.05, 0.95, 19)
HISTOGRAM_BINS = 48
"""Bins of the eigenvalue histogram of the headline figure (over the support, 4% margins)."""


def method_param(default: str = "tridiagonal", fast: str = "tridiagonal") -> Param:
    """The sampler: the O(N²) Dumitriu–Edelman model (``fast``) or the dense O(N³) matrix."""
    return Param("method", "str", default, f"sampler: {fast} O(N²) model or dense O(N³) matrix",
                 choices=(fast, "dense"))


def variance_param() -> Param:
    """The entry variance: inside the laws' domain [1e-30, 1e30]; the claims pass at quick at both bounds."""
    return Param("variance", "float", 1.0, "entry variance σ² of the ensemble", low=1e-6, high=1e6)


class SpectralClaim(Claim):
    """A limiting spectral law against sampled spectra; a subclass gives the law and the sampler."""

    size_name = "N"
    headline = "density"
    edge_effect: dict = {"quick": 0.1, "standard": 0.02}
    """The edge check's declared effect (a subclass whose edge extrapolation is weaker says why)."""
    edge_effect_reason = ""

    # -- what a subclass provides -----------------------------------------------
    def law(self, params) -> SpectralLaw:
        """The limiting law at these parameters (a :class:`theory.spectral_law.SpectralLaw`)."""
        raise NotImplementedError

    def sample(self, params, size: int, rng: np.random.Generator, backend: str) -> np.ndarray:
        """The sorted eigenvalues of one sampled matrix of this size."""
        raise NotImplementedError

    # -- the generic part ----------------------------------------------------------
    def levels(self, params) -> np.ndarray:
        """Quantile levels spread over the continuous part of the law (above its atom at 0)."""
        atom = self.law(params).atom
        return atom + (1.0 - atom) * LEVELS

    def histogram_edges(self, params) -> np.ndarray:
        """Fixed bin edges over the law's support with 4% margins (the figure's histogram)."""
        law = self.law(params)
        low, high = law.support[0][0], law.support[-1][1]
        margin = 0.04 * (high - low)
        return np.linspace(low - margin, high + margin, HISTOGRAM_BINS + 1)

    def predict(self, params):
        law = self.law(params)
        levels = self.levels(params)
        quantiles = law.ppf(levels)
        return {
            "histogram_edges": self.histogram_edges(params),
            "levels": levels,
            "quantiles": quantiles,
            "quantile_density": law.pdf(quantiles),
            "right_edge": float(law.support[-1][1]),
            "m1": float(law.moment(1)),
            "m2": float(law.moment(2)),
            "m2_fluctuation_exponent": -1.0,
        }

    def measure(self, params, size, rng, backend):
        eigenvalues = self.sample(params, size, rng, backend)
        return {
            "quantiles": np.quantile(eigenvalues, self.levels(params), method="hazen"),
            "right_edge": float(eigenvalues[-1]),
            "m1": float(np.mean(eigenvalues)),
            "m2": float(np.mean(eigenvalues ** 2)),
            "histogram": np.histogram(eigenvalues, self.histogram_edges(params), density=False)[0]
            / (size * np.diff(self.histogram_edges(params))),
        }

    def draw_headline(self, ax, report) -> None:
        """The paper's picture: the eigenvalue histogram at the largest size against the density."""
        law = self.law(report.params)
        edges = np.asarray(report.predictions["histogram_edges"], dtype=float)
        ms = report.measurements
        if ms is not None:
            histogram = ms.values("histogram", ms.largest).mean(axis=0)
            ax.stairs(histogram, edges, fill=True, color="C0", alpha=0.35,
                      label=f"eigenvalues, N = {ms.largest}, {ms.seeds} matrices")
        grid = np.linspace(edges[0], edges[-1], 600)
        with np.errstate(all="ignore"):
            density = np.asarray(law.pdf(grid), dtype=float) * report.perturb
        ax.plot(grid, np.where(np.isfinite(density), density, np.nan), "k-", lw=1.5,
                label="limiting density" + ("" if report.perturb == 1.0 else f" × {report.perturb:g}"))
        if law.atom > 0:
            ax.annotate(f"atom {law.atom:.3g} at 0", (0.0, 0.0), xytext=(0.02, 0.9),
                        textcoords="axes fraction", fontsize=8)
        top = np.nanmax(density[np.isfinite(density)]) if np.any(np.isfinite(density)) else 1.0
        ax.set_ylim(0, 1.25 * top)
        ax.set_xlabel("eigenvalue")
        ax.set_ylabel("density")
        ax.set_title(f"{report.claim}: spectrum against the limiting law", fontsize=10)
        ax.legend(fontsize=8)

    def checks(self, params):
        return [
            DistributionAgreement(
                "quantiles", x="levels", name="density", effect={"quick": 0.05, "standard": 0.02},
                reason="t-quantile × SE over independent matrices (Bonferroni over 19 levels) "
                       "+ one local eigenvalue spacing 1/(Nρ) for the deterministic O(1/N) offset"),
            FiniteSizeExtrapolation(
                "right_edge", exponent=2.0 / 3.0, name="edge", effect=self.edge_effect,
                effect_reason=self.edge_effect_reason,
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
