"""The Excel client's JSON for xlwings' remote mode, and a small stand-in for Excel.

xlwings can build a real ``xw.Book`` from the JSON an Excel client sends
(``xw.Book(json=payload)``); writes to it are recorded as actions
(``book.json()``) instead of reaching Excel. That is how the add-in's entry
points run on Linux, in tests and in ``bench/addin.py``:

- ``payload_from_file`` reads a workbook with openpyxl into that JSON
  (values as 2-D lists from A1, empty cells ``""``, note addresses);
- ``FakeExcel`` applies the recorded actions the way Excel would (values,
  fills, notes, number formats, added/deleted/hidden sheets), so a second
  button press sees the workbook the first one left, and tests can assert
  on the result rather than on the raw action list.

Remote mode is part of ``xlwings.pro``: it needs ``XLWINGS_LICENSE_KEY``
(``noncommercial`` under the PolyForm Noncommercial licence). The add-in
itself runs on the desktop engine (BSD) and needs no key.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CLIENT = "Office.js"  # the client whose payload carries notes (and skips the version check)


def remote_engine() -> None:
    """Make sure xlwings' remote engine is registered (needs ``XLWINGS_LICENSE_KEY`` set first).

    xlwings registers it when first imported, and only if the key was set
    then; a test that sets the key later registers it here.
    """
    import xlwings as xw

    if "remote" in [e.name for e in xw.engines]:
        return
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise RuntimeError("xlwings' remote mode needs XLWINGS_LICENSE_KEY (e.g. 'noncommercial')")
    from xlwings.pro import _xlremote

    xw.engines.add(xw.main.Engine(impl=_xlremote.engine))


def _json_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, _dt.datetime):
        return v.isoformat()
    if isinstance(v, (_dt.date, _dt.time)):
        return v.isoformat()
    return v


def sheet_payload(name: str, values: list[list[Any]], notes: list[str] = (), visible: bool = True,
                  charts: int = 0) -> dict[str, Any]:
    return {
        "name": name,
        "visibility": "Visible" if visible else "Hidden",
        "values": values if values else [[]],
        "pictures": [],
        "shapes": [],
        "charts": [{"name": f"Chart {i + 1}"} for i in range(charts)],
        "notes": [{"address": a} for a in notes],
        "tables": [],
        "print_area": None,
    }


def book_payload(name: str, sheets: list[dict[str, Any]], active: int = 0) -> dict[str, Any]:
    import xlwings

    return {
        "client": CLIENT,
        "version": xlwings.__version__,
        "book": {"name": name, "active_sheet_index": active, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


def payload_from_file(path: str | Path) -> dict[str, Any]:
    """The JSON Excel would send for this workbook (cached values; chart sheets are not worksheets)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    try:
        sheets = []
        for ws in wb.worksheets:
            rows = [[_json_value(c.value) for c in row] for row in ws.iter_rows()]
            if len(rows) == 1 and all(v == "" for v in rows[0]):
                rows = []
            notes = [c.coordinate for row in ws.iter_rows() for c in row if c.comment is not None]
            sheets.append(sheet_payload(ws.title, rows, notes, ws.sheet_state == "visible", len(ws._charts)))
        active = wb.worksheets.index(wb.active) if wb.active in wb.worksheets else 0
        return book_payload(Path(path).name, sheets, active)
    finally:
        wb.close()


# --- a stand-in for Excel ----------------------------------------------------------------------------------


def _a1(row: int, col: int) -> str:
    from kinerja_xl.addin.painter import col_letters

    return f"{col_letters(col + 1)}{row + 1}"


@dataclass
class FakeSheet:
    name: str
    values: list[list[Any]]
    visible: bool = True
    notes: dict[str, str | None] = field(default_factory=dict)  # A1 -> text (None: there, text unknown)
    fills: dict[str, str | None] = field(default_factory=dict)  # A1 -> '#rrggbb' (None: fill removed)
    formats: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    charts: int = 0

    def value(self, cell: str) -> Any:
        from kinerja_xl.addin.painter import parse_cell

        r, c = parse_cell(cell)
        try:
            v = self.values[r - 1][c - 1]
        except IndexError:
            return None
        return None if v == "" else v

    def _put(self, r: int, c: int, v: Any) -> None:
        while len(self.values) <= r:
            self.values.append([])
        row = self.values[r]
        while len(row) <= c:
            row.append("")
        row[c] = "" if v is None else v

    def _cells(self, a: dict[str, Any]):
        for r in range(a["start_row"], a["start_row"] + a["row_count"]):
            for c in range(a["start_column"], a["start_column"] + a["column_count"]):
                yield r, c


