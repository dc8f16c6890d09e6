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
from kinerja_xl.findings import Severity
from kinerja_xl.i18n import N_, NP_, supported, translated
from kinerja_xl.numfmt import localise

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

TEXT = {
    "title": N_("Laporan Audit Kinerja Triwulan"),
    "generated": N_("Dibuat"),
    "files": NP_("jamak", "Berkas"),
    "unreadable": N_("Tak terbaca"),
    "skipped": N_("Tidak diperiksa"),
    "units": NP_("jamak", "Unit kerja"),
    "error": NP_("jamak", "Galat"),
    "warning": NP_("jamak", "Peringatan"),
    "info": N_("Info"),
    "known": N_("Sudah di baseline"),
    "new": N_("Baru"),
    "fixed": N_("Diperbaiki"),
    "chart": N_("Serapan anggaran dan IKM per unit (triwulan terakhir)"),
    "serapan": N_("Serapan %"),
    "ikm": N_("IKM"),
    "summary": N_("Ringkasan per unit dan triwulan"),
    "unit": N_("Unit kerja"),
    "tahun": N_("Tahun"),
    "triwulan": N_("TW"),
    "mutu": N_("Mutu"),
    "findings": N_("Temuan per unit"),
    "search": N_("Cari temuan (kode, berkas, uraian, pesan)…"),
    "shown": N_("temuan ditampilkan"),
    "file": N_("Berkas"),
    "where": N_("Lokasi"),
    "code": N_("Aturan"),
    "severity": N_("Tingkat"),
    "message": N_("Pesan"),
    "none": N_("Tidak ada temuan."),
    "unknown": N_("(tanpa nama unit)"),
    "fixed_title": N_("Temuan yang sudah diperbaiki (ada di baseline, kini hilang)"),
    "unreadable_title": N_("Berkas yang tidak dapat diperiksa"),
    "no_chart": N_("Belum ada serapan atau IKM yang terbaca."),
    "skipped_title": N_("Berkas di folder yang tidak diperiksa"),
    "reason": N_("Alasan"),
    "tables_title": N_("Tabel yang dibaca per berkas"),
    "sheet": N_("Lembar"),
    "kind": N_("Jenis tabel"),
    "range": N_("Rentang"),
    "rows": N_("Baris data"),
    "columns": N_("Kolom yang dikenali"),
    "no_tables": N_("tidak ada tabel yang dikenali"),
    "tables_word": N_("tabel"),
    "checked": N_("Sel angka diperiksa"),
    "of": N_("dari"),
    "unrecognised": N_("Kolom tidak dikenali"),
}
CHART = {"label_w": 240, "bar_w": 520, "row_h": 34}
COLORS = (("serapan", "#2f6fb3"), ("ikm", "#e08a1e"))


def _num(value: Any, lang: str, decimals: int = 2) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and decimals == 0:
        return localise(f"{value:,}", lang)
    return localise(f"{float(value):,.{decimals}f}", lang)


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
    lang = supported(doc.get("lang"))
    T = {**translated(TEXT, lang), "sev": {s.value: s.label(lang) for s in Severity}}
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
