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

from kinerja_xl.i18n import N_, translate, translations
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


@dataclass(frozen=True, init=False)
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

    def __init__(self, code: str, name: str, severity: Severity, message_id: str,
                 params: Mapping[str, Any] | None = None, file: str | None = None, sheet: str | None = None,
                 cell: str | None = None, row_key: str | None = None, expected: Any = None, actual: Any = None,
                 difference: Any = None, related: tuple[str, ...] = ()):
        # the fields (in the order declared above) set as one dict: the frozen dataclass' own __init__
        # calls object.__setattr__ once a field (3.137 findings at 100.000 rows: ~6 -> ~3,4 ms)
        object.__setattr__(self, "__dict__", {
            "code": code, "name": name, "severity": severity, "message_id": message_id,
            "params": {} if params is None else params, "file": file, "sheet": sheet, "cell": cell,
            "row_key": row_key, "expected": expected, "actual": actual, "difference": difference,
            "related": related})

    def message(self, lang: str = "id") -> str:
        return messages_for(lang)(self)

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


class Messages:
    """The messages of findings in one language (``Finding.message``); a reporter writing many keeps
    one, which translates and parses each distinct template once."""

    def __init__(self, lang: str = "id"):
        self.lang = lang
        self.catalogue = translations(lang)  # what the templates were translated with
        self._templates: dict[tuple[str, str | None], tuple[str, tuple[str, ...] | None, str | None]] = {}

    def __call__(self, f: Finding) -> str:
        msgid = f.message_id
        key = (msgid, getattr(msgid, "context", None))  # one Indonesian text may have two translations
        compiled = self._templates.get(key)
        if compiled is None:
            template = translate(msgid, self.lang)
            compiled = self._templates[key] = (template, *_compiled(template))
        template, names, positional = compiled
        if names is None:  # positional or malformed fields: str.format would refuse them anyway
            return template
        # only the fields the template names are formatted (KX301 carries an unused ``result``); a
        # parameter overrides the field of the same name
        params, lang, values = f.params, self.lang, []
        for name in names:
            if name in params:
                value = params[name]
            elif name in _VALUE_FIELDS:
                value = getattr(f, name)
            else:  # a field nothing fills: the template as it stands, as str.format's KeyError gave
                return template
            values.append(format_value(value, lang))
        if positional is not None:
            return positional.format(*values)
        try:
            return template.format(**dict(zip(names, values)))
        except (KeyError, IndexError, ValueError):
            return template


_shared: dict[str, Messages] = {}


def messages_for(lang: str) -> Messages:
    """The ``Messages`` of a language for messages written one at a time (``Finding.message``), made
    anew when the catalogues change (``i18n.register_domain``) or it holds over 10.000 templates."""
    messages = _shared.get(lang)
    if messages is None or messages.catalogue is not translations(lang) or len(messages._templates) > 10_000:
        messages = _shared[lang] = Messages(lang)
    return messages


@functools.lru_cache(maxsize=1024)
def _compiled(template: str) -> tuple[tuple[str, ...] | None, str | None]:
    """The keyword fields ``template`` names (``_template_names``) and, when every field is a bare
    ``{name}``, the same template with positional fields (``{0}``), which ``str.format(*values)`` fills
    without a dict of keywords (~1,3 -> ~0,8 µs a message)."""
    names = _template_names(template)
    if names is None:
        return None, None
    index = {name: str(i) for i, name in enumerate(names)}
    parts = []
    for literal, field_name, spec, conversion in string.Formatter().parse(template):
        parts.append(literal.replace("{", "{{").replace("}", "}}"))
        if field_name is None:
            continue
        if spec or conversion or field_name not in index:  # {x:>10}, {x!r}, {x.attr}, {x[0]}: by keyword
            return names, None
        parts.append("{" + index[field_name] + "}")
    return names, "".join(parts)


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
