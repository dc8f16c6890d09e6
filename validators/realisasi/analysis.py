"""Amounts of a budget table: row identities, parent and total sums, and which cell to blame.

Shared by the realisasi and refocusing tables. pandera decides which rows
break an identity (``schema.py``: ``sisa = plafon − realisasi``, ``JUMLAH =
Σ TW``, parent = Σ children, TOTAL = Σ rows); this module works out the
amounts and, for each failure, the one cell to blame (the root cell, not the
whole chain), computed once per table (``analysis_for``).
"""

from __future__ import annotations

import decimal
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kinerja_xl.findings import Percent
from kinerja_xl.tables import MONEY, rupiah
from kinerja_validators.realisasi.hierarchy import _isna, children, hierarchy
from kinerja_validators.realisasi.schema import float_decimals, group_sums
from kinerja_xl.i18n import N_, Message, Text


COLUMN_LABEL = {
    "plafon": N_("plafon"), "realisasi": N_("realisasi"), "sisa": N_("sisa"), "awal": N_("pagu awal"),
    "refokusing": N_("pagu refokusing"), "pengurangan": N_("pengurangan"),
    "realisasi_tw1": N_("realisasi TW I"), "realisasi_tw2": N_("realisasi TW II"),
    "realisasi_tw3": N_("realisasi TW III"), "realisasi_tw4": N_("realisasi TW IV"),
}
# the same, starting a sentence
COLUMN_TITLE = {
    "plafon": N_("Plafon"), "realisasi": N_("Realisasi"), "sisa": N_("Sisa"), "awal": N_("Pagu awal"),
    "refokusing": N_("Pagu refokusing"), "pengurangan": N_("Pengurangan"),
    "realisasi_tw1": N_("Realisasi TW I"), "realisasi_tw2": N_("Realisasi TW II"),
    "realisasi_tw3": N_("Realisasi TW III"), "realisasi_tw4": N_("Realisasi TW IV"),
}


def column_label(key: str) -> Text:
    """The column's name in a message (a text translated with it)."""
    return COLUMN_LABEL.get(key) or Text(key)


def column_title(key: str) -> Text:
    """``column_label`` starting a sentence."""
    return COLUMN_TITLE.get(key) or Text(key[:1].upper() + key[1:])


@dataclass(frozen=True)
class Difference:
    """``result = minuend − subtrahend`` on every row: sisa = plafon − realisasi."""

    code: str
    minuend: str
    subtrahend: str
    result: str


SISA = Difference("KX301", "plafon", "realisasi", "sisa")


@dataclass
class Blame:
    """One cell that breaks its own row's identity, and the value that would mend it (sen)."""

    code: str
    row: int
    key: str
    expected: int
    actual: int


@dataclass
class SumFailure:
    """A parent (or total) cell that is not the sum of its children (sen)."""

    row: int
    key: str
    expected: int
    actual: int
    children: list[int]
    total: bool
    culprit: bool = False  # its own parent sums right with the expected value: this cell is the typo
    children_suspect: bool = False  # it sums right into its own parent: one of its children is the typo


@dataclass
class BudgetAnalysis:
    """What the identity and hierarchy rules of one table share, computed once.

    ``effective`` holds the money columns with every blamed cell replaced by
    the value its row identity asks for, so a wrong sisa is reported on its
    own row and not again as a wrong sum on its parent.
    """

    hierarchy: Any
    kids: dict[int, list[int]]
    money: list[str]
    effective: Any
    blames: dict[tuple[int, str], Blame] = field(default_factory=dict)
    sums: list[SumFailure] = field(default_factory=list)
    uncertain: set[int] = field(default_factory=set)
    levels: Mapping[int, str | None] = field(default_factory=dict)  # Excel row -> level
    failed: dict[str, list[int]] = field(default_factory=dict)  # pandera check error -> failing Excel rows


def _money_keys(table) -> list[str]:
    return [k for k in table.columns if table.spec.field_kind(k) == MONEY and k in table.frame.columns]


def _unreadable(table) -> set[tuple[int, str]]:
    return {(i.row, i.field) for i in table.issues if i.code != "KX104"}


def _int(v: Any) -> int | None:
    return None if _isna(v) else int(v)


def _as_dict(series) -> dict:
    """``Series.to_dict()`` at a fraction of the cost (it boxes every value one at a time)."""
    return dict(zip(series.index.tolist(), series.tolist()))


