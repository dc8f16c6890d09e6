"""Shared fixtures: the bundled example and the templates."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "xlsx_templates"
EXAMPLE = TEMPLATES / "contoh-lumajang-tw3-2021.xlsx"


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def example_report():
    from kinerja_xl.runner import validate_file

    return validate_file(EXAMPLE)


@pytest.fixture
def xlwings_remote(monkeypatch):
    """xlwings' remote mode (xlwings.pro), the Book that runs without Excel: it needs a key, and
    only the tests of the add-in and of the xlwings reader set it."""
    import xlwings as xw

    from kinerja_xl.testing import fake_excel as pl

    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    pl.remote_engine()
    yield
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller
