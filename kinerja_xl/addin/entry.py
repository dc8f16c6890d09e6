"""What the three ribbon buttons run (through ``kinerja_xl.addin.periksa`` etc.).

Each button works on the workbook that called it (``xw.Book.caller()``) with
the same code as the command line: ``runner.validate_source`` over
``XlwingsWorkbook``, ``writeback.plan.build_plan`` and ``apply_plan`` /
``clear_workbook`` with ``XlwingsPainter``.

- *Periksa*: remove an earlier annotation of ours, check, paint the findings
  (fills, notes, the Temuan sheet). Computed values are not written, but a
  filled cell that disagrees with its computed value is flagged.
- *Hitung*: the same, and also fill the computed capaian %, serapan %, nilai
  unsur, IKM and mutu into their empty designated cells (what the CLI's
  annotated copy has).
- *Bersihkan*: remove everything of ours, restoring the original fills and
  notes.

Screen updating is paused during the run and restored after it, also when it
fails. The run ends with an alert giving the counts; any error becomes an
alert in Indonesian (the details go to a log file), never a traceback window.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

TITLE = "Kinerja"
LOG_FILE = Path(tempfile.gettempdir()) / "kinerja-xl-addin.log"
log = logging.getLogger("kinerja_xl.addin")


@dataclass
class Outcome:
    """What one button press did (returned for tests and the benchmark; the user sees ``message``)."""

    action: str
    ok: bool
    message: str
    findings: int = 0
    counts: dict[str, int] | None = None
    values: int = 0
    restored: int = 0
    writes: int = 0
    seconds: float = 0.0
    report: Any = None
    # seconds per stage of the press (imports, kinds, read, rules, write-back): bench/addin.py prints them
    phases: dict[str, float] = field(default_factory=dict)


def periksa(book: Any = None) -> Outcome:
    return run("periksa", book)


def hitung(book: Any = None) -> Outcome:
    return run("hitung", book)


def bersihkan(book: Any = None) -> Outcome:
    return run("bersihkan", book)


# --- the work --------------------------------------------------------------------------------------------


def _config(book: Any):
    """Settings from a kinerja-xl.toml / pyproject.toml beside a saved workbook, else the defaults."""
    from kinerja_xl.config import Config, load_config

    try:
        path = Path(book.fullname)
    except Exception:
        return Config()
    if path.is_absolute() and path.is_file():
        return load_config(near=path)
    return Config()


class _Stages:
    """Seconds per stage of a press, for ``Outcome.phases``."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._last = time.perf_counter()

    def done(self, stage: str) -> None:
        now = time.perf_counter()
        self.phases[stage] = self.phases.get(stage, 0.0) + now - self._last
        self._last = now


def _check_and_paint(book: Any, write_values: bool) -> Outcome:
    # Only what a press needs, imported on its first press; a Python kept alive between presses
    # (xlwings' "Use UDF Server", set by ``kinerja-xl addin build``) imports nothing again.
    stages = _Stages()
    from kinerja_xl.kinds import compute_all, load_kinds

    from kinerja_xl.addin.painter import MAX_NOTES, XlwingsPainter
    from kinerja_xl.rules import load_rules
    from kinerja_xl.runner import OUR_SHEETS, table_specs, validate_source
    from kinerja_xl.workbook.xlwings_book import XlwingsWorkbook
    from kinerja_xl.writeback.annotate import full_row_labels
    from kinerja_xl.writeback.plan import apply_plan, build_plan

    stages.done("imports")
    # the table kinds, their rules and header vocabularies: loaded once per Python process (cached)
    load_kinds()
    load_rules()
    table_specs()
    stages.done("kinds")
    config = _config(book)
    source = XlwingsWorkbook(book)
    painter = XlwingsPainter(book, source, lang=config.lang)
    old = painter.load_state()
    if old is not None:  # pressing the button twice never stacks highlights
        painter.clear(old)
    stages.done("write-back")
    for name in source.sheet_names():  # each sheet once, in bulk; validate_source reads the kept copies
        if name not in OUR_SHEETS:
            source.read_sheet(name)
    stages.done("read")
    report = validate_source(source, config)
    if report.error is not None:
        raise AddinError(report.error.message(config.lang))
    try:
        computed = compute_all(report.tables, config)
    except Exception as exc:  # as the CLI does: a broken computation must not cost the user the findings
        _log("compute", exc)
        computed = []
    if not write_values:
        # Periksa writes no values: a computed value without a filled cell has no cell to go to,
        # while a filled cell that disagrees is still compared and flagged.
        computed = [c if c.existing not in (None, "") else replace(c, cell=None) for c in computed]
    stages.done("rules")
    plan = build_plan(full_row_labels(report), computed, config)
    problem = painter.protection_problem({m.sheet for m in plan.marks} | {v.sheet for v in plan.values})
    if problem:
        raise AddinError(problem)
    state = apply_plan(painter, plan)
    stages.done("write-back")
    n_values = sum(1 for c in state.cells if c.value is not None)
    counts = dict(plan.counts)
    if not report.tables:
        message = "Tidak ada tabel laporan kinerja yang dikenali di buku kerja ini."
    elif plan.n_findings == 0:
        from kinerja_xl.report.human import ok_sentence

        # never an unqualified pass: say which numeric cells went unchecked
        message = ok_sentence(report)[0] + f" {_n(len(report.tables))} tabel diperiksa."
    else:
        message = (f"{_n(plan.n_findings)} temuan: {_n(counts.get('error', 0))} galat, "
                   f"{_n(counts.get('warning', 0))} peringatan, {_n(counts.get('info', 0))} info. "
                   f"{_n(len(plan.marks))} sel ditandai; daftar lengkap di lembar {painter.findings_name}.")
    if write_values:
        message += f" {_n(n_values)} nilai terhitung diisikan ke sel kosong."
    if painter.notes_skipped:
        message += (f" Catatan sel hanya ditulis untuk {_n(MAX_NOTES)} sel pertama; "
                    f"{_n(painter.notes_skipped)} sel lainnya hanya diwarnai.")
    return Outcome("hitung" if write_values else "periksa", True, message, findings=plan.n_findings, counts=counts,
                   values=n_values, writes=painter.actions, report=report, phases=stages.phases)


