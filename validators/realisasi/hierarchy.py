"""Where each row of a budget table sits: program / kegiatan / sub kegiatan / rincian, and its parent.

``hierarchy(table)`` (public, also used by the PK, refocusing and cross-table
checks) places every row: program rows are lettered (A, B, …), kegiatan Roman
(I, II, …), sub kegiatan numbered (1, 2, …), rincian lines unnumbered
(outline numbering 1 / 1.1 / 1.1.1 is read by depth when no letters are
used); kode prefixes (``7.01.01`` program, ``7.01.01.2.01`` kegiatan,
``7.01.01.2.01.02`` sub kegiatan) and the uraian text (``PROGRAM …``) help
where the NO column is missing or ambiguous (``C``, ``D``, ``I``, ``V`` are
letters and numerals).
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from dataclasses import dataclass
from typing import Any

from kinerja_xl.i18n import N_, NP_
from kinerja_xl.tables import fold
from kinerja_validators._memo import once_per_table


DEPTH = {"program": 1, "kegiatan": 2, "sub_kegiatan": 3, "rincian": 4}
_DEPTH_OF = {**DEPTH, "total": 0, None: 0}  # every level a row is placed at
LEVEL_LABEL = {"total": N_("baris jumlah"), "program": N_("program"), "kegiatan": N_("kegiatan"),
               "sub_kegiatan": N_("sub kegiatan"), "rincian": N_("rincian")}
# the rows under a parent, as a message counts them ("the 3 sub-activities"); Indonesian has no plural form
LEVEL_PLURAL = {"total": NP_("jamak", "baris jumlah"), "program": NP_("jamak", "program"),
                "kegiatan": NP_("jamak", "kegiatan"), "sub_kegiatan": NP_("jamak", "sub kegiatan"),
                "rincian": NP_("jamak", "rincian")}

_TOTAL = re.compile(r"(JUMLAH|TOTAL|GRAND TOTAL|SUB TOTAL)( TOTAL| KESELURUHAN| SELURUHNYA| ANGGARAN| BELANJA| PAGU)*( RP)?")
# 'JUMLAH PROGRAM A', 'Sub Total Kegiatan …': a line under a program's (kegiatan's) rows that repeats its amounts
_SUBTOTAL = re.compile(r"(JUMLAH|TOTAL|SUB ?TOTAL) (PROGRAM|KEGIATAN|SUB KEGIATAN)\b")
_SUBTOTAL_LEVEL = {"PROGRAM": "program", "KEGIATAN": "kegiatan", "SUB KEGIATAN": "sub_kegiatan"}
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_BULLET = {"-", "•", "*", "·", "–", "o"}


@functools.lru_cache(maxsize=256)  # asked again at every C, D, I, … token of a sheet (~2.000 at 100.000 rows: ~2 ms)
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


_LEADING_NUMBER = re.compile(r"\s*\d{1,3}\s*[.)]\s*")
# the characters whose upper case starts with P, K or S (ß ſ ﬅ ﬆ among them): a text starting
# with none of them, nor with a space or a digit, cannot start with PROGRAM, KEGIATAN or SUB
_LEVEL_FIRST = frozenset(c for c in "PKSpksßſ\ufb05\ufb06")


def _text_level(uraian: Any) -> str | None:
    if not isinstance(uraian, str):
        return None
    first = uraian[:1]
    if first not in _LEVEL_FIRST and not first.isspace() and not first.isdigit():
        return None  # one set lookup for most names (real sub kegiatan names are all different)
    head = uraian.lstrip()[:8]
    if head[:1].isdigit():  # '1. Sub Kegiatan …': numbered inside the text when the table has no NO column for it
        m = _LEADING_NUMBER.match(uraian)
        if m is None:
            return None
        uraian = uraian[m.end():]
        head = uraian[:8]
    if not head.upper().startswith(_LEVEL_START):
        return None  # cheap test first: folding every uraian of a 100.000-row sheet costs seconds
    t = fold(uraian)
    if t.startswith("SUB KEGIATAN "):
        return "sub_kegiatan"
    if t.startswith("PROGRAM "):
        return "program"
    if t.startswith("KEGIATAN "):
        return "kegiatan"
    if t in _SECTION and uraian.rstrip().endswith(":"):
        return _SECTION[t]
    return None


# 'Kegiatan :' / 'Sub-Kegiatan :' lines (SIMKinerja) name the level of the rows below them
_SECTION = {"PROGRAM": "§program", "KEGIATAN": "§kegiatan", "SUB KEGIATAN": "§sub_kegiatan"}


def _sections(text_levels: list, levels: list, tokens: list, kode_levels: list) -> None:
    """Rows under a 'Kegiatan :' line are kegiatan (until the next such line), unless their NO, kode
    or text says otherwise; the line itself is no row of the tree."""
    section = None
    for i, tl in enumerate(text_levels):
        if tl is not None and tl[0] == "§":
            section, levels[i], text_levels[i] = tl[1:], None, None
        elif section and levels[i] == "rincian" and not tokens[i] and kode_levels[i] is None and tl is None:
            levels[i] = section


def _starts_like_total(text: str) -> bool:
    return text[:1] in "JjTtGgSs " and text.lstrip()[:7].upper().startswith(_TOTAL_START)


# how a text that may name a level ('PROGRAM …', '1. Sub Kegiatan …', 'Kegiatan :') or a total ('JUMLAH',
# 'Sub Total') starts: every text _text_level or _starts_like_total passes matches (the third letter also
# as 'ẗ' / 'ẚ', whose upper case is 'T' / 'A' and a mark); a real name ('Belanja …', 'Penyediaan …') does not
_MAYBE_NAMED = re.compile(r"\s*(?:\d{1,3}\s*[.)]\s*)?(?i:PRO|KEG|SUB|JUM|TO[Tẗ]|GR[Aẚ])")


def _maybe_named(values: list) -> list[str]:
    """The distinct texts of a column that may name a level or a total.

    One regex match per text, called by filter in C: real sub kegiatan names are all different, and
    a Python step per text for the level and total tests cost 60 ms at 100.000 names (now ~22).
    """
    pool = _distinct(values)
    if pool is None:  # an unhashable cell value: every cell
        pool = values
    else:
        pool.discard(None)  # blank cells, the usual non-text (a copy of the set without it costs ~4 ms)
    try:
        return list(filter(_MAYBE_NAMED.match, pool))
    except TypeError:  # a blank, number or date among the cells
        return [v for v in pool if isinstance(v, str) and _MAYBE_NAMED.match(v)]


def _named(uraians: list) -> tuple[dict, list, list[int]]:
    """The uraian texts that name a level (text -> level), the level each row's text names (None: none),
    and the rows whose text may read JUMLAH / TOTAL."""
    heads = _heads(uraians)
    if heads is not None:
        try:
            return _named_by_head(uraians, heads)
        except TypeError:  # a cell that is no text (a tuple, say): the way below, which tests each cell's type
            pass
    named = _maybe_named(uraians)
    named_levels = {v: level for v in named if (level := _text_level(v)) is not None}
    return (named_levels, _lookup(named_levels, uraians),
            _rows_of({v for v in named if _starts_like_total(v)}, uraians, _starts_like_total))


_HEAD = operator.itemgetter(slice(0, 3))
# ``_MAYBE_NAMED`` read from a text's first three characters: those decide unless the text starts with a
# space or a digit (then the whole text is matched)
_NAMED_HEAD = re.compile(r"[\s\d]|(?i:PRO|KEG|SUB|JUM|TO[Tẗ]|GR[Aẚ])")
_SAMPLE = 1024  # the first texts of a column, whose repeats tell whether its names repeat


def _heads(values: list) -> list | None:
    """The first three characters of every cell, where the column's names mostly differ (a sheet whose
    rincian lines all name their place) and every cell is a text; else None."""
    sample = values[:_SAMPLE]
    try:
        if 2 * len(set(sample)) <= len(sample):
            return None  # names repeat: tested once per distinct text instead (``_maybe_named``)
        return list(map(_HEAD, values))
    except TypeError:  # a blank, number or date (or an unhashable value) among the cells
        return None


def _named_by_head(uraians: list, heads: list) -> tuple[dict, list, list[int]]:
    """``_named`` for a column of all-different names: each name's regex match and set entry cost more than
    its first three characters, whose few distinct values are matched instead (100.000 names: 35 → 11 ms)."""
    n = len(uraians)
    starts = {h for h in set(heads) if _NAMED_HEAD.match(h)}
    named_levels: dict = {}
    text_levels: list = [None] * n
    totals = []
    for i in itertools.compress(range(n), map(starts.__contains__, heads)):
        v = uraians[i]
        if not _MAYBE_NAMED.match(v):
            continue
        level = named_levels.get(v) or _text_level(v)
        if level is not None:
            text_levels[i] = named_levels[v] = level
        if _starts_like_total(v):
            totals.append(i)
    return named_levels, text_levels, totals


def _lookup(memo: dict, values: list) -> list:
    """``[memo.get(v) for v in values]``, the look-ups done by map in C, no Python step per row."""
    if not memo:
        return [None] * len(values)
    try:
        return list(map(memo.get, values))
    except TypeError:  # an unhashable cell value: never a key of the memo, whose keys are texts
        return [memo.get(v) if isinstance(v, str) else None for v in values]


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
    try:
        # every cell a text or blank (the usual sheet): the look-ups done by map in C, no Python step per row
        return list(map(memo.__getitem__, values))
    except KeyError:  # a number or date among them: no text is equal to one, so it is not in the memo
        return [memo[v] if v.__class__ is str or v is None else func(v) for v in values]


def _rows_where(test, values: list, distinct: set | None) -> list[int]:
    """Positions of the texts in ``values`` that pass ``test``, tested once per text of ``distinct``
    (every text that may pass; None: test every cell)."""
    if distinct is None:
        return [i for i, v in enumerate(values) if v.__class__ is str and test(v)]
    return _rows_of({v for v in distinct if v.__class__ is str and test(v)}, values, test)


def _rows_of(hits: set, values: list, test) -> list[int]:
    """Positions of the cells of ``values`` that are among the texts ``hits`` (those that pass ``test``)."""
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


# the NO tokens that are letters and Roman numerals alike: their level follows the sequences (_no_level)
_SEQUENCED = frozenset("CDILMVX")


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
    is_roman = tok.isupper() and tok.isalpha() and _ROMAN.fullmatch(tok) is not None
    if is_roman or (len(tok) == 1 and "A" <= tok <= "Z"):
        if is_roman and len(tok) == 1:  # C, D, I, L, M, V, X: follow the sequences
            if hint in ("program", "kegiatan"):
                return hint, None
            next_roman = _roman(kegiatan_count + 1)
            next_letter = chr(ord(last_letter) + 1) if last_letter else "A"
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
    """Place every row of a budget table in the program tree (worked out once per table: the
    analysis and the cross-table rules each ask; read the frame returned, do not modify it).

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
      that level above it, whose amounts such a line repeats; else ``<NA>``;
    - ``section`` (only in a table that has them): a 'Kegiatan :' line, which
      names the level of the unnumbered rows below it and is itself no row of
      the tree (level ``None``).

    Works for any table with some of the columns ``no``, ``kode``, ``uraian``
    (or ``program``) — realisasi, refocusing, PK program lists. Top-level rows are those of the
    shallowest level present without a parent; ``children(h)`` groups rows by
    parent and gives total rows the top-level rows as children.
    """
    if hasattr(table, "frame"):
        return once_per_table(table, "_kinerja_hierarchy", lambda t: _as_frame(tree(t)))
    return _hierarchy(table)


@dataclass(frozen=True, eq=False)
class Tree:
    """``hierarchy``'s columns as plain lists and numpy arrays, one entry per row of the frame.

    The budget analysis and the kode rules read these: on a seed-sized table each pandas
    Series built or indexed costs more than the Python work on the whole column.
    """

    index: Any            # the frame's index (Excel rows)
    rows: Any             # numpy array of the Excel rows
    level: list           # 'total', 'program', …, None
    parent: Any           # int64 position of the parent row, −1 for none
    problem: list
    no_level: list
    kode_level: list
    covers: Any           # int64 position of the first row a total below the data sums, −1 for none
    repeats: Any          # int64 position of the row a 'JUMLAH PROGRAM A' line names, −1 for none
    section: list | None  # a 'Kegiatan :' line (only in a table that has them)
    official_kodes: int | None  # how many kode cells there are when all are in official form, else None
    depth: Any            # int64 DEPTH of each row's level, 0 for a total or unplaced row
    totals: list          # positions of the total rows

    def parent_rows(self):
        """The parent's Excel row of every row as int64, −1 for none."""
        import numpy as np

        rows = np.asarray(self.rows, dtype=np.int64)
        return np.where(self.parent >= 0, rows[np.maximum(self.parent, 0)], -1) if len(rows) else self.parent

    def kids(self) -> dict[int, list[int]]:
        """``children(hierarchy)``, read from the arrays (worked out once; read it, do not modify it)."""
        import numpy as np

        kids = self.__dict__.get("_kids")
        if kids is None:
            rows = np.asarray(self.rows, dtype=np.int64)
            covers = np.where(self.covers >= 0, rows[np.maximum(self.covers, 0)], -1) if len(rows) else self.covers
            kids = _children(rows, self.parent_rows(), np.asarray(self.level, dtype=object), covers)
            self.__dict__["_kids"] = kids  # a frozen dataclass keeps its fields; this is a memo beside them
        return kids


