"""The claim registry: built-in claims plus third-party ones from the ``verify.claims`` entry points.

A third-party package registers a claim class by declaring, in its own metadata::

    [options.entry_points]
    verify.claims =
        my_claim = my_package.claims:MyClaim

and the claim then works with every ``verify`` command, the sweep, the store and the
generic test suite.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import sys
from importlib.metadata import entry_points

from .claim import Claim, validate_definition
from .errors import UsageError

ENTRY_POINT_GROUP = "verify.claims"


def _builtin_claims() -> list[type[Claim]]:
    from . import claims as package
    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found.extend(getattr(module, "CLAIMS", ()))
    return found


@functools.cache
def registry() -> dict[str, type[Claim]]:
    """All claims by name: the built-in ones, then those of installed plug-ins."""
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


def get_claim(name: str) -> type[Claim]:
    """The claim class registered under ``name``; UsageError listing the known names otherwise."""
    table = registry()
    if name not in table:
        raise UsageError(f"--claim={name!r} is unknown: must be one of {', '.join(sorted(table))}")
    return table[name]
