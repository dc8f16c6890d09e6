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

Counting is per column with pandas (``notna().sum()``), never per cell, except
in columns no field matched, whose raw values are scanned once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from kinerja_xl.i18n import translate
from kinerja_xl.tables import MONEY, NUMBER, PERCENT, col_letter

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
        s = v.strip()
        if not s or not any(ch.isdigit() for ch in s):
            return False
        from kinerja_xl.numbers import parse_number

        p = parse_number(s)
        return bool(p.ok and p.value is not None)
    return False


def _header_labels(table) -> list[str]:
    from kinerja_xl.tables import _header_texts, _labels, _merge_map

    sheet = table.sheet_data
    start, height = table.header_rows[0] - 1, table.header_rows[1] - table.header_rows[0] + 1
    ncols = max(max(table.columns.values(), default=0) + 2, min(sheet.n_cols, 200))
    return _labels(_header_texts(sheet, start, height, ncols, _merge_map(sheet)), ncols)


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
            numeric = int(frame[key].notna().sum())
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
        data_rows=(table.first_row, table.last_row), rows=len(frame), columns=tuple(columns), rules=rules_run)


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
    out = [table_coverage(t, i, _rules_on(t.kind, present, rules, config), kind_of(t.kind, pool), by_table_kinds)
           for i, t in enumerate(tables)]
    with_tables = {t.sheet for t in tables}
    skip = {s.lower() for s in skip_sheets}
    unread = [u for s in sheets if s.name not in with_tables and s.name.strip().lower() not in skip
              for u in [unread_sheet(s)] if u is not None]
    return out, unread
