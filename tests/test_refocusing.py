"""Refocusing table: pengurangan = awal − refokusing, ≥ 0, JUMLAH = Σ rows; header synonyms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget_books import seed_sheets, tables_of, validate_rows
from kinerja_xl.findings import Severity

HEAD = ["NO", "KODE SUB KEGIATAN", "URAIAN SUB KEGIATAN", "PAGU AWAL", "PAGU REFOKUSING", "BESARAN PENGURANGAN PAGU"]
ROWS = [
    ["1", "7.01.01.2.01.02", "Koordinasi RKA", "2.620.000", "2.620.000", "-"],
    ["2", "7.01.01.2.01.06", "Laporan capaian", "1.408.000", "772.000", "636.000"],
    ["JUMLAH", "", "", "4.028.000", "3.392.000", "636.000"],
]


def table(rows=ROWS, head=HEAD):
    return [list(head)] + [list(r) for r in rows]


def edit(row, col, value):
    out = [list(r) for r in ROWS]
    out[row][col] = value
    return table(out)


def test_consistent_refocusing_table():
    assert validate_rows(table()) == []


def test_seed_refocusing_table_only_the_trailing_dot_kode():
    rows, merges = seed_sheets()["Refocusing"]
    assert [(f.code, f.cell) for f in validate_rows(rows, merges=merges)] == [("KX111", "B23")]


def test_wrong_pengurangan_blames_the_pengurangan_cell():
    found = validate_rows(edit(1, 5, "646.000"))
    assert [(f.code, f.cell) for f in found] == [("KX501", "F3")]
    assert (found[0].expected, found[0].actual) == (Decimal(636000), Decimal(646000))
    assert found[0].message() == "Pengurangan 646.000 ≠ pagu awal 1.408.000 − pagu refokusing 772.000 = 636.000 (selisih 10.000)"


def test_a_typo_in_pagu_awal_is_blamed_there_when_the_jumlah_confirms_it():
    # awal 1.418.000 printed; pengurangan 636.000 and the JUMLAH 4.028.000 both say 1.408.000
    found = validate_rows(edit(1, 3, "1.418.000"))
    assert [(f.code, f.cell) for f in found] == [("KX501", "D3")]
    assert found[0].expected == Decimal(1408000)


def test_refokusing_above_awal_is_a_negative_pengurangan_warning():
    rows = table([["1", "7.01.01.2.01.02", "Koordinasi RKA", "2.620.000", "3.000.000", "(380.000)"],
                  ["JUMLAH", "", "", "2.620.000", "3.000.000", "(380.000)"]])
    found = validate_rows(rows)
    assert [(f.code, f.cell, f.severity) for f in found] == [
        ("KX502", "F2", Severity.WARNING), ("KX502", "F3", Severity.WARNING)]
    assert "negatif" in found[0].message()


def test_jumlah_not_the_sum_of_rows():
    found = validate_rows(edit(2, 4, "3.393.000"))
    # the JUMLAH's refokusing breaks both its row identity and the column sum: one finding, on that cell
    assert [(f.code, f.cell) for f in found] == [("KX501", "E4")]
    assert found[0].expected == Decimal(3392000)


def test_jumlah_row_sum_rule():
    rows = table([ROWS[0], ROWS[1], ["JUMLAH", "", "", "4.028.000", "3.392.001", "636.000"]])
    found = validate_rows(rows, select=["KX503"])
    assert [(f.code, f.cell) for f in found] == []  # blamed on its row identity first (KX501, not selected)
    rows = table([ROWS[0], ROWS[1], ["JUMLAH", "", "", "4.028.001", "3.392.001", "636.000"]])
    found = validate_rows(rows)
    assert [(f.code, f.cell) for f in found] == [("KX503", "D4"), ("KX503", "E4")]
    assert found[0].message() == "Pagu awal baris JUMLAH 4.028.001 ≠ jumlah 2 baris 4.028.000 (selisih 1)"


@pytest.mark.parametrize("head", [
    ["NO", "KODE", "URAIAN", "PAGU AWAL", "PAGU SETELAH PENGHEMATAN", "PENGHEMATAN"],
    ["No.", "Kode Sub Kegiatan", "Sub Kegiatan", "Pagu Sebelum Refocusing (Rp)", "Pagu Sesudah Refocusing (Rp)", "Efisiensi (Rp)"],
    ["NO", "KODE", "NAMA SUB KEGIATAN", "ANGGARAN SEMULA", "ANGGARAN MENJADI", "PENGURANGAN ANGGARAN"],
])
def test_header_synonyms(head):
    (t,) = tables_of(table(head=head))
    assert t.kind == "refocusing"
    assert {"awal": 3, "refokusing": 4, "pengurangan": 5}.items() <= t.columns.items()
