"""The official Excel templates and the bundled seed example, built from code.

Each table module (``budget``, ``indicators``, ``survey``) registers:
- ``@template(name, ...)``: a function ``build(wb)`` that adds the blank
  template sheet(s) for ``kinerja-xl template NAME``;
- ``@example_sheet(order)``: a function ``build(wb)`` that adds that table,
  filled exactly as the seed report prints it, to the example workbook.

``python -m kinerja_xl.templates`` rebuilds every file in ``xlsx_templates/``
(committed too, so a user who only downloads the files gets them). Rebuilds
are byte-identical (``save_workbook`` fixes the timestamps), and
``tests/test_templates.py`` fails when a committed file differs from a fresh
rebuild: after changing a builder, rebuild and commit ``xlsx_templates/``.

Example sheet order (``@example_sheet(order)``, gaps left for new tables):
Info 0, Refocusing 10, PK 20, Capaian IKU 30, Perbandingan 40, Renstra 50,
Realisasi 60, SKM 70; the survey example (`SURVEY_EXAMPLE_NAME`): SKM 70,
SKM responden 80.

Shared look, number formats and the percent convention (percent units,
``0.00"%"``) are in ``common.py``; the Info sheet layout (label in column A,
value in column B) is ``common.write_info_sheet`` / ``common.read_info``.

The blank templates are forms: every template has an Info sheet, and the
titles, the unit name, the years in the perbandingan and Renstra headers
and the signature block (tempat, tanggal, jabatan, nama, NIP) are formulas
over it (``common.unit_title``, ``report_year``, ``write_signature``). Every
formula is saved with its value (``formulas``), so a blank template
validates clean. Headers that locate a table stay literal text, except
where the year is part of the column's meaning (perbandingan, Renstra).
``scripts/render_templates.py`` renders them all to PDF and PNG.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

EXAMPLE_NAME = "contoh-lumajang-tw3-2021.xlsx"
# The seed's survey recap beside synthetic raw responses: shows the recap
# computed from the answers. Kept out of the main example, which holds only
# what the seed report prints.
SURVEY_EXAMPLE_NAME = "contoh-survei-responden.xlsx"
EXAMPLES = (EXAMPLE_NAME, SURVEY_EXAMPLE_NAME)


@dataclass(frozen=True)
class Template:
    name: str
    filename: str
    title: str  # msgid (N_)
    build: Callable


TEMPLATES: dict[str, Template] = {}
EXAMPLE_SHEETS: list[tuple[str, int, Callable]] = []  # (example workbook, order, build)


def template(name: str, title: str) -> Callable[[Callable], Callable]:
    """Register ``build`` as the template ``name``; ``title`` is marked ``N_``."""

    def wrap(build: Callable) -> Callable:
        TEMPLATES[name] = Template(name, f"{name}.xlsx", title, build)
        return build

    return wrap


def example_sheet(order: int, workbook: str = EXAMPLE_NAME) -> Callable[[Callable], Callable]:
    def wrap(build: Callable) -> Callable:
        EXAMPLE_SHEETS.append((workbook, order, build))
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


def save_workbook(wb, path: Path, today: datetime.date | None = None) -> Path:
    """Save ``wb`` reproducibly: the same workbook gives the same bytes.

    The formulas the builders wrote (``formulas.put``) are saved with their
    values, computed from the workbook as it is now (``today`` for
    ``YEAR(TODAY())``, the current date by default), so that readers which do
    not calculate see what Excel shows; see ``formulas``.

    openpyxl's ``Workbook.save`` stamps docProps/core.xml ``modified`` with the
    current time and every zip entry with the current date, so each rebuild
    would churn in git. We fix both (``common.FIXED_TIMESTAMP``) by driving
    openpyxl's ``ExcelWriter`` ourselves into memory and re-zipping with fixed
    entry dates, then write the file atomically.
    """
    import io
    import os
    import tempfile
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    from kinerja_xl.templates.common import CREATOR, FIXED_TIMESTAMP
    from kinerja_xl.templates.formulas import cached_values, insert_values

    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    values = cached_values(wb, today or datetime.date.today())
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    # ExcelWriter numbered the sheets while saving: their parts are known only now
    by_part = {ws.path.lstrip("/"): values[ws.title] for ws in wb.worksheets if ws.title in values}
    out = io.BytesIO()
    stamp = FIXED_TIMESTAMP.timetuple()[:6]
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename in by_part:
                data = insert_values(data, by_part[info.filename])
            dst.writestr(entry, data)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".kx-", suffix=".xlsx", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(out.getvalue())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a saved workbook is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def template_workbook(name: str, info: dict | None = None):
    """The openpyxl workbook of template ``name`` (not saved).

    ``info`` fills the Info sheet (labels of ``common.INFO_LABELS``, e.g.
    ``{"Unit Kerja": "Kecamatan Lumajang", "Tahun": 2021, "Triwulan": "III"}``):
    the titles, the years in the column headers and the signature follow it.
    """
    from kinerja_xl.templates.common import INFO_LABELS, INFO_SHEET, info_cell

    load()
    wb = _new_workbook()
    TEMPLATES[name].build(wb)
    for label, value in (info or {}).items():
        if label not in INFO_LABELS:
            raise ValueError(f"unknown Info label {label!r}; known: {', '.join(INFO_LABELS)}")
        wb[INFO_SHEET][info_cell(label).split("!")[1].replace("$", "")] = value
    if len(wb.worksheets) > 1:
        # open on the form itself; its placeholders ("UNIT KERJA …") and notes point to the Info tab beside it
        wb.active = 1
        for i, ws in enumerate(wb.worksheets):
            ws.sheet_view.tabSelected = i == 1  # one selected tab: several would be grouped and edited together
    return wb


def example_workbook(name: str = EXAMPLE_NAME):
    """The openpyxl workbook of a bundled example (not saved)."""
    load()
    wb = _new_workbook()
    for _, _, build in sorted((s for s in EXAMPLE_SHEETS if s[0] == name), key=lambda s: s[1]):
        build(wb)
    return wb


def build_template(name: str, path: Path, today: datetime.date | None = None, info: dict | None = None) -> Path:
    """Write template ``name``, its Info sheet filled from ``info``; ``today`` (default: now) gives the year
    shown until Info's Tahun is filled."""
    return save_workbook(template_workbook(name, info), path, today)


def build_example(path: Path, name: str = EXAMPLE_NAME, today: datetime.date | None = None) -> Path:
    return save_workbook(example_workbook(name), path, today)


def build_all(folder: Path) -> list[Path]:
    """The committed set: built as of ``FIXED_TIMESTAMP`` so that a rebuild gives the same bytes."""
    from kinerja_xl.templates.common import FIXED_TIMESTAMP

    load()
    folder.mkdir(parents=True, exist_ok=True)
    today = FIXED_TIMESTAMP.date()
    out = [build_template(name, folder / t.filename, today) for name, t in sorted(TEMPLATES.items())]
    out.extend(build_example(folder / name, name, today) for name in EXAMPLES)
    return out
