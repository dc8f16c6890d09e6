"""The audit report's own row writer (``_Book._write_row``) writes the cells openpyxl's ``ws.append`` writes."""

from __future__ import annotations

from copy import copy
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from kinerja_xl.audit.excel import _Book, _Cell

TEXTS = ["plain", "  leading and trailing  ", "a & b < c > d", "line\r\nbreak\ttab", "#N/A", "#DIV/0!", "",
         "+62 811", "-", "@home", "x" * 40_000, "Rp. 6.183.035.351,-"]
NUMBERS = [0, -1, 2021, 6_183_035_351, 12345678901234567890, 0.1 + 0.2, 1e-7, 93.456789, float("nan")]


def _rows(book: _Book, ws) -> list[list]:
    """The same values through the book's cell helper: plain values, styled cells, a link, a wrapped text."""
    rows = [[book.cell(ws, t) for t in TEXTS], [book.cell(ws, n) for n in NUMBERS]]
    link = book.cell(ws, "buka sel", font=book.link_font)
    link.hyperlink = Hyperlink(ref="", target="../laporan/kec a.xlsx", location="'Real''isasi'!E12", tooltip="t")
    rows.append([book.cell(ws, None, fill=book.head_fill), book.cell(ws, "info", fill=PatternFill()), book.cell(ws, 55.5, number_format="0.00"),
                 book.cell(ws, True), book.cell(ws, "=SUM(A1)"), link, book.cell(ws, "wrapped", alignment=book.wrap)])
    return rows


def _written(path: Path) -> Path:
    book = _Book({"lang": "id"}, path)
    ws = book.sheet("S", ["A"] * 12, [10] * 12)
    for i, row in enumerate(_rows(book, ws), start=2):
        book._write_row(ws, row, 45.0 if i == 3 else None)
    return book.save(path)


def _openpyxl_cell(ws, v):
    """The cell openpyxl would be given for one of ``_Book.cell``'s results."""
    if type(v) is not _Cell:
        return v
    c = WriteOnlyCell(ws, value=None)
    if v.value is not None:
        c.value = v.value
        c.data_type = v.data_type
    if v.style is not None:
        c._style = copy(v.style.proto._style)
    c.hyperlink = v.hyperlink
    return c


def test_rows_written_as_openpyxl_writes_them(tmp_path):
    ours = load_workbook(_written(tmp_path / "ours.xlsx"))["S"]
    # the reference: a plain write-only book, header row and all through ws.append
    ref_book = _Book({"lang": "id"}, tmp_path / "ref.xlsx")
    ws = ref_book.wb.create_sheet("S")
    ws.append([_openpyxl_cell(ws, ref_book.cell(ws, "A", font=ref_book.head_font, fill=ref_book.head_fill,
                                                alignment=ref_book.head_align)) for _ in range(12)])
    ws.row_dimensions[3].height = 45.0
    for row in _rows(ref_book, ws):
        ws.append([_openpyxl_cell(ws, v) for v in row])
    ref = load_workbook(ref_book.save(tmp_path / "ref.xlsx"))["S"]

    assert ours.max_row == ref.max_row == 4
    cells = 0
    for a, b in zip(ours.iter_rows(), ref.iter_rows()):
        for x, y in zip(a, b):
            assert (x.value, x.data_type) == (y.value, y.data_type), x.coordinate
            assert repr(x.font) == repr(y.font) and repr(x.fill) == repr(y.fill), x.coordinate
            assert repr(x.alignment) == repr(y.alignment) and x.number_format == y.number_format, x.coordinate
            hx, hy = x.hyperlink, y.hyperlink
            assert (hx and (hx.target, hx.location, hx.tooltip, hx.ref)) == (hy and (hy.target, hy.location, hy.tooltip,
                                                                                   hy.ref)), x.coordinate
            cells += x.value is not None
    assert cells > 20
    assert ours.row_dimensions[3].height == ref.row_dimensions[3].height == 45.0
    # the values the fast path had to get right by itself
    assert ours["B2"].value == "  leading and trailing  "
    assert ours["C2"].value == "a & b < c > d"
    assert ours["D2"].value == "line\r\nbreak\ttab"
    assert ours["E2"].data_type == "e" and ours["E2"].value == "#N/A"
    assert len(ours["K2"].value) == 32767
    assert ours["D3"].value == 6_183_035_351 and ours["F3"].value == 0.3  # 16 significant digits, as openpyxl
    assert ours["E4"].value == "=SUM(A1)" and ours["E4"].data_type == "s"
    assert ours["F4"].hyperlink.location == "'Real''isasi'!E12"
    assert ours["A4"].has_style and not ours["B4"].has_style  # an empty fill leaves the cell unstyled, as openpyxl


def test_a_text_fits_each_column_and_sheet_on_its_own(tmp_path):
    """``append`` remembers how a text fits a column: the same text in a narrow and a wide column, and in
    another sheet, is judged for each, and a repeated row comes out as the first."""
    book = _Book({"lang": "id"}, tmp_path / "fit.xlsx")
    long = "Kecamatan Sukodono Kabupaten Lumajang"  # 37 characters: over 10 wide, within 60
    narrow = book.sheet("N", ["A", "B"], [10, 60])
    for _ in range(2):
        book.append(narrow, [book.text(narrow, long), book.text(narrow, long)])
    wide = book.sheet("W", ["A", "B"], [60, 10])
    book.append(wide, [book.text(wide, long), book.text(wide, "a\nb")])
    wb = load_workbook(book.save(tmp_path / "fit.xlsx"))
    n, w = wb["N"], wb["W"]
    for r in (2, 3):
        assert n.cell(r, 1).value == n.cell(r, 2).value == long
        assert n.cell(r, 1).alignment.wrap_text and not n.cell(r, 2).alignment.wrap_text
        assert n.row_dimensions[r].height == 15.0 * 5  # 8 characters a line in the narrow column
    assert not w["A2"].alignment.wrap_text and w["B2"].alignment.wrap_text and w["B2"].value == "a\nb"
    assert w.row_dimensions[2].height == 30.0
