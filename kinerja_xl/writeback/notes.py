"""``Notes``: the comments part and VML drawing of one sheet, created on first use,
extended with our notes and restored on clear."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from lxml import etree

from kinerja_xl.writeback.package import (
    CT_COMMENTS,
    CT_VML,
    NS_MAIN,
    NS_R,
    REL_COMMENTS,
    REL_VML,
    parse_xml,
    q,
)
from kinerja_xl.writeback.plan import NOTE_AUTHOR
from kinerja_xl.writeback.sheetxml import SheetPart, clean_text, split_ref

if TYPE_CHECKING:  # pragma: no cover
    from kinerja_xl.writeback.files import FilePainter

NS_V = "urn:schemas-microsoft-com:vml"
NS_O = "urn:schemas-microsoft-com:office:office"
NS_X = "urn:schemas-microsoft-com:office:excel"



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

    # ------------------------------------------------ undoing what _ensure added

    def _load_vml(self, part: str) -> etree._Element:
        if self._vml is None:
            self._vml = etree.fromstring(self.pkg.read(part), _VML_PARSER)
        return self._vml

    def _unlink(self, target: str) -> None:
        for rid, typ, t in list(self.pkg.relationships(self.part)):
            if t == target:
                self.pkg.remove_relationship(self.part, rid)

    def undo_author(self, _value: str = "") -> None:
        """Remove the author we appended, unless a note still names it."""
        if not self.comments_part or not self.pkg.exists(self.comments_part):
            return
        root = self.pkg.xml(self.comments_part)
        authors = root.find(q("authors"))
        if authors is not None and len(authors) and authors[-1].text == NOTE_AUTHOR:
            last = str(len(authors) - 1)
            if not any(c.get("authorId") == last for c in root.iter(q("comment"))):
                authors.remove(authors[-1])

    def drop_comments_if_empty(self, part: str | None) -> None:
        if not part or not self.pkg.exists(part):
            return
        cl = self.pkg.peek(part).find(q("commentList"))
        if cl is None or len(cl):
            return
        self._unlink(part)
        self.pkg.delete(part)
        self.pkg.remove_override(part)
        if part == self.comments_part:
            self.comments_part = None

    def drop_vml_if_empty(self, part: str | None) -> None:
        if not part or not self.pkg.exists(part) or part != self.vml_part and self.vml_part is not None:
            return
        if self._load_vml(part).find(f".//{{{NS_V}}}shape") is not None:
            return
        self._unlink(part)
        self.sheet_xml.set_legacy_drawing(None)
        self.pkg.delete(part)
        self.vml_part = self._vml = self._shapes = None

    def undo_vml_additions(self, value: str) -> None:
        """Remove the note shape type / shape layout we added to a drawing of form controls."""
        if not self.vml_part or not self.pkg.exists(self.vml_part):
            return
        vml = self._load_vml(self.vml_part)
        shapetype = vml.find(f"{{{NS_V}}}shapetype[@id='_x0000_t202']")
        in_use = any(sh.get("type") == "#_x0000_t202" for sh in vml.iter(f"{{{NS_V}}}shape"))
        if "shapetype" in value and shapetype is not None and not in_use:
            vml.remove(shapetype)
            self._vml_dirty = True
        layout = vml.find(f"{{{NS_O}}}shapelayout")
        if "layout" in value and layout is not None:
            vml.remove(layout)
            self._vml_dirty = True

    def restore_idmap(self, value: str) -> None:
        if not self.vml_part:
            return
        idmap = self._load_vml(self.vml_part).find(f"{{{NS_O}}}shapelayout/{{{NS_O}}}idmap")
        if idmap is not None:
            idmap.set("data", value)
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
