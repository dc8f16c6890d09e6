"""Perbandingan dengan tahun lalu: per-year keys, capaian per year (own or sibling target)."""

from __future__ import annotations

import pytest

from budget_books import MemoryBook
from kinerja_xl.config import Config
from kinerja_xl.runner import validate_source

IKM = "Nilai IKM Kecamatan"
DESA = "Prosentase Desa yang menyusun dokumen administrasi Desa tepat waktu"
FASILITASI = "Prosentase hasil fasilitasi dan koordinasi yang ditindaklanjuti"

TARGET_REALISASI = [
    ["No", "Indikator Kinerja", "Tahun 2020", None, "Tahun 2021", None],
    [None, None, "Target", "Realisasi", "Target", "Realisasi"],
    [1, IKM, "86,32", "87,01", "86,40", "87,28"],
    [2, DESA, "85%", "100%", "90%", "100%"],
    [3, FASILITASI, "80%", "96,07%", "85%", "100%"],
]
REALISASI_CAPAIAN = [
    ["No", "Indikator Kinerja", "Tahun 2020", None, "Tahun 2021", None],
    [None, None, "Realisasi", "Capaian", "Realisasi", "Capaian"],
    [1, IKM, "87,01", "100,80%", "87,28", "101,02%"],
    [2, DESA, "100%", "117,65%", 100, "111,11%"],
    [3, FASILITASI, "96,07%", "120,09%", 100, "117,65%"],
]
HEADER_MERGES = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 0, 5)]


def seed_sheet(second=REALISASI_CAPAIAN):
    """The seed's two tables, three blank rows apart, as the report prints them."""
    rows = [list(r) for r in TARGET_REALISASI] + [[], [], []] + [list(r) for r in second]
    offset = len(TARGET_REALISASI) + 3
    merges = HEADER_MERGES + [(r0 + offset, c0, r1 + offset, c1) for r0, c0, r1, c1 in HEADER_MERGES]
    return rows, merges


def run(sheets, select=("KX704",), **config):
    return validate_source(MemoryBook(sheets), Config(select=select, **config))


def test_both_seed_tables_are_located_with_year_keys():
    report = run({"Perbandingan": seed_sheet()}, ("KX999",))
    first, second = report.tables
    assert (first.kind, second.kind) == ("perbandingan", "perbandingan")
    assert list(first.columns) == ["no", "indikator", "target_2020", "realisasi_2020", "target_2021", "realisasi_2021"]
    assert list(second.columns) == ["no", "indikator", "realisasi_2020", "capaian_2020", "realisasi_2021", "capaian_2021"]
    assert second.frame["capaian_2020"].tolist() == [100.8, 117.65, 120.09]


def test_seed_capaian_are_all_right_with_targets_from_the_sibling_table():
    assert run({"Perbandingan": seed_sheet()}).findings == []


def test_wrong_capaian_names_the_sibling_target_cell():
    second = [list(r) for r in REALISASI_CAPAIAN]
    second[4][3] = "118,00%"  # fasilitasi 2020: 96,07 / 80 = 120,09%
    report = run({"Perbandingan": seed_sheet(second)})
    (f,) = report.findings
    assert (f.code, f.cell, f.params["year"]) == ("KX704", "D13", "2020")
    assert f.expected.value == pytest.approx(120.0875)
    assert f.related == ("'Perbandingan'!C5",)  # target 2020 of the same indicator in the first table
    assert "Capaian 2020 tertulis 118,00%, seharusnya 120,09%" in f.message("id")


def test_capaian_beside_its_own_target():
    head = [["No", "Indikator Kinerja", "Tahun 2021", None, None],
            [None, None, "Target", "Realisasi", "Capaian"]]
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 4)]
    ok = head + [[1, FASILITASI, "85%", "100%", "117,65%"]]
    bad = head + [[1, FASILITASI, "85%", "100%", "111,11%"]]
    assert run({"P": (ok, merges)}).findings == []
    (f,) = run({"P": (bad, merges)}).findings
    assert (f.cell, f.related) == ("E3", ())


def test_capaian_without_any_target_is_not_guessed():
    rows = [list(r) for r in REALISASI_CAPAIAN]
    rows[2][3] = "1,00%"
    assert run({"P": (rows, HEADER_MERGES)}).findings == []


