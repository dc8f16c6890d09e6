"""The ``kinerja-xl`` command.

Exit codes as ruff and sqlfluff: 0 no finding at or above ``--fail-on``,
1 findings, 2 the tool could not do its job (unreadable file, bad option).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from kinerja_xl import __version__

app = typer.Typer(
    name="kinerja-xl",
    help=(
        "Periksa aritmetika Laporan Kinerja Triwulan (realisasi anggaran, refocusing, PK, IKU, SKM/IKM).\n\n"
        "Checks the arithmetic of Indonesian quarterly performance reports.\n\n"
        "Contoh / examples:\n\n"
        "  kinerja-xl validate laporan.xlsx\n\n"
        "  kinerja-xl validate laporan.xlsx --format json > temuan.json\n\n"
        "  kinerja-xl rules            # daftar aturan\n\n"
        "  kinerja-xl explain KX301    # penjelasan satu aturan"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Fmt(str, Enum):
    human = "human"
    concise = "concise"
    json = "json"
    sarif = "sarif"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Lang(str, Enum):
    id = "id"
    en = "en"


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _fail(message: str) -> "typer.Exit":
    _console(stderr=True).print(f"[bold red]kinerja-xl:[/] {message}", markup=True, highlight=False)
    return typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kinerja-xl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Tampilkan versi."),
) -> None:
    pass


def load_settings(config: Optional[Path], near: Optional[Path], **overrides):
    from kinerja_xl.config import ConfigError, load_config

    try:
        cfg = load_config(near=near, explicit=config)
    except ConfigError as exc:
        raise _fail(str(exc))
    return cfg.merged(**overrides)


def exit_code(reports, fail_on: str) -> int:
    from kinerja_xl.findings import Severity

    # an unreadable file, or a workbook without any recognisable table: nothing could be checked
    if any(r.error is not None or (not r.tables and any(f.code == "KX010" for f in r.findings)) for r in reports):
        return 2
    threshold = Severity(fail_on).rank
    return 1 if any(f.severity.rank >= threshold for r in reports for f in r.findings) else 0


def render(reports, fmt: str, lang: str, out=None) -> None:
    from kinerja_xl.report import render_concise, render_human, render_json, render_sarif

    out = out or sys.stdout
    if fmt == "human":
        render_human(reports, _console(), lang)
    elif fmt == "concise":
        render_concise(reports, out, lang)
    elif fmt == "json":
        render_json(reports, out, lang)
    else:
        render_sarif(reports, out, lang)


@app.command()
def validate(
    files: List[Path] = typer.Argument(..., help="Buku kerja .xlsx/.xlsm yang diperiksa.", show_default=False),
    fmt: Fmt = typer.Option(Fmt.human, "--format", "-f", help="human: tabel; concise: satu baris per temuan; json; sarif."),
    fail_on: Optional[Level] = typer.Option(None, "--fail-on", help="Keluar dengan kode 1 bila ada temuan setingkat ini atau lebih berat [default: error]."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Bahasa pesan: id (bawaan) atau en."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Hanya aturan ini (awalan kode, mis. KX3)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Abaikan aturan ini (awalan kode atau nama)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Berkas pengaturan (kinerja-xl.toml)."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Selalu keluar dengan kode 0 bila berkas terbaca (untuk demo dan CI yang hanya melapor)."),
) -> None:
    """Periksa satu atau beberapa buku kerja dan laporkan setiap temuan di selnya.

    Exit code 0: tidak ada temuan setingkat --fail-on; 1: ada temuan; 2: berkas tidak dapat dibaca.
    """
    from kinerja_xl.runner import validate_file

    cfg = load_settings(config, files[0], lang=lang.value if lang else None, fail_on=fail_on.value if fail_on else None,
                        select=tuple(select or ()), ignore=tuple(ignore or ()))
    reports = []
    progress = fmt == Fmt.human and len(files) > 3 and sys.stderr.isatty()
    if progress:
        from rich.progress import track

        iterator = track(files, description="Memeriksa…", console=_console(stderr=True), transient=True)
    else:
        iterator = files
    for path in iterator:
        reports.append(validate_file(path, cfg))
    render(reports, fmt.value, cfg.lang)
    code = exit_code(reports, cfg.fail_on)
    raise typer.Exit(0 if exit_zero and code == 1 else code)


@app.command("rules")
def list_rules(lang: Lang = typer.Option(Lang.id, "--lang", help="Bahasa: id atau en.")) -> None:
    """Daftar semua aturan: kode, nama, tingkat, ringkasan."""
    from rich.table import Table

    from kinerja_xl.rules import all_rules

    table = Table("Kode" if lang == Lang.id else "Code", "Nama" if lang == Lang.id else "Name",
                  "Tingkat" if lang == Lang.id else "Severity", "Tabel" if lang == Lang.id else "Tables",
                  "Ringkasan" if lang == Lang.id else "Summary")
    for r in all_rules():
        table.add_row(r.code, r.name, r.severity.label(lang.value), ", ".join(r.tables) or "-", r.summary)
    _console().print(table)


@app.command()
def explain(code: str = typer.Argument(..., help="Kode aturan, mis. KX301, atau namanya.")) -> None:
    """Tampilkan dokumentasi satu aturan, dengan contoh salah dan benar."""
    from kinerja_xl.rules import all_rules, get_rule

    r = get_rule(code) or next((x for x in all_rules() if x.name == code.lower()), None)
    if r is None:
        raise _fail(f"aturan '{code}' tidak dikenal. Lihat `kinerja-xl rules`.")
    typer.echo(f"{r.code} {r.name} [{r.severity.value}]  tabel: {', '.join(r.tables) or '-'}\n")
    typer.echo(r.doc or r.summary)
    typer.echo(f"\nPesan: {r.message_id}\nMessage: {r.message_en}")


def _register_commands() -> None:
    """Each area keeps its commands beside its code; they all hang off one app."""
    from kinerja_xl.addin.cli import register as addin
    from kinerja_xl.audit.cli import register as audit
    from kinerja_xl.templates.cli import register as templates
    from kinerja_xl.writeback.cli import register as writeback
    from kinerja_validators.cli import register as compute

    for register in (templates, compute, writeback, addin, audit):
        register(app)


_register_commands()


def main() -> None:
    """Console-script entry: no traceback ever reaches the user."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("kinerja-xl: dibatalkan.\n")
        sys.exit(130)
    except Exception as exc:  # a bug of ours: one line, code 2, never a traceback
        sys.stderr.write(f"kinerja-xl: galat internal ({type(exc).__name__}: {exc}). Mohon laporkan; jalankan dengan KINERJA_XL_DEBUG=1 untuk rinciannya.\n")
        if __import__("os").environ.get("KINERJA_XL_DEBUG"):
            raise
        sys.exit(2)


if __name__ == "__main__":
    main()
