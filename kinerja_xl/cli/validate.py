"""``kinerja-xl validate``: check workbooks and report every finding at its cell."""

# no `from __future__ import annotations`: typer evaluates the signature's Annotated options
import sys
from pathlib import Path
from typing import List

import typer

from kinerja_xl.cli import options
from kinerja_xl.i18n import N_, translate
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
    from kinerja_xl.cli.common import check_max_seconds, console, exit_code, limits, render, settings
    from kinerja_xl.cli.timebound import TimeLimitExceeded, time_bound, timeout_report
    from kinerja_xl.workbook import OUR_SHEETS
    from kinerja_xl.workbook.files import read_ahead

    cfg = settings(config, files[0], lang, fail_on, select, ignore)
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
    if fmt == Fmt.human and len(files) > 3 and sys.stderr.isatty():
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
    if coverage and fmt == Fmt.json:
        from kinerja_xl.report.jsonfmt import render_json

        render_json(reports, sys.stdout, cfg.lang, cells=True)
    else:
        render(reports, fmt.value, cfg.lang, cfg)
    code = exit_code(reports, cfg.fail_on)
    raise typer.Exit(0 if exit_zero and code == 1 else code)
