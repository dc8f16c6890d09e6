"""Amounts of a budget table: row identities, parent and total sums, and which cell to blame.

Shared by the realisasi and refocusing tables. pandera decides which rows
break an identity (``schema.py``: ``sisa = plafon − realisasi``, ``JUMLAH =
Σ TW``, parent = Σ children, TOTAL = Σ rows); this module works out the
amounts and, for each failure, the one cell to blame (the root cell, not the
whole chain), computed once per table (``analysis_for``).
"""

from __future__ import annotations

import decimal
import functools
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kinerja_xl.findings import Percent
from kinerja_xl.tables import MONEY, rupiah
from kinerja_validators.realisasi.hierarchy import _isna, hierarchy, tree
from kinerja_validators.realisasi.schema import float_decimals
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

    ``amounts`` holds the money columns (int64 sen and a blank mask per column) with every blamed
    cell replaced by the value its row identity asks for, so a wrong sisa is reported on its own
    row and not again as a wrong sum on its parent; ``printed`` the same columns as printed.
    Plain numpy arrays rather than frames: on a seed-sized table every pandas step costs more than
    the arithmetic (``effective`` builds the frame for the few rules that want one).
    """

    table: Any = field(repr=False)
    tree: Any  # hierarchy.Tree
    money: list[str]
    printed: dict[str, tuple[Any, Any]]
    amounts: dict[str, tuple[Any, Any]]
    at: Any = field(repr=False)  # _Positions: Excel rows -> frame positions
    blames: dict[tuple[int, str], Blame] = field(default_factory=dict)
    sums: list[SumFailure] = field(default_factory=list)
    uncertain: set[int] = field(default_factory=set)
    levels: Mapping[int, str | None] = field(default_factory=dict)  # Excel row -> level
    failed: dict[str, list[int]] = field(default_factory=dict)  # pandera check error -> failing Excel rows
    amountless: set[int] = field(default_factory=set)  # rows without any amount (headings, notes)
    headings: set[int] = field(default_factory=set)  # rows that take no part in sums: amountless and subtotal lines
    parent_row: Any = None  # each row's parent row (int64, −1: none)
    total_kids: dict[int, Any] = field(default_factory=dict)  # total row -> the top-level rows it sums (all of them)

    @functools.cached_property
    def kids(self) -> dict[int, list[int]]:
        """Parent row -> its child rows (``children``): built only when a rule asks, the analysis does without it
        (100.000 rows: ~12 ms)."""
        return self.tree.kids()

    def parents_of(self, rows) -> set[int]:
        """The rows that have one of ``rows`` among their children (``kids``), totals included."""
        import numpy as np

        rows = list(rows)
        at = self.at.of(rows) if rows else np.zeros(0, dtype=np.int64)
        p = self.parent_row[at[at >= 0]]
        out = set(p[p >= 0].tolist())
        out.update(t for t, kids in self.total_kids.items() if not set(kids.tolist()).isdisjoint(rows))
        return out

    @property
    def hierarchy(self):
        """``hierarchy(table)``: the row tree as a frame."""
        return hierarchy(self.table)

    @functools.cached_property
    def effective(self):
        """The mended amounts as a frame of ``Int64`` columns indexed by Excel row."""
        import pandas as pd

        return pd.DataFrame({k: pd.arrays.IntegerArray(v.copy(), b.copy()) for k, (v, b) in self.amounts.items()},
                            index=self.table.frame.index)

    def value(self, row: int, key: str) -> int | None:
        """The mended amount of one cell (None when blank)."""
        i = self.at.one(row)
        v, b = self.amounts[key]
        return None if i < 0 or b[i] else int(v[i])

    def values(self, key: str) -> list:
        """The mended amounts of a column, row by row (None where blank)."""
        v, b = self.amounts[key]
        return [None if blank else x for x, blank in zip(v.tolist(), b.tolist())]


def _money_keys(table) -> list[str]:
    return [k for k in table.columns if table.spec.field_kind(k) == MONEY and k in table.frame.columns]


def _unreadable(table) -> set[tuple[int, str]]:
    return {(i.row, i.field) for i in table.issues if i.code != "KX104"}


def _amounts(table, key: str) -> tuple[Any, Any]:
    """A money column as (int64 sen, 0 where blank; blank mask), as printed: read, never written (the analysis
    mends a copy of its own)."""
    from kinerja_validators.realisasi.schema import _ints, amounts

    # the table's own column array where it keeps one (Table.array): no Series per column (~15 µs each)
    column = table.array(key) if hasattr(table, "array") else table.frame[key]
    return amounts(column) or _ints(table.frame[key])


def _subtotal_lines(t, printed: dict, money: list[str]) -> list[int]:
    """Lines that repeat the amounts of the program (kegiatan) they name ('JUMLAH PROGRAM A'; see
    ``hierarchy``'s ``repeats``), in most of the columns where both have one: they add nothing the tree
    does not hold, so they take no part in the sums (their own row identities are still checked). One
    that does not repeat them stays a rincian. Frame positions."""
    import numpy as np

    if not money:
        return []
    out = []
    for i, j in zip(np.flatnonzero(t.repeats >= 0).tolist(), t.repeats[t.repeats >= 0].tolist()):
        pairs = [(v[i], v[j]) for v, b in (printed[k] for k in money) if not b[i] and not b[j]]
        # most of them: a slip in one of the line's own cells is its row identity's finding
        if pairs and 2 * sum(x == y for x, y in pairs) > len(pairs):
            out.append(i)
    return out


class _Positions:
    """Excel rows -> positions in the frame, by arithmetic where the rows are consecutive."""

    def __init__(self, index):
        import numpy as np

        rows = index.to_numpy()
        self.index, self.n, self.first = index, len(rows), None
        if len(rows) and rows.dtype.kind == "i" and int(rows[-1]) - int(rows[0]) == len(rows) - 1 and (np.diff(rows) == 1).all():
            self.first = int(rows[0])

    def of(self, rows):
        """Positions of ``rows`` (an array; −1 where a row is not in the frame)."""
        import numpy as np

        r = np.asarray(rows, dtype=np.int64)
        if self.first is None:
            return self.index.get_indexer(r) if len(r) else r
        p = r - self.first
        p[(p < 0) | (p >= self.n)] = -1
        return p

    def one(self, row: int) -> int:
        if self.first is not None:
            p = int(row) - self.first
            return p if 0 <= p < self.n else -1
        try:
            p = self.index.get_loc(row)
        except KeyError:
            return -1
        return p if isinstance(p, int) else -1


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

    def many(self, rows: list) -> list:
        """``[self.get(r) for r in rows]`` for rows that are plain ints (a sum finding's children), in one call."""
        first, values, missing, n = self._first, self._values, self._missing, len(self._values)
        return [v if 0 <= (i := r - first) < n and (v := values[i]) != missing else None for r in rows]

    def __contains__(self, row) -> bool:
        return self._pos(row) >= 0

    def __iter__(self):
        return (self._first + i for i, v in enumerate(self._values) if v != self._missing)

    def __len__(self) -> int:
        return sum(1 for v in self._values if v != self._missing)


def _by_row(at: _Positions, values: list, missing: Any = None) -> Mapping:
    """``{row: value}`` for the rows whose value is not ``missing``: a ``_ByRow`` over consecutive rows."""
    if at.first is not None:
        return _ByRow(at.first, values, missing)
    return {r: v for r, v in zip(at.index.tolist(), values) if v != missing}


_NO_ROW = object()  # a level map holds every row, None included


def _parent_of(parent_row, total_pos, rows, kids: dict, at: _Positions):
    """Each row's parent row by position (−1: none); a top-level row's parent is the (first) total that sums it
    (``kids``: total row -> the rows it sums). An array only: the blame reads it for the failing rows in numpy
    (a row -> parent map of every row cost ~1 ms at 100.000 rows)."""
    parent = parent_row.copy()
    for total in rows[total_pos].tolist():
        p = at.of(kids[total])
        p = p[(p >= 0) & (parent[p] < 0)] if len(p) else p
        parent[p] = total
    return parent


def _depths(up, start):
    """The number of ancestors of the rows at positions ``start`` (``up``: each row's parent's position, −1 for
    none): walked up together in numpy, for the failing rows only rather than every row (100.000 rows: ~2,5 ms)."""
    import numpy as np

    depth = np.zeros(len(start), dtype=np.int64)
    at = up[start]
    while (has := at >= 0).any():
        depth += has
        at[has] = up[at[has]]
    return depth


def _uncertain_parents(t, rows) -> set[int]:
    """Parents whose children may include a row that could not be placed: their sums prove nothing."""
    import numpy as np

    out: set[int] = set()
    # an unplaced or 'no-parent' row has no parent: the rows without one (a few in a sheet) are looked at
    # rather than every row's level and problem (100.000 rows: ~2,5 ms)
    level, problem = t.level, t.problem
    if not any(level[i] is None or problem[i] == "no-parent" for i in np.flatnonzero(t.parent < 0).tolist()):
        return out
    # the placed row above each unplaced one found in numpy, not by a step per row of the sheet
    level = np.asarray(t.level, dtype=object)
    marker = np.asarray(t.section, dtype=bool) if t.section is not None else np.zeros(len(rows), dtype=bool)
    unplaced = ((level == None) | (np.asarray(t.problem, dtype=object) == "no-parent")) & ~marker  # noqa: E711
    if not unplaced.any():  # only a 'Kegiatan :' line, placed on purpose outside the tree
        return out
    placed = ~marker & ~unplaced & (level != "total")
    last_placed = np.maximum.accumulate(np.where(placed, np.arange(len(rows)), -1))[unplaced]
    up = t.parent  # each row's parent by position, as the tree holds it
    for i in set(last_placed.tolist()):
        while i >= 0 and int(rows[i]) not in out:  # it and its chain, each row once
            out.add(int(rows[i]))
            i = int(up[i])
    out.update(rows[level == "total"].tolist())
    return out


def _group_of(parents, rows) -> tuple[Any, Any]:
    """(index into ``parents`` (sorted) of each of ``rows``, whether it is one of them)."""
    import numpy as np

    rows = np.asarray(rows, dtype=np.int64)
    i = np.searchsorted(parents, rows)
    found = i < len(parents)
    found[found] = parents[i[found]] == rows[found]
    return i, found


def _sum_failures(result: BudgetAnalysis, tree, parent_all, order: list[str], derived: dict,
                  sum_check: str) -> list[SumFailure]:
    """Parents (and totals) that are not the sum of their children, one finding per typo where possible.

    Bottom-up: a cell off from its children by δ whose own parent is off by −δ is itself the wrong
    cell (a typo in a sub kegiatan's plafon), so it is blamed and its parent is not. A column that
    follows from others on every row (sisa = plafon − realisasi, JUMLAH = Σ TW) is not reported where
    the mismatches of the columns it follows from already account for it. Which parents and totals
    do not add up is pandera's verdict (``result.failed[sum_check]``, check ``kx_sums``); the
    columns in which each of them is off are read here. ``parent_all``: each row's parent row by
    position, a total for a top-level row (−1: none).
    """
    import numpy as np

    from kinerja_validators.realisasi.schema import child_sums_of

    failing = result.failed.get(sum_check, [])
    if not failing:  # pandera found every parent and total adding up: nothing to blame
        return []
    headings, at = result.headings, result.at
    totals = list(tree.totals)
    failing_totals = set(failing).intersection(totals)
    failing_parents = [r for r in failing if r not in failing_totals]
    gi, found = _group_of(tree.parents, failing_parents)
    fp_rows, fp_group = np.asarray(failing_parents, dtype=np.int64)[found], gi[found]
    fp_at = tree.parent_at[fp_group]
    group_of = dict(zip(fp_rows.tolist(), fp_group.tolist()))  # a failing parent's group, for its children
    up = at.of(parent_all)  # each row's parent's position (−1: none), for the depths and the parents asked about

    out: list[SumFailure] = []
    delta_of: dict[tuple[int, str], int] = {}  # (row, column) -> own − Σ children, as first found
    # each total with its position and those of the top-level rows it sums, as the sums tree carries them
    total_at = [(t, t_at, covered) for t, (t_at, covered) in zip(tree.totals, tree.total_at) if len(covered)]
    # each parent's counted children in sheet order, from the sums' grouping: slices of one sorted array
    # (group numbers below 65.536 sorted as uint16: numpy's stable sort of 16-bit numbers is a radix sort, ~1 ms
    # less than that of int64 at 100.000 rows, the order the same)
    group = tree.group.astype(np.uint16) if len(tree.parents) <= 65536 else tree.group
    kid_rows = np.asarray(result.tree.rows, dtype=np.int64)[tree.mask][np.argsort(group, kind="stable")]
    kid_end = np.cumsum(np.bincount(tree.group, minlength=len(tree.parents))).tolist()

    def children_of(p: int) -> list[int]:
        if p in tree.totals:
            return tree.totals[p].tolist()
        g = group_of[p]
        return kid_rows[kid_end[g - 1] if g else 0:kid_end[g]].tolist()

    for key in order:
        values, blank = result.amounts[key]
        s, unknown = child_sums_of(tree, values, blank)
        known_parent = ~unknown & ~blank[tree.parent_at]
        off = values[fp_at] - s[fp_group]
        take = known_parent[fp_group] & (off != 0)  # the parents pandera failed that are off in this column
        mis: dict[int, int] = dict(zip(fp_rows[take].tolist(), off[take].tolist()))
        known_totals = []
        for t, t_at, covered in total_at:
            if not blank[t_at] and not blank[covered].any():
                known_totals.append(t)
                d = int(values[t_at]) - int(values[covered].sum())
                if d and t in failing_totals:
                    mis[t] = d
        if not mis:
            continue
        excluded = result.uncertain | headings | {r for (r, k) in result.blames if k == key}
        # what the walk below reads of each row off in this column, in numpy for all of them at once rather
        # than a look-up per row (100.000 rows, ~1.800 failing: 19 → 7 ms): its position, its own value, its
        # parent (a top-level row's: the total that sums it), and whether that parent's sum is known (a total
        # whose cells are all filled in, or a parent with all its children's); bottom-up, deepest first
        p_rows = np.fromiter(mis, dtype=np.int64, count=len(mis))
        p_at = at.of(p_rows)
        from_columns = derived.get(key)
        walk = np.argsort(-_depths(up, p_at), kind="stable")
        p_rows, p_at = p_rows[walk], p_at[walk]
        q_rows = parent_all[p_at]
        qg, q_found = _group_of(tree.parents, q_rows)
        if q_found.any():
            q_found[q_found] = known_parent[qg[q_found]]
        q_known = (q_rows >= 0) & (q_found | np.isin(q_rows, known_totals))
        for p, q, q_known_sum, own_p in zip(p_rows.tolist(), q_rows.tolist(), q_known.tolist(),
                                            values[p_at].tolist()):
            d = mis[p]
            if not d or p in excluded:
                continue
            delta_of[(p, key)] = d
            q_known = q_known_sum and q not in excluded
            parent_agrees = q_known and mis.get(q, 0) == -d
            if from_columns is not None:
                implied = 0
                for sign, k in from_columns:  # a loop, not sum() of a generator per row (~1 ms)
                    implied += sign * delta_of.get((p, k), 0)
                if implied == d:  # already reported in the columns this one follows from
                    if parent_agrees:
                        mis[q] = 0
                    continue
            # it agrees with its own parent: the slip is more likely in one of its children
            suspect = not parent_agrees and q_known and not mis.get(q, 0)
            out.append(SumFailure(p, key, own_p - d, own_p, children_of(p), p in tree.totals, culprit=parent_agrees,
                                  children_suspect=suspect))
            if parent_agrees:
                mis[q] = 0  # mended here, so the parent that agrees with it is not reported too
    return out


def _mend(eff: dict, printed: dict, key: str, at, values) -> None:
    """``eff[key]`` set to ``values`` at the positions ``at`` (no longer blank there), on a copy of the printed
    column the first time it is mended."""
    if eff[key] is printed[key]:
        eff[key] = (printed[key][0].copy(), printed[key][1].copy())
    eff[key][0][at], eff[key][1][at] = values, False


def _frame(index, columns: dict):
    """A frame of the given arrays (``(int64, blank)`` pairs become ``Int64`` columns), sharing them."""
    import pandas as pd

    def column(v):
        if isinstance(v, tuple):
            return pd.arrays.IntegerArray(*v)
        if v.dtype == object:  # kept object: pandas would infer (and convert to) its string dtype, row by row
            return pd.Series(v, index=index, dtype=object, copy=False)
        return v

    return pd.DataFrame({k: column(v) for k, v in columns.items()}, index=index, copy=False)


def analyse(table, diff: Difference | None = SISA, periods: bool = True) -> BudgetAnalysis:
    """Row identities (period sums, ``diff``) and parent sums of a budget table, cached on the table."""
    cache = table.__dict__.setdefault("_kinerja_budget", {})
    ckey = (diff, periods)
    skind = "realisasi" if periods else "refocusing"  # the schemas of the two budget tables
    if ckey in cache:
        return cache[ckey]
    import numpy as np
    import pandas as pd

    from kinerja_validators._pandera import failing_rows
    from kinerja_validators.realisasi import schema

    frame = table.frame
    t = tree(table)
    index = frame.index
    n = len(index)
    rows = np.asarray(t.rows, dtype=np.int64)
    level = np.asarray(t.level, dtype=object) if n else np.zeros(0, dtype=object)
    at = _Positions(index)
    money = _money_keys(table)
    printed = {k: _amounts(table, k) for k in money}
    # the amounts the sums are checked on: the printed arrays, a column copied only when a row identity mends
    # it (``_mend``), so an unmended column is the very array the sums check read (~0,5 ms a column)
    eff = dict(printed)
    parent_row = t.parent_rows()
    result = BudgetAnalysis(table, t, money, printed, eff, at, uncertain=_uncertain_parents(t, rows),
                            levels=_by_row(at, t.level, missing=_NO_ROW), parent_row=parent_row)
    unreadable = _unreadable(table)
    amountless = np.logical_and.reduce([b for _, b in printed.values()]) if money else np.zeros(n, dtype=bool)
    counted = ~amountless
    counted[_subtotal_lines(t, printed, money)] = False
    result.amountless = set(rows[amountless].tolist())
    result.headings = set(rows[~counted].tolist())
    # each total's top-level rows (the rows it sums, as ``children`` has them): the rows of the shallowest
    # level placed without a parent, told from the tree's depths and total positions rather than by comparing
    # every row's level name (100.000 rows: ~2 ms)
    total_pos = np.asarray(t.totals, dtype=np.int64)
    placed = t.depth[t.depth > 0]
    top = rows[(t.depth == placed.min()) & (parent_row < 0)] if len(placed) else np.zeros(0, dtype=np.int64)
    covers = np.where(t.covers >= 0, rows[np.maximum(t.covers, 0)], -1) if n else t.covers
    for p in total_pos.tolist():
        r, start = int(rows[p]), int(covers[p])
        result.total_kids[r] = top if start < 0 else top[(top >= start) & (top < r)]
    parent_all = _parent_of(parent_row, total_pos, rows, result.total_kids, at)

    # the row tree as the sums check reads it, worked out here once from the same arrays: its grouping
    # of children serves every column, both passes below and the blame
    mask = (parent_row >= 0) & counted
    if at.first is not None:
        # consecutive rows: a parent's position orders it as its row does, so the parents and each child's
        # group number are read from the tree's parent positions by marking, with no sort (100.000 rows: ~4 ms)
        is_parent = np.zeros(n, dtype=bool)
        is_parent[t.parent[mask]] = True
        parent_at = np.flatnonzero(is_parent)
        parents, group = rows[parent_at], (np.cumsum(is_parent) - 1)[t.parent[mask]]
    else:
        parents, group = np.unique(parent_row[mask], return_inverse=True)
        parent_at = at.of(parents)
    totals = {r: kids[counted[at.of(kids)]] for r, kids in result.total_kids.items()}
    sum_tree = schema.SumTree(mask, group, parents, parent_at, totals,
                              [(at.one(r), at.of(covered)) for r, covered in totals.items()])

    # pass 1, on the amounts as printed: JUMLAH = Σ TW, the row identity (sisa, pengurangan), no negatives
    tws = sorted(k for k in money if k.startswith("realisasi_tw"))
    row_keys = money if periods else [k for k in money if k not in tws]  # the quarters are only summed in a realisasi table
    checked = {k: printed[k] for k in row_keys}
    unread_tw = sorted({r for r, f in unreadable if f in tws}) if periods else []
    if unread_tw:  # a quarter that could not be read leaves its row's JUMLAH unjudged
        p = at.of(unread_tw)
        p = p[p >= 0]
        for k in tws:
            v, b = checked[k][0].copy(), checked[k][1].copy()
            v[p], b[p] = 0, True
            checked[k] = (v, b)
    tree_columns = {"parent": (parent_row, parent_row < 0), "level": level, "covers_from": (covers, covers < 0),
                    "counted": counted}
    # the printed amounts with the row tree: the frame the sums are checked on too when nothing is mended
    as_printed = not unread_tw and row_keys == money
    rows_frame = _frame(index, {**checked, **tree_columns} if as_printed else checked)
    result.failed.update(failing_rows(schema.rows(skind, tuple(row_keys)), rows_frame,
                                      table=None if unread_tw else table))  # the amounts as read
    mended: set[str] = set()  # the columns whose amounts the row identities mended
    if periods and tws and "realisasi" in money:
        period_fails = result.failed.get("KX303", [])
        if period_fails:
            p = at.of(period_fails)
            tw_sum = sum(checked[k][0][p] for k in tws)
            for r, i, s in zip(period_fails, p.tolist(), tw_sum.tolist()):
                result.blames[(r, "realisasi")] = Blame("KX303", r, "realisasi", s, int(printed["realisasi"][0][i]))
            _mend(eff, printed, "realisasi", p, tw_sum)
            mended.add("realisasi")

    if diff is not None and all(k in money for k in (diff.minuend, diff.subtrahend, diff.result)):
        m_key, s_key, r_key = diff.minuend, diff.subtrahend, diff.result
        failed = result.failed.get(diff.code, [])
        if failed:
            from kinerja_validators.realisasi.schema import group_sums

            sums = {k: group_sums(eff[k][0][mask], eff[k][1][mask], group, len(parents)) for k in (m_key, s_key)}
            total_sums: dict[tuple[int, str], int | None] = {}

            def val(row: int, key: str) -> int | None:
                i = at.one(row)
                v, b = eff[key]
                return None if i < 0 or b[i] else int(v[i])

            def total_mismatch(row: int, key: str) -> int | None:
                """Own value − Σ of the rows it sums, for a total row (None when unknown)."""
                if (row, key) not in total_sums:  # computed once: a flat table has every row on top
                    own, vals = val(row, key), [val(c, key) for c in totals[row].tolist()]
                    total_sums[(row, key)] = None if own is None or not vals or None in vals else own - sum(vals)
                return total_sums[(row, key)]

            def mismatches(rows, key: str):
                """Own value − Σ children of each of ``rows`` (an int64 array, −1: none), and whether it is known (not
                where unknown or without children; a total: − Σ the rows it sums), in numpy for all of them."""
                out, known = np.zeros(len(rows), dtype=np.int64), np.zeros(len(rows), dtype=bool)
                if len(parents):
                    at_r, (g, found) = at.of(rows), _group_of(parents, rows)
                    pos, g = np.maximum(at_r, 0), np.minimum(g, len(parents) - 1)  # where not found: masked below
                    (v, b), (s, unknown) = eff[key], sums[key]
                    known = (at_r >= 0) & ~b[pos] & found & ~unknown[g]
                    out = v[pos] - s[g]
                if totals:
                    for i in np.flatnonzero(np.isin(rows, list(totals))).tolist():
                        d = total_mismatch(int(rows[i]), key)
                        out[i], known[i] = (0, False) if d is None else (d, True)
                return out, known

            # each failing row's cells and the mismatches of its own and its parent's sums, and from them which cell
            # breaks the identity, in numpy for all the rows at once rather than a step per row (1.400 rows: ~2 ms)
            rows_f = np.asarray(failed, dtype=np.int64)
            pos_f = at.of(rows_f)
            ps = parent_all[pos_f]  # −1: none (its mismatches are unknown)
            mv, sv, rv = (eff[k][0][pos_f] for k in (m_key, s_key, r_key))
            delta = rv - (mv - sv)
            (m_own, m_own_k), (m_up, m_up_k) = mismatches(rows_f, m_key), mismatches(ps, m_key)
            (s_own, s_own_k), (s_up, s_up_k) = mismatches(rows_f, s_key), mismatches(ps, s_key)
            ev_m = (m_own_k & (m_own == -delta)) | (m_up_k & (m_up == delta))
            ev_s = (s_own_k & (s_own == delta)) | (s_up_k & (s_up == -delta))
            blamed = np.where(ev_m & ~ev_s, 0, np.where(ev_s & ~ev_m, 1, 2))  # the minuend, subtrahend or result
            expected = np.where(blamed == 0, mv + delta, np.where(blamed == 1, sv - delta, mv - sv))
            fixes: dict[str, dict[int, int]] = {}
            keys = (m_key, s_key, r_key)
            for r, j, e, m, sb, rs in zip(failed, blamed.tolist(), expected.tolist(), mv.tolist(), sv.tolist(), rv.tolist()):
                key = keys[j]
                if (r, key) in result.blames:  # the JUMLAH already blamed for its periods
                    key, e = r_key, m - sb
                blame = Blame(diff.code, r, key, e, (m, sb, rs)[keys.index(key)])
                result.blames[(r, key)] = blame
                fixes.setdefault(key, {})[r] = e
            for key, values in fixes.items():
                p = at.of(list(values))
                _mend(eff, printed, key, p, np.array(list(values.values()), dtype=np.int64))
                mended.add(key)

    # parent = Σ children, total = Σ top level, on the mended values
    derived: dict[str, list[tuple[int, str]]] = {}
    if periods and tws and "realisasi" in money:
        derived["realisasi"] = [(1, k) for k in tws]
    if diff is not None and all(k in money for k in (diff.minuend, diff.subtrahend, diff.result)):
        derived[diff.result] = [(1, diff.minuend), (-1, diff.subtrahend)]
    order = [k for k in money if k not in derived] + [k for k in derived if k in money]
    if as_printed and not mended:
        tree_frame = rows_frame
    elif as_printed:  # the frame of pass 1 with the mended columns replaced: ~60 µs less than a frame anew
        tree_frame = rows_frame.assign(**{k: pd.arrays.IntegerArray(*eff[k]) for k in sorted(mended)})
    else:
        tree_frame = _frame(index, {**{k: eff[k] for k in money}, **tree_columns})
    schema.remember_tree(tree_frame, sum_tree)
    result.failed.update(failing_rows(schema.sums_schema(skind, tuple(money)), tree_frame,
                                      table=None if mended else table))  # nothing mended: as read
    result.sums = _sum_failures(result, sum_tree, parent_all, order, derived, schema.sum_check(skind))
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
    if not table.has("plafon") or not table.has("realisasi") or "plafon" not in a.amounts or "realisasi" not in a.amounts:
        return []
    headings = a.amountless
    plafon = a.values("plafon")
    realisasi = a.values("realisasi")
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
    headings = a.amountless
    unreadable = _unreadable(table)
    out = []
    for r, p, x in zip(table.frame.index, a.values("plafon"), a.values("realisasi")):
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

