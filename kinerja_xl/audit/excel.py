"""The consolidated Excel report, written with openpyxl's write-only mode.

Sheets: a summary per unit and quarter, a chart of serapan % and IKM per
unit (as the HTML report has), every finding (with a link that opens the
source workbook at the cell), the files (those not checked too, with the
reason), the tables read in each file (kind, range, the column of each
concept) and, with a baseline, the fixed findings. Every sheet has frozen
headers, an autofilter and a page setup for printing: A4 landscape, one page
wide, the header row repeated on every page, the summary and the chart on
one page each.

Links are relative to the report's folder (``../laporan/kec_a.xlsx``), so
they keep working when the folder holding the report and the workbooks is
moved or shared.

Escaping: every text is written as a string cell, so text from a workbook
that starts with ``=``, ``+``, ``-`` or ``@`` stays text and never becomes a
formula in our report (openpyxl would otherwise write ``=...`` as a formula).
Characters XML cannot hold are dropped. No formula is written anywhere.

openpyxl rather than XlsxWriter: XlsxWriter rewrites ``file:///`` links to
Windows paths, and openpyxl is a run-time dependency already. openpyxl
writes the workbook's parts, styles and links; the rows of each sheet are
rendered here (``_Book._write_row``) as openpyxl's cell writer renders them,
at a fraction of the cost of its cell objects (the file is byte-identical).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter

from kinerja_xl.audit.core import latest_quarters, relative_link
from kinerja_xl.findings import Severity
from kinerja_xl.i18n import N_, NP_, supported, translate, translated

LABELS = {
    "summary": N_("Ringkasan"),
    "findings": N_("Temuan"),
    "files": NP_("jamak", "Berkas"),
    "fixed": N_("Diperbaiki"),
    "unit": N_("Unit kerja"),
    "kode": N_("Kode unit"),
    "tahun": N_("Tahun"),
    "triwulan": N_("Triwulan"),
    "nfiles": NP_("jamak", "Berkas"),
    "error": NP_("jamak", "Galat"),
    "warning": NP_("jamak", "Peringatan"),
    "info": N_("Info"),
    "unreadable": N_("Tak terbaca"),
    "serapan": N_("Serapan %"),
    "ikm": N_("IKM"),
    "mutu": N_("Mutu"),
    "file": N_("Berkas"),
    "sheet": N_("Lembar"),
    "cell": N_("Sel"),
    "code": N_("Kode aturan"),
    "name": N_("Aturan"),
    "severity": N_("Tingkat"),
    "row_key": N_("Baris (kode/uraian)"),
    "message": N_("Pesan"),
    "expected": N_("Seharusnya"),
    "actual": NP_("audit", "Tertulis"),
    "difference": N_("Selisih"),
    "link": N_("Buka"),
    "related": N_("Terkait"),
    "path": N_("Lokasi berkas"),
    "source": N_("Sumber identitas"),
    "plafon": N_("Plafon (Rp)"),
    "realisasi": N_("Realisasi (Rp)"),
    "seconds": N_("Detik"),
    "count": N_("Jumlah"),
    "open": N_("buka sel"),
    "unknown": N_("(tanpa nama unit)"),
    "chart": N_("Grafik"),
    "chart_title": N_("Serapan anggaran dan IKM per unit (triwulan terakhir)"),
    "status": N_("Status"),
    "checked": N_("diperiksa"),
    "unread": N_("tak terbaca"),
    "notchecked": N_("tidak diperiksa"),
    "reason": N_("Keterangan"),
    "skipped_note": N_("{n} berkas tidak diperiksa: lihat lembar Berkas."),
    "page": N_("Halaman &P dari &N"),
    "title": N_("Laporan Audit Kinerja Triwulan"),
    "no_chart": N_("Belum ada serapan atau IKM yang terbaca."),
    "tables": NP_("jamak", "Tabel"),
    "kind": N_("Jenis tabel"),
    "range": N_("Rentang"),
    "header_rows": N_("Baris judul"),
    "rows": N_("Baris data"),
    "columns": N_("Kolom yang dikenali"),
    "cells_checked": N_("Sel angka diperiksa"),
    "cells_unchecked": N_("Sel angka tidak diperiksa"),
    "unrecognised": N_("Kolom tidak dikenali"),
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MAX_ROWS = 1_048_576  # rows of an Excel sheet
MAX_LINKS = 65_000  # Excel refuses a sheet with more than 65.530 hyperlinks


def safe_text(value: Any) -> str:
    """Text for a cell: XML-illegal characters removed (Excel cannot hold them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def cell_location(sheet: str | None, cell: str | None) -> str | None:
    """``'Sheet'!E12`` for a hyperlink into a workbook (``A1`` of the sheet when no cell is named), None without
    a sheet; the file it opens is ``core.relative_link``."""
    if not sheet:
        return None
    location = "'" + sheet.replace("'", "''") + "'"
    return f"{location}!{cell}" if cell else f"{location}!A1"


LINE_HEIGHT = 15.0  # points per line of the default 11 pt font


def line_length(width: float) -> int:
    """Characters a line of a column ``width`` characters wide holds (an estimate: proportional fonts
    fit about 1,1 average characters per width unit, less the part of a word that moves to the next line)."""
    return max(1, int(width * 1.1) - 3)


def wrapped_lines(text: str, width: float) -> int:
    """Lines a text takes in a column ``width`` characters wide (``line_length``)."""
    per_line = line_length(width)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


class _Style:
    """A style combination: a cell carrying it, its style objects (kept, so that their ids stay theirs) and
    its ``s`` attribute once the workbook has numbered it (on first write, in the order openpyxl would)."""

    __slots__ = ("proto", "objects", "_attribute", "styled")

    def __init__(self, proto, objects: tuple):
        self.proto, self.objects, self._attribute = proto, objects, None
        self.styled = bool(proto.has_style)  # default objects (an empty fill) leave a cell unstyled

    def attribute(self) -> str:
        if self._attribute is None:
            self._attribute = f' s="{self.proto.style_id}"'
        return self._attribute


class _Cell:
    """A cell ``_Book._write_row`` writes: a value, its type, a style and a link (what openpyxl's cell
    object would carry, without its cost)."""

    __slots__ = ("value", "data_type", "style", "hyperlink")

    def __init__(self, value: Any, data_type: str, style: _Style | None):
        self.value, self.data_type, self.style, self.hyperlink = value, data_type, style, None


class _Wrap(str):
    """A text to be wrapped if it does not fit its column (see ``_Book.append``)."""


LETTERS = [get_column_letter(i) for i in range(1, 27)]


def _xml_text(text: str) -> str:
    """Text as XML character data; a carriage return as a reference, since a parser reads a bare one as a newline."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _cell_xml(ref: str, style: str, value: Any, data_type: str) -> str:
    """A ``<c>`` element as openpyxl's cell writer makes it for ``value`` of ``data_type``."""
    if data_type == "s":
        if value is None or value == "":
            return f'<c r="{ref}"{style} t="inlineStr"/>'
        value = str(value)[:32767]  # Excel's longest cell text, as openpyxl cuts it
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_xml_text(value)}</t></is></c>'
    if value is None or value == "":
        return f'<c r="{ref}"{style} t="{data_type}"/>'
    return f'<c r="{ref}"{style} t="{data_type}"><v>{_xml_text(safe_string(value))}</v></c>'


