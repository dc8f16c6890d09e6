"""The rendering scripts a person uses to look at what kinerja-xl writes (LibreOffice, poppler)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                       reason="LibreOffice and poppler-utils not installed (apt-get install -y libreoffice-calc poppler-utils)"),
]


def _text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_render_temuan_prints_the_findings_sheet_first(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "render_temuan.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pngs = [Path(line) for line in proc.stdout.split()]
    assert pngs and all(p.stat().st_size > 5_000 for p in pngs)
    first = _text(tmp_path / "pdf" / "contoh-lumajang-tw3-2021.periksa.pdf", 1)
    assert "Temuan pemeriksaan kinerja-xl" in first
    assert "Bersihkan" in first and "`" not in first  # the legend names the button, no backticks
    # the seed's known errors are listed with their cells (domain.md §5)
    for cell, code in (("B24", "KX111"), ("C13", "KX551"), ("E24", "KX301"), ("E7", "KX601")):
        assert cell in first and code in first
