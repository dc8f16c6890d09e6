"""Perjanjian Kinerja: the two tables are told apart from the others; JUMLAH = Σ programs."""

from __future__ import annotations

from decimal import Decimal

from budget_books import MemoryBook, seed_sheets
from kinerja_xl.config import Config
from kinerja_xl.runner import validate_source

PROGRAM_HEAD = ["NO", "PROGRAM", "ANGGARAN", "KETERANGAN"]
SEED_PROGRAMS = [
    [1, "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "Rp. 6.183.035.351,-", "Sumber Dana DAU"],
    [2, "Program Pemberdayaan Masyarakat Desa dan Kelurahan", "Rp. 23.441.000,-", "Sumber Dana DAU"],
    [3, "Program Penyelenggaraan Pemerintahan Umum", "Rp. 3.600.000,-", "Sumber Dana DAU"],
    [4, "Program Pembinaan dan Pengawasan Desa", "Rp. 129.600.000,-", "Sumber Dana DAU"],
]


def run(sheets, select=("KX55",)):
    return validate_source(MemoryBook(sheets), Config(select=select))


def jumlah(rows, total):
    return [PROGRAM_HEAD, *rows, [None, "JUMLAH", total, None]]


def test_pk_tables_and_budget_tables_are_told_apart():
    sheets = dict(seed_sheets())
    sheets["PK"] = [["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"],
                    [1, "Meningkatnya kualitas pelayanan", "Nilai IKM Kecamatan", "86.32%"],
                    [None, None, "Presentase hasil fasilitasi", "79,00%"],
                    [], *jumlah(SEED_PROGRAMS, "Rp. 6.420.166.069,-")]
    report = run(sheets, ("KX999",))
    kinds = sorted((t.sheet, t.kind) for t in report.tables)
    assert kinds == [("PK", "pk"), ("PK", "pk_program"), ("Realisasi TW III", "realisasi"), ("Refocusing", "refocusing")]
    pk = next(t for t in report.tables if t.kind == "pk")
    assert pk.frame["target"].tolist() == [86.32, 79.0]
    program = next(t for t in report.tables if t.kind == "pk_program")
    assert program.frame["anggaran"].tolist()[0] == 618303535100  # sen


def test_seed_jumlah_is_wrong_at_the_jumlah_cell():
    report = run({"PK": jumlah(SEED_PROGRAMS, "Rp. 6.420.166.069,-")})
    (f,) = [f for f in report.findings if f.code == "KX551"]
    assert (f.sheet, f.cell, f.severity.value) == ("PK", "C6", "error")
    assert f.expected == Decimal("6339676351") and f.actual == Decimal("6420166069")
    assert f.difference == Decimal("80489718")
    assert "6.339.676.351" in f.message("id") and "6,339,676,351" in f.message("en")


def test_right_jumlah_passes_with_numbers_or_text():
    assert [f for f in run({"PK": jumlah(SEED_PROGRAMS, "Rp. 6.339.676.351,-")}).findings if f.code == "KX551"] == []
    numbers = [[r[0], r[1], 1000, None] for r in SEED_PROGRAMS]
    assert [f for f in run({"PK": jumlah(numbers, 4000)}).findings if f.code == "KX551"] == []
    assert [f.cell for f in run({"PK": jumlah(numbers, 4001)}).findings if f.code == "KX551"] == ["C6"]


def test_compute_gives_the_jumlah():
    from kinerja_xl.kinds import compute_all

    report = run({"PK": jumlah(SEED_PROGRAMS, None)}, ("KX999",))
    (c,) = [c for c in compute_all(report.tables, Config()) if c.kind == "jumlah"]
    assert (c.cell, c.value, c.existing) == ("C6", Decimal("6339676351"), None)
