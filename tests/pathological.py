"""Sheets that are not reports but must still be read in bounded time.

``large_strings_rows`` rebuilds the shape of SheetJS's ``large_strings.xlsx`` test file
(one sheet, 10.000 rows × 17 columns of text, row ``i`` holding texts ``i + 1`` characters
long, every row's texts new) without its 870 KB: the sheet that made header search take a
minute. ``distinct_texts_rows`` is the other worst case: short texts, every one different.
"""

from __future__ import annotations

import string
from pathlib import Path

_LETTERS = string.ascii_lowercase


def large_strings_rows(n_rows: int = 10_000, n_cols: int = 17) -> list[list[str]]:
    """Row ``i``: ``n_cols`` texts of ``i + 1`` characters, in groups of equal texts as in the original."""
    groups = [0] * 8 + [1] * 4 + [2] * 5  # the original's columns: 8 × 'a…', 4 × 'b…', 5 × 'c…'
    rows = []
    for i in range(n_rows):
        tail = "".join(_LETTERS[(i * 7 + k) % 26] for k in range(min(i, 40))) * (i // 40 + 1)
        rows.append([(_LETTERS[groups[c % len(groups)]] + tail)[: i + 1] for c in range(n_cols)])
    return rows


def distinct_texts_rows(n_rows: int = 2_000, n_cols: int = 20) -> list[list[str]]:
    """Short texts (two to four words), none repeated: nothing for a memo to share."""
    return [[f"item {r} kolom {c}" if (r + c) % 3 else f"{_LETTERS[r % 26]}{r} {c}" for c in range(n_cols)]
            for r in range(n_rows)]


def write_rows(path: Path, sheets: dict[str, list[list]]) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    book.close()
    return path
