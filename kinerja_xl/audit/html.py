"""The HTML report: one self-contained page (no network), readable and printable.

Summary figures, a chart of serapan % and IKM per unit (inline SVG), the
summary per unit and quarter, the files that could not be checked or were
not checked (with the reason), the tables read in each file, findings grouped by unit, and a search box (a
few lines of inline JavaScript).

The page is the Jinja2 template ``templates/audit.html.j2`` rendered with
autoescaping on: every value that came from a workbook is escaped by the
template engine, and nothing here marks text as safe. This module only
prepares the data (labels, chart geometry, relative links).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from kinerja_xl.audit.core import latest_quarters, relative_link

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

TEXT = {
    "id": {
        "title": "Laporan Audit Kinerja Triwulan", "generated": "Dibuat", "files": "Berkas", "unreadable": "Tak terbaca",
        "skipped": "Tidak diperiksa",
        "units": "Unit kerja", "error": "Galat", "warning": "Peringatan", "info": "Info", "known": "Sudah di baseline",
        "new": "Baru", "fixed": "Diperbaiki", "chart": "Serapan anggaran dan IKM per unit (triwulan terakhir)",
        "serapan": "Serapan %", "ikm": "IKM", "summary": "Ringkasan per unit dan triwulan", "unit": "Unit kerja",
        "tahun": "Tahun", "triwulan": "TW", "mutu": "Mutu", "findings": "Temuan per unit", "search": "Cari temuan (kode, berkas, uraian, pesan)…",
        "shown": "temuan ditampilkan", "file": "Berkas", "where": "Lokasi", "code": "Aturan", "severity": "Tingkat",
        "message": "Pesan", "none": "Tidak ada temuan.", "unknown": "(tanpa nama unit)", "fixed_title": "Temuan yang sudah diperbaiki (ada di baseline, kini hilang)",
        "unreadable_title": "Berkas yang tidak dapat diperiksa", "no_chart": "Belum ada serapan atau IKM yang terbaca.",
        "skipped_title": "Berkas di folder yang tidak diperiksa", "reason": "Alasan",
        "tables_title": "Tabel yang dibaca per berkas", "sheet": "Lembar", "kind": "Jenis tabel", "range": "Rentang",
        "rows": "Baris data", "columns": "Kolom yang dikenali", "no_tables": "tidak ada tabel yang dikenali",
        "tables_word": "tabel", "checked": "Sel angka diperiksa", "of": "dari",
        "unrecognised": "Kolom tidak dikenali",
        "sev": {"error": "galat", "warning": "peringatan", "info": "info"},
    },
    "en": {
        "title": "Quarterly Performance Audit Report", "generated": "Generated", "files": "Files", "unreadable": "Unreadable",
        "skipped": "Not checked",
        "units": "Units", "error": "Errors", "warning": "Warnings", "info": "Info", "known": "In baseline",
        "new": "New", "fixed": "Fixed", "chart": "Budget absorption and IKM per unit (latest quarter)",
        "serapan": "Absorption %", "ikm": "IKM", "summary": "Summary per unit and quarter", "unit": "Unit",
        "tahun": "Year", "triwulan": "Q", "mutu": "Grade", "findings": "Findings per unit", "search": "Search findings (code, file, label, message)…",
        "shown": "findings shown", "file": "File", "where": "Location", "code": "Rule", "severity": "Severity",
        "message": "Message", "none": "No findings.", "unknown": "(no unit name)", "fixed_title": "Fixed findings (in the baseline, now gone)",
        "unreadable_title": "Files that could not be checked", "no_chart": "No absorption or IKM could be read yet.",
        "skipped_title": "Files in the folder that were not checked", "reason": "Reason",
        "tables_title": "Tables read in each file", "sheet": "Sheet", "kind": "Table kind", "range": "Range",
        "rows": "Data rows", "columns": "Columns recognised", "no_tables": "no table recognised",
        "tables_word": "tables", "checked": "Numeric cells checked", "of": "of",
        "unrecognised": "Columns not understood",
        "sev": {"error": "error", "warning": "warning", "info": "info"},
    },
}
CHART = {"label_w": 240, "bar_w": 520, "row_h": 34}
COLORS = (("serapan", "#2f6fb3"), ("ikm", "#e08a1e"))


def _num(value: Any, lang: str, decimals: int = 2) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and decimals == 0:
        s = f"{value:,}"
        return s if lang == "en" else s.replace(",", ".")
    s = f"{float(value):,.{decimals}f}"
    return s if lang == "en" else s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    # autoescape on for every template, whatever its file name: the page is made of workbook text
    return Environment(loader=PackageLoader("kinerja_xl.audit", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def chart_data(units: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Geometry of the grouped horizontal bars: serapan % and IKM of each unit's latest quarter
    (scale 0–100, longer bars clipped); None when no unit has either."""
    latest = latest_quarters(units)
    if not latest:
        return None
    label_w, bar_w, row_h = CHART["label_w"], CHART["bar_w"], CHART["row_h"]
    rows = []
    for i, u in enumerate(latest):
        y = 26 + i * row_h
        bars = []
        for j, (key, color) in enumerate(COLORS):
            if u[key] is None:
                continue
            w = bar_w * max(0.0, min(float(u[key]), 100.0)) / 100
            bars.append({"key": key, "color": color, "value": u[key], "w": f"{w:.1f}", "w_raw": w, "y": y + 2 + j * 14})
        name = u["unit"]
        rows.append({"name": name, "label": name if len(name) <= 34 else name[:33] + "…", "y": y,
                     "quarter": ROMAN.get(u["triwulan"], "?"), "bars": bars})
    return {"label_w": label_w, "width": label_w + bar_w + 70, "height": 30 + row_h * len(rows),
            "ticks": [f"{label_w + bar_w * t / 100:.1f}" for t in (0, 25, 50, 75, 100)], "rows": rows}


