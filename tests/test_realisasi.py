"""Realisasi table: row identities, hierarchy, sums, serapan, on small in-memory tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget_books import MemoryBook, codes, realisasi, seed_sheets, tables_of, validate_rows
from kinerja_xl.config import Config
from kinerja_xl.findings import Percent, Severity
from kinerja_xl.runner import validate_source
from kinerja_validators.realisasi import children, compute, hierarchy, kode_level

# A program with two kegiatan; every identity holds.
GOOD = [
    ["", "TOTAL", "1.000.000", "600.000", "400.000"],
    ["A", "PROGRAM SATU", "1.000.000", "600.000", "400.000"],
    ["I", "Kegiatan satu", "700.000", "500.000", "200.000"],
    ["1", "Sub kegiatan satu", "300.000", "300.000", "-"],
    ["2", "Sub kegiatan dua", "400.000", "200.000", "200.000"],
    ["", "Rincian a", "150.000", "100.000", "50.000"],
    ["", "Rincian b", "250.000", "100.000", "150.000"],
    ["II", "Kegiatan dua", "300.000", "100.000", "200.000"],
    ["1", "Sub kegiatan tiga", "300.000", "100.000", "200.000"],
]


def with_cell(data, row, col, value):
    out = [list(r) for r in data]
    out[row][col] = value
    return out


def errors(findings):
    return [(f.code, f.cell) for f in findings if f.severity != Severity.INFO]


def test_a_consistent_table_has_no_finding():
    assert errors(validate_rows(realisasi(GOOD))) == []


# --------------------------------------------------------------------------- KX301


def test_wrong_sisa_is_blamed_on_the_sisa_cell_only():
    # sub kegiatan dua (sheet row 6): sisa 250.000 instead of 200.000; its kegiatan I is right
    rows = realisasi(with_cell(GOOD, 4, 4, "250.000"))
    found = validate_rows(rows)
    assert errors(found) == [("KX301", "E6")]
    f = found[0]
    assert (f.expected, f.actual, f.difference) == (Decimal(200000), Decimal(250000), Decimal(50000))
    assert "Sisa 250.000 ≠ plafon 400.000 − realisasi 200.000 = 200.000" in f.message()
    assert "Remaining budget 250,000" in f.message("en")


def test_the_seed_kegiatan_v_sisa_chain_flags_three_cells_and_not_program_a():
    rows, merges = seed_sheets()["Realisasi TW III"]
    found = validate_rows(rows, merges=merges)
    assert errors(found) == [("KX301", "E23"), ("KX301", "E24"), ("KX301", "E25")]
    for f in found:
        assert (f.expected, f.actual) == (Decimal(39710), Decimal(0))


def test_a_typo_in_a_childs_plafon_is_blamed_on_that_plafon_not_on_the_parent():
    # sub kegiatan satu (row 5): plafon 310.000 with realisasi 300.000 and sisa '-'; kegiatan I says 300.000
    found = validate_rows(realisasi(with_cell(GOOD, 3, 2, "310.000")))
    assert errors(found) == [("KX301", "C5")]
    assert found[0].expected == Decimal(300000)
    assert found[0].message().startswith("Plafon 310.000 ≠ realisasi 300.000 + sisa 0 = 300.000")


def test_a_typo_in_a_childs_realisasi_is_blamed_on_that_realisasi_as_its_parent_shows():
    # sub kegiatan satu (row 5): realisasi 310.000 with plafon 300.000 and sisa '-'; kegiatan I's realisasi
    # 500.000 is 10.000 short of its children's: the parent points at this realisasi, not at the sisa
    found = validate_rows(realisasi(with_cell(GOOD, 3, 3, "310.000")))
    assert errors(found) == [("KX301", "D5")]
    assert (found[0].expected, found[0].actual) == (Decimal(300000), Decimal(310000))


def test_a_wrong_parent_plafon_is_blamed_on_the_parent_plafon():
    # kegiatan I (row 4): plafon 710.000 while its sub kegiatan say 700.000 and its sisa fits 700.000
    found = validate_rows(realisasi(with_cell(GOOD, 2, 2, "710.000")))
    assert errors(found) == [("KX301", "C4")]


# --------------------------------------------------------------------------- KX401 / KX402


def test_parent_not_the_sum_of_its_children():
    # kegiatan I realisasi 510.000 and sisa 190.000 (its own identity holds), children say 500.000
    data = with_cell(with_cell(GOOD, 2, 3, "510.000"), 2, 4, "190.000")
    found = validate_rows(realisasi(data))
    # one finding: its sisa (190.000 ≠ Σ 200.000) follows from the realisasi, and the program above,
    # which sums to 600.000 with kegiatan I at 500.000, agrees with the children, not with kegiatan I
    assert errors(found) == [("KX401", "D4")]
    f = found[0]
    assert (f.expected, f.actual) == (Decimal(500000), Decimal(510000))
    assert f.message() == ("Realisasi 510.000 ≠ jumlah 2 sub kegiatan di bawahnya 500.000, sedangkan baris induknya "
                           "cocok dengan 500.000 (selisih 10.000)")
    assert "while its parent row agrees" in f.message("en")


def test_which_cell_a_sum_finding_points_at_depends_on_the_row_above():
    # program A realisasi 610.000 over kegiatan 500.000 + 100.000, and the TOTAL says 600.000 too
    data = with_cell(with_cell(GOOD, 1, 3, "610.000"), 1, 4, "390.000")
    found = validate_rows(realisasi(data))
    assert errors(found) == [("KX401", "D3")]
    assert "induknya" in found[0].message()  # the TOTAL agrees with the kegiatan: the program is the typo
    data = with_cell(data, 0, 3, "610.000")
    data = with_cell(data, 0, 4, "390.000")
    found = validate_rows(realisasi(data))
    assert errors(found) == [("KX401", "D3")]  # now the TOTAL agrees with the program: check its kegiatan
    assert "sedangkan" not in found[0].message() and found[0].message().endswith("periksa kegiatan di bawahnya")


def test_rincian_lines_sum_to_their_sub_kegiatan_only_when_present():
    data = with_cell(GOOD, 5, 2, "160.000")  # rincian a plafon, its sisa now off too
    data = with_cell(data, 5, 4, "60.000")
    found = validate_rows(realisasi(data))
    assert errors(found) == [("KX401", "C6")]  # the rincian's sisa follows its plafon: one finding
    # sub kegiatan satu has no rincian: nothing to sum, nothing reported
    assert not any(f.cell and f.cell.endswith("5") and f.code == "KX401" for f in found)


def test_total_row_is_the_sum_of_the_programs():
    data = GOOD + [["B", "PROGRAM DUA", "50.000", "50.000", "-"], ["1", "Sub", "50.000", "50.000", "-"]]
    found = validate_rows(realisasi(data))
    assert errors(found) == [("KX402", "C2"), ("KX402", "D2")]
    f = found[0]
    assert (f.expected, f.actual) == (Decimal(1050000), Decimal(1000000))


def test_a_jumlah_row_at_the_bottom_is_a_total_too():
    data = GOOD[1:] + [["", "JUMLAH", "1.000.000", "600.000", "400.001"]]
    assert errors(validate_rows(realisasi(data))) == [("KX301", "E10")]


# --------------------------------------------------------------------------- KX302


SERAPAN_HEAD = ["NO", "URAIAN", "PAGU", "REALISASI", "% SERAPAN"]


@pytest.mark.parametrize("printed, ok", [
    ("83,33%", True), ("83,3%", True), ("83%", True), (0.8333, True), (0.833333333, True), (83.33, True),
    ("83,34%", False), ("80,00%", False), (0.8, False), ("83,4%", False),
])
def test_serapan_is_realisasi_over_plafon_within_half_a_printed_unit(printed, ok):
    rows = realisasi([["1", "Sub", "600.000", "500.000", printed]], SERAPAN_HEAD)
    found = validate_rows(rows, select=["KX302"])
    assert errors(found) == ([] if ok else [("KX302", "E2")])
    if not ok:
        assert found[0].expected == Percent(83.33, 2)


def test_a_total_percentage_that_is_the_mean_of_rows_is_named_so():
    rows = realisasi([
        ["", "JUMLAH", "1.000.000", "600.000", "75,00%"],  # mean of 100% and 50%; Σ/Σ is 60%
        ["1", "Sub satu", "200.000", "200.000", "100,00%"],
        ["2", "Sub dua", "800.000", "400.000", "50,00%"],
    ], SERAPAN_HEAD)
    found = validate_rows(rows)
    assert errors(found) == [("KX302", "E2")]
    assert "rata-rata" in found[0].message() and "60,00%" in found[0].message()
    assert "mean" in found[0].message("en")


def test_a_realisasi_table_without_sisa_but_with_percent_is_located_and_checked():
    tables = tables_of(realisasi([["1", "Sub", "600.000", "500.000", "83,33%"]], SERAPAN_HEAD))
    assert [t.kind for t in tables] == ["realisasi"]
    assert set(tables[0].columns) == {"no", "uraian", "plafon", "realisasi", "serapan"}


# --------------------------------------------------------------------------- KX303


TW_HEAD = [["NO", "URAIAN", "PAGU", "REALISASI KEUANGAN", "", "", "", "", "SISA"],
           ["", "", "", "TW I", "TW II", "TW III", "TW IV", "JUMLAH", ""]]
TW_MERGES = [(0, 3, 0, 7), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 8, 1, 8)]


def test_period_split_realisasi_is_located_with_all_quarters():
    rows = TW_HEAD + [["1", "Sub", "100.000", "10.000", "20.000", "5.000", "", "35.000", "65.000"]]
    t = tables_of(rows, TW_MERGES)[0]
    assert {k: t.columns[k] for k in ("realisasi_tw1", "realisasi_tw4", "realisasi", "sisa")} == \
        {"realisasi_tw1": 3, "realisasi_tw4": 6, "realisasi": 7, "sisa": 8}
    assert errors(validate_rows(rows, merges=TW_MERGES)) == []


def test_period_jumlah_not_the_sum_of_quarters():
    rows = TW_HEAD + [["1", "Sub", "100.000", "10.000", "20.000", "5.000", "", "30.000", "65.000"]]
    found = validate_rows(rows, merges=TW_MERGES)
    # the JUMLAH is blamed; the sisa, right against Σ quarters, is not
    assert errors(found) == [("KX303", "H3")]
    assert (found[0].expected, found[0].actual) == (Decimal(35000), Decimal(30000))


# --------------------------------------------------------------------------- KX304 / KX305


def test_realisasi_above_plafon_is_a_warning():
    found = validate_rows(realisasi([["1", "Sub", "100.000", "120.000", "(20.000)"]]))
    assert [(f.code, f.cell, f.severity) for f in found] == [("KX304", "D2", Severity.WARNING)]


def test_negative_amounts():
    found = validate_rows(realisasi([["1", "Sub", "(100.000)", "-", "(100.000)"]]))
    assert errors(found) == [("KX305", "C2")]
    assert "-100.000" in found[0].message()


# --------------------------------------------------------------------------- hierarchy and KX403


def test_hierarchy_of_the_seed_table():
    rows, merges = seed_sheets()["Realisasi TW III"]
    t = tables_of(rows, merges)[0]
    h = hierarchy(t)
    by_row = h["level"].to_dict()
    assert by_row[5] == "total"
    assert [r for r, lv in by_row.items() if lv == "program"] == [6, 40, 44, 47]  # A, B, C, D (C, D are not Roman)
    assert by_row[23] == "kegiatan" and by_row[45] == "kegiatan"  # V and I are Roman
    assert h.at[25, "parent"] == 24 and h.at[24, "parent"] == 23 and h.at[23, "parent"] == 6
    assert children(h)[32] == [33, 34, 35, 36, 37, 38, 39]  # seven rincian lines, four all '-'
    assert children(h)[5] == [6, 40, 44, 47]
    assert h["problem"].isna().all()


def test_hierarchy_from_kode_without_a_no_column():
    rows = [["KODE", "URAIAN", "PAGU", "REALISASI", "SISA"],
            ["7.01.01", "Program", "300", "100", "200"],
            ["7.01.01.2.01", "Kegiatan", "300", "100", "200"],
            ["7.01.01.2.01.0002", "Sub kegiatan", "300", "100", "200"],
            ["5.1.02.01.01.0024", "Belanja ATK", "300", "100", "200"]]
    h = hierarchy(tables_of(rows)[0])
    assert h["level"].tolist() == ["program", "kegiatan", "sub_kegiatan", "rincian"]
    assert h["parent"].tolist()[1:] == [2, 3, 4]


def test_program_letter_i_after_h_is_a_program_when_its_text_says_so():
    data = []
    for letter in "ABCDEFGHI":
        data += [[letter, f"PROGRAM {letter}", "10", "10", "-"], ["I", "Kegiatan", "10", "10", "-"]]
    h = hierarchy(tables_of(realisasi(data))[0])
    assert h["level"].tolist() == ["program", "kegiatan"] * 9


def test_kode_level():
    assert kode_level("7.01.01") == "program"
    assert kode_level("7.01.06.2.01.02.") == "sub_kegiatan"
    assert kode_level("5.1.02.01.01.0024") == "rincian"
    assert kode_level("Koordinasi") is None


def test_a_row_that_cannot_be_placed_is_a_warning_and_its_sums_are_not_judged():
    data = GOOD[:4] + [["1a", "Belanja sisipan", "50.000", "-", "50.000"]] + GOOD[4:]
    found = validate_rows(realisasi(data))
    assert [(f.code, f.cell, f.severity) for f in found] == [("KX403", "A6", Severity.WARNING)]
    assert "'1a'" in found[0].message()
    h = hierarchy(tables_of(realisasi(data))[0])
    assert h.at[6, "level"] is None and h.at[6, "problem"] == "unknown-no"


def test_a_rincian_line_before_any_sub_kegiatan_has_no_parent():
    data = [["", "Rincian lepas", "10", "10", "-"], ["1", "Sub", "10", "10", "-"]]
    found = validate_rows(realisasi(data))
    assert [(f.code, f.cell) for f in found] == [("KX403", "A2")]
    assert "induk" in found[0].message()


def test_no_and_kode_disagreeing_is_reported_and_the_kode_wins():
    rows = [["NO", "KODE", "URAIAN", "PAGU", "REALISASI", "SISA"],
            ["A", "7.01.01", "Program", "10", "10", "-"],
            ["1", "7.01.01.2.01", "Kegiatan", "10", "10", "-"]]
    found = validate_rows(rows)
    assert [(f.code, f.cell) for f in found] == [("KX403", "A3")]
    assert "kode" in found[0].message()
    assert hierarchy(tables_of(rows)[0]).at[3, "level"] == "kegiatan"


# --------------------------------------------------------------------------- compute


def test_compute_serapan_without_a_percent_column_has_no_cell():
    t = tables_of(realisasi(GOOD))[0]
    out = compute(t, Config())
    assert [c.row_key for c in out][:2] == ["TOTAL", "A PROGRAM SATU"]
    assert out[0].value == Percent(60.0, 2) and out[0].cell is None
    assert {c.kind for c in out} == {"serapan"}


def test_compute_serapan_goes_into_the_serapan_column():
    t = tables_of(realisasi([["1", "Sub", "600.000", "500.000", "80%"]], SERAPAN_HEAD))[0]
    (c,) = compute(t, Config())
    assert c.cell == "E2" and c.value == Percent(83.33, 2) and c.existing == Percent(80.0, 0)  # as printed


def test_the_seed_refocusing_and_realisasi_sheets_together():
    report = validate_source(MemoryBook(seed_sheets()), Config())
    assert [(f.sheet, f.code, f.cell) for f in report.findings if f.severity != Severity.INFO] == [
        ("Refocusing", "KX111", "B23"),
        ("Realisasi TW III", "KX301", "E23"), ("Realisasi TW III", "KX301", "E24"), ("Realisasi TW III", "KX301", "E25"),
    ]


def test_a_quarter_that_cannot_be_read_leaves_the_row_unjudged():
    rows = TW_HEAD + [["1", "Sub", "100.000", "10.000", "20 rb", "5.000", "", "30.000", "70.000"]]
    found = validate_rows(rows, merges=TW_MERGES)
    assert [(f.code, f.cell) for f in found] == [("KX102", "E3")]


def test_hierarchy_of_a_bare_frame():
    import pandas as pd

    frame = pd.DataFrame({"no": ["A", "I", "1", None], "uraian": ["PROGRAM", "Kegiatan", "Sub", "Belanja"]},
                         index=pd.Index([10, 11, 12, 13], name="row"))
    h = hierarchy(frame)
    assert h["level"].tolist() == ["program", "kegiatan", "sub_kegiatan", "rincian"]
    assert h["parent"].tolist()[1:] == [10, 11, 12]


def test_pandera_failures_come_back_as_excel_rows_and_unknown_values_pass():
    import pandas as pd

    import pandera.pandas as pa

    from kinerja_validators._pandera import failing_rows, na_passes

    frame = pd.DataFrame({"a": pd.array([1, 2, None, 4], dtype="Int64"), "b": pd.array([1, 3, 7, 5], dtype="Int64")},
                         index=pd.Index([21, 22, 23, 24], name="row"))
    schema = pa.DataFrameSchema({"b": pa.Column("Int64", pa.Check.lt(5, error="small"))},
                                checks=[pa.Check(lambda d: na_passes(d["a"] == d["b"], d.index), error="same")])
    assert failing_rows(schema, frame) == {"same": [22, 24], "small": [23, 24]}
    assert failing_rows(schema, frame.iloc[:1]) == {"same": [], "small": []}
    broken = pa.DataFrameSchema(checks=[pa.Check(lambda d: d["no such column"] > 0, error="broken")])
    with pytest.raises(RuntimeError, match="broken"):  # our own check failing is a bug, not a pass
        failing_rows(broken, frame)


def test_outline_numbering_1_11_111():
    data = [["1", "Program", "30", "10", "20"], ["1.1", "Kegiatan", "30", "10", "20"],
            ["1.1.1", "Sub satu", "10", "5", "5"], ["1.1.2", "Sub dua", "20", "5", "15"],
            ["2", "Program dua", "5", "5", "-"], ["2.1", "Kegiatan", "5", "5", "-"], ["2.1.1", "Sub", "5", "5", "-"]]
    h = hierarchy(tables_of(realisasi(data))[0])
    assert h["level"].tolist() == ["program", "kegiatan", "sub_kegiatan", "sub_kegiatan", "program", "kegiatan", "sub_kegiatan"]
    assert validate_rows(realisasi(data)) == []
    data[3][2] = "25"
    data[3][4] = "20"
    assert [(f.code, f.cell) for f in validate_rows(realisasi(data))] == [("KX401", "C3")]


def test_dotted_numbers_under_lettered_programs_are_detail_lines():
    data = [["A", "PROGRAM", "10", "10", "-"], ["I", "Kegiatan", "10", "10", "-"], ["1", "Sub", "10", "10", "-"],
            ["1.1", "Belanja", "4", "4", "-"], ["1.2", "Belanja", "6", "6", "-"]]
    h = hierarchy(tables_of(realisasi(data))[0])
    assert h["level"].tolist()[3:] == ["rincian", "rincian"] and h["parent"].tolist()[3:] == [4, 4]


def test_a_wrong_fraction_cell_is_shown_in_percent_units():
    found = validate_rows(realisasi([["1", "Sub", "600.000", "500.000", 0.8]], SERAPAN_HEAD))
    assert found[0].actual == Percent(80.0, 0) and "80%" in found[0].message()
    (c,) = compute(tables_of(realisasi([["1", "Sub", "600.000", "500.000", 0.8]], SERAPAN_HEAD))[0], Config())
    assert c.existing.value == pytest.approx(80.0)


def test_roman_numbered_programs_are_read_from_their_text():
    data = [["I", "PROGRAM SATU", "10", "10", "-"], ["1", "Sub", "10", "10", "-"],
            ["II", "PROGRAM DUA", "20", "5", "15"], ["1", "Sub", "20", "5", "15"]]
    h = hierarchy(tables_of(realisasi(data))[0])
    assert h["level"].tolist() == ["program", "sub_kegiatan", "program", "sub_kegiatan"]
    assert validate_rows(realisasi(data)) == []


def test_belanja_accounts_nest_by_their_kode():
    import pandas as pd

    rows = [["NO", "KODE", "URAIAN", "PAGU", "REALISASI", "SISA"],
            ["1", "7.01.01.2.06.04", "Penyediaan Bahan Logistik Kantor", "30", "25", "5"],
            ["", "5.1.02", "Belanja Barang dan Jasa", "30", "25", "5"],
            ["", "5.1.02.01.01.0024", "Belanja ATK", "20", "20", "-"],
            ["", "5.1.02.01.01.0026", "Belanja Cetak", "10", "5", "5"],
            ["", "5.2.02", "Belanja Modal", "-", "-", "-"]]
    h = hierarchy(tables_of(rows)[0])
    assert [None if p is pd.NA else p for p in h["parent"].tolist()] == [None, 2, 3, 3, 2]
    assert validate_rows(rows) == []


def test_programs_after_z_are_lettered_aa_ab():
    data = [["Z", "PROGRAM Z", "10", "10", "-"], ["1", "Sub", "10", "10", "-"],
            ["AA", "PROGRAM AA", "10", "10", "-"], ["1", "Sub", "10", "10", "-"],
            ["CI", "PROGRAM CI", "10", "10", "-"], ["I", "Kegiatan", "10", "10", "-"], ["1", "Sub", "10", "10", "-"]]
    h = hierarchy(tables_of(realisasi(data))[0])
    assert h["level"].tolist() == ["program", "sub_kegiatan"] * 2 + ["program", "kegiatan", "sub_kegiatan"]
    assert h["problem"].isna().all()


def test_a_parent_that_agrees_upward_points_at_its_children():
    data = with_cell(with_cell(GOOD, 5, 2, "160.000"), 5, 4, "60.000")  # rincian a: plafon and its sisa
    (f,) = validate_rows(realisasi(data))
    assert f.message().endswith("baris ini cocok dengan induknya, jadi periksa rincian di bawahnya")
    assert "sum of the 2 detail lines below it" in f.message("en")


def test_planted_errors_in_a_generated_report_are_found_where_they_are(tmp_path):
    """A realistic 2.000-row report with ~1% slips (bench/_gen.py keeps the ground truth)."""
    import sys
    from pathlib import Path

    from kinerja_xl.runner import validate_file

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from _gen import realisasi_workbook

    import pandas as pd

    gen = realisasi_workbook(tmp_path / "gen.xlsx", 2000, seed=11)
    report = validate_file(gen.path)
    (table,) = [t for t in report.tables if t.kind == "realisasi"]
    h = hierarchy(table)
    col = {v: k for k, v in table.columns.items()}
    found = {f.cell: f for f in report.findings if f.severity != Severity.INFO}
    assert gen.errors and len(found) <= 1.2 * len(gen.errors)  # about one finding per slip
    for e in gen.errors:
        if e.kind in ("sisa-typed", "sisa-dash"):
            assert found[e.cell].code == "KX301"  # a sisa is blamed on its own cell
            continue
        # a digit typo: on its own cell, or on an ancestor's cell of the same column whose children are off
        row = int("".join(ch for ch in e.cell if ch.isdigit()))
        letters = "".join(ch for ch in e.cell if ch.isalpha())
        cells = [e.cell]
        p = h.at[row, "parent"]
        while not pd.isna(p):
            cells.append(f"{letters}{int(p)}")
            p = h.at[int(p), "parent"]
        assert any(c in found for c in cells), (e, col)


def test_jumlah_rows_under_each_block_are_sub_totals_and_a_grand_total_covers_all():
    data = [["A", "PROGRAM SATU", "10", "10", "-"], ["1", "Sub", "10", "10", "-"],
            ["", "JUMLAH", "10", "10", "-"],
            ["B", "PROGRAM DUA", "20", "5", "15"], ["1", "Sub", "20", "5", "15"],
            ["", "JUMLAH", "20", "5", "15"],
            ["", "JUMLAH TOTAL", "30", "15", "15"]]
    assert validate_rows(realisasi(data)) == []
    h = hierarchy(tables_of(realisasi(data))[0])
    assert children(h)[4] == [2] and children(h)[7] == [5] and children(h)[8] == [2, 5]
    data[5][2] = "21"
    data[5][4] = "16"
    assert [(f.code, f.cell) for f in validate_rows(realisasi(data))] == [("KX402", "C7")]


def test_overspending_is_warned_once_on_the_deepest_row():
    data = [["A", "PROGRAM", "100", "120", "(20)"], ["I", "Kegiatan", "100", "120", "(20)"],
            ["1", "Sub satu", "40", "70", "(30)"], ["2", "Sub dua", "60", "50", "10"]]
    found = validate_rows(realisasi(data))
    assert [(f.code, f.cell, f.severity) for f in found] == [("KX304", "D4", Severity.WARNING)]
    assert found[0].message() == "Realisasi 70 melebihi plafon 40 (selisih 30)"


SUBTOTALS = [
    ["A", "Program Satu", "300", "200", "100"],
    ["I", "Kegiatan Satu", "300", "200", "100"],
    ["1", "Sub Kegiatan Satu", "100", "50", "50"],
    ["2", "Sub Kegiatan Dua", "200", "150", "50"],
    ["", "JUMLAH PROGRAM A", "300", "200", "100"],
    ["B", "Program Dua", "50", "10", "40"],
    ["I", "Kegiatan Dua", "50", "10", "40"],
    ["1", "Sub Kegiatan Tiga", "50", "10", "40"],
    ["", "Jumlah Kegiatan Dua", "50", "10", "40"],
    ["", "Sub Total Program B", "50", "10", "40"],
    ["", "JUMLAH", "350", "210", "140"],
]


def test_a_line_repeating_its_program_is_not_a_rincian():
    """'JUMLAH PROGRAM A' under the program's rows repeats its amounts: no sum breaks, the JUMLAH still
    sums the programs, and the line's own sisa is still checked."""
    h = hierarchy(tables_of(realisasi(SUBTOTALS))[0])
    assert h["repeats"].dropna().astype(int).to_dict() == {6: 2, 10: 8, 11: 7}  # Excel rows: header on 1
    assert validate_rows(realisasi(SUBTOTALS)) == []
    wrong = [r[:] for r in SUBTOTALS]
    wrong[4][4] = "90"      # the line's own sisa
    wrong[10][2] = "351"    # the grand total
    assert codes(validate_rows(realisasi(wrong))) == [("KX301", "E6"), ("KX301", "C12")]


