"""Finding tables on sheets by their headers, and turning them into frames.

A table kind (realisasi, refocusing, ...) is described in ``validators/`` by a
``TableSpec``: its fields, each with header patterns. Here the engine scans
every sheet for a block of header rows whose columns match a spec, wherever it
starts, over one to three header rows (merged cells spread their text over
their span), skips a column-number row (``1 2 3 …``), reads the rows below
until the table ends, and builds a pandas frame indexed by Excel row number.

Value conventions in ``Table.frame`` (what every rule can rely on):
- ``money`` fields: pandas ``Int64`` in sen (1/100 rupiah), so sums are exact;
- ``number`` and ``percent`` fields: ``Float64`` (percent in percent units,
  ``101.02``); ``<field>__dp`` holds the decimals printed, when known;
- ``text``/``label`` fields: ``str`` or ``None``.
Cells that could not be read are ``<NA>`` and already reported (KX101–KX103).
"""

from __future__ import annotations

import math
import operator
import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from typing import Any

from kinerja_xl import engine_codes as codes
from kinerja_xl.numbers import NumberStatus, ParsedNumber, parse_number, parse_text
from kinerja_xl.workbook import SheetData

MONEY, NUMBER, PERCENT, TEXT, LABEL = "money", "number", "percent", "text", "label"
_MAX_RUPIAH = 90_000_000_000_000_000  # Int64 holds ±9,22·10¹⁸ sen


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Field:
    """One column of a table kind.

    ``patterns`` are regular expressions matched in full against the folded
    header label of a column (its header cells top to bottom, joined, upper
    case, punctuation removed). Named groups make the key dynamic:
    ``Field("target_{year}", (r"TAHUN (?P<year>\\d{4}) TARGET",))``.
    """

    key: str
    patterns: tuple[str, ...]
    kind: str = TEXT
    required: bool = False

    def match(self, label: str) -> str | None:
        for pattern in self.patterns:
            m = _compiled(pattern).fullmatch(label)
            if m:
                return self.key.format(**m.groupdict()) if m.groupdict() else self.key
        return None


@dataclass(frozen=True)
class TableSpec:
    kind: str
    title_id: str  # its title's msgid (Indonesian, marked N_): kinerja_xl.i18n translates it
    fields: tuple[Field, ...]
    min_matched: int = 2  # at least this many fields, all required ones among them
    # A table whose last row is a labelled footer (the survey recap's 'Nilai Hasil Survei'):
    # the first data row with a cell whose folded text matches this regex (in full) ends the table.
    end_row: str | None = None
    # Adjust the matched columns before the spec is judged: e.g. a realisasi table whose only
    # realisasi column is 'REALISASI TW III' (no JUMLAH beside period columns) takes it as its realisasi.
    resolve: Any = None  # Callable[[dict[str, int]], dict[str, int]] | None
    # Evidence before the kind's rules may raise anything: headers of at least ``min_fields``
    # different fields (``q_{n}`` over Q1 … Q4 is one field: a sales sheet's quarters are no
    # survey), or, short of that, ``plausible(table)`` true for the values read. A table with
    # less is not validated; ``find_tables`` hands it to the caller as a weak match.
    min_fields: int = 2
    plausible: Any = None  # Callable[[Table], bool] | None
    # Cells that hold no number by right: (field key, regex matched in full against the folded cell
    # text) pairs, e.g. ("target", "N ?A|AA|A|BB|B") for 'n/a' and SAKIP grades. Read as <NA> and
    # reported as KX106 (info: not checked) instead of KX102.
    not_numbers: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        """The title, a msgid translated when rendered (``translate(spec.title, lang)``)."""
        return self.title_id

    def field_of(self, key: str) -> int | None:
        """Position of the field that makes ``key`` (``q_3`` -> the ``q_{n}`` field), or None."""
        return self._memoised("_field_of_memo", key, self._field_of)

    def _memoised(self, name: str, key: str, compute) -> Any:
        """``compute(key)``, once per key: asked per column and per candidate header block (bounded)."""
        memo = self.__dict__.get(name)
        if memo is None:
            memo = self.__dict__[name] = {}
        try:
            return memo[key]
        except KeyError:
            if len(memo) > 1_000:
                memo.clear()
            value = memo[key] = compute(key)
            return value

    def _field_of(self, key: str) -> int | None:
        for i, f in enumerate(self.fields):
            if f.key == key:
                return i
        for i, f in enumerate(self.fields):
            if "{" in f.key and re.fullmatch(re.sub(r"\\\{\w+\\\}", r"[^_]+", re.escape(f.key)), key):
                return i
        return None

    def field_kind(self, key: str) -> str:
        return self._memoised("_field_kind_memo", key, self._field_kind)

    def _field_kind(self, key: str) -> str:
        for f in self.fields:
            if f.key == key or (("{" in f.key) and re.fullmatch(re.sub(r"\{\w+\}", r"[^_]+", f.key), key)):
                return f.kind
        return TEXT


def _column_list(array: Any) -> list[Any]:
    """A column's values as ``frame.at`` gives them: numpy scalars for the masked number columns
    (``<NA>`` where masked), the stored object otherwise."""
    mask = getattr(array, "_mask", None)
    if mask is None:
        return list(array)
    import pandas as pd

    values = list(array._data)  # numpy scalars, as .at gives them
    for i in mask.nonzero()[0].tolist():
        values[i] = pd.NA
    return values


def values_within(low: float, high: float, share: float = 0.9):
    """A ``TableSpec.plausible`` test: at least ``share`` of the numbers in the table's number
    columns lie in ``low``–``high`` (survey answers 1–4 pass, quarterly sales in the thousands
    do not). A table with no number at all is not plausible."""

    def plausible(table: Table) -> bool:
        import numpy as np

        keys = [k for k in table.columns if table.spec.field_kind(k) == NUMBER and k in table.frame]
        if not keys:
            return False
        values = np.concatenate([table.frame[k].dropna().to_numpy(dtype=float) for k in keys])
        return bool(len(values)) and float(np.mean((values >= low) & (values <= high))) >= share

    return plausible


# --------------------------------------------------------------------------- helpers


def fold(text: Any) -> str:
    """Header text folded for case, spacing and punctuation: 'Sisa Anggaran (Rp.)' -> 'SISA ANGGARAN RP'."""
    if text.__class__ is str and len(text) <= HEADER_MAX_CHARS:  # the same headers come back on every sheet and file
        out = _FOLDED.get(text)
        if out is None:
            if len(_FOLDED) >= _FOLDED_LIMIT:
                _FOLDED.clear()
            out = _FOLDED[text] = _NOT_HEADER_CHARS.sub(" ", unicodedata.normalize("NFKC", text).upper()).strip()
        return out
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    s = unicodedata.normalize("NFKC", str(text)).upper()
    return _NOT_HEADER_CHARS.sub(" ", s).strip()  # a run of anything else is one space


_NOT_HEADER_CHARS = re.compile(r"[^0-9A-Z%]+")
# short texts folded, for the process (only str: 1, 1.0 and True are equal keys but fold differently)
_FOLDED: dict[str, str] = {}
_FOLDED_LIMIT = 5_000


def col_letter(c: int) -> str:
    """Zero-based column index -> 'A', 'B', ..., 'AA'."""
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_ref(row: int, col: int) -> str:
    """Excel row number (1-based) and zero-based column -> 'E12'."""
    return f"{col_letter(col)}{row}"


