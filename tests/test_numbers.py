"""Reading Indonesian number text: every form the reports use, and the ambiguous ones."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja_xl.numbers import NumberStatus, parse_number


@pytest.mark.parametrize("raw, value, decimals", [
    ("6.255.403.861", "6255403861", 0),
    ("1.234.567,50", "1234567.50", 2),
    ("1.234", "1234", 0),                       # a dot before three digits groups thousands
    ("Rp 1.234", "1234", 0),
    ("Rp. 6.183.035.351,-", "6183035351", 0),
    ("Rp6.183.035.351,00", "6183035351.00", 2),
    ("IDR 1.000", "1000", 0),
    ("(1.234)", "-1234", 0),
    ("-1.234", "-1234", 0),
    ("6.255.403.757,60", "6255403757.60", 2),   # sen stay exact
    ("1,234,567.50", "1234567.50", 2),          # English separators, unambiguous
    ("1 234 567", "1234567", 0),
    ("\u00a01.500\u00a0", "1500", 0),
    ("0,5", "0.5", 1),
])
def test_amount_text(raw, value, decimals):
    p = parse_number(raw)
    assert p.status == NumberStatus.TEXT
    assert p.value == Decimal(value) and str(p.value) == value  # exact, trailing zeros of sen kept
    assert p.decimals == decimals
    assert not p.percent


@pytest.mark.parametrize("raw, value, decimals", [
    ("101,02%", "101.02", 2), ("86.32%", "86.32", 2), ("96,07 %", "96.07", 2), ("100%", "100", 0), ("79,00%", "79.00", 2),
])
def test_percent_text(raw, value, decimals):
    p = parse_number(raw)
    assert (p.value, p.percent, p.decimals) == (Decimal(value), True, decimals)


@pytest.mark.parametrize("raw", ["-", "–", "—", "−", "Rp -", "Rp. -,-"])
def test_dashes_are_zero(raw):
    p = parse_number(raw)
    assert p.status == NumberStatus.DASH and p.value == 0


@pytest.mark.parametrize("raw", ["1,234,567,89", "1.234.56", "12.34.567", "1.234.567.8", "1,2,3"])
def test_ambiguous_separators_are_not_guessed(raw):
    p = parse_number(raw)
    assert p.status == NumberStatus.AMBIGUOUS and p.value is None and not p.ok


@pytest.mark.parametrize("raw", ["6.255.403.861 rb", "abc", "1.234-", True])
def test_unparseable(raw):
    assert parse_number(raw).status in (NumberStatus.UNPARSEABLE, NumberStatus.AMBIGUOUS)
    assert not parse_number(raw).ok


def test_real_numbers_and_blanks():
    assert parse_number(14889710.0) == parse_number(14889710)
    assert parse_number(14889710.0).value == Decimal(14889710) and parse_number(14889710).status == NumberStatus.NUMBER
    assert parse_number(0.1).value == Decimal("0.1")  # repr, not the binary expansion
    assert parse_number(6255403757.6).value == Decimal("6255403757.6")
    assert parse_number(None).status == NumberStatus.BLANK
    assert parse_number("   ").status == NumberStatus.BLANK
    assert parse_number(float("nan")).status == NumberStatus.BLANK


def test_ambiguous_and_unreadable_cells_become_findings_not_guesses():
    from budget_books import realisasi, validate_rows

    found = validate_rows(realisasi([["1", "Sub", "1,234,567,89", "100", "10 rb"]]))
    assert [(f.code, f.cell) for f in found] == [("KX103", "C2"), ("KX102", "E2")]
    assert "1,234,567,89" in found[0].message() and "10 rb" in found[1].message()


def test_sen_amounts_sum_exactly_in_a_table():
    from budget_books import realisasi, validate_rows

    # 0,10 + 0,20 = 0,30 exactly (floats would give 0,30000000000000004)
    rows = realisasi([["1", "Sub", "6.255.403.757,60", "0,10", "6.255.403.757,50"],
                      ["", "Rincian a", "3.127.701.878,80", "0,10", "3.127.701.878,70"],
                      ["", "Rincian b", "3.127.701.878,80", "-", "3.127.701.878,80"]])
    assert validate_rows(rows) == []
    rows[1][4] = "6.255.403.757,49"
    found = validate_rows(rows)
    assert [(f.code, f.cell) for f in found] == [("KX301", "E2")]
    assert found[0].difference == Decimal("-0.01")


def test_a_bare_currency_sign_is_no_number():
    assert parse_number("Rp").status == NumberStatus.BLANK
    assert parse_number("Rp.").status == NumberStatus.BLANK
