"""RuleContext.finding builds its findings without the frozen dataclass's ``__init__``: what it builds is
the Finding the dataclass would have built, field for field."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kinerja_xl.config import Config
from kinerja_xl.findings import Finding, Severity
from kinerja_xl.rules import RuleContext, get_rule
from kinerja_xl.runner import validate_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"


def test_finding_holds_no_hook_the_fast_construction_would_skip():
    assert not hasattr(Finding, "__post_init__")
    assert not hasattr(Finding, "__slots__")


def test_a_finding_equals_the_dataclass_built_one_and_stays_frozen():
    table = next(t for t in validate_file(EXAMPLE).tables if t.kind == "realisasi")
    row = int(table.frame.index[1])
    ctx = RuleContext(get_rule("KX301"), Config(), {"realisasi": [table]}, str(EXAMPLE))
    f = ctx.finding(table, "plafon", row, expected=5, actual=6, difference=-1, related=("'S'!A1",), kolom="plafon")
    want = Finding(code="KX301", name=get_rule("KX301").name, severity=get_rule("KX301").severity,
                   message_id=get_rule("KX301").message, params={"kolom": "plafon"}, file=str(EXAMPLE),
                   sheet=table.sheet, cell=table.cell("plafon", row), row_key=table.row_key(row),
                   expected=5, actual=6, difference=-1, related=("'S'!A1",))
    assert f == want and hash(f) == hash(want)
    assert {k: getattr(f, k) for k in f.__dict__} == dataclasses.asdict(want)
    assert set(f.__dict__) == {fl.name for fl in dataclasses.fields(Finding)}
    assert f.message() == want.message()
    try:
        f.code = "KX999"
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a finding must stay frozen")
    # a severity named by the rule's caller, and a finding about no table
    g = ctx.finding(severity="warning", message="x {a}", a=1)
    assert g == Finding(code="KX301", name=get_rule("KX301").name, severity=Severity.WARNING, message_id="x {a}",
                        params={"a": 1}, file=str(EXAMPLE))
    assert g.cell is None and g.sheet is None and g.related == ()
