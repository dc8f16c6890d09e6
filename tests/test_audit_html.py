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
from kinerja_xl.audit.samples import quarter_spec, write_report
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
    doc = consolidate(copy.deepcopy(results), Config())
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
    assert values == {"files": s["files"], "unreadable": s["unreadable"], "units": s["units"],
                      "error": s["findings"]["error"], "warning": s["findings"]["warning"], "info": s["findings"]["info"]}
    assert values["files"] == 7 and values["unreadable"] == 1 and values["units"] == 3
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
