"""Kode program / kegiatan / sub kegiatan (Permendagri 90/2019, Kepmendagri 050-5889/2021).

``urusan.bidang.program.2.kegiatan.subkegiatan``: ``7.01.01`` program,
``7.01.01.2.01`` kegiatan, ``7.01.01.2.01.02`` (2020–21) or
``7.01.01.2.01.0002`` (since 2021) sub kegiatan. A sub kegiatan's kode starts
with its kegiatan's, which starts with its program's. Rincian lines carry
belanja account codes (``5.1.02.01.01.0024``), a different scheme not checked
here.
"""

from __future__ import annotations

import operator
import re

from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rule, rules_in
from kinerja_validators.realisasi import LEVEL_BY_LASTINDEX, LEVEL_LABEL, kode_level
from kinerja_validators.realisasi.hierarchy import LEVEL_BY_LENGTH as _LEVEL_BY_LENGTH, all_official as _all_official, tree
from kinerja_xl.i18n import N_, Message

KODE_TABLES = ("realisasi", "refocusing")

FORMATS = {
    "program": re.compile(r"[1-8]\.\d{2}\.\d{2}"),
    "kegiatan": re.compile(r"[1-8]\.\d{2}\.\d{2}\.[12]\.\d{2}"),
    "sub_kegiatan": re.compile(r"[1-8]\.\d{2}\.\d{2}\.[12]\.\d{2}\.(\d{2}|\d{4})"),
}
_CLEAN = re.compile(r"\d+(\.\d+)*")


def clean_kode(kode: str) -> str:
    """Stray spaces and punctuation around and inside a kode removed: '7.01.06.2.01.02.' -> '7.01.06.2.01.02'."""
    if _CLEAN.fullmatch(kode):
        return kode  # the usual case, without three substitutions per row
    k = re.sub(r"\s+", "", kode)
    k = re.sub(r"[,;:]", ".", k)
    k = re.sub(r"\.{2,}", ".", k)
    return k.strip(".")


# the three official forms in one pattern, grouped as realisasi's kode pattern (group 1 the kegiatan
# part, group 2 the sub kegiatan part): what FORMATS says, in one match (a test holds them together)
_OFFICIAL = re.compile(r"[1-8]\.\d{2}\.\d{2}(?:(\.[12]\.\d{2})(\.(?:\d{2}|\d{4}))?)?")


def official_level(kode: str) -> str | None:
    """The level whose official form ``kode`` has, None when it has none."""
    m = _OFFICIAL.fullmatch(kode)
    return LEVEL_BY_LASTINDEX[m.lastindex] if m else None


def kode_format_ok(kode: str, level: str | None = None) -> bool:
    """Does ``kode`` have the official form (of ``level``, or of any of the three levels)?"""
    official = official_level(kode)
    return official == level if level in FORMATS else official is not None


class _KodeRows:
    """The rows with a kode that are not rincian lines, worked out once per table for the three rules.

    Plain lists of those rows only (38.000 of a 100.000-row sheet): a kode in the
    official form is already clean and well formed, so one regex match (over all
    kodes at once where all have that form) settles all three rules' questions
    for nearly every row.
    """

    def __init__(self, table):
        import numpy as np
        import pandas as pd

        t = tree(table)
        column = np.asarray(table.array("kode"), dtype=object)  # the table's own array, not a Series of it
        filled = np.flatnonzero(~pd.isna(column))  # the cells with any kode, found in C
        values = column[filled].tolist()
        levels = _pick(t.level, filled.tolist())
        rows = table.frame.index.to_numpy()[filled].tolist()
        # the usual sheet: every kode in its official form (such a kode is stripped and clean, its level
        # its length's). The tree asked the same of the kode cells: its answer holds when it saw the same
        # cells (100.000 rows: ~6 ms); otherwise one match over all kodes rather than one per kode (~8 ms)
        self.all_official = (len(values) == t.official_kodes if t.official_kodes is not None
                             else _all_official(values))
        if self.all_official:
            kodes, official = values, list(map(_LEVEL_BY_LENGTH.__getitem__, map(len, values)))
        else:
            kodes = [k.strip() if isinstance(k, str) else "" for k in values]
            official = list(map(official_level, kodes))
        # (kodes all official hold no blank text: no scan of every kode for one, ~1 ms at 100.000 rows)
        if (not self.all_official and "" in kodes) or not _SKIPPED.isdisjoint(levels):
            keep = [i for i, (kode, level) in enumerate(zip(kodes, levels)) if kode and level not in _SKIPPED]
            filled, rows, kodes, levels, official = (
                filled[keep], [rows[i] for i in keep], [kodes[i] for i in keep], [levels[i] for i in keep],
                [official[i] for i in keep])
        self.positions = filled  # frame positions, for looking up parents
        self.rows: list[int] = rows
        self.kodes: list[str] = kodes
        self.levels: list[str | None] = levels
        self.official: list[str | None] = official
        self.cleaned: dict[int, str] = (
            dict(zip(rows, kodes)) if self.all_official else
            {r: kode if o else clean_kode(kode) for r, kode, o in zip(rows, kodes, official)})


