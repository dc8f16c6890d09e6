"""Hostile and broken files: each becomes a per-file error (or findings), within limits, and the run goes on.

Every file is built here in tmp_path; the big ones are written as XML straight
into a zip (a million rows in about a second), never through openpyxl.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from kinerja_xl.audit.pool import PoolSettings, run_pool
from kinerja_xl.testing.samples import quarter_spec, write_report
from kinerja_xl.config import Config
from kinerja_xl.workbook import WorkbookError
from kinerja_xl.workbook.safety import Limits, check_package

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook ' + NS + ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Realisasi" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SST = f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="1" uniqueCount="1"><si><t>PLAFON</t></si></sst>'
SHEET = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
LOL = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
       + "".join(f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">' for i in range(1, 10))
       + "]>")


def package(path: Path, sheet: str | bytes = SHEET, sst: str | bytes = SST, level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/sharedStrings.xml", sst)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def col(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def tall_sheet(path: Path, rows: int, dimension: bool) -> Path:
    """A realisasi-like sheet of ``rows`` rows, streamed into the zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS), ("xl/workbook.xml", WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS), ("xl/sharedStrings.xml", SST)):
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            dim = f'<dimension ref="A1:C{rows}"/>' if dimension else ""
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{dim}<sheetData>'.encode())
            buf = []
            for r in range(1, rows + 1):
                buf.append(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{r * 7}</v></c><c r="C{r}" t="s"><v>0</v></c></row>')
                if len(buf) == 50_000:
                    fh.write("".join(buf).encode())
                    buf = []
            fh.write(("".join(buf) + "</sheetData></worksheet>").encode())
    return path


def wide_sheet(path: Path, rows: int = 4) -> Path:
    """Text in every one of the 16.384 columns of the first rows, numbers below."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="A1:XFD{rows}"/><sheetData>']
    for r in range(1, rows + 1):
        if r <= 2:
            cells = "".join(f'<c r="{col(c)}{r}" t="inlineStr"><is><t>Kolom {c}</t></is></c>' for c in range(16384))
        else:
            cells = "".join(f'<c r="{col(c)}{r}"><v>{c}</v></c>' for c in range(16384))
        parts.append(f'<row r="{r}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    return package(path, "".join(parts), level=1)


def lying_sizes(path: Path, declared: int = 200_000) -> Path:
    """A zip bomb that lies: its directory says the sheet inflates to 200 KB, it inflates to 117 MB."""
    import struct

    body = b'<row r="1"><c r="A1"><v>1</v></c></row>' * 3_000_000
    package(path, f'<?xml version="1.0"?><worksheet {NS}><sheetData>'.encode() + body + b"</sheetData></worksheet>", level=9)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        offset = z.getinfo("xl/worksheets/sheet1.xml").header_offset
    struct.pack_into("<I", data, offset + 22, declared)  # local header: uncompressed size
    i = data.find(b"PK\x01\x02")
    while i >= 0:  # central directory entries
        n = struct.unpack_from("<H", data, i + 28)[0]
        if bytes(data[i + 46:i + 46 + n]) == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, i + 24, declared)
        i = data.find(b"PK\x01\x02", i + 4)
    path.write_bytes(data)
    return path


def encrypted(path: Path, source: Path) -> Path:
    msoffcrypto = pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool (test extra) makes a real encrypted workbook")
    from msoffcrypto.format.ooxml import OOXMLFile

    with source.open("rb") as fh:
        out = io.BytesIO()
        OOXMLFile(fh).encrypt("rahasia", out)
    path.write_bytes(out.getvalue())
    assert msoffcrypto  # imported for the skip
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("hostile")
    good = write_report(d / "good.xlsx", quarter_spec("Kecamatan Lumajang", 3))
    files = {
        "good": good,
        # a 60 MB sheet of blanks compresses ~1000×: a zip bomb by ratio
        "zip_bomb": package(d / "zip_bomb.xlsx", f'<?xml version="1.0"?><worksheet {NS}><sheetData>'.encode()
                            + b" " * 60_000_000 + b"</sheetData></worksheet>", level=9),
        "zip_bomb_lying": lying_sizes(d / "zip_bomb_lying.xlsx"),
        "entity_bomb_sheet": package(d / "entity_bomb_sheet.xlsx",
                                     f'<?xml version="1.0"?>{LOL}<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'),
        "entity_bomb_sst": package(d / "entity_bomb_sst.xlsx",
                                   sst=f'<?xml version="1.0"?>{LOL}<sst {NS} count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'),
        "xxe": package(d / "xxe.xlsx", sst=f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                       f'<sst {NS} count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'),
        "not_a_workbook": d / "not_a_workbook.xlsx",
        "truncated": d / "truncated.xlsx",
        "encrypted": encrypted(d / "encrypted.xlsx", good),
        "million_rows": tall_sheet(d / "million_rows.xlsx", 1_000_000, dimension=True),
        "wide": wide_sheet(d / "wide.xlsx"),
    }
    files["not_a_workbook"].write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" * 50)
    files["truncated"].write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return files


def run(paths: list[Path], settings: PoolSettings, limits: Limits | None = None, on_result=None) -> dict[str, dict]:
    out: dict[str, dict] = {}

    def done(index, result):
        out[Path(result["path"]).stem] = result
        if on_result:
            on_result(index, result)

    run_pool([str(p) for p in paths], Config(), limits, settings, done)
    return out


@pytest.mark.slow
def test_every_hostile_file_is_a_per_file_error_and_the_run_goes_on(hostile):
    start = time.monotonic()
    results = run(list(hostile.values()), PoolSettings(jobs=2, max_seconds=60, max_memory_mb=1024))
    assert time.monotonic() - start < 60
    assert set(results) == set(hostile)
    codes = {name: (r["error"] or {}).get("code") for name, r in results.items()}
    assert codes["good"] is None and results["good"]["rows"]  # the good file beside them is checked normally
    assert codes["zip_bomb"] == "KX007" and "bom zip" in results["zip_bomb"]["error"]["message"]
    # declared sizes pass the directory check; the reader stops at the declared size
    assert codes["zip_bomb_lying"] == "KX003" and results["zip_bomb_lying"]["seconds"] < 10
    assert "direktori zip" in results["zip_bomb_lying"]["error"]["message"]  # in words, not the reader's error text
    assert codes["entity_bomb_sheet"] == "KX007" and "bom entitas" in results["entity_bomb_sheet"]["error"]["message"]
    assert codes["entity_bomb_sst"] == "KX007" and "sharedStrings" in results["entity_bomb_sst"]["error"]["message"]
    assert codes["xxe"] == "KX007" and "XXE" in results["xxe"]["error"]["message"]
    assert codes["not_a_workbook"] == "KX002"
    assert codes["truncated"] == "KX003"
    assert codes["encrypted"] == "KX005"
    assert codes["million_rows"] == "KX008" and "1.000.000 baris" in results["million_rows"]["error"]["message"]
    # 16.384 columns are within the limits: read, no table found, reported as a finding of the file
    assert codes["wide"] is None
    assert [f["code"] for f in results["wide"]["findings"]] == ["KX010"]
    for name, r in results.items():
        if r["error"]:
            assert r["findings"][0]["severity"] == "error" and r["findings"][0]["message"].startswith(f"{name}.xlsx")


def test_refusals_happen_before_parsing_and_fast(hostile):
    """The pre-parse checks alone refuse the hostile packages, in milliseconds each."""
    for name in ("zip_bomb", "entity_bomb_sheet", "entity_bomb_sst", "xxe", "million_rows"):
        start = time.perf_counter()
        with pytest.raises(WorkbookError) as err:
            check_package(hostile[name], Limits())
        assert err.value.code in ("KX007", "KX008")
        assert time.perf_counter() - start < 2.0, name


def test_calamine_does_not_expand_entities(hostile):
    """Why the DTD check is a clear message, not the only defence: quick-xml refuses unknown entities itself."""
    from python_calamine import CalamineWorkbook

    for name in ("entity_bomb_sst", "xxe"):
        with pytest.raises(Exception, match="entity"):
            CalamineWorkbook.from_path(str(hostile[name])).get_sheet_by_name("Realisasi").to_python()


def test_dtd_after_a_comment_and_a_large_prolog_are_refused(tmp_path):
    sneaky = package(tmp_path / "sneaky.xlsx", sst=f'<?xml version="1.0"?><!-- {"x" * 10000} --><!DOCTYPE s [<!ENTITY a "b">]>'
                     f'<sst {NS} count="1" uniqueCount="1"><si><t>&a;</t></si></sst>')
    with pytest.raises(WorkbookError, match="entity"):
        check_package(sneaky, Limits())
    padded = package(tmp_path / "padded.xlsx", sst='<?xml version="1.0"?><!--' + "x" * 100_000 + f'--><sst {NS}/>')
    with pytest.raises(WorkbookError, match="before its first element"):
        check_package(padded, Limits())
    data = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE s [<!ENTITY a "b">]><sst {NS}/>'.encode("utf-16")
    utf16 = package(tmp_path / "utf16.xlsx", sst=data)
    with pytest.raises(WorkbookError, match="entity"):
        check_package(utf16, Limits())


def test_styled_cells_far_right_do_not_refuse_a_sheet(tmp_path):
    """A dimension widened by formatted-but-empty cells (A1:XFD3) is within the cell limit."""
    sheet = (f'<?xml version="1.0"?><worksheet {NS}><dimension ref="A1:XFD3"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
             '<c r="XFD1" s="1"/></row></sheetData></worksheet>')
    check_package(package(tmp_path / "styled.xlsx", sheet), Limits())


@pytest.mark.slow
def test_time_limit_kills_the_worker_and_the_next_file_is_checked(tmp_path):
    """A million rows without a <dimension> pass the pre-parse check; the time limit stops them."""
    slow = tall_sheet(tmp_path / "no_dimension.xlsx", 1_000_000, dimension=False)
    good = write_report(tmp_path / "after.xlsx", quarter_spec("Kecamatan Tempeh", 2))
    start = time.monotonic()
    results = run([slow, good], PoolSettings(jobs=1, max_seconds=3, max_memory_mb=4096))
    assert results["no_dimension"]["error"]["code"] == "KX020"
    assert "3 detik" in results["no_dimension"]["error"]["message"]
    assert results["after"]["error"] is None and results["after"]["rows"]
    assert time.monotonic() - start < 30


@pytest.mark.slow
def test_memory_limit_stops_one_file_only(tmp_path):
    big = tall_sheet(tmp_path / "hungry.xlsx", 1_000_000, dimension=False)
    good = write_report(tmp_path / "fine.xlsx", quarter_spec("Kecamatan Kunir", 1))
    results = run([big, good], PoolSettings(jobs=1, max_seconds=60, max_memory_mb=150))
    assert results["hungry"]["error"]["code"] == "KX021"
    assert "150 MB" in results["hungry"]["error"]["message"]
    assert results["fine"]["error"] is None


@pytest.mark.slow
def test_file_that_disappears_mid_run(tmp_path):
    first = write_report(tmp_path / "first.xlsx", quarter_spec("Kecamatan Klakah", 1))
    held = write_report(tmp_path / "held.xlsx", quarter_spec("Kecamatan Klakah", 2))
    gone = write_report(tmp_path / "gone.xlsx", quarter_spec("Kecamatan Klakah", 3))
    last = write_report(tmp_path / "last.xlsx", quarter_spec("Kecamatan Klakah", 4))

    # the worker holds the file after the one it checks (pool.AHEAD): the third is handed out only after
    # the first one's answer, so it is deleted before any worker has it
    def delete_after_first(index, result):
        if index == 0:
            gone.unlink()

    results = run([first, held, gone, last], PoolSettings(jobs=1, max_seconds=60), on_result=delete_after_first)
    assert results["gone"]["error"]["code"] == "KX001"
    assert all(results[n]["error"] is None for n in ("first", "held", "last"))


def test_file_deleted_while_it_is_read_is_not_found(tmp_path):
    """calamine has read the file, the formula scan then finds it gone: not found, not 'corrupt'."""
    from kinerja_xl.workbook.files import FileWorkbook

    path = write_report(tmp_path / "gone.xlsx", quarter_spec("Kecamatan Klakah", 1))
    book = FileWorkbook(path)
    path.unlink()
    with pytest.raises(WorkbookError) as err:
        for name in book.sheet_names():
            book.read_sheet(name)
    assert err.value.code == "KX001"
    assert "berkas sudah tidak ada" in err.value.message()
