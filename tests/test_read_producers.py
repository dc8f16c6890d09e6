"""`validate` reads what python-calamine reads, whoever wrote the file.

Real files of other producers (tests/data/producers_read, sources and licences in its
README): Strict Open XML, a workbook part outside ``xl/``, no styles part, legacy .xls and
.ods (from calamine's and SheetJS's test files, and LibreOffice's conversions of our own
example). Macro sheets and an unknown sheet state are added to a real Excel file here.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from kinerja_xl.runner import validate_file
from kinerja_xl.workbook import WorkbookError
from kinerja_xl.workbook.files import open_workbook, sheet_parts
from kinerja_xl.workbook.safety import Limits, check_package

DATA = Path(__file__).parent / "data" / "producers_read"
RAW_ERROR = re.compile(r"\b\w*(Error|Exception)\b|Errno|Traceback")


def edited(src: Path, dst: Path, edit) -> Path:
    """A copy of ``src`` with ``edit(parts)`` applied to its parts (name -> bytes)."""
    with zipfile.ZipFile(src) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts = edit(parts)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return dst


def values(path: Path) -> dict[str, list]:
    book = open_workbook(path)
    try:
        return {name: book.read_sheet(name).rows for name in book.sheet_names()}
    finally:
        book.close()


def test_workbook_part_outside_xl_is_found_through_the_package_relationships():
    path = DATA / "calamine_minimal_package.xlsx"
    assert check_package(path, Limits()) == "xlsx"
    with zipfile.ZipFile(path) as zf:
        assert "xl/workbook.xml" not in zf.namelist()
        assert sheet_parts(zf) == {"Sheet1": "sheet1.xml"}
    report = validate_file(path)
    assert report.error is None


@pytest.mark.parametrize("name", ["calamine_strict_iso_paths.xlsx", "sheetjs_sheet_visibility_strict.xlsx"])
def test_strict_open_xml_is_read(name):
    path = DATA / name
    report = validate_file(path)
    assert report.error is None
    with zipfile.ZipFile(path) as zf:
        assert sheet_parts(zf)  # Strict namespaces: the sheets are found for the formula scan


def test_strict_and_transitional_read_the_same_values():
    assert values(DATA / "sheetjs_sheet_visibility_strict.xlsx") == values(DATA / "sheetjs_sheet_visibility.xlsx")


def test_a_strict_formula_without_a_cached_value_is_detected(tmp_path):
    def add_formula(parts):
        sheet = "xl/worksheets/sheet1.xml"
        parts[sheet] = parts[sheet].replace(b"</sheetData>", b'<row r="40"><c r="B40"><f>1+1</f></c>'
                                                           b'<c r="C40"><f>NOW()</f></c></row></sheetData>')
        return parts

    path = edited(DATA / "sheetjs_sheet_visibility_strict.xlsx", tmp_path / "strict.xlsx", add_formula)
    sheet = open_workbook(path).read_sheet("Visible")
    assert sheet.uncached == {(39, 2)}  # never read as empty
    assert sheet.computed == {(39, 1): "1+1"} and sheet.rows[39][1] == 2.0


def test_no_styles_part(tmp_path):
    assert validate_file(DATA / "calamine_inlineStr_cdata.xlsx").error is None
    # and a real table in a package without styles.xml gives the findings it gives with one
    src = DATA / "libreoffice_contoh-lumajang.source.xlsx"

    def drop_styles(parts):
        parts.pop("xl/styles.xml")
        for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
            parts[name] = re.sub(rb"<(?:Relationship|Override)\b[^>]*styles\.xml[^>]*/>", b"", parts[name])
        return parts

    plain = edited(src, tmp_path / "tanpa-gaya.xlsx", drop_styles)
    assert summary(plain) == summary(src) != []


def summary(path: Path) -> list[tuple]:
    report = validate_file(path)
    assert report.error is None, report.error.message()
    return [(f.code, f.sheet, f.cell, str(f.expected), str(f.actual)) for f in report.findings]


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_xls_and_ods_give_the_findings_of_the_xlsx_they_were_saved_from(suffix):
    converted = DATA / f"libreoffice_contoh-lumajang{suffix}"
    assert summary(converted) == summary(DATA / "libreoffice_contoh-lumajang.source.xlsx")


@pytest.mark.parametrize("name", ["calamine_any_sheets.xls", "calamine_any_sheets.ods"])
def test_every_sheet_state_of_xls_and_ods_is_read(name):
    book = open_workbook(DATA / name)
    assert book.sheet_names() == ["Visible", "Hidden", "VeryHidden", "Chart"]
    assert [book.read_sheet(n).hidden for n in ("Visible", "Hidden", "VeryHidden")] == [False, True, True]


@pytest.mark.parametrize("name, real", [("laporan.xlsx", "calamine_any_sheets.xls"), ("laporan.xls", "sheetjs_sheet_visibility.xlsx"),
                                        ("laporan.xlsx", "calamine_any_sheets.ods")])
def test_the_content_decides_not_the_extension(tmp_path, name, real):
    path = tmp_path / name
    shutil.copy(DATA / real, path)
    assert validate_file(path).error is None
    assert values(path) == values(DATA / real)


def test_xls_is_read_but_not_written():
    path = DATA / "calamine_any_sheets.xls"
    assert check_package(path, Limits(), reading=True) == "xls"
    with pytest.raises(WorkbookError) as err:
        check_package(path, Limits())  # an annotated copy: .xlsx only
    assert err.value.code == "KX004" and ".xlsx" in err.value.message("id") and "diperiksa" in err.value.message("id")


def _macro_sheet(parts):
    wb = parts["xl/workbook.xml"].replace(b"</sheets>", b'<sheet name="Makro1" sheetId="9" r:id="rId99"/></sheets>')
    parts["xl/workbook.xml"] = wb
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" '
                             b'Target="macrosheets/sheet1.xml"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>')
    parts["xl/macrosheets/sheet1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xm:macrosheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        b'<sheetData><row r="1"><c r="A1"><f>RETURN()</f><v>0</v></c></row></sheetData></xm:macrosheet>')
    return parts


def _odd_state(parts):
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b'state="hidden"', b'state="Hidden"')
    return parts


@pytest.mark.parametrize("edit, sheets", [
    (_macro_sheet, ["Visible", "Hidden", "VeryHidden"]),
    (_odd_state, ["Visible", "Hidden", "VeryHidden"]),
], ids=["excel4-macro-sheet", "unknown-sheet-state"])
def test_what_calamine_refuses_in_the_workbook_part_is_skipped_not_called_damaged(tmp_path, edit, sheets):
    src = DATA / "sheetjs_sheet_visibility.xlsx"
    path = edited(src, tmp_path / "odd.xlsm", edit)
    book = open_workbook(path)
    assert book.sheet_names() == sheets
    assert values(path)["Visible"] == values(src)["Visible"]
    assert validate_file(path).error is None
    assert zipfile.ZipFile(path).read("xl/workbook.xml") == edit(
        {n: zipfile.ZipFile(src).read(n) for n in zipfile.ZipFile(src).namelist()})["xl/workbook.xml"]  # the file is untouched


def test_a_damaged_xls_is_called_damaged_in_words(tmp_path):
    path = tmp_path / "rusak.xls"
    path.write_bytes((DATA / "calamine_any_sheets.xls").read_bytes()[:3000])
    error = validate_file(path).error
    assert error.code == "KX003" and "rusak" in error.message("id")
    assert not RAW_ERROR.search(error.message("id")) and not RAW_ERROR.search(error.message("en"))


def test_a_cut_deflate_stream_is_called_damaged_in_words(tmp_path):
    src = (DATA / "sheetjs_sheet_visibility.xlsx").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zf, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zf.infolist():
            out.writestr(info.filename, zf.read(info))
    data = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename)
    data[start + 10:start + 60] = b"\xff" * 50  # garbage inside the workbook part's deflate stream
    path = tmp_path / "cacat.xlsx"
    path.write_bytes(bytes(data))
    error = validate_file(path).error
    assert error is not None and error.code in ("KX003",)
    assert not RAW_ERROR.search(error.message("id")) and not RAW_ERROR.search(error.message("en"))


def test_the_size_limit_message_names_only_options_that_exist(tmp_path):
    from pathological import write_rows

    path = write_rows(tmp_path / "besar.xlsx", {"Data": [[f"baris {r}", r] for r in range(50)]})
    limits = Limits(max_rows=20)
    with pytest.raises(WorkbookError) as err:
        check_package(path, limits, reading=True)
    assert err.value.code == "KX008" and "--" not in err.value.message("id") + err.value.message("en")
    assert "Ctrl+End" in err.value.message("id")
    with pytest.raises(WorkbookError) as err:
        check_package(path, Limits(max_rows=20, max_rows_option="--max-rows"))
    assert "--max-rows" in err.value.message("id") and "--max-rows" in err.value.message("en")


def test_part_names_with_backslashes_are_read():
    path = DATA / "calamine_issue_530.xlsx"
    with zipfile.ZipFile(path) as zf:
        assert "xl\\workbook.xml" in zf.namelist()
        parts = sheet_parts(zf)
    assert len(parts) == 1 and all(p.startswith("xl/worksheets/") for p in parts.values())
    assert validate_file(path).error is None


def test_a_dimension_larger_than_the_part_could_hold_is_not_believed():
    path = DATA / "calamine_issue_174.xlsx"  # <dimension ref="A1:XFD1048576"/>, two rows of data
    report = validate_file(path)
    assert report.error is None and len(report.sheets[0].rows) == 2


def test_a_sheet_entry_with_no_part_behind_it_is_left_out_not_called_damaged():
    # Apache POI's 60825 test file lists a second sheet "Module" with r:id="" (a VBA module's
    # leftover); calamine refuses the whole package ("Relationship not found"), Excel opens it.
    path = Path(__file__).parent / "data" / "producers" / "poi-60825.xlsx"
    book = open_workbook(path, Limits())
    try:
        assert book.sheet_names() == ["Sheet1"]
    finally:
        book.close()
    assert {f.code for f in validate_file(path).findings} == {"KX010"}  # readable, no report table
