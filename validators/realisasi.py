"""Realisasi anggaran: program / kegiatan / sub kegiatan with plafon, realisasi, sisa.

Identities: sisa = plafon − realisasi on every row; a parent row is the sum of
its direct children; TOTAL = Σ programs; serapan % = realisasi / plafon.

``hierarchy(table)`` (public, also used by the PK and refocusing checks)
places every row: program rows are lettered (A, B, …), kegiatan Roman (I, II,
…), sub kegiatan numbered (1, 2, …), rincian lines unnumbered; kode prefixes
(``7.01.01`` program, ``7.01.01.2.01`` kegiatan, ``7.01.01.2.01.02`` sub
kegiatan) and the uraian text (``PROGRAM …``) help where the NO column is
missing or ambiguous (``C``, ``D``, ``I``, ``V`` are letters and numerals).
"""

from __future__ import annotations

import re
from typing import Any

from kinerja_xl.tables import LABEL, MONEY, PERCENT, TEXT, Field, TableSpec, fold

_TW = {"1": "I|1", "2": "II|2", "3": "III|3", "4": "IV|4"}
_TW_WORD = r"(TW|TRW|TRIWULAN|TRIBULAN|TRI WULAN|TRI BULAN) ?"

SPEC = TableSpec(
    kind="realisasi",
    title_id="Realisasi Anggaran",
    title_en="Budget realisation",
    fields=(
        Field("no", (r"NO", r"NOMOR", r"NO URUT"), LABEL),
        Field("kode", (r"KODE( REKENING| PROGRAM| KEGIATAN| SUB KEGIATAN)*",), TEXT),
        Field("uraian", (r"(NAMA )?PROGRAM( KEGIATAN)?( SUB KEGIATAN)?( RINCIAN)?", r"URAIAN.*", r"NAMA PROGRAM.*"), TEXT, required=True),
        Field("plafon", (r"(PLAFON|PAGU|ALOKASI)( ANGGARAN)?( RP)?", r"ANGGARAN( RP)?"), MONEY, required=True),
        # realisasi split into periods: TW I … TW IV beside a JUMLAH column
        *(Field(f"realisasi_tw{n}", (rf"REALISASI( KEUANGAN)?( RP)? {_TW_WORD}({roman})( RP)?",), MONEY)
          for n, roman in _TW.items()),
        Field("realisasi", (
            r"REALISASI( KEUANGAN)?( JUMLAH)?( RP)?( JUMLAH)?( RP)?",
            rf"REALISASI( KEUANGAN)?( RP)? (S ?D|SAMPAI DENGAN|KUMULATIF)( {_TW_WORD}(I|II|III|IV|1|2|3|4))?( RP)?",
        ), MONEY, required=True),
        Field("sisa", (r"SISA( ANGGARAN)?( RP)?",), MONEY),
        Field("serapan", (r"(%|PERSENTASE|PROSENTASE|PRESENTASE)( SERAPAN)?( %)?", r"SERAPAN( ANGGARAN)?( %)?",
                          r"REALISASI( KEUANGAN)? %", r"(%|PERSENTASE|PROSENTASE|PRESENTASE) REALISASI( KEUANGAN)?( %)?"), PERCENT),
    ),
    min_matched=3,
)
SPECS = [SPEC]


# --------------------------------------------------------------------------- hierarchy

LEVELS = ("total", "program", "kegiatan", "sub_kegiatan", "rincian")
DEPTH = {"program": 1, "kegiatan": 2, "sub_kegiatan": 3, "rincian": 4}
LEVEL_LABEL = {
    "id": {"total": "baris jumlah", "program": "program", "kegiatan": "kegiatan", "sub_kegiatan": "sub kegiatan",
           "rincian": "rincian"},
    "en": {"total": "total row", "program": "programme", "kegiatan": "activity", "sub_kegiatan": "sub-activity",
           "rincian": "detail line"},
}

_TOTAL = re.compile(r"(JUMLAH|TOTAL|GRAND TOTAL|SUB TOTAL)( TOTAL| KESELURUHAN| SELURUHNYA| ANGGARAN| BELANJA| PAGU)*( RP)?")
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_BULLET = {"-", "•", "*", "·", "–", "o"}


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += numeral
            n -= value
    return out


