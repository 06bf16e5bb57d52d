"""Shared docstring text, written once: ``%(name)s`` templates in the manner of scipy's ``doccer``.

A docstring names a snippet with ``%(name)s``. A placeholder alone on its line is replaced by
the snippet's lines, each indented like the placeholder, so multi-line sections (Parameters,
Notes, References) keep numpydoc's layout (an empty snippet removes the line); a placeholder
inside a line is replaced in place.
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
        return "\n".join(match["indent"] + line if line else "" for line in lines) if lines else "\0"

    text = _ALONE.sub(block, text).replace("\0\n", "").replace("\0", "")
    return _PLACEHOLDER.sub(lambda m: fill_text(textwrap.dedent(snippets[m[1]]).strip(), snippets), text)


def fill(snippets: Mapping[str, str]) -> Callable[[_T], _T]:
    """Decorator for functions and classes: fill the placeholders of their docstring from ``snippets``."""
    def decorate(obj: _T) -> _T:
        obj.__doc__ = fill_text(obj.__doc__, snippets)
        return obj
    return decorate



def _sections(returns: str, argument: str | None = None) -> str:
    """Parameters (``argument``, then the module's ``parameters``), Returns and ``convention``."""
    first = "" if argument is None else argument + "\n"
    return (f"Parameters\n----------\n{first}%(parameters)s\n\n"
            f"Returns\n-------\n{returns}\n\n%(convention)s")


SNIPPETS = {
    "on_real_points": _sections(
        "ndarray\n    float64, same shape as ``x`` (a NumPy scalar for scalar ``x``).",
        "x : array_like\n    Real points (``±inf`` allowed, NaN refused)."),
    "on_levels": _sections(
        "ndarray\n    float64, same shape as ``p`` (a NumPy scalar for scalar ``p``).",
        "p : array_like\n    Levels in ``[0, 1]``."),
    "on_complex_points": _sections(
        "ndarray\n    complex128, same shape as ``z`` (a NumPy scalar for scalar ``z``).",
        "z : array_like\n    Finite complex (or real) points; real ``z`` gives the limit from above."),
    "of_order": _sections("float", "k : int\n    Order, ``k >= 0``."),
    "edge_pair": _sections("(float, float)\n    The lower and the upper edge."),
    "batch_of_data": "batch_size : int or array_like of int\n    ``B`` in ``[1, N]``.\nn_data : int\n    ``N >= 1``.",
    "n_params_batch_size": ("n_params : float or array_like\n    :math:`P \\ge 1`.\n"
                            "batch_size : float or array_like\n    :math:`B \\ge 1`."),
}
"""Sections shared by the entry points of every spectral law: a module adds its own
``parameters`` (its law's parameters) and ``convention`` (Notes and References); a snippet
that is empty removes its placeholder's line."""
