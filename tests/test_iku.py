"""Capaian IKU: locating the table, capaian %, negative polarity, predikat, compute()."""

from __future__ import annotations

import pytest

from budget_books import MemoryBook
from kinerja_xl.config import Config
from kinerja_xl.findings import Percent
from kinerja_xl.runner import validate_source

HEAD = ["No", "Sasaran Strategis", "Indikator Kinerja Utama (IKU)", "Target Tahun 2021", "Realisasi", "Capaian (%)",
        "Keterangan", "Polaritas"]


def check(rows, select=("KX70",), head=HEAD, **config):
    book = MemoryBook({"IKU": [list(head)] + [list(r) for r in rows]})
    return validate_source(book, Config(select=tuple(select), **config))


def found(report, code):
    return [f for f in report.findings if f.code == code]


# --------------------------------------------------------------------------- locating


SEED_LAYOUT = [
    ["Capaian indikator antara target dengan kinerja Kecamatan Lumajang triwulan II Tahun 2021"],
    [],
    ["No", "Sasaran Strategis", "Indikator Kinerja Utama (IKU)", "Target Tahun 2021", "Kinerja TW III", None, "Keterangan"],
    [None, None, None, None, "Capaian", "%", None],
    [1, 2, 3, 4, 5, 6, 7],
    ["1.", "Meningkatnya kualitas pelayanan", "Nilai IKM Kecamatan", "86,40", "87,28", "101,02%", "Perhitungan berdasarkan survey"],
    [None, None, "Presentase hasil fasilitasi dan koordinasi yang ditindaklanjuti", "90%", "100%", "111,11%", None],
    [None, None, "Presentase desa yang menyusun dokumen administrasi pemerintahan desa tepat waktu", "85%", "100%", "117,65%", None],
]
SEED_MERGES = [(2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 3, 3), (2, 4, 2, 5), (2, 6, 3, 6), (5, 0, 7, 0), (5, 1, 7, 1)]


def test_seed_layout_is_an_iku_table_with_the_year_of_its_target():
    report = validate_source(MemoryBook({"IKU": (SEED_LAYOUT, SEED_MERGES)}), Config(select=("KX7",)))
    (table,) = report.tables
    assert table.kind == "iku"
    assert table.columns == {"no": 0, "sasaran": 1, "indikator": 2, "target": 3, "realisasi": 4, "capaian": 5, "keterangan": 6}
    assert table.labels["target"] == "TARGET TAHUN 2021"
    assert list(table.frame.index) == [6, 7, 8]  # the 1 2 3 … row is skipped
    assert table.frame["target"].tolist() == [86.4, 90.0, 85.0]
    # every printed capaian of the seed is right for its own row
    assert [f for f in report.findings if f.severity.value != "info" and f.code.startswith("KX7")] == []


def test_pk_header_is_not_an_iku_table_and_iku_is_not_a_pk():
    pk = [["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"], [1, "Sasaran", "Nilai IKM", "86.32%"]]
    report = validate_source(MemoryBook({"PK": pk, "IKU": (SEED_LAYOUT, SEED_MERGES)}), Config(select=("KX999",)))
    assert sorted((t.sheet, t.kind) for t in report.tables) == [("IKU", "iku"), ("PK", "pk")]


@pytest.mark.parametrize("target, realisasi, printed", [
    ("90%", "100%", "111,11%"),
    ("86,40", "87,28", "101,02%"),
    ("80", "96,07 %", "120,09 %"),
    (100, 100, 100),
    (90, 100, 111.11),
    ("90%", "100%", 1.1111),  # a real Excel number formatted as %: the fraction
])
def test_targets_and_realisations_in_any_typing_read_and_agree(target, realisasi, printed):
    report = check([[1, "S", "Indikator", target, realisasi, printed, None, None]])
    assert found(report, "KX701") == []


def test_wrong_capaian_is_blamed_at_its_cell_with_the_expected_value():
    report = check([
        [1, "S", "Persentase hasil fasilitasi", "90%", "100%", "117,65%", None, None],
        [2, None, "Persentase desa", "85%", "100%", "117,65%", None, None],
    ])
    (f,) = found(report, "KX701")
    assert (f.sheet, f.cell, f.severity.value) == ("IKU", "F2", "error")
    assert f.expected == Percent(pytest.approx(111.111, abs=1e-3), 2)
    assert f.actual.value == pytest.approx(117.65)
    assert "111,11%" in f.message("id") and "100 / target 90" in f.message("id")
    assert "111.11%" in f.message("en")


