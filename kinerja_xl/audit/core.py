"""One audit run: find the files, check them in workers, add the cross-report
rules and the baseline, and build the consolidated document every output
(JSON, Excel, HTML) is written from.

The document (``audit.json``, ``version`` 1)::

    {"version": 1, "tool": "kinerja-xl", "kind": "audit", "lang", "generated",
     "summary": {"files", "unreadable", "units", "findings": {"error", "warning", "info"}, "total",
                 "baseline": null | {"path", "written", "known", "new", "fixed"}},
     "units": [{"unit", "kode", "tahun", "triwulan", "files", "paths", "error", "warning", "info",
                "unreadable", "serapan", "ikm", "mutu"}],
     "files": [{"path", "name", "unit", "kode", "kabupaten", "triwulan", "tahun", "identity_source",
                "error", "error_code", "summary", "serapan", "ikm", "mutu", "plafon", "realisasi", "seconds",
                "findings": [<the fields of kinerja-xl validate --format json> + "unit", "owner", "fingerprint"]}],
     "fixed": [baseline entries no longer found, with "count"]}

Cross-report findings (KX85x) sit in the findings of the later (or deviating)
report; their ``related`` names the other file. With a baseline, ``findings``
hold only the new ones. Amounts are rupiah, percentages in percent units.
"""

from __future__ import annotations

import glob
import os
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from kinerja_xl.audit import baseline as bl
from kinerja_xl.audit.identify import Identity, from_map
from kinerja_xl.audit.pool import PoolSettings, run_pool
from kinerja_xl.findings import json_number
from kinerja_xl.runner import cell_order
from kinerja_xl.tables import rupiah

SUFFIXES = (".xlsx", ".xlsm")
SEVERITIES = ("error", "warning", "info")


def discover(paths: Iterable[str], exclude: Path | None = None) -> list[str]:
    """Files named by PATH arguments: folders (recursively), globs, files.

    A file named explicitly is checked whatever its extension (a PDF renamed
    .xlsx, or a path that does not exist, becomes a finding); folders and
    globs contribute .xlsx/.xlsm files, except Excel's ``~$`` lock files and
    anything inside ``exclude`` (our own output folder).
    """
    out: list[str] = []
    seen: set[str] = set()
    excluded = exclude.resolve() if exclude else None

    def add(p: Path, explicit: bool) -> None:
        if not explicit:
            if p.suffix.lower() not in SUFFIXES or p.name.startswith("~$"):
                return
            if excluded and (excluded == p.resolve().parent or excluded in p.resolve().parents):
                return
        key = str(p.resolve()) if p.exists() else str(p.absolute())
        if key not in seen:
            seen.add(key)
            out.append(str(p))

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    add(Path(root) / name, False)
        elif any(ch in raw for ch in "*?["):
            for hit in sorted(glob.glob(raw, recursive=True)):
                hp = Path(hit)
                if hp.is_dir():
                    continue
                add(hp, False)
        else:
            add(p, True)
    return out


def apply_map(result: dict[str, Any], mapping: dict[str, Identity] | None) -> None:
    """Fill what the workbook did not say from the auditor's map."""
    ident = Identity(**{k: v for k, v in (result.get("identity") or {}).items() if k in Identity.__dataclass_fields__})
    if mapping:
        entry = from_map(mapping, result["path"])
        if entry is not None:
            ident.fill(entry)
    result["identity"] = ident.as_dict()


