"""Turn one corpus case (YAML) into the workbook a clerk would have typed.

Layout: the document's title in A1, the case's label cells on the next rows,
one blank row, then the header rows and the data rows exactly as printed.
``cells: number`` (the default) types amounts and percentages as numbers
with an Indonesian-looking number format, the way a table copied out of a
report into Excel ends up; ``number_style: en`` reads
the printed text with English separators. ``cells: text`` keeps every cell as the printed
text (what a copy of a web page or a PDF export gives).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

CASES_DIR = Path(__file__).resolve().parent

_AMOUNT = {
    "id": re.compile(r"^(?P<neg>-)?(?:Rp\.?\s*)?(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dec>\d+))?$"),
    # a few portals print English separators (17,500 and 15,672.33)
    "en": re.compile(r"^(?P<neg>-)?(?:Rp\.?\s*)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?$"),
}


def load_case(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def case_paths() -> list[Path]:
    return sorted(CASES_DIR.glob("*.yaml"))


def parse_printed(text: str, style: str = "id"):
    """The number a printed cell stands for, and its Excel number format; None when it is not a number.

    Only the unambiguous Indonesian forms are turned into numbers: ``6.255.403.861``,
    ``101,02``, ``52,59%``, ``(1.234.567)``, ``-1.724.865,00``, ``Rp 46.110.842.073,-``,
    ``(Rp 2.905.446.100,-)``. A lone ``-`` stays text.
    """
    s = str(text).strip()
    if not s:
        return None
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    neg = False
    if s.startswith("(") and s.endswith(")"):
        neg, s = True, s[1:-1].strip()
    if s.endswith(",-"):
        # 'Rp 4.712.856.394.887,-': the rupiah dash means 'no sen', not a sign
        s = s[:-2].rstrip()
    m = _AMOUNT[style].match(s)
    if not m and style == "id" and re.fullmatch(r"-?\d+\.\d{1,2}", s):
        # '93.6' beside '749.930.215': a decimal point, never a thousands group (those have 3 digits)
        m = _AMOUNT["en"].match(s)
        style = "en"
    if not m:
        return None
    whole = m.group("int").replace("." if style == "id" else ",", "")
    dec = m.group("dec") or ""
    # '1.234' with no comma is a thousands group only when every group has 3 digits (the regex enforces it)
    value = float(f"{whole}.{dec}") if dec else int(whole)
    if m.group("neg"):
        neg = not neg
    if neg:
        value = -value
    places = len(dec)
    base = "#,##0" + ("." + "0" * places if places else "")
    if percent:
        return value / 100, base.replace("#,##", "") + "%"
    fmt = f"{base};({base})" if str(text).strip().startswith("(") else base
    return value, fmt


@dataclass
class Placement:
    """Where a case's table landed in the built workbook."""

    sheet: str
    header_row: int  # Excel row of the first header row
    first_data_row: int  # Excel row of rows[0]
    first_col: int  # 1-based Excel column of the table's first column

    def row_of(self, index: int) -> int:
        """Excel row of data row ``index`` (1-based, as the cases count rows)."""
        return self.first_data_row + index - 1

    def col_letter(self, column: int) -> str:
        """Column letter of the case's column ``column`` (1-based)."""
        return get_column_letter(self.first_col + column - 1)

    def cell(self, index: int, column: int) -> str:
        return f"{self.col_letter(column)}{self.row_of(index)}"


def column_index(case: dict, column) -> int:
    """1-based column number of a case column given as a number or as header text."""
    if isinstance(column, int):
        return column
    want = _fold(column)
    for header in reversed(case["header"]):
        for i, text in enumerate(header, 1):
            if _fold(text) == want:
                return i
    raise KeyError(f"{case['id']}: no header column {column!r}")


def _fold(text) -> str:
    return " ".join(str(text).split()).upper()


def placement(case: dict) -> Placement:
    labels = case.get("labels") or []
    header_row = 2 + len(labels) + 1  # title, labels, one blank row
    return Placement(case.get("sheet", "Tabel"), header_row, header_row + len(case["header"]), 1)


def build(case: dict, out_dir: Path) -> tuple[Path, Placement]:
    """Write the case's workbook into ``out_dir``; return its path and where the table sits."""
    where = placement(case)
    wb = Workbook()
    ws = wb.active
    ws.title = where.sheet
    ws.cell(1, 1, case["title"])
    for i, label in enumerate(case.get("labels") or []):
        ws.cell(2 + i, 1, label)
    as_numbers = case.get("cells", "number") == "number"
    for r, header in enumerate(case["header"]):
        for c, text in enumerate(header):
            if text != "":
                ws.cell(where.header_row + r, where.first_col + c, text)
    for r, row in enumerate(case["rows"]):
        for c, text in enumerate(row):
            if text == "" or text is None:
                continue
            cell = ws.cell(where.first_data_row + r, where.first_col + c)
            parsed = parse_printed(text, case.get("number_style", "id")) if as_numbers and c >= case.get("text_columns", 0) else None
            if parsed is None:
                cell.value = str(text)
            else:
                cell.value, cell.number_format = parsed
    below = where.first_data_row + len(case["rows"]) + 1  # one blank row, then what is printed under the table
    for i, label in enumerate(case.get("labels_below") or []):
        ws.cell(below + i, 1, label)
    for c in range(len(case["header"][0])):
        ws.column_dimensions[get_column_letter(where.first_col + c)].width = 18
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{case['id']}.xlsx"
    wb.save(path)
    return path, where
