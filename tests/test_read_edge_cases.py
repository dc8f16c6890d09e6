"""Reading edge cases: formulas that return "", amounts no Int64 can hold."""

from __future__ import annotations

from kinerja_xl.runner import validate_source
from kinerja_xl.workbook import SheetData
from kinerja_xl.workbook.files import _scan_formulas_bytes, _scan_formulas_lxml

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sheet(cells: str, prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{NS}"' if prefix else f'xmlns="{NS}"'
    return f"<{p}worksheet {xmlns}><{p}sheetData><{p}row r=\"1\">{cells}</{p}row></{p}sheetData></{p}worksheet>".encode()


def test_formula_returning_empty_text_is_cached_not_missing():
    # Excel writes =IF(B1="","",B1) that yields "" as t="str" with an empty <v>;
    # openpyxl writes an uncomputed formula with no t and no value.
    xml = _sheet('<c r="A1" t="str"><f>IF(B1="","",B1)</f><v></v></c>'
                 '<c r="B1"><f>C1</f><v></v></c><c r="C1"><f>D1</f></c><c r="D1"><f>1+1</f><v>2</v></c>')
    expected_formulas = {(0, 0), (0, 1), (0, 2), (0, 3)}
    for scan in (_scan_formulas_bytes, _scan_formulas_lxml):
        formulas, uncached = scan(xml)
        assert formulas == expected_formulas
        assert uncached == {(0, 1), (0, 2)}


def test_prefixed_namespace_formula_returning_empty_text():
    xml = _sheet('<x:c r="A1" t="str"><x:f>IF(1,"","")</x:f><x:v></x:v></x:c><x:c r="B1"><x:f>A1</x:f><x:v/></x:c>',
                 prefix="x")
    for scan in (_scan_formulas_bytes, _scan_formulas_lxml):
        assert scan(xml) == ({(0, 0), (0, 1)}, {(0, 1)})


class _Book:
    name = "besar.xlsx"

    def __init__(self, rows):
        self._rows = rows

    def sheet_names(self):
        return ["Realisasi"]

    def read_sheet(self, name):
        return SheetData(name=name, rows=self._rows)


def test_amounts_beyond_any_budget_are_reported_not_crashing():
    rows = [
        ["NO", "NAMA PROGRAM/ KEGIATAN/ SUB KEGIATAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN"],
        ["1", "Sub kegiatan satu", float("inf"), 100.0, 0.0],
        ["2", "Sub kegiatan dua", 1e20, "1e21", 5.0],
        ["3", "Sub kegiatan tiga", 500.0, 200.0, 300.0],
    ]
    report = validate_source(_Book(rows))
    unreadable = {(f.code, f.cell) for f in report.findings if f.code == "KX102"}
    assert ("KX102", "C2") in unreadable and ("KX102", "C3") in unreadable
    # and every message can be shown, in both languages (an infinite amount printed as read)
    for f in report.findings:
        assert f.message("id") and f.message("en")
    assert any("inf" in f.message("id") for f in report.findings if f.cell == "C2")
    # the sound row is still checked and raises nothing
    assert not [f for f in report.findings if f.cell and f.cell.endswith("4")]


def test_an_empty_total_row_under_the_headers_is_data_not_a_header():
    # the blank realisasi template: TOTAL row whose SUM formulas were never calculated
    rows = [
        ["NO", "NAMA PROGRAM/ KEGIATAN/ SUB KEGIATAN", "PLAFON ANGGARAN", "REALISASI KEUANGAN", "SISA ANGGARAN (Rp.)"],
        [None, None, None, "JUMLAH (RP.)", None],
        [None, "TOTAL", None, None, None],
        ["A", "PROGRAM SATU", 1000.0, 400.0, 600.0],
    ]
    report = validate_source(_Book(rows))
    (table,) = report.tables
    assert table.header_rows == (1, 2)
    assert list(table.frame.index) == [3, 4]
    assert table.frame.at[3, "uraian"] == "TOTAL"


def test_the_jumlah_row_after_unused_template_rows_belongs_to_the_table():
    # a user filled 2 of the template's 20 input rows and left the rest empty above JUMLAH
    rows = [["NO", "KODE SUB KEGIATAN", "URAIAN SUB KEGIATAN", "PAGU AWAL", "PAGU REFOKUSING", "BESARAN PENGURANGAN PAGU"],
            ["1", "7.01.01.2.01.02", "Satu", 1000.0, 900.0, 100.0],
            ["2", "7.01.01.2.01.06", "Dua", 500.0, 500.0, 0.0]]
    rows += [[None] * 6 for _ in range(18)]
    rows += [[None, "JUMLAH", None, 1500.0, 1400.0, 999.0]]
    report = validate_source(_Book(rows))
    (table,) = report.tables
    assert list(table.frame.index) == [2, 3, 22]
    # the JUMLAH row is checked: its pengurangan should be 100 (awal − refokusing, and Σ of the rows)
    assert {f.code for f in report.findings if f.cell == "F22"} & {"KX501", "KX503"}


def _package(workbook_xml: bytes, rels_xml: bytes):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("_rels/.rels", b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", workbook_xml)
        zf.writestr("xl/_rels/workbook.xml.rels", rels_xml)
    return zipfile.ZipFile(buf)


_RELS = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/>'
         b'<Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml" Type="x"/></Relationships>')


def test_the_sheet_list_is_read_with_its_namespaces_and_entities_in_names():
    from kinerja_xl.workbook.files import sheet_parts

    wb = (b'<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/'
          b'spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
          b'<x:sheets><x:sheet name="R&amp;D &lt;TW3&gt;" sheetId="1" rel:id="rId1"/>'
          b'<x:sheet name="Dua" sheetId="2" rel:id="rId2"/><x:sheet name="Lepas" sheetId="3" rel:id="rId9"/>'
          b'</x:sheets></x:workbook>')
    assert sheet_parts(_package(wb, _RELS)) == {"R&D <TW3>": "xl/worksheets/sheet1.xml", "Dua": "xl/worksheets/sheet2.xml"}
    strict = (b'<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main" xmlns:r="http://purl.oclc.org/ooxml/'
              b'officeDocument/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
    assert sheet_parts(_package(strict, _RELS)) == {"S": "xl/worksheets/sheet1.xml"}


def test_the_sheet_list_refuses_entities_and_reports_broken_xml_as_elementtree_did():
    import pytest

    from kinerja_xl.workbook.files import sheet_parts

    bomb = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>'
            b'<sheet name="&b;" sheetId="1"/></sheets></workbook>')
    with pytest.raises(ValueError):
        sheet_parts(_package(bomb, _RELS))
    external = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>'
                b'<sheet name="&x;" sheetId="1"/></sheets></workbook>')
    with pytest.raises(ValueError):
        sheet_parts(_package(external, _RELS))
    with pytest.raises(SyntaxError):
        sheet_parts(_package(b"<workbook><sheets>", _RELS))
