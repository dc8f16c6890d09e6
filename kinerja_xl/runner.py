"""Run every selected rule over a workbook and collect the findings.

``validate_source`` works on any ``WorkbookSource`` (a file, a live xlwings
book); ``validate_file`` adds opening the file and turning a workbook that
cannot be read into a report with an error instead of an exception.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kinerja_xl import engine_codes as codes
from kinerja_xl.config import Config
from kinerja_xl.findings import Finding, Severity
from kinerja_xl.gcpause import gc_paused
from kinerja_xl.i18n import NP_
from kinerja_xl.rules import Rule, RuleContext, all_rules, selected
from kinerja_xl.tables import Table, col_letter, find_tables
from kinerja_xl.workbook import OUR_SHEETS, SheetData, WorkbookError, WorkbookSource

EXCEPTIONS_SHEET = "Pengecualian"


@dataclass
class WorkbookReport:
    """Everything one check of one workbook produced."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    error: Finding | None = None  # the workbook could not be read at all
    sheets: list[SheetData] = field(default_factory=list)
    # what was checked (kinerja_xl.coverage): one TableCoverage per table, and the sheets with numbers
    # on which no table was recognised
    coverage: list[Any] = field(default_factory=list)
    unread_sheets: list[Any] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def tables_of(self, kind: str) -> list[Table]:
        return [t for t in self.tables if t.kind == kind]


def table_specs(kinds=None) -> list[Any]:
    """The header specs of the table kinds (default: the installed ones)."""
    from kinerja_xl.kinds import table_specs as specs

    return specs(kinds)


# the cell-reading problems the table reader records, by code
_READ_ISSUES = {r.code: r for r in (codes.UNCACHED, codes.UNPARSEABLE, codes.AMBIGUOUS, codes.NOT_A_NUMBER)}


def _read_issue_findings(table: Table, file: str | None = None) -> list[Finding]:
    out: list[Finding] = []
    text_cells: dict[int, list] = defaultdict(list)
    contexts: dict[str, RuleContext] = {}  # one a code, not one a cell (~0,35 µs each)
    for issue in table.issues:
        if issue.code == codes.TEXT_NUMBER.code:
            text_cells[issue.col].append(issue)
            continue
        ctx = contexts.get(issue.code)
        if ctx is None:
            ctx = contexts[issue.code] = RuleContext(_READ_ISSUES[issue.code], None, file=file)
        out.append(ctx.finding(table, issue.field, issue.row, actual=issue.raw, raw=issue.raw))
    for col, issues in text_cells.items():
        first = issues[0]
        ctx = RuleContext(codes.TEXT_NUMBER, None, file=file)
        out.append(ctx.finding(table, first.field, first.row, count=len(issues), column=col_letter(col), raw=first.raw,
                               actual=first.raw))
    return out + _computed_findings(table, file)


# one formula: English says it in the singular, Indonesian the same way
_COMPUTED_ONE = NP_("satu", "{count} rumus di kolom {column} belum pernah dihitung (berkas disimpan oleh program lain); kinerja-xl menghitungnya sendiri dari sel yang dirujuk, mis. {first}: ={formula}.")


def _computed_findings(table: Table, file: str | None = None) -> list[Finding]:
    """KX105 once per column: the formulas saved without a value that the reader computed."""
    by_col: dict[int, list] = defaultdict(list)
    for issue in table.computed:
        by_col[issue.col].append(issue)
    out = []
    ctx = RuleContext(codes.COMPUTED, None, file=file)
    for col, issues in by_col.items():
        first = min(issues, key=lambda i: i.row)
        cell = table.cell(first.field, first.row)
        message = None if len(issues) > 1 else _COMPUTED_ONE
        out.append(ctx.finding(table, first.field, first.row, count=len(issues), column=col_letter(col), first=cell,
                               formula=str(first.raw).lstrip("="), message=message))
    return out


def _weak_table_findings(weak: list[Table], file: str | None = None) -> list[Finding]:
    """KX012 at the header of each table matched too weakly to be checked: it is named, not checked.

    The row number is passed as text: a number param would print as 1.234 in Indonesian.
    """
    ctx = RuleContext(codes.WEAK_MATCH, None, file=file)
    out = []
    for t in weak:
        cols = sorted(t.columns.items(), key=lambda kv: kv[1])
        header_row = t.header_rows[0]
        headers = ", ".join(t.labels.get(key) or key for key, _ in cols)
        out.append(ctx.finding(t, sheet=t.sheet, cell=f"{col_letter(cols[0][1])}{header_row}", header_row=str(header_row),
                               kind=t.spec.title, headers=headers))
    return out


