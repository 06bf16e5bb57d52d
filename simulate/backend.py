"""Backend selection for simulations: ``numpy`` (reference), ``numba`` (CPU default), ``cupy`` (GPU).

Array code is written once against the array API (``array_api_compat``); the backend
decides which namespace it runs on and whether the Numba kernels are used where a
loop is the real cost.
"""

from __future__ import annotations

import functools
from types import ModuleType

import numpy as np

BACKENDS = ("auto", "numpy", "numba", "cupy")


class BackendUnavailable(ValueError):
    """The requested backend cannot run on this machine (for example ``cupy`` without a GPU)."""


@functools.cache
def cupy_available() -> bool:
    """True when CuPy imports and sees at least one CUDA device."""
    try:
        import cupy
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # ImportError, CUDARuntimeError, missing driver: all mean "no GPU"
        return False


def resolve_backend(backend: str) -> str:
    """Turn ``auto`` into a concrete backend and check that the requested one can run.

    ``auto`` is ``cupy`` when CuPy and a GPU are present, ``numba`` otherwise.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend={backend!r} is out of range: must be one of {', '.join(BACKENDS)}")
    if backend == "auto":
        return "cupy" if cupy_available() else "numba"
    if backend == "cupy" and not cupy_available():
        raise BackendUnavailable(
            "backend='cupy' is unavailable: needs the cupy package and a CUDA GPU "
            "(pip install '.[gpu]'); use --backend numba or numpy")
    return backend


def array_namespace(backend: str) -> ModuleType:
    """The array module a resolved backend computes with (``numpy`` or ``cupy``)."""
    if backend == "cupy":
        import cupy
        return cupy
    return np


def to_numpy(array) -> np.ndarray:
    """Bring an array of any backend to host memory as a NumPy array."""
    if hasattr(array, "get"):
        return array.get()
    return np.asarray(array)
