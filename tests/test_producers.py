"""Byte-exact write-back on real workbooks from other producers (``tests/data/producers``).

Each workbook gets an injected realisasi sheet with one wrong sisa (added as
text, so every other byte stays as its producer wrote it), then:

(a) after ``periksa`` every part it had no need to change is byte-identical;
(b) the sheet that was active differs only by its ``tabSelected`` attribute;
(c) after ``clear`` every part is byte-identical to the original, and no part
    is added or lost.
"""

from __future__ import annotations

import posixpath
import re
import stat
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from kinerja_xl.config import Config
from kinerja_xl.writeback.annotate import WritebackError, annotate_file, clear_file
from kinerja_xl.writeback.package import NS_PKG_REL, rels_name, resolve

DATA = Path(__file__).parent / "data" / "producers"
STRICT = "calamine-strict_iso_paths.xlsx"
FILES = sorted(p.name for p in DATA.glob("*.xlsx") if p.name != STRICT)
REL_OFFICE = "/officeDocument"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_HEADER = ["NO", "URAIAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN"]
_ROWS = [["A", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH", 1_000_000, 600_000, 400_000],
         ["1", "Penyediaan Jasa Surat Menyurat", 600_000, 350_000, 240_000],  # wrong: 250.000
         ["2", "Penyediaan Alat Tulis Kantor", 400_000, 250_000, 150_000]]


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


def _workbook_part(parts: dict[str, bytes]) -> str:
    for rel in etree.fromstring(parts["_rels/.rels"]).iter(f"{{{NS_PKG_REL}}}Relationship"):
        if rel.get("Type", "").endswith(REL_OFFICE):
            return resolve("", rel.get("Target"))
    raise AssertionError("no workbook part")


def _sheet_xml() -> bytes:
    def cell(ref: str, v) -> str:
        if isinstance(v, str):
            return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
        return f'<c r="{ref}"><v>{v}</v></c>'

    rows = [_HEADER, *_ROWS]
    xml = "".join(f'<row r="{r}">' + "".join(cell(f"{'ABCDE'[c]}{r}", v) for c, v in enumerate(row)) + "</row>"
                  for r, row in enumerate(rows, 3))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
            '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + xml
            + "</sheetData></worksheet>").encode()


def inject(src: Path, dst: Path) -> str:
    """Copy ``src`` with a realisasi sheet added by text insertion; returns the new sheet's part name."""
    parts = _entries(src)
    wb = _workbook_part(parts)
    part = posixpath.join(posixpath.dirname(wb), "worksheets", "kxrealisasi.xml")
    ct = parts["[Content_Types].xml"]
    parts["[Content_Types].xml"] = ct.replace(
        b"</Types>", f'<Override PartName="/{part}" ContentType="{CT_SHEET}"/></Types>'.encode())
    rels = rels_name(wb)
    target = posixpath.relpath(part, posixpath.dirname(wb) or ".")
    parts[rels] = re.sub(rb"</Relationships>\s*$", (
        f'<Relationship Id="rIdKx1" Type="{NS_R}/worksheet" Target="{target}"/></Relationships>').encode(), parts[rels])
    wb_xml = parts[wb]
    ids = [int(x) for x in re.findall(rb'sheetId="(\d+)"', wb_xml)]
    m = re.search(rb"</((?:\w+:)?)sheets>", wb_xml)
    prefix = m.group(1).decode()
    sheet = f'<{prefix}sheet xmlns:kxr="{NS_R}" name="Realisasi" sheetId="{max(ids) + 1}" kxr:id="rIdKx1"/>'
    parts[wb] = wb_xml[:m.start()] + sheet.encode() + wb_xml[m.start():]
    parts[part] = _sheet_xml()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if not info.is_dir():
                zout.writestr(info, parts.pop(info.filename))
        for name, data in parts.items():
            zout.writestr(name, data)
    return part


def _active_sheets(parts: dict[str, bytes]) -> set[str]:
    return {n for n, data in parts.items() if n.endswith(".xml") and re.search(
        rb"<(?:\w+:)?sheetView\b[^>]*\stabSelected=[\"'](1|true)[\"']", data)}


def _needed(before: dict[str, bytes], sheet: str) -> set[str]:
    """The parts periksa has reason to change: package bookkeeping, workbook, styles, the marked sheet
    (and its notes), and the sheet that was active (for its tabSelected only)."""
    wb = _workbook_part(before)
    styles = {resolve(wb, r.get("Target")) for r in etree.fromstring(before[rels_name(wb)])
              if r.get("Type", "").endswith("/styles")}
    return {"[Content_Types].xml", wb, rels_name(wb), sheet, rels_name(sheet)} | styles


