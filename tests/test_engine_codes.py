"""Engine codes that need more than a table: a rule that crashes (KX901), reviewed exceptions (KX011),
a checking process that dies (KX022)."""

from __future__ import annotations

import dataclasses

import pytest

from budget_books import realisasi, write_xlsx
from kinerja_xl.config import Config
from kinerja_xl.kinds import load_kinds
from kinerja_xl.runner import validate_file

# one sisa wrong (KX301 at E2), one realisasi above its plafon (KX304 at D3)
ROWS = [["1", "Pengadaan Peralatan dan Mesin Lainnya", "14.889.710", "14.850.000", "-"],
        ["2", "Penyediaan Bahan Logistik Kantor", "1.800.000", "1.950.000", "(150.000)"]]


@pytest.fixture
def book(tmp_path):
    return write_xlsx(tmp_path / "laporan.xlsx", {"Realisasi": realisasi(ROWS)})


def test_a_rule_that_crashes_becomes_a_finding_and_the_others_still_report(book):
    def boom(table, ctx):
        raise ZeroDivisionError("pembagian dengan nol")
        yield  # a generator like every rule

    # the installed kinds, with KX301's check swapped for one that raises
    kinds = [dataclasses.replace(k, rules=tuple(dataclasses.replace(r, func=boom) if r.code == "KX301" else r
                                                for r in k.rules)) for k in load_kinds()]
    report = validate_file(book, Config(ignore=("KX104",)), kinds=kinds)
    internal = [f for f in report.findings if f.code == "KX901"]
    assert len(internal) == 1 and internal[0].severity.value == "error"
    assert internal[0].message() == ("Aturan KX301 gagal dijalankan (ZeroDivisionError: pembagian dengan nol). "
                                     "Temuan lain tetap dilaporkan; mohon laporkan masalah ini.")
    assert internal[0].message("en").startswith("Rule KX301 failed to run (ZeroDivisionError")
    assert internal[0].file == str(book)
    assert ("KX304", "D3") in {(f.code, f.cell) for f in report.findings}  # the other rules ran
    assert "KX301" not in {f.code for f in report.findings}


def test_without_the_crash_there_is_no_internal_error(book):
    codes = {(f.code, f.cell) for f in validate_file(book, Config(ignore=("KX104",))).findings}
    assert codes == {("KX301", "E2"), ("KX304", "D3")}


def _with_exceptions(tmp_path, *rows):
    sheets = {"Realisasi": realisasi(ROWS), "Pengecualian": [["SEL", "KODE", "ALASAN"], *map(list, rows)]}
    return validate_file(write_xlsx(tmp_path / "dikecualikan.xlsx", sheets, numbers=True), Config(ignore=("KX104",)))


def test_an_exception_hides_its_finding_and_an_unused_one_is_reported(tmp_path):
    report = _with_exceptions(tmp_path,
                              ["'Realisasi'!E2", "KX301", "Sisa disetor ke kas daerah (STS 12/10/2021)"],
                              ["'Realisasi'!E3", "KX301", "Baris yang salah ditunjuk"])
    got = [(f.code, f.location) for f in report.findings]
    assert ("KX301", "'Realisasi'!E2") not in got  # reviewed
    assert ("KX304", "'Realisasi'!D3") in got       # not covered by any exception
    unused = [f for f in report.findings if f.code == "KX011"]
    assert [(f.location, f.severity.value) for f in unused] == [("'Pengecualian'", "warning")]
    assert "KX301 di 'Realisasi'!E3 tidak lagi terpakai" in unused[0].message()


def test_an_exception_by_code_prefix_and_with_dollar_signs(tmp_path):
    report = _with_exceptions(tmp_path, ["'Realisasi'!$D$3", "KX3", "Pergeseran anggaran, SK Bupati"])
    assert [(f.code, f.cell) for f in report.findings] == [("KX301", "E2")]


@pytest.mark.slow
def test_a_process_that_dies_twice_on_a_file_is_reported_as_kx022(tmp_path):
    import multiprocessing
    import os
    import signal
    import threading
    import time

    from kinerja_xl.audit.pool import PoolSettings, run_pool
    from test_hostile import tall_sheet

    slow = tall_sheet(tmp_path / "lama-dibaca.xlsx", 300_000, dimension=False)
    stop = threading.Event()

    def kill_workers():  # as an out-of-memory killer or a crash would, while the file is being read
        while not stop.is_set():
            for child in multiprocessing.active_children():
                if child.is_alive():
                    os.kill(child.pid, signal.SIGKILL)
            time.sleep(0.3)

    results = {}
    killer = threading.Thread(target=kill_workers, daemon=True)
    killer.start()
    try:
        run_pool([str(slow)], Config(), None, PoolSettings(jobs=1, max_seconds=60),
                 lambda index, result: results.setdefault(index, result))
    finally:
        stop.set()
        killer.join()
    error = results[0]["error"]
    assert error["code"] == "KX022"
    assert "lama-dibaca.xlsx: proses pemeriksa berhenti mendadak (sinyal 9)" in error["message"]
