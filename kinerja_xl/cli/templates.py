"""``kinerja-xl template`` and ``kinerja-xl example``: write blank templates and the bundled example."""

# no `from __future__ import annotations`: typer evaluates the signature's Annotated options
from pathlib import Path
from typing import Optional

import typer

from kinerja_xl.cli import options
from kinerja_xl.i18n import gettext_for

#: ``kinerja-xl template contoh`` writes the example workbook (not a registered template)
EXAMPLE_ALIAS = "contoh"
#: ``kinerja-xl template contoh-survei``: the seed's survey recap beside synthetic raw responses
SURVEY_ALIAS = "contoh-survei"


def _names_text(lang: str) -> str:
    from kinerja_xl.templates import TEMPLATES, load

    _ = gettext_for(lang)
    load()
    lines = []
    for name, t in sorted(TEMPLATES.items()):
        lines.append(f"  {name:<20} {_(t.title)}")
    lines.append(f"  {EXAMPLE_ALIAS:<20} {_('buku kerja contoh terisi (laporan Kecamatan Lumajang TW III 2021)')}")
    lines.append(f"  {SURVEY_ALIAS:<20} {_('rekap SKM beserta data jawaban responden (contoh)')}")
    return "\n".join(lines)


def _write(build, path: Path, force: bool, what: str, lang: str) -> None:
    """Build into ``path`` unless it exists (and --force is not given); messages in the user's language."""
    from kinerja_xl.cli.common import describe_os_error, fail

    _ = gettext_for(lang)
    if path.is_dir():
        path = path / what  # `-o folder/` writes the default file name into it
    if path.exists() and not force:
        raise fail(_("{path} sudah ada; tidak ditimpa. Pakai --force untuk menggantinya atau pilih nama lain dengan -o.")
                   .format(path=path))
    if path.suffix.lower() != ".xlsx":
        raise fail(_("{path}: nama berkas harus berakhiran .xlsx").format(path=path))
    if not path.parent.exists():
        raise fail(_("folder {path} tidak ada").format(path=path.parent))
    try:
        build(path)
    except OSError as exc:
        raise fail(_("{path} tidak dapat ditulis ({reason})").format(path=path, reason=describe_os_error(exc, lang)))
    typer.echo(_("Ditulis: {path}").format(path=path))


def template_cmd(
    name: Optional[str] = typer.Argument(None, metavar="NAMA", help="Nama templat (lihat --list), atau 'contoh' untuk buku kerja contoh.", show_default=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="BERKAS", show_default=False,
                                          help="Berkas .xlsx yang ditulis [bawaan: NAMA.xlsx di folder ini]."),
    force: bool = typer.Option(False, "--force", help="Timpa berkas yang sudah ada."),
    list_: bool = typer.Option(False, "--list", "-l", help="Tampilkan nama templat yang tersedia."),
    lang: options.LangOpt = None,
) -> None:
    """Tulis templat kosong resmi (judul, header, format angka #.##0, lebar kolom, tata cetak).

    Contoh: kinerja-xl template realisasi -o realisasi-tw3.xlsx
    """
    from kinerja_xl.templates import (
        EXAMPLE_NAME,
        SURVEY_EXAMPLE_NAME,
        TEMPLATES,
        build_example,
        build_template,
        load,
    )

    from kinerja_xl.cli.common import fail

    lang = lang.value if lang else "id"
    load()
    _ = gettext_for(lang)
    if list_:
        typer.echo(_("Templat yang tersedia:"))
        typer.echo(_names_text(lang))
        return
    if not name:
        raise fail(_("sebutkan nama templat. Tersedia:") + "\n" + _names_text(lang))
    key = name.strip().lower()
    if key == EXAMPLE_ALIAS:
        _write(build_example, output or Path(EXAMPLE_NAME), force, EXAMPLE_NAME, lang)
        return
    if key == SURVEY_ALIAS:
        _write(lambda p: build_example(p, SURVEY_EXAMPLE_NAME), output or Path(SURVEY_EXAMPLE_NAME), force,
               SURVEY_EXAMPLE_NAME, lang)
        return
    if key not in TEMPLATES:
        raise fail(_("templat '{name}' tidak dikenal. Tersedia:").format(name=name) + "\n" + _names_text(lang))
    t = TEMPLATES[key]
    _write(lambda p: build_template(key, p), output or Path(t.filename), force, t.filename, lang)


def example_cmd(
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="BERKAS", show_default=False,
                                          help="Berkas .xlsx yang ditulis [bawaan: contoh-lumajang-tw3-2021.xlsx]."),
    force: bool = typer.Option(False, "--force", help="Timpa berkas yang sudah ada."),
    survei: bool = typer.Option(False, "--survei", help="Tulis contoh rekap SKM beserta data jawaban responden."),
    lang: options.LangOpt = None,
) -> None:
    """Tulis buku kerja contoh: laporan Kecamatan Lumajang TW III 2021 persis seperti tercetak (termasuk kesalahannya).

    Coba: kinerja-xl example -o contoh.xlsx && kinerja-xl validate contoh.xlsx
    """
    from kinerja_xl.templates import (
        EXAMPLE_NAME,
        SURVEY_EXAMPLE_NAME,
        build_example,
    )

    name = SURVEY_EXAMPLE_NAME if survei else EXAMPLE_NAME
    _write(lambda p: build_example(p, name), output or Path(name), force, name, lang.value if lang else "id")