_RELATION_MIN_ROWS = 5  # relations.find_relations' own floor: fewer rows can hold no relation


def _uncovered_rows(sheet: SheetData, tables: list[Table]) -> list | None:
    """The sheet's rows with those of its located tables (header to last row) blanked, or None when
    too few rows are left to hold a numeric table: only the rows outside the tables are looked at,
    so a sheet that is one located table costs nothing more."""
    rows = sheet.rows
    covered = sorted((t.header_rows[0] - 1, t.last_row) for t in tables if t.sheet == sheet.name)
    free, start = [], 0
    for a, b in covered:
        if a > start:
            free.append((start, a))
        start = max(start, b)
    if start < len(rows):
        free.append((start, len(rows)))
    numeric = 0
    for a, b in free:
        for row in rows[a:b]:
            if len(row) < 2:
                continue
            seen = 0  # numbers on the row, counted up to two
            for v in row:
                if v.__class__ in (int, float) or (v.__class__ is str and v[:1].isdigit()):
                    seen += 1
                    if seen == 2:
                        numeric += 1
                        break
        if numeric >= _RELATION_MIN_ROWS:
            break
    else:
        return None
    if not covered:
        return rows
    view: list = [()] * len(rows)
    for a, b in free:
        view[a:b] = rows[a:b]
    return view


def _relation_findings(sheet: SheetData, tables: list[Table], config: Config,
                       file: str | None = None) -> list[Finding]:
    """KX090: identities that a numeric block no located table covers obeys on most rows, and the rows
    breaking them (kinerja_xl.relations). The texts are parameters: header words may hold braces."""
    if sheet.is_chart or not sheet.rows:
        return []
    view = _uncovered_rows(sheet, tables)
    if view is None:
        return []

    from kinerja_xl.relations import find_relations, numeric_blocks

    spans = [(t.header_rows[0], t.last_row) for t in tables if t.sheet == sheet.name]
    out = []
    for block in numeric_blocks(view, min_rows=_RELATION_MIN_ROWS):
        top = block.header_rows[0] if block.header_rows else block.first_row
        if any(top <= b and a <= block.last_row for a, b in spans):
            continue
        out.extend(_relation_break_findings(sheet.name, find_relations(block, min_rows=_RELATION_MIN_ROWS), config,
                                            file))
    return out


def _relation_break_findings(sheet: str, relations, config: Config, file: str | None) -> list[Finding]:
    """One KX090 per row breaking a relation, at its cell, naming the cells it should follow from."""
    from kinerja_xl.relations import Description, related_cells

    ctx = RuleContext(codes.RELATION_IN_DATA, config, file=file)
    quoted = "'" + sheet.replace("'", "''") + "'!"
    return [ctx.finding(sheet=sheet, cell=v.cell, row_key=v.label or None, expected=v.expected, actual=v.actual,
                        difference=v.actual - v.expected, related=tuple(quoted + c for c in related_cells(rel, v)),
                        text=Description(rel, v))
            for rel in relations for v in rel.violations]


def _data_relation_findings(report: WorkbookReport, config: Config, file: str | None) -> list[Finding]:
    """KX090 over every sheet, unless deselected (``--select KX3`` pays no search)."""
    if not selected(codes.RELATION_IN_DATA, config.select, config.ignore):
        return []
    out = []
    try:
        for sheet in report.sheets:
            if sheet.name.strip().lower() != EXCEPTIONS_SHEET.lower():
                out.extend(_relation_findings(sheet, report.tables, config, file))
                out.extend(_unchecked_relation_findings(sheet, report.tables, config, file))
    except Exception as exc:  # a hint must never stop the check, as a broken rule does not (run_rules)
        out.append(RuleContext(codes.INTERNAL, config, file=file).finding(
            rule=codes.RELATION_IN_DATA.code, error=f"{type(exc).__name__}: {exc}"))
    return out


_SAMPLE_ROWS = 24  # data rows looked at to tell whether a column no field names holds numbers


