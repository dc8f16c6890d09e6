"""Write-back on the bundled seed example: the annotated copy read back with openpyxl, and clear."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kinerja_xl.cli import app
from kinerja_xl.config import Config
from kinerja_xl.findings import Percent, Severity
from kinerja_xl.runner import validate_file
from kinerja_xl.writeback.annotate import WritebackError, annotate_file, clear_file, default_output
from kinerja_xl.writeback.pkgdiff import diff_packages
from kinerja_xl.writeback.plan import (
    FILL, FINDINGS_SHEET, STATE_SHEET, AnnotationState, TouchedCell, agrees, build_plan,
)


@pytest.fixture(scope="module")
def example(tmp_path_factory, example_path) -> Path:
    folder = tmp_path_factory.mktemp("wb")
    path = folder / example_path.name
    shutil.copy(example_path, path)
    return path


@pytest.fixture(scope="module")
def annotated(example):
    return annotate_file(example)


@pytest.fixture(scope="module")
def book(annotated):
    return openpyxl.load_workbook(annotated.output)


def look(cell):
    """What a user sees of a cell: value, fill, number format, font weight, note."""
    fill = cell.fill
    return (cell.value, fill.patternType, fill.fgColor.rgb, fill.fgColor.theme, fill.fgColor.tint,
            cell.number_format, cell.font.b, cell.comment.text if cell.comment else None)


def _blamed(report):
    """(sheet, cell) -> worst severity, from the CLI's own findings."""
    out = {}
    for f in report.findings:
        if f.sheet and f.cell:
            key = (f.sheet, f.cell)
            if key not in out or f.severity.rank > out[key].rank:
                out[key] = f.severity
    return out


def test_copy_beside_the_input_and_input_untouched(example, annotated):
    assert annotated.output == example.with_name(example.stem + ".periksa.xlsx")
    assert annotated.output.exists()
    assert diff_packages(example, Path(__file__).resolve().parents[1] / "xlsx_templates" / example.name) == []


def test_findings_sheet_first_one_row_per_finding_with_links(annotated, book):
    report = annotated.report
    assert book.sheetnames[0] == FINDINGS_SHEET
    assert book.active.title == FINDINGS_SHEET
    ws = book[FINDINGS_SHEET]
    header_row = annotated.plan.findings.header_row
    assert [c.value for c in ws[header_row]][:6] == ["No", "Lembar", "Sel", "Baris", "Kode", "Tingkat"]
    rows = list(ws.iter_rows(min_row=header_row + 1, values_only=True))
    assert len(rows) == len(report.findings) > 0
    for f, row in zip(report.findings, rows):
        assert (row[1], row[2], row[4]) == (f.sheet, f.cell, f.code)
        assert row[6] == f.message("id")
    # every link is internal and lands on a cell that exists in the named sheet
    for i, f in enumerate(report.findings):
        cell = ws.cell(header_row + 1 + i, 3)
        if not f.cell:
            continue
        link = cell.hyperlink
        assert link is not None and link.location and not link.target, "internal link expected"
        sheet, _, ref = link.location.rpartition("!")
        assert sheet.strip("'").replace("''", "'") == f.sheet and ref == f.cell
        assert sheet.strip("'") in book.sheetnames
    assert ws.auto_filter.ref == f"A{header_row}:J{header_row + len(rows)}"
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.column_dimensions["G"].width >= 60  # the message is readable
    # the row label is not cut off at the next column, and the file is named once, in the summary
    labels = [r[3] for r in rows if r[3]]
    assert labels and ws.column_dimensions["D"].width >= min(max(map(len, labels)), 80)
    name = Path(report.file).name
    assert not any(name in str(v) for r in rows for v in r)


