"""The consolidated Excel report, written with openpyxl's write-only mode.

Sheets: a summary per unit and quarter, every finding (with a link that
opens the source workbook at the cell), the files, and (with a baseline) the
fixed findings. Every sheet has frozen headers and an autofilter.

Escaping: every text is written as a string cell, so text from a workbook
that starts with ``=``, ``+``, ``-`` or ``@`` stays text and never becomes a
formula in our report (openpyxl would otherwise write ``=...`` as a formula).
Characters XML cannot hold are dropped. No formula is written anywhere.

openpyxl rather than XlsxWriter: XlsxWriter rewrites ``file:///`` links to
Windows paths (``/srv/a.xlsx`` becomes the relative ``srv\\a.xlsx``), and
openpyxl is a run-time dependency already. 20.000 findings take ~1,5 s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kinerja_xl.findings import Severity

LABELS = {
    "id": {
        "summary": "Ringkasan", "findings": "Temuan", "files": "Berkas", "fixed": "Diperbaiki",
        "unit": "Unit kerja", "kode": "Kode unit", "tahun": "Tahun", "triwulan": "Triwulan", "nfiles": "Berkas",
        "error": "Galat", "warning": "Peringatan", "info": "Info", "unreadable": "Tak terbaca",
        "serapan": "Serapan %", "ikm": "IKM", "mutu": "Mutu", "file": "Berkas", "sheet": "Lembar", "cell": "Sel",
        "code": "Kode aturan", "name": "Aturan", "severity": "Tingkat", "row_key": "Baris (kode/uraian)",
        "message": "Pesan", "expected": "Seharusnya", "actual": "Tertulis", "difference": "Selisih",
        "link": "Buka", "related": "Terkait", "path": "Lokasi berkas", "source": "Sumber identitas",
        "plafon": "Plafon (Rp)", "realisasi": "Realisasi (Rp)", "seconds": "Detik", "errtext": "Tidak dapat dibaca",
        "count": "Jumlah", "open": "buka sel",
    },
    "en": {
        "summary": "Summary", "findings": "Findings", "files": "Files", "fixed": "Fixed",
        "unit": "Unit", "kode": "Unit code", "tahun": "Year", "triwulan": "Quarter", "nfiles": "Files",
        "error": "Errors", "warning": "Warnings", "info": "Info", "unreadable": "Unreadable",
        "serapan": "Absorption %", "ikm": "IKM", "mutu": "Grade", "file": "File", "sheet": "Sheet", "cell": "Cell",
        "code": "Rule code", "name": "Rule", "severity": "Severity", "row_key": "Row (code/label)",
        "message": "Message", "expected": "Expected", "actual": "Written", "difference": "Difference",
        "link": "Open", "related": "Related", "path": "File location", "source": "Identity from",
        "plafon": "Plafon (Rp)", "realisasi": "Realisasi (Rp)", "seconds": "Seconds", "errtext": "Unreadable",
        "count": "Count", "open": "open cell",
    },
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MAX_ROWS = 1_048_576  # rows of an Excel sheet
MAX_LINKS = 65_000  # Excel refuses a sheet with more than 65.530 hyperlinks


def safe_text(value: Any) -> str:
    """Text for a cell: XML-illegal characters removed (Excel cannot hold them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def file_link(path: str, sheet: str | None, cell: str | None) -> tuple[str, str | None]:
    """(``file:///abs/path.xlsx``, ``'Sheet'!E12``) for an external hyperlink."""
    target = Path(path).absolute().as_uri()
    if not sheet:
        return target, None
    location = "'" + sheet.replace("'", "''") + "'"
    return target, f"{location}!{cell}" if cell else f"{location}!A1"


def write_excel(doc: dict[str, Any], out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    lang = doc.get("lang", "id")
    L = LABELS["en" if lang == "en" else "id"]
    wb = Workbook(write_only=True)
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="305496")
    link_font = Font(color="0563C1", underline="single")
    sev_fill = {"error": PatternFill("solid", fgColor="F8CBAD"), "warning": PatternFill("solid", fgColor="FFE699")}
    sev_label = {s: Severity(s).label(lang) for s in ("error", "warning", "info")}
    sources = ({"info": "Info sheet", "title": "titles", "map": "--map"} if lang == "en"
               else {"info": "lembar Info", "title": "judul", "map": "--map"})

    def cell(ws, value: Any, **style):
        if not style:  # the fast path: openpyxl writes plain values as they are
            if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
                return value
            if isinstance(value, str) and not value.startswith("="):
                # only a leading '=' makes openpyxl write a formula; '+', '-', '@' stay text cells
                return safe_text(value)
        c = WriteOnlyCell(ws, value=None)
        if value is None:
            pass
        elif isinstance(value, bool):
            c.value = safe_text(value)
            c.data_type = "s"
        elif isinstance(value, (int, float)):
            c.value = value
        else:
            # set the value, then force the string type: openpyxl marks '=…' as a formula otherwise
            c.value = safe_text(value)
            c.data_type = "s"
        for k, v in style.items():
            setattr(c, k, v)
        return c

    def sheet(title: str, headers: list[str], widths: list[int]):
        ws = wb.create_sheet(title)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"
        ws.append([cell(ws, h, font=head_font, fill=head_fill) for h in headers])
        return ws

    def finish(ws, ncols: int, nrows: int) -> None:
        ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{max(nrows, 1) + 1}"

    # --- summary per unit and quarter
    heads = [L["unit"], L["kode"], L["tahun"], L["triwulan"], L["nfiles"], L["error"], L["warning"], L["info"],
             L["unreadable"], L["serapan"], L["ikm"], L["mutu"]]
    ws = sheet(L["summary"], heads, [34, 12, 8, 10, 40, 8, 11, 8, 11, 11, 8, 7])
    units = doc.get("units", [])
    for u in units:
        ws.append([cell(ws, u["unit"] or "?"), cell(ws, u["kode"]), cell(ws, u["tahun"]),
                   cell(ws, ROMAN.get(u["triwulan"], u["triwulan"])), cell(ws, ", ".join(u["files"])),
                   cell(ws, u["error"]), cell(ws, u["warning"]), cell(ws, u["info"]), cell(ws, u["unreadable"]),
                   cell(ws, u["serapan"]), cell(ws, u["ikm"]), cell(ws, u["mutu"])])
    finish(ws, len(heads), len(units))

    # --- every finding
    heads = [L["unit"], L["tahun"], L["triwulan"], L["file"], L["sheet"], L["cell"], L["code"], L["name"],
             L["severity"], L["row_key"], L["message"], L["expected"], L["actual"], L["difference"], L["link"],
             L["related"]]
    ws = sheet(L["findings"], heads, [28, 7, 9, 32, 18, 7, 10, 24, 10, 24, 90, 16, 16, 16, 10, 40])
    items = [(f, x) for f in doc.get("files", []) for x in f["findings"]]
    n = 0
    for f, x in items:
        if n == MAX_ROWS - 2 and len(items) > MAX_ROWS - 1:  # Excel's last row; the JSON has them all
            more = len(items) - n
            ws.append([cell(ws, f"… {more} temuan lagi: lihat audit.json" if lang != "en" else f"… {more} more findings: see audit.json")])
            break
        if n < MAX_LINKS:
            target, location = file_link(f["path"], x.get("sheet"), x.get("cell"))
            link = cell(ws, L["open"], font=link_font)
            link.hyperlink = Hyperlink(ref="", target=target, location=location, tooltip=safe_text(f["path"])[:250])
        else:
            link = None
        ws.append([cell(ws, f["unit"]), cell(ws, f["tahun"]), cell(ws, ROMAN.get(f["triwulan"], f["triwulan"])),
                   cell(ws, f["name"]), cell(ws, x.get("sheet")), cell(ws, x.get("cell")), cell(ws, x["code"]),
                   cell(ws, x.get("name")),
                   cell(ws, sev_label.get(x["severity"], x["severity"]), fill=sev_fill.get(x["severity"], PatternFill())),
                   cell(ws, x.get("row_key")), cell(ws, x.get("message")), cell(ws, x.get("expected")),
                   cell(ws, x.get("actual")), cell(ws, x.get("difference")), link,
                   cell(ws, "; ".join(x.get("related") or []))])
        n += 1
    finish(ws, len(heads), n)

    # --- files
    heads = [L["file"], L["unit"], L["tahun"], L["triwulan"], L["source"], L["errtext"], L["error"], L["warning"],
             L["info"], L["plafon"], L["realisasi"], L["serapan"], L["ikm"], L["mutu"], L["seconds"], L["path"]]
    ws = sheet(L["files"], heads, [32, 28, 7, 9, 10, 60, 8, 11, 8, 18, 18, 10, 8, 7, 8, 60])
    for f in doc.get("files", []):
        ws.append([cell(ws, f["name"]), cell(ws, f["unit"]), cell(ws, f["tahun"]),
                   cell(ws, ROMAN.get(f["triwulan"], f["triwulan"])), cell(ws, sources.get(f["identity_source"], f["identity_source"])),
                   cell(ws, f["error"]), cell(ws, f["summary"]["error"]), cell(ws, f["summary"]["warning"]),
                   cell(ws, f["summary"]["info"]), cell(ws, f["plafon"]), cell(ws, f["realisasi"]),
                   cell(ws, f["serapan"]), cell(ws, f["ikm"]), cell(ws, f["mutu"]), cell(ws, f["seconds"]),
                   cell(ws, f["path"])])
    finish(ws, len(heads), len(doc.get("files", [])))

    if doc.get("summary", {}).get("baseline"):
        heads = [L["unit"], L["code"], L["name"], L["sheet"], L["row_key"], L["count"], L["message"], L["file"]]
        ws = sheet(L["fixed"], heads, [34, 10, 24, 18, 24, 8, 90, 40])
        for e in doc.get("fixed", []):
            ws.append([cell(ws, e.get("owner")), cell(ws, e.get("code")), cell(ws, e.get("name")),
                       cell(ws, e.get("sheet")), cell(ws, e.get("row_key")), cell(ws, e.get("count")),
                       cell(ws, e.get("message")), cell(ws, e.get("file"))])
        finish(ws, len(heads), len(doc.get("fixed", [])))

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    wb.save(tmp)
    tmp.replace(out)
    return out
