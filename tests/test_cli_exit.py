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


# --------------------------------------------------------------------------- a plain validate line, without typer


@pytest.mark.parametrize("argv, expected", [
    (["validate", "a.xlsx"], {"files": ["a.xlsx"]}),
    (["validate", "a.xlsx", "b.xlsx", "--format", "json"], {"files": ["a.xlsx", "b.xlsx"], "fmt": "json"}),
    (["validate", "-f", "json", "--lang", "en", "a.xlsx"], {"files": ["a.xlsx"], "fmt": "json", "lang": "en"}),
    (["validate", "--select", "KX3", "--ignore=KX301", "--coverage", "a.xlsx", "--exit-zero", "--select", "KX1"],
     {"files": ["a.xlsx"], "select": ["KX3", "KX1"], "ignore": ["KX301"], "coverage": True, "exit_zero": True}),
    (["validate", "--max-rows", "500", "a.xlsx"], {"files": ["a.xlsx"], "max_rows": 500}),
    (["validate", "a.xlsx", "--max-rows=7", "--format=concise", "--format", "sarif"],
     {"files": ["a.xlsx"], "max_rows": 7, "fmt": "sarif"}),  # the last of a repeated option, as click takes it
    (["validate", "--config", "x.toml", "--max-seconds", "9.5", "--fail-on", "info", "a.xlsx"],
     {"files": ["a.xlsx"], "config": "x.toml", "max_seconds": 9.5, "fail_on": "info"}),
    (["validate", "--max-rows", "0", "a.xlsx"], {"files": ["a.xlsx"], "max_rows": 0}),  # check() says it is wrong
])
def test_a_plain_validate_line_is_read_as_typer_reads_it(argv, expected):
    from kinerja_xl.cli.early import plain_validate

    args = plain_validate(argv)
    assert {k: ([str(p) for p in v] if k == "files" else str(v) if k == "config" else v)
            for k, v in args.items()} == expected
    assert all(isinstance(p, Path) for p in args["files"]) and isinstance(args.get("config", Path()), Path)


@pytest.mark.parametrize("argv", [
    [], ["rules"], ["validate"], ["validate", "--help"], ["validate", "a.xlsx", "--help"], ["validate", "-h"],
    ["validate", "-fjson", "a.xlsx"], ["validate", "-f=json", "a.xlsx"], ["validate", "--", "a.xlsx"],
    ["validate", "--max-rows", "banyak", "a.xlsx"], ["validate", "--max-rows", "-5", "a.xlsx"],
    ["validate", "--max-rows", "1e3", "a.xlsx"], ["validate", "a.xlsx", "--max-seconds=-1"],
    ["validate", "a.xlsx", "--max-seconds", "inf"], ["validate", "a.xlsx", "--lang"], ["validate", "a.xlsx", "--lang", "EN"],
    ["validate", "a.xlsx", "--format", "xml"], ["validate", "a.xlsx", "--fail-on", "fatal"],
    ["validate", "--unknown", "a.xlsx"], ["validate", "--coverage=yes", "a.xlsx"], ["validate", ""],
    ["validate", "a.xlsx", "--config="], ["hitung", "a.xlsx"], ["--lang", "en", "validate", "a.xlsx"],
])
def test_any_other_line_is_left_to_typer(argv):
    from kinerja_xl.cli.early import plain_validate

    assert plain_validate(argv) is None


def test_the_plain_line_s_choices_are_the_options_choices():
    from kinerja_xl.cli import early, options

    assert early._CHOICES == {"fmt": tuple(m.value for m in options.Fmt), "fail_on": tuple(m.value for m in options.Level),
                              "lang": tuple(m.value for m in options.Lang)}
    assert options.DEFAULT_MAX_SECONDS == early.DEFAULT_MAX_SECONDS


def test_the_plain_line_knows_exactly_the_typer_command_s_options():
    """An option added to, renamed in or dropped from ``validate`` must reach the plain parser too: else a
    plain line would accept what typer refuses (an unknown option already goes to typer, as above)."""
    import typer.main

    from kinerja_xl.cli import early
    from kinerja_xl.cli.commands import app

    params = typer.main.get_command(app).commands["validate"].params
    valued = {opt: p.name for p in params if p.opts != [p.name] and not p.is_flag for opt in p.opts}
    flags = {opt: p.name for p in params if getattr(p, "is_flag", False) for opt in p.opts}
    assert early._VALUED == valued
    assert early._FLAGS == flags


