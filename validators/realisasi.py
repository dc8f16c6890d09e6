"""Realisasi anggaran: program / kegiatan / sub kegiatan with plafon, realisasi, sisa.

Identities: sisa = plafon − realisasi on every row; a parent row is the sum of
its direct children; TOTAL = Σ programs; serapan % = realisasi / plafon.

``hierarchy(table)`` (public, also used by the PK and refocusing checks)
places every row: program rows are lettered (A, B, …), kegiatan Roman (I, II,
…), sub kegiatan numbered (1, 2, …), rincian lines unnumbered (outline
numbering 1 / 1.1 / 1.1.1 is read by depth when no letters are used); kode prefixes
(``7.01.01`` program, ``7.01.01.2.01`` kegiatan, ``7.01.01.2.01.02`` sub
kegiatan) and the uraian text (``PROGRAM …``) help where the NO column is
missing or ambiguous (``C``, ``D``, ``I``, ``V`` are letters and numerals).
"""

from __future__ import annotations

import decimal
import functools
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kinerja_xl.findings import Percent
from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rule, rules_in
from kinerja_xl.tables import LABEL, MONEY, PERCENT, TEXT, Field, TableSpec, fold, rupiah

_TW = {"1": "I|1", "2": "II|2", "3": "III|3", "4": "IV|4"}
_TW_WORD = r"(TW|TRW|TRIWULAN|TRIBULAN|TRI WULAN|TRI BULAN) ?"


def _one_period_is_the_realisasi(found: dict[str, int]) -> dict[str, int]:
    """'REALISASI TW III' standing alone (no JUMLAH, no other quarter) is the table's realisasi."""
    periods = [k for k in found if k.startswith("realisasi_tw")]
    if "realisasi" not in found and len(periods) == 1:
        found = dict(found)
        found["realisasi"] = found.pop(periods[0])
    return found


SPEC = TableSpec(
    kind="realisasi",
    title_id="Realisasi Anggaran",
    title_en="Budget realisation",
    fields=(
        Field("no", (r"NO", r"NOMOR", r"NO URUT"), LABEL),
        Field("kode", (r"KODE( REKENING| PROGRAM| KEGIATAN| SUB KEGIATAN)*",), TEXT),
        Field("uraian", (r"(NAMA )?PROGRAM( KEGIATAN)?( SUB KEGIATAN)?( RINCIAN)?", r"URAIAN.*", r"NAMA PROGRAM.*"), TEXT, required=True),
        Field("plafon", (r"(PLAFON|PAGU|ALOKASI)( ANGGARAN)?( RP)?", r"ANGGARAN( RP)?"), MONEY, required=True),
        # realisasi split into periods: TW I … TW IV beside a JUMLAH column
        *(Field(f"realisasi_tw{n}", (rf"REALISASI( KEUANGAN)?( RP)? {_TW_WORD}({roman})( RP)?",), MONEY)
          for n, roman in _TW.items()),
        Field("realisasi", (
            r"REALISASI( KEUANGAN)?( JUMLAH)?( RP)?( JUMLAH)?( RP)?",
            rf"REALISASI( KEUANGAN)?( RP)? (S ?D|SAMPAI DENGAN|KUMULATIF)( {_TW_WORD}(I|II|III|IV|1|2|3|4))?( RP)?",
        ), MONEY, required=True),
        Field("sisa", (r"SISA( ANGGARAN)?( RP)?",), MONEY),
        Field("serapan", (r"(%|PERSENTASE|PROSENTASE|PRESENTASE)( SERAPAN)?( %)?", r"SERAPAN( ANGGARAN)?( %)?",
                          r"REALISASI( KEUANGAN)?( RP)?( SERAPAN| PERSENTASE| PROSENTASE| PRESENTASE)?( %)",
                          r"REALISASI( KEUANGAN)?( RP)? (SERAPAN|PERSENTASE|PROSENTASE|PRESENTASE)( %)?",
                          r"(%|PERSENTASE|PROSENTASE|PRESENTASE) REALISASI( KEUANGAN)?( %)?"), PERCENT),
    ),
    min_matched=3,
    resolve=_one_period_is_the_realisasi,
)
SPECS = [SPEC]


# --------------------------------------------------------------------------- hierarchy

LEVELS = ("total", "program", "kegiatan", "sub_kegiatan", "rincian")
DEPTH = {"program": 1, "kegiatan": 2, "sub_kegiatan": 3, "rincian": 4}
LEVEL_LABEL = {
    "id": {"total": "baris jumlah", "program": "program", "kegiatan": "kegiatan", "sub_kegiatan": "sub kegiatan",
           "rincian": "rincian"},
    "en": {"total": "total row", "program": "programme", "kegiatan": "activity", "sub_kegiatan": "sub-activity",
           "rincian": "detail line"},
}

_TOTAL = re.compile(r"(JUMLAH|TOTAL|GRAND TOTAL|SUB TOTAL)( TOTAL| KESELURUHAN| SELURUHNYA| ANGGARAN| BELANJA| PAGU)*( RP)?")
# 'JUMLAH PROGRAM A', 'Sub Total Kegiatan …': a line under a program's (kegiatan's) rows that repeats its amounts
_SUBTOTAL = re.compile(r"(JUMLAH|TOTAL|SUB ?TOTAL) (PROGRAM|KEGIATAN|SUB KEGIATAN)\b")
_SUBTOTAL_LEVEL = {"PROGRAM": "program", "KEGIATAN": "kegiatan", "SUB KEGIATAN": "sub_kegiatan"}
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_BULLET = {"-", "•", "*", "·", "–", "o"}


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += numeral
            n -= value
    return out


_FLOAT_INT = re.compile(r"\d+\.0")
_DOTTED = re.compile(r"\d+(\.\d+)+")
_OUTLINE = ("program", "kegiatan", "sub_kegiatan", "rincian")
_NO_PUNCT = re.compile(r"^[(\[]|[.)\]:]+$")
_RINCIAN_KODE = re.compile(r"[4-6]\.\d(\.\d+)+")
_TOTAL_START = ("JUM", "TOT", "GRA", "SUB TOT", "SUBTOT", "SUB-TOT")
_LEVEL_START = ("PROGRAM", "KEGIATAN", "SUB")


