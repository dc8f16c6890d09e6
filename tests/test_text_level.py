"""``_text_level``'s first-character shortcut gives what the full test gave, on many texts."""

from __future__ import annotations

import importlib
import random
import sys

from kinerja_xl.tables import fold

# the package exports a function of the same name: the module itself, by its path
hierarchy = importlib.import_module("kinerja_validators.realisasi.hierarchy")


def _old_text_level(uraian):
    """The full test, without the first-character shortcut."""
    if not isinstance(uraian, str):
        return None
    head = uraian.lstrip()[:8]
    if head[:1].isdigit():
        m = hierarchy._LEADING_NUMBER.match(uraian)
        if m is None:
            return None
        uraian = uraian[m.end():]
        head = uraian[:8]
    if not head.upper().startswith(hierarchy._LEVEL_START):
        return None
    t = fold(uraian)
    if t.startswith("SUB KEGIATAN "):
        return "sub_kegiatan"
    if t.startswith("PROGRAM "):
        return "program"
    if t.startswith("KEGIATAN "):
        return "kegiatan"
    if t in hierarchy._SECTION and uraian.rstrip().endswith(":"):
        return hierarchy._SECTION[t]
    return None


def test_the_first_character_set_is_every_character_upper_casing_to_p_k_or_s():
    found = {chr(i) for i in range(sys.maxunicode + 1)
             if not 0xD800 <= i < 0xE000 and chr(i).upper()[:1] in "PKS"}
    assert found == hierarchy._LEVEL_FIRST


def test_same_level_as_the_full_test_on_random_texts():
    rng = random.Random(13)
    starts = ["Program", "PROGRAM", "program", "Kegiatan", "KEGIATAN", "Sub Kegiatan", "SUB KEGIATAN", "sub-kegiatan",
              "Sub  Kegiatan:", "ſub kegiatan", "ßub", "Subtotal", "Penyediaan", "Pelayanan", "Koordinasi", "Sosialisasi",
              "Administrasi", "1. Program", "2) Sub Kegiatan", "12 Kegiatan", "A. Kegiatan", "Ｐｒｏｇｒａｍ", "Prog ram", "Kegiatan:", "Programs", ""]
    pads = ["", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u2003"]
    tails = ["", " ", " Peningkatan Kapasitas", ": Pelayanan Umum", "-Desa", ".", " (Rp)", "\u00a0Kecamatan"]
    n = 0
    for _ in range(60_000):
        text = rng.choice(pads) + rng.choice(starts) + rng.choice(pads[:3]) + rng.choice(tails)
        if rng.random() < 0.2:  # a random character anywhere, Unicode included
            i = rng.randrange(len(text) + 1)
            text = text[:i] + chr(rng.choice((rng.randrange(32, 127), rng.randrange(0x80, 0x3000)))) + text[i:]
        assert hierarchy._text_level(text) == _old_text_level(text), repr(text)
        n += _old_text_level(text) is not None
    assert n > 10_000  # the levels are found, not only refused
    for other in (None, 1, 1.5, float("nan"), True):
        assert hierarchy._text_level(other) is None


def _random_texts(rng, count):
    starts = ["Program", "PROGRAM", "Kegiatan", "Sub Kegiatan", "sub-kegiatan", "ſub kegiatan", "JUMLAH", "Jumlah Total",
              "TOTAL", "Total (Rp)", "Grand Total", "Sub Total", "SUBTOTAL", "sub-total", "toẗal", "grẚnd", "ǰumlah",
              "1. Program", "2) Sub Kegiatan", "12 Kegiatan", "Penyediaan", "Belanja", "Kegiatan:", "Tot", ""]
    pads = ["", " ", "  ", "\t", "\n", "\u00a0", "\u3000"]
    for _ in range(count):
        text = rng.choice(pads) + rng.choice(starts) + rng.choice(pads[:3]) + rng.choice(["", " Kecamatan", ":"])
        if rng.random() < 0.3:  # a random character anywhere, Unicode included
            i = rng.randrange(len(text) + 1)
            text = text[:i] + chr(rng.choice((rng.randrange(32, 127), rng.randrange(0x80, 0x3000)))) + text[i:]
        yield text


def test_every_text_that_may_name_a_level_or_a_total_passes_the_regex_shortcut():
    """``_maybe_named`` picks the texts the level and total tests are asked about: it must keep every
    text either test passes (dropping one would lose a program row or a JUMLAH)."""
    passes = 0
    for text in _random_texts(random.Random(7), 60_000):
        if hierarchy._text_level(text) is not None or hierarchy._starts_like_total(text):
            passes += 1
            assert hierarchy._MAYBE_NAMED.match(text), repr(text)
    assert passes > 20_000
    # any character in any of the three letters the shortcut reads, and before them (only a character whose
    # upper case starts with one of the words' letters, a space or a digit can make either test pass)
    chars = [chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000
             and (chr(i).upper()[:1] in "PROKEGSUBJMTAL" or chr(i).isspace() or chr(i).isdigit())]
    for c in chars:
        for word in ("PROGRAM X", "KEGIATAN X", "SUB KEGIATAN X", "JUMLAH", "TOTAL", "GRAND TOTAL", "SUB TOTAL"):
            for at in range(4):
                text = word[:at] + c + word[at + 1:] if at < 3 else c + word
                if hierarchy._text_level(text) is not None or hierarchy._starts_like_total(text):
                    assert hierarchy._MAYBE_NAMED.match(text), repr(text)


def test_the_named_texts_and_their_rows_whatever_the_cells():
    texts = ["TOTAL", None, "PROGRAM A", "Belanja", 1.5, "PROGRAM A", "Kegiatan :", "JUMLAH", "Penyediaan"]
    expected = {"TOTAL", "PROGRAM A", "Kegiatan :", "JUMLAH"}
    assert set(hierarchy._maybe_named(texts)) == expected
    assert set(hierarchy._maybe_named(texts + [[1]])) == expected
    levels = {t: hierarchy._text_level(t) for t in expected if hierarchy._text_level(t)}
    assert hierarchy._lookup(levels, texts) == [hierarchy._text_level(t) for t in texts]
    assert hierarchy._lookup(levels, texts + [[1]]) == [hierarchy._text_level(t) for t in texts] + [None]
    assert hierarchy._lookup({}, texts) == [None] * len(texts)
