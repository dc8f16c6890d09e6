"""Relations found in the data: identities a table obeys on most rows, and the rows that break them.

For a numeric table kinerja-xl does not know (or the columns of a known table
that no rule checked), the table itself says what should hold: when
``LEBIH/(KURANG) = REALISASI − ANGGARAN`` on 38 of 40 rows, the other two rows
are worth a warning. Three steps, all pure functions on cell values:

- :func:`numeric_blocks` finds rectangular numeric tables on a sheet (header
  rows of text above rows with at least two numeric columns);
- :func:`find_relations` finds column identities (c = a + b, c = a − b,
  c = a / b × 100) and row identities (a row = Σ of its parts, by account
  code, outline numbering, indentation, or a JUMLAH/TOTAL row closing its
  block) that hold on at least ``min_share`` of at least ``min_rows`` rows,
  with the rows that break them;
- :func:`describe` says it in the table's own header words.

Coincidences are the enemy here, hence the guards: constant, all-zero,
running-number and year columns take no part; rows where every operand is
zero are no evidence; a relation needs rows where its operands are non-zero;
and one column gets at most one explanation (the simplest).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from functools import lru_cache
from itertools import pairwise
from typing import Any

from kinerja_xl.numbers import parse_number
from kinerja_xl.numfmt import format_number
from kinerja_xl.i18n import N_, NP_, gettext_for, translate, translated

__all__ = [
    "Block",
    "Column",
    "Relation",
    "Violation",
    "Work",
    "build_block",
    "describe",
    "find_relations",
    "numeric_blocks",
    "related_cells",
]

# ---------------------------------------------------------------------------
# cells

_EMPTY, _NUM, _TEXT, _CODE = 0, 1, 2, 3
_MAX_FLOAT_DECIMALS = 4  # beyond this a float's digits are binary noise, not what was typed
# '4.1.4', '4.2.', '01', '01.01.02': account codes, never amounts. '4.1' alone is read as a number
# at cell level; a column holding strong codes is a code column as a whole.
_STRONG_CODE = re.compile(r"^(?:0\d+(?:\.\d+)*|\d+(?:\.\d+){2,}|\d+(?:\.\d+)*\.)$")
_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_SPACED_CODE = re.compile(r"^\d+(?: \d+)+$")  # '1 1 2 10': a code typed with spaces, not 11210
_LEAD_CODE = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?(?=\s|$|\[)")
_ROMAN = re.compile(r"^(?=[IVXLC]+\b)M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_TOTAL = re.compile(r"^\s*(?:SUB\s*-?\s*)?(?:JUMLAH|TOTAL)\b", re.IGNORECASE)


# a cell is a tuple (kind, value, decimals, percent): millions of them on a long sheet, so no objects.
# value is an int or a Decimal (exact either way), decimals the digits printed after the separator.
_EMPTY_CELL = (_EMPTY, None, 0, False)
_TEXT_CELL = (_TEXT, None, 0, False)
_CODE_CELL = (_CODE, None, 0, False)


def _classify(raw: Any) -> tuple:
    t = type(raw)
    if raw is None:
        return _EMPTY_CELL
    if t is int:
        return (_NUM, raw, 0, False)
    if t is float:
        if math.isnan(raw):
            return _EMPTY_CELL
        if raw in (math.inf, -math.inf):
            return _TEXT_CELL
        if raw.is_integer():
            return (_NUM, int(raw), 0, False)
        d = Decimal(repr(raw))
        exp = d.as_tuple().exponent
        return (_NUM, d, min(_MAX_FLOAT_DECIMALS, -exp) if isinstance(exp, int) and exp < 0 else 0, False)
    if t is str:
        return _classify_text(raw)
    if t is Decimal:
        exp = raw.as_tuple().exponent
        return (_NUM, raw, -exp if isinstance(exp, int) and exp < 0 else 0, False)
    return _TEXT_CELL  # bool, dates, errors: not amounts


def _classify_row(row: Sequence[Any]) -> list[tuple]:
    # whole numbers (floats, as readers give them) and blanks are most cells of a long sheet: no call for them
    return [
        (_NUM, int(v), 0, False) if type(v) is float and v.is_integer()
        else _EMPTY_CELL if v is None
        else _classify(v)
        for v in row
    ]


@lru_cache(maxsize=65536)
def _classify_text(raw: str) -> tuple:
    s = raw.strip()
    if not s:
        return _EMPTY_CELL
    if (_STRONG_CODE.match(s) and not _GROUPED.match(s)) or _SPACED_CODE.match(s):
        return _CODE_CELL
    p = parse_number(s)
    if p.ok and p.value is not None:
        return (_NUM, p.value, p.decimals or 0, p.percent)
    return _TEXT_CELL


def _is_whole(v: int | Decimal) -> bool:
    return isinstance(v, int) or v == v.to_integral_value()


# ---------------------------------------------------------------------------
# blocks


@dataclass
class Column:
    """One numeric column of a block."""

    index: int  # 0-based sheet column
    header: str
    values: list[int | Decimal | None]  # one per data row, exact
    decimals: list[int]  # digits printed after the decimal separator, per row
    percent_text: bool = False  # some cells carried a % sign

    @property
    def letter(self) -> str:
        return _letter(self.index)


@dataclass
class Block:
    """A rectangular numeric table found on a sheet.

    Rows are Excel rows (1-based); ``columns`` are the numeric columns, each
    with exact values for every data row (None where blank or text).
    """

    header_rows: list[int]
    first_row: int
    last_row: int
    label_columns: list[int]  # 0-based sheet columns holding codes / names
    code_column: int | None
    columns: list[Column]
    labels: list[str]  # per data row: the label cells joined
    codes: list[str | None]  # per data row: the account code or outline mark, when any
    indents: list[int]  # per data row: leading spaces of the first label text
    headers: dict[int, str] = field(default_factory=dict)  # every header column, 0-based -> text

    @property
    def n_rows(self) -> int:
        return self.last_row - self.first_row + 1

    @property
    def matrix(self) -> list[list[Decimal | None]]:
        """The numeric cells row by row (columns in ``columns`` order)."""
        return [list(r) for r in zip(*(c.values for c in self.columns))] if self.columns else []

    def column(self, header_or_index: str | int) -> Column:
        for c in self.columns:
            if c.index == header_or_index or _fold(c.header) == _fold(str(header_or_index)):
                return c
        raise KeyError(header_or_index)


def _fold(text: str) -> str:
    return " ".join(str(text).split()).upper()


def _letter(col: int) -> str:
    out, n = "", col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _numbering_row(cells: Sequence[tuple]) -> bool:
    """'1 | 2 | 3 | 4 …' printed under a header: column numbers, not data."""
    nums = [c[1] for c in cells if c[0] == _NUM]
    if len(nums) < 4 or nums[0] != 1 or any(c[0] in (_TEXT, _CODE) for c in cells):
        return False
    return all(_is_whole(v) for v in nums) and all(b - a == 1 for a, b in pairwise(nums))


def numeric_blocks(rows: Sequence[Sequence[Any]], min_rows: int = 5, max_blank: int = 1, min_columns: int = 2) -> list[Block]:
    """Find the numeric tables on a sheet given as rows of cell values.

    A block is 1–3 header rows with text over the numeric columns (a row of
    column numbers 1, 2, 3 … under them is part of the header), then data rows
    until a blank gap longer than ``max_blank`` rows, or a row that is itself a
    header (stacked tables: a header row starts a new table, never data).
    Blocks with fewer than ``min_rows`` rows holding ``min_columns`` numbers
    are dropped.
    """
    grid = [_classify_row(row) for row in rows]
    kinds: list[str] = []
    nums: list[list[int]] = []
    texts: list[list[int]] = []
    for cells in grid:
        kind_of = [c[0] for c in cells]
        num = [i for i, k in enumerate(kind_of) if k == _NUM]
        nums.append(num)
        texts.append([i for i, k in enumerate(kind_of) if k == _TEXT] if len(num) < len(kind_of) else [])
        if not num and all(k == _EMPTY for k in kind_of):
            kinds.append("blank")
        elif len(num) >= 4 and _numbering_row(cells):
            kinds.append("numbering")
        elif len(num) >= 2:
            kinds.append("numeric")
        else:
            kinds.append("other")

    def text_cols(r: int) -> set[int]:
        return set(texts[r])

    def num_cols(r: int) -> list[int]:
        return nums[r]

    blocks: list[Block] = []
    floor = 0  # rows above this belong to an earlier block
    r = 0
    n = len(grid)
    while r < n:
        if kinds[r] != "numeric":
            r += 1
            continue
        start = r
        seen: dict[int, int] = {}
        for i in num_cols(r):
            seen[i] = seen.get(i, 0) + 1
        end = r
        gap = 0
        r += 1
        while r < n:
            k = kinds[r]
            if k == "blank":
                gap += 1
                if gap > max_blank:
                    break
            elif k == "numbering":
                break
            else:
                if len(texts[r]) >= 2:
                    numeric_seen = {i for i, cnt in seen.items() if cnt >= 2} or set(seen)
                    over = len(text_cols(r) & numeric_seen)
                    if over >= 2 and (k != "numeric" or len(numeric_seen.intersection(num_cols(r))) <= 1):
                        break  # a header row: the next table starts here
                gap = 0
                if num_cols(r):
                    end = r  # a trailing line of text ('Printed by …') is not part of the table
                for i in num_cols(r):
                    seen[i] = seen.get(i, 0) + 1
            r += 1
        numeric_set = {i for i, cnt in seen.items() if cnt >= 2}
        # rows above the first numeric row: section headings (labels only) belong to the data,
        # then 1–3 header rows with text over the numeric columns
        top = start
        h = start - 1
        while h >= floor and kinds[h] == "other" and not (text_cols(h) & numeric_set):
            top = h
            h -= 1
        header_rows: list[int] = []
        while h >= floor and len(header_rows) < 4:
            if kinds[h] == "numbering" or (kinds[h] == "other" and text_cols(h) & numeric_set):
                header_rows.insert(0, h)
                h -= 1
            else:
                break
        text_header = [x for x in header_rows if kinds[x] != "numbering"]
        if len(text_header) > 3:
            header_rows = header_rows[-4:] if kinds[header_rows[-1]] == "numbering" else header_rows[-3:]
            text_header = [x for x in header_rows if kinds[x] != "numbering"]
        floor = end + 1
        if not text_header:
            continue
        block = build_block(rows, header_rows, top, end, _grid=grid)
        if block is not None and _dense_rows(block, min_columns) >= min_rows and len(block.columns) >= min_columns:
            blocks.append(block)
    return blocks


def _dense_rows(block: Block, min_columns: int) -> int:
    return sum(1 for row in block.matrix if sum(v is not None for v in row) >= min_columns)


def build_block(
    rows: Sequence[Sequence[Any]],
    header_rows: Sequence[int],
    first: int,
    last: int,
    *,
    _grid: list[list[tuple]] | None = None,
) -> Block | None:
    """Make a :class:`Block` from known bounds (0-based sheet rows, inclusive).

    The runner can use this for a table it already located, to look for
    relations among the columns no rule checked.
    """
    grid = _grid if _grid is not None else [_classify_row(row) for row in rows]

    def cell(r: int, c: int) -> tuple:
        row = grid[r] if r < len(grid) else ()
        return row[c] if c < len(row) else _EMPTY_CELL

    width = max((len(grid[r]) for r in [*header_rows, *range(first, last + 1)] if r < len(grid)), default=0)
    text_headers = [h for h in header_rows if not _numbering_row(grid[h])]
    headers: dict[int, str] = {}
    for c in range(width):
        parts = []
        for depth, h in enumerate(text_headers):
            t = cell(h, c)
            if t[0] != _EMPTY:
                parts.append(str(rows[h][c]).strip())
            elif depth + 1 < len(text_headers) and any(cell(x, c)[0] != _EMPTY for x in text_headers[depth + 1 :]):
                # a group heading merged over several columns sits only in its first column
                for left in range(c - 1, -1, -1):
                    if cell(h, left)[0] != _EMPTY:
                        if any(cell(x, left)[0] != _EMPTY for x in text_headers[depth + 1 :]):
                            parts.append(str(rows[h][left]).strip())
                        break
        if parts:
            headers[c] = " ".join(" ".join(p.split()) for p in parts)
    data = range(first, last + 1)
    # the block's cells column by column (one transpose, not a lookup per cell)
    by_col = list(zip(*(tuple(grid[r]) + (_EMPTY_CELL,) * (width - len(grid[r])) for r in data)))
    counts = {}  # column -> [num, text, strong code]
    for c, cells in enumerate(by_col):
        kinds = [x[0] for x in cells]
        counts[c] = [kinds.count(_NUM), kinds.count(_TEXT), kinds.count(_CODE)]
    numeric, label = [], []
    for c in range(width):
        n_num, n_text, n_code = counts[c]
        if n_code >= 2 or (n_code and n_code * 5 >= n_num):
            label.append(c)
        elif n_num >= 2 and n_num >= n_text:
            numeric.append(c)
        elif n_text or n_code:
            label.append(c)
    # whole numbers left of the names (NO, or a code split over several columns) and codes read as
    # numbers (1.1, 2.3) are labels
    text_cols = [c for c in label if counts[c][1] > counts[c][2]]
    if text_cols:
        first_text = min(text_cols)
        for c in [c for c in numeric if c < first_text]:
            nums = [x for x in by_col[c] if x[0] == _NUM]
            if all(_is_whole(x[1]) for x in nums) or all(abs(x[1]) < 100 and x[2] <= 2 and not x[3] for x in nums):
                numeric.remove(c)
                label.append(c)
        label.sort()
    if not numeric:
        return None
    first_num = min(numeric)
    label = [c for c in label if c < first_num] or label
    columns = []
    for c in numeric:
        cells = by_col[c]
        vals = [x[1] if x[0] == _NUM else None for x in cells]
        decs = [x[2] for x in cells]
        pct = any(x[3] for x in cells)
        columns.append(Column(c, headers.get(c, _letter(c)), vals, decs, pct))  # no header: its letter
    labels, codes, indents = [], [], []
    code_column = None
    code_hits: dict[int, int] = {}
    for r in data:
        for c in label:
            raw = rows[r][c] if c < len(rows[r]) else None
            if raw is not None and _LEAD_CODE.match(str(raw)):
                code_hits[c] = code_hits.get(c, 0) + 1
    if code_hits:
        code_column = max(code_hits, key=lambda c: (code_hits[c], -c))
    for r in data:
        texts = []
        indent = 0
        for c in label:
            raw = rows[r][c] if c < len(rows[r]) else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            s = str(raw)
            if not texts:
                indent = len(s) - len(s.lstrip(" \u00a0"))
            texts.append(" ".join(s.split()))
        labels.append(" ".join(texts))
        code = None
        if code_column is not None:
            raw = rows[r][code_column] if code_column < len(rows[r]) else None
            text = str(raw).strip() if raw is not None else ""
            if _SPACED_CODE.match(text):
                code = text.replace(" ", ".")
            else:
                m = _LEAD_CODE.match(text)
                if m:
                    code = m.group(1)
        if code is None:
            code = _outline_mark(labels[-1])
        codes.append(code)
        indents.append(indent)
    if any(c and c.startswith("I:") for c in codes):
        # 'I.' reads as a letter until 'II.' shows the list is roman
        codes = ["I:" + c[2:] if c in ("A:I", "A:V", "A:X") else c for c in codes]
    return Block(
        header_rows=[h + 1 for h in header_rows],
        first_row=first + 1,
        last_row=last + 1,
        label_columns=label,
        code_column=code_column,
        columns=columns,
        labels=labels,
        codes=codes,
        indents=indents,
        headers=headers,
    )


_OUTLINE = re.compile(r"^\s*(?:([A-Z])|([IVXLC]+)|(\d+)|([a-z]))[.)]\s")


def _outline_mark(label: str) -> str | None:
    """'A. …', 'II. …', '3) …', 'b. …' -> an outline key 'A:', 'I:', '1:', 'a:' naming its level."""
    m = _OUTLINE.match(label)
    if not m:
        return None
    upper, roman, digit, lower = m.groups()
    if roman and _ROMAN.match(roman):
        return "I:" + roman
    if upper:
        return "A:" + upper
    if digit:
        return "1:" + digit
    return "a:" + lower


# ---------------------------------------------------------------------------
# relations


@dataclass(frozen=True)
class Violation:
    row: int  # Excel row, 1-based
    column: int  # 0-based sheet column
    expected: Decimal
    actual: Decimal
    decimals: int  # of the printed cell, to show the expected value alike
    label: str = ""
    parts: tuple[int, ...] = ()  # for row sums: the Excel rows added up

    @property
    def cell(self) -> str:
        return f"{_letter(self.column)}{self.row}"


@dataclass
class Relation:
    """An identity found in a block.

    ``kind``: ``sum`` (target = a + b), ``difference`` (target = a − b),
    ``ratio`` (target = a / b × scale, scale 100 or 1 for cells formatted as
    %), ``rows`` (a row = Σ of its parts; ``columns`` lists where it holds).
    """

    kind: str
    target: int | None  # 0-based sheet column, for column relations
    operands: tuple[int, ...]
    headers: dict[int, str]
    holds: int
    applicable: int
    violations: list[Violation]
    scale: int = 1
    columns: tuple[int, ...] = ()
    methods: tuple[str, ...] = ()  # rows: 'code', 'outline', 'indent', 'total'
    parents: int = 0  # rows: how many parent rows were checked
    checked: tuple[str, ...] = ()  # A1 cells the relation was checked on (held or broke): coverage

    def text(self, lang: str = "id") -> str:
        h = self.headers
        if self.kind == "sum":
            return f"{h[self.target]} = {h[self.operands[0]]} + {h[self.operands[1]]}"
        if self.kind == "difference":
            return f"{h[self.target]} = {h[self.operands[0]]} − {h[self.operands[1]]}"
        if self.kind == "ratio":
            tail = " × 100" if self.scale == 100 else ""
            return f"{h[self.target]} = {h[self.operands[0]]} / {h[self.operands[1]]}{tail}"
        by = translated(_ROWS_BY, lang)
        how = ", ".join(by[m] for m in self.methods)
        cols = ", ".join(h[c] for c in self.columns)
        return translate(N_("baris = Σ rinciannya (menurut {how}; kolom {cols})"), lang).format(how=how, cols=cols)


# how the rows of a row-sum relation were told apart
_ROWS_BY = {"code": N_("kode rekening"), "outline": N_("penomoran"), "indent": N_("indentasi"), "total": N_("baris JUMLAH")}


@dataclass
class Work:
    """How much checking was done: the search is capped, and tests assert on it."""

    screened: int = 0  # candidate (target, a, b, operation) combinations screened on the sample
    sample_rows: int = 0
    verified: int = 0  # candidates checked on every row
    cells_checked: int = 0  # row-level comparisons made while verifying


_OPS = ("sum", "difference", "ratio100", "ratio1")
_SIMPLICITY = {"sum": 0, "difference": 1, "ratio": 2}


def _eligible(col: Column, min_rows: int) -> bool:
    vals = [v for v in col.values if v is not None]
    if len(vals) < min_rows:
        return False
    distinct = set(vals)
    if len(distinct) <= 1:
        return False  # constant or all zero: anything "explains" it
    ints = all(_is_whole(v) for v in vals)
    if ints and all(1900 <= v <= 2100 for v in vals):
        return False  # years
    if ints and len(vals) >= 3:
        steps = sum(1 for a, b in pairwise(vals) if b - a == 1)
        if steps >= 0.8 * (len(vals) - 1):
            return False  # running numbers 1, 2, 3 …
    return True


def _enough(holds: int, applicable: int, share: float) -> bool:
    return holds + 1e-9 >= share * applicable  # 0.9 × 30 must not be 27.000000000000004


def _tol(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-decimals - 1)


def find_relations(
    block: Block,
    min_share: float = 0.9,
    min_rows: int = 5,
    *,
    sample_size: int = 24,
    max_verify: int | None = None,
    window: int = 32,
    work: Work | None = None,
    only_columns: set[int] | None = None,
) -> list[Relation]:
    """The identities that hold on at least ``min_share`` of at least ``min_rows`` applicable rows.

    ``only_columns`` (0-based sheet columns) keeps the column relations whose
    result is one of them and the row sums' breaks in them: for a recognised
    table, the columns no rule checked. Column relations are screened on a
    sample of ``sample_size`` rows
    (vectorised, floats) and only the survivors are checked on every row with
    exact decimals, at most ``max_verify`` of them (default 4 per column); on a
    table wider than 2 × ``window`` numeric columns the operands are sought
    among the ``window`` columns either side of the result. The cost is about
    cells × a small constant plus columns × min(columns, 2 × window)² × the sample.
    """
    work = work if work is not None else Work()
    relations = _column_relations(block, min_share, min_rows, sample_size, max_verify, window, work)
    ratio_targets = {r.target for r in relations if r.kind == "ratio"}
    rows_rel = _row_relations(block, min_share, min_rows, ratio_targets, work)
    if rows_rel is not None:
        relations.append(rows_rel)
    if only_columns is not None:
        # a known table: the relations found over every column, reported only where no rule looked
        relations = [r for r in relations if (r.target in only_columns if r.kind != "rows" else set(r.columns) & only_columns)]
        for r in relations:
            if r.kind == "rows":
                r.violations = [v for v in r.violations if v.column in only_columns]
    return relations


def _column_relations(
    block: Block, min_share: float, min_rows: int, sample_size: int, max_verify: int | None, window: int, work: Work
) -> list[Relation]:
    cols = [c for c in block.columns if _eligible(c, min_rows)]
    k = len(cols)
    if k < 3:
        return []
    import numpy as np  # lazily: the module is imported by the engine on every run

    n = block.n_rows
    dense = [i for i in range(n) if sum(c.values[i] is not None for c in cols) >= 3]
    if len(dense) < min_rows:
        return []
    step = max(1, len(dense) // sample_size)
    sample = dense[::step][:sample_size]
    work.sample_rows = len(sample)
    F = np.array([[float(c.values[i]) if c.values[i] is not None else np.nan for c in cols] for i in sample])
    D = np.array([[c.decimals[i] for c in cols] for i in sample], dtype=float)
    tol = 0.5 * 10.0 ** (-D) + 1e-9 * np.nan_to_num(np.abs(F))  # (S, k)
    candidates = []  # (sample share, op, t, a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        for t in range(k):
            # operands near the result only, on a very wide table: keeps the work linear in the columns
            lo, hi = (0, k) if k <= 2 * window else (max(0, t - window), min(k, t + window + 1))
            ops_idx = np.array([i for i in range(lo, hi) if i != t])
            sub = F[:, ops_idx]
            T = F[:, t][:, None, None]
            TT = tol[:, t][:, None, None]
            A = sub[:, :, None]
            B = sub[:, None, :]
            m = len(ops_idx)
            pairs = ~np.eye(m, dtype=bool)
            t_nan = np.isnan(T)
            both = ~np.isnan(A) & ~np.isnan(B) & ~t_nan
            for op in _OPS:
                if op == "sum":
                    pred = A + B
                    trivial = (T == 0) & (A == 0) & (B == 0)
                elif op == "difference":
                    pred = A - B
                    trivial = (T == 0) & (A == 0) & (B == 0)
                else:
                    pred = A / B * (100.0 if op == "ratio100" else 1.0)
                    trivial = (B == 0) | ((A == 0) & (T == 0))
                present = both & ~trivial
                n_app = present.sum(axis=0)
                n_ok = (present & (np.abs(T - pred) <= TT)).sum(axis=0)
                keep = np.triu(pairs) if op == "sum" else pairs  # a + b = b + a
                work.screened += int(keep.sum())
                good = keep & (n_ok >= 2) & (n_ok >= (min_share - 0.3) * np.maximum(n_app, 1))
                for a, b in zip(*np.nonzero(good)):
                    candidates.append((n_ok[a, b] / max(n_app[a, b], 1), op, t, int(ops_idx[a]), int(ops_idx[b])))
    candidates.sort(key=lambda x: (-x[0], _OPS.index(x[1])))
    limit = max_verify if max_verify is not None else 4 * k
    best: dict[int, Relation] = {}
    for _share, op, t, a, b in candidates[:limit]:
        work.verified += 1
        rel = _verify(block, cols[t], cols[a], cols[b], op, min_share, min_rows, work)
        if rel is None:
            continue
        cur = best.get(rel.target)
        if cur is None or _rank(rel, block) < _rank(cur, block):
            best[rel.target] = rel
    # c = a + b, a = c − b and b = c − a are one identity: keep the one whose result is rightmost
    out: dict[frozenset, Relation] = {}
    for rel in best.values():
        if rel.kind == "ratio":
            out[frozenset((rel.target, *rel.operands, "r"))] = rel
            continue
        key = frozenset((rel.target, *rel.operands))
        cur = out.get(key)
        if cur is None or rel.target > cur.target:
            out[key] = rel
    return sorted(out.values(), key=lambda r: r.target)


def _rank(rel: Relation, block: Block) -> tuple:
    dist = sum(abs(rel.target - o) for o in rel.operands)
    return (_SIMPLICITY[rel.kind], -rel.holds, dist)


def _verify(block: Block, tc: Column, ac: Column, bc: Column, op: str, min_share: float, min_rows: int, work: Work) -> Relation | None:
    holds = applicable = informative = nonzero_target = 0
    bad: list[tuple[int, Decimal, Decimal, int]] = []
    scale = 100 if op == "ratio100" else 1
    give_up = (1 - min_share) * len(tc.values) + 1e-9  # 0.1 × 10 is 0.9999… in floats
    checked: list[int] = []
    with localcontext() as ctx:
        ctx.prec = 34
        for i, (t, a, b) in enumerate(zip(tc.values, ac.values, bc.values)):
            if t is None or a is None or b is None:
                continue
            work.cells_checked += 1
            dec = tc.decimals[i]
            if op in ("sum", "difference"):
                if t == 0 and a == 0 and b == 0:
                    continue
                expected = a + b if op == "sum" else a - b
                dec = max(dec, ac.decimals[i], bc.decimals[i])
                ok = abs(t - expected) <= _tol(dec)
                nonzero_ops = a != 0 and b != 0
            else:
                if b == 0 or (a == 0 and t == 0):
                    continue
                expected = Decimal(a) / Decimal(b) * scale
                tol = _tol(dec)
                ok = abs(t - expected) <= tol
                if not ok:
                    # the same percentage typed once with and once without the % format
                    other = Decimal(a) / Decimal(b) * (1 if scale == 100 else 100)
                    ok = abs(t - other) <= tol
                nonzero_ops = a != 0
            applicable += 1
            checked.append(i)
            if ok:
                holds += 1
                informative += nonzero_ops
                nonzero_target += t != 0
            else:
                bad.append((i, expected, t, dec))
                if len(bad) > give_up:
                    return None  # it can no longer hold on min_share of the rows
    if applicable < min_rows or not _enough(holds, applicable, min_share):
        return None
    if informative < 2 or nonzero_target < 2:
        return None  # c = a + 0 or 0 = 0 − 0 on most rows: no evidence of a relation
    kind = "ratio" if op.startswith("ratio") else op
    headers = {c.index: c.header for c in (tc, ac, bc)}
    violations = [
        Violation(block.first_row + i, tc.index, _round(e, d), t, d, block.labels[i])
        for i, e, t, d in bad
    ]
    cells = tuple(f"{tc.letter}{block.first_row + i}" for i in checked)
    return Relation(kind, tc.index, (ac.index, bc.index), headers, holds, applicable, violations, scale=scale, checked=cells)


def _round(value: int | Decimal, decimals: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals))


# --- row relations ---------------------------------------------------------


def _is_ancestor(p: str, c: str) -> bool:
    """Account codes: 4.1 is above 4.1.4 and 4.1.4.01; 01 is above 01.01."""
    return c.startswith(p + ".")


_OUTLINE_LEVEL = {"A": 0, "I": 1, "1": 2, "a": 3}


def _hierarchy(block: Block) -> tuple[dict[int, list[int]], dict[int, str]]:
    """parent data-row index -> child indexes, and each parent's method."""
    n = block.n_rows
    children: dict[int, list[int]] = {}
    method: dict[int, str] = {}
    totals = [i for i in range(n) if _TOTAL.match(block.labels[i] or "")]
    values_row = [any(c.values[i] is not None for c in block.columns) for i in range(n)]
    codes = list(block.codes)
    dotted = [i for i in range(n) if codes[i] and ":" not in codes[i]]
    if sum("." in codes[i] for i in dotted) < 2:
        # '1', '2', '3' with no '1.1' anywhere: outline numbering under A, B, C, not account codes
        for i in dotted:
            codes[i] = "1:" + codes[i]
        dotted = []
    outline = [i for i in range(n) if codes[i] and ":" in codes[i]]
    parent_of: dict[int, int | None] = {}
    if len(dotted) >= 3:
        stack: list[int] = []
        for i in range(n):
            code = codes[i]
            if i in totals:
                stack = []
                continue
            if not code or ":" in code:
                continue
            while stack and not _is_ancestor(codes[stack[-1]], code):
                stack.pop()
            parent_of[i] = stack[-1] if stack else None
            if stack:
                children.setdefault(stack[-1], []).append(i)
                method[stack[-1]] = "code"
            stack.append(i)
    elif len(outline) >= 3 or len(set(block.indents)) > 1:
        use_outline = len(outline) >= 3
        stack2: list[tuple[int, int]] = []  # (level, row)
        for i in range(n):
            if i in totals:
                stack2 = []
                continue
            if use_outline:
                code = codes[i]
                if not code or ":" not in code:
                    continue
                level = _OUTLINE_LEVEL[code[0]]
            else:
                if not block.labels[i]:
                    continue
                level = block.indents[i]
            while stack2 and stack2[-1][0] >= level:
                stack2.pop()
            parent_of[i] = stack2[-1][1] if stack2 else None
            if stack2:
                children.setdefault(stack2[-1][1], []).append(i)
                method[stack2[-1][1]] = "outline" if use_outline else "indent"
            stack2.append((level, i))
    # a JUMLAH/TOTAL row closes the rows since the previous JUMLAH or section heading: Σ of their top rows
    start = 0
    for t in totals:
        seg = [i for i in range(start, t) if values_row[i]]
        # a heading without numbers ('5 BELANJA') starts the block the next JUMLAH closes
        for i in range(t - 1, start - 1, -1):
            if not values_row[i] and block.labels[i] and not _TOTAL.match(block.labels[i]):
                seg = [j for j in seg if j > i]
                break
        tops = [i for i in seg if parent_of.get(i) is None or parent_of.get(i) not in seg]
        if not tops:
            # a total right under other totals (JUMLAH BIDANG 1, JUMLAH BIDANG 2, TOTAL BELANJA) adds them up
            run = []
            for i in range(t - 1, -1, -1):
                if i in totals and values_row[i]:
                    run.insert(0, i)
                elif values_row[i] or (block.labels[i] and not _TOTAL.match(block.labels[i])):
                    if not values_row[i]:
                        break  # a heading: the run of totals starts below it
                    continue  # the rows inside a subtotal's block
            tops = run if len(run) >= 2 else []
        if tops:
            children[t] = tops
            method[t] = "total"
        start = t + 1
    return children, method