def _no_token(raw: Any) -> str:
    """'A.' / '(1)' / 'IV)' -> 'A' / '1' / 'IV'; blank -> ''."""
    if raw is None or raw.__class__.__name__ == "NAType" or (isinstance(raw, float) and raw != raw):  # None, pd.NA, NaN
        return ""
    s = str(raw).strip()
    if s.isalnum():
        return s
    if _FLOAT_INT.fullmatch(s):  # a number read as float text
        return s[:-2]
    return _NO_PUNCT.sub("", s).strip()


_KODE_LEVEL = re.compile(r"\d+\.\d\d\.\d+(?:(\.\d+\.\d+)(\.\d+)?)?")
# the level of a kode matched by a pattern grouped as _KODE_LEVEL is (group 1: the kegiatan part,
# group 2 inside it: the sub kegiatan part), read from the last group the match reached
LEVEL_BY_LASTINDEX = {None: "program", 1: "kegiatan", 2: "sub_kegiatan"}


def kode_level(kode: Any) -> str | None:
    """Level a kode stands for: ``7.01.01`` program, ``7.01.01.2.01`` kegiatan,
    ``7.01.01.2.01.02`` sub kegiatan, ``5.1.02.01.01.0024`` (belanja account) rincian."""
    if kode.__class__ is not str or not kode:
        return None
    # a clean program/kegiatan/sub kegiatan kode, the usual cell, needs no tidying (and is never
    # a belanja account: those have a one-digit second part)
    m = _KODE_LEVEL.fullmatch(kode)
    if m is None:
        k = kode.strip().strip(".,;:")
        if " " in k or "\t" in k:
            k = "".join(k.split())
        if not k or not k[0].isdigit():
            return None
        if k[1:2] == "." and k[2:3].isdigit() and k[3:4] == "." and k[0] in "456" and _RINCIAN_KODE.fullmatch(k):
            return "rincian"
        m = _KODE_LEVEL.fullmatch(k)
        if m is None:
            return None
    return LEVEL_BY_LASTINDEX[m.lastindex]


def _text_level(uraian: Any) -> str | None:
    if not isinstance(uraian, str) or not uraian.lstrip()[:8].upper().startswith(_LEVEL_START):
        return None  # cheap test first: folding every uraian of a 100.000-row sheet costs seconds
    t = fold(uraian)
    if t.startswith("SUB KEGIATAN "):
        return "sub_kegiatan"
    if t.startswith("PROGRAM "):
        return "program"
    if t.startswith("KEGIATAN "):
        return "kegiatan"
    return None


def _starts_like_total(text: str) -> bool:
    return text[:1] in "JjTtGgSs " and text.lstrip()[:7].upper().startswith(_TOTAL_START)


def _distinct(values: list) -> set | None:
    """The distinct values of a column; None when a cell value is unhashable."""
    try:
        return set(values)
    except TypeError:
        return None


def _per_distinct(func, values: list, distinct: set | None) -> list:
    """``[func(v) for v in values]`` with ``func`` worked out once per distinct text: a sheet
    repeats its texts (rincian lines named alike), and a dict lookup is cheaper than the test."""
    if distinct is None:  # an unhashable cell value: no shortcut
        return [func(v) for v in values]
    # texts and blanks (None) from the memo; anything else as it comes (1, 1.0 and True are
    # equal keys but different cells)
    memo = {v: func(v) for v in distinct if v.__class__ is str or v is None}
    return [memo[v] if v.__class__ is str or v is None else func(v) for v in values]


def _rows_where(test, values: list, distinct: set | None) -> list[int]:
    """Positions of the texts in ``values`` that pass ``test``, tested once per text of ``distinct``
    (every text that may pass; None: test every cell)."""
    if distinct is None:
        return [i for i, v in enumerate(values) if v.__class__ is str and test(v)]
    hits = {v for v in distinct if v.__class__ is str and test(v)}
    if not hits:
        return []
    if len(hits) <= 8:
        # a handful of texts (TOTAL, JUMLAH): their rows found by list.index, a scan in C
        # instead of a Python step per row
        try:
            return sorted(i for hit in hits for i in _positions(values, hit))
        except TypeError:  # a cell that cannot be compared with text (pandas.NA): the set test below
            pass
    try:
        return [i for i, v in enumerate(values) if v in hits]
    except TypeError:  # an unhashable cell value
        return [i for i, v in enumerate(values) if v.__class__ is str and test(v)]


def _positions(values: list, value: Any) -> list[int]:
    """Every position of ``value`` in ``values``."""
    out = []
    i = -1
    while True:
        try:
            i = values.index(value, i + 1)
        except ValueError:
            return out
        out.append(i)


def _no_level(tok: str, hint: str | None, outline: bool, last_letter: str, kegiatan_count: int) -> tuple[str | None, str | None]:
    """(level the NO token marks, 'unknown-no' or None) for a non-blank token.

    ``hint`` is the level the uraian text names; ``last_letter`` and ``kegiatan_count``
    follow the sequences so that C, D, I, L, M, V, X (letters and numerals) can be told apart.
    """
    if tok.isdigit():
        return ("program" if outline else None), None  # plain numbering: the kode or text decides
    if tok[0].isdigit() and _DOTTED.fullmatch(tok):
        return (_OUTLINE[min(tok.count("."), 3)] if outline else "rincian"), None
    if tok in _BULLET or (len(tok) == 1 and tok.islower()):
        return "rincian", None
    if (len(tok) == 1 and "A" <= tok <= "Z") or (tok.isupper() and tok.isalpha() and _ROMAN.fullmatch(tok)):
        is_roman = bool(_ROMAN.fullmatch(tok))
        if is_roman and len(tok) == 1:  # C, D, I, L, M, V, X: follow the sequences
            next_roman = _roman(kegiatan_count + 1)
            next_letter = chr(ord(last_letter) + 1) if last_letter else "A"
            if hint in ("program", "kegiatan"):
                return hint, None
            if tok == next_roman:
                return "kegiatan", None
            if tok == next_letter:
                return "program", None
            return ("kegiatan" if tok in ("I", "V", "X") else "program"), None
        # 'II. PROGRAM …': some reports number programs in Roman; the text decides
        return (hint if hint in ("program", "kegiatan") else ("kegiatan" if is_roman else "program")), None
    if len(tok) == 2 and tok.isalpha() and tok.isupper():
        return "program", None  # after Z: AA, AB, …
    return None, "unknown-no"


