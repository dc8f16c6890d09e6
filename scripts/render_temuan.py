"""Render the annotated copy of the bundled example (its Temuan sheet first) to PDF and PNG, to look at it.

    python scripts/render_temuan.py [--out FOLDER] [--dpi 60] [--lang id|en] [FILE]

Runs ``periksa`` on FILE (default: the bundled example
``xlsx_templates/contoh-lumajang-tw3-2021.xlsx``) into FOLDER/xlsx, then
renders the annotated copy with LibreOffice and pdftoppm exactly as
``scripts/render_templates.py`` renders the templates (same private
profile, formulas recalculated on loading). Prints the PNG paths; the
first pages are the Temuan sheet.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from render_templates import missing_tools, render  # noqa: E402

from kinerja_xl.config import Config  # noqa: E402
from kinerja_xl.writeback.annotate import annotate_file  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx")
    parser.add_argument("--out", type=Path, default=Path("build/render-temuan"), help="output folder")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--lang", choices=("id", "en"), default="id")
    args = parser.parse_args(argv)
    if missing_tools():
        return 2
    out = args.out.resolve()
    (out / "xlsx").mkdir(parents=True, exist_ok=True)
    annotated = out / "xlsx" / f"{args.file.stem}.periksa.xlsx"
    annotate_file(args.file, annotated, Config(lang=args.lang))
    with tempfile.TemporaryDirectory(prefix="kx-lo-") as profile:
        for png in render(annotated, out, args.dpi, Path(profile)):
            print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
