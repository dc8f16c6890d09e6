"""What a check covered: per table, the numeric cells a rule read and those it did not (kinerja_xl.coverage)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from kinerja_xl.cli import app
from kinerja_xl.config import Config
from kinerja_xl.coverage import checked_cells, table_coverage
from kinerja_xl.runner import validate_file
from kinerja_xl.writeback.plan import build_plan

EXAMPLE = Path(__file__).resolve().parents[1] / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"

HEADER = ["NO", "KODE", "URAIAN", "PLAFON ANGGARAN", "REALISASI", "SISA ANGGARAN", "LEBIH KURANG", "KETERANGAN"]
ROWS = [
    [1, "7.01.01.2.01.01", "Penyediaan Gaji", 1_000_000, 600_000, 400_000, 5, "ok"],
    [2, "7.01.01.2.01.02", "Penyediaan ATK", 500_000, 250_000, 250_000, None, "12"],
    [3, "7.01.01.2.01.03", "Rapat Koordinasi", 200_000, 200_000, 0, 7, None],
]


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def partly_read(tmp_path: Path) -> Path:
    """A realisasi table whose last two columns no field matches, and a column-number row under the header."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Realisasi"
    ws.append(["LAPORAN REALISASI TW III 2021"])
    ws.append([])
    ws.append(HEADER)
    ws.append(list(range(1, len(HEADER) + 1)))  # column numbers: neither data nor checked
    for row in ROWS:
        ws.append(row)
    info = wb.create_sheet("Info")  # label and value pairs: no table of numbers
    for row in (["Tahun", 2021], ["Triwulan", "III"], ["Kode Unit", 3508]):
        info.append(row)
    path = tmp_path / "sebagian.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def not_understood(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Gudang"  # a stock list: numbers, but no table kind of ours
    ws.append(["PERSEDIAAN BARANG 2021"])
    ws.append(["NAMA BARANG", "STOK AWAL", "MASUK", "KELUAR"])
    ws.append(["Kertas", 100, 120, 20])
    ws.append(["Tinta", 90, 80, 10])
    path = tmp_path / "asing.xlsx"
    wb.save(path)
    return path


def test_a_table_states_which_columns_and_cells_were_checked(partly_read):
    report = validate_file(partly_read)
    assert not report.findings
    (cov,) = report.coverage
    assert (cov.kind, cov.sheet, cov.range, cov.header_rows, cov.data_rows, cov.rows) == \
        ("realisasi", "Realisasi", "A3:H7", (3, 3), (5, 7), 3)
    by_col = {c.column: c for c in cov.columns}
    assert {c: (x.header, x.field) for c, x in by_col.items()} == {
        "A": ("NO", "no"), "B": ("KODE", "kode"), "C": ("URAIAN", "uraian"), "D": ("PLAFON ANGGARAN", "plafon"),
        "E": ("REALISASI", "realisasi"), "F": ("SISA ANGGARAN", "sisa"), "G": ("LEBIH KURANG", None),
        "H": ("KETERANGAN", None)}
    # three money columns of three rows are read by the realisasi rules; the column-number row is not data
    assert [(c, by_col[c].numeric, by_col[c].checked) for c in "DEFGH"] == \
        [("D", 3, 3), ("E", 3, 3), ("F", 3, 3), ("G", 2, 0), ("H", 1, 0)]  # '12' typed as text is a number too
    assert (cov.numeric, cov.checked, cov.unchecked) == (12, 9, 3)
    assert [c.column for c in cov.unrecognised] == ["G", "H"]
    assert [c.column for c in cov.unchecked_columns] == ["G", "H"]
    assert "KX301" in cov.rules and "KX301" in by_col["F"].rules and by_col["G"].rules == ()
    # the kode-format rules run on the table but read the kode, not the money columns
    assert "KX111" in cov.rules and "KX111" not in by_col["D"].rules
    assert report.unread_sheets == []  # 'Tahun 2021' on an identity sheet is no table of numbers


def test_deselected_rules_check_nothing(partly_read):
    report = validate_file(partly_read, Config(select=("KX0",)))
    (cov,) = report.coverage
    assert cov.rules == () and cov.checked == 0 and cov.numeric == 12
    # with only the kode rules selected, no money cell counts as checked either
    (cov,) = validate_file(partly_read, Config(select=("KX1",))).coverage
    assert "KX111" in cov.rules and cov.checked == 0


