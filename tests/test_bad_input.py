"""Bad input: each file gets one line naming it and what to do, exit code 2, the other files are still checked."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from typer.testing import CliRunner

from budget_books import realisasi, write_xlsx
from kinerja_xl.cli import app
from kinerja_xl.runner import validate_file

runner = CliRunner()

GOOD = [["1", "Sub", "100.000", "60.000", "40.000"]]
BROKEN = [["1", "Sub", "100.000", "60.000", "50.000"]]  # one KX301


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    good = write_xlsx(d / "baik.xlsx", {"Realisasi": realisasi(BROKEN)})
    data = good.read_bytes()

    (d / "bukan.xlsx").write_text("ini hanya teks, bukan buku kerja\n", encoding="utf-8")
    (d / "laporan.pdf.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (d / "terpotong.xlsx").write_bytes(data[: len(data) // 2])
    # a zip that is no workbook
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("catatan.txt", "halo")
    (d / "zip-biasa.xlsx").write_bytes(buf.getvalue())
    # the old binary format read through calamine: an OLE2 header and nothing after it is a damaged .xls
    (d / "lama.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4088)
    # password to open: Excel's agile encryption of a real workbook (an OLE file with EncryptionInfo)
    import msoffcrypto.format.ooxml

    with good.open("rb") as src, (d / "sandi.xlsx").open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(src).encrypt("rahasia", out)
    write_xlsx(d / "tanpa-tabel.xlsx", {"Catatan": [["Laporan"], ["Kolom1", "Kolom2"], ["a", "b"]]})
    return d


CASES = [
    ("tidak-ada.xlsx", "KX001", "tidak ditemukan"),
    ("bukan.xlsx", "KX002", "bukan berkas Excel"),
    ("laporan.pdf.xlsx", "KX002", "bukan berkas Excel"),
    ("zip-biasa.xlsx", "KX002", "bukan buku kerja Excel"),
    ("terpotong.xlsx", "KX003", "rusak"),
    ("lama.xls", "KX003", "rusak"),
    ("sandi.xlsx", "KX005", "kata sandi"),
    ("tanpa-tabel.xlsx", "KX010", "Tidak ada tabel"),
]


@pytest.mark.parametrize("name, code, words", CASES)
def test_each_bad_file_is_one_clear_error(files, name, code, words):
    report = validate_file(files / name)
    if code == "KX010":  # read fine, nothing recognised: the one finding of the file (the CLI exits 1)
        assert report.error is None and not report.tables
        (error,) = report.findings
    else:
        error = report.error
        assert error is not None and error.message().startswith(name)  # names the file itself
    assert error.code == code
    message = error.message()
    assert words in message and "\n" not in message
    assert error.file == str(files / name)
    assert error.message("en") != message  # and has an English version


@pytest.mark.parametrize("name, code, words", CASES)
def test_cli_exit_2_for_the_bad_file_while_the_good_one_is_still_checked(files, name, code, words):
    result = runner.invoke(app, ["validate", str(files / name), str(files / "baik.xlsx"), "--format", "concise"])
    # a readable workbook without any report table is a finding (exit 1), not a file that could not be checked
    assert result.exit_code == (1 if code == "KX010" else 2)
    lines = result.output.splitlines()
    bad = [line for line in lines if line.startswith(str(files / name))]
    assert len(bad) == 1 and f"{code} [galat]" in bad[0] and words in bad[0]
    assert any(line.startswith(str(files / "baik.xlsx")) and "KX301" in line for line in lines)
    assert "Traceback" not in result.output


def test_json_carries_the_error_per_file(files):
    result = runner.invoke(app, ["validate", str(files / "sandi.xlsx"), str(files / "baik.xlsx"), "--format", "json"])
    doc = json.loads(result.output)
    assert result.exit_code == 2
    assert "kata sandi" in doc["files"][0]["error"]
    assert doc["files"][1]["error"] is None and doc["files"][1]["findings"][0]["code"] == "KX301"


def test_human_report_in_english(files):
    result = runner.invoke(app, ["validate", str(files / "sandi.xlsx"), "--lang", "en"])
    assert result.exit_code == 2
    assert "sandi.xlsx" in result.output and "password-protected" in result.output.replace("\n", " ")


def test_unreadable_cells_are_findings_not_crashes(tmp_path):
    path = write_xlsx(tmp_path / "sel.xlsx", {"R": realisasi([["1", "Sub", "100.000", "60.000 rb", "40.000"],
                                                              ["2", "Sub", "1,234,567,89", "-", "-"]])})
    report = validate_file(path)
    assert report.error is None
    assert [(f.code, f.cell) for f in report.findings] == [("KX102", "D2"), ("KX103", "C3")]


def test_a_formula_without_a_cached_value_is_reported_not_read_as_zero(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Realisasi"
    for row in realisasi([["1", "Sub", 100000, 60000, None]]):
        ws.append(row)
    ws["E2"] = "=INDEX(C2:D2,1,1)-D2"  # openpyxl saves no cached value; a function kinerja-xl does not compute
    wb.save(tmp_path / "rumus.xlsx")
    report = validate_file(tmp_path / "rumus.xlsx")
    assert [(f.code, f.cell) for f in report.findings] == [("KX101", "E2")]
    ws["E2"] = "=C2-D2"  # a common formula: computed from C2 and D2, so E2 is checked like any value
    wb.save(tmp_path / "rumus.xlsx")
    report = validate_file(tmp_path / "rumus.xlsx")
    # noted once (info, KX105), not an error
    assert [(f.code, f.cell) for f in report.findings] == [("KX105", "E2")]
    assert list(report.tables[0].frame["sisa"]) == [40_000_00]
