"""The ``hitung`` command lives beside the computations it prints."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add ``kinerja-xl hitung`` (filled in by the indicators issue)."""
