"""``kinerja-xl addin build|install``: the Excel ribbon add-in."""

from __future__ import annotations

from pathlib import Path

import typer

addin_app = typer.Typer(
    name="addin",
    help="Add-in Excel: tab \"Kinerja\" dengan tombol Periksa, Hitung, Bersihkan.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@addin_app.command("build")
def build_cmd(
    output: Path = typer.Option(Path("."), "--output", "-o", help="Folder tujuan berkas .xlam."),
) -> None:
    """Buat berkas add-in (.xlam), satu per tombol, dari add-in quickstart xlwings."""
    from kinerja_xl.addin.build import build

    try:
        paths = build(output)
    except (OSError, ValueError) as exc:
        typer.echo(f"kinerja-xl: add-in tidak dapat dibuat: {exc}", err=True)
        raise typer.Exit(2)
    for p in paths:
        typer.echo(str(p))


@addin_app.command("install")
def install_cmd() -> None:
    """Pasang add-in ke Excel (Windows, macOS): tab "Kinerja" muncul setelah Excel dibuka ulang."""
    from kinerja_xl.addin.build import InstallError, install

    try:
        lines = install()
    except (InstallError, OSError, ValueError) as exc:
        typer.echo(f"kinerja-xl: {exc}", err=True)
        raise typer.Exit(2)
    for line in lines:
        typer.echo(line)


def register(app: typer.Typer) -> None:
    app.add_typer(addin_app, name="addin")