def tree(table: Any) -> Tree:
    """The row tree of a table (or a bare frame), worked out once per table."""
    if not hasattr(table, "frame"):
        return _tree(table)
    return once_per_table(table, "_kinerja_tree", lambda t: _tree(t.frame, getattr(t, "array", None)))


def _hierarchy(frame: Any):
    return _as_frame(_tree(frame))


def _as_frame(t: Tree):
    import pandas as pd

    index, rows = t.index, t.rows
    return pd.DataFrame(
        {
            "level": pd.Series(t.level, index=index, dtype=object),
            "parent": _row_numbers(rows, t.parent),
            "problem": pd.Series(t.problem, index=index, dtype=object),
            "no_level": pd.Series(t.no_level, index=index, dtype=object),
            "kode_level": pd.Series(t.kode_level, index=index, dtype=object),
            # total rows only: the first row of the block a sub-total JUMLAH sums (<NA>: all top-level rows)
            "covers_from": _row_numbers(rows, t.covers),
            # a line that names a program or kegiatan ('JUMLAH PROGRAM A'): the row it names
            "repeats": _row_numbers(rows, t.repeats),
            # a 'Kegiatan :' line: no row of the tree, and no unplaced row either
            **({"section": pd.Series(t.section, index=index)} if t.section is not None else {}),
        },
        index=index,
    )


