"""``kinerja-xl hitung FILE``: print every computed value of a workbook.

Capaian %, predikat, serapan %, nilai unsur (NRR), IKM, mutu… whatever the
table kinds compute (``compute_values``, the same values the write-back puts
into empty cells), grouped by table, so a user who has not filled those
cells yet gets the numbers; and, for a value that could not be computed,
the reason the computation gives (which input stops it).
"""

# no `from __future__ import annotations`: typer evaluates the signature's Annotated options
import sys
from pathlib import Path
from typing import Any

import typer

from kinerja_xl.cli import options
from kinerja_xl.cli.options import DEFAULT_MAX_SECONDS, HitungFmt
from kinerja_xl.i18n import N_, translate, translated

_T = {
    "cell": N_("Sel"),
    "row": N_("Baris"),
    "what": N_("Besaran"),
    "value": N_("Nilai"),
    "existing": N_("Isi sekarang"),
    "none": N_("Tidak ada nilai yang dapat dihitung (tidak ditemukan tabel dengan target/realisasi, plafon/realisasi atau rekap survei)."),
    "formula": N_("rumus"),
    "table": N_("Tabel"),
    "missing": N_("Tidak dapat dihitung:"),
}


_MIN_WIDTH = {"cell": 5, "what": 16}
_MAX_WIDTH = {"what": 34}
#: five columns' padding and six rules of a rich table
_TABLE_CHROME = 16


def compute_values(tables: list, config: Any) -> list:
    """Every value the table kinds compute for these tables; the one place the CLI asks the domain for them.

    A value that could not be computed comes with ``value`` None and says why
    (``why(lang)``) where the computation reports it.
    """
    from kinerja_xl.kinds import compute_all

    return compute_all(tables, config, missing=True)


def _why(c: Any, lang: str) -> str | None:
    why = getattr(c, "why", None)
    return why(lang) if callable(why) else None


def grouped(report, computed: list) -> list[tuple[Any, list]]:
    """Computed values grouped by the table they belong to, in workbook order.

    A value with a cell belongs to the table whose rows hold that cell; one
    without (a predikat, an IKM with no place for it) to the table of the
    value before it.
    """
    import re

    def owner(c) -> Any:
        if not c.cell:
            return None
        row = int(re.sub(r"\D", "", c.cell))
        return next((t for t in report.tables if t.sheet == c.sheet and t.header_rows[0] <= row <= t.last_row), None)

    def only_table(sheet: str) -> Any:
        on_sheet = [t for t in report.tables if t.sheet == sheet]
        return on_sheet[0] if len(on_sheet) == 1 else None

    groups: list[tuple[Any, list]] = []
    current = None
    for c in computed:
        table = owner(c)
        if table is None:
            table = current if current is not None and current.sheet == c.sheet else only_table(c.sheet)
        if not groups or groups[-1][0] is not table or (table is None and groups[-1][1][-1].sheet != c.sheet):
            groups.append((table, []))
        groups[-1][1].append(c)
        current = table
    return groups


def _json_value(v: Any) -> Any:
    from kinerja_xl.findings import json_number

    return json_number(v)


def as_json(report, computed: list, lang: str) -> dict:
    tables = []
    for table, values in grouped(report, computed):
        tables.append({
            "sheet": values[0].sheet,
            "kind": table.kind if table is not None else None,
            "title": translate(table.spec.title, lang) if table is not None else None,
            "values": [{
                "kind": c.kind, "cell": c.cell, "row_key": c.row_key, "label": c.label(lang),
                "value": _json_value(c.value), "existing": _json_value(c.existing), "formula": c.formula,
                "reason": _why(c, lang) if c.value is None else None,
            } for c in values],
        })
    return {"file": report.file, "tables": tables}


