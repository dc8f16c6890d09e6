"""Shared look and layout of every template and example sheet.

Each table module (``budget``, ``indicators``, ``survey``) builds its sheets
with these helpers so all templates look alike and read back alike.

Conventions every builder follows (the validator relies on them):

* **Amounts** are real numbers (rupiah, sen allowed), format ``RUPIAH``
  (``#,##0;(#,##0);"-"``). The file stores the format with ``,`` for
  thousands; Excel shows it in the user's locale, so an Indonesian Excel
  prints ``6.255.403.861``, and a zero prints ``-`` exactly as the reports do.
* **Percentages are stored in percent units**: 101,02% is the number
  ``101.02`` with the format ``PERCENT`` (``0.00"%"``; the ``%`` is a literal
  suffix, not Excel's ×100 percent format). ``kinerja_xl.tables`` reads percent
  columns in percent units (``parse_number(101.02) == 101.02``), so no
  conversion is needed. Do not store the fraction ``1.0102`` with ``0.00%``:
  the reader would take it as 1,0102%. Whole-number percentages (``90%``)
  use ``PERCENT_0`` (``0"%"``).
* **Decimal indicator values** such as an IKM ``86,40`` use ``DECIMAL_2``.
* Counts (respondents, scores) use ``INTEGER``.
* Text that looks like a number (NIP, kode) is written as text with ``TEXT``.
* A header is a grid (``header_rows``): one list per header row, one entry
  per column; ``None`` continues the cell above (vertical merge) and
  ``LEFT_MERGE`` (``"<"``) continues the cell to the left (horizontal merge).
* The "Info" sheet (``write_info_sheet``/``read_info``) carries the report's
  identity: label in column A, value in column B.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_xl.templates.formulas import Expr, concat, define, if_blank, if_number, name, plus, put, ref, this_year, upper

# --------------------------------------------------------------------------- fixed facts

#: docProps created/modified of every generated file, so a rebuild does not churn.
FIXED_TIMESTAMP = _dt.datetime(2021, 10, 18, 0, 0, 0)
CREATOR = "kinerja-xl"

# --------------------------------------------------------------------------- number formats

RUPIAH = '#,##0;(#,##0);"-"'          # 6.255.403.861 in an Indonesian Excel; 0 prints "-"
RUPIAH_SEN = '#,##0.00;(#,##0.00);"-"'  # amounts with sen: 1.234.567,50
PERCENT = '0.00"%"'                   # percent units: 101.02 -> 101,02%
PERCENT_0 = '0"%"'                    # percent units, whole: 90 -> 90%
DECIMAL_2 = "0.00"                    # 86.4 -> 86,40
INTEGER = "0"
TEXT = "@"

# --------------------------------------------------------------------------- styles

FONT_NAME = "Arial"
TITLE_FONT = Font(name=FONT_NAME, size=12, bold=True)
SUBTITLE_FONT = Font(name=FONT_NAME, size=11, bold=True)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=10)
BOLD_FONT = Font(name=FONT_NAME, size=10, bold=True)
NOTE_FONT = Font(name=FONT_NAME, size=9, italic=True)
COLNUM_FONT = Font(name=FONT_NAME, size=8, italic=True)

HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
COLNUM_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="top")
RIGHT = Alignment(horizontal="right", vertical="top")
TOP_CENTER = Alignment(horizontal="center", vertical="top")

#: header-grid marker: this cell belongs to the cell on its left
LEFT_MERGE = "<"


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Col:
    """One column of a table: width (Excel characters), number format, alignment."""

    width: float
    number_format: str | None = None
    align: Alignment = WRAP

    @staticmethod
    def text(width: float) -> "Col":
        return Col(width, TEXT, WRAP)

    @staticmethod
    def label(width: float = 6) -> "Col":
        """NO column: A / I / 1 centred at the top (General format: numbers stay numbers)."""
        return Col(width, None, TOP_CENTER)

    @staticmethod
    def money(width: float = 18) -> "Col":
        return Col(width, RUPIAH, RIGHT)

    @staticmethod
    def percent(width: float = 11, whole: bool = False) -> "Col":
        return Col(width, PERCENT_0 if whole else PERCENT, RIGHT)

    @staticmethod
    def decimal(width: float = 11) -> "Col":
        return Col(width, DECIMAL_2, RIGHT)

    @staticmethod
    def integer(width: float = 10) -> "Col":
        return Col(width, INTEGER, RIGHT)


def set_widths(ws: Worksheet, cols: Sequence[Col], first_col: int = 1) -> None:
    for i, col in enumerate(cols):
        ws.column_dimensions[get_column_letter(first_col + i)].width = col.width


# --------------------------------------------------------------------------- blocks


def _set(cell, value: Any) -> None:
    """A plain value, or a formula (``formulas.Expr``) saved with its computed value."""
    if isinstance(value, Expr):
        put(cell, value)
    elif value is not None:
        cell.value = value


def write_title(ws: Worksheet, lines: Sequence[Any], ncols: int, row: int = 1, first_col: int = 1) -> int:
    """Centred bold title lines merged across the table width; returns the next free row.

    A line is text or a ``formulas.Expr`` (a title built from the Info sheet).

    The first line uses the title font, later ones the subtitle font. Leave a
    blank row before the header (``write_title`` returns the row after a gap)
    so the title is never mistaken for a header row.
    """
    for i, text in enumerate(lines):
        r = row + i
        cell = ws.cell(r, first_col)
        _set(cell, text)
        cell.font = TITLE_FONT if i == 0 else SUBTITLE_FONT
        cell.alignment = CENTER
        if ncols > 1:
            ws.merge_cells(start_row=r, start_column=first_col, end_row=r, end_column=first_col + ncols - 1)
        ws.row_dimensions[r].height = 18
    return row + len(lines) + 1


def _header_merges(grid: Sequence[Sequence[Any]]) -> list[tuple[int, int, int, int]]:
    """Anchor cells of a header grid -> (r0, c0, r1, c1) zero-based inclusive spans."""
    spans = []
    nrows = len(grid)
    for r, line in enumerate(grid):
        for c, text in enumerate(line):
            if text is None or text == LEFT_MERGE:
                continue
            c1 = c
            while c1 + 1 < len(line) and line[c1 + 1] == LEFT_MERGE:
                c1 += 1
            r1 = r
            while r1 + 1 < nrows and all(grid[r1 + 1][cc] is None for cc in range(c, c1 + 1)):
                r1 += 1
            spans.append((r, c, r1, c1))
    return spans


def write_header(ws: Worksheet, grid: Sequence[Sequence[str | None]], row: int, first_col: int = 1) -> int:
    """Write a header grid (see module doc) with merges, fill, borders; returns the next row.

    Example (the realisasi header, two rows)::

        [["NO", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN (Rp.)"],
         [None, None,              "JUMLAH (RP.)",       None]]
    """
    ncols = max(len(line) for line in grid)
    for r in range(len(grid)):
        for c in range(ncols):
            cell = ws.cell(row + r, first_col + c)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = CENTER
    for r0, c0, r1, c1 in _header_merges(grid):
        _set(ws.cell(row + r0, first_col + c0), grid[r0][c0])
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=row + r0, start_column=first_col + c0, end_row=row + r1, end_column=first_col + c1)
    fit_header_heights(ws, grid, row, first_col)
    return row + len(grid)


def wrapped_lines(text: str, width: float, bold: bool = True) -> tuple[int, bool]:
    """(lines, broken mid-word) when ``text`` wraps at word boundaries in a column ``width`` characters wide.

    Arial 10 fits about one bold or 1,2 regular characters per width unit.
    """
    per_line = max(1, int(width * (1.0 if bold else 1.2)))
    lines, broken = 0, False
    for part in str(text).split("\n"):
        lines += 1
        used = None
        for word in part.split():
            broken = broken or len(word) > per_line
            if used is None:
                used = len(word)
            elif used + 1 + len(word) <= per_line:
                used += 1 + len(word)
            else:
                lines += 1
                used = len(word)
            while used > per_line:  # a word longer than the column is cut over lines
                lines += 1
                used -= per_line
    return lines, broken


def _display(ws: Worksheet, value: Any) -> str:
    """A header's text for sizing: a formula header is computed as it would show now."""
    if isinstance(value, Expr):
        from kinerja_xl.templates.formulas import Calc, Unknown, as_text

        try:  # a fixed date keeps rebuilds identical; every year has four digits anyway
            return as_text(value.compute(Calc(ws.parent, FIXED_TIMESTAMP.date())))
        except Unknown:
            return "Tahun 2021"
    return str(value)


def fit_header_heights(ws: Worksheet, grid: Sequence[Sequence[Any]], row: int, first_col: int = 1,
                       line_height: float = 13.0) -> None:
    """Give header rows the height their wrapped text needs (a script-written file never grows them itself)."""
    for r0, c0, r1, c1 in sorted(_header_merges(grid), key=lambda s: s[2] - s[0]):
        width = sum(ws.column_dimensions[get_column_letter(first_col + c)].width or 8.43 for c in range(c0, c1 + 1))
        lines, _ = wrapped_lines(_display(ws, grid[r0][c0]), width)
        needed = lines * line_height + 4
        rows = range(row + r0, row + r1 + 1)
        have = sum(ws.row_dimensions[r].height or 15 for r in rows)
        if needed > have:
            last = row + r1
            ws.row_dimensions[last].height = (ws.row_dimensions[last].height or 15) + needed - have


def write_column_numbers(ws: Worksheet, row: int, ncols: int, first_col: int = 1, numbers: Sequence[int] | None = None) -> int:
    """The ``1 2 3 …`` row printed under headers (the locator skips it); returns the next row."""
    for i in range(ncols):
        cell = ws.cell(row, first_col + i, (numbers[i] if numbers else i + 1))
        cell.font = COLNUM_FONT
        cell.fill = COLNUM_FILL
        cell.border = BORDER
        cell.alignment = CENTER
        cell.number_format = INTEGER
    return row + 1


def style_row(ws: Worksheet, row: int, cols: Sequence[Col], first_col: int = 1, bold: bool = False, fill: PatternFill | None = None) -> None:
    """Borders, number format, alignment (and optionally bold/fill) on one table row."""
    for i, col in enumerate(cols):
        cell = ws.cell(row, first_col + i)
        cell.border = BORDER
        cell.font = BOLD_FONT if bold else BODY_FONT
        cell.alignment = col.align
        if col.number_format:
            cell.number_format = col.number_format
        if fill is not None:
            cell.fill = fill


def fit_row_height(ws: Worksheet, row: int, values: Sequence[Any], cols: Sequence[Col], line_height: float = 13.0) -> None:
    """Give a row with wrapped long text the height it needs.

    Excel does not grow row heights of a file written by a script until the
    user edits the row, so long uraian would print cut off; estimate the line
    count from the column width instead (Arial 10 fits ~1,2 characters per
    width unit).
    """
    lines = 1
    for v, col in zip(values, cols):
        if isinstance(v, str) and col.align.wrap_text:
            per_line = max(1, int(col.width * 1.2))
            lines = max(lines, sum(-(-max(1, len(part)) // per_line) for part in v.split("\n")))
    if lines > 1:
        ws.row_dimensions[row].height = line_height * lines + 2


def write_rows(
    ws: Worksheet,
    row: int,
    rows: Iterable[Sequence[Any]],
    cols: Sequence[Col],
    first_col: int = 1,
    bold: Any = None,
) -> int:
    """Write data rows (values as given: numbers, text, ``=`` formulas, ``None``); returns the next row.

    ``bold(values) -> bool`` marks rows printed bold (totals, program rows).
    """
    for values in rows:
        is_bold = bool(bold(values)) if bold else False
        style_row(ws, row, cols, first_col, bold=is_bold)
        for i, v in enumerate(values):
            if v is not None:
                ws.cell(row, first_col + i, v)
        fit_row_height(ws, row, values, cols)
        row += 1
    return row


def write_blank_rows(ws: Worksheet, row: int, count: int, cols: Sequence[Col], first_col: int = 1) -> int:
    """Empty, formatted input rows of a blank template; returns the next row."""
    for _ in range(count):
        style_row(ws, row, cols, first_col)
        row += 1
    return row


def write_note(ws: Worksheet, row: int, lines: Sequence[str], ncols: int, first_col: int = 1) -> int:
    """Instruction lines under a table (italic, merged across the width); returns the next row."""
    for i, text in enumerate(lines):
        r = row + i
        cell = ws.cell(r, first_col, text)
        cell.font = NOTE_FONT
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        if ncols > 1:
            ws.merge_cells(start_row=r, start_column=first_col, end_row=r, end_column=first_col + ncols - 1)
        # merged cells never auto-grow: size the row from the merged width
        width = sum(ws.column_dimensions[get_column_letter(first_col + i)].width or 8.43 for i in range(ncols))
        needed = -(-len(text) // max(1, int(width * 1.3)))
        if needed > 1:
            ws.row_dimensions[r].height = 12 * needed + 2
    return row + len(lines)


def print_setup(ws: Worksheet, header_first: int | None, header_last: int | None, landscape: bool = True) -> None:
    """A4, landscape, fit to one page wide, header rows repeated on every page, modest margins."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_first is not None:
        ws.print_title_rows = f"{header_first}:{header_last}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Halaman &P dari &N"


def print_form_only(ws: Worksheet, last_row: int, ncols: int, first_col: int = 1) -> None:
    """Print the form (title to signature), not the filling instructions under it."""
    ws.print_area = f"{get_column_letter(first_col)}1:{get_column_letter(first_col + ncols - 1)}{last_row}"


def freeze_below(ws: Worksheet, row: int, col: int = 1) -> None:
    """Keep the header visible while scrolling: freeze panes above ``row``."""
    ws.freeze_panes = ws.cell(row, col)


# --------------------------------------------------------------------------- the whole table


@dataclass(frozen=True)
class Placed:
    """Where a table landed (Excel row numbers)."""

    header_first: int
    header_last: int
    data_first: int   # first row after the header (and column-number row)
    next_row: int     # first free row after what was written


def write_table(
    ws: Worksheet,
    *,
    row: int,
    header: Sequence[Sequence[str | None]],
    cols: Sequence[Col],
    rows: Iterable[Sequence[Any]] = (),
    blank_rows: int = 0,
    column_numbers: bool = False,
    first_col: int = 1,
    bold: Any = None,
) -> Placed:
    """Header (+ column-number row) + data rows (+ blank input rows), widths set."""
    set_widths(ws, cols, first_col)
    header_first = row
    row = write_header(ws, header, row, first_col)
    header_last = row - 1
    if column_numbers:
        row = write_column_numbers(ws, row, len(cols), first_col)
    data_first = row
    row = write_rows(ws, row, rows, cols, first_col, bold)
    row = write_blank_rows(ws, row, blank_rows, cols, first_col)
    return Placed(header_first, header_last, data_first, row)


# --------------------------------------------------------------------------- Info sheet

INFO_SHEET = "Info"
#: the labels of the Info sheet, in order (column A); values in column B. New labels go at the end:
#: the templates' formulas point at ``Info!$B$<row>`` by position.
INFO_LABELS = ("Unit Kerja", "Kabupaten", "Triwulan", "Tahun", "Kode Unit", "Kepala Unit", "NIP", "Tanggal Laporan",
               "Jabatan", "Tempat", "Awal Renstra")
#: labels whose value is a year (a number, not text)
_YEAR_LABELS = ("Tahun", "Awal Renstra")
_INFO_FIRST_ROW = 3
_INFO_HELP = {
    "Unit Kerja": "mis. Kecamatan Lumajang",
    "Triwulan": "pilih I, II, III atau IV",
    "Tahun": "empat angka, mis. 2021",
    "NIP": "ditulis sebagai teks: 19701218 199101 1 002",
    "Tanggal Laporan": "mis. 8 Oktober 2021 (teks)",
    "Jabatan": "jabatan penanda tangan, mis. Camat Lumajang",
    "Tempat": "kota penandatanganan, mis. Lumajang",
    "Awal Renstra": "tahun pertama periode Renstra, mis. 2019",
}


def info_cell(label: str) -> str:
    """The absolute reference of an Info value: ``Info!$B$6`` for Tahun."""
    return f"{INFO_SHEET}!$B${_INFO_FIRST_ROW + INFO_LABELS.index(label)}"


def write_info_sheet(wb, values: dict[str, Any] | None = None, index: int | None = None, template: bool = False) -> Worksheet:
    """The report's identity sheet: title in A1, then label (column A) / value (column B) rows.

    ``values`` maps labels of ``INFO_LABELS`` to values (blank when missing).
    Triwulan is written as Indonesians do (``III``), Tahun as a number, NIP as text.
    ``template`` (the blank templates' Info sheet) adds a hint per label in
    column C, lists to pick Triwulan and the years from, and the names the
    other sheets' titles use (``define_report_names``).
    """
    from openpyxl.worksheet.datavalidation import DataValidation

    values = values or {}
    ws = wb.create_sheet(INFO_SHEET, index)
    ws["A1"] = "IDENTITAS LAPORAN KINERJA TRIWULAN"
    ws["A1"].font = TITLE_FONT
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 48
    for i, label in enumerate(INFO_LABELS):
        r = _INFO_FIRST_ROW + i
        a = ws.cell(r, 1, label)
        a.font = BOLD_FONT
        a.border = BORDER
        b = ws.cell(r, 2, values.get(label))
        b.font = BODY_FONT
        b.border = BORDER
        b.alignment = LEFT
        b.number_format = INTEGER if label in _YEAR_LABELS else TEXT
    note_row = _INFO_FIRST_ROW + len(INFO_LABELS) + 1
    ws.cell(note_row, 1, "Isi kolom B. Triwulan ditulis I, II, III atau IV; Tahun empat angka; NIP sebagai teks.").font = NOTE_FONT
    if template:
        define_report_names(wb)
        ws.cell(note_row + 1, 1, "Judul, nama unit, tahun di judul kolom dan blok tanda tangan di lembar lain "
                                 "diambil dari lembar ini.").font = NOTE_FONT
        # Hints are input messages (shown when the cell is selected), not text beside the value: a reader
        # of Info sheets (kinerja-xl audit) takes the first text right of a label as its value.
        for label in INFO_LABELS:
            if label == "Triwulan":
                dv = DataValidation(type="list", formula1='"I,II,III,IV"', showErrorMessage=True,
                                    errorTitle="Triwulan", error="Pilih I, II, III atau IV.")
            elif label in _YEAR_LABELS:
                dv = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100",
                                    showErrorMessage=True, errorTitle=label, error="Tulis tahun dengan empat angka, mis. 2021.")
            elif label in _INFO_HELP:
                dv = DataValidation()  # any value: only the input message
            else:
                continue
            dv.allow_blank = True
            if label in _INFO_HELP:
                dv.showInputMessage, dv.promptTitle, dv.prompt = True, label, _INFO_HELP[label]
            ws.add_data_validation(dv)
            dv.add(info_cell(label).split("!")[1].replace("$", ""))
    print_setup(ws, None, None, landscape=False)  # a one-page form: no header rows to repeat
    return ws


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def parse_triwulan(value: Any) -> int | None:
    """'III', 3, '3', 'TW III', 'Triwulan III', 'Tribulan 3' -> 3 (None if not a quarter)."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if value in (1, 2, 3, 4) else None
    text = re.sub(r"^(TRIWULAN|TRIBULAN|TW)\s*", "", str(value).strip().upper())
    if text in _ROMAN:
        return _ROMAN[text]
    return int(text) if text in ("1", "2", "3", "4") else None


def read_info(rows: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """The Info sheet's values from its rows (``SheetData.rows``): label -> value.

    Labels are matched in column A case- and space-insensitively, anywhere on
    the sheet; ``Triwulan`` comes back as 1–4 and ``Tahun`` as an int when they
    can be read. Missing labels are absent from the result.
    """
    wanted = {re.sub(r"\s+", " ", label).strip().upper(): label for label in INFO_LABELS}
    out: dict[str, Any] = {}
    for line in rows:
        if not line or not isinstance(line[0], str):
            continue
        label = wanted.get(re.sub(r"\s+", " ", line[0]).strip().rstrip(":").strip().upper())
        value = line[1] if len(line) > 1 else None
        if label is None or value is None or (isinstance(value, str) and not value.strip()):
            continue
        if label == "Triwulan":
            value = parse_triwulan(value)
        elif label in _YEAR_LABELS:
            try:
                value = int(float(value))
            except (TypeError, ValueError):
                continue
        elif isinstance(value, str):
            value = value.strip()
        if value is not None:
            out[label] = value
    return out


# --------------------------------------------------------------------------- titles and signatures from Info

#: how every template's instructions start: the ribbon button first, the command line for those without Excel
CHECK_NOTE = ("Setelah diisi, tekan tombol Periksa di tab Kinerja (pita Excel): sel yang salah diberi warna dan "
              "catatan. Tanpa Excel: kinerja-xl periksa <berkas>.xlsx")
HITUNG_NOTE = "tombol Hitung di tab Kinerja (atau kinerja-xl hitung) mengisinya"

#: the report's year: Info's Tahun, or this year until it is filled (a workbook-level name)
REPORT_YEAR = "TAHUN_LAPORAN"
#: the first year of the Renstra period: Info's Awal Renstra, or two years before the report's year
RENSTRA_START = "AWAL_RENSTRA"
DOTS = "…"


def info(label: str) -> Expr:
    sheet, coord = info_cell(label).split("!")
    return ref(sheet, coord)


def define_report_names(wb) -> None:
    """The names the templates' formulas use for the years (``TAHUN_LAPORAN``, ``AWAL_RENSTRA``)."""
    define(wb, REPORT_YEAR, if_number(info("Tahun"), this_year()))
    define(wb, RENSTRA_START, if_number(info("Awal Renstra"), plus(name(REPORT_YEAR), -2)))


def report_year(offset: int = 0) -> Expr:
    return plus(name(REPORT_YEAR), offset)


def renstra_year(offset: int = 0) -> Expr:
    return plus(name(RENSTRA_START), offset)


def unit_title() -> Expr:
    """``KECAMATAN LUMAJANG`` from Info, ``UNIT KERJA …`` until it is filled."""
    return if_blank(info("Unit Kerja"), f"UNIT KERJA {DOTS}", upper(info("Unit Kerja")))


def triwulan_text() -> Expr:
    return if_blank(info("Triwulan"), DOTS)


def title(*parts: Any) -> Expr:
    """A title line joined from text and Info values: ``title("TAHUN ", report_year())``."""
    return concat(*parts)


SIGNATURE_WIDTH = 36  # Excel characters the signature block spans, at least


#: blank rows between a table and its signature: the locator ends a table after three
#: (``kinerja_xl.tables.locate_tables``), so the signature is never read as a data row
SIGNATURE_GAP = 3


def write_signature(ws: Worksheet, row: int, last_col: int) -> int:
    """Tempat, tanggal / jabatan / (room to sign) / nama / NIP, from Info, at the right of the table.

    ``row`` is the first row after the table; the block starts ``SIGNATURE_GAP`` rows lower.
    The NIP stays text (``"NIP. "&Info!B9``): 18 digits as a number would be rounded.
    Returns the next free row.
    """
    row += SIGNATURE_GAP
    first_col, width = last_col, ws.column_dimensions[get_column_letter(last_col)].width or 8.43
    while first_col > 1 and width < SIGNATURE_WIDTH:
        first_col -= 1
        width += ws.column_dimensions[get_column_letter(first_col)].width or 8.43
    lines = [
        (concat(if_blank(info("Tempat"), DOTS * 6), ", ", if_blank(info("Tanggal Laporan"), DOTS * 8)), BODY_FONT),
        (if_blank(info("Jabatan"), DOTS * 10), BOLD_FONT),
        (None, None), (None, None), (None, None),
        (if_blank(info("Kepala Unit"), DOTS * 10), Font(name=FONT_NAME, size=10, bold=True, underline="single")),
        (concat("NIP. ", if_blank(info("NIP"), DOTS * 8)), BODY_FONT),
    ]
    for i, (expr, font) in enumerate(lines):
        r = row + i
        if expr is None:
            continue
        cell = ws.cell(r, first_col)
        put(cell, expr)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="top")
        cell.number_format = TEXT
        if last_col > first_col:
            ws.merge_cells(start_row=r, start_column=first_col, end_row=r, end_column=last_col)
    return row + len(lines)
