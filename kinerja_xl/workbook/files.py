"""Workbook files on disk: .xlsx / .xlsm (and .xls, .xlsb, .ods through calamine).

Values come from python-calamine (≈10× faster than openpyxl). Calamine reads a
formula saved without a cached value as ``''``, the same as an empty cell, so
formula cells are found from the sheet XML itself and reported instead of
being treated as zero.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import struct
import zipfile
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kinerja_xl import engine_codes as codes
from kinerja_xl.workbook import SheetData, WorkbookError
from kinerja_xl.workbook.safety import (
    XLS,
    XLSX,
    Limits,
    check_package,
    unopenable,
    main_part,
    part_info,
    part_infos,
    read_part,
)
from kinerja_xl.i18n import N_, NP_, Message

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# Strict Open XML (ISO/IEC 29500 Strict, "Strict Open XML Spreadsheet" in Excel's Save As)
_NS_MAIN_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_NS_REL_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_MAIN_NAMESPACES = (_NS_MAIN, _NS_MAIN_STRICT)


def _col_index(ref: str) -> tuple[int, int]:
    """'E12' -> (11, 4) zero-based."""
    i = 0
    col = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + (ord(ref[i].upper()) - 64)
        i += 1
    return int(ref[i:]) - 1, col - 1


def _rels_of(part: str) -> str:
    """'xl/workbook.xml' -> 'xl/_rels/workbook.xml.rels'."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part name inside the package (``xl/worksheets/sheet1.xml``).

    The workbook part is found through the package's relationships (not always
    ``xl/workbook.xml``); Strict Open XML's namespaces are read like the transitional ones.
    """
    workbook = main_part(zf)
    sheet_tags = {f"{{{ns}}}sheet" for ns in _MAIN_NAMESPACES}
    sheets = _elements(read_part(zf, workbook), sheet_tags)
    rels = _elements(read_part(zf, _rels_of(workbook)), {f"{{{_NS_PKG_REL}}}Relationship"})
    folder = posixpath.dirname(workbook)
    targets = {}
    for _, rel in rels:
        target = rel.get("Target", "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join(folder, target))
        targets[rel.get("Id")] = part
    out = {}
    for ns_main, ns_rel in ((_NS_MAIN, _NS_REL), (_NS_MAIN_STRICT, _NS_REL_STRICT)):
        for tag, sheet in sheets:
            if tag == f"{{{ns_main}}}sheet":
                rid = sheet.get(f"{{{ns_rel}}}id")
                if rid in targets:
                    out[sheet.get("name")] = targets[rid]
    return out


def _elements(xml: bytes, tags: AbstractSet[str]) -> list[tuple[str, dict[str, str]]]:
    """(tag, attributes) of each element of ``xml`` whose tag is in ``tags``, in document order,
    tags and attribute names as ElementTree writes them (``{namespace}name``).

    Parsed by expat itself: no tree is built, and neither ElementTree nor defusedxml is imported
    (~3 ms of the first file a process reads). Entity declarations and external entities are
    refused, as defusedxml refuses them (``check_package`` has refused any DTD already); a
    malformed part raises SyntaxError, as ElementTree's ParseError is one.
    """
    from xml.parsers import expat

    out: list[tuple[str, dict[str, str]]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = "{" + name if "}" in name else name
        if tag in tags:
            out.append((tag, {("{" + k if "}" in k else k): v for k, v in attrs.items()}))

    def refuse(*_: Any) -> None:
        raise ValueError("entities are not read")  # as defusedxml's EntitiesForbidden, a ValueError

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise SyntaxError(str(exc)) from exc
    return out


def scan_formulas(xml: bytes) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(formula cells, formula cells without a cached value) of one sheet part."""
    if b"<f" not in xml and b":f" not in xml:
        return set(), set()
    # Parsing the whole sheet with lxml costs ~1,3 s and ~0,7 GB for 100.000
    # rows; searching the bytes for formula tags finds the same cells in ~0,2 s.
    return _scan_formulas_bytes(xml) or _scan_formulas_lxml(xml)


