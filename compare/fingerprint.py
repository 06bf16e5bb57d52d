"""The code fingerprint of a claim: what its stored measurements depend on.

The store key of a job includes a hash of the source of the claim's module and of every
module it imports, transitively, from ``theory``, ``simulate`` and the claim's own
package (for a built-in claim, ``compare.claims``), plus the NumPy version (whose
generators draw the random numbers). Editing a simulation, a sampler or the claim's
``measure`` therefore changes the key, and stored results of the old code are never
reused; there is no version number to remember to bump.

Imports are read from the source (``ast``), not from ``sys.modules``, so the fingerprint
is the same in every process whatever was imported before.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
from pathlib import Path

import numpy as np

TRACKED_PACKAGES = ("theory", "simulate")


def _own_package(module: str) -> str:
    return "compare.claims" if module.startswith("compare.claims") else module.split(".")[0]


def _tracked(module: str, own: str) -> bool:
    return module.split(".")[0] in TRACKED_PACKAGES or module == own or module.startswith(own + ".")


@functools.cache
def _source_file(module: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def _imports(module: str, path: Path, own: str) -> set[str]:
    """Tracked modules named by the import statements of ``module`` (relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                origin = f"{base}.{node.module}" if node.module else base
            else:
                origin = node.module or ""
            found.add(origin)
            origin_file = _source_file(origin) if _tracked(origin, own) else None
            if origin_file is not None and origin_file.name == "__init__.py":
                # ``from package import submodule`` imports a module too
                found.update(f"{origin}.{alias.name}" for alias in node.names
                             if _source_file(f"{origin}.{alias.name}") is not None)
    return {m for m in found if _tracked(m, own)}


@functools.cache
def code_fingerprint(module: str) -> str:
    """sha256 (hex, 16 characters) of the sources ``module`` depends on, and the NumPy version."""
    own = _own_package(module)
    seen: dict[str, Path] = {}
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _source_file(name)
        if path is None:
            continue
        seen[name] = path
        todo.extend(m for m in _imports(name, path, own) if m not in seen)
    digest = hashlib.sha256(f"numpy {np.__version__}".encode())
    for name in sorted(seen):
        digest.update(f"\0{name}\0".encode())
        digest.update(seen[name].read_bytes())
    return digest.hexdigest()[:16]
