"""Survey arithmetic (PermenPANRB 14/2017): NRR, IKM conventions, mutu bounds, Krejcie–Morgan."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from kinerja_validators import ikm

# --------------------------------------------------------------------------- rounding and tolerance


@pytest.mark.parametrize("value, expected", [
    (2.675, "2.68"),           # binary 2.67499999… must still round up: the printed value is what counts
    (88.305, "88.31"),
    (Fraction(88305, 1000), "88.31"),
    (Fraction(883049, 10000), "88.30"),
    (-1.005, "-1.01"),
    (87.1666, "87.17"),
])
def test_round_half_up_is_exact(value, expected):
    assert ikm.round_half_up(value, 2) == Decimal(expected)


def test_agrees_at_half_a_unit_of_the_printed_digit():
    assert ikm.agrees(Decimal("3.36"), Fraction(1262, 376))       # 3,3564
    assert not ikm.agrees(Decimal("3.37"), Fraction(1262, 376))
    assert ikm.agrees(Decimal("3.37"), Fraction(3365, 1000))      # exactly half a unit
    assert ikm.agrees(Decimal("3.4"), Fraction(3356, 1000), 1)  # one printed decimal: within 0,05


# --------------------------------------------------------------------------- NRR


def test_agrees_in_integers_is_the_fraction_test_and_exact_sum_is_the_fraction_sum():
    """The cross-multiplied test and the common-denominator sum give what Fraction arithmetic gives,
    on values around the half-unit boundary and on mixed denominators."""
    import random

    rng = random.Random(7)
    for _ in range(2000):
        d = rng.randint(0, 4)
        printed = Fraction(rng.randint(-10**6, 10**6), 10**d)
        exact = printed + Fraction(rng.choice([-1, 1]) * rng.randint(0, 12), rng.choice([2, 3, 7, 20]) * 10**d)
        assert ikm.agrees(printed, exact, d) == (abs(printed - exact) <= Fraction(1, 2 * 10**d)), (printed, exact, d)
        values = [Fraction(rng.randint(-999, 999), rng.randint(1, 400)) for _ in range(rng.randint(0, 12))]
        total = ikm.exact_sum(values)
        assert total == sum(values, Fraction(0)) and isinstance(total, Fraction)
    assert ikm.exact_sum([2, 0.5, "1.25", Decimal("0.25")]) == Fraction(4)


def test_nrr_pools_the_questions_of_an_unsur():
    # two questions, 10 of 4 answers and 3 of 1: pooled 13/5, not the mean of the means (2,5 + 3) / 2
    assert ikm.pooled_nrr([(10, 4), (3, 1)]) == Fraction(13, 5)
    assert ikm.pooled_nrr([(10, 4), (3, 1)]) != (Fraction(10, 4) + Fraction(3, 1)) / 2


def test_nrr_without_answers_is_none():
    assert ikm.nrr(0, 0) is None
    assert ikm.pooled_nrr([]) is None


# --------------------------------------------------------------------------- IKM conventions


def test_all_fours_give_100_with_one_ninth_and_less_with_rounded_weights():
    fours = [4] * 9
    assert ikm.ikm(fours) == 100
    assert ikm.ikm(fours, "0,111") == Fraction("99.9")
    assert ikm.ikm(fours, "0,11") == 99


def test_ikm_of_the_seed_printed_unsur_values_is_87_17():
    printed = [Decimal(v) for v in ("3.41", "3.41", "3.48", "3.73", "3.44", "3.57", "3.44", "3.53", "3.37")]
    assert ikm.as_decimal(ikm.ikm(printed)) == Decimal("87.17")


NRR = [Fraction(1282, 376), Fraction(641, 188), Fraction(1307, 376), Fraction(1403, 376), Fraction(646, 188),
       Fraction(672, 188), Fraction(646, 188), Fraction(1327, 376), Fraction(1262, 376)]
# per question means where two questions of one unsur differ a lot: pooled and per-question disagree
QUESTION_MEANS = [Fraction(2), Fraction(4), *NRR[1:]]


@pytest.mark.parametrize("key, value", [
    ("1/9", ikm.ikm(NRR)),
    ("0,111", ikm.ikm(NRR, "0,111")),
    ("0,11", ikm.ikm(NRR, "0,11")),
    ("per-question", ikm.ikm(QUESTION_MEANS)),
])
def test_each_convention_is_identified(key, value):
    printed = ikm.as_decimal(value)
    variants = ikm.ikm_variants(NRR, QUESTION_MEANS)
    hits = [v.key for v in ikm.reproducing(printed, variants)]
    assert key in hits
    # the conventions are far enough apart here that exactly one reproduces each value
    assert hits == [key]


def test_printed_unsur_convention_is_identified():
    printed_unsur = [ikm.as_decimal(v) for v in NRR]
    # a value computed from the rounded unsur values but off the exact one by more than half a unit
    skewed = [v + Decimal("0.004") for v in printed_unsur]
    value = ikm.as_decimal(ikm.ikm(skewed))
    hits = [v.key for v in ikm.reproducing(value, ikm.ikm_variants(NRR, [], skewed))]
    assert hits == ["printed"]


def test_sum_of_the_printed_weighted_values_is_identified():
    """25 × Σ of NRR tertimbang each rounded to 3 decimals after × 0,11: neither 0,11 from the sums nor from the
    printed unsur values gives it, only the printed weighted values themselves."""
    printed_unsur = [Decimal(v) for v in ("3.41", "3.41", "3.48", "3.73", "3.44", "3.57", "3.44", "3.53", "3.37")]
    weighted = [ikm.round_half_up(v * Decimal("0.11"), 3) for v in printed_unsur]
    value = ikm.round_half_up(25 * sum(weighted), 2)
    assert value == Decimal("86.28")  # 25 × 3,451 = 86,275; 0,11 × the sums gives 86,24, × the printed values 86,30
    hits = [v.key for v in ikm.reproducing(value, ikm.ikm_variants(NRR, [], printed_unsur, weighted))]
    assert hits == ["weighted"]
    assert ikm.reproducing(value, ikm.ikm_variants(NRR, [], printed_unsur)) == []


def test_no_convention_reproduces_the_seed_ikm():
    printed_unsur = [Decimal(v) for v in ("3.41", "3.41", "3.48", "3.73", "3.44", "3.57", "3.44", "3.53", "3.37")]
    seed_sums = [Fraction(1671, 376), *NRR[1:]]  # question 1 printed 1018
    assert ikm.reproducing(Decimal("87.28"), ikm.ikm_variants(seed_sums, [], printed_unsur)) == []


# --------------------------------------------------------------------------- mutu


@pytest.mark.parametrize("value, letter", [
    (Decimal("64.99"), "D"), (Decimal("65.00"), "C"),
    (Decimal("76.60"), "C"), (Decimal("76.61"), "B"),
    (Decimal("88.30"), "B"), (Decimal("88.31"), "A"),
    (Fraction(88305, 1000), "A"),     # rounds half-up to 88,31 first
    (Fraction(883049, 10000), "B"),   # 88,3049 -> 88,30
    (Fraction(76605, 1000), "B"),
    (Fraction(64995, 1000), "C"),
    (Fraction(64994, 1000), "D"),
    (25, "D"), (100, "A"),
])
def test_mutu_bounds(value, letter):
    assert ikm.mutu(value).letter == letter


def test_mutu_labels():
    assert ikm.mutu(87.28).text() == "B (Baik)"
    assert ikm.mutu(90).text("en") == "A (Very good)"


@pytest.mark.parametrize("text, letter", [
    ("B", "B"), ("B (Baik)", "B"), ("Baik", "B"), ("sangat baik", "A"), ("A / Sangat Baik", "A"),
    ("Kurang Baik", "C"), ("Tidak baik", "D"), ("Mutu: c", "C"), ("-", None), ("", None), (None, None),
])
def test_parse_mutu(text, letter):
    assert ikm.parse_mutu(text) == letter


# --------------------------------------------------------------------------- Krejcie–Morgan


@pytest.mark.parametrize("population, sample", [
    (2800, 338), (100, 80), (1000, 278), (10000, 370), (1_000_000, 384), (10, 10), (0, 0),
])
def test_krejcie_morgan(population, sample):
    assert ikm.krejcie_morgan(population) == sample
