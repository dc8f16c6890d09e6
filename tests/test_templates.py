"""Templates, the bundled example workbook, and ``kinerja-xl template`` / ``example``."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from kinerja_xl.cli import app
from kinerja_xl.numbers import parse_number
from kinerja_xl.runner import validate_file
from kinerja_xl.tables import rupiah
from kinerja_xl.templates import (
    EXAMPLE_NAME,
    EXAMPLES,
    TEMPLATES,
    _new_workbook,
    budget,
    build_all,
    build_example,
    example_workbook,
    load,
    save_workbook,
)
from kinerja_xl.templates.common import (
    INFO_SHEET,
    LEFT_MERGE,
    PERCENT,
    RUPIAH,
    _header_merges,
    parse_triwulan,
    read_info,
)

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "xlsx_templates"

load()


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rebuilt")
    build_all(folder)
    return folder


def _cells(path: Path) -> dict:
    """What a reviewer compares, per sheet: each cell's value and number format, the merges,
    data validations, column widths, print titles and frozen panes."""
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = {c.coordinate: (c.value, c.number_format) for row in ws.iter_rows() for c in row
                 if c.value is not None or c.number_format != "General"}
        validations = sorted((str(dv.sqref), dv.type, dv.formula1, dv.formula2, dv.error)
                             for dv in ws.data_validations.dataValidation)
        widths = {k: d.width for k, d in ws.column_dimensions.items()}
        out[ws.title] = (cells, sorted(str(m) for m in ws.merged_cells.ranges), validations, widths,
                         ws.print_title_rows, ws.freeze_panes)
    return out


# --------------------------------------------------------------------------- committed = rebuilt


def test_every_generated_file_is_committed(rebuilt):
    fresh = sorted(p.name for p in rebuilt.glob("*.xlsx"))
    committed = sorted(p.name for p in COMMITTED.glob("*.xlsx"))
    assert fresh == committed, "xlsx_templates/ is stale: run `python -m kinerja_xl.templates` and commit it"


@pytest.mark.parametrize("name", sorted([t.filename for t in TEMPLATES.values()] + list(EXAMPLES)))
def test_committed_file_equals_fresh_rebuild(rebuilt, name):
    fresh, committed = _cells(rebuilt / name), _cells(COMMITTED / name)
    assert list(fresh) == list(committed), f"{name}: sheets differ; run `python -m kinerja_xl.templates`"
    for sheet in fresh:
        assert fresh[sheet] == committed[sheet], f"{name}!{sheet} differs from a rebuild; run `python -m kinerja_xl.templates`"


def test_rebuild_is_byte_identical(tmp_path):
    """Fixed docProps dates and zip entry dates: rebuilding does not churn in git."""
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    build_example(a)
    build_example(b)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        core = zf.read("docProps/core.xml").decode()
        assert {i.date_time for i in zf.infolist()} == {(2021, 10, 18, 0, 0, 0)}
    assert "2021-10-18T00:00:00Z" in core and "kinerja-xl" in core


# --------------------------------------------------------------------------- layout helpers


def test_header_grid_merges():
    grid = [["No", "Indikator", "Kinerja TW III", LEFT_MERGE, "Keterangan"],
            [None, None, "Capaian", "%", None]]
    spans = set(_header_merges(grid))
    assert spans == {(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (1, 2, 1, 2), (1, 3, 1, 3), (0, 4, 1, 4)}


@pytest.mark.parametrize("raw,expected", [("III", 3), (3, 3), ("3", 3), ("TW III", 3), ("Triwulan IV", 4),
                                          ("tribulan 1", 1), (" ii ", 2), ("V", None), (5, None), (None, None)])
def test_parse_triwulan(raw, expected):
    assert parse_triwulan(raw) == expected


@pytest.fixture(scope="module")
def example_wb():
    return example_workbook()


def test_info_sheet_of_the_example(example_wb):
    wb = example_wb
    assert wb.sheetnames[0] == INFO_SHEET
    ws = wb[INFO_SHEET]
    info = read_info([[c.value for c in row] for row in ws.iter_rows()])
    assert info["Unit Kerja"] == "Kecamatan Lumajang"
    assert info["Kabupaten"] == "Lumajang"
    assert info["Triwulan"] == 3 and info["Tahun"] == 2021
    assert info["NIP"] == "19701218 199101 1 002"  # text: 18 digits would be rounded as a number
    assert "Kode Unit" not in info  # the seed names none; a blank value is left out


def test_example_sheet_order(example_wb):
    """Sheets follow their ``@example_sheet(order)``: Info 0, Refocusing 10, …, Realisasi 60."""
    names = example_wb.sheetnames
    assert names[0] == "Info"
    assert names.index("Refocusing") == 1
    assert names.index("Refocusing") < names.index("Realisasi TW III")


# --------------------------------------------------------------------------- blank templates are located


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_blank_template_is_located(rebuilt, name):
    report = validate_file(rebuilt / TEMPLATES[name].filename)
    assert report.error is None
    assert report.tables, f"template {name}: the validator finds no table in it"


def _fill(ws, first_row: int, rows):
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            if v is not None:
                ws.cell(first_row + r, 1 + c, v)


def test_refocusing_template_filled_is_read(tmp_path):
    wb = _new_workbook()
    budget.build_refocusing_template(wb, input_rows=2)  # the template with exactly the rows a user fills
    ws = wb["Refocusing"]
    committed = load_workbook(COMMITTED / "refocusing.xlsx")["Refocusing"]
    assert [c.value for c in ws[4]] == [c.value for c in committed[4]] == budget.REFOCUSING_HEADER[0]
    _fill(ws, 5, [(1, "7.01.01.2.01.02", "Koordinasi RKA", 2_620_000, 2_620_000, 0),
                  (2, "7.01.01.2.01.06", "Laporan Capaian Kinerja", 1_408_000, 772_000, 636_000)])
    assert ws["A7"].value == "JUMLAH" and ws["D7"].value == "=SUM(D5:D6)"
    path = tmp_path / "refocusing-isi.xlsx"
    save_workbook(wb, path)
    report = validate_file(path)
    assert report.error is None
    (table,) = report.tables_of("refocusing")
    assert table.columns == {"no": 0, "kode": 1, "uraian": 2, "awal": 3, "refokusing": 4, "pengurangan": 5}
    assert table.header_rows == (4, 4)
    assert list(table.frame.index) == [5, 6, 7]  # both rows and the JUMLAH row
    assert [rupiah(v) for v in table.frame["awal"][:2]] == [Decimal(2_620_000), Decimal(1_408_000)]
    # the SUM formulas have no cached value until Excel computes them: computed from their
    # ranges (said in table.computed), never read as 0
    assert not [f for f in report.findings if f.code == "KX101"]
    assert [rupiah(v) for v in table.frame.loc[7, ["awal", "refokusing", "pengurangan"]]] == [
        Decimal(4_028_000), Decimal(3_392_000), Decimal(636_000)]
    assert [(table.cell(i.field, i.row), i.raw) for i in table.computed] == [
        ("D7", "SUM(D5:D6)"), ("E7", "SUM(E5:E6)"), ("F7", "SUM(F5:F6)")]


def test_realisasi_template_filled_is_read(tmp_path):
    wb = load_workbook(COMMITTED / "realisasi.xlsx")
    ws = wb["Realisasi"]
    assert ws["F4"].value == "% SERAPAN" and ws["D5"].value == "JUMLAH (RP.)"
    assert ws["B6"].value == "TOTAL"
    _fill(ws, 6, [(None, "TOTAL", 1_000_000, 770_800, 229_200, 77.08),
                  ("A", "PROGRAM PENUNJANG", 1_000_000, 770_800, 229_200, 77.08),
                  ("I", "Perencanaan, Penganggaran, dan Evaluasi Kinerja", 1_000_000, 770_800, 229_200, 77.08),
                  (1, "Koordinasi dan Penyusunan Dokumen RKA-SKPD", 1_000_000, 770_800, 229_200, 77.08)])
    assert ws["F9"].number_format == PERCENT and ws["C9"].number_format == RUPIAH
    path = tmp_path / "realisasi-isi.xlsx"
    wb.save(path)
    report = validate_file(path)
    assert report.error is None
    (table,) = report.tables_of("realisasi")
    assert table.columns == {"no": 0, "uraian": 1, "plafon": 2, "realisasi": 3, "sisa": 4, "serapan": 5}
    assert table.header_rows == (4, 5)
    assert list(table.frame.index) == [6, 7, 8, 9]
    # percentages are stored in percent units, so the reader needs no conversion
    assert list(table.frame["serapan"]) == [77.08] * 4
    assert [rupiah(v) for v in table.frame["sisa"]] == [Decimal(229_200)] * 4


# --------------------------------------------------------------------------- the example = the seed


@pytest.fixture(scope="module")
def example_tables():
    report = validate_file(COMMITTED / EXAMPLE_NAME)
    assert report.error is None
    return {t.kind: t for t in reversed(report.tables)}, report


def _printed(text: str) -> int:
    return int(parse_number(text).value) if text else None


def test_example_refocusing_is_the_seed(example_tables):
    tables, _ = example_tables
    t = tables["refocusing"]
    assert t.sheet == "Refocusing"
    f = t.frame
    assert len(f) == 21
    last = f.index[-1]
    assert f.at[last, "no"] == "JUMLAH"
    assert [rupiah(f.at[last, k]) for k in ("awal", "refokusing", "pengurangan")] == [
        Decimal(6_420_166_069), Decimal(6_255_403_861), Decimal(164_762_208)]
    assert f.at[f.index[19], "kode"] == "7.01.06.2.01.02."  # the trailing dot, as printed
    # the seed's refocusing arithmetic is right throughout: a transcription slip would show here
    body = f.iloc[:-1]
    for key in ("awal", "refokusing", "pengurangan"):
        assert body[key].sum() == f.at[last, key]
    assert (body["awal"] - body["refokusing"] == body["pengurangan"]).all()


def test_example_realisasi_is_the_seed(example_tables):
    tables, _ = example_tables
    t = tables["realisasi"]
    assert t.sheet == "Realisasi TW III"
    assert "kode" not in t.columns and "serapan" not in t.columns  # the seed prints neither
    f = t.frame
    assert len(f) == len(budget.SEED_REALISASI) == 45
    top = f.index[0]
    assert f.at[top, "uraian"] == "TOTAL"
    assert [rupiah(f.at[top, k]) for k in ("plafon", "realisasi", "sisa")] == [
        Decimal(6_255_403_861), Decimal(4_156_201_042), Decimal(2_099_202_819)]
    assert list(f["no"].fillna("")) == ["" if n is None else str(n) for n, *_ in budget.SEED_REALISASI]
    # sisa = plafon − realisasi on every row but kegiatan V's three (printed '-', should be 39.710)
    wrong = f.index[(f["plafon"] - f["realisasi"]) != f["sisa"]]
    assert [f.at[r, "uraian"] for r in wrong] == [
        "Pengadaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah",
        "Pengadaan Peralatan dan Mesin Lainnya",
        "Belanja Modal Alat Kantor Lainnya",
    ]
    assert all(f.at[r, "sisa"] == 0 for r in wrong)


def test_example_dash_cells():
    """A printed '-' is the number 0 shown as '-' by the format, except kegiatan V's sisa, typed as text."""
    ws = load_workbook(COMMITTED / EXAMPLE_NAME)["Realisasi TW III"]
    text_dashes = [c.coordinate for row in ws.iter_rows() for c in row if c.value == "-"]
    assert len(text_dashes) == 3 and {c[0] for c in text_dashes} == {"E"}
    zeros = [c for row in ws.iter_rows(min_col=3, max_col=5) for c in row if c.value == 0]
    assert zeros and all(c.number_format == RUPIAH for c in zeros)