def is_total_row(*texts: Any) -> bool:
    """'TOTAL', 'JUMLAH', 'Jumlah Total (Rp)' in the NO, kode or uraian cell."""
    return any(_TOTAL.fullmatch(fold(t)) for t in texts
               if isinstance(t, str) and t.lstrip()[:7].upper().startswith(_TOTAL_START))


def hierarchy(table: Any):
    """Place every row of a budget table in the program tree.

    Returns a ``pandas.DataFrame`` indexed like ``table.frame`` (Excel row
    numbers) with columns:

    - ``level``: ``'total'``, ``'program'``, ``'kegiatan'``, ``'sub_kegiatan'``,
      ``'rincian'``, or ``None`` when the row could not be placed;
    - ``parent``: Excel row number of the direct parent (``<NA>`` for total
      rows, top-level rows and rows without a parent);
    - ``problem``: ``None``, or why the row is doubtful: ``'unknown-no'`` (NO
      text that is no letter, numeral or number), ``'no-parent'`` (e.g. a
      rincian line before any sub kegiatan), ``'conflict'`` (NO and kode
      disagree; the kode wins);
    - ``no_level``, ``kode_level``: what the NO column and the kode each said;
    - ``covers_from``: on a total row below the data, the first row it sums
      (a plain JUMLAH after an earlier one sums only its own block);
      ``<NA>`` for a TOTAL above the data, which sums every top-level row;
    - ``repeats``: on an unnumbered line that names a program, kegiatan or sub
      kegiatan ('JUMLAH PROGRAM A', 'Sub Total Kegiatan …'), the nearest row of
      that level above it, whose amounts such a line repeats; else ``<NA>``.

    Works for any table with some of the columns ``no``, ``kode``, ``uraian``
    (or ``program``) — realisasi, refocusing, PK program lists. Top-level rows are those of the
    shallowest level present without a parent; ``children(h)`` groups rows by
    parent and gives total rows the top-level rows as children.
    """
    import numpy as np  # lazily, as pandas: listing the rules should not pay for them
    import pandas as pd

    frame = table.frame if hasattr(table, "frame") else table
    n = len(frame)

    def column(key):
        return frame[key].tolist() if key in frame.columns else [None] * n

    text_key = next((k for k in ("uraian", "program", "kegiatan", "sub_kegiatan") if k in frame.columns), "uraian")
    nos, kodes, uraians = column("no"), column("kode"), column(text_key)
    has_no = "no" in frame.columns

    # NO numbering every row 1, 2, 3 … whatever its kode says is a plain count, not a level
    no_texts = _distinct(nos)
    tokens = _per_distinct(_no_token, nos, no_texts)  # a sheet has few distinct NO values, each worked out once
    # most rincian lines have no kode; a clean kode is placed by which groups its match reached,
    # without kode_level's call and group() look-ups (100.000 rows: 17 → 13 ms)
    clean = _KODE_LEVEL.fullmatch
    odd_kodes: set[str] = set()  # kodes without a level: the only ones that may read JUMLAH / TOTAL

    def unplaced(kode: str) -> str | None:
        level = kode_level(kode)
        if level is None:
            odd_kodes.add(kode)
        return level

    kode_levels = [(LEVEL_BY_LASTINDEX[m.lastindex] if (m := clean(k)) else unplaced(k)) if k.__class__ is str else None
                   for k in kodes]
    digit_kode_levels = {kl for tok, kl in zip(tokens, kode_levels) if tok.isdigit()} - {None}
    plain_numbering = len(digit_kode_levels) > 1
    # outline numbering 1 / 1.1 / 1.1.1 instead of A / I / 1: the depth is the number of parts
    token_set = set(tokens)  # a sheet has few distinct NO values: test those, not every row
    dotted = any(t and t[0].isdigit() and _DOTTED.fullmatch(t) for t in token_set)
    outline = dotted and not any(t and t[0].isalpha() for t in token_set)
    digit_level = None if plain_numbering else ("program" if outline else "sub_kegiatan")
    # preallocated: most rows have no problem and no NO level, so only the exceptions are written
    levels: list[str | None] = [None] * n
    problems: list[str | None] = [None] * n
    no_levels: list[str | None] = [None] * n
    k_levels: list[str | None] = list(kode_levels)
    last_letter = ""        # last program letter seen
    kegiatan_count = 0      # kegiatan seen under the current program
    # only texts that start like JUMLAH / TOTAL are folded and matched (a 100.000-row sheet has a few)
    # (a kode with a level starts with a digit, so only the odd ones are tested)
    uraian_texts = _distinct(uraians)
    maybe_total = {i for col, texts in ((nos, no_texts), (kodes, odd_kodes), (uraians, uraian_texts))
                   for i in _rows_where(_starts_like_total, col, texts)}
    text_levels = _per_distinct(_text_level, uraians, uraian_texts)  # the level the uraian names, if any
    for i in range(n):
        if i in maybe_total and is_total_row(nos[i], kodes[i], uraians[i]):
            levels[i] = "total"
            k_levels[i] = None
            continue
        tok = tokens[i]
        kl = kode_levels[i]
        # the two common cases first (a 100.000-row sheet is nearly all of them): an unnumbered
        # rincian line and a numbered sub kegiatan, neither of which needs the numbering state
        if not tok:
            level = kl or text_levels[i] or "rincian"
        elif digit_level is not None and tok.isdigit():
            no_levels[i] = digit_level
            level = kl or digit_level
            if level != digit_level:
                problems[i] = "conflict"
        else:
            hint = None if tok.isdigit() and not plain_numbering else text_levels[i]
            nl, problem = _no_level(tok, hint, outline, last_letter, kegiatan_count)
            if kl is not None:
                level = kl
                problem = "conflict" if nl is not None and nl != kl else None
            elif nl is not None:
                level = nl
            elif hint is not None:
                level, problem = hint, None
            elif problem is None:
                level = "rincian" if (not has_no or plain_numbering) else None
            else:
                level = None
            no_levels[i] = nl
            problems[i] = problem
        if level == "program":
            last_letter = tok if re.fullmatch(r"[A-Z]", tok or "") else (chr(ord(last_letter) + 1) if last_letter else "A")
            kegiatan_count = 0
        elif level == "kegiatan":
            kegiatan_count += 1
        levels[i] = level

    # parents: the nearest row above with a shallower level; belanja accounts nest by prefix
    # (5.1.02 > 5.1.02.01 > 5.1.02.01.01.0024), so a group account is not summed with its own parts
    depth = np.array([DEPTH.get(lv, 0) for lv in levels], dtype=np.int64)  # 0: a total or unplaced row
    placed = np.flatnonzero(depth)
    # a JUMLAH below the data closes the tree: the rows after it start afresh
    closing = [i for i in sorted(maybe_total) if levels[i] == "total" and placed.size and i > placed[0]]
    if "rincian" in kode_levels and any(kode_levels[i] == "rincian" and levels[i] == "rincian" for i in placed):
        parent_pos = _parents_by_stack(levels, kode_levels, kodes)
    else:
        parent_pos = _parents_by_depth(depth, closing)
    # the rows a total sums: a TOTAL above the data covers every top-level row; one below covers
    # those above it, a plain JUMLAH after an earlier one only its own block (a sub-total)
    covers = np.full(n, -1, dtype=np.int64)
    block_start: int | None = None
    for i in closing:
        label = " ".join(fold(t) for t in (nos[i], uraians[i]) if isinstance(t, str))
        grand = block_start is None or re.search(r"TOTAL|KESELURUHAN|SELURUH", label)
        covers[i] = 0 if grand else block_start
        block_start = i + 1 if i + 1 < n else None
    if placed.size:
        top = depth[placed].min()
        for i in np.flatnonzero((depth > 0) & (parent_pos < 0) & (depth != top)).tolist():
            if problems[i] is None:
                problems[i] = "no-parent"

    # a 'JUMLAH PROGRAM A' line below the program's rows (read as a rincian so far): the program it names
    repeats = np.full(n, -1, dtype=np.int64)
    for i in sorted(maybe_total):
        if levels[i] != "rincian":
            continue
        named = next((_SUBTOTAL_LEVEL[m.group(2)] for t in (uraians[i], nos[i])
                      if isinstance(t, str) and (m := _SUBTOTAL.match(fold(t)))), None)
        if named is not None:
            repeats[i] = next((k for k in range(i - 1, -1, -1) if levels[k] == named), -1)

    rows = frame.index.to_numpy()
    return pd.DataFrame(
        {
            "level": pd.Series(levels, index=frame.index, dtype=object),
            "parent": _row_numbers(rows, parent_pos),
            "problem": pd.Series(problems, index=frame.index, dtype=object),
            "no_level": pd.Series(no_levels, index=frame.index, dtype=object),
            "kode_level": pd.Series(k_levels, index=frame.index, dtype=object),
            # total rows only: the first row of the block a sub-total JUMLAH sums (<NA>: all top-level rows)
            "covers_from": _row_numbers(rows, covers),
            # a line that names a program or kegiatan ('JUMLAH PROGRAM A'): the row it names
            "repeats": _row_numbers(rows, repeats),
        },
        index=frame.index,
    )