def test_a_line_named_like_a_subtotal_that_does_not_repeat_it_stays_a_rincian():
    rows = [r[:] for r in SUBTOTALS]
    rows[4][2:] = ["30", "20", "10"]  # not program A's amounts: a rincian of sub kegiatan 2 as before
    assert ("KX401", "C5") in codes(validate_rows(realisasi(rows)))


def test_a_serapan_that_cannot_be_computed_says_why():
    from kinerja_xl.kinds import compute_all

    head = ["NO", "URAIAN", "PLAFON", "REALISASI", "SISA", "% SERAPAN"]
    data = [["1", "Sub satu", "1.000", "500", "500", ""], ["2", "Sub dua", "-", "-", "-", ""],
            ["3", "Sub tiga", "", "100", "", ""]]
    (table,) = tables_of(realisasi(data, head))
    every = compute_all([table], Config(), missing=True)
    assert [(c.cell, c.value is None, c.why("en")) for c in every] == [
        ("F2", False, None), ("F3", True, "the budget is 0 (C3): absorption cannot be computed"),
        ("F4", True, "the budget is empty (C4)")]
    assert [c.cell for c in compute_all([table], Config())] == ["F2"]


# --------------------------------------------------------------------------- a % headed CAPAIAN in a budget table


@pytest.mark.parametrize("header", ["CAPAIAN (%)", "CAPAIAN KEUANGAN", "CAPAIAN REALISASI ANGGARAN (%)", "% REALISASI",
                                    "% CAPAIAN", "REALISASI ANGGARAN (%)"])
