"""One worksheet part as lxml sees it: find or create cells in order, read and write values.

The cell helpers (``split_ref``, ``cell_value``, ...) are shared by the notes
and the painter.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from lxml import etree
from openpyxl.utils import get_column_letter as col_name  # 1 -> "A"

from kinerja_xl.writeback.package import NS_R, Package, q

# Elements that follow <legacyDrawing> in CT_Worksheet, in schema order.
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                 "tableParts", "extLst")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


@functools.lru_cache(maxsize=65536)
def split_ref(ref: str) -> tuple[int, int]:
    """'E12' -> (12, 5): Excel row and 1-based column."""
    m = _REF.match(ref.replace("$", "").upper())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def clean_text(value: str, limit: int = 32767) -> str:
    """Text Excel accepts in a cell: no control characters, at most 32.767 characters."""
    value = _ILLEGAL_XML.sub("", value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _num(value: float | int) -> str:
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return str(value)
    return repr(float(value)) if not float(value).is_integer() else str(int(value))





class SheetPart:
    """Cells of one worksheet part, found or created in order."""

    def __init__(self, pkg: Package, part: str):
        self.pkg = pkg
        self.part = part
        self.root = pkg.xml(part)
        self.data = self.root.find(q("sheetData"))
        if self.data is None:
            self.data = etree.SubElement(self.root, q("sheetData"))  # pragma: no cover - malformed sheet
        self._rows: dict[int, etree._Element] | None = None
        self._col_styles: list[tuple[int, int, int]] | None = None

    def rows(self) -> dict[int, etree._Element]:
        if self._rows is None:
            self._rows = {}
            n = 0
            for row in self.data.iterchildren(q("row")):
                n = int(row.get("r")) if row.get("r") else n + 1
                self._rows[n] = row
        return self._rows

    @staticmethod
    def cells(row: etree._Element) -> list[tuple[int, etree._Element]]:
        out, n = [], 0
        for c in row.iterchildren(q("c")):
            n = split_ref(c.get("r"))[1] if c.get("r") else n + 1
            out.append((n, c))
        return out

    def find(self, ref: str) -> etree._Element | None:
        r, col = split_ref(ref)
        row = self.rows().get(r)
        if row is None:
            return None
        return next((c for n, c in self.cells(row) if n == col), None)

    def default_style(self, r: int, col: int) -> int:
        """The style a missing cell shows: its row's (when custom), else its column's."""
        row = self.rows().get(r)
        if row is not None and row.get("customFormat") in ("1", "true") and row.get("s"):
            return int(row.get("s"))
        if self._col_styles is None:
            self._col_styles = []
            cols = self.root.find(q("cols"))
            for c in (cols if cols is not None else []):
                if c.get("style"):
                    self._col_styles.append((int(c.get("min")), int(c.get("max")), int(c.get("style"))))
        return next((s for lo, hi, s in self._col_styles if lo <= col <= hi), 0)

    def get_or_create(self, ref: str) -> tuple[etree._Element, str]:
        """The cell, and how it came to be: ``""`` existed, ``new`` created, ``newrow`` row created too."""
        r, col = split_ref(ref)
        ref = f"{col_name(col)}{r}"
        how = ""
        rows = self.rows()
        row = rows.get(r)
        if row is None:
            how = "newrow"
            row = etree.Element(q("row"), r=str(r))
            after = max((n for n in rows if n < r), default=None)
            if after is None:
                self.data.insert(0, row)
            else:
                rows[after].addnext(row)
            rows[r] = row
        for n, c in self.cells(row):
            if n == col:
                return c, how
        cell = etree.Element(q("c"), r=ref)
        before = next((c for n, c in self.cells(row) if n > col), None)
        if before is not None:
            before.addprevious(cell)
        else:
            row.append(cell)
        return cell, how or "new"

    def remove_if_bare(self, cell: etree._Element, how: str) -> None:
        """Remove a cell we created (and its row, when we created that too) if nothing was put in it since."""
        if len(cell) or any(k not in ("r", "s") for k in cell.attrib):
            return
        row = cell.getparent()
        row.remove(cell)
        if how == "newrow" and not len(row) and set(row.attrib) <= {"r"}:
            self.data.remove(row)
            self._rows = None

    def set_legacy_drawing(self, rid: str | None) -> None:
        existing = self.root.find(q("legacyDrawing"))
        if rid is None:
            if existing is not None:
                self.root.remove(existing)
            return
        if existing is not None:
            existing.set(q("id", NS_R), rid)
            return
        el = etree.Element(q("legacyDrawing"), nsmap={"r": NS_R} if "r" not in (self.root.nsmap or {}) else None)
        el.set(q("id", NS_R), rid)
        anchor = next((self.root.find(q(t)) for t in _AFTER_LEGACY if self.root.find(q(t)) is not None), None)
        if anchor is not None:
            anchor.addprevious(el)
        else:
            self.root.append(el)


def cell_is_empty(cell: etree._Element | None) -> bool:
    if cell is None:
        return True
    if cell.find(q("f")) is not None:
        return False
    v = cell.find(q("v"))
    if v is not None and (v.text or "") != "":
        return False
    is_ = cell.find(q("is"))
    if is_ is not None and "".join(is_.itertext()).strip():
        return False
    return True


def set_value(cell: etree._Element, value: Any) -> None:
    for child in list(cell):
        if etree.QName(child).localname in ("v", "is"):
            cell.remove(child)
    if isinstance(value, str):
        cell.set("t", "inlineStr")
        is_ = etree.SubElement(cell, q("is"))
        t = etree.SubElement(is_, q("t"))
        t.text = clean_text(value)
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    else:
        cell.attrib.pop("t", None)
        etree.SubElement(cell, q("v")).text = _num(value)


def cell_value(cell: etree._Element, shared: list[str] | None = None) -> Any:
    t = cell.get("t", "n")
    if t == "inlineStr":
        is_ = cell.find(q("is"))
        return "".join(x.text or "" for x in is_.iter(q("t"))) if is_ is not None else ""
    v = cell.find(q("v"))
    if v is None or v.text is None:
        return None
    if t == "s":
        return (shared or [])[int(v.text)] if shared is not None and int(v.text) < len(shared) else ""
    if t in ("str", "e"):
        return v.text
    if t == "b":
        return v.text == "1"
    try:
        f = float(v.text)
    except ValueError:
        return v.text
    return int(f) if f.is_integer() and "." not in v.text and "E" not in v.text.upper() else f


# the start tag of a sheet view (any prefix) up to its tabSelected attribute, and that attribute
_TAB_SELECTED = re.compile(rb"""(<(?:[A-Za-z_][\w.-]*:)?sheetView\b[^>]*?)\s+tabSelected\s*=\s*(["'])(1|true)\2""")


def drop_tab_selected(data: bytes) -> tuple[bytes | None, str]:
    """``data`` without the ``tabSelected="1"`` (or ``"true"``) of its sheet views, changing no other byte,
    and the value it had; (None, "") when there is none (or the part is not UTF-8 or ASCII-compatible)."""
    values: list[str] = []

    def drop(m: re.Match) -> bytes:
        values.append(m.group(3).decode("ascii"))
        return m.group(1)

    head = data[:2]
    if head in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: no byte-level edit
        return None, ""
    edited, n = _TAB_SELECTED.subn(drop, data)
    return (edited, values[0]) if n else (None, "")


def add_tab_selected(data: bytes, value: str = "1") -> bytes | None:
    """Give the first sheet view ``tabSelected`` back, as the last attribute of its start tag."""
    m = re.search(rb"<(?:[A-Za-z_][\w.-]*:)?sheetView\b[^>]*?(/?>)", data)
    if m is None or b"tabSelected" in m.group(0):
        return None
    at = m.start(1)
    return data[:at] + b' tabSelected="' + value.encode("ascii") + b'"' + data[at:]
