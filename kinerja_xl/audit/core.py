"""One audit run: find the files, check them in workers, add the cross-report
rules and the baseline, and build the consolidated document every output
(JSON, Excel, HTML) is written from.

The document (``audit.json``, ``version`` 1)::

    {"version": 1, "tool": "kinerja-xl", "kind": "audit", "lang", "generated",
     "summary": {"files", "unreadable", "skipped", "units", "findings": {"error", "warning", "info"}, "total",
                 "baseline": null | {"path", "written", "known", "new", "fixed"}},
     "units": [{"unit", "kode", "tahun", "triwulan", "files", "paths", "error", "warning", "info",
                "unreadable", "serapan", "ikm", "mutu"}],
     "files": [{"path", "name", "unit", "kode", "kabupaten", "triwulan", "tahun", "identity_source",
                "error", "error_code", "summary", "serapan", "ikm", "mutu", "plafon", "realisasi", "seconds",
                "tables": [{"kind", "sheet", "range", "header_rows", "rows", "columns": {concept: column letter},
                            "numeric_cells", "checked_cells", "unchecked_cells",
                            "unchecked_columns": {column letter: count}, "unrecognised_columns": {column letter: header}}],
                "findings": [<the fields of kinerja-xl validate --format json> + "unit", "owner", "fingerprint"]}],
     "skipped": [{"path", "name", "reason_code", "reason"}],   # files seen but not checked
     "fixed": [baseline entries no longer found, with "count"]}

Units without a name (no Info sheet, no title, not in ``--map``) share one
``units`` row whose ``unit`` is null.

Cross-report findings (KX85x) sit in the findings of the later (or deviating)
report; their ``related`` names the other file. With a baseline, ``findings``
hold only the new ones. Amounts are rupiah, percentages in percent units.
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from kinerja_xl.audit import baseline as bl
from kinerja_xl.audit.discovery import scan
from kinerja_xl.audit.identify import Identity, from_map
from kinerja_xl.audit.pool import PoolSettings, run_pool
from kinerja_xl.findings import json_number
from kinerja_xl.runner import cell_order
from kinerja_xl.tables import rupiah

SEVERITIES = ("error", "warning", "info")


def discover(paths: Iterable[str], exclude: Path | None = None) -> list[str]:
    """The files to check (see ``discovery.scan`` for the files seen but not checked)."""
    return scan(paths, exclude).files


def apply_map(result: dict[str, Any], mapping: dict[str, Identity] | None) -> None:
    """Fill what the workbook did not say from the auditor's map."""
    ident = Identity(**{k: v for k, v in (result.get("identity") or {}).items() if k in Identity.__dataclass_fields__})
    if mapping:
        entry = from_map(mapping, result["path"])
        if entry is not None:
            ident.fill(entry)
    result["identity"] = ident.as_dict()


def check_files(files: list[str], config, limits, settings: PoolSettings, mapping=None,
                on_result: Callable[[dict[str, Any]], None] | None = None,
                timings: dict[str, float] | None = None) -> list[dict[str, Any]]:
    """Every file's plain result, in the order given (``timings["collect"]``: the parent's seconds per answer, summed)."""
    results: list[dict[str, Any] | None] = [None] * len(files)
    timings = {} if timings is None else timings
    timings.setdefault("collect", 0.0)

    from kinerja_xl.audit.cross import compact_rows

    def done(index: int, result: dict[str, Any]) -> None:
        clock = time.perf_counter()
        apply_map(result, mapping)
        result["rows"] = compact_rows(result.get("rows") or [])
        _share_strings(result)
        results[index] = result
        if on_result is not None:
            on_result(result)
        timings["collect"] += time.perf_counter() - clock

    run_pool(files, config, limits, settings, done)
    return [r for r in results if r is not None]


def _share_strings(result: dict[str, Any]) -> None:
    """One copy of each repeated text (codes, rule names, sheets, cells, paths) in the results the parent keeps
    until the end of the run: unpickling makes a new string per finding (~16% of the kept results)."""
    for f in result.get("findings") or []:
        for k, v in f.items():
            if type(v) is str and k != "message":
                f[k] = sys.intern(v)
    for t in result.get("tables") or []:
        for k, v in t.items():
            if type(v) is str:
                t[k] = sys.intern(v)


def consolidate(results: list[dict[str, Any]], config, baseline_path: Path | None = None,
                update_baseline: bool = False, skipped: list[dict[str, Any]] | None = None,
                timings: dict[str, float] | None = None) -> dict[str, Any]:
    """The audit document: files with their findings (cross-report ones included), units, summary.

    ``skipped``: the files seen but not checked (``Discovery.described()``), listed with their reason.
    """
    lang = getattr(config, "lang", "id")
    per_file = _findings_per_file(results, config, {} if timings is None else timings)
    every = [f for findings in per_file.values() for f in findings]
    baseline_info, reported, fixed = _apply_baseline(every, baseline_path, update_baseline)
    files_out = [_file_entry(res, [f for f in per_file.get(res["path"], []) if id(f) in reported]) for res in results]
    totals = {s: sum(f["summary"][s] for f in files_out) for s in SEVERITIES}
    skipped = list(skipped or [])
    return {
        "version": 1, "tool": "kinerja-xl", "kind": "audit", "lang": lang,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "summary": {"files": len(files_out), "unreadable": sum(1 for f in files_out if f["error"]),
                    "skipped": len(skipped), "units": len({f["unit"] for f in files_out if f["unit"]}),
                    "findings": totals, "total": sum(totals.values()), "baseline": baseline_info},
        "units": unit_rows(files_out),
        "files": files_out,
        "skipped": skipped,
        "fixed": fixed,
    }


