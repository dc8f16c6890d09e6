"""The finding: plain data that every reporter renders.

A rule never formats output itself; it returns findings. The terminal table,
the JSON document, SARIF, the findings sheet and the Excel highlights all read
the same fields, so what a user sees in Excel matches what CI prints.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from typing import Any, Mapping

from kinerja_xl.i18n import N_, translate
from kinerja_xl.numfmt import format_value


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]

    def label(self, lang: str = "id") -> str:
        return translate(_SEVERITY_LABELS[self.value], lang)


_SEVERITY_LABELS = {"error": N_("galat"), "warning": N_("peringatan"), "info": N_("info")}


@dataclass(frozen=True)
class Percent:
    """A percentage in percent units (77.08, not 0.7708), printed with `decimals`."""

    value: float
    decimals: int = 2

    def __float__(self) -> float:
        return float(self.value)


@dataclass(frozen=True)
class Fixed:
    """A number printed with exactly ``decimals`` places (rounded as Python's format does: 83,00)."""

    value: float
    decimals: int = 2


@dataclass(frozen=True)
class Finding:
    """One problem at one place.

    ``message_id`` is the message's gettext msgid: its Indonesian
    ``str.format`` template, filled from ``params`` and translated only when
    rendered (``message(lang)``, see ``kinerja_xl.i18n``). Numbers in
    ``params`` are formatted per language, so ``6.255.403.861`` reads right in
    Indonesian and ``6,255,403,861`` in English; a parameter marked with
    ``N_`` is translated too.
    """

    code: str
    name: str
    severity: Severity
    message_id: str
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
        template = translate(self.message_id, lang)
        names = _template_names(template)
        if names is None:  # positional or malformed fields: str.format would refuse them anyway
            return template
        # only the fields the template names are formatted (KX301 carries an unused ``result``; 3.137
        # messages at 100.000 rows: ~20 -> ~15 ms); a parameter overrides the field of the same name
        params, values = self.params, {}
        for name in names:
            if name in params:
                values[name] = format_value(params[name], lang)
            elif name in _VALUE_FIELDS:
                values[name] = format_value(getattr(self, name), lang)
            else:  # a field nothing fills: the template as it stands, as str.format's KeyError gave
                return template
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


_VALUE_FIELDS = frozenset(("expected", "actual", "difference"))


@functools.lru_cache(maxsize=1024)
def _template_names(template: str) -> tuple[str, ...] | None:
    """The keyword fields a message template names (``{kolom}``, ``{x.attr}`` -> ``x``), each once;
    None when it has a positional field or does not parse."""
    names: dict[str, None] = {}
    try:
        fields = [(f, spec) for _, f, spec, _ in string.Formatter().parse(template) if f is not None]
        for field_name, spec in fields:
            if spec and "{" in spec:  # a nested field, {x:{width}}
                fields += [(f, "") for _, f, _, _ in string.Formatter().parse(spec) if f is not None]
            name = field_name.split(".", 1)[0].split("[", 1)[0]
            if not name or name.isdigit():
                return None
            names[name] = None
    except ValueError:
        return None
    return tuple(names)


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
