"""The JSON document's text and the numbers in messages: written the fast way (orjson, one
``format`` per amount) but exactly as ``json.dumps`` and the hand grouping wrote them."""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import pytest

from kinerja_xl.findings import Percent
from kinerja_xl.i18n import N_
from kinerja_xl.numfmt import format_number, format_value
from kinerja_xl.report import jsonfmt
from kinerja_xl.report.jsonfmt import _same_in_orjson, dumps, render_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"


def _reference_number(value, lang="id", decimals=None) -> str:
    """The grouping by hand that ``format_number`` replaced, kept as the reference."""
    thousands, point = (",", ".") if lang == "en" else (".", ",")
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if decimals is None:
        decimals = 0 if d == d.to_integral_value() else max(0, -d.normalize().as_tuple().exponent)
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{abs(q):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.append(whole[-3:])
        whole = whole[:-3]
    groups.append(whole)
    out = ("-" if q < 0 else "") + thousands.join(reversed(groups))
    if decimals:
        out += point + frac.ljust(decimals, "0")[:decimals]
    return out


def _values():
    rng = random.Random(13)
    values = [0, 1, -1, 999, 1000, -1000, 10**20, Decimal("-0"), Decimal("-0.004"), Decimal("1E+3"),
              Decimal("0.005"), Decimal("1234567.5"), Decimal("6255403861"), Decimal("12.000"), Decimal("-5.00"), Decimal("-0.00"), 0.1, -2.675, 1e15, 12.0, -0.0]
    for _ in range(3000):
        values.append(rng.randint(-10**15, 10**15))
        values.append(Decimal(rng.randint(-10**15, 10**15)).scaleb(-rng.randint(0, 4)))
        values.append(round(rng.uniform(-1e9, 1e9), rng.randint(0, 4)))
    return values


@pytest.mark.parametrize("lang", ["id", "en", "jv"])
def test_numbers_read_as_the_hand_grouping_wrote_them(lang):
    for value in _values():
        for decimals in (None, 0, 2, 3):
            try:
                expected = _reference_number(value, lang, decimals)
            except InvalidOperation:  # more digits than Decimal's precision: not an amount of a report
                continue
            assert format_number(value, lang, decimals) == expected, (value, decimals)


def test_separators_sign_and_rounding():
    assert format_number(6255403861) == "6.255.403.861"
    assert format_number(6255403861, "en") == "6,255,403,861"
    assert format_number(-1234567) == "-1.234.567"
    assert format_number(Decimal("-1234567.50"), "id") == "-1.234.567,5"  # the places it has
    assert format_number(Decimal("-1234567.5"), "id", 2) == "-1.234.567,50"
    assert format_number(Decimal("101.025"), "id", 2) == "101,03"  # half up, as the reports round
    assert format_number(Decimal("-0.004"), "id", 2) == "0,00"  # no "-0,00"
    assert format_value(Decimal("1234.5"), "en") == "1,234.5"
    assert format_value(N_("jumlah"), "id") == "jumlah"
    assert format_value("Rp. 1.000,-", "en") == "Rp. 1.000,-"
    assert format_value(None, "id") == "-"


def _json_text(doc) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2)


def test_plain_data_is_written_by_orjson_with_json_s_text():
    pytest.importorskip("orjson")
    doc = {"version": 1, "title": N_("Realisasi Anggaran"), "empty": [], "nothing": {}, "none": None,
           "flag": True, "ints": [0, -5, 2**63 - 1, -(2**63), 2**64 - 1], "tuple": ("A1", "B2"),
           "floats": [0.0, -0.0, 77.08, 0.0001, 123456789.125, 9999999999999998.0],
           "text": "Sisa ≠ plafon − realisasi \"kutip\" \\ \n\t\x01\x7f\u2028 ✓ 😀"}
    assert _same_in_orjson(doc)
    assert dumps(doc) == _json_text(doc)


@pytest.mark.parametrize("odd", [1e16, 1e-05, float("nan"), float("inf"), -float("inf"), 2**64, -(2**63) - 1,
                                 {1: "a key json writes as a string"}, {"a": [{"b": 1e300}]}])
def test_what_orjson_writes_otherwise_goes_to_json(odd):
    doc = {"files": [{"x": odd}]}
    if not isinstance(odd, int):
        assert not _same_in_orjson(doc)
    assert dumps(doc) == _json_text(doc)


def test_what_json_refuses_is_still_refused():
    @dataclass
    class Point:  # orjson would write it; json raises, and so must the report
        x: int

    doc = {"p": Point(1)}
    assert not _same_in_orjson(doc)
    with pytest.raises(TypeError):
        dumps(doc)


def test_without_orjson_json_writes_the_document(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_orjson(name, *args, **kwargs):
        if name == "orjson":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_orjson)
    doc = {"a": [1, 2.5, "x"]}
    assert dumps(doc) == _json_text(doc)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_example_s_report_is_the_text_json_writes(lang, monkeypatch):
    from kinerja_xl.cli.common import settings
    from kinerja_xl.runner import validate_file

    report = validate_file(EXAMPLE, settings(None, EXAMPLE))
    assert report.findings
    out = io.StringIO()
    render_json([report], out, lang)
    doc = {"version": 1, "tool": "kinerja-xl", "files": [jsonfmt.report_dict(report, lang)]}
    assert _same_in_orjson(doc)  # the fast path is the one taken
    assert out.getvalue() == _json_text(doc) + "\n"


