"""Cross-table rules: budgets (KX801, KX802), indicators (KX803–KX806), unmatched rows (KX809), names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget_books import MemoryBook, seed_sheets
from kinerja_validators import names
from kinerja_xl.config import Config
from kinerja_xl.runner import validate_source

PK_HEAD = ["NO", "PROGRAM", "ANGGARAN", "KETERANGAN"]
PK_PROGRAMS = [
    [1, "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "Rp. 6.183.035.351,-", "Sumber Dana DAU"],
    [2, "Program Pemberdayaan Masyarakat Desa dan Kelurahan", "Rp. 23.441.000,-", "Sumber Dana DAU"],
    [3, "Program Penyelenggaraan Pemerintahan Umum", "Rp. 3.600.000,-", "Sumber Dana DAU"],
    [4, "Program Pembinaan dan Pengawasan Desa", "Rp. 129.600.000,-", "Sumber Dana DAU"],
    [None, "JUMLAH", "Rp. 6.420.166.069,-", None],
]

IKM = "Nilai IKM Kecamatan"
FASILITASI_IKU = "Presentase hasil fasilitasi dan koordinasi yang ditindaklanjuti"
DESA_IKU = "Presentase desa yang menyusun dokumen administrasi pemerintahan desa tepat waktu"
FASILITASI = "Prosentase hasil fasilitasi dan koordinasi yang ditindaklanjuti"
DESA = "Prosentase Desa yang menyusun dokumen administrasi Desa tepat waktu"


def run(sheets, select):
    return validate_source(MemoryBook(sheets), Config(select=tuple(select)))


def found(report, code):
    return [f for f in report.findings if f.code == code]


# --------------------------------------------------------------------------- names


def test_normalize_folds_case_punctuation_and_spelling_variants():
    assert names.normalize("  Presentase Desa (tepat-waktu). ") == "persentase desa tepat waktu"
    assert names.normalize("Prosentase") == names.normalize("PERSENTASE") == "persentase"
    assert names.normalize("Peningkatan Efektifitas") == names.normalize("peningkatan efektivitas")


def test_similarity_tolerates_a_missing_word_but_not_another_subject():
    assert names.similarity("Program Penyelenggaraan Pemerintahan Umum",
                            "PROGRAM PENYELENGGARAAN URUSAN PEMERINTAHAN UMUM") >= names.DEFAULT_THRESHOLD
    assert names.similarity(DESA_IKU, DESA) >= names.DEFAULT_THRESHOLD
    assert names.similarity(DESA_IKU, FASILITASI) < 0.2
    assert names.similarity("Pemeliharaan Peralatan dan Mesin Lainnya",
                            "Pengadaan Peralatan dan Mesin Lainnya") < names.DEFAULT_THRESHOLD
    assert names.similarity("Nilai IKM", "nilai  ikm.") == 1.0


def test_match_pairs_best_first_and_returns_the_leftovers():
    left = ["Pengadaan Peralatan dan Mesin Lainnya", "Pemeliharaan Peralatan dan Mesin Lainnya", "Santunan Kematian"]
    right = ["PEMELIHARAAN PERALATAN DAN MESIN LAINNYA", "Pengadaan Peralatan & Mesin Lainnya", "Belanja Modal"]
    pairs, un_left, un_right = names.match(left, right)
    assert pairs == {0: 1, 1: 0}
    assert (un_left, un_right) == ([2], [2])


# --------------------------------------------------------------------------- budgets


def test_seed_plafon_equals_pagu_refokusing_everywhere():
    report = run(seed_sheets(), ("KX801", "KX809"))
    assert report.findings == []


def test_plafon_differing_from_pagu_refokusing_names_both_cells():
    sheets = seed_sheets()
    rows, merges = sheets["Realisasi TW III"]
    row = next(i for i, r in enumerate(rows) if len(r) > 1 and r[1] == "Penyediaan Bahan Logistik Kantor")
    rows[row][2] = "31.527.590"
    (f,) = found(run(sheets, ("KX801",)), "KX801")
    assert (f.sheet, f.cell) == ("Realisasi TW III", f"C{row + 1}")
    ref_rows = sheets["Refocusing"][0]
    ref_row = next(i for i, r in enumerate(ref_rows) if len(r) > 2 and r[2] == "Penyediaan Bahan Logistik Kantor")
    assert f.related == (f"'Refocusing'!E{ref_row + 1}",)
    assert (f.expected, f.actual, f.difference) == (Decimal(31257590), Decimal(31527590), Decimal(270000))


def test_sub_kegiatan_missing_from_one_table_is_reported_not_skipped():
    sheets = seed_sheets()
    ref_rows, ref_merges = sheets["Refocusing"]
    gone = next(i for i, r in enumerate(ref_rows) if len(r) > 2 and r[2] == "Penyediaan Jasa Pelayanan Umum Kantor")
    del ref_rows[gone]
    ref_merges[:] = [(r0 - 1, c0, r1 - 1, c1) if r0 > gone else (r0, c0, r1, c1) for r0, c0, r1, c1 in ref_merges]
    real_rows = sheets["Realisasi TW III"][0]
    real_row = next(i for i, r in enumerate(real_rows) if len(r) > 1 and r[1] == "Penyediaan Jasa Pelayanan Umum Kantor")
    report = run(sheets, ("KX801", "KX809"))
    (f,) = found(report, "KX809")
    assert (f.sheet, f.cell, f.severity.value) == ("Realisasi TW III", f"B{real_row + 1}", "warning")
    assert "Refocusing" in f.message("id")


def test_pk_program_budget_is_the_sum_of_its_pagu_awal():
    sheets = seed_sheets()
    sheets["PK"] = [PK_HEAD, *PK_PROGRAMS]
    report = run(sheets, ("KX802", "KX809"))
    (f,) = report.findings
    assert (f.code, f.sheet, f.cell) == ("KX802", "PK", "C2")
    assert (f.expected, f.actual) == (Decimal("6263525069"), Decimal("6183035351"))
    assert len(f.related) == 16 and all(r.startswith("'Refocusing'!D") for r in f.related)


def test_pk_program_that_matches_no_program_is_reported():
    sheets = seed_sheets()
    programs = [list(r) for r in PK_PROGRAMS]
    programs[2][1] = "Program Peningkatan Kapasitas Sumber Daya Aparatur"
    sheets["PK"] = [PK_HEAD, *programs]
    report = run(sheets, ("KX802", "KX809"))
    real_rows = sheets["Realisasi TW III"][0]
    program_c = next(i for i, r in enumerate(real_rows) if r and r[0] == "C") + 1
    got = sorted((f.code, f.sheet, f.cell) for f in report.findings)
    assert got == [("KX802", "PK", "C2"), ("KX809", "PK", "B4"), ("KX809", "Realisasi TW III", f"B{program_c}")]


# --------------------------------------------------------------------------- indicators


def iku(rows):
    return [["No", "Sasaran Strategis", "Indikator Kinerja Utama (IKU)", "Target Tahun 2021", "Realisasi", "Capaian"],
            *rows]


def perbandingan(rows):
    head = [["No", "Indikator Kinerja", "Tahun 2020", None, "Tahun 2021", None],
            [None, None, "Target", "Realisasi", "Target", "Realisasi"]]
    return head + rows, [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 0, 5)]


def renstra(rows):
    head = [["No", "Indikator Kinerja", "Target Jangka Menengah", None, None, "Realisasi Kinerja", None],
            [None, None, "Tahun 2020", "Tahun 2021", "Tahun 2022", "2020", "2021"]]
    return head + rows, [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 4), (0, 5, 0, 6)]


def seed_indicators():
    return {
        "IKU": iku([["1.", "Meningkatnya kualitas", IKM, "86,40", "87,28", "101,02%"],
                    [None, None, FASILITASI_IKU, "90%", "100%", "111,11%"],
                    [None, None, DESA_IKU, "85%", "100%", "117,65%"]]),
        "Perbandingan": perbandingan([[1, IKM, "86,32", "87,01", "86,40", "87,28"],
                                      [2, DESA, "85%", "100%", "90%", "100%"],
                                      [3, FASILITASI, "80%", "96,07%", "85%", "100%"]]),
        "Renstra": renstra([[1, IKM, "86,32", "86,40", "86,45", "87,01", "87,28"],
                            [2, DESA, "85%", "90%", "95%", "100%", "100%"],
                            [3, FASILITASI, "80%", "85%", "90%", "96,07 %", "100 %"]]),
    }


def test_swapped_targets_are_blamed_where_the_other_tables_disagree():
    report = run(seed_indicators(), ("KX8",))
    got = [(f.code, f.sheet, f.cell, f.actual, f.expected, f.related) for f in report.findings]
    assert got == [
        ("KX803", "IKU", "D3", 90.0, 85.0, ("'Perbandingan'!E5", "'Renstra'!D5")),
        ("KX803", "IKU", "D4", 85.0, 90.0, ("'Perbandingan'!E4", "'Renstra'!D4")),
    ]
    f = report.findings[0]
    assert f.params["year"] == "2021" and "'Perbandingan'!E5" in f.message("id")


def test_agreeing_tables_raise_nothing():
    sheets = seed_indicators()
    rows = sheets["IKU"]
    rows[2][3], rows[3][3] = "85%", "90%"
    rows[2][5], rows[3][5] = "117,65%", "111,11%"
    report = run(sheets, ("KX7", "KX8"))
    assert {f.code for f in report.findings} == {"KX703"}  # only the predikat information


def test_realisasi_of_a_year_must_agree():
    sheets = seed_indicators()
    rows, merges = sheets["Renstra"]
    rows[2][5] = "87,10"  # IKM 2020 realisasi: 87,01 in the comparison table
    (f,) = found(run(sheets, ("KX804",)), "KX804")
    assert (f.sheet, f.cell, f.actual, f.expected) == ("Renstra", "F3", 87.10, 87.01)
    assert f.related == ("'Perbandingan'!D3",)


def test_values_agree_at_the_printed_precision_and_as_fractions():
    sheets = seed_indicators()
    rows, _ = sheets["Renstra"]
    rows[2][3] = 86.4  # a real number against "86,40"
    rows[3][3] = 0.9  # 90% typed as an Excel percentage (a fraction)
    rows[4][3] = "85,0%"
    assert found(run(sheets, ("KX803",)), "KX803") != []  # the IKU's swap is still there …
    assert {f.sheet for f in found(run(sheets, ("KX803",)), "KX803")} == {"IKU"}  # … and only there


def test_two_tables_tied_blame_the_later_one():
    sheets = seed_indicators()
    del sheets["Renstra"]
    report = run(sheets, ("KX803",))
    assert [(f.sheet, f.cell) for f in report.findings] == [("Perbandingan", "E4"), ("Perbandingan", "E5")]


def test_pk_targets_that_differ_are_warnings():
    sheets = seed_indicators()
    sheets["PK"] = [["PERJANJIAN KINERJA TAHUN 2021"], [],
                    ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"],
                    [1, "Meningkatnya kualitas", IKM, "86.32%"],
                    [None, None, FASILITASI_IKU, "79,00%"],
                    [None, None, DESA_IKU, "79,00%"]]
    report = run(sheets, ("KX805",))
    got = [(f.cell, f.severity.value, f.actual, f.expected) for f in report.findings]
    assert got == [("D4", "warning", 86.32, 86.40), ("D5", "warning", 79.0, 85.0), ("D6", "warning", 79.0, 90.0)]
    sheets["PK"][4][3], sheets["PK"][5][3], sheets["PK"][3][3] = "85%", "90%", "86,40"
    assert run(sheets, ("KX805",)).findings == []


def test_pk_year_other_than_the_report_year_is_not_compared_with_it():
    sheets = seed_indicators()
    sheets["PK"] = [["PERJANJIAN KINERJA TAHUN 2020"], [],
                    ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"],
                    [1, "Meningkatnya kualitas", IKM, "86,32"],
                    [None, None, FASILITASI_IKU, "80%"],
                    [None, None, DESA_IKU, "80%"]]
    report = run(sheets, ("KX805",))
    assert [(f.cell, f.params["year"], f.expected) for f in report.findings] == [("D6", "2020", 85.0)]


def test_indicator_found_in_one_table_only_is_listed():
    sheets = seed_indicators()
    sheets["IKU"].append([None, None, "Persentase kelurahan yang tertib administrasi", "90%", "95%", "105,56%"])
    report = run(sheets, ("KX806",))
    (f,) = report.findings
    assert (f.sheet, f.cell, f.severity.value) == ("IKU", "C5", "info")


def test_same_indicator_twice_in_one_table_is_two_indicators():
    sheets = {"IKU": iku([[1, "S", IKM, "86,40", "87,28", None], [2, None, IKM, "90", "87,28", None]]),
              "Perbandingan": perbandingan([[1, IKM, "86,32", "87,01", "86,40", "87,28"]])}
    report = run(sheets, ("KX803", "KX806"))
    assert [(f.code, f.cell) for f in report.findings] == [("KX806", "C3")]


@pytest.mark.parametrize("year_header, expected", [
    ("Target Tahun 2021", [("E4", "2021"), ("E5", "2021")]),
    ("Target", [("E4", "2021"), ("E5", "2021")]),  # no year: the comparison table's latest
    # read as 2020 the IKU (86,40 / 90% / 85%) differs from 2020's IKM 86,32 and fasilitasi 80%
    ("Target Tahun 2020", [("C3", "2020"), ("C5", "2020")]),
])
def test_iku_year_from_its_header_else_the_report_year(year_header, expected):
    sheets = seed_indicators()
    sheets["IKU"][0][3] = year_header
    sheets.pop("Renstra")  # two tables tied: the comparison table is blamed
    assert [(f.cell, f.params["year"]) for f in found(run(sheets, ("KX803",)), "KX803")] == expected
