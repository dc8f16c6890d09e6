"""The terminal report, laid out like ruff's and eslint's at any width.

Under each file's name, one line per table read (its kind, sheet and range,
how many of its numeric cells a rule checked, the columns not understood)
and the sheets with numbers where no table was recognised: "no findings"
means little without saying what was looked at, so it is never printed
unqualified when numeric cells went unchecked (``ok_sentence``).

Per finding: the location and the code first (``'Realisasi TW III'!E24  KX301
galat  sisa-identity``), then, indented, the message on the full width, the
row's label (so that findings on different rows are told apart) and what the
cell should hold and holds. At the end a summary per rule code, how many
rules ran and how many found something, and the totals.

On a terminal the text is wrapped at word boundaries to the terminal's width
(a kode such as ``7.01.06.2.01.02.`` is never broken); anywhere else (a pipe,
a file) every line is written whole.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from typing import Iterable

from kinerja_xl.findings import Finding, Severity
from kinerja_xl.i18n import N_, translated
from kinerja_xl.numfmt import format_number, format_value

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
INDENT = "    "

_T = {
    "ok": N_("Tidak ada temuan."),
    "ok_n": N_("Tidak ada temuan pada {n} sel angka yang diperiksa."),
    "ok_partial": N_("Tidak ada temuan pada {n} sel yang diperiksa; {m} sel angka tidak diperiksa ({where})."),
    "column": N_("kolom {cols} di {sheet}"),
    "sheet": N_("lembar"),
    "tables": N_("Tabel yang dibaca:"),
    "table": N_("{kind} di {sheet} {range}: {n} dari {m} sel angka diperiksa"),
    "unknown_cols": N_("kolom tidak dikenali: {cols}"),
    "unread": N_("Lembar {sheet}: {m} sel angka, tidak ada tabel yang dikenali (judul kolom: {headers})"),
    "no_headers": N_("tidak terbaca"),
    "summary": N_("{files} berkas: {e} galat, {w} peringatan, {i} info"),
    "row": N_("baris"),
    "exp": N_("seharusnya"),
    "act": N_("tertulis"),
    "workbook": N_("(buku kerja)"),
    "per_rule": N_("Temuan per aturan:"),
    "rules": N_("Aturan: {run} dijalankan, {hit} dengan temuan."),
}


def rules_run(report, config=None) -> set[str]:
    """Codes of the rules that ran on this workbook: those for its table kinds (and selection), and every code
    that produced a finding (engine codes such as KX104 included)."""
    from kinerja_xl.rules import all_rules, selected

    if report.error is not None:
        return set()
    kinds = {t.kind for t in report.tables}
    ran = set()
    for r in all_rules():
        if r.func is None or (config is not None and not selected(r, config.select, config.ignore)):
            continue
        if (all(k in kinds for k in r.tables) if r.scope == "workbook" else bool(set(r.tables) & kinds)):
            ran.add(r.code)
    return ran | {f.code for f in report.findings}


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def table_line(cov, lang: str = "id") -> str:
    """One table's coverage as one sentence: kind, place, numeric cells checked of present, columns not understood."""
    t = translated(_T, lang)
    line = t["table"].format(kind=cov.kind, sheet=_quoted(cov.sheet), range=cov.range, n=_count(cov.checked, lang),
                             m=_count(cov.numeric, lang))
    unknown = cov.unrecognised
    if unknown:
        line += "; " + t["unknown_cols"].format(cols=", ".join(f"{c.column} {c.header}" for c in unknown))
    judged = judged_text(cov, lang)
    if judged:
        line += "; " + judged
    return line


# the identities a table's rows were judged by (kinerja_xl.coverage.identities_judged), kept apart from _T
_JUDGED = {
    "head": N_("identitas yang dinilai: {items}"),
    "item": N_("{rule} pada {n} baris"),
    "failed": N_(" ({k} tidak berlaku)"),
}


def judged_text(cov, lang: str = "id") -> str:
    """'identitas yang dinilai: KX301 pada 120 baris (2 tidak berlaku), …', or '' when none was counted."""
    t = translated(_JUDGED, lang)
    head, item, failed = t["head"], t["item"], t["failed"]
    items = [item.format(rule=i.rule, n=_count(i.judged, lang)) + (failed.format(k=_count(i.failed, lang)) if i.failed else "")
             for i in getattr(cov, "identities", ())]
    return head.format(items=", ".join(items)) if items else ""


def unread_line(u, lang: str = "id") -> str:
    t = translated(_T, lang)
    headers = " | ".join(h if len(h) <= 40 else h[:39] + "…" for h in u.headers[:12]) or t["no_headers"]
    return t["unread"].format(sheet=_quoted(u.sheet), m=_count(u.numeric, lang), headers=headers)


def _count(n: int, lang: str) -> str:
    return format_number(n, lang)


def coverage_lines(report, lang: str = "id") -> list[str]:
    """The per-table lines, then one line per sheet of numbers that was not understood."""
    return ([table_line(c, lang) for c in getattr(report, "coverage", [])]
            + [unread_line(u, lang) for u in getattr(report, "unread_sheets", [])])


