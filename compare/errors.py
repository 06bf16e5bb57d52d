"""The kinds of failure the `verify` command distinguishes, with their exit codes.

* :class:`UsageError` — bad usage or input (unknown claim, parameter out of its declared
  range, an unusable output path): exit code 2, raised before anything is computed.
* :class:`RunFailed` — a run that diverged, did not converge or crashed: exit code 3.
  Theory and simulation raise ``ValueError`` for arguments outside their own domain and
  ``RuntimeError`` subclasses (``ConvergenceError``, ``DivergenceError``) when they fail;
  inside a run of a claim whose declared ranges were respected both are run failures,
  and the sweep wraps them with the job that failed.
* :class:`ClaimDefinitionError` — a claim class that breaks the static contract (raised
  when the class is defined; a broken plug-in is skipped with a warning).
"""

from __future__ import annotations


class UsageError(ValueError):
    """Bad usage or input; the message is one line naming the argument and its valid range."""

    exit_code = 2


class RunFailed(RuntimeError):
    """A job of a run failed (diverged, did not converge, raised, or its worker died)."""

    exit_code = 3


class ClaimDefinitionError(TypeError):
    """A claim class breaks the contract of :class:`compare.claim.Claim`."""
