"""What the claims on the quadratic-network teacher share (Maillard et al. 2024): the input
dimension d as their size, the sample ratio α as their grid, and the smallest d at which every
α of the grid has a sample."""

from __future__ import annotations

import numpy as np

from simulate.quadratic_teacher import smallest_dimension

from ..claim import Claim


class QuadraticTeacherClaim(Claim):
    """A claim over ``n = round(α d²)`` samples of the quadratic-network teacher."""

    size_name = "d"
    grid = "alpha"

    @classmethod
    def smallest_size(cls, params):
        """Every α of the grid needs at least one sample, ``round(α d²) >= 1``."""
        return max(cls.min_size, smallest_dimension(min(np.atleast_1d(params["alpha"]))))
