"""Reading numbers the way Indonesian reports write them.

``6.255.403.861`` (dot groups thousands), ``1.234.567,50`` (comma is the
decimal point), ``Rp. 6.183.035.351,-``, ``(1.234)`` negative, ``-`` zero,
``101,02%`` and ``86.32%``. A string that could mean two different numbers is
reported as ambiguous instead of guessed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any


class NumberStatus(str, Enum):
    BLANK = "blank"          # empty cell
    NUMBER = "number"        # a real Excel number
    TEXT = "text"            # a number typed as text (read, reported as info)
    DASH = "dash"            # '-' meaning zero
    UNPARSEABLE = "unparseable"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal | None
    status: NumberStatus
    percent: bool = False     # the text carried a % sign (value is in percent units)
    decimals: int | None = None  # digits printed after the decimal separator, when text

    @property
    def ok(self) -> bool:
        return self.status not in (NumberStatus.UNPARSEABLE, NumberStatus.AMBIGUOUS)


_DASHES = {"-", "–", "—", "--", "−"}
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_TRAILING_ZERO_SEN = re.compile(r"[.,]-+$")  # "6.183.035.351,-"
_BODY = re.compile(r"^\d[\d.,]*$")


def _grouped(text: str, sep: str) -> bool:
    return re.fullmatch(r"\d{1,3}(?:" + re.escape(sep) + r"\d{3})+", text) is not None


def _parse_body(body: str) -> tuple[Decimal, int] | None:
    """Digits with separators -> (value, decimals printed). None if ambiguous."""
    has_dot, has_comma = "." in body, "," in body
    if not has_dot and not has_comma:
        return Decimal(body), 0
    if has_dot and has_comma:
        last_dot, last_comma = body.rfind("."), body.rfind(",")
        group, point = (".", ",") if last_comma > last_dot else (",", ".")
        whole, _, frac = body.rpartition(point)
        if point in whole or (group in whole and not _grouped(whole, group)):
            return None
        if not frac.isdigit():
            return None
        return Decimal(whole.replace(group, "") + "." + frac), len(frac)
    sep = "." if has_dot else ","
    parts = body.split(sep)
    if len(parts) > 2:
        if _grouped(body, sep):
            return Decimal(body.replace(sep, "")), 0
        return None  # 1,234,567,89: groups that are not thousands
    whole, frac = parts
    if not whole or not frac:
        return None
    if sep == "." and len(frac) == 3:
        return Decimal(whole + frac), 0  # Indonesian grouping: 1.234 = 1234
    return Decimal(whole + "." + frac), len(frac)


def parse_number(raw: Any) -> ParsedNumber:
    """Parse one cell value (as a reader returns it) into an exact Decimal."""
    if raw is None:
        return ParsedNumber(None, NumberStatus.BLANK)
    if isinstance(raw, bool):
        return ParsedNumber(None, NumberStatus.UNPARSEABLE)
    if isinstance(raw, int):
        return ParsedNumber(Decimal(raw), NumberStatus.NUMBER)
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return ParsedNumber(None, NumberStatus.BLANK if math.isnan(raw) else NumberStatus.UNPARSEABLE)
        # repr gives the shortest text that round-trips: 14889710.0 -> 14889710, 0.1 -> 0.1
        d = Decimal(repr(raw))
        return ParsedNumber(d.to_integral_value() if d == d.to_integral_value() else d, NumberStatus.NUMBER)
    if isinstance(raw, Decimal):
        return ParsedNumber(raw, NumberStatus.NUMBER)
    if not isinstance(raw, str):
        return ParsedNumber(None, NumberStatus.UNPARSEABLE)
    return parse_text(raw)


_PLAIN_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")  # 30.700.000: the usual amount typed as text


def parse_text(raw: str) -> ParsedNumber:
    if _PLAIN_GROUPED.fullmatch(raw):  # what the steps below make of it, without them
        return ParsedNumber(Decimal(raw.replace(".", "")), NumberStatus.TEXT, False, 0)
    text = raw.replace("\u00a0", " ").strip()
    if not text:
        return ParsedNumber(None, NumberStatus.BLANK)
    if text in _DASHES:
        return ParsedNumber(Decimal(0), NumberStatus.DASH)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    text = _CURRENCY.sub("", text)
    text = _TRAILING_ZERO_SEN.sub("", text).strip()
    if not text:
        return ParsedNumber(None, NumberStatus.BLANK)  # a bare 'Rp': the amount sits in the next cell
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    if text[:1] in ("-", "−", "–"):
        negative, text = not negative, text[1:].strip()
    text = text.replace(" ", "")
    if text in ("", *_DASHES):
        return ParsedNumber(Decimal(0), NumberStatus.DASH, percent)
    if not _BODY.match(text):
        return ParsedNumber(None, NumberStatus.UNPARSEABLE)
    try:
        parsed = _parse_body(text)
    except InvalidOperation:
        parsed = None
    if parsed is None:
        return ParsedNumber(None, NumberStatus.AMBIGUOUS, percent)
    value, decimals = parsed
    return ParsedNumber(-value if negative else value, NumberStatus.TEXT, percent, decimals)
