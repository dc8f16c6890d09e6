"""``kinerja-xl schema``: a table kind's pandera schema, for use in one's own pipelines."""

# no `from __future__ import annotations`: typer evaluates the signature's Annotated options
from typing import Optional

import typer

from kinerja_xl.cli import options


def schema_cmd(
    kind: Optional[str] = typer.Argument(None, metavar="JENIS", show_default=False,
                                         help="Jenis tabel, mis. realisasi; tanpa JENIS: daftar jenis yang punya skema."),
    lang: options.LangOpt = None,
) -> None:
    """Tampilkan skema pandera satu jenis tabel sebagai YAML (identitas aritmetika yang diperiksa).

    Skema yang sama dapat dipakai di program sendiri:
    from kinerja_validators.schemas import realisasi; realisasi.validate(frame, lazy=True)

    Contoh: kinerja-xl schema realisasi > realisasi.yaml
    """
    from kinerja_xl.cli.common import console, fail
    from kinerja_xl.i18n import gettext_for, translate
    from kinerja_xl.kinds import load_kinds

    language = lang.value if lang else "id"
    _ = gettext_for(language)
    kinds = [k for k in load_kinds() if k.schema is not None]
    if kind is None:
        out = console()
        for k in kinds:
            out.print(f"{k.name:<14} {translate(k.title, language)}", highlight=False)
        return
    wanted = kind.strip().lower().replace("-", "_")
    found = next((k for k in kinds if wanted == k.name or wanted in k.table_kinds), None)
    if found is None:
        names = ", ".join(k.name for k in kinds)
        raise fail(_("tidak ada jenis tabel '{kind}' yang punya skema. Jenis yang ada: {names}").format(
            kind=kind, names=names))
    typer.echo(found.schema().to_yaml(), nl=False)