def test_half_a_unit_of_the_printed_precision():
    # 100 / 90 = 111,111…: "111,1%" (one decimal) is right, "111,12%" (two decimals) is not
    ok = check([[1, "S", "I", 90, 100, "111,1%", None, None]])
    bad = check([[1, "S", "I", 90, 100, "111,12%", None, None]])
    assert found(ok, "KX701") == []
    assert [f.cell for f in found(bad, "KX701")] == ["F2"]


def test_negative_polarity_two_minus_and_inverse():
    rows = [[1, "S", "Angka kemiskinan", 10, 8, "120,00%", None, "negatif"]]
    assert found(check(rows), "KX701") == []  # (2 − 8/10) × 100 = 120
    # the inverse convention gives 10 / 8 × 100 = 125
    (f,) = found(check(rows, negative_polarity="inverse"), "KX701")
    assert f.expected.value == pytest.approx(125.0)
    assert "target 10 / realisasi 8" in f.message("id")
    assert found(check([[1, "S", "Angka kemiskinan", 10, 8, "125,00%", None, "negatif"]], negative_polarity="inverse"),
                 "KX701") == []
    # the positive formula on a negative indicator is wrong
    (g,) = found(check([[1, "S", "Angka kemiskinan", 10, 8, "80,00%", None, "Negatif"]]), "KX701")
    assert g.expected.value == pytest.approx(120.0)
    assert "(2 − realisasi 8 / target 10)" in g.message("id")


def test_without_a_polaritas_column_every_indicator_is_positive():
    head = HEAD[:-1]
    assert found(check([[1, "S", "I", 10, 8, "80%", None]], head=head), "KX701") == []


def test_negative_indicator_above_twice_its_target_is_flagged():
    report = check([
        [1, "S", "Angka kemiskinan", 5, 12, None, None, "negatif"],
        [2, None, "Cakupan layanan", 5, 12, None, None, "positif"],
        [3, None, "Angka putus sekolah", 5, 10, None, None, "negatif"],  # exactly 2× is still allowed
    ])
    (f,) = found(report, "KX702")
    assert (f.cell, f.severity.value) == ("E2", "warning")


def test_predikat_bands_reported_as_info():
    report = check([
        [1, "S", "A", 100, 91, None, None, None],
        [2, None, "B", 100, 90.99, None, None, None],
        [3, None, "C", 100, 50, None, None, None],
        [4, None, "D", 100, 150, None, None, None],
    ])
    got = {f.row_key.split()[-1]: (f.params["predikat"], f.severity.value) for f in found(report, "KX703")}
    assert got == {"A": ("sangat tinggi", "info"), "B": ("tinggi", "info"), "C": ("sangat rendah", "info"),
                   "D": ("sangat tinggi", "info")}
    custom = check([[1, "S", "A", 100, 80, None, None, None]], predikat=((90.0, "A"), (70.0, "B"), (0.0, "C")))
    assert [f.params["predikat"] for f in found(custom, "KX703")] == ["B"]


def test_compute_gives_capaian_in_the_capaian_cell_and_predikat():
    from kinerja_xl.kinds import compute_all

    book = MemoryBook({"IKU": [HEAD, [1, "S", "I", "85%", "100%", None, None, None],
                               [2, None, "J", 10, 8, "120", None, "negatif"], [3, None, "K", 0, 8, None, None, None]]})
    report = validate_source(book, Config(select=("KX999",)))
    values = compute_all(report.tables, Config())
    capaian = [(c.cell, round(c.value.value, 2), c.existing) for c in values if c.kind == "capaian"]
    assert capaian == [("F2", 117.65, None), ("F3", 120.0, 120.0)]  # a zero target gives nothing
    assert [c.value for c in values if c.kind == "predikat"] == ["sangat tinggi", "sangat tinggi"]


@pytest.mark.parametrize("text, negative", [
    ("negatif", True), ("Negative", True), ("-", True), ("↓", True), ("turun", True), ("minimal", True),
    ("semakin kecil semakin baik", True), ("makin rendah makin baik", True),
    ("positif", False), ("+", False), ("", False), (None, False), ("maksimal", False), ("naik", False),
])
def test_polaritas_texts(text, negative):
    from kinerja_validators.iku import is_negative

    assert is_negative(text) is negative


def test_a_capaian_that_cannot_be_computed_says_why():
    from kinerja_xl.kinds import compute_all

    report = check([[1, "S", "Indikator kosong", "90%", None, None, None, None],
                    [2, "S", "Target nol", "0", "5", None, None, None],
                    [3, "S", "Lengkap", "90%", "100%", None, None, None]])
    everything = [c for c in compute_all(report.tables, Config(), missing=True) if c.kind == "capaian"]
    assert [(c.cell, c.value is None) for c in everything] == [("F2", True), ("F3", True), ("F4", False)]
    assert everything[0].why() == "realisasi kosong (E2)" and everything[0].why("en") == "the actual is empty (E2)"
    assert "target bernilai 0" in everything[1].why()
    assert [c.cell for c in compute_all(report.tables, Config()) if c.kind == "capaian"] == ["F4"]  # default: values only