def _finding_groups(doc: dict[str, Any], unknown: str, report_dir: Path) -> list[dict[str, Any]]:
    """Findings grouped by unit, named units first (alphabetically), files without a unit last."""
    by_unit: dict[str | None, list[dict[str, Any]]] = {}
    for f in doc.get("files", []):
        if f["findings"]:
            by_unit.setdefault(f["unit"], []).append(f)
    groups = []
    for unit in sorted(by_unit, key=lambda u: (u is None, u or "")):
        rows = []
        for f in sorted(by_unit[unit], key=lambda f: (f["tahun"] or 0, f["triwulan"] or 0, f["name"])):
            base = relative_link(f["path"], report_dir)
            for x in f["findings"]:
                sheet, cell = x.get("sheet"), x.get("cell")
                where = (f"'{sheet}'!{cell}" if cell else f"'{sheet}'") if sheet else ""
                rows.append({"file": f["name"], "href": base + (f"#{where}" if where else ""), "where": where,
                             "row_key": x.get("row_key"), "code": x["code"], "name": x.get("name"),
                             "severity": x["severity"], "message": x.get("message"),
                             "related": "; ".join(x.get("related") or [])})
        groups.append({"unit": unit or unknown, "count": len(rows), "rows": rows})
    return groups


def render_html(doc: dict[str, Any], report_dir: Path | None = None) -> str:
    """The page; links to the workbooks are relative to ``report_dir`` (the folder the page is saved in)."""
    template, context = _page(doc, report_dir)
    return template.render(**context)


def _page(doc: dict[str, Any], report_dir: Path | None):
    """The page's template and what it is rendered with."""
    lang = "en" if doc.get("lang") == "en" else "id"
    T = TEXT[lang]
    report_dir = report_dir if report_dir is not None else Path.cwd()
    s = doc["summary"]
    tiles = [("files", s["files"], ""), ("unreadable", s["unreadable"], "")]
    if s.get("skipped"):
        tiles.append(("skipped", s["skipped"], ""))
    tiles += [("units", s["units"], ""), ("error", s["findings"]["error"], "error"),
              ("warning", s["findings"]["warning"], "warning"), ("info", s["findings"]["info"], "info")]
    if s.get("baseline"):
        b = s["baseline"]
        tiles += [("known", b["known"], ""), ("new", b["new"], ""), ("fixed", b["fixed"], "")]
    env = _environment().overlay()
    env.filters["num"] = lambda v, decimals=2: _num(v, lang, decimals)
    env.filters["roman"] = lambda q: ROMAN.get(q, q) if q is not None else ""
    unreadable = [dict(f, href=relative_link(f["path"], report_dir)) for f in doc.get("files", []) if f["error"]]
    skipped = [dict(x, href=relative_link(x["path"], report_dir), shown=x["path"]) for x in doc.get("skipped") or []]
    return env.get_template("audit.html.j2"), dict(
        lang=lang, T=T, generated=doc.get("generated") or "", summary=s,
        tiles=[{"key": k, "value": int(v), "cls": c} for k, v, c in tiles],
        chart=chart_data(doc.get("units", [])), units=doc.get("units", []), unreadable=unreadable,
        skipped=skipped, checked=[f for f in doc.get("files", []) if not f["error"]], groups=_finding_groups(doc, T["unknown"], report_dir), fixed=doc.get("fixed") or [])


def write_html(doc: dict[str, Any], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    template, context = _page(doc, out.parent)
    # written as it is rendered: the whole page as one string is tens of MB at thousands of reports
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.writelines(template.generate(**context))
    tmp.replace(out)
    return out