def _unchecked_columns(sheet: SheetData, table: Table) -> set[int]:
    """Columns of a located table that no field names (so no rule reads them) and that hold numbers.

    Decided from the header rows and a sample of data rows: a table whose columns are all
    named (every generated report) costs a few dozen cell looks."""
    mapped = set(table.columns.values())
    rows = sheet.rows
    named = set()
    for r in range(table.header_rows[0] - 1, min(table.header_rows[1], len(rows))):
        named.update(c for c, v in enumerate(rows[r]) if v is not None and str(v).strip())
    left, right = min(mapped), max(named | mapped)
    candidates = {c for c in named if left <= c <= right} - mapped
    if not candidates:
        return set()
    sample = rows[table.first_row - 1:min(table.last_row, table.first_row - 1 + _SAMPLE_ROWS)]
    return {c for c in candidates
            if sum(1 for row in sample if c < len(row) and isinstance(row[c], (int, float)) and not isinstance(row[c], bool)
                   or c < len(row) and isinstance(row[c], str) and any(ch.isdigit() for ch in row[c])) >= 2}


def _unchecked_relation_findings(sheet: SheetData, tables: list[Table], config: Config,
                                 file: str | None = None) -> list[Finding]:
    """KX090 in the columns of a located table that no rule checks (LEBIH/(KURANG) beside a
    realisasi table): relations whose result is such a column, and row sums broken in it."""
    out = []
    for t in tables:
        if t.sheet != sheet.name:
            continue
        unchecked = _unchecked_columns(sheet, t)
        if not unchecked:
            continue
        from kinerja_xl.relations import build_block, find_relations

        block = build_block(sheet.rows, list(range(t.header_rows[0] - 1, t.header_rows[1])), t.first_row - 1,
                            t.last_row - 1)
        if block is not None:
            out.extend(_relation_break_findings(sheet.name, find_relations(block, min_rows=_RELATION_MIN_ROWS,
                                                                           only_columns=unchecked), config, file))
    return out


def _exceptions(sheets: list[SheetData]) -> list[tuple[str, str, str, str]]:
    """Rows of the reviewed-exceptions sheet: (sheet, cell, code, reason)."""
    for s in sheets:
        if s.name.strip().lower() != EXCEPTIONS_SHEET.lower():
            continue
        out = []
        for row in s.rows[1:]:
            vals = [("" if v is None else str(v)).strip() for v in (row + [None] * 3)[:3]]
            target, code, reason = vals
            if not target or not code:
                continue
            sheet, _, cell = target.rpartition("!")
            out.append((sheet.strip("'").replace("''", "'"), cell.upper().replace("$", ""), code.upper(), reason))
        return out
    return []


def run_rules(tables: list[Table], config: Config, rules: list[Rule] | None = None, file: str | None = None,
              kinds=None) -> list[Finding]:
    """Findings of the table and workbook rules (``rules``, default those of ``kinds``) over ``tables``."""
    rules = [r for r in (rules or all_rules(kinds)) if r.func is not None and r.scope in ("table", "workbook")
             and selected(r, config.select, config.ignore)]
    by_kind: dict[str, list[Table]] = defaultdict(list)
    for t in tables:
        by_kind[t.kind].append(t)
    findings: list[Finding] = []
    shared: dict = {}
    for r in rules:
        ctx = RuleContext(r, config, dict(by_kind), file, shared=shared)
        try:
            if r.scope == "workbook":
                if all(k in by_kind for k in r.tables):
                    findings.extend(r.func(ctx))
            else:
                for kind in r.tables:
                    for t in by_kind.get(kind, []):
                        findings.extend(r.func(t, ctx))
        except Exception as exc:  # one broken rule must not hide the others' findings
            ictx = RuleContext(codes.INTERNAL, config, file=file)
            findings.append(ictx.finding(rule=r.code, error=f"{type(exc).__name__}: {exc}"))
    return findings


