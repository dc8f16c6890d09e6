"""Renstra: targets over the plan period and realisations so far, per-year keys; capaian when printed."""

from __future__ import annotations

import pytest

from budget_books import MemoryBook
from kinerja_xl.config import Config
from kinerja_xl.runner import validate_source

SEED = [
    ["No", "Indikator Kinerja", "Target Jangka Menengah", None, None, None, None, "Realisasi Kinerja", None, None],
    [None, None, "Tahun 2019", "Tahun 2020", "Tahun 2021", "Tahun 2022", "Tahun 2023", "2019", "2020", "2021"],
    [1, "Nilai IKM Kecamatan", "86,32", "86,32", "86,40", "86,45", "86,50", "86,70", "87,01", "87,28"],
    [2, "Prosentase Desa yang menyusun dokumen administrasi Desa tepat waktu", "80%", "85%", "90%", "95%", "100%",
     "100%", "100%", "100%"],
    [3, "Prosentase hasil fasilitasi dan koordinasi yang ditindaklanjuti", "75%", "80%", "85%", "90%", "95%", "93%",
     "96,07 %", "100 %"],
]
MERGES = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 6), (0, 7, 0, 9)]


def run(sheets, select=("KX704",), **config):
    return validate_source(MemoryBook(sheets), Config(select=select, **config))


def test_seed_layout_is_a_renstra_table_not_a_comparison():
    (table,) = run({"Renstra": (SEED, MERGES)}, ("KX999",)).tables
    assert table.kind == "renstra"
    assert [k for k in table.columns if k.startswith("target_")] == [f"target_{y}" for y in range(2019, 2024)]
    assert [k for k in table.columns if k.startswith("realisasi_")] == ["realisasi_2019", "realisasi_2020", "realisasi_2021"]
    assert table.frame["realisasi_2020"].tolist() == [87.01, 100.0, 96.07]  # "96,07 %" with its space


def test_capaian_columns_of_a_renstra_table_are_checked():
    rows = [
        ["No", "Indikator Kinerja", "Target Jangka Menengah", None, "Realisasi Kinerja", None, "Capaian", None],
        [None, None, "Tahun 2020", "Tahun 2021", "2020", "2021", "2020", "2021"],
        [1, "Nilai IKM Kecamatan", "86,32", "86,40", "87,01", "87,28", "100,80%", "101,20%"],
    ]
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 0, 5), (0, 6, 0, 7)]
    report = run({"Renstra": (rows, merges)})
    assert report.tables[0].kind == "renstra"
    (f,) = report.findings
    assert (f.code, f.cell, f.params["year"]) == ("KX704", "H3", "2021")
    assert f.expected.value == pytest.approx(87.28 / 86.40 * 100)


def test_seed_renstra_has_nothing_to_complain_about_alone():
    assert run({"Renstra": (SEED, MERGES)}, ("KX7", "KX8")).findings == []
