"""The engine's own notes on what it read: computed formulas (KX105), weak table matches
(KX012) and relations found in the data of tables no rule checks (KX090)."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from budget_books import MemoryBook, realisasi
from kinerja_xl import relations
from kinerja_xl.config import Config
from kinerja_xl.runner import validate_file, validate_source

CORPUS = Path(__file__).resolve().parent / "corpus"
sys.path.insert(0, str(CORPUS))
import build as corpus  # noqa: E402

POPULATION = [["Sungai Raya", 14611, 8943, 23554], ["Sukadana", 16937, 25329, 42266],
              ["Simpang Hilir", 5582, 6373, 11955], ["Teluk Batang", 21559, 7084, 28643],
              ["Seponti", 15982, 23096, 39078], ["Matan Hilir Utara", 5900, 20627, 26527],
              ["Matan Hilir Selatan", 11035, 5228, 16263], ["Pulau Maya", 6816, 18209, 25025],
              ["Kepulauan Karimata", 17702, 6289, 23991], ["Sandai", 11886, 6972, 18858]]


def _codes(report, code):
    return [f for f in report.findings if f.code == code]


def _save(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


# --------------------------------------------------------------------------- KX105


def test_formulas_without_a_value_are_computed_and_noted_once_per_column(tmp_path):
    rows = [["Tabel realisasi"], [], ["NO", "URAIAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN"]]
    rows += [[i, f"Kegiatan {i}", 1000 * i, 400 * i, f"=C{3 + i}-D{3 + i}"] for i in range(1, 4)]
    rows += [[None, "JUMLAH", "=SUM(C4:C6)", "=SUM(D4:D6)", "=SUM(E4:E6)"]]
    report = validate_file(_save(tmp_path / "skrip.xlsx", {"Realisasi": rows}))
    notes = {f.cell: f for f in _codes(report, "KX105")}
    assert sorted(notes) == ["C7", "D7", "E4"]  # one per column, at its first computed cell
    assert notes["E4"].params["count"] == 4 and notes["E4"].severity.value == "info"
    assert notes["E4"].message("id") == (
        "4 rumus di kolom E belum pernah dihitung (berkas disimpan oleh program lain); kinerja-xl menghitungnya "
        "sendiri dari sel yang dirujuk, mis. E4: =C4-D4.")
    assert notes["E4"].message("en").startswith("4 formulas in column E were never calculated")
    assert notes["C7"].message("en") == (
        "1 formula in column C was never calculated (the file was saved by another program); kinerja-xl computed it "
        "from the cells it names: C7: =SUM(C4:C6).")
    assert notes["C7"].message("id").startswith("1 rumus di kolom C belum pernah dihitung")
    # computed, so checked: no KX101 and the sisa identity holds
    assert not _codes(report, "KX101") and not _codes(report, "KX301")


# --------------------------------------------------------------------------- KX012

SALES = [["Penjualan per wilayah"], [], ["WILAYAH", "Q1", "Q2", "Q3", "Q4"],
         ["Utara", 1250000, 1340000, 1410000, 1520000], ["Selatan", 980000, 1010000, 1105000, 1190000],
         ["Timur", 640000, 700000, 720000, 810000]]


def test_a_weak_match_is_named_at_its_header_in_the_findings_language_and_not_checked():
    report = validate_source(MemoryBook({"Jual": SALES}), Config())
    (note,) = _codes(report, "KX012")
    assert (note.sheet, note.cell, note.severity.value) == ("Jual", "B3", "info")
    assert note.message("id") == ("Tabel di baris 3 mirip 'Data jawaban responden SKM' (judul kolom: Q1, Q2, Q3, Q4), "
                                  "tetapi buktinya kurang; tabel ini tidak diperiksa.")
    assert "'Survey responses (one row per respondent)'" in note.message("en")
    assert report.tables == []
    # nothing was checked: the workbook still says no report table was recognised
    assert [f.code for f in report.findings if f.severity.value == "error"] == ["KX010"]


def test_a_weak_match_beside_a_recognised_table_is_still_named():
    sheets = {"Realisasi": realisasi([[1, "Rapat", 1000, 400, 600]]), "Jual": SALES}
    report = validate_source(MemoryBook(sheets), Config())
    assert [t.kind for t in report.tables] == ["realisasi"]
    assert [(f.sheet, f.cell) for f in _codes(report, "KX012")] == [("Jual", "B3")]
    assert not _codes(report, "KX010")


def test_survey_answers_without_respondent_column_are_recognised():
    rows = [["Survei"], [], ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"]]
    rows += [[(r + q) % 4 + 1 for q in range(9)] for r in range(12)]
    report = validate_source(MemoryBook({"Responden": rows}), Config())
    assert [t.kind for t in report.tables] == ["skm_responden"]
    assert not _codes(report, "KX012") and not _codes(report, "KX010")


# --------------------------------------------------------------------------- KX090


def _population(total_row7: int = 16263, header=("KECAMATAN", "LAKI-LAKI", "PEREMPUAN", "JUMLAH")) -> list[list]:
    rows = [list(r) for r in POPULATION]
    rows[6][3] = total_row7
    return [["Jumlah penduduk 2023"], [], list(header), *rows]


def test_a_row_breaking_a_relation_of_an_unknown_table_is_a_warning_at_its_cell():
    report = validate_source(MemoryBook({"Penduduk": _population(16623)}), Config())
    (f,) = _codes(report, "KX090")
    assert (f.sheet, f.cell, f.row_key, f.severity.value) == ("Penduduk", "D10", "Matan Hilir Selatan", "warning")
    assert (f.expected, f.actual, f.difference) == (16263, 16623, 360)
    assert f.related == ("'Penduduk'!B10", "'Penduduk'!C10")
    assert f.message("id") == ("kolom JUMLAH = LAKI-LAKI + PEREMPUAN berlaku pada 9 dari 10 baris; baris 10 "
                               "(Matan Hilir Selatan) tidak (seharusnya 16.263, tertulis 16.623)")
    assert f.message("en").endswith("does not (expected 16,263, found 16,623)")
    assert not _codes(validate_source(MemoryBook({"Penduduk": _population()}), Config()), "KX090")


def test_relations_are_not_searched_when_deselected(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("relations searched although KX090 is ignored")

    monkeypatch.setattr(relations, "numeric_blocks", refuse)
    report = validate_source(MemoryBook({"Penduduk": _population(16623)}), Config(ignore=("KX090",)))
    assert not _codes(report, "KX090") and not _codes(report, "KX901")


def test_a_failing_relation_search_is_an_internal_error_not_a_crash(monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(relations, "find_relations", broken)
    report = validate_source(MemoryBook({"Penduduk": _population(16623)}), Config())
    (f,) = _codes(report, "KX901")
    assert "KX090" in f.message("id") and "ZeroDivisionError" in f.message("en")


def test_header_words_with_braces_are_printed_as_they_are():
    rows = _population(16623, header=("KECAMATAN", "LAKI-LAKI {L}", "PEREMPUAN {P}", "JUMLAH {L+P}"))
    (f,) = _codes(validate_source(MemoryBook({"Penduduk": rows}), Config()), "KX090")
    assert f.message("id").startswith("kolom JUMLAH {L+P} = LAKI-LAKI {L} + PEREMPUAN {P} berlaku")


def test_an_unknown_block_below_a_recognised_table_is_checked_and_the_table_is_not():
    rows = realisasi([[i, f"Kegiatan {i}", 1000 * i, 400 * i, 600 * i] for i in range(1, 9)])
    rows[5][4] = 1  # a sisa error: the realisasi rules report it, the relations must not repeat it
    sheet = rows + [[], [], [], *_population(16623)]  # two blank rows would join it to the table above
    report = validate_source(MemoryBook({"Lembar": sheet}), Config())
    assert [(t.kind, t.last_row) for t in report.tables] == [("realisasi", len(rows))]
    offset = len(rows) + 3
    assert [f.cell for f in _codes(report, "KX090")] == [f"D{offset + 10}"]
    assert _codes(report, "KX301")


def _lebih_case(tmp_path: Path, printed: str | None, lebih_header: str | None = None):
    case = corpus.load_case(CORPUS / "desa-lebih-lra-apbdes-2023.yaml")
    col = corpus.column_index(case, "Lebih/(Kurang)(Rp)") - 1
    if printed is not None:
        case = {**case, "rows": [list(r) for r in case["rows"]]}
        case["rows"][6][col] = printed
    if lebih_header is not None:  # the LEBIH/(KURANG) column under a header no table kind knows
        case = {**case, "header": [[lebih_header if c == "Lebih/(Kurang)(Rp)" else c for c in r] for r in case["header"]]}
    path, where = corpus.build(case, tmp_path)
    return validate_file(path), where


def test_a_wrong_lebih_kurang_in_a_desa_lra_is_an_error_of_its_kind_not_a_relation_warning(tmp_path):
    # 4.2.3 Alokasi Dana Desa: 846.370.000 − 491.243.683 = 355.126.317, typed 355.162.317. The LRA kind
    # knows LEBIH/(KURANG): the identity of a known kind stays an error (KX416), KX090 stays silent.
    report, where = _lebih_case(tmp_path, "355.162.317,00")
    assert [t.kind for t in report.tables] == ["lra"]
    row = where.row_of(7)
    assert [(f.code, f.cell, f.expected, f.actual) for f in report.findings] == [
        ("KX416", f"E{row}", Decimal(355126317), Decimal(355162317))]


def test_a_column_no_field_names_is_searched_for_relations(tmp_path):
    # the same desa table with its LEBIH/(KURANG) column under a header no kind has: read as a
    # realisasi table (anggaran, realisasi), that column is searched and the wrong cell found
    report, where = _lebih_case(tmp_path, "355.162.317,00", lebih_header="Keterangan Angka (Rp)")
    assert [t.kind for t in report.tables] == ["realisasi"]
    found = {f.cell: f for f in _codes(report, "KX090")}
    row = where.row_of(7)
    f = found[f"E{row}"]
    assert (f.expected, f.actual) == (Decimal(355126317), Decimal(355162317))
    assert "seharusnya 355.126.317, tertulis 355.162.317" in f.message("id")
    assert sorted(found) == sorted([f"E{row}", f"E{where.row_of(4)}"])


@pytest.mark.parametrize("case_id", sorted(p.stem for p in CORPUS.glob("*.yaml")))
def test_published_tables_raise_no_relation_warning(case_id, tmp_path):
    path, _ = corpus.build(corpus.load_case(CORPUS / f"{case_id}.yaml"), tmp_path)
    assert [f.location for f in _codes(validate_file(path), "KX090")] == []


def test_a_sheet_that_is_one_located_table_pays_nothing_for_relations(monkeypatch, example_path):
    def refuse(*args, **kwargs):
        raise AssertionError("relations searched on a sheet its located tables cover")

    monkeypatch.setattr(relations, "numeric_blocks", refuse)
    monkeypatch.setattr(relations, "build_block", refuse)
    rows = realisasi([[i, f"Kegiatan {i}", 1000 * i, 400 * i, 600 * i] for i in range(1, 200)])
    report = validate_source(MemoryBook({"Realisasi": rows}), Config())
    assert report.tables and not _codes(report, "KX901")
    assert validate_file(example_path).tables
