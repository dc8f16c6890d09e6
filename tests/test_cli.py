"""The ``kinerja-xl`` command: formats, exit codes, --fail-on, --lang, rules, explain; the seed acceptance."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from budget_books import realisasi, seed_sheets, write_xlsx
from kinerja_xl.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    clean = [["", "TOTAL", "1.000.000", "600.000", "400.000"],
             ["1", "Sub satu", "400.000", "400.000", "-"],
             ["2", "Sub dua", "600.000", "200.000", "400.000"]]
    over = [["1", "Sub satu", "400.000", "450.000", "(50.000)"]]
    return {
        "seed": write_xlsx(d / "seed.xlsx", seed_sheets()),
        "clean": write_xlsx(d / "bersih.xlsx", {"Realisasi": realisasi(clean)}),
        "warning": write_xlsx(d / "peringatan.xlsx", {"Realisasi": realisasi(over)}),
    }


def test_clean_workbook_exits_0(books):
    result = run("validate", books["clean"])
    assert result.exit_code == 0
    assert "Tidak ada temuan" in result.output and "0 galat" in result.output


def test_findings_exit_1_and_the_human_report_puts_location_and_code_first(books):
    result = run("validate", books["seed"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    heads = [line for line in lines if line.startswith("'")]
    assert heads == ["'Refocusing'!B23  KX111 galat  kode-format",
                     "'Realisasi TW III'!E23  KX301 galat  sisa-identity",
                     "'Realisasi TW III'!E24  KX301 galat  sisa-identity",
                     "'Realisasi TW III'!E25  KX301 galat  sisa-identity"]
    # under each: the message, the row's label, expected and actual, indented
    i = lines.index(heads[1])
    assert lines[i + 1] == "    Sisa 0 ≠ plafon 14.889.710 − realisasi 14.850.000 = 39.710 (selisih -39.710)"
    assert lines[i + 2].startswith("    baris: V Pengadaan Barang Milik Daerah")
    assert lines[i + 3] == "    seharusnya 39.710, tertulis 0"
    assert "4 galat" in lines[-1]


def test_three_findings_on_different_rows_read_differently(books):
    """The same message on three rows: the row label tells them apart."""
    out = run("validate", books["seed"]).output
    blocks = out.split("'Realisasi TW III'!")[1:]
    labels = [next(line for line in b.splitlines() if line.startswith("    baris:")) for b in blocks]
    assert len(labels) == 3 and len(set(labels)) == 3


def test_the_human_report_ends_with_a_summary_per_rule_code(books):
    lines = run("validate", books["seed"]).output.splitlines()
    start = lines.index("Temuan per aturan:")
    assert [line.split() for line in lines[start + 1:start + 3]] == [
        ["3", "KX301", "galat", "sisa-identity"], ["1", "KX111", "galat", "kode-format"]]
    rules_line = lines[start + 3]
    assert rules_line.startswith("Aturan: ") and rules_line.endswith(" dijalankan, 2 dengan temuan.")
    assert int(rules_line.split()[1]) >= 10  # the budget rules of two table kinds
    assert lines[-1] == "1 berkas: 4 galat, 0 peringatan, 0 info"


def test_rules_run_counts_every_code_that_found_something():
    """The old checklist left out rules with findings (KX104, KX803…); the count never does."""
    from kinerja_xl.report.human import rules_run
    from kinerja_xl.runner import validate_file
    from kinerja_xl.templates import EXAMPLE_NAME

    from pathlib import Path

    report = validate_file(Path(__file__).resolve().parents[1] / "xlsx_templates" / EXAMPLE_NAME)
    ran = rules_run(report)
    assert {f.code for f in report.findings} <= ran
    assert "KX104" in ran and "KX803" in ran and "KX301" in ran


def test_concise_format(books):
    result = run("validate", books["seed"], "--format", "concise")
    lines = result.output.splitlines()
    assert f"{books['seed']}:'Realisasi TW III'!E23: KX301 [galat] Sisa 0 ≠ plafon 14.889.710 − realisasi 14.850.000 = 39.710 (selisih -39.710)" in lines
    assert len(lines) == 5 and lines[-1] == "1 berkas: 4 galat, 0 peringatan, 0 info"
    en = run("validate", books["seed"], "--format", "concise", "--lang", "en").output.splitlines()
    assert en[0].endswith("KX111 [error] " + en[0].split(" [error] ", 1)[1]) and en[-1] == "1 file(s): 4 errors, 0 warnings, 0 info"


def test_json_format(books):
    result = run("validate", books["seed"], books["clean"], "--format", "json")
    doc = json.loads(result.output)
    assert doc["version"] == 1
    assert [f["path"] for f in doc["files"]] == [str(books["seed"]), str(books["clean"])]
    first = doc["files"][0]["findings"]
    kx301 = [f for f in first if f["code"] == "KX301"]
    assert len(kx301) == 3
    f = kx301[0]
    assert {"code", "name", "severity", "sheet", "cell", "row_key", "expected", "actual", "message"} <= set(f)
    assert (f["name"], f["severity"], f["sheet"], f["cell"]) == ("sisa-identity", "error", "Realisasi TW III", "E23")
    assert f["expected"] == 39710 and f["actual"] == 0 and isinstance(f["expected"], int)
    assert f["row_key"].startswith("V Pengadaan Barang Milik Daerah")
    assert doc["files"][1]["findings"] == []


def test_json_percentages_are_in_percent_units(tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"R": realisasi([["1", "Sub", "600.000", "500.000", "80,00%"]],
                                                           ["NO", "URAIAN", "PAGU", "REALISASI", "% SERAPAN"])})
    doc = json.loads(run("validate", path, "--format", "json").output)
    (f,) = [f for f in doc["files"][0]["findings"] if f["code"] == "KX302"]
    assert f["expected"] == pytest.approx(83.33) and f["actual"] == pytest.approx(80.0)


def test_sarif_format(books):
    doc = json.loads(run("validate", books["seed"], "--format", "sarif").output)
    assert doc["version"] == "2.1.0"
    results = doc["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["KX111", "KX301", "KX301", "KX301"]
    assert results[0]["locations"][0]["logicalLocations"][0]["name"].startswith("'")
    assert any(r["id"] == "KX301" for r in doc["runs"][0]["tool"]["driver"]["rules"])


def test_fail_on_and_exit_zero(books):
    assert run("validate", books["warning"]).exit_code == 0  # a warning only
    result = run("validate", books["warning"], "--fail-on", "warning", "--format", "concise")
    assert result.exit_code == 1 and "KX304 [peringatan]" in result.output
    assert run("validate", books["seed"], "--exit-zero").exit_code == 0


def test_lang_en(books):
    result = run("validate", books["seed"], "--lang", "en", "--format", "concise")
    assert "Remaining budget 0 ≠ budget 14,889,710 − realisation 14,850,000 = 39,710 (difference -39,710)" in result.output
    human = run("validate", books["seed"], "--lang", "en").output
    assert "    expected 39,710, actual 0" in human and "    row: V Pengadaan" in human and "4 errors" in human


def test_select_and_ignore(books):
    out = run("validate", books["seed"], "--format", "concise", "--select", "KX1").output
    assert [line.split(": ")[1].split()[0] for line in out.splitlines() if ": KX" in line] == ["KX111"]
    out = run("validate", books["seed"], "--format", "concise", "--ignore", "KX301", "--ignore", "kode-format").output
    assert out.splitlines() == ["1 berkas: 0 galat, 0 peringatan, 0 info"]


def test_missing_file_is_exit_2_and_the_other_file_is_still_checked(books, tmp_path):
    result = run("validate", tmp_path / "tidak-ada.xlsx", books["seed"], "--format", "concise")
    assert result.exit_code == 2
    assert "tidak-ada.xlsx" in result.output and "KX001" in result.output
    assert "KX301" in result.output


def test_rules_lists_every_budget_rule():
    out = run("rules").output
    for code in ("KX111", "KX112", "KX113", "KX301", "KX302", "KX303", "KX304", "KX305", "KX401", "KX402", "KX403",
                 "KX501", "KX502", "KX503"):
        assert code in out
    assert "sisa-identity" in out


def test_explain_shows_the_wrong_and_right_example_in_indonesian_without_markup():
    out = run("explain", "KX301").output
    assert out.startswith("KX301 sisa-identity  [galat]")
    assert "Salah" in out and "Benar" in out and "39.710" in out
    assert "*Salah:*" not in out and "``" not in out and "{actual}" not in out  # rendered, values filled
    assert "Sisa 0 ≠ plafon 14.889.710 − realisasi 14.850.000 = 39.710" in out  # the message as a clerk sees it
    en = run("explain", "KX301", "--lang", "en").output
    assert "[error]" in en and "Wrong" in en and "Right" in en and "Salah" not in en
    assert run("explain", "parent-sum").output.startswith("KX401 parent-sum")
    assert run("explain", "pk-jumlah").output.startswith("KX551 pk-total")  # a former name still explains
    result = runner.invoke(app, ["explain", "KX999"])
    assert result.exit_code == 2


def test_rules_summaries_follow_the_language():
    from kinerja_xl import ruledoc

    ind = run("rules").output
    en = run("rules", "--lang", "en").output
    assert ruledoc.summary("KX301", "id") in ind and ruledoc.summary("KX301", "en") not in ind
    assert ruledoc.summary("KX301", "en") in en


def test_schema_prints_a_kinds_pandera_schema_as_yaml():
    import yaml

    listing = run("schema").output
    assert "realisasi" in listing and "skm_responden" in listing
    doc = yaml.safe_load(run("schema", "realisasi").output)
    assert doc["schema_type"] == "dataframe" and {"plafon", "realisasi", "sisa"} <= set(doc["columns"])
    assert any("kx_difference" in str(c) for c in doc.get("checks") or [])
    wrong = runner.invoke(app, ["schema", "tidak-ada"])
    assert wrong.exit_code == 2 and "tidak ada jenis tabel" in wrong.output


@pytest.mark.slow
def test_the_console_script_never_prints_a_traceback(tmp_path):
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    proc = subprocess.run([sys.executable, "-m", "kinerja_xl.cli", "validate", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "rusak.xlsx" in proc.stdout + proc.stderr


# --------------------------------------------------------------------------- the seed acceptance


def _budget_findings(report):
    sheets = {t.sheet for t in report.tables if t.kind in ("realisasi", "refocusing")}
    return [f for f in report.findings if f.sheet in sheets]


def test_seed_example_workbook_reports_exactly_the_known_budget_errors(example_path):
    """Done-when of issue 2: the three sisa cells of kegiatan V and the trailing-dot kode, nothing else."""
    result = run("validate", example_path, "--format", "json")
    doc = json.loads(result.output)
    from kinerja_xl.runner import validate_file

    report = validate_file(example_path)
    kinds = {t.kind for t in report.tables}
    assert {"realisasi", "refocusing"} <= kinds
    budget = _budget_findings(report)
    # nothing but these, at any severity (numbers in the example are real numbers: no KX104 either)
    assert sorted((f.code, f.severity.value) for f in budget) == [
        ("KX111", "error"), ("KX301", "error"), ("KX301", "error"), ("KX301", "error")]
    sisa = [f for f in budget if f.code == "KX301"]
    assert all((f.expected, f.actual) == (Decimal(39710), Decimal(0)) for f in sisa)
    real = next(t for t in report.tables if t.kind == "realisasi")
    assert [f.cell for f in sisa] == [real.cell("sisa", r) for r in (real.frame.index[real.frame["uraian"].str.startswith(
        ("Pengadaan Barang Milik Daerah", "Pengadaan Peralatan dan Mesin", "Belanja Modal Alat Kantor"), na=False)])]
    (kode,) = [f for f in budget if f.code == "KX111"]
    assert kode.actual == "7.01.06.2.01.02."
    # the JSON document says the same
    codes = {(f["sheet"], f["cell"], f["code"]) for file in doc["files"] for f in file["findings"]}
    assert {(f.sheet, f.cell, f.code) for f in budget} <= codes
    assert result.exit_code == 1


def test_rules_and_json_in_english(books):
    out = run("rules", "--lang", "en").output
    assert "Code" in out and "Severity" in out and "warning" in out
    doc = json.loads(run("validate", books["seed"], "--format", "json", "--lang", "en").output)
    kode = next(f for f in doc["files"][0]["findings"] if f["code"] == "KX111")
    assert kode["message"] == ("Kode '7.01.06.2.01.02.' does not have the form of a sub-activity code "
                               "(e.g. 7.01.01.2.01.02); did you mean '7.01.06.2.01.02'?")
    assert kode["expected"] == "7.01.06.2.01.02" and kode["actual"] == "7.01.06.2.01.02."


def test_addin_doctor_says_in_indonesian_what_is_missing_and_exits_1(tmp_path, monkeypatch):
    # A machine with no add-in installed (as this Linux test machine): every failed check names its fix.
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    result = runner.invoke(app, ["addin", "doctor"])
    assert result.exit_code == 1, result.output
    assert "Perbaikan:" in result.output
    assert "kinerja-xl addin install" in result.output
    assert "Traceback" not in result.output
    en = runner.invoke(app, ["addin", "doctor", "--lang", "en"])
    assert en.exit_code == 1
    assert "Perbaikan" not in en.output and "Fix" in en.output
