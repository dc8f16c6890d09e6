"""The official Excel templates and the bundled seed example, built from code.

Each table module (``budget``, ``indicators``, ``survey``) registers:
- ``@template(name, ...)``: a function ``build(wb)`` that adds the blank
  template sheet(s) for ``kinerja-xl template NAME``;
- ``@example_sheet(order)``: a function ``build(wb)`` that adds that table,
  filled exactly as the seed report prints it, to the example workbook.

``python -m kinerja_xl.templates`` rebuilds every file in ``xlsx_templates/``
(committed too, so a user who only downloads the files gets them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

EXAMPLE_NAME = "contoh-lumajang-tw3-2021.xlsx"


@dataclass(frozen=True)
class Template:
    name: str
    filename: str
    title_id: str
    title_en: str
    build: Callable


TEMPLATES: dict[str, Template] = {}
EXAMPLE_SHEETS: list[tuple[int, Callable]] = []


def template(name: str, title_id: str, title_en: str) -> Callable[[Callable], Callable]:
    def wrap(build: Callable) -> Callable:
        TEMPLATES[name] = Template(name, f"{name}.xlsx", title_id, title_en, build)
        return build

    return wrap


def example_sheet(order: int) -> Callable[[Callable], Callable]:
    def wrap(build: Callable) -> Callable:
        EXAMPLE_SHEETS.append((order, build))
        return build

    return wrap


def load() -> None:
    """Import the table modules so their builders register."""
    from kinerja_xl.templates import budget, indicators, survey  # noqa: F401


def _new_workbook():
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def build_template(name: str, path: Path) -> Path:
    load()
    wb = _new_workbook()
    TEMPLATES[name].build(wb)
    wb.save(path)
    return path


def build_example(path: Path) -> Path:
    load()
    wb = _new_workbook()
    for _, build in sorted(EXAMPLE_SHEETS, key=lambda x: x[0]):
        build(wb)
    wb.save(path)
    return path


def build_all(folder: Path) -> list[Path]:
    load()
    folder.mkdir(parents=True, exist_ok=True)
    out = [build_template(name, folder / t.filename) for name, t in sorted(TEMPLATES.items())]
    out.append(build_example(folder / EXAMPLE_NAME))
    return out
