"""The structure of an LRA / APBD(es) table: account codes, blocks, closing rows.

Shared by the Laporan Realisasi Anggaran (``lra``) and the APBD/APBDes
perubahan (``perubahan``) kinds. Works on the table's frame alone (text
columns ``kode``/``no``/``uraian`` and the money columns), so the pandera
checks and the rules see the same thing.

A row's account code is the leading ``4``, ``4.1.``, ``5.1.1.01``, ``01.01``
of its text; ``5.1.1.01. [01.01.01]`` (an account under the village
kegiatan ``01.01.01``) hangs under the bracketed code. A code's row is the
sum of its direct children (the nearest rows below it with longer codes
under it). Blocks PENDAPATAN / BELANJA / PEMBIAYAAN start at their heading
row; ``JUMLAH PENDAPATAN`` / ``JUMLAH BELANJA`` close their own block only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kinerja_xl.tables import fold

_CODE = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,4})*)\.?(?:\s*\[\s*(\d{1,3}(?:\.\d{1,4})*)\.?\s*\])?(?=\s|$)")
# a letter or roman enumerator before the text ('a.', '(1) a.', 'II.'): numbering, not an account code
_ENUM = re.compile(r"^\s*(\(\d+\)\s*)?([a-zA-Z]|[IVX]{1,4})[.)]\s+")
_BLOCK_HEADS = {"PENDAPATAN": "pendapatan", "BELANJA": "belanja", "PEMBIAYAAN": "pembiayaan"}
_BLOCK_OF_DIGIT = {"4": "pendapatan", "5": "belanja", "6": "pembiayaan"}

# closing rows (no code of their own): kind -> label prefixes (folded)
_CLOSING = (
    ("jumlah_pendapatan", ("JUMLAH PENDAPATAN", "TOTAL PENDAPATAN")),
    ("jumlah_belanja", ("JUMLAH BELANJA", "TOTAL BELANJA")),
    ("jumlah_penerimaan", ("JUMLAH PENERIMAAN PEMBIAYAAN", "TOTAL PENERIMAAN PEMBIAYAAN")),
    ("jumlah_pengeluaran", ("JUMLAH PENGELUARAN PEMBIAYAAN", "TOTAL PENGELUARAN PEMBIAYAAN")),
    ("netto", ("PEMBIAYAAN NETTO", "PEMBIAYAAN NETO", "JUMLAH PEMBIAYAAN NETTO", "JUMLAH PEMBIAYAAN NETO",
               "NETTO PEMBIAYAAN", "NETO PEMBIAYAAN")),
    ("silpa", ("SILPA", "SISA LEBIH PEMBIAYAAN", "SISA LEBIH KURANG PEMBIAYAAN", "SISA LEBIH KURANG",
               "SILPA SILPA", "SISA LEBIH")),
)


@dataclass
class Row:
    row: int  # Excel row
    path: tuple[str, ...] | None  # account code as parts (bracketed parent first), None without a code
    label: str  # folded text after the code
    role: str | None = None  # 'head', 'surplus', a _CLOSING kind, or None for an account row
    block: str | None = None


@dataclass
class Failure:
    """One identity broken on one cell."""

    row: int
    key: str
    expected: int  # sen
    actual: int
    what: str  # which identity: 'parent', 'jumlah_pendapatan', 'surplus', 'netto', 'silpa', …
    parts: list[int] = field(default_factory=list)  # the rows it was computed from


def _text(frame, keys: tuple[str, ...]) -> list[str]:
    cols = [frame[k].tolist() for k in keys if k in frame.columns]
    out = []
    for values in zip(*cols) if cols else [() for _ in range(len(frame))]:
        out.append(" ".join(str(v).strip() for v in values if isinstance(v, str) and v.strip()))
    return out


def _role(label: str, has_code: bool) -> str | None:
    if label in _BLOCK_HEADS or re.fullmatch(r"(PENDAPATAN|BELANJA|PEMBIAYAAN)( DESA| DAERAH)?", label):
        return "head"
    if has_code:
        return None
    if label.startswith(("SURPLUS", "DEFISIT")) or re.match(r"(JUMLAH )?SURPLUS|.*\bDEFISIT\b", label):
        if not label.startswith(("JUMLAH PENDAPATAN", "JUMLAH BELANJA")):
            return "surplus"
    for role, prefixes in _CLOSING:
        if label.startswith(prefixes):
            return role
    return None


# an old-style code in its own column, its segments apart ('1 1 2 3', Permendagri 113/2014 prints)
_SPACED_CODE = re.compile(r"\s*\d{1,3}(?: +\d{1,4})+\s*")


def _dotted_codes(frame):
    """The frame with a KODE column's space-separated codes written with dots ('1 1 2' -> '1.1.2')."""
    if "kode" not in frame.columns:
        return frame
    kode = frame["kode"].tolist()
    if not any(isinstance(v, str) and _SPACED_CODE.fullmatch(v) for v in kode):
        return frame
    frame = frame.copy()
    frame["kode"] = [".".join(v.split()) if isinstance(v, str) and _SPACED_CODE.fullmatch(v) else v for v in kode]
    return frame


