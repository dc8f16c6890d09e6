"""The corpus of real published tables (tests/corpus/*.yaml), scored by one generic test.

Each case is a table typed from a real government document exactly as printed,
with its source address, the findings a correct validator must raise (each with
its hand computation) and the identities verified by hand to hold. A case marked
``supported: true`` must pass today: read as its kind, every expected finding at
its cell, no error on a cell where the identity holds. The others are strict
xfail with the reason the tool cannot read them yet, so a fix that makes one
pass fails here until the case is marked supported.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest


def _load_scorer():
    # by file and under our own name: tests/corpus is data plus two scripts, not a package
    name = "kinerja_corpus_score"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / "corpus" / "score.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_score = _load_scorer()
build, case_paths, column_index, load_case = _score.build, _score.case_paths, _score.column_index, _score.load_case
KIND_MAP, FAMILIES, score_case = _score.KIND_MAP, _score.FAMILIES, _score.score_case

CASES = [load_case(p) for p in case_paths()]
REQUIRED = ("id", "title", "unit", "unit_type", "document", "source", "retrieved", "kind", "supported",
            "notes", "header", "rows", "expected", "holds")
UNIT_TYPES = {"desa", "kecamatan", "kelurahan", "dinas", "badan", "sekretariat", "kabupaten", "kota", "provinsi",
              "instansi-pusat", "puskesmas", "rsud", "inspektorat", "uptd", "satuan-kerja"}


def test_corpus_size_and_spread():
    assert len(CASES) >= 30, f"{len(CASES)} cases, the corpus needs at least 30"
    units = {c["unit"] for c in CASES}
    assert len(units) >= 15, f"{len(units)} units, the corpus needs at least 15"
    assert len({c["id"] for c in CASES}) == len(CASES), "case ids must be unique"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_schema(case):
    missing = [k for k in REQUIRED if k not in case]
    assert not missing, f"missing fields {missing}"
    assert re.match(r"^(https?://\S+|github:[\w.-]+/[\w.-]+:\S+)$", case["source"]), "source must be an address"
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", str(case["retrieved"]))
    assert case["kind"] in KIND_MAP, f"unknown kind {case['kind']}"
    assert case["unit_type"] in UNIT_TYPES
    assert case["supported"] or case.get("unsupported_reason"), "an unsupported case says what is not read yet"
    width = len(case["header"][0])
    assert all(len(h) == width for h in case["header"]), "header rows must be rectangular"
    assert all(len(r) == width for r in case["rows"]), "data rows must be as wide as the header"
    assert all(isinstance(v, str) for r in case["rows"] for v in r), "cells are the printed text"
    for e in case["expected"]:
        for key in ("identity", "family", "row", "column", "expected", "printed", "computation"):
            assert e.get(key) not in (None, ""), f"expected finding without {key}: {e}"
        assert e["family"] in FAMILIES
        assert 1 <= e["row"] <= len(case["rows"])
        col = column_index(case, e["column"])
        assert case["rows"][e["row"] - 1][col - 1] == e["printed"], "printed value must be the cell's text"
    for h in case["holds"]:
        assert h.get("identity") and h.get("column") and h.get("rows")
        column_index(case, h["column"])
        if h["rows"] != "all":
            assert all(1 <= i <= len(case["rows"]) for i in h["rows"])


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_builds(case, tmp_path):
    from openpyxl import load_workbook

    path, where = build(case, tmp_path)
    ws = load_workbook(path)[where.sheet]
    assert ws.cell(where.header_row, where.first_col).value == (case["header"][0][0] or None)
    last = case["rows"][-1]
    first_filled = next(i for i, v in enumerate(last) if v != "")
    got = ws.cell(where.row_of(len(case["rows"])), where.first_col + first_filled).value
    assert got is not None


def _scored(case):
    marks = [] if case["supported"] else [pytest.mark.xfail(strict=True, reason=case["unsupported_reason"])]
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_scored(c) for c in CASES])
def test_case_findings(case, tmp_path):
    score = score_case(case, tmp_path)
    assert score.kind_ok, f"read as {score.kinds_found or 'nothing'}, expected {case['kind']}"
    assert not score.missed, f"expected findings not raised: {score.missed}"
    assert not score.false_alarms, f"errors on cells that are right: {score.false_alarms}"
    assert not score.silent
