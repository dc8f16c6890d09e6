"""One ``kinerja-xl audit`` run from start to finish, for the command line to call.

``audit_folder`` finds the files, checks them with a progress bar, builds the
consolidated document and writes ``audit.json``, ``audit.xlsx`` and
``audit.html``; ``summary_text`` is what the command prints at the end and
``exit_code`` its exit status. The command itself only parses options.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from kinerja_xl.audit.core import check_files, consolidate
from kinerja_xl.audit.discovery import scan
from kinerja_xl.audit.pool import PoolSettings, start_server
from kinerja_xl.audit.progress import AuditProgress
from kinerja_xl.i18n import N_, gettext_for, translate

OUTPUT_NAMES = {"xlsx": "audit.xlsx", "html": "audit.html", "json": "audit.json"}
SKIPPED_SHOWN = 10  # in the terminal summary; the reports list them all


class NothingToCheck(ValueError):
    """No workbook among the paths given (the message says what was there instead)."""


class ReportWriteError(OSError):
    """The reports could not be written to the output folder."""


def audit_folder(paths: list[str], output: Path, config, limits=None, settings: PoolSettings | None = None,
                 mapping=None, baseline: Path | None = None, update_baseline: bool = False,
                 plain: bool = False, stream: TextIO | None = None,
                 timings: dict[str, float] | None = None) -> dict[str, Any]:
    """Check every workbook under ``paths`` and write the three reports into ``output``; the document.

    ``timings``, when given, receives the seconds of each stage (``bench/audit.py`` prints them).
    """
    lang = getattr(config, "lang", "id")
    timings = {} if timings is None else timings
    clock = time.perf_counter()
    start_server()
    found = scan(paths, exclude=output)
    skipped = found.described(lang)
    if not found.files:
        raise NothingToCheck(_nothing_message(paths, skipped, lang))
    timings["discover"] = time.perf_counter() - clock
    with AuditProgress(len(found.files), lang, stream=stream, force_plain=plain) as progress:
        # started once the progress bar has imported rich: the two threads import no module in common
        loader = threading.Thread(target=_load_report_code, name="kinerja-xl-load", daemon=True)
        loader.start()
        clock = time.perf_counter()
        results = check_files(found.files, config, limits, settings or PoolSettings(), mapping, progress.advance,
                              timings)
        timings["pool"] = time.perf_counter() - clock
        loader.join()
        clock = time.perf_counter()
        doc = consolidate(results, config, baseline, update_baseline, skipped=skipped, timings=timings)
        timings["consolidate"] = time.perf_counter() - clock
        progress.finish(doc)
    clock = time.perf_counter()
    write_reports(doc, output, timings)
    timings["reports"] = time.perf_counter() - clock
    return doc


def _load_report_code() -> None:
    """Import what the cross-report rules and the reports need (openpyxl, lxml, jinja2, the rules of every
    table kind: ~0,5 s), in a thread while the pool starts: the parent would otherwise wait ~1 s with a core
    idle for the fork server to import pandas and warm up, and pay for these imports after the last file."""
    try:
        from kinerja_xl.audit import excel, html  # noqa: F401
        from kinerja_xl.rules import load_rules

        load_rules()
        html._environment()
    except Exception:  # the reports import them again, and say what is wrong
        pass


def write_reports(doc: dict[str, Any], output: Path, timings: dict[str, float] | None = None) -> None:
    """``audit.json``, ``audit.xlsx`` and ``audit.html`` into ``output``.

    The Excel report takes most of the time and one core: where processes can
    be forked, a child with the same document writes the JSON and the HTML
    meanwhile (``timings["report_side"]`` says so). A child that dies or fails
    for any other reason than the disk leaves them to this process.
    """
    from kinerja_xl.audit.excel import write_excel

    timings = {} if timings is None else timings
    try:
        output.mkdir(parents=True, exist_ok=True)
        side = _start_side(doc, output)
        if side is None:
            _write_json(doc, output, timings)
        try:
            clock = time.perf_counter()
            write_excel(doc, output / OUTPUT_NAMES["xlsx"])
            timings["report_xlsx"] = time.perf_counter() - clock
        finally:
            done = _finish_side(side, timings) if side is not None else False
        if side is not None and not done:
            _write_json(doc, output, timings)
        if not done:
            _write_html(doc, output, timings)
    except OSError as exc:
        raise ReportWriteError(translate(N_("laporan tidak dapat ditulis ke {output} ({reason})."), doc.get("lang", "id"))
                               .format(output=output, reason=exc.strerror or exc)) from exc


def _write_json(doc: dict[str, Any], output: Path, timings: dict[str, float]) -> None:
    clock = time.perf_counter()
    out_json = output / OUTPUT_NAMES["json"]
    tmp = out_json.with_name(f".{out_json.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:  # as it is encoded: one string would be ~100 MB at 2.000 reports
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    tmp.replace(out_json)
    timings["report_json"] = time.perf_counter() - clock


def _write_html(doc: dict[str, Any], output: Path, timings: dict[str, float]) -> None:
    from kinerja_xl.audit.html import write_html

    clock = time.perf_counter()
    write_html(doc, output / OUTPUT_NAMES["html"])
    timings["report_html"] = time.perf_counter() - clock


def _side_reports(doc: dict[str, Any], output: Path, conn) -> None:
    """In the forked child: the JSON and HTML reports; the timings, or the disk's error, back to the parent."""
    timings: dict[str, float] = {}
    try:
        _write_json(doc, output, timings)
        _write_html(doc, output, timings)
        conn.send((None, timings))
    except OSError as exc:
        conn.send(((exc.errno, exc.strerror or str(exc)), timings))
    finally:
        conn.close()


