"""The ribbon's entry points, run through real xlwings Books built from the Excel client's JSON.

Each test opens ``xw.Book(json=payload)``, sets it as the mock caller, calls
the function the button calls, and checks the recorded actions, mostly by
replaying them on ``FakeExcel`` (kinerja_xl.testing) the way Excel applies them (so a second
button press sees what the first one left).
"""

from __future__ import annotations

import pytest

from kinerja_xl.addin import entry
from kinerja_xl.testing import fake_excel as pl
from kinerja_xl.addin.painter import parse_cell, rectangles
from kinerja_xl.findings import Severity
from kinerja_xl.writeback.plan import FILL, FINDINGS_SHEET, STATE_SHEET


@pytest.fixture(autouse=True)
def remote_mode(xlwings_remote, monkeypatch, tmp_path):
    monkeypatch.setattr(entry, "LOG_FILE", tmp_path / "addin.log")  # the add-in's log goes beside the test


@pytest.fixture(scope="module")
def example_payload(example_path):
    return pl.payload_from_file(example_path)


def press(excel: pl.FakeExcel, button) -> tuple[entry.Outcome, list[dict]]:
    """Press a button on the workbook as Excel holds it now; Excel applies what it did."""
    book = excel.book()
    outcome = button()
    actions = book.json()["actions"]
    excel.apply(actions)
    return outcome, actions


def on_user_sheets(actions: list[dict]) -> list[dict]:
    """The actions before the first added sheet: their sheet positions are the user's sheets'."""
    out = []
    for a in actions:
        if a["func"] == "addSheet":
            break
        out.append(a)
    return out


def key(f):
    return (f.code, f.sheet, f.cell, f.message("id"))


def test_periksa_finds_what_the_cli_finds(example_path, example_payload, example_report):
    outcome, _ = press(pl.FakeExcel.from_payload(example_payload), entry.periksa)
    assert outcome.ok, outcome.message
    assert example_report.findings, "the bundled example has known errors"
    assert [key(f) for f in outcome.report.findings] == [key(f) for f in example_report.findings]


def test_periksa_paints_fills_notes_and_the_findings_sheet(example_payload, example_report):
    excel = pl.FakeExcel.from_payload(example_payload)
    outcome, actions = press(excel, entry.periksa)
    findings = [f for f in example_report.findings]
    by_cell = {}
    for f in findings:
        if f.sheet and f.cell:
            by_cell.setdefault((f.sheet, f.cell.replace("$", "")), []).append(f)
    assert by_cell
    for (sheet, cell), fs in by_cell.items():
        worst = max((f.severity for f in fs), key=lambda s: s.rank)
        want = FILL[worst]
        got = excel.sheet(sheet).fills.get(cell)
        assert got == (f"#{want.lower()}" if want else None), (sheet, cell, worst)
        note = excel.sheet(sheet).notes[cell]
        assert note.startswith("kinerja-xl") and all(f.code in note for f in fs)
    # nothing else on the user's sheets got a fill or a note
    for s in excel.sheets:
        if s.name in (FINDINGS_SHEET, STATE_SHEET):
            continue
        assert {c for c, v in s.fills.items() if v} <= {c for (sh, c) in by_cell if sh == s.name}
        assert set(s.notes) == {c for (sh, c) in by_cell if sh == s.name}

    # the findings sheet: first, active, one row per finding with a link to its cell
    assert excel.names()[0] == FINDINGS_SHEET and excel.active == 0
    temuan = excel.sheet(FINDINGS_SHEET)
    header_row = next(i for i, r in enumerate(temuan.values) if r and r[0] == "No")
    rows = [r for r in temuan.values[header_row + 1:] if r and r[0] != ""]
    assert len(rows) == len(findings) == outcome.findings
    header = temuan.values[header_row]
    col = {h: i for i, h in enumerate(header)}
    for row, f in zip(rows, findings):
        assert row[col["Kode"]] == f.code
        assert row[col["Lembar"]] == (f.sheet or "")
        assert row[col["Pesan"]] == f.message("id")
    for row, f in zip(rows, findings):
        if f.cell:  # a link that jumps to the cell inside this workbook
            assert row[col["Sel"]] == f'=HYPERLINK("#\'{f.sheet}\'!{f.cell}","{f.cell}")'
        else:
            assert row[col["Sel"]] == ""
    # the state for Bersihkan: last, hidden
    assert excel.names()[-1] == STATE_SHEET and not excel.sheet(STATE_SHEET).visible

    # screen updating off first, back on at the end; an alert with the counts ends the run
    assert excel.screen_updating == [False, True]
    assert actions[0]["func"] == "setScreenUpdating" and actions[-1]["func"] == "alert"
    assert actions[-2] == {**actions[0], "args": [True]}
    [(title, message)] = excel.alerts
    assert title == "Kinerja"
    n_err = sum(1 for f in findings if f.severity == Severity.ERROR)
    assert f"{len(findings)} temuan: {n_err} galat" in message