@dataclass
class FakeExcel:
    """A workbook as Excel holds it, changed by replaying xlwings' remote actions."""

    name: str
    sheets: list[FakeSheet]
    active: int = 0
    alerts: list[tuple[str, str]] = field(default_factory=list)
    screen_updating: list[bool] = field(default_factory=list)
    applied: int = 0

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> "FakeExcel":
        sheets = [FakeSheet(s["name"], [list(r) for r in s["values"] if r is not None], s.get("visibility", "Visible") == "Visible",
                            {n["address"].replace("$", ""): None for n in s.get("notes", [])}, charts=len(s.get("charts", [])))
                  for s in payload["sheets"]]
        return cls(payload["book"]["name"], sheets, payload["book"].get("active_sheet_index", 0))

    def sheet(self, name: str) -> FakeSheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    def names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def payload(self) -> dict[str, Any]:
        """What Excel would send on the next button press."""
        sheets = []
        for s in self.sheets:
            width = max((len(r) for r in s.values), default=0)
            values = [list(r) + [""] * (width - len(r)) for r in s.values]
            sheets.append(sheet_payload(s.name, values, sorted(s.notes), s.visible, s.charts))
        return book_payload(self.name, sheets, self.active)

    def book(self):
        """A fresh ``xw.Book`` over the current state, set as the mock caller."""
        import xlwings as xw

        book = xw.Book(json=self.payload())
        book.set_mock_caller()
        return book

    def apply(self, actions: list[dict[str, Any]]) -> None:
        for a in actions:
            self._apply(a)
            self.applied += 1

    def _apply(self, a: dict[str, Any]) -> None:
        func, args = a["func"], a.get("args") or []
        pos = a.get("sheet_position")
        sheet = self.sheets[pos] if pos is not None and 0 <= pos < len(self.sheets) else None
        if func == "setValues":
            values = a["values"]
            for dr, row in enumerate(values):
                for dc, v in enumerate(row):
                    sheet._put(a["start_row"] + dr, a["start_column"] + dc, v)
        elif func == "rangeClearContents":
            for r, c in sheet._cells(a):
                if r < len(sheet.values) and c < len(sheet.values[r]):
                    sheet.values[r][c] = ""
        elif func == "setRangeColor":
            for r, c in sheet._cells(a):
                sheet.fills[_a1(r, c)] = args[0].lower() if args[0] else None
        elif func == "setRangeColors":  # a matrix over the range: '#rrggbb', None (no fill) or 'keep'
            for dr, row in enumerate(args[0]):
                for dc, colour in enumerate(row):
                    if colour != "keep":
                        sheet.fills[_a1(a["start_row"] + dr, a["start_column"] + dc)] = colour.lower() if colour else None
        elif func == "setNumberFormat":
            for r, c in sheet._cells(a):
                sheet.formats[_a1(r, c)] = args[0]
        elif func == "addNote":
            cell = args[0].replace("$", "")
            if cell in sheet.notes:
                raise AssertionError(f"Excel refuses a second note on {sheet.name}!{cell}")
            sheet.notes[cell] = args[1]
        elif func == "deleteNote":
            sheet.notes.pop(args[0].replace("$", ""), None)
        elif func == "addHyperlink":
            sheet.links[_a1(a["start_row"], a["start_column"])] = args[0]
        elif func == "addSheet":
            self.sheets.insert(args[0], FakeSheet(args[1], []))
            self.active = args[0]
        elif func == "sheetDelete":
            del self.sheets[pos]
            self.active = min(self.active if self.active < pos else max(self.active - 1, 0), len(self.sheets) - 1)
        elif func == "setSheetVisibility":
            sheet.visible = args[0] == "Visible"
        elif func == "activateSheet":
            self.active = int(args[0])
        elif func == "alert":
            self.alerts.append((args[1], args[0]))
        elif func == "setScreenUpdating":
            self.screen_updating.append(bool(args[0]))
        # formatting that only changes looks (fonts, widths, wrap, panes, autofilter) is not modelled
