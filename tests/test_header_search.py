"""Header search costs about linear work in a sheet's cells, whatever the cells hold.

Work is counted, not timed (speed targets are benchmarks: ``bench/header_search.py``): how
often a cell text is folded and how often a label goes through the table kinds' own patterns.
Before the memo and the combined regex, SheetJS's ``large_strings.xlsx`` cost 13,7 million
``re.fullmatch`` calls (~60 s); its shape is rebuilt by ``pathological.large_strings_rows``.
"""

from __future__ import annotations

import pytest
from pathological import distinct_texts_rows, large_strings_rows

from kinerja_xl import tables
from kinerja_xl.runner import table_specs
from kinerja_xl.tables import HEADER_MAX_CHARS, HeaderSearch, locate_tables
from kinerja_xl.workbook import SheetData

REALISASI = [["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"],
             ["1", "Sub satu", 100_000, 60_000, 40_000],
             ["2", "Sub dua", 50_000, 50_000, 0]]


def work(rows, monkeypatch):
    """(tables found, fold calls, Field.match calls, labels matched in full) over one sheet."""
    counts = {"fold": 0, "match": 0}
    real_fold, real_match = tables.fold, tables.Field.match

    def counting_fold(text):
        counts["fold"] += 1
        return real_fold(text)

    def counting_match(self, label):
        counts["match"] += 1
        return real_match(self, label)

    monkeypatch.setattr(tables, "fold", counting_fold)
    monkeypatch.setattr(tables.Field, "match", counting_match)
    found = locate_tables(SheetData(name="S", rows=rows), table_specs())
    monkeypatch.undo()
    return found, counts["fold"], counts["match"]


def cells(rows):
    return sum(map(len, rows))


@pytest.mark.parametrize("make", [large_strings_rows, distinct_texts_rows], ids=["long-texts", "distinct-texts"])
def test_work_per_cell_is_bounded(make, monkeypatch):
    rows = make(1_000)
    found, folds, matches = work(rows, monkeypatch)
    assert found == []
    n = cells(rows)
    assert folds <= 1.5 * n  # each distinct cell text folded once (plus a few column-number row tests)
    assert matches <= 2 * n  # was ~180 pattern calls per cell


@pytest.mark.parametrize("make", [large_strings_rows, distinct_texts_rows], ids=["long-texts", "distinct-texts"])
def test_work_grows_linearly_with_rows(make, monkeypatch):
    _, folds_1, matches_1 = work(make(500), monkeypatch)
    _, folds_2, matches_2 = work(make(1_000), monkeypatch)
    assert folds_2 <= 2.2 * folds_1 + 10
    assert matches_2 <= 2.2 * matches_1 + 10


def test_wide_sheet_of_text(monkeypatch):
    rows = [[f"teks {r}-{c}" for c in range(2_000)] for r in range(30)]
    found, folds, matches = work(rows, monkeypatch)
    assert found == [] and folds <= 1.5 * cells(rows) and matches <= 2 * cells(rows)


def test_a_table_below_pathological_rows_is_still_found():
    rows = large_strings_rows(400) + [[]] + REALISASI
    ((spec, start, height, end, columns),) = locate_tables(SheetData(name="S", rows=rows), table_specs())
    assert (spec.kind, start, height, end) == ("realisasi", 401, 1, 404)
    assert columns == {"no": 0, "uraian": 1, "plafon": 2, "realisasi": 3, "sisa": 4}


def test_a_long_text_is_no_header_but_a_short_one_is():
    long_head = "REALISASI " + "x" * HEADER_MAX_CHARS
    search = HeaderSearch(SheetData(name="S", rows=[["NO", "URAIAN", "PLAFON", long_head, "SISA"]]), table_specs())
    assert search.fold_cell(long_head) == "" and search.fold_cell("Sisa (Rp.)") == "SISA RP"
    assert search.labels(0, 1) == ["NO", "URAIAN", "PLAFON", "", "SISA"]


def test_each_distinct_label_is_matched_once():
    rows = [["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"]] * 50
    search = HeaderSearch(SheetData(name="S", rows=rows), table_specs())
    assert search.best_at(0).spec.kind == "realisasi"
    first = search.label_matches
    for r in range(1, 50):
        assert search.best_at(r).spec.kind == "realisasi"
    assert search.label_matches == first and search.folds == 5


def reference_match(spec, labels):
    """The plain search the memo and combined regexes replace: each column to the first field
    (in order) taking its label whose key is not yet taken."""
    found = {}
    for c, label in enumerate(labels):
        if not label:
            continue
        for f in spec.fields:
            key = f.match(label)
            if key and key not in found:
                found[key] = c
                break
    return spec.resolve(found) if spec.resolve else found


def template_header_rows():
    """Every row of the bundled templates and example, folded as header labels."""
    from pathlib import Path

    from kinerja_xl.workbook.files import open_workbook

    out = []
    for path in sorted((Path(__file__).parent.parent / "xlsx_templates").glob("*.xlsx")):
        book = open_workbook(path)
        for name in book.sheet_names():
            sheet = book.read_sheet(name)
            search = HeaderSearch(sheet, table_specs())
            for r in range(min(sheet.n_rows, 60)):
                for height in (1, 2, 3):
                    if r + height <= sheet.n_rows:
                        out.append(search.labels(r, height))
    return out


def test_the_fast_match_gives_the_plain_search_result_on_every_template_row():
    rows = template_header_rows()
    rows += [["PERTANYAAN", "PERTANYAAN", "PERTANYAAN", "UNSUR", "JUMLAH NILAI"],  # one pattern, three fields
             ["NO", "NAMA", "P1", "P1", "P2", "Q3", "U4"], ["TAHUN 2021 TARGET", "TAHUN 2021 REALISASI", "INDIKATOR"]]
    assert len(rows) > 500
    specs = table_specs()
    search = HeaderSearch(SheetData(name="S", rows=[[]]), specs)
    for labels in rows:
        for spec in specs:
            assert search.match_spec(spec, labels) == reference_match(spec, labels), (spec.kind, labels)


def test_labels_matched_on_one_sheet_are_not_matched_again_on_the_next(monkeypatch):
    """The label memo lives as long as the process (every sheet, report and ribbon press has the
    same headers), and is emptied when it outgrows its limit."""
    rows = [["NO", "URAIAN KX MEMO", "PLAFON", "REALISASI", "SISA"], ["1", "Sub", 10, 5, 5]]
    first = HeaderSearch(SheetData(name="A", rows=rows), table_specs())
    assert first.best_at(0).spec.kind == "realisasi" and first.label_matches > 0
    second = HeaderSearch(SheetData(name="B", rows=rows), table_specs())
    assert second.best_at(0).spec.kind == "realisasi" and second.label_matches == 0

    monkeypatch.setattr(tables, "_LABEL_MEMO_LIMIT", 0)
    third = HeaderSearch(SheetData(name="C", rows=rows), table_specs())  # over the limit: the memo starts afresh
    assert third.best_at(0).spec.kind == "realisasi" and third.label_matches > 0
