"""Reverse patches: how to get a part's original bytes back from the bytes we wrote.

``clear`` undoes an annotation element by element (that survives a save in
Excel, which rewrites every part). When a part is still exactly as we wrote
it, that is not enough for a byte-exact result: lxml writes ``<x/>`` for
``<x></x>``, its own quoting, and so on. So for every part we change we keep
the few byte ranges that differ (``make``), and ``clear`` puts the original
bytes back (``apply``) when the part's digest shows nobody touched it since.

The patch is text (it lives in a cell of the hidden state sheet): zlib +
base64 of ``(start, length, original bytes)`` hunks over the new bytes.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import struct
import zlib

import numpy

SYNC = 3  # tokens that must agree for the two texts to be back in step
LOOKAHEAD = 48  # tokens searched (in both texts together) for that
MAX_HUNKS = 2000
_HUNK = struct.Struct("<QQQ")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def _common_prefix(a: bytes, b: bytes, i: int = 0, j: int = 0) -> int:
    """Length of the common prefix of ``a[i:]`` and ``b[j:]``, by galloping over blocks
    (a byte loop in Python is slow on a 10 MB sheet)."""
    n, pos, block = min(len(a) - i, len(b) - j), 0, 64
    while block:
        if pos + block <= n and a[i + pos:i + pos + block] == b[j + pos:j + pos + block]:
            pos += block
            block *= 2
        else:
            block //= 2
    return pos


def _hunks(old: bytes, new: bytes) -> list[tuple[int, int, bytes]]:
    """(start, length) ranges of ``new`` and the ``old`` bytes each replaces."""
    oa, ob = _offsets(old), _offsets(new)
    out = []
    i = j = 0
    while i < len(oa) - 1 or j < len(ob) - 1:
        # skip the run of equal tokens at once: equal bytes have their '>' at the same places
        same = _common_prefix(old, new, oa[i], ob[j])
        k = bisect.bisect_right(oa, oa[i] + same) - 1 - i
        if k > 0 and ob[j + k] - ob[j] != oa[i + k] - oa[i]:
            k -= 1  # the last token of one text ends with the text, not at a '>'
        if k > 0:
            i, j = i + k, j + k
            continue
        if len(out) >= MAX_HUNKS:  # re-serialised throughout: keep the rest whole (bounded time)
            out.append((ob[j], len(new) - ob[j], old[oa[i]:]))
            break
        di, dj = _resync(old, new, oa, ob, i, j)
        out.append((ob[j], ob[j + dj] - ob[j], old[oa[i]:oa[i + di]]))
        i, j = i + di, j + dj
    return out


def _offsets(data: bytes) -> list[int]:
    """Where the tokens start: 0, after every '>', and the end."""
    ends = (numpy.flatnonzero(numpy.frombuffer(data, dtype=numpy.uint8) == 62) + 1).tolist()
    out = [0, *ends]
    if out[-1] != len(data):
        out.append(len(data))
    return out


def _resync(a: bytes, b: bytes, oa: list[int], ob: list[int], i: int, j: int) -> tuple[int, int]:
    """The fewest tokens to skip in each list before ``SYNC`` tokens agree again (or both end).

    Our edits and lxml's re-serialising are local (an attribute, ``<x></x>``
    -> ``<x/>``, an added element), so a short look-ahead finds the next
    common run, and the whole diff stays linear in the part's size.
    """
    na, nb = len(oa) - 1, len(ob) - 1  # token counts
    for d in range(1, LOOKAHEAD + 1):
        for di in range(d + 1):
            dj = d - di
            if i + di > na or j + dj > nb:
                continue
            ka, kb = min(SYNC, na - i - di), min(SYNC, nb - j - dj)
            if ka != kb or (ka < SYNC and (i + di + ka != na or j + dj + kb != nb)):
                continue
            if a[oa[i + di]:oa[i + di + ka]] == b[ob[j + dj]:ob[j + dj + kb]]:
                return di, dj
    return na - i, nb - j  # no common run near: the rest differs


def make(old: bytes, new: bytes) -> str:
    """The patch that turns ``new`` back into ``old``."""
    blob = b"".join(_HUNK.pack(start, length, len(orig)) + orig for start, length, orig in _hunks(old, new))
    return base64.b64encode(zlib.compress(blob, 6)).decode("ascii")


def apply(new: bytes, patch: str) -> bytes:
    """``old`` from ``new`` and ``make(old, new)``; ValueError when the patch does not fit."""
    try:
        blob = zlib.decompress(base64.b64decode(patch.encode("ascii"), validate=True))
    except (ValueError, zlib.error) as exc:
        raise ValueError("damaged patch") from exc
    out, pos, i = [], 0, 0
    while i < len(blob):
        if i + _HUNK.size > len(blob):
            raise ValueError("damaged patch")
        start, length, n = _HUNK.unpack_from(blob, i)
        i += _HUNK.size
        if start < pos or start + length > len(new) or i + n > len(blob):
            raise ValueError("damaged patch")
        out += [new[pos:start], blob[i:i + n]]
        pos = start + length
        i += n
    out.append(new[pos:])
    return b"".join(out)
