"""The two ways ``hierarchy._named`` reads a text column (per distinct text, or by each text's first
characters when the names all differ) give the same answer on any column."""

import importlib
import random

hierarchy = importlib.import_module("kinerja_validators.realisasi.hierarchy")

_WORDS = ["PROGRAM X", "Program Y", "KEGIATAN :", "Kegiatan Z", "SUB KEGIATAN A", "Sub Total", "JUMLAH", "TOTAL",
          "GRAND TOTAL", "Jumlah Program A", "Belanja", "Penyediaan", "Pengadaan", "Swakelola", "Tot", "PR", "ſub kegiatan q"]


def _column(rng: random.Random, n: int, distinct: bool) -> list:
    out = []
    for k in range(n):
        text = rng.choice(["", " ", "  ", "1. ", "12) ", "\u00a0", "3 . "]) + rng.choice(_WORDS)
        if rng.random() < 0.2:
            i = rng.randrange(len(text) + 1)
            text = text[:i] + chr(rng.randrange(32, 0x300)) + text[i:]
        out.append(f"{text} {k}" if distinct and rng.random() < 0.7 else text)
    return out


def _by_distinct(values):
    named = hierarchy._maybe_named(values)
    levels = {v: lv for v in named if (lv := hierarchy._text_level(v)) is not None}
    return (levels, hierarchy._lookup(levels, values),
            sorted(hierarchy._rows_of({v for v in named if hierarchy._starts_like_total(v)}, values,
                                      hierarchy._starts_like_total)))


def test_by_head_and_by_distinct_text_agree():
    rng = random.Random(3)
    for _ in range(30):
        values = _column(rng, 3000, distinct=True)
        heads = hierarchy._heads(values)
        assert heads is not None  # mostly different names: read by their first characters
        levels, text_levels, totals = hierarchy._named_by_head(values, heads)
        assert (levels, text_levels, sorted(totals)) == _by_distinct(values)
        assert any(text_levels) and totals  # the column did hold levels and totals to find


def test_repeated_names_and_odd_cells_take_the_distinct_way():
    rng = random.Random(5)
    values = _column(rng, 3000, distinct=False)
    assert hierarchy._heads(values) is None  # names repeat
    assert hierarchy._named(values) == _by_distinct(values)
    mixed = [f"Belanja {k}" for k in range(2000)] + [None, 1.5, "PROGRAM A", "TOTAL"]
    assert hierarchy._heads(mixed) is None  # a blank or number among the cells
    levels, text_levels, totals = hierarchy._named(mixed)
    assert levels == {"PROGRAM A": "program"} and text_levels[-2] == "program" and totals == [len(mixed) - 1]
    odd = [f"Belanja {k}" for k in range(2000)] + [("PROGRAM", "A"), "PROGRAM B"]  # a cell that is no text
    levels, text_levels, _ = hierarchy._named(odd)
    assert levels == {"PROGRAM B": "program"} and text_levels[-1] == "program" and text_levels[-2] is None
