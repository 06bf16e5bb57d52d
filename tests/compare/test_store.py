import sqlite3
import subprocess
import sys

import pytest

from compare.errors import UsageError
from compare.store import Store


def test_roundtrip_and_persistence(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        store.put("k1", "c", "{}", 10, 0, {"x": [1.0, 2.5]})
    with Store(path) as store:
        assert store.get_many(["k1", "k2"]) == {"k1": {"x": [1.0, 2.5]}}
        assert store.count() == 1


def test_damaged_file_is_a_usage_error(tmp_path):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(UsageError, match="not a usable result store"):
        Store(path)


def test_foreign_database_is_a_usage_error(tmp_path):
    path = tmp_path / "foreign.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO meta VALUES ('schema', 'something-else/9')")
    db.commit()
    db.close()
    with pytest.raises(UsageError, match="another kind"):
        Store(path)


WRITER = """
import sys
from compare.store import Store
with Store(sys.argv[1]) as s:
    for i in range(200):
        s.put(f"{sys.argv[2]}-{i}", "c", "{}", i, 0, {"v": [float(i)]})
"""


def test_concurrent_writers_corrupt_nothing(tmp_path):
    path = str(tmp_path / "shared.sqlite")
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, path, tag]) for tag in "ab"]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    with Store(path) as store:
        assert store.count() == 400
        got = store.get_many([f"a-{i}" for i in range(200)])
        assert got["a-199"] == {"v": [199.0]}


def test_another_applications_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other_app.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE users (id INTEGER)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(UsageError, match="another application"):
        Store(path)
    assert path.read_bytes() == before
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert tables == {"users"}


@pytest.mark.parametrize("row", ['[1, 2]', '{"x": "text"}', '{}', 'not json', '{"x": [1, {"y": 2}]}', 'true'])
def test_malformed_rows_are_misses(tmp_path, row):
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        store.put("good", "c", "{}", 10, 0, {"x": [1.0, None]})
        store._db.execute("INSERT INTO jobs VALUES ('bad', 'c', '{}', 10, 1, ?, 0)", (row,))
        assert store.get_many(["good", "bad"]) == {"good": {"x": [1.0, None]}}


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(UsageError, match="is a directory"):
        Store(tmp_path)
