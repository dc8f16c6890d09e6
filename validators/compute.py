"""Computed values (capaian %, serapan %, nilai unsur, IKM, mutu) in one place.

``kinerja-xl hitung`` prints them; the write-back (CLI ``--annotate`` and the
ribbon's *Hitung*) puts them into the cells the templates designate. Each
table module may define ``compute(table, config) -> list[Computed]``;
``compute_all`` collects them for a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Computed:
    """One computed value and the cell it belongs in.

    ``cell`` is the designated cell (None when the table has no place for it,
    e.g. a survey recap without an IKM row); ``existing`` is what that cell
    holds now (None when empty), ``formula`` whether it holds a formula (never
    overwritten). ``value`` is a Decimal, ``Percent`` or text (mutu, predikat).
    """

    kind: str  # capaian | serapan | nilai_unsur | ikm | mutu | predikat | ...
    sheet: str
    cell: str | None
    row_key: str
    label_id: str
    label_en: str
    value: Any
    number_format: str = "General"
    existing: Any = None
    formula: bool = False

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id


def compute_all(tables: list, config: Any) -> list[Computed]:
    from kinerja_validators import iku, perbandingan, pk, realisasi, refocusing, renstra, skm
    from kinerja_validators.perbandingan import accepts_tables

    modules = {m.__name__.rsplit(".", 1)[-1]: m for m in (realisasi, refocusing, pk, iku, perbandingan, renstra, skm)}
    kind_module = {spec.kind: m for m in modules.values() for spec in getattr(m, "SPECS", [])}
    out: list[Computed] = []
    for t in tables:
        module = kind_module.get(t.kind)
        fn = getattr(module, "compute", None)
        if fn is None:
            continue
        # a compute() with a third parameter reads sibling tables (a capaian whose target is elsewhere)
        out.extend(fn(t, config, tables) if accepts_tables(fn) else fn(t, config))
    return out
