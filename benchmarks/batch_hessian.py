"""Where the batch-Hessian code picks Lanczos (ARPACK) or a tridiagonal model over dense ``eigh``.

Each row times the route the code takes against the dense alternative on the same input, so the
ratios show where each crossover (``_DENSE_LIMIT``) sits:

* the mean-square SGD threshold (theory.sgd_stability): matrix-free Lanczos on the
  ``m = d(d+1)/2`` symmetric coordinates against the dense eigensolver on the formed matrix;
  the code switches to Lanczos above ``m = 128``;
* the additive and spiked-Wishart top eigenvalues (simulate.hessian_batch): the tridiagonal
  (bidiagonal) models against the dense matrices;
* batch Hessians of the tanh network: two Lanczos runs (largest and smallest eigenvalue)
  against one dense ``eigvalsh``; the code switches to Lanczos above ``P = 256``.

Run with one BLAS thread (``OPENBLAS_NUM_THREADS=1``) to compare like with like.
"""

from __future__ import annotations

import numpy as np

import theory.sgd_stability as sgd_stability
from simulate.hessian_batch import (batch_extreme_eigenvalues, spiked_wigner_top_eigenvalues,
                                    spiked_wishart_top_eigenvalues)
from simulate.hessian_models import TanhNetwork, gaussian_mixture

from .timing import Row, best_time

NOTES = ["batch_hessian: ratio < 1 means the route the code takes above its crossover is faster than the dense "
         "eigensolver on the same problem (one BLAS thread recommended)."]


def _with_dense_limit(module, limit, fn):
    def run():
        saved = module._DENSE_LIMIT
        module._DENSE_LIMIT = limit
        try:
            return fn()
        finally:
            module._DENSE_LIMIT = saved
    return run


def rows() -> list[Row]:
    rng = np.random.default_rng(0)
    out = []
    for d, n in ((12, 100), (20, 100), (50, 400)):
        g = rng.standard_normal((n, d))
        m = d * (d + 1) // 2
        threshold = lambda: sgd_stability.mean_square_threshold(g, 2)  # noqa: E731
        lanczos = best_time(_with_dense_limit(sgd_stability, 0, threshold), 3)
        dense = best_time(_with_dense_limit(sgd_stability, 10 ** 9, threshold), 3)
        out.append(Row("batch_hessian", f"mean_square_threshold, Lanczos, m={m}", lanczos,
                       f"dense eigh, m={m}", dense, "< 1 for m > 128"))
    for p in (400, 1000):
        tri = best_time(lambda: spiked_wigner_top_eigenvalues(p, 2.0, 1.0, 20, rng), 3)
        dense = best_time(lambda: spiked_wigner_top_eigenvalues(p, 2.0, 1.0, 20, rng, method="dense"), 3)
        out.append(Row("batch_hessian", f"spiked Wigner λ₁, tridiagonal, P={p}", tri, "dense", dense, "<< 1"))
        bi = best_time(lambda: spiked_wishart_top_eigenvalues(p, 3.0, p // 2, 20, rng), 3)
        dense = best_time(lambda: spiked_wishart_top_eigenvalues(p, 3.0, p // 2, 20, rng, method="dense"), 3)
        out.append(Row("batch_hessian", f"spiked Wishart λ₁, bidiagonal, P={p}, B={p // 2}", bi, "dense", dense,
                       "<< 1"))
    for dim, hidden in ((10, 12), (20, 20), (30, 30)):
        x, y = gaussian_mixture(1000, dim, 5.0, rng)
        net = TanhNetwork.at(x, y, rng.standard_normal((hidden, dim)) / np.sqrt(dim), np.zeros(hidden),
                             rng.standard_normal(hidden) / np.sqrt(hidden))
        p = net.n_params
        lanczos = best_time(lambda: batch_extreme_eigenvalues(net, 200, 5, rng, method="lanczos"), 3)
        dense = best_time(lambda: batch_extreme_eigenvalues(net, 200, 5, rng, method="dense"), 3)
        out.append(Row("batch_hessian", f"network batch Hessian λ₁ and λ_min, Lanczos, P={p}", lanczos,
                       "dense eigvalsh", dense, "< 1 for P > 256"))
    return out