# --------------------------------------------------------------------------- vocabulary of other producers


@pytest.mark.parametrize("head", [
    ["NO", "INDIKATOR KINERJA", "TARGET SETAHUN", "REALISASI S.D. TW III", "CAPAIAN OUTPUT"],
    ["N0", "Indikator Kinerja Utama", "Target Tahun 2021", "Realisasi s/d Triwulan III", "% Capaian"],
    ["NO", "INDIKATOR KINERJA KUNCI", "TARGET TAHUNAN", "REALISASI", "CAPAIAN (%)"],
    # SIMKinerja: the capaian under 'Target Kinerja (%)', beside its own TARGET column
    ["Pejabat", "Sasaran Kegiatan / Sub-Kegiatan Indikator", "Target", "Realisasi Jumlah", "Target Kinerja(%)"],
])
def test_capaian_tables_as_other_producers_head_them(head):
    report = check([["1", "Dokumen yang tersusun tepat waktu", "2", "3", "150,00"],
                    ["2", "Persentase desa yang dibina", "80", "60", "80,00"]], head=head)
    (table,) = report.tables
    assert table.kind == "iku"
    assert {k: table.columns[k] for k in ("indikator", "target", "realisasi", "capaian")} == \
        {"indikator": 1, "target": 2, "realisasi": 3, "capaian": 4}
    wrong = found(report, "KX701")  # 60 / 80 × 100 = 75,00
    assert [(f.cell, f.expected) for f in wrong] == [("E3", Percent(75.0, 2))]


def _engine_reads_not_numbers() -> bool:
    import dataclasses

    from kinerja_xl.tables import TableSpec

    return "not_numbers" in {f.name for f in dataclasses.fields(TableSpec)}


def test_spec_options_keeps_only_what_the_engine_has():
    from kinerja_validators.iku import NOT_NUMBERS, SPEC, spec_options

    assert spec_options(no_such_option=1) == {}
    assert (spec_options(not_numbers=NOT_NUMBERS) != {}) == _engine_reads_not_numbers()
    if _engine_reads_not_numbers():
        assert SPEC.not_numbers == NOT_NUMBERS


@pytest.mark.parametrize("text, not_a_number", [("n/a", True), ("N/A", True), ("NA", True), ("Belum tersedia", True),
                                                 ("BB", True), ("A", True), ("WTP", True), ("12,5 persen", False),
                                                 ("AB", False), ("naik", False)])
def test_which_texts_hold_no_number_by_right(text, not_a_number):
    import re

    from kinerja_xl.tables import fold
    from kinerja_validators.iku import NOT_NUMBERS

    assert bool(re.fullmatch(dict(NOT_NUMBERS)["target"], fold(text))) == not_a_number


@pytest.mark.skipif(not _engine_reads_not_numbers(), reason="the engine does not read cells with no number by right yet")
def test_n_a_and_grades_are_not_checked_and_not_errors():
    report = check([["1", "Sasaran", "Persentase penurunan temuan", "55%", "n/a", "n/a"],
                    ["", "", "Nilai SAKIP", "BB", "A", ""],
                    ["", "", "Indeks", "80", "60", "80,00"]], select=())
    assert [(f.code, f.cell) for f in report.findings if f.severity.value == "error"] == [("KX701", "F4")]
    assert sorted(f.cell for f in found(report, "KX106")) == ["D3", "E2", "E3", "F2"]


def test_a_table_of_achievements_only_is_recognised_and_nothing_is_computed_on_it():
    from kinerja_xl.kinds import compute_all

    head = ["NO", "URUSAN", "INDIKATOR KINERJA KUNCI", "RUMUS", "SATUAN", "CAPAIAN", "KETERANGAN"]
    report = check([["1", "PENDIDIKAN", "Tingkat partisipasi PAUD", "a / b × 100%", "%", "98,63 %", ""],
                    ["2", "KESEHATAN", "Rasio daya tampung rumah sakit", "a / b × 100%", "%", "", ""]],
                   select=(), head=head)
    (table,) = report.tables
    assert table.kind == "iku" and "target" not in table.columns
    assert table.frame["capaian"].tolist()[0] == 98.63
    assert [f for f in report.findings if f.severity.value != "info"] == []
    reasons = [(c.why("id"), c.why("en")) for c in compute_all(report.tables, Config(), missing=True) if c.kind == "capaian"]
    assert reasons == [("tabel ini tidak punya kolom target", "this table has no target column")] * 2
