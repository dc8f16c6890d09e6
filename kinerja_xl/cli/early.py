"""Starting ``validate``'s read before typer is imported: this module imports neither typer nor
pandas, so the console script (``kinerja_xl.cli.main``) can run it first."""

from __future__ import annotations

from pathlib import Path


def reading_limits(max_rows: int | None):
    """The reading limits with ``--max-rows`` applied (the other bounds keep their defaults); the
    value is checked by the caller (``cli.common.limits``)."""
    from kinerja_xl.workbook.safety import Limits

    # every command that reads workbooks has --max-rows, so the size-limit message may name it
    if max_rows is None:
        return Limits(max_rows_option="--max-rows")
    return Limits(max_rows=max_rows, max_rows_option="--max-rows")


# `validate`'s options that take a value (every other option is a flag); --select and --ignore repeat
_VALUED = {"-f", "--format", "--fail-on", "--lang", "--select", "--ignore", "--config", "--max-seconds", "--max-rows"}
_FLAGS = {"--coverage", "--exit-zero"}


def read_ahead_early(argv: list[str]) -> None:
    """Start reading ``validate``'s first file before typer parses the command line (``main``).

    Typer itself takes ~60 ms to import and parsing the line imports pydantic
    and builds a validator per option (~60 ms more) before ``validate`` starts
    its read ahead, so ``kinerja_xl.cli.main`` calls this before importing
    either (this module imports neither); at 100.000 rows the read (~0,4 s)
    ends after the imports it overlaps, so every millisecond it starts earlier
    is one the run is shorter. Only a line read exactly as typer reads it
    starts anything (``validate BERKAS… [--opsi NILAI | --opsi=NILAI | flag]…``);
    ``--help``, short options glued to their value, ``--`` or a wrong value
    start nothing and ``validate`` reads the file itself. ``validate``'s own
    ``read_ahead`` of the same file with the same limits then finds it started.
    """
    if not argv or argv[0] != "validate":
        return
    first, max_rows, max_seconds = None, None, None
    rest = iter(argv[1:])
    for arg in rest:
        name, eq, value = arg.partition("=")
        if arg in _VALUED:
            value = next(rest, None)
            if value is None:
                return
            name = arg
        elif not (eq and name.startswith("--") and name in _VALUED):
            if arg in _FLAGS:
                continue
            if arg.startswith("-"):
                return
            first = arg if first is None else first
            continue
        if name == "--max-rows":
            max_rows = value
        elif name == "--max-seconds":
            max_seconds = value
    if first is None:
        return
    try:
        rows = None if max_rows is None else int(max_rows)
        seconds = None if max_seconds is None else float(max_seconds)
    except ValueError:
        return
    if (rows is not None and rows <= 0) or (seconds is not None and not seconds > 0):
        return  # a wrong option is said before anything is read
    from kinerja_xl.workbook import OUR_SHEETS
    from kinerja_xl.workbook.files import read_ahead

    read_ahead(Path(first), reading_limits(rows), skip=set(OUR_SHEETS))
