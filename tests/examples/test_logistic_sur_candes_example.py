"""The logistic MLE figure runs end to end at a tiny size and writes its PNG."""

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "logistic_sur_candes.py"


def test_example_writes_png(tmp_path):
    out = tmp_path / "logistic.png"
    subprocess.run([sys.executable, str(EXAMPLE), "--out", str(out), "--n", "120", "--sets", "2",
                    "--lp-n", "30", "--points", "3"], check=True, capture_output=True, timeout=120)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