def test_the_summary_counts_each_severity():
    from kinerja_xl.findings import Finding, Severity
    from kinerja_xl.report.jsonfmt import report_dict
    from kinerja_xl.runner import WorkbookReport

    report = WorkbookReport(file="x.xlsx")
    report.findings = [Finding("KX999", "c", s, "m") for s in
                       (Severity.ERROR, Severity.INFO, Severity.ERROR, Severity.WARNING, Severity.ERROR)]
    assert report_dict(report)["summary"] == {"error": 3, "warning": 1, "info": 1}


def test_localise_and_format_number_share_the_language_s_separators():
    from kinerja_xl.numfmt import localise

    assert localise("1,234,567.50", "id") == "1.234.567,50"
    assert localise("1,234,567.50", "en") == "1,234,567.50"
    assert localise("1,234.5", "jv") == "1.234,5"  # another language reads as Indonesian, as format_number does
    assert format_number(Decimal("1234.5"), "jv") == "1.234,5"
    # a fraction past the length the quick way trusts (the context's 28 digits) still prints every place
    for value in (Decimal("123456789012345678901234.25"), Decimal("-0.000001"), Decimal("9999999999999999999.99000")):
        assert format_number(value, "id") == _reference_number(value, "id"), value
        assert format_number(value, "en") == _reference_number(value, "en"), value


def _odd_report():
    from kinerja_xl.findings import Finding, Percent, Severity
    from kinerja_xl.runner import WorkbookReport

    report = WorkbookReport(file="x.xlsx")
    report.findings = [
        Finding("KX301", "sisa", Severity.ERROR, N_("Sisa {actual} ≠ {expected}"), {}, "x.xlsx", "S", "E5", "1.2",
                Decimal("600000.35"), Decimal("1E+3"), Decimal("-0.00"), ("E6", "E7")),
        Finding("KX303", "serapan", Severity.WARNING, "{expected}", {}, "x.xlsx", "S", "F5", N_("Jumlah"),
                Percent(77.08), 0.1, True),
    ]
    return report


def _render(report, lang="id") -> str:
    out = io.StringIO()
    render_json([report], out, lang)
    return out.getvalue()


def _reference_text(report, lang="id") -> str:
    return _json_text({"version": 1, "tool": "kinerja-xl", "files": [jsonfmt.report_dict(report, lang)]}) + "\n"


@pytest.mark.parametrize("odd", [
    {"cell": 1e16},  # a float json writes with an exponent, in a text field
    {"row_key": float("nan")},
    {"related": ("E6", 1e-05)},
    {"expected": Percent(1e-05)},  # a number json writes as 1e-05
    {"difference": float("inf")},
    {"expected": Decimal("1E+400")},  # an int beyond 64 bits
])
def test_a_finding_orjson_would_write_otherwise_goes_to_json(odd):
    import dataclasses

    report = _odd_report()
    report.findings[1] = dataclasses.replace(report.findings[1], **odd)
    doc = {"version": 1, "tool": "kinerja-xl", "files": [jsonfmt.report_dict(report)]}
    assert not _same_in_orjson(doc) or "expected" in odd and isinstance(odd["expected"], Decimal)
    assert _render(report) == _reference_text(report)


def test_plain_findings_are_told_plain_by_their_types():
    report = _odd_report()
    doc, plain = jsonfmt._file_dict(report, jsonfmt.Messages("id"), False)
    assert plain and _same_in_orjson(doc)  # floats without an exponent, a marked text as row key
    for lang in ("id", "en"):
        assert _render(report, lang) == _reference_text(report, lang)


class _Trickle(io.RawIOBase):
    """An unbuffered stream that takes at most 1000 bytes a write (a pipe under python -u may take part)."""

    def __init__(self):
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, b):
        taken = bytes(b[:1000])
        self.data += taken
        return len(taken)


@pytest.mark.parametrize("kind", ["buffered", "raw", "line"])
def test_the_document_goes_to_a_utf8_stream_s_bytes_whole_and_in_order(kind):
    report = _odd_report()
    report.findings *= 20
    if kind == "raw":
        raw = _Trickle()
        out = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    else:
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="UTF8", line_buffering=kind == "line")
    out.write("sebelum\n")
    render_json([report], out)
    out.write("sesudah\n")
    out.flush()
    data = raw.data if kind == "raw" else raw.getvalue()
    assert data.decode("utf-8") == "sebelum\n" + _reference_text(report) + "sesudah\n"


def test_another_encoding_gets_the_text():
    report = _odd_report()
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-16")
    render_json([report], out)
    out.flush()
    assert raw.getvalue().decode("utf-16") == _reference_text(report)


def test_sarif_goes_the_same_way():
    from kinerja_xl.report.sarif import render_sarif

    report = _odd_report()
    text, raw = io.StringIO(), io.BytesIO()
    render_sarif([report], text)
    out = io.TextIOWrapper(raw, encoding="utf-8")
    render_sarif([report], out)
    out.flush()
    assert raw.getvalue().decode("utf-8") == text.getvalue()
    assert json.loads(text.getvalue())["runs"][0]["results"][0]["message"]["text"] == "Sisa 1.000 ≠ 600.000,35"


def test_a_fraction_within_a_narrower_context_rounds_as_normalize_did():
    from decimal import localcontext

    value = Decimal("12345.678901")
    with localcontext() as ctx:
        ctx.prec = 8  # normalize rounds to 8 digits: the places shown are those
        expected = _reference_number(value, "id")
        assert format_number(value, "id") == expected == "12.345,679"
