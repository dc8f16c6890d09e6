"""Locating tables by their headers: anywhere, over two rows, merged, numbered, several per sheet."""

from __future__ import annotations

import pytest

from budget_books import seed_sheets, tables_of, validate_rows

DATA = [["1", "Sub satu", "100.000", "60.000", "40.000"],
        ["2", "Sub dua", "50.000", "50.000", "-"]]


def shifted(rows, down=0, right=0):
    return [[] for _ in range(down)] + [[None] * right + list(r) for r in rows]


def test_headers_not_at_a1_and_a_title_above():
    rows = [["LAPORAN REALISASI"], ["Kecamatan Lumajang"], []] + shifted(
        [["NO", "URAIAN", "PAGU", "REALISASI", "SISA"]] + DATA, right=2)
    (t,) = tables_of(rows)
    assert t.kind == "realisasi"
    assert t.columns == {"no": 2, "uraian": 3, "plafon": 4, "realisasi": 5, "sisa": 6}
    assert t.header_rows == (4, 4) and list(t.frame.index) == [5, 6]
    assert t.cell("sisa", 5) == "G5"
    assert t.title == "Kecamatan Lumajang"


def test_two_header_rows_with_merged_cells():
    rows, merges = seed_sheets()["Realisasi TW III"]
    (t,) = tables_of(rows, merges)
    assert t.header_rows == (3, 4)
    assert t.columns == {"no": 0, "uraian": 1, "plafon": 2, "realisasi": 3, "sisa": 4}
    assert t.frame.index[0] == 5 and t.frame.index[-1] == 49
    assert t.row_key(5) == "TOTAL"


def test_row_key_names_a_row_and_only_rows_of_the_frame_get_one_on_findings():
    from kinerja_xl.engine_codes import INTERNAL
    from kinerja_xl.rules import RuleContext

    rows = [["NO", "URAIAN", "PAGU", "REALISASI", "SISA"],
            ["1", "  Sub satu  ", "100.000", "60.000", "40.000"],
            [None, None, "5", None, None]]
    (t,) = tables_of(rows)
    assert t.row_key(2) == "1 Sub satu" and t.frame_row_key(2) == "1 Sub satu"
    assert t.row_key(3) == t.frame_row_key(3) == "baris 3"  # a row of the frame without text
    assert t.row_key(40) == "baris 40" and t.frame_row_key(40) is None  # not a row of the frame
    ctx = RuleContext(INTERNAL, None)
    assert (ctx.finding(t, "sisa", 2).row_key, ctx.finding(t, "sisa", 2).cell) == ("1 Sub satu", "E2")
    assert (ctx.finding(t, "sisa", 40).row_key, ctx.finding(t, "sisa", 40).cell) == (None, "E40")
    assert ctx.finding(t, "kode", 2).cell is None  # a column the table lacks


def test_the_same_two_header_rows_without_merge_information():
    # xlwings and CSV-like sheets give no merges: the upper text stands alone in its first column
    rows = [["NO", "URAIAN", "PAGU", "REALISASI KEUANGAN", None, "SISA"],
            [None, None, None, "TW I", "JUMLAH", None]] + [
        ["1", "Sub", "100", "60", "60", "40"]]
    (t,) = tables_of(rows)
    assert {"realisasi_tw1": 3, "realisasi": 4, "sisa": 5}.items() <= t.columns.items()
    assert validate_rows(rows) == []


def test_a_column_number_row_under_the_headers_is_skipped():
    rows = [["NO", "URAIAN", "PAGU", "REALISASI", "SISA"], ["1", "2", "3", "4", "5"]] + DATA
    (t,) = tables_of(rows)
    assert list(t.frame.index) == [3, 4]
    rows[1] = ["(1)", "(2)", "(3)", "(4)", "(5)"]
    assert list(tables_of(rows)[0].frame.index) == [3, 4]


