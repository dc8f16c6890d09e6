"""Workbook access: one small interface, two implementations.

Everything above this layer (table location, rules, write-back) sees only
``WorkbookSource`` and ``SheetData``. ``files.open_workbook`` reads .xlsx/.xlsm
files (values through calamine, formula marks from the sheet XML);
``xlwings_book.XlwingsWorkbook`` wraps a live ``xw.Book`` for the add-in.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol, runtime_checkable

from kinerja_xl.i18n import translate

OUR_SHEETS = ("Temuan", "_kinerja_xl_state", "_kinerja_xl")  # written by us, never validated


@dataclass
class SheetData:
    """All values of one sheet, read once in bulk.

    ``rows`` start at A1: ``rows[r][c]`` is the cell at zero-based (r, c);
    empty cells are ``None``; numbers are int/float, text is str.
    ``merges`` are zero-based inclusive ``(r0, c0, r1, c1)``.
    ``formulas`` holds every formula cell (a set, or for files a set-like that
    reads them on first use: validation needs only ``uncached``); ``uncached``
    those whose value was never computed (saved by a script), which must not
    be read as zero.
    """

    name: str
    rows: list[list[Any]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: AbstractSet[tuple[int, int]] = field(default_factory=set)
    uncached: set[tuple[int, int]] = field(default_factory=set)
    is_chart: bool = False
    hidden: bool = False
    # formulas saved without a value that the reader computed itself (cell -> formula text):
    # their value stands in ``rows``, and they are not in ``uncached``
    computed: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @cached_property
    def n_cols(self) -> int:
        """The widest row's length: a pass over every row (~2 ms at 100.000 rows), so once a sheet;
        a reader widens its rows before it makes the ``SheetData``, never after."""
        return max(map(len, self.rows), default=0)

    def value(self, r: int, c: int) -> Any:
        if r < len(self.rows) and c < len(self.rows[r]):
            return self.rows[r][c]
        return None


@runtime_checkable
class WorkbookSource(Protocol):
    """What the engine needs from a workbook, wherever it lives."""

    name: str  # display name (file name or book name)

    def sheet_names(self) -> list[str]: ...

    def read_sheet(self, name: str) -> SheetData: ...


class WorkbookError(Exception):
    """The workbook as a whole could not be read: a rule code and its message, a msgid (``N_``) and
    its parameters, translated when rendered (``message(lang)``)."""

    def __init__(self, code: str, name: str, message: str, *, file: str | None = None, **params: Any):
        self.code = code
        self.name = name
        self.msgid = message
        self.params = params
        self.file = file
        super().__init__(self.message("en"))

    def message(self, lang: str = "id") -> str:
        from kinerja_xl.numfmt import format_value

        text = translate(self.msgid, lang)
        return text.format(**{k: format_value(v, lang) for k, v in self.params.items()}) if self.params else text