def test_findings_sheet_summary(annotated, book):
    ws = book[FINDINGS_SHEET]
    summary = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(2, annotated.plan.findings.header_row)}
    report = annotated.report
    counts = summary["Jumlah temuan"]
    assert counts.startswith(f"{len(report.findings)} (")
    assert f"galat {report.count(Severity.ERROR)}" in counts
    assert f"peringatan {report.count(Severity.WARNING)}" in counts
    assert "Serapan anggaran keseluruhan" in summary
    # every IKM and mutu the validators compute is in the summary (one per sheet), else what audit reports
    from kinerja_xl.kinds import compute_all

    from kinerja_xl.audit.extract import ikm_value, mutu_letter

    ikm = ikm_value(report, Config())
    assert ikm is not None  # the example prints its IKM
    audited = {"ikm": ikm, "mutu": mutu_letter(ikm)}
    computed = compute_all(report.tables, Config())
    for kind, label in (("ikm", "IKM"), ("mutu", "Mutu pelayanan")):
        found = [c for c in computed if c.kind == kind]
        if not found:
            assert summary[label] == audited[kind]
        for c in found:
            shown = summary[f"{label} ({c.sheet})" if len(found) > 1 else label]
            if kind == "ikm":
                assert shown == pytest.approx(float(getattr(c.value, "value", c.value)), abs=1e-9)
            else:
                assert shown == str(c.value)
    # Σ realisasi / Σ plafon of the realisasi table's total, from the frame itself
    t = next(t for t in report.tables if t.kind == "realisasi")
    label = t.frame["no"].fillna("").astype(str) + " " + t.frame["uraian"].fillna("").astype(str)
    total = t.frame[label.str.contains("TOTAL|JUMLAH", case=False).fillna(False).astype(bool)].iloc[-1]
    assert summary["Serapan anggaran keseluruhan"] == pytest.approx(int(total["realisasi"]) / int(total["plafon"]))


def test_blamed_cells_filled_and_noted(annotated, book):
    blamed = _blamed(annotated.report)
    assert blamed
    for (sheet, ref), severity in blamed.items():
        cell = book[sheet][ref]
        note = cell.comment.text if cell.comment else ""
        codes = [f.code for f in annotated.report.findings if (f.sheet, f.cell) == (sheet, ref)]
        for code in codes:
            assert code in note
        if FILL[severity]:
            assert cell.fill.patternType == "solid" and cell.fill.fgColor.rgb == "FF" + FILL[severity], (sheet, ref)
    # the seed's own mistake: the three sisa cells printed '-' instead of 39.710
    sisa = [(s, c) for (s, c), sev in blamed.items() if s.startswith("Realisasi") and sev == Severity.ERROR]
    assert len(sisa) >= 3
    note = book[sisa[0][0]][sisa[0][1]].comment.text
    assert "Seharusnya: 39.710" in note and "KX3" in note


