"""The value of a formula saved without one, for the common formulas of a report.

A workbook written by openpyxl-based tools (and many government applications' exports)
keeps its formulas but not their results; calamine then reads those cells as empty. Rather
than give up on them (KX101), the formulas reports use are computed here from the cells they
name, as Excel would: numbers, cell references on the same sheet, ``+ - * /``, unary minus,
``%``, parentheses, ``SUM`` over cells and ranges, ``ROUND``. Anything else (another sheet, a
text operand, a function not listed, a cycle, a division by zero) gives None and the cell stays
KX101: a value is computed only where Excel would show the same number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

_TOKEN = re.compile(r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<range>\$?[A-Za-z]{1,3}\$?\d+:\$?[A-Za-z]{1,3}\$?\d+)
  | (?P<ref>\$?[A-Za-z]{1,3}\$?\d+)(?![\w(!])
  | (?P<func>[A-Za-z][A-Za-z0-9.]*)\s*\(
  | (?P<op>[-+*/%(),;])
)""", re.VERBOSE)
_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_MAX_RANGE = 1_000_000  # cells in one SUM range: a whole column (A:A is not supported anyway)


class _Fail(Exception):
    """The formula is not one we compute, or Excel would show an error."""


def _cell(ref: str) -> tuple[int, int]:
    m = _A1.fullmatch(ref)
    if m is None:
        raise _Fail
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def tokens(formula: str) -> list[tuple[str, str]]:
    """(kind, text) of each token; _Fail for anything not in the supported grammar."""
    out, pos, text = [], 0, formula.strip()
    if text.startswith("="):
        pos = 1
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise _Fail
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def round_half_away(x: float, digits: int) -> float:
    """Excel's ROUND: half away from zero, on the decimal the float prints as."""
    try:
        q = Decimal(1).scaleb(-digits)
        return float(Decimal(repr(x)).quantize(q, rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError, OverflowError):
        raise _Fail from None


class _Parser:
    """Recursive descent over the tokens, evaluating as it goes."""

    def __init__(self, toks: list[tuple[str, str]], value: Callable[[int, int], float | None]):
        self.toks, self.i, self.value = toks, 0, value

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, text: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (text is not None and tok != ("op", text)):
            raise _Fail
        self.i += 1
        return tok

    def expr(self) -> float:
        x = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            y = self.term()
            x = x + y if op == "+" else x - y
        return x

    def term(self) -> float:
        x = self.unary()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            y = self.unary()
            if op == "/" and y == 0:
                raise _Fail  # #DIV/0!
            x = x * y if op == "*" else x / y
        return x

    def unary(self) -> float:
        if self.peek() in (("op", "-"), ("op", "+")):
            op = self.take()[1]
            x = self.unary()
            return -x if op == "-" else x
        x = self.primary()
        while self.peek() == ("op", "%"):
            self.take()
            x = x / 100
        return x

    def primary(self) -> float:
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "ref":
            v = self.value(*_cell(text))
            if v is None:
                raise _Fail  # text, an error or a formula we cannot compute
            return v
        if kind == "op" and text == "(":
            x = self.expr()
            self.take(")")
            return x
        if kind == "func":
            return self.function(text.upper())
        raise _Fail

    def args(self) -> list[Any]:
        """Arguments up to the closing parenthesis: floats, or ('range', cells) for ranges and refs."""
        out: list[Any] = []
        if self.peek() == ("op", ")"):
            self.take()
            return out
        while True:
            tok = self.peek()
            nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
            if tok and tok[0] in ("range", "ref") and nxt in (("op", ","), ("op", ";"), ("op", ")")):
                self.take()
                if tok[0] == "ref":
                    out.append(("range", [_cell(tok[1])]))
                else:
                    (r0, c0), (r1, c1) = (_cell(part) for part in tok[1].split(":"))
                    r0, r1, c0, c1 = min(r0, r1), max(r0, r1), min(c0, c1), max(c0, c1)
                    if (r1 - r0 + 1) * (c1 - c0 + 1) > _MAX_RANGE:
                        raise _Fail
                    out.append(("range", [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]))
            else:
                out.append(self.expr())
            sep = self.take()
            if sep == ("op", ")"):
                return out
            if sep not in (("op", ","), ("op", ";")):
                raise _Fail

    def function(self, name: str) -> float:
        args = self.args()
        if name == "SUM":
            total = 0.0
            for a in args:
                if isinstance(a, tuple):
                    for cell in a[1]:
                        v = self.value(*cell, in_range=True)
                        if v is None:
                            raise _Fail
                        total += v
                else:
                    total += a
            return total
        if name == "ROUND" and len(args) == 2:
            x, digits = (self._number(a) for a in args)
            return round_half_away(x, int(digits))
        raise _Fail

    def _number(self, arg: Any) -> float:
        if isinstance(arg, tuple):  # a single reference as an argument
            if len(arg[1]) != 1:
                raise _Fail
            v = self.value(*arg[1][0])
            if v is None:
                raise _Fail
            return v
        return arg


def evaluate(formula: str, value: Callable[..., float | None]) -> float | None:
    """The value of ``formula`` (with or without '='), or None where it is not computed.

    ``value(row, col, in_range=False)`` gives a zero-based cell's number: 0.0 for an empty
    cell, None where the cell cannot be used (text, an error, an uncomputable formula). In a
    SUM range (``in_range=True``) text counts as nothing, as in Excel; the caller decides.
    """
    try:
        p = _Parser(tokens(formula), value)
        x = p.expr()
        if p.peek() is not None:
            return None
        return x
    except (_Fail, RecursionError, OverflowError, ZeroDivisionError):
        return None


_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?\br\s*=\s*"([A-Za-z]{1,3}[0-9]+)"[^>]*>\s*<(?:\w+:)?f(?:\s[^>]*)?>([^<]*)</(?:\w+:)?f>')


def formula_texts(xml: bytes, cells: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The formula text of each of ``cells`` (zero-based) in a sheet part, where it has one
    (a shared formula's dependants carry none)."""
    out: dict[tuple[int, int], str] = {}
    if not cells:
        return out
    for m in _FORMULA_CELL.finditer(xml):
        try:
            cell = _cell(m.group(1).decode("ascii"))
        except _Fail:
            continue
        if cell in cells and m.group(2).strip():
            text = m.group(2).decode("utf-8", "replace")
            if "&" in text:  # an entity (&lt; &amp; &quot;): html is imported only then
                import html

                text = html.unescape(text)
            out[cell] = text
    return out


def compute_uncached(rows: list[list[Any]], uncached: set[tuple[int, int]],
                     texts: dict[tuple[int, int], str]) -> dict[tuple[int, int], float]:
    """Values of the uncached formula cells that can be computed, from the sheet's values
    (``rows``, uncached cells read as None) and each other (a JUMLAH over sisa formulas)."""
    done: dict[tuple[int, int], float | None] = {}
    busy: set[tuple[int, int]] = set()

    def value(r: int, c: int, in_range: bool = False) -> float | None:
        if (r, c) in uncached:
            return compute(r, c)
        v = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
        if v is None:
            return 0.0
        if v.__class__ in (int, float):
            return float(v)
        if in_range and isinstance(v, str):
            return 0.0  # SUM skips text in ranges
        return None

    def compute(r: int, c: int) -> float | None:
        if (r, c) in done:
            return done[(r, c)]
        if (r, c) in busy or (r, c) not in texts:
            return None  # a cycle, or no formula text (a shared formula's dependant)
        busy.add((r, c))
        try:
            result = evaluate(texts[(r, c)], value)
        finally:
            busy.discard((r, c))
        done[(r, c)] = result
        return result

    out = {}
    for cell in sorted(uncached):
        v = compute(*cell)
        if v is not None:
            out[cell] = v
    return out
