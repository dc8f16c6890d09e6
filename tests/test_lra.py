"""Laporan Realisasi Anggaran (kind ``lra``): account-code levels, blocks, balance rows, lebih/(kurang), %."""

from __future__ import annotations

import pytest

from budget_books import tables_of, validate_rows
from kinerja_xl.findings import Severity

HEAD = ["KODE", "URAIAN", "ANGGARAN", "REALISASI", "LEBIH/(KURANG)", "%"]
# a village LRA as desa portals print it (Desa Gilis 2020, its printed % of the defisit row corrected)
ROWS = [
    ["4.", "PENDAPATAN", "", "", "", ""],
    ["4.1.", "Pendapatan Asli Desa", "17.500", "2.742.657", "-2.725.157", "15.672,33"],
    ["4.1.4.", "Lain-Lain Pendapatan Asli Desa", "17.500", "2.742.657", "-2.725.157", "15.672,33"],
    ["4.2.", "Pendapatan Transfer", "1.370.181.000", "1.370.181.000", "0", "100,00"],
    ["4.2.1.", "Dana Desa", "879.404.000", "879.404.000", "0", "100,00"],
    ["4.2.3.", "Alokasi Dana Desa", "490.777.000", "490.777.000", "0", "100,00"],
    ["JUMLAH PENDAPATAN", "", "1.370.198.500", "1.372.923.657", "-2.725.157", "100,20"],
    ["5.", "BELANJA", "", "", "", ""],
    ["01", "BIDANG PENYELENGGARAN PEMERINTAHAN DESA", "947.181.454", "947.775.031", "-593.577", "100,06"],
    ["02", "BIDANG PELAKSANAAN PEMBANGUNAN DESA", "440.140.000", "440.140.000", "0", "100,00"],
    ["JUMLAH BELANJA", "", "1.387.321.454", "1.387.915.031", "-593.577", "100,04"],
    ["SURPLUS / (DEFISIT)", "", "(17.122.954)", "(14.991.374)", "(2.131.580)", "87,55"],
    ["6.", "PEMBIAYAAN", "", "", "", ""],
    ["6.1.", "Penerimaan Pembiayaan", "14.122.954", "14.122.954", "0", ""],
    ["6.1.1.", "SILPA Tahun Sebelumnya", "14.122.954", "14.122.954", "0", ""],
    ["6.2.", "Pengeluaran Pembiayaan", "2.000.000", "2.000.000", "0", ""],
    ["6.2.2.", "Penyertaan Modal Desa", "2.000.000", "2.000.000", "0", ""],
    ["PEMBIAYAAN NETTO", "", "12.122.954", "12.122.954", "0", ""],
    ["SILPA TAHUN BERJALAN", "", "(5.000.000)", "(2.868.420)", "(2.131.580)", ""],
]
FIRST = 2  # Excel row of ROWS[0]


def table(rows=ROWS, head=HEAD):
    return [list(head)] + [list(r) for r in rows]


def edit(i, col, value, rows=ROWS):
    out = [list(r) for r in rows]
    out[i][col] = value
    return table(out)


def at(i: int) -> int:
    return FIRST + i


def errors(rows):
    return [(f.code, f.cell) for f in validate_rows(rows) if f.severity == Severity.ERROR]


def test_a_consistent_lra_is_read_as_lra_and_passes():
    assert [t.kind for t in tables_of(table())] == ["lra"]
    assert validate_rows(table()) == []


def test_a_negative_defisit_and_silpa_are_no_error():
    found = validate_rows(table())
    assert not [f for f in found if f.code == "KX305"]


def test_a_realisasi_table_with_sisa_stays_realisasi():
    rows = [["NO", "URAIAN", "ANGGARAN", "REALISASI", "SISA", "%"],
            ["1", "Program A", "1.000.000", "400.000", "600.000", "40,00"]]
    assert [t.kind for t in tables_of(rows)] == ["realisasi"]


def test_parent_code_is_the_sum_of_its_direct_children():
    found = errors(edit(3, 2, "1.370.180.000"))  # 4.2 anggaran
    assert ("KX411", f"C{at(3)}") in found


def test_grandchildren_are_not_summed_twice():
    # 4.1 = 4.1.4 only; the 4.x rows are JUMLAH PENDAPATAN's top rows, not 4.1.4 or 4.2.1
    assert not [c for c in errors(table()) if c[0] in ("KX411", "KX412")]


def test_jumlah_belanja_sums_its_own_block_only():
    found = errors(edit(10, 2, "1.387.321.455"))
    assert ("KX412", f"C{at(10)}") in found
    # the revenue block above is never part of it: the consistent table raises nothing there
    assert not [c for c in errors(table()) if c[1] == f"C{at(10)}"]