_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
_REF = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_A1 = re.compile(rb"([A-Za-z]{1,3})([0-9]+)")
# <c r="F8" s="4"><f>D8-E8</f><v>5</v></c>: groups column, row, other attributes, and a value that is empty or missing
_PLAIN_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"([^>]*)(?<!/)><f(?:\s[^>]*)?(?:/>|>[^<]*</f>)(?:<v>[^<]|<is>|(<v></v>|<v/>|</c>))')
# Excel saves a formula whose result is "" (=IF(A1="";"";…)) as t="str" with an
# empty <v>: a computed empty text, not a missing value. openpyxl writes no t.
_STR_RESULT = re.compile(rb"""\st\s*=\s*["']str["']""")


def _plain_prefix(xml: bytes) -> bytes | None:
    """The main namespace's prefix (b"" when it is the default), or None where the text is not in
    the plain form spreadsheet writers produce (a comment, CDATA or DTD; the main namespace not
    bound once on the root)."""
    if b"<!" in xml:  # a comment, CDATA or DOCTYPE could hide or fake tags
        return None
    root = _ROOT.search(xml)
    if root is None:
        return None
    prefix = root.group(1) or b""
    xmlns = b"xmlns:" + prefix if prefix else b"xmlns"
    root_tag = xml[root.start():xml.find(b">", root.start())]
    if xml.count(xmlns + b"=") != 1 or not any(xmlns + b'="' + ns.encode() + b'"' in root_tag for ns in _MAIN_NAMESPACES):
        return None
    return prefix


# A '<f' that is not a formula element followed by its value (or an inline string), as writers put
# them: an empty value or none (never computed), or something else. The tail of _PLAIN_FORMULA_CELL
# without the cell's start tag. Searched for, not matched at every '<f' (findall): no object per
# formula, 39 -> 24 ms a 100.000-row sheet under the GIL, which the reading thread shares.
_NOT_CACHED = re.compile(rb"<f(?!(?:\s[^>]*)?(?:/>|>[^<]*</f>)(?:<v>[^<]|<is>))")


def all_cached(xml: bytes) -> bool:
    """Does every formula of a sheet part have a cached value (so no cell is KX101)?

    Answered without locating the cells, which is most of ``scan_formulas``' cost (a 100.000-row
    sheet with a formula on every row: ~0,21 s -> ~0,06 s): True only where each '<f' is a formula
    element directly followed by a value or an inline string; anything else is for ``scan_formulas``.
    """
    if b"<f" not in xml or _plain_prefix(xml) != b"":
        return False
    return _NOT_CACHED.search(xml) is None


def _open_part(zf: zipfile.ZipFile, name: str):
    """A part as a stream (``read(n)``, ``read()``): a deflated part inflated by ``_PartStream``, any other
    (stored, encrypted, another method) by zipfile."""
    info = part_info(zf, name)
    if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x1 and isinstance(zf.filename, str):
        try:
            return _PartStream(zf.filename, info)
        except OSError as exc:  # gone since calamine read it (an audit's folder changing meanwhile)
            raise unopenable(Path(zf.filename), exc) from exc
    return zf.open(info)


def _read_big_part(zf: zipfile.ZipFile, name: str) -> bytes:
    """A sheet part whole, inflated as ``_open_part`` does."""
    with _open_part(zf, name) as fh:
        return fh.read()


try:  # ISA-L inflates ~3× and checks the CRC ~15× faster than zlib: a 26 MB sheet part ~77 -> ~21 ms CPU,
    # on the core calamine parses the same sheet on (both scans run side by side, see FileWorkbook.read_sheet)
    from isal import isal_zlib as _inflating
except ImportError:  # no wheel for this platform: the standard library's zlib, which zipfile uses
    import zlib as _inflating

_LOCAL_HEADER = struct.Struct("<4s22xHH")  # a zip entry's local header: its signature, then file name and extra lengths
_RAW_CHUNK = 1 << 18  # compressed bytes read from the file at a time


