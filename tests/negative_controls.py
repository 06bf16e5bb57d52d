"""Wrong formulas that science notes name, shared by the tests of a theory and of its claim.

A negative control is a published or plausible formula that must be told apart from the right
one: the theory tests pin where it differs, the claim tests require the check to reject it.
"""

from __future__ import annotations

import numpy as np


def peer_ridge_excess(alpha, reg, noise, teacher):
    """StatPhys-ML's ridge saddle point: excess ``ρ − 2m + q``, right only for ``ρ = 1``.

    ``m`` is the smaller root of ``m² − (ρ + λ + α)m + αρ = 0`` and ``q`` follows from its
    q equation (classics note, ridge section); broadcasts over its arguments.
    """
    b = teacher + reg + alpha
    m = (b - np.sqrt(b * b - 4 * alpha * teacher)) / 2
    big = reg + teacher - m
    q = (2 * m - teacher + noise * (teacher - m) / reg
         + (reg - noise) * (teacher - m) * big ** 2 / (reg * (big ** 2 + alpha * reg)))
    return teacher - 2 * m + q
