"""Perjanjian Kinerja (PK): indicator targets, and program budgets with JUMLAH.

Two tables: NO, SASARAN STRATEGIS, INDIKATOR KINERJA, TARGET (kind ``pk``);
and NO, PROGRAM, ANGGARAN, KETERANGAN with a JUMLAH row (kind
``pk_program``), amounts often typed as text (``Rp. 6.183.035.351,-``).

The program table has no REALISASI column, which is what keeps it apart from
the realisasi table (whose spec requires one); the indicator table has no
realisasi either, which keeps it apart from the IKU capaian table.
"""

from __future__ import annotations

import functools
import re

from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rule, rules_in
from kinerja_xl.tables import LABEL, MONEY, PERCENT, TEXT, Field, TableSpec, fold, rupiah
from kinerja_validators._memo import once_per_table
from kinerja_validators.iku import GRADE, NOT_AVAILABLE, present, spec_options
from kinerja_xl.i18n import N_

SPEC_TARGET = TableSpec(
    kind="pk",
    title_id=N_("Perjanjian Kinerja: target indikator"),
    fields=(
        Field("no", (r"NO",), LABEL),
        Field("sasaran", (r"SASARAN( STRATEGIS| KINERJA| PROGRAM)?",), TEXT),
        Field("indikator", (r"INDIKATOR( KINERJA)?( UTAMA)?( IKU)?( SASARAN)?",), TEXT, required=True),
        Field("satuan", (r"SATUAN",), TEXT),
        Field("target", (r"TARGET( KINERJA)?( TAHUN)?( \d{4})?",), PERCENT, required=True),
    ),
    min_matched=3,
    # a PK target may be a grade (Nilai SAKIP 'A'): not a number, not a typo
    **spec_options(not_numbers=(("target", f"{NOT_AVAILABLE}|{GRADE}"),)),
)

SPEC_PROGRAM = TableSpec(
    kind="pk_program",
    title_id=N_("Perjanjian Kinerja: anggaran program"),
    fields=(
        Field("no", (r"NO",), LABEL),
        Field("program", (r"(NAMA )?PROGRAM",), TEXT, required=True),
        Field("anggaran", (r"(PAGU |JUMLAH )?ANGGARAN( RP)?", r"PAGU( RP)?"), MONEY, required=True),
        Field("keterangan", (r"KETERANGAN|KET|SUMBER DANA",), TEXT),
    ),
    min_matched=3,
)
SPECS = [SPEC_TARGET, SPEC_PROGRAM]

_TOTAL = re.compile(r"(JUMLAH|TOTAL)( ANGGARAN| KESELURUHAN| SELURUHNYA)?( RP)?")


def is_total(table, row: int) -> bool:
    """The JUMLAH / TOTAL row (its label is in the NO or the PROGRAM column)."""
    for key in ("program", "no"):
        if table.has(key) and _TOTAL.fullmatch(fold(table.value(key, row))):
            return True
    return False


def total_flags(table) -> list[bool]:
    """``is_total`` of every row, in frame order, worked out once per table (KX551, KX802, KX809 and
    ``hitung`` each ask)."""
    def build(t) -> list[bool]:
        columns = [t.column_values(k) for k in ("program", "no") if t.has(k)]
        return [any(_TOTAL.fullmatch(fold(c[r])) for c in columns) for r in t.frame.index.tolist()]

    return once_per_table(table, "_kinerja_pk_totals", build)


def block_total(frame, *, key: str, total: str = "total"):
    """Each JUMLAH row (``total`` true) = Σ ``key`` of the rows above it since the previous JUMLAH.

    A JUMLAH with no amount above it, or without a printed amount, is not judged.
    """
    import numpy as np

    if key not in frame.columns or total not in frame.columns:
        return True
    is_total = frame[total].to_numpy(dtype=bool)
    column = frame[key]
    values = column.to_numpy(dtype=np.int64, na_value=0)
    present = ~np.asarray(column.array.isna(), dtype=bool)  # the array's own mask, not a Series of it
    block = np.cumsum(is_total) - is_total  # a JUMLAH closes the block it belongs to
    rows = ~is_total & present
    n = int(block.max()) + 1 if len(block) else 0
    sums, counts = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    np.add.at(sums, block[rows], values[rows])
    np.add.at(counts, block[rows], 1)
    # by position, plain numpy (``_pandera.register``): a Series around it cost more than the sums
    return ~(is_total & present & (counts[block] > 0) & (values != sums[block]))


