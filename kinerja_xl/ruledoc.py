"""Rule documentation as data: one YAML file per rule code, in Indonesian and English.

A rule's code says what it checks; its doc file (``KX301.yaml``) says it to a
clerk: a one-line ``summary``, an ``explanation`` (light Markdown), a small
``example`` with a *Salah* (wrong) and a *Benar* (right) table, and
``example_params`` that fill the rule's message template so ``explain`` shows
the message exactly as a finding would print it. Keeping the prose out of the
docstrings lets it be bilingual, checked by a test, and read only when asked
(``kinerja-xl --help`` reads no YAML).

The engine's own codes keep their docs in ``kinerja_xl/data/rule_docs``; a
package of rules adds its folder with :func:`add_doc_path`. The engine never
imports a rule package to find its docs.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping

from kinerja_xl.i18n import N_, gettext_for, translate

ENGINE_DOCS = Path(__file__).resolve().parent / "data" / "rule_docs"
LANGS = ("id", "en")

SUMMARY_MAX = 100  # `kinerja-xl rules` shows it in one table column

DOC_PATHS: list[Path] = [ENGINE_DOCS]

_WORDS = {"salah": N_("Salah"), "benar": N_("Benar"), "tables": N_("tabel"), "message": N_("Pesan seperti yang tampil"),
          "example": N_("Contoh"), "none": N_("(tidak ada dokumentasi untuk aturan ini)")}


@dataclass(frozen=True)
class RuleDoc:
    code: str
    name: str
    summary: Mapping[str, str]
    explanation: Mapping[str, str]
    example: Mapping[str, Any]
    example_params: Mapping[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def text(self, part: str, lang: str) -> str:
        value = getattr(self, part)
        return str(value.get(lang) or value.get("id") or "").strip()


def add_doc_path(path: str | Path) -> None:
    """Let a rule package say where its docs live (call once, when its rules register)."""
    p = Path(path)
    if p not in DOC_PATHS:
        DOC_PATHS.append(p)
        _load.cache_clear()


def load_doc(code: str, search_paths: Iterable[str | Path] | None = None) -> RuleDoc | None:
    """The doc of ``code`` from the first search path holding ``CODE.yaml`` (read once, cached)."""
    paths = tuple(Path(p) for p in (DOC_PATHS if search_paths is None else search_paths))
    return _load(code.upper(), paths)


@functools.lru_cache(maxsize=None)
def _loader():
    import re

    import yaml  # only when a doc is asked for: start-up never pays for it

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when installed: 3× faster
        """YAML 1.2 booleans: a table header ``NO`` (nomor) stays text, not ``False``."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))
    return Loader


def yaml_load(text: str) -> Any:
    """Load rule docs and rule cases: safe YAML where only true/false are booleans."""
    import yaml

    return yaml.load(text, Loader=_loader())  # noqa: S506  (a SafeLoader subclass)


@functools.lru_cache(maxsize=None)
def _load(code: str, paths: tuple[Path, ...]) -> RuleDoc | None:
    for folder in paths:
        path = folder / f"{code}.yaml"
        if path.is_file():
            data = yaml_load(path.read_text(encoding="utf-8")) or {}
            return RuleDoc(
                code=str(data.get("code", code)), name=str(data.get("name", "")),
                summary=data.get("summary") or {}, explanation=data.get("explanation") or {},
                example=data.get("example") or {}, example_params=data.get("example_params") or {}, path=path,
            )
    return None


def _code_of(rule_or_code: Any) -> str:
    return rule_or_code if isinstance(rule_or_code, str) else rule_or_code.code


def summary(rule_or_code: Any, lang: str = "id", search_paths: Iterable[str | Path] | None = None) -> str:
    """One line for ``kinerja-xl rules``; the rule's own summary when it has no doc file."""
    doc = load_doc(_code_of(rule_or_code), search_paths)
    if doc is not None and doc.text("summary", lang):
        return doc.text("summary", lang)
    return "" if isinstance(rule_or_code, str) else str(getattr(rule_or_code, "summary", "") or "")


def param_value(value: Any, lang: str = "id") -> Any:
    """YAML value of an example parameter -> what a rule puts in a finding.

    ``{percent: 83.33}`` is a Percent, ``{decimal: "0.379"}`` a Decimal (three places kept), and
    ``{id: ..., en: ...}`` a text per language (for ``{detail}`` messages the engine writes whole).
    """
    from kinerja_xl.findings import Percent

    if isinstance(value, Mapping):
        if "id" in value or "en" in value:
            return value.get(lang) or value.get("id")
        if "percent" in value:
            return Percent(float(value["percent"]), int(value.get("decimals", 2)))
        if "decimal" in value:
            return Decimal(str(value["decimal"]))
    return value


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def example_message(rule: Any, lang: str = "id", search_paths: Iterable[str | Path] | None = None) -> str | None:
    """The rule's message template filled with its doc's ``example_params``, formatted as a finding prints it."""
    from kinerja_xl.findings import Finding

    doc = load_doc(rule.code, search_paths)
    if doc is None:
        return None
    params = {k: param_value(v, lang) for k, v in doc.example_params.items()}
    finding = Finding(code=rule.code, name=rule.name, severity=rule.severity, message_id=rule.message,
                      params=params, expected=params.get("expected"),
                      actual=params.get("actual"), difference=params.get("difference"))
    return finding.message(lang)


