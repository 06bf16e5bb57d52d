"""Spectral sampling against the eigensolver it cannot avoid.

Goal: a sample costs at most 1.2 times ``numpy.linalg.eigvalsh`` on a matrix of the same
size. Wishart + GOE needs two spectra (the Wishart eigenvalues, then those of
``diag(λ_W) + GOE``), so its floor is 1 + the bidiagonal Wishart ratio.
"""

from __future__ import annotations

import numpy as np

from simulate.random_matrices import goe_spectrum, wishart_goe_spectrum, wishart_spectrum

from .timing import Row, best_time


def rows(size: int = 1000) -> list[Row]:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size))
    sym = (a + a.T) / np.sqrt(2 * size)
    eigvalsh = best_time(lambda: np.linalg.eigvalsh(sym))
    base = f"numpy.linalg.eigvalsh N={size}"
    out = []
    for what, fn in [
        ("GOE spectrum, tridiagonal", lambda: goe_spectrum(size, rng, method="tridiagonal")),
        ("GOE spectrum, dense", lambda: goe_spectrum(size, rng, method="dense")),
        ("Wishart q=0.5, bidiagonal", lambda: wishart_spectrum(size, 0.5, rng, method="bidiagonal")),
        ("Wishart q=0.5 + GOE, diagonal route", lambda: wishart_goe_spectrum(size, 0.5, 0.1, rng)),
        ("Wishart q=0.5 + GOE, dense Gram", lambda: wishart_goe_spectrum(size, 0.5, 0.1, rng, method="dense")),
    ]:
        goal = "<= 1.2" if "Gram" not in what else "(reference route: 2p²n Gram flops)"
        out.append(Row("spectra", f"{what}, N={size}", best_time(fn), base, eigvalsh, goal))
    return out
