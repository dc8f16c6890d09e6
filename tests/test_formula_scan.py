"""The byte-search formula scan finds exactly what parsing the sheet XML finds.

``workbook.files.scan_formulas`` searches the sheet's bytes for formula tags
(fast) and falls back to parsing with lxml when the text is unusual; both
must give the same (formula cells, uncached formula cells).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from kinerja_xl.workbook.files import (
    FormulaCells,
    _scan_formulas_bytes,
    _scan_formulas_lxml,
    all_cached,
    all_cached_stream,
    open_workbook,
    scan_formulas,
    sheet_parts,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROOT = Path(__file__).resolve().parents[1]


def sheet(body: str, root: str = "worksheet", prefix: str = "", extra: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}{root} {ns}{extra}>'
            f"<{p}sheetData>{body}</{p}sheetData></{p}{root}>").encode()


CASES = {
    "cached, uncached, empty v, self-closing v, inline string": sheet(
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1*2</f><v>2</v></c><c r="C1"><f>A1+B1</f></c>'
        '<c r="D1"><f>A1</f><v></v></c><c r="E1" t="str"><f>"x"</f><v/></c>'
        '<c r="F1" t="inlineStr"><f>"y"</f><is><t>y</t></is></c></row>'),
    "shared formulas, attributes in any order, whitespace": sheet(
        '<row r="2"><c s="3" r="AB2" t="n"><f t="shared" ref="AB2:AB3" si="0">A2-B2</f><v>5</v></c></row>'
        '<row r="3"><c\nr="AB3"\ts="3"><f t="shared" si="0"/><v>7</v></c><c r=\'AC3\'><f t="shared" si="0"/></c></row>'),
    "value before formula, text with tag-like characters": sheet(
        '<row r="4"><c r="A4" t="str"><v>&lt;f&gt;</v><f>"&lt;f&gt;"</f></c><c r="B4"><v> </v><f>1</f></c></row>'),
    "a cell without a reference": sheet('<row r="5"><c><f>1</f></c><c r="B5"><f>2</f><v>2</v></c></row>'),
    "prefixed namespace": sheet('<x:row r="6"><x:c r="C6"><x:f>1</x:f></x:c><x:c r="D6"><x:f>1</x:f><x:v>1</x:v></x:c></x:row>',
                                prefix="x"),
    "formulas in conditional formats only": sheet('<row r="1"><c r="A1"><v>1</v></c></row>').replace(
        b"</worksheet>", b'<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1"><formula>A1&gt;0</formula>'
                         b"</cfRule></conditionalFormatting></worksheet>"),
    "a comment (parsed instead)": sheet('<row r="7"><!-- <c r="Z9"><f>1</f></c> --><c r="A7"><f>1</f></c></row>'),
    "CDATA value (parsed instead)": sheet('<row r="8"><c r="A8" t="str"><f>1</f><v><![CDATA[x]]></v></c></row>'),
}


@pytest.mark.parametrize("name", list(CASES))
def test_byte_scan_equals_lxml_scan(name):
    xml = CASES[name]
    expected = _scan_formulas_lxml(xml)
    fast = _scan_formulas_bytes(xml)
    if fast is not None:
        assert fast == expected
    assert scan_formulas(xml) == expected


def test_known_cells():
    formulas, uncached = scan_formulas(CASES["cached, uncached, empty v, self-closing v, inline string"])
    assert formulas == {(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)}
    # E1 (t="str", empty value) is a formula that returned "" as Excel saves it; F1 has an inline-string result
    assert uncached == {(0, 2), (0, 3)}
    assert scan_formulas(CASES["a cell without a reference"]) == ({(4, 1)}, set())


def test_unusual_text_is_parsed_not_searched():
    assert _scan_formulas_bytes(CASES["a comment (parsed instead)"]) is None
    assert _scan_formulas_bytes(CASES["CDATA value (parsed instead)"]) is None
    twice = sheet('<row r="1"><c r="A1"><f>1</f></c></row>', extra=' xmlns:y="urn:y"').replace(
        b"<sheetData>", b'<sheetData xmlns="urn:other">')
    assert _scan_formulas_bytes(twice) is None
    assert scan_formulas(twice) == _scan_formulas_lxml(twice)


def _sheet_xmls(path: Path):
    with zipfile.ZipFile(path) as zf:
        for name, part in sheet_parts(zf).items():
            if part in zf.namelist():
                yield name, zf.read(part)


def test_real_workbooks(tmp_path):
    """Workbooks written by XlsxWriter (cached values) and openpyxl (no cached values), and the bundled ones."""
    openpyxl = pytest.importorskip("openpyxl")
    sys.path.insert(0, str(ROOT / "bench"))
    from _gen import realisasi_workbook

    paths = [realisasi_workbook(tmp_path / "gen.xlsx", 300, seed=3).path]
    wb = openpyxl.load_workbook(paths[0])
    wb.save(tmp_path / "resaved.xlsx")  # openpyxl keeps the formulas and drops every cached value
    paths.append(tmp_path / "resaved.xlsx")
    paths += sorted((ROOT / "xlsx_templates").glob("*.xls[xm]"))
    seen_uncached = 0
    for path in paths:
        for name, xml in _sheet_xmls(path):
            expected = _scan_formulas_lxml(xml) if (b"<f" in xml or b":f" in xml) else (set(), set())
            assert scan_formulas(xml) == expected, (path.name, name)
            if path.parent == tmp_path:
                assert _scan_formulas_bytes(xml) is not None  # the fast path, not the fallback
            seen_uncached += len(expected[1])
    assert seen_uncached > 250  # the openpyxl copy: every sisa formula lost its value


@pytest.mark.parametrize("name", list(CASES))
def test_all_cached_only_where_no_formula_lacks_its_value(name):
    xml = CASES[name]
    if all_cached(xml):
        assert _scan_formulas_lxml(xml)[1] == set()


def test_all_cached_answers():
    cached = sheet('<row r="1"><c r="A1"><v>1</v></c><c r="B1" s="2"><f>A1*2</f><v>2</v></c>'
                   '<c r="C1"><f t="shared" ref="C1:C2" si="0">A1</f><v>1</v></c></row>'
                   '<row r="2"><c r="C2"><f t="shared" si="0"/><v>0</v></c><c r="D2" t="inlineStr"><f>"y"</f><is><t>y</t></is></c></row>')
    assert all_cached(cached)
    for other in (
        cached.replace(b"<f>A1*2</f><v>2</v>", b"<f>A1*2</f>"),            # never computed
        cached.replace(b"<f>A1*2</f><v>2</v>", b"<f>A1*2</f><v></v>"),     # empty value (scan_formulas decides)
        cached.replace(b'si="0"/><v>0</v>', b'si="0"/>'),                  # a shared formula never computed
        cached.replace(b"<f>A1*2</f><v>2</v>", b"<f>A1*2</f>\n<v>2</v>"),  # whitespace: not the plain form
        cached.replace(b"<row", b"<!-- x --><row", 1),                     # a comment
        sheet('<row r="1"><c r="A1"><v>1</v></c></row>'),                   # no formula at all
        CASES["prefixed namespace"],
    ):
        assert not all_cached(other)


def test_random_sheets_all_cached_agrees_with_parsing():
    """Fragments written the ways writers do (and some they do not): whenever all_cached says yes,
    parsing the XML finds no formula without a value."""
    import random

    rng = random.Random(11)
    fragments = [
        '<c r="{r}"><v>1</v></c>', '<c r="{r}"><f>1+1</f><v>2</v></c>', '<c r="{r}"><f>1+1</f></c>',
        '<c r="{r}"><f>1</f><v></v></c>', '<c r="{r}" t="str"><f>"x"</f><v></v></c>', '<c r="{r}"><f>1</f><v/></c>',
        '<c r="{r}"><f t="shared" si="0"/><v>3</v></c>', '<c r="{r}"><f t="shared" si="0"/></c>',
        '<c s="1" r="{r}"><f>1</f><v>1</v></c>', '<c r="{r}"><f>1</f> <v>1</v></c>', '<c r="{r}" t="inlineStr"><is><t>f</t></is></c>',
        '<c r="{r}" t="inlineStr"><f>"a"</f><is><t>a</t></is></c>', '<c r="{r}"><v>&lt;f&gt;</v></c>', '<c r="{r}"/>',
    ]
    saw = {True: 0, False: 0}
    for _ in range(3000):
        cells = "".join(rng.choice(fragments).format(r=f"{'ABCDEFGH'[i]}1") for i in range(rng.randint(0, 8)))
        xml = sheet(f'<row r="1">{cells}</row>')
        verdict = all_cached(xml)
        saw[verdict] += 1
        if verdict:
            assert _scan_formulas_lxml(xml)[1] == set(), xml
    assert saw[True] > 100 and saw[False] > 100


def test_reading_a_file_finds_its_formulas_on_first_use(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from _gen import realisasi_workbook

    gen = realisasi_workbook(tmp_path / "gen.xlsx", 300, seed=5)
    book = open_workbook(gen.path)
    data = book.read_sheet(gen.sheet)
    assert isinstance(data.formulas, FormulaCells) and data.uncached == set()
    name, xml = next((n, x) for n, x in _sheet_xmls(gen.path) if n == gen.sheet)
    expected = _scan_formulas_lxml(xml)[0]
    assert len(expected) > 250  # a sisa formula on every row
    assert data.formulas == expected and set(data.formulas) == expected and (gen.first_data_row, 5) in {
        (r + 1, c) for r, c in data.formulas}


def _streamed(xml: bytes, chunk: int):
    import io

    return all_cached_stream(io.BytesIO(xml).read, chunk)


def _agrees(xml: bytes, chunk: int) -> bool | None:
    """all_cached_stream against all_cached and the lxml scan of the whole text."""
    streamed = _streamed(xml, chunk)
    if streamed is None:  # no formula: nothing to scan
        assert b"<f" not in xml and scan_formulas(xml) == (set(), set()), xml
    else:
        assert streamed == all_cached(xml), (chunk, xml)
    if streamed:
        assert _scan_formulas_lxml(xml)[1] == set(), xml
    return streamed


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_streamed_check_answers_as_the_whole_text(chunk):
    """Read piece by piece (cut before each <row), the answer is all_cached's for the whole text,
    however small the pieces: the cases above, multi-row sheets, and each way of failing."""
    cached = sheet('<row r="1"><c r="A1"><v>1</v></c><c r="B1" s="2"><f>A1*2</f><v>2</v></c></row>'
                   '<row r="2"><c r="C2"><f t="shared" si="0"/><v>0</v></c><c r="D2" t="inlineStr"><f>"y"</f><is><t>y</t></is></c></row>'
                   + "".join(f'<row r="{r}"><c r="A{r}"><f>B{r}-C{r}</f><v>{r}</v></c></row>' for r in range(3, 40)))
    assert _agrees(cached, chunk) is True
    for xml in CASES.values():
        _agrees(xml, chunk)
    for other in (
        cached.replace(b'<f>B20-C20</f><v>20</v>', b'<f>B20-C20</f>'),          # one row far down never computed
        cached.replace(b'<f>B39-C39</f><v>39</v>', b'<f>B39-C39</f><v></v>'),   # the last row: empty value
        cached.replace(b'<row r="30">', b'<!-- x --><row r="30">'),              # a comment far down
        cached.replace(b'<row r="30">', b'<row r="30" xmlns="urn:other">'),      # the namespace rebound far down
        cached.replace(b'<row r="30">', b'<row r="30"><![CDATA[<f>]]>'),
        sheet('<row r="1"><c r="A1"><v>1</v></c></row>' * 5),                     # no formula at all
    ):
        assert not _agrees(other, chunk)


def test_streamed_check_on_random_sheets():
    import random

    rng = random.Random(12)
    fragments = [
        '<c r="{r}"><v>1</v></c>', '<c r="{r}"><f>1+1</f><v>2</v></c>', '<c r="{r}"><f>1+1</f></c>',
        '<c r="{r}"><f>1</f><v></v></c>', '<c r="{r}" t="str"><f>"x"</f><v></v></c>', '<c r="{r}"><f>1</f><v/></c>',
        '<c r="{r}"><f t="shared" si="0"/><v>3</v></c>', '<c r="{r}"/>', '<c r="{r}"><v>&lt;f&gt;!</v></c>',
    ]
    weights = [40, 40, 1, 1, 1, 1, 10, 5, 2]
    saw = {True: 0, False: 0, None: 0}
    for _ in range(600):
        rows = "".join(f'<row r="{n}">' + "".join(rng.choices(fragments, weights)[0].format(r=f"{'ABCD'[i]}{n}")
                                                 for i in range(rng.randint(0, 4))) + "</row>"
                       for n in range(1, rng.randint(1, 30)))
        saw[_agrees(sheet(rows), rng.choice([1, 5, 40, 300, 1 << 20]))] += 1
    assert min(saw.values()) > 20


def test_a_file_without_cached_values_is_scanned_whole(tmp_path):
    """openpyxl drops every cached value: the streamed check says no, and the scan finds the formulas."""
    openpyxl = pytest.importorskip("openpyxl")
    sys.path.insert(0, str(ROOT / "bench"))
    from _gen import realisasi_workbook

    gen = realisasi_workbook(tmp_path / "gen.xlsx", 200, seed=4)
    openpyxl.load_workbook(gen.path).save(tmp_path / "resaved.xlsx")
    data = open_workbook(tmp_path / "resaved.xlsx").read_sheet(gen.sheet)
    _, xml = next((n, x) for n, x in _sheet_xmls(tmp_path / "resaved.xlsx") if n == gen.sheet)
    assert _streamed(xml, 1 << 20) is False
    formulas, uncached = _scan_formulas_lxml(xml)
    assert data.formulas == formulas and len(formulas) > 150
    assert data.uncached | set(data.computed) == uncached  # each either computed by the reader or reported
