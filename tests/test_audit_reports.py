"""What the auditor reads and prints: every file accounted for, audit.xlsx's page setup and chart,
units without a name, links that survive moving the folder, the progress bar's last count."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from kinerja_xl.audit.core import consolidate
from kinerja_xl.audit.excel import write_excel, wrapped_lines
from kinerja_xl.audit.extract import audit_file
from kinerja_xl.audit.html import render_html, write_html
from kinerja_xl.audit.pool import PoolSettings
from kinerja_xl.audit.progress import AuditProgress
from kinerja_xl.audit.run import NothingToCheck, audit_folder, exit_code, summary_text
from kinerja_xl.config import Config
from kinerja_xl.testing.samples import example_copy, quarter_spec, write_report

CFG = Config()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Two named units over two quarters, a report that names no unit twice, with spaces in the paths."""
    root = tmp_path_factory.mktemp("arsip")
    src = root / "laporan masuk"
    paths = [
        write_report(src / "Kec Kunir" / "kunir tw1.xlsx", quarter_spec("Kecamatan Kunir", 1, error_rate=0.05)),
        write_report(src / "Kec Kunir" / "kunir tw2.xlsx", quarter_spec("Kecamatan Kunir", 2, error_rate=0.05)),
        write_report(src / "Dinsos" / "dinsos#tw2.xlsx", quarter_spec("Dinas Sosial", 2, error_rate=0.05)),
        write_report(src / "tanpa_info_1.xlsx", quarter_spec("Kecamatan Kunir", 3, titles=False)),
        write_report(src / "tanpa_info_2.xlsx", quarter_spec("Dinas Sosial", 3, titles=False)),
    ]
    results = [audit_file(str(p), CFG) for p in paths]
    return root, src, results


def test_units_without_a_name_share_one_last_row(folder, tmp_path):
    _, _, results = folder
    doc = consolidate(results, CFG)
    assert [u["unit"] for u in doc["units"]] == ["DINAS SOSIAL", "KECAMATAN KUNIR", "KECAMATAN KUNIR", None]
    last = doc["units"][-1]
    assert last["files"] == ["tanpa_info_1.xlsx", "tanpa_info_2.xlsx"] and last["serapan"] is None
    assert doc["summary"]["units"] == 2
    ws = load_workbook(write_excel(doc, tmp_path / "audit.xlsx"))["Ringkasan"]
    col = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert col == ["DINAS SOSIAL", "KECAMATAN KUNIR", "KECAMATAN KUNIR", "(tanpa nama unit)"]
    assert "?" not in {c for r in ws.iter_rows(values_only=True) for c in r}
    findings = load_workbook(tmp_path / "audit.xlsx")["Temuan"]
    units = [r[0] for r in findings.iter_rows(min_row=2, values_only=True)]
    assert "(tanpa nama unit)" in units and None not in units
    named = units.index("(tanpa nama unit)")
    assert set(units[named:]) == {"(tanpa nama unit)"} and units[:named] == sorted(units[:named])  # named units first
    page = render_html(doc, tmp_path)
    sections = re.findall(r'<section class="unit" data-unit="([^"]+)"', page)
    assert sections[-1] == "(tanpa nama unit)" and sections[:-1] == sorted(sections[:-1])
    en = consolidate(results, Config(lang="en"))
    assert "(no unit name)" in render_html(en, tmp_path)


