"""``FilePainter``: annotate an .xlsx/.xlsm file by patching only the parts it changes.

What changes, and nothing else (every other part is copied byte for byte,
still compressed):

- the styles part: fills and cell formats (``xf``) appended at the end; a
  marked cell gets a clone of its own ``xf`` with our fill, so its number
  format, font, borders, alignment and protection stay (a package without a
  styles part gets one);
- the sheets with marks or values: the ``s`` attribute of those cells (a
  ``<c>``, or its ``<row>``, is created in order when missing), the values we
  fill in, ``<legacyDrawing>`` when the sheet had no notes;
- the sheet that was active: only the bytes of its ``tabSelected`` attribute
  (a text edit, the rest of the part as its producer wrote it);
- their comments part and VML drawing (created, or extended with new shapes)
  plus the sheet's relationships and ``[Content_Types].xml``;
- the workbook part (found through ``_rels/.rels``) and its relationships:
  the ``Temuan`` sheet first, a hidden ``_kinerja_xl_state`` sheet last,
  ``localSheetId`` of defined names shifted by one, the active tab.

``clear`` undoes each of these from the state sheet, element by element
(which survives a save in Excel), and then gives every part that is still
exactly as we wrote it its original bytes back from the reverse patch kept
in the state (``bytepatch``): an annotated-then-cleared copy nobody edited
is the original, part for part, byte for byte.

The pieces: ``styles.Styles``, ``sheetxml.SheetPart`` (cells of one sheet),
``notes.Notes`` (comments + VML of one sheet), ``package.Package`` (the zip).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any, Sequence
from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from openpyxl.utils import get_column_letter as col_name  # 1 -> "A"

from kinerja_xl.writeback import bytepatch
from kinerja_xl.writeback.notes import Notes, _note_text
from kinerja_xl.writeback.package import (
    CT_WORKSHEET,
    NS_MAIN,
    NS_R,
    REL_WORKSHEET,
    Package,
    q,
    rels_name,
)
from kinerja_xl.writeback.plan import (
    FINDINGS_SHEET,
    HEADER_FILL,
    LINK_COLOR,
    STATE_SHEET,
    AnnotationState,
    CellMark,
    FindingsSheet,
    TouchedCell,
    ValueWrite,
    combined_note,
)
from kinerja_xl.writeback.sheetxml import (
    SheetPart,
    _num,
    add_tab_selected,
    cell_is_empty,
    cell_value,
    clean_text,
    drop_tab_selected,
    set_value,
    split_ref,
)
from kinerja_xl.writeback.styles import Styles

__all__ = ["FilePainter", "HEADER_FILL", "LINK_COLOR", "split_ref"]

REL_SHARED_STRINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
MINIMAL_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    b"</styleSheet>")


PATCH_KEY = "bytes:"  # meta key prefix: ``bytes:PART`` = digest as written + reverse patch (see ``bytepatch``)
MAX_PATCH = 4_000_000  # characters of state kept per part, at most (~125 cells)
_CELL_TEXT = 32000  # a state cell holds at most Excel's 32.767 characters: longer patches go over several keys


def byte_patches(pkg: Package) -> dict[str, str]:
    """``meta`` entries that let ``clear`` give each part we changed its original bytes back."""
    out = {}
    for name, new in pkg.changed_originals().items():
        pkg.write(name, new)  # serialised once: saving writes these very bytes
        patch = bytepatch.make(pkg.original(name), new)
        if len(patch) > MAX_PATCH:
            continue  # a part re-serialised throughout: clear restores it element by element instead
        text = f"{bytepatch.digest(new)} {patch}"
        for i in range(0, len(text), _CELL_TEXT):
            out[f"{PATCH_KEY}{name}" if i == 0 else f"{PATCH_KEY}{i // _CELL_TEXT}:{name}"] = text[i:i + _CELL_TEXT]
    return out


def original_bytes(pkg: Package, meta: dict[str, str]) -> dict[str, bytes]:
    """The original bytes of every part still exactly as we wrote it (a part edited since is left out)."""
    chunks: dict[str, dict[int, str]] = {}
    for key, value in meta.items():
        if not key.startswith(PATCH_KEY):
            continue
        rest = key[len(PATCH_KEY):]
        n, _, name = rest.partition(":")
        if n.isdigit() and name:
            chunks.setdefault(name, {})[int(n)] = value
        else:
            chunks.setdefault(rest, {})[0] = value
    out = {}
    for name, parts in chunks.items():
        text = "".join(parts[i] for i in sorted(parts))
        sha, _, patch = text.partition(" ")
        if not pkg.exists(name) or name not in {i.filename for i in pkg.infos}:
            continue
        current = pkg.original(name)
        if bytepatch.digest(current) != sha:
            continue
        try:
            out[name] = bytepatch.apply(current, patch)
        except ValueError:
            continue
    return out


def state_sheet_xml(rows: list[list[Any]]) -> bytes:
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
    return "".join(xml).encode("utf-8")


# --------------------------------------------------------------------------- the painter


class FilePainter:
    """Paints an annotation plan into a copy of an .xlsx/.xlsm file (see ``painter.Painter``)."""

    kind = "file"

    def __init__(self, path: str | Path, lang: str = "id"):
        self.path = Path(path)
        self.lang = lang
        self.pkg = Package(self.path)
        self.meta: dict[str, str] = {}
        self._workbook_part = self.pkg.workbook_part()
        self._sheet_parts: dict[str, SheetPart] = {}
        self._notes: dict[str, Notes] = {}
        styles = next((t for _, typ, t in self.pkg.relationships(self._workbook_part) if typ == REL_STYLES), None)
        if styles is None or not self.pkg.exists(styles):
            styles = self._add_styles_part(styles)
        self.styles = Styles(self.pkg, styles)
        self._styles_before = self.styles.snapshot()
        self._vml_blocks: set[int] | None = None
        self._original_fills: set[int] = set()

    # ---------------------------------------------------------------- workbook structure

    def _add_styles_part(self, target: str | None) -> str:
        """A package without a styles part (some generators write none): add the smallest one Excel accepts."""
        part = target or posixpath.join(posixpath.dirname(self._workbook_part), "styles.xml")
        if not target and self.pkg.exists(part):
            part = self.pkg.unique_name(part.replace("styles.xml", "styles{}.xml"))
        self.pkg.write(part, MINIMAL_STYLES)
        self.pkg.add_override(part, CT_STYLES)
        if target is None:
            self.pkg.add_relationship(self._workbook_part, REL_STYLES, part)
        self.meta["styles_created"] = part
        return part

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
        part = self._add_sheet(STATE_SHEET, b"", first=False, hidden=True)
        for n in self._notes.values():
            n.flush()
        self.meta.update(byte_patches(self.pkg))  # after the last change to any part but the state sheet
        state.meta.update(self.meta)
        self.pkg.write(part, state_sheet_xml(state.to_rows()))

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

    def _add_sheet(self, name: str, xml: bytes, first: bool, hidden: bool = False) -> str:
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
        return part

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
        selected = [sname for sname, part in self._sheets_with_parts() if sname != name and self._unselect_tab(part)]
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

    def _sheets_with_parts(self) -> list[tuple[str, str]]:
        return [(s.get("name"), p) for s, p in self._sheets() if p is not None and self.pkg.exists(p)]

    def _unselect_tab(self, part: str) -> bool:
        """Drop ``tabSelected`` from the sheet's views; True when it had one.

        A sheet we do not otherwise change gets a text edit of those bytes
        only (``sheetxml.drop_tab_selected``), so its part stays as its
        producer wrote it but for the attribute.
        """
        tree = self.pkg.parsed(part)
        if tree is None:
            data = self.pkg.read(part)
            edited, value = drop_tab_selected(data)
            if edited is not None:
                self.pkg.write(part, edited)
                if value != "1":
                    self.meta["tab_value"] = value  # LibreOffice and POI write "true": clear puts it back so
                return True
            if not re.search(rb"""tabSelected\s*=\s*["'](1|true)["']""", data[:20000]):
                return False  # "0"/"false" (LibreOffice writes those on every other sheet) or none
            tree = self.pkg.xml(part)  # an encoding or layout the text edit does not handle: edit the tree
        views = self.pkg.xml(part).find(q("sheetViews"))
        found = False
        for sv in (views if views is not None else []):
            if sv.get("tabSelected") in ("1", "true"):
                if sv.get("tabSelected") != "1":
                    self.meta["tab_value"] = sv.get("tabSelected")
                sv.attrib.pop("tabSelected")
                found = True
        return found

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
        """Undo element by element (that survives a save in Excel), then give every part still
        exactly as we wrote it its original bytes back (``byte_patches``)."""
        meta = state.meta
        own = state.painter == self.kind
        # exact: styles.xml is as we left it, so style indices and note XML recorded in the state still
        # hold. After a save in Excel (styles renumbered, parts rewritten) fills come back from the
        # recorded <fill> elements and notes from their text.
        exact = own and meta.get("styles_after") == self.pkg.digest(self.styles.part)
        originals = original_bytes(self.pkg, meta) if own else {}
        for rec in state.cells:
            self._clear_cell(rec, meta, own, exact)
        if not exact:
            self._drop_empty_note_parts({rec.sheet for rec in state.cells if rec.noted})
        self._clear_note_parts(meta)
        for n in self._notes.values():
            n.flush()
        self._remove_sheet(meta.get("findings_sheet", FINDINGS_SHEET))
        self._remove_sheet(STATE_SHEET)
        self._restore_workbook_view(meta)
        self._restore_tab_selected(meta, set(originals))
        if own:
            self._restore_styles(meta)
        for name, data in originals.items():
            self.pkg.write(name, data)

    def _clear_cell(self, rec: TouchedCell, meta: dict[str, str], own: bool, exact: bool) -> None:
        sheet = self._sheet(rec.sheet)
        if sheet is None:
            return
        cell = sheet.find(rec.cell)
        if rec.noted:
            self._notes_of(rec.sheet).restore(rec.cell, rec.note_raw if exact else "", rec.note)
        if cell is None:
            return
        kind, *extras = rec.fill.split("|")
        extra = dict(e.split("=", 1) for e in extras if "=" in e)
        if rec.value is not None and cell.find(q("f")) is None:
            self._clear_value(cell, rec.value, extra.get("t") if exact else None)
        if rec.marked:
            self._restore_look(sheet, cell, rec, kind, extra, meta, own, exact)

    def _clear_value(self, cell: etree._Element, written: Any, original_type: str | None) -> None:
        """Empty a cell we filled in, unless the user has typed something else there since."""
        current = cell_value(cell, self._shared_strings() if cell.get("t") == "s" else None)
        same = current == written or (isinstance(current, (int, float)) and isinstance(written, (int, float))
                                      and abs(current - written) < 1e-9)
        if not same:
            return
        for child in list(cell):
            if etree.QName(child).localname in ("v", "is"):
                cell.remove(child)
        cell.attrib.pop("t", None)
        if original_type:
            cell.set("t", original_type)

    def _restore_look(self, sheet: SheetPart, cell: etree._Element, rec: TouchedCell, kind: str,
                      extra: dict[str, str], meta: dict[str, str], own: bool, exact: bool) -> None:
        if exact and kind.startswith("xf:"):
            if kind[3:]:
                cell.set("s", kind[3:])
            else:
                cell.attrib.pop("s", None)
        elif exact and kind in ("new", "newrow"):
            cell.attrib.pop("s", None)
            base = sheet.default_style(*split_ref(rec.cell))
            if base:
                cell.set("s", str(base))
            sheet.remove_if_bare(cell, kind)
        elif own and meta.get(f"fill.{extra.get('f')}"):
            cell.set("s", str(self.styles.with_fill_xml(int(cell.get("s") or 0), meta[f"fill.{extra['f']}"])))
        elif rec.fill_rgb != "?":
            cell.set("s", str(self.styles.with_fill(int(cell.get("s") or 0), rec.fill_rgb or None)))

    def _restore_workbook_view(self, meta: dict[str, str]) -> None:
        wb = self.pkg.xml(self._workbook_part)
        names = wb.find(q("definedNames"))
        if names is not None and not len(names) and meta.get("defined_names_created") == "1":
            wb.remove(names)
        view = wb.find(f"{q('bookViews')}/{q('workbookView')}")
        if view is None:
            return
        for key, attr in (("active_tab", "activeTab"), ("first_sheet", "firstSheet")):
            value = meta.get(key)
            if value == "-":
                view.attrib.pop(attr, None)
            elif value:
                view.set(attr, value)

    def _restore_tab_selected(self, meta: dict[str, str], exact_parts: set[str]) -> None:
        value = meta.get("tab_value", "1")
        for name in filter(None, meta.get("tab_selected", "").split("\n")):
            part = self._part_of(name)  # a worksheet or a chart sheet
            if part is None or part in exact_parts or not self.pkg.exists(part):
                continue
            if self.pkg.parsed(part) is None:
                edited = add_tab_selected(self.pkg.read(part), value)
                if edited is not None:
                    self.pkg.write(part, edited)
                    continue
            sv = self.pkg.xml(part).find(f"{q('sheetViews')}/{q('sheetView')}")
            if sv is not None:
                sv.set("tabSelected", value)

    def _restore_styles(self, meta: dict[str, str]) -> None:
        """Cut the appended styles off again when nobody has changed the styles part since."""
        if not meta.get("styles_after") or self.pkg.digest(self.styles.part) != meta["styles_after"]:
            return
        created = meta.get("styles_created")
        if created and created == self.styles.part:
            for rid, typ, target in list(self.pkg.relationships(self._workbook_part)):
                if target == created:
                    self.pkg.remove_relationship(self._workbook_part, rid)
            self.pkg.delete(created)
            self.pkg.remove_override(created)
        elif meta.get("styles_before"):
            self.styles.restore(meta["styles_before"])

    def _drop_empty_note_parts(self, sheets: set[str]) -> None:
        """After clearing a re-saved file: a comments part or VML drawing left without notes goes."""
        for name in sheets:
            if self._sheet(name) is None:
                continue
            notes = self._notes_of(name)
            notes.drop_comments_if_empty(notes.comments_part)
            notes.drop_vml_if_empty(notes.vml_part)

    def _clear_note_parts(self, meta: dict[str, str]) -> None:
        undo = {"author_added": Notes.undo_author, "comments_created": Notes.drop_comments_if_empty,
                "vml_created": Notes.drop_vml_if_empty, "vml_added": Notes.undo_vml_additions,
                "idmap": Notes.restore_idmap}
        for key, value in meta.items():
            kind, _, sheet_name = key.partition(":")
            if kind in undo and sheet_name and self._sheet(sheet_name) is not None:
                undo[kind](self._notes_of(sheet_name), value)
        for key in meta:
            kind, _, sheet_name = key.partition(":")
            sheet = self._sheet(sheet_name) if kind == "rels_created" else None
            if sheet is not None:
                rels = self.pkg.rels(sheet.part)
                if rels is not None and not len(rels):
                    self.pkg.delete(rels_name(sheet.part))
        if meta.get("vml_default_added") == "1" and not self.pkg.relies_on_default("vml"):
            self.pkg.remove_default("vml")

    # ---------------------------------------------------------------- output

    def save(self, path: str | Path) -> Path:
        for n in self._notes.values():
            n.flush()
        return self.pkg.save(path)