def test_two_tables_on_one_sheet():
    ref = [["NO", "KODE", "URAIAN", "PAGU AWAL", "PAGU REFOKUSING", "PENGURANGAN"],
           ["1", "7.01.01.2.01.02", "Sub", "100.000", "90.000", "10.000"]]
    real = [["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"]] + DATA
    rows = ref + [[], ["Tabel realisasi"], []] + real
    kinds = [(t.kind, t.header_rows[0], list(t.frame.index)) for t in tables_of(rows)]
    assert kinds == [("refocusing", 1, [2]), ("realisasi", 6, [7, 8])]


def test_two_tables_one_blank_row_apart():
    real = [["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"]] + DATA
    rows = real + [[]] + real
    assert [t.header_rows[0] for t in tables_of(rows)] == [1, 5]


@pytest.mark.parametrize("head, key", [
    ("PAGU", "plafon"), ("PLAFON", "plafon"), ("PLAFON ANGGARAN", "plafon"), ("ALOKASI ANGGARAN", "plafon"),
    ("ANGGARAN", "plafon"), ("Anggaran (Rp.)", "plafon"),
    ("REALISASI", "realisasi"), ("REALISASI KEUANGAN", "realisasi"), ("Realisasi s/d TW III", "realisasi"),
    ("SISA", "sisa"), ("SISA ANGGARAN", "sisa"), ("Sisa Anggaran (Rp.)", "sisa"),
    ("% SERAPAN", "serapan"), ("Serapan (%)", "serapan"), ("Persentase", "serapan"), ("%", "serapan"),
])
def test_realisasi_header_synonyms(head, key):
    heads = {"plafon": "PAGU", "realisasi": "REALISASI", "sisa": "SISA", "serapan": "%"}
    heads[key] = head
    rows = [["NO", "URAIAN", heads["plafon"], heads["realisasi"], heads["sisa"], heads["serapan"]]] + [
        ["1", "Sub", "100", "60", "40", "60%"]]
    (t,) = tables_of(rows)
    assert t.kind == "realisasi" and t.columns[key] == {"plafon": 2, "realisasi": 3, "sisa": 4, "serapan": 5}[key]


def test_a_pk_program_list_is_not_a_realisasi_table():
    rows = [["NO", "PROGRAM", "ANGGARAN", "KETERANGAN"], ["1", "Program A", "Rp. 6.183.035.351,-", "DAU"]]
    assert all(t.kind != "realisasi" for t in tables_of(rows))


def test_rows_without_any_value_inside_a_table_are_skipped_and_the_table_ends_after_blank_rows():
    rows = [["NO", "URAIAN", "PAGU", "REALISASI", "SISA"], DATA[0], [], DATA[1], [], [], [], ["Catatan", "x"]]
    (t,) = tables_of(rows)
    assert list(t.frame.index) == [2, 4]


def test_a_single_quarter_column_is_the_realisasi_of_a_quarterly_table():
    rows = [["NO", "URAIAN", "PAGU", "REALISASI TW III", "SISA"], ["1", "Sub", "100.000", "60.000", "50.000"]]
    (t,) = tables_of(rows)
    assert t.columns["realisasi"] == 3 and not t.keys_like("realisasi_tw")
    assert [(f.code, f.cell) for f in validate_rows(rows)] == [("KX301", "E2")]


def test_a_separate_rp_column_under_a_merged_header_is_skipped_for_the_amount():
    rows = [["NO", "URAIAN", "PLAFON (Rp)", None, "REALISASI (Rp)", None, "SISA (Rp)", None],
            ["1", "Sub", "Rp", 100000, "Rp", 60000, "Rp.", 40000],
            ["2", "Sub", "Rp", 50000, "Rp", 50000, "Rp", "-"]]
    merges = [(0, 2, 0, 3), (0, 4, 0, 5), (0, 6, 0, 7)]
    (t,) = tables_of(rows, merges)
    assert {k: t.columns[k] for k in ("plafon", "realisasi", "sisa")} == {"plafon": 3, "realisasi": 5, "sisa": 7}
    assert validate_rows(rows, merges=merges) == []
    rows[2][7] = 1
    assert [(f.code, f.cell) for f in validate_rows(rows, merges=merges)] == [("KX301", "H3")]


