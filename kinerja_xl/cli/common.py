"""Helpers every command uses: consoles, failing with exit code 2, settings, exit codes, reporting.

Exit codes, as ruff and sqlfluff:

* 0: no finding at or above ``--fail-on`` (default ``error``);
* 1: findings at or above it. A readable workbook in which no report table
  is recognised is such a finding (KX010, an error): the file was checked and
  nothing in it was understood, which must never pass silently;
* 2: the tool could not do its job: a file that cannot be read, a wrong
  option or value, a file that exceeded ``--max-seconds``, output that
  cannot be written.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import Any, Iterable, Optional

from kinerja_xl.i18n import N_, translate

EXIT_CLEAN, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2


#: the width a table gets when the output is not a terminal: wide enough that no cell is ever wrapped
PIPE_WIDTH = 4096


def console(stderr: bool = False):
    """A rich console; one that is not a terminal (a pipe, a file) never wraps a line."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(file=stream, highlight=False)
    return Console(file=stream, highlight=False, soft_wrap=True, width=PIPE_WIDTH)


def fail(message: str) -> Exception:
    """Print ``kinerja-xl: message`` on stderr and return typer's exit (code 2) to raise."""
    import typer  # here only: a plain `validate` runs without typer (cli.early)
    from rich.text import Text

    err = console(stderr=True)
    err.print(Text("kinerja-xl: ", style="bold red") + Text(message), soft_wrap=True)
    return typer.Exit(EXIT_FAILED)


_OS_ERRORS = {
    errno.ENOENT: N_("berkas atau folder tidak ada"),
    errno.EACCES: N_("akses ditolak"),
    errno.EPERM: N_("akses ditolak"),
    errno.ENOSPC: N_("disk penuh"),
    errno.EROFS: N_("folder hanya-baca"),
    errno.EEXIST: N_("sudah ada"),
    errno.EISDIR: N_("itu sebuah folder, bukan berkas"),
    errno.ENOTDIR: N_("bagian jalurnya bukan folder"),
    errno.EBUSY: N_("sedang dipakai program lain"),
}


def describe_os_error(exc: OSError, lang: str = "id") -> str:
    """An OSError as a short phrase in the user's language, never the raw exception text.

    Windows reports a file open in Excel as a sharing violation (winerror 32/33, errno EACCES).
    """
    if getattr(exc, "winerror", None) in (32, 33):
        text = N_("berkas sedang dibuka di program lain (Excel?)")
    else:
        text = _OS_ERRORS.get(exc.errno or 0, N_("galat sistem berkas"))
    return translate(text, lang)


def load_settings(config: Optional[Path], near: Optional[Path], **overrides: Any):
    """``kinerja-xl.toml`` / ``pyproject.toml`` near the first file, overridden by the command line."""
    from kinerja_xl.config import ConfigError, load_config

    if config is not None and not config.is_file():  # a settings file the user named must not be skipped silently
        raise fail(f"berkas pengaturan {config} tidak ada.")
    try:
        cfg = load_config(near=near, explicit=config)
    except ConfigError as exc:
        raise fail(str(exc))
    return cfg.merged(**overrides)


def settings(config, near, lang=None, fail_on=None, select=None, ignore=None):
    """``load_settings`` from the shared options' values (enums, repeated options)."""
    return load_settings(config, near, lang=lang.value if lang else None, fail_on=fail_on.value if fail_on else None,
                         select=tuple(select or ()), ignore=tuple(ignore or ()))


def limits(max_rows: Optional[int]):
    """The reading limits with ``--max-rows`` applied (the other bounds keep their defaults)."""
    from kinerja_xl.cli.early import reading_limits

    if max_rows is not None and max_rows <= 0:
        raise fail("--max-rows harus lebih dari 0.")
    return reading_limits(max_rows)


def check_max_seconds(seconds: float) -> float:
    if not seconds > 0:
        raise fail("--max-seconds harus lebih dari 0.")
    return seconds


def exit_code(reports: Iterable, fail_on: str) -> int:
    """0, 1 or 2 for a run (see the module docstring)."""
    from kinerja_xl.findings import Severity

    reports = list(reports)
    if any(r.error is not None for r in reports):
        return EXIT_FAILED
    threshold = Severity(fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank >= threshold for r in reports for f in r.findings) else EXIT_CLEAN


def render(reports: list, fmt: str, lang: str, config=None) -> None:
    """Write the reports to stdout in ``fmt``; only ``human`` is laid out for a terminal, the others never wrap."""
    from kinerja_xl.report import render_concise, render_human, render_json, render_sarif

    if fmt == "human":
        render_human(reports, console(), lang, config=config)
    elif fmt == "concise":
        render_concise(reports, sys.stdout, lang)
    elif fmt == "json":
        render_json(reports, sys.stdout, lang)
    else:
        render_sarif(reports, sys.stdout, lang)