def test_unblamed_cells_keep_their_look(example, annotated, book):
    original = openpyxl.load_workbook(example)
    blamed = _blamed(annotated.report)
    for ws in original.worksheets:
        new = book[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if (ws.title, cell.coordinate) in blamed:
                    continue
                assert look(new[cell.coordinate]) == look(cell), (ws.title, cell.coordinate)


def test_state_sheet_hidden_and_readable(annotated, book):
    assert book[STATE_SHEET].sheet_state == "hidden"
    rows = [list(r) for r in book[STATE_SHEET].iter_rows(values_only=True)]
    state = AnnotationState.from_rows(rows)
    assert state.painter == "file"
    assert {(c.sheet, c.cell) for c in state.cells} >= set(_blamed(annotated.report))


def test_clear_gives_back_the_original(example, annotated, tmp_path):
    out, state = clear_file(annotated.output, tmp_path / "bersih.xlsx")
    assert state is not None and out.exists()
    assert diff_packages(example, out) == []
    a, b = openpyxl.load_workbook(example), openpyxl.load_workbook(out)
    assert a.sheetnames == b.sheetnames
    for ws in a.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert look(b[ws.title][cell.coordinate]) == look(cell)


def test_annotating_twice_does_not_stack(annotated, tmp_path):
    again = annotate_file(annotated.output, tmp_path / "twice.xlsx")
    assert again.cleared_first
    book = openpyxl.load_workbook(again.output)
    assert book.sheetnames.count(FINDINGS_SHEET) == 1 and sum(n.startswith(FINDINGS_SHEET) for n in book.sheetnames) == 1
    assert len(again.report.findings) == len(annotated.report.findings)
    # one note per cell, ours once, not ours-on-ours
    for (sheet, ref) in _blamed(annotated.report):
        assert book[sheet][ref].comment.text.count("kinerja-xl") == 1
    # same parts, same trees (only the file name in the summary differs)
    diffs = diff_packages(annotated.output, again.output)
    assert len(diffs) <= 1 and all("Berkas" in d or "periksa" in d for d in diffs)


def test_computed_values_fill_only_empty_designated_cells(example, tmp_path):
    # blank one capaian cell, turn one into a formula, type a wrong value in a third
    src = tmp_path / "capaian.xlsx"
    wb = openpyxl.load_workbook(example)
    report = validate_file(example)
    from kinerja_xl.kinds import compute_all

    computed = compute_all(report.tables, Config())
    capaian = [c for c in computed if c.kind == "capaian" and c.cell]
    if len(capaian) < 3:
        pytest.skip("the validators compute fewer than three capaian cells")
    empty, formula, wrong = capaian[:3]
    wb[empty.sheet][empty.cell].value = None
    ikm = next((c for c in computed if c.kind == "ikm" and c.cell), None)  # the survey recap's IKM cell
    if ikm is not None:
        wb[ikm.sheet][ikm.cell].value = None
    # a formula in the column's own units: saved by openpyxl without a value, kinerja-xl computes it
    # (111,11) and it takes part in the column's percent-unit vote as Excel's cached value would
    wb[formula.sheet][formula.cell].value = "=100+11.11"
    wb[wrong.sheet][wrong.cell].value = 12.34
    wb.save(src)

    result = annotate_file(src, tmp_path / "out.xlsx")
    out = openpyxl.load_workbook(result.output)
    cell = out[empty.sheet][empty.cell]
    value, fmt = cell.value, cell.number_format
    want = float(empty.value.value) if isinstance(empty.value, Percent) else float(empty.value)
    if isinstance(empty.value, Percent):
        # the column's other cells hold percent units (101,02 shown as 101,02%): the written value follows them
        assert fmt.endswith('"%"') and value == pytest.approx(want, abs=1e-6)
    else:
        assert value == pytest.approx(want, abs=1e-6)
    assert "kinerja-xl" in cell.comment.text
    assert out[formula.sheet][formula.cell].value == "=100+11.11"
    typed = out[wrong.sheet][wrong.cell]
    assert typed.value == 12.34
    assert typed.fill.fgColor.rgb in ("FF" + FILL[Severity.ERROR], "FF" + FILL[Severity.WARNING])
    assert (empty.sheet, empty.cell) in {(v.sheet, v.cell) for v in result.plan.values}
    if ikm is not None:
        assert out[ikm.sheet][ikm.cell].value == pytest.approx(float(ikm.value), abs=1e-9)
        assert out[ikm.sheet][ikm.cell].number_format == ikm.number_format

    # clear empties the cell we filled, and nothing else
    back, _ = clear_file(result.output, tmp_path / "back.xlsx")
    assert diff_packages(src, back) == []


def test_plan_merges_findings_per_cell_and_picks_worst(example_report):
    plan = build_plan(example_report, [], Config())
    cells = [(m.sheet, m.cell) for m in plan.marks]
    assert len(cells) == len(set(cells))
    for m in plan.marks:
        sevs = [f.severity for f in example_report.findings if (f.sheet, f.cell) == (m.sheet, m.cell)]
        assert m.severity == max(sevs, key=lambda s: s.rank)
        assert m.fill == FILL[m.severity]
    assert FILL[Severity.ERROR] != FILL[Severity.WARNING]


def test_plan_in_english(example_report):
    plan = build_plan(example_report, [], Config(lang="en"))
    assert plan.findings.header[:3] == ("No", "Sheet", "Cell")
    assert all("Expected" in m.note or "Actual" in m.note or m.severity == Severity.INFO for m in plan.marks)


@pytest.mark.parametrize("computed, existing, ok", [
    (Percent(77.08, 2), 0.7708, True),     # fraction shown as %
    (Percent(77.08, 2), 77.08, True),      # percent units
    (Percent(77.08, 2), "77,08%", True),   # Indonesian text
    (Percent(77.08, 2), 77.2, False),
    (Percent(77.08, 2), "abc", False),
    ("B", "b", True),
])
def test_agrees(computed, existing, ok):
    assert agrees(computed, existing) is ok


def test_state_rows_round_trip():
    state = AnnotationState("file", [TouchedCell("S'1", "E12", "xf:7", "FFC000", True, True, "=catatan", "<comment/>", None),
                                     TouchedCell("S'1", "F3", "new", "", False, True, None, "", 0.7708)], {"active_tab": "2"})
    rows = [[float(v) if isinstance(v, str) and v.isdigit() else v for v in row] for row in state.to_rows()]
    assert AnnotationState.from_rows(rows) == state
    assert AnnotationState.from_rows([["something else"]]) is None


def test_refuses_to_write_over_the_input(example):
    with pytest.raises(WritebackError):
        annotate_file(example, example)
    with pytest.raises(WritebackError):
        annotate_file(example, example.with_suffix(".xlsm"))
    assert default_output(Path("a.periksa.xlsx")) != Path("a.periksa.xlsx")


def test_cli_periksa_and_clear(example, tmp_path):
    runner = CliRunner()
    out = tmp_path / "cli.periksa.xlsx"
    result = runner.invoke(app, ["periksa", str(example), "--output", str(out)])
    assert result.exit_code == 1, result.output  # the seed has errors
    assert str(out) in result.output.replace("\n", "")
    assert runner.invoke(app, ["periksa", str(example), "--output", str(out), "--exit-zero"]).exit_code == 0
    assert runner.invoke(app, ["annotate", str(example), "-o", str(example)]).exit_code == 2
    cleared = runner.invoke(app, ["clear", str(out)])
    assert cleared.exit_code == 0, cleared.output
    assert diff_packages(example, tmp_path / "cli.bersih.xlsx") == []
    # clear on a file with no annotation: refused, nothing written
    assert runner.invoke(app, ["clear", str(example)]).exit_code == 2
    # --in-place on our annotated copy
    assert runner.invoke(app, ["clear", str(out), "--in-place"]).exit_code == 0
    assert diff_packages(example, out) == []


def test_cli_unreadable_file(tmp_path):
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"not a zip")
    result = CliRunner().invoke(app, ["periksa", str(bad)])
    assert result.exit_code == 2
    assert not (tmp_path / "rusak.periksa.xlsx").exists()


