"""Matching rows of different tables by name.

Reports spell the same indicator or program differently from table to table:
``Presentase`` / ``Prosentase`` / ``Persentase``, ``Efektifitas`` /
``Efektivitas``, capitals, punctuation, and words left out ('Program
Penyelenggaraan Pemerintahan Umum' in the PK, 'PROGRAM PENYELENGGARAAN URUSAN
PEMERINTAHAN UMUM' in the realisasi table). ``normalize`` folds the spelling;
``similarity`` compares the remaining words as sets, so an extra word costs a
little and a different subject costs a lot; ``match`` pairs two lists one to
one, best pairs first, and returns what it could not pair so the caller can
report it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Iterable, Sequence

# Spelling variants seen in reports -> one form.
_VARIANTS = {
    "prosentase": "persentase",
    "presentase": "persentase",
    "persentasi": "persentase",
    "prosentasi": "persentase",
    "efektifitas": "efektivitas",
    "kab": "kabupaten",
    "kec": "kecamatan",
    "sarpras": "sarana prasarana",
    "pemerintah": "pemerintahan",
}
# Function words that say nothing about which row is meant.
_STOPWORDS = frozenset({"dan", "yang", "di", "pada", "dalam", "untuk", "serta", "ke", "dari", "atas", "oleh", "&"})

DEFAULT_THRESHOLD = 0.7


def normalize(name: object) -> str:
    """'Presentase  Desa (tepat-waktu).' -> 'persentase desa tepat waktu'."""
    if name is None:
        return ""
    # by text, not by object: 1 and 1.0 are equal keys but print differently
    return _normalize_text(name if type(name) is str else str(name))


@functools.lru_cache(maxsize=8192)
def _normalize_text(text: str) -> str:
    """``normalize`` of a text; the cross-report matching compares every name with every other."""
    s = unicodedata.normalize("NFKC", text).lower()
    s = re.sub(r"[^0-9a-z]+", " ", s)
    words = [_VARIANTS.get(w, w) for w in s.split()]
    return " ".join(words)


def tokens(name: object) -> frozenset[str]:
    return _tokens_of(normalize(name))


@functools.lru_cache(maxsize=8192)
def _tokens_of(normalized: str) -> frozenset[str]:
    """The words of a normalised name; once per text (``best`` compares a name with every row, rule after rule)."""
    return frozenset(w for w in normalized.split() if w not in _STOPWORDS)


def similarity(a: object, b: object) -> float:
    """1.0 for the same name once normalised; else the Jaccard index of the word sets."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    # just below 1.0 so that an exact spelling always wins over a near one
    return min(0.99, len(ta & tb) / len(ta | tb))


def match(
    left: Sequence[object], right: Sequence[object], threshold: float = DEFAULT_THRESHOLD
) -> tuple[dict[int, int], list[int], list[int]]:
    """Pair names of ``left`` with names of ``right`` one to one.

    Returns ``(pairs, unmatched_left, unmatched_right)`` with ``pairs`` mapping
    a left index to a right index. Pairs are taken best score first, so an
    exact name is never taken away by a near one.
    """
    pairs: dict[int, int] = {}
    used: set[int] = set()
    # identical names first, by dictionary: most rows of real reports, without the n × m comparisons
    exact: dict[str, list[int]] = {}
    for j, b in enumerate(right):
        exact.setdefault(normalize(b), []).append(j)
    for i, a in enumerate(left):
        candidates = exact.get(normalize(a))
        if candidates and normalize(a):
            pairs[i] = candidates.pop(0)
            used.add(pairs[i])
    rest_right = [j for j in range(len(right)) if j not in used]
    right_tokens = {j: tokens(right[j]) for j in rest_right}
    scored = []
    for i, a in enumerate(left):
        if i in pairs:
            continue
        ta = tokens(a)
        if not ta:
            continue
        for j in rest_right:
            tb = right_tokens[j]
            if tb and ta & tb:
                s = min(0.99, len(ta & tb) / len(ta | tb))
                if s >= threshold:
                    scored.append((-s, i, j))
    return best_first(scored, len(left), len(right), pairs, used)


def best_first(scored: list[tuple[float, int, int]], n_left: int, n_right: int,
               pairs: dict[int, int] | None = None, used: set[int] | None = None):
    """One-to-one pairs from ``(-similarity, left, right)`` candidates, most similar first.

    Greedy rather than optimal on purpose: a name pairs with its closest
    match, which is what a reader checking the report by hand would do.
    Returns (pairs left -> right, unmatched left, unmatched right).
    """
    pairs = {} if pairs is None else pairs
    used = set() if used is None else used
    for _, i, j in sorted(scored):
        if i in pairs or j in used:
            continue
        pairs[i] = j
        used.add(j)
    return pairs, [i for i in range(n_left) if i not in pairs], [j for j in range(n_right) if j not in used]


def best(name: object, candidates: Iterable[object], threshold: float = DEFAULT_THRESHOLD) -> int | None:
    """Index of the candidate most like ``name`` (None below ``threshold``)."""
    scores = [(similarity(name, c), i) for i, c in enumerate(candidates)]
    top = max(scores, default=(0.0, None))
    return top[1] if top[0] >= threshold else None