def _frame(table):
    """The amounts, with the JUMLAH rows marked, as the schema reads them (the table's own amount array,
    not copied)."""
    import numpy as np
    import pandas as pd

    f = table.frame
    return pd.DataFrame({"anggaran": table.array("anggaran"), "total": np.array(total_flags(table), dtype=bool)},
                        index=f.index, copy=False)


@functools.lru_cache(maxsize=None)
def pandera_schema(rule_cases: bool = False):
    """PK program budgets: JUMLAH = Σ anggaran (``rule_cases``: the rules' cheap failure cases)."""
    import pandera.pandas as pa

    from kinerja_validators._pandera import RULE_FAILURE_CASES, register

    register("kx_block_total", ["key", "total"], block_total)
    n = RULE_FAILURE_CASES if rule_cases else None
    # the rules' variant declares no columns: failing_rows reads only the check's verdict
    columns = {} if rule_cases else {
        "anggaran": pa.Column("Int64", nullable=True, required=False, description="Anggaran program (sen)"),
        "total": pa.Column(bool, required=False, description="Baris JUMLAH")}
    return pa.DataFrameSchema(
        columns,
        checks=[pa.Check.kx_block_total(key="anggaran", total="total", error="KX551", n_failure_cases=n,
                                        ignore_na=False)],
        name="pk_program", description="Perjanjian Kinerja: anggaran program dan JUMLAH")


def program_rows(table) -> list[int]:
    """Program rows: a program name, not the JUMLAH row."""
    names = table.column_values("program")
    return [r for r, total in zip(table.frame.index.tolist(), total_flags(table))
            if not total and isinstance(names[r], str) and names[r].strip()]


@rule(
    "KX551", "pk-total", aliases=("pk-jumlah",),
    tables="pk_program",
    message=N_("JUMLAH anggaran PK {actual} ≠ Σ anggaran program {expected} (selisih {difference})"),
)
def check_jumlah(table, ctx):
    """The JUMLAH row of the PK program table = the sum of the program budgets above it.

    *Salah:* programs 6.183.035.351 + 23.441.000 + 3.600.000 + 129.600.000,
    JUMLAH 6.420.166.069.

    *Benar:* the same programs, JUMLAH 6.339.676.351.
    """
    from kinerja_validators._pandera import failing_rows

    wrong = set(failing_rows(pandera_schema(rule_cases=True), _frame(table))["KX551"])
    if not wrong:
        return
    amounts = table.column_values("anggaran")
    total = 0
    counted = 0
    for row, is_jumlah in zip(table.frame.index.tolist(), total_flags(table)):
        if is_jumlah:
            printed = amounts[row]
            if row in wrong:
                yield ctx.finding(table, "anggaran", row, expected=rupiah(total), actual=rupiah(printed),
                                  difference=rupiah(int(printed) - total), programs=counted)
            total, counted = 0, 0  # a second block of programs has its own JUMLAH
            continue
        v = amounts[row]
        if present(v):
            total += int(v)
            counted += 1


def compute(table, config, tables=None) -> list:
    """JUMLAH of the program budgets (the value its JUMLAH cell should hold)."""
    if table.kind != "pk_program":
        return []
    from kinerja_xl.kinds import Computed

    f = table.frame
    rows = program_rows(table)
    total = sum(int(table.value("anggaran", r)) for r in rows if present(table.value("anggaran", r)))
    jumlah = next((r for r, total in zip(f.index.tolist(), total_flags(table)) if total), None)
    cell = table.cell("anggaran", jumlah) if jumlah is not None else None
    existing = table.value("anggaran", jumlah) if jumlah is not None else None
    return [Computed(
        kind="jumlah", sheet=table.sheet, cell=cell, row_key="JUMLAH",
        label_id=N_("Jumlah anggaran PK"), value=rupiah(total), number_format="#,##0",
        existing=rupiah(existing) if present(existing) else None,
        formula=jumlah is not None and (jumlah, table.columns["anggaran"]) in table.formulas,
    )]


KIND = TableKind(
    name="pk",
    title=N_("Perjanjian Kinerja"),
    specs=tuple(SPECS),
    rules=rules_in(globals()),
    schema=pandera_schema,
    compute=compute,
    # program budgets are summed (KX551) and compared with the pagu (KX802); targets with the other tables (KX805)
    checked_fields={"anggaran": ("KX551", "KX802"), "target": ("KX805",)},
)
