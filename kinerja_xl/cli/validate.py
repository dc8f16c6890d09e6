"""``kinerja-xl validate``: check workbooks and report every finding at its cell."""

# no `from __future__ import annotations`: typer evaluates the signature's Annotated options
from pathlib import Path
from typing import List

import typer

from kinerja_xl.cli import options
from kinerja_xl.cli.options import DEFAULT_MAX_SECONDS, Fmt


def validate(
    files: List[Path] = typer.Argument(..., metavar="BERKAS", show_default=False,
                                       help="Buku kerja yang diperiksa (satu atau lebih): .xlsx/.xlsm, juga .xls/.ods."),
    fmt: options.Format = Fmt.human,
    fail_on: options.FailOn = None,
    lang: options.LangOpt = None,
    select: options.Select = None,
    ignore: options.Ignore = None,
    config: options.ConfigFile = None,
    max_seconds: options.MaxSeconds = DEFAULT_MAX_SECONDS,
    max_rows: options.MaxRows = None,
    exit_zero: options.ExitZero = False,
    coverage: bool = typer.Option(False, "--coverage",
                                  help="Dengan --format json: sebutkan setiap sel angka yang diperiksa (A1) per kolom, "
                                       "dengan kode aturannya."),
) -> None:
    """Periksa satu atau beberapa buku kerja dan laporkan setiap temuan di selnya.

    Kode keluar: 0 tidak ada temuan setingkat --fail-on; 1 ada temuan (juga buku kerja tanpa tabel laporan
    yang dikenali, KX010); 2 berkas tidak dapat dibaca, opsi salah, atau pemeriksaan melebihi --max-seconds.
    """
    # the work is typer's no more than a plain command line's, which main runs without typer (cli.early)
    from kinerja_xl.cli.early import check

    raise typer.Exit(check(files, fmt.value, fail_on.value if fail_on else None, lang.value if lang else None, select,
                           ignore, config, max_seconds, max_rows, exit_zero, coverage))
