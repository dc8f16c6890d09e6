"""The ``kinerja-xl`` application: one typer app, every command registered here in the order ``--help`` lists them.

Starting the CLI imports typer and these modules only; each command imports
what it needs (pandas, pandera, openpyxl, xlwings) inside its function, so
``kinerja-xl --help``, ``rules`` and ``explain`` answer at once.
"""

from __future__ import annotations

import typer

from kinerja_xl import __version__
from kinerja_xl.cli.process import guarded
from kinerja_xl.cli.usage import KxCommand, KxGroup

app = typer.Typer(
    name="kinerja-xl",
    cls=KxGroup,
    help=(
        "Periksa aritmetika Laporan Kinerja Triwulan (realisasi anggaran, refocusing, PK, IKU, SKM/IKM).\n\n"
        "Checks the arithmetic of Indonesian quarterly performance reports (--lang en for English messages).\n\n"
        "Contoh / examples:\n\n"
        "  kinerja-xl validate laporan.xlsx\n\n"
        "  kinerja-xl validate laporan.xlsx --format json > temuan.json\n\n"
        "  kinerja-xl periksa laporan.xlsx     # salinan bertanda\n\n"
        "  kinerja-xl rules                    # daftar aturan\n\n"
        "  kinerja-xl explain KX301            # penjelasan satu aturan\n\n"
        "Kode keluar / exit codes: 0 tidak ada temuan setingkat --fail-on; 1 ada temuan (juga buku kerja tanpa tabel "
        "laporan yang dikenali, KX010); 2 kinerja-xl tidak dapat bekerja (berkas tak terbaca, opsi salah, melebihi "
        "--max-seconds)."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kinerja-xl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Tampilkan versi lalu keluar."),
) -> None:
    pass


def _register() -> None:
    from kinerja_xl.cli import addin, audit, hitung, rules, schema, templates, validate, writeback

    def command(name, func, **kw):
        app.command(name, cls=KxCommand, **kw)(func)

    command("validate", validate.validate)
    command("rules", rules.list_rules)
    command("explain", rules.explain)
    command("schema", schema.schema_cmd)
    command("template", templates.template_cmd)
    command("example", templates.example_cmd)
    command("hitung", hitung.hitung)
    command("periksa", writeback.periksa)
    command("annotate", writeback.periksa,
            help="Sama dengan `periksa` (nama lama): periksa dan tulis salinan bertanda NAMA.periksa.xlsx.")
    command("clear", writeback.clear)
    app.add_typer(addin.addin_app, name="addin")
    command("audit", audit.audit)


_register()


def run(args: list[str] | None = None) -> int:
    """Run the command line (``sys.argv`` or ``args``) and return its exit code; never raises."""
    def typer_run() -> int:
        app(args=args, prog_name="kinerja-xl")  # also under `python -m kinerja_xl.cli`
        return 0

    return guarded(typer_run)
