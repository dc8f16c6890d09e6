"""The survey rules KX605–KX609, KX611–KX613 and KX890 judge through pandera: for each rule, the fail case
of its case file (tests/rule_cases) fails the rule's check in ``schema.validate(frame, lazy=True)`` at the
Excel rows of the findings, and its pass case passes that check and raises nothing.

The rows are read from pandera's own ``failure_cases`` (the full schema, not the capped one the rules run),
so the test holds the check itself to the finding, not the rule's reading of it.
"""

from __future__ import annotations


import pytest
from pandera.errors import SchemaErrors

from kinerja_xl.config import Config
from kinerja_xl.runner import validate_file
from kinerja_validators.skm import parse_recap, schema, summarize_responses
from kinerja_validators.skm.rules import ikm_indicator_rows
from test_rule_cases import ALL, _resolved, write_book


def pandera_rows(checked, frame, prefix: str, exact: bool = False) -> set[int]:
    """Excel rows of every failure case of the checks whose error starts with ``prefix`` (is it: ``exact``)."""
    try:
        checked.validate(frame, lazy=True)
    except SchemaErrors as exc:
        fc = exc.failure_cases
        name = fc["check"].astype(str)
        fc = fc[name == prefix] if exact else fc[name.str.startswith(prefix)]
        return {int(i) for i in fc["index"].dropna()}
    return set()


def _tables(report, kind):
    return [t for t in report.tables if t.kind == kind]


def recap_rows(report, prefix):
    (table,) = _tables(report, "skm")
    return pandera_rows(schema.recap(), schema.recap_frame(parse_recap(table)), prefix)


def raw_rows(report, prefix):
    (recap,), (raw,) = _tables(report, "skm"), _tables(report, "skm_responden")
    return pandera_rows(schema.raw_vs_recap(), schema.raw_vs_recap_frame(parse_recap(recap), summarize_responses(raw)),
                        prefix)


def iku_rows(report, prefix):
    (recap,), (iku,) = _tables(report, "skm"), _tables(report, "iku")
    return pandera_rows(schema.iku_vs_survey(), schema.iku_vs_survey_frame(ikm_indicator_rows(iku), parse_recap(recap).ikm_printed),
                        prefix)


# code, how its pandera rows are read, whether the rule names one cause once (a subset of the failing rows)
RULES = [
    ("KX605", recap_rows, False),
    ("KX606", recap_rows, False),
    ("KX607", recap_rows, False),
    ("KX608", recap_rows, False),
    ("KX609", recap_rows, True),   # the 0,11 weight said once, at the first weighted value
    ("KX611", raw_rows, False),
    ("KX612", recap_rows, False),
    ("KX613", recap_rows, False),
    ("KX890", iku_rows, False),
]


def _case(code: str, kind: str) -> dict:
    return next(c for c in _resolved(ALL[code]["cases"]) if c["kind"] == kind)


def _row(cell: str) -> int:
    return int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


@pytest.mark.parametrize("code, rows_of, once", RULES, ids=[r[0] for r in RULES])
def test_pandera_failure_case_becomes_the_finding_at_its_cell(code, rows_of, once, tmp_path):
    case = _case(code, "fail")
    report = validate_file(write_book(tmp_path / "salah.xlsx", case["sheets"]), Config(select=(code,)))
    expected = sorted(e["cell"] for e in case["expect"] if e["code"] == code)
    found = sorted(f.location for f in report.findings if f.code == code)
    assert found == expected
    failed = rows_of(report, code)
    finding_rows = {_row(f.cell) for f in report.findings if f.code == code}
    assert failed, f"{code}: pandera finds nothing wrong"
    if once:
        assert finding_rows == {min(failed)}
    else:
        assert finding_rows == failed


@pytest.mark.parametrize("code, rows_of, once", RULES, ids=[r[0] for r in RULES])
def test_the_corrected_table_passes_the_check(code, rows_of, once, tmp_path):
    case = _case(code, "pass")
    report = validate_file(write_book(tmp_path / "benar.xlsx", case["sheets"]), Config(select=(code,)))
    assert rows_of(report, code) == set()
    assert not [f for f in report.findings if f.code == code]