class _PartStream:
    """A deflated zip member read from the file and inflated by ``_inflating``, CRC checked at the end as
    zipfile checks it (``BadZipFile``): what ``ZipFile.open`` gives, at a third of its CPU."""

    def __init__(self, path: str, info: zipfile.ZipInfo):
        self._file = open(path, "rb")
        try:
            self._file.seek(info.header_offset)
            header = self._file.read(_LOCAL_HEADER.size)
            if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
                raise zipfile.BadZipFile(f"Bad magic number for file header: {info.filename!r}")
            name_length, extra_length = _LOCAL_HEADER.unpack(header)[1:]
            self._file.seek(name_length + extra_length, os.SEEK_CUR)
        except BaseException:
            self._file.close()
            raise
        self._left = info.compress_size
        self._inflater = _inflating.decompressobj(-15)  # raw deflate, as zip stores it
        self._crc, self._expected_crc, self._name = 0, info.CRC, info.filename

    def read(self, n: int = -1) -> bytes:
        """The next piece, at most ``n`` bytes but the last (inflating's flush gives all it holds), b'' at the
        end; all that is left when ``n`` < 0, inflated in one call (pieces and a join cost a third more: 26 MB
        22 -> 33 ms). Enough for ``all_cached_stream``, which cuts its own pieces."""
        if n < 0:
            return b"".join(iter(lambda: self._next(0, self._left), b""))  # one piece: joined without a copy
        return self._next(n, _RAW_CHUNK)

    def _next(self, limit: int, chunk: int) -> bytes:
        """The next piece inflated, at most ``limit`` bytes (0: no limit) but the flush's, reading the file
        ``chunk`` bytes at a time; b'' at the end, once the CRC is checked."""
        out = b""
        while not out:
            try:
                tail = self._inflater.unconsumed_tail
                if tail:
                    out = self._inflater.decompress(tail, limit)
                elif self._left:
                    raw = self._file.read(min(self._left, chunk))
                    if not raw:
                        raise zipfile.BadZipFile(f"Truncated file: {self._name!r}")
                    self._left -= len(raw)
                    out = self._inflater.decompress(raw, limit)
                else:
                    out = self._inflater.flush()
                    if not out:
                        if self._crc != self._expected_crc:
                            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self._name!r}")
                        return b""
            except _inflating.error as exc:  # damaged data: what zipfile's callers catch for a bad member
                raise zipfile.BadZipFile(f"{self._name!r}: {exc}") from exc
        self._crc = _inflating.crc32(out, self._crc)
        return out

    def close(self) -> None:
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_CHUNK = 1 << 20  # decompressed bytes per step of all_cached_stream (1 MiB: faster than 4 or 8)
_SMALL_PART = 256 * 1024  # a sheet part scanned for formulas in the reading thread (~1 ms or less)


def all_cached_stream(read, chunk: int = _CHUNK) -> bool | None:
    """``all_cached`` of a sheet part read piece by piece (``read(n)``, as a file's), never holding
    the whole text: True where every formula has its cached value, None where the part has no
    formula at all, False where ``scan_formulas`` must decide (the caller then reads the part whole).

    The pieces are cut just before a ``<row`` tag: in the plain form (no comment, CDATA or DTD,
    which answer False) none of the patterns searched spans a tag start outside the pattern, so each
    piece is searched on its own. A 100.000-row sheet (26 MB of XML): ~150 -> ~95 ms CPU, 1.000.000
    rows ~1,9 -> ~1 s, and the 260 MB of the whole text are never held.
    """
    carry = b""
    root_seen = formulas = False
    xmlns_count = 0
    while True:
        data = read(chunk)
        buf = carry + data if carry else data
        if data:
            cut = buf.rfind(b"<row", 1)
            if cut < 0:
                carry = buf  # not one whole row yet: read on
                continue
            piece, carry = buf[:cut], buf[cut:]
        else:
            piece, carry = buf, b""
        # a one-byte search (memchr) first: ~10× faster than searching for the pair or the word
        if b"!" in piece and b"<!" in piece:
            return False
        if not root_seen:
            root = _ROOT.search(piece)
            if root is None or root.group(1):  # no root before the first row, or a prefixed namespace
                return False
            root_tag = piece[root.start():piece.find(b">", root.start())]
            if not any(b'xmlns="' + ns.encode() + b'"' in root_tag for ns in _MAIN_NAMESPACES):
                return False
            root_seen = True
        if b"x" in piece:
            xmlns_count += piece.count(b"xmlns=")
        if xmlns_count > 1:
            return False
        if b"<f" in piece:
            formulas = True
            if _NOT_CACHED.search(piece):
                return False
        if not data:
            break
    if xmlns_count != 1:
        return False
    return True if formulas else None


