"""Annotate a workbook file into a new copy, or clear an annotation: the CLI's entry points.

Both write through a temp file in the output folder and an atomic
``os.replace``, and refuse to write over their input (``clear --in-place``
is the one deliberate exception, for a copy we annotated earlier).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kinerja_xl.config import Config
from kinerja_xl.writeback.plan import (
    AnnotationPlan,
    AnnotationState,
    apply_plan,
    build_plan,
    clear_workbook,
)

SUFFIX = ".periksa"
CLEAR_SUFFIX = ".bersih"


class WritebackError(Exception):
    """A refusal with a message in both languages (no traceback for the user)."""

    def __init__(self, message_id: str, message_en: str):
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id


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
            f"{src.name}: hanya berkas .xlsx atau .xlsm yang dapat ditandai.",
            f"{src.name}: only .xlsx or .xlsm files can be annotated.")
    if out.suffix.lower() != src.suffix.lower():
        raise WritebackError(
            f"{out.name}: berkas keluaran harus berakhiran {src.suffix} seperti masukannya (makro .xlsm tetap .xlsm).",
            f"{out.name}: the output must end in {src.suffix} like the input (an .xlsm stays .xlsm).")
    same = out.exists() and src.exists() and os.path.samefile(src, out) or out.resolve() == src.resolve()
    if same and not allow_same:
        raise WritebackError(
            f"{out.name}: berkas keluaran sama dengan masukan; kinerja-xl tidak pernah menimpa berkas asli. Pilih nama lain dengan --output.",
            f"{out.name}: the output is the input; kinerja-xl never writes over the original. Choose another name with --output.")
    if not out.parent.is_dir():
        raise WritebackError(f"{out.parent}: folder tidak ada.", f"{out.parent}: folder does not exist.")


def _painter(path: Path, lang: str):
    from kinerja_xl.workbook import WorkbookError
    from kinerja_xl.workbook.safety import Limits, check_package
    from kinerja_xl.writeback.files import FilePainter

    try:  # the same pre-parse checks as reading (not a workbook, encrypted, zip bomb)
        check_package(path, Limits())
    except WorkbookError as err:
        raise WritebackError(err.message("id"), err.message("en")) from err
    try:
        return FilePainter(path, lang)
    except Exception as exc:  # the package cannot be patched (damaged parts)
        raise WritebackError(
            f"{path.name}: berkas tidak dapat ditandai ({type(exc).__name__}: {exc}).",
            f"{path.name}: the file cannot be annotated ({type(exc).__name__}: {exc}).") from exc


def annotate_file(src: str | Path, output: str | Path | None = None, config: Config | None = None) -> AnnotateResult:
    """Validate ``src`` and write an annotated copy (default ``NAME.periksa.xlsx``)."""
    from kinerja_xl.runner import validate_file

    config = config or Config()
    src = Path(src)
    out = Path(output) if output else default_output(src)
    _check_paths(src, out)
    report = validate_file(src, config)
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
            painter.save(tmp_clean)
            report = validate_file(tmp_clean, config)
            report.file = str(src)
            report.findings = [f.with_file(str(src)) for f in report.findings]
            painter = _painter(tmp_clean, config.lang)
            cleared = True
        from kinerja_xl.kinds import compute_all

        try:
            computed = compute_all(report.tables, config)
        except Exception:  # a broken compute must not cost the user the findings
            computed = []
        plan = build_plan(report, computed, config)
        with gc_paused():
            state = apply_plan(painter, plan)
            painter.save(out)
    except (OSError, WritebackError):
        raise
    except Exception as exc:  # a part we cannot patch: say so, write nothing
        raise WritebackError(
            f"{src.name}: salinan bertanda tidak dapat ditulis ({type(exc).__name__}: {exc}). Berkas asli tidak diubah.",
            f"{src.name}: the annotated copy cannot be written ({type(exc).__name__}: {exc}). The original is unchanged.") from exc
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
        raise WritebackError(f"{src.name}: berkas tidak ditemukan.", f"{src.name}: file not found.")
    from kinerja_xl.gcpause import gc_paused

    painter = _painter(src, lang)
    try:
        with gc_paused():
            state = clear_workbook(painter)
    except Exception as exc:
        raise WritebackError(
            f"{src.name}: tanda tidak dapat dihapus ({type(exc).__name__}: {exc}). Berkas tidak diubah.",
            f"{src.name}: the annotation cannot be cleared ({type(exc).__name__}: {exc}). The file is unchanged.") from exc
    if state is None:
        if in_place:
            return src, None
        raise WritebackError(
            f"{src.name}: tidak ada tanda kinerja-xl di berkas ini (lembar {'_kinerja_xl_state'} tidak ada); tidak ada yang dihapus.",
            f"{src.name}: this file carries no kinerja-xl annotation (no {'_kinerja_xl_state'} sheet); nothing to clear.")
    with gc_paused():
        painter.save(out)
    return out, state
