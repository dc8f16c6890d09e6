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


# --------------------------------------------------------------------------- reading ahead before parsing


@pytest.mark.parametrize("argv, expected", [
    (["validate", "a.xlsx"], ("a.xlsx", None)),
    (["validate", "a.xlsx", "b.xlsx", "--format", "json"], ("a.xlsx", None)),
    (["validate", "-f", "json", "--lang", "en", "a.xlsx"], ("a.xlsx", None)),
    (["validate", "--select", "KX3", "--ignore=KX301", "--coverage", "a.xlsx", "--exit-zero"], ("a.xlsx", None)),
    (["validate", "--max-rows", "500", "a.xlsx"], ("a.xlsx", 500)),
    (["validate", "a.xlsx", "--max-rows=7"], ("a.xlsx", 7)),
    (["validate", "--config", "x.toml", "--max-seconds", "9", "--fail-on", "info", "a.xlsx"], ("a.xlsx", None)),
])
def test_validate_reads_its_first_file_ahead_from_the_command_line(monkeypatch, argv, expected):
    from kinerja_xl.cli.early import read_ahead_early
    from kinerja_xl.workbook import OUR_SHEETS, files
    from kinerja_xl.workbook.safety import Limits

    seen = []
    monkeypatch.setattr(files, "read_ahead", lambda path, limits, skip: seen.append((path, limits, skip)))
    read_ahead_early(argv)
    (path, limits, skip), = seen
    assert (str(path), limits.max_rows if expected[1] else None) == expected
    # the very limits validate reads with, or its own read ahead would not find this one
    assert repr(limits) == repr(Limits(max_rows_option="--max-rows") if expected[1] is None
                                else Limits(max_rows=expected[1], max_rows_option="--max-rows"))
    assert skip == set(OUR_SHEETS)


@pytest.mark.parametrize("argv", [
    [], ["rules"], ["validate"], ["validate", "--help"], ["validate", "a.xlsx", "--help"],
    ["validate", "-fjson", "a.xlsx"], ["validate", "--", "a.xlsx"], ["validate", "--max-rows", "0", "a.xlsx"],
    ["validate", "--max-rows", "banyak", "a.xlsx"], ["validate", "--max-seconds", "0", "a.xlsx"],
    ["validate", "a.xlsx", "--max-seconds=-1"], ["validate", "a.xlsx", "--lang"], ["validate", "--unknown", "a.xlsx"],
    ["hitung", "a.xlsx"],
])
def test_anything_typer_might_read_otherwise_starts_nothing(monkeypatch, argv):
    from kinerja_xl.cli.early import read_ahead_early
    from kinerja_xl.workbook import files

    seen = []
    monkeypatch.setattr(files, "read_ahead", lambda *a, **k: seen.append(a))
    read_ahead_early(argv)
    assert seen == []


def test_the_early_read_is_the_one_validate_takes(monkeypatch):
    from typer.testing import CliRunner

    from kinerja_xl.cli import app
    from kinerja_xl.cli.early import read_ahead_early
    from kinerja_xl.workbook import files

    files._AHEAD.clear()
    argv = ["validate", str(EXAMPLE), "--format", "json", "--max-rows", "5000"]
    read_ahead_early(argv)
    assert len(files._AHEAD) == 1
    started = list(files._AHEAD.values())[0]
    taken = []
    real = files._ReadAheadWorkbook
    monkeypatch.setattr(files, "_ReadAheadWorkbook", lambda ahead: taken.append(ahead) or real(ahead))
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 1 and json.loads(result.stdout)["files"][0]["findings"]
    assert taken == [started] and not files._AHEAD  # no second read of the same file


# main() with read_ahead recording what was imported when validate's read started
_EARLY = """
import sys
sys.argv = ["kinerja-xl", *sys.argv[1:]]
from kinerja_xl.workbook import files
real = files.read_ahead
def recording(path, *args, **kwargs):
    sys.stderr.write("READ " + " ".join(m for m in ("typer", "pandas", "kinerja_xl.cli.app") if m in sys.modules) + "\\n")
    return real(path, *args, **kwargs)
files.read_ahead = recording
from kinerja_xl.cli import main
main()
"""


@pytest.mark.slow
def test_the_console_script_starts_the_read_before_importing_typer():
    proc = subprocess.run([sys.executable, "-c", _EARLY, "validate", str(EXAMPLE), "--format", "json"],
                          capture_output=True, timeout=120)
    assert proc.returncode == 1
    # the early read, then validate's own call for the same file (found started)
    assert proc.stderr.decode().splitlines() == ["READ ", "READ typer kinerja_xl.cli.app"]
    assert json.loads(proc.stdout)["files"][0]["summary"]["error"] > 0


def test_the_package_s_app_is_the_typer_app_whoever_imports_the_module_first():
    code = ("import sys, kinerja_xl.cli.app, typer; from kinerja_xl.cli import app; from kinerja_xl.cli import run; "
            "import kinerja_xl.cli as package; "
            "assert isinstance(app, typer.Typer) and package.app is app and run is sys.modules['kinerja_xl.cli.app'].run")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120).returncode == 0
    starting = subprocess.run([sys.executable, "-c", "import kinerja_xl.cli, sys; print('typer' in sys.modules)"],
                              capture_output=True, text=True, timeout=120)
    assert starting.stdout.strip() == "False"  # importing the package starts nothing heavy
