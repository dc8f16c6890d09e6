"""Runs the rules across reports (scope ``report``, KX85x) over the workers' plain results.

The rules themselves are the domain's (``kinerja_validators.cross_report``),
found like every rule through the installed table kinds. They run in the
parent over what each worker returned (``extract.ROW_FIELDS`` rows of each
realisasi table, the identity and the IKM), never over workbooks.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from kinerja_xl import engine_codes as codes
from kinerja_xl.findings import Finding
from kinerja_xl.rules import RuleContext, all_rules, selected

_SPACE = re.compile(r"\s+")


def _coded(kode: Any) -> bool:
    return isinstance(kode, str) and bool(_SPACE.sub("", kode).strip(".,;:"))


def compact_rows(rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    """Only the rows the report rules read (sub kegiatan, coded rows), with repeated text shared: the
    parent holds every report's rows until the end of the run, and names repeat across thousands of reports."""
    out = []
    for r in rows:
        if r[0] == "sub_kegiatan" or (r[0] != "total" and _coded(r[1])):
            out.append(tuple(sys.intern(v) if isinstance(v, str) else v for v in r))
    return out


def cross_findings(results: list[dict[str, Any]], config, kinds=None) -> list[Finding]:
    """The findings of every selected ``report`` rule over the workers' results (each with its final ``identity``)."""
    select = tuple(getattr(config, "select", ()) or ())
    ignore = tuple(getattr(config, "ignore", ()) or ())
    out: list[Finding] = []
    for r in all_rules(kinds):
        if r.scope != "report" or r.func is None or not selected(r, select, ignore):
            continue
        try:
            out.extend(r.func(results, RuleContext(r, config)))
        except Exception as exc:  # one broken rule must not hide the others' findings
            out.append(RuleContext(codes.INTERNAL, config).finding(rule=r.code, error=f"{type(exc).__name__}: {exc}"))
    return out
