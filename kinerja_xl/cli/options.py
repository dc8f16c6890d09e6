"""Options shared by several commands, each defined once.

A command declares ``select: options.Select = None`` and gets the same
flag, placeholder and help text as every other command that has it. The
placeholders (``KODE``, ``BERKAS``) are given explicitly: typer's own
(``<list[str]>``, ``<path>``) read as programmer's notation to a clerk.
"""

# no `from __future__ import annotations`: typer evaluates these Annotated types at registration
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from kinerja_xl.cli.early import DEFAULT_MAX_SECONDS  # noqa: F401 -- every command's default, defined where validate needs no typer


class Fmt(str, Enum):
    human = "human"
    concise = "concise"
    json = "json"
    sarif = "sarif"


class HitungFmt(str, Enum):
    human = "human"
    json = "json"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Lang(str, Enum):
    id = "id"
    en = "en"


Format = Annotated[Fmt, typer.Option(
    "--format", "-f", help="human: temuan per sel untuk dibaca; concise: satu baris per temuan; json; sarif.")]
HitungFormat = Annotated[HitungFmt, typer.Option("--format", "-f", help="human: tabel untuk dibaca; json.")]
FailOn = Annotated[Optional[Level], typer.Option(
    "--fail-on", show_default=False,
    help="Keluar dengan kode 1 bila ada temuan setingkat ini atau lebih berat [bawaan: error].")]
LangOpt = Annotated[Optional[Lang], typer.Option(
    "--lang", show_default=False, help="Bahasa pesan: id (bawaan) atau en.")]
Select = Annotated[Optional[List[str]], typer.Option(
    "--select", metavar="KODE", show_default=False, help="Hanya aturan ini (awalan kode, mis. KX3; boleh diulang).")]
Ignore = Annotated[Optional[List[str]], typer.Option(
    "--ignore", metavar="KODE", show_default=False, help="Abaikan aturan ini (awalan kode atau nama; boleh diulang).")]
ConfigFile = Annotated[Optional[Path], typer.Option(
    "--config", metavar="BERKAS", show_default=False, help="Berkas pengaturan (kinerja-xl.toml).")]
MaxSeconds = Annotated[float, typer.Option(
    "--max-seconds", metavar="DETIK",
    help="Batas waktu pemeriksaan per berkas; berkas yang melebihinya dihentikan dan dilaporkan.")]
MaxRows = Annotated[Optional[int], typer.Option(
    "--max-rows", metavar="N", show_default=False,
    help="Lembar yang lebih panjang ditolak tanpa dibaca [bawaan: 200.000 baris].")]
ExitZero = Annotated[bool, typer.Option(
    "--exit-zero", help="Keluar dengan kode 0 walau ada temuan, bila berkas terbaca (untuk demo dan CI yang hanya melapor).")]
