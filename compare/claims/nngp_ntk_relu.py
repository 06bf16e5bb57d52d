"""Claim ``nngp_ntk_relu``: finite-width ReLU networks approach their infinite-width kernels.

A ReLU MLP in the NTK parametrisation (L hidden layers of width n, weights and biases
N(0, 1), scales σ_w²/fan-in and σ_b²) has, as n → ∞, a Gaussian-process output with
covariance ``K = Σ^{L+1}`` (NNGP; Lee et al. 2018, Yang 2019) and a deterministic tangent
kernel ``Θ`` (Jacot et al. 2018), both by the arc-cosine recursions of
:mod:`theory.wide_networks`. At finite width the off-diagonal mean is ``K + O(1/n)`` and the
NTK mean ``Θ + O(1/n)``, while two statements are exact at every width: the diagonal
``E f(x)² = K(x, x)``, and with σ_b = 0 the fourth moment ``E f⁴/(3(E f²)²) = (1 + 5/n)^L``
(its large-width form ``e^{5L/n}`` is not exact).

Inputs: ``x₀`` and one input per angle of ``angles``, all of squared norm n₀ in one plane.
One job is one seed at one width ``n`` (the size): ``nets`` networks drawn by the exact
projected sampler of :mod:`simulate.wide_networks` (it draws only the projections W·φ and
Wᵀ·δ the network uses; the same law as explicit weights, tested there), giving per network
the readout covariance ``C = σ_w²φ(h^L)ᵀφ(h^L)/n + σ_b²`` (the output covariance given the
last hidden layer; mean ``E f f'``) and the empirical NTK; plus ``moment_nets`` single-input
networks with σ_b = 0 at width ``moment_width`` for the fourth moment, whose statistic is
``mean(C²)/mean(C)²`` (``E f⁴ = 3E C²``; 3× smaller SE than raw f⁴, note erratum §4).

Checks and their tolerances (all statistical, ``t × SE`` over seeds with Bonferroni over
the points of a curve; no floors):

* **NNGP, width → ∞** (the paper's statement): per angle, the mean of ``C(x₀, x_j)`` at the
  widths of the preset fitted as ``a + b/n`` (weighted by the per-width SEs; the fit's
  covariance is inflated when residuals exceed them); the intercept ``a`` against
  ``K(x₀, x_j)``. The 1/n bias is real (≈ −2.7% at n = 64 for the widest angle), so a
  comparison at one width would be the wrong test (a negative-control test shows it fails).
* **NNGP diagonal, exact**: the mean of ``C(x, x)`` over the inputs at the largest width
  against ``K(x, x)``, exact at every width (``E φ(u)² = E u²/2`` layer by layer).
* **NTK, width → ∞**: the same extrapolation for the empirical NTK ``Θ̂(x₀, x_j)``, the
  diagonal included, against ``Θ``.
* **fourth moment, exact**: ``mean(C²)/mean(C)²`` at ``moment_width`` against
  ``(1 + 5/n)^L``.
"""

from __future__ import annotations

import numpy as np

from simulate.wide_networks import relu_network_draws
from theory.wide_networks import relu_fourth_moment_ratio, relu_nngp, relu_ntk

from ..checks import FiniteSizeExtrapolation, ScalarAgreement
from ..claim import Claim
from ..params import Param, Preset


def planar_inputs(angles, input_dim: int) -> np.ndarray:
    """Columns ``x₀`` (angle 0) and one input per angle, squared norm ``input_dim``, in one plane."""
    phi = np.concatenate([[0.0], np.asarray(angles, dtype=float)])
    x = np.zeros((input_dim, phi.size))
    x[0], x[1] = np.sqrt(input_dim) * np.cos(phi), np.sqrt(input_dim) * np.sin(phi)
    return x