def test_example_matches_an_independent_transcription(example_tables):
    """tests/seed_budget.py was typed separately from the printed report; both must agree cell for cell."""
    seed_budget = pytest.importorskip("seed_budget")
    tables, _ = example_tables
    ref, rea = tables["refocusing"].frame, tables["realisasi"].frame
    assert len(ref) == len(seed_budget.REFOCUSING_ROWS)
    for (_, row), printed in zip(ref.iterrows(), seed_budget.REFOCUSING_ROWS):
        assert (row["no"], row["kode"] or "", row["uraian"] or "") == tuple(printed[:3])
        assert [row[k] // 100 for k in ("awal", "refokusing", "pengurangan")] == [_printed(v) for v in printed[3:]]
    assert len(rea) == len(seed_budget.REALISASI_ROWS)
    for (_, row), printed in zip(rea.iterrows(), seed_budget.REALISASI_ROWS):
        assert (row["no"] or "", row["uraian"]) == tuple(printed[:2])
        assert [row[k] // 100 for k in ("plafon", "realisasi", "sisa")] == [_printed(v) for v in printed[2:]]


def test_example_budget_cells_are_not_reported_except_the_seed_errors(example_tables):
    """Whatever rules exist, nothing fires on the budget sheets beyond kegiatan V's sisa and the kode dot."""
    _, report = example_tables
    errors = {(f.sheet, f.cell) for f in report.findings
              if f.sheet in ("Refocusing", "Realisasi TW III") and f.severity.value == "error"}
    # kegiatan V, its sub kegiatan and its rincian line (rows 24-26); the kode with a trailing dot
    allowed = {("Realisasi TW III", "E24"), ("Realisasi TW III", "E25"), ("Realisasi TW III", "E26"), ("Refocusing", "B24")}
    assert errors <= allowed


# --------------------------------------------------------------------------- CLI


runner = CliRunner()


def test_cli_list():
    result = runner.invoke(app, ["template", "--list"])
    assert result.exit_code == 0
    for name, t in TEMPLATES.items():
        assert name in result.output and t.title_id in result.output
    assert "contoh" in result.output


def test_cli_bad_name_lists_the_valid_ones():
    result = runner.invoke(app, ["template", "laporan-keuangan"])
    assert result.exit_code == 2
    assert "tidak dikenal" in result.output
    assert "refocusing" in result.output and "realisasi" in result.output


def test_cli_writes_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "realisasi-tw3.xlsx"
    first = runner.invoke(app, ["template", "realisasi", "-o", str(out)])
    assert first.exit_code == 0 and out.exists()
    assert _cells(out) == _cells(COMMITTED / "realisasi.xlsx")
    out.write_bytes(b"my own work")
    again = runner.invoke(app, ["template", "realisasi", "-o", str(out)])
    assert again.exit_code == 2
    assert "sudah ada" in again.output and "--force" in again.output
    assert out.read_bytes() == b"my own work"
    forced = runner.invoke(app, ["template", "realisasi", "-o", str(out), "--force"])
    assert forced.exit_code == 0 and out.read_bytes() != b"my own work"


def test_cli_folder_output_uses_the_template_file_name(tmp_path):
    result = runner.invoke(app, ["template", "refocusing", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "refocusing.xlsx").exists()


def test_cli_rejects_other_extensions(tmp_path):
    result = runner.invoke(app, ["template", "refocusing", "-o", str(tmp_path / "r.xls")])
    assert result.exit_code == 2 and ".xlsx" in result.output
    assert not (tmp_path / "r.xls").exists()


def test_cli_example_both_ways(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert runner.invoke(app, ["example", "-o", str(a)]).exit_code == 0
    assert runner.invoke(app, ["template", "contoh", "-o", str(b)]).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    assert _cells(a) == _cells(COMMITTED / EXAMPLE_NAME)


def test_cli_english_messages(tmp_path):
    out = tmp_path / "x.xlsx"
    out.write_bytes(b"")
    result = runner.invoke(app, ["template", "refocusing", "-o", str(out), "--lang", "en"])
    assert result.exit_code == 2 and "already exists" in result.output


def test_realisasi_per_quarter_template_is_read(tmp_path):
    wb = load_workbook(COMMITTED / "realisasi-triwulan.xlsx")
    ws = wb["Realisasi"]
    assert ws["D4"].value == "REALISASI KEUANGAN" and "D4:H4" in {str(m) for m in ws.merged_cells.ranges}
    assert [ws.cell(5, c).value for c in range(4, 9)] == ["TW I", "TW II", "TW III", "TW IV", "JUMLAH (RP.)"]
    _fill(ws, 6, [(None, "TOTAL", 1_000, 100, 200, 300, None, 600, 400, 60.0),
                  ("A", "PROGRAM X", 1_000, 100, 200, 300, None, 600, 400, 60.0)])
    path = tmp_path / "realisasi-tw.xlsx"
    wb.save(path)
    (table,) = validate_file(path).tables_of("realisasi")
    assert table.columns == {"no": 0, "uraian": 1, "plafon": 2, "realisasi_tw1": 3, "realisasi_tw2": 4,
                             "realisasi_tw3": 5, "realisasi_tw4": 6, "realisasi": 7, "sisa": 8, "serapan": 9}
    assert [rupiah(v) for v in table.frame["realisasi_tw3"]] == [Decimal(300)] * 2


def test_cli_survey_example(tmp_path):
    from kinerja_xl.templates import SURVEY_EXAMPLE_NAME

    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert runner.invoke(app, ["example", "--survei", "-o", str(a)]).exit_code == 0
    assert runner.invoke(app, ["template", "contoh-survei", "-o", str(b)]).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    assert _cells(a) == _cells(COMMITTED / SURVEY_EXAMPLE_NAME)
    assert "contoh-survei" in runner.invoke(app, ["template", "--list"]).output
