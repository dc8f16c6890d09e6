"""The JSON document for machines. Field names are stable (``version`` 1):

    {"version": 1, "tool": "kinerja-xl", "files": [{"path", "error", "summary",
      "findings": [{"code", "name", "severity", "sheet", "cell", "row_key",
                    "expected", "actual", "difference", "message", "related"}]}]}

Numbers are JSON numbers; percentages are in percent units (77.08).
"""

from __future__ import annotations

import json
from typing import Iterable, TextIO

from kinerja_xl.findings import Finding, json_number


def finding_dict(f: Finding, lang: str = "id") -> dict:
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "file": f.file,
        "sheet": f.sheet,
        "cell": f.cell,
        "row_key": f.row_key,
        "expected": json_number(f.expected),
        "actual": json_number(f.actual),
        "difference": json_number(f.difference),
        "message": f.message(lang),
        "related": list(f.related),
    }


def report_dict(report, lang: str = "id") -> dict:
    counts = {s: sum(1 for f in report.findings if f.severity.value == s) for s in ("error", "warning", "info")}
    return {
        "path": report.file,
        "error": report.error.message(lang) if report.error else None,
        "summary": counts,
        "findings": [finding_dict(f, lang) for f in report.findings],
    }


def render_json(reports: Iterable, out: TextIO, lang: str = "id") -> None:
    doc = {"version": 1, "tool": "kinerja-xl", "files": [report_dict(r, lang) for r in reports]}
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")