def _scan_formulas_bytes(xml: bytes) -> tuple[set[tuple[int, int]], set[tuple[int, int]]] | None:
    """``_scan_formulas_lxml``'s result, found by searching the bytes for formula tags.

    None where the text is not in the plain form spreadsheet writers produce
    (a comment, CDATA or DTD; the main namespace not bound once on the root):
    the caller then parses it.
    """
    prefix = _plain_prefix(xml)
    if prefix is None:
        return None
    if not prefix:
        # The form Excel, LibreOffice, openpyxl and XlsxWriter write, matched whole
        # in one pass: usable when it accounts for every '<f' in the text.
        cells = _PLAIN_FORMULA_CELL.findall(xml)
        if len(cells) == xml.count(b"<f"):
            col = {letters: _col_index(letters.decode() + "1")[1] for letters in {c[0] for c in cells}}
            return ({(int(row) - 1, col[letters]) for letters, row, _, _ in cells},
                    {(int(row) - 1, col[letters]) for letters, row, attrs, empty in cells
                     if empty and not (empty != b"</c>" and _STR_RESULT.search(attrs))})
    p = prefix + b":" if prefix else b""
    f_tag = re.compile(b"<" + re.escape(p) + rb"f[\s/>]")
    v_tag = re.compile(b"<" + re.escape(p) + rb"v(?:\s[^>]*?)?(/?)>(<?)")  # groups: self-closing, no text
    is_tag = re.compile(b"<" + re.escape(p) + rb"is[\s/>]")
    c_open, c_close = b"<" + p + b"c", b"</" + p + b"c>"
    formulas: set[tuple[int, int]] = set()
    uncached: set[tuple[int, int]] = set()
    columns: dict[bytes, int] = {}  # column letters -> index, computed once per column
    for m in f_tag.finditer(xml):
        pos = m.start()
        start = xml.rfind(c_open, 0, pos)
        tag_end = xml.find(b">", start)
        end = xml.find(c_close, pos)
        if (start < 0 or end < 0 or xml[start + len(c_open):start + len(c_open) + 1] not in (b" ", b"\t", b"\n", b"\r", b">")
                or xml[tag_end - 1:tag_end] == b"/" or xml.find(c_close, start, pos) >= 0):
            return None  # the formula tag is not inside an open cell
        ref = _REF.search(xml, start, tag_end)
        if ref is None or not (ref.group(1) or ref.group(2)):
            continue  # a cell without a reference: skipped by the lxml scan too
        a1 = _A1.fullmatch(ref.group(1) or ref.group(2))
        if a1 is None:
            return None  # an unusual reference: let the parser read it
        letters = a1.group(1)
        col = columns.get(letters)
        if col is None:
            col = columns[letters] = _col_index(letters.decode() + "1")[1]
        cell = (int(a1.group(2)) - 1, col)
        formulas.add(cell)
        v = v_tag.search(xml, tag_end, end)
        str_result = v is not None and _STR_RESULT.search(xml, start, tag_end) is not None
        if (v is None or ((v.group(1) or v.group(2)) and not str_result)) and is_tag.search(xml, tag_end, end) is None:
            uncached.add(cell)
    return formulas, uncached


def _scan_formulas_lxml(xml: bytes) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    formulas: set[tuple[int, int]] = set()
    uncached: set[tuple[int, int]] = set()
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(xml, parser)
    ns = etree.QName(root).namespace if etree.QName(root).namespace in _MAIN_NAMESPACES else _NS_MAIN
    f_tag, v_tag, is_tag = f"{{{ns}}}f", f"{{{ns}}}v", f"{{{ns}}}is"
    for f in root.iter(f_tag):
        c = f.getparent()
        ref = c.get("r")
        if not ref:
            continue
        pos = _col_index(ref)
        formulas.add(pos)
        v = c.find(v_tag)
        if (v is None or (v.text is None and c.get("t") != "str")) and c.find(is_tag) is None:
            uncached.add(pos)
    return formulas, uncached



_POOL: tuple[int, ThreadPoolExecutor] | None = None


def _scan_pool() -> ThreadPoolExecutor:
    """Threads kept for the formula scans: starting one per sheet cost ~0,2 ms, as much as
    calamine's whole read of a seed-sized sheet. A forked child (the audit's workers) gets its
    own: the parent's threads do not exist in it."""
    global _POOL
    if _POOL is None or _POOL[0] != os.getpid():
        _POOL = (os.getpid(), ThreadPoolExecutor(max_workers=2, thread_name_prefix="kinerja-xl-formulas"))
    return _POOL[1]


