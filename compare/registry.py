"""The claim registry: built-in claims plus third-party ones from the ``verify.claims`` entry points.

A third-party package registers a claim class by declaring, in its own metadata::

    [options.entry_points]
    verify.claims =
        my_claim = my_package.claims:MyClaim

and the claim then works with every ``verify`` command, the sweep, the store and the
generic test suite.

Start-up. Importing a claim module imports its theory and simulation (scipy, numba):
about a second for all of them. ``verify --list`` and ``verify --claim NAME`` therefore
read a small index (name → module, title, reference, parameters) kept in the cache
directory and keyed by a hash of every claim module's source and of the installed
plug-ins, so it can never be stale: the first command after a change rebuilds it by
importing everything; later ones import only the claim they run.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import json
import os
import pkgutil
import sys
from importlib.metadata import entry_points
from pathlib import Path

from .claim import Claim, validate_definition
from .errors import UsageError

ENTRY_POINT_GROUP = "verify.claims"
INDEX_SCHEMA = "verify-claim-index/1"


def _builtin_claims() -> list[type[Claim]]:
    from . import claims as package
    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found.extend(getattr(module, "CLAIMS", ()))
    return found


_TABLE: dict[str, type[Claim]] | None = None


def registry() -> dict[str, type[Claim]]:
    """All claims by name: the built-in ones, then those of installed plug-ins (loaded once)."""
    global _TABLE
    if _TABLE is None:
        _TABLE = _load_table()
    return _TABLE


def _load_table() -> dict[str, type[Claim]]:
    table: dict[str, type[Claim]] = {}
    for cls in _builtin_claims():
        table[cls.name] = cls
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = ep.load()
            if not (isinstance(cls, type) and issubclass(cls, Claim)):
                raise TypeError("not a compare.claim.Claim subclass")
            validate_definition(cls)
            if cls.name in table and table[cls.name] is not cls:
                raise TypeError(f"claim name {cls.name!r} is already registered")
        except Exception as exc:  # noqa: BLE001 - a broken plug-in must not break every command
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            sys.stderr.write(f"verify: warning: plug-in claim {ep.name} = {ep.value} skipped: {message}\n")
            continue
        table[cls.name] = cls
    return table


def register(cls: type[Claim]) -> type[Claim]:
    """Register a claim class in this process (a decorator; plug-ins use the entry points).

    Claims registered this way are unknown to worker processes of a process pool, so
    run them with one worker; installed plug-ins are found everywhere.
    """
    registry()[cls.name] = cls
    return cls


# ------------------------------------------------------------------ the start-up index
def _index_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "verify" / "claims-index.json"


def _index_key() -> str:
    """Hash of what the index is read from: the sources of ``compare/claims``, the claim
    contract, and every installed plug-in's entry point and module source."""
    from . import claims as package
    digest = hashlib.sha256(f"{INDEX_SCHEMA} {sys.version}".encode())
    here = Path(__file__).parent
    files = sorted(Path(package.__path__[0]).glob("*.py")) + [here / "claim.py", here / "params.py"]
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value)):
        digest.update(f"\0{ep.name}={ep.value}".encode())
        spec = importlib.util.find_spec(ep.value.split(":")[0].split(".")[0])
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
    for path in files:
        try:
            digest.update(f"\0{path}\0".encode() + path.read_bytes())
        except OSError:
            digest.update(f"\0{path}\0missing".encode())
    return digest.hexdigest()


def _describe(cls: type[Claim]) -> dict:
    return {"module": cls.__module__, "qualname": cls.__qualname__, "title": cls.title,
            "reference": cls.reference, "params": [[p.name, str(p.default)] for p in cls.params]}


@functools.cache
def claim_index() -> dict[str, dict]:
    """Name → module, title, reference and parameters of every registered claim, from the
    cached index when its key matches, else built by importing every claim (and saved)."""
    key = _index_key()
    path = _index_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") == INDEX_SCHEMA and data.get("key") == key:
            return data["claims"]
    except (OSError, ValueError, AttributeError):
        pass
    claims = {name: _describe(cls) for name, cls in sorted(_load_table().items())}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"schema": INDEX_SCHEMA, "key": key, "claims": claims}),
                             encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # an unwritable cache only costs start-up time
    return claims


def get_claim(name: str) -> type[Claim]:
    """The claim class registered under ``name``; UsageError listing the known names otherwise.

    Imports only that claim's module when the registry is not loaded yet.
    """
    if _TABLE is None:
        entry = claim_index().get(name)
        if entry is not None:
            cls = importlib.import_module(entry["module"])
            for part in entry["qualname"].split("."):
                cls = getattr(cls, part, None)
            if isinstance(cls, type) and issubclass(cls, Claim) and cls.name == name:
                return cls
    table = registry()
    if name not in table:
        raise UsageError(f"--claim={name!r} is unknown: must be one of {', '.join(sorted(table))}")
    return table[name]
