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
    assert [c.value for c in ws[5]] == [1, 2, 3, 4, 5, 6]  # the column-number row of the printed forms
    _fill(ws, 6, [(1, "7.01.01.2.01.02", "Koordinasi RKA", 2_620_000, 2_620_000, 0),
                  (2, "7.01.01.2.01.06", "Laporan Capaian Kinerja", 1_408_000, 772_000, 636_000)])
    assert ws["A8"].value == "JUMLAH" and ws["D8"].value == "=SUM(D6:D7)"
    path = tmp_path / "refocusing-isi.xlsx"
    save_workbook(wb, path)
    report = validate_file(path)
    assert report.error is None
    (table,) = report.tables_of("refocusing")
    assert table.columns == {"no": 0, "kode": 1, "uraian": 2, "awal": 3, "refokusing": 4, "pengurangan": 5}
    assert table.header_rows == (4, 4)
    assert list(table.frame.index) == [6, 7, 8]  # both rows and the JUMLAH row; the number row is skipped
    assert [rupiah(v) for v in table.frame["awal"][:2]] == [Decimal(2_620_000), Decimal(1_408_000)]
    # the SUM formulas are saved with the values of the rows filled in before saving
    assert [rupiah(table.frame.at[8, k]) for k in ("awal", "refokusing", "pengurangan")] == [
        Decimal(4_028_000), Decimal(3_392_000), Decimal(636_000)]
    assert not [f for f in report.findings if f.severity.value == "error"]


def test_a_formula_changed_after_building_is_saved_without_a_value(tmp_path):
    """Only formulas the builder wrote get a value; another formula stays unread (KX101), never guessed."""
    wb = _new_workbook()
    budget.build_refocusing_template(wb, input_rows=2)
    ws = wb["Refocusing"]
    _fill(ws, 6, [(1, "7.01.01.2.01.02", "Koordinasi RKA", 2_620_000, 2_620_000, 0)])
    ws["D8"] = '=SUMIF(D6:D7,">0")'  # a function kinerja-xl does not compute either
    path = save_workbook(wb, tmp_path / "r.xlsx")
    cached = load_workbook(path, data_only=True)["Refocusing"]
    assert cached["E8"].value == 2_620_000 and cached["D8"].value is None
    assert sorted(f.cell for f in validate_file(path).findings if f.code == "KX101") == ["D8"]


