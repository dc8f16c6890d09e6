"""``Styles``: fills, fonts, number formats and cell formats appended to a package's styles part.

Only appends (and, on clear, cuts back to the recorded counts), so every
style index the workbook already uses keeps its meaning.
"""

from __future__ import annotations

import copy
from typing import Any

from lxml import etree

from kinerja_xl.writeback.package import Package, parse_xml, q
from kinerja_xl.writeback.sheetxml import _num

BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}



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
