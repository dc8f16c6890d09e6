"""Which files of the auditor's folders are checked, and why the others are not.

Nothing is skipped silently: every file a folder or glob turns up is either
checked or listed as not checked with its reason (a Word document, a PDF,
Excel's ``~$`` lock file, our own earlier report…), in the summary and in
every report. A file named explicitly is always checked, whatever its name
(a PDF renamed .xlsx, or a path that does not exist, becomes a finding).
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from kinerja_xl.i18n import N_, translate

#: Workbooks ``validate`` reads (.xls and .ods through python-calamine).
CHECKED = (".xlsx", ".xlsm", ".xls", ".ods")

#: reason code -> the text shown to the auditor (marked N_)
REASONS = {
    "lock-file": N_("berkas kunci sementara Excel (ada selama buku kerja aslinya dibuka), bukan laporan"),
    "own-output": N_("hasil audit kinerja-xl (folder keluaran)"),
    "system": N_("berkas sistem atau tersembunyi"),
    "word": N_("dokumen, bukan buku kerja: tabelnya tidak dapat diperiksa; minta versi Excel (.xlsx)"),
    "pdf": N_("PDF, bukan buku kerja: angkanya tidak dapat diperiksa; minta berkas Excel-nya (.xlsx)"),
    "csv": N_("CSV/teks tanpa lembar dan judul tabel; bila ini laporan, buka di Excel dan simpan sebagai .xlsx"),
    "image": N_("gambar atau hasil pindai, bukan buku kerja"),
    "archive": N_("arsip: ekstrak dulu, lalu jalankan audit pada foldernya"),
    "template": N_("templat Excel, bukan laporan"),
    "xlsb": N_("format biner .xlsb belum didukung; buka di Excel dan simpan sebagai .xlsx"),
    "other": N_("bukan buku kerja (.xlsx, .xlsm, .xls, .ods)"),
}
_BY_SUFFIX = {
    **dict.fromkeys((".doc", ".docx", ".docm", ".odt", ".rtf", ".ppt", ".pptx", ".odp"), "word"),
    ".pdf": "pdf",
    **dict.fromkeys((".csv", ".tsv", ".txt"), "csv"),
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp"), "image"),
    **dict.fromkeys((".zip", ".rar", ".7z", ".gz", ".tar"), "archive"),
    **dict.fromkeys((".xltx", ".xltm", ".xlt", ".ots"), "template"),
    ".xlsb": "xlsb",
}
OWN_OUTPUT = {"audit.xlsx", "audit.html", "audit.json"}
_SYSTEM_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


def reason_text(code: str, lang: str = "id") -> str:
    return translate(REASONS.get(code, REASONS["other"]), lang)


def skip_reason(path: Path, excluded: Path | None = None) -> str | None:
    """Why a file a folder or glob turned up is not checked; None when it is."""
    name = path.name
    if excluded is not None and (name in OWN_OUTPUT or (name.startswith(".") and name.endswith(".tmp"))):
        # only our reports: a workbook someone put in the output folder (even `-o .`) is still checked
        resolved = path.resolve()
        if excluded == resolved.parent or excluded in resolved.parents:
            return "own-output"
    if name.startswith("~$"):
        return "lock-file"
    if name.lower() in _SYSTEM_NAMES or name.startswith("."):
        return "system"
    suffix = path.suffix.lower()
    if suffix in CHECKED:
        return None
    return _BY_SUFFIX.get(suffix, "other")


@dataclass
class Discovery:
    """The files to check, in order, and the files seen but not checked."""

    files: list[str] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # {"path", "name", "reason_code"}

    def described(self, lang: str = "id") -> list[dict[str, Any]]:
        """The skipped files with their reason in ``lang`` (what the reports show)."""
        return [dict(s, reason=reason_text(s["reason_code"], lang)) for s in self.skipped]


def scan(paths: Iterable[str], exclude: Path | None = None) -> Discovery:
    """Files named by PATH arguments: folders (recursively), globs, files; each once."""
    found = Discovery()
    seen: set[str] = set()
    excluded = exclude.resolve() if exclude else None

    def add(p: Path, explicit: bool) -> None:
        key = str(p.resolve()) if p.exists() else str(p.absolute())
        if key in seen:
            return
        seen.add(key)
        reason = None if explicit else skip_reason(p, excluded)
        if reason is None:
            found.files.append(str(p))
        else:
            found.skipped.append({"path": str(p), "name": p.name, "reason_code": reason})

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    add(Path(root) / name, False)
        elif any(ch in raw for ch in "*?["):
            for hit in sorted(glob.glob(raw, recursive=True)):
                if not Path(hit).is_dir():
                    add(Path(hit), False)
        else:
            add(p, True)
    return found