def test_workbook_prints_landscape_one_page_wide_with_repeated_headers_and_a_chart(folder, tmp_path):
    _, _, results = folder
    doc = consolidate(results, CFG)
    out = write_excel(doc, tmp_path / "audit.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["Ringkasan", "Grafik", "Temuan", "Berkas", "Tabel"]
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert "&P" in ws.oddFooter.right.text
    assert wb["Ringkasan"].page_setup.fitToHeight == 1  # the summary on one page
    assert wb["Temuan"].page_setup.fitToHeight == 0  # findings: as many pages as they need, one wide
    # a row of a long message is as tall as its wrapped lines
    temuan = wb["Temuan"]
    tall = [r for r in range(2, temuan.max_row + 1) if (temuan.row_dimensions[r].height or 0) > 13]
    assert tall, "long messages should get taller rows"
    # the chart: serapan and IKM of each named unit's latest quarter, read from the sheet beside it
    grafik = list(wb["Grafik"].iter_rows(min_row=2, values_only=True))
    latest = {(u["unit"]): u for u in doc["units"] if u["unit"]}
    assert [(r[0], r[2], r[3]) for r in grafik] == [(u["unit"], u["serapan"], u["ikm"]) for u in latest.values()]
    with zipfile.ZipFile(out) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert '<barDir val="bar"/>' in chart
    assert f"'Grafik'!$C$2:$C${len(grafik) + 1}" in chart and f"'Grafik'!$D$2:$D${len(grafik) + 1}" in chart
    assert f"'Grafik'!$A$2:$A${len(grafik) + 1}" in chart


def test_wrapped_lines_estimate():
    assert wrapped_lines("pendek", 20) == 1
    assert wrapped_lines("x" * 100, 20) == 6  # 19 characters a line
    assert wrapped_lines("a\nb\nc", 20) == 3


def _xlsx_links(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        rels = [n for n in z.namelist() if n.startswith("xl/worksheets/_rels/")]
        return [unquote(r.get("Target")) for n in rels for r in ElementTree.fromstring(z.read(n))
                if r.get("Type", "").endswith("/hyperlink")]


def test_links_are_relative_and_survive_moving_the_folder(folder, tmp_path):
    root, src, results = folder
    moved = tmp_path / "salinan untuk BPK"
    shutil.copytree(root, moved)
    doc = consolidate(results, CFG)
    reports = root / "hasil audit"
    write_excel(doc, reports / "audit.xlsx")
    write_html(doc, reports / "audit.html")
    shutil.copytree(reports, moved / "hasil audit")
    shutil.rmtree(reports)
    xlsx_links = _xlsx_links(moved / "hasil audit" / "audit.xlsx")
    assert xlsx_links and not any(t.startswith(("file:", "/")) for t in xlsx_links)
    for target in set(xlsx_links):
        assert (moved / "hasil audit" / target).resolve().exists(), target
    assert "../laporan masuk/Dinsos/dinsos#tw2.xlsx" in xlsx_links  # '#' and spaces encoded in the file
    page_path = moved / "hasil audit" / "audit.html"
    page = page_path.read_text(encoding="utf-8")
    hrefs = re.findall(r'<a href="([^"]+)"', page)
    assert hrefs and "file://" not in page
    for href in set(hrefs):
        url = urlparse(urljoin(page_path.as_uri(), href.replace("&#39;", "'")))
        assert Path(unquote(url.path)).exists(), href


def test_audit_folder_accounts_for_every_file(tmp_path):
    src = tmp_path / "laporan"
    example_copy(src / "Tempeh" / "Tempeh_TW3.xlsx", "Kecamatan Tempeh", 3)
    write_report(src / "Kunir" / "Kunir_TW3.xlsx", quarter_spec("Kecamatan Kunir", 3))
    (src / "Tempeh" / "~$Tempeh_TW3.xlsx").write_bytes(b"\x0bkinerja")
    (src / "Kunir" / "notulen.docx").write_bytes(b"PK\x03\x04")
    (src / "Kunir" / "rekap.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    (src / "lama.xls").write_bytes(b"bukan xls")  # a .xls is checked: here it is unreadable, and says why
    out = tmp_path / "laporan" / "hasil"  # the output inside the folder audited: earlier reports are listed too
    stream = io.StringIO()
    timings: dict[str, float] = {}
    doc = audit_folder([str(src)], out, CFG, settings=PoolSettings(jobs=1), plain=True, stream=stream,
                       timings=timings)
    assert sorted(f["name"] for f in doc["files"]) == ["Kunir_TW3.xlsx", "Tempeh_TW3.xlsx", "lama.xls"]
    # where the run's time went, for bench/audit.py: every stage, the pool the longest, the document not holding it
    assert set(timings) - {"report_side"} == {"discover", "pool", "collect", "cross", "consolidate", "reports",
                                              "report_json", "report_xlsx", "report_html"}
    assert timings["pool"] > timings["collect"] and timings["consolidate"] >= timings["cross"]
    assert "timing" not in json.dumps(doc)
    assert {s["name"]: s["reason_code"] for s in doc["skipped"]} == {
        "notulen.docx": "word", "rekap.csv": "csv", "~$Tempeh_TW3.xlsx": "lock-file"}
    assert doc["summary"]["skipped"] == 3
    lama = next(f for f in doc["files"] if f["name"] == "lama.xls")
    assert lama["error"]
    # the progress bar ends on the summary's figures (the cross-report findings included)
    last = stream.getvalue().splitlines()[-1]
    assert last.startswith(f"[{doc['summary']['files']}/{doc['summary']['files']}] {doc['summary']['total']} temuan")
    assert stream.getvalue().count(f"[{doc['summary']['files']}/") == 2  # the last file, then the summary's count
    text = summary_text(doc, out)
    assert "3 berkas tidak diperiksa:" in text and "notulen.docx: dokumen, bukan buku kerja" in text
    saved = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in saved["skipped"]] == [s["name"] for s in doc["skipped"]]
    html = (out / "audit.html").read_text(encoding="utf-8")
    assert html.count("kunci sementara Excel") == 1 and 'id="sum-skipped" data-value="3"' in html
    berkas = list(load_workbook(out / "audit.xlsx")["Berkas"].iter_rows(min_row=2, values_only=True))
    status = {r[0]: r[1] for r in berkas}
    assert status == {"Kunir_TW3.xlsx": "diperiksa", "Tempeh_TW3.xlsx": "diperiksa", "lama.xls": "tak terbaca",
                      "notulen.docx": "tidak diperiksa", "rekap.csv": "tidak diperiksa",
                      "~$Tempeh_TW3.xlsx": "tidak diperiksa"}
    assert exit_code(doc) == 1
    # which tables of each file were read, and where
    tempeh = next(f for f in doc["files"] if f["name"] == "Tempeh_TW3.xlsx")
    realisasi = next(t for t in tempeh["tables"] if t["kind"] == "realisasi")
    assert (realisasi["sheet"], realisasi["range"], realisasi["header_rows"], realisasi["rows"]) == \
        ("Realisasi TW III", "A4:E50", [4, 5], 45)
    assert realisasi["columns"] == {"no": "A", "uraian": "B", "plafon": "C", "realisasi": "D", "sisa": "E"}
    assert {t["kind"] for t in tempeh["tables"]} >= {"realisasi", "refocusing", "pk", "iku", "skm"}
    tabel = list(load_workbook(out / "audit.xlsx")["Tabel"].iter_rows(min_row=2, values_only=True))
    assert len(tabel) == sum(len(f["tables"]) for f in doc["files"])
    # beside each table, its numeric cells checked and not: the example's three money columns, all read by rules
    assert (realisasi["numeric_cells"], realisasi["checked_cells"], realisasi["unchecked_cells"]) == (135, 135, 0)
    assert realisasi["unrecognised_columns"] == {}
    assert ("Tempeh_TW3.xlsx", "KECAMATAN TEMPEH", "Realisasi TW III", "realisasi", "A4:E50", "4–5", 45, 135, 0,
            "no (A), uraian (B), plafon (C), realisasi (D), sisa (E)", None) in tabel
    assert "135 dari 135" in html
    assert html.count('<details class="tables">') == 2  # the two readable files
    # a second run lists the first run's reports as our own output, not as missing workbooks
    again = audit_folder([str(src)], out, CFG, settings=PoolSettings(jobs=1), plain=True, stream=io.StringIO())
    own = {s["name"] for s in again["skipped"] if s["reason_code"] == "own-output"}
    assert own == {"audit.json", "audit.xlsx", "audit.html"}


def test_a_folder_without_workbooks_says_what_it_found(tmp_path):
    (tmp_path / "surat.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(NothingToCheck) as err:
        audit_folder([str(tmp_path)], tmp_path / "hasil", CFG)
    assert "tidak ada berkas buku kerja" in str(err.value) and "surat.pdf: PDF, bukan buku kerja" in str(err.value)


def test_progress_finish_replaces_the_running_count():
    buf = io.StringIO()
    with AuditProgress(2, "id", stream=buf) as p:
        p.advance({"findings": [{}, {}], "error": None})
        p.advance({"findings": [{}], "error": None})
        p.finish({"summary": {"files": 2, "total": 5}})
    lines = buf.getvalue().splitlines()
    assert lines[-1].startswith("[2/2] 5 temuan") and sum(1 for ln in lines if ln.startswith("[2/2]")) == 2


def test_progress_bar_on_a_terminal_ends_on_the_summary_count():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    buf = Tty()
    with AuditProgress(2, "id", stream=buf) as p:
        p.advance({"findings": [{}], "error": None})
        p.advance({"findings": [{}], "error": None})
        p.finish({"summary": {"files": 2, "total": 7}})
    tail = buf.getvalue()[-300:]
    assert "2/2" in tail and "7 temuan" in tail and "2 temuan" not in tail


def test_relative_links_are_encoded_paths_never_schemes(tmp_path):
    from kinerja_xl.audit.core import relative_link

    report = tmp_path / "hasil"
    assert relative_link(str(tmp_path / "laporan" / "Kec A" / "tw 1#2.xlsx"), report) == "../laporan/Kec%20A/tw%201%232.xlsx"
    # a file whose name looks like a URL scheme stays a path (no script runs from the page)
    assert relative_link(str(report / "javascript:alert(1).xlsx"), report) == "javascript%3Aalert%281%29.xlsx"