def _start_side(doc: dict[str, Any], output: Path):
    """The child writing the JSON and HTML reports, with the pipe it answers on; None where there is no fork
    (Windows, macOS's default): a spawned process would have to be sent the whole document."""
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():
        return None
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_side_reports, args=(doc, output, send), name="kinerja-xl-reports", daemon=True)
    try:
        child.start()
    except OSError:  # no process to be had (limits, memory): the reports are written here
        receive.close()
        send.close()
        return None
    send.close()
    return child, receive


def _finish_side(side, timings: dict[str, float]) -> bool:
    """Wait for the child; True when it wrote both reports. Its disk error is raised here, as if ours."""
    child, receive = side
    try:
        error, child_timings = receive.recv()
    except (EOFError, OSError):  # it died without a word: the reports are written again here
        error, child_timings = "died", None
    finally:
        receive.close()
        child.join()
    if child_timings is None:
        return False
    timings.update(child_timings)
    timings["report_side"] = 1.0
    if error is not None:
        raise OSError(*error)
    return True


def _nothing_message(paths: list[str], skipped: list[dict[str, Any]], lang: str) -> str:
    _ = gettext_for(lang)
    head = _("tidak ada berkas buku kerja (.xlsx, .xlsm, .xls, .ods) di {where}.").format(where=", ".join(paths))
    return head + (" " + _("Tidak diperiksa:") + "\n" + _skipped_lines(skipped, lang) if skipped else "")


def _skipped_lines(skipped: list[dict[str, Any]], lang: str) -> str:
    lines = [f"  {s['path']}: {s['reason']}" for s in skipped[:SKIPPED_SHOWN]]
    if len(skipped) > SKIPPED_SHOWN:
        more = len(skipped) - SKIPPED_SHOWN
        lines.append("  " + translate(N_("… {more} lagi (lihat audit.html)"), lang).format(more=more))
    return "\n".join(lines)


def summary_text(doc: dict[str, Any], output: Path, lang: str = "id") -> str:
    """The lines printed at the end of a run: counts, files not checked, baseline, where the reports are."""
    s = doc["summary"]
    f = s["findings"]
    skipped = doc.get("skipped") or []
    reports = ", ".join(str(output / OUTPUT_NAMES[k]) for k in ("html", "xlsx", "json"))
    b = s.get("baseline")
    _ = gettext_for(lang)
    lines = [_("{files} berkas ({unreadable} tak terbaca), {units} unit: {e} galat, {w} peringatan, {i} info.").format(
        files=s["files"], unreadable=s["unreadable"], units=s["units"], e=f["error"], w=f["warning"], i=f["info"])]
    if skipped:
        lines.append(_("{n} berkas tidak diperiksa:").format(n=len(skipped)) + "\n" + _skipped_lines(skipped, lang))
    if b:
        lines.append(_("Baseline {path}: {new} baru, {known} sudah dikenal, {fixed} diperbaiki").format(
            path=b["path"], new=b["new"], known=b["known"], fixed=b["fixed"])
            + (" " + _("(ditulis).") if b["written"] else "."))
    lines.append(_("Laporan: {paths}").format(paths=reports))
    return "\n".join(lines) + "\n"


def exit_code(doc: dict[str, Any], fail_on: str = "error") -> int:
    """1 when a (new) finding is at or above ``fail_on``, else 0."""
    from kinerja_xl.findings import Severity

    threshold = Severity(fail_on).rank
    bad = any(Severity(x["severity"]).rank >= threshold for f in doc["files"] for x in f["findings"])
    return 1 if bad else 0