def check_files(files: list[str], config, limits, settings: PoolSettings, mapping=None,
                on_result: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
    """Every file's plain result, in the order given."""
    results: list[dict[str, Any] | None] = [None] * len(files)

    from kinerja_xl.audit.cross import compact_rows

    def done(index: int, result: dict[str, Any]) -> None:
        apply_map(result, mapping)
        result["rows"] = compact_rows(result.get("rows") or [])
        results[index] = result
        if on_result is not None:
            on_result(result)

    run_pool(files, config, limits, settings, done)
    return [r for r in results if r is not None]


def consolidate(results: list[dict[str, Any]], config, baseline_path: Path | None = None,
                update_baseline: bool = False) -> dict[str, Any]:
    """The audit document: files with their findings (cross-report ones included), units, summary."""
    from kinerja_xl.audit.cross import cross_findings
    from kinerja_xl.report.jsonfmt import finding_dict

    lang = getattr(config, "lang", "id")
    by_path = {r["path"]: r for r in results}
    per_file: dict[str, list[dict[str, Any]]] = {r["path"]: list(r["findings"]) for r in results}
    for f in cross_findings(results, config):
        per_file.setdefault(f.file, []).append(finding_dict(f, lang))
    every: list[dict[str, Any]] = []
    for path, findings in per_file.items():
        res = by_path.get(path, {"identity": {}})
        who = bl.owner(res.get("identity"), path)
        for f in findings:
            f["unit"] = (res.get("identity") or {}).get("unit")
            f["owner"] = who
            f["fingerprint"] = bl.fingerprint(who, f)
            every.append(f)

    baseline_info = None
    fixed: list[dict[str, Any]] = []
    reported = {id(f) for f in every}
    if baseline_path is not None:
        recorded = bl.load(baseline_path)
        baseline_info = {"path": str(baseline_path), "written": False, "known": 0, "new": len(every), "fixed": 0}
        if recorded is not None:
            new, known, fixed = bl.compare(recorded, every)
            reported = {id(f) for f in new}
            baseline_info.update(known=known, new=len(new), fixed=sum(e["count"] for e in fixed))
        if recorded is None or update_baseline:
            bl.save(baseline_path, every)
            baseline_info["written"] = True

    files_out = []
    for res in results:
        findings = [f for f in per_file.get(res["path"], []) if id(f) in reported]
        findings.sort(key=lambda f: (-{"error": 2, "warning": 1, "info": 0}[f["severity"]], f.get("sheet") or "",
                                     cell_order(f.get("cell")), f["code"]))
        ident = res.get("identity") or {}
        files_out.append({
            "path": res["path"], "name": Path(res["path"]).name,
            "unit": ident.get("unit"), "kode": ident.get("kode"), "kabupaten": ident.get("kabupaten"),
            "triwulan": ident.get("triwulan"), "tahun": ident.get("tahun"), "identity_source": ident.get("source"),
            "error": (res.get("error") or {}).get("message"), "error_code": (res.get("error") or {}).get("code"),
            "summary": {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES},
            "serapan": res.get("serapan"), "ikm": res.get("ikm"), "mutu": res.get("mutu"),
            "plafon": json_number(rupiah(res.get("plafon"))), "realisasi": json_number(rupiah(res.get("realisasi"))),
            "seconds": res.get("seconds"), "findings": findings,
        })
    totals = {s: sum(f["summary"][s] for f in files_out) for s in SEVERITIES}
    return {
        "version": 1, "tool": "kinerja-xl", "kind": "audit", "lang": lang,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "summary": {"files": len(files_out), "unreadable": sum(1 for f in files_out if f["error"]),
                    "units": len({f["unit"] for f in files_out if f["unit"]}),
                    "findings": totals, "total": sum(totals.values()), "baseline": baseline_info},
        "units": unit_rows(files_out),
        "files": files_out,
        "fixed": fixed,
    }


def unit_rows(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per unit, year and quarter: counts summed, serapan/IKM/mutu of its (first) report."""
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for f in files:
        key = (f["unit"], f["tahun"], f["triwulan"]) if f["unit"] else (None, None, None, f["name"])
        groups[key].append(f)
    rows = []
    for key, members in groups.items():
        first = next((m for m in members if not m["error"]), members[0])
        rows.append({
            "unit": key[0], "kode": first["kode"], "tahun": key[1], "triwulan": key[2],
            "files": [m["name"] for m in members], "paths": [m["path"] for m in members],
            **{s: sum(m["summary"][s] for m in members) for s in SEVERITIES},
            "unreadable": sum(1 for m in members if m["error"]),
            "serapan": first["serapan"], "ikm": first["ikm"], "mutu": first["mutu"],
        })
    rows.sort(key=lambda r: (r["unit"] is None, r["unit"] or r["files"][0], r["tahun"] or 0, r["triwulan"] or 0))
    return rows