def test_realisasi_template_filled_is_read(tmp_path):
    wb = load_workbook(COMMITTED / "realisasi.xlsx")
    ws = wb["Realisasi"]
    assert ws["F4"].value == "% SERAPAN" and ws["D5"].value == "JUMLAH (RP.)"
    assert [c.value for c in ws[6]] == [1, 2, 3, 4, 5, 6] and ws["B7"].value == "TOTAL"
    _fill(ws, 7, [(None, "TOTAL", 1_000_000, 770_800, 229_200, 77.08),
                  ("A", "PROGRAM PENUNJANG", 1_000_000, 770_800, 229_200, 77.08),
                  ("I", "Perencanaan, Penganggaran, dan Evaluasi Kinerja", 1_000_000, 770_800, 229_200, 77.08),
                  (1, "Koordinasi dan Penyusunan Dokumen RKA-SKPD", 1_000_000, 770_800, 229_200, 77.08)])
    assert ws["F10"].number_format == PERCENT and ws["C10"].number_format == RUPIAH
    path = tmp_path / "realisasi-isi.xlsx"
    wb.save(path)
    report = validate_file(path)
    assert report.error is None
    (table,) = report.tables_of("realisasi")
    assert table.columns == {"no": 0, "uraian": 1, "plafon": 2, "realisasi": 3, "sisa": 4, "serapan": 5}
    assert table.header_rows == (4, 5)
    assert list(table.frame.index) == [7, 8, 9, 10]
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
        assert name in result.output and t.title in result.output
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
    _fill(ws, 7, [(None, "TOTAL", 1_000, 100, 200, 300, None, 600, 400, 60.0),
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


# --------------------------------------------------------------------------- clean of engine errors, values cached


def _engine_errors(report) -> list[str]:
    """KX0xx (reading, structure) and KX101 (a formula's value cannot be read): the tool failing its own files."""
    return [f"{f.sheet}!{f.cell} {f.code}" for f in report.findings
            if f.severity.value == "error" and (f.code.startswith("KX0") or f.code == "KX101")]


@pytest.mark.parametrize("name", sorted([t.filename for t in TEMPLATES.values()] + list(EXAMPLES)))
def test_every_template_and_example_validates_clean_of_engine_errors(rebuilt, name):
    for folder in (rebuilt, COMMITTED):
        report = validate_file(folder / name)
        assert report.error is None
        assert _engine_errors(report) == [], f"{folder.name}/{name}"


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_blank_template_has_no_error_at_all(rebuilt, name):
    report = validate_file(rebuilt / TEMPLATES[name].filename)
    assert [f for f in report.findings if f.severity.value == "error"] == []


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_formula_is_saved_with_its_value(rebuilt, name):
    path = rebuilt / TEMPLATES[name].filename
    formulas = {(ws.title, c.coordinate): c.value for ws in load_workbook(path).worksheets
                for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")}
    values = load_workbook(path, data_only=True)
    missing = [key for key in formulas if values[key[0]][key[1]].value in (None, "")]
    assert formulas and missing == []


FILLED_INFO = {"Unit Kerja": "Kecamatan Lumajang", "Kabupaten": "Lumajang", "Triwulan": "III", "Tahun": 2021,
               "Kepala Unit": "Drs. DEDWI SUPRAPTO, M.Si.", "NIP": "19701218 199101 1 002",
               "Tanggal Laporan": "8 Oktober 2021", "Jabatan": "Camat Lumajang", "Tempat": "Lumajang",
               "Awal Renstra": 2019}


def _filled(name: str):
    from kinerja_xl.templates import template_workbook

    return template_workbook(name, FILLED_INFO)


def test_build_template_fills_info(tmp_path):
    from kinerja_xl.templates import build_template

    path = build_template("realisasi", tmp_path / "r.xlsx", info={"Unit Kerja": "Kecamatan Sukodono", "Tahun": 2024,
                                                                  "Triwulan": "II"})
    info = read_info([[c.value for c in row] for row in load_workbook(path)[INFO_SHEET].iter_rows()])
    assert (info["Unit Kerja"], info["Tahun"], info["Triwulan"]) == ("Kecamatan Sukodono", 2024, 2)
    texts = _texts(path)["Realisasi"]
    assert "TABEL REALISASI TRIWULAN II TAHUN 2024" in texts and "KECAMATAN SUKODONO" in texts
    with pytest.raises(ValueError, match="unknown Info label"):
        build_template("realisasi", tmp_path / "x.xlsx", info={"Kecamatan": "x"})


def _texts(path: Path) -> dict[str, list[str]]:
    wb = load_workbook(path, data_only=True)
    return {ws.title: [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None] for ws in wb.worksheets}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_titles_years_and_signature_come_from_info(tmp_path, name):
    import datetime

    path = save_workbook(_filled(name), tmp_path / f"{name}.xlsx", datetime.date(2030, 1, 1))
    sheet = next(s for s in load_workbook(path).sheetnames if s != INFO_SHEET)
    texts = _texts(path)[sheet]
    # the unit in capitals in the title, the signature block, the NIP as text
    assert "KECAMATAN LUMAJANG" in " ".join(texts)
    assert "Lumajang, 8 Oktober 2021" in texts and "Camat Lumajang" in texts
    assert "Drs. DEDWI SUPRAPTO, M.Si." in texts and "NIP. 19701218 199101 1 002" in texts
    # no placeholder left in what the formulas show, and the clock's year (2030) nowhere: Info's Tahun wins
    formulas = load_workbook(path)[sheet]
    shown = load_workbook(path, data_only=True)[sheet]
    computed = [str(shown[c.coordinate].value) for row in formulas.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]
    assert computed and not [t for t in computed if "…" in t or "...." in t]
    assert not [t for t in texts if "2030" in t]
    report = validate_file(path)
    assert report.error is None and report.tables
    assert [f for f in report.findings if f.severity.value == "error"] == []
    # the signature sits under the tables, never read as one of their rows
    ws = load_workbook(path)[sheet]
    signature_row = next(c.row for row in ws.iter_rows() for c in row
                         if isinstance(c.value, str) and c.value.startswith('="NIP. "'))
    assert all(max(t.frame.index, default=0) < signature_row - 5 for t in report.tables)


def test_the_year_of_pk_and_iku_is_read_from_their_caption(tmp_path):
    from kinerja_validators.perbandingan import iku_year

    for name, kind in (("capaian-iku", "iku"), ("perjanjian-kinerja", "pk")):
        path = save_workbook(_filled(name), tmp_path / f"{name}.xlsx")
        tables = validate_file(path).tables_of(kind)
        assert tables and all(iku_year(t) == "2021" for t in tables if t.has("target")), name


def test_years_of_perbandingan_and_renstra_follow_info(tmp_path):
    path = save_workbook(_filled("perbandingan"), tmp_path / "p.xlsx")
    (first, second) = validate_file(path).tables_of("perbandingan")
    assert set(first.columns) >= {"target_2020", "realisasi_2020", "target_2021", "realisasi_2021"}
    assert set(second.columns) >= {"realisasi_2020", "capaian_2020", "realisasi_2021", "capaian_2021"}
    wb = _filled("renstra")
    path = save_workbook(wb, tmp_path / "r.xlsx")
    (table,) = validate_file(path).tables_of("renstra")
    assert {k for k in table.columns if k.startswith("target_")} == {f"target_{y}" for y in range(2019, 2024)}
    assert {k for k in table.columns if k.startswith("realisasi_")} == {f"realisasi_{y}" for y in range(2019, 2024)}
    # Awal Renstra left blank: the period starts two years before the report's year
    wb[INFO_SHEET]["B13"] = None
    wb[INFO_SHEET]["B6"] = 2025
    (table,) = validate_file(save_workbook(wb, tmp_path / "r2.xlsx")).tables_of("renstra")
    assert {k for k in table.columns if k.startswith("target_")} == {f"target_{y}" for y in range(2023, 2028)}


def test_blank_templates_show_this_year_until_info_is_filled(tmp_path):
    import datetime

    path = build_all.__globals__["build_template"]("perbandingan", tmp_path / "p.xlsx", datetime.date(2027, 5, 1))
    texts = _texts(path)["Perbandingan"]
    assert "Tahun 2026" in texts and "Tahun 2027" in texts and "UNIT KERJA … TAHUN 2026 DAN 2027" in texts


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_table_has_a_column_number_row(rebuilt, name):
    report = validate_file(rebuilt / TEMPLATES[name].filename)
    ws = load_workbook(rebuilt / TEMPLATES[name].filename)[report.tables[0].sheet]
    for table in report.tables:
        below = [ws.cell(table.header_rows[1] + 1, c).value for c in range(1, ws.max_column + 1)]
        numbers = [v for v in below if v is not None]
        assert numbers and numbers == list(range(1, len(numbers) + 1)), (table.sheet, table.header_rows)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_headers_break_only_between_words_and_fit_their_rows(rebuilt, name):
    from openpyxl.utils import get_column_letter

    from kinerja_xl.templates.common import wrapped_lines

    path = rebuilt / TEMPLATES[name].filename
    report = validate_file(path)
    wb, values = load_workbook(path), load_workbook(path, data_only=True)
    for table in report.tables:
        ws = wb[table.sheet]
        first, last = table.header_rows
        spans = {}
        for m in ws.merged_cells.ranges:
            spans[(m.min_row, m.min_col)] = (m.max_row, m.max_col)
        for r in range(first, last + 1):
            for c in range(1, ws.max_column + 1):
                text = values[table.sheet].cell(r, c).value
                if not isinstance(text, str):
                    continue
                r1, c1 = spans.get((r, c), (r, c))
                width = sum(ws.column_dimensions[get_column_letter(cc)].width or 8.43 for cc in range(c, c1 + 1))
                lines, broken = wrapped_lines(text, width)
                assert not broken, f"{table.sheet}!{ws.cell(r, c).coordinate} {text!r} breaks mid-word"
                height = sum(ws.row_dimensions[rr].height or 15 for rr in range(r, r1 + 1))
                assert height >= lines * 13, f"{table.sheet}!{ws.cell(r, c).coordinate} {text!r} is clipped"


def test_lists_to_pick_from():
    from kinerja_xl.templates import template_workbook

    for name in TEMPLATES:
        ws = template_workbook(name)[INFO_SHEET]
        lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
        assert lists == {"B5": '"I,II,III,IV"'}, name
    iku = template_workbook("capaian-iku")["Capaian IKU"]
    (polarity,) = [dv for dv in iku.data_validations.dataValidation if dv.type == "list"]
    assert polarity.formula1 == '"positif,negatif"' and str(polarity.sqref).startswith("H")


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_instructions_name_the_periksa_button_first(rebuilt, name):
    texts = [t for sheet in _texts(rebuilt / TEMPLATES[name].filename).values() for t in sheet]
    mentions = [t for t in texts if "Periksa" in t or "kinerja-xl" in t]
    assert mentions, name
    first = mentions[0]
    assert "tombol Periksa" in first and first.index("tombol Periksa") < first.index("kinerja-xl")
    assert not [t for t in texts if "`" in t]  # no markdown backticks in a workbook


@pytest.mark.slow
@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed")
def test_cached_values_equal_libreoffice_recalculation(tmp_path):
    """What we save as each formula's value is what a spreadsheet program computes from the same cells."""
    import datetime
    import importlib.util

    spec = importlib.util.spec_from_file_location("render_templates", ROOT / "scripts" / "render_templates.py")
    render = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render)
    from kinerja_xl.templates import template_workbook

    today = datetime.date.today()
    paths = []
    for name in sorted(TEMPLATES):
        paths.append(save_workbook(template_workbook(name), tmp_path / f"blank-{name}.xlsx", today))
        wb = _filled(name)
        if name == "refocusing":
            _fill(wb["Refocusing"], 6, [(1, "7.01.01.2.01.02", "Koordinasi RKA", 2_620_000, 2_620_000, 0),
                                        (2, "7.01.01.2.01.06", "Laporan", 1_408_000.5, 772_000, "636.000")])
        paths.append(save_workbook(wb, tmp_path / f"filled-{name}.xlsx", today))
    # a wrong cached value shows that LibreOffice really recalculates
    wrong = _filled("refocusing")
    wrong["Refocusing"]["D6"] = 5
    paths.append(save_workbook(wrong, tmp_path / "wrong.xlsx", today))
    with zipfile.ZipFile(paths[-1]) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    part = "xl/worksheets/sheet2.xml"
    assert b"<f>SUM(D6:D25)</f><v>5</v>" in parts[part]
    parts[part] = parts[part].replace(b"<f>SUM(D6:D25)</f><v>5</v>", b"<f>SUM(D6:D25)</f><v>999</v>")
    with zipfile.ZipFile(paths[-1], "w") as dst:
        for n, data in parts.items():
            dst.writestr(n, data)
    out = tmp_path / "recalculated"
    render.soffice_convert(paths, "xlsx", out, tmp_path / "profile")
    for path in paths:
        ours = load_workbook(path, data_only=True)
        formulas = load_workbook(path)
        theirs = load_workbook(out / path.name, data_only=True)
        for ws in formulas.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith("="):
                        mine, lo = ours[ws.title][c.coordinate].value, theirs[ws.title][c.coordinate].value
                        if path.name == "wrong.xlsx" and c.coordinate == "D26":
                            assert (mine, lo) == (999, 5)
                        else:
                            assert mine == lo, f"{path.name}!{ws.title}!{c.coordinate} {c.value}: {mine!r} vs {lo!r}"


@pytest.mark.parametrize("name", sorted([t.filename for t in TEMPLATES.values()] + list(EXAMPLES)))
def test_the_annotated_copy_and_the_cleared_copy_validate_clean_of_engine_errors(tmp_path, name):
    """What `kinerja-xl periksa` and `clear` write is a file kinerja-xl generates too."""
    import shutil

    src = shutil.copy(COMMITTED / name, tmp_path / name)
    out = tmp_path / "bertanda.xlsx"
    result = runner.invoke(app, ["periksa", str(src), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    report = validate_file(out)
    assert report.error is None and _engine_errors(report) == []
    cleared = tmp_path / "bersih.xlsx"
    assert runner.invoke(app, ["clear", str(out), "-o", str(cleared)]).exit_code == 0
    report = validate_file(cleared)
    assert report.error is None and _engine_errors(report) == []


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_template_opens_on_its_form_with_one_selected_tab(rebuilt, name):
    wb = load_workbook(rebuilt / TEMPLATES[name].filename)
    assert wb.sheetnames[0] == INFO_SHEET and wb.active.title != INFO_SHEET
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [wb.active.title]


def test_what_the_template_command_writes_validates_clean(tmp_path):
    for name in sorted(TEMPLATES) + ["contoh", "contoh-survei"]:
        out = tmp_path / f"{name}.xlsx"
        assert runner.invoke(app, ["template", name, "-o", str(out)]).exit_code == 0
        report = validate_file(out)
        assert report.error is None and _engine_errors(report) == [], name


def test_the_info_sheet_identifies_the_report_and_its_hints_are_not_values(tmp_path):
    from kinerja_xl.audit.identify import from_info
    from kinerja_xl.templates import template_workbook

    rows = lambda wb: [[c.value for c in row] for row in wb[INFO_SHEET].iter_rows()]  # noqa: E731
    blank = template_workbook("realisasi")
    assert from_info(rows(blank)).as_dict() == {"unit": None, "kode": None, "kabupaten": None, "triwulan": None,
                                                "tahun": None, "source": None}
    prompts = {str(dv.sqref): dv.prompt for dv in blank[INFO_SHEET].data_validations.dataValidation if dv.prompt}
    assert "mis. Kecamatan Lumajang" in prompts["B3"] and "I, II, III atau IV" in prompts["B5"]
    ident = from_info(rows(_filled("realisasi")))
    assert (ident.unit, ident.triwulan, ident.tahun) == ("KECAMATAN LUMAJANG", 3, 2021)