def _tree(frame: Any, array: Any = None) -> Tree:
    """``array(key)``: a table's column arrays (``Table.array``), read without a Series per column (~15 µs each)."""
    import numpy as np  # lazily, as pandas: listing the rules should not pay for them

    n = len(frame)
    columns = frame.columns

    def column(key):
        if key not in columns:
            return [None] * n
        return (frame[key] if array is None else array(key)).tolist()

    text_key = next((k for k in ("uraian", "program", "kegiatan", "sub_kegiatan") if k in columns), "uraian")
    nos, kodes, uraians = column("no"), column("kode"), column(text_key)
    no_texts = _distinct(nos)
    tokens = _per_distinct(_no_token, nos, no_texts)  # a sheet has few distinct NO values, each worked out once
    # their distinct tokens from the distinct cells, where all are texts or blanks (else 1 and True, equal
    # keys, would stand for each other): not a set of every row's token (~1 ms)
    token_set = ({_no_token(v) for v in no_texts}
                 if no_texts is not None and all(v.__class__ is str or v is None for v in no_texts) else None)
    kode_levels, odd_kodes, official_kodes = _kode_levels(kodes)
    # only texts that start like JUMLAH / TOTAL are folded and matched (a 100.000-row sheet has a few)
    # (a kode with a level starts with a digit, so only the odd ones are tested)
    # the level and total tests asked once per uraian text that may pass either (a few in a sheet)
    named_levels, text_levels, total_like = _named(uraians)
    maybe_total = {i for col, texts in ((nos, no_texts), (kodes, odd_kodes))
                   for i in _rows_where(_starts_like_total, col, texts)}
    maybe_total.update(total_like)
    sectioned = any(tl[0] == "§" for tl in named_levels.values())
    if sectioned:
        section_marks = list(text_levels)
        text_levels = [None if tl is not None and tl[0] == "§" else tl for tl in text_levels]
    placed_rows = _place_rows(_Rows(nos, kodes, uraians, tokens, kode_levels, text_levels),
                              _numbering(tokens, kode_levels, token_set), "no" in columns, maybe_total)
    levels, problems = placed_rows.levels, placed_rows.problems
    if sectioned:
        _sections(list(section_marks), levels, tokens, placed_rows.kode_levels)

    # parents: the nearest row above with a shallower level; belanja accounts nest by prefix
    # (5.1.02 > 5.1.02.01 > 5.1.02.01.01.0024), so a group account is not summed with its own parts
    # 0: a total or unplaced row (a look-up with one argument, by map in C: ~0,6 ms less than get with a default)
    depth = np.fromiter(map(_DEPTH_OF.__getitem__, levels), dtype=np.int64, count=n)
    placed = np.flatnonzero(depth)
    # a JUMLAH below the data closes the tree: the rows after it start afresh
    closing = [i for i in sorted(maybe_total) if levels[i] == "total" and placed.size and i > placed[0]]
    # (kodes all in official form name no belanja account: no scan of every row's kode level for one, ~1,4 ms)
    if official_kodes is None and "rincian" in kode_levels and any(kode_levels[i] == "rincian" and levels[i] == "rincian" for i in placed):
        parent_pos = _parents_by_stack(levels, kode_levels, kodes)
    else:
        parent_pos = _parents_by_depth(depth, closing)
    if placed.size:
        top = depth[placed].min()
        for i in np.flatnonzero((depth > 0) & (parent_pos < 0) & (depth != top)).tolist():
            if problems[i] is None:
                problems[i] = "no-parent"

    return Tree(
        index=frame.index, rows=frame.index.to_numpy(), level=levels, parent=np.asarray(parent_pos, dtype=np.int64),
        problem=problems, no_level=placed_rows.no_levels, kode_level=placed_rows.kode_levels,
        covers=_covers(closing, nos, uraians, n), repeats=_repeats(maybe_total, levels, nos, uraians, n),
        section=[tl is not None and tl[0] == "§" for tl in section_marks] if sectioned else None,
        official_kodes=official_kodes, depth=depth, totals=placed_rows.totals,
    )