def _no_token(raw: Any) -> str:
    """'A.' / '(1)' / 'IV)' -> 'A' / '1' / 'IV'; blank -> ''."""
    if raw is None:
        return ""
    s = str(raw).strip()
    if re.fullmatch(r"\d+\.0", s):  # a number read as float text
        s = s[:-2]
    return re.sub(r"^[(\[]|[.)\]:]+$", "", s).strip()


def kode_level(kode: Any) -> str | None:
    """Level a kode stands for: ``7.01.01`` program, ``7.01.01.2.01`` kegiatan,
    ``7.01.01.2.01.02`` sub kegiatan, ``5.1.02.01.01.0024`` (belanja account) rincian."""
    if not isinstance(kode, str):
        return None
    k = re.sub(r"\s+", "", kode).strip(".,;:")
    if not k:
        return None
    if re.fullmatch(r"[4-6]\.\d(\.\d+)+", k):
        return "rincian"
    parts = k.split(".")
    if not all(p.isdigit() for p in parts) or len(parts) < 3 or len(parts[1]) != 2:
        return None
    return {3: "program", 5: "kegiatan", 6: "sub_kegiatan"}.get(len(parts))


def _text_level(uraian: Any) -> str | None:
    t = fold(uraian)
    if t.startswith("SUB KEGIATAN "):
        return "sub_kegiatan"
    if t.startswith("PROGRAM "):
        return "program"
    if t.startswith("KEGIATAN "):
        return "kegiatan"
    return None


def is_total_row(*texts: Any) -> bool:
    """'TOTAL', 'JUMLAH', 'Jumlah Total (Rp)' in the NO, kode or uraian cell."""
    return any(_TOTAL.fullmatch(fold(t)) for t in texts if isinstance(t, str) and t.strip())


