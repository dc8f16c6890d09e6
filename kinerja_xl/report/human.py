"""The terminal report: findings grouped by file and sheet in rich tables,
then a checklist of the rules that ran and a summary line."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable

from kinerja_xl.findings import Severity
from kinerja_xl.numfmt import format_value

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

_T = {
    "id": {"cell": "Sel", "code": "Kode", "sev": "Tingkat", "msg": "Pesan", "exp": "Seharusnya", "act": "Tertulis",
           "sheet": "Lembar", "ok": "Tidak ada temuan.", "summary": "{files} berkas: {e} galat, {w} peringatan, {i} info",
           "rules": "Aturan yang dijalankan", "passed": "lolos", "failed": "temuan", "nofile": "(buku kerja)"},
    "en": {"cell": "Cell", "code": "Code", "sev": "Severity", "msg": "Message", "exp": "Expected", "act": "Actual",
           "sheet": "Sheet", "ok": "No findings.", "summary": "{files} file(s): {e} errors, {w} warnings, {i} info",
           "rules": "Rules run", "passed": "passed", "failed": "findings", "nofile": "(workbook)"},
}


def render_human(reports: Iterable, console, lang: str = "id", checklist: bool = True) -> None:
    from rich.table import Table
    from rich.text import Text

    from kinerja_xl.rules import all_rules

    t = _T["en" if lang == "en" else "id"]
    reports = list(reports)
    totals: Counter = Counter()
    for report in reports:
        console.rule(Text(report.file, style="bold"))
        if report.error is not None:
            console.print(Text(f"✗ {report.error.code} {report.error.message(lang)}", style="bold red"))
            totals[Severity.ERROR] += 1
            continue
        if not report.findings:
            console.print(Text("✓ " + t["ok"], style="green"))
        by_sheet = defaultdict(list)
        for f in report.findings:
            by_sheet[f.sheet or t["nofile"]].append(f)
            totals[f.severity] += 1
        for sheet, findings in by_sheet.items():
            table = Table(title=f"{t['sheet']}: {sheet}", title_justify="left", show_lines=False, expand=False)
            for col in ("cell", "code", "sev", "msg", "exp", "act"):
                table.add_column(t[col], overflow="fold", no_wrap=col in ("cell", "code"),
                                 justify="right" if col in ("exp", "act") else "left",
                                 ratio=4 if col == "msg" else None)
            for f in findings:
                table.add_row(f.cell or "", f.code, Text(f.severity.label(lang), style=_STYLE[f.severity]),
                              f.message(lang),
                              "" if f.expected is None else format_value(f.expected, lang),
                              "" if f.actual is None else format_value(f.actual, lang))
            console.print(table)
        if checklist and report.tables:
            kinds = {tb.kind for tb in report.tables}
            hit = Counter(f.code for f in report.findings)
            line = Text(t["rules"] + ": ")
            for r in all_rules():
                if r.func is None or not set(r.tables) & kinds or (r.scope == "workbook" and not set(r.tables) <= kinds):
                    continue
                mark, style = ("✓", "green") if not hit[r.code] else ("✗", _STYLE[r.severity])
                line.append(f"{mark} {r.code} ", style=style)
            console.print(line)
    console.print(Text(t["summary"].format(files=len(reports), e=totals[Severity.ERROR],
                                           w=totals[Severity.WARNING], i=totals[Severity.INFO]), style="bold"))
