"""Formulas the templates write, each saved with the value Excel would show (its cached value).

A formula cell in an xlsx file holds the formula (``<f>``) and the value
last computed (``<v>``). openpyxl writes an empty ``<v>``, so every reader
that does not calculate (kinerja-xl itself, pandas, calamine, most
government applications) sees no value: our own blank refocusing template
failed its own check with three KX101 errors on its JUMLAH row.

How the value gets there, and why this way:

* XlsxWriter can write a value with a formula (``write_formula(cell,
  formula, fmt, value)``), but every builder, the Info sheet, the
  reproducible save and the tests are openpyxl; rewriting them for one
  attribute would be a second way of building workbooks.
* LibreOffice could recalculate the saved file, but it is not on a clerk's
  Windows machine, and ``kinerja-xl template`` must work there.
* So each formula a builder writes is an ``Expr``: its Excel text *and* a
  small Python function that computes the same value from the workbook's
  cells. ``save_workbook`` computes every registered formula from the
  workbook as it is at save time and writes the value into the saved sheet
  XML (``<c r="D25" s="15"><f>SUM(D5:D24)</f><v>0</v></c>``). A script that
  fills a template with openpyxl and saves it through ``save_workbook``
  therefore gets right values too, and a formula whose inputs we cannot
  evaluate (a formula we did not write) is left without a value: reported
  as KX101, never guessed.

Only the handful of forms the templates use exist here (cell and Info
references, text joins, ``IF(x="",…)``, ``UPPER``, ``SUM`` over a range, a
year ± n, ``YEAR(TODAY())``). Excel recalculates everything on opening
(openpyxl writes ``fullCalcOnLoad``), so what Excel shows never depends on
these values; ``tests/test_templates.py`` checks them against LibreOffice's
own recalculation where LibreOffice is installed.
"""

from __future__ import annotations

import datetime as _dt
import re
import weakref
from dataclasses import dataclass
from typing import Any, Callable

from openpyxl.utils import get_column_letter
from xml.sax.saxutils import escape


class Unknown(Exception):
    """A formula's value depends on a cell whose value we cannot compute."""


class Calc:
    """Evaluation context: the workbook, the formulas we registered on it, and today's date."""

    def __init__(self, wb, today: _dt.date):
        self.wb = wb
        self.today = today
        registry = _REGISTRY.get(wb) or _Registry()
        self._cells = registry.cells
        self._names = registry.names
        self._busy: set = set()

    def cell(self, sheet: str, coord: str) -> Any:
        coord = coord.replace("$", "")
        key = (sheet, coord)
        if sheet not in self.wb.sheetnames:
            raise Unknown(f"{sheet}!{coord}")
        value = self.wb[sheet][coord].value
        expr = self._cells.get(key)
        if expr is not None and value == "=" + expr.text:
            if key in self._busy:
                raise Unknown(f"circular {sheet}!{coord}")
            self._busy.add(key)
            try:
                return expr.compute(self)
            finally:
                self._busy.discard(key)
        if isinstance(value, str) and value.startswith("="):
            raise Unknown(f"{sheet}!{coord}")  # a formula we did not write: we do not evaluate it
        return value

    def name(self, name: str) -> Any:
        if name not in self._names:
            raise Unknown(name)
        return self._names[name].compute(self)


@dataclass(frozen=True)
class Expr:
    """An Excel formula (without ``=``) and the function computing its value."""

    text: str
    compute: Callable[[Calc], Any]


class _Registry:
    def __init__(self):
        self.cells: dict[tuple[str, str], Expr] = {}
        self.names: dict[str, Expr] = {}


_REGISTRY: "weakref.WeakKeyDictionary[Any, _Registry]" = weakref.WeakKeyDictionary()


def _registry(wb) -> _Registry:
    reg = _REGISTRY.get(wb)
    if reg is None:
        reg = _REGISTRY[wb] = _Registry()
    return reg


# --------------------------------------------------------------------------- values as Excel treats them


def _blank(v: Any) -> bool:
    return v is None or v == ""


