"""Work a table kind does once per located table and keeps on it.

Several rules (and ``hitung``) ask for the same reading of a table: its row
tree, its indicator rows, its survey recap. A table is only read, never
changed, so the reading is kept on the table object, beside the frame it was
made from: a frame swapped for another is read again.
"""

from __future__ import annotations

from typing import Any, Callable


def once_per_table(table: Any, key: str, build: Callable[[Any], Any]) -> Any:
    """``build(table)`` once per table, kept on it under ``key``."""
    cached = getattr(table, "__dict__", {}).get(key)
    if cached is not None and cached[0] is table.frame:
        return cached[1]
    value = build(table)
    if hasattr(table, "__dict__"):
        table.__dict__[key] = (table.frame, value)
    return value