def _child_sums(eff, h, money: list[str], skip: set[int], groups):
    """Per column: Σ children per parent row (Series by parent row) and whether any child was unknown.

    Summed with numpy in int64 (exact sen) rather than a pandas groupby per column: the groups are
    the same for every column (and for both passes of ``analyse``: pass ``groups``), so they are found once.
    """
    import numpy as np
    import pandas as pd

    mask, group, index = groups
    n = len(index)
    out = {}
    for key in money:
        sums, unknown = group_sums(eff[key].array[mask], group, n)
        out[key] = (pd.Series(pd.arrays.IntegerArray(sums, np.zeros(n, dtype=bool)), index=index),
                    pd.Series(unknown, index=index))
    return out


def _headings(frame, money: list[str]) -> set[int]:
    """Rows without any amount (a section heading or note line) take no part in sums."""
    if not money:
        return set()
    return {int(r) for r in frame.index[frame[money].isna().all(axis=1)]}


def _subtotal_lines(frame, h, money: list[str]) -> set[int]:
    """Lines that repeat the amounts of the program (kegiatan) they name ('JUMLAH PROGRAM A'; see
    ``hierarchy``'s ``repeats``), in most of the columns where both have one: they add nothing the tree
    does not hold, so they take no part in the sums (their own row identities are still checked). One
    that does not repeat them stays a rincian."""
    if "repeats" not in h.columns or not money:
        return set()
    repeats = h["repeats"]
    has = repeats.notna().to_numpy(dtype=bool)
    if not has.any():
        return set()
    out = set()
    for r, j in zip(h.index[has].tolist(), repeats[has].tolist()):
        pairs = [(x, y) for x, y in zip(frame.loc[r, money].tolist(), frame.loc[j, money].tolist())
                 if not _isna(x) and not _isna(y)]
        # most of them: a slip in one of the line's own cells is its row identity's finding
        if pairs and 2 * sum(x == y for x, y in pairs) > len(pairs):
            out.add(int(r))
    return out


class _ByRow(Mapping):
    """Excel row -> value for a table of consecutive rows, read from a list by position.

    ``analyse`` consults its row -> level and row -> parent maps for the few rows that fail a
    check; a dict of every row of a 100.000-row sheet costs more than all those look-ups.
    """

    def __init__(self, first: int, values: list, missing: Any = None):
        self._first, self._values, self._missing = first, values, missing

    def _pos(self, row) -> int:
        """Position of ``row`` in the list, −1 where a dict would not have it."""
        if row.__class__ is not int:
            if isinstance(row, float) and row.is_integer():
                row = int(row)
            else:
                try:
                    row = operator.index(row)  # numpy integers, as a dict would take them
                except TypeError:
                    return -1
        i = row - self._first
        return i if 0 <= i < len(self._values) and self._values[i] != self._missing else -1

    def __getitem__(self, row):
        i = self._pos(row)
        if i < 0:
            raise KeyError(row)
        return self._values[i]

    def get(self, row, default=None):
        # the plain-int path inline: _sum_failures walks up from thousands of rows
        i = row - self._first if row.__class__ is int else self._pos(row)
        if 0 <= i < len(self._values):
            v = self._values[i]
            if v != self._missing:
                return v
        return default

    def __contains__(self, row) -> bool:
        return self._pos(row) >= 0

    def __iter__(self):
        return (self._first + i for i, v in enumerate(self._values) if v != self._missing)

    def __len__(self) -> int:
        return sum(1 for v in self._values if v != self._missing)


def _by_row(index, values: list, missing: Any = None) -> Mapping:
    """``{row: value}`` for the rows whose value is not ``missing``: a ``_ByRow`` over consecutive rows."""
    import numpy as np

    rows = index.to_numpy()
    if len(rows) and rows.dtype.kind == "i" and int(rows[-1]) - int(rows[0]) == len(rows) - 1 and (np.diff(rows) == 1).all():
        return _ByRow(int(rows[0]), values, missing)
    return {r: v for r, v in zip(index.tolist(), values) if v != missing}


_NO_ROW = object()  # a level map holds every row, None included


