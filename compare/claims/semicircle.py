"""Claim ``semicircle``: the spectrum of a Wigner (GOE) matrix.

Wigner (1955, 1958): the eigenvalues of a real symmetric matrix with off-diagonal
entries of variance σ²/N follow ``ρ(x) = sqrt(4σ² − x²) / (2π σ²)`` on ``[−2σ, 2σ]``;
the even moments are Catalan numbers ``C_k σ^{2k}``.
"""

from __future__ import annotations

from simulate.random_matrices import goe_spectrum
from theory.random_matrices import Semicircle as SemicircleLaw

from ..params import Preset
from ._spectral import SpectralClaim, method_param, variance_param


class Semicircle(SpectralClaim):
    name = "semicircle"
    title = "Wigner semicircle law of GOE spectra"
    reference = ("E. P. Wigner (1958), Ann. Math. 67:325; density sqrt(4σ² − x²)/(2πσ²), "
                 "edge 2σ, Catalan moments")
    params = (variance_param(), method_param())
    presets = {
        "quick": Preset(sizes=(100, 200, 400), seeds=8),
        "standard": Preset(sizes=(200, 400, 800, 1600), seeds=24),
        "paper": Preset(sizes=(500, 1000, 2000, 4000), seeds=64),
    }

    def law(self, params):
        return SemicircleLaw(params["variance"])

    def sample(self, params, size, rng, backend):
        return goe_spectrum(size, rng, variance=params["variance"], method=params["method"], backend=backend)


CLAIMS = (Semicircle,)
