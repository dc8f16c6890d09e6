"""APBD / APBDes perubahan (kind ``perubahan``): bertambah/(berkurang), %, sums by code, stacked headers."""

from __future__ import annotations

import pytest

from budget_books import tables_of, validate_rows
from kinerja_xl.findings import Severity

HEAD = ["Kode Rekening", "Uraian", "Anggaran Awal", "Anggaran Setelah Perubahan", "Bertambah/(Berkurang)", "%"]
ROWS = [
    ["4.", "PENDAPATAN", "", "", "", ""],
    ["4.2.1.01.", "Dana Desa", "960.584.000", "960.584.000", "0", "0,00"],
    ["4.2.5.01.", "Bantuan Keuangan dari APBD Kabupaten/Kota", "100.000.000", "150.000.000", "50.000.000", "50,00"],
    ["JUMLAH PENDAPATAN", "", "1.060.584.000", "1.110.584.000", "50.000.000", "4,71"],
    ["5.", "BELANJA", "", "", "", ""],
    ["01", "BIDANG PENYELENGGARAN PEMERINTAHAN DESA", "58.200.000", "58.200.000", "0", "0,00"],
    ["01.01.01", "Penyediaan Penghasilan Tetap dan Tunjangan Kepala Desa", "58.200.000", "58.200.000", "0", "0,00"],
    ["5.1.1.01. [01.01.01]", "Penghasilan Tetap Kepala Desa", "52.200.000", "52.200.000", "0", "0,00"],
    ["5.1.1.02. [01.01.01]", "Tunjangan Kepala Desa", "6.000.000", "6.000.000", "0", "0,00"],
    ["02", "BIDANG PELAKSANAAN PEMBANGUNAN DESA", "1.041.800.000", "991.800.000", "(50.000.000)", "-4,80"],
    ["JUMLAH BELANJA", "", "1.100.000.000", "1.050.000.000", "(50.000.000)", "-4,55"],
    ["SURPLUS / (DEFISIT)", "", "(39.416.000)", "60.584.000", "100.000.000", "-253,70"],
]
FIRST = 2


def table(rows=ROWS, head=HEAD):
    return [list(head)] + [list(r) for r in rows]


def edit(i, col, value):
    out = [list(r) for r in ROWS]
    out[i][col] = value
    return table(out)


def at(i):
    return FIRST + i


def errors(rows):
    return [(f.code, f.cell) for f in validate_rows(rows) if f.severity == Severity.ERROR]


def test_a_consistent_perubahan_table_is_read_and_passes():
    assert [t.kind for t in tables_of(table())] == ["perubahan"]
    assert validate_rows(table()) == []


def test_a_refocusing_table_stays_refocusing():
    rows = [["NO", "URAIAN SUB KEGIATAN", "PAGU AWAL", "PAGU REFOKUSING", "BESARAN PENGURANGAN PAGU"],
            ["1", "Koordinasi RKA", "1.408.000", "772.000", "636.000"]]
    assert [t.kind for t in tables_of(rows)] == ["refocusing"]


def test_bertambah_is_sesudah_minus_sebelum():
    assert ("KX421", f"E{at(2)}") in errors(edit(2, 4, "5.000.000"))


def test_a_cut_printed_in_brackets_passes_and_a_wrong_sign_does_not():
    assert ("KX421", f"E{at(9)}") in errors(edit(9, 4, "50.000.000"))


def test_kegiatan_is_the_sum_of_its_bracketed_accounts():
    rows = edit(8, 2, "6.500.000")
    rows[1 + 8][3] = "6.500.000"  # before and after alike: the change stays 0
    assert errors(rows) == [("KX422", f"C{at(6)}"), ("KX422", f"D{at(6)}")]


def test_jumlah_pendapatan_sums_its_block():
    assert ("KX423", f"D{at(3)}") in errors(edit(3, 3, "1.100.584.000"))


def test_percent_of_the_change():
    assert errors(edit(2, 5, "5,00")) == [("KX424", f"F{at(2)}")]


def test_surplus_defisit_before_and_after():
    assert ("KX425", f"C{at(11)}") in errors(edit(11, 2, "39.416.000"))


def test_a_header_repeated_at_a_page_break_is_not_data():
    rows = [list(r) for r in ROWS]
    rows.insert(5, list(HEAD))  # the belanja page starts with the header again
    found = validate_rows(table(rows))
    assert [f for f in found if f.severity == Severity.ERROR] == []
    assert [t.kind for t in tables_of(table(rows))] == ["perubahan", "perubahan"]


def test_two_header_rows_semula_menjadi():
    head = [["KODE REK", "URAIAN", "ANGGARAN (RP)", "", "BERTAMBAH/ ( BERKURANG )"],
            ["", "", "SEMULA", "MENJADI", ""]]
    rows = head + [["4.2.1.", "Dana Desa", "960.584.000", "960.584.000", "0"],
                   ["4.2.5.", "Bantuan Keuangan", "100.000.000", "150.000.000", "5.000.000"]]
    assert [t.kind for t in tables_of(rows, merges=[(0, 2, 0, 3)])] == ["perubahan"]
    found = [(f.code, f.cell) for f in validate_rows(rows, merges=[(0, 2, 0, 3)])]
    assert found == [("KX421", "E4")]


def test_schema_failure_cases_name_the_excel_rows():
    pa = pytest.importorskip("pandera.pandas")
    from kinerja_validators.schemas import schema

    t = tables_of(edit(8, 2, "6.500.000"))[0]
    with pytest.raises(pa.errors.SchemaErrors) as err:
        schema("perubahan").validate(t.frame, lazy=True)
    cases = err.value.failure_cases
    assert set(cases.loc[cases["check"] == "KX422", "index"]) == {at(6)}