def test_a_percent_headed_capaian_beside_anggaran_and_realisasi_is_the_serapan(header):
    head = ["NO", "PROGRAM / KEGIATAN", "ANGGARAN (Rp)", "REALISASI (Rp)", header]
    rows = realisasi([["1", "Sub satu", "600.000", "500.000", "80,00"],
                      ["2", "Sub dua", "400.000", "100.000", "25,00"]], head)
    tables = tables_of(rows)
    assert [t.kind for t in tables] == ["realisasi"]
    assert tables[0].columns["serapan"] == 4
    found = validate_rows(rows)
    assert errors(found) == [("KX302", "E2")]  # 500.000 / 600.000 = 83,33; row 3 is right
    assert found[0].expected == Percent(83.33, 2)


@pytest.mark.parametrize("label", ["AKUN", "URAIAN AKUN", "NAMA AKUN", "NAMA REKENING", "KEGIATAN / SUB KEGIATAN"])
def test_akun_and_rekening_are_the_label_column_of_a_budget_table(label):
    head = ["KODE REKENING", label, "ANGGARAN", "REALISASI", "SISA"]
    rows = realisasi([["5.1.02.01.01.0024", "Belanja alat tulis kantor", "500.000", "400.000", "150.000"]], head)
    tables = tables_of(rows)
    assert [t.kind for t in tables] == ["realisasi"]
    assert (tables[0].columns["kode"], tables[0].columns["uraian"]) == (0, 1)
    assert errors(validate_rows(rows)) == [("KX301", "E2")]


