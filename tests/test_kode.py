"""Kode sub kegiatan: format, parent prefix, duplicates."""

from __future__ import annotations

import pytest

from budget_books import validate_rows
from kinerja_validators.kode import clean_kode, kode_format_ok

HEAD = ["NO", "KODE", "URAIAN", "PAGU", "REALISASI", "SISA"]


def rows(*data):
    return [HEAD] + [list(r) for r in data]


@pytest.mark.parametrize("kode, ok", [
    ("7.01.01.2.01.02", True), ("7.01.01.2.01.0002", True), ("1.02.03.1.04.05", True),
    ("7.01.06.2.01.02.", False), ("7.1.1.2.1.2", False), ("9.01.01.2.01.02", False), ("7.01.01.3.01.02", False),
    ("7.01.01.2.01.002", False), ("7.01.01 2.01.02", False),
])
def test_sub_kegiatan_format(kode, ok):
    assert kode_format_ok(kode, "sub_kegiatan") is ok


def test_trailing_dot_is_a_finding_with_a_suggestion():
    found = validate_rows(rows(["1", "7.01.06.2.01.02.", "Fasilitasi", "10", "10", "-"]))
    assert [(f.code, f.cell) for f in found] == [("KX111", "B2")]
    assert found[0].message() == "Kode '7.01.06.2.01.02.' tidak sesuai format kode sub kegiatan (mis. 7.01.01.2.01.02); maksudnya '7.01.06.2.01.02'?"
    assert "did you mean '7.01.06.2.01.02'" in found[0].message("en")
    assert found[0].expected == "7.01.06.2.01.02"


def test_a_well_formed_hierarchy_of_kode_passes():
    assert validate_rows(rows(["A", "7.01.01", "PROGRAM", "10", "10", "-"],
                              ["I", "7.01.01.2.01", "Kegiatan", "10", "10", "-"],
                              ["1", "7.01.01.2.01.0002", "Sub", "10", "10", "-"],
                              ["", "5.1.02.01.01.0024", "Belanja ATK", "10", "10", "-"])) == []


def test_a_kode_of_the_wrong_level_is_a_format_finding():
    found = validate_rows(rows(["A", "7.01.01.2", "PROGRAM", "10", "10", "-"]), select=["KX111"])
    assert [(f.code, f.cell) for f in found] == [("KX111", "B2")]
    assert "program" in found[0].message()


def test_kode_must_start_with_the_parents_kode():
    found = validate_rows(rows(["A", "7.01.01", "PROGRAM", "10", "10", "-"],
                               ["I", "7.01.03.2.01", "Kegiatan", "10", "10", "-"],
                               ["1", "7.01.03.2.01.02", "Sub", "10", "10", "-"]))
    assert [(f.code, f.cell) for f in found] == [("KX112", "B3")]
    assert "'7.01.01'" in found[0].message() and found[0].related == ("B2",)


def test_only_the_kodes_off_their_parents_are_prefix_findings():
    found = validate_rows(rows(["A", "7.01.01", "PROGRAM", "10", "10", "-"],
                               ["I", "7.01.03.2.01", "Kegiatan", "10", "10", "-"],
                               ["1", "7.01.03.2.01.02", "Sub", "10", "10", "-"],
                               ["II", "", "Kegiatan tanpa kode", "0", "0", "-"],
                               ["2", "7.01.09.2.01.03", "Sub di bawah kegiatan tanpa kode", "0", "0", "-"],
                               ["B", "7.01.02", "PROGRAM", "10", "10", "-"],
                               ["I", "7.01.02.2.01", "Kegiatan", "10", "10", "-"],
                               ["1", "7.01.05.2.01.01", "Sub", "10", "10", "-"]), select=["KX112"])
    assert [(f.code, f.cell, f.related) for f in found] == [("KX112", "B3", ("B2",)), ("KX112", "B9", ("B8",))]
    assert "'7.01.02.2.01'" in found[1].message() and found[1].expected == "7.01.02.2.01.…"


def test_duplicate_kode():
    found = validate_rows(rows(["1", "7.01.01.2.02.01", "Gaji", "10", "10", "-"],
                               ["2", "7.01.01.2.02.01", "Gaji lagi", "10", "10", "-"],
                               ["3", "7.01.01.2.02.02", "Lain", "10", "10", "-"]))
    assert [(f.code, f.cell) for f in found] == [("KX113", "B3")]
    assert "baris 2" in found[0].message()


def test_rincian_account_codes_may_repeat():
    assert validate_rows(rows(["1", "7.01.01.2.02.01", "Sub", "20", "20", "-"],
                              ["", "5.1.02.01.01.0024", "ATK", "10", "10", "-"],
                              ["", "5.1.02.01.01.0024", "ATK lagi", "10", "10", "-"])) == []


def test_clean_kode():
    assert clean_kode(" 7.01.06.2.01.02. ") == "7.01.06.2.01.02"
    assert clean_kode("7.01..06,2.01.02") == "7.01.06.2.01.02"


def test_one_match_reads_the_level_the_three_formats_give():
    """The rules settle each kode with one pattern; it must agree with the three official formats."""
    import random

    from kinerja_validators.kode import FORMATS, official_level

    rng = random.Random(7)
    # each position mostly right, sometimes not: all three levels and their near misses come up
    by_position = [["7", "1", "9", "0"], ["01", "12", "1", "001"], ["01", "02", "1"], ["2", "1", "3"],
                   ["01", "1", "011"], ["02", "0002", "002", "2"], ["01"]]
    wild = ["", " ", "١٢", "7a", "00000"]
    seen = set()
    for _ in range(5000):
        n = rng.randint(1, 7)
        kode = ".".join(rng.choice(wild if rng.random() < 0.05 else by_position[i]) for i in range(n))
        read = official_level(kode)
        assert read == next((level for level, f in FORMATS.items() if f.fullmatch(kode)), None), kode
        seen.add(read)
    assert seen == {None, "program", "kegiatan", "sub_kegiatan"}