@pytest.mark.parametrize("name", FILES)
def test_periksa_then_clear_is_byte_exact(tmp_path, name):
    original = tmp_path / name
    sheet = inject(DATA / name, original)
    result = annotate_file(original, config=Config())
    if result.report.error is not None:  # the write side is tested on it below, through the painter
        pytest.skip(f"the reader refuses it: {result.report.error.message('en')}")
    assert any(f.code == "KX301" and f.sheet == "Realisasi" for f in result.report.findings), name
    before, after = _entries(original), _entries(result.output)

    # (a) nothing else changed, and nothing was lost
    assert set(before) <= set(after)
    active = _active_sheets(before) - {sheet}
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= _needed(before, sheet) | active, sorted(changed - _needed(before, sheet) - active)
    # (b) the active sheet: only the bytes of its tabSelected attribute are gone
    for part in active:
        removed = re.sub(rb"""(<(?:\w+:)?sheetView\b[^>]*?)\s+tabSelected=(["'])(1|true)\2""", rb"\1", before[part])
        assert after[part] == removed != before[part], part
    assert not _active_sheets({n: d for n, d in after.items() if n in before})  # only Temuan is selected now

    # (c) clear: every part byte for byte as before, none added or lost
    cleared, state = clear_file(result.output, tmp_path / "bersih.xlsx")
    assert state is not None
    back = _entries(cleared)
    assert set(back) == set(before)
    assert [n for n in before if back[n] != before[n]] == []


def test_clear_after_an_edit_restores_the_rest_byte_for_byte(tmp_path):
    """The clerk fixes the wrong sisa in the annotated copy (another tool, not Excel, so only that part
    changes): clear keeps the fix, and every other part comes back byte for byte."""
    original = tmp_path / "libre.xlsx"
    sheet = inject(DATA / "calamine-date.xlsx", original)
    annotated = annotate_file(original, config=Config()).output
    parts = _entries(annotated)
    fixed = parts[sheet].replace(b"<v>240000</v>", b"<v>250000</v>")
    assert fixed != parts[sheet]
    parts[sheet] = fixed
    with zipfile.ZipFile(annotated, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    cleared, _ = clear_file(annotated, tmp_path / "bersih.xlsx")
    before, back = _entries(original), _entries(cleared)
    assert [n for n in before if back[n] != before[n]] == [sheet]
    assert b"<v>250000</v>" in back[sheet] and b"F8CBAD" not in back[sheet]
    assert b'tabSelected="true"' in back["xl/worksheets/sheet1.xml"]  # LibreOffice's spelling, byte-exact


def test_no_styles_part_gets_one_and_clear_removes_it(tmp_path):
    original = tmp_path / "bare.xlsx"
    inject(DATA / "calamine-inlineStr_cdata.xlsx", original)
    assert not any("styles" in n for n in _entries(original))
    result = annotate_file(original, config=Config())
    added = [n for n in _entries(result.output) if "styles" in n]
    assert added == ["xl/styles.xml"]
    import openpyxl

    wb = openpyxl.load_workbook(result.output)
    assert wb["Realisasi"]["E5"].fill.fgColor.rgb == "FFF8CBAD"  # the wrong sisa
    cleared, _ = clear_file(result.output, tmp_path / "bersih.xlsx")
    assert _entries(cleared) == _entries(original)


def _paint(src: Path, out: Path) -> None:
    """periksa's write side alone, for a plan marking Realisasi!E5 (whatever the reader makes of the file)."""
    from kinerja_xl.findings import Finding, Severity
    from kinerja_xl.runner import WorkbookReport
    from kinerja_xl.writeback.files import FilePainter
    from kinerja_xl.writeback.plan import apply_plan, build_plan

    finding = Finding("KX301", "sisa", Severity.ERROR, "sisa salah", file=str(src),
                      sheet="Realisasi", cell="E5", expected=250_000, actual=240_000)
    plan = build_plan(WorkbookReport(file=str(src), findings=[finding]), [], Config())
    painter = FilePainter(src)
    apply_plan(painter, plan)
    painter.save(out)


@pytest.mark.parametrize("name", ["calamine-minimal_package.xlsx", "poi-60825.xlsx"])
def test_write_side_on_files_the_reader_may_refuse(tmp_path, name):
    """The workbook part is found through _rels/.rels (minimal_package keeps it at workbook.xml)."""
    original = tmp_path / name
    sheet = inject(DATA / name, original)
    out = tmp_path / "periksa.xlsx"
    _paint(original, out)
    before, after = _entries(original), _entries(out)
    wb = _workbook_part(before)
    assert b'name="Temuan"' in after[wb] and (wb == "xl/workbook.xml" or "xl/workbook.xml" not in after)
    assert b"F8CBAD" in after[next(n for n in after if "styles" in n)]
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= _needed(before, sheet) | _active_sheets(before)
    # clear_file's package check is the reader's (it wants xl/workbook.xml): clear through the painter
    from kinerja_xl.writeback.files import FilePainter
    from kinerja_xl.writeback.plan import clear_workbook

    painter = FilePainter(out)
    assert clear_workbook(painter) is not None
    painter.save(tmp_path / "bersih.xlsx")
    assert _entries(tmp_path / "bersih.xlsx") == before


def test_strict_open_xml_is_refused_plainly(tmp_path):
    src = tmp_path / STRICT
    src.write_bytes((DATA / STRICT).read_bytes())
    try:
        result = annotate_file(src, config=Config())
    except WritebackError as exc:
        for lang in ("id", "en"):
            text = exc.message(lang)
            assert "Strict Open XML" in text and STRICT in text
            assert not re.search(r"\b\w+(Error|Exception)\b|Traceback", text), text
        assert "tidak dapat ditulis" in exc.message("id")
    else:  # the reader refused it first: then with its own message, and no copy either
        assert result.report.error is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == [STRICT]  # no copy, no temp file left


def test_output_follows_the_umask(tmp_path):
    import os

    original = tmp_path / "laporan.xlsx"
    inject(DATA / "calamine-issue446.xlsx", original)
    old = os.umask(0o022)
    try:
        out = annotate_file(original, config=Config()).output
        assert stat.S_IMODE(out.stat().st_mode) == 0o644  # readable by colleagues on a shared folder
        os.umask(0o002)
        cleared, _ = clear_file(out, tmp_path / "bersih.xlsx")
        assert stat.S_IMODE(cleared.stat().st_mode) == 0o664
    finally:
        os.umask(old)


def test_locked_output_names_the_users_file_in_indonesian(tmp_path, monkeypatch):
    """Excel holds the old copy open (Windows refuses to replace it): the message names laporan.periksa.xlsx,
    not our temporary file, and has no English system text in Indonesian mode."""
    import os

    original = tmp_path / "laporan.xlsx"
    inject(DATA / "calamine-issue446.xlsx", original)

    def locked(src, dst):
        raise PermissionError(13, "Permission denied", str(src), None, str(dst))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(WritebackError) as info:
        annotate_file(original, config=Config())
    text = info.value.message("id")
    assert text.startswith("laporan.periksa.xlsx: ") and "Excel" in text
    assert "Permission" not in text and ".tmp" not in text
    assert "laporan.periksa.xlsx" in info.value.message("en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laporan.xlsx"]  # the temp file is gone


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40])
def test_unreadable_input_leaves_no_output(tmp_path, content):
    src = tmp_path / "rusak.xlsx"
    src.write_bytes(content)
    try:
        result = annotate_file(src, config=Config())
    except WritebackError:
        pass
    else:
        assert result.report.error is not None and result.plan is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rusak.xlsx"]