REFOCUSING = [["NO", "KODE", "URAIAN", "PAGU AWAL", "PAGU REFOKUSING", "PENGURANGAN"],
              ["1", "7.01.01.2.01.02", "Sub", "100.000", "90.000", "10.000"]]


@pytest.mark.parametrize("between", [[], [["Tabel 2. Refocusing"]], [[]]], ids=["adjacent", "caption", "blank-row"])
def test_stacked_tables_a_header_row_starts_a_new_table_never_data(between):
    real = [["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"]] + DATA
    rows = real + between + REFOCUSING
    tables = [(t.kind, t.header_rows[0], list(t.frame.index)) for t in tables_of(rows)]
    second = 4 + len(between)
    assert tables == [("realisasi", 1, [2, 3]), ("refocusing", second, [second + 1])]
    assert not [f for f in validate_rows(rows) if f.code in ("KX102", "KX403")]  # 'PAGU AWAL' is no amount


def test_the_same_header_repeated_under_its_table_starts_a_second_table():
    real = [["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"]] + DATA
    assert [list(t.frame.index) for t in tables_of(real + real)] == [[2, 3], [5, 6]]


def test_text_in_an_amount_column_that_is_no_header_stays_data():
    rows = [["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"]] + DATA + [["3", "Sub tiga", "belum ada", "0", "0"]]
    (t,) = tables_of(rows)
    assert list(t.frame.index) == [2, 3, 4]
    assert ("KX102", "C4") in [(f.code, f.cell) for f in validate_rows(rows)]


def _public_frame(table):
    """The table's frame as pandas' public constructor makes it from the same columns: text columns
    as object Series, the masked number columns as they are."""
    import pandas as pd

    data = {}
    for key in table.frame.columns:
        column = table.frame[key]
        if column.dtype == object:
            data[key] = pd.Series(list(column), index=table.frame.index, dtype=object)
        else:
            data[key] = pd.array([None if v is pd.NA else v for v in column], dtype=column.dtype)
    return pd.DataFrame(data, index=table.frame.index, copy=False)


def test_frames_are_what_the_public_constructor_makes_on_every_bundled_table():
    """build_table makes its frame from arrays (pandas' own builder, no inference): the same
    columns, dtypes, index, values, masked slots and blocks as the public way."""
    from pathlib import Path

    import numpy as np
    import pandas as pd

    from kinerja_xl.runner import validate_file

    checked = 0
    for path in sorted((Path(__file__).parent.parent / "xlsx_templates").glob("*.xlsx")):
        for table in validate_file(path).tables:
            expected = _public_frame(table)
            pd.testing.assert_frame_equal(table.frame, expected, check_exact=True)
            assert table.frame.columns.dtype == expected.columns.dtype and table.frame.index.name == "row"
            assert table.frame._mgr.nblocks == expected._mgr.nblocks  # each column its own block, as given
            for key in table.frame.columns:
                array = table.frame[key].array
                if hasattr(array, "_mask"):  # what the rules' fast paths read (Table.value)
                    assert np.array_equal(array._data[~array._mask], expected[key].array._data[~array._mask])
                    if key.endswith("__dp"):
                        assert (array._data[array._mask] == 1).all()  # as pd.array(values, dtype="Int64") fills it
                else:
                    assert table.frame[key].dtype == object
            checked += 1
    assert checked >= 20


def test_a_pandas_without_the_builder_from_arrays_gets_the_same_frames(monkeypatch):
    from pathlib import Path

    import pandas as pd

    from kinerja_xl import tables
    from kinerja_xl.runner import validate_file

    path = Path(__file__).parent.parent / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"
    fast = validate_file(path).tables
    def missing(*args):
        raise AttributeError("no such builder in this pandas")

    monkeypatch.setattr(tables, "_built_frame", missing)
    plain = validate_file(path).tables
    assert len(fast) == len(plain) >= 7
    for a, b in zip(fast, plain):
        pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
        assert a.frame.columns.dtype == b.frame.columns.dtype and a.frame._mgr.nblocks == b.frame._mgr.nblocks
