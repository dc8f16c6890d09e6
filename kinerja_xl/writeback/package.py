"""An .xlsx/.xlsm package opened for patching: parts we change are parsed with
lxml and re-serialised (keeping their byte-order mark and XML declaration) or
edited as bytes; every other part is written back byte for byte.

Paths are part names inside the zip (``xl/worksheets/sheet1.xml``), without
a leading slash. Relationship targets are resolved relative to their source
part, as OPC says.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Iterator

from lxml import etree
from kinerja_xl.i18n import N_, LocalisedError

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
REL_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
REL_VML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
_DECL = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\?>\s*")  # byte-order mark and declaration kept as they were
_BOM = b"\xef\xbb\xbf"


class UnwritablePackage(LocalisedError):
    """A package we can read but cannot write an annotated copy of; the message says why."""


def q(tag: str, ns: str = NS_MAIN) -> str:
    return f"{{{ns}}}{tag}"


def parse_xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def rels_name(part: str) -> str:
    """``xl/worksheets/sheet1.xml`` -> ``xl/worksheets/_rels/sheet1.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative(source_part: str, target_part: str) -> str:
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


def _copy_raw(zin: zipfile.ZipFile, zout: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Copy one entry's compressed bytes as they are (no inflate/deflate); False when it cannot be done safely.

    zipfile has no public API for this, so it uses the writer's documented
    layout: local header, data, then ``start_dir`` past it, and the entry in
    ``filelist`` for the central directory written on close.
    """
    import struct

    if (info.flag_bits & 0x01 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            or info.compress_size >= 0xFFFFFFFF or info.file_size >= 0xFFFFFFFF or zout._seekable is False):
        return False
    fp = zin.fp
    fp.seek(info.header_offset)
    header = fp.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        return False
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    data = fp.read(info.compress_size)
    if len(data) != info.compress_size:
        return False
    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    zi.compress_type = info.compress_type
    zi.external_attr = info.external_attr
    zi.create_system = info.create_system
    zi.flag_bits = info.flag_bits & ~0x08  # sizes go in the header: no data descriptor after the data
    zi.CRC, zi.compress_size, zi.file_size = info.CRC, info.compress_size, info.file_size
    zi.header_offset = zout.fp.tell()
    zout.fp.write(zi.FileHeader(zip64=False))
    zout.fp.write(data)
    zout.filelist.append(zi)
    zout.NameToInfo[zi.filename] = zi
    zout.start_dir = zout.fp.tell()
    zout._didModify = True
    return True


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it; put it straight back
    os.umask(mask)
    return mask


class Package:
    """The parts of one package; ``xml(name)`` parses on first use and marks the part for re-serialising."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._zf: zipfile.ZipFile | None = zipfile.ZipFile(self.path)
        self.infos = self._zf.infolist()
        self._info = {i.filename: i for i in self.infos}
        self._raw: dict[str, bytes] = {}  # parts decompressed so far (untouched parts never are)
        self._trees: dict[str, etree._Element] = {}
        self._peeked: dict[str, etree._Element] = {}  # parsed for reading; adopted by xml() without parsing again
        self._decl: dict[str, bytes] = {}
        self._new: dict[str, bytes] = {}  # parts written as bytes (new or replaced)
        self._deleted: set[str] = set()

    # ---------------------------------------------------------------- parts

    def names(self) -> list[str]:
        out = [i.filename for i in self.infos if i.filename not in self._deleted]
        out += [n for n in self._new if n not in out]
        out += [n for n in self._trees if n not in out]
        return out

    def exists(self, name: str) -> bool:
        return name in self.names()

    def read(self, name: str) -> bytes:
        if name in self._trees:
            return self._serialise(name)
        if name in self._new:
            return self._new[name]
        if name in self._deleted or name not in self._info:
            raise KeyError(name)
        if name not in self._raw:
            self._raw[name] = self._source().read(name)
        return self._raw[name]

    def _source(self) -> zipfile.ZipFile:
        if self._zf is None:
            self._zf = zipfile.ZipFile(self.path)
        return self._zf

    def close(self) -> None:
        if self._zf is not None:
            self._zf.close()
            self._zf = None

    def original(self, name: str) -> bytes | None:
        """The part's bytes as the package on disk holds them (None: a part we added)."""
        if name not in self._info:
            return None
        if name not in self._raw:
            self._raw[name] = self._source().read(name)
        return self._raw[name]

    def changed_originals(self) -> dict[str, bytes]:
        """Parts of the package on disk whose bytes we changed (deleted ones not included), and their new bytes."""
        out = {}
        for info in self.infos:
            name = info.filename
            if self._changed(name) and name not in self._deleted:
                data = self.read(name)
                if data != self.original(name):
                    out[name] = data
        return out

    def _changed(self, name: str) -> bool:
        return name in self._trees or name in self._new

    def xml(self, name: str) -> etree._Element:
        """Parsed root of a part, changes to which are saved."""
        if name not in self._trees:
            data = self.read(name)
            m = _DECL.match(data)
            self._decl[name] = m.group(0) if m else (_BOM if data.startswith(_BOM) else b"")
            self._trees[name] = self._peeked.pop(name, None)
            if self._trees[name] is None:
                self._trees[name] = parse_xml(data)
            self._new.pop(name, None)
        return self._trees[name]

    def peek(self, name: str) -> etree._Element:
        """Parsed root without marking the part changed (read only: changes made to it are lost
        unless ``xml(name)`` is called, which adopts this same tree)."""
        if name in self._trees:
            return self._trees[name]
        if name not in self._peeked:
            self._peeked[name] = parse_xml(self.read(name))
        return self._peeked[name]

    def parsed(self, name: str) -> etree._Element | None:
        """The part's tree when it is parsed already (reading it as bytes would serialise it)."""
        return self._trees.get(name, self._peeked.get(name))

    def write(self, name: str, data: bytes) -> None:
        self._trees.pop(name, None)
        self._peeked.pop(name, None)
        self._deleted.discard(name)
        self._new[name] = data

    def set_xml(self, name: str, root: etree._Element, decl: bytes | None = None) -> None:
        self._new.pop(name, None)
        self._peeked.pop(name, None)
        self._deleted.discard(name)
        self._trees[name] = root
        self._decl[name] = decl or b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

    def delete(self, name: str) -> None:
        self._trees.pop(name, None)
        self._peeked.pop(name, None)
        self._new.pop(name, None)
        if name in self._info:
            self._deleted.add(name)

    def _serialise(self, name: str) -> bytes:
        return self._decl[name] + etree.tostring(self._trees[name], encoding="UTF-8")

    def digest(self, name: str) -> str:
        return hashlib.sha256(self.read(name)).hexdigest()[:32]

    def unique_name(self, pattern: str) -> str:
        """First free ``pattern.format(n)`` for n = 1, 2, ..."""
        taken = {n.lower() for n in self.names()}
        n = 1
        while pattern.format(n).lower() in taken:
            n += 1
        return pattern.format(n)

    # ---------------------------------------------------------------- relationships

    def workbook_part(self) -> str:
        """The workbook part, found as OPC says: ``_rels/.rels``' officeDocument relationship.

        Most producers put it at ``xl/workbook.xml``, but not all. A Strict
        Open XML workbook (other namespaces throughout) is refused with a
        plain message: patching it with transitional names would damage it.
        """
        part = None
        if self.exists("_rels/.rels"):
            for rel in self.peek("_rels/.rels").iter(q("Relationship", NS_PKG_REL)):
                if rel.get("Type", "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
                    part = resolve("", rel.get("Target", ""))
                    break
        if part is None or not self.exists(part):
            part = "xl/workbook.xml" if self.exists("xl/workbook.xml") else None
        if part is None:
            raise UnwritablePackage(
                N_("{file}: bagian buku kerja tidak ditemukan di berkas ini; salinan bertanda tidak dapat ditulis."), file=str(self.path.name))
        if etree.QName(self.peek(part)).namespace != NS_MAIN:
            raise UnwritablePackage(
                N_("{file}: berkas ini disimpan dalam format Strict Open XML, sehingga salinan bertanda tidak dapat ditulis. Buka di Excel, simpan sebagai \"Excel Workbook (*.xlsx)\", lalu periksa lagi."), file=str(self.path.name))
        return part

    def rels(self, part: str, create: bool = False) -> etree._Element | None:
        name = rels_name(part)
        if self.exists(name):
            return self.xml(name)
        if not create:
            return None
        root = etree.Element(q("Relationships", NS_PKG_REL), nsmap={None: NS_PKG_REL})
        self.set_xml(name, root)
        return root

    def relationships(self, part: str) -> Iterator[tuple[str, str, str]]:
        """(id, type, resolved target part) of ``part``'s relationships (external ones skipped)."""
        name = rels_name(part)
        if not self.exists(name):
            return
        for rel in self.peek(name).iter(q("Relationship", NS_PKG_REL)):
            if rel.get("TargetMode") == "External":
                continue
            yield rel.get("Id"), rel.get("Type"), resolve(part, rel.get("Target", ""))

    def add_relationship(self, part: str, rel_type: str, target_part: str) -> str:
        root = self.rels(part, create=True)
        ids = {r.get("Id") for r in root}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        etree.SubElement(root, q("Relationship", NS_PKG_REL), Id=rid, Type=rel_type, Target=relative(part, target_part))
        return rid

    def remove_relationship(self, part: str, rid: str) -> None:
        root = self.rels(part)
        if root is None:
            return
        for rel in list(root):
            if rel.get("Id") == rid:
                root.remove(rel)

    # ---------------------------------------------------------------- content types

    def content_types(self) -> etree._Element:
        return self.xml("[Content_Types].xml")

    def add_override(self, part: str, content_type: str) -> None:
        root = self.content_types()
        etree.SubElement(root, q("Override", NS_CT), PartName="/" + part, ContentType=content_type)

    def remove_override(self, part: str) -> None:
        root = self.content_types()
        for el in list(root):
            if el.tag == q("Override", NS_CT) and el.get("PartName", "").lstrip("/").lower() == part.lower():
                root.remove(el)

    def ensure_default(self, ext: str, content_type: str) -> bool:
        """Add a ``Default`` for ``ext``; True when it was added (absent before)."""
        root = self.peek("[Content_Types].xml")
        for el in root.iter(q("Default", NS_CT)):
            if el.get("Extension", "").lower() == ext.lower():
                return False
        root = self.content_types()
        first_override = root.find(q("Override", NS_CT))
        el = etree.Element(q("Default", NS_CT), Extension=ext, ContentType=content_type)
        if first_override is not None:
            first_override.addprevious(el)
        else:
            root.append(el)
        return True

    def relies_on_default(self, ext: str) -> bool:
        """Whether a part ending in ``.ext`` has no ``Override`` of its own (so needs the ``Default``)."""
        root = self.peek("[Content_Types].xml")
        overridden = {el.get("PartName", "").lstrip("/").lower() for el in root.iter(q("Override", NS_CT))}
        return any(n.lower().endswith("." + ext.lower()) and n.lower() not in overridden for n in self.names())

    def remove_default(self, ext: str) -> None:
        root = self.content_types()
        for el in list(root):
            if el.tag == q("Default", NS_CT) and el.get("Extension", "").lower() == ext.lower():
                root.remove(el)

    # ---------------------------------------------------------------- saving

    def save(self, out: str | Path) -> Path:
        """Write the package to ``out`` through a temp file in the same folder and an atomic rename."""
        out = Path(out)
        fd, tmp = tempfile.mkstemp(prefix="." + out.stem + ".", suffix=".tmp", dir=out.parent)
        os.close(fd)
        try:
            # mkstemp makes the file private (0600); colleagues on a shared folder must open the copy too
            # (a file written over keeps its own permissions)
            os.chmod(tmp, out.stat().st_mode & 0o7777 if out.is_file() else 0o666 & ~_umask())
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
                written = set()
                for info in self.infos:
                    name = info.filename
                    if name in self._deleted:
                        continue
                    written.add(name)
                    if not self._changed(name) and _copy_raw(self._source(), zout, info):
                        continue  # byte for byte, not even recompressed
                    zi = zipfile.ZipInfo(name, date_time=info.date_time)
                    zi.compress_type = info.compress_type
                    zi.external_attr = info.external_attr
                    zout.writestr(zi, self.read(name))
                stamp = self.infos[0].date_time if self.infos else (1980, 1, 1, 0, 0, 0)
                for name in self.names():
                    if name not in written:
                        zi = zipfile.ZipInfo(name, date_time=stamp)
                        zi.compress_type = zipfile.ZIP_DEFLATED
                        zout.writestr(zi, self.read(name))
            self.close()  # Windows cannot replace a file that is still open
            os.replace(tmp, out)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return out