def _row_relations(block: Block, min_share: float, min_rows: int, skip: set[int], work: Work) -> Relation | None:
    children, method = _hierarchy(block)
    if not children:
        return None
    candidates = [c for c in block.columns if c.index not in skip and not c.percent_text and not _pct_header(c.header)]
    per_col: dict[int, tuple[int, int, set[int], list[Violation]]] = {}
    for col in candidates:
        holds = applicable = 0
        rows_ok: set[int] = set()  # parent rows checked in this column
        bad: list[Violation] = []
        leaves: dict[int, Decimal] = {}  # a parent's sum over the rows at the bottom of its tree
        for p, kids in children.items():
            pv = col.values[p]
            kv = [col.values[k] for k in kids]
            if pv is None or all(v is None for v in kv):
                continue
            total = sum((v for v in kv if v is not None), Decimal(0))
            if pv == 0 and total == 0:
                continue
            work.cells_checked += len(kids)
            dec = max([col.decimals[p], *(col.decimals[k] for k in kids)])
            applicable += 1
            rows_ok.add(p)
            # a total that matches the details under a wrong subtotal is right: the subtotal is flagged
            if abs(pv - total) <= _tol(dec) or abs(pv - _leaf_sum(p, children, col.values, leaves)) <= _tol(dec):
                holds += 1
            else:
                bad.append(Violation(block.first_row + p, col.index, total, pv, dec, block.labels[p], tuple(block.first_row + k for k in kids)))
        # a column joins when its parents clearly add up (half of them at least: one wrong child in a
        # short table must not hide the column); the pooled share below is held to min_share
        if applicable and holds >= 0.5 * applicable and holds >= 2:
            per_col[col.index] = (holds, applicable, rows_ok, bad)
    if not per_col:
        return None
    parent_rows = set().union(*(v[2] for v in per_col.values()))
    holds = sum(v[0] for v in per_col.values())
    applicable = sum(v[1] for v in per_col.values())
    if len(parent_rows) < min_rows or not _enough(holds, applicable, min_share):
        return None
    used = {method[p] for p in parent_rows}
    methods = tuple(m for m in ("code", "outline", "indent", "total") if m in used)
    violations = sorted((v for x in per_col.values() for v in x[3]), key=lambda v: (v.row, v.column))
    headers = {c.index: c.header for c in block.columns}
    checked = tuple(f"{_letter(c)}{block.first_row + p}" for p in sorted(parent_rows) for c in sorted(per_col) if p in per_col[c][2])
    return Relation(
        "rows", None, (), headers, holds, applicable, violations,
        columns=tuple(sorted(per_col)), methods=methods, parents=len(parent_rows), checked=checked,
    )


