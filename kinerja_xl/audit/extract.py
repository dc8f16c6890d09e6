"""What a worker sends back for one workbook: plain, JSON-able data.

``audit_file`` runs the same check as ``kinerja-xl validate`` and reduces the
result to what the parent needs for the consolidated report and the
cross-report rules: the findings as dicts (the fields of the JSON report), a
summary (unit, quarter, year, counts, serapan %, IKM, mutu) and one compact
row per line of the realisasi table. No pandas object crosses the process
boundary, so results are small and cheap to pickle.
"""

from __future__ import annotations

import time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kinerja_xl.tables import fold

#: Fields of one realisasi row in ``result["rows"]`` (a list per row, to keep it compact).
ROW_FIELDS = ("level", "kode", "uraian", "plafon", "realisasi", "sheet", "row", "plafon_cell", "realisasi_cell")
IKM_LABELS = ("NILAI IKM", "IKM", "NILAI HASIL SURVEI", "NILAI INDEKS KEPUASAN MASYARAKAT", "INDEKS KEPUASAN MASYARAKAT",
              "NILAI IKM UNIT PELAYANAN", "NILAI SKM", "SKM", "INDEKS KEPUASAN MASYARAKAT IKM")


def error_result(path: str, code: str, name: str, message: str, seconds: float = 0.0) -> dict[str, Any]:
    """The result of a file that could not be checked at all."""
    finding = {"code": code, "name": name, "severity": "error", "file": path, "sheet": None, "cell": None,
               "row_key": None, "expected": None, "actual": None, "difference": None, "message": message,
               "related": []}
    return {"path": path, "error": {"code": code, "message": message}, "identity": {}, "counts":
            {"error": 1, "warning": 0, "info": 0}, "findings": [finding], "rows": [], "serapan": None,
            "plafon": None, "realisasi": None, "ikm": None, "mutu": None, "seconds": seconds}


def audit_file(path: str, config=None, limits=None) -> dict[str, Any]:
    """Check one workbook; never raises for a bad file (the result carries the error)."""
    from kinerja_xl.audit.identify import identify
    from kinerja_xl.config import Config
    from kinerja_xl.findings import messages_for
    from kinerja_xl.report.jsonfmt import finding_rows

    config = config or Config()
    start, cpu = time.perf_counter(), time.process_time()
    reading = [0.0]
    report = _validate(path, config, limits, reading)
    checked = time.perf_counter()
    findings = finding_rows(report.findings, messages_for(config.lang))
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info")}
    result: dict[str, Any] = {
        "path": str(path), "error": None, "identity": {}, "counts": counts, "findings": findings, "rows": [], "tables": [],
        "serapan": None, "plafon": None, "realisasi": None, "ikm": None, "mutu": None,
    }
    if report.error is not None:
        result["error"] = {"code": report.error.code, "message": report.error.message(config.lang)}
    else:
        result["identity"] = identify(report.sheets, report.tables).as_dict()
        result["tables"] = table_summaries(report.tables, getattr(report, "coverage", None))
        rows = []
        for t in report.tables_of("realisasi"):
            rows.extend(realisasi_rows(t))
        result["rows"] = rows
        plafon, realisasi = totals(rows)
        result["plafon"], result["realisasi"] = plafon, realisasi
        if plafon:
            result["serapan"] = float((Decimal(realisasi) * 100 / Decimal(plafon)).quantize(Decimal("0.01"), ROUND_HALF_UP))
        ikm = ikm_value(report, config)
        if ikm is not None:
            result["ikm"] = ikm
            result["mutu"] = mutu_letter(ikm)
    end = time.perf_counter()
    result["seconds"] = round(end - start, 4)
    # where the worker's time went (bench/audit.py prints it); not part of the audit document
    result["timing"] = {"read": reading[0], "rules": checked - start - reading[0], "extract": end - checked,
                        "cpu": time.process_time() - cpu}
    return result


def _validate(path: str, config, limits, reading: list[float]):
    """``runner.validate_file``, with the seconds spent reading sheets added to ``reading[0]``.

    The collector is paused around the read too (``validate_source`` pauses it around the check);
    the worker's frozen warm-up stays frozen (``gcpause.keep_frozen``).
    """
    from kinerja_xl.gcpause import gc_paused
    from kinerja_xl.runner import error_report, validate_source
    from kinerja_xl.workbook import WorkbookError
    from kinerja_xl.workbook.files import open_workbook

    t = time.perf_counter()
    with gc_paused():
        try:
            book = open_workbook(path, limits)
        except WorkbookError as err:
            return error_report(str(path), err)
        finally:
            reading[0] += time.perf_counter() - t
        try:
            return validate_source(_TimedReads(book, reading), config, file=str(path))
        except WorkbookError as err:
            return error_report(str(path), err)
        finally:
            book.close()


class _TimedReads:
    """A workbook source that adds the seconds spent reading sheets to ``total[0]``."""

    def __init__(self, book, total: list[float]):
        self._book, self._total = book, total

    def __getattr__(self, name: str):
        return getattr(self._book, name)

    def read_sheet(self, name: str):
        t = time.perf_counter()
        try:
            return self._book.read_sheet(name)
        finally:
            self._total[0] += time.perf_counter() - t


