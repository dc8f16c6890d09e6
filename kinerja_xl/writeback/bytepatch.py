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
import hashlib
import struct
import zlib

SYNC = 3  # tokens that must agree for the two texts to be back in step
LOOKAHEAD = 48  # tokens searched (in both texts together) for that
MAX_HUNKS = 20_000  # beyond: re-serialised throughout, keep the rest whole
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
    """(start, length) ranges of ``new`` and the ``old`` bytes each replaces.

    Equal stretches are skipped by block comparison; only around a difference
    is the text cut into tokens (ending after '>'), so a 25 MB sheet with a
    few thousand changed cells costs a fraction of a second.
    """
    out = []
    i = j = 0
    while i < len(old) or j < len(new):
        same = _common_prefix(old, new, i, j)
        if i + same == len(old) and j + same == len(new):
            break
        back = same - (old.rfind(b">", i, i + same) + 1 - i if old.rfind(b">", i, i + same) >= 0 else 0)
        i, j = i + same - back, j + same - back  # the start of the token that differs
        if len(out) >= MAX_HUNKS:  # re-serialised throughout: keep the rest whole (bounded time)
            out.append((j, len(new) - j, old[i:]))
            break
        i2, j2 = _resync(old, new, i, j)
        out.append((j, j2 - j, old[i:i2]))
        i, j = i2, j2
    return out


def _more(data: bytes, ends: list[int], n: int) -> None:
    """Extend ``ends`` (a start, then token ends) to ``n`` tokens, or to the end of ``data``."""
    pos = ends[-1]
    while len(ends) <= n and pos < len(data):
        k = data.find(b">", pos)
        pos = len(data) if k < 0 else k + 1
        ends.append(pos)


def _resync(a: bytes, b: bytes, i: int, j: int) -> tuple[int, int]:
    """Where ``a`` and ``b`` are back in step after a difference at ``a[i]``/``b[j]``: the fewest tokens
    to skip in each before ``SYNC`` tokens agree again (or both end).

    Our edits and lxml's re-serialising are local (an attribute, ``<x></x>``
    -> ``<x/>``, an added element), so a short look-ahead finds the next
    common run, and the whole diff stays linear in the part's size.
    """
    ea, eb = [i], [j]  # token ends, found as far as the search needs them
    for d in range(1, LOOKAHEAD + 1):
        _more(a, ea, d + SYNC)
        _more(b, eb, d + SYNC)
        na, nb = len(ea) - 1, len(eb) - 1
        for di in range(max(0, d - nb), min(d, na) + 1):
            dj = d - di
            ka, kb = min(SYNC, na - di), min(SYNC, nb - dj)
            if ka != kb or (ka < SYNC and (ea[di + ka] != len(a) or eb[dj + kb] != len(b))):
                continue
            if a[ea[di]:ea[di + ka]] == b[eb[dj]:eb[dj + kb]]:
                return ea[di], eb[dj]
    return len(a), len(b)  # no common run near: the rest differs


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