def _row_numbers(rows, positions):
    """Excel row numbers of frame positions as an ``Int64`` array, ``<NA>`` where the position is −1."""
    import numpy as np
    import pandas as pd

    missing = positions < 0
    values = np.where(missing, 0, rows[np.where(missing, 0, positions)]) if len(rows) else positions
    return pd.arrays.IntegerArray(values.astype(np.int64), missing)


def _parents_by_depth(depth, closing: list[int]):
    """Position of each row's parent (−1: none): the last row above, since the last closing total,
    with a shallower level (depth 1–4; 0 for totals and unplaced rows, which are nobody's parent).

    The same as walking down the sheet with a stack of open rows, without a Python step per row.
    """
    import numpy as np

    n = len(depth)
    pos = np.arange(n)
    closed_at = np.full(n, -1)
    closed_at[closing] = closing
    since = np.maximum.accumulate(closed_at)  # the last closing total at or above each row
    parent = np.full(n, -1)
    for d in range(1, max(DEPTH.values())):
        last = np.maximum.accumulate(np.where(depth == d, pos, -1))  # last row of depth d at or above
        above = np.concatenate(([-1], last[:-1]))
        take = (depth > d) & (above > since) & (above > parent)
        parent[take] = above[take]
    return parent


def _parents_by_stack(levels: list, kode_levels: list, kodes: list):
    """``_parents_by_depth`` for tables with belanja accounts, which nest by kode prefix as well."""
    import numpy as np

    parent = np.full(len(levels), -1)
    stack: list[tuple[float, int, str | None]] = []  # (depth, position, account kode)
    seen_data = False
    for i, level in enumerate(levels):
        if level == "total":
            if seen_data:
                stack = []  # a JUMLAH at the bottom closes the tree
            continue
        if level is None:
            continue
        seen_data = True
        d: float = DEPTH[level]
        account = None
        if level == "rincian" and kode_levels[i] == "rincian":
            account = "".join(str(kodes[i]).split()).strip(".,;:")
            d += account.count(".") / 100
        while stack and (stack[-1][0] >= d or (account and stack[-1][2] and not account.startswith(stack[-1][2] + "."))):
            stack.pop()
        if stack:
            parent[i] = stack[-1][1]
        stack.append((d, i, account))
    return parent


def top_level_rows(h) -> list[int]:
    """Rows a total row sums: the shallowest level present, without a parent."""
    # one numpy comparison per level name instead of mapping every row's level through DEPTH
    level = h["level"].to_numpy()
    for name in _OUTLINE:  # shallowest first
        at = level == name
        if at.any():
            rows = h.index[at & h["parent"].isna().to_numpy(dtype=bool)]
            return rows.tolist() if rows.dtype.kind == "i" else [int(r) for r in rows]
    return []