def _kode_levels(kodes: list) -> tuple[list, set[str], int | None]:
    """The level each kode names, the kodes that name none (the only ones that may read JUMLAH / TOTAL),
    and how many kodes there are when all are in official form (else None; the kode rules ask too).

    Most rincian lines have no kode; a clean kode is placed by which groups its match reached,
    without ``kode_level``'s call and group() look-ups (100.000 rows: 17 → 13 ms).
    """
    try:
        filled = list(filter(None, kodes))  # the cells with a kode, picked in C (a sheet's rincian lines have none)
    except TypeError:  # pandas.NA, which has no truth value
        filled = []
    if all_official(filled):
        # the usual sheet: one test over all kodes instead of a match per kode; the kode rules then skip
        # their own test of the same cells (100.000 rows: ~15 ms less in all). Each cell's level is its
        # length's (a blank's length hint 0), read by map in C with no dict of the kodes (~4 ms less)
        return list(map(_LEVEL_BY_SIZE.__getitem__, map(operator.length_hint, kodes))), set(), len(filled)
    clean = _KODE_LEVEL.fullmatch
    odd_kodes: set[str] = set()

    def unplaced(kode: str) -> str | None:
        level = kode_level(kode)
        if level is None:
            odd_kodes.add(kode)
        return level

    levels = [(LEVEL_BY_LASTINDEX[m.lastindex] if (m := clean(k)) else unplaced(k)) if k.__class__ is str else None
              for k in kodes]
    return levels, odd_kodes, None


