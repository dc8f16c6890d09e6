"""Lossless write-back: a workbook made by XlsxWriter (not openpyxl) with the parts openpyxl
drops, annotated and cleared, compared part by part with the original.

After annotating, every part the annotation has no reason to touch is
byte-identical, and every part it touches still holds all of its original
XML (elements in order, attributes, text), only with our additions. After
clearing, the package equals the original: the same parts, byte-identical
or with equal XML trees.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from kinerja_xl.writeback.annotate import annotate_file, clear_file
from kinerja_xl.writeback.package import rels_name
from kinerja_xl.writeback.pkgdiff import diff_packages, lost_in, read_parts
from kinerja_xl.writeback.plan import FINDINGS_SHEET, STATE_SHEET

xlsxwriter = pytest.importorskip("xlsxwriter")
# openpyxl (used here only to read the copies back) warns about the very extensions this test keeps
pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")
from lxml import etree  # noqa: E402

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "x14": "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main",
      "xm": "http://schemas.microsoft.com/office/excel/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pr": "http://schemas.openxmlformats.org/package/2006/relationships"}

# x14 list validation whose source is another sheet, as Excel 2010+ writes it (XlsxWriter writes the
# classic form only, so the extension is added by hand).
X14_DV = (
    '<ext xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}">'
    '<x14:dataValidations xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" count="1">'
    '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
    "<x14:formula1><xm:f>Daftar!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>B12</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext>"
)


def _png() -> bytes:
    """A 2×2 red PNG, made here so the test needs no image file or Pillow."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def vba_project() -> bytes:
    import xlwings

    path = Path(xlwings.__file__).parent / "quickstart.xlsm"
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/vbaProject.bin")