def _isna(v: Any) -> bool:
    import pandas as pd

    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def children(h) -> dict[int, list[int]]:
    """Parent row -> its direct child rows, in sheet order; total rows get the top-level rows."""
    import numpy as np

    parent = h["parent"]
    has = parent.notna().to_numpy(dtype=bool)
    child_rows = h.index.to_numpy()[has]
    parents = parent.to_numpy(dtype=np.int64, na_value=0)[has]
    # grouped with a stable sort instead of a dict append per row: 100.000 rows 16 → 8 ms
    order = np.argsort(parents, kind="stable")  # each parent's children together, in sheet order
    grouped = parents[order]
    starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1]))) if len(grouped) else grouped
    ends = np.append(starts[1:], len(grouped))
    first = np.argsort(order[starts], kind="stable")  # parents in the order their first child comes
    rows = child_rows[order].tolist()
    out: dict[int, list[int]] = {p: rows[a:b] for p, a, b in
                                 zip(grouped[starts][first].tolist(), starts[first].tolist(), ends[first].tolist())}
    top = top_level_rows(h)
    covers = h["covers_from"] if "covers_from" in h.columns else None
    for r in h.index[h["level"].to_numpy() == "total"].tolist():
        start = None if covers is None or _isna(covers[r]) else int(covers[r])
        out[r] = list(top) if start is None else [t for t in top if start <= t < r]
    return out


# --------------------------------------------------------------------------- amounts: identities and sums

COLUMN_LABEL = {
    "plafon": ("plafon", "budget"),
    "realisasi": ("realisasi", "realisation"),
    "sisa": ("sisa", "remaining budget"),
    "awal": ("pagu awal", "initial budget"),
    "refokusing": ("pagu refokusing", "refocused budget"),
    "pengurangan": ("pengurangan", "reduction"),
    **{f"realisasi_tw{n}": (f"realisasi TW {r}", f"realisation Q{n}") for n, r in (("1", "I"), ("2", "II"), ("3", "III"), ("4", "IV"))},
}


def column_label(key: str, lang: str = "id") -> str:
    pair = COLUMN_LABEL.get(key, (key, key))
    return pair[1] if lang == "en" else pair[0]


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


def _money_keys(table) -> list[str]:
    return [k for k in table.columns if table.spec.field_kind(k) == MONEY and k in table.frame.columns]


def _unreadable(table) -> set[tuple[int, str]]:
    return {(i.row, i.field) for i in table.issues if i.code != "KX104"}


def _int(v: Any) -> int | None:
    return None if _isna(v) else int(v)


def _as_dict(series) -> dict:
    """``Series.to_dict()`` at a fraction of the cost (it boxes every value one at a time)."""
    return dict(zip(series.index.tolist(), series.tolist()))


def _child_groups(eff, h, skip: set[int]):
    """(rows that count, parent of each such row as a group number, parent rows) for ``_child_sums``."""
    import numpy as np
    import pandas as pd

    parent = h["parent"]
    mask = (parent.notna() & ~eff.index.isin(list(skip))).to_numpy(dtype=bool)
    parents, group = np.unique(parent.to_numpy(dtype=np.int64, na_value=0)[mask], return_inverse=True)
    return mask, group, pd.Index(parents, name="parent")


def _child_sums(eff, h, money: list[str], skip: set[int], groups=None):
    """Per column: Σ children per parent row (Series by parent row) and whether any child was unknown.

    Summed with numpy in int64 (exact sen) rather than a pandas groupby per column: the groups are
    the same for every column (and for both passes of ``analyse``: pass ``groups``), so they are found once.
    """
    import numpy as np
    import pandas as pd

    mask, group, index = groups if groups is not None else _child_groups(eff, h, skip)
    n = len(index)
    out = {}
    for key in money:
        col = eff[key].array[mask]
        sums = np.zeros(n, dtype=np.int64)
        np.add.at(sums, group, col.to_numpy(dtype=np.int64, na_value=0))
        unknown = np.zeros(n, dtype=bool)
        unknown[group[np.asarray(col.isna(), dtype=bool)]] = True
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
    for r, level, problem in zip(h.index, h["level"], h["problem"]):
        r = int(r)
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
                  result, groups=None) -> list[SumFailure]:
    """Parents (and totals) that are not the sum of their children, one finding per typo where possible.

    Bottom-up: a cell off from its children by δ whose own parent is off by −δ is itself the wrong
    cell (a typo in a sub kegiatan's plafon), so it is blamed and its parent is not. A column that
    follows from others on every row (sisa = plafon − realisasi, JUMLAH = Σ TW) is not reported where
    the mismatches of the columns it follows from already account for it.
    """
    import numpy as np

    sums = _child_sums(eff, h, order, headings, groups)
    totals = h.index[h["level"].to_numpy() == "total"].tolist()
    up = parent_of.get

    def depth_of(row: int) -> int:  # _depth with one look-up per step
        d = 0
        while (row := up(row)) is not None:
            d += 1
        return d

    out: list[SumFailure] = []
    delta_of: dict[tuple[int, str], int] = {}  # (row, column) -> own − Σ children, as first found
    for key in order:
        s, unknown = sums[key]
        own = eff[key].reindex(s.index)
        known = (~unknown & own.notna()).to_numpy(dtype=bool)
        known_rows = set(s.index[known].tolist())
        diff_series = (own - s)[known]
        off = diff_series[diff_series.to_numpy(dtype=np.int64) != 0]  # the few parents that do not add up
        mis: dict[int, int] = dict(zip(off.index.tolist(), off.tolist()))
        for t in totals:
            top = [c for c in kids.get(t, []) if c not in headings]
            vals = eff.loc[top, key] if top else None
            if top and not _isna(eff.at[t, key]) and not vals.isna().any():
                known_rows.add(t)
                d = int(eff.at[t, key]) - int(vals.sum())
                if d:
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
    if ckey in cache:
        return cache[ckey]
    import pandas as pd

    from kinerja_validators._pandera import failing_rows

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
    groups = _child_groups(eff, h, headings)  # the same children for every column and both passes below

    # realisasi JUMLAH = Σ TW columns (a blank TW is a quarter not yet reported)
    tws = sorted(k for k in money if k.startswith("realisasi_tw"))
    if periods and tws and "realisasi" in money:
        tw_sum = frame[tws].fillna(0).sum(axis=1)
        unknown = frame[tws].isna().all(axis=1)
        for k in tws:
            bad_rows = [r for r, f in unreadable if f == k]
            if bad_rows:
                unknown |= frame.index.isin(bad_rows)
        tw_sum = tw_sum.astype("Int64").mask(unknown)
        check = pd.DataFrame({"realisasi": eff["realisasi"], "periods": tw_sum})
        for r in failing_rows(check, {"KX303": lambda d: d["realisasi"] == d["periods"]})["KX303"]:
            result.blames[(r, "realisasi")] = Blame("KX303", r, "realisasi", int(tw_sum[r]), int(frame.at[r, "realisasi"]))
            eff.at[r, "realisasi"] = tw_sum[r]

    if diff is not None and all(k in money for k in (diff.minuend, diff.subtrahend, diff.result)):
        m_key, s_key, r_key = diff.minuend, diff.subtrahend, diff.result
        check = eff[[m_key, s_key, r_key]]
        failed = failing_rows(check, {diff.code: lambda d: d[r_key] == d[m_key] - d[s_key]})[diff.code]
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
    result.sums = _sum_failures(eff, h, kids, parent_of, order, derived, headings, result, groups)
    result.sums.sort(key=lambda f: (f.row, money.index(f.key)))
    cache[ckey] = result
    return result


