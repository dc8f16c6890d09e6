"""The painter's grouping helpers: few write calls, never a cell outside what was asked."""

from __future__ import annotations

import random

from kinerja_xl.addin.painter import _hex, _same_value, address, hyperlink_formula, parse_cell, rectangles, vertical_runs


def covered(rects):
    return [(r, c) for r0, c0, r1, c1 in rects for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]


def test_rectangles_cover_exactly_the_cells_once():
    rng = random.Random(7)
    for _ in range(50):
        cells = {(rng.randint(1, 30), rng.randint(1, 6)) for _ in range(rng.randint(1, 80))}
        got = covered(rectangles(cells))
        assert sorted(got) == sorted(cells)  # each cell exactly once, nothing else


def test_rectangles_join_runs_and_columns():
    assert rectangles([(r, 5) for r in range(2, 42)]) == [(2, 5, 41, 5)]
    block = [(r, c) for r in range(10, 13) for c in range(2, 5)]
    assert rectangles(block) == [(10, 2, 12, 4)]
    assert rectangles([(1, 1), (3, 1)]) == [(1, 1, 1, 1), (3, 1, 3, 1)]


def test_vertical_runs():
    assert vertical_runs([(2, 6), (3, 6), (4, 6), (9, 6), (2, 7)]) == [[(2, 6), (3, 6), (4, 6)], [(9, 6)], [(2, 7)]]


def test_addresses_and_cells():
    assert parse_cell("$AB$12") == (12, 28)
    assert address(2, 5, 41, 5) == "E2:E41"
    assert address(7, 3, 7, 3) == "C7"


def test_hyperlink_formula_quotes():
    assert hyperlink_formula("'Realisasi TW III'!E12", "E12") == '=HYPERLINK("#\'Realisasi TW III\'!E12","E12")'
    assert hyperlink_formula("'A\"B'!A1", 'x"y') == '=HYPERLINK("#\'A""B\'!A1","x""y")'


def test_colours_and_values_read_back():
    assert _hex((248, 203, 173)) == "F8CBAD"
    assert _hex(None) == ""
    assert _hex(0xADCBF8) == "F8CBAD"  # Excel's BGR integer
    assert _same_value("0.5", 0.5) and _same_value(0.75, 0.75) and not _same_value(0.5, 0.6)
    assert _same_value("Baik", "Baik ") and not _same_value(None, 0)


def test_the_active_sheet_comes_back_from_either_painters_state():
    from kinerja_xl.addin.painter import _active_sheet

    assert _active_sheet({"active_sheet": "PK", "tab_selected": "PK"}) == "PK"  # ours
    assert _active_sheet({"active_tab": "3", "tab_selected": "PK"}) == "PK"  # the file painter's
    assert _active_sheet({"tab_selected": "PK\nSKM"}) is None  # grouped sheets: which one was active is unknown
    assert _active_sheet({}) is None


def test_tab_colour_as_excel_com_wants_it():
    from kinerja_xl.addin.painter import _bgr

    assert _bgr("E69F00") == 0x009FE6
    assert _hex(_bgr("E69F00")) == "E69F00"


class FormatsSheet:
    """A desktop sheet as far as number formats go: a range of mixed formats reads as None, as in Excel."""

    name = "Data"

    def __init__(self, formats):
        self.formats = formats
        self.reads = 0

    def range(self, first, last=None):
        sheet = self

        class Rng:
            @property
            def number_format(self):
                sheet.reads += 1
                (r0, c0), (r1, _) = first, last or first
                found = {sheet.formats.get((r, c0), "General") for r in range(r0, r1 + 1)}
                return found.pop() if len(found) == 1 else None

        return Rng()


def test_original_formats_one_read_per_uniform_run():
    from kinerja_xl.addin.painter import XlwingsPainter

    painter = XlwingsPainter.__new__(XlwingsPainter)
    painter.remote = False
    uniform = FormatsSheet({(r, 6): "0.00%" for r in range(2, 12)})
    cells = [(r, 6) for r in range(2, 12)]
    assert painter._original_formats(uniform, cells) == {cell: "0.00%" for cell in cells}
    assert uniform.reads == 1
    mixed = FormatsSheet({(2, 6): "0.0", (3, 6): "@"})
    assert painter._original_formats(mixed, [(2, 6), (3, 6), (4, 6), (9, 6)]) == {
        (2, 6): "0.0", (3, 6): "@", (4, 6): "General", (9, 6): "General"}
    assert mixed.reads == 1 + 3 + 1  # the mixed run cell by cell, the lone cell once
    painter.remote = True
    assert painter._original_formats(uniform, cells) == {}  # remote mode cannot read formats