def test_negative_polarity_comes_from_the_iku_table():
    iku = [["No", "Indikator", "Target Tahun 2021", "Realisasi", "Capaian", "Polaritas"],
           [1, "Angka kemiskinan", 10, 8, "120%", "negatif"]]
    per = [["No", "Indikator Kinerja", "Tahun 2021", None, None], [None, None, "Target", "Realisasi", "Capaian"],
           [1, "Angka Kemiskinan", 10, 8, "120,00%"]]
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 4)]
    assert run({"IKU": iku, "P": (per, merges)}).findings == []
    (f,) = run({"IKU": iku, "P": (per, merges)}, negative_polarity="inverse").findings
    assert f.expected.value == pytest.approx(125.0)


def test_compute_per_year_capaian_in_the_capaian_cells():
    from kinerja_xl.kinds import compute_all

    rows = [list(r) for r in REALISASI_CAPAIAN]
    for r in rows[2:]:
        r[3] = r[5] = None
    report = run({"Perbandingan": seed_sheet(rows)}, ("KX999",))
    got = {c.cell: round(c.value.value, 2) for c in compute_all(report.tables, Config()) if c.kind == "capaian"}
    assert got == {"D11": 100.80, "D12": 117.65, "D13": 120.09, "F11": 101.02, "F12": 111.11, "F13": 117.65}


def test_a_capaian_without_a_target_says_why():
    from kinerja_xl.kinds import compute_all

    head = [["No", "Indikator Kinerja", "Tahun 2021", None], [None, None, "Realisasi", "Capaian"]]
    rows = head + [[1, "Indikator tanpa target di mana pun", "100%", None], [2, "Tanpa realisasi", None, None]]
    report = run({"P": (rows, [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3)])})
    every = [c for c in compute_all(report.tables, Config(), missing=True) if c.kind == "capaian"]
    assert [(c.cell, c.value) for c in every] == [("D3", None), ("D4", None)]
    assert "target 2021" in every[0].why() and every[1].why("en") == "the actual of 2021 is empty (C4)"


# --------------------------------------------------------------------------- KX705: tahun N against tahun N-1

CHANGE_HEAD = ["NO", "INDIKATOR KINERJA MAKRO", "CAPAIN KINERJA TAHUN N-1", "CAPAIN KINERJA TAHUN N", "PERUBAHAN %"]


def change_report(rows, head=CHANGE_HEAD):
    book = MemoryBook({"Makro": [list(head)] + [list(r) for r in rows]})
    return validate_source(book, Config(select=("KX705",)))


def test_the_change_against_the_year_before_is_checked_at_its_cell():
    report = change_report([
        ["1", "Indeks Pembangunan Manusia", "71,43", "71,61", "0,25%"],  # (71,61 − 71,43) / 71,43 = 0,252
        ["2", "Angka Kemiskinan", "9,57", "9,53", "-0,42%"],
        ["3", "Angka Pengangguran", "5,84", "6,82", "-93,18%"],  # 6,82 − 100; right: 16,78
        ["4", "Ketimpangan Pendapatan", "0", "0,262", "5,00%"],  # a year before of 0: not judged
    ])
    (table,) = report.tables
    assert table.kind == "perbandingan"
    assert {k: table.columns[k] for k in ("sebelum", "sekarang", "perubahan")} == \
        {"sebelum": 2, "sekarang": 3, "perubahan": 4}
    (f,) = report.findings
    assert (f.code, f.cell) == ("KX705", "E4")
    assert round(float(f.expected.value), 2) == 16.78 and f.expected.decimals == 2
    assert "6,82 − 100" in f.message() and "6.82 − 100" in f.message("en")


def test_a_change_from_a_negative_value_is_over_its_size_and_a_fraction_cell_is_read():
    report = change_report([
        ["1", "Pertumbuhan ekonomi", -2.0, -1.0, 0.5],      # (−1 − −2) / 2 = 50%, the cell holds the fraction
        ["2", "Pertumbuhan ekonomi", "-2,00", "-1,00", "-50,00%"],
    ])
    assert [f.cell for f in report.findings] == ["E3"]


def test_change_check_in_the_kinds_schema_names_the_excel_row():
    import pandas as pd

    from kinerja_validators._pandera import failing_rows
    from kinerja_validators.perbandingan import pandera_schema

    frame = pd.DataFrame({"sebelum": pd.array([71.43, 5.84, 0.0], dtype="Float64"),
                          "sekarang": pd.array([71.61, 6.82, 3.0], dtype="Float64"),
                          "perubahan": pd.array([0.25, -93.18, 7.0], dtype="Float64"),
                          "perubahan__dp": pd.array([2, 2, 0], dtype="Int64")},
                         index=pd.Index([7, 8, 9], name="row"))
    assert failing_rows(pandera_schema((), "two-minus", 0.005, True), frame)["KX705"] == [8]
