"""Annotate a workbook file into a new copy, or clear an annotation: the CLI's entry points.

Both write through a temp file in the output folder and an atomic
``os.replace``, and refuse to write over their input (``clear --in-place``
is the one deliberate exception, for a copy we annotated earlier).
"""

from __future__ import annotations

import copy
import errno
import os
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from kinerja_xl.config import Config
from kinerja_xl.writeback.plan import (
    AnnotationPlan,
    AnnotationState,
    apply_plan,
    build_plan,
    clear_workbook,
)
from kinerja_xl.i18n import N_, LocalisedError, translate

SUFFIX = ".periksa"
CLEAR_SUFFIX = ".bersih"


class WritebackError(LocalisedError):
    """A refusal told in the user's language (no traceback for the user)."""


@dataclass
class AnnotateResult:
    output: Path
    report: object  # WorkbookReport
    plan: AnnotationPlan | None
    state: AnnotationState | None
    cleared_first: bool = False


def default_output(path: Path, suffix: str = SUFFIX) -> Path:
    """``laporan.xlsx`` -> ``laporan.periksa.xlsx``; ``laporan.periksa.xlsx`` -> ``laporan.bersih.xlsx`` and back.

    Never the input itself: annotating ``laporan.periksa.xlsx`` again gives ``laporan.periksa-2.xlsx``.
    """
    stem = path.stem
    for old in (SUFFIX, CLEAR_SUFFIX):
        if stem.endswith(old) and old != suffix:
            stem = stem[: -len(old)]
    out = path.with_name(f"{stem}{suffix}{path.suffix}") if not stem.endswith(suffix) else path
    n = 2
    while out == path:
        out = path.with_name(f"{stem}-{n}{path.suffix}")
        n += 1
    return out


def _check_paths(src: Path, out: Path, allow_same: bool = False) -> None:
    if src.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WritebackError(
            N_("{file}: salinan bertanda hanya dapat ditulis untuk berkas .xlsx atau .xlsm. Simpan berkas ini di Excel sebagai \"Excel Workbook (*.xlsx)\" lalu jalankan periksa lagi; kinerja-xl validate tetap dapat memeriksanya tanpa salinan bertanda."), file=str(src.name))
    if out.suffix.lower() != src.suffix.lower():
        raise WritebackError(
            N_("{file}: berkas keluaran harus berakhiran {suffix} seperti masukannya (makro .xlsm tetap .xlsm)."), file=str(out.name), suffix=str(src.suffix))
    same = out.exists() and src.exists() and os.path.samefile(src, out) or out.resolve() == src.resolve()
    if same and not allow_same:
        raise WritebackError(
            N_("{file}: berkas keluaran sama dengan masukan; kinerja-xl tidak pernah menimpa berkas asli. Pilih nama lain dengan --output."), file=str(out.name))
    if not out.parent.is_dir():
        raise WritebackError(N_("{folder}: folder tidak ada."), folder=str(out.parent))


def os_message(exc: OSError, file: Path, lang: str = "id") -> str:
    """A file-system failure in the user's language only (the system's own text is English), naming
    the user's file, never a temporary one."""
    name = file.name
    known = {
        errno.EACCES: N_("sedang dibuka di program lain (mis. Excel) atau tidak boleh ditulis. Tutup berkas itu lalu coba lagi."),
        errno.ENOSPC: N_("tidak dapat ditulis: ruang disk penuh."),
        errno.EROFS: N_("tidak dapat ditulis: foldernya hanya-baca."),
        errno.ENOENT: N_("tidak ditemukan, atau foldernya tidak ada."),
    }
    known[errno.EPERM] = known[errno.EBUSY] = known[errno.EACCES]
    text = known.get(exc.errno, N_("tidak dapat dibaca atau ditulis (kode galat sistem {errno})."))
    return f"{name}: {translate(text, lang).format(errno=exc.errno)}"


def _os_error(exc: OSError, file: Path) -> WritebackError:
    return WritebackError("{text}", text=_OsMessage(exc.errno, file))


@dataclass(frozen=True)
class _OsMessage:
    """``os_message`` as a message parameter, written in the language it is shown in."""

    errno: int | None
    file: Path

    def render_in(self, lang: str) -> str:
        return os_message(OSError(self.errno, ""), self.file, lang)


def _save(painter, out: Path) -> None:
    """Write the copy; a locked or unwritable output is named as the user knows it (not our temp file)."""
    try:
        painter.save(out)
    except OSError as exc:
        raise _os_error(exc, out) from exc


def _painter(path: Path, lang: str):
    from kinerja_xl.workbook import WorkbookError
    from kinerja_xl.workbook.safety import Limits, check_package
    from kinerja_xl.writeback.files import FilePainter
    from kinerja_xl.writeback.package import UnwritablePackage

    try:  # the same pre-parse checks as reading (not a workbook, encrypted, zip bomb)
        check_package(path, Limits())
    except WorkbookError as err:
        raise WritebackError(err.msgid, **err.params) from err
    try:
        return FilePainter(path, lang)
    except UnwritablePackage as exc:
        raise WritebackError(exc.msgid, **exc.params) from exc
    except OSError as exc:
        raise _os_error(exc, path) from exc
    except Exception as exc:  # the package cannot be patched (damaged parts)
        raise WritebackError(
            N_("{file}: berkas ini rusak atau memuat bagian yang tidak dikenal, sehingga tidak dapat ditandai. Buka di Excel, simpan ulang, lalu coba lagi."), file=str(path.name)) from exc


