"""What a check covered: per table, which numeric cells a rule read, and which it did not.

A validator that says "no findings" about a table it only half understood
misleads: the reader takes silence for a pass. So every report states, per
located table, its kind, range, header rows, the column of each concept, the
columns whose header was not understood, and how many numeric cells were
checked out of those present.

"Checked" is defined simply, so that it never claims more than was done:

- a numeric cell is a cell holding a number (or a text that reads as one) in
  a data row of the table (below the header and the column-number row, the
  rows the table's frame holds) and in a column of the table's span (the
  columns of its recognised fields and the header columns next to them);
- it is checked when it lies in a column whose field the table kind's rules
  read (``TableKind.checked_fields``; without that declaration every money,
  number and percent field the header spec matched, read by the rules of the
  kinds that locate tables and by the cross-table rules; the table rules of a
  rule-only plugin, such as the kode-format rules, read codes, not numbers, so
  they are named per table but never counted per column) and at least one of
  those rules was selected and ran on the table;
- everything else numeric is unchecked and listed by column (a column whose
  header no field matched, a field no rule reads, a table whose rules were
  all deselected).

A sheet holding numbers on which no table was recognised is listed in
``unread_sheets`` with the header texts seen above its first numbers.

Besides the cells, each table says which identities were judged on how many
rows (``TableCoverage.identities``): the answers of the table kind's pandera
checks on the table's frame. Those are the answers the rules' own validations
gave, where a rule validated the table's rows with the amounts as read: the
domain's schema runner keeps each check's answer on the table
(``Table.checks_run`` through ``record_check``; the engine knows nothing of
the domain, only of pandera checks) and the coverage reads it when it is the
same check function with the same statistics. A check no rule ran so (its rule
deselected, a frame of mended amounts or of other rows) is run here on the
table's frame. A check whose output is a nullable boolean per row
(``<NA>`` where it had nothing to judge: a missing amount, a row with no
parent) judged the rows where it is not null. A check that answers for the
whole frame, or a plain boolean for every row (a tree of sums, where "true"
also stands for "not a parent"), says nothing about rows and is not counted;
neither is a check that cannot read this frame (a kind whose rules check a
frame of their own, such as the survey recap).

Counting is per column (``Table.filled``: what ``Series.count()`` gives), never per cell, except
in columns no field matched, whose raw values are scanned once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Sequence

from kinerja_xl.i18n import translate
from kinerja_xl.tables import HEADER_MAX_CHARS, MONEY, NUMBER, PERCENT, col_letter

NUMERIC_KINDS = (MONEY, NUMBER, PERCENT)


@dataclass(frozen=True)
class ColumnCoverage:
    """One column of a table: its header, the concept (field key) it was read as, and its numeric cells."""

    column: str  # letter, 'E'
    header: str  # folded header text ('PAGU ANGGARAN'); '' when the header cell is empty
    field: str | None  # the field key the header matched; None: not understood
    numeric: int  # numeric cells in the table's data rows
    checked: int  # of those, checked by at least one rule
    rules: tuple[str, ...] = ()  # codes of the rules that read this column

    @property
    def unchecked(self) -> int:
        return self.numeric - self.checked


@dataclass(frozen=True)
class IdentityCoverage:
    """One identity (a pandera check of the table's kind) and the rows it judged."""

    rule: str  # the check's error code: 'KX301', 'KX305:plafon'
    judged: int  # rows it judged (non-null entries of its output)
    failed: int  # of those, rows where it does not hold
    rows: Any = field(default=(), compare=False, repr=False)  # the judged Excel rows (an index; for --coverage)


@dataclass(frozen=True)
class TableCoverage:
    """What was read and checked of one located table (plain data: no pandas object)."""

    index: int  # position in ``WorkbookReport.tables``
    kind: str
    title_text: str  # the table kind's title, a msgid (Text) translated by ``title(lang)``
    sheet: str
    range: str  # 'A5:H40', header included
    header_rows: tuple[int, int]
    data_rows: tuple[int, int]
    rows: int  # data rows read (blank rows dropped)
    columns: tuple[ColumnCoverage, ...]
    rules: tuple[str, ...]  # codes of the rules that ran on the table
    identities: tuple[IdentityCoverage, ...] = ()  # identities judged per row (kinds with a pandera schema)

    @property
    def judged(self) -> int:
        """Identity checks made: Σ over the identities of the rows each judged."""
        return sum(i.judged for i in self.identities)

    def title(self, lang: str = "id") -> str:
        return translate(self.title_text, lang)

    @property
    def numeric(self) -> int:
        return sum(c.numeric for c in self.columns)

    @property
    def checked(self) -> int:
        return sum(c.checked for c in self.columns)

    @property
    def unchecked(self) -> int:
        return self.numeric - self.checked

    @property
    def unrecognised(self) -> list[ColumnCoverage]:
        """Columns with header text that no field of the kind matched."""
        return [c for c in self.columns if c.field is None and c.header]

    @property
    def unchecked_columns(self) -> list[ColumnCoverage]:
        return [c for c in self.columns if c.unchecked]


@dataclass(frozen=True)
class SheetCoverage:
    """A sheet with numbers on which no table was recognised."""

    sheet: str
    numeric: int
    headers: tuple[str, ...]  # the texts of the row above its first numbers (what it looked like)


# --------------------------------------------------------------------------- which fields the rules read


def checked_fields(table, kind=None) -> dict[str, tuple[str, ...] | None]:
    """Field key -> rule codes that read it (None: every rule of the table), for the fields of ``table``
    the kind's checks read: its ``checked_fields`` declaration, else every numeric field matched."""
    declared = getattr(kind, "checked_fields", None) if kind is not None else None
    spec = table.spec
    if declared is None:
        return {key: None for key in table.columns if spec.field_kind(key) in NUMERIC_KINDS}
    out: dict[str, tuple[str, ...] | None] = {}
    for key in table.columns:
        for pattern, codes in declared.items():
            # a key like 'realisasi_tw{n}' is declared by its prefix: 'realisasi_tw*'
            if key == pattern or (pattern.endswith("*") and key.startswith(pattern[:-1])):
                out[key] = tuple(codes) if codes is not None else None
                break
    return out


def _rules_on(table_kind: str, present: set[str], rules: Sequence[Any], config) -> tuple[str, ...]:
    from kinerja_xl.rules import selected

    out = []
    for r in rules:
        if r.func is None or table_kind not in r.tables:
            continue
        if config is not None and not selected(r, config.select, config.ignore):
            continue
        if r.scope == "table" or (r.scope == "workbook" and all(k in present for k in r.tables)):
            out.append(r.code)
    return tuple(sorted(set(out)))


# --------------------------------------------------------------------------- counting


def _is_numeric(v: Any) -> bool:
    if isinstance(v, bool) or v is None:
        return False
    if isinstance(v, (int, float)):
        return v == v  # NaN is no number
    if isinstance(v, str):
        # a text longer than a header cell is a note, never an amount: testing each of a sheet of
        # pasted paragraphs for digits and parsing it cost ~25 s CPU on 170.000 such cells
        if len(v) > HEADER_MAX_CHARS:
            return False
        s = v.strip()
        if not s or not any(map(str.isdigit, s)):
            return False
        from kinerja_xl.numbers import parse_number

        p = parse_number(s)
        return bool(p.ok and p.value is not None)
    return False


def _header_labels(table) -> list[str]:
    from kinerja_xl.tables import _header_texts, _labels, _merge_map

    sheet = table.sheet_data
    start, height = table.header_rows[0] - 1, table.header_rows[1] - table.header_rows[0] + 1
    ncols = max(max(table.columns.values(), default=0) + 2, min(_header_width(sheet, start, height), 200))
    return _labels(_header_texts(sheet, start, height, ncols, _merge_map(sheet)), ncols)


def _header_width(sheet, start: int, height: int) -> int:
    """How far the header rows reach: right of that every label is empty (no text, no merge), so the
    labels stop there as they would at the sheet's widest row (``n_cols``, a scan of every row: ~5 ms
    at 100.000 rows). A merge over the header rows that reaches further: the sheet's widest row."""
    width = max((len(sheet.rows[r]) for r in range(start, min(start + height, len(sheet.rows)))), default=0)
    end = start + height - 1
    if any(r0 <= end and r1 >= start and c1 + 1 > width for r0, c0, r1, c1 in sheet.merges):
        return sheet.n_cols
    return width


def _span(table, labels: list[str]) -> tuple[int, int]:
    """The table's columns: its fields' columns and the header columns with text next to them."""
    cols = sorted(table.columns.values())
    lo, hi = (cols[0], cols[-1]) if cols else (0, 0)
    while lo > 0 and lo - 1 < len(labels) and labels[lo - 1]:
        lo -= 1
    while hi + 1 < len(labels) and labels[hi + 1]:
        hi += 1
    return lo, hi


def _raw_numeric(table, c: int) -> int:
    rows = table.sheet_data.rows
    n = 0
    for r in table.frame.index:
        row = rows[r - 1]
        if c < len(row) and _is_numeric(row[c]):
            n += 1
    return n


def _check_function(check):
    """The check's own function and arguments, under pandera's wrappers and the one that passes <NA>."""
    import inspect

    fn = check._check_fn
    kwargs = dict(getattr(fn, "keywords", None) or {})
    return inspect.unwrap(getattr(fn, "func", fn)), kwargs


def _per_row(out, frame) -> bool:
    """A nullable boolean Series on the frame's rows (not a scalar, not plain numpy booleans)."""
    return (getattr(out, "ndim", 0) == 1 and len(out) == len(frame) and str(getattr(out, "dtype", "")) == "boolean")


@functools.lru_cache(maxsize=None)
def _kind_schemas(kind) -> tuple:
    """The kind's pandera schema(s), built once (a realisasi schema takes ~30 ms to build)."""
    try:
        schemas = kind.schema()
    except Exception:  # a schema that cannot be built says nothing about any table
        return ()
    return tuple(schemas) if isinstance(schemas, (list, tuple)) else (schemas,)


@functools.cache
def _kind_checks(kind) -> tuple:
    """(check, its error, the rule codes it stands for, its function, its statistics) per check of the
    kind's schemas: 'KX401/KX402' stands for both rules, 'KX305:plafon' for KX305."""
    out = []
    for schema in _kind_schemas(kind):
        for check in getattr(schema, "checks", ()):
            code = check.error or check.name
            if code:
                rules = frozenset(part.split(":")[0] for part in str(code).split("/"))
                out.append((check, str(code), rules, *_check_function(check)))
    return tuple(out)


# the frame's columns, dtypes and index type -> id of a check of a kind's cached schema -> whether the check
# answers per row on none of the frame's rows: that answer is a function of the frame's shape alone (an
# empty frame holds nothing else), and a tree of sums takes ~1,4 ms to give it on an empty frame; by shape
# first, so that a table's shape (its dtypes hash in Python) is hashed once, not once per check (~0,1 ms a seed-sized workbook)
_probes: dict[tuple, dict[int, bool]] = {}


def _probes_of(shape: tuple) -> dict[int, bool]:
    probes = _probes.get(shape)
    if probes is None:
        if len(_probes) > 1024:  # tables of ever new shapes (an audit of odd workbooks): start afresh
            _probes.clear()
        probes = _probes[shape] = {}
    return probes


def _probe_per_row(check, fn, kwargs, frame, probes: dict[int, bool]) -> bool:
    known = probes.get(id(check))
    if known is None:
        probe = frame.iloc[:0]
        try:
            known = _per_row(fn(probe, **kwargs), probe)
        except Exception:  # a check written for a frame of another shape
            known = False
        probes[id(check)] = known
    return known


@dataclass(frozen=True)
class CheckRun:
    """What one identity check answered when a rule ran it on a table's rows (``Table.checks_run``)."""

    fn: Any  # the check's own function (under pandera's wrappers)
    kwargs: dict  # the statistics it ran with
    output: Any  # its answer: a nullable boolean per row counts, anything else judged no row
    frame: Any = field(default=None, repr=False, compare=False)  # the table's frame it answered for


def record_check(table, check, output) -> None:
    """Keep what a rule's pandera run of ``check`` answered on ``table``'s rows (``output``: the check
    function's own answer, before any <NA> is read as a pass).

    The domain's schema runner calls this only for a frame that holds the table's rows, in the table's
    order, with the table's values in every column the check reads; the coverage then counts the rows
    the identity judged from this answer instead of running the check a second time.
    """
    fn, kwargs = _check_function(check)
    table.checks_run[str(check.error or check.name)] = CheckRun(fn, kwargs, output, table.frame)


def _recorded(code: str, fn, kwargs, table):
    """The answer a rule's run of the check kept on the table (``record_check``) when it is the same check
    with the same statistics, on this very frame; else None."""
    run = table.checks_run.get(code)
    if run is not None and run.fn is fn and run.frame is table.frame and _same(run.kwargs, kwargs):
        return run.output
    return None


def _same(a: dict, b: dict) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # statistics that do not compare as one truth (arrays): not the same run
        return False


def identities_judged(table, kind, rules_run: tuple[str, ...]) -> tuple[IdentityCoverage, ...]:
    """The identities of the kind's pandera schema that judged rows of ``table``, with their counts.

    The answer on the whole frame is the one the rules' own run of the check gave (``Table.checks_run``).
    A check no rule ran so is first run on none of the table's rows: one whose answer is not a nullable
    boolean per row is not run on the whole frame (a tree of sums over 100.000 rows costs half a second
    and would say nothing about rows); that first answer is kept per check and frame shape.
    """
    if getattr(kind, "schema", None) is None or not rules_run or table.frame is None or not len(table.frame):
        return ()
    import numpy as np

    ran = {code.split(":")[0] for code in rules_run}
    frame = table.frame
    probes = None
    out: list[IdentityCoverage] = []
    for check, code, rules, fn, kwargs in _kind_checks(kind):
        if ran.isdisjoint(rules):
            continue  # its rule did not run on this table (deselected, or another table kind's)
        result = _recorded(code, fn, kwargs, table)  # no probe for these: a probe cost ~0,3 ms in a fresh process
        if result is None:
            if probes is None:
                probes = _probes_of((tuple(frame.columns), table.dtypes(), frame.index.dtype, frame.index.name))
            if not _probe_per_row(check, fn, kwargs, frame, probes):
                continue
            try:
                result = fn(frame, **kwargs)
            except Exception:  # a check written for a frame of another shape
                continue
        if not _per_row(result, frame):
            continue
        known = ~np.asarray(getattr(result, "array", result).isna(), dtype=bool)  # a Series or its BooleanArray
        judged = frame.index[known]
        if not len(judged):
            continue
        passed = result.to_numpy(dtype=bool, na_value=True)  # <NA> passes: a false is a known failure
        out.append(IdentityCoverage(code, len(judged), int(len(passed) - np.count_nonzero(passed)), judged))
    return tuple(out)


def judged_rows(identity: IdentityCoverage) -> list[int]:
    """The Excel rows one identity judged (for ``validate --coverage``)."""
    return [int(r) for r in identity.rows]


def table_coverage(table, index: int, rules_run: tuple[str, ...], kind=None,
                   column_rules: frozenset[str] | None = None) -> TableCoverage:
    """``column_rules``: the codes that may be counted for a whole column by default (None: all of ``rules_run``)."""
    frame = table.frame
    fields = checked_fields(table, kind) if rules_run else {}
    labels = _header_labels(table) if table.sheet_data is not None else []
    lo, hi = _span(table, labels)
    key_at = {c: k for k, c in table.columns.items()}
    spec = table.spec
    columns = []
    for c in range(lo, hi + 1):
        header = labels[c] if c < len(labels) else ""
        key = key_at.get(c)
        if key is not None and spec.field_kind(key) in NUMERIC_KINDS:
            numeric = table.filled(key)
        elif key is not None:
            numeric = 0  # a text field (kode, uraian): its digits are labels, not values
        elif table.sheet_data is not None:
            numeric = _raw_numeric(table, c)
        else:
            numeric = 0
        if key is not None and key in fields:
            codes = fields[key]
            if codes is None:
                codes = tuple(x for x in rules_run if column_rules is None or x in column_rules)
            else:
                codes = tuple(x for x in codes if x in rules_run)
            checked = numeric if codes else 0
        else:
            codes, checked = (), 0
        if key is None and not header and not numeric:
            continue  # an empty spacer column says nothing
        columns.append(ColumnCoverage(col_letter(c), header, key, numeric, checked, tuple(codes)))
    first = col_letter(lo)
    last = col_letter(hi)
    return TableCoverage(
        index=index, kind=table.kind, title_text=spec.title, sheet=table.sheet,
        range=f"{first}{table.header_rows[0]}:{last}{table.last_row}", header_rows=tuple(table.header_rows),
        data_rows=(table.first_row, table.last_row), rows=len(frame), columns=tuple(columns), rules=rules_run,
        identities=identities_judged(table, kind, rules_run))


def checked_cells(table, column: ColumnCoverage) -> list[str]:
    """The A1 references of the checked cells of one column (for ``validate --coverage``)."""
    if not column.checked or column.field is None:
        return []
    s = table.frame[column.field]
    return [f"{column.column}{r}" for r in s.index[s.notna().to_numpy()]]


def unread_sheet(sheet) -> SheetCoverage | None:
    """A sheet with numbers but no recognised table: how many numbers, and the header texts above them."""
    if getattr(sheet, "is_chart", False) or not sheet.rows:
        return None
    numeric = 0
    first_numbers = None
    for r, row in enumerate(sheet.rows):
        n = sum(1 for v in row if _is_numeric(v))
        numeric += n
        if first_numbers is None and n >= 2:
            first_numbers = r
    if first_numbers is None:
        return None  # no row of numbers: an identity or notes sheet (Tahun 2021), not a table
    headers: tuple[str, ...] = ()
    for r in range((first_numbers or 0) - 1, max(-1, (first_numbers or 0) - 6), -1):
        texts = [str(v).strip() for v in sheet.rows[r] if isinstance(v, str) and v.strip()]
        if len(texts) >= 2:
            headers = tuple(texts)
            break
    return SheetCoverage(sheet.name, numeric, headers)


def coverage_of(tables: list, sheets: list, config=None, kinds=None,
                skip_sheets: Sequence[str] = ()) -> tuple[list[TableCoverage], list[SheetCoverage]]:
    """Coverage of every table, and the sheets with numbers where no table was recognised."""
    from kinerja_xl.kinds import kind_of, resolve
    from kinerja_xl.rules import all_rules

    pool = resolve(kinds)
    rules = [r for r in all_rules(pool) if r.scope in ("table", "workbook")]
    present = {t.kind for t in tables}
    by_table_kinds = frozenset(r.code for k in pool for r in k.rules if k.specs or r.scope == "workbook")
    runs: dict[str, tuple[str, ...]] = {}  # per table kind: a report often holds several tables of one kind
    for t in tables:
        if t.kind not in runs:
            runs[t.kind] = _rules_on(t.kind, present, rules, config)
    out = [table_coverage(t, i, runs[t.kind], kind_of(t.kind, pool), by_table_kinds) for i, t in enumerate(tables)]
    with_tables = {t.sheet for t in tables}
    skip = {s.lower() for s in skip_sheets}
    unread = [u for s in sheets if s.name not in with_tables and s.name.strip().lower() not in skip
              for u in [unread_sheet(s)] if u is not None]
    return out, unread