def test_clear_after_excel_rewrote_every_part(tmp_path):
    """After a save in Excel every part is rewritten, so no byte patch applies: clear undoes element by
    element, and still puts back LibreOffice's tabSelected="true" and drops the vml Default it added."""
    original = tmp_path / "libre.xlsx"
    inject(DATA / "calamine-date.xlsx", original)
    annotated = annotate_file(original, config=Config()).output
    parts = _entries(annotated)
    assert b'Extension="vml"' in parts["[Content_Types].xml"] and b'Extension="vml"' not in _entries(original)["[Content_Types].xml"]
    # a "save in Excel": every XML part re-serialised (here: a trailing newline added to each)
    with zipfile.ZipFile(annotated, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data + b"\n" if n.endswith((".xml", ".rels")) else data)
    cleared, state = clear_file(annotated, tmp_path / "bersih.xlsx")
    assert state is not None
    back, before = _entries(cleared), _entries(original)
    assert set(back) == set(before)
    assert b'Extension="vml"' not in back["[Content_Types].xml"]
    assert re.search(rb'<sheetView [^>]*tabSelected="true"', back["xl/worksheets/sheet1.xml"])
    assert b"Temuan" not in back["xl/workbook.xml"]
    import openpyxl

    cell = openpyxl.load_workbook(cleared)["Realisasi"]["E5"]
    assert cell.fill.fgColor.rgb != "FFF8CBAD" and cell.comment is None  # our mark and note are gone


def test_periksa_twice_then_clear_is_still_the_original(tmp_path):
    """Annotating an annotated copy clears it first (back to the original bytes), so the second copy's
    patches lead to the original too."""
    original = tmp_path / "laporan.xlsx"
    inject(DATA / "calamine-issue_261.xlsx", original)  # byte-order marks, indented XML
    first = annotate_file(original, config=Config()).output
    second = annotate_file(first, config=Config())
    assert second.cleared_first
    cleared, _ = clear_file(second.output, tmp_path / "bersih.xlsx")
    assert _entries(cleared) == _entries(original)


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".csv"])
def test_other_formats_are_told_to_save_as_xlsx(tmp_path, suffix):
    src = tmp_path / f"laporan{suffix}"
    src.write_bytes(b"whatever")
    with pytest.raises(WritebackError) as info:
        annotate_file(src, config=Config())
    assert ".xlsx" in info.value.message("id") and "kinerja-xl validate" in info.value.message("id")
    assert sorted(p.name for p in tmp_path.iterdir()) == [src.name]
