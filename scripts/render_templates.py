"""Render every template and bundled example to PDF (LibreOffice) and PNG pages (pdftoppm), to look at them.

    python scripts/render_templates.py [--out FOLDER] [--dpi 60] [--fill]

Builds the workbooks afresh (``kinerja_xl.templates``) into FOLDER/xlsx,
converts each to FOLDER/pdf/NAME.pdf with ``soffice --headless``, then each
PDF page to FOLDER/png/NAME-N.png. LibreOffice recalculates the formulas on
loading, so the PNGs show what Excel shows, not the cached values.
``--fill`` first fills each template's Info sheet with the seed report's
identity, so the titles, years and signature show real values.

Needs LibreOffice Calc and poppler-utils (Debian/Ubuntu:
``apt-get install libreoffice-calc poppler-utils``). Prints the PNG paths.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kinerja_xl.templates import EXAMPLES, TEMPLATES, build_example, load, save_workbook, template_workbook  # noqa: E402
from kinerja_xl.templates.budget import SEED_INFO  # noqa: E402
from kinerja_xl.templates.common import INFO_SHEET, info_cell  # noqa: E402

#: the seed's identity plus the signature fields the seed prints
FILLED_INFO = {**SEED_INFO, "Jabatan": "Camat Lumajang", "Tempat": "Lumajang", "Awal Renstra": 2019}


def build(folder: Path, fill: bool) -> list[Path]:
    load()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, t in sorted(TEMPLATES.items()):
        wb = template_workbook(name)
        if fill and INFO_SHEET in wb.sheetnames:
            for label, value in FILLED_INFO.items():
                wb[INFO_SHEET][info_cell(label).split("!")[1].replace("$", "")] = value
        paths.append(save_workbook(wb, folder / t.filename))
    paths.extend(build_example(folder / name, name) for name in EXAMPLES)
    return paths


def render(xlsx: Path, out: Path, dpi: int, profile: Path) -> list[Path]:
    pdf_dir, png_dir = out / "pdf", out / "png"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    png_dir.mkdir(parents=True, exist_ok=True)
    # a private LibreOffice profile: no clash with a running LibreOffice, no first-start dialogs
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(pdf_dir), str(xlsx)], check=True, capture_output=True, timeout=300)
    pdf = pdf_dir / (xlsx.stem + ".pdf")
    for old in png_dir.glob(f"{xlsx.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(png_dir / xlsx.stem)], check=True, timeout=300)
    return sorted(png_dir.glob(f"{xlsx.stem}-*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build/render"), help="output folder (default build/render)")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--fill", action="store_true", help="fill the templates' Info sheet with the seed's identity")
    args = parser.parse_args(argv)
    missing = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        print(f"missing: {', '.join(missing)} (apt-get install libreoffice-calc poppler-utils)", file=sys.stderr)
        return 2
    out = args.out.resolve()
    with tempfile.TemporaryDirectory(prefix="kx-lo-") as profile:
        for xlsx in build(out / "xlsx", args.fill):
            for png in render(xlsx, out, args.dpi, Path(profile)):
                print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
