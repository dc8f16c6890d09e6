"""The budget analysis on numpy arrays gives what pandas gave.

The row tree (``hierarchy.tree``) holds the same values as the ``hierarchy`` frame; the
schema's checks, which compute on numpy inside pandera, answer row for row (``<NA>``
included, which the coverage counts as not judged) what pandas' own ``Int64`` arithmetic
answers; the sums check agrees with a plain group-by.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from budget_books import realisasi, seed_sheets, tables_of
from kinerja_xl.runner import validate_file

hierarchy_module = importlib.import_module("kinerja_validators.realisasi.hierarchy")
schema = importlib.import_module("kinerja_validators.realisasi.schema")

ROOT = Path(__file__).resolve().parents[1]
BOOKS = sorted((ROOT / "xlsx_templates").glob("*.xlsx"))


def _budget_tables():
    for path in BOOKS:
        yield from (t for t in validate_file(path).tables if t.kind in ("realisasi", "refocusing"))
    for rows, merges in seed_sheets().values():
        yield from (t for t in tables_of(rows, merges) if t.kind in ("realisasi", "refocusing"))
    # a sub-total JUMLAH, a 'JUMLAH PROGRAM A' line, an unnumbered row before any sub kegiatan
    head = ["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"]
    data = [["", "Catatan tanpa induk", 5, 5, 0], ["A", "PROGRAM X", 100, 60, 40], ["I", "Kegiatan X", 100, 60, 40],
            ["1", "Sub X", 100, 60, 40], ["", "JUMLAH PROGRAM A", 100, 60, 40], ["", "JUMLAH", 100, 60, 40],
            ["B", "PROGRAM Y", 50, 50, 0], ["1", "Sub Y", 50, 50, 0], ["", "TOTAL", 150, 110, 40]]
    yield from (t for t in tables_of(realisasi(data, head)) if t.kind == "realisasi")
    # every kode in its official form (the fast path of the kode rules), one kode under the wrong parent
    head = ["NO", "KODE", "URAIAN", "PLAFON", "REALISASI", "SISA"]
    data = [["A", "7.01.01", "PROGRAM X", 100, 60, 40], ["I", "7.01.01.2.01", "Kegiatan X", 100, 60, 40],
            ["1", "7.01.01.2.01.0001", "Sub X", 70, 60, 10], ["2", "7.01.02.2.01.0002", "Sub Y", 30, 0, 30],
            ["", "", "JUMLAH", 100, 60, 40]]
    yield from (t for t in tables_of(realisasi(data, head)) if t.kind == "realisasi")


def test_the_tree_holds_what_the_hierarchy_frame_holds_and_kids_are_children():
    seen = 0
    for table in _budget_tables():
        h = hierarchy_module.hierarchy(table)
        t = hierarchy_module.tree(table)
        assert list(h.index) == [int(r) for r in t.rows]
        for key, values in (("level", t.level), ("problem", t.problem), ("no_level", t.no_level),
                            ("kode_level", t.kode_level)):
            assert h[key].tolist() == values, (table.sheet, key)
        assert h["parent"].to_numpy(dtype=np.int64, na_value=-1).tolist() == t.parent_rows().tolist()
        assert t.kids() == hierarchy_module.children(h)
        seen += len(t.rows)
    assert seen > 100


def _random_frame(rng, n: int, keys, blank: float = 0.2):
    data = {}
    for k in keys:
        values = rng.integers(-5, 40, n) * 100
        mask = rng.random(n) < blank
        values[mask] = rng.integers(1, 9, mask.sum())  # whatever lies under a blank must not count
        data[k] = pd.arrays.IntegerArray(values, mask)
    return pd.DataFrame(data, index=pd.RangeIndex(7, 7 + n, name="row"))


def _same_answer(got, want):
    """Equal per row (the check answers by position), ``<NA>`` where the pandas expression gives ``<NA>``."""
    assert str(got.dtype) == "boolean" and str(want.dtype) == "boolean"
    assert len(got) == len(want)
    assert got.isna().tolist() == want.isna().tolist()
    assert got.fillna(True).tolist() == want.fillna(True).tolist()


@pytest.mark.parametrize("seed", range(20))
def test_numpy_checks_answer_as_pandas_int64_arithmetic(seed):
    rng = np.random.default_rng(seed)
    frame = _random_frame(rng, 60, ("plafon", "realisasi", "sisa", *schema.TW_KEYS[: 1 + seed % 4]))
    # the pandas expressions the checks were written as (and still use for non-integer columns)
    _same_answer(schema.difference(frame, minuend="plafon", subtrahend="realisasi", result="sisa"),
                 frame["sisa"] == frame["plafon"] - schema.effective(frame, "realisasi"))
    _same_answer(schema.period_sum(frame), frame["realisasi"] == schema.period_total(frame))
    _same_answer(schema.not_negative(frame, key="plafon"), frame["plafon"] >= 0)
    _same_answer(schema.not_above(frame, key="realisasi", limit="plafon"),
                 ~((frame["realisasi"] > frame["plafon"]) & (frame["plafon"] >= 0)))


def test_float_columns_still_take_the_pandas_arithmetic():
    frame = pd.DataFrame({"plafon": [10.5, None], "realisasi": [0.5, 1.0], "sisa": [10.0, 3.0]})
    assert schema.amounts(frame["plafon"]) is None
    got = schema.difference(frame, minuend="plafon", subtrahend="realisasi", result="sisa")
    assert got.tolist() == [True, False]  # float NaN compares unequal, as pandas answers


def test_amounts_are_zero_under_a_blank_and_the_mask_marks_it():
    col = pd.Series(pd.arrays.IntegerArray(np.array([5, 7, 9], dtype=np.int64), np.array([False, True, False])))
    values, blank = schema.amounts(col)
    assert values.tolist() == [5, 0, 9] and blank.tolist() == [False, True, False]
    assert col.array.to_numpy(dtype=np.int64, na_value=0).tolist() == [5, 0, 9]  # the column itself untouched


@pytest.mark.parametrize("seed", range(10))
def test_the_sums_check_agrees_with_a_group_by(seed):
    rng = np.random.default_rng(100 + seed)
    n = 40
    frame = _random_frame(rng, n, ("plafon", "sisa"), blank=0.1)
    rows = frame.index.to_numpy()
    parent = np.where(rng.random(n) < 0.7, rng.choice(rows[:8], n), -1)
    parent[:8] = -1  # the first rows are the parents, never children
    counted = rng.random(n) < 0.9
    tree_frame = frame.assign(parent=pd.arrays.IntegerArray(parent, parent < 0), level=["rincian"] * n,
                              covers_from=pd.array([None] * n, dtype="Int64"), counted=counted)
    for key in ("plafon", "sisa"):
        got = schema.sums_of(tree_frame, key)
        want = np.ones(n, dtype=bool)
        children = tree_frame[(parent >= 0) & counted]
        for p, group in children.groupby("parent"):
            own = frame.at[p, key]
            if pd.isna(own) or group[key].isna().any():
                continue
            want[frame.index.get_loc(p)] = int(own) == int(group[key].sum())
        assert got.tolist() == want.tolist(), key


def test_the_kode_rows_read_at_once_are_those_read_kode_by_kode():
    kode = importlib.import_module("kinerja_validators.kode")
    fast = 0
    for table in _budget_tables():
        k = kode._kode_rows(table)
        if k is None:
            continue
        fast += k.all_official
        assert k.official == [kode.official_level(c) for c in k.kodes]
        assert all(c == c.strip() for c in k.kodes)
        assert k.cleaned == {r: (c if o else kode.clean_kode(c)) for r, c, o in zip(k.rows, k.kodes, k.official)}
    assert fast


def test_one_match_tells_whether_every_kode_is_official():
    all_official = importlib.import_module("kinerja_validators.kode")._all_official
    assert all_official(["7.01.01", "7.01.01.2.01", "7.01.01.2.01.02", "7.01.01.2.01.0002"])
    assert not all_official([])
    assert not all_official(["7.01.01", "7.01.01.2.01."])  # a trailing dot
    assert not all_official(["7.01.01", " 7.01.01.2.01"])  # a space to strip
    assert not all_official(["7.01.01", 7.01])  # a number in a kode cell
    assert not all_official(["7.01.01\n7.01.02"])  # two kodes in one cell: two lines, one value
    assert not all_official(["9.01.01"])  # no urusan 9


def test_the_analysis_finds_parents_and_children_as_the_kids_do():
    analysis = importlib.import_module("kinerja_validators.realisasi.analysis")
    for table in _budget_tables():
        a = analysis.analysis_for(table)
        kids = a.tree.kids()
        for r in a.tree.rows.tolist():
            assert a.parents_of([r]) == {p for p, ks in kids.items() if r in ks}, (table.sheet, r)
        for f in a.sums:  # a failing sum's children: those it sums (its counted children)
            assert f.children == [c for c in kids.get(f.row, []) if c not in a.headings]


def _uncertain_by_walking(t):
    """The parents ``_uncertain_parents`` gives, by walking down the sheet row by row."""
    rows, out, last_placed = t.rows.tolist(), set(), None
    parent = dict(zip(rows, t.parent_rows().tolist()))
    section = t.section if t.section is not None else [False] * len(rows)
    for r, level, problem, marker in zip(rows, t.level, t.problem, section):
        if marker:
            continue
        if level is None or problem == "no-parent":
            chain = last_placed
            while chain is not None and chain >= 0:
                out.add(chain)
                chain = parent[chain]
            out.update(r for r, level in zip(rows, t.level) if level == "total")
        elif level != "total":
            last_placed = r
    return out


def test_the_uncertain_parents_are_those_a_walk_down_the_sheet_finds():
    analysis = importlib.import_module("kinerja_validators.realisasi.analysis")
    some = 0
    for table in _budget_tables():
        a = analysis.analysis_for(table)
        assert a.uncertain == _uncertain_by_walking(a.tree), table.sheet
        some += bool(a.uncertain)
    assert some


def test_the_kode_levels_read_at_once_are_those_read_kode_by_kode():
    h = importlib.import_module("kinerja_validators.realisasi.hierarchy")
    official = ["7.01.01", None, "7.01.01.2.01", "", "7.01.01.2.01.02", 0, None, "7.01.01.2.01.0002"]
    levels, odd, count = h._kode_levels(official)
    assert levels == [h.kode_level(k) for k in official]
    assert levels[:3] == ["program", None, "kegiatan"] and levels[-1] == "sub_kegiatan"
    assert count == 4 and odd == set()
    # one kode off the official form: every kode matched on its own, the odd one kept for the total test
    mixed = official + ["7.01.01.2.01.02.", "JUMLAH", "5.1.02.01.01.0024"]
    levels, odd, count = h._kode_levels(mixed)
    assert levels == [h.kode_level(k) if isinstance(k, str) else None for k in mixed]
    assert count is None and odd == {"", "JUMLAH"}


def test_the_kode_rules_take_the_trees_answer_only_for_the_same_cells():
    h = importlib.import_module("kinerja_validators.realisasi.hierarchy")
    assert h.all_official(["7.01.01", "7.01.01.2.01.0002"])
    assert not h.all_official(["7.01.01.2.01.002"])  # three digits: neither form
    assert not h.all_official(["7.01.01", "7.0١.01"])  # an Arabic-Indic digit: each kode matched on its own
    seen = 0
    for table in _budget_tables():
        t = h.tree(table)
        cells = [k for k in table.frame["kode"].tolist() if isinstance(k, str)] if table.has("kode") else []
        if t.official_kodes is not None:
            seen += 1
            assert t.official_kodes == len([k for k in cells if k]) and h.all_official([k for k in cells if k])
    assert seen
