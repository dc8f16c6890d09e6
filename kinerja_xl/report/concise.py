"""One line per finding, for grep and editors:
``laporan.xlsx:'Realisasi TW3'!E12: KX301 [error] message``."""

from __future__ import annotations

from typing import Iterable, TextIO

from kinerja_xl.findings import Finding


def concise_line(f: Finding, lang: str = "id") -> str:
    where = f.file or ""
    if f.location:
        where += ":" + f.location
    return f"{where}: {f.code} [{f.severity.value}] {f.message(lang)}"


def render_concise(reports: Iterable, out: TextIO, lang: str = "id") -> None:
    for report in reports:
        for f in report.findings:
            out.write(concise_line(f, lang) + "\n")