def test_surplus_defisit_is_pendapatan_minus_belanja():
    assert ("KX413", f"D{at(11)}") in errors(edit(11, 3, "(14.991.375)"))


def test_defisit_printed_positive_is_flagged():
    assert ("KX413", f"C{at(11)}") in errors(edit(11, 2, "17.122.954"))


def test_pembiayaan_netto_is_penerimaan_minus_pengeluaran():
    assert ("KX414", f"C{at(17)}") in errors(edit(17, 2, "14.122.954"))


def test_silpa_is_surplus_plus_netto():
    assert ("KX415", f"C{at(18)}") in errors(edit(18, 2, "5.000.000"))


def test_lebih_kurang_anggaran_minus_realisasi_breaking_row():
    assert errors(edit(4, 4, "10")) == [("KX416", f"E{at(4)}")]


def test_lebih_kurang_reverse_convention_read_from_the_majority():
    # an SAP-style LRA: realisasi − anggaran on every row
    rows = [list(r) for r in ROWS]
    for r in rows:
        if r[4] not in ("", "0"):
            v = r[4]
            r[4] = v[1:] if v.startswith("-") else v[1:-1] if v.startswith("(") else f"({v})"
    assert validate_rows(table(rows)) == []
    rows[1][4] = "-2.725.157"  # the one row that keeps the other convention
    assert errors(table(rows)) == [("KX416", f"E{at(1)}")]


def test_percent_of_the_defisit_row_is_checked():
    # the producer's app printed anggaran / realisasi on the defisit row
    assert errors(edit(11, 5, "114,22")) == [("KX417", f"F{at(11)}")]


def test_percent_within_half_a_unit_of_printed_decimals():
    assert errors(edit(8, 5, "100,1")) == []  # 100,063 printed with one decimal
    assert errors(edit(8, 5, "100,2")) == [("KX417", f"F{at(8)}")]


def test_codes_in_the_uraian_column_as_village_portals_print_them():
    head = ["Uraian", "", "Anggaran (Rp)", "Realisasi (Rp)", "Lebih/(Kurang)(Rp)", "Persentase (%)"]
    rows = [[r[0], r[1], *r[2:]] for r in ROWS]
    assert validate_rows(table(rows, head)) == []
    bad = [list(r) for r in rows]
    bad[4][3] = "879.404.001"  # 4.2.1 realisasi: 4.2 no longer its children's sum
    found = [(f.code, f.cell) for f in validate_rows(table(bad, head)) if f.severity == Severity.ERROR]
    assert ("KX411", f"D{at(3)}") in found


def test_account_rows_under_a_bracketed_kegiatan_code():
    rows = [["01", "BIDANG PEMERINTAHAN", "58.200.000", "58.200.000", "0", "100,00"],
            ["01.01.01", "Penghasilan Tetap Kepala Desa", "58.200.000", "58.200.000", "0", "100,00"],
            ["5.1.1.01. [01.01.01]", "Penghasilan Tetap", "52.200.000", "52.200.000", "0", "100,00"],
            ["5.1.1.02. [01.01.01]", "Tunjangan", "6.500.000", "6.500.000", "0", "100,00"]]
    assert errors(table(rows)) == [("KX411", "C3"), ("KX411", "D3")]


def test_schema_failure_cases_name_the_excel_rows_the_rules_blame():
    pa = pytest.importorskip("pandera.pandas")
    from kinerja_validators.schemas import schema

    t = tables_of(edit(3, 2, "1.370.180.000"))[0]
    with pytest.raises(pa.errors.SchemaErrors) as err:
        schema("lra").validate(t.frame, lazy=True)
    cases = err.value.failure_cases
    assert set(cases.loc[cases["check"] == "KX411", "index"]) == {at(3)}
    # the 4.2 anggaran also breaks lebih/(kurang) on its row
    assert set(cases.loc[cases["check"] == "KX416", "index"]) == {at(3)}


def test_a_defisit_printed_positive_is_one_finding_not_four():
    # its lebih/(kurang), % and the SiLPA below were computed from the right, negative value
    assert errors(edit(11, 2, "17.122.954")) == [("KX413", f"C{at(11)}")]


def test_a_lebih_kurang_wrong_on_a_row_whose_amounts_are_right_is_still_flagged():
    rows = edit(11, 2, "17.122.954")
    rows[1 + 11][4] = "(2.131.581)"
    assert ("KX416", f"E{at(11)}") in errors(rows)