def test_fills_go_out_in_rectangles_not_cell_by_cell():
    """A column of wrong sisa cells is one setRangeColor, not one per cell."""
    head = ["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"]
    rows = [head] + [[str(i), f"Sub kegiatan {i}", 1000 * i, 400 * i, 1] for i in range(1, 41)]
    excel = pl.FakeExcel.from_payload(pl.book_payload("r.xlsx", [pl.sheet_payload("Realisasi", rows)]))
    outcome, actions = press(excel, entry.periksa)
    assert outcome.ok, outcome.message
    sisa = {f.cell for f in outcome.report.findings if f.sheet == "Realisasi" and f.cell and f.cell.startswith("E")}
    assert len(sisa) == 40
    fills = [a for a in on_user_sheets(actions) if a["func"] == "setRangeColor"]
    assert len(fills) == 1
    assert {c for c, v in excel.sheet("Realisasi").fills.items() if v} >= sisa
    assert rectangles([parse_cell(c) for c in sisa]) == [(2, 5, 41, 5)]


def test_scattered_fills_in_a_column_are_one_colour_matrix():
    """Remote mode has no multi-area ranges: one column's scattered cells are one set_colors call."""
    head = ["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"]
    rows = [head] + [[str(i), f"Sub kegiatan {i}", 1000 * i, 400 * i, 600 * i + (i % 3 == 0)] for i in range(1, 61)]
    excel = pl.FakeExcel.from_payload(pl.book_payload("r.xlsx", [pl.sheet_payload("Realisasi", rows)]))
    outcome, actions = press(excel, entry.periksa)
    wrong = {f"E{i + 1}" for i in range(1, 61) if i % 3 == 0}
    assert {f.cell for f in outcome.report.findings if f.code == "KX301"} == wrong
    fills = [a for a in on_user_sheets(actions) if a["func"] in ("setRangeColor", "setRangeColors")]
    assert len(fills) == 1 and fills[0]["func"] == "setRangeColors"
    painted = {c for c, v in excel.sheet("Realisasi").fills.items() if v}
    assert painted == wrong  # the cells between kept their look


def test_periksa_twice_does_not_stack(example_payload):
    excel = pl.FakeExcel.from_payload(example_payload)
    press(excel, entry.periksa)
    first = {s.name: (dict(s.notes), {c: v for c, v in s.fills.items() if v}) for s in excel.sheets if s.name != STATE_SHEET}
    outcome, _ = press(excel, entry.periksa)
    assert outcome.ok, outcome.message
    assert excel.names().count(FINDINGS_SHEET) == 1 and excel.names().count(STATE_SHEET) == 1
    second = {s.name: (dict(s.notes), {c: v for c, v in s.fills.items() if v}) for s in excel.sheets if s.name != STATE_SHEET}
    assert second == first


REALISASI = [["NO", "URAIAN", "PLAFON", "REALISASI", "SISA", "%"],
             ["A", "PROGRAM X", 3000, 1500, 1500, ""],
             ["1", "Kegiatan a", 1000, 500, 500, ""],
             ["2", "Kegiatan b", 2000, 1500, 500, ""]]