# Sumatera Utara's LKj 2021, Tabel 19 (abridged): the program row prints only its %, the plain mean of
# its sub kegiatan's; the kegiatan lines print nothing; the sub kegiatan are numbered inside their text.
SUMUT_HEAD = ["NO", "PROGRAM/ KINERJA", "ANGGARAN (Rp)", "REALISASI (Rp)", "CAPAIAN REALISASI ANGGARAN (%)"]
SUMUT = [
    ["1", "Program Pemerintahan Dan Otonomi Daerah", "", "", 88.6],
    ["", "Kegiatan Pelaksanaan Tugas Pemerintahan", "", "", ""],
    ["", "1. Sub Kegiatan Fasilitasi Pelaksanaan Pemerintahan Umum", 749930215, 702188300, 93.6],
    ["", "Kegiatan Fasilitasi Kerjasama Daerah", "", "", ""],
    ["", "1.Sub Kegiatan Fasilitasi Kerjasama antar Pemerintah", 216194000, 188957200, 87.4],
    ["", "2.Sub Kegiatan Fasilitasi Kerjasama Badan Usaha/Swasta", 378896500, 351953546, 92.9],
    ["", "3.Sub Kegiatan Evaluasi Pelaksanaan", 398379650, 307055630, 80.5],
]


def test_a_program_row_printing_only_its_percent_is_checked_as_sum_over_sum_and_named_a_mean():
    rows = realisasi(SUMUT, SUMUT_HEAD)
    t = tables_of(rows)[0]
    assert list(hierarchy(t)["level"]) == ["program", "kegiatan", "sub_kegiatan", "kegiatan", "sub_kegiatan",
                                           "sub_kegiatan", "sub_kegiatan"]
    found = validate_rows(rows)
    assert errors(found) == [("KX302", "E2"), ("KX302", "E8")]
    program, sub = found
    # (702.188.300 + 188.957.200 + 351.953.546 + 307.055.630) / (749.930.215 + … + 398.379.650) = 88,92
    assert program.expected == Percent(88.92, 2)
    assert "rata-rata" in program.message() and "1.550.154.676" in program.message()
    assert "mean" in program.message("en") and "1,743,400,365" in program.message("en")
    assert sub.expected == Percent(77.08, 2) and "rata-rata" not in sub.message()


