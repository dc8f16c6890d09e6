"""Penjabaran APBDes (table kind ``apbdes``): one ANGGARAN column under account codes, no realisasi."""

from __future__ import annotations

from budget_books import tables_of, validate_rows
from kinerja_xl.findings import Severity

HEAD = ["KODE", "URAIAN", "ANGGARAN", "SUMBER DANA"]
# Desa Perboto's APBDes penjabaran 2025 as the open-data portal prints it (amounts with 'Rp ')
ROWS = [
    ["4", "PENDAPATAN", "", ""],
    ["4.2.1.01.", "Dana Desa", "Rp 964.073.000", "DDS"],
    ["4.2.3.01.", "Alokasi Dana Desa", "Rp 544.835.000", "ADD"],
    ["JUMLAH PENDAPATAN", "", "Rp 1.508.908.000", ""],
    ["5", "BELANJA", "", ""],
    ["01.01.01", "Penyediaan Penghasilan Tetap dan Tunjangan Kepala Desa", "Rp 58.200.000", ""],
    ["5.1.1.01. [01.01.01]", "Penghasilan Tetap Kepala Desa", "Rp 52.200.000", "ADD"],
    ["5.1.1.02. [01.01.01]", "Tunjangan Kepala Desa", "Rp 6.000.000", "ADD"],
    ["JUMLAH BELANJA", "", "Rp 58.200.000", ""],
]
FIRST = 2


def errors(rows, head=HEAD):
    return [(f.code, f.cell) for f in validate_rows([list(head)] + rows) if f.severity == Severity.ERROR]


def test_a_penjabaran_is_read_as_apbdes_and_passes():
    assert [t.kind for t in tables_of([HEAD] + ROWS)] == ["apbdes"]
    assert errors(ROWS) == []


def test_a_kegiatan_that_is_not_the_sum_of_its_accounts_is_flagged():
    rows = [list(r) for r in ROWS]
    rows[6][2] = "Rp 52.000.000"
    assert ("KX411", f"C{FIRST + 5}") in errors(rows)


def test_jumlah_pendapatan_sums_its_own_block():
    rows = [list(r) for r in ROWS]
    rows[3][2] = "Rp 1.508.900.000"
    assert errors(rows) == [("KX412", f"C{FIRST + 3}")]


def test_space_separated_codes_nest_like_dotted_ones():
    head = ["KODE REKENING", "U R A I A N", "JUMLAH ANGGARAN", "PENJELASAN"]
    rows = [["1 1", "PENDAPATAN ASLI DESA", "63.600.000", ""],
            ["1 1 2", "Hasil Aset Desa", "63.600.000", ""],
            ["1 1 2 1", "Tanah Kas Desa", "60.000.000", ""],
            ["1 1 2 3", "Pasar Desa", "3.000.000", "Perdes No. 5/Tahun 2009"]]
    assert errors(rows, head) == [("KX411", f"C{FIRST + 1}")]


def test_an_amount_column_without_sumber_dana_is_not_taken_as_apbdes():
    assert "apbdes" not in [t.kind for t in tables_of([["KODE", "URAIAN", "ANGGARAN"]] + [r[:3] for r in ROWS])]


CARDS = [
    ["APBDes 2024 Pelaksanaan", "Realisasi", "Anggaran"],
    ["Pendapatan Desa", "Rp 1.178.882.000,00", "Rp 1.183.882.000,00"],
    ["Belanja Desa", "Rp 900.000.000,00", "Rp 950.000.000,00"],
    ["APBDes 2024 Pendapatan", "Realisasi", "Anggaran"],
    ["Hasil Aset Desa", "Rp 25.000.000,00", "Rp 25.000.000,00"],
    ["Dana Desa", "Rp 1.153.882.000,00", "Rp 1.153.882.000,00"],
    ["APBDes 2024 Pembelanjaan", "Realisasi", "Anggaran"],
    ["Bidang Penyelenggaran Pemerintahan Desa", "Rp 600.000.000,00", "Rp 650.000.000,00"],
    ["Bidang Pelaksanaan Pembangunan Desa", "Rp 300.000.000,00", "Rp 300.000.000,00"],
]


def test_portal_cards_are_three_tables_and_the_summary_totals_each_block():
    assert [(t.kind, t.first_row, t.last_row) for t in tables_of(CARDS)] == [
        ("apbdes", 2, 3), ("apbdes", 5, 6), ("apbdes", 8, 9)]
    found = [(f.code, f.cell) for f in validate_rows(CARDS) if f.severity == Severity.ERROR]
    # Pendapatan Desa anggaran 1.183.882.000 ≠ 25.000.000 + 1.153.882.000; the other three amounts hold
    assert found == [("KX418", "C2")]
