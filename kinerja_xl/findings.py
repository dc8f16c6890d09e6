"""The finding: plain data that every reporter renders.

A rule never formats output itself; it returns findings. The terminal table,
the JSON document, SARIF, the findings sheet and the Excel highlights all read
the same fields, so what a user sees in Excel matches what CI prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from typing import Any, Mapping

from kinerja_xl.numfmt import format_value


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]

    def label(self, lang: str = "id") -> str:
        if lang == "en":
            return self.value
        return {"error": "galat", "warning": "peringatan", "info": "info"}[self.value]


@dataclass(frozen=True)
class Percent:
    """A percentage in percent units (77.08, not 0.7708), printed with `decimals`."""

    value: float
    decimals: int = 2

    def __float__(self) -> float:
        return float(self.value)


@dataclass(frozen=True)
class Finding:
    """One problem at one place.

    ``message_id``/``message_en`` are templates (``str.format`` fields) filled
    from ``params``; numbers in ``params`` are formatted per language when the
    message is rendered, so ``6.255.403.861`` reads right in Indonesian and
    ``6,255,403,861`` in English.
    """

    code: str
    name: str
    severity: Severity
    message_id: str
    message_en: str
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row_key: str | None = None
    expected: Any = None
    actual: Any = None
    difference: Any = None
    related: tuple[str, ...] = ()  # other cells involved, as "'Sheet'!A1"

    def message(self, lang: str = "id") -> str:
        template = self.message_en if lang == "en" else self.message_id
        values = {k: format_value(v, lang) for k, v in self.params.items()}
        for key in ("expected", "actual", "difference"):
            values.setdefault(key, format_value(getattr(self, key), lang))
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return template

    @property
    def location(self) -> str:
        """``'Sheet'!E12`` (or just the sheet, or empty)."""
        if not self.sheet:
            return ""
        sheet = "'" + self.sheet.replace("'", "''") + "'"
        return f"{sheet}!{self.cell}" if self.cell else sheet

    def with_file(self, file: str) -> "Finding":
        return replace(self, file=file)


def json_number(value: Any) -> Any:
    """JSON-safe form of expected/actual/difference: numbers stay numbers."""
    if value is None:
        return None
    if isinstance(value, Percent):
        return round(float(value.value), 6)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, str)):
        return value
    return str(value)