def _findings_per_file(results: list[dict[str, Any]], config, timings: dict[str, float]) -> dict[str, list[dict[str, Any]]]:
    """Each file's findings plus the cross-report ones, each with its unit, owner and fingerprint."""
    from kinerja_xl.audit.cross import cross_findings
    from kinerja_xl.findings import messages_for
    from kinerja_xl.report.jsonfmt import finding_rows

    lang = getattr(config, "lang", "id")
    by_path = {r["path"]: r for r in results}
    per_file: dict[str, list[dict[str, Any]]] = {r["path"]: list(r["findings"]) for r in results}
    clock = time.perf_counter()
    found = list(cross_findings(results, config))
    for f, row in zip(found, finding_rows(found, messages_for(lang))):
        per_file.setdefault(f.file, []).append(row)
    timings["cross"] = time.perf_counter() - clock
    for path, findings in per_file.items():
        identity = by_path.get(path, {}).get("identity") or {}
        who = bl.owner(identity, path)
        for f in findings:
            f["unit"] = identity.get("unit")
            f["owner"] = who
            f["fingerprint"] = bl.fingerprint(who, f)
    return per_file


def _apply_baseline(every: list[dict[str, Any]], baseline_path: Path | None, update: bool):
    """(baseline summary or None, ids of the findings to report, fixed entries)."""
    if baseline_path is None:
        return None, {id(f) for f in every}, []
    recorded = bl.load(baseline_path)
    info = {"path": str(baseline_path), "written": False, "known": 0, "new": len(every), "fixed": 0}
    reported, fixed = {id(f) for f in every}, []
    if recorded is not None:
        new, known, fixed = bl.compare(recorded, every)
        reported = {id(f) for f in new}
        info.update(known=known, new=len(new), fixed=sum(e["count"] for e in fixed))
    if recorded is None or update:
        bl.save(baseline_path, every)
        info["written"] = True
    return info, reported, fixed


_RANK = {"error": 2, "warning": 1, "info": 0}


def _file_entry(res: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any]:
    findings.sort(key=lambda f: (-_RANK[f["severity"]], f.get("sheet") or "", cell_order(f.get("cell")), f["code"]))
    ident = res.get("identity") or {}
    error = res.get("error") or {}
    return {
        "path": res["path"], "name": Path(res["path"]).name,
        "unit": ident.get("unit"), "kode": ident.get("kode"), "kabupaten": ident.get("kabupaten"),
        "triwulan": ident.get("triwulan"), "tahun": ident.get("tahun"), "identity_source": ident.get("source"),
        "error": error.get("message"), "error_code": error.get("code"),
        "summary": {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES},
        "serapan": res.get("serapan"), "ikm": res.get("ikm"), "mutu": res.get("mutu"),
        "plafon": json_number(rupiah(res.get("plafon"))), "realisasi": json_number(rupiah(res.get("realisasi"))),
        "seconds": res.get("seconds"), "tables": res.get("tables") or [], "findings": findings,
    }


def unit_rows(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per unit, year and quarter: counts summed, serapan/IKM/mutu of its (first) report.

    Files that name no unit (no Info sheet, no title, not in ``--map``; unreadable files) share one
    last row, so that a folder with many of them does not push the real units off the first page.
    """
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for f in files:
        groups[(f["unit"], f["tahun"], f["triwulan"]) if f["unit"] else (None, None, None)].append(f)
    rows = [_unit_row(key, members) for key, members in groups.items()]
    rows.sort(key=lambda r: (r["unit"] is None, r["unit"] or "", r["tahun"] or 0, r["triwulan"] or 0))
    return rows


def _unit_row(key: tuple, members: list[dict[str, Any]]) -> dict[str, Any]:
    unit, tahun, triwulan = key
    row = {"unit": unit, "kode": None, "tahun": tahun, "triwulan": triwulan,
           "files": [m["name"] for m in members], "paths": [m["path"] for m in members],
           **{s: sum(m["summary"][s] for m in members) for s in SEVERITIES},
           "unreadable": sum(1 for m in members if m["error"]), "serapan": None, "ikm": None, "mutu": None}
    if unit is not None:  # the shared row of files without a unit has no single kode, serapan or IKM
        first = next((m for m in members if not m["error"]), members[0])
        row.update({k: first[k] for k in ("kode", "serapan", "ikm", "mutu")})
    return row


def latest_quarters(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each named unit's latest summary row that has a serapan or an IKM, by unit name: what the charts show."""
    latest: dict[str, dict[str, Any]] = {}
    for u in units:
        if not u["unit"] or (u["serapan"] is None and u["ikm"] is None):
            continue
        cur = latest.get(u["unit"])
        if cur is None or (u["tahun"] or 0, u["triwulan"] or 0) >= (cur["tahun"] or 0, cur["triwulan"] or 0):
            latest[u["unit"]] = u
    return [latest[name] for name in sorted(latest)]


def relative_link(path: str, report_dir: Path) -> str:
    """The address of a checked file as seen from the report's folder (``../laporan/A%20B.xlsx``).

    Relative, so that the links survive moving or sharing the folder that holds
    the reports and the workbooks together; absolute (``file:///…``) only where
    no relative path exists (another Windows drive).
    """
    from urllib.parse import quote

    target = Path(path).absolute()
    try:
        rel = Path(os.path.relpath(target, report_dir.absolute()))
    except ValueError:  # another drive on Windows
        return target.as_uri()
    return quote(rel.as_posix(), safe="/")
