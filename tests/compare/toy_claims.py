"""A tiny claim with known answers, to test the generic machinery without heavy numerics.

The mean of ``size`` draws of N(mu, 1): its expectation is ``mu`` at every size, its
spread over seeds scales like ``size^(-1/2)``; a curve over a grid of ``mu`` values.
"""

import os

import numpy as np

from compare.checks import CurveAgreement, FiniteSizeExtrapolation, ScalarAgreement, ScalingLaw
from compare.claim import Claim
from compare.params import Param, Preset
from compare.registry import register


@register
class NormalMean(Claim):
    name = "toy_normal_mean"
    title = "Sample mean of a normal sample"
    reference = "Gauss (1809)"
    headline = "scalar:mean"
    params = (Param("mu", "float", 1.0, "mean", low=-10.0, high=10.0),
              Param("bias", "float", 0.0, "bias added in the simulation", low=-1.0, high=1.0),
              Param("fail_at", "int", -1, "size at which measure raises (test hook)", low=-1, high=10**6),
              Param("exit_at", "int", -1, "size at which the worker process dies (test hook)",
                    low=-1, high=10**6))
    presets = {"quick": Preset(sizes=(16, 64, 256), seeds=10),
               "standard": Preset(sizes=(64, 256, 1024), seeds=40),
               "paper": Preset(sizes=(256, 1024, 4096), seeds=100)}

    def predict(self, params):
        return {"mean": params["mu"], "mean_exponent": -0.5}

    def measure(self, params, size, rng, backend):
        if size == params["exit_at"]:
            os._exit(1)
        if size == params["fail_at"]:
            raise FloatingPointError("diverged on purpose")
        return {"mean": float(rng.normal(params["mu"], 1.0, size).mean() + params["bias"])}

    def checks(self, params):
        return [ScalarAgreement("mean", reason="t-quantile × SE", effect={"quick": 0.3, "standard": 0.02}),
                FiniteSizeExtrapolation("mean", exponent=1.0, reason="fit in 1/size",
                                        effect={"quick": 0.3, "standard": 0.05},
                                        effect_reason="an intercept over three sizes has a wider SE"),
                ScalingLaw("mean_exponent", source="mean", statistic="sd", floor=0.1,
                           reason="CLT: sd ∝ size^-1/2", consistency="the CLT exponent holds for any mean")]


@register
class NormalMeanCurve(Claim):
    name = "toy_normal_curve"
    title = "Sample means over a grid of true means"
    reference = "Gauss (1809)"
    headline = "curve:mean"
    grid = "mus"
    params = (Param("mus", "floats", (0.5, 1.0, 2.0, 4.0), "grid of means", low=0.1, high=10.0),)
    presets = {name: Preset(sizes=(32, 128), seeds=12) for name in ("quick", "standard", "paper")}

    def predict(self, params):
        return {"mean": np.asarray(params["mus"]), "mus": np.asarray(params["mus"])}

    def measure(self, params, size, rng, backend):
        return {"mean": float(rng.normal(params["mus"], 1.0, size).mean())}

    def checks(self, params):
        return [CurveAgreement("mean", x="mus", reason="t-quantile × SE, Bonferroni",
                               effect={"quick": 0.1, "standard": 0.1},
                               effect_reason="a toy: 12 means of 128 draws resolve 10%")]