DIFFERENCES = {"realisasi": SISA, "refocusing": Difference("KX501", "awal", "refokusing", "pengurangan")}


def analysis_for(table) -> BudgetAnalysis:
    return analyse(table, DIFFERENCES.get(table.kind), periods=table.kind == "realisasi")


# --------------------------------------------------------------------------- rules

def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


@functools.lru_cache(maxsize=None)
def identity_message(diff: Difference, blamed: str) -> tuple[str, str]:
    """Message templates for a broken ``result = minuend − subtrahend``, naming the blamed cell first."""
    mi, si, ri = (column_label(k) for k in (diff.minuend, diff.subtrahend, diff.result))
    me, se, re_ = (column_label(k, "en") for k in (diff.minuend, diff.subtrahend, diff.result))
    if blamed == diff.minuend:
        return (f"{_cap(mi)} {{actual}} ≠ {si} {{subtrahend}} + {ri} {{result}} = {{expected}}, sebagaimana ditunjukkan "
                f"baris induk/rinciannya (selisih {{difference}})",
                f"{_cap(me)} {{actual}} ≠ {se} {{subtrahend}} + {re_} {{result}} = {{expected}}, as its parent/detail "
                f"rows confirm (difference {{difference}})")
    if blamed == diff.subtrahend:
        return (f"{_cap(si)} {{actual}} ≠ {mi} {{minuend}} − {ri} {{result}} = {{expected}}, sebagaimana ditunjukkan "
                f"baris induk/rinciannya (selisih {{difference}})",
                f"{_cap(se)} {{actual}} ≠ {me} {{minuend}} − {re_} {{result}} = {{expected}}, as its parent/detail "
                f"rows confirm (difference {{difference}})")
    return (f"{_cap(ri)} {{actual}} ≠ {mi} {{minuend}} − {si} {{subtrahend}} = {{expected}} (selisih {{difference}})",
            f"{_cap(re_)} {{actual}} ≠ {me} {{minuend}} − {se} {{subtrahend}} = {{expected}} (difference {{difference}})")


def identity_findings(table, ctx, diff: Difference):
    """Findings of one row identity (KX301 sisa, KX501 pengurangan) from the shared analysis."""
    a = analysis_for(table)
    blames = sorted((rk, b) for rk, b in a.blames.items() if b.code == diff.code)
    if not blames:
        return
    cols = [diff.minuend, diff.subtrahend, diff.result]
    rows = sorted({r for (r, _), _ in blames})
    sub = table.frame.loc[rows, cols]
    printed = {k: dict(zip(rows, sub[k].tolist())) for k in cols}  # to_dict("index") boxes cell by cell
    used = _as_dict(a.effective.loc[rows, diff.subtrahend])
    for (r, key), b in blames:
        vals = {k: rupiah(printed[k][r]) for k in cols}
        # the realisasi this identity used may be the Σ of its periods (KX303), not the printed JUMLAH
        if key != diff.subtrahend:
            vals[diff.subtrahend] = rupiah(used[r])
        related = tuple(table.cell(k, r) for k in (diff.minuend, diff.subtrahend, diff.result) if k != key)
        yield ctx.finding(table, key, r, expected=rupiah(b.expected), actual=rupiah(b.actual),
                          difference=rupiah(b.actual - b.expected), message=identity_message(diff, key),
                          related=related, minuend=vals[diff.minuend], subtrahend=vals[diff.subtrahend],
                          result=vals[diff.result])


@rule("KX301", "sisa-identity", tables="realisasi", message=identity_message(SISA, "sisa"))
def sisa_identity(table, ctx):
    """Sisa anggaran = plafon − realisasi on every row.

    The sisa cell is blamed, unless the row's children or parent show that the
    plafon (or the realisasi) is the cell out of line: then that cell is.
    Rows with a value that could not be read are not judged.

    *Salah:* plafon 14.889.710, realisasi 14.850.000, sisa ``-``.
    *Benar:* plafon 14.889.710, realisasi 14.850.000, sisa 39.710.
    """
    return identity_findings(table, ctx, SISA)


@rule("KX303", "period-sum", tables="realisasi", message=(
    "Realisasi JUMLAH {actual} ≠ jumlah realisasi per triwulan {expected} (selisih {difference})",
    "Realisation TOTAL {actual} ≠ sum of the quarterly realisations {expected} (difference {difference})"))
def period_sum(table, ctx):
    """Realisasi JUMLAH = Σ realisasi TW I … TW IV where the table splits realisasi by quarter.

    A blank quarter counts as nothing (not yet reported); a quarter that
    could not be read leaves the row unjudged.

    *Salah:* TW I 10.000, TW II 20.000, TW III 5.000, JUMLAH 30.000.
    *Benar:* TW I 10.000, TW II 20.000, TW III 5.000, JUMLAH 35.000.
    """
    a = analysis_for(table)
    tws = [k for k in sorted(a.money) if k.startswith("realisasi_tw")]
    for (r, key), b in sorted(a.blames.items()):
        if b.code == "KX303":
            yield ctx.finding(table, key, r, expected=rupiah(b.expected), actual=rupiah(b.actual),
                              difference=rupiah(b.actual - b.expected), related=tuple(table.cell(k, r) for k in tws))