class FormulaCells(AbstractSet):
    """A sheet's formula cells, found on first use by reading its part again.

    Validation only needs the formulas without a cached value, and ``all_cached`` settles that
    there are none far more cheaply; every formula cell is wanted only for writing computed values
    next to formulas (``hitung``, ``periksa``), which then pays for the scan.
    """

    def __init__(self, path: Path, part: str):
        self._path, self._part = path, part
        self._cells: set[tuple[int, int]] | None = None

    def _get(self) -> set[tuple[int, int]]:
        if self._cells is None:
            try:
                with zipfile.ZipFile(self._path) as zf:
                    self._cells = scan_formulas(_read_big_part(zf, self._part))[0]
            except (OSError, KeyError, zipfile.BadZipFile):
                self._cells = set()
        return self._cells

    def __contains__(self, cell: object) -> bool:
        return cell in self._get()

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return repr(self._get())


_SUFFIXES = {XLSX: (".xlsx", ".xlsm", ".xltx", ".xltm"), XLS: (".xls", ".xlt"), "xlsb": (".xlsb",), "ods": (".ods",)}


def _unreadable(path: Path, exc: Exception, sheet: str | None = None) -> WorkbookError:
    """calamine's refusal in words for the user (its own text is for developers)."""
    text = str(exc).lower()
    where = Message(N_("lembar '{sheet}'"), sheet=sheet) if sheet else NP_("tempat", "berkas")
    if "declared uncompressed size" in text:  # a zip whose directory lies about a part's size
        return WorkbookError(
            codes.CORRUPT.code, codes.CORRUPT.name,
            N_("{file_name}: isi {where} lebih besar daripada yang tercatat di direktori zip-nya (berkas rusak atau "
               "sengaja diubah); pembacaan dihentikan. Minta salinan baru dari pengirimnya."),
            file_name=path.name, where=where, file=str(path))
    if sheet:
        return WorkbookError(
            codes.CORRUPT.code, codes.CORRUPT.name,
            N_("{file_name}: lembar '{sheet}' rusak dan tidak dapat dibaca. Simpan ulang dari Excel lalu coba lagi."), file_name=str(path.name), sheet=str(sheet), file=str(path))
    if "password" in text:
        return WorkbookError(
            codes.ENCRYPTED.code, codes.ENCRYPTED.name,
            N_("{file_name}: buku kerja dilindungi kata sandi. Buka di Excel, hapus kata sandi, simpan, lalu periksa lagi."), file_name=str(path.name), file=str(path))
    return WorkbookError(
        codes.CORRUPT.code, codes.CORRUPT.name,
        N_("{file_name}: berkas rusak atau tidak lengkap dan tidak dapat dibaca. Simpan ulang dari Excel lalu coba lagi."), file_name=str(path.name), file=str(path))


# <sheet name=".." sheetId=".." state=".." r:id=".."/> in a workbook part, any prefix
_SHEET_EL = re.compile(rb"<(?:\w+:)?sheet\s[^>]*?/?>")
_STATE = re.compile(rb"""\sstate\s*=\s*["']([^"']*)["']""")
_RID = re.compile(rb"""\s\w+:id\s*=\s*["']([^"']*)["']""")
_KNOWN_SHEET = re.compile(rb"/(?:worksheet|chartsheet|dialogsheet)$")


