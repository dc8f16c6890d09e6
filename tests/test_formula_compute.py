"""Formulas saved without a value: the common ones are computed from the cells they name.

openpyxl-based tools write formulas without results; calamine reads them as empty. SUM over
ranges, + − × /, %, ROUND and cell references are computed as Excel would; anything else stays
KX101 (value not computed), never zero.
"""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from kinerja_xl.runner import validate_file
from kinerja_xl.workbook.files import open_workbook
from kinerja_xl.workbook.formulas import (
    compute_uncached,
    evaluate,
    formula_texts,
    round_half_away,
)

CELLS = {(0, 0): 10.0, (1, 0): 20.5, (2, 0): None, (0, 1): 4.0, (1, 1): "catatan", (2, 1): 2.0}


def value(r, c, in_range=False):
    v = CELLS.get((r, c))
    if v is None:
        return 0.0
    if isinstance(v, str):
        return 0.0 if in_range else None
    return v


@pytest.mark.parametrize("formula, expected", [
    ("=A1+A2", 30.5), ("=A1-B1*2", 2.0), ("=(A1-B1)*2", 12.0), ("=-A1+B1", -6.0), ("=A1/B1", 2.5),
    ("=SUM(A1:A3)", 30.5), ("=SUM(A1:B3)", 36.5),  # text in a range counts as nothing, as in Excel
    ("=SUM(A1,B1,3)", 17.0), ("=SUM($A$1:$A$2)-B3", 28.5), ("=sum(A1;B1)", 14.0),
    ("=ROUND(A2/3,2)", 6.83), ("=ROUND(2.5,0)", 3.0), ("=ROUND(-2.5,0)", -3.0), ("=ROUND(A1*B1%,1)", 0.4),
    ("=A3", 0.0), ("=50%", 0.5), ("=1.5E3", 1500.0),
])
def test_common_formulas(formula, expected):
    assert evaluate(formula, value) == pytest.approx(expected)


@pytest.mark.parametrize("formula", [
    "=B2+1",  # a text operand: #VALUE! in Excel
    "=A1/A3",  # #DIV/0!
    "=IF(A1>0,1,0)", "=VLOOKUP(A1,B1:B3,1,0)", "=Realisasi!A1+1", "='Lembar 2'!A1", "=A1&\"x\"",
    "=A:A", "=SUM(A1:A3", "=A1 A2", "=ROUND(A1)", "",
])
def test_anything_else_is_not_computed(formula):
    assert evaluate(formula, value) is None


def test_round_is_half_away_from_zero_on_the_printed_decimal():
    assert round_half_away(0.125, 2) == 0.13 and round_half_away(1.005, 2) == 1.01  # float 1.005 < 1.005
    assert round_half_away(1234.5, -2) == 1200.0


def test_formulas_depending_on_each_other_and_cycles():
    rows = [[100.0, 60.0, None], [50.0, 50.0, None], [None, None, None], [None, None, None]]
    uncached = {(0, 2), (1, 2), (3, 2), (2, 0)}
    texts = {(0, 2): "A1-B1", (1, 2): "A2-B2", (3, 2): "SUM(C1:C2)", (2, 0): "A3+1"}
    assert compute_uncached(rows, uncached, texts) == {(0, 2): 40.0, (1, 2): 0.0, (3, 2): 40.0}


def test_formula_texts_of_the_uncached_cells_only():
    xml = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row r="5"><c r="E5" s="1"><f>C5-D5</f></c><c r="F5"><f>IF(C5&gt;0,D5/C5,0)</f></c>'
           b'<c r="G5"><f>C5</f><v>3</v></c></row></sheetData></worksheet>')
    assert formula_texts(xml, {(4, 4), (4, 5)}) == {(4, 4): "C5-D5", (4, 5): "IF(C5>0,D5/C5,0)"}


def openpyxl_report(path, total_formula="=SUM(C3:C5)", sisa_formula="=C{r}-D{r}"):
    """A realisasi table saved by openpyxl: formulas without values, as such tools leave them."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Realisasi"
    ws.append(["Laporan realisasi"])
    ws.append(["NO", "URAIAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN"])
    for i, (plafon, real) in enumerate([(100_000, 60_000), (50_000, 50_000), (80_000, 20_000)], start=3):
        ws.append([str(i - 2), f"Sub kegiatan {i - 2}", plafon, real, sisa_formula.format(r=i)])
    ws.append([None, "JUMLAH", total_formula, "=SUM(D3:D5)", "=SUM(E3:E5)"])
    wb.save(path)
    return path


def test_a_report_saved_by_openpyxl_is_checked_with_its_formulas_computed(tmp_path):
    path = openpyxl_report(tmp_path / "laporan.xlsx")
    report = validate_file(path)
    assert not [f for f in report.findings if f.code == "KX101"]
    (table,) = report.tables
    assert list(table.frame["sisa"]) == [40_000_00, 0, 60_000_00, 100_000_00]
    assert [(i.row, table.cell(i.field, i.row), i.raw) for i in table.computed][:2] == [(3, "E3", "C3-D3"), (4, "E4", "C4-D4")]
    assert len(table.computed) == 6 and {i.code for i in table.computed} == {"KX105"}


def test_a_wrong_formula_is_computed_as_excel_would_and_then_flagged(tmp_path):
    # the JUMLAH of PLAFON leaves out the last row: Excel would show 150.000, not 230.000
    path = openpyxl_report(tmp_path / "laporan.xlsx", total_formula="=SUM(C3:C4)")
    sheet = open_workbook(path).read_sheet("Realisasi")
    assert sheet.rows[5][2] == 150_000.0 and sheet.computed[(5, 2)] == "SUM(C3:C4)"
    assert any(f.cell == "C6" for f in validate_file(path).findings if f.severity.value == "error")


def test_a_formula_it_cannot_compute_stays_kx101(tmp_path):
    path = openpyxl_report(tmp_path / "laporan.xlsx", sisa_formula="=IF(C{r}>D{r},C{r}-D{r},0)")
    report = validate_file(path)
    assert sorted(f.cell for f in report.findings if f.code == "KX101") == ["E3", "E4", "E5", "E6"]  # E6 sums them
    assert [i.raw for i in report.tables[0].computed] == ["SUM(C3:C5)", "SUM(D3:D5)"]