def _parent_of(h, kids) -> Mapping[int, int]:
    """Row -> its parent row; a top-level row's parent is the (first) total that sums it."""
    import numpy as np

    parent = h["parent"].to_numpy(dtype=np.int64, na_value=-1)
    totals = h.index[h["level"].to_numpy() == "total"].tolist()
    if totals:
        pos = h.index.get_indexer
        for total in totals:
            at = pos(kids.get(total, []))
            at = at[(at >= 0) & (parent[at] < 0)]
            parent[at] = total
    return _by_row(h.index, parent.tolist(), missing=-1)


def _uncertain_parents(h) -> set[int]:
    """Parents whose children may include a row that could not be placed: their sums prove nothing."""
    out: set[int] = set()
    if not (h["level"].isna() | (h["problem"] == "no-parent")).any():
        return out
    parent = {int(r): (None if _isna(p) else int(p)) for r, p in zip(h.index, h["parent"])}
    last_placed: int | None = None
    section = h["section"].tolist() if "section" in h.columns else [False] * len(h)
    for r, level, problem, marker in zip(h.index, h["level"], h["problem"], section):
        r = int(r)
        if marker:  # a 'Kegiatan :' line is placed on purpose outside the tree
            continue
        if level is None or problem == "no-parent":
            chain = last_placed
            while chain is not None:
                out.add(chain)
                chain = parent.get(chain)
            out.update(int(t) for t in h.index[h["level"] == "total"])
        elif level != "total":
            last_placed = r
    return out


def _sum_failures(eff, h, kids, parent_of: dict[int, int], order: list[str], derived: dict, headings: set[int],
                  result, groups=None, sum_check: str = "") -> list[SumFailure]:
    """Parents (and totals) that are not the sum of their children, one finding per typo where possible.

    Bottom-up: a cell off from its children by δ whose own parent is off by −δ is itself the wrong
    cell (a typo in a sub kegiatan's plafon), so it is blamed and its parent is not. A column that
    follows from others on every row (sisa = plafon − realisasi, JUMLAH = Σ TW) is not reported where
    the mismatches of the columns it follows from already account for it. Which parents and totals
    do not add up is pandera's verdict (``result.failed[sum_check]``, check ``kx_sums``); the
    columns in which each of them is off are read here.
    """
    failing = result.failed.get(sum_check, [])
    if not failing:  # pandera found every parent and total adding up: nothing to blame
        return []
    sums = _child_sums(eff, h, order, headings, groups)
    totals = h.index[h["level"].to_numpy() == "total"].tolist()
    failing_totals = set(failing).intersection(totals)
    failing_parents = [r for r in failing if r not in failing_totals]
    up = parent_of.get

    def depth_of(row: int) -> int:  # _depth with one look-up per step
        d = 0
        while (row := up(row)) is not None:
            d += 1
        return d

    out: list[SumFailure] = []
    delta_of: dict[tuple[int, str], int] = {}  # (row, column) -> own − Σ children, as first found
    # each total's position and those of the top-level rows it sums, for plain array look-ups per column
    position = eff.index.get_indexer
    total_at = [(t, position([t])[0], position(top)) for t in totals
                if (top := [c for c in kids.get(t, []) if c not in headings])]
    for key in order:
        s, unknown = sums[key]
        own = eff[key].reindex(s.index)
        known = (~unknown & own.notna()).to_numpy(dtype=bool)
        known_rows = set(s.index[known].tolist())
        off = (own - s)[known].reindex(failing_parents).dropna() if failing_parents else own.iloc[:0]
        off = off[off.to_numpy(dtype="int64") != 0]  # the parents pandera failed that are off in this column
        mis: dict[int, int] = dict(zip(off.index.tolist(), off.tolist()))
        if total_at:
            values = eff[key].to_numpy(dtype="int64", na_value=0)
            missing = eff[key].isna().to_numpy(dtype=bool)
            for t, at, covered in total_at:
                if not missing[at] and not missing[covered].any():
                    known_rows.add(t)
                    d = int(values[at]) - int(values[covered].sum())
                    if d and t in failing_totals:
                        mis[t] = d
        known_rows -= result.uncertain | headings
        known_rows -= {r for (r, k) in result.blames if k == key}
        own_of = dict(zip(mis, eff[key].array[eff.index.get_indexer(list(mis))].tolist())) if mis else {}
        depth = {r: depth_of(r) for r in mis}
        for p in sorted(mis, key=lambda r: -depth[r]):
            d = mis[p]
            if not d or p not in known_rows:
                continue
            delta_of[(p, key)] = d
            q = parent_of.get(p)
            parent_agrees = q is not None and q in known_rows and mis.get(q, 0) == -d
            if key in derived:
                implied = sum(sign * delta_of.get((p, k), 0) for sign, k in derived[key])
                if implied == d:  # already reported in the columns this one follows from
                    if parent_agrees:
                        mis[q] = 0
                    continue
            own_p = int(own_of[p])
            ch = [c for c in kids.get(p, []) if c not in headings]
            is_total = result.levels.get(p) == "total"
            # it agrees with its own parent: the slip is more likely in one of its children
            suspect = not parent_agrees and q is not None and q in known_rows and not mis.get(q, 0)
            out.append(SumFailure(p, key, own_p - d, own_p, ch, is_total, culprit=parent_agrees, children_suspect=suspect))
            if parent_agrees:
                mis[q] = 0  # mended here, so the parent that agrees with it is not reported too
    return out