def rupiah(sen: Any) -> Decimal | None:
    """Int64 sen from a frame -> exact Decimal rupiah (None for None and <NA>)."""
    try:
        n = int(sen)  # TypeError for None and pandas.NA
    except (TypeError, ValueError):
        return None
    return Decimal(n).scaleb(-2).normalize() if n % 100 else Decimal(n // 100)


# --------------------------------------------------------------------------- located table


@dataclass
class ReadIssue:
    """A cell whose value could not be used (reported by the engine as KX101–KX104, KX106)."""

    code: str
    row: int
    col: int
    field: str
    raw: Any


@dataclass
class Table:
    kind: str
    sheet: str
    spec: TableSpec
    frame: Any  # pandas.DataFrame, index = Excel row number
    columns: dict[str, int]  # field key -> zero-based column
    header_rows: tuple[int, int]  # first and last header row (Excel numbers)
    first_row: int
    last_row: int
    title: str | None = None  # text found above the header (the table's caption)
    issues: list[ReadIssue] = field(default_factory=list)
    formulas: AbstractSet[tuple[int, int]] = field(default_factory=set)  # (excel row, zero-based col)
    labels: dict[str, str] = field(default_factory=dict)  # field key -> folded header label ('TARGET TAHUN 2021')
    # formulas saved without a value whose value the reader computed (code KX105, raw = formula)
    computed: list[ReadIssue] = field(default_factory=list)
    # the whole sheet, for rules that read what stands around a table (a survey's respondent profile)
    sheet_data: SheetData | None = field(default=None, repr=False, compare=False)
    # what the rules' own runs of the kind's identity checks answered on this table's rows, by check error
    # (filled through ``kinerja_xl.coverage.record_check``): the coverage counts from them, not running them again
    checks_run: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def has(self, key: str) -> bool:
        return key in self.columns

    def cell(self, key: str, row: int) -> str:
        """A1 reference of field ``key`` on Excel row ``row``."""
        letters = self.__dict__.get("_letters")
        if letters is None:  # column letters once per table, not once per finding and related cell
            letters = self.__dict__["_letters"] = {k: col_letter(c) for k, c in self.columns.items()}
        return f"{letters[key]}{row}"

    def value(self, key: str, row: int) -> Any:
        """``frame.at[row, key]``, the same object (numpy scalar, ``<NA>``, text or None).

        ``DataFrame.at`` costs ~8 µs a call; the rules ask a few thousand cells of
        a seed-sized workbook one by one, so each column is turned once into a
        ``{row: value}`` dict (``column_values``).
        """
        cache = self.__dict__.get("_values")  # column_values inlined: rules ask ~1.700 cells per seed file
        if cache is not None and cache[0] is self.frame:
            column = cache[1].get(key)
            if column is not None:
                return column[row]
        return self.column_values(key)[row]

    def column_values(self, key: str) -> dict[int, Any]:
        """``{Excel row: frame.at[row, key]}`` for every row of the frame; read it, do not modify it.

        The frame is the table's own and never modified in place; a frame
        swapped for another drops the dicts.
        """
        cache = self.__dict__.get("_values")
        if cache is None or cache[0] is not self.frame:
            cache = self.__dict__["_values"] = (self.frame, {}, self.frame.index.tolist())
        column = cache[1].get(key)
        if column is None:
            column = cache[1][key] = dict(zip(cache[2], _column_list(self.array(key))))
        return column

    def array(self, key: str) -> Any:
        """The frame's column ``key`` as an array, read it, do not modify it: a pandas masked array
        for a number column (``Int64``, ``Float64``), a numpy array otherwise.

        The arrays ``build_table`` made the frame of, while the frame is that one: a column taken
        from the frame (``frame[key]``) makes a Series, ~15 µs, and the rules and the coverage
        read ~150 columns of a seed-sized workbook.
        """
        built = self.__dict__.get("_arrays")
        if built is not None and built[0] is self.frame:
            return built[1][key]
        column = self.frame[key]
        array = column.array
        return array if hasattr(array, "_mask") else column.to_numpy()

    def dtypes(self) -> tuple:
        """The frame's column dtypes, in order (``frame.dtypes`` makes a Series, ~25 µs)."""
        built = self.__dict__.get("_arrays")
        if built is not None and built[0] is self.frame:
            return tuple(array.dtype for array in built[1].values())
        return tuple(self.frame.dtypes.tolist())

    def filled(self, key: str) -> int:
        """How many cells of column ``key`` hold a value (``frame[key].count()``)."""
        import pandas as pd

        array = self.array(key)
        return len(array) - int(pd.isna(array).sum())

    def keys_like(self, prefix: str) -> list[str]:
        return [k for k in self.columns if k.startswith(prefix)]

    def row_key(self, row: int) -> str:
        """How a finding names its row: the kode when there is one, else NO + uraian."""
        return self.frame_row_key(row) or f"baris {row}"  # a row outside the frame (None) is named by its number too

    def frame_row_key(self, row: int) -> str | None:
        """``row_key`` of a row of the frame, None for a row that is not one: one index lookup
        answers both (``RuleContext.finding`` asked ``row in index`` and then ``row_key``'s own)."""
        cached = self.__dict__.get("_row_texts")
        if cached is None or cached[0] is not self.frame:  # the text columns as arrays (no copy), once per frame
            frame = self.frame
            index = frame.index
            # the rising Excel rows of a frame build_table made: without a gap a row's position is a
            # subtraction, not a pandas lookup (3.137 findings at 100.000 rows: ~0,6 ms)
            built = self.__dict__.get("_arrays")
            first = (int(index[0]) if built is not None and built[0] is frame and len(index)
                     and index[-1] - index[0] == len(index) - 1 else None)
            cached = self.__dict__["_row_texts"] = (
                frame, first, len(index), index,
                self.array("kode") if "kode" in frame.columns else None,
                [(key, self.array(key)) for key in ("no", "uraian", "program", "indikator", "unsur", "pertanyaan")
                 if key in frame.columns])
        _, first, n, index, kode, texts = cached
        if first is not None and row.__class__ is int:
            i = row - first
            if not 0 <= i < n:
                return None
        else:
            try:
                i = index.get_loc(row)
            except (KeyError, TypeError):
                return None
        if kode is not None:
            v = kode[i]
            if isinstance(v, str):
                v = v.strip()
                if v:
                    return v
        parts = []
        for key, column in texts:
            v = column[i]
            if isinstance(v, str):
                text = v.strip()
                if text:
                    parts.append(text if len(v) <= 60 else text[:57] + "…")
                    if key != "no":
                        break
        return " ".join(parts) or f"baris {row}"


# --------------------------------------------------------------------------- location


_COLNUM = re.compile(r"^\(?\d{1,2}\)?$")


def _is_number_like(v: Any) -> bool:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return True
    # the cheap tests first: parsing is what costs, and a header word has no digit
    return isinstance(v, str) and len(v) > 2 and any(map(str.isdigit, v)) and parse_number(v).status in (NumberStatus.TEXT,)


def _is_column_number_row(row: list[Any]) -> bool:
    """'1 2 3 4 ...' printed under the headers."""
    nums = []
    for v in row:  # out at the first filled cell that is no column number (a header's first word)
        if v is None or (v.__class__ is str and not v.strip()) or (v.__class__ is not str and str(v).strip() == ""):
            continue
        t = fold(v)
        if not _COLNUM.match(t.replace(" ", "")):
            return False
        nums.append(int(re.sub(r"\D", "", t)))
    if len(nums) < 3:
        return False
    # strictly rising: a respondent answering 1 | 4 4 4 4 … is data, not a numbering row
    return all(a < b for a, b in zip(nums, nums[1:])) and nums[0] <= 2


def _merge_map(sheet: SheetData) -> dict[tuple[int, int], tuple[int, int]]:
    """Every covered cell -> the top-left cell of its merge (made once per sheet and list of merges:
    the header search, each table's labels and the coverage ask for it; do not modify it)."""
    merges = sheet.merges
    cached = sheet.__dict__.get("_merge_map")
    if cached is not None and cached[0] is merges and cached[1] == len(merges):
        return cached[2]
    out = _make_merge_map(sheet)
    sheet.__dict__["_merge_map"] = (merges, len(merges), out)
    return out


def _make_merge_map(sheet: SheetData) -> dict[tuple[int, int], tuple[int, int]]:
    out = {}
    for r0, c0, r1, c1 in sheet.merges:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 10_000:
            continue  # a whole-row merge (title) says nothing about columns
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                out[(r, c)] = (r0, c0)
    return out


def _header_texts(sheet: SheetData, r: int, height: int, ncols: int, merges) -> list[list[str]]:
    """Folded header text per row of the block, merged cells spread over their span."""
    block = []
    for dr in range(height):
        row = []
        for c in range(ncols):
            src = merges.get((r + dr, c), (r + dr, c))
            row.append(fold(sheet.value(*src)))
        block.append(row)
    # Without merge information (xlwings, CSV-like sheets) an upper header cell
    # that spans sub-columns is blank right of its text: spread it over the
    # columns that have a sub-header of their own.
    for dr in range(height - 1):
        for c in range(1, ncols):
            if not block[dr][c] and block[dr][c - 1] and block[dr + 1][c] and block[dr + 1][c - 1] and (r + dr, c) not in merges:
                block[dr][c] = block[dr][c - 1]
    return block


def _labels(block: list[list[str]], ncols: int) -> list[str]:
    labels = []
    for c in range(ncols):
        parts: list[str] = []
        for row in block:
            t = row[c]
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        labels.append(" ".join(parts))
    return labels


def _spec_accepts(spec: TableSpec, found: dict[str, int]) -> bool:
    if len(found) < spec.min_matched:
        return False
    return all(any(k == f.key for k in found) for f in spec.fields if f.required)


@dataclass
class _Candidate:
    spec: TableSpec
    start: int
    height: int
    found: dict[str, int]
    weak: bool = False  # headers of fewer than spec.min_fields fields


def _evidence(spec: TableSpec, found: dict[str, int]) -> int:
    """How many different fields of ``spec`` took a column (a key no field makes counts alone)."""
    return len({spec.field_of(k) if spec.field_of(k) is not None else k for k in found})


# A header cell is a few words; a longer text (a note, a pasted paragraph, a title) is never one.
# Folding and matching such texts is what made header search slow on sheets full of them.
HEADER_MAX_CHARS = 200


# --------------------------------------------------------------------------- header vocabulary

# pattern -> compiled, shared by every field and search of the process: a pattern is compiled once,
# and only when a label holds one of the words it needs (compiling every kind's patterns cost
# ~25 ms of the first file a process checked)
_COMPILED: dict[str, re.Pattern] = {}
_COMPILED_LIMIT = 4_096  # vocabularies are a few hundred patterns; a caller making specs on the fly must not grow it


def _compiled(pattern: str) -> re.Pattern:
    compiled = _COMPILED.get(pattern)
    if compiled is None:
        if len(_COMPILED) >= _COMPILED_LIMIT:
            _COMPILED.clear()
        compiled = _COMPILED[pattern] = re.compile(pattern)
    return compiled


class _Unknown(Exception):
    """A construct ``_read_pattern`` does not reason about: the pattern is then left to ``re``."""


# a regular expression in the pieces _read_pattern reads: groups, '|', a character class, an
# escape, '.', anchors, a quantifier, a run of literal characters; anything else ('{' that is no
# quantifier) is one character of its own, which _read_pattern refuses
_PATTERN_TOKEN = re.compile(r"\(\?P<\w+>|\(\?:?|[()|]|\[\^?\]?(?:\\.|[^\]\\])*\]|\\.|[.^$]|[?*+][?+]?"
                            r"|\{\d*(?:,\d*)?\}[?+]?|[^()|\[\\.^$?*+{]+|.", re.DOTALL)
_DIGITS = frozenset("0123456789")
_CLASS_MAX = 12  # a character class of more characters says too little to be worth a requirement
_EXPANSION_MAX = 256  # strings a pattern may stand for and be matched as a set of them

Needs = list  # of frozenset[str]: every string the pattern takes holds a text of each set


def _read_pattern(pattern: str) -> list[tuple[str, Needs, frozenset[str] | None]]:
    """(text, needs, strings) of each branch of a header pattern (its top-level alternatives:
    the pattern takes a label in full where one of them does):

    - needs: sets of texts without a space; every string the branch takes in full holds a text
      of each set (``[]`` where nothing can be said);
    - strings: every string the branch takes in full, where they are few (``_EXPANSION_MAX``);
      otherwise None.

    Read here in the plain subset header patterns are written in (literal characters, groups,
    ``|``, the quantifiers, small character classes, ``.`` and ``\\d``), not by ``re``'s own
    parser, which costs as much as compiling: the point is to compile few patterns. Anything
    else (lookarounds, anchors, flags, backreferences) leaves the whole pattern to ``re``.
    """
    tokens = _PATTERN_TOKEN.findall(pattern)
    branches = []
    i = 0
    try:
        while True:
            needs, strings, end = _read_sequence(tokens, i)
            branches.append(("".join(tokens[i:end]), needs, frozenset(strings) if strings is not None else None))
            if end < len(tokens) and tokens[end] == "|":
                i = end + 1
                continue
            break
    except (_Unknown, IndexError, ValueError):
        return [(pattern, [], None)]
    if end != len(tokens):
        return [(pattern, [], None)]
    return branches


def _most_telling(needs: Needs) -> frozenset[str]:
    """The set of texts rarest to find: its shortest text longest, then the fewest texts."""
    return max(needs, key=lambda texts: (min(map(len, texts)), -len(texts)))


def _read_alternation(tokens: list[str], i: int) -> tuple[Needs, list[str] | None, int]:
    needs, strings, i = _read_sequence(tokens, i)
    if i >= len(tokens) or tokens[i] != "|":
        return needs, strings, i
    all_needs, all_strings = [needs], [strings]
    while i < len(tokens) and tokens[i] == "|":
        needs, strings, i = _read_sequence(tokens, i + 1)
        all_needs.append(needs)
        all_strings.append(strings)
    # a text of any branch's most telling set
    needs = [] if not all(all_needs) else [frozenset().union(*map(_most_telling, all_needs))]
    strings = None
    if not any(s is None for s in all_strings) and sum(map(len, all_strings)) <= _EXPANSION_MAX:
        strings = [s for branch in all_strings for s in branch]
    return needs, strings, i


def _read_sequence(tokens: list[str], i: int) -> tuple[Needs, list[str] | None, int]:
    needs: Needs = []  # of every element that cannot be skipped
    strings: list[str] | None = [""]
    run = ""  # literal characters in a row
    n = len(tokens)
    while i < n:
        token = tokens[i]
        first = token[0]
        if first in "|)":
            break
        i += 1
        char = None
        atom_needs: Needs = []
        atom_strings: list[str] | None = None
        if first == "(":
            if token == "(?":
                raise _Unknown  # lookarounds, flags, conditionals, named backreferences
            atom_needs, atom_strings, i = _read_alternation(tokens, i)
            if tokens[i] != ")":
                raise _Unknown
            i += 1
        elif first == "[":
            chars = _read_class(token)
            if chars is not None:
                atom_needs, atom_strings = [chars], sorted(chars)
        elif first == "\\":
            if token[1] == "d":  # also other scripts' digits: label_bits sends non-ASCII labels to re
                atom_needs = [_DIGITS]
            elif token[1].isalnum() or token[1] == "_":
                if token[1] not in "sSwWD":
                    raise _Unknown  # anchors, backreferences, \n and the like
            else:
                char = token[1]
        elif first in "^$?*+{":
            raise _Unknown
        elif first != ".":
            char = token[-1]
        quantified = i < n and tokens[i][0] in "?*+{"
        if char is not None and not quantified:
            run += token if first != "\\" else char
            continue
        if char is not None:  # the quantifier takes the last character of the run only
            if first != "\\":
                run += token[:-1]
            atom_needs, atom_strings = [frozenset((char,))], [char]
        if run:
            needs.extend(frozenset((piece,)) for piece in run.split(" ") if piece)
            if strings is not None:
                strings = [s + run for s in strings]
            run = ""
        least, most = 1, 1
        if quantified:
            least, most = _read_quantifier(tokens[i])
            i += 1
        if least >= 1:
            needs.extend(texts for texts in atom_needs if not any(" " in t for t in texts))
        if strings is not None:
            strings = _times(strings, atom_strings, least, most)
    if run:
        needs.extend(frozenset((piece,)) for piece in run.split(" ") if piece)
        if strings is not None:
            strings = [s + run for s in strings]
    return needs, strings, i


def _times(strings: list[str], atom: list[str] | None, least: int, most: int | None) -> list[str] | None:
    """``strings`` each followed by ``least`` to ``most`` of ``atom``; None when too many or unbounded."""
    if atom is None or most is None:
        return None
    out: list[str] = []
    layer = strings
    for k in range(most + 1):
        if k >= least:
            out.extend(layer)
        if k < most:
            if len(layer) * len(atom) > _EXPANSION_MAX:
                return None
            layer = [s + a for s in layer for a in atom]
        if len(out) > _EXPANSION_MAX:
            return None
    return out


def _read_class(token: str) -> frozenset[str] | None:
    """The characters of a class like ``[IV1-4]``; None for a negated one, an escape class or a large one."""
    body = token[1:-1]
    if body.startswith("^"):
        return None
    chars: set[str] = set()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if body[i + 1].isalnum():
                return None
            ch = body[i + 1]
            i += 1
        if i + 2 < len(body) and body[i + 1] == "-":
            high = body[i + 2]
            if high == "\\":
                return None
            chars.update(chr(c) for c in range(ord(ch), ord(high) + 1))
            i += 3
        else:
            chars.add(ch)
            i += 1
    return frozenset(chars) if len(chars) <= _CLASS_MAX else None


def _read_quantifier(token: str) -> tuple[int, int | None]:
    """(fewest, most: None for no bound) repeats of a quantifier token, lazy or not."""
    if token[-1] == "+" and len(token) > 1:
        raise _Unknown  # possessive: a different language than the greedy form
    q = token[0]
    if q == "?":
        return 0, 1
    if q == "*":
        return 0, None
    if q == "+":
        return 1, None
    low, comma, high = token[1:token.index("}")].partition(",")
    if not low and not high:
        raise _Unknown
    if not comma:
        return int(low), int(low)
    return int(low or 0), (int(high) if high else None)


class _Vocabulary:
    """The header patterns of a list of specs, each a bit of an int, and what labels matched.

    A label's value is the set of patterns taking it in full (``label_bits``); a field takes
    the label when one of its patterns does, a kind's gate passes when one of its bits is set.
    Most patterns stand for a few hundred strings at most and are matched as a set of them; the
    others are compiled when first needed and tried only on labels holding a word they need
    (``_read_pattern``): most labels, and most data rows' texts, are rejected by a few dict
    lookups and no regex at all, and a process compiles only the patterns its sheets call for.
    """

    def __init__(self, specs: tuple[TableSpec, ...]):
        self.specs = specs  # held: the cache is keyed by their ids
        index: dict[str, int] = {}
        for spec in specs:
            for f in spec.fields:
                for p in f.patterns:
                    index.setdefault(p, len(index))
        self.patterns = list(index)
        self.fields = {id(spec): tuple(_bits(index[p] for p in f.patterns) for f in spec.fields) for spec in specs}
        self.gates = {}
        for spec in specs:
            masks = self.fields[id(spec)]
            required = [m for f, m in zip(spec.fields, masks) if f.required]
            # a spec that ``resolve``s its columns may make a required key from another field:
            # then it needs only some field to take a label
            self.gates[id(spec)] = tuple(required) if required and spec.resolve is None else (_bits_or(masks),)
        # a pattern's branches that stand for few strings are matched as a set of them (no regex
        # compiled); each other branch is a unit for re, tried on a label holding a text of its most
        # telling set of needs (``words``: text -> those units), and only if the label holds one of
        # each of its sets (``requires``: per unit, the bits of its sets; ``words`` gives a text's sets)
        self.exact: dict[str, int] = {}
        self.units: list[str] = []
        self.unit_bits: list[int] = []  # the pattern a unit is part of
        self.requires: list[int] = []
        self.compiled: list[re.Pattern | None] = []
        self.always = 0  # units that need nothing known: tried on every label
        sets: dict[frozenset[str], int] = {}
        words: dict[str, list[int]] = {}
        for p, bit in index.items():
            for text, needs, strings in _read_pattern(p):
                if strings is not None:
                    for string in strings:
                        self.exact[string] = self.exact.get(string, 0) | 1 << bit
                    continue
                unit = len(self.units)
                self.units.append(text)
                self.unit_bits.append(1 << bit)
                self.compiled.append(None)
                required = 0
                for texts in needs:
                    if texts not in sets:
                        sets[texts] = len(sets)
                        for word in texts:
                            words.setdefault(word, [0, 0])[1] |= 1 << sets[texts]
                    required |= 1 << sets[texts]
                self.requires.append(required)
                if not needs:
                    self.always |= 1 << unit
                    continue
                for word in _most_telling(needs):
                    words.setdefault(word, [0, 0])[0] |= 1 << unit
        self.regex = (1 << len(self.units)) - 1
        self.words = tuple((word, bits[0], bits[1]) for word, bits in words.items())
        self.token_memo: dict[str, tuple[int, int]] = {}
        self.label_memo: dict[str, int] = {}
        self.first_memo: dict[int, dict[str, tuple[int, str | None]]] = {id(spec): {} for spec in specs}
        self.passing_memo: dict[int, tuple[TableSpec, ...]] = {}
        self.matched = 0  # labels tried against the patterns (memo misses), for tests

    def passing(self, block: int) -> tuple[TableSpec, ...]:
        """The specs whose gates the patterns ``block`` pass (each needed field has one of them)."""
        specs = self.passing_memo.get(block)
        if specs is None:
            if len(self.passing_memo) > _LABEL_MEMO_LIMIT:
                self.passing_memo.clear()
            gates = self.gates
            specs = self.passing_memo[block] = tuple(
                spec for spec in self.specs if all(block & gate for gate in gates[id(spec)]))
        return specs

    def trim(self) -> None:
        """Empty the memos that outgrew ``_LABEL_MEMO_LIMIT`` (each is also emptied as it grows past it)."""
        for memo in (self.token_memo, self.label_memo, self.passing_memo, *self.first_memo.values()):
            if len(memo) > _LABEL_MEMO_LIMIT:
                memo.clear()

    def token_bits(self, token: str) -> tuple[int, int]:
        """(the units whose most telling needs ``token`` meets, the sets of needs it meets)."""
        bits = self.token_memo.get(token)
        if bits is None:
            if len(self.token_memo) > _LABEL_MEMO_LIMIT:
                self.token_memo.clear()
            patterns = sets = 0
            for word, word_patterns, word_sets in self.words:
                if word in token:
                    patterns |= word_patterns
                    sets |= word_sets
            bits = self.token_memo[token] = (patterns, sets)
        return bits

    def label_bits(self, label: str) -> int:
        """The patterns taking ``label`` in full, as bits (0: no field of any kind takes it)."""
        bits = self.label_memo.get(label)
        if bits is not None:
            return bits
        memo = self.label_memo
        if len(memo) > _LABEL_MEMO_LIMIT:  # data rows' texts come here too: bounded as it grows
            memo.clear()
        bits = self.exact.get(label, 0)
        met = -1  # every set of needs met
        if label.isascii():
            candidates, met = self.always, 0
            token_memo = self.token_memo
            for token in label.split(" "):
                hit = token_memo.get(token) or self.token_bits(token)
                candidates |= hit[0]
                met |= hit[1]
        else:  # \d takes digits other than 0-9, which no word needed holds: every unit
            candidates = self.regex
        if bits or candidates:
            self.matched += 1
        if candidates:
            compiled, requires = self.compiled, self.requires
            while candidates:
                low = candidates & -candidates
                candidates ^= low
                i = low.bit_length() - 1
                if met & requires[i] != requires[i] or bits & self.unit_bits[i]:
                    continue  # a set of needs not met, or its pattern took the label already
                unit = compiled[i]
                if unit is None:
                    unit = compiled[i] = _compiled(self.units[i])
                if unit.fullmatch(label) is not None:
                    bits |= self.unit_bits[i]
        memo[label] = bits
        return bits


def _bits(positions: Iterable[int]) -> int:
    out = 0
    for i in positions:
        out |= 1 << i
    return out


def _bits_or(masks: Iterable[int]) -> int:
    out = 0
    for m in masks:
        out |= m
    return out


# the vocabularies in use, by the ids of their specs (each holds its specs, so an id is never
# reused while its entry lives); what labels matched is kept for the life of the process
_VOCABULARIES: dict[tuple[int, ...], _Vocabulary] = {}
_VOCABULARIES_LIMIT = 16
# labels per memo: header labels are a few hundred; the rest are data rows' texts, which must not
# keep megabytes alive after the search (a 100.000-row sheet's would, ~40 MB)
_LABEL_MEMO_LIMIT = 5_000


def _vocabulary(specs: Iterable[TableSpec]) -> _Vocabulary:
    specs = tuple(specs)
    key = tuple(map(id, specs))
    vocabulary = _VOCABULARIES.get(key)
    if vocabulary is None:
        if len(_VOCABULARIES) >= _VOCABULARIES_LIMIT:
            _VOCABULARIES.clear()
        vocabulary = _VOCABULARIES[key] = _Vocabulary(specs)
    return vocabulary


class HeaderSearch:
    """The header search of one sheet: which rows start a table, of which kind, with which columns.

    Its cost is about linear in the sheet's cells whatever they hold: each distinct cell text is
    folded once, texts longer than ``HEADER_MAX_CHARS`` are not header candidates, and each
    distinct label is matched once against the patterns needing a word it holds (``_Vocabulary``);
    which kinds' fields take it is then a few bit operations. The fields' own patterns only
    make the key (``q_{n}`` -> ``q_3``). ``folds`` and ``label_matches`` count the work done.

    What a label matched is kept for the process, not only for the sheet: the same headers come
    back on every sheet, every report of an audit and every press of the ribbon.
    """

    def __init__(self, sheet: SheetData, specs: list[TableSpec], merges=None, ncols: int | None = None):
        self.sheet, self.specs = sheet, specs
        self.merges = _merge_map(sheet) if merges is None else merges
        self.ncols = sheet.n_cols if ncols is None else ncols
        self.vocabulary = _vocabulary(specs)
        self.vocabulary.trim()
        self._merged_rows: dict[int, dict[int, tuple[int, int]]] = {}  # row -> its merged cells' sources
        for (mr, mc), source in self.merges.items():
            self._merged_rows.setdefault(mr, {})[mc] = source
        self._folded: dict[Any, str] = {}
        self._rows: dict[int, list[str]] = {}
        self._texts: dict[int, bool] = {}
        self.folds = self.label_matches = 0

    def fold_cell(self, v: Any) -> str:
        if v is None:
            return ""
        key = (v.__class__, v)  # 1, 1.0 and True are equal keys but fold differently
        try:
            return self._folded[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value (never from the readers)
            return fold(v)
        self.folds += 1
        out = "" if isinstance(v, str) and len(v) > HEADER_MAX_CHARS else fold(v)
        self._folded[key] = out
        return out

    def _row(self, r: int) -> list[str]:
        """Folded text of row ``r``, merged cells spread over their span (``_header_texts``'s first step)."""
        row = self._rows.get(r)
        if row is None:
            if len(self._rows) > 8:  # rows are visited nearly in order: keep only the last few
                self._rows.clear()
            fold_cell, ncols = self.fold_cell, self.ncols
            merged = self._merged_rows.get(r)
            if merged is None:  # no merged cell on the row: its own cells, blanks beyond its end
                cells = self.sheet.rows[r] if r < len(self.sheet.rows) else []
                row = [fold_cell(v) for v in cells[:ncols]]
                if len(row) < ncols:
                    row.extend([""] * (ncols - len(row)))
            else:
                value = self.sheet.value
                row = [fold_cell(value(*merged.get(c, (r, c)))) for c in range(ncols)]
            self._rows[r] = row
        return row

    def _has_text(self, r: int) -> bool:
        """Whether row ``r`` holds a text that is not a number, counting only texts short enough to be
        headers (a long text is not parsed as a number either: that alone cost seconds on a sheet of them)."""
        texts = self._texts.get(r)
        if texts is None:
            if len(self._texts) > 8:
                self._texts.clear()
            texts = self._texts[r] = any(v.__class__ is str and len(v) <= HEADER_MAX_CHARS and v.strip() and not _is_number_like(v)
                                         for v in self.sheet.rows[r])
        return texts

    def labels(self, r: int, height: int) -> list[str]:
        if height == 1:  # one row: its folded texts are the labels
            return list(self._row(r))
        block = [list(self._row(r + dr)) for dr in range(height)]
        # as _header_texts: an upper header cell blank right of its text spreads over sub-headers
        ncols = self.ncols
        for dr in range(height - 1):
            for c in range(1, ncols):
                if not block[dr][c] and block[dr][c - 1] and block[dr + 1][c] and block[dr + 1][c - 1] and (r + dr, c) not in self.merges:
                    block[dr][c] = block[dr][c - 1]
        return _labels(block, ncols)

    def _label_bits(self, label: str) -> int:
        vocabulary = self.vocabulary
        bits = vocabulary.label_memo.get(label)
        if bits is None:
            matched = vocabulary.matched
            bits = vocabulary.label_bits(label)
            self.label_matches += vocabulary.matched - matched
        return bits

    def _first_hit(self, spec: TableSpec, label: str, bits: int) -> tuple[int, str | None]:
        """(position, key) of the first field of ``spec`` taking ``label`` (whose ``label_bits`` are
        ``bits``); (-1, None) for none."""
        memo = self.vocabulary.first_memo[id(spec)]
        out = memo.get(label)
        if out is None:
            if len(memo) > _LABEL_MEMO_LIMIT:
                memo.clear()
            out = (-1, None)
            for pos, mask in enumerate(self.vocabulary.fields[id(spec)]):
                if bits & mask:
                    f = spec.fields[pos]
                    out = (pos, f.match(label) if "{" in f.key or "}" in f.key else f.key)
                    break
            memo[label] = out
        return out

    def match_spec(self, spec: TableSpec, labels: list[str]) -> dict[str, int]:
        """Field key -> column: each column goes to the first field taking its label whose key is
        not taken yet (a second 'PERTANYAAN' column is ``pertanyaan`` after ``pertanyaan_no``)."""
        found: dict[str, int] = {}
        for c, label in enumerate(labels):
            if not label:
                continue
            bits = self._label_bits(label)
            if not bits:
                continue
            pos, key = self._first_hit(spec, label, bits)
            if pos < 0:
                continue
            if key not in found:
                found[key] = c
                continue
            for f in spec.fields[pos + 1:]:  # rare: the first field's key is taken
                key = f.match(label)
                if key and key not in found:
                    found[key] = c
                    break
        return spec.resolve(found) if spec.resolve else found

    def best_at(self, r: int) -> _Candidate | None:
        """The best header block starting at row ``r`` (one to three rows), or None."""
        sheet = self.sheet
        if not self._has_text(r):
            return None
        best: _Candidate | None = None
        passing = self.vocabulary.passing
        for height in (1, 2, 3):
            if r + height > sheet.n_rows:
                break
            if height > 1:
                nxt = sheet.rows[r + height - 1]
                if _is_column_number_row(nxt) or not self._has_text(r + height - 1) or (best and _is_total_row(nxt, best)):
                    break
            labels = self.labels(r, height)
            block = 0  # every pattern taking a label of the block
            for label in labels:
                if label:
                    block |= self._label_bits(label)
            if not block:
                continue  # no label any kind can take
            for spec in passing(block):  # the kinds whose every needed field takes a label of the block
                found = self.match_spec(spec, labels)
                if not _spec_accepts(spec, found):
                    continue
                weak = _evidence(spec, found) < spec.min_fields
                # a strong match beats a weak one; a taller block wins ties: its extra row is a sub-header, not data
                if best is None or (best.weak and not weak) or (weak == best.weak and (
                        len(found) > len(best.found) or (len(found) == len(best.found) and spec is best.spec))):
                    best = _Candidate(spec, r, height, found, weak)
        return best


_TOTAL_LABELS = {"TOTAL", "JUMLAH", "JUMLAH TOTAL", "TOTAL KESELURUHAN", "GRAND TOTAL"}


def _is_total_row(row: list[Any], above: _Candidate) -> bool:
    """A TOTAL/JUMLAH row right under the headers, its amounts still empty (a blank
    template, or SUM formulas never calculated), is data, not one more header row.
    It says TOTAL in a text column (uraian, NO); a sub-header 'JUMLAH' sits under
    an amount column (REALISASI over TW I … JUMLAH) and stays a header."""
    text_cols = [c for key, c in above.found.items() if above.spec.field_kind(key) in (TEXT, LABEL)]
    return any(c < len(row) and isinstance(row[c], str) and fold(row[c]) in _TOTAL_LABELS for c in text_cols)


def _title_above(sheet: SheetData, r: int) -> str | None:
    for rr in range(r - 1, max(-1, r - 4), -1):
        texts = [str(v).strip() for v in sheet.rows[rr] if isinstance(v, str) and v.strip()]
        if texts:
            return " ".join(texts)
    return None


def _blank_test(cols: list[int]):
    """A test whether a row has no value in any of ``cols`` (cells beyond a short row are blank).

    The table's end is found row by row; one tuple comparison per row instead of
    a generator over its cells (~3× faster on 100.000 rows).
    """
    if not cols:
        return lambda row: True
    width = max(cols) + 1
    get = operator.itemgetter(*cols, cols[0])  # always a tuple, even for one column
    nones = (None,) * (len(cols) + 1)

    def is_blank(row: list[Any]) -> bool:
        if len(row) >= width:
            return all(map(operator.is_, get(row), nones))  # `is`, as a cell's own == may be odd
        return all(row[c] is None if c < len(row) else True for c in cols)

    return is_blank


def _column_cells(rows: list[list[Any]], start: int, n: int, col: int) -> list[Any] | None:
    """The cells of column ``col`` in ``rows[start:n]``, taken in C; None when a row is too short to
    hold the column (then no pass of its own over the rows' lengths, ~3 ms at 100.000 rows)."""
    try:
        return list(map(operator.itemgetter(col), rows[start:n]))
    except IndexError:
        return None


def _next_gap(values: list[Any], start: int, n: int):
    """A function giving, for a row position ≥ ``start``, the first row at or below it whose cell
    in ``values`` (a column's cells from ``start`` to ``n``) is empty (``n`` if none).

    The rows before such a gap are not blank, so the table's end is looked for only at gaps: a
    search of one column in C instead of a blank test per row (~30 ms on 100.000 rows).
    """

    def next_gap(r: int) -> int:
        try:
            # list.index finds None by identity; a cell that merely equals None just gets the full test
            return start + values.index(None, r - start)
        except ValueError:
            return n

    return next_gap


def locate_tables(sheet: SheetData, specs: list[TableSpec], max_blank: int = 3,
                  weak: list | None = None, cells: dict | None = None) -> list[tuple[TableSpec, int, int, int, dict[str, int]]]:
    """Find tables on one sheet: (spec, header_row0, header_height, data_end0_exclusive, columns).

    Tables matched on too little evidence (``TableSpec.min_fields``) go to ``weak`` instead
    (when given), in the same form; their rows are not searched for another table.
    ``cells``, when given, receives what finding each table's end read, for ``build_table``:
    {header_row0: {zero-based column: its cells from the first data row on}}.
    """
    out = []
    merges = _merge_map(sheet)
    ncols = sheet.n_cols  # the widest row: a pass over every row, so once per sheet
    search = HeaderSearch(sheet, specs, merges, ncols)
    r = 0
    n = sheet.n_rows
    while r < n:
        cand = search.best_at(r)
        if cand is None:
            r += 1
            continue
        cand = _without_label_row(search, cand, merges)
        data_start = cand.start + cand.height
        if data_start < n and _is_column_number_row(sheet.rows[data_start]):
            data_start += 1
        read: dict[int, list[Any]] = {}
        end = _table_end(search, cand, data_start, max_blank, read)
        if cells is not None:
            cells[cand.start] = read
        found = _skip_currency_columns(sheet, cand, data_start, end, merges)
        if not cand.weak:
            out.append((cand.spec, cand.start, cand.height, end, found))
        elif weak is not None:
            weak.append((cand.spec, cand.start, cand.height, end, found))
        r = max(end, data_start)
    return out


def _without_label_row(search: HeaderSearch, cand: _Candidate, merges) -> _Candidate:
    """The header block without a label typed right above it (no empty row between).

    'Jumlah Responden : 30' or a unit's name in one or two unmerged cells over an e-SMILE
    export reads as the top row of a two-row header (its text spreads over the columns
    beside it, as a group header's does): the block one row lower, when it takes at
    least as many columns, is the header and the label stays a label cell above it.
    """
    if cand.height < 2:
        return cand
    top = search.sheet.rows[cand.start]
    filled = [c for c, v in enumerate(top) if v is not None and str(v).strip()]
    if not 0 < len(filled) <= 2 or any((cand.start, c) in merges for c in filled):
        return cand
    lower = search.best_at(cand.start + 1)
    if lower is None or lower.spec is not cand.spec or lower.weak or len(lower.found) < len(cand.found):
        return cand
    return lower


def _table_end(search: HeaderSearch, cand: _Candidate, data_start: int, max_blank: int,
               read: dict[int, list[Any]] | None = None) -> int:
    """The row after a table's last row (zero-based, exclusive): the table runs until
    ``max_blank`` empty rows (then a closing JUMLAH row still belongs to it), another table's
    header row, or the spec's ``end_row``. A text-only row after a gap is the next table's
    caption unless data follows it. ``read`` receives the column whose cells it took, if it did,
    {column: its cells from ``data_start`` to at least the end}."""
    rows, n = search.sheet.rows, search.sheet.n_rows
    used = sorted(set(cand.found.values()))
    value_cols = [c for k, c in cand.found.items() if cand.spec.field_kind(k) not in (TEXT, LABEL)]
    text_cols = [c for k, c in cand.found.items() if cand.spec.field_kind(k) == TEXT]
    end = data_start
    blanks = 0
    caption = False
    rr = data_start
    blank_in_used, blank_in_values = _blank_test(used), _blank_test(value_cols)
    # a run of rows filled in a column the table uses continues the table: skipped in one step
    col = (value_cols or used)[0]
    cells = None if cand.spec.end_row else _column_cells(rows, data_start, n, col)
    next_gap = None if cells is None else _next_gap(cells, data_start, n)
    while rr < n:
        if next_gap is not None and not blanks and not caption:
            gap = next_gap(rr)
            if gap > rr:
                end = rr = gap
                continue
        row = rows[rr]
        if blank_in_used(row):
            blanks += 1
            if blanks >= max_blank:
                # a template's unused input rows, then its JUMLAH row: the total still belongs here
                total = _closing_total(rows, rr + 1, n, cand, blank_in_used)
                if total is not None:
                    end = total + 1
                break
        else:
            if (blanks or caption) and search.best_at(rr) is not None:
                break  # another table starts after a gap
            if blanks >= 2 and not _continues_table(row, text_cols, value_cols):
                break  # two empty rows, then rows of another shape: an unrelated block, not more data
            if (blanks or caption) and value_cols and blank_in_values(row):
                caption = True
                blanks = 0
                rr += 1
                continue
            caption = False
            blanks = 0
            end = rr + 1
            if cand.spec.end_row and any(isinstance(v, str) and re.fullmatch(cand.spec.end_row, fold(v)) for v in row):
                break
        rr += 1
    values = None if cells is None else cells[:end - data_start]
    if values is not None and read is not None:
        read[col] = values
    return _stacked_table_end(search, rows, data_start, end, col, blank_in_values if value_cols else blank_in_used,
                              values)


def _continues_table(row: list[Any], text_cols: list[int], value_cols: list[int]) -> bool:
    """Whether a row after a gap of empty rows still reads as the table's data: a value in one of its
    value columns and no number where it keeps its text (uraian). A caption, or a block whose label
    column holds amounts, is something else."""
    if value_cols and not any(c < len(row) and row[c] is not None and not (
            isinstance(row[c], str) and (not row[c].strip() or _WORDY.search(row[c]))) for c in value_cols):
        return False
    return not any(c < len(row) and _is_number_like(row[c]) for c in text_cols)


# a word (two letters or more) that is not a currency sign: 'PAGU AWAL', not '100.000' or 'Rp 1.000'
_WORDY = re.compile(r"(?i)(?<![a-z])(?!(?:rp|idr)(?![a-z]))[a-z]{2,}")


def _stacked_table_end(search: HeaderSearch, rows: list[list[Any]], data_start: int, end: int, col: int, blank,
                       values: list[Any] | None = None) -> int:
    """``end``, or the row where another table's header row stands inside the rows read as data.

    Two tables stacked with no blank row (or only a caption) between them: the second header
    row ends the first table and is never its data; captions and empty rows before it go too.
    Only rows with words in the table's first value column can be headers: each distinct text
    there is looked at once, so numbers typed as text cost no parsing. ``values``: the column's cells
    over those rows when the caller has them (taking them again cost ~6 ms at 100.000 rows).
    """
    if values is None:
        values = [row[col] if col < len(row) else None for row in rows[data_start:end]]
    texts = {v for v in values if v.__class__ is str}
    wordy = {t for t in texts if _WORDY.search(t)}
    if not wordy:
        return end
    for i, v in enumerate(values):
        r = data_start + i
        if i and v in wordy and search.best_at(r) is not None:
            while r > data_start and blank(rows[r - 1]):
                r -= 1
            return r
    return end


def _closing_total(rows: list[list[Any]], start: int, n: int, cand: _Candidate, blank, limit: int = 500) -> int | None:
    """The row of a TOTAL/JUMLAH line after a run of empty rows (at most ``limit``), if that is what comes next."""
    for r in range(start, min(n, start + limit)):
        if not blank(rows[r]):
            return r if _is_total_row(rows[r], cand) else None
    return None


_CURRENCY_ONLY = re.compile(r"(RP|IDR)")


def _skip_currency_columns(sheet: SheetData, cand: _Candidate, data_start: int, end: int, merges) -> dict[str, int]:
    """'PLAFON (Rp)' merged over a narrow 'Rp' column and the amount column: the amount is the field."""
    found = dict(cand.found)
    taken = set(found.values())
    labels = None
    for key, c in cand.found.items():
        if cand.spec.field_kind(key) not in (MONEY, NUMBER):
            continue
        values = (sheet.value(r, c) for r in range(data_start, end))  # lazy: the first amount settles it
        if end <= data_start or any(v is not None and not (isinstance(v, str) and _CURRENCY_ONLY.fullmatch(fold(v)))
                                    for v in values):
            continue
        if labels is None:
            labels = _labels(_header_texts(sheet, cand.start, cand.height, sheet.n_cols, merges), sheet.n_cols)
        nxt = c + 1
        if nxt < len(labels) and nxt not in taken and labels[nxt] == labels[c]:
            found[key] = nxt
            taken.add(nxt)
    return found


# --------------------------------------------------------------------------- frames


def _blank_rows(rows: list[list[Any]], col_idx: list[int], texts: list[list[Any]], nones: list[list[int]]) -> list[int]:
    """Positions of the rows with no value in any of the columns (such a row is skipped), from what
    reading the columns left: ``texts``, the text columns as read (None where the cell was blank or
    blank text), and ``nones``, the positions of the blank cells of each number column.

    A number column knows its blank cells from the few cells it read one by one, so a table with a
    number column filled on every row needs no pass at all; otherwise the candidates are narrowed
    column by column on the rows themselves.
    """
    if not col_idx:
        return list(range(len(rows)))  # no column, no value: as ever, no row
    if any(not blank for blank in nones):
        return []
    for column in texts:
        if not any(map(operator.is_, column, repeat(None))):  # a text column filled on every row (a test in C)
            return []
    if nones:
        blank = min(nones, key=len)
    elif texts:
        blank = [i for i, v in enumerate(texts[0]) if v is None]  # blank text too: narrowed below
    else:
        return []
    for c in col_idx:
        blank = [i for i in blank if rows[i][c] is None]
        if not blank:
            break
    return blank


def _texts(raws: Iterable[Any]) -> list[str | None]:
    """A text column: stripped text or None; a whole number read as float is printed without '.0'."""
    # blanks tested first, then text: a kode or NO column is mostly blank (100.000 rows: ~1,3 ms less
    # a column; ~0,2 ms more on a column of texts only)
    return [None if raw is None else (raw.strip() or None) if raw.__class__ is str
            else str(int(raw)) if isinstance(raw, float) and raw.is_integer()
            else (str(raw).strip() or None) for raw in raws]


def _column(rows: list[list[Any]], c: int, cells: list[Any] | None) -> Iterable[Any]:
    """Column ``c`` of ``rows`` (each row holding it): ``cells`` when already taken, else taken in C as read."""
    return cells if cells is not None else map(operator.itemgetter(c), rows)


def _text_column(rows: list[list[Any]], c: int, cells: list[Any] | None = None) -> list[str | None]:
    """``_texts`` of column ``c`` of ``rows`` (each row holding it; ``cells``: the column, if taken)."""
    if len(rows) < 100:  # a failed try below costs ~1 µs, the C path saves ~20 ns a cell: short columns go cell by cell
        return _texts(_column(rows, c, cells))
    try:  # a column of texts only (the uraian): stripped in C, 100.000 rows ~4,1 -> ~1,8 ms
        out = list(map(str.strip, _column(rows, c, cells)))
    except TypeError:  # a blank or a number: at its first, cell by cell
        return _texts(_column(rows, c, cells))
    return out if all(out) else [text or None for text in out]  # all(): a truth test, not == '' (~0,1 ms)


def _money_numbers(raws: Iterable[Any], n: int):
    """(sen as int64, missing mask, positions left for ``_read_cell``) of a money column of ``n`` cells.

    Real numbers (floats, as readers give them) become sen in one numpy pass, rounded half to
    even like ``round``; beyond Int64 sen (≈ 9·10¹⁶ rupiah), NaN or inf they take the slow path,
    which reports them, as do text, blanks and Python ints (exact, no float in between).
    """
    import numpy as np

    # fromiter and one where() instead of np.array and a gather and scatter of the fast cells: ~0,5 ms
    # a column of 100.000 rows; the rest is 0 before the multiply (no overflow, no NaN cast to int)
    numbers = np.fromiter([raw if raw.__class__ is float else math.nan for raw in raws], dtype=np.float64, count=n)
    fast = np.abs(numbers) < _MAX_RUPIAH  # False for NaN and inf
    sen = np.rint(np.where(fast, numbers, 0.0) * 100).astype(np.int64)
    return sen, np.zeros(n, dtype=bool), np.flatnonzero(~fast).tolist()


def _float_numbers(raws: Iterable[Any], row0, c: int, uncached):
    """(values as float64, positions left for ``_read_cells``) of a number or percent column.

    Real numbers (int or float, finite, not a formula without a cached value) become floats in
    one numpy pass instead of a test per cell and a list handed to ``pd.array`` (a 20.000-row
    survey with 20 answer columns: ~90 -> ~15 ms); the rest (text, blanks, bools, NaN, inf) is read
    by ``_read_cells`` and lands at its position.
    """
    import numpy as np

    # float() of an int too large for a float raises OverflowError, as math.isfinite did
    numbers = np.array([raw if raw.__class__ is float else float(raw) if raw.__class__ is int else math.nan
                        for raw in raws], dtype=np.float64)
    fast = np.isfinite(numbers)
    if uncached:  # a formula never calculated is KX101, whatever number stands in its place
        for i in np.flatnonzero(fast).tolist():
            if (row0[i], c) in uncached:
                fast[i] = False
    return numbers, np.flatnonzero(~fast).tolist()


def _parse_once(raw: Any, parsed: dict[str, ParsedNumber]) -> ParsedNumber:
    """``parse_number`` of a cell, each text parsed once per table: most text cells are a few
    values repeated (``-`` for every zero)."""
    if raw.__class__ is not str:  # 1, 1.0 and True are equal keys but different cells
        return parse_number(raw)
    p = parsed.get(raw)
    if p is None:  # parse_number's own for a str, without its type tests first (~0,2 µs a text)
        p = parsed[raw] = parse_text(raw)
    return p


def _read_cell(raw: Any, r: int, c: int, key: str, kind: str, uncached, issues: list[ReadIssue],
               parsed: dict[str, ParsedNumber]) -> tuple[Any, Any]:
    """(value, printed decimals) of a cell that is no plain number: text, blank, an int, a formula
    without a cached value; appends the reason to ``issues`` when it cannot be used."""
    if kind == MONEY and type(raw) is int and -_MAX_RUPIAH < raw < _MAX_RUPIAH:
        return raw * 100, None
    if (r, c) in uncached:
        issues.append(ReadIssue(codes.UNCACHED.code, r + 1, c, key, raw))
        return None, None
    p = _parse_once(raw, parsed)
    ok = p.ok  # asked once: the property compares enum members (1.655 texts at 100.000 rows: ~0,4 ms)
    if ok and kind == MONEY and p.value is not None and not -_MAX_RUPIAH < p.value < _MAX_RUPIAH:
        p, ok = ParsedNumber(None, NumberStatus.UNPARSEABLE), False
    if not ok:
        issues.append(ReadIssue((codes.AMBIGUOUS if p.status == NumberStatus.AMBIGUOUS else codes.UNPARSEABLE).code, r + 1, c, key, raw))
        return None, None
    if p.status == NumberStatus.TEXT:
        issues.append(ReadIssue(codes.TEXT_NUMBER.code, r + 1, c, key, raw))
    return (p.value if kind != MONEY or p.value is None else int((p.value * 100).to_integral_value())), p.decimals


def _read_cells(raws: list[Any], positions: list[int], row0, c: int, key: str, kind: str, uncached,
                issues: list[ReadIssue], parsed: dict[str, ParsedNumber]) -> list[tuple[Any, Any]]:
    """``_read_cell`` of the cells ``raws`` at the positions ``positions`` (as many), in their order.

    A column's texts and blanks are a few values repeated ('-' for every zero): each distinct one is
    read once, its (value, decimals, issue code) kept, and only its issue made anew per cell
    (4.643 such cells at 100.000 rows: 15 -> 4 ms). A formula without a cached value is always
    KX101, whatever its text, so that test comes first, as in ``_read_cell``.
    """
    memo: dict[Any, tuple[Any, Any, str | None]] = {}
    out = []
    for i, raw in zip(positions, raws):
        r = row0[i]
        if (raw.__class__ is str or raw is None) and not (uncached and (r, c) in uncached):
            hit = memo.get(raw)
            if hit is None:  # uncached is passed empty: it was tested above, and is per cell, not per text
                found: list[ReadIssue] = []
                value, decimals = _read_cell(raw, r, c, key, kind, (), found, parsed)
                memo[raw] = (value, decimals, found[0].code if found else None)
                issues.extend(found)
            else:
                value, decimals, code = hit
                if code is not None:
                    issues.append(ReadIssue(code, r + 1, c, key, raw))
        else:  # ints, bools, dates, NaN, formulas without a value: as they come
            value, decimals = _read_cell(raw, r, c, key, kind, uncached, issues, parsed)
        out.append((value, decimals))
    return out


class TableFormulas(AbstractSet):
    """Formula cells of a table's rows as (Excel row, zero-based column): a view of the sheet's
    zero-based set, not a copy of it (100.000 formula cells took ~40 ms to copy and shift)."""

    def __init__(self, cells: AbstractSet, start: int, end: int):
        self._cells, self._start, self._end = cells, start, end  # zero-based rows start <= r < end

    def __contains__(self, cell: object) -> bool:
        try:
            row, col = cell  # type: ignore[misc]
            return self._start <= row - 1 < self._end and (row - 1, col) in self._cells
        except (TypeError, ValueError):
            return False

    def __iter__(self):
        return ((r + 1, c) for r, c in self._cells if self._start <= r < self._end)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return repr(set(self))


def _padded(rows: list[list[Any]], width: int) -> list[list[Any]]:
    """``rows`` with each row shorter than ``width`` copied and filled up with blanks (the rows are the sheet's)."""
    return [row if len(row) >= width else row + [None] * (width - len(row)) for row in rows]


def _row_index(keep: range | list[int], data_start: int):
    """The frame's index, the Excel row numbers of the rows at positions ``keep``: with no row
    left out numpy's arange, not a list and an Index made from it (100.000 rows: ~10 ms)."""
    import numpy as np
    import pandas as pd

    if not keep:
        return pd.Index([], name="row")  # object dtype, as pandas makes an empty Index
    if isinstance(keep, range):
        return pd.Index(np.arange(data_start + 1, data_start + 1 + len(keep), dtype=np.int64), name="row")
    return pd.Index(np.array(keep, dtype=np.int64) + (data_start + 1), name="row")


def _money_column(rows: list[list[Any]], c: int, cells, row0, key: str, uncached, issues: list[ReadIssue], parsed):
    """(sen, missing mask, positions of the blank cells) of money column ``c`` of ``rows`` (each row
    holding it; ``cells``: the column, if taken): real numbers at once, the rest cell by cell."""
    sen, missing, slow = _money_numbers(_column(rows, c, cells), len(rows))
    raws = [rows[i][c] for i in slow]
    for i, (value, _) in zip(slow, _read_cells(raws, slow, row0, c, key, MONEY, uncached, issues, parsed)):
        if value is None:
            missing[i] = True
        else:
            sen[i] = value
    return sen, missing, [i for i, raw in zip(slow, raws) if raw is None]


def _float_column(rows: list[list[Any]], c: int, cells, row0, key: str, kind: str, uncached, issues: list[ReadIssue],
                  parsed):
    """(values as float64, missing mask, the decimals printed in each cell, positions of the blank
    cells) of number or percent column ``c`` of ``rows`` (each row holding it; ``cells``: the column, if taken)."""
    import numpy as np

    n = len(rows)
    decimals: list[Any] = [None] * n
    numbers, slow = _float_numbers(_column(rows, c, cells), row0, c, uncached)
    raws = [rows[i][c] for i in slow]
    missing = np.zeros(n, dtype=bool)
    for i, (value, dp) in zip(slow, _read_cells(raws, slow, row0, c, key, kind, uncached, issues, parsed)):
        decimals[i] = dp
        if value is None:
            missing[i], numbers[i] = True, math.nan  # NaN under the mask, as pd.array leaves it
        else:
            numbers[i] = float(value)
    return numbers, missing, decimals, [i for i, raw in zip(slow, raws) if raw is None]


def _objects(values: list[Any]):
    """An object ndarray of ``values`` as they are (no inference, no nesting)."""
    import numpy as np

    try:  # NumPy 1.23 and later: the fastest way, ~2× filling an empty array
        return np.fromiter(values, dtype=object, count=len(values))
    except (TypeError, ValueError):
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out


def _int64_array(values: list[int | None]):
    """``pd.array(values, dtype="Int64")`` of ints and Nones, made from its two numpy arrays
    (~70 µs less a column; the masked slots hold 1, as pandas fills them)."""
    import numpy as np
    import pandas as pd

    return pd.arrays.IntegerArray(np.array([1 if v is None else v for v in values], dtype=np.int64),
                                  np.array([v is None for v in values], dtype=bool))


_COLUMNS: dict[tuple[str, ...], Any] = {}


def _built_frame(arrays: list[Any], columns: Any, index: Any):
    import pandas as pd
    from pandas.core.internals.construction import arrays_to_mgr

    manager = arrays_to_mgr(arrays, columns, index, verify_integrity=False, consolidate=False)
    return pd.DataFrame._from_mgr(manager, axes=manager.axes)


def _frame(data: dict[str, Any], index: Any):
    """``pd.DataFrame(data, index=index)`` of 1-D arrays as long as ``index``, each kept as it is
    (object ndarrays stay object) and in its own block, as the public constructor leaves columns
    given as Series: made by pandas' own builder from arrays, without the checks and the dtype
    inference the public constructor makes of every column (~80 µs a table, a dozen tables per
    report; 100.000 rows ~1 ms). Where a pandas lacks that builder, the public way."""
    import pandas as pd

    keys = tuple(data)
    columns = _COLUMNS.get(keys)
    if columns is None:  # an Index is immutable: frames of the same columns share one (~30 µs to make)
        if len(_COLUMNS) >= 1_000:
            _COLUMNS.clear()
        columns = _COLUMNS[keys] = pd.Index(list(keys))  # the labels' dtype as the public constructor infers it
    try:
        return _built_frame(list(data.values()), columns, index)
    except (ImportError, AttributeError, TypeError):
        return pd.DataFrame({k: pd.Series(v, index=index, dtype=getattr(v, "dtype", None), copy=False)
                             for k, v in data.items()}, index=index, copy=False)


def _read_columns(rows: list[list[Any]], data_start: int, columns: dict[str, int], kinds: dict[str, str], uncached,
                  known: dict[int, list[Any]]):
    """(the frame's arrays by column, the frame's index, the issues met) of ``rows``, each holding every
    column (an IndexError otherwise); ``known``: columns already taken, {column: its cells from the first row on}.

    Each column is read straight off the rows, in C, with a list comprehension for the common cell
    (a real number, a text label) and parse_number only for the rest, and without a list of its raw
    cells first (6 columns × 100.000 rows: ~13 ms for those lists, ~5 ms more to free them); the
    rows with no value in any column are dropped afterwards, in the rare table that has them.
    """
    import numpy as np
    import pandas as pd

    n = len(rows)
    row0 = range(data_start, data_start + n)  # zero-based sheet row of each position
    issues: list[ReadIssue] = []
    parsed: dict[str, ParsedNumber] = {}  # text -> parse_number(text), shared by the columns
    read: dict[str, Any] = {}
    texts, nones = [], []
    for key, c in columns.items():
        kind = kinds[key]
        cells = known.get(c)
        if cells is not None and len(cells) != n:  # taken down to a stacked table's header row, or short
            cells = cells[:n] if len(cells) > n else None
        if kind in (TEXT, LABEL):
            read[key] = _text_column(rows, c, cells)
            texts.append(read[key])
        elif kind == MONEY:  # a real number needs no parsing: sen for the whole column at once
            *read[key], blank = _money_column(rows, c, cells, row0, key, uncached, issues, parsed)
            nones.append(blank)
        else:
            *read[key], blank = _float_column(rows, c, cells, row0, key, kind, uncached, issues, parsed)
            nones.append(blank)
    keep: range | list[int] = range(n)
    blank = _blank_rows(rows, list(columns.values()), texts, nones)
    if blank:
        skip = set(blank)
        keep = [i for i in range(n) if i not in skip]
        taken = np.array(keep, dtype=np.intp)
        for key, value in read.items():
            read[key] = ([value[i] for i in keep] if kinds[key] in (TEXT, LABEL)
                         else [part[taken] if isinstance(part, np.ndarray) else [part[i] for i in keep] for part in value])
        if issues:  # only a formula never calculated is reported on a blank cell (KX101)
            dropped = {data_start + i + 1 for i in blank}
            issues = [issue for issue in issues if issue.row not in dropped]
    # the columns gathered first and the frame made once: a column set into a frame costs ~0,15 ms,
    # a few dozen per seed-sized workbook
    data: dict[str, Any] = {}
    dps: dict[str, list[Any]] = {}
    for key, value in read.items():
        kind = kinds[key]
        if kind in (TEXT, LABEL):
            data[key] = _objects(value)  # object, not pandas' inferred str
        elif kind == MONEY:
            data[key] = pd.arrays.IntegerArray(*value)
        else:
            data[key] = pd.arrays.FloatingArray(*value[:2])
            if kind == PERCENT:
                dps[key] = value[2]
    for key, values in dps.items():
        data[f"{key}__dp"] = _int64_array(values)
    return data, _row_index(keep, data_start), issues


def build_table(sheet: SheetData, spec: TableSpec, start: int, height: int, end: int, columns: dict[str, int],
                known: dict[int, list[Any]] | None = None) -> Table:
    """The located table (``locate_tables``) read into its frame; ``known``: the cells
    ``locate_tables`` took of some columns, from the first data row on (``cells``)."""
    data_start = start + height
    if data_start < sheet.n_rows and _is_column_number_row(sheet.rows[data_start]):
        data_start += 1
    kinds = {k: spec.field_kind(k) for k in columns}  # field_kind matches patterns: once per column, not per cell
    width = max(columns.values(), default=-1) + 1
    rows = sheet.rows[data_start:end]
    try:  # a reader's grid: every row holds every column (no pass over the rows' lengths first, ~2 ms)
        # the column locate_tables took to find the table's end is not taken again (100.000 rows: ~1,5 ms)
        data, index, issues = _read_columns(rows, data_start, columns, kinds, sheet.uncached, known or {})
        wide = bool(rows)
    except IndexError:  # a row too short: the cells it lacks read as blank
        data, index, issues = _read_columns(_padded(rows, width), data_start, columns, kinds, sheet.uncached, {})
        wide = False
    frame = _frame(data, index)
    if spec.not_numbers and issues:
        issues = _not_numbers(spec, issues)
    # row by row, as the cells are read: they were met column by column in the columns' order, each
    # column's top down, so a stable sort by row is enough (1.945 issues at 100.000 rows: ~0,3 ms)
    issues.sort(key=operator.attrgetter("row"))
    # a column's label depends on the columns up to it only: when every data row holds the table's
    # columns, the labels up to its last column are enough (sheet.n_cols is a pass over every row)
    ncols = width if wide else sheet.n_cols
    table = Table(
        kind=spec.kind, sheet=sheet.name, spec=spec, frame=frame, columns=dict(columns),
        header_rows=(start + 1, start + height), first_row=data_start + 1, last_row=end,
        title=_title_above(sheet, start), issues=issues, formulas=TableFormulas(sheet.formulas, data_start, end),
        labels=_column_labels(sheet, start, height, ncols, columns), sheet_data=sheet,
        computed=_computed_cells(sheet, data_start, end, {c: k for k, c in columns.items() if kinds[k] not in (TEXT, LABEL)}),
    )
    table.__dict__["_arrays"] = (frame, data)  # Table.array reads these, not a Series per column
    return table


def _not_numbers(spec: TableSpec, issues: list[ReadIssue]) -> list[ReadIssue]:
    """KX102 on a cell that ``spec.not_numbers`` says holds no number by right becomes KX106 (not checked)."""
    allowed = [(spec.field_of(key), re.compile(pattern)) for key, pattern in spec.not_numbers]

    def by_right(issue: ReadIssue) -> bool:
        at = spec.field_of(issue.field)
        return isinstance(issue.raw, str) and any(f == at and p.fullmatch(fold(issue.raw)) for f, p in allowed)

    return [ReadIssue(codes.NOT_A_NUMBER.code, i.row, i.col, i.field, i.raw)
            if i.code == codes.UNPARSEABLE.code and by_right(i) else i
            for i in issues]


def _column_labels(sheet: SheetData, start: int, height: int, ncols: int, columns: dict[str, int]) -> dict[str, str]:
    """Field key -> folded header label: a key like 'target' drops the year of 'TARGET TAHUN 2021'."""
    header = _labels(_header_texts(sheet, start, height, ncols, _merge_map(sheet)), ncols)
    return {key: header[c] for key, c in columns.items() if c < len(header)}


def _computed_cells(sheet: SheetData, data_start: int, end: int, key_of: dict[int, str]) -> list[ReadIssue]:
    """The table's value cells whose formula the reader computed (``SheetData.computed``)."""
    return [ReadIssue(codes.COMPUTED.code, r + 1, c, key_of[c], text) for (r, c), text in sheet.computed.items()
            if data_start <= r < end and c in key_of]


def find_tables(sheet: SheetData, specs: list[TableSpec], weak: list[Table] | None = None) -> list[Table]:
    """The tables of one sheet whose kind is recognised with enough evidence, in row order.

    A table matched on too few fields' headers (``TableSpec.min_fields``) is kept only where
    its spec's ``plausible`` accepts its values; otherwise it is not validated (its rules could
    only raise false alarms) and goes to ``weak`` when given, for the caller to mention.
    """
    if sheet.is_chart or not sheet.rows:
        return []
    candidates: list = []
    cells: dict[int, dict[int, list[Any]]] = {}
    strong = locate_tables(sheet, specs, weak=candidates, cells=cells)
    tables = [build_table(sheet, spec, s, h, e, cols, cells.get(s)) for spec, s, h, e, cols in strong]
    for spec, s, h, e, cols in candidates:
        table = build_table(sheet, spec, s, h, e, cols, cells.get(s))
        if spec.plausible is not None and spec.plausible(table):
            tables.append(table)
        elif weak is not None:
            weak.append(table)
    tables.sort(key=lambda t: t.header_rows[0])
    return tables
