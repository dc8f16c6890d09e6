"""``kinerja-xl rules`` and ``kinerja-xl explain``: the rule catalogue. Nothing heavy is imported here."""

# no `from __future__ import annotations`: typer evaluates the signature's Annotated options
import typer

from kinerja_xl.cli import options


def list_rules(lang: options.LangOpt = None) -> None:
    """Daftar semua aturan: kode, nama, tingkat, tabel, ringkasan."""
    from rich.table import Table

    from kinerja_xl.cli.common import console
    from kinerja_xl.rules import all_rules

    en = lang is not None and lang.value == "en"
    table = Table("Code" if en else "Kode", "Name" if en else "Nama", "Severity" if en else "Tingkat",
                  "Tables" if en else "Tabel", "Summary" if en else "Ringkasan")
    for r in all_rules():
        table.add_row(r.code, r.name, r.severity.label("en" if en else "id"), ", ".join(r.tables) or "-", r.summary)
    console().print(table)


def explain(code: str = typer.Argument(..., metavar="KODE", show_default=False,
                                       help="Kode aturan, mis. KX301, atau namanya (sisa-identity).")) -> None:
    """Tampilkan dokumentasi satu aturan, dengan contoh salah dan benar."""
    from kinerja_xl.cli.common import fail
    from kinerja_xl.rules import all_rules, get_rule

    r = get_rule(code) or next((x for x in all_rules() if x.name == code.lower()), None)
    if r is None:
        raise fail(f"aturan '{code}' tidak dikenal. Lihat daftar aturan dengan: kinerja-xl rules")
    typer.echo(f"{r.code} {r.name} [{r.severity.value}]  tabel: {', '.join(r.tables) or '-'}\n")
    typer.echo(r.doc or r.summary)
    typer.echo(f"\nPesan: {r.message_id}\nMessage: {r.message_en}")
