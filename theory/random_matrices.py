r"""Limiting spectral laws of random matrices: the public facade; import from this module.

Each law is a frozen object with ``pdf``, ``cdf``, ``ppf``, ``support``, ``atom``, ``moment``,
``stieltjes``, ``hilbert`` and ``integrate`` (:class:`theory.spectral_law.SpectralLaw`):

* :class:`Semicircle` ``(variance)`` — Wigner (1955): GOE with off-diagonal variance
  :math:`\sigma^2/N`, support :math:`[-2\sigma, 2\sigma]`;
* :class:`MarchenkoPastur` ``(ratio, variance)`` — Marchenko & Pastur (1967): the
  :math:`p \times p` Gram :math:`X X^\top / n`, ``ratio`` :math:`q = p/n`, atom
  :math:`\max(0, 1 - 1/q)` at 0;
* :class:`MarchenkoPasturSemicircle` ``(ratio, noise_variance, variance)`` — Voiculescu's free
  additive convolution of the two (Pastur 1972): R-transforms add, :math:`G` solves a cubic.

The functions ``semicircle_*``, ``marchenko_pastur_*`` and ``mp_semicircle_*`` are thin entry
points over these objects, kept for existing code. Everything here is re-exported from
:mod:`theory.spectral_law`, :mod:`theory.semicircle`, :mod:`theory.marchenko_pastur` and
:mod:`theory.free_convolution`.
"""

from theory import free_convolution, marchenko_pastur, semicircle, spectral_law
from theory.free_convolution import *  # noqa: F401,F403
from theory.marchenko_pastur import *  # noqa: F401,F403
from theory.semicircle import *  # noqa: F401,F403
from theory.spectral_law import *  # noqa: F401,F403

__all__ = [*spectral_law.__all__, *semicircle.__all__, *marchenko_pastur.__all__,
           *free_convolution.__all__]