SUMMARY_ONE_PAGE = 45  # rows of units up to which the summary is fitted on one page (more would be unreadable)


class _Book:
    """The write-only workbook with the styles and page setup every sheet shares."""

    def __init__(self, doc: dict[str, Any], out: Path):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill

        self.doc = doc
        self.lang = supported(doc.get("lang"))
        self.L = translated(LABELS, self.lang)
        self.report_dir = out.parent
        self.wb = Workbook(write_only=True)
        self.head_font = Font(bold=True, color="FFFFFF")
        self.head_fill = PatternFill("solid", fgColor="305496")
        self.head_align = Alignment(wrap_text=True, vertical="center")
        # bottom-aligned as the cells without a style, so that a row reads as one line
        self.wrap = Alignment(wrap_text=True)
        self.link_font = Font(color="0563C1", underline="single")
        self.sev_fill = {"error": PatternFill("solid", fgColor="F8CBAD"),
                         "warning": PatternFill("solid", fgColor="FFE699")}
        self.sev_label = {s: Severity(s).label(self.lang) for s in ("error", "warning", "info")}
        self.widths: dict[str, list[int]] = {}
        self.per_line: dict[str, list[int]] = {}  # ``line_length`` of each column
        self._fitted: dict[tuple[str, int, str], tuple[Any, int]] = {}  # ``_fit``'s answers
        self.written: dict[str, int] = {}  # rows written to each sheet (``_write_row``)
        # style combination -> a cell carrying it: openpyxl hashes every style object assigned to a cell, and
        # registers the combination in the workbook when the cell is written; once per combination here
        self._styled: dict[tuple, _Style] = {}

    def unit(self, name: str | None) -> str:
        return name or self.L["unknown"]

    def cell(self, ws, value: Any, **style):
        if not style:  # the fast path: openpyxl writes plain values as they are
            if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
                return value
            if isinstance(value, str) and not value.startswith("="):
                # only a leading '=' makes openpyxl write a formula; '+', '-', '@' stay text cells
                return safe_text(value)
        if value is None:
            data_type = "n"
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            data_type = "n"
        else:
            # always a text cell: openpyxl would mark '=…' as a formula
            value, data_type = safe_text(value), "s"
        proto = None
        if style:
            key = tuple((k, id(v)) for k, v in style.items())
            proto = self._styled.get(key)
            if proto is None:
                first = WriteOnlyCell(ws, value=None)
                for k, v in style.items():
                    setattr(first, k, v)
                # the style objects are kept with it, so that their ids in the key stay theirs
                proto = self._styled[key] = _Style(first, tuple(style.values()))
        return _Cell(value, data_type, proto if proto is not None and proto.styled else None)

    @staticmethod
    def text(ws, value: Any):
        """A text that wraps when it is longer than its column (``append`` decides)."""
        return _Wrap(str(value)) if value not in (None, "") else None

    def append(self, ws, values: list[Any]) -> None:
        """Append a row, its long texts wrapped and the row tall enough for them.

        Neither openpyxl nor LibreOffice's import fits row heights to wrapped
        text, so each row's height is estimated from its longest wrapped cell.
        A text that fits its column stays a plain cell: styled cells cost
        write-only mode most of its speed.
        """
        lines = 1
        row = list(values)
        for i, v in enumerate(row):
            if type(v) is _Wrap:
                fitted = self._fitted.get((ws.title, i, v))
                if fitted is None:
                    fitted = self._fit(ws, i, v)
                row[i], n = fitted
                lines = max(lines, n)
        self._write_row(ws, row, LINE_HEIGHT * min(lines, 30) if lines > 1 else None)

    def _fit(self, ws, i: int, text: str) -> tuple[Any, int]:
        """(the cell, its lines) of ``text`` in column ``i`` of ``ws``; remembered, since unit, file, sheet
        and rule names repeat on every row of a file's findings (the cells are only read when written)."""
        widths, per_line = self.widths[ws.title], self.per_line[ws.title]
        if "\n" not in text and (i >= len(per_line) or len(text) <= per_line[i]):
            fitted = self.cell(ws, str(text)), 1  # one line: the usual text, without counting its lines
        else:
            n = wrapped_lines(text, widths[i]) if i < len(widths) else 1
            if n > 1 or "\n" in text:
                fitted = self.cell(ws, str(text), alignment=self.wrap), n
            else:
                fitted = self.cell(ws, str(text)), 1
        if len(self._fitted) > 10_000:  # messages rarely repeat: keep the memory bounded
            self._fitted.clear()
        self._fitted[(ws.title, i, text)] = fitted
        return fitted

    def _open_rows(self, ws) -> None:
        """Stream ``ws``'s rows through ``_write_row`` instead of ``ws.append``.

        openpyxl makes a cell object for every value appended and writes it
        element by element (~15 µs a cell, most of the report's time): each row
        is rendered here as one XML string and handed to the sheet's writer as
        one parsed element, the cells as openpyxl writes them (inline strings,
        numbers as ``%.16g``, the style index of styled cells, hyperlinks
        collected for the sheet's relations). This replaces the generator
        ``ws.append`` would start (openpyxl's private ``_rows``); ``ws.close()``
        at save ends it as it ends openpyxl's own.
        """
        from openpyxl.xml.functions import fromstring

        def rows():
            xf = ws._writer.xf.send(True)
            with xf.element("sheetData"):
                try:
                    while True:
                        xf.write(fromstring((yield)))
                except GeneratorExit:
                    pass
            ws._writer.xf.send(None)

        ws._get_writer()
        ws._rows = rows()
        next(ws._rows)
        self.written[ws.title] = 0

    def _write_row(self, ws, values: list[Any], height: float | None = None) -> None:
        """Write the next row of ``ws``; ``height`` in points, None for the default."""
        n = self.written[ws.title] = self.written[ws.title] + 1
        r = str(n)
        # the attributes openpyxl writes for a row dimension with only its height (without the ~10 µs of making one)
        attrs = f' ht="{safe_string(height)}" customHeight="1"' if height is not None else ""
        parts = [f'<row r="{r}"{attrs}>']
        for col, v in enumerate(values):
            if v is None:
                continue
            ref = (LETTERS[col] if col < len(LETTERS) else get_column_letter(col + 1)) + r
            if type(v) is not _Cell:  # a plain value from ``cell``'s fast path: a text or a number
                text = isinstance(v, str)
                parts.append(_cell_xml(ref, "", v, ("e" if v in ERROR_CODES else "s") if text else "n"))
                continue
            style = v.style
            if v.value is None and style is None:  # as openpyxl: nothing to write
                continue
            if v.hyperlink is not None:
                v.hyperlink.ref = ref
                ws._hyperlinks.append(v.hyperlink)
            parts.append(_cell_xml(ref, style.attribute() if style is not None else "", v.value, v.data_type))
        parts.append("</row>")
        ws._rows.send("".join(parts))

    def sheet(self, title: str, headers: list[str], widths: list[int], rows_per_page: int | None = None):
        ws = self.wb.create_sheet(title)
        # a header word is never broken: "Peringatan" keeps its column at least as wide as itself
        widths = [max(w, max(len(word) for word in h.split()) + 2) for h, w in zip(headers, widths)]
        self.widths[title] = widths
        self.per_line[title] = [line_length(w) for w in widths]
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"
        self.page_setup(ws, one_page=rows_per_page is not None and rows_per_page <= SUMMARY_ONE_PAGE)
        ws.print_title_rows = "1:1"
        lines = max(wrapped_lines(h, w) for h, w in zip(headers, widths))
        self._open_rows(ws)
        self._write_row(ws, [self.cell(ws, h, font=self.head_font, fill=self.head_fill, alignment=self.head_align)
                             for h in headers], LINE_HEIGHT * lines if lines > 1 else None)
        return ws

    def page_setup(self, ws, one_page: bool = False) -> None:
        """A4 landscape, one page wide (one page tall when ``one_page``), page numbers in the footer."""
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9  # A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if one_page else 0
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.7
        ws.print_options.gridLines = True
        ws.oddHeader.left.text = self.L["title"]
        ws.oddHeader.right.text = "&A"
        ws.oddFooter.left.text = self.doc.get("generated") or ""
        ws.oddFooter.right.text = self.L["page"]

    @staticmethod
    def finish(ws, ncols: int, nrows: int) -> None:
        ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{max(nrows, 1) + 1}"

    def save(self, out: Path) -> Path:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        self.wb.save(tmp)
        tmp.replace(out)
        return out


