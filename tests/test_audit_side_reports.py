"""``write_reports``: the JSON and HTML reports written by a forked child beside the Excel one, as one process
writes them, with the child's disk error and the child's death handled."""

from __future__ import annotations

import multiprocessing as mp
import os

import pytest

from kinerja_xl.audit import run
from kinerja_xl.audit.core import consolidate
from kinerja_xl.audit.extract import audit_file
from kinerja_xl.audit.run import ReportWriteError, write_reports
from kinerja_xl.config import Config
from kinerja_xl.testing.samples import example_copy

pytestmark = pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="no fork on this system")

CFG = Config()


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    src = tmp_path_factory.mktemp("side")
    results = [audit_file(str(example_copy(src / f"kec_{i}.xlsx", "Kecamatan Kunir", i + 1)), CFG) for i in range(3)]
    d = consolidate(results, CFG)
    d["generated"] = "2026-12-03 10:00"
    return d


def _serial(monkeypatch):
    monkeypatch.setattr(run, "_start_side", lambda doc, output: None)


def test_side_child_writes_the_same_reports(doc, tmp_path, monkeypatch):
    timings: dict[str, float] = {}
    write_reports(doc, tmp_path / "side", timings)
    assert timings.get("report_side") == 1.0 and timings["report_json"] > 0 and timings["report_html"] > 0
    with monkeypatch.context() as m:
        _serial(m)
        serial: dict[str, float] = {}
        write_reports(doc, tmp_path / "serial", serial)
    assert "report_side" not in serial
    for name in ("audit.json", "audit.html"):
        assert (tmp_path / "side" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes(), name
    assert (tmp_path / "side" / "audit.xlsx").stat().st_size > 0
    assert sorted(p.name for p in (tmp_path / "side").iterdir()) == ["audit.html", "audit.json", "audit.xlsx"]


def test_disk_error_in_the_child_is_the_run_error(doc, tmp_path):
    out = tmp_path / "out"
    (out / "audit.html").mkdir(parents=True)  # a folder where the HTML report goes: the child cannot write it
    with pytest.raises(ReportWriteError, match="tidak dapat ditulis"):
        write_reports(doc, out, {})
    assert (out / "audit.json").is_file() and (out / "audit.xlsx").is_file()


def test_a_child_that_dies_leaves_the_reports_to_the_parent(doc, tmp_path, monkeypatch):
    monkeypatch.setattr(run, "_side_reports", lambda doc, output, conn: os._exit(3))
    timings: dict[str, float] = {}
    write_reports(doc, tmp_path / "out", timings)
    assert "report_side" not in timings and timings["report_html"] > 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["audit.html", "audit.json", "audit.xlsx"]
