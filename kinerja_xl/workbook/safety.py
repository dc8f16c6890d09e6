"""Checks made before a file is parsed, so broken or hostile files fail fast.

Every refusal is a ``WorkbookError`` with a code and a message in both
languages that names the file and says what to do.

What is checked, cheaply, before any XML parser sees the file:
- the magic bytes (OLE: encrypted OOXML or legacy .xls; zip: OOXML, found through
  its own relationships, or OpenDocument; anything else);
- zip bombs: a part that inflates past ``max_ratio`` or the whole package past
  ``max_unzipped_bytes``, from the zip directory alone (a directory that lies
  about sizes is caught by the readers: Python's zipfile and calamine's both
  stop at the declared size, "File is larger than its declared uncompressed size");
- DTDs: a ``<!DOCTYPE``/``<!ENTITY`` before the root element of any XML part
  (entity bombs, external entities such as ``file:///etc/passwd``). Office
  never writes a DTD, so any is refused. calamine (quick-xml) would not expand
  them either, it fails with "unrecognized entity"; the check gives a clear
  message and protects every other parser we run (openpyxl, lxml);
- sheet size from each worksheet's ``<dimension ref="A1:E1000000">``
  (``max_rows``, ``max_cells``), so a million-row sheet is refused in
  milliseconds instead of being read for minutes. A sheet without that
  element is bounded by the caller's time and memory limits (``kinerja-xl
  audit --max-seconds/--max-memory-mb``).
"""

from __future__ import annotations

import errno
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from kinerja_xl import engine_codes as codes
from kinerja_xl.i18n import N_, Message
from kinerja_xl.workbook import WorkbookError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# What check_package found the file to be (content, not the file name's extension)
XLSX, XLSB, ODS, XLS = "xlsx", "xlsb", "ods", "xls"


@dataclass(frozen=True)
class Limits:
    """Bounds per file; configurable for auditors with unusual files."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_unzipped_bytes: int = 1024 * 1024 * 1024
    max_ratio: float = 200.0  # inflated / compressed of one part
    max_cells: int = 20_000_000
    max_rows: int = 200_000  # of one sheet; quarterly reports have hundreds
    max_prolog_bytes: int = 64 * 1024  # XML before the root element; Office writes < 100 bytes
    # the option that raises max_rows on the command running the check (audit's "--max-rows"),
    # named in the size-limit message; None where the command has none
    max_rows_option: str | None = None


def _err(path: Path, rule, msgid: str, **params) -> WorkbookError:
    """The refusal, after the file's name (``msgid`` marked N_, its parameters)."""
    # the outer template is the same in every language; the text inside it is translated
    return WorkbookError(rule.code, rule.name, "{file_name}: {text}", file=str(path), file_name=path.name,
                         text=Message(msgid, **params))


def unopenable(path: Path, exc: OSError) -> WorkbookError:
    """The refusal for a file the system would not open after all (moved or deleted while it was read)."""
    return _err(path, codes.FILE_NOT_FOUND, N_("berkas tidak dapat dibuka ({why})."), why=_os_reason(exc))


def _os_reason(exc: OSError) -> str:
    """Why the system refused, in words a clerk can act on (the system's own text is English)."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return N_("akses ditolak; mungkin berkas sedang dibuka program lain atau Anda tidak berhak membacanya")
    if exc.errno in (errno.ENOENT, errno.ESTALE):
        return N_("berkas sudah tidak ada")
    if exc.errno == errno.EISDIR:
        return N_("ini sebuah folder")
    return N_("sistem berkas menolak membacanya")


def part_info(zf: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    """A part's entry by its name; some writers store names with backslashes (``xl\\workbook.xml``),
    which calamine reads too. KeyError where there is no such part."""
    try:
        return zf.getinfo(name)
    except KeyError:
        return zf.getinfo(name.replace("/", "\\"))


def read_part(zf: zipfile.ZipFile, name: str) -> bytes:
    """A part by its name, found as ``part_info`` finds it."""
    return zf.read(part_info(zf, name))


def part_infos(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The package's entries by part name with '/' separators."""
    return {i.filename.replace("\\", "/"): i for i in zf.infolist()}


def part_names(zf: zipfile.ZipFile) -> set[str]:
    """The package's part names with '/' separators."""
    return set(part_infos(zf))


def main_part(zf: zipfile.ZipFile) -> str:
    """The workbook part of an OOXML package, found as Excel finds it: the ``officeDocument``
    relationship of ``_rels/.rels`` (``xl/workbook.xml`` in nearly every file, but not all)."""
    try:
        rels = read_part(zf, "_rels/.rels")
    except KeyError:
        return "xl/workbook.xml"
    for m in _RELATIONSHIP.finditer(rels):
        tag = m.group(0)
        typ, target = _ATTR_TYPE.search(tag), _ATTR_TARGET.search(tag)
        if typ and target and typ.group(1).endswith((b"/officeDocument", b"/officedocument")):
            return posixpath.normpath(target.group(1).decode("utf-8", "replace").lstrip("/"))
    return "xl/workbook.xml"