_SKIPPED = {"rincian", "total"}  # rows whose kode is a belanja account, or a total's label


def _pick(values: list, positions: list[int]) -> list:
    """``[values[i] for i in positions]``, the look-ups done in C (a 100.000-row sheet has ~40.000 kodes)."""
    if len(positions) < 2:
        return [values[i] for i in positions]
    return list(operator.itemgetter(*positions)(values))


def _kode_rows(table) -> _KodeRows | None:
    if not table.has("kode"):
        return None
    cache = table.__dict__.setdefault("_kinerja_budget", {})
    if "kode_rows" not in cache:
        cache["kode_rows"] = _KodeRows(table)
    return cache["kode_rows"]


@rule("KX111", "kode-format", tables=KODE_TABLES, message=N_("Kode '{actual}' tidak sesuai format kode {level} (mis. {contoh}){saran}"))
def kode_format(table, ctx):
    """A kode has the official form: 7.01.01 (program), 7.01.01.2.01 (kegiatan), 7.01.01.2.01.02 or 7.01.01.2.01.0002 (sub kegiatan).

    Stray punctuation or spaces make a kode that no system recognises (and
    that other tables cannot be matched against).

    *Salah:* ``7.01.06.2.01.02.`` (trailing dot), ``7.1.6.2.1.2``.
    *Benar:* ``7.01.06.2.01.02``.
    """
    examples = {"program": "7.01.01", "kegiatan": "7.01.01.2.01", "sub_kegiatan": "7.01.01.2.01.02"}
    k = _kode_rows(table)
    if k is None or (k.all_official and k.official == k.levels):
        return  # every kode official and of its row's level: nothing to report, without a step per row
    for r, kode, level, official in zip(k.rows, k.kodes, k.levels, k.official):
        want = level if level in FORMATS else None
        if official is not None and (want is None or official == want):
            continue  # kode_format_ok(kode, want), from the match already made
        cleaned = k.cleaned[r]
        fixable = cleaned != kode and kode_format_ok(cleaned, want)
        want = want or kode_level(cleaned) or "sub_kegiatan"
        yield ctx.finding(
            table, "kode", r, actual=kode, expected=cleaned if fixable else None,
            level=LEVEL_LABEL[want], contoh=examples[want],
            saran=Message(N_("; maksudnya '{kode}'?"), kode=cleaned) if fixable else "",
        )


@rule("KX112", "kode-prefix", tables=KODE_TABLES, message=N_("Kode '{actual}' tidak diawali kode induknya '{parent}' (baris {parent_row})"))
def kode_prefix(table, ctx):
    """A sub kegiatan's kode starts with its kegiatan's, which starts with its program's.

    Checked only where the table carries a kode on the parent row too.

    *Salah:* program 7.01.01, kegiatan 7.01.03.2.01 under it.
    *Benar:* program 7.01.01, kegiatan 7.01.01.2.01, sub kegiatan 7.01.01.2.01.02.
    """
    k = _kode_rows(table)
    if k is None:
        return
    # the parents of the kode rows only, by frame position: a lookup over every row of the sheet costs more than the check
    parents = tree(table).parent_rows()[k.positions].tolist()
    cleaned = k.cleaned
    # one look-up per row: an official kode is its own cleaned form, and a row with no parent (−1) or a parent
    # without a kode gets None (100.000 rows: ~2 ms less than testing and reading the dict three times)
    mine_of = k.kodes if k.all_official else list(map(cleaned.__getitem__, k.rows))
    for r, kode, mine, theirs, p in zip(k.rows, k.kodes, mine_of, map(cleaned.get, parents), parents):
        if theirs is not None and not mine.startswith(theirs + "."):
            parent_kode = table.value("kode", p)
            yield ctx.finding(table, "kode", r, actual=kode, expected=theirs + ".…", parent=parent_kode.strip(),
                              parent_row=str(p), related=(table.cell("kode", p),))


@rule("KX113", "duplicate-kode", tables=KODE_TABLES, message=N_("Kode '{actual}' sudah dipakai di baris {first_row}"))
def duplicate_kode(table, ctx):
    """A program, kegiatan or sub kegiatan kode appears once in a table.

    A repeated kode usually means a row copied without changing its kode, so
    one sub kegiatan is counted twice or another is missing.

    *Salah:* rows 5 and 9 both 7.01.01.2.02.01.
    *Benar:* row 9 is 7.01.01.2.02.02.
    """
    k = _kode_rows(table)
    if k is None or len(set(k.cleaned.values())) == len(k.cleaned):
        return  # no kode twice, told by one set in C rather than a step per row
    seen: dict[str, int] = {}
    cleaned = k.cleaned
    for r, kode in zip(k.rows, k.kodes):
        c = cleaned[r]
        if c in seen:
            yield ctx.finding(table, "kode", r, actual=kode, first_row=str(seen[c]),
                              related=(table.cell("kode", seen[c]),))
        else:
            seen[c] = r


KIND = TableKind(
    name="kode",
    title=N_("Kode program, kegiatan dan sub kegiatan"),
    rules=rules_in(globals()),
    # reads codes, never amounts: no numeric field is its
    checked_fields={},
)