def test_hitung_fills_empty_designated_cells_in_one_block():
    payload = pl.book_payload("r.xlsx", [pl.sheet_payload("Realisasi", [list(r) for r in REALISASI])])
    excel = pl.FakeExcel.from_payload(payload)
    outcome, actions = press(excel, entry.hitung)
    assert outcome.ok, outcome.message
    sheet = excel.sheet("Realisasi")
    assert [sheet.value(c) for c in ("F2", "F3", "F4")] == [pytest.approx(0.5), pytest.approx(0.5), pytest.approx(0.75)]
    assert all(sheet.formats[c] == "0.00%" for c in ("F2", "F3", "F4"))
    assert all(sheet.notes[c].startswith("Diisi kinerja-xl") for c in ("F2", "F3", "F4"))
    writes = [a for a in on_user_sheets(actions) if a["func"] == "setValues"]
    assert [(w["start_row"], w["start_column"], w["row_count"], w["column_count"]) for w in writes] == [(1, 5, 3, 1)]
    assert outcome.values == 3 and "3 nilai terhitung diisikan" in excel.alerts[-1][1]

    # Periksa writes no values; Bersihkan takes Hitung's values and notes away again
    check = pl.FakeExcel.from_payload(payload)
    press(check, entry.periksa)
    assert [check.sheet("Realisasi").value(c) for c in ("F2", "F3", "F4")] == [None, None, None]
    press(excel, entry.bersihkan)
    assert trimmed(excel.sheet("Realisasi").values) == trimmed(REALISASI)
    assert excel.sheet("Realisasi").notes == {}
    assert excel.names() == ["Realisasi"]


def test_bersihkan_puts_back_the_number_formats_the_values_replaced(monkeypatch):
    """The desktop reads the designated cells' formats before Hitung writes; Bersihkan restores them.

    Remote mode cannot read formats (nothing recorded, the written format stays); the
    desktop's read is stood in for here by what Excel would answer for these cells.
    """
    from kinerja_xl.addin.painter import XlwingsPainter

    payload = pl.book_payload("r.xlsx", [pl.sheet_payload("Realisasi", [list(r) for r in REALISASI])])
    remote = pl.FakeExcel.from_payload(payload)
    press(remote, entry.hitung)
    press(remote, entry.bersihkan)
    assert [remote.sheet("Realisasi").formats.get(c) for c in ("F2", "F3", "F4")] == ["0.00%"] * 3

    seen = {}

    def formats_as_excel_reads_them(self, sheet, cells):
        seen[sheet.name] = sorted(cells)
        return {cell: ("0.0" if cell[0] == 2 else "General") for cell in cells}

    monkeypatch.setattr(XlwingsPainter, "_original_formats", formats_as_excel_reads_them)
    excel = pl.FakeExcel.from_payload(payload)
    press(excel, entry.hitung)
    assert seen == {"Realisasi": [(2, 6), (3, 6), (4, 6)]}
    assert [excel.sheet("Realisasi").formats[c] for c in ("F2", "F3", "F4")] == ["0.00%"] * 3
    press(excel, entry.bersihkan)
    assert [excel.sheet("Realisasi").formats[c] for c in ("F2", "F3", "F4")] == ["0.0", "General", "General"]
    assert trimmed(excel.sheet("Realisasi").values) == trimmed(REALISASI)


def test_bersihkan_gives_back_the_workbook_as_it_was(example_payload):
    original = pl.FakeExcel.from_payload(example_payload)
    excel = pl.FakeExcel.from_payload(example_payload)
    press(excel, entry.hitung)
    press(excel, entry.periksa)
    outcome, _ = press(excel, entry.bersihkan)
    assert outcome.ok and outcome.restored > 0
    assert excel.names() == original.names()
    assert excel.active == original.active
    for before in original.sheets:
        after = excel.sheet(before.name)
        assert trimmed(after.values) == trimmed(before.values), before.name
        assert after.notes == before.notes, before.name
        assert not any(after.fills.values()), before.name
    assert "dikembalikan" in excel.alerts[-1][1]


