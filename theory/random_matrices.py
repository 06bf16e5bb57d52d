r"""Limiting spectral laws of random matrices: the public facade.

Everything here is re-exported from :mod:`theory.semicircle`,
:mod:`theory.marchenko_pastur` and :mod:`theory.free_convolution`; import from this
module. Conventions, shared by all three families:

Semicircle (Wigner 1955)
    Real symmetric :math:`N \times N` (GOE): off-diagonal variance :math:`\sigma^2/N`,
    diagonal :math:`2\sigma^2/N`; ``variance`` is :math:`\sigma^2`; support
    :math:`[-2\sigma, 2\sigma]` (radius :math:`2\sigma`).

Marchenko–Pastur (Marchenko & Pastur 1967)
    ``X`` is :math:`p \times n` with i.i.d. entries of variance :math:`\sigma^2`
    (``variance``). The matrix is the :math:`p \times p` Gram :math:`W = X X^\top / n`:
    the divisor is :math:`n`, the number of columns, and ``ratio`` is :math:`q = p/n`.
    Edges :math:`\sigma^2(1 \pm \sqrt q)^2`; for :math:`q > 1` an atom of mass
    :math:`1 - 1/q` sits at 0 (the density function returns the continuous part only,
    which integrates to :math:`1/q`; CDF, quantile, Stieltjes transform and moments
    include the atom). The :math:`n \times n` Gram :math:`X^\top X/n` has the law of
    :math:`qY`, :math:`Y` Marchenko–Pastur with ratio :math:`1/q`.

MP ⊞ semicircle (Voiculescu's free additive convolution; Pastur 1972)
    :math:`W + S` with :math:`W` as above and :math:`S` an independent semicircle matrix of
    variance :math:`s^2`: R-transforms add, :math:`R(g) = \sigma^2/(1 - q\sigma^2 g) + s^2 g`,
    and the Stieltjes transform solves a cubic.

Stieltjes transforms are :math:`G(z) = \int \rho(x)\,dx / (z - x)`, with
:math:`G(z) \sim 1/z` at infinity, :math:`\operatorname{Im} G < 0` for
:math:`\operatorname{Im} z > 0`, and :math:`\rho(x) = -\operatorname{Im} G(x + i0)/\pi`.
All functions are float64, vectorised over their first argument, and raise ``ValueError``
naming a parameter that is out of range.
"""

from theory.free_convolution import (
    mp_semicircle_cdf,
    mp_semicircle_density,
    mp_semicircle_edges,
    mp_semicircle_hilbert,
    mp_semicircle_moment,
    mp_semicircle_quantile,
    mp_semicircle_stieltjes,
    mp_semicircle_stieltjes_roots,
)
from theory.marchenko_pastur import (
    marchenko_pastur_atom,
    marchenko_pastur_cdf,
    marchenko_pastur_density,
    marchenko_pastur_edges,
    marchenko_pastur_moment,
    marchenko_pastur_quantile,
    marchenko_pastur_stieltjes,
)
from theory.semicircle import (
    semicircle_cdf,
    semicircle_density,
    semicircle_edges,
    semicircle_moment,
    semicircle_quantile,
    semicircle_stieltjes,
)

__all__ = [
    "semicircle_density",
    "semicircle_cdf",
    "semicircle_quantile",
    "semicircle_edges",
    "semicircle_stieltjes",
    "semicircle_moment",
    "marchenko_pastur_density",
    "marchenko_pastur_atom",
    "marchenko_pastur_edges",
    "marchenko_pastur_cdf",
    "marchenko_pastur_quantile",
    "marchenko_pastur_stieltjes",
    "marchenko_pastur_moment",
    "mp_semicircle_density",
    "mp_semicircle_edges",
    "mp_semicircle_hilbert",
    "mp_semicircle_stieltjes",
    "mp_semicircle_stieltjes_roots",
    "mp_semicircle_moment",
    "mp_semicircle_cdf",
    "mp_semicircle_quantile",
]
