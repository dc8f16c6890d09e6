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