def trimmed(values):
    rows = [[("" if v is None else v) for v in r] for r in values]
    rows = [r[: max((i + 1 for i, v in enumerate(r) if v != ""), default=0)] for r in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def test_bersihkan_on_a_clean_workbook_changes_nothing(example_payload):
    excel = pl.FakeExcel.from_payload(example_payload)
    outcome, actions = press(excel, entry.bersihkan)
    assert outcome.ok
    assert [a["func"] for a in actions] == ["setScreenUpdating", "setScreenUpdating", "alert"]
    assert "tidak ada yang diubah" in excel.alerts[0][1]


def test_a_users_own_note_is_kept(example_payload, example_report):
    """Remote mode cannot read a note's text: the user's note stays, the cell still gets its fill."""
    target = next(f for f in example_report.findings if f.cell and f.severity == Severity.ERROR)
    payload = {**example_payload, "sheets": [dict(s, notes=list(s["notes"]) + ([{"address": target.cell}] if s["name"] == target.sheet else []))
                                             for s in example_payload["sheets"]]}
    excel = pl.FakeExcel.from_payload(payload)
    _, actions = press(excel, entry.periksa)
    pos = excel.names().index(target.sheet)
    assert not [a for a in actions if a["func"] in ("addNote", "deleteNote") and a["sheet_position"] == pos
                and a["args"][0].replace("$", "") == target.cell]
    assert excel.sheet(target.sheet).fills[target.cell] == "#" + FILL[Severity.ERROR].lower()
    press(excel, entry.bersihkan)
    assert target.cell in excel.sheet(target.sheet).notes


def test_a_clean_workbook_with_unchecked_numbers_is_not_an_unqualified_pass():
    """No finding, but a numeric column no rule reads: the button says what went unchecked."""
    head = ["NO", "URAIAN", "PLAFON", "REALISASI", "SISA", "KETERANGAN LAIN"]
    rows = [head] + [[str(i), f"Sub kegiatan {i}", 1000 * i, 400 * i, 600 * i, 7 * i] for i in range(1, 6)]
    excel = pl.FakeExcel.from_payload(pl.book_payload("r.xlsx", [pl.sheet_payload("Realisasi", rows)]))
    outcome, _ = press(excel, entry.periksa)
    assert outcome.ok, outcome.message
    message = excel.alerts[-1][1]
    assert message.startswith("Tidak ada temuan pada") and "tidak diperiksa" in message, message
    assert "1 tabel diperiksa" in message


def test_empty_workbook_gets_a_plain_answer():
    excel = pl.FakeExcel.from_payload(pl.book_payload("kosong.xlsx", [pl.sheet_payload("Sheet1", [])]))
    outcome, _ = press(excel, entry.periksa)
    assert outcome.ok
    assert excel.alerts[-1][1] == "Tidak ada tabel laporan kinerja yang dikenali di buku kerja ini."
    assert excel.screen_updating == [False, True]


def test_chart_sheets_and_sheets_holding_only_a_chart(tmp_path, example_path):
    """Excel sends worksheets only; a chart sheet is simply not there, a chart-only sheet has no values."""
    from openpyxl import load_workbook
    from openpyxl.chart import BarChart, Reference

    wb = load_workbook(example_path)
    data = wb.worksheets[-1]
    chart = BarChart()
    chart.add_data(Reference(data, min_col=4, min_row=10, max_row=20))
    wb.create_chartsheet("Grafik").add_chart(chart)
    path = tmp_path / "grafik.xlsx"
    wb.save(path)
    payload = pl.payload_from_file(path)
    assert "Grafik" not in [s["name"] for s in payload["sheets"]]
    payload["sheets"].append(pl.sheet_payload("Hanya Grafik", [], charts=1))
    outcome, _ = press(pl.FakeExcel.from_payload(payload), entry.periksa)
    assert outcome.ok, outcome.message
    assert outcome.findings > 0


def test_a_50000_row_sheet_is_checked_without_error():
    head = ["NO", "KODE", "URAIAN", "PLAFON", "REALISASI", "SISA"]
    rows = [head] + [[str(i), f"1.01.01.2.{i // 10_000 + 1:02d}.{i % 10_000:04d}", f"Belanja {i}", 1_000_000 + i,
                      500_000, 500_000 + i] for i in range(1, 50_001)]
    rows[100][5] = 7  # one wrong sisa
    excel = pl.FakeExcel.from_payload(pl.book_payload("besar.xlsx", [pl.sheet_payload("Realisasi", rows)]))
    outcome, actions = press(excel, entry.periksa)
    assert outcome.ok, outcome.message
    assert ("Realisasi", "F101") in {(f.sheet, f.cell) for f in outcome.report.findings}
    assert excel.sheet("Realisasi").fills["F101"] == "#" + FILL[Severity.ERROR].lower()
    assert outcome.findings < 10, [f.code for f in outcome.report.findings][:10]
    assert len(actions) < 60


def test_a_failure_becomes_an_indonesian_alert_and_screen_updating_comes_back(example_payload, monkeypatch):
    import kinerja_xl.runner as runner

    def broken(source, config=None):
        raise ValueError("contoh kegagalan")

    monkeypatch.setattr(runner, "validate_source", broken)
    excel = pl.FakeExcel.from_payload(example_payload)
    outcome, actions = press(excel, entry.periksa)
    assert not outcome.ok
    assert excel.screen_updating == [False, True]
    alert = actions[-1]
    assert alert["func"] == "alert" and alert["args"][3] == "critical"
    assert alert["args"][0].startswith("kinerja-xl gagal memeriksa buku kerja ini: ValueError: contoh kegagalan")
    assert "Traceback" not in alert["args"][0]
    assert "Traceback" in entry.LOG_FILE.read_text(encoding="utf-8")


def test_a_sheet_named_temuan_of_the_user_is_kept_and_ours_is_temuan_2():
    """As the file painter does: ours goes in front as 'Temuan 2', Bersihkan removes ours only."""
    head = ["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"]
    mine = [["catatan saya"], ["baris kedua"]]
    payload = pl.book_payload("t.xlsx", [pl.sheet_payload("Temuan", [list(r) for r in mine]),
                                          pl.sheet_payload("Realisasi", [head, ["1", "A", 10, 4, 5]])], active=1)
    excel = pl.FakeExcel.from_payload(payload)
    outcome, _ = press(excel, entry.periksa)
    assert outcome.ok, outcome.message
    assert outcome.findings == 1  # the user's 'Temuan' is not read as a report table
    assert excel.names() == ["Temuan 2", "Temuan", "Realisasi", STATE_SHEET] and excel.active == 0
    assert trimmed(excel.sheet("Temuan").values) == mine
    assert any(r and r[0] == "No" for r in excel.sheet("Temuan 2").values)
    assert "daftar lengkap di lembar Temuan 2" in excel.alerts[-1][1]
    state = {r[1]: r[2] for r in excel.sheet(STATE_SHEET).values if r and r[0] == "meta"}
    assert state["findings_sheet"] == "Temuan 2"

    # pressing again does not stack a 'Temuan 3'; Bersihkan removes ours and keeps the user's
    press(excel, entry.periksa)
    assert excel.names() == ["Temuan 2", "Temuan", "Realisasi", STATE_SHEET]
    press(excel, entry.bersihkan)
    assert excel.names() == ["Temuan", "Realisasi"] and excel.active == 1
    assert trimmed(excel.sheet("Temuan").values) == mine
    assert "lembar Temuan 2 dihapus" in excel.alerts[-1][1]


def test_the_free_name_ignores_case_as_excel_does():
    head = ["NO", "URAIAN", "PLAFON", "REALISASI", "SISA"]
    payload = pl.book_payload("t.xlsx", [pl.sheet_payload("TEMUAN", [["x"]]), pl.sheet_payload("temuan 2", [["y"]]),
                                          pl.sheet_payload("Realisasi", [head, ["1", "A", 10, 4, 5]])])
    excel = pl.FakeExcel.from_payload(payload)
    outcome, _ = press(excel, entry.periksa)
    assert outcome.ok, outcome.message
    assert excel.names()[0] == "Temuan 3"


def test_not_called_from_excel_returns_a_message():
    outcome = entry.periksa()
    assert not outcome.ok and "tidak ditemukan" in outcome.message


def test_the_modules_the_vba_imports_run_the_buttons(example_payload):
    import importlib

    for name, marker in (("periksa", "temuan"), ("hitung", "nilai terhitung"), ("bersihkan", "kinerja-xl")):
        excel = pl.FakeExcel.from_payload(example_payload)
        book = excel.book()
        importlib.import_module(f"kinerja_xl.addin.{name}").main()
        excel.apply(book.json()["actions"])
        assert marker in excel.alerts[-1][1].lower()
