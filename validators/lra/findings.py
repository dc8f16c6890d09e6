"""Findings from ``structure`` failures, shared by the ``lra`` and ``perubahan`` rules."""

from __future__ import annotations

from kinerja_xl.i18n import NP_
from kinerja_xl.tables import rupiah
from kinerja_validators.lra.structure import Failure

BLOCK_LABEL = {
    "jumlah_pendapatan": NP_("blok", "PENDAPATAN"), "jumlah_belanja": NP_("blok", "BELANJA"),
}


def column_name(table, key: str) -> str:
    """The column as its header prints it ('ANGGARAN RP'), for messages."""
    return table.labels.get(key) or key.upper()


def money_finding(table, ctx, f: Failure, **params):
    related = tuple(table.cell(f.key, r) for r in f.parts if r is not None and r in table.frame.index)
    return ctx.finding(table, f.key, f.row, expected=rupiah(f.expected), actual=rupiah(f.actual),
                       difference=rupiah(f.actual - f.expected), related=related, kolom=column_name(table, f.key),
                       n=len(f.parts), **params)


def percent_text(v: float, decimals: int) -> str:
    return f"{v:.{max(0, min(decimals, 4))}f}".replace(".", ",")