def _summary_sheet(b: _Book) -> None:
    L = b.L
    heads = [L["unit"], L["kode"], L["tahun"], L["triwulan"], L["nfiles"], L["error"], L["warning"], L["info"],
             L["unreadable"], L["serapan"], L["ikm"], L["mutu"]]
    units = b.doc.get("units", [])
    ws = b.sheet(L["summary"], heads, [30, 12, 7, 9, 40, 7, 11, 7, 11, 10, 8, 7], rows_per_page=len(units))
    for u in units:
        b.append(ws, [b.text(ws, b.unit(u["unit"])), b.cell(ws, u["kode"]), b.cell(ws, u["tahun"]),
                   b.cell(ws, ROMAN.get(u["triwulan"], u["triwulan"])), b.text(ws, ", ".join(u["files"])),
                   b.cell(ws, u["error"]), b.cell(ws, u["warning"]), b.cell(ws, u["info"]), b.cell(ws, u["unreadable"]),
                   b.cell(ws, u["serapan"], number_format="0.00") if u["serapan"] is not None else None,
                   b.cell(ws, u["ikm"], number_format="0.00") if u["ikm"] is not None else None,
                   b.cell(ws, u["mutu"])])
    b.finish(ws, len(heads), len(units))
    skipped = b.doc.get("skipped") or []
    if skipped:
        b.append(ws, [])
        b.append(ws, [b.cell(ws, L["skipped_note"].format(n=len(skipped)))])


