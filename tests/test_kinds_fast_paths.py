"""The survey and indicator rules' shortcuts give what the longer ways gave: the rules' cut-down pandera
schemas fail the rows the users' full schemas fail, the checks keep their answers, readings kept per
table or per run are the ones worked out afresh."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kinerja_validators import cross, iku, perbandingan, pk
from kinerja_validators._pandera import failing_rows
from kinerja_validators.skm import schema as skm_schema
from kinerja_validators.skm.recap import parse_recap
from kinerja_xl.config import Config
from kinerja_xl.rules import RuleContext
from kinerja_xl.runner import validate_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"


@pytest.fixture(scope="module")
def tables():
    by_kind: dict[str, list] = {}
    for t in validate_file(EXAMPLE).tables:
        by_kind.setdefault(t.kind, []).append(t)
    return by_kind


def _ctx(tables):
    return RuleContext(None, Config(), tables, str(EXAMPLE))


# --------------------------------------------------------------------------- survey recap


def test_the_recap_rules_schema_holds_only_checks_with_rows_and_fails_what_the_full_one_fails(tables):
    (recap,) = tables["skm"]
    frame = skm_schema.recap_frame(parse_recap(recap))
    parts = skm_schema.recap_parts(frame)
    # the example prints no mutu and no NRR tertimbang: their checks have no row to judge
    assert "KX604" not in parts and "KX609" not in parts and "KX601" in parts
    cut = failing_rows(skm_schema.recap(rule_cases=True, errors=parts), frame)
    full = failing_rows(skm_schema.recap(rule_cases=True), frame)
    assert set(cut) == set(parts)
    assert {k: v for k, v in full.items() if v} == {k: v for k, v in cut.items() if v}
    assert cut["KX601"] == [7]  # the seed's jumlah nilai above 4 × the answers


def test_a_recap_check_answers_for_every_row_of_its_frame():
    frame = pd.DataFrame({"q_total": [10, None, 100], "q_answered": [5, 5, 20]}, index=pd.Index([7, 8, 9]),
                         dtype=object)
    out = skm_schema.score_range(frame, total="q_total", answered="q_answered")
    assert isinstance(out, np.ndarray) and out.dtype == bool and len(out) == len(frame)  # by position
    assert out.tolist() == [True, True, False]  # a row not judged passes; 100 > 4 × 20 fails
    assert skm_schema.score_range(frame, total="nope", answered="q_answered") is True


def test_the_pooled_nrr_is_kept_per_respondents(tables):
    (recap,) = tables["skm"]
    u = parse_recap(recap).unsur[0]
    n = parse_recap(recap).respondents
    assert u.pooled(n) is u.pooled(n)
    assert u.pooled(n) == u._pool(n) and u.pooled(None) == u._pool(None)


# --------------------------------------------------------------------------- IKU


def _old_within_double(frame):
    """The pandas expression the check had before it went to numpy."""
    t, r = frame["target"], frame["realisasi"]
    return ~(frame["negative"].astype(bool) & (t > 0) & (r > 2 * t))


def test_within_double_keeps_pandas_three_valued_answer():
    values = [None, -1.0, 0.0, 2.0, 5.0, 12.0]
    target, realisasi, negative = zip(*[(t, r, n) for t in values for r in values for n in (False, True)])
    frame = pd.DataFrame({"target": pd.array(target, dtype="Float64"), "realisasi": pd.array(realisasi, dtype="Float64"),
                          "negative": np.array(negative)})
    got = iku.within_double(frame, target="target", realisasi="realisasi")
    pd.testing.assert_series_equal(got, _old_within_double(frame), check_names=False)
    assert got.isna().any() and (~got.fillna(True)).any()


def test_capaian_agrees_on_numpy_as_it_did_on_the_nullable_columns():
    frame = pd.DataFrame({
        "target": pd.array([90, 90, 0, None, 5, 80], dtype="Float64"),
        "realisasi": pd.array([100, 100, 3, 4, 4, 96.07], dtype="Float64"),
        "capaian": pd.array([111.11, 117.65, 1, 2, 120, 1.2009], dtype="Float64"),
        "capaian__dp": pd.array([2, 2, None, None, 2, None], dtype="Int64"),
        "negative": [False, False, False, False, True, False],
    })
    got = iku.capaian_agrees(frame, target="target", realisasi="realisasi", capaian="capaian")
    # right; wrong; zero target not judged; no target not judged; negative 2 − 4/5 = 120; a fraction
    assert got.tolist() == [True, False, True, True, True, True]
    expected = iku.expected_capaian(frame, target="target", realisasi="realisasi")
    assert str(expected.dtype) == "Float64" and expected.isna().tolist() == [False, False, True, True, False, False]


def test_the_iku_rules_leave_out_the_negative_check_only_without_negative_indicators(tables):
    (t,) = tables["iku"]
    assert not any(iku.polarities(t))
    schema = iku._rules_schema("two-minus", 0.005, False)
    assert [c.error for c in schema.checks] == ["KX701"]
    assert [c.error for c in iku._rules_schema("two-minus", 0.005, True).checks] == ["KX701", "KX702"]
    assert iku._wrong(t, Config()) == {"KX701": set(), "KX702": set()}


def test_the_rows_and_polarities_are_read_once_per_table(tables):
    (t,) = tables["iku"]
    assert iku._rows(t) is iku._rows(t)
    assert iku.polarities(t) == [iku.indicator_polarity(t, r) for r in t.frame.index]


# --------------------------------------------------------------------------- perbandingan


def test_capaian_per_year_in_one_check_fails_the_rows_of_the_per_year_columns():
    """The long frame of every (row, year) against the users' schema over each year's columns, on the
    example with two capaian made wrong (one per year)."""
    tables: dict[str, list] = {}
    for t in validate_file(EXAMPLE).tables:
        tables.setdefault(t.kind, []).append(t)
    t = next(t for t in tables["perbandingan"] if t.has("capaian_2021"))
    t.frame = t.frame.assign(capaian_2020=t.frame["capaian_2020"].where(t.frame.index != 16, 150.0),
                             capaian_2021=t.frame["capaian_2021"].where(t.frame.index != 17, 12.5))
    ctx = _ctx(tables)
    lookup = perbandingan._Lookup.shared(ctx)
    assert lookup is perbandingan._Lookup.shared(ctx)
    seen = 0
    for other in tables["perbandingan"] + tables.get("renstra", []):
        rows = list(perbandingan.capaian_rows(other, lookup, ctx.config))
        wrong = perbandingan._wrong_by_year(other, rows, ctx.config)
        years = sorted({y for _, y, *_ in rows})
        if not years:
            continue
        seen += 1
        wide = {}
        for row, year, target, realisasi, negative, _ in rows:
            printed = other.value(f"capaian_{year}", row)
            wide.setdefault(row, {"negative": negative}).update({
                f"target_{year}": target, f"realisasi_{year}": realisasi,
                f"capaian_{year}": float(printed) if pd.notna(printed) else None,
                f"capaian_{year}__dp": perbandingan.decimals(other, f"capaian_{year}", row)})
        frame = pd.DataFrame.from_dict(wide, orient="index").sort_index()
        for k in frame.columns:
            if k != "negative":
                frame[k] = frame[k].astype("Float64")
        users = perbandingan.pandera_schema(tuple(years), "two-minus", 0.005)
        for year in years:
            one = users.__class__(checks=[c for c in users.checks
                                          if c.error == "KX704" and c.statistics["capaian"] == f"capaian_{year}"])
            assert set(failing_rows(one, frame)["KX704"]) == wrong.get(year, set()), (other.sheet, year)
    assert seen
    assert perbandingan._wrong_by_year(t, list(perbandingan.capaian_rows(t, lookup, ctx.config)), ctx.config) == {
        "2020": {16}, "2021": {17}}


def test_years_and_iku_year_are_read_once_per_table(tables):
    t = tables["perbandingan"][0]
    assert perbandingan.years(t, "realisasi") is perbandingan.years(t, "realisasi")
    assert perbandingan.years(t, "realisasi") == ["2020", "2021"]
    assert perbandingan.years(t, "capaian") == []  # this one prints target and realisasi only
    assert perbandingan.iku_year(tables["iku"][0]) == "2021"


# --------------------------------------------------------------------------- PK and cross-table


def test_pk_total_flags_are_is_total_of_every_row(tables):
    (t,) = tables["pk_program"]
    assert pk.total_flags(t) == [pk.is_total(t, r) for r in t.frame.index]
    assert any(pk.total_flags(t))


def test_the_realisasi_children_read_for_the_cross_rules_are_the_hierarchys(tables):
    from kinerja_validators.realisasi import children, hierarchy

    for real in tables["realisasi"]:
        levels, kids = cross._tree(real)
        h = hierarchy(real)
        totals = set(h.index[h["level"] == "total"].tolist())
        assert kids == {p: c for p, c in children(h).items() if p not in totals}
        assert levels == dict(zip(h.index.tolist(), h["level"].tolist()))


def test_the_pk_grouping_goes_on_from_the_grouping_without_it(tables):
    def plain(groups):
        return [([id(t) for t in g.tables], g.rows, g.names, {k: [(id(f.table), f.row, f.key, f.value) for f in v]
                                                              for k, v in g.facts.items()}) for g in groups]

    ctx = _ctx(tables)
    first = cross.grouped(ctx)
    both = cross.grouped(ctx, cross.INDICATOR_KINDS + ("pk",))
    fresh = cross.indicators(tables, cross.INDICATOR_KINDS + ("pk",))
    assert plain(both[0]) == plain(fresh[0]) and both[1] == fresh[1]
    assert plain(first[0]) == plain(cross.indicators(tables)[0])  # the copy left the first grouping as it was
    assert any(t.kind == "pk" for g in both[0] for t in g.tables)
