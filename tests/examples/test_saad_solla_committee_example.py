"""The plateau figure runs end to end at a tiny size and writes its PNG."""

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "saad_solla_committee.py"


def test_example_writes_png(tmp_path):
    out = tmp_path / "plateau.png"
    subprocess.run([sys.executable, str(EXAMPLE), "--out", str(out), "--sizes", "40", "--runs", "2",
                    "--t-max", "5", "--backend", "numpy"], check=True, capture_output=True, timeout=120)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