def _rows_seen_by_blame(failed: list[int], parent_of: dict[int, int], h, kids: dict[int, list[int]]) -> list[int]:
    """Rows whose amounts deciding the blame of a broken row identity may read: the failing rows,
    their parents, and the rows each total sums."""
    seen = set(failed)
    seen.update(parent_of[r] for r in failed if r in parent_of)
    for total in h.index[h["level"] == "total"].tolist():
        seen.update(kids.get(total, []))
    return list(seen)


def analyse(table, diff: Difference | None = SISA, periods: bool = True) -> BudgetAnalysis:
    """Row identities (period sums, ``diff``) and parent sums of a budget table, cached on the table."""
    cache = table.__dict__.setdefault("_kinerja_budget", {})
    ckey = (diff, periods)
    skind = "realisasi" if periods else "refocusing"  # the schemas of the two budget tables
    if ckey in cache:
        return cache[ckey]
    import pandas as pd

    from kinerja_validators._pandera import failing_rows
    from kinerja_validators.realisasi import schema

    frame = table.frame
    h = hierarchy(table)
    kids = children(h)
    money = _money_keys(table)
    eff = frame[money].copy()
    unreadable = _unreadable(table)
    result = BudgetAnalysis(h, kids, money, eff, uncertain=_uncertain_parents(h),
                            levels=_by_row(h.index, h["level"].tolist(), missing=_NO_ROW))
    headings = _headings(frame, money) | _subtotal_lines(frame, h, money)
    parent_of = _parent_of(h, kids)
    # the row tree as the sums schema reads it; its grouping of children (worked out once, by the schema)
    # serves every column, both passes below and the blame
    tree_frame = pd.concat([eff, pd.DataFrame({"parent": h["parent"], "level": h["level"], "covers_from": h["covers_from"],
                                               "counted": ~eff.index.isin(list(headings))}, index=eff.index)], axis=1)
    mask, group, parents, _ = schema.tree_of(tree_frame)
    groups = (mask, group, pd.Index(parents, name="parent"))

    # pass 1, on the amounts as printed: JUMLAH = Σ TW, the row identity (sisa, pengurangan), no negatives
    tws = sorted(k for k in money if k.startswith("realisasi_tw"))
    if not periods:  # the quarters are only summed in a realisasi table
        money_rows = eff[[k for k in money if k not in tws]]
    else:
        money_rows = eff
        unread_tw = sorted({r for r, f in unreadable if f in tws})
        if unread_tw:  # a quarter that could not be read leaves its row's JUMLAH unjudged
            money_rows = eff.copy()
            money_rows.loc[unread_tw, tws] = pd.NA
    result.failed.update(failing_rows(schema.rows(skind, tuple(money_rows.columns)), money_rows,
                                      table=table if not periods or money_rows is eff else None))  # amounts as read
    if periods and tws and "realisasi" in money:
        period_fails = result.failed.get("KX303", [])
        if period_fails:
            tw_sum = schema.period_total(money_rows.loc[period_fails])
            for r in period_fails:
                result.blames[(r, "realisasi")] = Blame("KX303", r, "realisasi", int(tw_sum[r]), int(frame.at[r, "realisasi"]))
            eff.loc[period_fails, "realisasi"] = tw_sum.array

    if diff is not None and all(k in money for k in (diff.minuend, diff.subtrahend, diff.result)):
        m_key, s_key, r_key = diff.minuend, diff.subtrahend, diff.result
        failed = result.failed.get(diff.code, [])
        if failed:
            # only the rows the blaming below looks at (the failing rows, their parents, the rows a total
            # sums) go into plain dicts: dicts of every row of a 100.000-row sheet cost more than the rest
            seen = _rows_seen_by_blame(failed, parent_of, h, kids)
            sums = {k: (_as_dict(v[0][v[0].index.isin(seen)]), _as_dict(v[1][v[1].index.isin(seen)]))
                    for k, v in _child_sums(eff, h, [m_key, s_key], headings, groups).items()}
            seen_rows = eff.loc[sorted(seen), [m_key, s_key, r_key]]
            col = {k: _as_dict(seen_rows[k]) for k in (m_key, s_key, r_key)}
            totals: dict[tuple[int, str], int | None] = {}

            def val(row: int, key: str) -> int | None:
                v = col[key].get(row)
                return None if _isna(v) else int(v)

            def mismatch(row: int | None, key: str) -> int | None:
                """Own value − Σ children, for a parent row (None when unknown or no children)."""
                if row is None or val(row, key) is None:
                    return None
                if result.levels.get(row) == "total":
                    if (row, key) not in totals:  # computed once: a flat table has every row on top
                        top = [c for c in kids.get(row, []) if c not in headings]
                        vals = [val(c, key) for c in top]
                        totals[(row, key)] = None if not top or None in vals else val(row, key) - sum(vals)
                    return totals[(row, key)]
                s, unknown = sums[key]
                if row not in s or unknown[row]:
                    return None
                return val(row, key) - int(s[row])

            fixes: dict[str, dict[int, int]] = {}
            for r in failed:
                mv, sv, rv = val(r, m_key), val(r, s_key), val(r, r_key)
                delta = rv - (mv - sv)
                p = parent_of.get(r)
                ev_m = mismatch(r, m_key) == -delta or mismatch(p, m_key) == delta
                ev_s = mismatch(r, s_key) == delta or mismatch(p, s_key) == -delta
                if ev_m and not ev_s:
                    blame = Blame(diff.code, r, m_key, mv + delta, mv)
                elif ev_s and not ev_m:
                    blame = Blame(diff.code, r, s_key, sv - delta, sv)
                else:
                    blame = Blame(diff.code, r, r_key, mv - sv, rv)
                if (r, blame.key) in result.blames:  # the JUMLAH already blamed for its periods
                    blame = Blame(diff.code, r, r_key, mv - sv, rv)
                result.blames[(r, blame.key)] = blame
                fixes.setdefault(blame.key, {})[r] = blame.expected
            for key, mended in fixes.items():
                eff.loc[list(mended), key] = pd.array(list(mended.values()), dtype="Int64")

    # parent = Σ children, total = Σ top level, on the mended values
    derived: dict[str, list[tuple[int, str]]] = {}
    if periods and tws and "realisasi" in money:
        derived["realisasi"] = [(1, k) for k in tws]
    if diff is not None and all(k in money for k in (diff.minuend, diff.subtrahend, diff.result)):
        derived[diff.result] = [(1, diff.minuend), (-1, diff.subtrahend)]
    order = [k for k in money if k not in derived] + [k for k in derived if k in money]
    for key in money:  # the mended amounts, into the same frame (its tree, worked out above, still holds)
        tree_frame[key] = eff[key]
    result.failed.update(failing_rows(schema.sums_schema(skind, tuple(money)), tree_frame,
                                      table=None if result.blames else table))  # nothing mended: as read
    result.sums = _sum_failures(eff, h, kids, parent_of, order, derived, headings, result, groups,
                                schema.sum_check(skind))
    result.sums.sort(key=lambda f: (f.row, money.index(f.key)))
    cache[ckey] = result
    return result


