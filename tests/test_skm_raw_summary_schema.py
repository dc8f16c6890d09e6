"""KX614 judges through pandera: the summary rows under a per-respondent export (Σ, NRR, NRR tertimbang, IKM)
and a stated number of respondents are checks of ``schema.raw_summary()``, run with
``schema.validate(frame, lazy=True)``. The cells of pandera's own failure cases (the full users' schema, not the
capped one the rule runs) are the cells of the findings; the rule only decides blame (the weight named once).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from kinerja_validators.skm import schema, summarize_responses
from kinerja_validators.skm.recap import read_info
from openpyxl import load_workbook
from pandera.errors import SchemaErrors
from test_rule_cases import ALL, _resolved, write_book
from test_skm import _export, _processing_sheet

from kinerja_xl.config import Config
from kinerja_xl.runner import validate_file


def _case(kind: str) -> dict:
    return next(c for c in _resolved(ALL["KX614"]["cases"]) if c["kind"] == kind)


def _parts(report):
    (table,) = [t for t in report.tables if t.kind == "skm_responden"]
    raw = summarize_responses(table)
    keys = tuple(q.key for q in raw.questions.values())
    return table, raw, keys, schema.raw_summary_frame(table, raw)


def _cell(table, raw, check: str, row: int) -> str:
    """The cell a failing check stands for: a question's column in a summary row, the IKM, the stated count."""
    if check == "KX614:respondents":
        return read_info(table).respondents[0].cell
    if check == "KX614:ikm":
        return table.cell(schema.raw_summary_rows(table, raw).ikm_key, row)
    return table.cell(check.rsplit(":", 1)[1], row)


def pandera_cells(report) -> dict[str, set[str]]:
    """{check: cells} of the failure cases of the users' schema (pandera's own ``failure_cases``)."""
    table, raw, keys, frame = _parts(report)
    try:
        schema.raw_summary(keys).validate(frame, lazy=True)
    except SchemaErrors as exc:
        out: dict[str, set[str]] = {}
        for check, row in zip(exc.failure_cases["check"].astype(str), exc.failure_cases["index"]):
            out.setdefault(check, set()).add(_cell(table, raw, check, int(row)))
        return out
    return {}


def kx614_cells(report) -> set[str]:
    return {f.cell for f in report.findings if f.code == "KX614"}


def everything(cells: dict[str, set[str]]) -> set[str]:
    return set().union(*cells.values()) if cells else set()


def test_the_case_files_failing_table_fails_pandera_at_the_findings_cell(tmp_path):
    case = _case("fail")
    report = validate_file(write_book(tmp_path / "salah.xlsx", case["sheets"]), Config(select=("KX614",)))
    expected = sorted(e["cell"] for e in case["expect"] if e["code"] == "KX614")
    assert sorted(f.location for f in report.findings if f.code == "KX614") == expected
    failed = pandera_cells(report)
    assert failed == {"KX614:sum:q_2": {"D11"}}
    assert everything(failed) == kx614_cells(report)


def test_the_case_files_passing_table_passes_every_check(tmp_path):
    report = validate_file(write_book(tmp_path / "benar.xlsx", _case("pass")["sheets"]), Config(select=("KX614",)))
    _, _, keys, frame = _parts(report)
    assert frame["q_2_sum"].notna().any()  # the JUMLAH row is judged, not skipped
    schema.raw_summary(keys).validate(frame, lazy=True)
    assert kx614_cells(report) == set()


def _validated(path):
    return validate_file(path, Config(select=("KX614",)))


def test_a_wrong_sum_and_a_wrong_nrr_fail_their_own_checks(tmp_path):
    path, _ = _processing_sheet(tmp_path / "p.xlsx", sum_delta=2, nrr_delta=0.02)
    report = _validated(path)
    last = 1 + 60
    failed = pandera_cells(report)
    assert failed["KX614:sum:q_1"] == {f"C{last + 1}"} and failed["KX614:mean:q_1"] == {f"C{last + 2}"}
    assert everything(failed) == kx614_cells(report)


def test_a_wrong_ikm_fails_the_ikm_check(tmp_path):
    path, _ = _processing_sheet(tmp_path / "p.xlsx", weight=Fraction(111, 1000))
    report = _validated(path)
    assert pandera_cells(report) == {"KX614:ikm": {f"C{1 + 60 + 3}"}}
    assert kx614_cells(report) == {f"C{1 + 60 + 3}"}


