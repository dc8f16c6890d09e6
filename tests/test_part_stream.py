"""Sheet parts read straight from the zip file (``files._open_part``) are the bytes zipfile reads.

The formula scan inflates a sheet part while calamine parses the same sheet; ``_PartStream`` does it
with ISA-L where installed (zlib otherwise) instead of through ``ZipFile.open``. Whatever the
library, the bytes, the CRC check and the errors must be zipfile's.
"""

from __future__ import annotations

import random
import zipfile
import zlib
from pathlib import Path

import pytest

from kinerja_xl.workbook import files
from kinerja_xl.workbook.files import _open_part, _read_big_part, all_cached_stream

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"


def _sheet_xml(rows: int, seed: int = 1) -> bytes:
    rnd = random.Random(seed)
    cells = "".join(f'<row r="{r}"><c r="A{r}"><v>{rnd.random()}</v></c><c r="B{r}"><f>A{r}*2</f><v>{r}</v></c></row>'
                    for r in range(1, rows + 1))
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + cells.encode() + b"</sheetData></worksheet>")


@pytest.fixture(params=["isal-or-zlib", "zlib"])
def inflating(request, monkeypatch):
    """Each test with the library the install has (ISA-L) and with the standard library's zlib."""
    if request.param == "zlib":
        monkeypatch.setattr(files, "_inflating", zlib)
    return files._inflating


def _package(tmp_path: Path, parts: dict[str, tuple[bytes, int]]) -> Path:
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for name, (data, method) in parts.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


def test_every_part_of_a_real_workbook_reads_as_zipfile_reads_it(inflating):
    with zipfile.ZipFile(EXAMPLE) as zf:
        names = [i.filename for i in zf.infolist()]
        assert any(n.startswith("xl/worksheets/") for n in names)
        for name in names:
            with _open_part(zf, name) as fh:
                assert fh.read() == zf.read(name), name


@pytest.mark.parametrize("n", [1, 7, 4096, 1 << 20])
def test_reading_piece_by_piece_gives_the_same_bytes(tmp_path, inflating, n):
    xml = _sheet_xml(3000)
    path = _package(tmp_path, {"xl/worksheets/sheet1.xml": (xml, zipfile.ZIP_DEFLATED)})
    with zipfile.ZipFile(path) as zf, _open_part(zf, "xl/worksheets/sheet1.xml") as fh:
        pieces = list(iter(lambda: fh.read(n), b""))
    assert b"".join(pieces) == xml
    assert all(0 < len(p) <= n for p in pieces[:-1])  # the last is what the inflater still held
    assert len(pieces) >= len(xml) // n // 2  # read piece by piece, not all at once


def test_the_streamed_formula_check_answers_as_through_zipfile(tmp_path, inflating):
    cached = _sheet_xml(20000)
    uncached = cached.replace(b"<v>19999</v>", b"")  # one formula near the end saved without its value
    path = _package(tmp_path, {"a.xml": (cached, zipfile.ZIP_DEFLATED), "b.xml": (uncached, zipfile.ZIP_DEFLATED)})
    with zipfile.ZipFile(path) as zf:
        for name, expected in (("a.xml", True), ("b.xml", False)):
            with _open_part(zf, name) as fh, zf.open(name) as ref:
                assert all_cached_stream(fh.read) is all_cached_stream(ref.read) is expected


def test_stored_parts_and_backslash_names_are_found(tmp_path, inflating):
    xml = _sheet_xml(50)
    path = _package(tmp_path, {"xl\\worksheets\\sheet1.xml": (xml, zipfile.ZIP_DEFLATED),
                               "xl/worksheets/sheet2.xml": (xml, zipfile.ZIP_STORED)})
    with zipfile.ZipFile(path) as zf:
        assert _read_big_part(zf, "xl/worksheets/sheet1.xml") == xml
        assert _read_big_part(zf, "xl/worksheets/sheet2.xml") == xml
        with pytest.raises(KeyError):
            _open_part(zf, "xl/worksheets/sheet9.xml")


def test_damaged_data_and_a_wrong_crc_are_bad_zip_files(tmp_path, inflating):
    """zipfile says BadZipFile for a wrong CRC but lets zlib's error through for damaged data; the part
    stream says BadZipFile for both, which the formula scan's callers catch."""
    xml = _sheet_xml(2000)
    path = _package(tmp_path, {"xl/worksheets/sheet1.xml": (xml, zipfile.ZIP_DEFLATED)})
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename)
    wrong_crc = bytes(data)
    crc_at = info.header_offset + 14  # the local header's CRC is not read: the central directory's is
    assert wrong_crc[crc_at:crc_at + 4] == info.CRC.to_bytes(4, "little")
    central = wrong_crc.rfind(info.CRC.to_bytes(4, "little"))
    bad_crc = path.with_name("crc.xlsx")
    bad_crc.write_bytes(wrong_crc[:central] + ((info.CRC + 1) & 0xFFFFFFFF).to_bytes(4, "little") + wrong_crc[central + 4:])
    damaged = path.with_name("damaged.xlsx")
    data[start:start + 40] = b"\xff" * 40
    damaged.write_bytes(bytes(data))
    for bad in (bad_crc, damaged):
        with zipfile.ZipFile(bad) as zf:
            with pytest.raises(zipfile.BadZipFile if bad is bad_crc else zlib.error):
                zf.read("xl/worksheets/sheet1.xml")
            with pytest.raises(zipfile.BadZipFile):
                _read_big_part(zf, "xl/worksheets/sheet1.xml")
            with pytest.raises(zipfile.BadZipFile), _open_part(zf, "xl/worksheets/sheet1.xml") as fh:
                while fh.read(1000):
                    pass
