"""``kinerja-xl addin build|install``: the Excel ribbon add-in."""

# no `from __future__ import annotations`: typer evaluates the signature's options
from pathlib import Path

import typer

from kinerja_xl.cli import options
from kinerja_xl.cli.usage import KxCommand, KxGroup

addin_app = typer.Typer(
    name="addin",
    cls=KxGroup,
    help="Add-in Excel: tab \"Kinerja\" dengan tombol Periksa, Hitung, Bersihkan.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _reason(exc: Exception) -> str:
    """Our own messages as they are; a file-system error as a phrase with its path, never the raw exception."""
    from kinerja_xl.cli.common import describe_os_error

    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{exc.filename}: {describe_os_error(exc)}" if exc.filename else describe_os_error(exc)
    return str(exc)


NO_UDF_SERVER_HELP = ("Jangan pakai server Python xlwings (\"Use UDF Server\"): setiap klik tombol memulai Python baru "
                      "(lebih lambat, tanpa proses Python yang tetap berjalan).")


@addin_app.command("build", cls=KxCommand)
def build_cmd(
    output: Path = typer.Option(Path("."), "--output", "-o", metavar="FOLDER", help="Folder tujuan berkas .xlam."),
    no_udf_server: bool = typer.Option(False, "--no-udf-server", help=NO_UDF_SERVER_HELP),
) -> None:
    """Buat berkas add-in (.xlam), satu per tombol, dari add-in quickstart xlwings."""
    from kinerja_xl.addin.build import build
    from kinerja_xl.cli.common import fail

    try:
        paths = build(output, udf_server=not no_udf_server)
    except (OSError, ValueError) as exc:
        raise fail(f"add-in tidak dapat dibuat: {_reason(exc)}")
    for p in paths:
        typer.echo(str(p))


@addin_app.command("install", cls=KxCommand)
def install_cmd(
    no_udf_server: bool = typer.Option(False, "--no-udf-server", help=NO_UDF_SERVER_HELP),
) -> None:
    """Pasang add-in ke Excel (Windows, macOS): tab "Kinerja" muncul setelah Excel dibuka ulang."""
    from kinerja_xl.addin.build import InstallError, install
    from kinerja_xl.cli.common import fail

    try:
        lines = install(udf_server=not no_udf_server)
    except (InstallError, OSError, ValueError) as exc:
        raise fail(_reason(exc))
    for line in lines:
        typer.echo(line)


@addin_app.command("doctor", cls=KxCommand)
def doctor_cmd(lang: options.LangOpt = None) -> None:
    """Periksa pemasangan add-in (Python, kinerja-xl, berkas di XLSTART, versi xlwings) dan katakan cara memperbaikinya.

    Kode keluar: 0 semua pemeriksaan lolos; 1 ada yang perlu diperbaiki.
    """
    from kinerja_xl.addin import doctor

    language = lang.value if lang else "id"
    checks = doctor.diagnose()
    for line in doctor.report_lines(checks, language):
        typer.echo(line)
    raise typer.Exit(0 if doctor.healthy(checks) else 1)