def as_text(v: Any) -> str:
    """What ``&`` makes of a value: blank -> '', 2021.0 -> '2021'."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _as_number(v: Any) -> float | int:
    if _blank(v):
        return 0
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise Unknown(f"not a number: {v!r}")  # Excel would give #VALUE!
    return v


# --------------------------------------------------------------------------- the forms the templates use


def lit(value: str) -> Expr:
    return Expr('"' + value.replace('"', '""') + '"', lambda c: value)


def ref(sheet: str, coord: str) -> Expr:
    """A cell on another sheet: ``Info!$B$6``."""
    quoted = sheet if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sheet) else "'" + sheet.replace("'", "''") + "'"
    return Expr(f"{quoted}!{coord}", lambda c: c.cell(sheet, coord))


def name(defined: str) -> Expr:
    """A workbook-level defined name registered with ``define``."""
    return Expr(defined, lambda c: c.name(defined))


def concat(*parts: Expr | str) -> Expr:
    exprs = [lit(p) if isinstance(p, str) else p for p in parts]
    return Expr("&".join(e.text for e in exprs), lambda c: "".join(as_text(e.compute(c)) for e in exprs))


def if_blank(value: Expr, fallback: Expr | str, then: Expr | None = None) -> Expr:
    """``IF(value="",fallback,then)``; ``then`` defaults to ``value``."""
    fallback = lit(fallback) if isinstance(fallback, str) else fallback
    then = then or value
    return Expr(f'IF({value.text}="",{fallback.text},{then.text})',
                lambda c: fallback.compute(c) if _blank(value.compute(c)) else then.compute(c))


def if_number(value: Expr, otherwise: Expr) -> Expr:
    """``IF(ISNUMBER(value),value,otherwise)``."""

    def compute(c: Calc) -> Any:
        v = value.compute(c)
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else otherwise.compute(c)

    return Expr(f"IF(ISNUMBER({value.text}),{value.text},{otherwise.text})", compute)


def upper(value: Expr) -> Expr:
    return Expr(f"UPPER({value.text})", lambda c: as_text(value.compute(c)).upper())


def plus(value: Expr, n: int) -> Expr:
    """``(value+n)``, ``(value-n)``, or ``value`` itself for n = 0."""
    if n == 0:
        return value
    op = "+" if n > 0 else "-"
    return Expr(f"({value.text}{op}{abs(n)})", lambda c: _as_number(value.compute(c)) + n)


def this_year() -> Expr:
    return Expr("YEAR(TODAY())", lambda c: c.today.year)


def sum_range(sheet: str, first_col: int, first_row: int, last_col: int, last_row: int) -> Expr:
    """``SUM(D5:D24)`` on the cell's own sheet; text in the range is skipped, as Excel does."""
    a1 = f"{get_column_letter(first_col)}{first_row}"
    b1 = f"{get_column_letter(last_col)}{last_row}"

    def compute(c: Calc) -> Any:
        total = 0
        for r in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                v = c.cell(sheet, f"{get_column_letter(col)}{r}")
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    total += v
        return total

    return Expr(f"SUM({a1}:{b1})" if a1 != b1 else f"SUM({a1})", compute)


# --------------------------------------------------------------------------- writing them


def put(cell, expr: Expr) -> None:
    """Write ``expr`` into an openpyxl cell; its value is computed when the workbook is saved."""
    cell.value = "=" + expr.text
    _registry(cell.parent.parent).cells[(cell.parent.title, cell.coordinate)] = expr


def define(wb, defined: str, expr: Expr) -> None:
    """A workbook-level defined name (``TAHUN_LAPORAN``) that formulas can use instead of repeating ``expr``."""
    from openpyxl.workbook.defined_name import DefinedName

    dn = DefinedName(defined, attr_text=expr.text)
    try:
        wb.defined_names[defined] = dn  # openpyxl >= 3.1
    except TypeError:  # pragma: no cover - older openpyxl
        wb.defined_names.append(dn)
    _registry(wb).names[defined] = expr


def cached_values(wb, today: _dt.date) -> dict[str, dict[str, Any]]:
    """sheet title -> {coordinate: value} for every registered formula that can be computed now."""
    calc = Calc(wb, today)
    out: dict[str, dict[str, Any]] = {}
    reg = _REGISTRY.get(wb)
    for (sheet, coord), expr in (reg.cells.items() if reg else ()):
        if sheet not in wb.sheetnames or wb[sheet][coord].value != "=" + expr.text:
            continue  # the cell was changed after the builder wrote it
        try:
            value = expr.compute(calc)
        except Unknown:
            continue
        out.setdefault(sheet, {})[coord] = value
    return out


_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(.*?)</f>(?:<v>.*?</v>|<v/>)?</c>', re.S)


def insert_values(sheet_xml: bytes, values: dict[str, Any]) -> bytes:
    """Put cached values into the formula cells of a sheet part as openpyxl wrote it."""
    if not values:
        return sheet_xml

    def repl(m: re.Match) -> bytes:
        coord = m.group(1).decode()
        if coord not in values:
            return m.group(0)
        value = values[coord]
        attrs = re.sub(rb'\s+t="[^"]*"', b"", m.group(2))
        if isinstance(value, bool):
            attrs += b' t="b"'
            v = b"1" if value else b"0"
        elif isinstance(value, (int, float)):
            v = repr(value).encode() if isinstance(value, float) and not value.is_integer() else str(int(value)).encode()
        else:
            attrs += b' t="str"'
            v = escape(as_text(value)).encode("utf-8")
        return b'<c r="' + m.group(1) + b'"' + attrs + b"><f>" + m.group(3) + b"</f><v>" + v + b"</v></c>"

    return _CELL.sub(repl, sheet_xml)