def test_a_weighted_value_wrong_on_its_own_fails_its_column(tmp_path):
    path, answers, _ = _export(tmp_path / "e.xlsx")
    wb = load_workbook(path)
    row = 4 + len(answers) + 2
    wb["Laporan"].cell(row, 4).value = 0.45
    wb.save(path)
    report = _validated(path)
    assert pandera_cells(report) == {"KX614:weighted:q_3": {f"D{row}"}}
    assert kx614_cells(report) == {f"D{row}"}


@pytest.mark.parametrize("stated, wrong", [(12, False), (13, True)])
def test_the_stated_respondents_are_a_check(tmp_path, stated, wrong):
    path, answers, _ = _export(tmp_path / "e.xlsx", stated=stated)
    report = _validated(path)
    label = f"A{3 + len(answers) + 4 + 2}"
    assert pandera_cells(report) == ({"KX614:respondents": {label}} if wrong else {})
    assert kx614_cells(report) == ({label} if wrong else set())


def test_the_weight_0_11_fails_every_weighted_value_and_the_ikm_but_is_named_once(tmp_path):
    """pandera fails the nine NRR tertimbang and the IKM; the rule blames the IKM alone, naming the weight."""
    path, answers, _ = _export(tmp_path / "e.xlsx", weight=Fraction(11, 100), weight_places=3, ikm_from_weighted=True)
    report = _validated(path)
    failed = pandera_cells(report)
    ikm_cell = f"B{4 + len(answers) + 3}"
    assert failed.pop("KX614:ikm") == {ikm_cell}
    assert len(failed) == 9 and all(k.startswith("KX614:weighted:") for k in failed)
    assert kx614_cells(report) == {ikm_cell}


@pytest.mark.parametrize("build", ["case", "processing", "weight"])
def test_the_rules_schema_fails_the_same_rows_as_the_users(build, tmp_path):
    """The rule runs the schema with one failure case per check, and only the checks of the parts the
    frame has values for: the same rows as the users' full schema, check by check."""
    from kinerja_validators._pandera import failing_rows

    if build == "case":
        path = write_book(tmp_path / "salah.xlsx", _case("fail")["sheets"])
    elif build == "processing":
        path, _ = _processing_sheet(tmp_path / "p.xlsx", sum_delta=2, nrr_delta=0.02, weight=Fraction(111, 1000))
    else:
        path, *_ = _export(tmp_path / "e.xlsx", weight=Fraction(11, 100), weight_places=3, ikm_from_weighted=True)
    report = _validated(path)
    _, _, keys, frame = _parts(report)
    parts = schema.raw_summary_parts(frame)
    assert parts == {"case": ("sum",), "processing": ("sum", "mean", "ikm"),
                     "weight": ("sum", "mean", "weighted", "ikm")}[build]
    fast = failing_rows(schema.raw_summary(keys, rule_cases=True, parts=parts), frame)
    assert any(fast.values())
    try:
        schema.raw_summary(keys).validate(frame, lazy=True)
        full = {}
    except SchemaErrors as exc:
        full = {}
        for check, row in zip(exc.failure_cases["check"].astype(str), exc.failure_cases["index"]):
            full.setdefault(check, set()).add(int(row))
    assert {k: set(v) for k, v in fast.items() if v} == full


def test_the_schema_is_offered_to_users_and_writes_yaml():
    from kinerja_validators import schemas
    from kinerja_validators._pandera import check_names

    assert "skm_responden_ringkasan" in schemas.KINDS
    users = schemas.schema("skm_responden_ringkasan")
    assert users.name == "skm_responden_ringkasan"
    names = check_names(users)
    assert {"KX614:respondents", "KX614:ikm", "KX614:sum:q_1", "KX614:mean:q_9", "KX614:weighted:q_5"} <= set(names)
    text = schemas.yaml("skm_responden_ringkasan")
    for check in ("kx_same", "kx_agrees", "kx_weighted"):
        assert f"check_name: {check}" in text
    import pandera.pandas as pa

    assert [c.error for c in pa.DataFrameSchema.from_yaml(text).checks] == names
