"""Table kinds: what the engine knows about the domain, found as plugins.

A ``TableKind`` declares one official table in one place: the header
vocabulary that locates it (``specs``), its rules, its pandera schema (built
on first use) and its ``hitung`` computation. The engine imports nothing
from the domain package: it reads the kinds from the entry-point group
``kinerja_xl.kinds`` (as flake8 and sqlfluff find their plugins), so a new
table kind, or a whole other domain package, is an installed distribution
that declares::

    [project.entry-points."kinerja_xl.kinds"]
    my_tables = "my_package:KINDS"

An entry point names a ``TableKind`` or a sequence of them. A kind may hold
rules only (no specs): cross-table rules (scope ``workbook``) and rules across
reports (scope ``report``, run by ``kinerja-xl audit``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from kinerja_xl.i18n import Message, translate
from kinerja_xl.numfmt import format_value

ENTRY_POINT_GROUP = "kinerja_xl.kinds"


# eq=False: a kind is itself (hashable by identity, so rule listings can be cached per set of kinds)
@dataclass(frozen=True, eq=False)
class TableKind:
    """One table kind (or a set of rules across tables) as a plugin declares it.

    - ``specs``: the ``TableSpec`` s that locate its tables by their headers;
      a spec's ``kind`` is the ``Table.kind`` of what it finds (one kind may
      locate two shapes, e.g. PK targets and PK program budgets);
    - ``rules``: its ``Rule`` objects;
    - ``schema``: a callable returning its pandera schema(s), called on first
      use only (importing pandera costs ~0,3–1 s that ``kinerja-xl rules``
      and ``--help`` must not pay);
    - ``compute``: ``(table, config, tables) -> list[Computed]``, its values
      for ``hitung`` and the write-back, or None;
    - ``hooks``: named functions the application layer (the audit) asks of
      the domain without importing it (``levels``: the hierarchy level of
      every row of a table; ``mutu``: the service-quality letter of an IKM);
    - ``checked_fields``: which fields its rules read, for the coverage a
      report states (``kinerja_xl.coverage``): field key (or a prefix ending
      in ``*``, ``realisasi_tw*``) -> the codes of the rules reading it (None:
      every rule of the table). Without it, every money, number and percent
      field its spec matched counts as read by every rule of the table.
    """

    name: str
    title: str  # msgid (N_)
    specs: tuple[Any, ...] = ()
    rules: tuple[Any, ...] = ()
    schema: Callable[[], Any] | None = None
    compute: Callable[..., list] | None = None
    hooks: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    checked_fields: Mapping[str, tuple[str, ...] | None] | None = None

    @property
    def table_kinds(self) -> tuple[str, ...]:
        """The ``Table.kind`` values its specs produce."""
        return tuple(dict.fromkeys(s.kind for s in self.specs))


@functools.lru_cache(maxsize=1)
def _installed() -> tuple[TableKind, ...]:
    from importlib.metadata import entry_points

    import sys
    from pathlib import Path

    from kinerja_xl import ruledoc

    out: list[TableKind] = []
    # sorted by name: the order of table specs decides which spec claims a header first
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        loaded = ep.load()
        out.extend([loaded] if isinstance(loaded, TableKind) else list(loaded))
        # a plugin package keeps its rules' docs (KXnnn.yaml) in rule_docs/ beside its __init__
        docs = Path(sys.modules[ep.module.split(":")[0]].__file__).parent / "rule_docs"
        if docs.is_dir():
            ruledoc.add_doc_path(docs)
    return tuple(out)


def load_kinds() -> tuple[TableKind, ...]:
    """Every installed table kind, in a fixed order (entry points by name, then as each declares them)."""
    return _installed()


def resolve(kinds: Sequence[TableKind] | None) -> tuple[TableKind, ...]:
    return load_kinds() if kinds is None else tuple(kinds)


def table_specs(kinds: Sequence[TableKind] | None = None) -> list[Any]:
    """The header specs of every kind, in the kinds' order."""
    return [s for k in resolve(kinds) for s in k.specs]


def kind_of(table_kind: str, kinds: Sequence[TableKind] | None = None) -> TableKind | None:
    """The kind whose specs produce tables of ``table_kind``."""
    return next((k for k in resolve(kinds) if table_kind in k.table_kinds), None)


class HookMissing(ImportError):
    """No installed kind provides the hook (as if the domain package were not installed)."""


def hook(name: str, table_kind: str | None = None, kinds: Sequence[TableKind] | None = None) -> Callable[..., Any]:
    """The function ``name`` of the kind of ``table_kind`` (or of the first kind that has one)."""
    pool = resolve(kinds)
    if table_kind is not None:
        k = kind_of(table_kind, pool)
        pool = (k,) if k is not None else ()
    for k in pool:
        if name in k.hooks:
            return k.hooks[name]
    raise HookMissing(f"no table kind provides {name!r}" + (f" for {table_kind!r}" if table_kind else ""))


# --------------------------------------------------------------------------- computed values


@dataclass(frozen=True)
class Computed:
    """One computed value and the cell it belongs in.

    ``cell`` is the designated cell (None when the table has no place for it,
    e.g. a survey recap without an IKM row); ``existing`` is what that cell
    holds now (None when empty), ``formula`` whether it holds a formula (never
    overwritten). ``value`` is a Decimal, ``Percent`` or text (mutu,
    predikat); None when it cannot be computed, and then ``reason`` says
    why (a msgid marked N_): which input is missing or unreadable.
    """

    kind: str  # capaian | serapan | nilai_unsur | ikm | mutu | predikat | ...
    sheet: str
    cell: str | None
    row_key: str
    label_id: str | Message  # msgid (N_), or a Message, translated by ``label(lang)``
    value: Any
    number_format: str = "General"
    existing: Any = None
    formula: bool = False
    reason: str | Message | None = None

    def label(self, lang: str = "id") -> str:
        if isinstance(self.label_id, Message):
            return format_value(self.label_id, lang)
        return translate(self.label_id, lang)

    def why(self, lang: str = "id") -> str | None:
        """Why the value is absent, in ``lang`` (None when it was computed)."""
        if self.reason is None:
            return None
        return format_value(self.reason, lang) if isinstance(self.reason, Message) else translate(self.reason, lang)


def compute_all(tables: Iterable[Any], config: Any, kinds: Sequence[TableKind] | None = None,
                missing: bool = False) -> list[Computed]:
    """Every value the kinds compute for a workbook's tables, in table order.

    Values that cannot be computed are left out unless ``missing`` is true;
    then they come with ``value`` None and their ``reason``.
    """
    pool = resolve(kinds)
    tables = list(tables)
    by_kind = {tk: k for k in pool for tk in k.table_kinds}
    out: list[Computed] = []
    for t in tables:
        kind = by_kind.get(t.kind)
        if kind is None or kind.compute is None:
            continue
        out.extend(c for c in kind.compute(t, config, tables) if missing or c.value is not None)
    return out