@dataclass(frozen=True)
class _Declared:
    checked_fields: dict


def test_a_kind_that_declares_its_fields_is_not_overclaimed(partly_read):
    report = validate_file(partly_read)
    table = report.tables[0]
    cov = table_coverage(table, 0, ("KX301", "KX302"), _Declared({"sisa": ("KX301",), "plafon": None}))
    by_col = {c.column: c for c in cov.columns}
    assert (by_col["D"].checked, by_col["D"].rules) == (3, ("KX301", "KX302"))
    assert (by_col["E"].checked, by_col["E"].rules) == (0, ())  # realisasi not declared: not checked
    assert (by_col["F"].checked, by_col["F"].rules) == (3, ("KX301",))
    assert checked_cells(table, by_col["F"]) == ["F5", "F6", "F7"]
    assert checked_cells(table, by_col["E"]) == []


def test_the_terminal_never_passes_unchecked_cells_unqualified(partly_read):
    out = run("validate", str(partly_read)).output
    assert "realisasi di 'Realisasi' A3:H7: 9 dari 12 sel angka diperiksa; kolom tidak dikenali: G LEBIH KURANG, " \
           "H KETERANGAN" in out
    assert "! Tidak ada temuan pada 9 sel yang diperiksa; 3 sel angka tidak diperiksa (kolom G, H di 'Realisasi')." in out
    assert "✓" not in out
    en = run("validate", str(partly_read), "--lang", "en").output
    assert "No findings in the 9 cells checked; 3 numeric cells were not checked (column G, H in 'Realisasi')." in en
    assert "realisasi in 'Realisasi' A3:H7: 9 of 12 numeric cells checked; columns not understood:" in en


