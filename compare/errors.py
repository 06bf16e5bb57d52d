"""The two kinds of failure the `verify` command distinguishes, with their exit codes.

* :class:`UsageError` — bad usage or input (unknown claim, parameter out of range):
  exit code 2. Theory and simulation raise ``ValueError``; the CLI treats it the same.
* :class:`RunFailed` — a run that diverged, did not converge or crashed: exit code 3.
  Theory and simulation raise ``RuntimeError`` subclasses (``ConvergenceError``,
  ``DivergenceError``); the sweep wraps them with the job that failed.
"""

from __future__ import annotations


class UsageError(ValueError):
    """Bad usage or input; the message is one line naming the argument and its valid range."""

    exit_code = 2


class RunFailed(RuntimeError):
    """A job of a run failed (diverged, did not converge, raised, or its worker died)."""

    exit_code = 3