def build_workbook(path: Path, vba: bytes | None = None) -> Path:
    """A realisasi sheet with one wrong sisa, and every part the issue lists."""
    wb = xlsxwriter.Workbook(str(path))
    if vba is not None:
        wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    cover = wb.add_worksheet("Sampul")
    ws = wb.add_worksheet("Realisasi")
    lists = wb.add_worksheet("Daftar")
    bold = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7"})
    money = wb.add_format({"num_format": "#,##0", "border": 1})
    yellow = wb.add_format({"num_format": "#,##0", "border": 1, "bg_color": "#FFFF00"})

    cover.write("A1", "Laporan Kinerja Triwulan III")
    cover.write_comment("A1", "Catatan sampul")
    cover.activate()  # the active sheet is one we do not mark: its tabSelected moves to Temuan

    ws.merge_range("A1:E1", "REALISASI ANGGARAN TRIWULAN III", bold)
    ws.write_row("A3", ["NO", "URAIAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN"], bold)
    rows = [("A", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH", 1_000_000, 600_000),
            ("1", "Penyediaan Jasa Surat Menyurat", 600_000, 350_000),
            ("2", "Penyediaan Alat Tulis Kantor", 400_000, 250_000)]
    for i, (no, uraian, plafon, real) in enumerate(rows):
        r = 4 + i  # zero-based row 4 = Excel row 5
        ws.write_string(r, 0, no)
        ws.write_string(r, 1, uraian)
        ws.write_number(r, 2, plafon, money)
        ws.write_number(r, 3, real, money)
        ws.write_formula(r, 4, f"=C{r + 1}-D{r + 1}", money, plafon - real)  # cached value, as Excel saves
    ws.write_number("E6", 240_000, yellow)  # typed over the formula, wrong: 600.000 − 350.000 = 250.000
    ws.write_comment("E6", "Dicek bendahara")
    ws.write_comment("B7", "Sumber: SP2D")
    ws.write_formula("C8", "=SUM(C6:C7)", money, 1_000_000)
    ws.write_string("B8", "Jumlah sub kegiatan")
    ws.set_column("A:A", 5)
    ws.set_column("B:B", 48)
    ws.set_column("C:E", 18)
    ws.freeze_panes(3, 0)
    ws.autofilter("A3:E7")
    ws.conditional_format("D5:D7", {"type": "cell", "criteria": ">", "value": 500_000, "format": bold})
    ws.conditional_format("C5:C7", {"type": "data_bar", "data_bar_2010": True})
    ws.data_validation("C5:D7", {"validate": "integer", "criteria": ">=", "value": 0})
    ws.data_validation("B12", {"validate": "list", "source": "=Daftar!$A$1:$A$3"})
    ws.add_sparkline("F5", {"range": "Realisasi!C5:E5"})
    ws.ignore_errors({"number_stored_as_text": "A4:A8", "formula_differs": "E5:E7"})
    ws.protect("", {"format_cells": True})
    ws.insert_image("H2", "merah.png", {"image_data": io.BytesIO(_png())})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"categories": "=Realisasi!$B$5:$B$7", "values": "=Realisasi!$D$5:$D$7", "name": "Realisasi"})
    ws.insert_chart("H6", chart)
    ws.print_area("A1:E8")
    lists.write_column("A1", ["Ya", "Tidak", "Sebagian"])
    wb.define_name("PlafonTotal", "=Realisasi!$C$5")
    wb.define_name("Realisasi!SisaProgram", "=Realisasi!$E$5")
    wb.close()

    # add what XlsxWriter cannot write: the x14 data-validation extension
    parts = read_parts(path)
    sheet = "xl/worksheets/sheet2.xml"
    xml = parts[sheet].decode("utf-8")
    assert "<extLst>" in xml  # XlsxWriter wrote the data bar / sparkline extensions there
    parts[sheet] = xml.replace("<extLst>", "<extLst>" + X14_DV, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    wb = etree.fromstring(parts["xl/workbook.xml"])
    rels = {r.get("Id"): r.get("Target") for r in etree.fromstring(parts["xl/_rels/workbook.xml.rels"])}
    return {s.get("name"): "xl/" + rels[s.get(f"{{{NS['r']}}}id")].lstrip("/").removeprefix("xl/")
            for s in wb.find("m:sheets", NS)}


ALLOWED = {"c": {"s"}, "sheetView": {"tabSelected"}, "workbookView": {"activeTab", "firstSheet"},
           "definedName": {"localSheetId"}, "*": {"count"}, "idmap": {"data"}}


def _check_annotated(original: Path, annotated: Path, marked_sheets: set[str]) -> None:
    a, b = read_parts(original), read_parts(annotated)
    assert set(a) <= set(b), f"parts lost: {set(a) - set(b)}"
    sheets = _sheet_parts(a)
    touched = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}
    for name in marked_sheets:
        part = sheets[name]
        touched |= {part, rels_name(part)}
        for rel in etree.fromstring(a[rels_name(part)]) if rels_name(part) in a else []:
            if rel.get("Type").endswith(("/comments", "/vmlDrawing")):
                touched.add("xl/" + rel.get("Target").replace("../", ""))
    active = [n for n, p in sheets.items() if b'tabSelected="1"' in a[p]]
    touched |= {sheets[n] for n in active}

    changed = {n for n in a if a[n] != b[n]}
    assert changed <= touched, f"parts changed that had no reason to: {sorted(changed - touched)}"
    for name in changed:
        if name.endswith(".vml"):
            assert lost_in(etree.fromstring(a[name], etree.XMLParser(recover=True)),
                           etree.fromstring(b[name], etree.XMLParser(recover=True)), ALLOWED) == []
            continue
        old, new = etree.fromstring(a[name]), etree.fromstring(b[name])
        if etree.QName(old).localname == "comments":
            # each original note is still there, its text kept below ours
            new_notes = {c.get("ref"): "".join(c.itertext()) for c in new.iterfind(".//m:comment", NS)}
            for c in old.iterfind(".//m:comment", NS):
                assert "".join(c.itertext()) in new_notes[c.get("ref")]
            assert [x.text for x in old.find("m:authors", NS)] == [x.text for x in new.find("m:authors", NS)][:len(old.find("m:authors", NS))]
            continue
        assert lost_in(old, new, ALLOWED) == [], name

    # the things openpyxl would drop are all still in the marked sheet
    new_sheet = b[sheets["Realisasi"]].decode("utf-8")
    for needle in ("x14:sparklineGroups", "x14:dataValidations", "x14:conditionalFormattings", "<ignoredError ",
                   "<mergeCell ", "<sheetProtection ", '<pane ', "<drawing ", "<dataValidation ",
                   "<conditionalFormatting ", "<f>C5-D5</f><v>400000</v>", "<autoFilter "):
        assert needle in new_sheet, needle
    # defined names that number sheets moved with them (Temuan was inserted first)
    names_a = {(d.get("name"), d.text): d.get("localSheetId") for d in etree.fromstring(a["xl/workbook.xml"]).iterfind(".//m:definedName", NS)}
    names_b = {(d.get("name"), d.text): d.get("localSheetId") for d in etree.fromstring(b["xl/workbook.xml"]).iterfind(".//m:definedName", NS)}
    for key, lid in names_a.items():
        assert names_b[key] == (None if lid is None else str(int(lid) + 1)), key