def _leaf_sum(p: int, children: dict[int, list[int]], values: list, memo: dict[int, Decimal]) -> Decimal:
    if p not in memo:
        memo[p] = sum(
            (_leaf_sum(k, children, values, memo) if k in children else values[k] for k in children[p] if k in children or values[k] is not None),
            Decimal(0),
        )
    return memo[p]


def _pct_header(header: str) -> bool:
    h = header.upper()
    return "%" in h or "PERSEN" in h or "CAPAIAN" in h or "RASIO" in h


def related_cells(relation: Relation, violation: Violation) -> tuple[str, ...]:
    """The cells a broken row's value was computed from: its operands, or the rows it should add up."""
    if relation.kind == "rows":
        return tuple(f"{_letter(violation.column)}{r}" for r in violation.parts)
    return tuple(f"{_letter(c)}{violation.row}" for c in relation.operands)


# ---------------------------------------------------------------------------
# messages


def _show(value: Decimal, decimals: int, as_percent: bool, lang: str) -> str:
    if as_percent and decimals >= 2:
        # a fraction in a % column is a cell formatted as %: 0,5259 is shown 52,59%
        return format_number(value * 100, lang, decimals - 2) + "%"
    return format_number(value, lang, decimals)


@dataclass(frozen=True)
class Description:
    """``describe`` as a message parameter: written in the language the finding is rendered in."""

    relation: Relation
    violation: Violation | None = None

    def render_in(self, lang: str) -> str:
        return describe(self.relation, self.violation, lang)