def test_a_program_row_printing_its_sum_over_sum_percent_passes():
    rows = realisasi(with_cell(SUMUT, 0, 4, 88.9), SUMUT_HEAD)
    assert errors(validate_rows(rows)) == [("KX302", "E8")]


def test_a_parent_with_amounts_printing_the_mean_of_its_rows_is_named_so():
    rows = realisasi([
        ["A", "PROGRAM SATU", "1.000.000", "600.000", "75,00%"],  # mean of 100% and 50%; Σ/Σ is 60%
        ["1", "Sub satu", "200.000", "200.000", "100,00%"],
        ["2", "Sub dua", "800.000", "400.000", "50,00%"],
    ], SERAPAN_HEAD)
    found = validate_rows(rows)
    assert errors(found) == [("KX302", "E2")]
    assert "rata-rata" in found[0].message() and found[0].expected == Percent(60, 2)


def test_a_parent_percent_is_not_judged_when_a_row_under_it_has_no_amount():
    rows = realisasi([
        ["A", "PROGRAM SATU", "", "", "50,00%"],
        ["1", "Sub satu", "200.000", "", "100,00%"],  # realisasi missing: Σ realisasi unknown
        ["2", "Sub dua", "800.000", "400.000", "50,00%"],
    ], SERAPAN_HEAD)
    assert [c for c in errors(validate_rows(rows)) if c[1] == "E2"] == []


