"""Render every template and bundled example to PDF (LibreOffice) and PNG pages (pdftoppm), to look at them.

    python scripts/render_templates.py [--out FOLDER] [--dpi 60] [--fill]

Builds the workbooks afresh (``kinerja_xl.templates``) into FOLDER/xlsx,
converts each to FOLDER/pdf/NAME.pdf with ``soffice --headless``, then each
PDF page to FOLDER/png/NAME-N.png. LibreOffice is made to recalculate the
formulas on loading (as Excel does), so the PNGs show what Excel shows.
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

#: the seed's identity plus the signature fields the seed prints
FILLED_INFO = {**SEED_INFO, "Jabatan": "Camat Lumajang", "Tempat": "Lumajang", "Awal Renstra": 2019}


def build(folder: Path, fill: bool) -> list[Path]:
    load()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, t in sorted(TEMPLATES.items()):
        paths.append(save_workbook(template_workbook(name, FILLED_INFO if fill else None), folder / t.filename))
    paths.extend(build_example(folder / name, name) for name in EXAMPLES)
    return paths


#: LibreOffice keeps an xlsx file's cached values unless told to recalculate on loading
_RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice_convert(files: list[Path], to: str, outdir: Path, profile: Path) -> None:
    """``soffice --headless --convert-to TO`` in a private profile that recalculates every formula on loading.

    A private profile also avoids clashing with a LibreOffice the user has open.
    """
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_RECALC, encoding="utf-8")
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--convert-to", to,
                    "--outdir", str(outdir), *map(str, files)], check=True, capture_output=True, timeout=600)


def render(xlsx: Path, out: Path, dpi: int, profile: Path) -> list[Path]:
    pdf_dir, png_dir = out / "pdf", out / "png"
    png_dir.mkdir(parents=True, exist_ok=True)
    soffice_convert([xlsx], "pdf", pdf_dir, profile)
    pdf = pdf_dir / (xlsx.stem + ".pdf")
    for old in png_dir.glob(f"{xlsx.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(png_dir / xlsx.stem)], check=True, timeout=300)
    return sorted(png_dir.glob(f"{xlsx.stem}-*.png"))


def missing_tools() -> bool:
    """Say which of LibreOffice and pdftoppm is missing (on stderr); True when one is."""
    missing = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        print(f"missing: {', '.join(missing)} (apt-get install libreoffice-calc poppler-utils)", file=sys.stderr)
    return bool(missing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build/render"), help="output folder (default build/render)")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--fill", action="store_true", help="fill the templates' Info sheet with the seed's identity")
    args = parser.parse_args(argv)
    if missing_tools():
        return 2
    out = args.out.resolve()
    with tempfile.TemporaryDirectory(prefix="kx-lo-") as profile:
        for xlsx in build(out / "xlsx", args.fill):
            for png in render(xlsx, out, args.dpi, Path(profile)):
                print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
