"""Reading a located table's columns into its frame: every kind of cell, rows with no value skipped,
rows shorter than the table read as blank there, the cells the reader could not use reported."""

from __future__ import annotations

import pandas as pd

from kinerja_xl.runner import table_specs
from kinerja_xl.tables import find_tables
from kinerja_xl.workbook import SheetData

HEAD = ["NO", "KODE", "URAIAN", "PAGU", "REALISASI", "SISA", "SERAPAN (%)"]
ROWS = [
    ["1", "1.01", " Program satu ", 100_000.0, 60_000.0, 40_000.0, 60.0],
    [None, None, None, None, None, None, None],  # no value: not a row of the table
    [None, "1.01.01", "Kegiatan", "50.000", 2, "-", "40,5%"],
    [None, None, "   ", None, None, None, None],  # blank text is a value: the row stays
    [None, None, None, None, None, None, None],  # no value, but a formula saved without its value
    [3.0, None, "Sub", 1_000.5, None, "x", None],
]
UNCACHED_BLANK = (5, 5)  # zero-based cell of the formula on the otherwise empty row (F6)
UNCACHED_KEPT = (6, 4)  # ... and on a row with values (E7)


def _table(rows):
    sheet = SheetData(name="Lembar", rows=rows, uncached={UNCACHED_BLANK, UNCACHED_KEPT})
    (table,) = find_tables(sheet, table_specs())
    return table


def _column(table, key):
    return [None if pd.isna(v) else v for v in table.frame[key]]


def test_every_kind_of_cell_and_the_rows_without_any_value_left_out():
    t = _table([list(HEAD)] + [list(r) for r in ROWS])
    assert list(t.frame.index) == [2, 4, 5, 7]
    assert _column(t, "no") == ["1", None, None, "3"]
    assert _column(t, "kode") == ["1.01", "1.01.01", None, None]
    assert _column(t, "uraian") == ["Program satu", "Kegiatan", None, "Sub"]
    assert _column(t, "plafon") == [10_000_000, 5_000_000, None, 100_050]
    assert _column(t, "realisasi") == [6_000_000, 200, None, None]
    assert _column(t, "sisa") == [4_000_000, 0, None, None]
    assert _column(t, "serapan") == [60.0, 40.5, None, None]
    assert _column(t, "serapan__dp") == [None, 1, None, None]
    assert [str(t.frame[k].dtype) for k in ("no", "plafon", "serapan", "serapan__dp")] == [
        "object", "Int64", "Float64", "Int64"]
    # the formula on the row left out is no cell of the table; the one on a kept row is reported
    assert [(i.code, i.row, i.field, i.raw) for i in t.issues] == [
        ("KX104", 4, "plafon", "50.000"), ("KX104", 4, "serapan", "40,5%"),  # a dash is zero, no issue
        ("KX101", 7, "realisasi", None), ("KX102", 7, "sisa", "x")]


def test_rows_shorter_than_the_table_read_as_blank_where_they_end():
    full = [list(HEAD)] + [list(r) for r in ROWS]
    short = [list(HEAD)] + [list(r) for r in ROWS]
    short[2] = []  # the empty row, with no cell at all
    short[4] = [None, None, "   "]
    short[6] = [3.0, None, "Sub", 1_000.5]
    want, got = _table(full), _table(short)
    assert got.frame.equals(want.frame) and list(got.frame.columns) == list(want.frame.columns)
    # the 'x' the short row lacks is not read; the formula beyond its end is still one never calculated
    assert [vars(i) for i in got.issues] == [vars(i) for i in want.issues if i.code != "KX102"]
    assert got.labels == want.labels
    assert short[2] == [] and len(short[4]) == 3  # the sheet's rows are read, not filled up


def test_an_empty_row_right_under_the_headers_is_left_out():
    t = _table([list(HEAD), [None] * 7, ["1", None, "Sub", 5.0, 4.0, 1.0, 80.0]])
    assert list(t.frame.index) == [3] and _column(t, "plafon") == [500]