def _calamine_copy(path: Path) -> io.BytesIO | None:
    """The package with what calamine refuses but a reader may skip taken out of its workbook
    part: Excel 4 macro sheets (and other sheet types it does not know) and sheet entries whose
    relationship names no part (``r:id=""``) are left out, an unknown
    sheet state (``state="bogus"``) is dropped (the sheet reads as visible). None when there is
    nothing to take out. The file itself is never changed; the copy lives in memory."""
    try:
        with zipfile.ZipFile(path) as zf:
            workbook = main_part(zf)
            xml = read_part(zf, workbook)
            rels = read_part(zf, _rels_of(workbook))
            types = {}
            for m in re.finditer(rb"<(?:\w+:)?Relationship\s[^>]*>", rels):
                rid = re.search(rb"""\sId\s*=\s*["']([^"']*)["']""", m.group(0))
                typ = re.search(rb"""\sType\s*=\s*["']([^"']*)["']""", m.group(0))
                if rid and typ:
                    types[rid.group(1)] = typ.group(1)

            def clean(m: re.Match) -> bytes:
                tag = m.group(0)
                rid = _RID.search(tag)
                if rid and rid.group(1) not in types:
                    return b""  # no part behind it (a VBA module's leftover entry): nothing to read
                if rid and not _KNOWN_SHEET.search(types[rid.group(1)]):
                    return b""  # a macro sheet: not a table, and calamine cannot list it
                state = _STATE.search(tag)
                if state and state.group(1) not in (b"visible", b"hidden", b"veryHidden"):
                    return tag[:state.start()] + tag[state.end():]
                return tag

            cleaned = _SHEET_EL.sub(clean, xml)
            if cleaned == xml:
                return None
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as copy:
                for info in zf.infolist():
                    copy.writestr(info, cleaned if info.filename.replace("\\", "/") == workbook else zf.read(info))
            out.seek(0)
            return out
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return None


def _open_calamine(path: Path, kind: str):
    """A CalamineWorkbook of ``path``. calamine picks its reader by the file name's extension;
    a file whose content is another format (an .xls saved as .xlsx) is opened by content."""
    from python_calamine import CalamineWorkbook

    if path.suffix.lower() in _SUFFIXES.get(kind, ()):
        return CalamineWorkbook.from_path(str(path))
    with path.open("rb") as fh:
        return CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))


