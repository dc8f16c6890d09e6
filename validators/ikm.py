"""Survey arithmetic of PermenPANRB 14/2017 (Survei Kepuasan Masyarakat), exact.

Pure functions, no tables: NRR (nilai rata-rata) of an unsur, the IKM under
each weight convention found in real documents, the mutu band and the
Krejcie–Morgan sample size. Everything is computed with ``Fraction`` and
handed out as ``Decimal`` so a bound such as 88,31 is never missed by a
binary rounding error.

- NRR of an unsur = Σ scores of its questions / number of answers (blanks are
  left out of both; several questions of one unsur are pooled).
- IKM = Σ (NRR × 1/9) × 25 = 25 × mean of the nine NRR. Documents often
  print the weight as 0,111 or 0,11, which lowers the result (all-4 answers
  give 99,90 or 99,00 instead of 100).
- Mutu: IKM rounded half-up to 2 decimals, then A ≥ 88,31, B ≥ 76,61,
  C ≥ 65,00, else D.
- Krejcie & Morgan: S = 3,841·N·0,25 / (0,0025·(N−1) + 0,96025), rounded to
  the nearest whole respondent (N = 2.800 → 338).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kinerja_xl.i18n import N_, translate

Number = int | Decimal | Fraction

# --------------------------------------------------------------------------- rounding


def to_fraction(x: Number | float | str) -> Fraction:
    """Exact value; a float goes through its shortest repr (3.41 -> 341/100, not 3.4099999…)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return _float_fraction(x)
    if isinstance(x, str):
        return Fraction(Decimal(x))
    return Fraction(x)


@functools.lru_cache(maxsize=4096)
def _float_fraction(x: float) -> Fraction:
    """``to_fraction`` of a float, remembered: the survey's numbers are read again by several rules, and
    a Decimal made from the repr costs more than the arithmetic that follows."""
    return Fraction(Decimal(repr(x)))


def round_half_up(x: Number | float, places: int = 2) -> Decimal:
    """Round exactly, half away from zero (what Excel's ROUND and the regulation do)."""
    scaled = to_fraction(x) * 10**places
    whole = math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(-whole if scaled < 0 else whole).scaleb(-places)


@functools.lru_cache(maxsize=64)
def half_unit(decimals: int) -> Fraction:
    """Tolerance of a printed value: half a unit of its last digit (2 decimals -> 0,005)."""
    return Fraction(1, 2 * 10**decimals)


def agrees(printed: Number | float, exact: Number | float, decimals: int = 2) -> bool:
    """A printed value agrees with an exact one when it is within half a unit of its last printed digit."""
    p, e = to_fraction(printed), to_fraction(exact)
    # |p − e| ≤ 1 / (2·10^d), cross-multiplied: the same exact test in integers, without the three
    # Fractions (each reduced by a gcd) the subtraction, abs and comparison would build
    return (abs(p.numerator * e.denominator - e.numerator * p.denominator) * 2 * 10**int(decimals)
            <= p.denominator * e.denominator)


# --------------------------------------------------------------------------- NRR and IKM


def nrr(total: Number, answered: Number) -> Fraction | None:
    """Mean score: Σ scores / number of answers (None when nobody answered)."""
    answered = to_fraction(answered)
    if answered <= 0:
        return None
    return to_fraction(total) / answered