def table_summaries(tables, coverage=None) -> list[dict[str, Any]]:
    """What was read of each table: kind, sheet, range, header rows, data rows, the column of each concept;
    with ``coverage`` (``WorkbookReport.coverage``) also its numeric cells checked and not, the unchecked
    ones per column, and the columns whose header was not understood (``kinerja_xl.coverage``)."""
    from kinerja_xl.tables import col_letter

    by_index = {c.index: c for c in coverage or ()}
    out = []
    for i, t in enumerate(tables):
        cols = sorted(t.columns.values())
        first, last = (col_letter(cols[0]), col_letter(cols[-1])) if cols else ("A", "A")
        summary = {"kind": t.kind, "sheet": t.sheet, "range": f"{first}{t.header_rows[0]}:{last}{t.last_row}",
                   "header_rows": list(t.header_rows), "rows": len(t.frame),
                   "columns": {key: col_letter(c) for key, c in sorted(t.columns.items(), key=lambda kv: kv[1])}}
        cov = by_index.get(i)
        if cov is not None:
            summary.update({
                "range": cov.range,  # the same span the validate report states (unrecognised header columns included)
                "numeric_cells": cov.numeric, "checked_cells": cov.checked, "unchecked_cells": cov.unchecked,
                "unchecked_columns": {c.column: c.unchecked for c in cov.unchecked_columns},
                "unrecognised_columns": {c.column: c.header for c in cov.unrecognised},
            })
        out.append(summary)
    return out


def _levels(table) -> list[str | None]:
    try:
        from kinerja_xl.kinds import hook

        return list(hook("levels", table.kind)(table))
    except Exception:  # the domain's inference failed on this table: fall back to the kode alone
        out = []
        for kode, uraian in zip(_col(table, "kode"), _col(table, "uraian")):
            t = fold(uraian)
            if t.startswith(("TOTAL", "JUMLAH")):
                out.append("total")
            elif isinstance(kode, str) and kode.count(".") == 5:
                out.append("sub_kegiatan")
            else:
                out.append(None)
        return out


def _col(table, key: str) -> list[Any]:
    frame = table.frame
    return frame[key].tolist() if key in frame.columns else [None] * len(frame)


def _sen(v: Any) -> int | None:
    try:
        return None if v is None or v != v else int(v)
    except (TypeError, ValueError):  # pandas.NA
        return None


def realisasi_rows(table) -> list[list[Any]]:
    """One compact list per row (``ROW_FIELDS``); money in sen."""
    levels = _levels(table)
    rows = [int(r) for r in table.frame.index]
    kodes, uraians = _col(table, "kode"), _col(table, "uraian")
    plafons, realisasis = _col(table, "plafon"), _col(table, "realisasi")
    pc = table.columns.get("plafon")
    rc = table.columns.get("realisasi")
    from kinerja_xl.tables import cell_ref

    out = []
    for i, row in enumerate(rows):
        kode = kodes[i]
        out.append([
            levels[i] if i < len(levels) else None,
            kode.strip() if isinstance(kode, str) and kode.strip() else None,
            uraians[i] if isinstance(uraians[i], str) else None,
            _sen(plafons[i]), _sen(realisasis[i]), table.sheet, row,
            cell_ref(row, pc) if pc is not None else None,
            cell_ref(row, rc) if rc is not None else None,
        ])
    return out


def totals(rows: list[list[Any]]) -> tuple[int | None, int | None]:
    """Σ plafon and Σ realisasi in sen: the TOTAL row when printed, else the programs, else the sub kegiatan."""
    for level in ("total", "program", "sub_kegiatan"):
        chosen = [r for r in rows if r[0] == level and r[3] is not None]
        if chosen:
            if level == "total":
                chosen = chosen[:1]  # a table may repeat its total at the foot
            return sum(r[3] for r in chosen), sum(r[4] or 0 for r in chosen)
    return None, None


def ikm_value(report, config) -> float | None:
    """The IKM the workbook reports: its printed value (the survey recap's IKM cell, else a cell
    labelled 'NILAI IKM'), else the IKM computed from its survey data. A printed IKM that its data
    does not reproduce is already a KX6xx finding; the summary shows what the unit reported."""
    computed: list[float] = []
    try:
        from kinerja_xl.kinds import compute_all

        survey = [t for t in report.tables if t.kind.startswith("skm")]  # only the survey tables give an IKM
        for c in compute_all(survey, config) if survey else ():
            if c.kind != "ikm":
                continue
            printed, value = _ikm_number(c.existing), _ikm_number(c.value)
            if printed is not None:
                return printed
            if value is not None:
                computed.append(value)
    except Exception:  # the survey module failed on this workbook; its rules report that
        pass
    for sheet in report.sheets:
        for r, row in enumerate(sheet.rows[:400]):
            for c, v in enumerate(row[:30]):
                if isinstance(v, str) and fold(v) in IKM_LABELS:
                    found = _number_near(sheet, r, c)
                    if found is not None:
                        return found
    return computed[0] if computed else None


def _ikm_number(v: Any) -> float | None:
    v = getattr(v, "value", v)
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) and 0 < float(v) <= 100:
        return round(float(v), 2)
    return None


def _number_near(sheet, r: int, c: int) -> float | None:
    from kinerja_xl.numbers import parse_number

    candidates = [sheet.value(r, cc) for cc in range(c + 1, c + 8)] + [sheet.value(rr, c) for rr in range(r + 1, r + 4)]
    for v in candidates:
        if v is None or isinstance(v, bool):
            continue
        if isinstance(v, (int, float)):
            x = float(v)
        else:
            p = parse_number(v)
            if not p.ok or p.value is None:
                continue
            x = float(p.value)
        if 25 <= x <= 100:
            return round(x, 2)
    return None


def mutu_letter(ikm: float) -> str:
    try:
        from kinerja_xl.kinds import hook

        return hook("mutu")(Decimal(str(ikm)))
    except ImportError:  # same bands as PermenPANRB 14/2017
        x = Decimal(str(ikm)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return "A" if x >= Decimal("88.31") else "B" if x >= Decimal("76.61") else "C" if x >= Decimal("65") else "D"