class FileWorkbook:
    """A workbook file, opened for reading values: .xlsx/.xlsm (transitional or Strict), .xlsb,
    .xls and .ods, whatever the file's extension says, through python-calamine."""

    def __init__(self, path: str | Path, limits: Limits | None = None):
        self.path = Path(path)
        self.name = self.path.name
        self.limits = limits or Limits()
        self.kind = check_package(self.path, self.limits, reading=True)
        from python_calamine import CalamineWorkbook

        try:
            self._book = _open_calamine(self.path, self.kind)
        except Exception as exc:  # calamine raises its own error types per format
            copy = _calamine_copy(self.path) if self.kind == XLSX else None
            if copy is None:
                raise _unreadable(self.path, exc) from exc
            try:
                self._book = CalamineWorkbook.from_filelike(copy)
            except Exception as exc2:
                raise _unreadable(self.path, exc2) from exc2
        self._meta = {m.name: m for m in self._book.sheets_metadata}
        self._package: tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo], dict[str, str]] | None = None

    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def _opened(self) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo], dict[str, str]]:
        """(the package, its parts by name with '/' separators, sheet name -> part), opened once for
        every sheet's formula scan and closed by ``close``: opened again per sheet, its directory
        and workbook part were read each time (~0,15 ms a sheet)."""
        if self._package is None:
            try:
                zf = zipfile.ZipFile(self.path)
            except OSError as exc:  # gone since calamine read it (an audit's folder changing meanwhile)
                raise unopenable(self.path, exc) from exc
            try:
                self._package = (zf, part_infos(zf), sheet_parts(zf))
            except BaseException:
                zf.close()
                raise
        return self._package

    def _small_part(self, name: str) -> bool:
        """Whether the sheet's formula scan is short (its part at most ``_SMALL_PART`` bytes, or
        nothing to scan): then it is done in the reading thread."""
        if self.kind != XLSX:
            return True
        try:
            _, infos, parts = self._opened()
        except (OSError, KeyError, zipfile.BadZipFile, SyntaxError, ValueError):
            return True  # _formula_marks meets the same error (and raises or finds no formula)
        info = infos.get(parts.get(name, ""))
        return info is None or info.file_size <= _SMALL_PART

    def _formula_marks(self, name: str) -> tuple[AbstractSet, set, dict]:
        """(formula cells, those without a cached value, the formula text of the latter)."""
        if self.kind != XLSX:  # .xls and .ods store every formula's value; .xlsb is not scanned
            return set(), set(), {}
        try:
            zf, infos, parts = self._opened()
            part = parts.get(name)
            if part is None or part not in infos:
                return set(), set(), {}
            xml = None
            if infos[part].file_size <= _CHUNK:  # a small part is decompressed once, for both passes
                xml = read_part(zf, part)
                cached = all_cached_stream(io.BytesIO(xml).read)
            else:
                with _open_part(zf, part) as fh:
                    cached = all_cached_stream(fh.read)
            if cached:
                return FormulaCells(self.path, part), set(), {}
            if cached is None:  # no formula in the sheet
                return set(), set(), {}
            if xml is None:
                xml = _read_big_part(zf, part)
            formulas, uncached = scan_formulas(xml)
            from kinerja_xl.workbook.formulas import formula_texts

            return formulas, uncached, formula_texts(xml, uncached)
        except (KeyError, zipfile.BadZipFile, SyntaxError, ValueError):  # SyntaxError: XML ParseError
            return set(), set(), {}

    def read_sheet(self, name: str) -> SheetData:
        meta = self._meta.get(name)
        typ = str(getattr(meta, "typ", "")) if meta else ""
        if "Chart" in typ or "Macro" in typ or "Vba" in typ:  # no table on a chart or an Excel 4 macro sheet
            return SheetData(name=name, rows=[], is_chart=True)
        # calamine parses the sheet without holding the GIL: scan its XML for formulas in a second
        # thread meanwhile (0,65 s -> 0,43 s at 100.000 rows); a small sheet's scan takes less
        # than handing it over (a seed-sized workbook's eight sheets: ~1 ms)
        marks = None if self._small_part(name) else _scan_pool().submit(self._formula_marks, name)
        try:
            sheet = self._book.get_sheet_by_name(name)
            raw = sheet.to_python(skip_empty_area=False)
            merges = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
        except Exception as exc:
            raise _unreadable(self.path, exc, name) from exc
        # calamine reads an empty cell as '': None instead, in place (the lists are calamine's
        # fresh copies, held by nobody else), and only in the rows holding one, each found by
        # list.index in C instead of a comparison per cell in Python (100.000 rows: 25 -> 15 ms)
        rows: list[list[Any]] = raw
        for row in rows:
            if "" in row:
                for _ in range(row.count("")):
                    row[row.index("")] = None
        formulas, uncached, texts = self._formula_marks(name) if marks is None else marks.result()
        computed: dict[tuple[int, int], str] = {}
        if uncached:  # formulas saved without their value: compute the common ones (SUM, + − × /, ROUND)
            from kinerja_xl.workbook.formulas import compute_uncached

            values = compute_uncached(rows, uncached, texts)
            for (r, c), v in values.items():
                while r >= len(rows):
                    rows.append([])
                if c >= len(rows[r]):
                    rows[r].extend([None] * (c + 1 - len(rows[r])))
                rows[r][c] = v
            uncached = uncached - values.keys()
            computed = {cell: texts[cell] for cell in sorted(values)}
        # str() of calamine's enum is 'SheetVisibleEnum.Hidden': the class name holds 'Visible' too
        hidden = bool(meta) and not str(getattr(meta, "visible", "Visible")).endswith("Visible")
        return SheetData(name=name, rows=rows, merges=merges, formulas=formulas, uncached=uncached, hidden=hidden,
                         computed=computed)

    def close(self) -> None:
        try:
            self._book.close()
        except Exception:
            pass
        if self._package is not None:
            self._package[0].close()
            self._package = None




# --------------------------------------------------------------------------- reading ahead

_AHEAD: dict[tuple, _ReadAhead] = {}