def describe(relation: Relation, violation: Violation | None = None, lang: str = "id") -> str:
    """The relation (and one row breaking it) in the table's own header words."""
    _ = gettext_for(lang)
    unit = translate(NP_("jamak", "sel") if relation.kind == "rows" else NP_("jamak", "baris"), lang)
    what = relation.text(lang)
    if relation.kind != "rows":
        what = _("kolom {what}").format(what=what)
    head = _("{what} berlaku pada {holds} dari {applicable} {unit}").format(
        what=what, holds=relation.holds, applicable=relation.applicable, unit=unit)
    if violation is None:
        return head
    # the cells carry no number format here: a ratio without × 100 in a column headed % is one
    as_percent = relation.kind == "ratio" and relation.scale == 1 and _pct_header(relation.headers[relation.target])
    exp = _show(violation.expected, violation.decimals, as_percent, lang)
    act = _show(violation.actual, violation.decimals, as_percent, lang)
    where = _("baris {row}").format(row=violation.row)
    if violation.label:
        where += f" ({violation.label})"
    if relation.kind == "rows":
        where += " " + _("kolom {what}").format(what=relation.headers.get(violation.column, _letter(violation.column)))
        if violation.parts:
            parts = _ranges(violation.parts)
            where += f" = Σ {translate(NP_('jamak', 'baris'), lang)} {parts}"
    return _("{head}; {where} tidak (seharusnya {exp}, tertulis {act})").format(head=head, where=where, exp=exp, act=act)


def _ranges(rows: Sequence[int]) -> str:
    out, run = [], [rows[0]]
    for r in rows[1:]:
        if r == run[-1] + 1:
            run.append(r)
        else:
            out.append(run)
            run = [r]
    out.append(run)
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in out)