_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_ATTR_TYPE = re.compile(rb"""\sType\s*=\s*["']([^"']*)["']""")
_ATTR_TARGET = re.compile(rb"""\sTarget\s*=\s*["']([^"']*)["']""")


def check_package(path: Path, limits: Limits, *, reading: bool = False) -> str:
    """Refuse what cannot or must not be opened; return what the file is (``XLSX``, ``XLSB``,
    ``ODS`` or ``XLS``), told by its content, not its name.

    ``reading``: the file is only read (``validate``), so a legacy .xls, which python-calamine
    reads, is accepted; for writing an annotated copy it is refused (the copy needs .xlsx).
    """
    if not path.exists():
        raise _err(path, codes.FILE_NOT_FOUND,
                   N_("berkas tidak ditemukan. Periksa nama dan foldernya."))
    if path.is_dir():
        raise _err(path, codes.FILE_NOT_FOUND,
                   N_("ini sebuah folder, bukan berkas Excel."))
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _err(path, codes.FILE_NOT_FOUND, N_("berkas tidak dapat dibuka ({why})."), why=_os_reason(exc)) from exc
    if size > limits.max_file_bytes:
        raise _err(path, codes.UNSAFE,
                   N_("berkas berukuran {size_mb} MB, melebihi batas {limit_mb} MB."), size_mb=str(size // 1_048_576), limit_mb=str(limits.max_file_bytes // 1_048_576))
    if head.startswith(_OLE_MAGIC):
        if _is_encrypted_ooxml(path):
            raise _err(path, codes.ENCRYPTED,
                       N_("buku kerja dilindungi kata sandi. Buka di Excel, hapus kata sandi (File > Info > Lindungi Buku Kerja), simpan, lalu periksa lagi."))
        if reading:
            return XLS
        raise _err(path, codes.LEGACY,
                   N_("format .xls lama dapat diperiksa, tetapi salinan bertanda hanya dapat dibuat dari .xlsx. Buka di Excel, simpan sebagai Buku Kerja Excel (.xlsx), lalu coba lagi."))
    if not head.startswith(_ZIP_MAGIC):
        raise _err(path, codes.NOT_A_WORKBOOK,
                   N_("bukan berkas Excel (.xlsx/.xlsm/.xls) atau spreadsheet (.ods). Pastikan berkas yang dipilih adalah laporan dalam format Excel."))
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = part_names(zf)
            if "mimetype" in names and zf.read("mimetype").strip().startswith(_ODS_MIMETYPE):
                kind = ODS
            else:
                part = main_part(zf)
                if part not in names:
                    raise _err(path, codes.NOT_A_WORKBOOK,
                               N_("berkas zip ini bukan buku kerja Excel (tidak memuat bagian buku kerja)."))
                kind = XLSB if part.endswith(".bin") else XLSX
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 10_000_000 and ratio > limits.max_ratio:
                    raise _err(path, codes.UNSAFE, N_("bagian {part} mengembang {ratio}× saat dibuka (bom zip); berkas ditolak."),
                               part=info.filename, ratio=f"{ratio:.0f}")
            if total > limits.max_unzipped_bytes:
                raise _err(path, codes.UNSAFE,
                           N_("isi berkas mengembang menjadi {total_mb} MB, melebihi batas {limit_mb} MB."), total_mb=str(total // 1_048_576), limit_mb=str(limits.max_unzipped_bytes // 1_048_576))
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")) and info.file_size:
                    _check_xml_part(path, zf, info, limits)
            return kind
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a broken directory, a cut deflate stream
        raise _err(path, codes.CORRUPT,
                   N_("berkas rusak atau terpotong (zip tidak utuh). Simpan ulang dari Excel atau minta salinan baru.")) from exc
    except (NotImplementedError, RuntimeError) as exc:  # an unknown compression method, a zip password
        raise _err(path, codes.CORRUPT,
                   N_("isi berkas dikemas dengan cara yang tidak dikenal (kompresi tak dikenal atau zip bersandi). Simpan ulang dari Excel lalu coba lagi.")) from exc
    except OSError as exc:  # the file went away (network share, moved) while being read
        raise _err(path, codes.FILE_NOT_FOUND,
                   N_("berkas tidak dapat dibaca lagi ({why}); mungkin dipindah atau dihapus saat diperiksa."),
                   why=_os_reason(exc)) from exc


# The prolog is everything before the root element: XML declaration, comments,
# processing instructions and (what we look for) a document type declaration.
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_CHUNK = 4096


def _check_xml_part(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    """Refuse a DTD in the prolog; refuse a worksheet whose dimension is over the limits.

    Reads only the first few kilobytes of the part (the prolog and, for a
    worksheet, ``<sheetPr>``/``<dimension>`` come first).
    """
    worksheet = "/worksheets/" in info.filename.replace("\\", "/")
    head = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            head += chunk
            first = _first_markup(_as_utf8(head))
            if first is not None or not chunk:
                break
            if len(head) > limits.max_prolog_bytes:
                raise _err(path, codes.UNSAFE,
                           N_("bagian {info_filename} diawali lebih dari {ts_max_prolog_bytes_1024} KB sebelum elemen pertamanya; berkas ditolak tanpa dibaca."), info_filename=str(info.filename), ts_max_prolog_bytes_1024=str(limits.max_prolog_bytes // 1024))
        if worksheet and len(head) < 2 * _CHUNK:
            head += fh.read(2 * _CHUNK - len(head))
    text = _as_utf8(head)
    first = _first_markup(text)
    if first is not None and text.startswith(b"<!", first):
        dtd = text[first:].upper()
        kind = N_("definisi DTD")
        if b"SYSTEM" in dtd or b"PUBLIC" in dtd:
            kind = N_("rujukan entitas eksternal (XXE)")
        elif dtd.count(b"<!ENTITY") > 1:
            kind = N_("bom entitas XML")
        elif b"<!ENTITY" in dtd:
            kind = N_("definisi entitas XML")
        raise _err(path, codes.UNSAFE,
                   N_("bagian {part} memuat {kind}. Excel tidak pernah menulisnya; berkas ditolak tanpa dibaca. "
                      "Simpan ulang dari Excel bila berkas ini asli."), part=info.filename, kind=kind)
    if worksheet:
        _check_dimension(path, zf, info.filename, text, limits, info.file_size)


def _as_utf8(head: bytes) -> bytes:
    """UTF-16 parts (legal XML, never written by Office) scanned as UTF-8."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        enc = "utf-16-be" if head[:1] == b"\x00" or head[:2] == b"\xfe\xff" else "utf-16-le"
        return head[: len(head) // 2 * 2].decode(enc, errors="replace").encode("utf-8")
    return head


def _first_markup(head: bytes) -> int | None:
    """Offset of the first ``<`` that is neither a comment nor a processing
    instruction (the root element or a DOCTYPE); None when ``head`` ends first."""
    pos = 0
    while True:
        lt = head.find(b"<", pos)
        if lt == -1 or lt + 2 > len(head):
            return None
        if head.startswith(b"<!--", lt):
            end = head.find(b"-->", lt + 4)
            if end == -1:
                return None
            pos = end + 3
        elif head.startswith(b"<?", lt):
            end = head.find(b"?>", lt + 2)
            if end == -1:
                return None
            pos = end + 2
        else:
            return lt


def _id(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _col_number(letters: bytes | None) -> int:
    n = 0
    for ch in letters or b"A":
        n = n * 26 + ch - 64
    return n


def _sheet_label(zf: zipfile.ZipFile, part: str) -> str:
    """'Realisasi' (the sheet's name) for a worksheet part, or the part itself."""
    try:
        from kinerja_xl.workbook.files import sheet_parts

        for name, p in sheet_parts(zf).items():
            if p == part:
                return f"'{name}'"
    except Exception:  # a broken workbook.xml is reported by the reader, not here
        pass
    return part


# The fewest bytes a sheet part spends on one row with a value, and on one cell: the part's size
# bounds what it can hold, whatever its <dimension> claims (some producers write A1:XFD1048576).
_ROW_BYTES, _CELL_BYTES = 16, 11


def _check_dimension(path: Path, zf: zipfile.ZipFile, part: str, head: bytes, limits: Limits, size: int) -> None:
    m = _DIMENSION.search(head)
    if not m or not m.group(4):
        return
    rows = int(m.group(4)) - int(m.group(2) or 1) + 1
    cols = _col_number(m.group(3)) - _col_number(m.group(1)) + 1
    too_many_rows = rows > limits.max_rows and size // _ROW_BYTES > limits.max_rows
    too_many_cells = rows * cols > limits.max_cells and size // _CELL_BYTES > limits.max_cells
    if too_many_rows or too_many_cells:
        ref = m.group(0).split(b'"')[1].decode()
        part = _sheet_label(zf, part)
        option = Message(N_(", atau naikkan batasnya ({option})"), option=limits.max_rows_option) \
            if limits.max_rows_option else ""
        # the counts are numbers: grouped as each language reads them (1.048.576 / 1,048,576)
        raise _err(path, codes.SHEET_TOO_LARGE,
                   N_("lembar {part} berukuran {ref} ({rows} baris × {cols} kolom), melebihi batas {max_rows} baris / "
                      "{max_cells} sel. Hapus baris dan kolom kosong di bawah/kanan tabel (Ctrl+End di Excel "
                      "menunjukkan sel terakhir yang terpakai){option}, lalu simpan dan periksa lagi."),
                   part=part, ref=ref, rows=rows, cols=cols, max_rows=limits.max_rows, max_cells=limits.max_cells,
                   option=option)


def _is_encrypted_ooxml(path: Path) -> bool:
    try:
        import olefile
    except ImportError:  # oletools is a test extra; the header alone still tells .xls apart
        with path.open("rb") as fh:
            blob = fh.read(1 << 20)
        return "EncryptionInfo".encode("utf-16-le") in blob
    try:
        with olefile.OleFileIO(str(path)) as ole:
            return ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage")
    except Exception:
        return False
