"""Workbook files on disk: .xlsx / .xlsm (and .ods through calamine).

Values come from python-calamine (≈10× faster than openpyxl). Calamine reads a
formula saved without a cached value as ``''``, the same as an empty cell, so
formula cells are found from the sheet XML itself and reported instead of
being treated as zero.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import Any

from kinerja_xl.workbook import SheetData, WorkbookError
from kinerja_xl.workbook.safety import Limits, check_package

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _col_index(ref: str) -> tuple[int, int]:
    """'E12' -> (11, 4) zero-based."""
    i = 0
    col = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + (ord(ref[i].upper()) - 64)
        i += 1
    return int(ref[i:]) - 1, col - 1


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part name inside the package (``xl/worksheets/sheet1.xml``)."""
    from defusedxml import ElementTree as ET

    wb = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(f"{{{_NS_PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = part
    out = {}
    for sheet in wb.iter(f"{{{_NS_MAIN}}}sheet"):
        rid = sheet.get(f"{{{_NS_REL}}}id")
        if rid in targets:
            out[sheet.get("name")] = targets[rid]
    return out


def scan_formulas(xml: bytes) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(formula cells, formula cells without a cached value) of one sheet part."""
    formulas: set[tuple[int, int]] = set()
    uncached: set[tuple[int, int]] = set()
    if b"<f" not in xml and b":f" not in xml:
        return formulas, uncached
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(xml, parser)
    f_tag, v_tag, is_tag = f"{{{_NS_MAIN}}}f", f"{{{_NS_MAIN}}}v", f"{{{_NS_MAIN}}}is"
    for f in root.iter(f_tag):
        c = f.getparent()
        ref = c.get("r")
        if not ref:
            continue
        pos = _col_index(ref)
        formulas.add(pos)
        v = c.find(v_tag)
        if (v is None or v.text is None) and c.find(is_tag) is None:
            uncached.add(pos)
    return formulas, uncached


class FileWorkbook:
    """A workbook file, opened for reading values."""

    def __init__(self, path: str | Path, limits: Limits | None = None):
        self.path = Path(path)
        self.name = self.path.name
        self.limits = limits or Limits()
        check_package(self.path, self.limits)
        from python_calamine import CalamineWorkbook

        try:
            self._book = CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # calamine raises its own error types per format
            raise WorkbookError(
                "KX003", "corrupt-file",
                f"{self.name}: berkas rusak atau tidak lengkap dan tidak dapat dibaca ({exc}). Simpan ulang dari Excel lalu coba lagi.",
                f"{self.name}: the file is damaged or incomplete and cannot be read ({exc}). Save it again from Excel and retry.",
                str(self.path),
            ) from exc
        self._meta = {m.name: m for m in self._book.sheets_metadata}
        self._parts: dict[str, str] | None = None

    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def _formula_marks(self, name: str) -> tuple[set, set]:
        if self.path.suffix.lower() not in (".xlsx", ".xlsm", ".xltx", ".xltm"):
            return set(), set()
        try:
            with zipfile.ZipFile(self.path) as zf:
                if self._parts is None:
                    self._parts = sheet_parts(zf)
                part = self._parts.get(name)
                if part is None or part not in zf.namelist():
                    return set(), set()
                return scan_formulas(zf.read(part))
        except (KeyError, zipfile.BadZipFile):
            return set(), set()

    def read_sheet(self, name: str) -> SheetData:
        meta = self._meta.get(name)
        typ = str(getattr(meta, "typ", "")) if meta else ""
        if "Chart" in typ:
            return SheetData(name=name, rows=[], is_chart=True)
        try:
            sheet = self._book.get_sheet_by_name(name)
            raw = sheet.to_python(skip_empty_area=False)
            merges = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
        except Exception as exc:
            raise WorkbookError(
                "KX003", "corrupt-file",
                f"{self.name}: lembar '{name}' tidak dapat dibaca ({exc}).",
                f"{self.name}: sheet '{name}' cannot be read ({exc}).",
                str(self.path),
            ) from exc
        rows: list[list[Any]] = [[None if v == "" else v for v in row] for row in raw]
        formulas, uncached = self._formula_marks(name)
        hidden = bool(meta) and "Visible" not in str(getattr(meta, "visible", "Visible"))
        return SheetData(name=name, rows=rows, merges=merges, formulas=formulas, uncached=uncached, hidden=hidden)

    def close(self) -> None:
        try:
            self._book.close()
        except Exception:
            pass


def open_workbook(path: str | Path, limits: Limits | None = None) -> FileWorkbook:
    return FileWorkbook(path, limits)