LEVEL_BY_LENGTH = {7: "program", 12: "kegiatan", 15: "sub_kegiatan", 17: "sub_kegiatan"}  # of an official kode
_LEVEL_BY_SIZE = {0: None, **LEVEL_BY_LENGTH}  # operator.length_hint of a cell: 0 for a blank (None, '', 0)
# an official kode's digits (d) and dots, by its length (as kode.py's _OFFICIAL, ASCII digits)
_KODE_SHAPE = {7: b"d.dd.dd", 12: b"d.dd.dd.d.dd", 15: b"d.dd.dd.d.dd.dd", 17: b"d.dd.dd.d.dd.dddd"}
_DIGIT = bytes.maketrans(b"0123456789", b"dddddddddd")
_OFFICIAL_KODE = re.compile(r"[1-8]\.[0-9][0-9]\.[0-9][0-9](?:\.[12]\.[0-9][0-9](?:\.[0-9][0-9](?:[0-9][0-9])?)?)?")


def all_official(values: list) -> bool:
    """Is every one of ``values`` a kode text in an official form?

    Told from the kodes joined one per line: their digits and dots against the shapes their lengths ask
    for, then the two digits the shapes leave open (the urusan 1–8, the kegiatan part's 1 or 2), in numpy
    (38.000 kodes: ~3 ms, against ~6 for a regex substitution of every official line).
    """
    if len(values) < 256:  # a seed-sized table: a match per kode costs less than the numpy steps below
        try:
            return bool(values) and all(map(_OFFICIAL_KODE.fullmatch, values))
        except TypeError:  # a number or date in a kode cell
            return False
    import numpy as np

    try:
        lengths = list(map(len, values))
        shapes = b"\n".join(map(_KODE_SHAPE.__getitem__, lengths))
        text = "\n".join(values).encode("ascii")
    except (TypeError, KeyError, UnicodeEncodeError):  # a number or date, another length, a character not ASCII
        return False
    # (a newline inside a cell would make two lines of one kode: it is no digit or dot of its shape)
    if not values or text.translate(_DIGIT) != shapes:
        return False
    chars, size = np.frombuffer(text, dtype=np.uint8), np.array(lengths, dtype=np.int64)
    start = np.cumsum(size + 1) - (size + 1)
    urusan, kind = chars[start], chars[start[size >= 12] + 8]
    return bool(((urusan >= ord("1")) & (urusan <= ord("8"))).all() and ((kind == ord("1")) | (kind == ord("2"))).all())


