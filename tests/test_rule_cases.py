"""Every rule's case file (tests/rule_cases/KXnnn.yaml), run by one generic test, as sqlfluff runs its rule fixtures.

A case file holds the rule's ``code`` and a list of ``cases``. Each case is a
small workbook as a clerk would type it (``sheets``: name, ``rows`` of cell
values from A1, optional ``merges``), or several workbooks (``workbooks``:
file name and sheets, for the cross-report rules run by ``kinerja-xl audit``),
or a copy of another case with a few cells changed (``from`` and ``set``).
A ``fail`` case must raise the rule's code at each ``expect`` location; a
``pass`` case must raise no finding of that code. An engine code that needs a
broken file rather than a table names the test that covers it
(``covered_by: tests/test_x.py::test_name``).

Cell values: numbers are numbers, strings are text ('6.255.403.861' typed as
text), a mapping gives a ``formula`` or a ``value`` with a number ``format``.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path
from typing import Any

import pytest

from kinerja_xl import ruledoc
from kinerja_xl.config import Config

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "rule_cases"
DOC_PATHS = (ROOT / "kinerja_xl" / "data" / "rule_docs", ROOT / "validators" / "rule_docs")


def registered_rules() -> list:
    import kinerja_xl.audit.cross  # noqa: F401  the cross-report codes register with the audit
    from kinerja_xl.rules import all_rules

    return all_rules()


def load_cases() -> dict[str, dict[str, Any]]:
    return {p.stem: ruledoc.yaml_load(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("KX*.yaml"))}


ALL = load_cases()


def _resolved(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cases with ``from``/``set`` expanded into full workbooks."""
    by_name = {c["name"]: c for c in cases}
    out = []
    for case in cases:
        if "from" in case:
            base = copy.deepcopy(by_name[case["from"]])
            for key in ("sheets", "workbooks", "config"):
                if key in base and key not in case:
                    case = {**case, key: base[key]}
            case = {**case, **_patched(case, case.get("set") or {})}
        out.append(case)
    return out


