"""The few operations a painter does; everything it paints is decided in ``plan``.

Two implementations: ``files.FilePainter`` patches the parts of an .xlsx/.xlsm
package it changes and copies every other part byte for byte;
``kinerja_xl.addin``'s xlwings painter paints the live workbook.

The driver (``plan.apply_plan`` / ``plan.clear_workbook``) calls, in order::

    state = painter.load_state()          # None when the book carries no annotation of ours
    if state: painter.clear(state)        # annotating twice never stacks
    # ... validate the (cleared) workbook, build the plan ...
    records  = painter.mark(plan.marks)
    records += painter.write_values(plan.values)
    painter.write_findings_sheet(plan.findings)
    painter.save_state(AnnotationState(painter=painter.kind, cells=merged records))

A file painter also has ``save(path)``; a live painter's changes are already
in the workbook.
"""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

from kinerja_xl.writeback.plan import (
    AnnotationState,
    CellMark,
    FindingsSheet,
    TouchedCell,
    ValueWrite,
)


@runtime_checkable
class Painter(Protocol):
    kind: str
    """``"file"`` or ``"xlwings"``: recorded in the state so the other painter knows whose tokens it reads."""

    def load_state(self) -> AnnotationState | None:
        """Read the hidden sheet ``plan.STATE_SHEET`` with ``AnnotationState.from_rows``.

        None when the sheet is absent or does not start with the magic row.
        Must not change the workbook.
        """

    def clear(self, state: AnnotationState) -> None:
        """Undo an annotation (made by this or the other painter), leaving the user's own edits.

        For every ``TouchedCell``:
        - ``marked``: restore the original look. Own tokens (``state.painter
          == self.kind``) restore exactly (FilePainter: the ``s`` index, or
          remove a ``<c>``/``<row>`` it created if still empty); the other
          painter's: set the fill to ``fill_rgb`` (``""`` = no fill, ``"?"``
          = leave as is).
        - ``noted``: put back the original note (``note``; None = delete the
          note). FilePainter restores ``note_raw`` exactly when it has it.
        - ``value`` not None: empty the cell only if it still holds that value
          (the user may have typed over it since; then leave it).
        Then delete the findings sheet ``plan.FINDINGS_SHEET`` and the state
        sheet, restore the active sheet from ``state.meta`` if the painter
        recorded it, and remove whatever else it added (FilePainter: appended
        styles when styles.xml is unchanged since, comment/VML parts it
        created, the autofilter defined name).
        A cell or sheet that no longer exists is skipped, never an error.
        """

    def mark(self, marks: Sequence[CellMark]) -> list[TouchedCell]:
        """Fill each cell with ``mark.fill`` (solid pattern, RRGGBB; None = leave the fill)
        and set its note to ``plan.combined_note(mark.note, original_note, lang)``.

        Keep everything else about the cell (value, formula, number format,
        font, borders, alignment, protection). Create the cell when it does
        not exist. Return one ``TouchedCell`` per mark with its original
        ``fill``/``fill_rgb``, ``note``/``note_raw`` and ``marked``/``noted``
        set. Marks whose sheet does not exist are skipped (no record).
        """

    def write_values(self, values: Sequence[ValueWrite]) -> list[TouchedCell]:
        """Write each ``value`` (int/float/str) with its ``number_format`` into its cell, and its ``note``.

        Plan guarantees the cell was empty and holds no formula; a painter
        re-checks and skips a cell that is not empty or holds a formula
        (no record then). Return one ``TouchedCell`` per written cell with
        ``value`` set, ``noted=True`` and the original fill/note recorded.
        """

    def write_findings_sheet(self, sheet: FindingsSheet) -> None:
        """Add ``sheet.name`` as the FIRST sheet, laid out as ``FindingsSheet`` describes, and make it active.

        Internal hyperlinks (to ``sheet.links[i]``, a ``'Sheet'!A1``
        location, never an external ``#...`` address), bold header with
        autofilter over header + rows, panes frozen below the header,
        column widths, wrapped message column, severity column filled with
        ``sheet.severity_fills[i]``, number formats from ``sheet.formats``.
        """

    def save_state(self, state: AnnotationState) -> None:
        """Add the hidden sheet ``plan.STATE_SHEET`` (last) holding ``state.to_rows()``.

        The painter adds its private ``meta`` first (e.g. the active sheet
        before annotating). Write every value as a constant, never as a
        formula (a live painter: set the cells' number format to text ``@``
        before writing, so ``1`` stays ``"1"`` and ``n:...`` notes stay text);
        ``from_rows`` accepts numbers read back as floats.
        """
