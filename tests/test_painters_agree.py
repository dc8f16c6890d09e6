"""One plan, two painters: the CLI's annotated copy and the ribbon's painted workbook must agree.

The same ``AnnotationPlan`` (built once from the bundled example) is carried
out by the file painter (the copy is read back with openpyxl) and by the
add-in's xlwings painter (a real ``xw.Book`` built from the Excel client's
JSON; its recorded actions replayed on ``payload.FakeExcel``). Both results
are reduced to the same view and compared: which cells got which fill, the
note texts, the computed values written and their number formats, the Temuan
sheet row by row (hyperlink targets compared as targets: the file painter
writes real internal links, the add-in ``HYPERLINK`` formulas), its fills
and number formats, sheet order, the active and the hidden sheet, and what
the state records for clearing.

The one allowed difference: remote mode cannot read the text of a user's own
note, so the add-in leaves such a note as it is (the file painter keeps it
below ours, ``plan.combined_note``). The desktop reads note texts; a painter
that reads them from the workbook's notes (``ReadsNotes``) stands in for it,
and then the notes must agree without exception.

A variant of the example adds what the plain example lacks: empty designated
cells (computed values written; three of them also carry an info mark, so
value and mark share a note), user notes on a marked cell and on a filled-in
cell, a user fill on a marked cell, a sheet of the user named ``Temuan``, and
an active sheet other than the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from python_calamine import CalamineWorkbook

from kinerja_xl.testing import fake_excel as pl
from kinerja_xl.addin.painter import XlwingsPainter
from kinerja_xl.config import Config
from kinerja_xl.writeback.files import FilePainter
from kinerja_xl.writeback.plan import (
    STATE_SHEET,
    AnnotationPlan,
    apply_plan,
    build_plan,
    clear_workbook,
    combined_note,
)

BLANKED = {"Capaian IKU": ("F6", "F7", "F8"), "SKM": ("G9", "G10")}  # designated cells the variant empties
USER_NOTES = {("PK", "D5"): "catatan saya di D5", ("Capaian IKU", "F7"): "isi nanti"}  # a marked cell, a filled-in one
USER_FILL = ("PK", "C9", "FFFF00")  # a marked cell the user had coloured yellow
USER_TEMUAN = [["catatan pengguna"], ["jangan dihapus"]]


pytestmark = pytest.mark.usefixtures("xlwings_remote")


@pytest.fixture(scope="module")
def variant(tmp_path_factory, example_path) -> Path:
    """The example with empty designated cells, user notes, a user fill and a user 'Temuan' sheet.

    Saved by openpyxl: the example has no formulas, so nothing loses a cached value.
    """
    wb = load_workbook(example_path)
    for sheet, cells in BLANKED.items():
        for ref in cells:
            wb[sheet][ref].value = None
    for (sheet, ref), text in USER_NOTES.items():
        wb[sheet][ref].comment = Comment(text, "Bendahara")
    sheet, ref, rgb = USER_FILL
    wb[sheet][ref].fill = PatternFill("solid", fgColor=rgb)
    own = wb.create_sheet("Temuan")
    for row in USER_TEMUAN:
        own.append(row)
    wb.active = wb.sheetnames.index("PK")  # not the first sheet: the active sheet must come back by name or place
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == "PK"
    path = tmp_path_factory.mktemp("agree") / "contoh-varian.xlsx"
    wb.save(path)
    return path


@pytest.fixture(params=["example", "variant"])
def source(request, example_path, variant) -> Path:
    return example_path if request.param == "example" else variant


def plan_for(path: Path) -> AnnotationPlan:
    from dataclasses import replace

    from kinerja_xl.kinds import compute_all

    from kinerja_xl.runner import validate_file

    config = Config()
    report = validate_file(path, config)
    assert report.error is None and report.findings
    if path.name == "contoh-varian.xlsx":  # a finding about a whole table: a sheet, no cell (links to its A1)
        report.findings.append(replace(report.findings[0], cell=None, row_key=None))
    return build_plan(report, compute_all(report.tables, config), config)


# --------------------------------------------------------------------------- one view of either result


@dataclass
class View:
    names: list[str]
    active: str
    hidden: list[str]
    findings_sheet: str
    fills: dict[tuple[str, str], str | None] = field(default_factory=dict)  # user sheets: cells whose fill changed
    notes: dict[tuple[str, str], str | None] = field(default_factory=dict)  # user sheets: cells whose note changed
    values: dict[tuple[str, str], Any] = field(default_factory=dict)  # user sheets: cells whose value changed
    formats: dict[tuple[str, str], str] = field(default_factory=dict)  # ... and those cells' number formats
    temuan: list[list[Any]] = field(default_factory=list)  # rows; a link cell as ("link", target, shown)
    temuan_fills: dict[str, str] = field(default_factory=dict)
    temuan_formats: dict[str, str] = field(default_factory=dict)  # numeric cells only
    meta: dict[str, str] = field(default_factory=dict)
    state_values: dict[tuple[str, str], Any] = field(default_factory=dict)  # the state sheet's 'value' column


def trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    rows = [[None if v == "" else v for v in r] for r in rows]
    rows = [r[: max((i + 1 for i, v in enumerate(r) if v is not None), default=0)] for r in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def solid(cell) -> str | None:
    return cell.fill.fgColor.rgb[-6:].upper() if cell.fill.fill_type == "solid" else None


def file_view(src: Path, out: Path) -> View:
    before, after = load_workbook(src), load_workbook(out)
    meta = {r[1]: r[2] for r in after[STATE_SHEET].iter_rows(values_only=True) if r[0] == "meta"}
    name = meta["findings_sheet"]
    view = View(after.sheetnames, after.active.title, [ws.title for ws in after.worksheets if ws.sheet_state != "visible"],
                name, meta=meta)
    view.state_values = {(r[1], r[2]): r[9] for r in after[STATE_SHEET].iter_rows(values_only=True)
                         if r[0] == "cell" and len(r) > 9 and r[9] is not None}
    for ws in before.worksheets:
        for row in after[ws.title].iter_rows():
            for c in row:
                old = ws[c.coordinate]
                key = (ws.title, c.coordinate)
                if solid(c) != solid(old):
                    view.fills[key] = solid(c)
                if (c.comment and c.comment.text) != (old.comment and old.comment.text):
                    view.notes[key] = c.comment.text if c.comment else None
                if c.value != old.value:
                    view.values[key] = c.value
                    view.formats[key] = c.number_format
    temuan = after[name]
    # the values as stored: openpyxl puts a link's target into an empty linked cell, Excel shows it empty
    shown = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(name).to_python()
    for r, row in enumerate(temuan.iter_rows()):
        values = [shown[r][i] if r < len(shown) and i < len(shown[r]) else None for i in range(len(row))]
        view.temuan.append([("link", c.hyperlink.location, v or None) if c.hyperlink else v for c, v in zip(row, values)])
        for c in row:
            if solid(c):
                view.temuan_fills[c.coordinate] = solid(c)
            if isinstance(c.value, (int, float)):
                view.temuan_formats[c.coordinate] = c.number_format
    view.temuan = trimmed(view.temuan)
    return view


HYPERLINK = re.compile(r'^=HYPERLINK\("#((?:[^"]|"")*)","((?:[^"]|"")*)"\)$')


def addin_view(before: pl.FakeExcel, after: pl.FakeExcel) -> View:
    state = after.sheet(STATE_SHEET)
    meta = {r[1]: r[2] for r in state.values if r and r[0] == "meta"}
    name = meta["findings_sheet"]
    view = View(after.names(), after.names()[after.active], [s.name for s in after.sheets if not s.visible], name,
                meta=meta)
    for r, row in enumerate(state.values):
        if row and row[0] == "cell" and len(row) > 9 and row[9] != "":
            # Excel turns a number written into a text-formatted cell into text: the value column must not be '@'
            text = state.formats.get(pl._a1(r, 9)) == "@"
            view.state_values[(row[1], row[2])] = str(row[9]) if text else row[9]
    for old in before.sheets:
        new = after.sheet(old.name)
        for cell, colour in new.fills.items():
            view.fills[(old.name, cell)] = colour.lstrip("#").upper() if colour else None
        for cell, text in new.notes.items():
            if cell not in old.notes or old.notes[cell] != text:
                view.notes[(old.name, cell)] = text
        for cell in {pl._a1(r, c) for r, row in enumerate(new.values) for c in range(len(row))}:
            if new.value(cell) != old.value(cell):
                view.values[(old.name, cell)] = new.value(cell)
                view.formats[(old.name, cell)] = new.formats.get(cell, "General")
    temuan = after.sheet(name)
    for r, row in enumerate(temuan.values):
        out = []
        for c, v in enumerate(row):
            link = HYPERLINK.match(v) if isinstance(v, str) else None
            out.append(("link", link[1].replace('""', '"'), link[2].replace('""', '"') or None) if link else v)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                view.temuan_formats[pl._a1(r, c)] = temuan.formats.get(pl._a1(r, c), "General")
        view.temuan.append(out)
    view.temuan = trimmed(view.temuan)
    view.temuan_fills = {cell: colour.lstrip("#").upper() for cell, colour in temuan.fills.items() if colour}
    return view


def paint_with_file(src: Path, plan: AnnotationPlan, out: Path):
    painter = FilePainter(src)
    assert painter.load_state() is None
    state = apply_plan(painter, plan)
    painter.save(out)
    return state


class ReadsNotes(XlwingsPainter):
    """The add-in painter as on the desktop, where a note's text can be read (remote mode cannot).

    The texts come from the workbook file (the user's notes) and from the
    notes this painter wrote so far in the run.
    """

    def __init__(self, book, texts: dict[tuple[str, str], str]):
        super().__init__(book)
        self.texts = dict(texts)

    def _original_note(self, sheet, cell):
        if cell not in self._notes_of(sheet):
            return False, None
        return True, self.texts[(sheet.name, cell)]

    def _note(self, sheet, cell, ours):
        noted, original = super()._note(sheet, cell, ours)
        if noted:
            self.texts[(sheet.name, cell)] = combined_note(ours, original, self.lang)
        return noted, original


def note_texts(path: Path) -> dict[tuple[str, str], str]:
    wb = load_workbook(path)
    return {(ws.title, c.coordinate): c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.comment is not None}


def paint_with_addin(src: Path, plan: AnnotationPlan, reads_notes: bool = False):
    import xlwings as xw

    before = pl.FakeExcel.from_payload(pl.payload_from_file(src))
    after = pl.FakeExcel.from_payload(pl.payload_from_file(src))
    book = xw.Book(json=after.payload())
    painter = ReadsNotes(book, note_texts(src)) if reads_notes else XlwingsPainter(book)
    assert painter.load_state() is None
    state = apply_plan(painter, plan)
    after.apply(book.json()["actions"])
    return before, after, state


# --------------------------------------------------------------------------- the comparison


@pytest.mark.parametrize("reads_notes", [False, True], ids=["remote", "notes-readable"])
def test_one_plan_paints_the_same_workbook_through_both_painters(source, reads_notes, tmp_path):
    plan = plan_for(source)
    file_state = paint_with_file(source, plan, tmp_path / "out.xlsx")
    fv = file_view(source, tmp_path / "out.xlsx")
    before, after, addin_state = paint_with_addin(source, plan, reads_notes)
    av = addin_view(before, after)
    user_notes = USER_NOTES if source.name == "contoh-varian.xlsx" else {}
    unreadable = {} if reads_notes else user_notes  # user notes whose text the add-in cannot read

    # sheets: ours first (a free name beside a user's 'Temuan'), active; the state last and hidden
    assert av.names == fv.names
    assert fv.findings_sheet == av.findings_sheet == fv.names[0]
    assert fv.findings_sheet == ("Temuan 2" if user_notes else "Temuan")
    assert av.active == fv.active == fv.findings_sheet
    assert av.hidden == fv.hidden == [STATE_SHEET]

    # fills: the same cells, the same colours, and exactly the plan's
    assert av.fills == fv.fills
    assert fv.fills == {(m.sheet, m.cell): m.fill for m in plan.marks if m.fill}

    # notes: the same texts, except where the user had one the add-in cannot read (left as it was)
    ours = {(m.sheet, m.cell): m.note for m in plan.marks}
    ours.update({(v.sheet, v.cell): v.note for v in plan.values if v.note})
    assert set(ours) >= set(user_notes)
    for key, text in user_notes.items():
        assert fv.notes[key] == combined_note(ours[key], text, plan.lang)
    for key in unreadable:
        assert after.sheet(key[0]).notes[key[1]] is None  # still there, untouched
    assert av.notes == {k: v for k, v in fv.notes.items() if k not in unreadable}
    assert fv.notes == {k: combined_note(v, user_notes.get(k), plan.lang) for k, v in ours.items()}

    # computed values: the same cells, values and number formats, exactly the plan's
    assert av.values == fv.values
    assert av.formats == fv.formats
    assert fv.values == {(v.sheet, v.cell): v.value for v in plan.values}
    if user_notes:
        assert len(plan.values) == 5 and any((v.sheet, v.cell) in ours and not v.note for v in plan.values)

    # the Temuan sheet: row by row (links as targets), fills (header, severity), number formats
    assert av.temuan == fv.temuan
    assert len(fv.temuan) == plan.findings.last_row
    links = [r[plan.findings.link_col] for r in fv.temuan[plan.findings.header_row:]]
    shown = [r[plan.findings.link_col] or None for r in plan.findings.rows]
    assert [t and ("link", t, s) for t, s in zip(plan.findings.links, shown)] == [l or None for l in links]
    assert all(links)  # every finding of the example names a sheet
    assert av.temuan_fills == fv.temuan_fills
    assert av.temuan_formats == fv.temuan_formats
    summary_values = [r[plan.findings.summary_value_col] for r in fv.temuan[1:1 + len(plan.findings.summary)]]
    assert summary_values == [v for _, v in plan.findings.summary]

    # what each recorded for clearing: the same cells, values written, and notes (but the unreadable ones)
    def cells(state, attr):
        return {(c.sheet, c.cell): getattr(c, attr) for c in state.cells}

    assert cells(addin_state, "value") == cells(file_state, "value")
    assert av.state_values == fv.state_values == {(v.sheet, v.cell): v.value for v in plan.values}
    noted = {k for k, v in cells(file_state, "noted").items() if v} - set(unreadable)
    assert {k for k, v in cells(addin_state, "noted").items() if v} == noted
    assert {k: v for k, v in cells(addin_state, "note").items() if k in noted} == \
           {k: v for k, v in cells(file_state, "note").items() if k in noted}


def test_bersihkan_clears_the_file_painters_copy(source, tmp_path):
    """A copy annotated by the CLI, opened in Excel: Bersihkan gives back the original workbook."""
    import xlwings as xw

    out = tmp_path / "out.xlsx"
    paint_with_file(source, plan_for(source), out)
    original = pl.FakeExcel.from_payload(pl.payload_from_file(source))
    excel = pl.FakeExcel.from_payload(pl.payload_from_file(out))
    book = xw.Book(json=excel.payload())
    state = clear_workbook(XlwingsPainter(book))
    assert state is not None and state.painter == "file"
    excel.apply(book.json()["actions"])

    assert excel.names() == original.names()
    assert excel.names()[excel.active] == original.names()[original.active]
    wb = load_workbook(source)
    user_notes = USER_NOTES if source.name == "contoh-varian.xlsx" else {}
    for before in original.sheets:
        after = excel.sheet(before.name)
        assert trimmed(after.values) == trimmed(before.values), before.name
        assert set(after.notes) == set(before.notes), before.name
        for cell, text in after.notes.items():
            assert text == user_notes.get((before.name, cell)), (before.name, cell)
        for cell, colour in after.fills.items():  # each fill we touched is put back as it was
            assert (colour.lstrip("#").upper() if colour else None) == solid(wb[before.name][cell]), (before.name, cell)
    if user_notes:
        sheet, ref, rgb = USER_FILL
        assert excel.sheet(sheet).fills[ref] == "#" + rgb.lower()
        assert trimmed(excel.sheet("Temuan").values) == USER_TEMUAN


def test_the_ribbon_and_the_cli_give_the_same_workbook(source, tmp_path):
    """End to end: ``kinerja-xl annotate`` (the CLI's copy) and the *Hitung* button (its own reading and plan).

    Masked: the check's time in the summary, and the findings' row labels
    (``Baris``): the xlwings reader cannot see merged cells, so a header
    merged over two columns (SKM's ``Pertanyaan``) is read as one column and
    a row is named by its number only ('P1' instead of 'P1 Kesesuaian ...').
    """
    from kinerja_xl.addin import entry
    from kinerja_xl.writeback.annotate import annotate_file

    out = tmp_path / "out.xlsx"
    result = annotate_file(source, out)
    fv = file_view(source, out)
    before = pl.FakeExcel.from_payload(pl.payload_from_file(source))
    after = pl.FakeExcel.from_payload(pl.payload_from_file(source))
    book = after.book()
    outcome = entry.hitung()
    assert outcome.ok, outcome.message
    after.apply(book.json()["actions"])
    av = addin_view(before, after)
    unreadable = USER_NOTES if source.name == "contoh-varian.xlsx" else {}

    assert (av.names, av.active, av.hidden) == (fv.names, fv.active, fv.hidden)
    assert av.fills == fv.fills and av.fills
    assert av.notes == {k: v for k, v in fv.notes.items() if k not in unreadable}
    assert (av.values, av.formats) == (fv.values, fv.formats)
    assert len(fv.values) == (5 if unreadable else 0) == outcome.values

    plan = result.plan.findings
    checked = 1 + [label for label, _ in plan.summary].index("Diperiksa")
    baris = plan.header.index("Baris")

    def masked(rows):
        rows = [list(r) for r in rows]
        rows[checked][plan.summary_value_col] = "(waktu)"
        for r in rows[plan.header_row:]:
            r[baris] = "(baris)"
        return rows

    assert masked(av.temuan) == masked(fv.temuan)
    assert (av.temuan_fills, av.temuan_formats) == (fv.temuan_fills, fv.temuan_formats)


class LikeTheDesktop(ReadsNotes):
    """Also reads each marked cell's original fill, as the desktop does (``Range.color``)."""

    def __init__(self, book, texts, fills: dict[tuple[str, str], str | None]):
        super().__init__(book, texts)
        self.fills = fills
        self._current = None

    def mark(self, marks):
        out = []
        for m in marks:  # one at a time, so _original_fill knows the cell
            self._current = (m.sheet, m.cell)
            out += super().mark([m])
        return out

    def _original_fill(self, rng):
        rgb = self.fills.get(self._current) or ""
        return f"rgb:{rgb}", rgb


def save_as_excel_would(excel: pl.FakeExcel, texts: dict[tuple[str, str], str],
                        fills: dict[tuple[str, str], str | None], path: Path) -> None:
    """The workbook as Excel holds it after the add-in ran, saved (values, fills, notes, formats, hidden, active).

    What the payload does not carry comes from the original: the text of a user's
    note (``texts``) and the fills the add-in did not change (``fills``).
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for s in excel.sheets:
        ws = wb.create_sheet(s.name)
        for r, row in enumerate(s.values, 1):
            for c, v in enumerate(row, 1):
                if v != "":
                    if s.formats.get(pl._a1(r - 1, c - 1)) == "@" and not isinstance(v, str):
                        v = f"{v:.15g}"  # Excel keeps a number written into a text cell as text
                    ws.cell(r, c, v)
        for cell, colour in {**{c: f for (n, c), f in fills.items() if n == s.name and f}, **s.fills}.items():
            if colour:
                ws[cell].fill = PatternFill("solid", fgColor=colour.lstrip("#").upper())
        for cell, fmt in s.formats.items():
            ws[cell].number_format = fmt
        for cell, text in s.notes.items():
            ws[cell].comment = Comment(text if text is not None else texts[(s.name, cell)], "kinerja-xl")
        ws.sheet_state = "visible" if s.visible else "hidden"
    wb.active = excel.active
    for i, ws in enumerate(wb.worksheets):
        ws.sheet_view.tabSelected = i == excel.active
    wb.save(path)


def test_the_cli_clears_what_the_ribbon_painted(source, tmp_path):
    """Painted in Excel by the add-in (as on the desktop), saved, cleared by ``kinerja-xl clear``: the original comes back."""
    import xlwings as xw

    plan = plan_for(source)
    wb = load_workbook(source)
    texts = note_texts(source)
    fills = {(ws.title, c.coordinate): solid(c) for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    excel = pl.FakeExcel.from_payload(pl.payload_from_file(source))
    book = xw.Book(json=excel.payload())
    apply_plan(LikeTheDesktop(book, texts, fills), plan)
    excel.apply(book.json()["actions"])
    painted = tmp_path / "painted.xlsx"
    save_as_excel_would(excel, texts, fills, painted)

    painter = FilePainter(painted)
    state = clear_workbook(painter)
    assert state is not None and state.painter == "xlwings"
    painter.save(tmp_path / "cleared.xlsx")
    cleared = load_workbook(tmp_path / "cleared.xlsx")

    assert cleared.sheetnames == wb.sheetnames
    assert cleared.active.title == wb.active.title
    assert [ws.title for ws in cleared.worksheets if ws.sheet_view.tabSelected] == [wb.active.title]
    for before in wb.worksheets:
        after = cleared[before.title]
        got = trimmed([list(r) for r in after.iter_rows(values_only=True)])
        assert got == trimmed([list(r) for r in before.iter_rows(values_only=True)]), before.title
        for row in after.iter_rows():
            for c in row:
                key = (before.title, c.coordinate)
                assert (c.comment.text if c.comment else None) == texts.get(key), key
                assert solid(c) == fills.get(key), key


def test_bersihkan_undoes_what_the_desktop_painted(source):
    """The add-in's own round trip where fills and note texts can be read: everything comes back, the user's
    yellow fill and notes included, and the sheet that was active."""
    import xlwings as xw

    plan = plan_for(source)
    wb = load_workbook(source)
    texts = note_texts(source)
    fills = {(ws.title, c.coordinate): solid(c) for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    original = pl.FakeExcel.from_payload(pl.payload_from_file(source))
    excel = pl.FakeExcel.from_payload(pl.payload_from_file(source))
    book = xw.Book(json=excel.payload())
    apply_plan(LikeTheDesktop(book, texts, fills), plan)
    excel.apply(book.json()["actions"])
    book = excel.book()
    state = clear_workbook(XlwingsPainter(book))
    assert state is not None and state.painter == "xlwings"
    excel.apply(book.json()["actions"])
    noted = {(c.sheet, c.cell) for c in state.cells if c.noted}

    assert excel.names() == original.names()
    assert excel.names()[excel.active] == original.names()[original.active]
    for before in original.sheets:
        after = excel.sheet(before.name)
        assert trimmed(after.values) == trimmed(before.values), before.name
        assert set(after.notes) == set(before.notes), before.name
        for cell, text in after.notes.items():  # ours removed, the user's put back (None: never touched)
            assert text == (texts[(before.name, cell)] if (before.name, cell) in noted else None), (before.name, cell)
        for cell, colour in after.fills.items():
            assert (colour.lstrip("#").upper() if colour else None) == fills.get((before.name, cell)), (before.name, cell)
    if source.name == "contoh-varian.xlsx":
        assert set(USER_NOTES) <= noted
        sheet, ref, rgb = USER_FILL
        assert excel.sheet(sheet).fills[ref] == "#" + rgb.lower()
