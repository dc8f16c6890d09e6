"""A live workbook open in Excel, read through xlwings.

The ribbon buttons run the same engine as the CLI; this class is the only
place that knows the workbook lives in Excel. Each sheet is read once, in one
bulk call from A1 to the end of its used range: a cell-by-cell read costs one
COM round trip per cell on the desktop, and in xlwings' remote mode (the JSON
route our tests use) every ``Range.value`` access converts the whole sheet.

What xlwings cannot tell us, and what we do instead:

- **Merged cells** are never read (there is no bulk call for them, and remote
  mode has none at all). The table locator already spreads an upper header
  cell over the blank cells to its right that have sub-headers, which is how a
  merged group header looks without merge information.
- **Formulas** are read in one bulk call on the desktop (``Range.formula``).
  Remote mode cannot read formulas: the set stays empty. Computed values are
  only ever written into empty cells, so a formula (which shows a value) is not
  overwritten; only a formula that shows an empty text (``=IF(..;"";..)``)
  looks empty there.
- **Uncached formulas** do not exist in a live Excel: it computed every value
  before the macro ran, so ``uncached`` stays empty.
- **Chart sheets** are not in ``book.sheets`` (xlwings lists worksheets only),
  so they are simply not seen.
"""

from __future__ import annotations

from typing import Any

from kinerja_xl import engine_codes as codes
from kinerja_xl.workbook import SheetData, WorkbookError
from kinerja_xl.i18n import N_


def is_remote(book: Any) -> bool:
    """True for a book built from the Excel client's JSON (tests, xlwings Server/Lite)."""
    try:
        return book.app.engine.name == "remote"
    except Exception:
        return False


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, str) and value == ""):
        return None
    return value


class XlwingsWorkbook:
    """``WorkbookSource`` over an ``xw.Book`` (desktop COM/AppleScript or remote JSON)."""

    def __init__(self, book: Any):
        self.book = book
        self.name = book.name
        self.remote = is_remote(book)
        self._cache: dict[str, SheetData] = {}

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def _sheet(self, name: str):
        try:
            return self.book.sheets[name]
        except Exception as exc:
            raise WorkbookError(
                codes.CORRUPT.code, codes.CORRUPT.name,
                N_("{book}: lembar '{sheet}' tidak ditemukan; mungkin sudah diganti nama atau dihapus. Klik Periksa lagi."), book=str(self.name), sheet=str(name), file=self.name,
            ) from exc

    def read_sheet(self, name: str) -> SheetData:
        """The sheet's values, read from Excel on first use and kept for this run."""
        if name not in self._cache:
            self._cache[name] = self._read(name)
        return self._cache[name]

    def forget(self, name: str, emptied: list[tuple[int, int]] = ()) -> None:
        """The add-in just changed this sheet: ``emptied`` are one-based (row, col) cells it cleared.

        The desktop reads the sheet again when next asked. A remote book is a
        snapshot that our own writes do not change, so the cells are blanked
        in the kept copy instead, which is what Excel will show.
        """
        data = self._cache.get(name)
        if data is None:
            return
        if not self.remote:
            del self._cache[name]
            return
        for r, c in emptied:
            if r - 1 < len(data.rows) and c - 1 < len(data.rows[r - 1]):
                data.rows[r - 1][c - 1] = None

    def _read(self, name: str) -> SheetData:
        sheet = self._sheet(name)
        try:
            used = sheet.used_range
            last_row = used.row + used.shape[0] - 1
            last_col = used.column + used.shape[1] - 1
            # From A1, so that rows[r][c] is the cell at (r, c) whatever the used range's corner.
            block = sheet.range((1, 1), (last_row, last_col))
            values = block.options(ndim=2, err_to_str=True).value or []
            formulas: set[tuple[int, int]] = set()
            if not self.remote:
                formulas = _formula_cells(block.formula)
        except WorkbookError:
            raise
        except Exception as exc:
            raise WorkbookError(
                codes.CORRUPT.code, codes.CORRUPT.name,
                N_("{book}: lembar '{sheet}' tidak dapat dibaca dari Excel; mungkin sel sedang disunting. Tekan Enter atau Esc lalu klik Periksa lagi."), book=str(self.name), sheet=str(name), file=self.name,
            ) from exc
        rows = [[_clean(v) for v in row] for row in values]
        # A used range of one empty cell is how Excel reports an empty sheet.
        if len(rows) == 1 and all(v is None for v in rows[0]):
            rows = []
        try:
            hidden = not sheet.visible
        except Exception:
            hidden = False
        return SheetData(name=name, rows=rows, formulas=formulas, hidden=hidden)

    def close(self) -> None:
        """Nothing to close: the workbook belongs to the user's Excel."""


def _formula_cells(formulas: Any) -> set[tuple[int, int]]:
    """Zero-based (row, col) of every formula in a bulk ``Range.formula`` result."""
    if isinstance(formulas, str):
        formulas = ((formulas,),)
    out: set[tuple[int, int]] = set()
    for r, row in enumerate(formulas or ()):
        for c, f in enumerate(row):
            if isinstance(f, str) and f.startswith("="):
                out.add((r, c))
    return out
