"""The claim index that keeps start-up fast, and never stale."""

import json
import os
import subprocess
import sys

from compare import registry as reg


def test_index_is_used_when_its_key_matches_and_rebuilt_when_not(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    reg.claim_index.cache_clear()
    try:
        first = reg.claim_index()
        assert "semicircle" in first and first["semicircle"]["module"] == "compare.claims.semicircle"
        path = tmp_path / "verify" / "claims-index.json"
        data = json.loads(path.read_text())
        data["claims"]["semicircle"]["title"] = "from the index"
        path.write_text(json.dumps(data))
        reg.claim_index.cache_clear()
        assert reg.claim_index()["semicircle"]["title"] == "from the index"
        monkeypatch.setattr(reg, "_index_key", lambda: "another source")
        reg.claim_index.cache_clear()
        assert reg.claim_index()["semicircle"]["title"] != "from the index"
    finally:
        reg.claim_index.cache_clear()


def test_list_and_a_claim_start_without_the_heavy_imports(tmp_path):
    """With a warm index, ``--list`` imports no claim and ``--claim X --predict-only``
    imports only X's theory: neither loads numba or another claim's modules."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "compare", "--list"], env=env, capture_output=True, check=True)
    listing = subprocess.run([sys.executable, "-X", "importtime", "-m", "compare", "--list"], env=env,
                             capture_output=True, text=True, check=True)
    modules = {line.split("|")[-1].strip() for line in listing.stderr.splitlines() if "|" in line}
    assert not {"scipy.optimize", "scipy.linalg", "numba", "compare.claims.gamp_rie"} & modules
    one = subprocess.run([sys.executable, "-X", "importtime", "-m", "compare", "--claim", "semicircle",
                          "--predict-only", "--no-cache"], env=env, capture_output=True, text=True, check=True)
    modules = {line.split("|")[-1].strip() for line in one.stderr.splitlines() if "|" in line}
    assert "theory.semicircle" in modules and not {"compare.claims.gamp_rie", "theory.gamp_rie"} & modules