def _patched(case: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``set: {"[file.xlsx:]'Sheet'!E7": value}`` to a copy of the case's sheets."""
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    case = copy.deepcopy(case)
    for target, value in changes.items():
        file, ref = (target.split(":", 1)) if ".xlsx:" in target else ("", target)
        sheet, _, cell = ref.rpartition("!")
        sheet = sheet.strip("'").replace("''", "'")
        col, row = coordinate_from_string(cell)
        books = case["workbooks"] if "workbooks" in case else [{"file": "", "sheets": case["sheets"]}]
        book = next(b for b in books if b["file"] == file)
        rows = next(s for s in book["sheets"] if s["name"] == sheet)["rows"]
        while len(rows) < row:
            rows.append([])
        cells = rows[row - 1] = list(rows[row - 1] or [])
        c = column_index_from_string(col)
        cells.extend([None] * (c - len(cells)))
        cells[c - 1] = value
    return {k: case[k] for k in ("sheets", "workbooks") if k in case}


def write_book(path: Path, sheets: list[dict[str, Any]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec["name"])
        for r, row in enumerate(spec.get("rows") or [], start=1):
            for c, v in enumerate(row or [], start=1):
                if v is None or v == "":
                    continue
                if isinstance(v, dict):
                    cell = ws.cell(r, c, v["formula"] if "formula" in v else v["value"])
                    if "format" in v:
                        cell.number_format = v["format"]
                else:
                    cell = ws.cell(r, c, v)
                    if isinstance(v, int) and abs(v) >= 1000:
                        cell.number_format = "#,##0"
        for rng in spec.get("merges") or []:
            ws.merge_cells(rng)
    wb.save(path)
    return path


def found(case: dict[str, Any], tmp_path: Path) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
    """Every finding the case's workbook(s) raise as (code, where), and the tables read as (where, kind).

    ``where`` is ``'Sheet'!A1``, or ``file.xlsx:'Sheet'!A1`` for a case of several workbooks.
    """
    config = Config(**{k: tuple(v) if isinstance(v, list) else v for k, v in (case.get("config") or {}).items()})
    if "workbooks" in case:
        from kinerja_xl.audit.core import consolidate
        from kinerja_xl.audit.extract import audit_file

        paths = [write_book(tmp_path / b["file"], b["sheets"]) for b in case["workbooks"]]
        results = [audit_file(str(p), config) for p in paths]
        tables = {(Path(r["path"]).name, "realisasi") for r in results if r["rows"]}
        doc = consolidate(results, config)
        out = []
        for f in doc["files"]:
            for x in f["findings"]:
                loc = f"'{x['sheet']}'!{x['cell']}" if x.get("sheet") and x.get("cell") else (f"'{x['sheet']}'" if x.get("sheet") else "")
                out.append((x["code"], f"{f['name']}:{loc}" if loc else f["name"]))
        return out, tables
    from kinerja_xl.runner import validate_file

    report = validate_file(write_book(tmp_path / "kasus.xlsx", case["sheets"]), config)
    return [(f.code, f.location) for f in report.findings], {(t.sheet, t.kind) for t in report.tables}


def _params():
    for code, data in ALL.items():
        for case in _resolved(data.get("cases") or []):
            yield pytest.param(code, case, id=f"{code}-{case['kind']}-{case['name']}")


@pytest.mark.parametrize("code, case", list(_params()))
def test_rule_case(code, case, tmp_path):
    got, tables = found(case, tmp_path)
    mine = sorted(where for c, where in got if c == code)
    if case["kind"] == "fail":
        expected = sorted(e.get("file", "") + (":" if e.get("file") and e.get("cell") else "") + e.get("cell", "")
                          for e in case["expect"] if e["code"] == code)
        assert expected, f"{code} {case['name']}: a fail case names where the finding must be"
        assert mine == expected, f"{code} {case['name']}: every finding {got}"
        for e in case["expect"]:  # other codes a case expects (a cross-table case may name several)
            if e["code"] != code:
                assert (e["code"], e.get("cell", "")) in got
    else:
        assert case["kind"] == "pass"
        assert mine == [], f"{code} {case['name']}: every finding {got}"
        if "from" in case:  # silence must come from the correction, not from a table no longer recognised
            failing = next(c for c in _resolved(ALL[code]["cases"]) if c["name"] == case["from"])
            (tmp_path / "salah").mkdir()
            missing = found(failing, tmp_path / "salah")[1] - tables
            assert not missing, f"{code} {case['name']}: tables not read in the corrected workbook: {missing}"


def _test_exists(ref: str) -> bool:
    file, _, name = ref.partition("::")
    tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body)


def test_every_rule_has_a_case_file_that_fails_and_passes():
    problems = []
    for r in registered_rules():
        data = ALL.get(r.code)
        if data is None:
            problems.append(f"{r.code}: no tests/rule_cases/{r.code}.yaml")
            continue
        if data.get("code") != r.code:
            problems.append(f"{r.code}: its case file says code {data.get('code')}")
        if data.get("covered_by"):
            for ref in [data["covered_by"]] if isinstance(data["covered_by"], str) else data["covered_by"]:
                if not _test_exists(ref):
                    problems.append(f"{r.code}: covered_by {ref} names no test")
            continue
        kinds = {c["kind"] for c in data.get("cases") or []}
        if kinds != {"fail", "pass"}:
            problems.append(f"{r.code}: needs a fail case and a pass case, has {sorted(kinds)}")
    assert problems == []


def test_no_case_file_for_an_unknown_code():
    codes = {r.code for r in registered_rules()}
    assert sorted(set(ALL) - codes) == []


def test_every_rule_is_documented_in_both_languages():
    assert ruledoc.missing_docs(registered_rules(), DOC_PATHS) == []
