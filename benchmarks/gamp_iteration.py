"""One GAMP-RIE iteration against its unavoidable linear algebra (goal ≤ 1.5).

An iteration needs the operator pair ``A(Ŝ)``, ``Aᵀ(g)`` (two O(n d²) products) and one
``eigh`` of a d × d matrix; everything else (the RIE through the cubic, MMSE_den, damping)
is overhead. Measured at d = 200, α = 0.5, κ = 0.5 as the mean over 10 iterations.
"""

from __future__ import annotations

import numpy as np

from simulate.gamp_rie import gamp_rie
from simulate.quadratic_teacher import quadratic_teacher, sensing_adjoint, sensing_operator
from theory.gamp_rie import denoising_mmse, prior_support_hull, rie_denoiser

from .timing import Row, best_time


def rows(d: int = 200, alpha: float = 0.5, kappa: float = 0.5, iterations: int = 10) -> list[Row]:
    data = quadratic_teacher(d, kappa, alpha, 0.0, np.random.default_rng(0))

    def run():
        gamp_rie(data.X, data.y, delta=0.0, kappa=kappa, denoiser=lambda lam, s: rie_denoiser(lam, s, kappa),
                 denoising_mmse=lambda s: float(denoising_mmse(s, kappa)), clip=prior_support_hull(kappa),
                 max_iter=iterations, tol=0.0)

    g = np.random.default_rng(1).standard_normal(data.n)

    def linear_algebra():
        sensing_operator(data.X, data.S_star)
        R = sensing_adjoint(data.X, g)
        np.linalg.eigh(R)

    per_iteration = best_time(run, repeats=3) / iterations
    return [Row("gamp", f"GAMP-RIE iteration, d={d}, α={alpha}", per_iteration,
                "A, Aᵀ and one eigh", best_time(linear_algebra), "<= 1.5")]
