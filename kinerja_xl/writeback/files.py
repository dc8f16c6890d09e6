"""``FilePainter``: annotate an .xlsx/.xlsm file by patching only the parts it changes.

What changes, and nothing else (every other part is copied byte for byte):

- ``xl/styles.xml``: fills and cell formats (``xf``) appended at the end; a
  marked cell gets a clone of its own ``xf`` with our fill, so its number
  format, font, borders, alignment and protection stay;
- the sheets with marks or values: the ``s`` attribute of those cells (a
  ``<c>``, or its ``<row>``, is created in order when missing), the values we
  fill in, ``<legacyDrawing>`` when the sheet had no notes; ``tabSelected``
  on the sheet that was active;
- their comments part and VML drawing (created, or extended with new shapes)
  plus the sheet's relationships and ``[Content_Types].xml``;
- ``xl/workbook.xml`` (+ its relationships): the ``Temuan`` sheet first, a
  hidden ``_kinerja_xl_state`` sheet last, ``localSheetId`` of defined names
  shifted by one, the active tab.

``clear`` undoes each of these from the state sheet; when ``styles.xml`` is
unchanged since we wrote it, the appended styles are removed too, so an
annotated-then-cleared file has the same XML trees as the original.
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path
from typing import Any, Sequence
from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from openpyxl.utils import get_column_letter as col_name  # 1 -> "A"

from kinerja_xl.writeback.package import (
    CT_COMMENTS,
    CT_VML,
    CT_WORKSHEET,
    NS_MAIN,
    NS_PKG_REL,
    NS_R,
    REL_COMMENTS,
    REL_VML,
    REL_WORKSHEET,
    Package,
    parse_xml,
    q,
    rels_name,
)
from kinerja_xl.writeback.plan import (
    FINDINGS_SHEET,
    NOTE_AUTHOR,
    STATE_SHEET,
    AnnotationState,
    CellMark,
    FindingsSheet,
    TouchedCell,
    ValueWrite,
    combined_note,
)

NS_V = "urn:schemas-microsoft-com:vml"
NS_O = "urn:schemas-microsoft-com:office:office"
NS_X = "urn:schemas-microsoft-com:office:excel"
REL_SHARED_STRINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"

BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}
HEADER_FILL = "D9D9D9"
LINK_COLOR = "0563C1"

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


# --------------------------------------------------------------------------- styles


class Styles:
    """Appends fills, fonts, number formats and cell formats to ``xl/styles.xml``."""

    COLLECTIONS = ("numFmts", "fonts", "fills", "borders", "cellXfs")

    def __init__(self, pkg: Package, part: str):
        self.pkg = pkg
        self.part = part
        self._root = None
        self._cache: dict[Any, int] = {}

    @property
    def root(self) -> etree._Element:
        if self._root is None:
            self._root = self.pkg.xml(self.part)
        return self._root

    def peek_root(self) -> etree._Element:
        return self._root if self._root is not None else self.pkg.peek(self.part)

    def snapshot(self) -> str:
        """``name:len:count`` per collection, before we append anything (for clear)."""
        root = self.peek_root()
        out = []
        for name in self.COLLECTIONS:
            el = root.find(q(name))
            if el is None:
                out.append(f"{name}:-:-")
            else:
                count = el.get("count")
                out.append(f"{name}:{len(el)}:{'-' if count is None else count}")
        return ";".join(out)

    def restore(self, snapshot: str) -> None:
        root = self.root
        for item in snapshot.split(";"):
            name, length, count = item.split(":")
            el = root.find(q(name))
            if el is None:
                continue
            if length == "-":
                root.remove(el)
                continue
            del el[int(length):]
            if count == "-":
                el.attrib.pop("count", None)
            else:
                el.set("count", count)

    def _collection(self, name: str, before: tuple[str, ...] = ()) -> etree._Element:
        el = self.root.find(q(name))
        if el is None:
            el = etree.Element(q(name), count="0")
            anchor = next((self.root.find(q(b)) for b in before if self.root.find(q(b)) is not None), None)
            if anchor is not None:
                anchor.addprevious(el)
            else:
                self.root.insert(0, el)
        return el

    def _append(self, name: str, child: etree._Element) -> int:
        col = self._collection(name)
        col.append(child)
        col.set("count", str(len(col)))
        return len(col) - 1

    def xf(self, index: int) -> etree._Element | None:
        xfs = self.peek_root().find(q("cellXfs"))
        if xfs is None or index >= len(xfs):
            return None
        return xfs[index]

    def fill_rgb(self, xf_index: int) -> str:
        """The solid fill colour of a cell format as RRGGBB, '' for none, '?' when not a plain colour."""
        xf = self.xf(xf_index)
        if xf is None:
            return ""
        fill_id = int(xf.get("fillId", "0") or 0)
        fills = self.peek_root().find(q("fills"))
        if fills is None or fill_id >= len(fills) or fill_id < 2:
            return ""
        pattern = fills[fill_id].find(q("patternFill"))
        if pattern is None:
            return "?"
        kind = pattern.get("patternType", "none")
        if kind == "none":
            return ""
        fg = pattern.find(q("fgColor"))
        if kind == "solid" and fg is not None and fg.get("rgb"):
            return fg.get("rgb")[-6:].upper()
        return "?"

    def fill_id(self, xf_index: int) -> int:
        xf = self.xf(xf_index)
        return int(xf.get("fillId", "0") or 0) if xf is not None else 0

    def fill_xml(self, fill_id: int) -> str:
        fills = self.peek_root().find(q("fills"))
        if fills is None or fill_id >= len(fills):
            return ""
        return etree.tostring(fills[fill_id], encoding="unicode")

    def with_fill_xml(self, base: int, xml: str) -> int:
        """A clone of cell format ``base`` whose fill is the ``<fill>`` given as XML (an existing equal one is reused)."""
        key = ("xf-fillxml", base, xml)
        if key not in self._cache:
            wanted = parse_xml(xml.encode("utf-8"))
            fills = self._collection("fills")
            target = etree.tostring(wanted, method="c14n")
            fill_id = next((i for i, f in enumerate(fills) if etree.tostring(f, method="c14n") == target), None)
            if fill_id is None:
                fill_id = self._append("fills", wanted)
            xf = copy.deepcopy(self.xf(base)) if self.xf(base) is not None else etree.Element(q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0", xfId="0")
            xf.set("fillId", str(fill_id))
            self._cache[key] = self._append("cellXfs", xf)
        return self._cache[key]

    def fill(self, rgb: str) -> int:
        key = ("fill", rgb)
        if key not in self._cache:
            fill = etree.Element(q("fill"))
            pattern = etree.SubElement(fill, q("patternFill"), patternType="solid")
            etree.SubElement(pattern, q("fgColor"), rgb="FF" + rgb.upper())
            etree.SubElement(pattern, q("bgColor"), indexed="64")
            self._cache[key] = self._append("fills", fill)
        return self._cache[key]

    def numfmt(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        key = ("numfmt", code)
        if key not in self._cache:
            existing = self.root.find(q("numFmts"))
            if existing is not None:
                for nf in existing:
                    if nf.get("formatCode") == code:
                        self._cache[key] = int(nf.get("numFmtId"))
                        return self._cache[key]
            ids = [int(nf.get("numFmtId", 0)) for nf in (existing if existing is not None else [])]
            new_id = max([163, *ids]) + 1
            col = self._collection("numFmts", before=("fonts",))
            etree.SubElement(col, q("numFmt"), numFmtId=str(new_id), formatCode=code)
            col.set("count", str(len(col)))
            self._cache[key] = new_id
        return self._cache[key]

    def font(self, bold: bool = False, size: float | None = None, color: str | None = None, underline: bool = False) -> int:
        key = ("font", bold, size, color, underline)
        if key not in self._cache:
            fonts = self._collection("fonts")
            font = copy.deepcopy(fonts[0]) if len(fonts) else etree.Element(q("font"))
            for child in list(font):
                if etree.QName(child).localname in ("b", "u", "color") or (size and etree.QName(child).localname == "sz"):
                    font.remove(child)
            if bold:
                font.insert(0, etree.Element(q("b")))
            if underline:
                font.insert(1 if bold else 0, etree.Element(q("u")))
            if size:
                font.append(etree.Element(q("sz"), val=_num(size)))
            if color:
                font.append(etree.Element(q("color"), rgb="FF" + color))
            self._cache[key] = self._append("fonts", font)
        return self._cache[key]

    def with_fill(self, base: int, rgb: str | None) -> int:
        """A clone of cell format ``base`` whose fill is ``rgb`` (None: no fill)."""
        key = ("xf-fill", base, rgb)
        if key not in self._cache:
            xf = copy.deepcopy(self.xf(base)) if self.xf(base) is not None else etree.Element(q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0", xfId="0")
            xf.set("fillId", str(self.fill(rgb)) if rgb else "0")
            xf.set("applyFill", "1")
            self._cache[key] = self._append("cellXfs", xf)
        return self._cache[key]

    def with_numfmt(self, base: int, code: str) -> int:
        key = ("xf-num", base, code)
        if key not in self._cache:
            xf = copy.deepcopy(self.xf(base)) if self.xf(base) is not None else etree.Element(q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0", xfId="0")
            xf.set("numFmtId", str(self.numfmt(code)))
            xf.set("applyNumberFormat", "1")
            self._cache[key] = self._append("cellXfs", xf)
        return self._cache[key]

    def new_xf(self, font: int = 0, fill: str | None = None, numfmt: str = "General", wrap: bool = False,
               vertical: str | None = "top") -> int:
        """A fresh cell format for our own sheets."""
        key = ("xf", font, fill, numfmt, wrap, vertical)
        if key not in self._cache:
            xf = etree.Element(q("xf"), numFmtId=str(self.numfmt(numfmt)), fontId=str(font),
                               fillId=str(self.fill(fill)) if fill else "0", borderId="0", xfId="0")
            if numfmt != "General":
                xf.set("applyNumberFormat", "1")
            if font:
                xf.set("applyFont", "1")
            if fill:
                xf.set("applyFill", "1")
            if wrap or vertical:
                xf.set("applyAlignment", "1")
                al = etree.SubElement(xf, q("alignment"))
                if vertical:
                    al.set("vertical", vertical)
                if wrap:
                    al.set("wrapText", "1")
            self._cache[key] = self._append("cellXfs", xf)
        return self._cache[key]


# --------------------------------------------------------------------------- one sheet part


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


# --------------------------------------------------------------------------- notes of one sheet


def _note_text(comment: etree._Element) -> str:
    text = comment.find(q("text"))
    if text is None:
        return ""
    return "".join(t.text or "" for t in text.iter(q("t")) if etree.QName(t.getparent()).localname != "rPh")


_VML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, recover=True)
_NEW_VML = f"""<xml xmlns:v="{NS_V}" xmlns:o="{NS_O}" xmlns:x="{NS_X}">
 <o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>
 <v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">
  <v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/>
 </v:shapetype>
