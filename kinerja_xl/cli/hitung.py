"""``kinerja-xl hitung FILE``: print every computed value of a workbook.

Capaian %, predikat, serapan %, nilai unsur (NRR), IKM, mutu… whatever the
table modules' ``compute()`` give (``compute.compute_all``, the same values
the write-back puts into empty cells), grouped by table, so a user who has
not filled those cells yet gets the numbers.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

_T = {
    "id": {"cell": "Sel", "row": "Baris", "what": "Besaran", "value": "Nilai", "existing": "Isi sel sekarang",
           "none": "Tidak ada nilai yang dapat dihitung (tidak ditemukan tabel dengan target/realisasi, plafon/realisasi "
                   "atau rekap survei).", "formula": "rumus", "table": "Tabel"},
    "en": {"cell": "Cell", "row": "Row", "what": "Quantity", "value": "Value", "existing": "Cell now holds",
           "none": "Nothing to compute (no table with targets/actuals, budgets/realisations or a survey recap found).",
           "formula": "formula", "table": "Table"},
}


_MIN_WIDTH = {"cell": 5, "what": 14, "value": 13, "existing": 13}
_MAX_WIDTH = {"row": 32, "what": 34}


class HitungFormat(str, Enum):
    human = "human"
    json = "json"


class HitungLang(str, Enum):
    id = "id"
    en = "en"


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
            "title": (table.spec.title_en if lang == "en" else table.spec.title_id) if table is not None else None,
            "values": [{
                "kind": c.kind, "cell": c.cell, "row_key": c.row_key, "label": c.label(lang),
                "value": _json_value(c.value), "existing": _json_value(c.existing), "formula": c.formula,
            } for c in values],
        })
    return {"file": report.file, "tables": tables}


def render(report, computed: list, console, lang: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from kinerja_xl.findings import Percent
    from kinerja_xl.numfmt import format_value

    t = _T["en" if lang == "en" else "id"]
    console.rule(Text(report.file, style="bold"))
    if not computed:
        console.print(t["none"])
        return
    for table, values in grouped(report, computed):
        title = (table.spec.title_en if lang == "en" else table.spec.title_id) if table is not None else t["table"]
        out = Table(title=f"{values[0].sheet}: {title}", title_justify="left")
        for col in ("cell", "row", "what", "value", "existing"):
            # long row names are cut, long labels wrap, numbers never break
            out.add_column(t[col], overflow="ellipsis" if col == "row" else "fold", no_wrap=col != "what",
                           justify="right" if col in ("value", "existing") else "left",
                           max_width=_MAX_WIDTH.get(col), min_width=_MIN_WIDTH.get(col))
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
            out.add_row(c.cell or "", row_key, c.label(lang), Text(format_value(c.value, lang), style="bold"), shown)
        console.print(out)


def register(app: typer.Typer) -> None:
    """Add ``kinerja-xl hitung``."""

    @app.command()
    def hitung(
        file: Path = typer.Argument(..., help="Buku kerja .xlsx/.xlsm.", show_default=False),
        fmt: HitungFormat = typer.Option(HitungFormat.human, "--format", "-f", help="human: tabel; json."),
        lang: Optional[HitungLang] = typer.Option(None, "--lang", help="Bahasa: id (bawaan) atau en."),
        config: Optional[Path] = typer.Option(None, "--config", help="Berkas pengaturan (kinerja-xl.toml)."),
    ) -> None:
        """Hitung capaian %, predikat, serapan %, nilai unsur, IKM dan mutu dari isi buku kerja, lalu tampilkan.

        Nilai yang sama diisikan ke sel kosong oleh `validate --annotate` dan tombol Hitung.
        Exit code 0: berhasil; 2: berkas tidak dapat dibaca.
        """
        from kinerja_xl.cli import _console, load_settings
        from kinerja_xl.runner import validate_file
        from kinerja_validators.compute import compute_all

        cfg = load_settings(config, file, lang=lang.value if lang else None)
        report = validate_file(file, cfg)
        if report.error is not None:
            _console(stderr=True).print(f"[bold red]kinerja-xl:[/] {report.file}: {report.error.message(cfg.lang)}")
            raise typer.Exit(2)
        computed = compute_all(report.tables, cfg)
        if fmt == HitungFormat.json:
            json.dump(as_json(report, computed, cfg.lang), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            render(report, computed, _console(), cfg.lang)
