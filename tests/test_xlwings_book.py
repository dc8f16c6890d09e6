"""XlwingsWorkbook: the live-workbook source reads what the file source reads, once per sheet."""

from __future__ import annotations

import pytest

from kinerja_xl.testing import fake_excel as pl
from kinerja_xl.workbook import WorkbookError, WorkbookSource
from kinerja_xl.workbook.xlwings_book import XlwingsWorkbook, _formula_cells, is_remote


pytestmark = pytest.mark.usefixtures("xlwings_remote")


def book(sheets, name="t.xlsx"):
    import xlwings as xw

    return xw.Book(json=pl.book_payload(name, sheets))


def trimmed(rows):
    rows = [list(r) for r in rows]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows), default=0)
    return [(r + [None] * width)[:width] for r in rows]


def test_reads_the_same_values_as_the_file_source(example_path):
    from kinerja_xl.workbook.files import open_workbook

    live = XlwingsWorkbook(book(pl.payload_from_file(example_path)["sheets"]))
    assert isinstance(live, WorkbookSource)
    assert is_remote(live.book)
    disk = open_workbook(example_path)
    try:
        assert live.sheet_names() == disk.sheet_names()
        for name in disk.sheet_names():
            assert trimmed(live.read_sheet(name).rows) == trimmed(disk.read_sheet(name).rows), name
    finally:
        disk.close()


def test_empty_cells_are_none_and_the_grid_starts_at_a1():
    wb = XlwingsWorkbook(book([pl.sheet_payload("S", [["", "", ""], ["", "x", 2.5], ["", "", ""]])]))
    sheet = wb.read_sheet("S")
    assert sheet.rows == [[None, None, None], [None, "x", 2.5], [None, None, None]]
    assert sheet.value(1, 2) == 2.5
    assert sheet.merges == [] and sheet.formulas == set() and sheet.uncached == set()


def test_empty_sheet_hidden_sheet_and_missing_sheet():
    wb = XlwingsWorkbook(book([pl.sheet_payload("Kosong", []), pl.sheet_payload("Tersembunyi", [["a"]], visible=False)]))
    assert wb.read_sheet("Kosong").rows == []
    assert wb.read_sheet("Tersembunyi").hidden is True
    with pytest.raises(WorkbookError) as err:
        wb.read_sheet("Tidak Ada")
    assert "tidak ditemukan" in err.value.message("id")
    assert "Error" not in err.value.message("id") + err.value.message("en")  # no exception text for a clerk


def test_each_sheet_is_read_once_in_bulk(monkeypatch):
    """Every Range.value access in remote mode converts the whole sheet: one per sheet, however often asked."""
    from xlwings.pro import _xlremote

    reads = []
    original = _xlremote.Range.raw_value

    def counting(self):
        reads.append((self.sheet.name, self.arg1, self.arg2))
        return original.fget(self)

    monkeypatch.setattr(_xlremote.Range, "raw_value", property(counting, original.fset))
    rows = [[f"r{i}", i, i * 2] for i in range(500)]
    wb = XlwingsWorkbook(book([pl.sheet_payload("A", rows), pl.sheet_payload("B", rows[:10])]))
    for _ in range(3):
        wb.read_sheet("A")
        wb.read_sheet("B")
    assert reads == [("A", (1, 1), (500, 3)), ("B", (1, 1), (10, 3))]


def test_forget_blanks_cells_the_add_in_cleared():
    wb = XlwingsWorkbook(book([pl.sheet_payload("S", [["a", 1], ["b", 2]])]))
    wb.read_sheet("S")
    wb.forget("S", [(2, 2)])
    assert wb.read_sheet("S").rows == [["a", 1], ["b", None]]


def test_formula_cells_from_a_bulk_formula_read():
    """The desktop reads Range.formula once per sheet: formulas start with '='."""
    assert _formula_cells((("a", "=B1*2"), ("", "=SUM(A1:A2)"))) == {(0, 1), (1, 1)}
    assert _formula_cells("=1+1") == {(0, 0)}
    assert _formula_cells((("1", "x"),)) == set()
