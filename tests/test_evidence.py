"""A table kind is recognised on enough evidence before its rules may raise anything.

A sales sheet with quarters Q1–Q4 matches the survey-responses kind's ``q_{n}`` field four
times: one field, so no survey (it used to get 116 KX610 "answer is no score 1–4" errors).
"""

from __future__ import annotations

from dataclasses import replace

from budget_books import tables_of, validate_rows
from kinerja_validators.skm import RESPONSES

from kinerja_xl.tables import TableSpec, _evidence, find_tables, values_within
from kinerja_xl.workbook import SheetData

SALES = [["PENJUALAN 2023"], ["WILAYAH", "Q1", "Q2", "Q3", "Q4", "TOTAL"]] + [
    [f"Wilayah {i}", 1200 + i, 32, 45 + i, 980, 2257 + 2 * i] for i in range(20)]
ANSWERS_ONLY = [["P1", "P2", "P3", "P4"]] + [[3, 4, 2, 3], [4, 4, 3, 2], [2, 3, 4, 4], [3, 3, 3, 1]]


def test_quarter_columns_are_no_survey():
    assert tables_of(SALES) == []
    assert not [f for f in validate_rows(SALES, ignore=()) if f.code.startswith("KX6")]


def test_a_weak_match_is_handed_to_the_caller_not_validated():
    weak: list = []
    assert find_tables(SheetData(name="Penjualan", rows=SALES), [RESPONSES], weak=weak) == []
    (table,) = weak
    assert table.kind == "skm_responden" and table.header_rows[1] == 2
    assert sorted(table.columns) == ["q_1", "q_2", "q_3", "q_4"]


def test_one_dynamic_field_counts_once():
    assert _evidence(RESPONSES, {"q_1": 1, "q_2": 2, "q_3": 3, "q_4": 4}) == 1
    assert _evidence(RESPONSES, {"no": 0, "q_1": 1, "q_2": 2, "q_3": 3}) == 2


def test_a_survey_with_a_respondent_column_is_still_one():
    rows = [["NO", "NAMA RESPONDEN", "P1", "P2", "P3", "P4"]] + [[i, f"R{i}", 3, 4, 2, 5] for i in range(1, 6)]
    (t,) = tables_of(rows)
    assert t.kind == "skm_responden"
    assert [f.code for f in validate_rows(rows, ignore=())].count("KX610") == 5  # the 5s: its rules run


def test_plausible_values_make_up_for_few_headers():
    spec = replace(RESPONSES, plausible=values_within(1, 5))
    (t,) = find_tables(SheetData(name="S", rows=ANSWERS_ONLY), [spec])
    assert t.kind == "skm_responden" and list(t.frame.index) == [2, 3, 4, 5]
    weak: list = []
    assert find_tables(SheetData(name="S", rows=SALES), [spec], weak=weak) == [] and len(weak) == 1


def test_the_default_asks_for_two_fields():
    assert TableSpec("x", "x", "x", ()).min_fields == 2
    spec = replace(RESPONSES, min_fields=1)
    assert [t.kind for t in find_tables(SheetData(name="S", rows=ANSWERS_ONLY), [spec])] == ["skm_responden"]
