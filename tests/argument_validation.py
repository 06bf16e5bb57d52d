"""Tables of invalid calls, in the manner of hypothesis' ``test_argument_validation.py``.

Every public entry point refuses bad input with a one-line ``ValueError`` that starts with the
parameter's name and value and says the rule (``ratio=-1.0 is out of range: must be > 0``).
A test module lists its invalid calls once and gets one parametrised test:

    from tests.argument_validation import invalid_call_test, rejects

    test_invalid_calls = invalid_call_test(
        rejects("variance=0.0", semicircle_density, 0.0, variance=0.0),
        rejects("k=", semicircle_moment, -1),
    )

``rejects(start, func, *args, **kwargs)``: calling ``func(*args, **kwargs)`` must raise a
``ValueError`` whose message starts with ``start`` (the name and ``=``, and the value where it
matters), contains ``must be`` and is one line.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest


def _short(value) -> str:
    text = repr(value) if not callable(value) else getattr(value, "__name__", "callable")
    return text if len(text) <= 24 else text[:21] + "..."


def rejects(start: str, func: Callable, *args, **kwargs):
    """One invalid call: ``func(*args, **kwargs)`` must raise a ValueError starting with ``start``."""
    shown = ", ".join([*map(_short, args), *(f"{k}={_short(v)}" for k, v in kwargs.items())])
    name = getattr(func, "__name__", type(func).__name__)
    return pytest.param(start, functools.partial(func, *args, **kwargs), id=f"{name}({shown})")


def assert_rejected(start: str, call: Callable[[], object]) -> None:
    """``call()`` raises a one-line ValueError starting with ``start`` and saying ``must be``."""
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    assert message.startswith(start), message
    assert " must be " in message and "\n" not in message, message


def invalid_call_test(*cases) -> Callable[[str, Callable[[], object]], None]:
    """A test function parametrised over ``cases`` (from :func:`rejects`); assign it to ``test_*``."""
    @pytest.mark.parametrize("start, call", cases)
    def test(start: str, call: Callable[[], object]) -> None:
        assert_rejected(start, call)
    return test