@gc_paused()
def validate_source(source: WorkbookSource, config: Config | None = None, file: str | None = None,
                    kinds=None) -> WorkbookReport:
    """Check a workbook; ``file`` names it in the report and its findings (default ``source.name``).

    ``kinds``: the table kinds to look for and check (default: the installed ones, ``load_kinds()``).
    """
    from kinerja_xl.kinds import resolve

    config = config or Config()
    kinds = resolve(kinds)
    specs = table_specs(kinds)
    file = source.name if file is None else file
    report = WorkbookReport(file=file)
    weak: list[Table] = []
    for name in source.sheet_names():
        if name in OUR_SHEETS:
            continue
        sheet = source.read_sheet(name)
        report.sheets.append(sheet)
        if sheet.name.strip().lower() == EXCEPTIONS_SHEET.lower():
            continue
        report.tables.extend(find_tables(sheet, specs, weak=weak))
    findings: list[Finding] = []
    if not report.tables:
        findings.append(RuleContext(codes.NO_TABLE, config).finding())
    findings.extend(_weak_table_findings(weak, file))
    findings.extend(_data_relation_findings(report, config, file))
    for t in report.tables:
        findings.extend(_read_issue_findings(t, file))
    findings.extend(run_rules(report.tables, config, file=file, kinds=kinds))
    if config.select or config.ignore:
        findings = [f for f in findings if selected_code(f.code, config, kinds)]
    findings = _apply_exceptions(findings, _exceptions(report.sheets), config)
    # findings are made with the file named; replace() costs ~4 µs each, so only where one is not
    report.findings = sort_findings([f if f.file == file else replace(f, file=file) for f in findings], report.sheets)
    add_coverage(report, config, kinds)
    return report


def add_coverage(report: WorkbookReport, config: Config, kinds=None) -> None:
    """State what was checked: per table, its numeric cells checked and not (``kinerja_xl.coverage``)."""
    from kinerja_xl.coverage import coverage_of

    report.coverage, report.unread_sheets = coverage_of(report.tables, report.sheets, config, kinds,
                                                        skip_sheets=(EXCEPTIONS_SHEET,))


def selected_code(code: str, config: Config, kinds=None) -> bool:
    from kinerja_xl.rules import get_rule

    r = get_rule(code, kinds)
    return r is None or selected(r, config.select, config.ignore)


def _apply_exceptions(findings: list[Finding], exceptions, config: Config) -> list[Finding]:
    if not exceptions:
        return findings
    used = set()
    kept = []
    for f in findings:
        hit = next((i for i, (s, c, code, _) in enumerate(exceptions)
                    if s == f.sheet and c == f.cell and f.code.startswith(code)), None)
        if hit is None:
            kept.append(f)
        else:
            used.add(hit)
    for i, (s, c, code, _) in enumerate(exceptions):
        if i not in used:
            target = f"'{s}'!{c}" if s else c
            kept.append(RuleContext(codes.EXCEPTION_UNUSED, config).finding(sheet=EXCEPTIONS_SHEET, code=code, target=target))
    return kept


_A1 = re.compile(r"([A-Z]+)([0-9]+)")


def cell_order(cell: str | None) -> tuple[int, int]:
    """Sort key of an A1 reference: row first, then column ('B10' after 'Z9')."""
    if not cell:
        return (0, 0)
    m = _A1.fullmatch(cell)  # the usual 'E12' in one match (two generators a cell: ~2 ms more at 100.000 rows)
    if m is not None:
        letters, digits = m.groups()
    else:
        letters = "".join(ch for ch in cell if ch.isalpha())
        digits = "".join(ch for ch in cell if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return (int(digits or 0), col)


def sort_findings(findings: list[Finding], sheets: list[SheetData] | None = None) -> list[Finding]:
    order = {s.name: i for i, s in enumerate(sheets or [])}
    return sorted(findings, key=lambda f: (order.get(f.sheet or "", -1), cell_order(f.cell), f.code))


def error_report(path: str, err: WorkbookError, kinds=None) -> WorkbookReport:
    from kinerja_xl.rules import get_rule

    rule = get_rule(err.code, kinds) or codes.CORRUPT
    finding = Finding(code=rule.code, name=rule.name, severity=Severity.ERROR,
                      message_id=err.msgid, params=err.params, file=path)
    return WorkbookReport(file=path, findings=[finding], error=finding)


def validate_file(path: str | Path, config: Config | None = None, limits=None, kinds=None) -> WorkbookReport:
    """Check one workbook file. Never raises for a bad file: the report carries the error.

    ``kinds``: as for ``validate_source``.
    """
    from kinerja_xl.workbook.files import open_workbook

    path = Path(path)
    try:
        book = open_workbook(path, limits)
    except WorkbookError as err:
        return error_report(str(path), err, kinds)
    try:
        return validate_source(book, config, file=str(path), kinds=kinds)
    except WorkbookError as err:
        return error_report(str(path), err, kinds)
    finally:
        book.close()
