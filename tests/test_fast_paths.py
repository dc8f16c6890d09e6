"""The seed-sized speed-ups give what the slow ways gave: ``Table.value`` is ``frame.at``, the
cached recap and name folding change nothing a workbook's findings show."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kinerja_validators import names
from kinerja_xl.runner import validate_file

ROOT = Path(__file__).resolve().parents[1]
BOOKS = sorted((ROOT / "xlsx_templates").glob("*.xlsx"))


def _findings(path):
    return [(f.code, f.sheet, f.cell, f.message_id, f.params, f.row_key) for f in validate_file(path).findings]


def test_table_value_is_frame_at_for_every_cell_of_every_bundled_table():
    seen = 0
    for path in BOOKS:
        for t in validate_file(path).tables:
            for key in t.frame.columns:
                for row in t.frame.index:
                    want, got = t.frame.at[row, key], t.value(key, row)
                    assert type(got) is type(want), (path.name, t.sheet, key, row)
                    assert got is want or got == want or (pd.isna(want) and pd.isna(got))
                    seen += 1
    assert seen > 1000


def test_a_swapped_frame_is_read_afresh():
    t = next(t for t in validate_file(ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx").tables if len(t.frame))
    key, row = t.frame.columns[0], t.frame.index[0]
    t.value(key, row)
    t.frame = t.frame.assign(**{key: ["x"] * len(t.frame)})
    assert t.value(key, row) == "x"


def test_table_arrays_are_the_frame_columns_for_every_bundled_table():
    seen = 0
    for path in BOOKS:
        for t in validate_file(path).tables:
            assert t.dtypes() == tuple(t.frame.dtypes.tolist())
            for key in t.frame.columns:
                column = t.frame[key]
                array = t.array(key)
                assert len(array) == len(column) and str(array.dtype) == str(column.dtype), (path.name, key)
                assert list(pd.isna(array)) == list(column.isna()), (path.name, key)
                assert [v for v in array if not pd.isna(v)] == [v for v in column if not pd.isna(v)], (path.name, key)
                assert t.filled(key) == column.count()
                seen += 1
    assert seen > 100


def test_a_swapped_frame_gives_its_own_arrays():
    t = next(t for t in validate_file(ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx").tables
             if t.kind == "realisasi")
    amounts = t.array("plafon")
    t.frame = t.frame.assign(plafon=pd.array([None] * len(t.frame), dtype="Int64"), extra=1.5)
    assert t.array("plafon") is not amounts and t.filled("plafon") == 0
    assert t.dtypes()[-1] == "float64" and list(t.array("extra")) == [1.5] * len(t.frame)


def test_normalize_keeps_numbers_apart_and_matches_the_uncached_fold():
    assert names.normalize(1) == "1" and names.normalize(1.0) == "1 0" and names.normalize(None) == ""
    for text in ("Presentase  Desa (tepat-waktu).", "ＰＥＲＳＥＮＴＡＳＥ", "prosentase Pelayanan", ""):
        assert names.normalize(text) == names._normalize_text.__wrapped__(text)


def test_cell_order_sorts_row_first_then_column_whatever_the_reference_looks_like():
    from kinerja_xl.runner import cell_order

    def plain(cell):  # what the sort key is: every digit the row, every letter a column digit
        if not cell:
            return (0, 0)
        col = 0
        for ch in (ch for ch in cell if ch.isalpha()):
            col = col * 26 + ord(ch) - 64
        return (int("".join(ch for ch in cell if ch.isdigit()) or 0), col)

    cells = ["E12", "B10", "Z9", "AA1", "XFD1048576", "$A$1", "a1", "A", "12", "", None, "E12:F13"]
    assert [cell_order(c) for c in cells] == [plain(c) for c in cells]
    assert sorted(["B10", "Z9", "AA9", "A10"], key=cell_order) == ["Z9", "AA9", "A10", "B10"]


def test_money_numbers_are_sen_rounded_as_round_does_and_leave_the_rest_to_the_cell_reader():
    import math
    import warnings

    from kinerja_xl.tables import _MAX_RUPIAH, _money_numbers

    raws = [1234.5, -0.005, 0.015, 2.675, 14889710.0, None, "30.700.000", "-", 7, True, math.nan, math.inf,
            -math.inf, 1e300, -(_MAX_RUPIAH * 2.0), float(_MAX_RUPIAH) / 2, 0.0, -0.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or NaN-cast warning may reach a user's terminal
        sen, missing, slow = _money_numbers(iter(raws), len(raws))  # any iterable of the cells
    fast = [i for i, raw in enumerate(raws) if raw.__class__ is float and abs(raw) < _MAX_RUPIAH]
    assert slow == [i for i in range(len(raws)) if i not in fast]
    assert [int(sen[i]) for i in fast] == [round(raws[i] * 100) for i in fast]
    assert not missing.any() and sen.dtype == "int64" and len(sen) == len(raws)


def test_a_text_column_reads_stripped_text_blanks_as_none_and_whole_floats_without_point():
    from datetime import datetime

    from kinerja_xl.tables import _texts

    raws = [None, "", "   ", " Sub satu ", "1.01.01", 3.0, 1.5, 7, True, datetime(2021, 9, 30), float("nan")]
    assert _texts(raws) == [None, None, None, "Sub satu", "1.01.01", "3", "1.5", "7", "True", "2021-09-30 00:00:00",
                            "nan"]


def test_padded_rows_read_short_rows_as_blank_and_change_nothing_of_the_sheets_rows():
    from kinerja_xl.tables import _padded

    rows = [["a", 1.0, None, "x"], ["c"]]
    padded = _padded(rows, 4)
    assert padded == [["a", 1.0, None, "x"], ["c", None, None, None]]
    assert padded[0] is rows[0] and rows[1] == ["c"]  # a full row is not copied, a short one is not extended
    assert _padded([], 3) == []
