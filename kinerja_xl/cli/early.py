"""``validate`` without typer: a plain command line is read and run here, before typer or pandas is imported.

A line typer would read the same way (``validate BERKAS… [--opsi NILAI |
--opsi=NILAI | flag]…`` with every value one it accepts) is run by ``check``
directly: typer, its command tree and the validators it builds per option
cost ~35 ms CPU of every run beyond what pandas and pandera import anyway
(pydantic among it), on the thread that holds the GIL for nearly all the
run's Python work. Anything else (``--help``, a short option glued to its
value, ``--``, a value typer would refuse or convert otherwise) goes to typer,
which explains it; the typer command ``validate`` (``cli/validate.py``) calls
the same ``check``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

#: generous: the bundled example takes under a second; a pathological sheet must not hang a clerk's terminal
DEFAULT_MAX_SECONDS = 120.0


def reading_limits(max_rows: int | None):
    """The reading limits with ``--max-rows`` applied (the other bounds keep their defaults); the
    value is checked by the caller (``cli.common.limits``)."""
    from kinerja_xl.workbook.safety import Limits

    # every command that reads workbooks has --max-rows, so the size-limit message may name it
    if max_rows is None:
        return Limits(max_rows_option="--max-rows")
    return Limits(max_rows=max_rows, max_rows_option="--max-rows")


# `validate`'s options that take a value, by the name of check's argument (every other option is a flag);
# the choices are those of cli.options' enums, held equal by a test
_CHOICES = {"fmt": ("human", "concise", "json", "sarif"), "fail_on": ("error", "warning", "info"), "lang": ("id", "en")}
_VALUED = {"-f": "fmt", "--format": "fmt", "--fail-on": "fail_on", "--lang": "lang", "--select": "select",
           "--ignore": "ignore", "--config": "config", "--max-seconds": "max_seconds", "--max-rows": "max_rows"}
_FLAGS = {"--coverage": "coverage", "--exit-zero": "exit_zero"}
# the numbers typer reads as Python does; anything else (signs, exponents, '_', spaces) is typer's to judge
_INT = re.compile(r"[0-9]+")
_FLOAT = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def plain_validate(argv: list[str]) -> dict | None:
    """``check``'s arguments from a plain ``validate`` line, as typer would give them; None for any other line."""
    if not argv or argv[0] != "validate":
        return None
    args: dict = {"files": []}
    rest = iter(argv[1:])
    for arg in rest:
        name, eq, value = arg.partition("=")
        if arg in _VALUED:
            value = next(rest, None)
            if value is None:
                return None
            name = arg
        elif not (eq and name.startswith("--") and name in _VALUED):
            if arg in _FLAGS:
                args[_FLAGS[arg]] = True
            elif arg.startswith("-") or not arg:
                return None
            else:
                args["files"].append(Path(arg))
            continue
        key = _VALUED[name]
        if key in _CHOICES:
            if value not in _CHOICES[key]:
                return None
            args[key] = value
        elif key in ("select", "ignore"):
            args.setdefault(key, []).append(value)
        elif key == "config":
            if not value:
                return None
            args[key] = Path(value)
        elif key == "max_rows":
            if not _INT.fullmatch(value):
                return None
            args[key] = int(value)
        elif not _FLOAT.fullmatch(value):  # max_seconds
            return None
        else:
            args[key] = float(value)
    return args if args["files"] else None


def run_plain(args: dict) -> int:
    """``check(**args)`` with the first file's read started at once, as typer's run of the command
    ends (the exit code of a ``fail``, 130 on Ctrl-C, 1 when the reader of the output left)."""
    import errno

    max_rows, max_seconds = args.get("max_rows"), args.get("max_seconds", DEFAULT_MAX_SECONDS)
    if (max_rows is None or max_rows > 0) and max_seconds > 0:  # a wrong option is said before anything is read
        from kinerja_xl.workbook import OUR_SHEETS
        from kinerja_xl.workbook.files import read_ahead

        # calamine parses it without holding the GIL while pandas, pandera and the rules are imported
        read_ahead(args["files"][0], reading_limits(max_rows), skip=set(OUR_SHEETS))
    try:
        return check(**args)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        from kinerja_xl.cli.process import _output_lost

        _output_lost(None)  # what is still buffered goes nowhere
        return 1
    except Exception as exc:
        typer = sys.modules.get("typer")  # only `fail` raises typer's Exit, importing typer to do so
        if typer is not None and isinstance(exc, typer.Exit):
            return exc.exit_code
        raise


def check(files: list[Path], fmt: str = "human", fail_on: str | None = None, lang: str | None = None,
          select: list[str] | None = None, ignore: list[str] | None = None, config: Path | None = None,
          max_seconds: float = DEFAULT_MAX_SECONDS, max_rows: int | None = None, exit_zero: bool = False,
          coverage: bool = False) -> int:
    """What ``kinerja-xl validate`` does, with its options' values (``fmt``, ``fail_on``, ``lang`` as their
    texts); returns the exit code."""
    from kinerja_xl.cli.common import check_max_seconds, console, exit_code, limits, load_settings, render
    from kinerja_xl.cli.timebound import TimeLimitExceeded, time_bound, timeout_report
    from kinerja_xl.i18n import N_, translate
    from kinerja_xl.workbook import OUR_SHEETS
    from kinerja_xl.workbook.files import read_ahead

    cfg = load_settings(config, files[0], lang=lang, fail_on=fail_on, select=tuple(select or ()),
                        ignore=tuple(ignore or ()))
    bounds = limits(max_rows)
    check_max_seconds(max_seconds)  # a wrong option is said before anything is read or imported
    # calamine parses the first file without holding the GIL while pandas, pandera and the rules are imported
    read_ahead(files[0], bounds, skip=set(OUR_SHEETS))
    import pandas  # noqa: F401 -- imported during the read instead of after it
    import pandera  # noqa: F401

    from kinerja_xl.gcpause import start_up_done
    from kinerja_xl.runner import validate_file

    start_up_done()

    reports = []
    iterator = files
    if fmt == "human" and len(files) > 3 and sys.stderr.isatty():
        from rich.progress import track

        iterator = track(files, description=translate(N_("Memeriksa…"), cfg.lang),
                         console=console(stderr=True), transient=True)
    for path in iterator:
        try:
            with time_bound(max_seconds, path, cfg.lang):
                report = validate_file(path, cfg, bounds)
        except TimeLimitExceeded:
            report = timeout_report(path, max_seconds)
        reports.append(report)
    if coverage and fmt == "json":
        from kinerja_xl.report.jsonfmt import render_json

        render_json(reports, sys.stdout, cfg.lang, cells=True)
    else:
        render(reports, fmt, cfg.lang, cfg)
    code = exit_code(reports, cfg.fail_on)
    return 0 if exit_zero and code == 1 else code
