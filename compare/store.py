"""The result store: one SQLite row per finished job, values as JSON, never pickle.

Rows are keyed by a hash of the job's identity (claim, parameters, size, seed index, root
seed, backend) and of the claim's code fingerprint (:mod:`compare.fingerprint`), so a rerun or an interrupted sweep reads back
what was finished and computes only the rest. WAL mode and a busy timeout let several
``verify`` processes share one file. The default location is
``$VERIFY_CACHE`` or ``$XDG_CACHE_HOME/verify/results.sqlite`` (``~/.cache/...``);
clear it by deleting that file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

from .errors import UsageError

SCHEMA = "verify-store/1"


def default_path() -> Path:
    """``$VERIFY_CACHE``, else ``$XDG_CACHE_HOME/verify/results.sqlite``."""
    if os.environ.get("VERIFY_CACHE"):
        return Path(os.environ["VERIFY_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "verify" / "results.sqlite"


class Store:
    """A SQLite file of finished jobs. Use as a context manager or call :meth:`close`.

    A new or empty file becomes a store; an existing file is used only if it already is
    one (its ``meta`` table says ``verify-store/1``): another application's database is
    refused untouched, never given our tables. Rows are checked as they are read: a row
    that is not a JSON object of numbers (or nested lists of numbers) is a miss, so it is
    computed again and replaced.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        try:
            if self.path.is_dir():
                raise UsageError(f"--cache={str(self.path)!r} is a directory: must be a file path")
            fresh = not self.path.exists() or self.path.stat().st_size == 0
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60.0, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 60000")
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not fresh and tables and "meta" not in tables:
                self._db.close()
                raise UsageError(f"--cache={str(self.path)!r} is a database of another application "
                                 f"(tables {', '.join(sorted(tables))}); pass another path")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            schema = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if schema is None and not (tables - {"meta"}):
                self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
                schema = (SCHEMA,)
            if schema is not None and schema[0] == SCHEMA:
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS jobs (key TEXT PRIMARY KEY, claim TEXT, label TEXT, "
                    "size INTEGER, seed INTEGER, value TEXT, created REAL)")
                self._db.execute("COMMIT")
            else:
                self._db.execute("ROLLBACK")
        except (sqlite3.DatabaseError, OSError) as exc:
            raise UsageError(f"--cache={str(self.path)!r} is not a usable result store ({exc}); "
                             "delete it or pass another path") from None
        if schema is None or schema[0] != SCHEMA:
            self._db.close()
            raise UsageError(f"--cache={str(self.path)!r} is a database of another kind "
                             f"(schema {schema[0] if schema else None!r}, expected {SCHEMA!r})")

    def get_many(self, keys: list[str]) -> dict[str, dict]:
        """The stored values of those ``keys`` that are present and well formed."""
        found: dict[str, dict] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(f"SELECT key, value FROM jobs WHERE key IN ({marks})", chunk).fetchall()
            except sqlite3.DatabaseError as exc:
                raise UsageError(f"--cache={str(self.path)!r} is damaged ({exc}); delete it") from None
            for key, text in rows:
                value = _parse_row(text)
                if value is not None:
                    found[key] = value
        return found

    def put(self, key: str, claim: str, label: str, size: int, seed: int, value: dict) -> None:
        """Store one finished job (committed at once, so an interruption loses nothing)."""
        self._db.execute("INSERT OR REPLACE INTO jobs VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (key, claim, label, size, seed, json.dumps(value), time.time()))

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _numeric(value) -> bool:
    if isinstance(value, list):
        return all(_numeric(v) for v in value)
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _parse_row(text) -> dict | None:
    """A stored measurement if it is a JSON object of numbers or nested lists of them, else None."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(value, dict) or not value or not all(isinstance(k, str) and _numeric(v)
                                                           for k, v in value.items()):
        return None
    return value