@dataclass(frozen=True)
class _Numbering:
    """How the NO column numbers the rows."""

    plain: bool               # 1, 2, 3 … on every row whatever its kode says: a count, not a level
    outline: bool             # 1 / 1.1 / 1.1.1 instead of A / I / 1: the depth is the number of parts
    digit_level: str | None   # the level a plain digit marks (None: the kode or text decides)


def _numbering(tokens: list[str], kode_levels: list, token_set: set | None = None) -> _Numbering:
    """``token_set``: the distinct tokens when the caller knows them (else worked out from ``tokens``)."""
    if token_set is None:
        token_set = set(tokens)  # a sheet has few distinct NO values: test those, not every row
    digit_tokens = {t for t in token_set if t.isdigit()}
    # the kode levels of the rows numbered by a plain digit, picked in C (map, compress) rather than a step per row
    digit_kode_levels = set(itertools.compress(kode_levels, map(digit_tokens.__contains__, tokens))) - {None}
    plain = len(digit_kode_levels) > 1
    dotted = any(t and t[0].isdigit() and _DOTTED.fullmatch(t) for t in token_set)
    outline = dotted and not any(t and t[0].isalpha() for t in token_set)
    return _Numbering(plain, outline, None if plain else ("program" if outline else "sub_kegiatan"))


@dataclass(frozen=True)
class _Rows:
    """The columns of a budget table the placing reads, one list entry per row."""

    nos: list
    kodes: list
    uraians: list
    tokens: list[str]        # the NO cells tidied ('A.' -> 'A')
    kode_levels: list        # the level each kode names
    text_levels: list        # the level each uraian names ('PROGRAM …')


@dataclass
class _Placed:
    levels: list
    problems: list
    no_levels: list
    kode_levels: list
    totals: list  # positions of the total rows


