"""Measurements of a claim over sizes, seeds and (optionally) grid points."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Measurements:
    """What ``measure`` returned for every job, indexed by ``(grid index, size, seed index)``.

    ``grid_values`` is ``None`` for a claim without a grid parameter (then the grid
    index is always 0).
    """

    sizes: tuple[int, ...]
    seeds: int
    grid_values: tuple[float, ...] | None
    table: dict[tuple[int, int, int], dict[str, Any]]

    @property
    def largest(self) -> int:
        return max(self.sizes)

    def values(self, quantity: str, size: int) -> np.ndarray:
        """Array of shape ``(seeds, [grid points,] *value shape)`` at one size."""
        n_grid = 1 if self.grid_values is None else len(self.grid_values)
        rows = [[np.asarray(self.table[(g, size, s)][quantity], dtype=float) for g in range(n_grid)]
                for s in range(self.seeds)]
        stacked = np.array(rows, dtype=float)
        return stacked[:, 0] if self.grid_values is None else stacked

    def pooled(self, quantity: str, size: int) -> np.ndarray:
        """Every seed's values at one size concatenated (for example all eigenvalues)."""
        return np.concatenate([np.ravel(self.values(quantity, size)[s]) for s in range(self.seeds)])