def test_the_rolled_up_serapan_check_names_the_excel_row():
    import pandas as pd

    from kinerja_validators._pandera import failing_rows
    from kinerja_validators.realisasi.schema import rolled_serapan_schema, rolled_up

    frame = pd.DataFrame({
        "no": ["1", "", "", ""],
        "uraian": ["Program satu", "Kegiatan satu", "1. Sub Kegiatan satu", "2. Sub Kegiatan dua"],
        "plafon": pd.array([None, None, 20000, 80000], dtype="Int64"),
        "realisasi": pd.array([None, None, 20000, 40000], dtype="Int64"),
        "serapan": pd.array([75.0, None, 100.0, 50.0], dtype="Float64"),
    }, index=pd.Index([11, 12, 13, 14], name="row"))
    assert failing_rows(rolled_serapan_schema(0.005), frame)["KX302"] == [11]
    rolled = rolled_up(frame)
    assert rolled.loc[[11, 12], "plafon"].tolist() == [100000, 100000]
    assert rolled.loc[[11, 12], "realisasi"].tolist() == [60000, 60000]
    assert failing_rows(rolled_serapan_schema(0.005), frame.assign(serapan=pd.array([60.0, None, 100.0, 50.0],
                                                                                     dtype="Float64")))["KX302"] == []


