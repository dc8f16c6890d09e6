"""The benchmark scripts still run (on tiny sizes): a script that no longer imports is found here, not by
the next person who wants its figures. Speeds are not asserted; they live in the scripts' output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs each bench script in a subprocess

ROOT = Path(__file__).resolve().parents[1]

SCRIPTS = {
    "read_validate.py": (["--sizes", "200", "--repeat", "1", "--skip", "pandas,cli", "--no-startup"], "| 200 |"),
    "annotate.py": (["--sizes", "200", "--repeat", "1", "--openpyxl-max", "0"], "200 |"),
    "addin.py": (["--sizes", "200", "--repeat", "1", "--press-repeat", "1"], "second press (same Python)"),
    "skm_responses.py": (["--sizes", "200", "--repeat", "1"], "respondents"),
    "audit.py": (["--files", "12", "--jobs", "1"], "per file, ms:"),
    "seed.py": (["--repeat", "1", "--process-repeat", "1"], "| validate |"),
}


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_benchmark_script_runs(script, tmp_path):
    args, expected = SCRIPTS[script]
    if script == "audit.py":
        args = [*args, "--folder", str(tmp_path / "laporan")]
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert expected in done.stdout, done.stdout[-2000:]