def parse_rows(frame) -> list[Row]:
    """Every row of the frame with its code, folded label, role and block."""
    texts = _text(_dotted_codes(frame), ("kode", "no", "uraian"))
    rows: list[Row] = []
    block = None
    for r, text in zip(frame.index, texts):
        m = _CODE.match(text)
        path = None
        rest = text
        if m:
            path = tuple(m.group(1).split("."))
            if m.group(2):
                path = tuple(m.group(2).split(".")) + (m.group(1),)
            rest = text[m.end():]
        label = fold(_ENUM.sub("", rest) if path is None else rest)
        role = _role(label, path is not None)
        if role == "head":
            head = label.split()[0]
            block = _BLOCK_HEADS[head]
        elif path is not None and block is None and path[0] in _BLOCK_OF_DIGIT and len(path[0]) == 1:
            block = _BLOCK_OF_DIGIT[path[0]]
        elif role is None and path is None and re.match(r"(PENERIMAAN|PENGELUARAN) PEMBIAYAAN", label):
            block = "pembiayaan"
        rows.append(Row(int(r), path, label, role, block))
        if role in ("jumlah_pendapatan", "jumlah_belanja", "surplus", "silpa"):
            block = None  # a JUMLAH closes its own block: what follows is not summed into it
    return rows


def _is_under(child: tuple[str, ...], parent: tuple[str, ...]) -> bool:
    return len(child) > len(parent) and child[:len(parent)] == parent


def _val(frame, row: int, key: str) -> int | None:
    v = frame.at[row, key]
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        return None
    return int(v)


