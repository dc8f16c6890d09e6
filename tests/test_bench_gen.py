"""bench/_gen.py writes what it says, and the validator finds what it planted.

The generator feeds every benchmark; its ground truth (``GenResult.errors``)
must be right, so it is checked here against the cells read back, and
``validate_file`` is run over a generated workbook of a layout no test
fixture has (kode column, column-number row, sisa formulas, text numbers).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from kinerja_xl.numbers import parse_number
from kinerja_xl.runner import validate_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import _gen  # noqa: E402


def _cells(path: Path, sheet: str) -> dict[str, object]:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return {f"{chr(65 + c)}{r + 1}": v for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""}


def _sen(value) -> int:
    return int(parse_number(value).value * 100)


@pytest.mark.parametrize("formulas", [True, False])
def test_sums_hold_except_where_planted(tmp_path, formulas):
    gen = _gen.realisasi_workbook(tmp_path / "r.xlsx", 400, seed=11, formulas=formulas, text_rate=0.05)
    assert gen.errors and gen.rows == 400
    cells = _cells(gen.path, gen.sheet)
    first, last = gen.first_data_row, gen.first_data_row + gen.rows - 1
    assert cells[f"C{first}"] == "TOTAL" and cells[f"D{gen.header_row}"] == "PLAFON ANGGARAN"
    assert any(isinstance(v, str) and re.fullmatch(r"(Rp\. )?\d{1,3}(\.\d{3})+(,\d\d|,-)?", v) for v in cells.values())
    wrong_rows = {int(e.cell[1:]) for e in gen.errors}
    for row in range(first, last + 1):
        plafon, realisasi, sisa = (_sen(cells[f"{c}{row}"]) for c in "DEF")
        if row not in wrong_rows:
            assert sisa == plafon - realisasi, row
    for e in gen.errors:
        assert _sen(cells[e.cell]) == e.printed != e.correct
        assert e.parent_cell is None or e.parent_cell[0] == e.cell[0]


def test_validator_flags_every_planted_cell(tmp_path):
    gen = _gen.realisasi_workbook(tmp_path / "r.xlsx", 400, seed=11)
    report = validate_file(gen.path)
    assert report.error is None
    errors = {}
    for f in report.findings:
        if f.severity.value == "error":
            errors.setdefault(f.cell, set()).add(f.code)
    planted = {e.cell for e in gen.errors} | {e.parent_cell for e in gen.errors if e.parent_cell}
    for e in gen.errors:
        if e.kind in ("sisa-typed", "sisa-dash"):
            assert "KX301" in errors.get(e.cell, ()), e  # sisa ≠ plafon − realisasi, on the sisa cell
        else:  # the sisa formula followed the typo: only the parent's sum is off
            assert e.cell in errors or e.parent_cell in errors, e
    assert set(errors) <= planted  # nothing flagged where nothing is wrong


def test_cached_workbook_keeps_its_ground_truth(tmp_path, monkeypatch):
    monkeypatch.setattr(_gen, "OUT", tmp_path)
    made = _gen.cached_realisasi(120, seed=2)
    again = _gen.cached_realisasi(120, seed=2)
    assert again.path == made.path and again.errors == made.errors
    assert _gen.cached_realisasi(120, seed=3).path != made.path


def test_distinct_names_change_only_the_names(tmp_path):
    plain = _gen.realisasi_workbook(tmp_path / "a.xlsx", 300, seed=5)
    distinct = _gen.realisasi_workbook(tmp_path / "b.xlsx", 300, seed=5, distinct_names=True)
    assert plain.errors == distinct.errors
    a, b = _cells(plain.path, plain.sheet), _cells(distinct.path, distinct.sheet)
    name_col = "C"
    names = [v for k, v in b.items() if k[0] == name_col and int(k[1:]) >= distinct.first_data_row]
    assert len(set(names)) == len(names) == 300
    assert {k: v for k, v in a.items() if k[0] != name_col} == {k: v for k, v in b.items() if k[0] != name_col}
    # the same findings, cell for cell: the names' starts still tell the levels
    cells = lambda p: sorted((f.code, f.cell) for f in validate_file(p).findings)
    assert cells(plain.path) == cells(distinct.path)
