"""One line per finding, for grep and editors, then one summary line:

    laporan.xlsx:'Realisasi TW3'!E12: KX301 [galat] message
    1 berkas: 1 galat, 0 peringatan, 0 info

Severities in the report's language (``[error]`` with ``--lang en``). Lines
are never wrapped; on a terminal the location and the code are coloured.
"""

from __future__ import annotations

from typing import Iterable, TextIO

from kinerja_xl.findings import Finding, Severity
from kinerja_xl.i18n import N_, translate

_SUMMARY = N_("{files} berkas: {e} galat, {w} peringatan, {i} info")


def concise_line(f: Finding, lang: str = "id") -> str:
    where = f.file or ""
    if f.location:
        where += ":" + f.location
    return f"{where}: {f.code} [{f.severity.label(lang)}] {f.message(lang)}"


def summary_line(reports: list, lang: str = "id") -> str:
    counts = {s: sum(1 for r in reports for f in r.findings if f.severity == s) for s in Severity}
    return translate(_SUMMARY, lang).format(
        files=len(reports), e=counts[Severity.ERROR], w=counts[Severity.WARNING], i=counts[Severity.INFO])


def render_concise(reports: Iterable, out: TextIO, lang: str = "id") -> None:
    reports = list(reports)
    tty = getattr(out, "isatty", lambda: False)()
    if not tty:  # one write, as render_json
        lines = [concise_line(f, lang) for report in reports for f in report.findings]
        lines.append(summary_line(reports, lang))
        out.write("\n".join(lines) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    from kinerja_xl.report.human import STYLE

    console = Console(file=out, highlight=False, soft_wrap=True)
    for report in reports:
        for f in report.findings:
            where = f.file or ""
            if f.location:
                where += ":" + f.location
            line = Text(where + ":", style="bold") + Text(" ")
            line.append(f"{f.code} [{f.severity.label(lang)}]", style=STYLE[f.severity])
            line.append(" " + f.message(lang))
            console.print(line)
    console.print(Text(summary_line(reports, lang), style="bold"))
