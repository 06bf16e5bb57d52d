"""Claim ``marchenko_pastur``: the spectrum of a sample covariance matrix.

Marchenko & Pastur (1967): the eigenvalues of ``W = X Xᵀ / n`` (``X`` p×n, i.i.d.
entries of variance σ², ``p/n → q``) follow

    ρ(x) = sqrt((λ₊ − x)(x − λ₋)) / (2π σ² q x),   λ± = σ² (1 ± √q)²,

plus an atom of mass ``1 − 1/q`` at 0 when ``q > 1``; moments are Narayana polynomials.
"""

from __future__ import annotations

from simulate.random_matrices import wishart_spectrum
from theory.random_matrices import MarchenkoPastur as MarchenkoPasturLaw

from ..params import Param, Preset
from ._spectral import SpectralClaim, method_param, variance_param


class MarchenkoPastur(SpectralClaim):
    name = "marchenko_pastur"
    title = "Marchenko–Pastur law of sample covariance spectra"
    reference = ("V. A. Marchenko, L. A. Pastur (1967), Math. USSR-Sbornik 1:457, eq. (1.12); "
                 "density, edges λ± = σ²(1 ± √q)², Narayana moments")
    params = (
        Param("ratio", "float", 0.5, "q = p/n of the p×p matrix X Xᵀ/n", low=0.01, high=50.0),
        variance_param(),
        method_param(default="bidiagonal", fast="bidiagonal"),
    )
    presets = {
        "quick": Preset(sizes=(100, 200, 400), seeds=8),
        "standard": Preset(sizes=(200, 400, 800, 1600), seeds=24),
        "paper": Preset(sizes=(500, 1000, 2000, 4000), seeds=64),
    }

    def law(self, params):
        return MarchenkoPasturLaw(params["ratio"], params["variance"])

    def sample(self, params, size, rng, backend):
        return wishart_spectrum(size, params["ratio"], rng, variance=params["variance"],
                                method=params["method"], backend=backend)


CLAIMS = (MarchenkoPastur,)
