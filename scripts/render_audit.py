"""Render the auditor's reports as a user sees them: audit.xlsx printed to PDF, audit.html in a browser.

    python scripts/render_audit.py                    # into bench/out/render-audit (not committed)
    python scripts/render_audit.py --out /tmp/r --lang en

Builds a sample folder (``OUT/laporan``) the way an Inspektorat receives it:
the bundled example report copied under other kecamatan names and quarters,
synthetic quarterly reports of a Dinas, a blank template that names no unit,
the example saved as .xls and .ods, a Word document and Excel's ``~$`` lock
file. Then runs the audit on it as ``kinerja-xl audit laporan -o hasil``
does (``kinerja_xl.audit.run.audit_folder``, from ``OUT``, so that the paths
are relative as an auditor types them), prints the command's summary, and renders:

- ``OUT/render/audit.pdf`` and ``audit-N.png`` (one per printed page): audit.xlsx
  printed by LibreOffice, with the page setup the report carries;
- ``OUT/render/audit-html.png``: audit.html in headless Chromium.

Needs LibreOffice Calc, poppler-utils and Chromium (Debian:
``apt-get install -y libreoffice-calc poppler-utils chromium``); a missing one
is named and its rendering skipped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOFFICE = next((shutil.which(n) for n in ("soffice", "libreoffice") if shutil.which(n)), None)
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
PDFTOPPM = shutil.which("pdftoppm")

EXAMPLE_COPIES = [("Kecamatan Lumajang", 2), ("Kecamatan Lumajang", 3), ("Kecamatan Sukodono", 3),
                  ("Kecamatan Tempeh", 2), ("Kecamatan Tempeh", 3)]


def _soffice(*args: str, cwd: Path | None = None) -> None:
    profile = Path(tempfile.mkdtemp(prefix="render-lo-"))
    try:
        subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", *args],
                       check=True, capture_output=True, timeout=240, cwd=cwd)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _word_document(path: Path, text: str) -> None:
    """A minimal .docx (what a unit sends instead of its workbook)."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>' + text + "</w:t></w:r></w:p></w:body></w:document>")


def build_folder(folder: Path) -> None:
    from kinerja_xl.testing.samples import example_copy, quarter_spec, write_report

    for unit, q in EXAMPLE_COPIES:
        name = unit.split()[1]
        example_copy(folder / name / f"{name}_TW{q}_2021.xlsx", unit, q)
    for q in (1, 2, 3):
        write_report(folder / "Dinas_Sosial" / f"Dinsos_TW{q}_2021.xlsx", quarter_spec("Dinas Sosial", q, error_rate=0.02))
    shutil.copy(ROOT / "xlsx_templates" / "realisasi.xlsx", folder / "templat_realisasi_kosong.xlsx")
    _word_document(folder / "Sukodono" / "catatan_rapat.docx", "Catatan rapat evaluasi triwulan III")
    (folder / "Tempeh" / "~$Tempeh_TW3_2021.xlsx").write_bytes(b"\x0bkinerja-xl" + b"\x00" * 154)  # as Excel leaves it
    if SOFFICE:  # the same report as the old binary format and as OpenDocument
        pasirian = example_copy(folder / "Pasirian" / "Pasirian_TW3_2021.xlsx", "Kecamatan Pasirian", 3)
        for fmt in ("xls", "ods"):
            _soffice("--convert-to", fmt, "--outdir", str(pasirian.parent), str(pasirian))
        pasirian.unlink()
    else:
        print("LibreOffice not found: no .xls/.ods in the sample folder", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "render-audit")
    ap.add_argument("--lang", choices=("id", "en"), default="id")
    args = ap.parse_args()
    out = args.out.resolve()
    folder, reports, render = out / "laporan", out / "hasil", out / "render"
    for d in (folder, reports, render):
        shutil.rmtree(d, ignore_errors=True)
    folder.mkdir(parents=True)
    render.mkdir(parents=True)
    build_folder(folder)
    from kinerja_xl.audit.run import audit_folder, summary_text
    from kinerja_xl.config import Config

    os.chdir(out)  # relative paths, as an auditor types them
    doc = audit_folder(["laporan"], Path("hasil"), Config(lang=args.lang), plain=True)
    sys.stdout.write(summary_text(doc, Path("hasil"), args.lang))
    if SOFFICE:
        _soffice("--convert-to", "pdf", "--outdir", str(render), str(reports / "audit.xlsx"))
        if PDFTOPPM:
            subprocess.run([PDFTOPPM, "-png", "-r", "60", str(render / "audit.pdf"), str(render / "audit")], check=True)
        else:
            print("pdftoppm not found (poppler-utils): no PNG pages", file=sys.stderr)
    else:
        print("LibreOffice not found: audit.xlsx not rendered", file=sys.stderr)
    if CHROMIUM:
        profile = tempfile.mkdtemp(prefix="render-chromium-")
        try:
            subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                            f"--user-data-dir={profile}", f"--screenshot={render / 'audit-html.png'}",
                            "--window-size=1200,2400", (reports / "audit.html").as_uri()],
                           check=True, capture_output=True, timeout=120)
        finally:
            shutil.rmtree(profile, ignore_errors=True)
    else:
        print("Chromium not found: audit.html not rendered", file=sys.stderr)
    for p in sorted(render.iterdir()):
        print(p)


if __name__ == "__main__":
    main()
