"""``XlwingsPainter``: carries out a write-back plan on the workbook open in Excel.

The plan (``kinerja_xl.writeback.plan``) decides every fill, note, value and
findings row; this class only talks to xlwings, in as few calls as it can:

- fills are grouped by colour into rectangles (vertical runs of cells, joined
  across neighbouring columns that run over the same rows); on the desktop the
  rectangles of one colour go out as one multi-area range (``A1:A3,C7``, up to
  Excel's 255-character address limit), in remote mode one action each;
- computed values go out per vertical run of cells (one ``setValues``);
- the findings and state sheets are written as one block each;
- the findings sheet's links are ``HYPERLINK`` formulas in that block (one
  write instead of one ``Hyperlinks.Add`` per finding; remote mode has no
  internal-link call at all). The file painter writes real internal
  hyperlinks instead; both jump to the same ``'Sheet'!E12`` and show the same
  text, and ``tests/test_painters_agree.py`` compares them as targets;
- notes are per cell (Excel has no bulk call for them), so at most
  ``MAX_NOTES`` cells get one per run; the Temuan sheet lists every finding.

Everything else follows ``writeback.painter.Painter`` as the file painter
does (``tests/test_painters_agree.py`` runs one plan through both and compares
the results): the Temuan sheet takes a free name (``Temuan 2`` beside a user's
own ``Temuan``) recorded in the state's ``findings_sheet`` meta for *Bersihkan*;
the summary's values sit in ``FindingsSheet.summary_value_col``; a user's note
is kept below ours (``plan.combined_note``).

What the remote (JSON) mode cannot read or do, and what we do:

- the original fill of a cell: recorded as unknown (``fill="?"``); *Bersihkan*
  then removes the fill. The desktop reads it (``Range.color``) per marked cell.
- a note's text: a cell that already has a note of the user keeps it and gets
  none of ours there (the fill and the Temuan row still show the finding). The
  desktop reads the text and keeps it below ours (``plan.combined_note``).
- an autofilter without criteria, underlined fonts, tab colours and page
  setup: looks only, set on the desktop and skipped in remote mode.
- the number format a computed value replaced is not restored on clear
  (the cell is emptied; its format is not readable there).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any, Iterable, Sequence

from kinerja_xl.workbook.xlwings_book import XlwingsWorkbook, is_remote
from kinerja_xl.writeback.plan import (
    FINDINGS_SHEET,
    HEADER_FILL,
    LINK_COLOR,
    STATE_SHEET,
    AnnotationState,
    CellMark,
    FindingsSheet,
    TouchedCell,
    ValueWrite,
    combined_note,
)

MAX_ADDRESS = 255  # Excel's limit on a multi-area range address
SET_COLORS_MAX = 10_000  # xlwings' limit on the cells of one set_colors call
MAX_NOTES = 1000  # a note is one call per cell (~ms over COM): beyond this the Temuan sheet is the list
TAB_COLOR = "E69F00"  # the Temuan tab, as the file painter colours it (Okabe-Ito orange)


@functools.lru_cache(maxsize=None)
def col_letters(col: int) -> str:
    """1 -> 'A', 28 -> 'AB' (openpyxl's get_column_letter, without importing openpyxl into a button press)."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def parse_cell(ref: str) -> tuple[int, int]:
    """'E12' -> (12, 5), one-based."""
    ref = ref.replace("$", "").upper()
    col = 0
    i = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + ord(ref[i]) - 64
        i += 1
    return int(ref[i:]), col


def address(r0: int, c0: int, r1: int, c1: int) -> str:
    a = f"{col_letters(c0)}{r0}"
    return a if (r0, c0) == (r1, c1) else f"{a}:{col_letters(c1)}{r1}"


def rectangles(cells: Iterable[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Cover a set of (row, col) cells exactly with few rectangles (r0, c0, r1, c1).

    Vertical runs per column first, then a run is joined with the same run
    in the column to its right. Exact (no cell outside the set), simple, and
    enough for what we paint: columns of flagged numbers, blocks of values.
    """
    by_col: dict[int, list[int]] = defaultdict(list)
    for r, c in set(cells):
        by_col[c].append(r)
    runs: dict[tuple[int, int], list[int]] = defaultdict(list)  # (r0, r1) -> columns
    for c, rows in by_col.items():
        rows.sort()
        start = prev = rows[0]
        for r in rows[1:]:
            if r != prev + 1:
                runs[(start, prev)].append(c)
                start = r
            prev = r
        runs[(start, prev)].append(c)
    out = []
    for (r0, r1), cols in runs.items():
        cols.sort()
        c_start = c_prev = cols[0]
        for c in cols[1:]:
            if c != c_prev + 1:
                out.append((r0, c_start, r1, c_prev))
                c_start = c
            c_prev = c
        out.append((r0, c_start, r1, c_prev))
    return sorted(out)


def vertical_runs(cells: Iterable[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Cells grouped into runs of consecutive rows in one column (for value writes)."""
    by_col: dict[int, list[int]] = defaultdict(list)
    for r, c in set(cells):
        by_col[c].append(r)
    out = []
    for c in sorted(by_col):
        rows = sorted(by_col[c])
        run = [(rows[0], c)]
        for r in rows[1:]:
            if r == run[-1][0] + 1:
                run.append((r, c))
            else:
                out.append(run)
                run = [(r, c)]
        out.append(run)
    return out


def hyperlink_formula(target: str, shown: Any) -> str:
    """An internal link (``'Sheet'!E12``) as a formula: Excel jumps there when it is clicked."""
    def quote(text: Any) -> str:
        return '"' + str(text).replace('"', '""') + '"'

    return f"=HYPERLINK({quote('#' + target)},{quote(shown)})"


def _hex(rgb: Any) -> str:
    """xlwings colour (RGB tuple / int / '#rrggbb') -> 'RRGGBB'; '' for no fill."""
    if rgb is None:
        return ""
    if isinstance(rgb, str):
        return rgb.lstrip("#").upper()
    if isinstance(rgb, int):  # BGR as Excel stores it
        return f"{rgb & 0xFF:02X}{(rgb >> 8) & 0xFF:02X}{(rgb >> 16) & 0xFF:02X}"
    return "".join(f"{int(v):02X}" for v in rgb[:3])


def _bgr(rgb: str) -> int:
    """'RRGGBB' -> the BGR integer Excel's COM colours are."""
    return int(rgb[4:6] + rgb[2:4] + rgb[0:2], 16)


def _landscape_one_page_wide(page_setup: Any) -> None:
    page_setup.Orientation = 2  # xlLandscape
    page_setup.Zoom = False
    page_setup.FitToPagesWide = 1
    page_setup.FitToPagesTall = False


def _active_sheet(meta: dict[str, str]) -> str | None:
    """The sheet that was active before the annotation, by name, from either painter's meta.

    Ours records ``active_sheet``; the file painter ``tab_selected`` (the
    selected tabs, normally just the active one; grouped sheets are ambiguous).
    """
    if meta.get("active_sheet"):
        return meta["active_sheet"]
    selected = [n for n in meta.get("tab_selected", "").split("\n") if n]
    return selected[0] if len(selected) == 1 else None


def _same_value(a: Any, b: Any) -> bool:
    """Does a cell still hold what we wrote? (the state sheet may give it back as text or float)"""
    if a is None or b is None:
        return a is b
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return str(a).strip() == str(b).strip()


class XlwingsPainter:
    """``writeback.painter.Painter`` over an ``xw.Book`` (desktop or remote)."""

    kind = "xlwings"

    def __init__(self, book: Any, source: XlwingsWorkbook | None = None, lang: str = "id"):
        self.book = book
        self.remote = is_remote(book)
        self.source = source or XlwingsWorkbook(book)
        self.lang = lang
        try:
            self.active_before = book.sheets.active.name
        except Exception:
            self.active_before = ""
        self.findings_name = FINDINGS_SHEET  # our Temuan sheet's name (a free one, see write_findings_sheet)
        self.active_tab = ""  # the active sheet's position before Temuan went in front (for the file painter)
        self.actions = 0  # write calls made (for the status message and the benchmark)
        self.notes_skipped = 0  # cells past MAX_NOTES that got a fill but no note
        self._noted = 0
        self._note_cells: dict[str, set[str]] = {}

    # -- helpers ----------------------------------------------------------------------------------------

    def _sheet(self, name: str):
        for s in self.book.sheets:
            if s.name == name:
                return s
        return None

    def _taken_names(self) -> set[str]:
        """Every sheet name in the book, folded (Excel compares them case-insensitively).

        The desktop asks Excel for all sheets, chart sheets included (xlwings
        lists worksheets only); remote mode has worksheets only.
        """
        names = [s.name for s in self.book.sheets]
        if not self.remote:
            try:
                api = self.book.api.Sheets
                names += [api.Item(i).Name for i in range(1, api.Count + 1)]
            except Exception:  # noqa: BLE001, S110 - not Windows COM: the worksheets are what we can see
                pass
        return {n.casefold() for n in names}

    def _free_name(self, wanted: str) -> str:
        """``wanted``, or ``wanted 2``, ``wanted 3``... beside a user's own sheet of that name (as the file painter)."""
        taken = self._taken_names()
        name, n = wanted, 2
        while name.casefold() in taken:
            name = f"{wanted} {n}"
            n += 1
        return name

    def _fill(self, sheet: Any, wanted: dict[tuple[int, int], str | None]) -> None:
        """Give each (row, col) its fill ('RRGGBB'; None = no fill) in as few calls as possible.

        Desktop: the rectangles of one colour as multi-area ranges (one COM
        call per ~25 rectangles). Remote mode has no multi-area ranges; there
        one column's cells go out as one ``set_colors`` matrix over the rows
        they span (``...`` keeps the cells between them as they are).
        """
        if not wanted:
            return
        if self.remote:
            by_col: dict[int, list[int]] = defaultdict(list)
            for r, c in wanted:
                by_col[c].append(r)
            for c, rows in sorted(by_col.items()):
                rows.sort()
                chunk: list[int] = []
                for r in rows + [None]:
                    if r is None or (chunk and r - chunk[0] >= SET_COLORS_MAX):
                        self._fill_column(sheet, c, chunk, wanted)
                        chunk = []
                    if r is not None:
                        chunk.append(r)
            return
        by_colour: dict[str | None, list[tuple[int, int]]] = defaultdict(list)
        for cell, colour in wanted.items():
            by_colour[colour or None].append(cell)
        for colour, cells in by_colour.items():
            value = None if not colour else "#" + colour
            batch: list[str] = []
            for a in [address(*rect) for rect in rectangles(cells)] + [None]:
                if a is None or (batch and len(",".join(batch + [a])) > MAX_ADDRESS):
                    if batch:
                        sheet.range(",".join(batch)).color = value
                        self.actions += 1
                    batch = []
                if a is not None:
                    batch.append(a)

    def _fill_column(self, sheet: Any, col: int, rows: list[int], wanted: dict) -> None:
        colours = {wanted[(r, col)] or None for r in rows}
        r0, r1 = rows[0], rows[-1]
        rng = sheet.range((r0, col), (r1, col))
        if len(colours) == 1 and r1 - r0 + 1 == len(rows):  # one colour, no gap: a plain fill
            colour = colours.pop()
            rng.color = None if not colour else "#" + colour
        else:
            by_row = {r: wanted[(r, col)] for r in rows}
            rng.set_colors([[("#" + by_row[r]) if by_row.get(r) else (None if r in by_row else ...)]
                            for r in range(r0, r1 + 1)])
        self.actions += 1

    def _notes_of(self, sheet: Any) -> set[str]:
        """Addresses (A1, no '$') of the cells of ``sheet`` that have a note, read once per sheet."""
        if sheet.name not in self._note_cells:
            if self.remote:  # sheet.api is the client's payload: it lists which cells have a note
                cells = {n["address"] for n in sheet.api.get("notes") or []}
            else:
                cells = {n.location.address for n in sheet.notes}
            self._note_cells[sheet.name] = {c.replace("$", "").upper() for c in cells}
        return self._note_cells[sheet.name]

    def _original_note(self, sheet: Any, cell: str) -> tuple[bool, str | None]:
        """(has a note, its text or None when it cannot be read)."""
        if cell not in self._notes_of(sheet):
            return False, None
        if self.remote:
            return True, None
        return True, sheet.range(cell).note.text

    def _note(self, sheet: Any, cell: str, ours: str) -> tuple[bool, str | None]:
        """Give the cell our note (the user's own kept below it); returns (noted, original text)."""
        had, text = self._original_note(sheet, cell)
        if had and text is None:  # a note we cannot read (remote mode) is left alone
            return False, None
        if self._noted >= MAX_NOTES:
            self.notes_skipped += 1
            return False, text
        rng = sheet.range(cell)
        if had:
            rng.note.delete()
        rng.add_note(combined_note(ours, text, self.lang))
        self._notes_of(sheet).add(cell)
        self._noted += 1
        self.actions += 1
        return True, text

    def _original_formats(self, sheet: Any, cells: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """The number formats of (row, col) cells before we write values there (``clear`` puts them back).

        One read per vertical run when the run shares a format (Excel gives
        None for a mixed range), else per cell. Remote mode cannot read
        formats: nothing is recorded and the format we wrote stays.
        """
        if self.remote:
            return {}
        out: dict[tuple[int, int], str] = {}
        for run in vertical_runs(cells):
            (r0, c0), (r1, _) = run[0], run[-1]
            fmt = sheet.range((r0, c0), (r1, c0)).number_format
            for cell in run:
                out[cell] = fmt if isinstance(fmt, str) else sheet.range(cell).number_format
        return out

    def _original_fill(self, rng: Any) -> tuple[str, str]:
        """(own token, RRGGBB/''/'?') of a cell's fill before we paint it."""
        if self.remote:
            return "?", "?"
        rgb = _hex(rng.color)
        return f"rgb:{rgb}", rgb

    def protection_problem(self, sheets: Iterable[str]) -> str | None:
        """Why painting would fail half-way on the desktop (a protected sheet or workbook), else None.

        Remote mode cannot tell; there Excel itself refuses the actions.
        """
        if self.remote:
            return None
        try:
            if self.book.api.ProtectStructure:
                return ("Struktur buku kerja diproteksi, sehingga lembar Temuan tidak dapat ditambahkan. "
                        "Buka proteksinya (Tinjau > Proteksi Buku Kerja), lalu tekan tombolnya lagi.")
            for name in sheets:
                sheet = self._sheet(name)
                if sheet is not None and sheet.api.ProtectContents:
                    return (f"Lembar '{name}' diproteksi, sehingga sel-selnya tidak dapat ditandai. "
                            "Buka proteksinya (Tinjau > Buka Proteksi Lembar), lalu tekan tombolnya lagi.")
        except Exception:  # not Windows COM (macOS): Excel reports it when it happens
            return None
        return None

    # -- Painter protocol -------------------------------------------------------------------------------

    def load_state(self) -> AnnotationState | None:
        sheet = self._sheet(STATE_SHEET)
        if sheet is None:
            return None
        rows = self.source.read_sheet(STATE_SHEET).rows
        return AnnotationState.from_rows(rows)

    def clear(self, state: AnnotationState) -> None:
        own = state.painter == self.kind
        by_sheet: dict[str, list[TouchedCell]] = defaultdict(list)
        for c in state.cells:
            by_sheet[c.sheet].append(c)
        for name, cells in by_sheet.items():
            sheet = self._sheet(name)
            if sheet is None:
                continue
            fills: dict[tuple[int, int], str | None] = {}
            empty: list[tuple[int, int]] = []
            formats: dict[str, list[tuple[int, int]]] = defaultdict(list)
            data = self.source.read_sheet(name)
            for c in cells:
                r, col = parse_cell(c.cell)
                token, *details = c.fill.split("|")
                extra = dict(d.split("=", 1) for d in details if "=" in d)
                if c.marked:
                    if own and token.startswith("rgb:"):
                        fills[(r, col)] = token[4:] or None
                    elif c.fill_rgb != "?" or own:  # own unknown fill (remote mode): remove ours
                        fills[(r, col)] = (c.fill_rgb if c.fill_rgb != "?" else "") or None
                if c.noted:
                    cell = c.cell.replace("$", "").upper()
                    rng = sheet.range(cell)
                    if cell in self._notes_of(sheet):
                        rng.note.delete()
                        self._notes_of(sheet).discard(cell)
                        self.actions += 1
                    if c.note:
                        rng.add_note(c.note)
                        self._notes_of(sheet).add(cell)
                        self.actions += 1
                if c.value is not None and _same_value(data.value(r - 1, col - 1), c.value):
                    empty.append((r, col))
                    if own and "nf" in extra:
                        formats[extra["nf"]].append((r, col))
            self._fill(sheet, fills)
            for r0, c0, r1, c1 in rectangles(empty):
                sheet.range((r0, c0), (r1, c1)).clear_contents()
                self.actions += 1
            for fmt, where in formats.items():  # the number formats the computed values replaced
                for r0, c0, r1, c1 in rectangles(where):
                    sheet.range((r0, c0), (r1, c1)).number_format = fmt
                    self.actions += 1
            self.source.forget(name, empty)
        # the findings sheet's name as either painter recorded it ("Temuan 2" beside a user's own "Temuan")
        for name in (state.meta.get("findings_sheet") or FINDINGS_SHEET, STATE_SHEET):
            sheet = self._sheet(name)
            if sheet is not None:
                sheet.delete()
                self.actions += 1
        active = _active_sheet(state.meta)
        target = self._sheet(active) if active else None
        if target is not None:
            target.activate()
            self.actions += 1
        self.active_before = active or self.active_before

    def mark(self, marks: Sequence[CellMark]) -> list[TouchedCell]:
        out: list[TouchedCell] = []
        by_sheet: dict[str, list[CellMark]] = defaultdict(list)
        for m in marks:
            by_sheet[m.sheet].append(m)
        for name, ms in by_sheet.items():
            sheet = self._sheet(name)
            if sheet is None:
                continue
            fills: dict[tuple[int, int], str | None] = {}
            for m in ms:
                r, c = parse_cell(m.cell)
                rng = sheet.range((r, c))
                rec = TouchedCell(sheet=name, cell=m.cell)
                if m.fill:
                    rec.fill, rec.fill_rgb = self._original_fill(rng)
                    rec.marked = True
                    fills[(r, c)] = m.fill
                rec.noted, rec.note = self._note(sheet, m.cell, m.note)
                out.append(rec)
            self._fill(sheet, fills)
        return out

    def write_values(self, values: Sequence[ValueWrite]) -> list[TouchedCell]:
        out: list[TouchedCell] = []
        by_sheet: dict[str, list[ValueWrite]] = defaultdict(list)
        for v in values:
            by_sheet[v.sheet].append(v)
        for name, vs in by_sheet.items():
            sheet = self._sheet(name)
            if sheet is None:
                continue
            data = self.source.read_sheet(name)
            todo: dict[tuple[int, int], ValueWrite] = {}
            for v in vs:
                r, c = parse_cell(v.cell)
                if data.value(r - 1, c - 1) is None and (r - 1, c - 1) not in data.formulas:
                    todo[(r, c)] = v
            before = self._original_formats(sheet, todo)
            for run in vertical_runs(todo):
                (r0, c0), (r1, _) = run[0], run[-1]
                block = sheet.range((r0, c0), (r1, c0))
                formats = {todo[cell].number_format for cell in run}
                if len(formats) == 1:
                    block.number_format = formats.pop()
                else:
                    for cell in run:
                        sheet.range(cell).number_format = todo[cell].number_format
                        self.actions += 1
                block.value = [[todo[cell].value] for cell in run]
                self.actions += 2
            for (r, c), v in sorted(todo.items()):
                rec = TouchedCell(sheet=name, cell=v.cell, value=v.value)
                fmt = before.get((r, c))
                if fmt is not None and "|" not in fmt:  # '|' separates the token's details
                    rec.fill = f"|nf={fmt}"
                if v.note:  # empty when the cell is also marked: the mark's note already says both
                    rec.noted, rec.note = self._note(sheet, v.cell, v.note)
                out.append(rec)
        return out

    def write_findings_sheet(self, fs: FindingsSheet) -> None:
        # a user's own sheet of that name stays; ours goes beside it as "Temuan 2" (save_state records it)
        self.findings_name = self._free_name(fs.name)
        active = self._sheet(self.active_before) if self.active_before else None
        self.active_tab = str(active.index - 1) if active is not None else ""  # position among all sheets, as saved
        sheet = self.book.sheets.add(self.findings_name, before=self.book.sheets[0])
        ncols = fs.last_col + 1
        grid: list[list[Any]] = [[fs.title] + [None] * (ncols - 1)]
        for label, value in fs.summary:
            row = [None] * ncols
            row[fs.summary_label_col], row[fs.summary_value_col] = label, value
            grid.append(row)
        grid.append([None] * ncols)
        grid.append(list(fs.header))
        for row, target in zip(fs.rows, fs.links):
            row = list(row) + [None] * (ncols - len(row))
            if target:  # shows the row's text, as the file painter's link cell does (empty for a whole-sheet finding)
                row[fs.link_col] = hyperlink_formula(target, "" if row[fs.link_col] is None else row[fs.link_col])
            grid.append(row)
        last = fs.last_row
        first_data = fs.header_row + 1
        # Text cells get the text format before the values go in: Excel would otherwise read
        # "1.02.02" or "2026-11-28 08:00" as a date and "6.255.403.861" as a number.
        text = {(r + 1, c + 1) for r, row in enumerate(grid) for c, v in enumerate(row)
                if isinstance(v, str) and not v.startswith("=HYPERLINK(")}
        for rect in rectangles(text):
            sheet.range(address(*rect)).number_format = "@"
            self.actions += 1
        sheet.range((1, 1), (last, ncols)).value = grid
        self.actions += 1
        # number formats: the summary's value column, then runs of equal formats per value column
        formats: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, fmt in enumerate(fs.summary_formats):
            cell = (2 + i, fs.summary_value_col + 1)
            if fmt and cell not in text:
                formats[fmt].append(cell)
        for i, row_fmts in enumerate(fs.formats):
            for c, fmt in enumerate(row_fmts):
                if fmt and (first_data + i, c + 1) not in text:
                    formats[fmt].append((first_data + i, c + 1))
        for fmt, cells in formats.items():
            for rect in rectangles(cells):
                sheet.range(address(*rect)).number_format = fmt
                self.actions += 1
        sheet.range((fs.header_row, 1), (fs.header_row, ncols)).color = "#" + HEADER_FILL  # one call, either mode
        self.actions += 1
        self._fill(sheet, {(first_data + i, fs.severity_col + 1): colour
                           for i, colour in enumerate(fs.severity_fills) if colour})
        self._cosmetics(sheet, fs, ncols)
        sheet.activate()

    def _cosmetics(self, sheet: Any, fs: FindingsSheet, ncols: int) -> None:
        """The file painter's looks: bold title (14 pt), bold summary labels and header, link
        colour, widths, wrapped messages, frozen header; on the desktop also the autofilter,
        underlined links, the tab colour and landscape printing one page wide.

        Looks only: an engine that lacks one of them (remote mode has no
        autofilter without criteria) must not fail the run.
        """
        first, last = fs.header_row + 1, max(fs.last_row, fs.header_row + 1)
        title = sheet.range((1, 1))
        links = sheet.range((first, fs.link_col + 1), (last, fs.link_col + 1))
        steps = [
            lambda: setattr(title.font, "bold", True),
            lambda: setattr(title.font, "size", 14),
            lambda: setattr(sheet.range((2, fs.summary_label_col + 1), (1 + len(fs.summary), fs.summary_label_col + 1)).font,
                            "bold", True),
            lambda: setattr(sheet.range((fs.header_row, 1), (fs.header_row, ncols)).font, "bold", True),
            lambda: setattr(links.font, "color", "#" + LINK_COLOR),
            lambda: setattr(sheet.range((first, fs.message_col + 1), (last, fs.message_col + 1)), "wrap_text", True),
            lambda: sheet.freeze_panes.freeze_at(f"A{fs.header_row + 1}"),
        ]
        for i, width in enumerate(fs.widths[:ncols]):
            steps.append(lambda i=i, width=width: setattr(sheet.range((1, i + 1)), "column_width", width))
        if not self.remote:
            steps.append(lambda: sheet.range((fs.header_row, 1), (fs.last_row, ncols)).api.AutoFilter())
            steps.append(lambda: setattr(links.api.Font, "Underline", 2))  # xlUnderlineStyleSingle
            steps.append(lambda: setattr(sheet.api.Tab, "Color", _bgr(TAB_COLOR)))
            steps.append(lambda: _landscape_one_page_wide(sheet.api.PageSetup))
        for step in steps:
            try:
                step()
                self.actions += 1
            except Exception:  # noqa: BLE001 - a missing nicety (or a COM hiccup on one) is not worth failing for
                pass

    def save_state(self, state: AnnotationState) -> None:
        state.meta["findings_sheet"] = self.findings_name  # the key the file painter uses too
        if self.active_before:
            state.meta["active_sheet"] = self.active_before
        if self.active_tab:  # what the file painter's clear puts back into the saved file's view
            state.meta["active_tab"] = self.active_tab
            state.meta["tab_selected"] = self.active_before
        rows = state.to_rows()
        width = max(len(r) for r in rows)
        grid = [[None if v in (None, "") else v for v in r] + [None] * (width - len(r)) for r in rows]
        sheet = self.book.sheets.add(STATE_SHEET, after=self.book.sheets[len(self.book.sheets) - 1])
        # Text format so Excel keeps "1" and "n:..." as typed; the last column holds the values we wrote
        # (``to_rows``: "as written"), so a number there stays a number, as the file painter stores it.
        last = len(AnnotationState.STATE_COLUMNS) + 1
        text = [(r + 1, last) for r, row in enumerate(grid) if isinstance(row[last - 1], str)] if width >= last else []
        sheet.range((1, 1), (len(grid), min(width, last - 1))).number_format = "@"
        for rect in rectangles(text):
            sheet.range(address(*rect)).number_format = "@"
            self.actions += 1
        sheet.range((1, 1), (len(grid), width)).value = grid
        # adding a sheet activates it; the findings sheet is what the user should see, and
        # Excel hides only a sheet that is not the active one
        temuan = self._sheet(self.findings_name)
        if temuan is not None:
            temuan.activate()
        sheet.visible = False
        self.actions += 3