def _float_decimals(v: float) -> int:
    s = repr(float(v))
    if "e" in s or "E" in s:
        return 15
    frac = s.partition(".")[2]
    return 0 if frac in ("", "0") else len(frac)


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
    digits = dp if dp is not None else _float_decimals(value)
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


@rule("KX302", "serapan-percent", tables="realisasi", message=(
    "Serapan {actual} ≠ realisasi {realisasi} / plafon {plafon} = {expected}",
    "Absorption {actual} ≠ realisation {realisasi} / budget {plafon} = {expected}"))
def serapan_percent(table, ctx):
    """% serapan = realisasi / plafon × 100, within half a unit of the last printed digit.

    A total row's percentage is Σ realisasi / Σ plafon (its own row), never
    the mean of the rows' percentages. Cells formatted as percent (0,7708
    shown as 77,08%) and percent text ('77,08%') are both read.

    *Salah:* plafon 600.000, realisasi 500.000, serapan 80,00%.
    *Benar:* plafon 600.000, realisasi 500.000, serapan 83,33%.
    """
    if not table.has("serapan"):
        return
    a = analysis_for(table)
    frame = table.frame
    dps = frame["serapan__dp"] if "serapan__dp" in frame.columns else None
    values = serapan_values(table, ctx.config)
    level = a.hierarchy["level"]
    top = top_level_rows(a.hierarchy)
    for r, expected, v in values:
        if v != v:
            continue
        dp = None if dps is None or _isna(dps[r]) else int(dps[r])
        ok, shown, d = _percent_reading(v, dp, expected, ctx.config)
        if ok:
            continue
        message = None
        if level[r] == "total" and top:
            row_pcts = [_percent_reading(pv, None, pe, ctx.config)[1] for rr, pe, pv in values if rr in top and pv == pv]
            if row_pcts and abs(sum(row_pcts) / len(row_pcts) - shown) <= _tolerance(d, ctx.config):
                message = (
                    "Serapan baris jumlah {actual} adalah rata-rata persentase baris, bukan Σ realisasi / Σ plafon = {expected}",
                    "The total row's absorption {actual} is the mean of the rows' percentages, not Σ realisation / Σ budget = {expected}")
        yield ctx.finding(table, "serapan", r, expected=Percent(round(expected, max(d, 2)), max(d, 2)),
                          actual=Percent(shown, d), difference=Percent(round(shown - expected, max(d, 2)), max(d, 2)),
                          message=message, realisasi=rupiah(a.effective.at[r, "realisasi"]),
                          plafon=rupiah(a.effective.at[r, "plafon"]))


@rule("KX304", "realisasi-exceeds-plafon", tables="realisasi", severity="warning", message=(
    "Realisasi {actual} melebihi plafon {expected} (selisih {difference})",
    "Realisation {actual} exceeds the budget {expected} (difference {difference})"))
def realisasi_exceeds_plafon(table, ctx):
    """Realisasi above plafon: spending beyond the budget (a warning: it needs an explanation).

    Reported on the deepest row that overspends, not again on each parent above it.

    *Salah:* plafon 1.800.000, realisasi 1.950.000 (sisa −150.000).
    *Benar:* plafon 1.800.000, realisasi 1.800.000, sisa ``-``.
    """
    if not table.has("plafon") or not table.has("realisasi"):
        return
    a = analysis_for(table)
    eff = a.effective
    # a negative plafon is KX305's finding; any realisasi "exceeds" it
    over = set(eff.index[((eff["realisasi"] > eff["plafon"]) & (eff["plafon"] >= 0)).fillna(False)].tolist())
    for r in sorted(over):
        if any(c in over for c in a.kids.get(r, [])):
            continue  # its sub kegiatan (or rincian) that overspends carries the warning
        p, x = _int(eff.at[r, "plafon"]), _int(eff.at[r, "realisasi"])
        yield ctx.finding(table, "realisasi", int(r), expected=rupiah(p), actual=rupiah(x), difference=rupiah(x - p))


@rule("KX305", "negative-amount", tables=("realisasi", "refocusing"), message=(
    "Nilai negatif {actual} di kolom {kolom_id}",
    "Negative amount {actual} in the {kolom_en} column"))
def negative_amount(table, ctx):
    """Plafon, pagu and realisasi amounts are never negative.

    A negative sisa is left to KX304 (realisasi above plafon) and a negative
    pengurangan to KX502.

    *Salah:* plafon ``(1.500.000)``. *Benar:* plafon 1.500.000.
    """
    skip = {"sisa", "pengurangan"}
    for key in _money_keys(table):
        if key in skip:
            continue
        col = table.frame[key]
        for r in col.index[(col < 0).fillna(False)]:
            yield ctx.finding(table, key, int(r), actual=rupiah(col[r]), kolom_id=column_label(key),
                              kolom_en=column_label(key, "en"))


_PLURAL_EN = {"program": "programmes", "kegiatan": "activities", "sub_kegiatan": "sub-activities",
              "rincian": "detail lines"}
_CULPRIT_NOTE = (", sedangkan baris induknya cocok dengan {expected}", ", while its parent row agrees with {expected}")
_SUSPECT_NOTE = ("; baris ini cocok dengan induknya, jadi periksa {anak_id} di bawahnya",
                 "; this row agrees with its parent, so check the {anak_en} below it")


def _sum_finding(table, ctx, f: SumFailure, levels: dict):
    child_levels = {levels.get(c) for c in f.children}
    child = child_levels.pop() if len(child_levels) == 1 else None
    anak_id = LEVEL_LABEL["id"].get(child, "baris") if child else "baris"
    anak_en = _PLURAL_EN.get(child, "rows") if child else "rows"
    message = None
    note = _CULPRIT_NOTE if f.culprit else (_SUSPECT_NOTE if f.children_suspect else None)
    if note:  # say which cell is more likely the one to fix
        mid, men = ctx.rule.message_id, ctx.rule.message_en
        message = (mid + note[0], men + note[1]) if note is _SUSPECT_NOTE else (
            mid.replace(" (selisih", note[0] + " (selisih"), men.replace(" (difference", note[1] + " (difference"))
    return ctx.finding(table, f.key, f.row, expected=rupiah(f.expected), actual=rupiah(f.actual), message=message,
                       difference=rupiah(f.actual - f.expected), related=tuple(table.cell(f.key, c) for c in f.children[:50]),
                       kolom_id=_cap(column_label(f.key)), kolom_en=_cap(column_label(f.key, "en")), n=len(f.children),
                       anak_id=anak_id, anak_en=anak_en)