class Structure:
    """The rows of one table with their hierarchy, and the identities among them."""

    def __init__(self, frame, amounts: list[str]):
        self.frame = frame
        self.amounts = [k for k in amounts if k in frame.columns]
        self.rows = parse_rows(frame)
        self._kids: dict[int, list[int]] = {}
        # one pass with the chain of open ancestors: a coded row hangs under the nearest row above it whose
        # code is a prefix of its own, as long as no row outside that code came between (O(rows × depth))
        stack: list[Row] = []
        for row in self.rows:
            if row.path is None:
                if row.role is not None or row.label:
                    stack.clear()  # a JUMLAH, SURPLUS or plain text row ends every open code
                continue
            if row.role not in (None, "head"):
                stack.clear()
                continue
            while stack and not _is_under(row.path, stack[-1].path):
                stack.pop()
            if stack:
                self._kids.setdefault(stack[-1].row, []).append(row.row)
            stack.append(row)
        self.by_row = {r.row: r for r in self.rows}
        self._values: dict[str, dict[int, int | None]] = {}
        # identity -> rows it judged (all its values known), filled as the failures are looked for
        self.judged: dict[str, set[int]] = {}

    def value(self, row: int, key: str, depth: int = 0) -> int | None:
        """The row's amount, or for a heading with no amount the sum of its children's."""
        memo = self._values.setdefault(key, {})
        if row in memo:
            return memo[row]
        v = _val(self.frame, row, key)
        if v is None and depth <= 12 and self._kids.get(row):
            vals = [self.value(k, key, depth + 1) for k in self._kids[row]]
            v = None if any(x is None for x in vals) else sum(vals)
        memo[row] = v
        return v

    def parent_failures(self) -> list[Failure]:
        out = []
        for parent, kids in self._kids.items():
            for key in self.amounts:
                actual = _val(self.frame, parent, key)
                if actual is None:
                    continue
                vals = [self.value(k, key) for k in kids]
                if any(v is None for v in vals):
                    continue
                self.judged.setdefault("parent", set()).add(parent)
                if sum(vals) != actual:
                    out.append(Failure(parent, key, sum(vals), actual, "parent", list(kids)))
        return out

    def _block_rows(self, block: str) -> list[Row]:
        return [r for r in self.rows if r.block == block and r.path is not None and r.role in (None, "head")]

    def block_total(self, block: str, key: str) -> tuple[int | None, list[int]]:
        """Σ of the top account rows of a block (rows with no coded ancestor carrying an amount)."""
        rows = self._block_rows(block)
        valued = [r for r in rows if self.value(r.row, key) is not None]
        paths = {r.path for r in valued}
        top = [r for r in valued if not any(r.path[:n] in paths for n in range(1, len(r.path)))]
        if not top:
            return None, []
        return sum(self.value(r.row, key) for r in top), [r.row for r in top]

    def _closing(self, role: str) -> Row | None:
        return next((r for r in self.rows if r.role == role), None)

    def _total_of(self, block: str, key: str) -> tuple[int | None, int | None]:
        """(value, row) standing for a block's total: its JUMLAH row, else its heading's own amount."""
        row = self._closing(f"jumlah_{block}")
        if row is not None:
            return _val(self.frame, row.row, key), row.row
        head = next((r for r in self.rows if r.role == "head" and r.block == block), None)
        if head is not None and _val(self.frame, head.row, key) is not None:
            return _val(self.frame, head.row, key), head.row
        return None, None

    def _financing(self, which: str, key: str) -> tuple[int | None, int | None]:
        row = self._closing(f"jumlah_{which}")
        if row is not None:
            return _val(self.frame, row.row, key), row.row
        word = "PENERIMAAN" if which == "penerimaan" else "PENGELUARAN"
        for r in self.rows:
            if r.label.startswith(word) and r.role is None and (r.path is None or len(r.path) <= 2):
                return self.value(r.row, key), r.row
        return None, None

    def corrections(self) -> dict[tuple[int, str], int]:
        """(row, amount column) -> the value the code sums and balance rows say it should hold."""
        cached = self.__dict__.get("_corrections")
        if cached is None:
            cached = self.__dict__["_corrections"] = {
                (f.row, f.key): f.expected
                for f in self.parent_failures() + self.total_failures() + self.balance_failures()}
        return cached

    def total_failures(self) -> list[Failure]:
        out = []
        for role, block in (("jumlah_pendapatan", "pendapatan"), ("jumlah_belanja", "belanja")):
            row = self._closing(role)
            if row is None:
                continue
            for key in self.amounts:
                actual = _val(self.frame, row.row, key)
                expected, parts = self.block_total(block, key)
                if actual is None or expected is None:
                    continue
                self.judged.setdefault("total", set()).add(row.row)
                if expected != actual:
                    out.append(Failure(row.row, key, expected, actual, role, parts))
        return out

    def balance_failures(self) -> list[Failure]:
        """SURPLUS/(DEFISIT), PEMBIAYAAN NETTO and SiLPA rows."""
        out = []
        surplus, netto, silpa = self._closing("surplus"), self._closing("netto"), self._closing("silpa")
        for key in self.amounts:
            s_val = None
            if surplus is not None:
                (p, pr), (b, br) = self._total_of("pendapatan", key), self._total_of("belanja", key)
                s_val = _val(self.frame, surplus.row, key)
                if p is not None and b is not None and s_val is not None:
                    self.judged.setdefault("surplus", set()).add(surplus.row)
                if p is not None and b is not None and s_val is not None and s_val != p - b:
                    out.append(Failure(surplus.row, key, p - b, s_val, "surplus", [pr, br]))
            n_val = None
            if netto is not None:
                n_val = _val(self.frame, netto.row, key)
                (inn, ir), (outv, orow) = self._financing("penerimaan", key), self._financing("pengeluaran", key)
                if inn is not None and n_val is not None:
                    self.judged.setdefault("netto", set()).add(netto.row)
                    expected = inn - (outv or 0)
                    if expected != n_val:
                        out.append(Failure(netto.row, key, expected, n_val, "netto", [x for x in (ir, orow) if x]))
            if silpa is not None and surplus is not None and netto is not None and silpa.row > netto.row:
                v = _val(self.frame, silpa.row, key)
                # a surplus row already found wrong counts with its right value: one mistake, one finding
                s_used = next((f.expected for f in out if f.what == "surplus" and f.key == key), s_val)
                if v is not None and s_used is not None and n_val is not None:
                    self.judged.setdefault("silpa", set()).add(silpa.row)
                if v is not None and s_used is not None and n_val is not None and v != s_used + n_val:
                    out.append(Failure(silpa.row, key, s_used + n_val, v, "silpa", [surplus.row, netto.row]))
        return out


