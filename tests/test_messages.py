"""A finding's message and the finding itself, written the fast way (one ``Messages`` per render,
templates compiled once, ``Finding``'s own ``__init__``) but exactly as before."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import string
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja_xl.findings import (
    Finding,
    Fixed,
    Messages,
    Percent,
    Severity,
    messages_for,
)
from kinerja_xl.i18n import N_, NP_, Message, translate, translations
from kinerja_xl.numfmt import format_value

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"
_VALUE_FIELDS = ("expected", "actual", "difference")


def _reference_message(f: Finding, lang: str) -> str:
    """The message as ``Finding.message`` wrote it before templates were compiled: every keyword field
    the template names filled by ``format_value`` (a parameter first, else expected/actual/difference),
    the template as it stands when a field is missing or it has a positional field."""
    template = translate(f.message_id, lang)
    names: dict[str, None] = {}
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(template) if name is not None]
        for field_name, spec in fields:
            if spec and "{" in spec:
                fields += [(name, "") for _, name, _, _ in string.Formatter().parse(spec) if name is not None]
            name = field_name.split(".", 1)[0].split("[", 1)[0]
            if not name or name.isdigit():
                return template
            names[name] = None
    except ValueError:
        return template
    values = {}
    for name in names:
        if name in f.params:
            values[name] = format_value(f.params[name], lang)
        elif name in _VALUE_FIELDS:
            values[name] = format_value(getattr(f, name), lang)
        else:
            return template
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def _finding(message_id, params=None, **fields) -> Finding:
    return Finding("KX999", "test", Severity.ERROR, message_id, params or {}, **fields)


_ODD = [
    _finding(N_("Sisa {actual} ≠ plafon {minuend} = {expected} (selisih {difference})"), {"minuend": Decimal("1234567.50")},
             expected=Decimal(600000), actual=Decimal("-90000.00"), difference=Decimal(0)),
    _finding("{expected} dan {expected} lagi, {kolom}", {"kolom": N_("Plafon")}, expected=7),  # a name twice
    _finding("{actual} oleh parameter", {"actual": "ditimpa"}, actual=Decimal(5)),  # a parameter overrides the field
    _finding("{hilang} tidak diisi", {}, expected=1),  # a field nothing fills: the template itself
    _finding("posisional {0} dan {}", {}),
    _finding("rata {x:>12}|{y!r}|{w[0]}", {"x": Decimal("1234.5"), "y": "kutip", "w": "ab"}),
    _finding("lebar {x:{lebar}} akhir", {"x": 7, "lebar": 5}),
    _finding("kurung {{harfiah}} {n} }}{{", {"n": 1000000}),
    _finding("kurung tunggal } {n}", {"n": 1}),  # malformed: str.format refuses it
    _finding("{p} {f} {v} {m} {t} {none} {flag} {big}",
             {"p": Percent(101.025), "f": Fixed(83, 2), "v": 2.675, "m": Message(N_("naik {n}"), n=Decimal("1E+3")),
              "t": NP_("jamak", "Berkas"), "none": None, "flag": True, "big": 10**20}),
    _finding("{a} {b}", {"a": Decimal("-0.004"), "b": Decimal("163800010.35")}),
    _finding(NP_("jamak", "Berkas")),
    _finding(N_("Berkas")),
    _finding("", {}),
]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_messages_are_written_as_before(lang):
    messages = Messages(lang)
    for f in _ODD:
        expected = _reference_message(f, lang)
        assert messages(f) == expected, f.message_id
        assert f.message(lang) == expected


def test_one_text_in_two_contexts_keeps_two_translations():
    messages = Messages("en")
    assert messages(_finding(NP_("jamak", "Berkas"))) == "Files"
    assert messages(_finding(N_("Berkas"))) == "File"
    assert messages(_finding(NP_("jamak", "Berkas"))) == "Files"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_example_s_messages_are_written_as_before(lang):
    from kinerja_xl.cli.common import settings
    from kinerja_xl.runner import validate_file

    findings = validate_file(EXAMPLE, settings(None, EXAMPLE)).findings
    assert len({f.message_id for f in findings}) > 5
    messages = Messages(lang)
    assert [messages(f) for f in findings] == [_reference_message(f, lang) for f in findings]


def test_the_shared_messages_follow_the_catalogues():
    kept = messages_for("en")
    assert messages_for("en") is kept
    translations.cache_clear()  # as register_domain does when a plugin's catalogue arrives
    assert messages_for("en") is not kept
    assert messages_for("en").catalogue is translations("en")


# --------------------------------------------------------------------------- the finding itself


def test_the_finding_s_init_takes_the_dataclass_fields_in_order():
    parameters = list(inspect.signature(Finding).parameters)
    assert parameters == [f.name for f in dataclasses.fields(Finding)]
    for f in dataclasses.fields(Finding):
        default = inspect.signature(Finding).parameters[f.name].default
        if f.default is not dataclasses.MISSING:
            assert default == f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            assert default is None and f.name == "params"  # None stands for a fresh {}
        else:
            assert default is inspect.Parameter.empty, f.name


def test_the_finding_is_still_a_frozen_value():
    a = Finding("KX301", "sisa", Severity.ERROR, "m", {"x": 1}, "f.xlsx", "S", "E5", "1.2", 3, 4, 1, ("E6",))
    b = Finding(code="KX301", name="sisa", severity=Severity.ERROR, message_id="m", params={"x": 2}, file="f.xlsx",
                sheet="S", cell="E5", row_key="1.2", expected=3, actual=4, difference=1, related=("E6",))
    assert a == b and hash(a) == hash(b)  # params take no part, as declared
    assert a.params == {"x": 1} and b.related == ("E6",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.cell = "E6"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del a.cell
    c = dataclasses.replace(a, file="g.xlsx")
    assert (c.file, c.cell, c.params) == ("g.xlsx", "E5", {"x": 1}) and a.file == "f.xlsx"
    assert a.with_file("h.xlsx").file == "h.xlsx"
    assert pickle.loads(pickle.dumps(a)) == a
    assert dataclasses.asdict(a)["related"] == ("E6",)
    assert repr(a).startswith("Finding(code='KX301', name='sisa', severity=")
    d, e = Finding("KX1", "n", Severity.INFO, "m"), Finding("KX1", "n", Severity.INFO, "m")
    assert d.params == {} and d.params is not e.params  # a fresh dict each, as default_factory gave
    assert (d.file, d.expected, d.related) == (None, None, ())
