"""The terminal report, laid out like ruff's and eslint's at any width.

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
from kinerja_xl.numfmt import format_value

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
INDENT = "    "

_T = {
    "id": {"ok": "Tidak ada temuan.", "summary": "{files} berkas: {e} galat, {w} peringatan, {i} info",
           "row": "baris", "exp": "seharusnya", "act": "tertulis", "workbook": "(buku kerja)",
           "per_rule": "Temuan per aturan:", "rules": "Aturan: {run} dijalankan, {hit} dengan temuan."},
    "en": {"ok": "No findings.", "summary": "{files} file(s): {e} errors, {w} warnings, {i} info",
           "row": "row", "exp": "expected", "act": "actual", "workbook": "(workbook)",
           "per_rule": "Findings per rule:", "rules": "Rules: {run} run, {hit} with findings."},
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


def _wrapped(text: str, width: int | None) -> list[str]:
    """``text`` as indented lines: wrapped at word boundaries to ``width``, or one whole line when ``width`` is None."""
    if width is None:
        return [INDENT + text]
    return textwrap.wrap(text, width=max(width, 40), initial_indent=INDENT, subsequent_indent=INDENT,
                         break_long_words=False, break_on_hyphens=False) or [INDENT]


def finding_lines(f: Finding, lang: str, width: int | None):
    """The rich Text lines of one finding."""
    from rich.text import Text

    t = _T["en" if lang == "en" else "id"]
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

    t = _T["en" if lang == "en" else "id"]
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
        if not report.findings:
            console.print(Text("✓ " + t["ok"], style="green"))
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