def _place_rows(rows: _Rows, numbering: _Numbering, has_no: bool, maybe_total: set[int]) -> _Placed:
    """Each row's level, problem, and what its NO and its kode said, walking down the sheet."""
    n = len(rows.tokens)
    # the total rows first (a few, and they do not change the numbering state); in the walk a total row's
    # token is None, so the walk reads each row's values by zip, with no set look-up per row (~3 ms)
    totals = [i for i in sorted(maybe_total) if is_total_row(rows.nos[i], rows.kodes[i], rows.uraians[i])]
    # preallocated: most rows have no problem and no NO level, so only the exceptions are written
    # an unnumbered line without a kode or text level (most of a sheet) is a rincian: preset, so the walk
    # passes such a row by with no level tests and no store (100.000 rows: ~2 ms)
    out = _Placed(["rincian"] * n, [None] * n, [None] * n, list(rows.kode_levels), totals)
    last_letter = ""        # last program letter seen
    kegiatan_count = 0      # kegiatan seen under the current program
    digit_level = numbering.digit_level
    # locals, not attribute look-ups, in a loop over every row of the sheet
    tokens, kode_levels, text_levels = rows.tokens, rows.kode_levels, rows.text_levels
    levels, problems, no_levels = out.levels, out.problems, out.no_levels
    if totals:
        tokens = list(tokens)
        for i in totals:
            levels[i] = "total"
            out.kode_levels[i] = None
            tokens[i] = None
    # what a NO token says, worked out once per (token, kode level, text level): a sheet repeats its
    # A / I / II tokens (~4 ms at 100.000 rows)
    known: dict = {}
    for i, tok, kl, tl in zip(range(n), tokens, kode_levels, text_levels):
        # the two common cases first (a 100.000-row sheet is nearly all of them): an unnumbered
        # rincian line and a numbered sub kegiatan, neither of which needs the numbering state
        if not tok:
            if tok is None or (kl is None and tl is None):  # a total row, or a rincian line (preset)
                continue
            level = kl or tl or "rincian"
        elif digit_level is not None and tok.isdigit():
            no_levels[i] = digit_level
            # a numbered 'Program …' row in a table without kode: the number counts programs
            level = kl or ("program" if tl == "program" else digit_level)
            if kl is not None and level != digit_level:
                problems[i] = "conflict"
        else:
            hint = None if tok.isdigit() and not numbering.plain else tl
            # a C, D, I, … token follows the sequences only through whether it is the next Roman numeral and
            # whether it is the next letter (_no_level): those two answers join its key (~2.000 tokens at
            # 100.000 rows: ~2 ms)
            key = ((tok, kl, hint, tok == _roman(kegiatan_count + 1),
                    tok == (chr(ord(last_letter) + 1) if last_letter else "A")) if tok in _SEQUENCED else (tok, kl, hint))
            placed = known.get(key)
            if placed is None:
                placed = known[key] = _numbered_level(tok, kl, hint, numbering, has_no, last_letter, kegiatan_count)
            level, no_levels[i], problems[i] = placed
        if level == "program":
            last_letter = tok if len(tok) == 1 and "A" <= tok <= "Z" else (chr(ord(last_letter) + 1) if last_letter else "A")
            kegiatan_count = 0
        elif level == "kegiatan":
            kegiatan_count += 1
        levels[i] = level
    return out


def _numbered_level(tok: str, kl: str | None, hint: str | None, numbering: _Numbering, has_no: bool,
                    last_letter: str, kegiatan_count: int) -> tuple[str | None, str | None, str | None]:
    """(level, level the NO marks, problem) of a row numbered otherwise than by a plain digit."""
    nl, problem = _no_level(tok, hint, numbering.outline, last_letter, kegiatan_count)
    if kl is not None:
        return kl, nl, ("conflict" if nl is not None and nl != kl else None)
    if nl is not None:
        return nl, nl, problem
    if hint is not None:
        return hint, nl, None
    if problem is None:
        return ("rincian" if (not has_no or numbering.plain) else None), nl, None
    return None, nl, problem