@rule("KX401", "parent-sum", tables=("realisasi", "refocusing"), message=(
    "{kolom_id} {actual} ≠ jumlah {n} {anak_id} di bawahnya {expected} (selisih {difference})",
    "{kolom_en} {actual} ≠ sum of the {n} {anak_en} below it {expected} (difference {difference})"))
def parent_sum(table, ctx):
    """A program, kegiatan or sub kegiatan row is the sum of its direct children, per amount column.

    Rincian lines sum to their sub kegiatan only when there are any. A child
    cell that breaks its own row identity (KX301) is reported there and
    counted here at its mended value, so one wrong sisa does not also make
    its correct parent look wrong. Checked bottom-up: a row off from its
    children by the amount its own parent is off the other way is itself the
    slip (reported once, with a note); a row that agrees with its parent
    points at its children. A sisa mismatch that follows from a plafon or
    realisasi mismatch on the same row is not reported twice.

    *Salah:* kegiatan I plafon 3.400.000 over sub kegiatan 2.620.000 and 772.000.
    *Benar:* kegiatan I plafon 3.392.000 (= 2.620.000 + 772.000).
    """
    a = analysis_for(table)
    for f in a.sums:
        if not f.total:
            yield _sum_finding(table, ctx, f, a.levels)


@rule("KX402", "total-row", tables="realisasi", message=(
    "{kolom_id} baris jumlah {actual} ≠ jumlah {n} {anak_id} {expected} (selisih {difference})",
    "{kolom_en} of the total row {actual} ≠ sum of the {n} {anak_en} {expected} (difference {difference})"))
def total_row(table, ctx):
    """The TOTAL / JUMLAH row is the sum of the top-level rows (the programs), per amount column.

    A TOTAL above the data sums every program; a JUMLAH below sums those
    above it, and a JUMLAH after an earlier one only its own block.

    *Salah:* TOTAL plafon 6.255.403.000 over programs summing to 6.255.403.861.
    *Benar:* TOTAL plafon 6.255.403.861.
    """
    a = analysis_for(table)
    for f in a.sums:
        if f.total:
            yield _sum_finding(table, ctx, f, a.levels)


_PLACE_MESSAGES = {
    "unknown-no": (
        "Baris dengan NO '{no}' tidak dapat ditempatkan (bukan huruf program, angka Romawi kegiatan, atau nomor sub kegiatan); jumlah di atasnya tidak diperiksa",
        "The row numbered '{no}' cannot be placed (not a programme letter, activity numeral or sub-activity number); the sums above it are not checked"),
    "no-parent": (
        "Baris {level_id} ini tidak punya induk di atasnya; jumlah di atasnya tidak diperiksa",
        "This {level_en} has no parent row above it; the sums above it are not checked"),
    "conflict": (
        "NO '{no}' menunjukkan {no_level_id}, tetapi kode '{kode}' menunjukkan {kode_level_id}; baris ditempatkan menurut kode",
        "NO '{no}' marks a {no_level_en} but kode '{kode}' marks a {kode_level_en}; the row is placed by its kode"),
}


@rule("KX403", "row-not-placed", tables=("realisasi", "refocusing"), severity="warning", message=_PLACE_MESSAGES["unknown-no"])
def row_not_placed(table, ctx):
    """A row whose place in the program / kegiatan / sub kegiatan tree cannot be inferred.

    The NO column (A, I, 1, blank) and the kode carry the hierarchy. A row
    numbered otherwise, a rincian line with no sub kegiatan above it, or a
    row whose NO and kode disagree is reported here, and the sums it might
    belong to are not judged.

    *Salah:* NO ``1a`` between sub kegiatan 1 and 2.
    *Benar:* NO blank (a rincian line of sub kegiatan 1) or ``2``.
    """
    h = analysis_for(table).hierarchy
    frame = table.frame
    blame_key = "no" if table.has("no") else ("kode" if table.has("kode") else "uraian")
    doubtful = h["problem"].notna().to_numpy(dtype=bool)  # a few rows: not a pandas step per row of the sheet
    for r, problem in zip(h.index[doubtful].tolist(), h["problem"][doubtful].tolist()):
        lv, nl, kl = h.at[r, "level"], h.at[r, "no_level"], h.at[r, "kode_level"]
        yield ctx.finding(
            table, blame_key, int(r), message=_PLACE_MESSAGES[problem],
            no=frame.at[r, "no"] if "no" in frame.columns else "", kode=frame.at[r, "kode"] if "kode" in frame.columns else "",
            level_id=LEVEL_LABEL["id"].get(lv, "?"), level_en=LEVEL_LABEL["en"].get(lv, "?"),
            no_level_id=LEVEL_LABEL["id"].get(nl, "?"), no_level_en=LEVEL_LABEL["en"].get(nl, "?"),
            kode_level_id=LEVEL_LABEL["id"].get(kl, "?"), kode_level_en=LEVEL_LABEL["en"].get(kl, "?"),
        )


# --------------------------------------------------------------------------- computed values


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
            label_id="Serapan anggaran (realisasi / plafon)", label_en="Budget absorption (realisation / budget)",
            value=Percent(round(pct, 2), 2), number_format="0.00%", existing=existing,
            formula=has and (r, table.columns["serapan"]) in table.formulas,
        ))
    return out


def levels(table) -> list:
    """The hierarchy level of every row (``hierarchy(table)["level"]``), for the audit's summaries."""
    return list(hierarchy(table)["level"])


KIND = TableKind(
    name="realisasi",
    title=(SPEC.title_id, SPEC.title_en),
    specs=tuple(SPECS),
    rules=rules_in(globals()),
    compute=compute,
    hooks={"levels": levels},
)