# SIMKinerja (Polewali Mandar): 'Kegiatan :' and 'Sub-Kegiatan :' lines name the level of the rows below them
POLMAN_HEAD = [["Pejabat", "Kegiatan / Sub-Kegiatan", "Alokasi Anggaran (Rp)", "Realisasi Anggaran (Rp)", "Realisasi(%)"],
               ["", "", "", "Jumlah", ""]]
POLMAN = [
    ["Kepala Sub Bidang Penyusunan Anggaran", "", "", "", ""],
    ["", "Kegiatan :", "", "", ""],
    ["", "Koordinasi dan Penyusunan Rencana Anggaran Daerah", "1.004.422.800", "1.000.972.958", "99,66"],
    ["", "Sub-Kegiatan :", "", "", ""],
    ["", "Koordinasi dan Penyusunan Perda APBD", "808.430.200", "805.369.584", "99,62"],
    ["", "Koordinasi dan Penyusunan Perda Perubahan APBD", "195.992.600", "195.603.374", "99,80"],
]


def test_section_lines_name_the_level_of_the_rows_below_them():
    t = tables_of(POLMAN_HEAD + POLMAN)[0]
    h = hierarchy(t)
    assert h["level"].tolist() == [None, "kegiatan", None, "sub_kegiatan", "sub_kegiatan"]
    assert h["parent"].tolist()[3:] == [5, 5]
    assert errors(validate_rows(POLMAN_HEAD + POLMAN)) == []
    wrong = with_cell(POLMAN, 2, 2, "1.004.422.000")  # the kegiatan's alokasi off the sum of its sub kegiatan
    assert ("KX401", "C5") in errors(validate_rows(POLMAN_HEAD + wrong))