def _n(count: int) -> str:
    """A count as Indonesian prints it: 40.001."""
    return f"{count:,}".replace(",", ".")


def _clear(book: Any) -> Outcome:
    from kinerja_xl.addin.painter import XlwingsPainter
    from kinerja_xl.writeback.plan import FINDINGS_SHEET, clear_workbook

    painter = XlwingsPainter(book)
    state = clear_workbook(painter)
    if state is None:
        return Outcome("bersihkan", True, "Tidak ada tanda dari kinerja-xl di buku kerja ini; tidak ada yang diubah.")
    n = len(state.cells)
    findings_sheet = state.meta.get("findings_sheet") or FINDINGS_SHEET
    message = f"Tanda kinerja-xl dihapus: {_n(n)} sel dikembalikan seperti semula, lembar {findings_sheet} dihapus."
    return Outcome("bersihkan", True, message, restored=n, writes=painter.actions)


ACTIONS: dict[str, Callable[[Any], Outcome]] = {
    "periksa": lambda book: _check_and_paint(book, write_values=False),
    "hitung": lambda book: _check_and_paint(book, write_values=True),
    "bersihkan": _clear,
}
VERB = {"periksa": "memeriksa", "hitung": "menghitung", "bersihkan": "membersihkan"}


class AddinError(Exception):
    """A problem the user can act on; its message is shown as it is."""


# --- the frame every button press runs in ------------------------------------------------------------------


def run(action: str, book: Any = None) -> Outcome:
    """Run one button's work on the calling workbook; never raises."""
    start = time.perf_counter()
    try:
        if book is None:
            import xlwings as xw

            book = xw.Book.caller()
    except Exception as exc:  # not called from Excel, or Excel went away
        _log(action, exc)
        return Outcome(action, False, f"kinerja-xl: buku kerja Excel yang memanggil tidak ditemukan ({exc}).")
    resume = _pause_screen(book)
    try:
        outcome = ACTIONS[action](book)
    except Exception as exc:
        _log(action, exc)
        outcome = Outcome(action, False, _error_message(action, exc))
    finally:
        resume()
    outcome.seconds = time.perf_counter() - start
    _alert(book, outcome.message, ok=outcome.ok)
    return outcome


def _pause_screen(book: Any) -> Callable[[], None]:
    """Turn screen updating off; returns the function that puts it back as it was.

    Remote mode cannot read the setting (the client only suspends until its
    next sync), so there it is switched back on; a book without an app has
    nothing to pause.
    """
    app = getattr(book, "app", None)
    if app is None:
        return lambda: None
    try:
        before = app.screen_updating
    except Exception:
        before = True
    try:
        app.screen_updating = False
    except Exception:
        return lambda: None

    def resume() -> None:
        try:
            app.screen_updating = before
        except Exception:
            pass

    return resume


def _error_message(action: str, exc: BaseException) -> str:
    from kinerja_xl.workbook import WorkbookError

    if isinstance(exc, AddinError):
        return str(exc)
    if isinstance(exc, WorkbookError):
        return exc.message("id")
    return (f"kinerja-xl gagal {VERB.get(action, action)} buku kerja ini: {type(exc).__name__}: {exc}\n\n"
            f"Sebagian tanda mungkin sudah tertulis: tekan Bersihkan, atau tutup buku kerja tanpa menyimpan. "
            f"Rincian teknis dicatat di {LOG_FILE}.")


def _alert(book: Any, message: str, ok: bool) -> None:
    try:
        book.app.alert(message, title=TITLE, mode="info" if ok else "critical")
        return
    except Exception:
        pass
    try:  # a desktop book whose app cannot be reached any more: the active Excel shows it
        import xlwings as xw

        xw.apps.active.alert(message, title=TITLE, mode="info" if ok else "critical")
    except Exception as exc:
        _log("alert", exc)


def _log(action: str, exc: BaseException) -> None:
    """Keep the traceback for whoever supports the user; the user sees only the alert."""
    try:
        with open(LOG_FILE, "a", encoding="utf-8") as fh:
            fh.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {action} (pid {os.getpid()})\n")
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    except OSError:
        pass
    log.debug("kinerja-xl add-in %s failed", action, exc_info=exc)
