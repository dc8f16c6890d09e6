"""The HTML report: one self-contained page (no network), readable and printable.

Summary figures, a chart of serapan % and IKM per unit (inline SVG drawn
here), the summary per unit and quarter, findings grouped by unit, and a
search box (a few lines of inline JavaScript). Every value that came from a
workbook goes through ``html.escape``; nothing is inserted as markup.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from kinerja_xl.audit.excel import file_link

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

TEXT = {
    "id": {
        "title": "Laporan Audit Kinerja Triwulan", "generated": "Dibuat", "files": "Berkas", "unreadable": "Tak terbaca",
        "units": "Unit kerja", "error": "Galat", "warning": "Peringatan", "info": "Info", "known": "Sudah di baseline",
        "new": "Baru", "fixed": "Diperbaiki", "chart": "Serapan anggaran dan IKM per unit (triwulan terakhir)",
        "serapan": "Serapan %", "ikm": "IKM", "summary": "Ringkasan per unit dan triwulan", "unit": "Unit kerja",
        "tahun": "Tahun", "triwulan": "TW", "mutu": "Mutu", "findings": "Temuan per unit", "search": "Cari temuan (kode, berkas, uraian, pesan)…",
        "shown": "temuan ditampilkan", "file": "Berkas", "where": "Lokasi", "code": "Aturan", "severity": "Tingkat",
        "message": "Pesan", "none": "Tidak ada temuan.", "unknown": "(unit tidak diketahui)", "fixed_title": "Temuan yang sudah diperbaiki (ada di baseline, kini hilang)",
        "unreadable_title": "Berkas yang tidak dapat diperiksa", "no_chart": "Belum ada serapan atau IKM yang terbaca.",
        "sev": {"error": "galat", "warning": "peringatan", "info": "info"},
    },
    "en": {
        "title": "Quarterly Performance Audit Report", "generated": "Generated", "files": "Files", "unreadable": "Unreadable",
        "units": "Units", "error": "Errors", "warning": "Warnings", "info": "Info", "known": "In baseline",
        "new": "New", "fixed": "Fixed", "chart": "Budget absorption and IKM per unit (latest quarter)",
        "serapan": "Absorption %", "ikm": "IKM", "summary": "Summary per unit and quarter", "unit": "Unit",
        "tahun": "Year", "triwulan": "Q", "mutu": "Grade", "findings": "Findings per unit", "search": "Search findings (code, file, label, message)…",
        "shown": "findings shown", "file": "File", "where": "Location", "code": "Rule", "severity": "Severity",
        "message": "Message", "none": "No findings.", "unknown": "(unit unknown)", "fixed_title": "Fixed findings (in the baseline, now gone)",
        "unreadable_title": "Files that could not be checked", "no_chart": "No absorption or IKM could be read yet.",
        "sev": {"error": "error", "warning": "warning", "info": "info"},
    },
}

CSS = """
:root{--err:#c00000;--warn:#b7791f;--info:#2b6cb0;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1f2328}
header{background:#1f3864;color:#fff;padding:16px 24px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.85}
main{padding:16px 24px;max-width:1400px}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 16px}
.tile{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px;background:var(--bg)}
.tile b{display:block;font-size:24px}.tile.error b{color:var(--err)}.tile.warning b{color:var(--warn)}.tile.info b{color:var(--info)}
h2{font-size:18px;border-bottom:2px solid #1f3864;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;width:100%;margin:6px 0 14px}th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#1f3864;color:#fff;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.error td.sev{color:var(--err);font-weight:600}tr.warning td.sev{color:var(--warn);font-weight:600}tr.info td.sev{color:var(--info)}
section.unit{margin-bottom:18px}section.unit h3{margin:14px 0 4px;font-size:16px}
#search{width:100%;max-width:640px;padding:7px 10px;font-size:15px;border:1px solid #8c959f;border-radius:6px}
.muted{color:#57606a}svg text{font:12px system-ui,Arial,sans-serif}
code{background:var(--bg);padding:0 3px;border-radius:3px}
@media print{header{background:none;color:#000;border-bottom:2px solid #000}#searchbar{display:none}
 th{background:#ddd;color:#000;position:static}tr{page-break-inside:avoid}section.unit{page-break-inside:auto}
 a{color:inherit;text-decoration:none}h2{page-break-after:avoid}.hidden{display:table-row!important}section.unit.hidden{display:block!important}}
.hidden{display:none}
"""

JS = """
(function(){
  var box=document.getElementById('search'), shown=document.getElementById('shown');
  var rows=[].slice.call(document.querySelectorAll('tr.finding'));
  var sections=[].slice.call(document.querySelectorAll('section.unit'));
  function apply(){
    var q=box.value.trim().toLowerCase(), n=0;
    rows.forEach(function(r){var hit=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.classList.toggle('hidden',!hit);if(hit)n++;});
    sections.forEach(function(s){s.classList.toggle('hidden',!s.querySelector('tr.finding:not(.hidden)')&&!!q);});
    shown.textContent=n;
  }
  box.addEventListener('input',apply);apply();
})();
"""


def _e(value: Any) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def _num(value: Any, lang: str, decimals: int = 2) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and decimals == 0:
        s = f"{value:,}"
        return s if lang == "en" else s.replace(",", ".")
    s = f"{float(value):,.{decimals}f}"
    return s if lang == "en" else s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def chart_svg(units: list[dict[str, Any]], T: dict[str, Any], lang: str) -> str:
    """Grouped horizontal bars: serapan % and IKM of each unit's latest quarter (scale 0–100, longer bars clipped)."""
    latest: dict[str, dict[str, Any]] = {}
    for u in units:
        if not u["unit"] or (u["serapan"] is None and u["ikm"] is None):
            continue
        cur = latest.get(u["unit"])
        if cur is None or (u["tahun"] or 0, u["triwulan"] or 0) >= (cur["tahun"] or 0, cur["triwulan"] or 0):
            latest[u["unit"]] = u
    if not latest:
        return f'<p class="muted">{_e(T["no_chart"])}</p>'
    label_w, bar_w, row_h = 240, 520, 34
    height = 30 + row_h * len(latest)
    width = label_w + bar_w + 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(T["chart"])}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    parts.append(f'<rect x="{label_w}" y="4" width="12" height="10" fill="#2f6fb3"/><text x="{label_w + 16}" y="13">{_e(T["serapan"])}</text>')
    parts.append(f'<rect x="{label_w + 150}" y="4" width="12" height="10" fill="#e08a1e"/><text x="{label_w + 166}" y="13">{_e(T["ikm"])}</text>')
    for tick in (0, 25, 50, 75, 100):
        x = label_w + bar_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="22" x2="{x:.1f}" y2="{height - 4}" stroke="#d0d7de"/>')
    for i, (name, u) in enumerate(sorted(latest.items())):
        y = 26 + i * row_h
        label = name if len(name) <= 34 else name[:33] + "…"
        q = ROMAN.get(u["triwulan"], "?")
        parts.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end">{_e(label)} · {_e(T["triwulan"])} {_e(q)}</text>')
        for j, (key, color) in enumerate((("serapan", "#2f6fb3"), ("ikm", "#e08a1e"))):
            v = u[key]
            if v is None:
                continue
            w = bar_w * max(0.0, min(float(v), 100.0)) / 100
            yy = y + 2 + j * 14
            parts.append(f'<rect class="bar-{key}" x="{label_w}" y="{yy}" width="{w:.1f}" height="12" fill="{color}"><title>{_e(name)}: {_e(T[key])} {_num(v, lang)}</title></rect>')
            parts.append(f'<text x="{label_w + w + 4:.1f}" y="{yy + 10}">{_num(v, lang)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(doc: dict[str, Any]) -> str:
    lang = "en" if doc.get("lang") == "en" else "id"
    T = TEXT[lang]
    s = doc["summary"]
    out: list[str] = []
    w = out.append
    w(f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">')
    w('<meta name="viewport" content="width=device-width, initial-scale=1">')
    w("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">")
    w(f"<title>{_e(T['title'])}</title><style>{CSS}</style></head><body>")
    w(f"<header><h1>{_e(T['title'])}</h1><p>{_e(T['generated'])}: {_e(doc.get('generated'))} · kinerja-xl</p></header><main>")
    tiles = [("files", s["files"], ""), ("unreadable", s["unreadable"], ""), ("units", s["units"], ""),
             ("error", s["findings"]["error"], "error"), ("warning", s["findings"]["warning"], "warning"),
             ("info", s["findings"]["info"], "info")]
    if s.get("baseline"):
        b = s["baseline"]
        tiles += [("known", b["known"], ""), ("new", b["new"], ""), ("fixed", b["fixed"], "")]
    w('<div class="tiles" id="summary">')
    for key, value, cls in tiles:
        w(f'<div class="tile {cls}"><b id="sum-{key}" data-value="{int(value)}">{_num(int(value), lang, 0)}</b>{_e(T[key])}</div>')
    w("</div>")

    w(f"<h2>{_e(T['chart'])}</h2>{chart_svg(doc.get('units', []), T, lang)}")

    w(f"<h2>{_e(T['summary'])}</h2><table id=\"units\"><thead><tr>")
    for h in (T["unit"], T["tahun"], T["triwulan"], T["files"], T["error"], T["warning"], T["info"], T["serapan"], T["ikm"], T["mutu"]):
        w(f"<th>{_e(h)}</th>")
    w("</tr></thead><tbody>")
    for u in doc.get("units", []):
        w(f'<tr><td>{_e(u["unit"] or T["unknown"])}</td><td class="n">{_e(u["tahun"])}</td><td>{_e(ROMAN.get(u["triwulan"], u["triwulan"]))}</td>'
          f'<td>{_e(", ".join(u["files"]))}</td><td class="n">{u["error"]}</td><td class="n">{u["warning"]}</td><td class="n">{u["info"]}</td>'
          f'<td class="n">{_num(u["serapan"], lang)}</td><td class="n">{_num(u["ikm"], lang)}</td><td>{_e(u["mutu"])}</td></tr>')
    w("</tbody></table>")

    bad = [f for f in doc.get("files", []) if f["error"]]
    if bad:
        w(f"<h2>{_e(T['unreadable_title'])}</h2><table id=\"unreadable\"><tbody>")
        for f in bad:
            w(f'<tr class="error"><td><code>{_e(f["error_code"])}</code></td><td>{_e(f["name"])}</td><td>{_e(f["error"])}</td></tr>')
        w("</tbody></table>")

    w(f'<h2>{_e(T["findings"])}</h2><div id="searchbar"><input id="search" type="search" placeholder="{_e(T["search"])}" aria-label="{_e(T["search"])}"> '
      f'<span class="muted"><span id="shown"></span> {_e(T["shown"])}</span></div>')  # filled by the script
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for f in doc.get("files", []):
        if f["findings"]:
            by_unit.setdefault(f["unit"] or T["unknown"], []).append(f)
    if not by_unit:
        w(f'<p class="muted">{_e(T["none"])}</p>')
    for unit in sorted(by_unit):
        n = sum(len(f["findings"]) for f in by_unit[unit])
        w(f'<section class="unit" data-unit="{_e(unit)}"><h3>{_e(unit)} <span class="muted">({n})</span></h3><table><thead><tr>')
        for h in (T["file"], T["where"], T["code"], T["severity"], T["message"]):
            w(f"<th>{_e(h)}</th>")
        w("</tr></thead><tbody>")
        for f in sorted(by_unit[unit], key=lambda f: (f["tahun"] or 0, f["triwulan"] or 0, f["name"])):
            for x in f["findings"]:
                target, location = file_link(f["path"], x.get("sheet"), x.get("cell"))
                href = target + ("#" + location if location else "")
                where = (f"'{x['sheet']}'!{x['cell']}" if x.get("cell") else f"'{x['sheet']}'") if x.get("sheet") else ""
                rel = "; ".join(x.get("related") or [])
                w(f'<tr class="finding {_e(x["severity"])}"><td>{_e(f["name"])}</td>'
                  f'<td><a href="{_e(href)}">{_e(where or "—")}</a>{("<br><span class=muted>" + _e(x["row_key"]) + "</span>") if x.get("row_key") else ""}</td>'
                  f'<td><code>{_e(x["code"])}</code><br><span class="muted">{_e(x.get("name"))}</span></td>'
                  f'<td class="sev">{_e(T["sev"].get(x["severity"], x["severity"]))}</td>'
                  f'<td>{_e(x.get("message"))}{("<br><span class=muted>↔ " + _e(rel) + "</span>") if rel else ""}</td></tr>')
        w("</tbody></table></section>")

    if doc.get("fixed"):
        w(f"<h2>{_e(T['fixed_title'])}</h2><table id=\"fixed\"><tbody>")
        for e in doc["fixed"]:
            w(f'<tr><td>{_e(e.get("owner"))}</td><td><code>{_e(e.get("code"))}</code></td><td>{_e(e.get("sheet"))}</td>'
              f'<td>{_e(e.get("row_key"))}</td><td class="n">{_e(e.get("count"))}</td><td>{_e(e.get("message"))}</td></tr>')
        w("</tbody></table>")
    # the summary once more as data, for scripts that read the page (escaped for a <script> element)
    data = json.dumps(s, ensure_ascii=True).replace("<", "\\u003c")
    w(f'<script type="application/json" id="summary-data">{data}</script>')
    w(f"<script>{JS}</script></main></body></html>")
    return "".join(out)


def write_html(doc: dict[str, Any], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(render_html(doc), encoding="utf-8")
    tmp.replace(out)
    return out