_LABEL_KEYS = ("no", "uraian", "program", "indikator", "unsur", "pertanyaan")
_CELL_ROW = re.compile(r"^\$?[A-Z]+\$?(\d+)$")


def full_row_labels(report):
    """The report with its findings' row labels whole, for the Temuan sheet.

    A finding names its row by a label cut to 60 characters (``…``), short
    enough for a terminal line; the Temuan sheet has a column as wide as the
    label, so there the auditor gets the uraian as the table prints it. The
    report itself is left as it is (its JSON and terminal output keep the short form).
    """
    by_sheet: dict[str, list] = {}
    for t in report.tables:
        by_sheet.setdefault(t.sheet, []).append(t)
    findings, changed = [], False
    for f in report.findings:
        whole = _whole_label(f, by_sheet.get(f.sheet, ())) if f.row_key and f.row_key.endswith("…") else None
        if whole is not None:
            f, changed = replace(f, row_key=whole), True
        findings.append(f)
    if not changed:
        return report
    out = copy.copy(report)
    out.findings = findings
    return out


def _whole_label(f, tables) -> str | None:
    m = _CELL_ROW.match(f.cell or "")
    if not m:
        return None
    row = int(m.group(1))
    for t in tables:
        if row not in t.frame.index:
            continue
        for key in _LABEL_KEYS:
            if key not in t.frame.columns:
                continue
            v = t.frame.at[row, key]
            if isinstance(v, str) and len(v.strip()) > 60:
                cut = v.strip()[:57] + "…"
                if f.row_key.endswith(cut):
                    return f.row_key[: -len(cut)] + v.strip()
    return None


def annotate_file(src: str | Path, output: str | Path | None = None, config: Config | None = None,
                  limits=None) -> AnnotateResult:
    """Validate ``src`` and write an annotated copy (default ``NAME.periksa.xlsx``)."""
    from kinerja_xl.runner import validate_file

    config = config or Config()
    src = Path(src)
    out = Path(output) if output else default_output(src)
    _check_paths(src, out)
    report = validate_file(src, config, limits)
    if report.error is not None:
        return AnnotateResult(out, report, None, None)

    from kinerja_xl.gcpause import gc_paused

    painter = _painter(src, config.lang)
    cleared = False
    tmp_clean = None
    try:
        if painter.load_state() is not None:
            # an annotated file: clear first (so highlights never stack), then validate what the user has
            clear_workbook(painter)
            fd, name = tempfile.mkstemp(prefix="." + out.stem + ".", suffix=".clean" + src.suffix, dir=out.parent)
            os.close(fd)
            tmp_clean = Path(name)
            _save(painter, tmp_clean)
            report = validate_file(tmp_clean, config, limits)
            report.file = str(src)
            report.findings = [f.with_file(str(src)) for f in report.findings]
            painter = _painter(tmp_clean, config.lang)
            cleared = True
        from kinerja_xl.kinds import compute_all

        try:
            computed = compute_all(report.tables, config)
        except Exception:  # a broken compute must not cost the user the findings
            computed = []
        plan = build_plan(full_row_labels(report), computed, config)
        with gc_paused():
            state = apply_plan(painter, plan)
            _save(painter, out)
    except WritebackError:
        raise
    except OSError as exc:
        raise _os_error(exc, src) from exc
    except Exception as exc:  # a part we cannot patch: say so, write nothing
        raise WritebackError(
            N_("{file}: salinan bertanda tidak dapat ditulis karena sebagian isi berkas tidak dapat diolah. Berkas asli tidak diubah."), file=str(src.name)) from exc
    finally:
        if tmp_clean is not None and tmp_clean.exists():
            tmp_clean.unlink()
    return AnnotateResult(out, report, plan, state, cleared)


def clear_file(src: str | Path, output: str | Path | None = None, in_place: bool = False, lang: str = "id") -> tuple[Path, AnnotationState | None]:
    """Remove our annotation: into a new copy (default ``NAME.bersih.xlsx``), or in place when asked."""
    src = Path(src)
    out = src if in_place else (Path(output) if output else default_output(src, CLEAR_SUFFIX))
    _check_paths(src, out, allow_same=in_place)
    if not src.is_file():
        raise WritebackError(N_("{file}: berkas tidak ditemukan."), file=str(src.name))
    from kinerja_xl.gcpause import gc_paused

    painter = _painter(src, lang)
    try:
        with gc_paused():
            state = clear_workbook(painter)
    except Exception as exc:
        raise WritebackError(
            N_("{file}: tanda tidak dapat dihapus karena sebagian isi berkas tidak dapat diolah. Berkas tidak diubah."), file=str(src.name)) from exc
    if state is None:
        if in_place:
            return src, None
        raise WritebackError(
            N_("{file}: tidak ada tanda kinerja-xl di berkas ini (lembar {kinerja_xl_state} tidak ada); tidak ada yang dihapus."), file=str(src.name), kinerja_xl_state=str('_kinerja_xl_state'))
    with gc_paused():
        _save(painter, out)
    return out, state
