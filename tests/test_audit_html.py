"""The HTML audit report renders in headless Chromium, and its figures match the JSON.

Needs the Debian package ``chromium`` (``.ci/run`` installs it); skipped with a
reason when it is not installed.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import tempfile

import pytest

from kinerja_xl.audit.core import consolidate
from kinerja_xl.audit.extract import audit_file
from kinerja_xl.audit.html import write_html
from kinerja_xl.testing.samples import quarter_spec, write_report
from kinerja_xl.config import Config

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install -y chromium)")


def chromium(*args: str, timeout: int = 90) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="kinerja-chromium-")
    try:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    d = tmp_path_factory.mktemp("html")
    results = []
    for unit in ("Kecamatan Lumajang", "Kecamatan Tempeh", "Dinas Sosial"):
        for q in (1, 2):
            spec = quarter_spec(unit, q, error_rate=0.05)
            results.append(audit_file(str(write_report(d / f"{unit.split()[-1]}_tw{q}.xlsx", spec)), Config()))
    (d / "rusak.xlsx").write_bytes(b"PK\x03\x04 terpotong")
    results.append(audit_file(str(d / "rusak.xlsx"), Config()))
    skipped = [{"path": str(d / "catatan.docx"), "name": "catatan.docx", "reason_code": "word",
                "reason": "dokumen, bukan buku kerja: tabelnya tidak dapat diperiksa; minta versi Excel (.xlsx)"}]
    doc = consolidate(copy.deepcopy(results), Config(), skipped=skipped)
    (d / "audit.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return write_html(doc, d / "audit.html"), d / "audit.json"


@pytest.mark.slow
def test_rendered_summary_matches_the_json(report):
    page, doc_path = report
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    proc = chromium("--dump-dom", page.as_uri())
    dom = proc.stdout
    assert "</html>" in dom, proc.stderr[-2000:]
    values = {m.group(1): int(m.group(2)) for m in re.finditer(r'id="sum-(\w+)" data-value="(\d+)"', dom)}
    s = doc["summary"]
    assert values == {"files": s["files"], "unreadable": s["unreadable"], "skipped": s["skipped"], "units": s["units"],
                      "error": s["findings"]["error"], "warning": s["findings"]["warning"], "info": s["findings"]["info"]}
    assert values["files"] == 7 and values["unreadable"] == 1 and values["units"] == 3 and values["skipped"] == 1
    # the file not checked is listed with its reason, linked relative to the page
    assert re.search(r'<table id="skipped">.*<a href="catatan.docx">.*dokumen, bukan buku kerja', dom, re.S)
    # the search script ran in the browser and counted every finding row
    shown = re.search(r'<span id="shown">(\d+)</span>', dom)
    assert shown and int(shown.group(1)) == s["total"] > 0
    # one serapan and one IKM bar per unit, with the JSON's latest-quarter values as labels
    assert dom.count('class="bar-serapan"') == 3 and dom.count('class="bar-ikm"') == 3
    latest = {u["unit"]: u for u in doc["units"] if u["unit"] and u["triwulan"] == 2}
    for u in latest.values():
        assert f"{u['serapan']:.2f}".replace(".", ",") in dom and f"{u['ikm']:.2f}".replace(".", ",") in dom


@pytest.mark.slow
def test_screenshot_renders(report, tmp_path):
    page, _ = report
    shot = tmp_path / "audit.png"
    proc = chromium(f"--screenshot={shot}", "--window-size=1280,1600", "--hide-scrollbars", page.as_uri())
    assert shot.exists(), proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a rendered page, not a blank one


SOFFICE = next((shutil.which(n) for n in ("soffice", "libreoffice") if shutil.which(n)), None)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils not installed (apt-get install -y libreoffice-calc poppler-utils)")
def test_render_script_prints_the_workbook_as_an_auditor_sees_it(tmp_path):
    """scripts/render_audit.py: the sample folder, audit.xlsx printed to PDF, audit.html screenshotted."""
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, str(root / "scripts" / "render_audit.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "berkas tidak diperiksa" in proc.stdout and "catatan_rapat.docx" in proc.stdout
    render = tmp_path / "render"
    assert (render / "audit-html.png").stat().st_size > 20_000
    pages = sorted(render.glob("audit-*.png"))
    assert len(pages) >= 5  # summary, chart, findings, files, tables
    first = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(render / "audit.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    # the summary on page 1, whole (its last row, the reports without a unit, and the note under it)
    assert "Ringkasan" in first and "(tanpa nama unit)" in first and "lihat lembar Berkas" in first
    assert "KECAMATAN TEMPEH" in first and "DINAS SOSIAL" in first
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(render / "audit.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout
    assert "Serapan anggaran dan IKM per unit" in second  # the chart's title, drawn by LibreOffice
