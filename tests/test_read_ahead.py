"""``workbook.files.read_ahead``: a file read in a background thread gives the very report a
plain read gives (the CLI starts it before importing pandas, so the read and the imports overlap)."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest

from kinerja_xl.report.jsonfmt import render_json
from kinerja_xl.runner import validate_file
from kinerja_xl.workbook import WorkbookError, files
from kinerja_xl.workbook.files import FileWorkbook, open_workbook, read_ahead
from kinerja_xl.workbook.safety import Limits

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"


def _json(report) -> dict:
    import io

    out = io.StringIO()
    render_json([report], out, "en")
    return json.loads(out.getvalue())


@pytest.fixture(autouse=True)
def _no_leftovers():
    files._AHEAD.clear()
    yield
    files._AHEAD.clear()


def _openpyxl_copy(tmp_path: Path) -> Path:
    """A generated report saved by openpyxl: its formulas lost their values (scanned, computed)."""
    openpyxl = pytest.importorskip("openpyxl")
    sys.path.insert(0, str(ROOT / "bench"))
    from _gen import realisasi_workbook

    gen = realisasi_workbook(tmp_path / "gen.xlsx", 300, seed=8)
    openpyxl.load_workbook(gen.path).save(tmp_path / "resaved.xlsx")
    return tmp_path / "resaved.xlsx"


def test_same_report_as_a_plain_read(tmp_path):
    for path in (EXAMPLE, _openpyxl_copy(tmp_path)):
        plain = _json(validate_file(path))
        read_ahead(path)
        book = open_workbook(path)
        assert type(book).__name__ == "_ReadAheadWorkbook"  # the read-ahead was taken
        book.close()
        read_ahead(path)
        ahead = _json(validate_file(path))
        assert ahead == plain and plain["files"][0]["findings"]
        assert not files._AHEAD  # each read-ahead serves one open


def test_sheets_equal_and_served_once(tmp_path):
    path = _openpyxl_copy(tmp_path)
    plain = FileWorkbook(path)
    read_ahead(path, skip={"Keterangan"})
    book = open_workbook(path)
    assert book.sheet_names() == plain.sheet_names()
    for name in plain.sheet_names():  # the skipped sheet is read on request, the others were read ahead
        a, b = book.read_sheet(name), plain.read_sheet(name)
        assert (a.rows, a.merges, a.uncached, a.computed, a.hidden) == (b.rows, b.merges, b.uncached, b.computed, b.hidden)
        assert set(a.formulas) == set(b.formulas)
    assert book.read_sheet("Keterangan").rows == plain.read_sheet("Keterangan").rows  # again: read here
    book.close()
    plain.close()
    assert type(open_workbook(path)).__name__ == "FileWorkbook"  # used up: the next open reads the file


def test_only_the_same_file_and_limits(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(EXAMPLE.read_bytes())
    read_ahead(path, Limits(max_rows=10))
    assert type(open_workbook(path)).__name__ == "FileWorkbook"  # other limits
    files._AHEAD.clear()
    read_ahead(path)
    path.write_bytes(EXAMPLE.read_bytes() + b"")  # rewritten: a new modification time
    import os

    os.utime(path, ns=(1, 1))
    assert type(open_workbook(path)).__name__ == "FileWorkbook"


def test_errors_arrive_as_without_read_ahead(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WorkbookError) as plain:
        FileWorkbook(broken)
    read_ahead(broken)
    with pytest.raises(WorkbookError) as ahead:
        open_workbook(broken)
    assert (ahead.value.code, ahead.value.message("en")) == (plain.value.code, plain.value.message("en"))
    read_ahead(broken)
    assert _json(validate_file(broken)) == _json(validate_file(broken))
    tiny = Limits(max_rows=5)
    read_ahead(EXAMPLE, tiny)  # refused by size: the same refusal
    assert _json(validate_file(EXAMPLE, limits=tiny)) == _json(validate_file(EXAMPLE, limits=tiny))


def test_the_read_runs_in_another_thread(monkeypatch):
    seen = []
    real = FileWorkbook.read_sheet

    def spy(self, name):
        seen.append(threading.current_thread().name)
        return real(self, name)

    monkeypatch.setattr(FileWorkbook, "read_sheet", spy)
    read_ahead(EXAMPLE)
    book = open_workbook(EXAMPLE)
    for name in book.sheet_names():
        book.read_sheet(name)
    assert seen and set(seen) == {"kinerja-xl-read-ahead"}