def _check_readback(annotated: Path, result) -> None:
    wb = openpyxl.load_workbook(annotated)
    assert wb.sheetnames[0] == FINDINGS_SHEET and wb.sheetnames[-1] == STATE_SHEET
    assert wb.active.title == FINDINGS_SHEET
    e6 = wb["Realisasi"]["E6"]
    assert e6.value == 240_000 and e6.number_format == "#,##0"
    assert e6.fill.fgColor.rgb == "FFF8CBAD"
    assert "KX301" in e6.comment.text and "Dicek bendahara" in e6.comment.text
    assert e6.border.left.style == "thin"  # the cell keeps its own look besides the fill
    assert wb["Realisasi"]["B7"].comment.text == "Sumber: SP2D"
    assert wb["Realisasi"].protection.sheet
    assert wb["Realisasi"].freeze_panes == "A4"
    assert any(f.code == "KX301" and f.cell == "E6" for f in result.report.findings)


@pytest.fixture(scope="module")
def vba():
    try:
        return vba_project()
    except (ImportError, OSError, KeyError):
        pytest.skip("xlwings' quickstart.xlsm (source of a vbaProject.bin) not available")


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_round_trip_is_lossless(tmp_path, suffix, request):
    vba = request.getfixturevalue("vba") if suffix == ".xlsm" else None
    original = build_workbook(tmp_path / f"laporan{suffix}", vba)
    result = annotate_file(original)
    annotated = result.output
    assert annotated.name == f"laporan.periksa{suffix}"
    marked = {m.sheet for m in result.plan.marks} | {v.sheet for v in result.plan.values}
    assert "Realisasi" in marked

    _check_annotated(original, annotated, marked)
    with zipfile.ZipFile(original) as za, zipfile.ZipFile(annotated) as zb:
        assert zb.testzip() is None  # every entry's CRC checks out
        parts_a, parts_b = read_parts(original), read_parts(annotated)
        for info in za.infolist():
            if parts_a[info.filename] == parts_b[info.filename]:  # untouched: copied still compressed
                other = zb.getinfo(info.filename)
                assert (other.CRC, other.compress_size, other.compress_type) == (info.CRC, info.compress_size, info.compress_type)
    _check_readback(annotated, result)
    if vba is not None:
        parts = read_parts(annotated)
        assert parts["xl/vbaProject.bin"] == vba
        assert b"macroEnabled" in parts["[Content_Types].xml"]
        assert openpyxl.load_workbook(annotated, keep_vba=True).vba_archive is not None

    cleared, state = clear_file(annotated, tmp_path / f"bersih{suffix}")
    assert state is not None
    assert diff_packages(original, cleared) == []


def test_clear_keeps_edits_made_after_annotating(tmp_path):
    """A user fixes the wrong sisa in the annotated copy; clear keeps the fix and drops our marks."""
    original = build_workbook(tmp_path / "laporan.xlsx")
    annotated = annotate_file(original).output
    parts = read_parts(annotated)
    sheet = _sheet_parts(parts)["Realisasi"]
    xml = parts[sheet].replace(b"<v>240000</v>", b"<v>250000</v>")
    assert xml != parts[sheet]
    parts[sheet] = xml
    with zipfile.ZipFile(annotated, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    cleared, _ = clear_file(annotated, tmp_path / "bersih.xlsx")
    diffs = diff_packages(original, cleared)
    assert len(diffs) == 1 and "240000" in diffs[0] and "250000" in diffs[0]
    wb = openpyxl.load_workbook(cleared)
    assert wb["Realisasi"]["E6"].value == 250_000
    assert wb["Realisasi"]["E6"].fill.fgColor.rgb == "FFFFFF00"  # its own yellow is back
    assert wb["Realisasi"]["E6"].comment.text == "Dicek bendahara"
