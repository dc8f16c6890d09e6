"""Small budget workbooks for the tests: in memory (a ``WorkbookSource``) or as .xlsx files.

``seed_sheets()`` lays the seed's two tables out as the report prints them;
``write_xlsx`` writes any such sheets with openpyxl (merges included).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from kinerja_xl.config import Config
from kinerja_xl.workbook import SheetData

from seed_budget import REALISASI_HEADER, REALISASI_ROWS, REALISASI_SUBHEADER, REFOCUSING_HEADER, REFOCUSING_ROWS

REALISASI_HEAD = ["NO", "URAIAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN"]


def _cell(v: Any) -> Any:
    return None if v == "" else v


class MemoryBook:
    """A ``WorkbookSource`` over rows held in memory: {sheet name: (rows, merges)}."""

    def __init__(self, sheets: dict[str, Any], name: str = "memori.xlsx"):
        self.name = name
        self._sheets = {k: (v if isinstance(v, tuple) else (v, [])) for k, v in sheets.items()}

    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def read_sheet(self, name: str) -> SheetData:
        rows, merges = self._sheets[name]
        width = max((len(r) for r in rows), default=0)
        return SheetData(name=name, rows=[[_cell(v) for v in r] + [None] * (width - len(r)) for r in rows],
                         merges=list(merges))


def validate_rows(rows: list[list[Any]], select: Iterable[str] = (), merges=(), ignore=("KX104",), **config) -> list:
    """Findings of one sheet held in memory (rules of ``select`` only, all when empty).

    Numbers typed as text (KX104, info) are left out unless ``ignore=()``: the
    small tables here are written as the report prints them, as text.
    """
    from kinerja_xl.runner import validate_source

    report = validate_source(MemoryBook({"Lembar": (rows, list(merges))}),
                             Config(select=tuple(select), ignore=tuple(ignore), **config))
    return report.findings


def tables_of(rows: list[list[Any]], merges=()) -> list:
    from kinerja_xl.runner import validate_source

    return validate_source(MemoryBook({"Lembar": (rows, list(merges))}), Config(select=("KX999",))).tables


def realisasi(data: list[list[Any]], head: list[str] = REALISASI_HEAD) -> list[list[Any]]:
    """A one-header-row realisasi table starting at A1."""
    return [list(head)] + [list(r) for r in data]


def codes(findings) -> list[tuple[str, str | None]]:
    return [(f.code, f.cell) for f in findings]


def seed_sheets() -> dict[str, tuple[list, list]]:
    """The seed's refocusing and realisasi tables laid out as printed (title rows, two header rows, merges)."""
    ref = [["Pagu anggaran sebelum dan sesudah refocusing Kecamatan Lumajang"], [],
           list(REFOCUSING_HEADER)] + [list(r) for r in REFOCUSING_ROWS]
    jumlah = len(ref) - 1  # zero-based row of JUMLAH: merged over NO, KODE, URAIAN
    ref_merges = [(jumlah, 0, jumlah, 2)]
    real = [["Tabel realisasi Triwulan III Tahun 2021"], [],
            list(REALISASI_HEADER), list(REALISASI_SUBHEADER)] + [list(r) for r in REALISASI_ROWS]
    real_merges = [(2, c, 3, c) for c in (0, 1, 2, 4)]
    return {"Refocusing": (ref, ref_merges), "Realisasi TW III": (real, real_merges)}


def write_xlsx(path: Path, sheets: dict[str, Any], numbers: bool = True) -> Path:
    """Write sheets with openpyxl. ``numbers``: amounts as real numbers ('-' stays text), else all as text."""
    from openpyxl import Workbook

    from kinerja_xl.numbers import NumberStatus, parse_number

    wb = Workbook()
    wb.remove(wb.active)
    for name, value in sheets.items():
        rows, merges = value if isinstance(value, tuple) else (value, [])
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v in ("", None):
                    continue
                if numbers and isinstance(v, str) and v.strip() not in ("-",):
                    p = parse_number(v)
                    if c >= 3 and p.status == NumberStatus.TEXT and not p.percent:
                        v = int(p.value) if p.value == p.value.to_integral_value() else float(p.value)
                        ws.cell(r, c, v).number_format = "#,##0"
                        continue
                ws.cell(r, c, v)
        for r0, c0, r1, c1 in merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    wb.save(path)
    return path

