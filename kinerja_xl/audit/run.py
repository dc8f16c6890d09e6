"""One ``kinerja-xl audit`` run from start to finish, for the command line to call.

``audit_folder`` finds the files, checks them with a progress bar, builds the
consolidated document and writes ``audit.json``, ``audit.xlsx`` and
``audit.html``; ``summary_text`` is what the command prints at the end and
``exit_code`` its exit status. The command itself only parses options.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from kinerja_xl.audit.core import check_files, consolidate
from kinerja_xl.audit.discovery import scan
from kinerja_xl.audit.pool import PoolSettings
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
                 plain: bool = False, stream: TextIO | None = None) -> dict[str, Any]:
    """Check every workbook under ``paths`` and write the three reports into ``output``; the document."""
    lang = getattr(config, "lang", "id")
    found = scan(paths, exclude=output)
    skipped = found.described(lang)
    if not found.files:
        raise NothingToCheck(_nothing_message(paths, skipped, lang))
    with AuditProgress(len(found.files), lang, stream=stream, force_plain=plain) as progress:
        results = check_files(found.files, config, limits, settings or PoolSettings(), mapping, progress.advance)
        doc = consolidate(results, config, baseline, update_baseline, skipped=skipped)
        progress.finish(doc)
    write_reports(doc, output)
    return doc


def write_reports(doc: dict[str, Any], output: Path) -> None:
    from kinerja_xl.audit.excel import write_excel
    from kinerja_xl.audit.html import write_html

    try:
        output.mkdir(parents=True, exist_ok=True)
        out_json = output / OUTPUT_NAMES["json"]
        tmp = out_json.with_name(f".{out_json.name}.tmp")
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(out_json)
        write_excel(doc, output / OUTPUT_NAMES["xlsx"])
        write_html(doc, output / OUTPUT_NAMES["html"])
    except OSError as exc:
        raise ReportWriteError(translate(N_("laporan tidak dapat ditulis ke {output} ({reason})."), doc.get("lang", "id"))
                               .format(output=output, reason=exc.strerror or exc)) from exc


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