def render(report, computed: list, console, lang: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from kinerja_xl.findings import Percent
    from kinerja_xl.numfmt import format_value

    t = translated(_T, lang)
    console.print(Text(report.file, style="bold underline"))
    if not computed:
        console.print(t["none"])
        return
    for table, group in grouped(report, computed):
        title = translate(table.spec.title, lang) if table is not None else t["table"]
        values = [c for c in group if c.value is not None]
        missing = [c for c in group if c.value is None]
        if not values:
            console.print(Text(f"{group[0].sheet}: {title}", style="italic"))
            _print_missing(missing, console, lang, t)
            continue
        rows = []
        previous = None
        for c in values:
            existing = c.existing
            if isinstance(c.value, Percent) and isinstance(existing, (int, float)):
                existing = Percent(float(existing), c.value.decimals)  # shown like the value it is compared with
            shown = "" if existing is None else format_value(existing, lang)
            if c.formula:
                shown = f"{shown} ({t['formula']})".strip()
            row_key = "" if c.row_key == previous else c.row_key  # a predikat under its capaian
            previous = c.row_key
            rows.append((c.cell or "", row_key, c.label(lang), format_value(c.value, lang), shown))
        # numbers and cells never break, labels wrap; the row name takes what is left on a terminal and is cut
        # with an ellipsis there, whole anywhere else
        fixed = sum(max(len(t[col]), _MIN_WIDTH.get(col, 0), *(len(r[i]) for r in rows))
                    for i, col in ((0, "cell"), (3, "value"), (4, "existing")))
        row_width = max(10, console.width - _TABLE_CHROME - fixed - _MIN_WIDTH["what"]) if console.is_terminal else None
        out = Table(title=f"{values[0].sheet}: {title}", title_justify="left")
        for col in ("cell", "row", "what", "value", "existing"):
            out.add_column(t[col], overflow="ellipsis" if col == "row" else "fold", no_wrap=col != "what",
                           justify="right" if col in ("value", "existing") else "left",
                           max_width=row_width if col == "row" else _MAX_WIDTH.get(col), min_width=_MIN_WIDTH.get(col))
        for cell, row_key, label, value, shown in rows:
            out.add_row(cell, row_key, label, Text(value, style="bold"), shown)
        console.print(out)
        _print_missing(missing, console, lang, t)


def _print_missing(missing: list, console, lang: str, t: dict) -> None:
    """Values the computation could not give, each with its reason (which input stops it)."""
    from rich.padding import Padding
    from rich.text import Text

    if not missing:
        return
    console.print(Text(t["missing"], style="bold"))
    for c in missing:
        where = f" ({c.cell})" if c.cell else ""
        row = f", {c.row_key}" if c.row_key else ""
        reason = _why(c, lang) or "-"
        line = Text(f"{c.label(lang)}{where}{row}: ", style="bold") + Text(reason)
        console.print(Padding(line, (0, 0, 0, 2)) if console.is_terminal else Text("  ") + line)


def hitung(
    file: Path = typer.Argument(..., metavar="BERKAS", show_default=False, help="Buku kerja .xlsx/.xlsm, atau .xls/.ods."),
    fmt: options.HitungFormat = HitungFmt.human,
    lang: options.LangOpt = None,
    config: options.ConfigFile = None,
    max_seconds: options.MaxSeconds = DEFAULT_MAX_SECONDS,
    max_rows: options.MaxRows = None,
) -> None:
    """Hitung capaian %, predikat, serapan %, nilai unsur, IKM dan mutu dari isi buku kerja, lalu tampilkan.

    Nilai yang sama diisikan ke sel kosong oleh `kinerja-xl periksa` dan tombol Hitung di Excel.
    Nilai yang tidak dapat dihitung disebutkan beserta alasannya.
    Kode keluar: 0 berhasil; 2 berkas tidak dapat dibaca atau perhitungan melebihi --max-seconds.
    """
    from kinerja_xl.cli.common import check_max_seconds, console, fail, limits, load_settings
    from kinerja_xl.cli.timebound import TimeLimitExceeded, time_bound
    from kinerja_xl.cli.timebound import message as timeout_message
    from kinerja_xl.gcpause import start_up_done
    from kinerja_xl.runner import validate_file

    start_up_done()
    cfg = load_settings(config, file, lang=lang.value if lang else None)
    bounds = limits(max_rows)
    check_max_seconds(max_seconds)
    try:
        with time_bound(max_seconds, file, cfg.lang):
            report = validate_file(file, cfg, bounds)
            computed = compute_values(report.tables, cfg) if report.error is None else []
    except TimeLimitExceeded:
        raise fail(timeout_message(file, max_seconds, cfg.lang))
    if report.error is not None:
        raise fail(report.error.message(cfg.lang))
    if fmt == HitungFmt.json:
        from kinerja_xl.report.jsonfmt import write_json

        write_json(as_json(report, computed, cfg.lang), sys.stdout)
    else:
        render(report, computed, console(), cfg.lang)