def exact_sum(values: Iterable[Number | float]) -> Fraction:
    """Σ of exact values, added over their common denominator and reduced once: the same Fraction as
    adding them one by one, which reduces by a gcd at every step (a few µs each; the survey adds
    some two hundred per recap)."""
    fs = [to_fraction(v) for v in values]
    den = math.lcm(*(f.denominator for f in fs))
    return Fraction(sum(f.numerator * (den // f.denominator) for f in fs), den)


def pooled_nrr(questions: Iterable[tuple[Number, Number]]) -> Fraction | None:
    """NRR of an unsur from its questions' (Σ scores, answers): pooled, not the mean of the means."""
    pairs = list(questions)
    return nrr(exact_sum(t for t, _ in pairs), exact_sum(a for _, a in pairs))


#: weight conventions: the regulation's 1/9 and the rounded weights documents print
WEIGHTS: dict[str, Fraction] = {
    "1/9": Fraction(1, 9),
    "0,111": Fraction(111, 1000),
    "0,11": Fraction(11, 100),
}


def ikm(nrr_values: Sequence[Number | float], weight: str | None = "1/9") -> Fraction | None:
    """IKM = 25 × Σ (NRR × weight); ``weight=None`` (or '1/9') is the mean over the values given.

    With the regulation's 1/9 the mean is taken over the unsur actually
    present, so a table of eight unsur still gets a comparable number (the
    missing unsur is reported by its own rule).
    """
    values = [to_fraction(v) for v in nrr_values]
    if not values:
        return None
    if weight in (None, "1/9"):
        return 25 * exact_sum(values) / len(values)
    return 25 * exact_sum(values) * WEIGHTS[weight]


# --------------------------------------------------------------------------- mutu

#: (lower bound after rounding to 2 decimals, letter, label)
MUTU_BANDS: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", N_("Sangat Baik")),
    (Decimal("76.61"), "B", N_("Baik")),
    (Decimal("65.00"), "C", N_("Kurang Baik")),
    (Decimal("25.00"), "D", N_("Tidak Baik")),
)


@dataclass(frozen=True)
class Mutu:
    letter: str
    label: str  # msgid (N_)

    def text(self, lang: str = "id") -> str:
        return f"{self.letter} ({translate(self.label, lang)})"


def mutu(ikm_value: Number | float) -> Mutu:
    """Mutu band of an IKM: round half-up to 2 decimals first (88,305 is A), then the lower bounds."""
    rounded = round_half_up(ikm_value, 2)
    for lower, letter, label in MUTU_BANDS[:-1]:
        if rounded >= lower:
            return Mutu(letter, label)
    _, letter, label = MUTU_BANDS[-1]
    return Mutu(letter, label)


_MUTU_WORDS = (("SANGAT BAIK", "A"), ("KURANG BAIK", "C"), ("TIDAK BAIK", "D"), ("BAIK", "B"))


def parse_mutu(text: object) -> str | None:
    """A printed mutu -> its letter: 'B', 'B (Baik)', 'Baik', 'A / Sangat Baik', 'mutu: c' (None if unreadable)."""
    if not isinstance(text, str):
        return None
    folded = re.sub(r"[^A-Z]+", " ", text.upper()).strip()
    first = folded.split(" ", 1)[0] if folded else ""
    if first in ("MUTU", "NILAI") and " " in folded:
        folded = folded.split(" ", 1)[1]
        first = folded.split(" ", 1)[0]
    if first in ("A", "B", "C", "D"):
        return first
    for words, letter in _MUTU_WORDS:
        if words in folded:
            return letter
    return None


# --------------------------------------------------------------------------- sample size


def krejcie_morgan(population: Number | float) -> int:
    """Minimum respondents for a population N (95% confidence, 5% margin), rounded to nearest.

    S = χ²·N·P(1−P) / (d²·(N−1) + χ²·P(1−P)) with χ² = 3,841, P = 0,5, d = 0,05.
    """
    return _krejcie_morgan(to_fraction(population))


_CHI2, _P, _D2 = Fraction("3.841"), Fraction(1, 4), Fraction(1, 400)


@functools.lru_cache(maxsize=256)
def _krejcie_morgan(n: Fraction) -> int:
    """``krejcie_morgan`` of an exact population, remembered: the sample-size check and its rule both ask."""
    if n <= 0:
        return 0
    s = _CHI2 * n * _P / (_D2 * (n - 1) + _CHI2 * _P)
    return int(round_half_up(s, 0))


# --------------------------------------------------------------------------- conventions


@dataclass(frozen=True)
class Variant:
    """One way documents compute an IKM, and what it gives."""

    key: str
    label: str  # msgid (N_), e.g. "bobot 0,111"
    value: Fraction


def ikm_variants(
    nrr_from_sums: Sequence[Fraction],
    question_means: Sequence[Fraction] = (),
    nrr_printed: Sequence[Number | float] = (),
    weighted_printed: Sequence[Number | float] = (),
) -> list[Variant]:
    """Every convention we know, the regulation's first.

    ``nrr_from_sums``: each unsur's pooled NRR from the jumlah nilai;
    ``question_means``: each question's own mean (for 'mean of the questions');
    ``nrr_printed``: the nilai unsur as printed (rounded) in the table;
    ``weighted_printed``: the NRR tertimbang as printed (each already rounded, whatever its weight).
    """
    out: list[Variant] = []

    def add(key: str, label: str, value: Fraction | None) -> None:
        if value is not None:
            out.append(Variant(key, label, value))

    if nrr_from_sums:
        add("1/9", N_("bobot 1/9 dari jumlah nilai (PermenPANRB 14/2017)"), ikm(nrr_from_sums))
        add("0,111", N_("bobot 0,111"), ikm(nrr_from_sums, "0,111"))
        add("0,11", N_("bobot 0,11"), ikm(nrr_from_sums, "0,11"))
    if question_means:
        add("per-question", N_("rata-rata per pertanyaan (bukan per unsur)"), ikm(question_means))
    if nrr_printed:
        add("printed", N_("25 × rata-rata nilai unsur tercetak"), ikm(nrr_printed))
        add("printed-0,111", N_("nilai unsur tercetak dengan bobot 0,111"), ikm(nrr_printed, "0,111"))
        add("printed-0,11", N_("nilai unsur tercetak dengan bobot 0,11"), ikm(nrr_printed, "0,11"))
    if weighted_printed:
        add("weighted", N_("25 × Σ NRR tertimbang tercetak"),
            25 * exact_sum(weighted_printed))
    return out


def reproducing(printed: Number | float, variants: Sequence[Variant], decimals: int = 2) -> list[Variant]:
    """The variants that give the printed value (within half a unit of its last digit)."""
    return [v for v in variants if agrees(printed, v.value, decimals)]


def as_decimal(x: Fraction | None, places: int = 2) -> Decimal | None:
    """A computed value as the Decimal a report prints (half-up)."""
    return None if x is None else round_half_up(x, places)