def test_a_fully_checked_workbook_says_how_much_was_checked(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Realisasi"
    ws.append(HEADER[:6])
    for row in ROWS:
        ws.append(row[:6])
    path = tmp_path / "lengkap.xlsx"
    wb.save(path)
    out = run("validate", str(path)).output
    assert "✓ Tidak ada temuan pada 9 sel angka yang diperiksa." in out


def test_a_sheet_of_numbers_not_understood_is_named_with_its_headers(not_understood):
    report = validate_file(not_understood)
    assert [f.code for f in report.findings] == ["KX010"]
    (u,) = report.unread_sheets
    assert (u.sheet, u.numeric, u.headers) == \
        ("Gudang", 6, ("NAMA BARANG", "STOK AWAL", "MASUK", "KELUAR"))
    out = run("validate", str(not_understood)).output
    assert ("Lembar 'Gudang': 6 sel angka, tidak ada tabel yang dikenali (judul kolom: NAMA BARANG | STOK AWAL | "
            "MASUK | KELUAR)") in out
    assert "Tidak ada temuan" not in out
    doc = json.loads(run("validate", str(not_understood), "--format", "json").output)
    assert doc["files"][0]["tables"] == []
    assert doc["files"][0]["unread_sheets"] == [{"sheet": "Gudang", "numeric_cells": 6, "headers": list(u.headers)}]


def test_json_tables_and_the_checked_cells_with_coverage(partly_read):
    plain = json.loads(run("validate", str(partly_read), "--format", "json").output)["files"][0]
    # the fields that were there keep their order; coverage only adds
    assert list(plain) == ["path", "error", "summary", "findings", "tables", "unread_sheets"]
    (t,) = plain["tables"]
    assert {k: t[k] for k in ("kind", "sheet", "range", "header_rows", "data_rows", "rows", "numeric_cells",
                              "checked_cells", "unchecked_cells")} == {
        "kind": "realisasi", "sheet": "Realisasi", "range": "A3:H7", "header_rows": [3, 3], "data_rows": [5, 7],
        "rows": 3, "numeric_cells": 12, "checked_cells": 9, "unchecked_cells": 3}
    assert t["unrecognised_columns"] == [{"column": "G", "header": "LEBIH KURANG"}, {"column": "H", "header": "KETERANGAN"}]
    assert all("checked" not in c for c in t["columns"])
    full = json.loads(run("validate", str(partly_read), "--format", "json", "--coverage").output)["files"][0]
    cols = {c["column"]: c for c in full["tables"][0]["columns"]}
    assert cols["D"]["checked"] == ["D5", "D6", "D7"] and "KX301" in cols["D"]["rules"]
    assert cols["G"]["checked"] == [] and cols["G"]["unchecked_cells"] == 2


def test_the_example_is_fully_checked_and_its_cells_listed():
    report = validate_file(EXAMPLE)
    assert report.coverage and all(c.unchecked == 0 for c in report.coverage)
    realisasi = next(c for c in report.coverage if c.kind == "realisasi")
    assert (realisasi.range, realisasi.numeric, realisasi.checked) == ("A4:E50", 135, 135)
    table = report.tables[realisasi.index]
    plafon = next(c for c in realisasi.columns if c.field == "plafon")
    cells = checked_cells(table, plafon)
    assert len(cells) == 45 and cells[0] == "C6"


def test_the_temuan_sheet_lists_the_tables(partly_read, not_understood):
    plan = build_plan(validate_file(partly_read), [], Config())
    summary = dict(plan.findings.summary)
    assert summary["Sel angka diperiksa"] == "9 dari 12 — 3 sel angka tidak diperiksa (kolom G, H di 'Realisasi')"
    assert summary["Tabel yang diperiksa"].startswith("realisasi di 'Realisasi' A3:H7: 9 dari 12 sel angka diperiksa")
    assert plan.findings.summary[-1][0] == ""  # the colour legend stays last
    en = build_plan(validate_file(not_understood), [], Config(lang="en"), lang="en")
    rows = dict(en.findings.summary)
    assert rows["Numeric cells checked"] == "0 of 6 — 6 numeric cells were not checked (sheet 'Gudang')"
    assert rows["Tables checked"].startswith("Sheet 'Gudang': 6 numeric cells, no table recognised")


def _corpus_builder():
    import importlib.util
    import sys

    name = "kinerja_corpus_build"
    if name not in sys.modules:  # tests/corpus is data plus scripts, not a package: load build.py by file
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / "corpus" / "build.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_no_corpus_workbook_passes_while_numeric_cells_went_unchecked(tmp_path):
    """The issue's bar: a real published table never gets a bare "Tidak ada temuan"."""
    from kinerja_xl.report.human import ok_sentence

    corpus = _corpus_builder()
    clean = 0
    for case_path in corpus.case_paths():
        path, _ = corpus.build(corpus.load_case(case_path), tmp_path)
        report = validate_file(path)
        unchecked = sum(c.unchecked for c in report.coverage) + sum(u.numeric for u in report.unread_sheets)
        assert report.coverage or report.unread_sheets, case_path.name  # something was said of its numbers
        if report.findings:
            continue
        clean += 1
        sentence, full = ok_sentence(report)
        assert full == (unchecked == 0), case_path.name
        if unchecked:
            assert f"{unchecked} sel angka tidak diperiksa" in sentence, case_path.name
    # the loop is not vacuous: the corpus has workbooks without findings (whose sentence is checked above);
    # once the LRA kind read LEBIH/(KURANG), none of them is left with unchecked columns
    assert clean


# --------------------------------------------------------------------------- declared fields, identities judged per row


def test_every_kind_that_locates_tables_declares_the_fields_its_rules_read():
    from kinerja_xl.kinds import load_kinds

    from kinerja_xl.rules import all_rules

    reads = {}
    for r in all_rules():
        reads.setdefault(r.code, set()).update(r.tables)
    for kind in load_kinds():
        assert kind.checked_fields is not None, kind.name
        keys = {f.key for s in kind.specs for f in s.fields}
        for pattern, codes in kind.checked_fields.items():
            # a declared field is one of its specs' fields ('realisasi_tw*' stands for 'realisasi_tw{n}' keys)
            assert any(k == pattern or (pattern.endswith("*") and k.startswith(pattern[:-1])) for k in keys), (
                kind.name, pattern)
            # every code names a rule that reads this kind's tables (its own, or a cross-table one)
            for code in codes or ():
                assert reads.get(code, set()) & set(kind.table_kinds), (kind.name, pattern, code)


def test_a_realisasi_table_counts_the_rows_each_identity_judged(partly_read):
    (cov,) = validate_file(partly_read).coverage
    judged = {i.rule: (i.judged, i.failed) for i in cov.identities}
    # sisa = plafon − realisasi on the three rows, all holding; plafon and realisasi never negative; realisasi ≤ plafon
    assert judged == {"KX301": (3, 0), "KX305:plafon": (3, 0), "KX305:realisasi": (3, 0), "KX304": (3, 0)}
    assert cov.judged == 12


def test_a_row_missing_an_amount_is_not_judged_and_a_wrong_one_is_counted_as_failing(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER[:6])
    ws.append([1, "7.01.01.2.01.01", "Penyediaan Gaji", 1_000_000, 600_000, 400_000])
    ws.append([2, "7.01.01.2.01.02", "Penyediaan ATK", 500_000, 250_000, None])  # no sisa: KX301 cannot judge it
    ws.append([3, "7.01.01.2.01.03", "Rapat Koordinasi", 200_000, 150_000, 60_000])  # 50.000 is right
    path = tmp_path / "sisa.xlsx"
    wb.save(path)
    (cov,) = validate_file(path).coverage
    kx301 = next(i for i in cov.identities if i.rule == "KX301")
    assert (kx301.judged, kx301.failed, list(kx301.rows)) == (2, 1, [2, 4])


def test_an_lra_counts_its_parents_totals_and_balance_rows():
    from budget_books import MemoryBook
    from kinerja_xl.runner import validate_source
    from test_lra import table

    (cov,) = validate_source(MemoryBook({"LRA": table()}), Config()).coverage
    judged = {i.rule: i.judged for i in cov.identities}
    # parents with every child valued: 4.1, 4.2, 6.1, 6.2 (4.1.4 and the bidang rows have no children)
    assert judged["KX411"] == 4
    assert judged["KX412"] == 2 and judged["KX413"] == 1 and judged["KX414"] == 1 and judged["KX415"] == 1
    assert all(i.failed == 0 for i in cov.identities)


def test_the_json_and_the_terminal_state_the_identities_judged(partly_read):
    plain = json.loads(run("validate", str(partly_read), "--format", "json").output)["files"][0]
    (t,) = plain["tables"]
    assert t["identities_judged"] == 12
    assert t["identities"][0] == {"rule": "KX301", "rows_judged": 3, "rows_failed": 0}
    full = json.loads(run("validate", str(partly_read), "--format", "json", "--coverage").output)["files"][0]
    assert full["tables"][0]["identities"][0]["rows"] == [5, 6, 7]
    out = run("validate", str(partly_read)).output
    assert "identitas yang dinilai: KX301 pada 3 baris" in out
    assert "identities judged: KX301 on 3 rows" in run("validate", str(partly_read), "--lang", "en").output


def test_a_kind_whose_checks_read_a_frame_of_their_own_counts_no_identity():
    report = validate_file(EXAMPLE)
    skm = next(c for c in report.coverage if c.kind == "skm")
    assert skm.identities == () and skm.checked == skm.numeric  # its cells still count as checked by its rules


# --------------------------------------------------------------------------- identities counted from the rules' own runs

QUARTERS = ["NO", "URAIAN", "PLAFON", "REALISASI TW I", "REALISASI TW II", "REALISASI JUMLAH", "SISA"]


def _reports():
    """Every bundled template, and budget tables that exercise each way an answer is or is not kept:
    a clean table (both validations keep theirs), a wrong sisa (the sums run on mended amounts: not kept),
    a JUMLAH mended to Σ TW (likewise), an unreadable quarter (the row identities run on a blanked quarter:
    not kept)."""
    from budget_books import MemoryBook, realisasi
    from kinerja_xl.runner import validate_source

    for path in sorted(EXAMPLE.parent.glob("*.xlsx")):
        yield path.name, validate_file(path)
    books = {
        "clean": realisasi([["1", "Sub satu", "1.000", "100", "200", "300", "700"],
                            ["2", "Sub dua", "500", "50", "-", "50", "450"]], QUARTERS),
        "wrong-sisa": realisasi([["1", "Sub satu", "1.000", "100", "200", "300", "600"],
                                 ["2", "Sub dua", "500", "50", None, "50", "450"]], QUARTERS),
        # JUMLAH ≠ Σ TW: mended to 300 before the sums, where 400 > plafon 350 as printed
        "wrong-jumlah": realisasi([["1", "Sub satu", "350", "100", "200", "400", "50"],
                                   ["2", "Sub dua", "500", "50", None, "50", "450"]], QUARTERS),
        "unread-quarter": realisasi([["1", "Sub satu", "1.000", "1,234,567,89", "200", "300", "700"],
                                     ["2", "Sub dua", "500", "50", "-", "50", "450"]], QUARTERS),
    }
    for name, rows in books.items():
        yield name, validate_source(MemoryBook({"Realisasi": rows}), Config())


def _identities(covs) -> list:
    return [[(i.rule, i.judged, i.failed, [int(r) for r in i.rows]) for i in c.identities] for c in covs]


def test_the_identities_counted_from_the_rules_runs_are_those_of_the_checks_run_again():
    """What the coverage reads from ``Table.checks_run`` equals what running each check again gives."""
    from kinerja_xl.coverage import coverage_of

    kept = set()
    for name, report in _reports():
        for t in report.tables:
            kept.update((t.kind, code) for code in t.checks_run)
        recorded = _identities(report.coverage)
        for t in report.tables:
            t.checks_run.clear()
        again, _ = coverage_of(report.tables, report.sheets, Config())
        assert recorded == _identities(again), name
    # not vacuous: the budget tables' row identities and bounds were counted from the rules' answers
    assert {("realisasi", "KX301"), ("realisasi", "KX304"), ("realisasi", "KX305:plafon"), ("realisasi", "KX303"),
            ("refocusing", "KX501"), ("refocusing", "KX305:awal")} <= kept


def test_an_answer_is_kept_only_where_the_frame_holds_the_amounts_as_read():
    reports = dict(_reports())
    table = {name: next(t for t in reports[name].tables if t.kind == "realisasi")
             for name in ("clean", "wrong-sisa", "unread-quarter")}
    assert {"KX301", "KX303", "KX304"} <= set(table["clean"].checks_run)
    assert "KX301" in table["wrong-sisa"].checks_run and "KX304" not in table["wrong-sisa"].checks_run  # mended
    kx304 = next(i for c in reports["wrong-jumlah"].coverage for i in c.identities if i.rule == "KX304")
    assert (kx304.judged, kx304.failed) == (2, 1)  # as printed: 400 > 350, though the sums read 300
    assert "KX301" not in table["unread-quarter"].checks_run and "KX304" in table["unread-quarter"].checks_run


def test_the_coverage_counts_from_the_kept_answer_of_the_same_check_on_the_same_frame_only(partly_read):
    import pandas as pd

    from kinerja_xl.coverage import CheckRun, identities_judged
    from kinerja_xl.kinds import kind_of

    report = validate_file(partly_read)
    (table,), (cov,) = report.tables, report.coverage
    run = table.checks_run["KX301"]
    assert run.output.tolist() == [True, True, True]
    # an answer kept for the same check and statistics is what the coverage counts ...
    table.checks_run["KX301"] = CheckRun(run.fn, run.kwargs, pd.Series([None, False, True], index=table.frame.index,
                                                                  dtype="boolean"), table.frame)
    kx301 = next(i for i in identities_judged(table, kind_of("realisasi"), cov.rules) if i.rule == "KX301")
    assert (kx301.judged, kx301.failed, list(kx301.rows)) == (2, 1, [6, 7])
    # ... one kept with other statistics is not: the check is run again on the table's frame
    table.checks_run["KX301"] = CheckRun(run.fn, {**run.kwargs, "result": "plafon"}, run.output[:0], table.frame)
    kx301 = next(i for i in identities_judged(table, kind_of("realisasi"), cov.rules) if i.rule == "KX301")
    assert (kx301.judged, kx301.failed, list(kx301.rows)) == (3, 0, [5, 6, 7])
    # ... nor one kept for another frame (a table whose frame was swapped since)
    table.checks_run["KX301"] = CheckRun(run.fn, run.kwargs, run.output[:0], table.frame.copy())
    kx301 = next(i for i in identities_judged(table, kind_of("realisasi"), cov.rules) if i.rule == "KX301")
    assert (kx301.judged, kx301.failed) == (3, 0)


def test_failing_rows_keeps_answers_only_for_a_frame_of_the_tables_rows(partly_read):
    from kinerja_validators._pandera import failing_rows
    from kinerja_validators.realisasi import schema

    (table,) = validate_file(partly_read).tables
    rows = schema.rows("realisasi", ("plafon", "realisasi", "sisa"))
    table.checks_run.clear()
    failing_rows(rows, table.frame.iloc[1:][["plafon", "realisasi", "sisa"]], table=table)  # not the table's rows
    assert table.checks_run == {}
    failing_rows(rows, table.frame[["plafon", "realisasi", "sisa"]])  # no table named
    assert table.checks_run == {}
    failing_rows(rows, table.frame[["plafon", "realisasi", "sisa"]], table=table)
    assert set(table.checks_run) == {"KX301", "KX305:plafon", "KX305:realisasi"}


def test_a_checks_first_answer_is_asked_once_per_frame_shape():
    import pandas as pd

    from kinerja_xl import coverage

    calls = []

    def check(frame):
        calls.append(len(frame))
        return frame["a"] > 0

    def shape(f):
        return coverage._probes_of((tuple(f.columns), tuple(f.dtypes.tolist()), f.index.dtype, f.index.name))

    frame = pd.DataFrame({"a": pd.array([1, None], dtype="Int64")}, index=pd.Index([4, 5]))
    token = object()
    assert coverage._probe_per_row(token, check, {}, frame, shape(frame)) is True
    assert coverage._probe_per_row(token, check, {}, frame + 1, shape(frame + 1)) is True
    assert calls == [0]  # asked once, on none of the rows
    floats = frame.astype("float64")  # plain floats: a plain boolean answer, nothing per row
    assert coverage._probe_per_row(token, check, {}, floats, shape(floats)) is False
    assert calls == [0, 0]


def test_header_labels_stop_where_the_header_rows_do_as_at_the_sheets_widest_row():
    """The labels are worked out as far as the header rows reach (not the widest row of the sheet, a scan
    of every row): the same labels, hence the same span, as up to the widest row."""
    from kinerja_xl.coverage import _header_labels, _span
    from kinerja_xl.tables import _header_texts, _labels, _merge_map
    from kinerja_xl.workbook import SheetData

    def as_before(table):
        sheet = table.sheet_data
        start, height = table.header_rows[0] - 1, table.header_rows[1] - table.header_rows[0] + 1
        ncols = max(max(table.columns.values(), default=0) + 2, min(sheet.n_cols, 200))
        return _labels(_header_texts(sheet, start, height, ncols, _merge_map(sheet)), ncols)

    tables = [t for _, report in _reports() for t in report.tables if t.sheet_data is not None]
    (short,) = tables_of_sheet(SheetData("S", [["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"],
                                               [1, "Sub", 100, 60, 40, None, 7, 8, 9]]))
    # a merge over the header reaching past its row: the sheet's widest row still bounds the labels
    (merged,) = tables_of_sheet(SheetData("M", [["NO", "URAIAN", "PLAFON", "REALISASI", "SISA", "CATATAN"],
                                                [1, "Sub", 100, 60, 40, None, 7, 8]], merges=[(0, 5, 0, 7)]))
    for table in tables + [short, merged]:
        labels, before = _header_labels(table), as_before(table)
        assert labels == before[:len(labels)] and not any(before[len(labels):]), table.sheet
        assert _span(table, labels) == _span(table, before)
    assert _span(merged, _header_labels(merged)) == (0, 7)


def tables_of_sheet(sheet):
    from budget_books import MemoryBook
    from kinerja_xl.runner import validate_source

    book = MemoryBook({})
    book.sheet_names, book.read_sheet = (lambda: [sheet.name]), (lambda name: sheet)
    return validate_source(book, Config()).tables


def test_long_texts_are_notes_not_numbers():
    """A text longer than any header or amount is a note, even one that would parse as a number;
    a short amount typed as text is counted."""
    from kinerja_xl.coverage import unread_sheet
    from kinerja_xl.workbook import SheetData

    digits = "1 " * 150  # 300 characters; with its spaces dropped it would read as one 150-digit number
    rows = [["Uraian", "Jumlah", "Sisa"], ["a", "6.255.403.861", 12], ["b", digits, digits]]
    found = unread_sheet(SheetData(name="Catatan", rows=rows))
    assert found is not None and found.numeric == 2