DIFFERENCES = {"realisasi": SISA, "refocusing": Difference("KX501", "awal", "refokusing", "pengurangan")}


def analysis_for(table) -> BudgetAnalysis:
    return analyse(table, DIFFERENCES.get(table.kind), periods=table.kind == "realisasi")


def _tolerance(decimals: int, config) -> float:
    """Half a unit of the last printed digit; results left unrounded (formulas) get the configured tolerance.

    Nobody prints a percentage with more than four decimals, so more digits mean a raw formula result.
    """
    if decimals > 4:
        return float(getattr(config, "percent_tolerance", 0.005))
    return 0.5 * 10 ** -decimals + 1e-9


def _percent_reading(value: float, dp: int | None, expected: float, config) -> tuple[bool, float, int]:
    """Does a printed percentage match ``expected`` (percent units), read as percent or as a fraction (0,7708)?

    Returns (matches, value in percent units, decimals printed in percent units) of the best reading.
    """
    digits = dp if dp is not None else float_decimals(value)
    readings = [(value, digits), (value * 100, max(digits - 2, 0))]
    for v, d in readings:
        if abs(v - expected) <= _tolerance(d, config):
            return True, v, d
    # neither matches: show it the way that is nearer, a fraction column (0,7708) in percent units
    v, d = min(readings, key=lambda vd: abs(vd[0] - expected))
    return False, v, min(d, 4)