def ok_sentence(report, lang: str = "id") -> tuple[str, bool]:
    """What to say of a workbook without findings, and whether it is a full pass: qualified by what went unchecked."""
    t = translated(_T, lang)
    coverage = getattr(report, "coverage", [])
    unread = getattr(report, "unread_sheets", [])
    checked = sum(c.checked for c in coverage)
    unchecked = sum(c.unchecked for c in coverage) + sum(u.numeric for u in unread)
    if not unchecked:
        return (t["ok_n"].format(n=_count(checked, lang)) if coverage else t["ok"]), True
    where = []
    for c in coverage:
        cols = [col.column for col in c.unchecked_columns]
        if cols:
            where.append(t["column"].format(cols=", ".join(cols), sheet=_quoted(c.sheet)))
    where += [f"{t['sheet']} {_quoted(u.sheet)}" for u in unread]
    return t["ok_partial"].format(n=_count(checked, lang), m=_count(unchecked, lang), where="; ".join(where)), False


def _wrapped(text: str, width: int | None) -> list[str]:
    """``text`` as indented lines: wrapped at word boundaries to ``width``, or one whole line when ``width`` is None."""
    if width is None:
        return [INDENT + text]
    return textwrap.wrap(text, width=max(width, 40), initial_indent=INDENT, subsequent_indent=INDENT,
                         break_long_words=False, break_on_hyphens=False) or [INDENT]


def finding_lines(f: Finding, lang: str, width: int | None):
    """The rich Text lines of one finding."""
    from rich.text import Text

    t = translated(_T, lang)
    head = Text()
    head.append(f.location or t["workbook"], style="bold")
    head.append("  ")
    head.append(f.code, style=STYLE[f.severity])
    head.append(" ")
    head.append(f.severity.label(lang), style=STYLE[f.severity])
    head.append("  ")
    head.append(f.name, style="dim")
    lines = [head]
    lines += [Text(line) for line in _wrapped(f.message(lang), width)]
    if f.row_key:
        for line in _wrapped(f"{t['row']}: {f.row_key}", width):
            lines.append(Text(line, style="dim"))
    values = []
    if f.expected is not None:
        values.append(f"{t['exp']} {format_value(f.expected, lang)}")
    if f.actual is not None:
        values.append(f"{t['act']} {format_value(f.actual, lang)}")
    if values:
        lines += [Text(line) for line in _wrapped(", ".join(values), width)]
    return lines


def render_human(reports: Iterable, console, lang: str = "id", checklist: bool = True, config=None) -> None:
    """Print the reports; ``checklist`` adds the per-rule summary and the count of rules run."""
    from rich.text import Text

    t = translated(_T, lang)
    reports = list(reports)
    width = console.width if console.is_terminal else None
    totals: Counter = Counter()
    per_rule: Counter = Counter()
    first_of: dict[str, Finding] = {}
    run: set[str] = set()
    for n, report in enumerate(reports):
        if n:
            console.print()
        console.print(Text(report.file, style="bold underline"))
        if report.error is not None:
            f = report.error
            for line in finding_lines(f, lang, width):
                console.print(line)
            totals[Severity.ERROR] += 1
            per_rule[f.code] += 1
            first_of.setdefault(f.code, f)
            continue
        lines = coverage_lines(report, lang)
        if lines:
            console.print(Text(t["tables"], style="dim"))
            for line in lines:
                for part in _wrapped(line, width):
                    console.print(Text(part, style="dim"), soft_wrap=True)
        if not report.findings:
            sentence, full = ok_sentence(report, lang)
            console.print(Text(("✓ " if full else "! ") + sentence, style="green" if full else "yellow"))
        sheet = None
        for f in report.findings:
            if sheet is not None and f.sheet != sheet:
                console.print()  # a blank line between sheets
            sheet = f.sheet
            for line in finding_lines(f, lang, width):
                console.print(line)
            totals[f.severity] += 1
            per_rule[f.code] += 1
            first_of.setdefault(f.code, f)
        run |= rules_run(report, config)
    if checklist and per_rule:
        console.print()
        console.print(Text(t["per_rule"], style="bold"))
        order = sorted(per_rule, key=lambda c: (-first_of[c].severity.rank, -per_rule[c], c))
        count_width = max(len(str(v)) for v in per_rule.values())
        sev_width = max(len(first_of[c].severity.label(lang)) for c in order)
        for code in order:
            f = first_of[code]
            line = Text(f"  {per_rule[code]:>{count_width}}  ")
            line.append(code, style=STYLE[f.severity])
            line.append(f"  {f.severity.label(lang):<{sev_width}}  ", style=STYLE[f.severity])
            line.append(f.name, style="dim")
            console.print(line)
    if checklist and run:
        console.print(t["rules"].format(run=len(run), hit=len({c for c in per_rule if c in run})))
    console.print(Text(t["summary"].format(files=len(reports), e=totals[Severity.ERROR],
                                           w=totals[Severity.WARNING], i=totals[Severity.INFO]), style="bold"))