def test_a_plain_line_reads_its_first_file_ahead_with_the_limits_validate_reads_with(monkeypatch):
    from kinerja_xl.cli import early
    from kinerja_xl.workbook import OUR_SHEETS, files
    from kinerja_xl.workbook.safety import Limits

    seen = []
    monkeypatch.setattr(files, "read_ahead", lambda path, limits, skip: seen.append((path, limits, skip)))
    monkeypatch.setattr(early, "check", lambda **args: 0)
    early.run_plain(early.plain_validate(["validate", "a.xlsx", "b.xlsx", "--max-rows", "500"]))
    (path, limits, skip), = seen
    assert str(path) == "a.xlsx" and skip == set(OUR_SHEETS)
    # the very limits validate reads with, or its own read ahead would not find this one
    assert repr(limits) == repr(Limits(max_rows=500, max_rows_option="--max-rows"))
    seen.clear()
    early.run_plain(early.plain_validate(["validate", "a.xlsx", "--max-seconds", "0"]))
    assert seen == []  # a wrong option is said before anything is read


def test_the_early_read_is_the_one_validate_takes(monkeypatch, capsys):
    from kinerja_xl.cli import early
    from kinerja_xl.workbook import files

    files._AHEAD.clear()
    taken = []
    real = files._ReadAheadWorkbook
    monkeypatch.setattr(files, "_ReadAheadWorkbook", lambda ahead: taken.append(ahead) or real(ahead))
    started = []
    real_read_ahead = files.read_ahead

    def recording(*args, **kwargs):
        real_read_ahead(*args, **kwargs)
        started.append(dict(files._AHEAD))

    monkeypatch.setattr(files, "read_ahead", recording)
    code = early.run_plain(early.plain_validate(["validate", str(EXAMPLE), "--format", "json", "--max-rows", "5000"]))
    assert code == 1 and json.loads(capsys.readouterr().out)["files"][0]["findings"]
    first = list(started[0].values())
    assert len(first) == 1 and started[1] == started[0]  # validate's own call found the read started
    assert taken == first and not files._AHEAD  # no second read of the same file


# main() with read_ahead recording what was imported when validate's read started
_EARLY = """
import sys
sys.argv = ["kinerja-xl", *sys.argv[1:]]
from kinerja_xl.workbook import files
real = files.read_ahead
def recording(path, *args, **kwargs):
    sys.stderr.write("READ " + " ".join(m for m in ("typer", "pandas", "kinerja_xl.cli.commands") if m in sys.modules) + "\\n")
    return real(path, *args, **kwargs)
files.read_ahead = recording
import os
real_exit = os._exit
def exit(code):
    sys.stderr.write("END " + " ".join(m for m in ("typer", "pydantic", "kinerja_xl.cli.commands") if m in sys.modules) + "\\n")
    sys.stderr.flush()
    real_exit(code)
os._exit = exit
from kinerja_xl.cli import main
main()
"""


@pytest.mark.slow
def test_the_console_script_runs_a_plain_validate_line_without_typer():
    proc = subprocess.run([sys.executable, "-c", _EARLY, "validate", str(EXAMPLE), "--format", "json"],
                          capture_output=True, timeout=120)
    assert proc.returncode == 1
    # the early read before anything heavy, then validate's own call for the same file (found started);
    # typer is never imported (pydantic is: pandera needs it)
    assert proc.stderr.decode().splitlines() == ["READ ", "READ ", "END pydantic"]
    assert json.loads(proc.stdout)["files"][0]["summary"]["error"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ["--format", "json", "--lang", "en", "--select", "KX3", "--coverage"],
    ["--format", "concise", "--ignore", "KX301", "--fail-on", "info"],
    ["--format", "sarif", "--exit-zero"],
    ["--max-rows", "0"],  # refused with typer's words and code
    ["--max-rows", "10"],  # a sheet over the limit
    ["--config", "tidak-ada.toml"],
    ["--max-seconds", "0"],
])
def test_a_plain_line_without_typer_ends_as_the_same_line_through_typer(args, tmp_path):
    """The same output, messages and exit code whether main runs the line itself or typer does."""
    plain = main_process("validate", EXAMPLE, tmp_path / "tidak-ada.xlsx", *args, cwd=tmp_path)
    through_typer = subprocess.run(
        [sys.executable, "-c", "import sys; from kinerja_xl.cli import run; sys.exit(run(sys.argv[1:]))",
         "validate", str(EXAMPLE), str(tmp_path / "tidak-ada.xlsx"), *args], capture_output=True, timeout=120,
        cwd=tmp_path)
    assert (plain.returncode, plain.stdout, plain.stderr) == (through_typer.returncode, through_typer.stdout,
                                                              through_typer.stderr)
    assert plain.returncode in (0, 1, 2) and (plain.stdout or plain.stderr)


def test_the_package_s_app_is_the_typer_app_whoever_imports_the_module_first():
    code = ("import sys, kinerja_xl.cli.commands, typer; from kinerja_xl.cli import app; from kinerja_xl.cli import run; "
            "import kinerja_xl.cli as package; "
            "assert isinstance(app, typer.Typer) and package.app is app and run is sys.modules['kinerja_xl.cli.commands'].run")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120).returncode == 0
    starting = subprocess.run([sys.executable, "-c", "import kinerja_xl.cli, sys; print('typer' in sys.modules)"],
                              capture_output=True, text=True, timeout=120)
    assert starting.stdout.strip() == "False"  # importing the package starts nothing heavy
