"""The seed's tables in a different layout give the same findings as the template layout.

Other sheet names, headers on other rows and columns, header synonyms, a
two-row header with merged group cells, a column-number row, amounts typed as
text (some as ``Rp. 1.234,-``), and an extra, correct % serapan column.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget_books import seed_sheets, write_xlsx
from kinerja_xl.numbers import parse_number
from kinerja_xl.runner import validate_file
from seed_budget import REALISASI_ROWS, REFOCUSING_ROWS


def _serapan(plafon: str, realisasi: str) -> str:
    p, r = parse_number(plafon).value, parse_number(realisasi).value
    if not p:
        return "-"
    return f"{r / p * 100:.2f}".replace(".", ",") + "%"


def second_layout() -> dict:
    # refocusing: starts at C8 under a caption, group header PAGU over SEMULA / MENJADI, numbered columns
    ref = [[], [], ["", "", "Lampiran: pagu setelah penghematan (refocusing) 2021"], [], [], [], [],
           ["", "", "No.", "Kode", "Sub Kegiatan", "PAGU (Rp)", "", "Penghematan (Rp)"],
           ["", "", "", "", "", "Semula", "Menjadi", ""],
           ["", "", "1", "2", "3", "4", "5", "6"]]
    for no, kode, uraian, awal, refo, kurang in REFOCUSING_ROWS:
        if no == "JUMLAH":
            ref.append(["", "", "Jumlah", "", "", awal, refo, kurang])
        else:
            ref.append(["", "", no + ".", kode, uraian, "Rp. " + awal + ",-", refo, kurang])
    ref_merges = [(7, 5, 7, 6), (7, 2, 8, 2), (7, 3, 8, 3), (7, 4, 8, 4), (7, 7, 8, 7), (2, 2, 2, 7)]

    # realisasi: starts at B5, synonyms, a serapan column that is right everywhere
    real = [["LAPORAN REALISASI ANGGARAN"], ["s.d. Triwulan III Tahun 2021"], [], [],
            ["", "Nomor", "Uraian Program / Kegiatan / Sub Kegiatan", "Pagu Anggaran (Rp)", "Realisasi", "", "Sisa (Rp)"],
            ["", "", "", "", "Keuangan (Rp)", "Serapan (%)", ""]]
    for no, uraian, plafon, realisasi, sisa in REALISASI_ROWS:
        real.append(["", no, uraian, plafon, realisasi, _serapan(plafon, realisasi), sisa])
    real_merges = [(4, 4, 4, 5), (4, 1, 5, 1), (4, 2, 5, 2), (4, 3, 5, 3), (4, 6, 5, 6)]
    return {"Lampiran 1": (real, real_merges), "Data Anggaran": (ref, ref_merges)}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    d = tmp_path_factory.mktemp("layout")
    template = validate_file(write_xlsx(d / "template.xlsx", seed_sheets()))
    second = validate_file(write_xlsx(d / "kedua.xlsx", second_layout(), numbers=False))
    return template, second


def comparable(report):
    """What a finding says, independent of where the table sits."""
    return sorted((f.code, f.severity.value, f.row_key, f.expected, f.actual) for f in report.findings
                  if f.code != "KX104")


def test_the_second_layout_is_read_as_the_same_tables(reports):
    template, second = reports
    assert sorted(t.kind for t in second.tables) == ["realisasi", "refocusing"]
    for kind in ("realisasi", "refocusing"):
        a = next(t for t in template.tables if t.kind == kind).frame
        b = next(t for t in second.tables if t.kind == kind).frame
        money = [c for c in ("plafon", "realisasi", "sisa", "awal", "refokusing", "pengurangan") if c in a.columns]
        assert a[money].reset_index(drop=True).equals(b[money].reset_index(drop=True))
    real = next(t for t in second.tables if t.kind == "realisasi")
    assert real.columns["serapan"] == 5 and real.header_rows == (5, 6)


def test_same_findings_as_the_template_layout(reports):
    template, second = reports
    assert comparable(second) == comparable(template)
    assert [(f.code, f.sheet, f.cell) for f in second.findings if f.code != "KX104"] == [
        ("KX301", "Lampiran 1", "G25"), ("KX301", "Lampiran 1", "G26"), ("KX301", "Lampiran 1", "G27"),
        ("KX111", "Data Anggaran", "D30"),
    ]
    assert all(f.expected == Decimal(39710) for f in second.findings if f.code == "KX301")


def test_numbers_typed_as_text_are_read_and_reported_once_per_column_as_info(reports):
    _, second = reports
    info = [f for f in second.findings if f.code == "KX104"]
    assert info and all(f.severity.value == "info" for f in info)
    assert len({(f.sheet, f.cell[0]) for f in info}) == len(info)  # one per column