def _cell(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("id") or "")
    return "" if value is None else str(value)


def _example_table(example: Mapping[str, Any], lang: str):
    from rich.table import Table

    words = {k: translate(v, lang) for k, v in _WORDS.items()}
    columns = example.get("columns") or {}
    columns = columns.get(lang) or columns.get("id") if isinstance(columns, Mapping) else columns
    table = Table(show_header=bool(columns), box=None, pad_edge=False, header_style="bold")
    table.add_column("", style="bold")
    for c in columns or [""]:
        table.add_column(str(c), overflow="fold")
    for key, style in (("salah", "red"), ("benar", "green")):
        rows = example.get(key)
        if rows is None:
            continue
        if not isinstance(rows, list):
            rows = [[rows]]
        for i, row in enumerate(rows):
            row = row if isinstance(row, list) else [row]
            table.add_row(f"[{style}]{words[key]}[/]" if i == 0 else "", *(_cell(v, lang) for v in row))
    return table


def render_explain(rule: Any, lang: str = "id", search_paths: Iterable[str | Path] | None = None):
    """What ``kinerja-xl explain CODE`` prints: a rich renderable (print it with a rich Console)."""
    from rich.console import Group
    from rich.markdown import Markdown
    from rich.text import Text

    lang = lang if lang in LANGS else "id"
    _ = gettext_for(lang)
    words = {k: _(v) for k, v in _WORDS.items()}
    doc = load_doc(rule.code, search_paths)
    head = Text.assemble((rule.code, "bold cyan"), " ", (rule.name, "bold"), "  ",
                         (f"[{rule.severity.label(lang)}]", _SEVERITY_STYLE.get(rule.severity.value, "")))
    if rule.tables:
        head.append(f"  {words['tables']}: {', '.join(rule.tables)}", style="dim")
    parts: list[Any] = [head, Text("")]
    if doc is None:
        parts += [Text(summary(rule, lang, search_paths) or words["none"])]
        return Group(*parts)
    parts += [Text(doc.text("summary", lang), style="bold"), Text("")]
    if doc.text("explanation", lang):
        parts += [Markdown(doc.text("explanation", lang)), Text("")]
    if doc.example:
        parts += [Text(words["example"], style="bold underline"), _example_table(doc.example, lang)]
        note = _cell(doc.example.get("note"), lang)
        if note:
            parts.append(Text(note, style="italic"))
        parts.append(Text(""))
    message = example_message(rule, lang, search_paths)
    if message:
        parts += [Text(words["message"] + ":", style="bold"), Text(f"{rule.code} {message}")]
    return Group(*parts)


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}


def _cells(rows: Any) -> list[Any]:
    if isinstance(rows, list):
        return [v for row in rows for v in (row if isinstance(row, list) else [row])]
    return [rows]


def missing_docs(rules: Iterable[Any], search_paths: Iterable[str | Path] | None = None) -> list[str]:
    """What is missing from the docs of ``rules``, one sentence per problem (empty: all documented).

    A rule needs a doc file naming its code and name, a one-line summary and an
    explanation in both languages, a Salah/Benar example, and example
    parameters for every placeholder of its message templates.
    """
    problems: list[str] = []
    for rule in rules:
        try:
            doc = load_doc(rule.code, search_paths)
        except Exception as exc:  # a doc file that is not valid YAML
            problems.append(f"{rule.code}: {type(exc).__name__}: {exc}")
            continue
        if doc is None:
            problems.append(f"{rule.code}: no doc file {rule.code}.yaml")
            continue
        if doc.code != rule.code or doc.name != rule.name:
            problems.append(f"{rule.code}: doc names {doc.code} {doc.name!r}, the rule is {rule.code} {rule.name!r}")
        for lang in LANGS:
            line = str(doc.summary.get(lang) or "").strip()
            if not line or "\n" in line or len(line) > SUMMARY_MAX:
                problems.append(f"{rule.code}: summary.{lang} must be one line of at most {SUMMARY_MAX} characters")
            if not str(doc.explanation.get(lang) or "").strip():
                problems.append(f"{rule.code}: explanation.{lang} missing")
        for key in ("salah", "benar"):
            if not doc.example.get(key):
                problems.append(f"{rule.code}: example.{key} missing")
            elif any(isinstance(v, float) for v in _cells(doc.example[key])):
                # YAML reads 39.710 as 39.71: amounts shown in an example are quoted text
                problems.append(f"{rule.code}: example.{key} has an unquoted decimal number")
        needed = placeholders(rule.message_id) | placeholders(translate(rule.message, "en"))
        unfilled = sorted(needed - set(doc.example_params))
        if unfilled:
            problems.append(f"{rule.code}: example_params lacks {', '.join(unfilled)}")
    return problems
