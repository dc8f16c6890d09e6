"""Checks made before a file is parsed, so broken or hostile files fail fast.

Every refusal is a ``WorkbookError`` with a code and a message in both
languages that names the file and says what to do.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from kinerja_xl.workbook import WorkbookError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    """Bounds per file; configurable for auditors with unusual files."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_unzipped_bytes: int = 1024 * 1024 * 1024
    max_ratio: float = 200.0  # inflated / compressed of one part
    max_cells: int = 20_000_000


def _err(path: Path, code: str, name: str, id_text: str, en_text: str) -> WorkbookError:
    return WorkbookError(code, name, f"{path.name}: {id_text}", f"{path.name}: {en_text}", str(path))


def check_package(path: Path, limits: Limits) -> None:
    if not path.exists():
        raise _err(path, "KX001", "file-not-found",
                   "berkas tidak ditemukan. Periksa nama dan foldernya.",
                   "file not found. Check the name and folder.")
    if path.is_dir():
        raise _err(path, "KX001", "file-not-found",
                   "ini sebuah folder, bukan berkas Excel.",
                   "this is a folder, not an Excel file.")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _err(path, "KX001", "file-not-found",
                   f"berkas tidak dapat dibuka ({exc.strerror}).",
                   f"the file cannot be opened ({exc.strerror}).") from exc
    if size > limits.max_file_bytes:
        raise _err(path, "KX007", "file-too-large",
                   f"berkas berukuran {size // 1_048_576} MB, melebihi batas {limits.max_file_bytes // 1_048_576} MB.",
                   f"the file is {size // 1_048_576} MB, over the {limits.max_file_bytes // 1_048_576} MB limit.")
    if head.startswith(_OLE_MAGIC):
        if _is_encrypted_ooxml(path):
            raise _err(path, "KX005", "encrypted-workbook",
                       "buku kerja dilindungi kata sandi. Buka di Excel, hapus kata sandi (File > Info > Lindungi Buku Kerja), simpan, lalu periksa lagi.",
                       "the workbook is password-protected. Open it in Excel, remove the password (File > Info > Protect Workbook), save, and check again.")
        raise _err(path, "KX004", "legacy-xls",
                   "format .xls lama tidak didukung. Buka di Excel dan simpan sebagai .xlsx (Buku Kerja Excel).",
                   "the old .xls format is not supported. Open it in Excel and save as .xlsx (Excel Workbook).")
    if path.suffix.lower() == ".ods":
        return
    if not head.startswith(_ZIP_MAGIC):
        raise _err(path, "KX002", "not-a-workbook",
                   "bukan berkas Excel (.xlsx/.xlsm). Pastikan berkas yang dipilih adalah laporan dalam format Excel.",
                   "not an Excel file (.xlsx/.xlsm). Make sure you chose the report in Excel format.")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                raise _err(path, "KX002", "not-a-workbook",
                           "berkas zip ini bukan buku kerja Excel (tidak ada xl/workbook.xml).",
                           "this zip file is not an Excel workbook (no xl/workbook.xml).")
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 10_000_000 and ratio > limits.max_ratio:
                    raise _err(path, "KX007", "unsafe-package",
                               f"bagian {info.filename} mengembang {ratio:.0f}× saat dibuka (bom zip); berkas ditolak.",
                               f"part {info.filename} inflates {ratio:.0f}× (zip bomb); file refused.")
            if total > limits.max_unzipped_bytes:
                raise _err(path, "KX007", "unsafe-package",
                           f"isi berkas mengembang menjadi {total // 1_048_576} MB, melebihi batas {limits.max_unzipped_bytes // 1_048_576} MB.",
                           f"the file inflates to {total // 1_048_576} MB, over the {limits.max_unzipped_bytes // 1_048_576} MB limit.")
    except zipfile.BadZipFile as exc:
        raise _err(path, "KX003", "corrupt-file",
                   "berkas rusak atau terpotong (zip tidak utuh). Simpan ulang dari Excel atau minta salinan baru.",
                   "the file is damaged or truncated (broken zip). Save it again from Excel or ask for a new copy.") from exc


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
