"""Rules: small named units with a stable code, like sqlfluff's or yamllint's.

A rule is a function decorated with ``@rule``. Its docstring is its
documentation: the first line is the summary ``kinerja-xl rules`` lists, the
rest (with a *Salah*/*Benar* — wrong/right — example) is what
``kinerja-xl explain CODE`` prints.

Scopes:
- ``table`` rules get one located ``Table`` of their kind at a time:
  ``def check(table, ctx) -> Iterable[Finding]``;
- ``workbook`` rules (cross-table) get every table of the workbook through
  ``ctx.tables``: ``def check(ctx) -> Iterable[Finding]``;
- ``report`` rules (across reports, ``kinerja-xl audit``) get the plain
  results of every checked file: ``def check(results, ctx) -> Iterable[Finding]``;
- ``engine`` codes have no function: the engine reports them itself.

There is no global registry filled as modules happen to be imported: the
rules are those of the engine (``engine_codes.RULES``) and of the installed
table kinds (``kinerja_xl.kinds``), so every listing shows the same set.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from kinerja_xl.findings import Finding, Severity

@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    scope: str  # "table" | "workbook" | "report" | "engine"
    tables: tuple[str, ...]  # table kinds it reads
    message_id: str  # msgid (N_): the Indonesian str.format template (kinerja_xl.i18n translates it)
    func: Callable[..., Iterable[Finding]] | None
    doc: str
    aliases: tuple[str, ...] = ()  # former names, still accepted by --select / --ignore

    @property
    def message(self) -> str:
        """Its message template, a msgid translated when rendered."""
        return self.message_id

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name


def rule(
    code: str,
    name: str,
    *,
    tables: str | tuple[str, ...],
    message: str,
    severity: str = "error",
    scope: str = "table",
    aliases: tuple[str, ...] = (),
) -> Callable[[Callable], Rule]:
    """Make a function a rule. ``message`` is its ``str.format`` template, marked ``N_("...")``.

    The rule is listed once a table kind names it in its ``rules``
    (``rules_in(globals())`` collects a module's).
    """

    def wrap(func: Callable) -> Rule:
        _require_doc(code, func)
        return Rule(
            code=code, name=name, severity=Severity(severity), scope=scope,
            tables=(tables,) if isinstance(tables, str) else tuple(tables),
            message_id=message, func=func,
            doc=inspect.cleandoc(func.__doc__ or ""), aliases=tuple(aliases),
        )

    return wrap


def _require_doc(code: str, func: Callable) -> None:
    """Refuse a rule whose docstring lacks a one-line summary or a *Salah* / *Benar* example: the
    docstring is what a reader of the code meets first, and the example is what makes a rule checkable
    by hand (the full bilingual text for users is its rule_docs YAML, held to the same by a test)."""
    doc = inspect.cleandoc(func.__doc__ or "")
    summary = doc.split("\n", 1)[0].strip()
    if not summary or "Salah" not in doc or "Benar" not in doc:
        raise ValueError(f"rule {code} ({func.__qualname__}): the docstring needs a one-line summary and a "
                         "'Salah: … Benar: …' example")


def engine_rule(code: str, name: str, message: str, doc: str, severity: str = "error",
                scope: str = "engine") -> Rule:
    """A code reported without a rule function (by the engine itself): listed and explainable like any rule."""
    return Rule(code, name, Severity(severity), scope, (), message, None, inspect.cleandoc(doc))


def rules_in(namespace: dict[str, Any]) -> tuple[Rule, ...]:
    """The rules a module defines (``rules_in(globals())``), in definition order; imported ones are not its own."""
    module = namespace.get("__name__")
    return tuple(v for v in namespace.values()
                 if isinstance(v, Rule) and (v.func is None or v.func.__module__ == module))


@dataclass
class RuleContext:
    """What a running rule may use: its own identity, the settings, every table."""

    rule: Rule
    config: Any
    tables: dict[str, list[Any]] = field(default_factory=dict)  # kind -> [Table]
    file: str | None = None  # the workbook the findings are about
    # what the rules of one run work out once and share (run_rules hands every rule the same dict);
    # it lives as long as the run, so nothing of one workbook is kept for the next
    shared: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def finding(
        self,
        table: Any = None,
        key: str | None = None,
        row: int | None = None,
        *,
        expected: Any = None,
        actual: Any = None,
        difference: Any = None,
        message: str | None = None,
        severity: str | Severity | None = None,
        cell: str | None = None,
        sheet: str | None = None,
        row_key: str | None = None,
        related: tuple[str, ...] = (),
        **params: Any,
    ) -> Finding:
        """Build a finding of this rule, blaming ``table``'s ``key`` column on ``row``."""
        if table is not None:
            sheet = sheet or table.sheet
            if cell is None and key is not None and row is not None and key in table.columns:
                cell = table.cell(key, row)
            if row_key is None and row is not None:
                row_key = table.frame_row_key(row)
        rule = self.rule
        return Finding(
            code=rule.code, name=rule.name,
            severity=Severity(severity) if severity else rule.severity,
            message_id=message or rule.message_id, params=params,  # the field, not its property: ~40 ns a finding
            file=self.file, sheet=sheet, cell=cell, row_key=row_key,
            expected=expected, actual=actual, difference=difference, related=related,
        )


@functools.lru_cache(maxsize=8)
def _rules_of(kinds: tuple) -> dict[str, Rule]:
    from kinerja_xl import engine_codes

    out: dict[str, Rule] = {}
    for r in (*engine_codes.RULES, *(r for k in kinds for r in k.rules)):
        if r.code in out and out[r.code] is not r:
            raise ValueError(f"rule code {r.code} declared twice ({out[r.code].name}, {r.name})")
        out[r.code] = r
    return dict(sorted(out.items()))


def all_rules(kinds=None) -> list[Rule]:
    """Engine codes and the rules of every table kind (default: the installed ones), by code."""
    from kinerja_xl.kinds import resolve

    return list(_rules_of(resolve(kinds)).values())


def get_rule(code: str, kinds=None) -> Rule | None:
    from kinerja_xl.kinds import resolve

    return _rules_of(resolve(kinds)).get(code.upper())


def load_rules() -> None:
    """Load the installed table kinds and their rules now (a worker warming up), not on first use."""
    all_rules()


def selected(rule: Rule, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    """Select/ignore by code prefix (``KX3`` selects KX300–KX399), or by name."""

    def hit(patterns: tuple[str, ...]) -> bool:
        return any(rule.code.startswith(p.upper()) or rule.name == p.lower() or p.lower() in rule.aliases
                   for p in patterns)

    if select and not hit(select):
        return False
    return not hit(ignore)
