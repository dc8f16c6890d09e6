"""Reverse patches (``writeback.bytepatch``): the original bytes come back exactly, and the patch is small."""

from __future__ import annotations

import base64
import random
import time
import zlib

import pytest

from kinerja_xl.writeback import bytepatch


def _sheet(rows: int) -> bytes:
    return (b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\r\n<worksheet xmlns:r="r" xmlns="m"><sheetData>'
            + b"".join(b'<row r="%d"><c r="A%d" s="1"><v>%d</v></c><c r="B%d"></c></row>' % (i, i, i, i)
                       for i in range(1, rows + 1))
            + b"</sheetData></worksheet>")


def test_local_edits_give_a_small_patch_quickly():
    old = _sheet(100_000)
    # what periksa and lxml do: BOM and declaration, one style index, <x></x> -> <x/>, an element added
    new = (old[3:].replace(b"\r\n", b"\n", 1).replace(b'<c r="A500" s="1">', b'<c r="A500" s="9">')
           .replace(b'<c r="B7"></c>', b'<c r="B7"/>').replace(b"</sheetData>", b"</sheetData><legacyDrawing r:id=\"x\"/>"))
    start = time.process_time()
    patch = bytepatch.make(old, new)
    assert time.process_time() - start < 2.0
    assert len(patch) < 400
    assert bytepatch.apply(new, patch) == old


def test_rewritten_throughout_still_round_trips():
    old = _sheet(3_000)
    new = old.replace(b"></c>", b"/>").replace(b'"', b"'")
    assert bytepatch.apply(new, bytepatch.make(old, new)) == old


def test_random_texts_round_trip():
    rng = random.Random(14)
    for _ in range(3000):
        a = bytes(rng.choice(b"<>ab/ ") for _ in range(rng.randint(0, 50)))
        b = bytes(rng.choice(b"<>ab/ ") for _ in range(rng.randint(0, 50)))
        assert bytepatch.apply(b, bytepatch.make(a, b)) == a, (a, b)


@pytest.mark.parametrize("patch", ["not base64!", "AAAA", base64.b64encode(zlib.compress(b"\x01\x02")).decode()])
def test_a_damaged_patch_is_refused(patch):
    with pytest.raises(ValueError):
        bytepatch.apply(b"<a>text</a>", patch)


def test_a_patch_for_other_bytes_is_refused():
    patch = bytepatch.make(b"<a>" + b"x" * 100 + b"</a>", b"<a>" + b"y" * 100 + b"</a>")
    with pytest.raises(ValueError):
        bytepatch.apply(b"<a/>", patch)