class _ReadAhead:
    """One file read in a background thread: its sheets in order, or the error that stopped it.

    Every calamine call happens in that thread (the workbook object never crosses threads); the
    caller's thread receives only Python data and the exceptions ``FileWorkbook`` would have raised.
    """

    def __init__(self, path: Path, limits: Limits | None, skip: AbstractSet[str]):
        import threading

        self.path, self.limits, self.skip = path, limits, skip
        self.error: BaseException | None = None  # what FileWorkbook() raised
        self.names: list[str] = []
        self.kind = ""
        self.sheets: dict[str, SheetData | BaseException] = {}
        self._done = threading.Condition()
        self._finished = False
        # a daemon: a run stopped by --max-seconds must not wait for a read it no longer needs
        threading.Thread(target=self._run, name="kinerja-xl-read-ahead", daemon=True).start()

    def _run(self) -> None:
        from kinerja_xl.gcpause import gc_paused

        # as validation reads (runner.validate_source): collections over the rows being made are wasted
        with gc_paused():
            self._read()

    def _read(self) -> None:
        try:
            book = FileWorkbook(self.path, self.limits)
        except BaseException as exc:  # noqa: BLE001 -- handed to the caller's thread as it would have met it
            self._finish(error=exc)
            return
        try:
            with self._done:
                self.names, self.kind = book.sheet_names(), book.kind
                self._done.notify_all()
            for name in self.names:
                if name in self.skip:
                    continue
                try:
                    sheet: SheetData | BaseException = book.read_sheet(name)
                except BaseException as exc:  # noqa: BLE001 -- the error validation would meet, in its thread
                    sheet = exc
                with self._done:
                    self.sheets[name] = sheet
                    self._done.notify_all()
                if isinstance(sheet, BaseException):
                    break  # the reader stops at the first sheet it cannot read, as validation does
        finally:
            book.close()
            self._finish()

    def _finish(self, error: BaseException | None = None) -> None:
        with self._done:
            self.error, self._finished = error, True
            self._done.notify_all()

    def wait(self, ready) -> None:
        """Until ``ready()`` or the read is over; in short waits, so that a time limit's interrupt
        of the main thread (``--max-seconds``) is handled between them."""
        with self._done:
            while not ready() and not self._finished:
                self._done.wait(0.05)


def _ahead_key(path: str | Path, limits: Limits | None) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None  # open_workbook reports it
    return (os.path.realpath(path), st.st_ino, st.st_size, st.st_mtime_ns, repr(limits or Limits()))


def read_ahead(path: str | Path, limits: Limits | None = None, skip: AbstractSet[str] = frozenset()) -> None:
    """Start reading a workbook file in a background thread; the next ``open_workbook`` of the same
    file (same limits, unchanged on disk) takes what it read instead of reading it again.

    calamine parses a sheet without holding the GIL, so a command that calls this before importing
    pandas, pandera and the rules (~0,5 s) gets most of the read (0,35 s at 100.000 rows) meanwhile.
    ``skip``: sheet names not to read. Each read-ahead serves one ``open_workbook``.
    """
    key = _ahead_key(path, limits)
    if key is not None and key not in _AHEAD:
        _AHEAD[key] = _ReadAhead(Path(path), limits, frozenset(skip))


class _ReadAheadWorkbook(FileWorkbook):
    """A ``FileWorkbook`` whose sheets were (or are being) read by ``read_ahead``."""

    def __init__(self, ahead: _ReadAhead):  # no super().__init__(): it would read the file again
        self.path = ahead.path
        self.name = self.path.name
        self.limits = ahead.limits or Limits()
        self._ahead = ahead
        self._here: FileWorkbook | None = None
        ahead.wait(lambda: bool(ahead.names))
        if ahead.error is not None:
            raise ahead.error
        self.kind = ahead.kind

    def sheet_names(self) -> list[str]:
        return list(self._ahead.names)

    def read_sheet(self, name: str) -> SheetData:
        ahead = self._ahead
        if name not in ahead.skip:
            ahead.wait(lambda: name in ahead.sheets)
        sheet = ahead.sheets.pop(name, None)  # handed over once: the caller keeps what it needs
        if sheet is None:  # skipped, or after a sheet that could not be read: read here, as without read-ahead
            if self._here is None:
                self._here = FileWorkbook(self.path, self.limits)
            return self._here.read_sheet(name)
        if isinstance(sheet, BaseException):
            raise sheet
        return sheet

    def _formula_marks(self, name: str):
        if self._here is None:
            self._here = FileWorkbook(self.path, self.limits)
        return self._here._formula_marks(name)

    def close(self) -> None:
        if self._here is not None:
            self._here.close()


def open_workbook(path: str | Path, limits: Limits | None = None) -> FileWorkbook:
    """The workbook file at ``path``; what ``read_ahead`` read of it, where it did."""
    if _AHEAD:
        key = _ahead_key(path, limits)
        ahead = _AHEAD.pop(key, None) if key is not None else None
        if ahead is not None:
            return _ReadAheadWorkbook(ahead)
    return FileWorkbook(path, limits)