def serapan_values(table, config) -> list[tuple[int, float, float]]:
    """(row, realisasi / plafon in percent, printed serapan or NaN) for every row with a plafon > 0."""
    a = analysis_for(table)
    if not table.has("plafon") or not table.has("realisasi"):
        return []
    headings = _headings(table.frame, a.money)
    plafon = a.effective["plafon"].tolist()
    realisasi = a.effective["realisasi"].tolist()
    printed = table.frame["serapan"].tolist() if table.has("serapan") else [None] * len(plafon)
    out = []
    for r, p, x, v in zip(table.frame.index, plafon, realisasi, printed):
        if _isna(p) or _isna(x) or p <= 0 or r in headings:
            continue
        pct = float(decimal.Decimal(int(x)) / decimal.Decimal(int(p)) * 100)
        out.append((int(r), pct, float("nan") if _isna(v) else float(v)))
    return out





def compute(table, config, tables=None) -> list:
    """Serapan % of every row with a plafon: into the serapan cell when the table has one."""
    from kinerja_xl.kinds import Computed

    out = []
    has = table.has("serapan")
    for r, pct, v in serapan_values(table, config):
        cell = table.cell("serapan", r) if has else None
        existing = None
        if has and v == v:
            dp = table.frame.at[r, "serapan__dp"] if "serapan__dp" in table.frame.columns else None
            _, shown, d = _percent_reading(v, None if _isna(dp) else int(dp), pct, config)
            existing = Percent(shown, min(max(d, 0), 4))
        out.append(Computed(
            kind="serapan", sheet=table.sheet, cell=cell, row_key=table.row_key(r),
            label_id=N_("Serapan anggaran (realisasi / plafon)"),
            value=Percent(round(pct, 2), 2), number_format="0.00%", existing=existing,
            formula=has and (r, table.columns["serapan"]) in table.formulas,
        ))
    if has:  # a serapan cell that stays empty: why
        done = {c.row_key for c in out}
        for r, reason in _serapan_missing(table):
            if table.row_key(r) not in done:
                out.append(Computed(
                    kind="serapan", sheet=table.sheet, cell=table.cell("serapan", r), row_key=table.row_key(r),
                    label_id=N_("Serapan anggaran (realisasi / plafon)"), value=None, number_format="0.00%",
                    reason=reason))
        out.sort(key=lambda c: table.frame.index.get_loc(_row_of(table, c.cell)))
    return out


def _row_of(table, cell: str) -> int:
    return int("".join(ch for ch in cell if ch.isdigit()))


def _serapan_missing(table) -> list[tuple[int, Message]]:
    """Rows with amounts whose serapan cannot be computed, and which input is missing or unreadable."""
    a = analysis_for(table)
    headings = _headings(table.frame, a.money)
    unreadable = _unreadable(table)
    out = []
    for r, p, x in zip(table.frame.index, a.effective["plafon"].tolist(), a.effective["realisasi"].tolist()):
        r = int(r)
        if r in headings:
            continue
        for key, value in (("plafon", p), ("realisasi", x)):
            cell = table.cell(key, r)
            if (r, key) in unreadable:
                out.append((r, Message(N_("sel {word} tidak dapat dibaca ({cell})"), word=column_label(key), cell=cell)))
                break
            if _isna(value):
                out.append((r, Message(N_("{word} kosong ({cell})"), word=column_label(key), cell=cell)))
                break
        else:
            if p <= 0:
                where = table.cell("plafon", r)
                out.append((r, Message(N_("plafon bernilai {nilai} ({cell}): serapan tidak dapat dihitung"),
                                       nilai=str(rupiah(p)), cell=where)))
    return out

