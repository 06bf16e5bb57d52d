"""The Gardner figure runs end to end at a tiny size and writes its PNG."""

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "gardner_capacity.py"


def test_example_writes_png(tmp_path):
    out = tmp_path / "gardner.png"
    subprocess.run([sys.executable, str(EXAMPLE), "--out", str(out), "--size", "20", "--seeds", "2",
                    "--cover-dims", "10,20"], check=True, capture_output=True, timeout=120)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