def structure_of(table, amounts: list[str]) -> Structure:
    """The table's structure, built once per table."""
    cache = table.__dict__.setdefault("_lra_structure", {})
    key = tuple(amounts)
    if key not in cache:
        cache[key] = Structure(table.frame, amounts)
    return cache[key]


def difference_failures(frame, minuend: str, subtrahend: str, diff: str,
                        convention: str | None = None) -> tuple[str, list[Failure]]:
    """Rows breaking ``diff`` = ``minuend`` − ``subtrahend`` (or the reverse, when most rows say so).

    ``convention`` None reads it from the rows that agree with one of the two
    (rows where both sides are equal say nothing); a tie keeps the given order.
    Returns ('forward' | 'reverse', failures).
    """
    import pandas as pd

    if not all(k in frame.columns for k in (minuend, subtrahend, diff)):
        return "forward", []
    sub = frame[[minuend, subtrahend, diff]].dropna()
    a, b, d = (sub[k].astype("int64") for k in (minuend, subtrahend, diff))
    forward, reverse = (d == a - b), (d == b - a)
    if convention is None:
        informative = a != b
        convention = "reverse" if int((reverse & informative).sum()) > int((forward & informative).sum()) else "forward"
    ok = reverse if convention == "reverse" else forward
    out = []
    for r in sub.index[~ok.to_numpy(dtype=bool)]:
        x, y = int(a[r]), int(b[r])
        expected = y - x if convention == "reverse" else x - y
        out.append(Failure(int(r), diff, expected, int(d[r]), convention, []))
    del pd
    return convention, out


def percent_failures(frame, numerator: str, denominator: str, percent: str, config=None) -> list[tuple[int, float, float, int]]:
    """(row, expected %, printed %, decimals) where ``percent`` ≠ numerator / denominator × 100.

    Every row with a denominator other than zero, negative ones included (a
    defisit over a defisit); within half a unit of the printed decimals.
    """
    import decimal

    import pandas as pd

    from kinerja_validators.realisasi.analysis import _percent_reading

    if not all(k in frame.columns for k in (numerator, denominator, percent)):
        return []
    dps = frame[f"{percent}__dp"].tolist() if f"{percent}__dp" in frame.columns else [None] * len(frame)
    out = []
    for r, x, p, v, dp in zip(frame.index, frame[numerator].tolist(), frame[denominator].tolist(),
                              frame[percent].tolist(), dps):
        if pd.isna(x) or pd.isna(p) or pd.isna(v) or int(p) == 0:
            continue
        expected = float(decimal.Decimal(int(x)) / decimal.Decimal(int(p)) * 100)
        ok, shown, d = _percent_reading(float(v), None if pd.isna(dp) else int(dp), expected, config)
        if not ok:
            out.append((int(r), expected, shown, d))
    return out
