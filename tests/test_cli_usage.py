"""The command line's own words and contracts: usage errors and help in Indonesian, exit codes,
``--max-seconds``, no wrapped machine output, every suggested option exists, a light start-up."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget_books import realisasi, seed_sheets, write_xlsx
from kinerja_xl.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"

runner = CliRunner()


def cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real console entry in a fresh process, as a user runs it (stdout and stderr are pipes)."""
    return subprocess.run([sys.executable, "-m", "kinerja_xl.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    d = tmp_path_factory.mktemp("usage")
    clean = [["", "TOTAL", "1.000.000", "600.000", "400.000"],
             ["1", "Sub satu", "400.000", "400.000", "-"],
             ["2", "Sub dua", "600.000", "200.000", "400.000"]]
    return {
        "seed": write_xlsx(d / "seed.xlsx", seed_sheets()),
        "clean": write_xlsx(d / "bersih.xlsx", {"Realisasi": realisasi(clean)}),
        "notable": write_xlsx(d / "tanpa-tabel.xlsx", {"Catatan": [["Laporan"], ["Kolom1", "Kolom2"], ["a", "b"]]}),
        # long enough that a 0,02 s bound always lands before the check ends (the example takes ~0,05 s)
        "big": write_xlsx(d / "besar.xlsx", {"Realisasi": realisasi(
            [[str(i), f"Sub kegiatan {i}", "1.000.000", "400.000", "600.000"] for i in range(1, 6001)])}),
    }


# --------------------------------------------------------------------------- typer's words in Indonesian


def test_a_missing_argument_is_an_indonesian_usage_error_with_exit_2():
    proc = cli("validate")
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "Pemakaian: kinerja-xl validate [OPSI] BERKAS...",
        "Coba 'kinerja-xl validate --help' untuk bantuan.",
        "",
        "Galat: Argumen BERKAS belum diberikan.",
    ]
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_a_wrong_option_is_an_indonesian_usage_error_with_exit_2(books):
    proc = cli("validate", books["clean"], "--bogus")
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == "Galat: Opsi --bogus tidak dikenal."
    assert "Usage" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("args, message", [
    (["validate", "x.xlsx", "-f", "xml"], "Galat: Nilai --format / -f tidak sah; pilih salah satu: human, concise, json, sarif."),
    (["validate", "x.xlsx", "--max-seconds", "lama"], "Galat: Nilai --max-seconds tidak sah: harus berupa angka."),
    (["validate", "x.xlsx", "--fail-on"], "Galat: Opsi --fail-on memerlukan nilai."),
    (["periksa", "a.xlsx", "b.xlsx"], "Galat: Argumen berlebih: b.xlsx."),
    (["periksaa", "a.xlsx"], "Galat: Perintah 'periksaa' tidak dikenal."),
    (["validate", "--selct", "KX3", "x.xlsx"], "Galat: Opsi --selct tidak dikenal. Maksudnya --select?"),
])
def test_usage_errors_are_rendered_from_the_exception_not_its_english_text(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message


def test_usage_errors_follow_lang_en():
    result = runner.invoke(app, ["validate", "--lang", "en"])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == "Usage: kinerja-xl validate [OPTIONS] BERKAS..."
    assert result.output.splitlines()[-1] == "Error: Missing argument BERKAS."


@pytest.mark.parametrize("command", [[], ["validate"], ["hitung"], ["periksa"], ["clear"], ["template"], ["example"],
                                     ["rules"], ["explain"], ["audit"], ["addin"], ["addin", "build"]])
def test_help_has_no_english_chrome_and_no_python_type_placeholders(command):
    out = runner.invoke(app, [*command, "--help"]).output
    assert out.startswith("Pemakaian: kinerja-xl")
    for english in ("Usage:", "Options:", "Arguments:", "Commands:", "[default:", "[required]", "Show this message"):
        assert english not in out, english
    assert not re.search(r"<(list\[|Path|path|str|int|float)", out), out
    assert "Opsi:" in out and "--help" in out and "Tampilkan bantuan ini lalu keluar." in out


def test_help_shows_defaults_as_bawaan():
    out = " ".join(runner.invoke(app, ["validate", "--help"]).output.split())
    assert "[bawaan: human]" in out and "[wajib]" in out


def test_hitung_help_names_periksa_not_a_missing_option():
    out = runner.invoke(app, ["hitung", "--help"]).output
    assert "--annotate" not in out and "kinerja-xl periksa" in out


# --------------------------------------------------------------------------- exit codes


def test_exit_codes_0_1_and_2(books, tmp_path):
    assert runner.invoke(app, ["validate", str(books["clean"])]).exit_code == 0
    assert runner.invoke(app, ["validate", str(books["seed"])]).exit_code == 1
    assert runner.invoke(app, ["validate", str(tmp_path / "tidak-ada.xlsx")]).exit_code == 2
    assert runner.invoke(app, ["validate", str(books["clean"]), "--fail-on", "sangat"]).exit_code == 2


def test_a_readable_workbook_without_a_report_table_is_a_finding_exit_1(books):
    """Checked and nothing understood: an error finding (KX010) and exit 1, never a silent pass, and not the exit
    code of a file that could not be read."""
    result = runner.invoke(app, ["validate", str(books["notable"]), "-f", "json"])
    assert result.exit_code == 1
    (f,) = json.loads(result.output)["files"][0]["findings"]
    assert (f["code"], f["severity"]) == ("KX010", "error")
    assert runner.invoke(app, ["validate", str(books["notable"]), "--exit-zero"]).exit_code == 0
    assert runner.invoke(app, ["hitung", str(books["notable"])]).exit_code == 0


def test_readme_and_help_state_the_same_exit_codes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| 2 | the tool could not do its job: an unreadable file, a file over `--max-seconds`, a wrong option |" in readme
    assert "no report table was recognised is one too (KX010" in readme
    text = runner.invoke(app, ["--help"]).output.replace("\n  ", " ")
    assert "1 ada temuan (juga buku kerja tanpa tabel laporan yang dikenali, KX010)" in text
    assert "2 kinerja-xl tidak dapat bekerja (berkas tak terbaca, opsi salah, melebihi --max-seconds)" in text


# --------------------------------------------------------------------------- --max-seconds


def test_max_seconds_stops_validate_with_a_finding_naming_the_file_and_exit_2(books):
    started = time.monotonic()
    result = runner.invoke(app, ["validate", str(books["big"]), str(books["clean"]), "--max-seconds", "0.02", "-f", "json"])
    assert time.monotonic() - started < 30
    assert result.exit_code == 2
    doc = json.loads(result.output)
    first, second = doc["files"]
    assert first["findings"][0]["code"] == "KX020"
    assert first["error"].startswith("besar.xlsx: pemeriksaan berkas melebihi 0.02 detik")
    assert "--max-seconds" in first["error"]
    # the next file got its own bound and its own report (on a loaded machine even the tiny file may hit 0,02 s)
    assert second["path"] == str(books["clean"])
    assert second["error"] is None or second["error"].startswith("bersih.xlsx: pemeriksaan berkas melebihi")


def test_max_seconds_in_the_human_report_and_in_english(books):
    result = runner.invoke(app, ["validate", str(books["big"]), "--max-seconds", "0.02", "--lang", "en"])
    assert result.exit_code == 2
    assert "KX020 error" in result.output and "took longer than 0.02 s" in result.output


def test_max_seconds_stops_hitung_and_periksa_without_an_output_file(tmp_path, books):
    result = runner.invoke(app, ["hitung", str(books["big"]), "--max-seconds", "0.02"])
    assert result.exit_code == 2 and "melebihi 0.02 detik" in result.output
    out = tmp_path / "hasil.xlsx"
    result = runner.invoke(app, ["periksa", str(books["big"]), "-o", str(out), "--max-seconds", "0.02"])
    assert result.exit_code == 2 and "melebihi 0.02 detik" in result.output
    assert list(tmp_path.iterdir()) == []


def test_max_seconds_must_be_positive(books):
    result = runner.invoke(app, ["validate", str(books["clean"]), "--max-seconds", "0"])
    assert result.exit_code == 2 and "--max-seconds harus lebih dari 0" in result.output


def test_the_time_bound_leaves_ctrl_c_alone_and_ends_cleanly():
    import signal

    from kinerja_xl.cli.timebound import TimeLimitExceeded, time_bound

    before = signal.getsignal(signal.SIGINT)
    with time_bound(5):
        pass
    assert signal.getsignal(signal.SIGINT) is before
    with pytest.raises(KeyboardInterrupt):  # a real Ctrl-C inside the bound stays a Ctrl-C
        with time_bound(5):
            signal.raise_signal(signal.SIGINT)
    with pytest.raises(TimeLimitExceeded):
        with time_bound(0.05):
            while True:
                sum(range(1000))
    assert signal.getsignal(signal.SIGINT) is before


@pytest.mark.skipif(sys.platform == "win32", reason="libc sleep through ctypes")
def test_a_main_thread_stuck_in_a_c_call_still_ends_with_exit_2():
    """The last resort: a C call that releases the GIL but ignores the simulated interrupt (libc sleep through
    ctypes) never returns to Python, so no exception can land; the watchdog ends the process itself."""
    script = ("import ctypes, kinerja_xl.cli.timebound as tb\n"
              "tb.GRACE_SECONDS = 0.5\n"
              "with tb.time_bound(0.2, 'lambat.xlsx'):\n"
              "    ctypes.CDLL(None).sleep(30)\n")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 20
    assert proc.returncode == 2
    assert proc.stderr.startswith("kinerja-xl: lambat.xlsx: pemeriksaan berkas melebihi 0.2 detik")


# --------------------------------------------------------------------------- machine-facing output


@pytest.mark.slow
def test_piped_human_output_is_never_wrapped(tmp_path):
    long_name = tmp_path / ("laporan-realisasi-anggaran-kecamatan-" + "sangat-panjang-" * 6 + "tw3.xlsx")
    long_name.write_bytes(EXAMPLE.read_bytes())
    proc = cli("validate", long_name)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == str(long_name)  # a path longer than 80 columns, whole
    message = "Kode '7.01.06.2.01.02.' tidak sesuai format kode sub kegiatan (mis. 7.01.01.2.01.02); maksudnya '7.01.06.2.01.02'?"
    assert "    " + message in lines
    assert max(map(len, lines)) > 200


@pytest.mark.slow
def test_concise_and_json_are_never_wrapped(tmp_path):
    long_name = tmp_path / ("x" * 120 + ".xlsx")
    long_name.write_bytes(EXAMPLE.read_bytes())
    concise = cli("validate", long_name, "-f", "concise").stdout.splitlines()
    assert all(line.startswith(str(long_name) + ":") for line in concise[:-1]) and len(concise) == 24
    doc = json.loads(cli("validate", long_name, "-f", "json").stdout)
    assert doc["files"][0]["path"] == str(long_name)


def test_error_messages_on_a_pipe_are_never_wrapped(tmp_path):
    folder = tmp_path / ("folder-" * 20)
    proc = cli("periksa", EXAMPLE, "-o", folder / "hasil.xlsx")
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert line.startswith("kinerja-xl: ") and str(folder) in line and len(line) > 200


def test_an_internal_error_prints_no_exception_text(monkeypatch, capsys):
    import importlib

    app_module = importlib.import_module("kinerja_xl.cli.commands")

    def broken(*args, **kwargs):
        raise ValueError("rahasia internal")

    monkeypatch.setattr(app_module, "app", broken)
    monkeypatch.delenv("KINERJA_XL_DEBUG", raising=False)
    assert app_module.run([]) == 2
    err = capsys.readouterr().err
    assert "galat internal" in err and "ValueError" not in err and "rahasia" not in err


def test_os_errors_are_described_not_dumped():
    import errno

    from kinerja_xl.cli.common import describe_os_error

    exc = PermissionError(errno.EACCES, "Permission denied", "/x/laporan.periksa.xlsx")
    assert describe_os_error(exc) == "akses ditolak" and describe_os_error(exc, "en") == "permission denied"
    assert describe_os_error(OSError(errno.EIO, "I/O error")) == "galat sistem berkas"


# --------------------------------------------------------------------------- suggested options exist


def _commands() -> dict[str, set[str]]:
    """Each command's options, from the app itself."""
    import typer.main

    group = typer.main.get_command(app)
    out = {}
    for name, cmd in group.commands.items():
        subs = getattr(cmd, "commands", None)
        for sub_name, sub in (subs.items() if subs else [(None, cmd)]):
            key = f"{name} {sub_name}" if sub_name else name
            out[key] = {o for p in sub.params for o in getattr(p, "opts", []) if o.startswith("--")} | {"--help"}
    return out


# which commands can print the texts of each part of the code
_PRINTED_BY = [
    ("kinerja_xl/workbook/", ("validate", "hitung", "periksa", "audit")),
    ("kinerja_xl/engine_codes.py", ("validate", "hitung", "periksa", "audit")),
    ("kinerja_xl/runner.py", ("validate", "hitung", "periksa", "audit")),
    ("kinerja_xl/tables.py", ("validate", "hitung", "periksa", "audit")),
    ("kinerja_xl/config.py", ("validate", "hitung", "periksa", "audit")),
    ("validators/cross_report.py", ("audit",)),
    ("validators/", ("validate", "hitung", "periksa", "audit")),
    ("kinerja_xl/writeback/", ("periksa", "clear")),
    ("kinerja_xl/audit/", ("audit",)),
    ("kinerja_xl/cli/timebound.py", ("validate", "hitung", "periksa")),
]

_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*[a-z]")
_NAMED_COMMAND = re.compile(r"kinerja-xl ((?:addin )?[a-z]+)")


def _texts(path: Path):
    """String literals of a module (f-strings as their literal parts), docstrings of functions left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value


# options a message suggests that its command does not have yet (none today)
PENDING: set[str] = set()


def test_every_option_a_message_suggests_exists_on_the_commands_that_print_it():
    commands = _commands()
    problems = []
    for prefix, printed_by in _PRINTED_BY:
        # a file named on its own line is printed only by the commands given there
        own_line = {ROOT / p for p, _ in _PRINTED_BY if not p.endswith("/")}
        paths = (sorted(set((ROOT / prefix).rglob("*.py")) - own_line) if prefix.endswith("/")
                 else [ROOT / prefix])
        for path in paths:
            for text in _texts(path):
                if "var(--" in text or "pip install" in text or "xlwings" in text:
                    continue  # CSS custom properties, another program's options
                named = _NAMED_COMMAND.findall(text)
                for option in _OPTION.findall(text):
                    targets = [c for c in named if c in commands] or printed_by
                    for command in targets:
                        if option not in commands[command]:
                            problems.append(f"{path.relative_to(ROOT)}: {option} is not an option of {command}")
    assert set(problems) == PENDING, "\n".join(sorted(set(problems) ^ PENDING))


def test_every_option_a_command_help_mentions_exists():
    import typer.main

    commands = _commands()
    group = typer.main.get_command(app)
    problems = []
    for key in commands:
        cmd = group
        for part in key.split():
            cmd = cmd.commands[part]
        texts = [cmd.help or ""] + [getattr(p, "help", None) or "" for p in cmd.params]
        for text in texts:
            named = [c for c in _NAMED_COMMAND.findall(text) if c in commands]
            for option in _OPTION.findall(text):
                if not any(option in commands[c] for c in [key, *named]):
                    problems.append(f"{key}: {option}")
    assert not problems


def test_the_option_scan_finds_what_it_should():
    """The scan above is not vacuous: it sees the --max-rows the size-limit message is given."""
    texts = [t for t in _texts(ROOT / "kinerja_xl" / "cli" / "common.py") if "--max-rows" in t]
    assert texts
    assert "--max-rows" in _commands()["validate"] and "--max-rows" in _commands()["hitung"]
    assert "--max-seconds" in _commands()["periksa"]


# --------------------------------------------------------------------------- start-up


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--help"], ["rules"], ["explain", "KX301"], ["validate", "--help"]])
def test_help_rules_and_explain_import_neither_pandas_nor_pandera_nor_xlwings(args):
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "kinerja_xl.cli", *args],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "typer" in imported  # the measurement itself works
    assert not {"pandas", "pandera", "xlwings", "numpy", "openpyxl"} & imported


def test_concise_on_a_terminal_is_coloured_and_still_one_line_per_finding(books):
    import io

    from kinerja_xl.report.concise import render_concise
    from kinerja_xl.runner import validate_file

    class Tty(io.StringIO):
        def isatty(self):
            return True

    report = validate_file(books["seed"])
    buf = Tty()
    render_concise([report], buf, "id")
    lines = buf.getvalue().splitlines()
    assert len(lines) == 5 and all("\x1b[" in line for line in lines)
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]
    assert plain[1].endswith("KX301 [galat] Sisa 0 ≠ plafon 14.889.710 − realisasi 14.850.000 = 39.710 (selisih -39.710)")
    assert plain[-1] == "1 berkas: 4 galat, 0 peringatan, 0 info"


def test_a_named_settings_file_that_does_not_exist_is_an_error_not_ignored(books, tmp_path):
    result = runner.invoke(app, ["validate", str(books["seed"]), "--config", str(tmp_path / "tidak-ada.toml")])
    assert result.exit_code == 2
    assert result.output.strip() == f"kinerja-xl: berkas pengaturan {tmp_path / 'tidak-ada.toml'} tidak ada."


def test_the_time_bound_never_cuts_an_import_half_way(tmp_path, monkeypatch):
    """A C extension cut half-way through its import cannot be imported again: the bound waits for the import."""
    from kinerja_xl.cli.timebound import TimeLimitExceeded, time_bound

    (tmp_path / "lambat_diimpor.py").write_text("import time\ntime.sleep(0.6)\nSELESAI = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        with time_bound(0.1):
            import lambat_diimpor  # noqa: F401
            while True:
                sum(range(1000))
    assert sys.modules["lambat_diimpor"].SELESAI is True
    assert 0.5 < time.monotonic() - started < 5


@pytest.mark.slow
def test_redirected_output_is_utf8_whatever_the_code_page(tmp_path):
    """Windows gives a redirected stream the ANSI code page; ≠ and Σ must not end the run half-way."""
    proc = subprocess.run([sys.executable, "-m", "kinerja_xl.cli", "validate", str(EXAMPLE), "-f", "json"],
                          capture_output=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert proc.returncode == 1
    doc = json.loads(proc.stdout.decode("utf-8"))
    assert any("≠" in f["message"] for f in doc["files"][0]["findings"])
