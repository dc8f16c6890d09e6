"""The budget identities as pandera schemas (realisasi and refocusing tables).

Frames are indexed by Excel row; money columns are ``Int64`` sen. Checks:

- ``kx_period_sum``: realisasi JUMLAH = Σ realisasi TW I … IV (a row with no
  quarter filled in is not judged);
- ``kx_difference``: sisa = plafon − realisasi (realisasi counted as Σ of its
  quarters where the table splits it), pengurangan = awal − refokusing;
- ``kx_not_negative``: plafon, pagu and realisasi are never negative;
- ``kx_sums``: every parent row = Σ of its direct children, and TOTAL /
  JUMLAH = Σ of the top-level rows it covers, per column;
- ``kx_not_above``: realisasi ≤ plafon;
- ``kx_serapan``: % serapan = realisasi / plafon × 100 within half a unit of
  the last printed digit (a fraction 0,7708 shown as 77,08% also agrees);
- ``kx_rolled_serapan``: a parent or total row printing only its % = Σ
  realisasi / Σ plafon of the rows under it (never their mean).

The sum checks read the row tree from the columns ``parent`` (Excel row of
the row each sums into), ``level``, ``covers_from`` and ``counted``; on a
frame without them (a user's own frame with ``no``/``kode``/``uraian``) they
infer it with ``hierarchy``.

The rules run the checks in two passes (``rows`` then ``sums``): a cell
blamed for its row identity is mended before the sums are checked, so one
wrong sisa is not reported again as a wrong sum on its parent.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from kinerja_validators._pandera import RULE_FAILURE_CASES, register

TW_KEYS = tuple(f"realisasi_tw{n}" for n in "1234")
MONEY_KEYS = ("plafon", "realisasi", *TW_KEYS, "sisa", "awal", "refokusing", "pengurangan")
NEVER_NEGATIVE = ("plafon", "realisasi", *TW_KEYS, "awal", "refokusing")  # sisa, pengurangan: see KX304, KX502
DIFFERENCES = {"realisasi": ("KX301", "plafon", "realisasi", "sisa"),
               "refocusing": ("KX501", "awal", "refokusing", "pengurangan")}
TOTAL_CODE = {"realisasi": "KX402", "refocusing": "KX503"}
COLUMNS = {"realisasi": ("plafon", "realisasi", *TW_KEYS, "sisa"), "refocusing": ("awal", "refokusing", "pengurangan")}
DESCRIPTION = {
    "plafon": "Plafon / pagu anggaran (sen)", "realisasi": "Realisasi keuangan, kumulatif (sen)",
    "sisa": "Sisa anggaran (sen)", "awal": "Pagu awal (sen)", "refokusing": "Pagu setelah refokusing (sen)",
    "pengurangan": "Besaran pengurangan (sen)", "serapan": "% serapan (satuan persen)",
    **{k: f"Realisasi TW {r} (sen)" for k, r in zip(TW_KEYS, ("I", "II", "III", "IV"))},
}


def _periods(frame) -> list[str]:
    return [k for k in TW_KEYS if k in frame.columns]


def amounts(col):
    """An amount column (a Series or its array) as numpy: (int64 values, 0 where blank; bool blank mask); None
    when it does not hold integers (a user's float column is judged by pandas arithmetic instead).

    The checks compute on these: on a seed-sized table each pandas operation costs more than the sum itself.
    """
    import numpy as np

    arr = getattr(col, "array", col)  # a Series, or a column's own array (Table.array)
    if arr.dtype.kind not in "iu":
        return None
    # an Int64 column's own buffers (pandas' masked array: values and mask), read without the
    # copies and checks of to_numpy(); anything else through the public conversion
    data, mask = getattr(arr, "_data", None), getattr(arr, "_mask", None)
    if isinstance(data, np.ndarray) and isinstance(mask, np.ndarray) and data.dtype == np.int64 and mask.shape == data.shape:
        return (np.where(mask, 0, data) if mask.any() else data), mask
    if isinstance(arr, np.ndarray):  # plain integers: nothing blank
        return arr.astype(np.int64, copy=False), np.zeros(len(arr), dtype=bool)
    return arr.to_numpy(dtype=np.int64, na_value=0), np.asarray(arr.isna(), dtype=bool)


def _ints(col):
    """Any column as int64 (0 where blank) and its blank mask, as the sums read it."""
    import numpy as np

    return col.to_numpy(dtype=np.int64, na_value=0), np.asarray(col.isna(), dtype=bool)


def _verdict(ok, frame, unjudged=None):
    """A check's answer per row of ``frame``, by position: plain numpy booleans, or nullable ones
    (``<NA>`` on the ``unjudged`` rows, as pandas' own comparisons of ``Int64`` columns answer, so the
    coverage counts the rows judged). Arrays, not Series: ``_pandera.register`` reads them by position,
    and a Series around each of a seed table's dozen answers cost more than the arithmetic."""
    import pandas as pd

    return ok if unjudged is None else pd.arrays.BooleanArray(ok, unjudged)


def period_total(frame):
    """Σ of the quarter columns per row (``Int64``); ``<NA>`` where no quarter holds a value."""
    tws = _periods(frame)
    quarters = frame[tws]
    known = quarters.notna().any(axis=1)
    return quarters.fillna(0).sum(axis=1).astype("Int64").mask(~known)


def _period_amounts(frame):
    """``period_total`` as (int64 values, blank mask), None when a quarter does not hold integers."""
    import numpy as np

    total, blank = np.zeros(len(frame), dtype=np.int64), np.ones(len(frame), dtype=bool)
    for k in _periods(frame):
        a = amounts(frame[k])
        if a is None:
            return None
        total += a[0]
        blank &= a[1]
    return total, blank


def _effective_amounts(frame, key: str):
    """``effective`` as (int64 values, blank mask), None when a column does not hold integers."""
    import numpy as np

    own = amounts(frame[key])
    if own is None or key != "realisasi" or not _periods(frame):
        return own
    periods = _period_amounts(frame)
    if periods is None:
        return None
    (v, blank), (total, none) = own, periods
    differs = ~none & ~blank & (total != v)
    return np.where(differs, total, v), blank


def effective(frame, key: str):
    """The column as the row identities read it: a realisasi split by quarter is Σ TW where the two differ."""
    if key != "realisasi" or not _periods(frame):
        return frame[key]
    total = period_total(frame)
    differs = (total.notna() & (total != frame[key])).fillna(False)
    return frame[key].mask(differs, total)


def period_sum(frame):
    """Realisasi JUMLAH = Σ realisasi TW I … TW IV (a blank quarter counts as nothing)."""
    if not _periods(frame) or "realisasi" not in frame.columns:
        return True
    own, periods = amounts(frame["realisasi"]), _period_amounts(frame)
    if own is None or periods is None:
        return frame["realisasi"] == period_total(frame)
    return _verdict(own[0] == periods[0], frame, own[1] | periods[1])


def difference(frame, *, minuend: str, subtrahend: str, result: str):
    """``result = minuend − subtrahend`` on every row (sisa = plafon − realisasi)."""
    if any(k not in frame.columns for k in (minuend, subtrahend, result)):
        return True
    m, s, r = amounts(frame[minuend]), _effective_amounts(frame, subtrahend), amounts(frame[result])
    if m is None or s is None or r is None:
        return frame[result] == frame[minuend] - effective(frame, subtrahend)
    return _verdict(r[0] == m[0] - s[0], frame, m[1] | s[1] | r[1])  # a blank cell is not judged


def not_negative(frame, *, key: str):
    """``key ≥ 0`` (plafon, pagu and realisasi amounts)."""
    if key not in frame.columns:
        return True
    a = amounts(frame[key])
    if a is None:
        return frame[key] >= 0
    return _verdict(a[0] >= 0, frame, a[1])


def not_above(frame, *, key: str, limit: str):
    """``key ≤ limit`` where the limit is not negative (realisasi within its plafon)."""
    if key not in frame.columns or limit not in frame.columns:
        return True
    x, p = amounts(frame[key]), amounts(frame[limit])
    if x is None or p is None:
        return ~((frame[key] > frame[limit]) & (frame[limit] >= 0))
    # as pandas' three-valued logic answers ~((x > p) & (p ≥ 0)): known where either side is known false
    above, limit_ok = x[0] > p[0], p[0] >= 0
    above_false, limit_false = ~x[1] & ~p[1] & ~above, ~p[1] & ~limit_ok
    both_true = ~x[1] & ~p[1] & above & limit_ok
    return _verdict(~both_true, frame, ~(above_false | limit_false | both_true))


# --------------------------------------------------------------------------- the row tree


def with_hierarchy(frame):
    """``frame`` with the tree columns the sum checks read, inferred by ``hierarchy`` when absent."""
    if "parent" in frame.columns:
        return frame
    from kinerja_validators.realisasi.hierarchy import hierarchy

    h = hierarchy(frame)
    money = [k for k in MONEY_KEYS if k in frame.columns]
    counted = ~frame[money].isna().all(axis=1) if money else True
    return frame.assign(parent=h["parent"], level=h["level"], covers_from=h["covers_from"], counted=counted)


def group_sums(values, blank, group, n: int):
    """Σ of int64 ``values`` per group number (exact int64 sen) and whether a member was blank."""
    import numpy as np

    sums = np.zeros(n, dtype=np.int64)
    np.add.at(sums, group, values)
    unknown = np.zeros(n, dtype=bool)
    unknown[group[blank]] = True
    return sums, unknown


@dataclass(frozen=True, eq=False)
class SumTree:
    """The row tree as the sum checks read it, by frame position."""

    mask: Any       # rows that sum into a parent (and are counted)
    group: Any      # their parent, as a group number
    parents: Any    # the parent rows (Excel rows), one per group number
    parent_at: Any  # their positions in the frame
    totals: dict    # total row -> the top-level rows it sums (Excel rows)
    total_at: list  # (position of a total row, positions of the rows it sums)
    # a column's buffers -> its child sums (``child_sums_of``): the check and the blame read the same columns
    sums: dict = field(default_factory=dict, repr=False)


def child_sums_of(tree: SumTree, values, blank):
    """``group_sums`` of the counted children's ``values`` (int64 sen, blank mask) per parent of ``tree``, worked
    out once per column: the sums check and then the blame of its failures ask for the same (100.000 rows:
    ~1 ms a column). A column is known by its buffers (a frame hands out views of the arrays it was built
    from), which the memo keeps alive so that no other array takes their place; nobody writes them between."""
    key = (_buffer(values), _buffer(blank))
    kept = tree.sums.get(key)
    if kept is not None:
        return kept[2]
    out = group_sums(values[tree.mask], blank[tree.mask], tree.group, len(tree.parents))
    tree.sums[key] = (values, blank, out)
    return out


def _buffer(a) -> tuple:
    """Where an array's values are, and how they are laid out."""
    return a.__array_interface__["data"][0], a.dtype.str, a.shape, a.strides


_tree_memo: list = [None, None]  # [weak reference to the frame, its tree]: every column's check reads the same tree


def remember_tree(frame, tree: SumTree) -> None:
    """``tree`` is ``frame``'s (worked out by the caller from the same rows): ``tree_of`` need not read it again."""
    import weakref

    _tree_memo[:] = [weakref.ref(frame), tree]


def tree_of(frame) -> SumTree:
    """The sums' row tree of ``frame`` (columns ``parent``, ``level``, ``covers_from``, ``counted``),
    worked out once per frame: each column's sums check of one validation gets the same frame."""
    import numpy as np

    ref, tree = _tree_memo
    if ref is not None and ref() is frame:
        return tree
    parent = frame["parent"]
    mask = parent.notna().to_numpy(dtype=bool)
    if "counted" in frame.columns:
        mask = mask & frame["counted"].to_numpy(dtype=bool)
    parents, group = np.unique(parent.to_numpy(dtype=np.int64, na_value=0)[mask], return_inverse=True)
    totals = total_rows(frame)
    position = frame.index.get_indexer
    tree = SumTree(mask, group, parents, position(parents), totals,
                   [(position([t])[0], position(rows)) for t, rows in totals.items()])
    remember_tree(frame, tree)
    return tree


def child_sums(frame, key: str):
    """(parent rows, Σ of their counted children's ``key`` as int64 sen, whether a child's value is unknown)."""
    import numpy as np

    tree = tree_of(frame)
    values, blank = amounts(frame[key]) or _ints(frame[key])
    sums, unknown = group_sums(values[tree.mask], blank[tree.mask], tree.group, len(tree.parents))
    return tree.parents, sums, unknown


def total_rows(frame) -> dict[int, Any]:
    """Each total row -> the top-level rows it sums (a JUMLAH after an earlier one: its own block)."""
    import numpy as np

    from kinerja_validators.realisasi.hierarchy import _isna, top_level_rows

    level = frame["level"].to_numpy()
    totals = frame.index[level == "total"].tolist()
    if not totals:
        return {}
    top = np.asarray(top_level_rows(frame), dtype=np.int64)
    if "counted" in frame.columns:
        top = top[frame["counted"].to_numpy(dtype=bool)[frame.index.get_indexer(top)]]
    covers = frame["covers_from"]
    out = {}
    for t in totals:
        start = covers[t]
        out[int(t)] = top if _isna(start) else top[(top >= int(start)) & (top < t)]
    return out


def sums(frame, *, keys: list[str]):
    """Every parent row = Σ of its direct children, every TOTAL / JUMLAH row = Σ of the top-level
    rows it covers, in each of the ``keys`` columns; judged where the row's and all those values are
    known. A row fails when one of its columns does (``sums_of`` tells which)."""
    import numpy as np

    frame = with_hierarchy(frame)
    ok = np.ones(len(frame), dtype=bool)
    for key in keys:
        if key in frame.columns:
            ok &= sums_of(frame, key)
    return _verdict(ok, frame)


def sums_of(frame, key: str):
    """``sums`` for one column, as a boolean numpy array over the frame's rows."""
    import numpy as np

    values, blank = amounts(frame[key]) or _ints(frame[key])
    tree = tree_of(frame)
    child_total, unknown = child_sums_of(tree, values, blank)
    at = tree.parent_at
    found = at >= 0  # a parent row outside the frame (a user's frame) is not judged
    here = np.where(found, at, 0)
    bad = found & ~blank[here] & ~unknown & (values[here] != child_total)
    ok = np.ones(len(frame), dtype=bool)
    ok[at[bad]] = False
    for t, covered in tree.total_at:
        if len(covered) and not blank[t] and not blank[covered].any() and values[t] != values[covered].sum():
            ok[t] = False
    return ok


# --------------------------------------------------------------------------- serapan %

_HALF_UNIT = [0.5 * 10 ** -d + 1e-9 for d in range(5)]  # as the rules compute them, digit for digit


def float_decimals(v: float) -> int:
    """Decimals of a float as Python prints it (15 for exponent notation)."""
    s = repr(float(v))
    if "e" in s or "E" in s:
        return 15
    frac = s.partition(".")[2]
    return 0 if frac in ("", "0") else len(frac)


def serapan(frame, *, tolerance: float = 0.005):
    """% serapan = realisasi / plafon × 100 within half a unit of its last printed digit.

    Read as percent units (77,08) or as a fraction (0,7708 formatted 77,08%);
    more than four printed decimals are a raw formula result, compared with
    ``tolerance``. Rows without a plafon above zero are not judged.
    """
    import numpy as np
    import pandas as pd

    if any(k not in frame.columns for k in ("plafon", "realisasi", "serapan")):
        return True
    p, x, v = frame["plafon"], effective(frame, "realisasi"), frame["serapan"]
    judged = ((p > 0) & x.notna() & v.notna()).to_numpy(dtype=bool, na_value=False)
    ok = np.ones(len(frame), dtype=bool)
    if not judged.any():
        return pd.Series(ok, index=frame.index)
    pv = p.to_numpy(dtype=np.float64, na_value=np.nan)[judged]
    xv = x.to_numpy(dtype=np.float64, na_value=np.nan)[judged]
    vv = v.to_numpy(dtype=np.float64, na_value=np.nan)[judged]
    expected = xv / pv * 100
    if "serapan__dp" in frame.columns:
        dp = frame["serapan__dp"].to_numpy(dtype=np.float64, na_value=np.nan)[judged]
    else:
        dp = np.full(len(vv), np.nan)
    digits = np.array([int(d) if d == d else float_decimals(val) for d, val in zip(dp.tolist(), vv.tolist())],
                      dtype=np.int64)

    def tol(d):
        return np.array([tolerance if k > 4 else _HALF_UNIT[k] for k in d.tolist()], dtype=np.float64)

    agree = (np.abs(vv - expected) <= tol(digits)) | (np.abs(vv * 100 - expected) <= tol(np.maximum(digits - 2, 0)))
    ok[np.flatnonzero(judged)] = agree
    return pd.Series(ok, index=frame.index)


def rolled_up(frame, keys=("plafon", "realisasi")):
    """``frame`` with each of ``keys`` filled in where a parent or total row leaves it blank: Σ of the
    rows under it (themselves filled in the same way), when every one of them is known.

    Sumatera Utara's LKj prints a program row with only its % (its amounts are in the sub kegiatan
    rows): that % is Σ realisasi / Σ anggaran of the rows under it. A line without any amount and
    nothing under it (a heading) adds nothing; one with some amounts but not this one leaves its
    parent unknown.
    """
    import numpy as np
    import pandas as pd

    from kinerja_validators.realisasi.hierarchy import DEPTH

    keys = [k for k in keys if k in frame.columns]
    blank = frame[keys].isna().to_numpy(dtype=bool) if keys else np.zeros((len(frame), 0), dtype=bool)
    if not blank.any():
        return frame  # every amount printed, the usual sheet: nothing to fill, nothing more to pay
    frame = with_hierarchy(frame)
    n = len(frame)
    par = frame["parent"].to_numpy(dtype=np.int64, na_value=-1)
    child_pos = np.flatnonzero(par >= 0)
    parent_pos = frame.index.get_indexer(par[child_pos])
    totals = tree_of(frame).totals
    is_parent = np.zeros(n, dtype=bool)
    is_parent[parent_pos] = True
    is_parent[frame.index.get_indexer(list(totals))] = True
    if not (blank.any(axis=1) & is_parent).any():
        return frame
    money = [k for k in MONEY_KEYS if k in frame.columns]
    no_amount = frame[money].isna().all(axis=1).to_numpy(dtype=bool)
    depth = np.array([DEPTH.get(lv, 0) for lv in frame["level"].tolist()], dtype=np.int64)
    out = {}
    for j, key in enumerate(keys):
        values = frame[key].to_numpy(dtype=np.int64, na_value=0).copy()
        known = ~blank[:, j]
        filled = np.zeros(n, dtype=bool)  # a heading row that now stands for the rows under it
        for d in sorted(set(DEPTH.values()) - {max(DEPTH.values())}, reverse=True):  # the deepest parents first
            todo = np.flatnonzero(~known & is_parent & (depth == d))
            if not len(todo):
                continue
            take = np.isin(parent_pos, todo)
            c, p = child_pos[take], parent_pos[take]
            skip = no_amount[c] & ~filled[c]  # a heading with nothing under it
            c, p = c[~skip], p[~skip]
            sums, unknown = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
            counts = np.zeros(n, dtype=np.int64)
            np.add.at(sums, p, values[c])
            np.add.at(counts, p, 1)
            unknown[p[~known[c]]] = True
            done = todo[(counts[todo] > 0) & ~unknown[todo]]
            values[done], known[done], filled[done] = sums[done], True, True
        position = frame.index.get_indexer
        for t, rows in totals.items():
            at, covered = position([t])[0], position(rows)
            if not known[at] and len(covered) and known[covered].all():
                values[at], known[at] = values[covered].sum(), True
        out[key] = pd.arrays.IntegerArray(values, ~known)
    return frame.assign(**out)


def rolled_serapan(frame, *, tolerance: float = 0.005):
    """A parent's or total's % printed without its own amounts = Σ realisasi / Σ plafon of the rows
    under it (``rolled_up``), never the mean of their percentages; rows with their own amounts are
    ``serapan``'s."""
    import numpy as np
    import pandas as pd

    if any(k not in frame.columns for k in ("plafon", "realisasi", "serapan")):
        return True
    own = (frame["plafon"].notna() & frame["realisasi"].notna()).to_numpy(dtype=bool, na_value=False)
    if own.all():
        return True
    rolled = rolled_up(frame)
    ok = serapan(rolled, tolerance=tolerance).to_numpy(dtype=bool)
    return pd.Series(np.where(own, True, ok), index=frame.index)


# --------------------------------------------------------------------------- schemas


def sum_check(kind: str) -> str:
    """The ``error`` (name) of the sums check."""
    return f"KX401/{TOTAL_CODE[kind]}"


def _register() -> None:
    register("kx_period_sum", [], period_sum)
    register("kx_difference", ["minuend", "subtrahend", "result"], difference)
    register("kx_not_above", ["key", "limit"], not_above)
    register("kx_not_negative", ["key"], not_negative)
    register("kx_sums", ["keys"], sums)
    register("kx_serapan", ["tolerance"], serapan)
    register("kx_rolled_serapan", ["tolerance"], rolled_serapan)


def _columns(kind: str, pa) -> dict[str, Any]:
    """The columns, for documentation and users' frames (the rules' schemas skip their per-column validation)."""
    out = {k: pa.Column("Int64", nullable=True, required=False, description=DESCRIPTION[k]) for k in COLUMNS[kind]}
    if kind == "realisasi":
        out["serapan"] = pa.Column("Float64", nullable=True, required=False, description=DESCRIPTION["serapan"])
    return out


def _row_checks(kind: str, n: int | None, pa, present: tuple[str, ...] | None = None) -> list:
    """The row checks; with ``present`` only those that can fail on a frame of those columns
    (each check costs pandera ~1–2 ms on 100.000 rows even when it has nothing to read)."""
    code, m, s, r = DIFFERENCES[kind]
    have = set(COLUMNS[kind] if present is None else present)
    periods = kind == "realisasi" and "realisasi" in have and bool(have.intersection(TW_KEYS))
    checks = [pa.Check.kx_period_sum(error="KX303", n_failure_cases=n, ignore_na=False)] if periods else []
    if {m, s, r} <= have:
        checks.append(pa.Check.kx_difference(minuend=m, subtrahend=s, result=r, error=code, n_failure_cases=n,
                                             ignore_na=False))
    return checks + [pa.Check.kx_not_negative(key=k, error=f"KX305:{k}", n_failure_cases=n, ignore_na=False)
                     for k in COLUMNS[kind] if k in NEVER_NEGATIVE and k in have]


def _sum_checks(kind: str, n: int | None, pa, present: tuple[str, ...] | None = None) -> list:
    have = set(COLUMNS[kind] if present is None else present)
    # one check over every column: pandera's report of a failing check costs ~3–5 ms, whatever its size;
    # which column of a failing row is off is the blame's business (analysis._sum_failures)
    keys = [k for k in COLUMNS[kind] if k in have]
    checks = [pa.Check.kx_sums(keys=keys, error=sum_check(kind), n_failure_cases=n, ignore_na=False)] if keys else []
    if kind == "realisasi" and {"realisasi", "plafon"} <= have:
        checks.append(pa.Check.kx_not_above(key="realisasi", limit="plafon", error="KX304", n_failure_cases=n, ignore_na=False))
    return checks


@functools.lru_cache(maxsize=64)
def rows(kind: str, present: tuple[str, ...] | None = None):
    """The row identities and amount bounds the rules check first, on the amounts as printed
    (``present``: the table's money columns; the checks that read none of them are left out)."""
    import pandera.pandas as pa

    _register()
    return pa.DataFrameSchema(checks=_row_checks(kind, RULE_FAILURE_CASES, pa, present), name=f"{kind}-rows")


@functools.lru_cache(maxsize=64)
def sums_schema(kind: str, present: tuple[str, ...] | None = None):
    """Parent and total sums (and realisasi within plafon), on the amounts mended by the row identities."""
    import pandera.pandas as pa

    _register()
    return pa.DataFrameSchema(checks=_sum_checks(kind, RULE_FAILURE_CASES, pa, present), name=f"{kind}-sums")


@functools.lru_cache(maxsize=8)
def serapan_schema(tolerance: float):
    import pandera.pandas as pa

    _register()
    return pa.DataFrameSchema(checks=[pa.Check.kx_serapan(tolerance=tolerance, error="KX302",
                                                          n_failure_cases=RULE_FAILURE_CASES, ignore_na=False)], name="serapan")


@functools.lru_cache(maxsize=8)
def rolled_serapan_schema(tolerance: float):
    """The % of parent rows printed without their own amounts (on a frame with the row tree)."""
    import pandera.pandas as pa

    _register()
    return pa.DataFrameSchema(checks=[pa.Check.kx_rolled_serapan(tolerance=tolerance, error="KX302",
                                                                 n_failure_cases=RULE_FAILURE_CASES, ignore_na=False)],
                              name="serapan-rolled-up")


def full(kind: str, tolerance: float = 0.005):
    """Every identity of the table in one schema, with pandera's full failure cases: for users' own pipelines."""
    import pandera.pandas as pa

    _register()
    checks = _row_checks(kind, None, pa) + _sum_checks(kind, None, pa)
    if kind == "realisasi":
        checks.append(pa.Check.kx_serapan(tolerance=tolerance, error="KX302", ignore_na=False))
        checks.append(pa.Check.kx_rolled_serapan(tolerance=tolerance, error="KX302", ignore_na=False))
    titles = {"realisasi": "Realisasi anggaran: program / kegiatan / sub kegiatan",
              "refocusing": "Pagu sebelum dan sesudah refocusing"}
    return pa.DataFrameSchema(_columns(kind, pa), checks=checks, name=kind, description=titles[kind])


def realisasi():
    return full("realisasi")


def refocusing():
    return full("refocusing")