def test_a_row_is_named_the_same_whether_the_frame_has_gaps_or_was_swapped():
    t = _table([list(HEAD)] + [list(r) for r in ROWS])  # rows 3 and 6 left out: a frame with gaps
    assert [t.frame_row_key(r) for r in (1, 2, 3, 4, 5, 6, 7, 8)] == [
        None, "1.01", None, "1.01.01", "baris 5", None, "3 Sub", None]
    assert t.frame_row_key(4.0) == "1.01.01"  # a row number that is no int is looked up in the index
    t = _table([list(HEAD)] + [list(r) for r in ROWS[:1]] + [list(ROWS[2]), list(ROWS[5])])  # no gap
    assert [t.frame_row_key(r) for r in (1, 2, 3, 4, 5)] == [None, "1.01", "1.01.01", "3 Sub", None]
    long = " " + "x" * 59 + " "  # 61 characters before stripping: shortened, as ever
    t.frame = t.frame.assign(kode=[None] * 3, uraian=[long, " Kegiatan ", None]).set_axis([10, 11, 12])
    assert [t.frame_row_key(r) for r in (2, 10, 11, 12)] == [None, "1 " + "x" * 57 + "…", "Kegiatan", "3"]


def test_the_cells_locate_took_make_the_same_frame_as_the_rows_even_cut_at_a_stacked_header():
    from kinerja_xl.tables import build_table, locate_tables

    second = [["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"], ["9", "Lain", 5.0, 5.0, 0.0]]
    sheet = SheetData(name="Lembar", rows=[list(HEAD)] + [list(r) for r in ROWS] + second)
    cells: dict = {}
    located = locate_tables(sheet, table_specs(), cells=cells)
    assert [(start, end) for _, start, _, end, _ in located] == [(0, 7), (7, 9)]
    assert {len(v) for v in cells[0].values()} == {8}  # read down to the second header, which ends the first table
    for spec, start, height, end, columns in located:
        want = build_table(sheet, spec, start, height, end, columns)
        got = build_table(sheet, spec, start, height, end, columns, cells[start])
        assert got.frame.equals(want.frame) and [vars(i) for i in got.issues] == [vars(i) for i in want.issues]


def test_a_table_without_columns_has_no_rows():
    from kinerja_xl.tables import build_table

    sheet = SheetData(name="Lembar", rows=[list(HEAD)] + [list(r) for r in ROWS])
    spec = table_specs()[0]
    t = build_table(sheet, spec, 0, 1, len(sheet.rows), {})
    assert len(t.frame) == 0 and list(t.frame.columns) == [] and t.issues == []


def test_a_text_is_parsed_as_parse_number_parses_it():
    from kinerja_xl.numbers import parse_number
    from kinerja_xl.tables import _parse_once

    texts = ["30.700.000", "1.234.567,50", "Rp. 6.183.035.351,-", "(1.234)", "-", "–", "101,02%", "86.32%", "",
             "   ", "1,234,567,89", "n/a", "\u00a01.000", "12"]
    parsed: dict = {}
    assert [_parse_once(t, parsed) for t in texts] == [parse_number(t) for t in texts]
    assert [_parse_once(v, parsed) for v in (1, 1.0, True, None)] == [parse_number(v) for v in (1, 1.0, True, None)]


def test_a_text_column_reads_as_texts_reads_it_whatever_its_cells():
    from kinerja_xl.tables import _text_column, _texts

    for column in (["  a ", "   ", "b"], ["a", "b"], ["a", None, " c"], [3.0, "x "], ["x", 1.5], []):
        column = column * 50  # long enough to be tried in C first
        rows = [[None, v] for v in column]
        assert _text_column(rows, 1) == _texts(column)
        assert _text_column(rows, 1, list(column)) == _texts(column)  # the cells already taken
        assert _text_column(rows[:3], 1) == _texts(column[:3])  # a short column, cell by cell