def _covers(closing: list[int], nos: list, uraians: list, n: int):
    """Per row, the first row a total below the data sums (−1: every top-level row, or no total).

    A TOTAL above the data covers every top-level row; one below covers those above it, a plain
    JUMLAH after an earlier one only its own block (a sub-total).
    """
    import numpy as np

    covers = np.full(n, -1, dtype=np.int64)
    block_start: int | None = None
    for i in closing:
        label = " ".join(fold(t) for t in (nos[i], uraians[i]) if isinstance(t, str))
        grand = block_start is None or re.search(r"TOTAL|KESELURUHAN|SELURUH", label)
        covers[i] = 0 if grand else block_start
        block_start = i + 1 if i + 1 < n else None
    return covers


def _repeats(maybe_total: set[int], levels: list, nos: list, uraians: list, n: int):
    """Per row, the row a 'JUMLAH PROGRAM A' line below a program's rows names (−1: none)."""
    import numpy as np

    repeats = np.full(n, -1, dtype=np.int64)
    for i in sorted(maybe_total):
        if levels[i] != "rincian":
            continue
        named = next((_SUBTOTAL_LEVEL[m.group(2)] for t in (uraians[i], nos[i])
                      if isinstance(t, str) and (m := _SUBTOTAL.match(fold(t)))), None)
        if named is not None:
            repeats[i] = next((k for k in range(i - 1, -1, -1) if levels[k] == named), -1)
    return repeats


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
    since = None
    if closing:
        closed_at = np.full(n, -1)
        closed_at[closing] = closing
        since = np.maximum.accumulate(closed_at)  # the last closing total at or above each row
    parent = np.full(n, -1)
    for d in range(1, max(DEPTH.values())):
        # the last row of depth d at or above each row: strictly above for the deeper rows asked about, so
        # no shifted copy (and without a closing total, no test against it: ~1,5 ms at 100.000 rows)
        last = np.maximum.accumulate(np.where(depth == d, pos, -1))
        take = (depth > d) & (last > parent)  # a nearer shallower row than the one found so far
        if since is not None:
            take &= last > since
        parent[take] = last[take]
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
    return _top_level(h.index.to_numpy(), h["level"].to_numpy(), h["parent"].isna().to_numpy(dtype=bool))


def _top_level(rows, level, orphan) -> list[int]:
    # one numpy comparison per level name instead of mapping every row's level through DEPTH
    for name in _OUTLINE:  # shallowest first
        at = level == name
        if at.any():
            found = rows[at & orphan]
            return found.tolist() if found.dtype.kind == "i" else [int(r) for r in found]
    return []


def _isna(v: Any) -> bool:
    import pandas as pd

    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def children(h) -> dict[int, list[int]]:
    """Parent row -> its direct child rows, in sheet order; total rows get the top-level rows."""
    import numpy as np

    covers = (h["covers_from"].to_numpy(dtype=np.int64, na_value=-1) if "covers_from" in h.columns
              else np.full(len(h), -1, dtype=np.int64))
    return _children(h.index.to_numpy(), h["parent"].to_numpy(dtype=np.int64, na_value=-1), h["level"].to_numpy(),
                     covers)


def _children(rows, parent, level, covers) -> dict[int, list[int]]:
    """``children`` from the rows, their parent rows (−1: none), levels and the rows totals cover from (−1)."""
    import numpy as np

    has = parent >= 0
    child_rows = rows[has]
    parents = parent[has]
    # grouped with a stable sort instead of a dict append per row: 100.000 rows 16 → 8 ms
    order = np.argsort(parents, kind="stable")  # each parent's children together, in sheet order
    grouped = parents[order]
    starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1]))) if len(grouped) else grouped
    ends = np.append(starts[1:], len(grouped))
    first = np.argsort(order[starts], kind="stable")  # parents in the order their first child comes
    kid_rows = child_rows[order].tolist()
    out: dict[int, list[int]] = {p: kid_rows[a:b] for p, a, b in
                                 zip(grouped[starts][first].tolist(), starts[first].tolist(), ends[first].tolist())}
    is_total = level == "total"
    if is_total.any():
        top = _top_level(rows, level, ~has)
        for r, start in zip(rows[is_total].tolist(), covers[is_total].tolist()):
            out[r] = list(top) if start < 0 else [t for t in top if start <= t < r]
    return out
