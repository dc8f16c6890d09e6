"""How a command-line run ends: the exit code and the whole output, without Python's tear-down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kinerja_xl.cli import run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"

# main() as the console script calls it, with an at-exit handler that only a full tear-down would run
_MAIN = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("TEAR-DOWN\\n"))
sys.argv = ["kinerja-xl", *sys.argv[1:]]
from kinerja_xl.cli import main
main()
"""


def main_process(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _MAIN, *map(str, args)], capture_output=True, timeout=120, **kw)


def test_run_returns_the_exit_code_instead_of_ending_the_process(capsys):
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.startswith("kinerja-xl ")
    assert run(["explain", "KX301"]) == 0
    assert run(["explain", "KX999"]) == 2  # an unknown rule: the tool could not do its job
    assert run(["validate"]) == 2  # a usage error


@pytest.mark.slow
def test_main_ends_without_tear_down_and_keeps_code_and_output():
    proc = main_process("validate", EXAMPLE, "--format", "json")
    assert proc.returncode == 1  # the example has errors
    doc = json.loads(proc.stdout.decode("utf-8"))  # the whole document reached the pipe
    assert doc["files"][0]["summary"]["error"] > 0
    assert b"TEAR-DOWN" not in proc.stderr and proc.stderr == b""
    clean = main_process("--version")
    assert clean.returncode == 0 and clean.stdout.decode().startswith("kinerja-xl ") and clean.stderr == b""
    usage = main_process("validate")
    assert usage.returncode == 2 and b"Pemakaian: kinerja-xl validate" in usage.stderr


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_output_that_cannot_be_written_is_exit_2_with_a_message():
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-c", _MAIN, "--version"], stdout=full, stderr=subprocess.PIPE,
                              timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.decode("utf-8") == "kinerja-xl: disk penuh\n"  # no traceback, no "Exception ignored"


@pytest.mark.slow
def test_a_reader_that_left_gets_no_traceback():
    r, w = os.pipe()
    os.close(r)  # the reader is gone before anything is written
    try:
        proc = subprocess.run([sys.executable, "-c", _MAIN, "validate", EXAMPLE, "-f", "json"], stdout=w,
                              stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(w)
    assert proc.returncode == 1  # click's code for it
    assert proc.stderr == b""