</xml>"""
_SHAPETYPE = etree.fromstring(_NEW_VML.encode()).find(f"{{{NS_V}}}shapetype")


class Notes:
    """The comments part and VML drawing of one sheet (created on first use)."""

    def __init__(self, painter: "FilePainter", sheet: str, part: str, sheet_xml: SheetPart):
        self.painter = painter
        self.pkg = painter.pkg
        self.sheet = sheet
        self.part = part
        self.sheet_xml = sheet_xml
        self.comments_part = None
        self.vml_part = None
        self.vml_rid = None
        self.threaded: set[str] = set()  # cells with a modern threaded comment: their note is Excel's mirror of it
        for rid, typ, target in self.pkg.relationships(part):
            if typ == REL_COMMENTS:
                self.comments_part = target
            elif typ.endswith("/threadedComment") and self.pkg.exists(target):
                self.threaded |= {el.get("ref", "").upper() for el in self.pkg.peek(target).iter()
                                  if etree.QName(el).localname == "threadedComment"}
        legacy = sheet_xml.root.find(q("legacyDrawing"))
        if legacy is not None:
            rid = legacy.get(q("id", NS_R))
            for r, typ, target in self.pkg.relationships(part):
                if r == rid:
                    self.vml_part, self.vml_rid = target, r
        self._comments = None
        self._by_ref: dict[str, etree._Element] | None = None
        self._vml = None
        self._vml_dirty = False
        self._shapes: dict | None = None  # (row, col) -> note shape, built on first removal

    # ------------------------------------------------ reading

    def _index(self) -> dict[str, etree._Element]:
        """Cell -> ``<comment>`` of the comments part (the live tree once we write to it)."""
        if self._by_ref is None:
            root = self.pkg.peek(self.comments_part) if self._comments is None else self._comments
            cl = root.find(q("commentList"))
            self._by_ref = {c.get("ref", "").upper(): c for c in (cl if cl is not None else [])}
        return self._by_ref

    def original(self, ref: str) -> etree._Element | None:
        if self.comments_part is None:
            return None
        return self._index().get(ref)

    # ------------------------------------------------ writing

    def _ensure(self) -> None:
        meta = self.painter.meta
        if self._comments is None:
            if self.comments_part is None:
                self.comments_part = self.pkg.unique_name("xl/comments{}.xml")
                root = etree.Element(q("comments"), nsmap={None: NS_MAIN})
                etree.SubElement(root, q("authors"))
                etree.SubElement(root, q("commentList"))
                self.pkg.set_xml(self.comments_part, root)
                if self.pkg.rels(self.part) is None:
                    meta[f"rels_created:{self.sheet}"] = "1"
                self.pkg.add_relationship(self.part, REL_COMMENTS, self.comments_part)
                self.pkg.add_override(self.comments_part, CT_COMMENTS)
                meta[f"comments_created:{self.sheet}"] = self.comments_part
            self._comments = self.pkg.xml(self.comments_part)
            self._by_ref = None
            self._index()
            authors = self._comments.find(q("authors"))
            names = [a.text for a in authors]
            if NOTE_AUTHOR in names:
                self.author_id = names.index(NOTE_AUTHOR)
            else:
                etree.SubElement(authors, q("author")).text = NOTE_AUTHOR
                self.author_id = len(names)
                meta[f"author_added:{self.sheet}"] = "1"
        if self._vml is None:
            if self.vml_part is None:
                self.vml_part = self.pkg.unique_name("xl/drawings/vmlDrawing{}.vml")
                self.pkg.write(self.vml_part, b"")
                self._vml = etree.fromstring(_NEW_VML.encode())
                self._vml_dirty = True
                if self.pkg.ensure_default("vml", CT_VML):
                    meta["vml_default_added"] = "1"
                if self.pkg.rels(self.part) is None:
                    meta[f"rels_created:{self.sheet}"] = "1"
                self.vml_rid = self.pkg.add_relationship(self.part, REL_VML, self.vml_part)
                self.sheet_xml.set_legacy_drawing(self.vml_rid)
                meta[f"vml_created:{self.sheet}"] = self.vml_part
                blocks = [self.painter.free_vml_block()]
                self._vml.find(f"{{{NS_O}}}shapelayout/{{{NS_O}}}idmap").set(f"{{{NS_V}}}ext", "edit")
            else:
                self._vml = etree.fromstring(self.pkg.read(self.vml_part), _VML_PARSER)
                meta[f"vml_changed:{self.sheet}"] = self.vml_part
                blocks = []
                if self._vml.find(f"{{{NS_V}}}shapetype[@id='_x0000_t202']") is None:
                    # a drawing of form controls only: the note shape type is ours (removed on clear)
                    self._vml.insert(1 if len(self._vml) else 0, copy.deepcopy(_SHAPETYPE))
                    meta[f"vml_added:{self.sheet}"] = meta.get(f"vml_added:{self.sheet}", "") + "shapetype,"
            idmap = self._vml.find(f"{{{NS_O}}}shapelayout/{{{NS_O}}}idmap")
            if idmap is None:
                layout = etree.Element(f"{{{NS_O}}}shapelayout", nsmap={"o": NS_O, "v": NS_V})
                layout.set(f"{{{NS_V}}}ext", "edit")
                meta[f"vml_added:{self.sheet}"] = meta.get(f"vml_added:{self.sheet}", "") + "layout,"
                idmap = etree.SubElement(layout, f"{{{NS_O}}}idmap")
                idmap.set(f"{{{NS_V}}}ext", "edit")
                blocks = [self.painter.free_vml_block()]
                self._vml.insert(0, layout)
            if blocks:
                idmap.set("data", ",".join(map(str, blocks)))
            self._idmap = idmap
            self._used_ids = {s.get("id") for s in self._vml.iter(f"{{{NS_V}}}shape")}

    def _next_shape_id(self) -> str:
        """A shape id inside the drawing's ``o:idmap`` blocks (1024 ids each), adding a block when full."""
        cursor = self.__dict__.setdefault("_cursor", {})
        while True:
            blocks = [int(b) for b in re.findall(r"\d+", self._idmap.get("data", ""))]
            for b in blocks:
                n = cursor.get(b, b * 1024 + 1)
                while n < b * 1024 + 1024:
                    sid = f"_x0000_s{n}"
                    n += 1
                    if sid not in self._used_ids:
                        cursor[b] = n
                        self._used_ids.add(sid)
                        return sid
                cursor[b] = n
            new = self.painter.free_vml_block()
            self.painter.meta.setdefault(f"idmap:{self.sheet}", self._idmap.get("data", ""))
            self._idmap.set("data", ",".join(map(str, [*blocks, new])))
            self._vml_dirty = True

    def set_note(self, ref: str, text: str) -> None:
        self._ensure()
        cl = self._comments.find(q("commentList"))
        comment = etree.Element(q("comment"), ref=ref, authorId=str(self.author_id))
        t = etree.SubElement(etree.SubElement(comment, q("text")), q("t"))
        t.text = clean_text(text)
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        old = self._by_ref.get(ref)
        if old is not None:
            old.addprevious(comment)
            cl.remove(old)
        else:
            cl.append(comment)
            self._add_shape(ref)
        self._by_ref[ref] = comment

    def _add_shape(self, ref: str) -> None:
        self._vml_dirty = True
        r, c = split_ref(ref)
        r0, c0 = r - 1, c - 1
        shape = etree.SubElement(self._vml, f"{{{NS_V}}}shape", id=self._next_shape_id(), type="#_x0000_t202",
                                 style="position:absolute;margin-left:80pt;margin-top:2pt;width:260pt;height:110pt;"
                                       "z-index:1;visibility:hidden", fillcolor="#ffffe1")
        shape.set(f"{{{NS_O}}}insetmode", "auto")
        etree.SubElement(shape, f"{{{NS_V}}}fill", color2="#ffffe1")
        etree.SubElement(shape, f"{{{NS_V}}}shadow", on="t", color="black", obscured="t")
        etree.SubElement(shape, f"{{{NS_V}}}path").set(f"{{{NS_O}}}connecttype", "none")
        box = etree.SubElement(shape, f"{{{NS_V}}}textbox", style="mso-direction-alt:auto")
        etree.SubElement(box, "div", style="text-align:left")
        data = etree.SubElement(shape, f"{{{NS_X}}}ClientData", ObjectType="Note")
        etree.SubElement(data, f"{{{NS_X}}}MoveWithCells")
        etree.SubElement(data, f"{{{NS_X}}}SizeWithCells")
        etree.SubElement(data, f"{{{NS_X}}}Anchor").text = f"{c0 + 1}, 15, {max(r0 - 1, 0)}, 10, {c0 + 5}, 15, {r0 + 7}, 4"
        etree.SubElement(data, f"{{{NS_X}}}AutoFill").text = "False"
        etree.SubElement(data, f"{{{NS_X}}}Row").text = str(r0)
        etree.SubElement(data, f"{{{NS_X}}}Column").text = str(c0)

    def restore(self, ref: str, raw: str, text: str | None) -> None:
        """Put back the original note (``raw`` exact XML, else ``text``), or remove ours."""
        if self.comments_part is None or not self.pkg.exists(self.comments_part):
            return
        root = self.pkg.xml(self.comments_part)
        cl = root.find(q("commentList"))
        if getattr(self, "_live", None) is None:
            self._live = {c.get("ref", "").upper(): c for c in cl}
        current = self._live.pop(ref, None)
        try:
            original = parse_xml(raw.encode("utf-8")) if raw else None
        except etree.XMLSyntaxError:  # cut at Excel's 32.767 characters per cell: fall back to the text
            original = None
        if original is not None:
            if current is not None:
                current.addprevious(original)
                cl.remove(current)
            else:
                cl.append(original)
            self._tidy = True
        elif text is not None and current is not None:
            text_el = current.find(q("text"))
            for child in list(text_el):
                text_el.remove(child)
            etree.SubElement(text_el, q("t")).text = text
        elif current is not None:
            cl.remove(current)
            self._remove_shape(ref)

    def _remove_shape(self, ref: str) -> None:
        if self.vml_part is None or not self.pkg.exists(self.vml_part):
            return
        if self._vml is None:
            self._vml = etree.fromstring(self.pkg.read(self.vml_part), _VML_PARSER)
        if getattr(self, "_shapes", None) is None:
            self._shapes = {}
            for shape in self._vml.iter(f"{{{NS_V}}}shape"):
                data = shape.find(f"{{{NS_X}}}ClientData")
                if data is not None and data.get("ObjectType") == "Note":
                    key = ((data.findtext(f"{{{NS_X}}}Row") or "").strip(), (data.findtext(f"{{{NS_X}}}Column") or "").strip())
                    self._shapes.setdefault(key, shape)
        r, c = split_ref(ref)
        shape = self._shapes.pop((str(r - 1), str(c - 1)), None)
        if shape is not None:
            shape.getparent().remove(shape)
            self._vml_dirty = True

    def flush(self) -> None:
        if getattr(self, "_tidy", False) and self.comments_part and self.pkg.exists(self.comments_part):
            etree.cleanup_namespaces(self.pkg.xml(self.comments_part))  # restored notes carried their xmlns
            self._tidy = False
        if self._vml is not None and self.vml_part is not None and self.pkg.exists(self.vml_part):
            if self._vml_dirty:
                self._vml_dirty = False
                head = self.pkg.read(self.vml_part)[:200] if self.pkg.exists(self.vml_part) else b""
                decl = re.match(rb"\s*<\?xml[^>]*\?>\s*", head)  # keep the producer's declaration, if any
                body = etree.tostring(self._vml, encoding="UTF-8", xml_declaration=False)
                self.pkg.write(self.vml_part, (decl.group(0) if decl else b"") + body)