def _chart_sheet(b: _Book) -> None:
    """Serapan % and IKM of each unit's latest quarter: the data as a small table, the bars beside it."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList

    L = b.L
    latest = latest_quarters(b.doc.get("units", []))
    ws = b.sheet(L["chart"], [L["unit"], L["triwulan"], L["serapan"], L["ikm"]], [34, 9, 11, 9], rows_per_page=1)
    for u in latest:
        b.append(ws, [b.cell(ws, u["unit"]), b.cell(ws, ROMAN.get(u["triwulan"], u["triwulan"])),
                   b.cell(ws, u["serapan"], number_format="0.00") if u["serapan"] is not None else None,
                   b.cell(ws, u["ikm"], number_format="0.00") if u["ikm"] is not None else None])
    if not latest:
        b.append(ws, [b.cell(ws, L["no_chart"])])
        return
    chart = BarChart()
    chart.type = "bar"  # horizontal: long unit names read on the axis
    chart.grouping = "clustered"
    chart.title = L["chart_title"]
    ws.print_options.gridLines = False  # the grid would print under the chart
    n = len(latest)
    chart.add_data(Reference(ws, min_col=3, max_col=4, min_row=1, max_row=n + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
    for series, color in zip(chart.series, ("2F6FB3", "E08A1E")):  # the HTML chart's colours
        series.graphicalProperties.solidFill = color
        series.graphicalProperties.line.solidFill = color
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 25
    chart.y_axis.number_format = "0"
    chart.x_axis.scaling.orientation = "maxMin"  # first unit on top, as in the table
    chart.y_axis.crosses = "max"  # and the value axis below the bars (the last category), not above
    chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told otherwise
    chart.y_axis.delete = False
    chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                                     showPercent=False)
    chart.legend.position = "b"
    chart.width = 24
    chart.height = max(9.0, 3.0 + 1.4 * n)
    ws.add_chart(chart, "F2")


def _findings_sheet(b: _Book) -> None:
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    L = b.L
    heads = [L["unit"], L["tahun"], L["triwulan"], L["file"], L["sheet"], L["cell"], L["code"], L["name"],
             L["severity"], L["row_key"], L["message"], L["expected"], L["actual"], L["difference"], L["link"],
             L["related"]]
    ws = b.sheet(L["findings"], heads, [16, 6, 4, 16, 11, 5, 7, 13, 9, 16, 48, 12, 12, 11, 8, 14])
    # by unit and period as the summary, reports that name no unit last
    files = sorted(b.doc.get("files", []), key=lambda f: (f["unit"] is None, f["unit"] or "", f["tahun"] or 0,
                                                          f["triwulan"] or 0, f["name"]))
    items = [(f, x) for f in files for x in f["findings"]]
    no_fill = PatternFill()
    n = 0
    # per file, not per finding: its link target (a relative path worked out from two absolute ones) and tooltip
    target_of: dict[str, tuple[str, str]] = {}
    for f, x in items:
        if n == MAX_ROWS - 2 and len(items) > MAX_ROWS - 1:  # Excel's last row; the JSON has them all
            more = len(items) - n
            b.append(ws, [b.cell(ws, translate(N_("… {more} temuan lagi: lihat audit.json"), b.lang).format(more=more))])
            break
        link = None
        if n < MAX_LINKS:
            path = f["path"]
            if path not in target_of:
                target_of[path] = (relative_link(path, b.report_dir), safe_text(path)[:250])
            target, tooltip = target_of[path]
            link = b.cell(ws, L["open"], font=b.link_font)
            link.hyperlink = Hyperlink(ref="", target=target, location=cell_location(x.get("sheet"), x.get("cell")),
                                       tooltip=tooltip)
        b.append(ws, [b.text(ws, b.unit(f["unit"])), b.cell(ws, f["tahun"]),
                   b.cell(ws, ROMAN.get(f["triwulan"], f["triwulan"])), b.text(ws, f["name"]),
                   b.text(ws, x.get("sheet")), b.cell(ws, x.get("cell")), b.cell(ws, x["code"]), b.text(ws, x.get("name")),
                   b.cell(ws, b.sev_label.get(x["severity"], x["severity"]), fill=b.sev_fill.get(x["severity"], no_fill)),
                   b.text(ws, x.get("row_key")), b.text(ws, x.get("message")), b.cell(ws, x.get("expected")),
                   b.cell(ws, x.get("actual")), b.cell(ws, x.get("difference")), link,
                   b.text(ws, _related(x.get("related") or [], b.lang)) if x.get("related") else None])
        n += 1
    b.finish(ws, len(heads), n)


RELATED_SHOWN = 4


def _related(refs: list[str], lang: str) -> str:
    """The related cells, the first few: a sum over 20 rows would fill a printed page (the JSON has them all)."""
    if len(refs) <= RELATED_SHOWN + 1:
        return "; ".join(refs)
    more = len(refs) - RELATED_SHOWN
    return "; ".join(refs[:RELATED_SHOWN]) + translate(N_("; … +{more} lagi"), lang).format(more=more)


def _files_sheet(b: _Book) -> None:
    """Every file seen: checked, unreadable (with the reason) or not checked (with the reason)."""
    L = b.L
    sources = translated({"info": N_("lembar Info"), "title": N_("judul"), "map": "--map"}, b.lang)
    heads = [L["file"], L["status"], L["unit"], L["tahun"], L["triwulan"], L["source"], L["reason"], L["error"],
             L["warning"], L["info"], L["plafon"], L["realisasi"], L["serapan"], L["ikm"], L["mutu"], L["seconds"],
             L["path"]]
    ws = b.sheet(L["files"], heads, [22, 12, 18, 6, 5, 10, 34, 6, 10, 5, 14, 14, 8, 6, 5, 6, 30])
    files = b.doc.get("files", [])
    for f in files:
        b.append(ws, [b.text(ws, f["name"]), b.cell(ws, L["unread"] if f["error"] else L["checked"]),
                   b.text(ws, b.unit(f["unit"])), b.cell(ws, f["tahun"]),
                   b.cell(ws, ROMAN.get(f["triwulan"], f["triwulan"])),
                   b.cell(ws, sources.get(f["identity_source"], f["identity_source"])), b.text(ws, f["error"]),
                   b.cell(ws, f["summary"]["error"]), b.cell(ws, f["summary"]["warning"]), b.cell(ws, f["summary"]["info"]),
                   b.cell(ws, f["plafon"], number_format="#,##0") if f["plafon"] is not None else None,
                   b.cell(ws, f["realisasi"], number_format="#,##0") if f["realisasi"] is not None else None,
                   b.cell(ws, f["serapan"]), b.cell(ws, f["ikm"]), b.cell(ws, f["mutu"]), b.cell(ws, f["seconds"]),
                   b.text(ws, f["path"])])
    skipped = b.doc.get("skipped") or []
    for s in skipped:
        b.append(ws, [b.text(ws, s["name"]), b.cell(ws, L["notchecked"]), None, None, None, None, b.text(ws, s["reason"]),
                   None, None, None, None, None, None, None, None, None, b.text(ws, s["path"])])
    b.finish(ws, len(heads), len(files) + len(skipped))


def _tables_sheet(b: _Book) -> None:
    """Which tables of each file were read, where, and which column holds which concept."""
    L = b.L
    heads = [L["file"], L["unit"], L["sheet"], L["kind"], L["range"], L["header_rows"], L["rows"],
             L["cells_checked"], L["cells_unchecked"], L["columns"], L["unrecognised"]]
    ws = b.sheet(L["tables"], heads, [22, 18, 16, 12, 10, 8, 8, 10, 10, 60, 30])
    n = 0
    for f in b.doc.get("files", []):
        for t in f.get("tables") or []:
            first, last = t["header_rows"]
            b.append(ws, [b.text(ws, f["name"]), b.text(ws, b.unit(f["unit"])), b.text(ws, t["sheet"]),
                          b.cell(ws, t["kind"]), b.cell(ws, t["range"]),
                          b.cell(ws, str(first) if first == last else f"{first}–{last}"), b.cell(ws, t["rows"]),
                          b.cell(ws, t.get("checked_cells")), b.cell(ws, t.get("unchecked_cells")),
                          b.text(ws, ", ".join(f"{k} ({c})" for k, c in t["columns"].items())),
                          b.text(ws, ", ".join(f"{c} {h}" for c, h in (t.get("unrecognised_columns") or {}).items()))])
            n += 1
    b.finish(ws, len(heads), n)


def _fixed_sheet(b: _Book) -> None:
    L = b.L
    heads = [L["unit"], L["code"], L["name"], L["sheet"], L["row_key"], L["count"], L["message"], L["file"]]
    ws = b.sheet(L["fixed"], heads, [30, 8, 18, 14, 20, 7, 60, 28])
    fixed = b.doc.get("fixed", [])
    for e in fixed:
        b.append(ws, [b.text(ws, e.get("owner")), b.cell(ws, e.get("code")), b.text(ws, e.get("name")),
                   b.text(ws, e.get("sheet")), b.text(ws, e.get("row_key")), b.cell(ws, e.get("count")),
                   b.text(ws, e.get("message")), b.text(ws, e.get("file"))])
    b.finish(ws, len(heads), len(fixed))


def write_excel(doc: dict[str, Any], out: Path) -> Path:
    """``audit.xlsx``: Ringkasan, Grafik, Temuan, Berkas, Tabel (and Diperbaiki with a baseline)."""
    b = _Book(doc, out)
    _summary_sheet(b)
    _chart_sheet(b)
    _findings_sheet(b)
    _files_sheet(b)
    _tables_sheet(b)
    if doc.get("summary", {}).get("baseline"):
        _fixed_sheet(b)
    return b.save(out)