class NngpNtkRelu(Claim):
    name = "nngp_ntk_relu"
    title = "Finite-width ReLU networks approach the NNGP and NTK; exact finite-width moments"
    reference = ("G. Yang (2019), Tensor Programs I, arXiv:1902.04760; J. Lee et al. (2018), arXiv:1711.00165; "
                 "A. Jacot, F. Gabriel, C. Hongler (2018), arXiv:1806.07572 (NTK recursion); "
                 "B. Hanin, M. Nica (2019), arXiv:1909.05989 (finite-width 5/n)")
    size_name = "n"
    headline = "NNGP, width → ∞"
    params = (
        Param("depth", "int", 3, "hidden layers L", low=1, high=6),
        Param("weight_variance", "float", 2.0, "σ_w²", low=0.5, high=3.0),
        Param("bias_variance", "float", 0.1, "σ_b² (the fourth-moment check always uses 0)", low=0.0, high=1.0),
        Param("angles", "floats", (0.5, 1.5, 2.5), "angles of the inputs to x₀ (radians)", low=0.05, high=3.1416),
        Param("input_dim", "int", 10, "input dimension n₀", low=2, high=1000),
        Param("nets", "int", 1000, "networks per job", low=10, high=10 ** 6),
        Param("moment_width", "int", 16, "width of the fourth-moment networks", low=4, high=1024),
        Param("moment_nets", "int", 20000, "single-input networks per job for the fourth moment",
              low=100, high=10 ** 7),
    )
    presets = {
        "quick": Preset(sizes=(8, 16, 32), seeds=6, params={"nets": 300, "moment_nets": 4000}),
        "standard": Preset(sizes=(16, 32, 64, 128), seeds=20),
        "paper": Preset(sizes=(16, 32, 64, 128, 256, 512), seeds=20, params={"nets": 5000, "moment_nets": 50000}),
    }

    def predict(self, params):
        x = planar_inputs(params["angles"], params["input_dim"])
        args = (params["depth"], params["weight_variance"], params["bias_variance"])
        nngp, ntk = relu_nngp(x, *args), relu_ntk(x, *args)
        depth, width = params["depth"], params["moment_width"]
        return {
            "angle": np.asarray(params["angles"], dtype=float),
            "nngp_offdiagonal": nngp[0, 1:],
            "nngp_diagonal": float(nngp[0, 0]),
            "ntk_angle": np.concatenate([[0.0], params["angles"]]),
            "ntk": ntk[0],
            "fourth_moment_ratio": float(relu_fourth_moment_ratio(width, depth)),
            "fourth_moment_large_width_form": float(np.exp(5.0 * depth / width)),
        }

    def measure(self, params, size, rng, backend):
        x = planar_inputs(params["angles"], params["input_dim"])
        draws = relu_network_draws(x, params["depth"], size, params["weight_variance"], params["bias_variance"],
                                   params["nets"], rng, backend=backend)
        cov = draws.readout_covariance.mean(axis=0)
        single = relu_network_draws(x[:, :1], params["depth"], params["moment_width"], params["weight_variance"],
                                    0.0, params["moment_nets"], rng, ntk=False, backend=backend)
        q = single.readout_covariance[:, 0, 0]
        return {"nngp_offdiagonal": cov[0, 1:], "nngp_diagonal": float(np.mean(np.diag(cov))),
                "ntk": draws.ntk.mean(axis=0)[0], "fourth_moment_ratio": float(np.mean(q * q) / np.mean(q) ** 2)}

    def checks(self, params):
        return [
            FiniteSizeExtrapolation(
                "nngp_offdiagonal", exponent=1.0, x="angle", name="NNGP, width → ∞",
                effect={"quick": 0.2, "standard": 0.02},
                reason="intercept of a + b/n fitted over the widths (SE-weighted, inflated by the fit's χ²); "
                       "t × SE(intercept) per angle, Bonferroni"),
            ScalarAgreement(
                "nngp_diagonal", name="NNGP diagonal, exact", effect={"quick": 0.1, "standard": 0.02},
                reason="E f(x)² = K(x, x) at every width; t × SE over seeds at the largest width"),
            FiniteSizeExtrapolation(
                "ntk", exponent=1.0, x="ntk_angle", name="NTK, width → ∞", effect={"quick": 0.2, "standard": 0.02},
                reason="intercept of a + b/n of the mean empirical NTK per input pair; t × SE(intercept), Bonferroni"),
            ScalarAgreement(
                "fourth_moment_ratio", name="fourth moment, exact", effect={"quick": 0.08, "standard": 0.02},
                reason="E f⁴/(3(E f²)²) = (1 + 5/n)^L at moment_width, σ_b = 0; mean(C²)/mean(C)² per seed "
                       "(ratio-of-means bias O(1/moment_nets)), t × SE"),
        ]


CLAIMS = (NngpNtkRelu,)