def test_plan_computed_values_without_validators():
    """Empty cell -> written; typed value that agrees -> nothing; disagrees -> flagged; formula or no cell -> nothing."""
    from kinerja_xl.kinds import Computed
    from kinerja_xl.runner import WorkbookReport
    from kinerja_xl.writeback.plan import DISAGREE_CODE

    def comp(cell, existing=None, formula=False):
        return Computed("capaian", "IKU", cell, "1", "Capaian %", Percent(77.08, 2), "0.00%",
                        existing, formula)

    report = WorkbookReport(file="x.xlsx")
    computed = [comp("F6"), comp("F7", 77.08), comp("F8", 0.7708), comp("F9", 70.5), comp("F10", None, True), comp(None)]
    plan = build_plan(report, computed, Config())
    # F7 and F9 hold percent units, F8 a fraction: F6 is written as most of its column is
    assert [(v.cell, v.value, v.number_format) for v in plan.values] == [("F6", pytest.approx(77.08), '0.00"%"')]
    assert [(m.cell, m.codes, m.severity) for m in plan.marks] == [("F9", (DISAGREE_CODE,), Severity.WARNING)]
    assert "70,5" in plan.marks[0].note and "77,08%" in plan.marks[0].note
    assert [row[2] for row in plan.findings.rows] == ["F9"]
    assert plan.findings.summary[-2][1] == 1  # one value filled in