def hierarchy(table: Any):
    """Place every row of a budget table in the program tree.

    Returns a ``pandas.DataFrame`` indexed like ``table.frame`` (Excel row
    numbers) with columns:

    - ``level``: ``'total'``, ``'program'``, ``'kegiatan'``, ``'sub_kegiatan'``,
      ``'rincian'``, or ``None`` when the row could not be placed;
    - ``parent``: Excel row number of the direct parent (``<NA>`` for total
      rows, top-level rows and rows without a parent);
    - ``problem``: ``None``, or why the row is doubtful: ``'unknown-no'`` (NO
      text that is no letter, numeral or number), ``'no-parent'`` (e.g. a
      rincian line before any sub kegiatan), ``'conflict'`` (NO and kode
      disagree; the kode wins);
    - ``no_level``, ``kode_level``: what the NO column and the kode each said.

    Works for any table with some of the columns ``no``, ``kode``, ``uraian``
    (realisasi, refocusing, PK program lists). Top-level rows are those of the
    shallowest level present without a parent; ``children(h)`` groups rows by
    parent and gives total rows the top-level rows as children.
    """
    import pandas as pd

    frame = table.frame if hasattr(table, "frame") else table
    n = len(frame)
    rows = list(frame.index)

    def column(key):
        return frame[key].tolist() if key in frame.columns else [None] * n

    nos, kodes, uraians = column("no"), column("kode"), column("uraian")
    has_no = "no" in frame.columns

    levels: list[str | None] = []
    problems: list[str | None] = []
    no_levels: list[str | None] = []
    k_levels: list[str | None] = []
    # NO numbering every row 1, 2, 3 … whatever its kode says is a plain count, not a level
    digit_kode_levels = {kode_level(k) for no, k in zip(nos, kodes) if _no_token(no).isdigit()} - {None}
    plain_numbering = len(digit_kode_levels) > 1
    last_letter = ""        # last program letter seen
    kegiatan_count = 0      # kegiatan seen under the current program
    for i in range(n):
        no, kode, uraian = nos[i], kodes[i], uraians[i]
        if is_total_row(no, kode, uraian):
            levels.append("total")
            problems.append(None)
            no_levels.append(None)
            k_levels.append(None)
            continue
        tok = _no_token(no)
        hint = _text_level(uraian)
        kl = kode_level(kode)
        nl: str | None = None
        problem = None
        if not tok:
            pass  # unnumbered: a rincian line unless the kode says otherwise
        elif tok.isdigit():
            nl = None if plain_numbering else "sub_kegiatan"
        elif tok in _BULLET or re.fullmatch(r"[a-z]", tok):
            nl = "rincian"
        elif re.fullmatch(r"[A-Z]", tok) or (_ROMAN.fullmatch(tok) and tok.isupper()):
            is_roman = bool(_ROMAN.fullmatch(tok))
            if is_roman and len(tok) == 1:  # C, D, I, L, M, V, X: follow the sequences
                next_roman = _roman(kegiatan_count + 1)
                next_letter = chr(ord(last_letter) + 1) if last_letter else "A"
                if hint in ("program", "kegiatan"):
                    nl = hint
                elif tok == next_roman:
                    nl = "kegiatan"
                elif tok == next_letter:
                    nl = "program"
                else:
                    nl = "kegiatan" if tok in ("I", "V", "X") else "program"
            else:
                nl = "kegiatan" if is_roman else "program"
        else:
            problem = "unknown-no"
        if kl is not None:
            level = kl
            problem = "conflict" if nl is not None and nl != kl else None
        elif nl is not None:
            level = nl
        elif hint is not None:
            level, problem = hint, None
        elif problem is None:
            level = "rincian" if (not tok or not has_no or plain_numbering) else None
        else:
            level = None
        if level == "program":
            last_letter = tok if re.fullmatch(r"[A-Z]", tok or "") else (chr(ord(last_letter) + 1) if last_letter else "A")
            kegiatan_count = 0
        elif level == "kegiatan":
            kegiatan_count += 1
        levels.append(level)
        problems.append(problem)
        no_levels.append(nl)
        k_levels.append(kl)

    # parents: the nearest row above with a shallower level
    parents: list[int | None] = [None] * n
    stack: list[tuple[int, int]] = []  # (depth, position)
    seen_data = False
    for i in range(n):
        level = levels[i]
        if level == "total":
            if seen_data:
                stack = []  # a JUMLAH at the bottom closes the tree
            continue
        if level is None:
            continue
        seen_data = True
        d = DEPTH[level]
        while stack and stack[-1][0] >= d:
            stack.pop()
        if stack:
            parents[i] = rows[stack[-1][1]]
        stack.append((d, i))
    placed = [DEPTH[lv] for lv in levels if lv in DEPTH]
    top = min(placed) if placed else None
    for i in range(n):
        if levels[i] in DEPTH and parents[i] is None and DEPTH[levels[i]] != top and problems[i] is None:
            problems[i] = "no-parent"

    return pd.DataFrame(
        {
            "level": pd.Series(levels, index=frame.index, dtype=object),
            "parent": pd.array(parents, dtype="Int64"),
            "problem": pd.Series(problems, index=frame.index, dtype=object),
            "no_level": pd.Series(no_levels, index=frame.index, dtype=object),
            "kode_level": pd.Series(k_levels, index=frame.index, dtype=object),
        },
        index=frame.index,
    )


def top_level_rows(h) -> list[int]:
    """Rows a total row sums: the shallowest level present, without a parent."""
    placed = h[h["level"].isin(list(DEPTH))]
    if placed.empty:
        return []
    top = min(DEPTH[lv] for lv in placed["level"])
    return [int(r) for r, lv, p in zip(placed.index, placed["level"], placed["parent"]) if DEPTH[lv] == top and _isna(p)]


def _isna(v: Any) -> bool:
    import pandas as pd

    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def children(h) -> dict[int, list[int]]:
    """Parent row -> its direct child rows, in sheet order; total rows get the top-level rows."""
    out: dict[int, list[int]] = {}
    for r, p in zip(h.index, h["parent"]):
        if not _isna(p):
            out.setdefault(int(p), []).append(int(r))
    top = top_level_rows(h)
    for r in h.index[h["level"] == "total"]:
        out[int(r)] = list(top)
    return out
