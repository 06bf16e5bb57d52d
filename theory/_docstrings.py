"""Shared docstring text, written once: ``%(name)s`` templates in the manner of scipy's ``doccer``.

A docstring names a snippet with ``%(name)s``. A placeholder alone on its line is replaced by
the snippet's lines, each indented like the placeholder, so multi-line sections (Parameters,
Notes, References) keep numpydoc's layout; a placeholder inside a line is replaced in place.
Snippets are dedented first and may themselves contain placeholders of the same table.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping
from typing import TypeVar

_T = TypeVar("_T")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_ALONE = re.compile(r"^(?P<indent>[ \t]*)%\((?P<name>\w+)\)s[ \t]*$", re.MULTILINE)


def fill_text(text: str, snippets: Mapping[str, str]) -> str:
    """``text`` with every ``%(name)s`` replaced by ``snippets[name]`` (a missing name raises KeyError)."""
    def block(match: re.Match) -> str:
        lines = fill_text(textwrap.dedent(snippets[match["name"]]).strip("\n"), snippets).splitlines()
        return "\n".join(match["indent"] + line if line else "" for line in lines)

    text = _ALONE.sub(block, text)
    return _PLACEHOLDER.sub(lambda m: fill_text(textwrap.dedent(snippets[m[1]]).strip(), snippets), text)


def fill(snippets: Mapping[str, str]) -> Callable[[_T], _T]:
    """Decorator for functions and classes: fill the placeholders of their docstring from ``snippets``."""
    def decorate(obj: _T) -> _T:
        obj.__doc__ = fill_text(obj.__doc__, snippets)
        return obj
    return decorate


SNIPPETS = {
    "real_points": """
        x : array_like
            Real points (``±inf`` allowed, NaN refused).""",
    "real_values": """
        ndarray
            float64, same shape as ``x`` (a NumPy scalar for scalar ``x``).""",
    "on_real_points": """
        Parameters
        ----------
        %(real_points)s
        %(parameters)s

        Returns
        -------
        %(real_values)s

        %(convention)s""",
    "on_levels": """
        Parameters
        ----------
        p : array_like
            Levels in ``[0, 1]``.
        %(parameters)s

        Returns
        -------
        ndarray
            float64, same shape as ``p`` (a NumPy scalar for scalar ``p``).

        %(convention)s""",
    "on_complex_points": """
        Parameters
        ----------
        z : array_like
            Finite complex (or real) points; real ``z`` gives the limit from above.
        %(parameters)s

        Returns
        -------
        ndarray
            complex128, same shape as ``z`` (a NumPy scalar for scalar ``z``).

        %(convention)s""",
    "of_order": """
        Parameters
        ----------
        k : int
            Order, ``k >= 0``.
        %(parameters)s

        Returns
        -------
        float

        %(convention)s""",
}
"""Snippets shared by the entry points of every spectral law: a module adds its own
``parameters`` (its law's parameters) and ``convention`` (Notes and References)."""
