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


# --------------------------------------------------------------------------- patterns read without re

def _sample(pattern: str, rng, n: int = 60) -> list[str]:
    """Strings ``pattern`` takes in full, drawn at random from re's own parse of it."""
    from re import _constants as C
    from re import _parser as P

    def walk(items, out):
        for op, av in items:
            if op is C.LITERAL:
                out.append(chr(av))
            elif op is C.SUBPATTERN:
                walk(av[3], out)
            elif op is C.BRANCH:
                walk(rng.choice(av[1]), out)
            elif op is C.IN:
                choices, negated = [], False
                for o, a in av:
                    if o is C.NEGATE:
                        negated = True
                    elif o is C.LITERAL:
                        choices.append(chr(a))
                    elif o is C.RANGE:
                        choices.extend(map(chr, range(a[0], a[1] + 1)))
                    elif o is C.CATEGORY:
                        choices.extend("0123456789" if a is C.CATEGORY_DIGIT else "AB ")
                if negated:
                    choices = [c for c in "AZ9% " if c not in choices]
                out.append(rng.choice(choices))
            elif op is C.NOT_LITERAL:
                out.append(rng.choice([c for c in "AZ9% " if c != chr(av)]))
            elif op is C.ANY:
                out.append(rng.choice("AZ9% "))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                lo, hi, sub = av
                for _ in range(rng.randint(lo, min(hi, lo + 3))):
                    walk(sub, out)
            else:
                raise AssertionError(f"no sampler for {op} in {pattern!r}")

    out = []
    for _ in range(n):
        chars: list[str] = []
        walk(P.parse(pattern), chars)
        out.append("".join(chars))
    return out


TRICKY = [r"A(?=B)B", r"A?+B", r"A{,3}B", r"(AB|C)+?D", r"[IV1-4]{1,2} X", r"[^A]B", r"X\.Y", r"A\d", r"(?i)ab",
          r"A|", r"(A|B C)(D)?", r"A{2}B{0}", r"\bA", r"A{", r"A{x}", r"[]A]B", r"[A-]B", r"NO URUT|NO"]


def _patterns():
    return list(dict.fromkeys([p for spec in table_specs() for f in spec.fields for p in f.patterns] + TRICKY))


def test_what_a_pattern_needs_and_stands_for_agrees_with_re():
    """For every pattern of the installed kinds (and some tricky ones): the strings it stands for
    are exactly those re takes, and every string re takes holds a text it needs."""
    import random
    import re

    rng = random.Random(13)
    read = 0
    for pattern in _patterns():
        branches = tables._read_pattern(pattern)
        assert "|".join(text for text, _, _ in branches) == pattern
        needs = [] if len(branches) > 1 else branches[0][1]  # each branch is checked on its own below
        strings = None if any(b[2] is None for b in branches) else frozenset().union(*(b[2] for b in branches))
        compiled = re.compile(pattern)
        if strings is not None:
            read += 1
            assert all(compiled.fullmatch(s) for s in strings), pattern
        try:
            samples = _sample(pattern, rng)
        except (AssertionError, re.error):
            assert branches == [(pattern, [], None)], pattern  # lookarounds, anchors: left to re
            continue
        for s in samples:
            if not compiled.fullmatch(s):
                continue  # the sampler's stand-ins for categories may not match
            if strings is not None:
                assert s in strings, (pattern, s)
            for text, needs, _ in branches:
                if re.fullmatch(text, s):
                    for texts in needs:
                        assert any(t in s for t in texts), (pattern, text, s, texts)
                        assert not any(" " in t for t in texts), pattern
    assert read >= 60  # most of the vocabulary is matched without a regex


def test_label_bits_are_the_patterns_re_takes_the_label_with():
    """The vocabulary's answer for a label is exactly the set of patterns that take it in full,
    on labels made to match each pattern, their neighbours, and every template row."""
    import random
    import re

    rng = random.Random(7)
    specs = table_specs()
    vocabulary = tables._Vocabulary(tuple(specs))
    compiled = [re.compile(p) for p in vocabulary.patterns]
    labels = {label for row in template_header_rows() for label in row if label}
    for pattern in vocabulary.patterns:
        for s in _sample(pattern, rng, 20):
            labels.update((s, s + " X", "X " + s, s[:-1], s.replace(" ", "")))
    labels.update(("TARGET ٢٠٢١", "P٣", "ITEM 12 KOLOM 3", "", " ", "A  B"))  # digits re's \d takes beyond 0-9
    assert len(labels) > 2_000
    for label in labels:
        expected = sum(1 << i for i, c in enumerate(compiled) if c.fullmatch(label))
        assert vocabulary.label_bits(label) == expected, label


def test_a_process_compiles_only_the_patterns_its_labels_call_for():
    """Header patterns are compiled for labels holding a word they need, not all at once (compiling
    every kind's patterns was ~25 ms of the first file of each process)."""
    specs = table_specs()
    vocabulary = tables._Vocabulary(tuple(specs))
    search = HeaderSearch(SheetData(name="S", rows=REALISASI), specs)
    search.vocabulary = vocabulary
    assert search.best_at(0).spec.kind == "realisasi"
    compiled = sum(c is not None for c in vocabulary.compiled)
    assert len(vocabulary.units) < len(vocabulary.patterns) // 2  # the rest are matched as sets of strings
    assert compiled <= len(vocabulary.units) // 4


def test_search_labels_are_the_header_labels_of_every_block():
    """``HeaderSearch.labels`` (rows cached, two and three rows joined in one pass each) gives what
    ``_labels(_header_texts(...))`` gives, on every block of the bundled workbooks and on blocks whose
    upper cells spread over sub-headers, with and without merges, and repeat a part."""
    from pathlib import Path

    from kinerja_xl.tables import _header_texts, _labels, _merge_map
    from kinerja_xl.workbook.files import open_workbook

    sheets = [SheetData(name="spread", rows=[["NO", "REALISASI", None, None, "SISA"], [None, "TW I", "TW II", "JUMLAH", None],
                                             [None, "RP", None, "RP", "RP"], [None, "TW I", "TW I", None, "SISA"]]),
              SheetData(name="repeat", rows=[["X", "Y", "Y"], [None, "Y", None], ["X", "Z", "Y"]]),
              SheetData(name="merged", rows=[["A", "B", None, None], ["A", None, "C", "D"], ["X", "X", "C", None]],
                        merges=[(0, 1, 0, 2), (1, 0, 2, 0)])]
    for path in sorted((Path(__file__).parent.parent / "xlsx_templates").glob("*.xlsx")):
        book = open_workbook(path)
        sheets += [book.read_sheet(name) for name in book.sheet_names()]
    blocks = 0
    for sheet in sheets:
        search = HeaderSearch(sheet, table_specs())
        for r in range(sheet.n_rows):
            for height in (1, 2, 3):
                if r + height <= sheet.n_rows and not any(  # a longer text is no header: the search folds it to ''
                        isinstance(v, str) and len(v) > HEADER_MAX_CHARS for row in sheet.rows[r:r + height] for v in row):
                    want = _labels(_header_texts(sheet, r, height, search.ncols, _merge_map(sheet)), search.ncols)
                    assert search.labels(r, height) == want, (sheet.name, r, height)
                    blocks += 1
    assert blocks > 1000