def test_computed_percentages_follow_the_units_of_their_column():
    """A column of Excel fractions (0,7708 shown as 77,08%) gets a fraction; a column of percent units
    (77,08 with a "%" in its format) gets percent units; an empty column gets a fraction with 0.00%."""
    from kinerja_xl.kinds import Computed
    from kinerja_xl.runner import WorkbookReport

    def comp(cell, existing=None, value=77.08):
        return Computed("capaian", "IKU", cell, "1", "Capaian %", Percent(value, 2), "0.00%", existing)

    report = WorkbookReport(file="x.xlsx")
    computed = [comp("F6"), comp("F7", 0.5, 50.0), comp("F8", 1.1, 110.0),   # F: fractions
                comp("G6"), comp("G7", 50.0, 50.0), comp("G8", "110,00%", 110.0),  # G: units (text says nothing)
                comp("H6"), comp("H7")]                                          # H: nothing filled
    written = {v.cell: (v.value, v.number_format) for v in build_plan(report, computed, Config()).values}
    assert written == {"F6": (pytest.approx(0.7708), "0.00%"), "G6": (pytest.approx(77.08), '0.00"%"'),
                       "H6": (pytest.approx(0.7708), "0.00%"), "H7": (pytest.approx(0.7708), "0.00%")}


def test_clear_refuses_what_is_not_a_workbook(tmp_path):
    bad = tmp_path / "palsu.xlsx"
    bad.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(WritebackError) as err:
        clear_file(bad)
    assert "palsu.xlsx" in err.value.message("id")
    assert not (tmp_path / "palsu.bersih.xlsx").exists()


def test_marks_inside_merged_ranges_go_to_the_shown_cell():
    from kinerja_xl.findings import Finding
    from kinerja_xl.runner import WorkbookReport
    from kinerja_xl.workbook import SheetData

    def finding(cell):
        return Finding("KX301", "sisa", Severity.ERROR, "salah", sheet="S", cell=cell)

    sheet = SheetData("S", rows=[[None] * 8 for _ in range(8)], merges=[(1, 1, 2, 3)])  # B2:D3
    report = WorkbookReport(file="x.xlsx", findings=[finding("C3"), finding("B2"), finding("E5")], sheets=[sheet])
    plan = build_plan(report, [], Config())
    assert sorted(m.cell for m in plan.marks) == ["B2", "E5"]
    assert [r[2] for r in plan.findings.rows] == ["C3", "B2", "E5"]  # the findings still name their own cells


def test_clear_after_the_copy_was_saved_by_another_program(example, annotated, tmp_path):
    """The user opens the annotated copy, fixes a cell, saves (styles renumbered, notes rewritten), then clears."""
    resaved = tmp_path / "disimpan.xlsx"
    wb = openpyxl.load_workbook(annotated.output)
    sheet, ref = next(iter(_blamed(annotated.report)))
    wb[sheet][ref].value = 123  # the user's fix survives clear
    wb.save(resaved)

    out, state = clear_file(resaved, tmp_path / "bersih.xlsx")
    assert state is not None
    original, back = openpyxl.load_workbook(example), openpyxl.load_workbook(out)
    assert back.sheetnames == original.sheetnames
    for ws in original.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                got, want = look(back[ws.title][cell.coordinate]), look(cell)
                if (ws.title, cell.coordinate) == (sheet, ref):
                    assert got[0] == 123 and got[1:] == want[1:]
                else:
                    assert got == want, (ws.title, cell.coordinate)


def test_cli_in_english(example, tmp_path):
    out = tmp_path / "en.xlsx"
    result = CliRunner().invoke(app, ["periksa", str(example), "-o", str(out), "--lang", "en", "--exit-zero"])
    assert result.exit_code == 0, result.output
    assert "Annotated copy" in result.output
    wb = openpyxl.load_workbook(out)
    ws = wb[FINDINGS_SHEET]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "No")
    assert header[:3] == ("No", "Sheet", "Cell")
    f = next(f for f in validate_file(example).findings if f.cell and f.expected is not None)
    note = wb[f.sheet][f.cell].comment.text
    assert "Expected: " in note and f.message("en") in note
