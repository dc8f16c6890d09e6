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