def test_every_survey_identity_is_a_check_of_the_printed_schema():
    from kinerja_validators._pandera import check_names

    names = set(check_names(schema.recap()))
    assert {"KX601", "KX602", "KX603", "KX604", "KX605:known", "KX605:once", "KX605:nine", "KX606", "KX607", "KX608",
            "KX609", "KX612:respondents", "KX612:population", "KX613:respondents", "KX613:ikm"} <= names
    assert set(check_names(schema.raw_vs_recap())) == {
        "KX611:respondents", "KX611:total", "KX611:rtmk", "KX611:nrr", "KX611:ikm"}
    assert check_names(schema.iku_vs_survey()) == ["KX890"]
    text = schema.recap().to_yaml()
    for check in ("kx_unsur_known", "kx_sample_size", "kx_rtmk", "kx_weighted", "kx_stated", "kx_same", "kx_agrees"):
        assert check in text
    import pandera.pandas as pa

    assert [c.error for c in pa.DataFrameSchema.from_yaml(text).checks] == [c.error for c in schema.recap().checks]


def test_a_repeated_and_an_unknown_unsur_fail_their_own_checks(tmp_path):
    """One frame, several parts: an unknown name fails kx_unsur_known, a second 'Sarana' kx_unsur_once."""
    case = _case("KX605", "fail")
    rows = [list(r or []) for r in case["sheets"][0]["rows"]]
    assert rows[14][1] == "Kompetensi Pelaksana"
    rows[14][1] = "Keramahan Loket"  # none of the nine
    sheets = [{**case["sheets"][0], "rows": rows}]
    report = validate_file(write_book(tmp_path / "u.xlsx", sheets), Config(select=("KX605",)))
    (table,) = _tables(report, "skm")
    frame = schema.recap_frame(parse_recap(table))
    known, once = pandera_rows(schema.recap(), frame, "KX605:known"), pandera_rows(schema.recap(), frame, "KX605:once")
    assert (known, once) == ({15}, {17})
    assert known | once == {_row(f.cell) for f in report.findings if f.code == "KX605"} - {table.header_rows[0]}
    severity = {_row(f.cell): f.severity for f in report.findings if f.code == "KX605"}
    assert all(severity[r] == "warning" for r in known) and all(severity[r] == "error" for r in once)


@pytest.mark.parametrize("code, rows_of, once", RULES, ids=[r[0] for r in RULES])
def test_the_rules_schema_fails_the_same_rows_as_the_users(code, rows_of, once, tmp_path):
    """The rules run the schema with one failure case per check (the rows read from its verdicts, by
    position): the rows it fails are the rows of the users' schema's failure cases, check by check."""
    from kinerja_validators._pandera import failing_rows

    case = _case(code, "fail")
    report = validate_file(write_book(tmp_path / "salah.xlsx", case["sheets"]), Config(select=(code,)))
    (recap,) = _tables(report, "skm")
    parsed = parse_recap(recap)
    if code == "KX611":
        (raw,) = _tables(report, "skm_responden")
        pair = (schema.raw_vs_recap, schema.raw_vs_recap_frame(parsed, summarize_responses(raw)))
    elif code == "KX890":
        (iku,) = _tables(report, "iku")
        pair = (schema.iku_vs_survey, schema.iku_vs_survey_frame(ikm_indicator_rows(iku), parsed.ikm_printed))
    else:
        pair = (schema.recap, schema.recap_frame(parsed))
    build, frame = pair
    fast = failing_rows(build(rule_cases=True), frame)
    assert any(fast.values())
    for error, rows in fast.items():
        assert set(rows) == pandera_rows(build(), frame, error, exact=True), error


def test_a_missing_value_of_any_float_type_is_never_judged():
    """A NaN read from an object column is a numpy float, not a Python one: it stays unknown (unjudged), as
    None and pandas' NA do, while a number, zero included, is judged."""
    import numpy as np
    import pandas as pd

    from kinerja_validators.skm.schema import _known

    for missing in (None, float("nan"), np.float64("nan"), pd.NA):
        assert not _known(missing), missing
    for value in (0, 0.0, np.float64(3.5), 4, "4"):
        assert _known(value), value
