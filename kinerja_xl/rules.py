"""Rules: small named units with a stable code, like sqlfluff's or yamllint's.

A rule is a function decorated with ``@rule``. Its docstring is its
documentation: the first line is the summary ``kinerja-xl rules`` lists, the
rest (with a *Salah*/*Benar* — wrong/right — example) is what
``kinerja-xl explain CODE`` prints.

Two scopes:
- ``table`` rules get one located ``Table`` of their kind at a time:
  ``def check(table, ctx) -> Iterable[Finding]``;
- ``workbook`` rules (cross-table) get every table of the workbook through
  ``ctx.tables``: ``def check(ctx) -> Iterable[Finding]``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from kinerja_xl.findings import Finding, Severity

REGISTRY: dict[str, "Rule"] = {}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    scope: str  # "table" | "workbook" | "engine"
    tables: tuple[str, ...]  # table kinds it reads
    message_id: str
    message_en: str
    func: Callable[..., Iterable[Finding]] | None
    doc: str

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name


def rule(
    code: str,
    name: str,
    *,
    tables: str | tuple[str, ...],
    message: tuple[str, str],
    severity: str = "error",
    scope: str = "table",
) -> Callable[[Callable], Rule]:
    """Register a rule. ``message`` is (Indonesian, English) ``str.format`` templates."""

    def wrap(func: Callable) -> Rule:
        r = Rule(
            code=code, name=name, severity=Severity(severity), scope=scope,
            tables=(tables,) if isinstance(tables, str) else tuple(tables),
            message_id=message[0], message_en=message[1], func=func,
            doc=inspect.cleandoc(func.__doc__ or ""),
        )
        if code in REGISTRY and REGISTRY[code].func is not None and REGISTRY[code].func.__qualname__ != func.__qualname__:
            raise ValueError(f"rule code {code} registered twice")
        REGISTRY[code] = r
        return r

    return wrap


def engine_rule(code: str, name: str, message: tuple[str, str], doc: str, severity: str = "error") -> Rule:
    """A code the engine itself reports (reading, structure): listed and explainable like any rule."""
    r = Rule(code, name, Severity(severity), "engine", (), message[0], message[1], None, inspect.cleandoc(doc))
    REGISTRY[code] = r
    return r


@dataclass
class RuleContext:
    """What a running rule may use: its own identity, the settings, every table."""

    rule: Rule
    config: Any
    tables: dict[str, list[Any]] = field(default_factory=dict)  # kind -> [Table]
    file: str | None = None  # the workbook the findings are about

    def finding(
        self,
        table: Any = None,
        key: str | None = None,
        row: int | None = None,
        *,
        expected: Any = None,
        actual: Any = None,
        difference: Any = None,
        message: tuple[str, str] | None = None,
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
            if cell is None and key is not None and row is not None and table.has(key):
                cell = table.cell(key, row)
            if row_key is None and row is not None and row in table.frame.index:
                row_key = table.row_key(row)
        mid, men = message or (self.rule.message_id, self.rule.message_en)
        return Finding(
            code=self.rule.code, name=self.rule.name,
            severity=Severity(severity) if severity else self.rule.severity,
            message_id=mid, message_en=men, params=params,
            file=self.file, sheet=sheet, cell=cell, row_key=row_key,
            expected=expected, actual=actual, difference=difference, related=related,
        )


def all_rules() -> list[Rule]:
    load_rules()
    return sorted(REGISTRY.values(), key=lambda r: r.code)


def get_rule(code: str) -> Rule | None:
    load_rules()
    return REGISTRY.get(code.upper())


_loaded = False


def load_rules() -> None:
    """Import the domain package once; its modules register their rules."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import kinerja_xl.engine_codes  # noqa: F401
    import kinerja_validators  # noqa: F401


def selected(rule: Rule, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    """Select/ignore by code prefix (``KX3`` selects KX300–KX399), or by name."""

    def hit(patterns: tuple[str, ...]) -> bool:
        return any(rule.code.startswith(p.upper()) or rule.name == p.lower() for p in patterns)

    if select and not hit(select):
        return False
    return not hit(ignore)
