"""``all_official`` (kodes told from their shapes at once) answers as a match of each kode against the
official forms would."""

import importlib
import random
import re

hierarchy = importlib.import_module("kinerja_validators.realisasi.hierarchy")

_ONE = re.compile(r"[1-8]\.[0-9][0-9]\.[0-9][0-9](?:\.[12]\.[0-9][0-9](?:\.[0-9][0-9](?:[0-9][0-9])?)?)?")


def _kode(rng: random.Random) -> str:
    parts = [str(rng.randint(1, 8)), f"{rng.randint(0, 99):02d}", f"{rng.randint(0, 99):02d}"]
    depth = rng.choice((0, 1, 2, 2))
    if depth:
        parts += [str(rng.choice((1, 2))), f"{rng.randint(0, 99):02d}"]
    if depth == 2:
        parts.append(f"{rng.randint(0, 9999):04d}" if rng.random() < 0.5 else f"{rng.randint(0, 99):02d}")
    kode = ".".join(parts)
    if rng.random() < 0.1:  # one character changed: a digit, a dot, a space, a newline, a letter, a digit not ASCII
        i = rng.randrange(len(kode))
        kode = kode[:i] + rng.choice("0123456789. \nx\u0661") + kode[i + 1:]
    return kode


def test_all_official_is_every_kode_matched_on_its_own():
    rng = random.Random(11)
    answers = set()
    for _ in range(3000):
        kodes = [_kode(rng) for _ in range(rng.randint(1, 6))]
        expected = all(_ONE.fullmatch(k) for k in kodes)
        assert hierarchy.all_official(kodes) == expected, kodes
        answers.add(expected)
    assert answers == {True, False}
    for _ in range(40):  # past the length at which the shapes are read at once
        kodes = [_kode(rng) for _ in range(rng.randint(256, 600))]
        assert hierarchy.all_official(kodes) == all(_ONE.fullmatch(k) for k in kodes)
    clean = [_kode(random.Random(k)).replace("\n", "") for k in range(400)]
    clean = [k for k in clean if _ONE.fullmatch(k)]
    assert len(clean) >= 256 and hierarchy.all_official(clean)
    assert not hierarchy.all_official(clean + ["7.01.01\n"]) and not hierarchy.all_official(clean + [7.01])
    assert not hierarchy.all_official([])
    assert not hierarchy.all_official(["7.01.01", 7.01])
    assert not hierarchy.all_official(["9.01.01"]) and not hierarchy.all_official(["7.01.01.3.01"])


def test_the_levels_of_all_official_kodes_whatever_the_blanks():
    cells = ["7.01.01", None, "", 0, False, "7.01.01.2.01", "7.01.01.2.01.02", "7.01.01.2.01.0002"]
    levels, odd, count = hierarchy._kode_levels(cells)
    assert levels == [hierarchy.kode_level(k) if isinstance(k, str) else None for k in cells]
    assert count == 4 and odd == set()
