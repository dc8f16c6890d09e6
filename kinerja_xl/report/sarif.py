"""SARIF 2.1.0 for code-scanning dashboards: one result per finding, the
workbook as artifact, ``Sheet!Cell`` as the logical location."""

from __future__ import annotations

from typing import Iterable, TextIO

from kinerja_xl import __version__
from kinerja_xl.report.jsonfmt import write_json
from kinerja_xl.rules import all_rules

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render_sarif(reports: Iterable, out: TextIO, lang: str = "id") -> None:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for report in reports:
        for f in report.findings:
            result = {
                "ruleId": f.code,
                "level": _LEVEL[f.severity.value],
                "message": {"text": f.message(lang)},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": (f.file or report.file).replace("\\", "/")}},
                    "logicalLocations": [{"name": f.location or (f.file or ""), "kind": "element"}],
                }],
                "properties": {"rowKey": f.row_key, "name": f.name},
            }
            if f.code in index:
                result["ruleIndex"] = index[f.code]
            results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kinerja-xl",
                "version": __version__,
                "rules": [{"id": r.code, "name": r.name, "shortDescription": {"text": r.summary},
                           "fullDescription": {"text": r.doc or r.summary},
                           "defaultConfiguration": {"level": _LEVEL[r.severity.value]}} for r in rules],
            }},
            "results": results,
        }],
    }
    write_json(doc, out)