# --------------------------------------------------------------------------- the painter


class FilePainter:
    """Paints an annotation plan into a copy of an .xlsx/.xlsm file (see ``painter.Painter``)."""

    kind = "file"

    def __init__(self, path: str | Path, lang: str = "id"):
        self.path = Path(path)
        self.lang = lang
        self.pkg = Package(self.path)
        self.meta: dict[str, str] = {}
        self._workbook_part = self._find_workbook()
        if etree.QName(self.pkg.peek(self._workbook_part)).namespace != NS_MAIN:
            raise ValueError("Strict Open XML workbook (save it as 'Excel Workbook (*.xlsx)')")
        self._sheet_parts: dict[str, SheetPart] = {}
        self._notes: dict[str, Notes] = {}
        styles = next((t for _, typ, t in self.pkg.relationships(self._workbook_part) if typ == REL_STYLES), None)
        if styles is None:  # pragma: no cover - every Excel file has one
            raise ValueError("workbook without styles part")
        self.styles = Styles(self.pkg, styles)
        self._styles_before = self.styles.snapshot()
        self._vml_blocks: set[int] | None = None
        self._original_fills: set[int] = set()

    # ---------------------------------------------------------------- workbook structure

    def _find_workbook(self) -> str:
        for rel in self.pkg.peek("_rels/.rels").iter(q("Relationship", NS_PKG_REL)):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target").lstrip("/")
        return "xl/workbook.xml"

    def _sheets(self) -> list[tuple[etree._Element, str | None]]:
        """(``<sheet>`` element, part name) in tab order."""
        wb = self.pkg.peek(self._workbook_part)
        targets = {rid: t for rid, _, t in self.pkg.relationships(self._workbook_part)}
        sheets = wb.find(q("sheets"))
        return [(s, targets.get(s.get(q("id", NS_R)))) for s in sheets]

    def sheet_names(self) -> list[str]:
        return [s.get("name") for s, _ in self._sheets()]

    def _part_of(self, sheet: str) -> str | None:
        for s, part in self._sheets():
            if s.get("name") == sheet:
                return part
        return None

    def _sheet(self, name: str) -> SheetPart | None:
        if name not in self._sheet_parts:
            part = self._part_of(name)
            if part is None or not self.pkg.exists(part):
                return None
            root = self.pkg.peek(part)
            if etree.QName(root).localname != "worksheet":
                return None  # a chart sheet or dialog sheet has no cells
            self._sheet_parts[name] = SheetPart(self.pkg, part)
        return self._sheet_parts[name]

    def _notes_of(self, name: str) -> Notes:
        if name not in self._notes:
            sheet = self._sheet(name)
            self._notes[name] = Notes(self, name, sheet.part, sheet)
        return self._notes[name]

    def free_vml_block(self) -> int:
        """An ``o:idmap`` block number no VML drawing of the package uses yet."""
        if self._vml_blocks is None:
            self._vml_blocks = set()
            for name in self.pkg.names():
                if name.lower().endswith(".vml"):
                    data = self.pkg.read(name)
                    for m in re.finditer(rb'idmap[^>]*data="([^"]*)"', data):
                        self._vml_blocks.update(int(x) for x in re.findall(rb"\d+", m.group(1)))
        n = 1
        while n in self._vml_blocks:
            n += 1
        self._vml_blocks.add(n)
        return n

    # ---------------------------------------------------------------- state

    def load_state(self) -> AnnotationState | None:
        part = self._part_of(STATE_SHEET)
        if part is None or not self.pkg.exists(part):
            return None
        root = self.pkg.peek(part)
        shared = None
        if root.find(f".//{q('c')}[@t='s']") is not None:
            shared = self._shared_strings()
        rows = []
        for row in root.iter(q("row")):
            cells = SheetPart.cells(row)
            width = max((n for n, _ in cells), default=0)
            values: list[Any] = [None] * width
            for n, c in cells:
                values[n - 1] = cell_value(c, shared)
            rows.append(values)
        return AnnotationState.from_rows(rows)

    def _shared_strings(self) -> list[str]:
        part = next((t for _, typ, t in self.pkg.relationships(self._workbook_part) if typ == REL_SHARED_STRINGS), None)
        if part is None:
            return []
        root = self.pkg.peek(part)
        return ["".join(t.text or "" for t in si.iter(q("t")) if etree.QName(t.getparent()).localname != "rPh")
                for si in root.iterchildren(q("si"))]

    def save_state(self, state: AnnotationState) -> None:
        self.meta["styles_before"] = self._styles_before
        for fill_id in sorted(self._original_fills):
            self.meta[f"fill.{fill_id}"] = self.styles.fill_xml(fill_id)
        self.meta["styles_after"] = self.pkg.digest(self.styles.part)
        state.meta.update(self.meta)
        rows = state.to_rows()
        xml = [f'<worksheet xmlns="{NS_MAIN}"><sheetData>']
        for r, row in enumerate(rows, 1):
            xml.append(f'<row r="{r}">')
            for c, v in enumerate(row, 1):
                if v is None or v == "":
                    continue
                ref = f"{col_name(c)}{r}"
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    xml.append(f'<c r="{ref}"><v>{_num(v)}</v></c>')
                else:
                    xml.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(clean_text(str(v)))}</t></is></c>')
            xml.append("</row>")
        xml.append("</sheetData></worksheet>")
        self._add_sheet(STATE_SHEET, "".join(xml).encode("utf-8"), first=False, hidden=True)

    # ---------------------------------------------------------------- marks and values

    def _touch(self, sheet: SheetPart, name: str, ref: str) -> tuple[etree._Element, TouchedCell]:
        existed = sheet.find(ref)
        r, col = split_ref(ref)
        if existed is not None:
            style = existed.get("s")
            fill = f"xf:{style or ''}"
            base = int(style or 0)
        else:
            base = sheet.default_style(r, col)
        cell, how = sheet.get_or_create(ref)
        if how:
            fill = how
            if base:
                cell.set("s", str(base))
        fill_id = self.styles.fill_id(base)
        self._original_fills.add(fill_id)
        # the fill id lets clear put the very fill back after Excel renumbered the styles on a save
        rec = TouchedCell(sheet=name, cell=ref, fill=f"{fill}|f={fill_id}", fill_rgb=self.styles.fill_rgb(base))
        original = self._notes_of(name).original(ref)
        if original is not None:
            rec.note = _note_text(original)
            rec.note_raw = etree.tostring(original, encoding="unicode")
        return cell, rec

    def mark(self, marks: Sequence[CellMark]) -> list[TouchedCell]:
        out = []
        for m in marks:
            sheet = self._sheet(m.sheet)
            if sheet is None:
                continue
            cell, rec = self._touch(sheet, m.sheet, m.cell)
            if m.fill:
                cell.set("s", str(self.styles.with_fill(int(cell.get("s") or 0), m.fill)))
                rec.marked = True
            notes = self._notes_of(m.sheet)
            if rec.cell not in notes.threaded:  # rewriting the mirror note would detach the thread
                notes.set_note(rec.cell, combined_note(m.note, rec.note, self.lang))
                rec.noted = True
            out.append(rec)
        return out

    def write_values(self, values: Sequence[ValueWrite]) -> list[TouchedCell]:
        out = []
        for v in values:
            sheet = self._sheet(v.sheet)
            if sheet is None or not cell_is_empty(sheet.find(v.cell)):
                continue
            cell, rec = self._touch(sheet, v.sheet, v.cell)
            if cell.get("t"):  # e.g. openpyxl writes empty cells as t="n": put it back on clear
                rec.fill += f"|t={cell.get('t')}"
            set_value(cell, v.value)
            if v.number_format and v.number_format != "General":
                cell.set("s", str(self.styles.with_numfmt(int(cell.get("s") or 0), v.number_format)))
            rec.marked = True  # the format changed: restore the original xf on clear
            rec.value = v.value
            if v.note and rec.cell not in self._notes_of(v.sheet).threaded:
                self._notes_of(v.sheet).set_note(rec.cell, combined_note(v.note, rec.note, self.lang))
                rec.noted = True
            out.append(rec)
        return out

    # ---------------------------------------------------------------- our sheets

    def _add_sheet(self, name: str, xml: bytes, first: bool, hidden: bool = False) -> None:
        part = self.pkg.unique_name("xl/worksheets/sheet{}.xml")
        self.pkg.write(part, xml)
        self.pkg.add_override(part, CT_WORKSHEET)
        rid = self.pkg.add_relationship(self._workbook_part, REL_WORKSHEET, part)
        wb = self.pkg.xml(self._workbook_part)
        sheets = wb.find(q("sheets"))
        sheet_id = max((int(s.get("sheetId", 0)) for s in sheets), default=0) + 1
        el = etree.Element(q("sheet"), name=name, sheetId=str(sheet_id))
        if hidden:
            el.set("state", "hidden")
        el.set(q("id", NS_R), rid)
        if first:
            sheets.insert(0, el)
            self._shift_sheet_indices(+1, 0)
        else:
            sheets.append(el)

    def _shift_sheet_indices(self, delta: int, at: int) -> None:
        """Defined names and views that number sheets by position, after inserting/removing at ``at``."""
        wb = self.pkg.xml(self._workbook_part)
        names = wb.find(q("definedNames"))
        for dn in list(names if names is not None else []):
            lid = dn.get("localSheetId")
            if lid is None:
                continue
            if delta < 0 and int(lid) == at:
                names.remove(dn)
            elif int(lid) >= at:
                dn.set("localSheetId", str(int(lid) + delta))

    def write_findings_sheet(self, sheet: FindingsSheet) -> None:
        name = sheet.name
        taken = {n.lower() for n in self.sheet_names()}
        n = 2
        while name.lower() in taken:
            name = f"{sheet.name} {n}"
            n += 1
        self.meta["findings_sheet"] = name
        wb = self.pkg.xml(self._workbook_part)
        # the user's active sheet: remember it, unselect it, open on Temuan
        view = wb.find(f"{q('bookViews')}/{q('workbookView')}")
        if view is not None:
            self.meta["active_tab"] = view.get("activeTab", "-")
            self.meta["first_sheet"] = view.get("firstSheet", "-")
        selected = []
        for sname, part in [(s.get("name"), p) for s, p in self._sheets()]:
            if part is None or not self.pkg.exists(part) or sname == name:
                continue
            tree = self.pkg.parsed(part)
            if tree is not None:
                views = tree.find(q("sheetViews"))
                if views is None or not any(v.get("tabSelected") in ("1", "true") for v in views):
                    continue
            else:
                head = self.pkg.read(part)[:20000]  # sheetViews come before the cells
                if not re.search(rb"""tabSelected=["'](1|true)["']""", head):
                    continue
            root = self.pkg.xml(part)
            views = root.find(q("sheetViews"))
            for sv in (views if views is not None else []):
                if sv.get("tabSelected") in ("1", "true"):
                    sv.attrib.pop("tabSelected")
                    selected.append(sname)
        self.meta["tab_selected"] = "\n".join(selected)
        self._add_sheet(name, self._findings_xml(sheet, name), first=True)
        if view is not None:
            view.set("activeTab", "0")
            if view.get("firstSheet") is not None:
                view.set("firstSheet", "0")
        # the autofilter's hidden name, as Excel writes it
        names = wb.find(q("definedNames"))
        if names is None:
            names = etree.Element(q("definedNames"))
            # CT_Workbook order: sheets, functionGroups, externalReferences, definedNames, ...
            anchor = [el for el in wb if etree.QName(el).localname in ("sheets", "functionGroups", "externalReferences")]
            anchor[-1].addnext(names)
            self.meta["defined_names_created"] = "1"
        dn = etree.SubElement(names, q("definedName"), name="_xlnm._FilterDatabase", localSheetId="0", hidden="1")
        last = col_name(sheet.last_col + 1)
        dn.text = f"'{name.replace(chr(39), chr(39) * 2)}'!$A${sheet.header_row}:${last}${max(sheet.last_row, sheet.header_row)}"

    def _findings_xml(self, sheet: FindingsSheet, name: str) -> bytes:
        st = self.styles
        bold = st.font(bold=True)
        x_title = st.new_xf(font=st.font(bold=True, size=14), vertical=None)
        x_label = st.new_xf(font=bold)
        x_text = st.new_xf()
        x_wrap = st.new_xf(wrap=True)
        x_header = st.new_xf(font=bold, fill=HEADER_FILL, wrap=True, vertical="center")
        x_link = st.new_xf(font=st.font(color=LINK_COLOR, underline=True))
        fmt_xf: dict[Any, int] = {}

        def xf_for(fmt: str | None, fill: str | None = None) -> int:
            key = (fmt, fill)
            if key not in fmt_xf:
                fmt_xf[key] = st.new_xf(fill=fill, numfmt=fmt or "General")
            return fmt_xf[key]

        def cell(ref: str, value: Any, style: int) -> str:
            if value is None or value == "":
                return ""
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return f'<c r="{ref}" s="{style}"><v>{_num(value)}</v></c>'
            return (f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{escape(clean_text(str(value)))}</t></is></c>")

        hr = sheet.header_row
        last_row = max(sheet.last_row, hr)
        last_col = col_name(sheet.last_col + 1)
        out = [f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">',
               '<sheetPr><tabColor rgb="FFE69F00"/><pageSetUpPr fitToPage="1"/></sheetPr>',
               f'<dimension ref="A1:{last_col}{last_row}"/>',
               '<sheetViews><sheetView tabSelected="1" workbookViewId="0">',
               f'<pane ySplit="{hr}" topLeftCell="A{hr + 1}" activePane="bottomLeft" state="frozen"/>',
               f'<selection pane="bottomLeft" activeCell="A{hr + 1}" sqref="A{hr + 1}"/>',
               "</sheetView></sheetViews>", '<sheetFormatPr defaultRowHeight="15"/>', "<cols>"]
        for i, w in enumerate(sheet.widths, 1):
            out.append(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>')
        out.append("</cols><sheetData>")
        out.append(f'<row r="1">{cell("A1", sheet.title, x_title)}</row>')
        for i, ((label, value), fmt) in enumerate(zip(sheet.summary, sheet.summary_formats), 2):
            style = xf_for(fmt) if isinstance(value, (int, float)) else x_text
            lc, vc = col_name(sheet.summary_label_col + 1), col_name(sheet.summary_value_col + 1)
            out.append(f'<row r="{i}">{cell(f"{lc}{i}", label, x_label)}{cell(f"{vc}{i}", value, style)}</row>')
        out.append(f'<row r="{hr}">')
        for c, h in enumerate(sheet.header, 1):
            out.append(cell(f"{col_name(c)}{hr}", h, x_header))
        out.append("</row>")
        links = []
        for i, (values, fmts, link, sev) in enumerate(zip(sheet.rows, sheet.formats, sheet.links, sheet.severity_fills)):
            r = hr + 1 + i
            # wrapped messages: set the height, as neither Excel nor LibreOffice fits rows on opening
            width = sheet.widths[sheet.message_col] if sheet.message_col < len(sheet.widths) else 60
            lines = max(1, -(-len(str(values[sheet.message_col] or "")) // max(int(width * 1.1), 1)))
            out.append(f'<row r="{r}" ht="{15 * lines}" customHeight="1">' if lines > 1 else f'<row r="{r}">')
            for c, (v, fmt) in enumerate(zip(values, fmts)):
                ref = f"{col_name(c + 1)}{r}"
                if c == sheet.link_col and link:
                    style = x_link
                    links.append(f'<hyperlink ref="{ref}" location={quoteattr(link)} display={quoteattr(str(v or link))}/>')
                elif c == sheet.severity_col:
                    style = xf_for(None, sev)
                elif c == sheet.message_col:
                    style = x_wrap
                elif isinstance(v, (int, float)):
                    style = xf_for(fmt)
                else:
                    style = x_text
                out.append(cell(ref, v, style))
            out.append("</row>")
        out.append("</sheetData>")
        out.append(f'<autoFilter ref="A{hr}:{last_col}{last_row}"/>')
        if links:
            out.append("<hyperlinks>" + "".join(links) + "</hyperlinks>")
        out.append('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
        out.append('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
        out.append("</worksheet>")
        return "".join(out).encode("utf-8")

    # ---------------------------------------------------------------- clear

    def _remove_sheet(self, name: str) -> None:
        wb = self.pkg.xml(self._workbook_part)
        sheets = wb.find(q("sheets"))
        for index, (el, part) in enumerate(self._sheets()):
            if el.get("name") != name:
                continue
            rid = el.get(q("id", NS_R))
            sheets.remove(el)
            self._shift_sheet_indices(-1, index)
            self.pkg.remove_relationship(self._workbook_part, rid)
            if part:
                self.pkg.delete(part)  # our sheets have no relationships of their own
                self.pkg.delete(rels_name(part))
                self.pkg.remove_override(part)
            return

    def clear(self, state: AnnotationState) -> None:
        meta = state.meta
        own = state.painter == self.kind
        # exact: styles.xml is as we left it, so style indices and note XML recorded in the state still
        # hold. After a save in Excel (styles renumbered, parts rewritten) fills come back from the
        # recorded <fill> elements and notes from their text.
        exact = own and meta.get("styles_after") == self.pkg.digest(self.styles.part)
        for rec in state.cells:
            sheet = self._sheet(rec.sheet)
            if sheet is None:
                continue
            cell = sheet.find(rec.cell)
            if rec.noted:
                self._notes_of(rec.sheet).restore(rec.cell, rec.note_raw if exact else "", rec.note)
            if cell is None:
                continue
            kind, *extras = rec.fill.split("|")
            extra = dict(e.split("=", 1) for e in extras if "=" in e)
            if rec.value is not None and cell.find(q("f")) is None:
                current = cell_value(cell, self._shared_strings() if cell.get("t") == "s" else None)
                if current == rec.value or (isinstance(current, (int, float)) and isinstance(rec.value, (int, float))
                                            and abs(current - rec.value) < 1e-9):
                    for child in list(cell):
                        if etree.QName(child).localname in ("v", "is"):
                            cell.remove(child)
                    cell.attrib.pop("t", None)
                    if exact and "t" in extra:
                        cell.set("t", extra["t"])
            if not rec.marked:
                continue
            if exact and kind.startswith("xf:"):
                if kind[3:]:
                    cell.set("s", kind[3:])
                else:
                    cell.attrib.pop("s", None)
            elif exact and kind in ("new", "newrow"):
                cell.attrib.pop("s", None)
                r, col = split_ref(rec.cell)
                base = sheet.default_style(r, col)
                if base:
                    cell.set("s", str(base))
                sheet.remove_if_bare(cell, kind)
            elif own and meta.get(f"fill.{extra.get('f')}"):
                cell.set("s", str(self.styles.with_fill_xml(int(cell.get("s") or 0), meta[f"fill.{extra['f']}"])))
            elif rec.fill_rgb != "?":
                cell.set("s", str(self.styles.with_fill(int(cell.get("s") or 0), rec.fill_rgb or None)))
        if not exact:
            self._drop_empty_note_parts({rec.sheet for rec in state.cells if rec.noted})
        self._clear_note_parts(meta)
        for n in self._notes.values():
            n.flush()
        self._remove_sheet(meta.get("findings_sheet", FINDINGS_SHEET))
        self._remove_sheet(STATE_SHEET)
        wb = self.pkg.xml(self._workbook_part)
        names = wb.find(q("definedNames"))
        if names is not None and not len(names) and meta.get("defined_names_created") == "1":
            wb.remove(names)
        view = wb.find(f"{q('bookViews')}/{q('workbookView')}")
        if view is not None:
            for key, attr in (("active_tab", "activeTab"), ("first_sheet", "firstSheet")):
                value = meta.get(key)
                if value == "-":
                    view.attrib.pop(attr, None)
                elif value:
                    view.set(attr, value)
        for name in filter(None, meta.get("tab_selected", "").split("\n")):
            part = self._part_of(name)  # a worksheet or a chart sheet
            if part is not None and self.pkg.exists(part):
                sv = self.pkg.xml(part).find(f"{q('sheetViews')}/{q('sheetView')}")
                if sv is not None:
                    sv.set("tabSelected", "1")
        if own and meta.get("styles_after") and meta.get("styles_before") and \
                self.pkg.digest(self.styles.part) == meta["styles_after"]:
            self.styles.restore(meta["styles_before"])

    def _drop_empty_note_parts(self, sheets: set[str]) -> None:
        """After clearing a re-saved file: a comments part or VML drawing left without notes goes."""
        for name in sheets:
            sheet = self._sheet(name)
            if sheet is None:
                continue
            notes = self._notes_of(name)
            if notes.comments_part and self.pkg.exists(notes.comments_part):
                cl = self.pkg.peek(notes.comments_part).find(q("commentList"))
                if cl is not None and not len(cl):
                    for rid, typ, target in list(self.pkg.relationships(sheet.part)):
                        if target == notes.comments_part:
                            self.pkg.remove_relationship(sheet.part, rid)
                    self.pkg.delete(notes.comments_part)
                    self.pkg.remove_override(notes.comments_part)
                    notes.comments_part = None
            if notes.vml_part and self.pkg.exists(notes.vml_part):
                if notes._vml is None:
                    notes._vml = etree.fromstring(self.pkg.read(notes.vml_part), _VML_PARSER)
                if notes._vml.find(f".//{{{NS_V}}}shape") is None:
                    self.pkg.remove_relationship(sheet.part, notes.vml_rid)
                    sheet.set_legacy_drawing(None)
                    self.pkg.delete(notes.vml_part)
                    notes.vml_part = notes._vml = notes._shapes = None

    def _clear_note_parts(self, meta: dict[str, str]) -> None:
        for key, value in meta.items():
            kind, _, sheet_name = key.partition(":")
            if not sheet_name:
                continue
            sheet = self._sheet(sheet_name)
            if sheet is None:
                continue
            notes = self._notes_of(sheet_name)
            if kind == "author_added" and notes.comments_part and self.pkg.exists(notes.comments_part):
                root = self.pkg.xml(notes.comments_part)
                authors = root.find(q("authors"))
                if len(authors) and authors[-1].text == NOTE_AUTHOR:
                    last = str(len(authors) - 1)
                    if not any(c.get("authorId") == last for c in root.iter(q("comment"))):
                        authors.remove(authors[-1])
            elif kind == "comments_created" and self.pkg.exists(value):
                root = self.pkg.peek(value)
                if not len(root.find(q("commentList"))):
                    for rid, typ, target in list(self.pkg.relationships(sheet.part)):
                        if target == value:
                            self.pkg.remove_relationship(sheet.part, rid)
                    self.pkg.delete(value)
                    self.pkg.remove_override(value)
                    notes.comments_part = None
            elif kind == "vml_created" and self.pkg.exists(value):
                if notes._vml is None:
                    notes._vml = etree.fromstring(self.pkg.read(value), _VML_PARSER)
                if notes._vml.find(f".//{{{NS_V}}}shape") is None:
                    for rid, typ, target in list(self.pkg.relationships(sheet.part)):
                        if target == value:
                            self.pkg.remove_relationship(sheet.part, rid)
                    sheet.set_legacy_drawing(None)
                    self.pkg.delete(value)
                    notes.vml_part = None
                    notes._vml = None
                    notes._shapes = None
            elif kind == "vml_added" and notes.vml_part and self.pkg.exists(notes.vml_part):
                if notes._vml is None:
                    notes._vml = etree.fromstring(self.pkg.read(notes.vml_part), _VML_PARSER)
                vml = notes._vml
                shapetype = vml.find(f"{{{NS_V}}}shapetype[@id='_x0000_t202']")
                in_use = any(sh.get("type") == "#_x0000_t202" for sh in vml.iter(f"{{{NS_V}}}shape"))
                if "shapetype" in value and shapetype is not None and not in_use:
                    vml.remove(shapetype)
                    notes._vml_dirty = True
                layout = vml.find(f"{{{NS_O}}}shapelayout")
                if "layout" in value and layout is not None:
                    vml.remove(layout)
                    notes._vml_dirty = True
            elif kind == "idmap" and notes.vml_part:
                if notes._vml is None:
                    notes._vml = etree.fromstring(self.pkg.read(notes.vml_part), _VML_PARSER)
                idmap = notes._vml.find(f"{{{NS_O}}}shapelayout/{{{NS_O}}}idmap")
                if idmap is not None:
                    idmap.set("data", value)
                    notes._vml_dirty = True
        for key, value in meta.items():
            kind, _, sheet_name = key.partition(":")
            if kind == "rels_created":
                sheet = self._sheet(sheet_name)
                if sheet is not None:
                    rels = self.pkg.rels(sheet.part)
                    if rels is not None and not len(rels):
                        self.pkg.delete(rels_name(sheet.part))
        if meta.get("vml_default_added") == "1" and not any(n.lower().endswith(".vml") for n in self.pkg.names()):
            self.pkg.remove_default("vml")

    # ---------------------------------------------------------------- output

    def save(self, path: str | Path) -> Path:
        for n in self._notes.values():
            n.flush()
        return self.pkg.save(path)
