"""The rules of the Laporan Realisasi Anggaran (KX411–KX417)."""

from __future__ import annotations

import re

from kinerja_xl.findings import Percent
from kinerja_xl.rules import rule
from kinerja_xl.tables import rupiah
from kinerja_validators.lra.findings import column_name, money_finding
from kinerja_validators.lra.structure import difference_failures, percent_failures, structure_of
from kinerja_xl.i18n import N_

AMOUNTS = ["anggaran", "realisasi"]


def _structure(table):
    return structure_of(table, AMOUNTS)


def _explained(table, fixed: dict, row: int, holds) -> bool:
    """The row's anggaran or realisasi is already found wrong (a code sum, JUMLAH or balance row), and with
    the value that identity gives, ``holds(anggaran, realisasi)``: the same mistake, reported once."""
    if (row, "anggaran") not in fixed and (row, "realisasi") not in fixed:
        return False
    f = table.frame
    x = fixed.get((row, "anggaran"), f.at[row, "anggaran"])
    y = fixed.get((row, "realisasi"), f.at[row, "realisasi"])
    try:
        return bool(holds(int(x), int(y)))
    except (TypeError, ValueError):
        return False


@rule("KX411", "lra-parent-sum", tables=("lra", "apbdes"), message=N_("{kolom} {actual} ≠ jumlah {n} rekening di bawah kode ini {expected} (selisih {difference})"))
def lra_parent_sum(table, ctx):
    """A code's row (4.1, 01.01) is the sum of its direct children (4.1.1, 4.1.2 …), per amount column.

    *Salah:* 4.2 Pendapatan Transfer 1.370.181.000 over 4.2.1 … 4.2.4 summing 1.370.180.000.
    *Benar:* 4.2 = 879.404.000 + 33.408.000 + 452.369.000 + 5.000.000 = 1.370.181.000.
    """
    for f in _structure(table).parent_failures():
        yield money_finding(table, ctx, f)


@rule("KX412", "lra-block-total", tables=("lra", "apbdes"), message=N_("{kolom} baris JUMLAH {blok} {actual} ≠ jumlah {n} rekening blok {blok} {expected} (selisih {difference})"))
def lra_block_total(table, ctx):
    """JUMLAH PENDAPATAN / JUMLAH BELANJA sum the top accounts of their own block only.

    *Salah:* JUMLAH BELANJA summed over every row above it, revenue included.
    *Benar:* JUMLAH BELANJA = Σ bidang 01 … 05 of the BELANJA block.
    """
    from kinerja_validators.lra.findings import BLOCK_LABEL

    for f in _structure(table).total_failures():
        yield money_finding(table, ctx, f, blok=BLOCK_LABEL[f.what])


def _balance(table, ctx, what: str):
    for f in _structure(table).balance_failures():
        if f.what == what:
            yield money_finding(table, ctx, f)


@rule("KX413", "lra-surplus", tables=("lra", "apbdes"), message=N_("{kolom} SURPLUS/(DEFISIT) {actual} ≠ jumlah pendapatan − jumlah belanja = {expected} (selisih {difference})"))
def lra_surplus(table, ctx):
    """SURPLUS/(DEFISIT) = jumlah pendapatan − jumlah belanja; a defisit is negative, and that is no error.

    *Salah:* pendapatan 1.370.198.500, belanja 1.387.321.454, defisit (17.022.954).
    *Benar:* defisit (17.122.954).
    """
    yield from _balance(table, ctx, "surplus")


@rule("KX414", "lra-financing-net", tables=("lra", "apbdes"), message=N_("{kolom} PEMBIAYAAN NETTO {actual} ≠ penerimaan − pengeluaran pembiayaan = {expected} (selisih {difference})"))
def lra_financing_net(table, ctx):
    """PEMBIAYAAN NETTO = penerimaan pembiayaan − pengeluaran pembiayaan.

    *Salah:* penerimaan 12.122.954, pengeluaran 2.000.000, netto 12.122.954.
    *Benar:* netto 10.122.954.
    """
    yield from _balance(table, ctx, "netto")


@rule("KX415", "lra-silpa", tables=("lra", "apbdes"), message=N_("{kolom} SiLPA {actual} ≠ surplus/(defisit) + pembiayaan netto = {expected} (selisih {difference})"))
def lra_silpa(table, ctx):
    """SiLPA (sisa lebih pembiayaan anggaran) = surplus/(defisit) + pembiayaan netto.

    *Salah:* defisit (17.122.954), netto 12.122.954, SiLPA 5.000.000.
    *Benar:* SiLPA (5.000.000).
    """
    yield from _balance(table, ctx, "silpa")


@rule("KX416", "lra-over-under", tables="lra", message=N_("{kolom} {actual} ≠ {rumus} = {expected} (selisih {difference}); rumus dibaca dari baris lain tabel ini"))
def lra_over_under(table, ctx):
    """LEBIH/(KURANG) = anggaran − realisasi, or realisasi − anggaran: the convention most rows follow.

    Producers differ (village portals print anggaran − realisasi, SAP-style
    LRA realisasi − anggaran); the rows that break the table's own convention
    are flagged.

    *Salah:* anggaran 5.000.000, realisasi 4.771.123, lebih/(kurang) 228.887.
    *Benar:* lebih/(kurang) 228.877.
    """
    convention, failures = difference_failures(table.frame, "anggaran", "realisasi", "lebih")
    a, r = column_name(table, "anggaran"), column_name(table, "realisasi")
    rumus = f"{r} − {a}" if convention == "reverse" else f"{a} − {r}"
    fixed = _structure(table).corrections()
    for f in failures:
        if _explained(table, fixed, f.row, lambda x, y: (y - x if convention == "reverse" else x - y) == f.actual):
            continue
        yield money_finding(table, ctx, f, rumus=rumus,
                            anggaran=rupiah(table.frame.at[f.row, "anggaran"]),
                            realisasi=rupiah(table.frame.at[f.row, "realisasi"]))


@rule("KX417", "lra-percent", tables="lra", message=N_("Persentase {actual} ≠ realisasi {realisasi} / anggaran {anggaran} × 100 = {expected}"))
def lra_percent(table, ctx):
    """% = realisasi / anggaran × 100 on every row, the SURPLUS/(DEFISIT) row included.

    Within half a unit of the printed decimals. A defisit over a defisit is
    a positive percentage.

    *Salah:* anggaran (17.122.954), realisasi (14.991.374), % 114,22.
    *Benar:* % 87,55.
    """
    fixed = _structure(table).corrections()
    for r, expected, shown, d in percent_failures(table.frame, "realisasi", "anggaran", "persen", ctx.config):
        if _explained(table, fixed, r, lambda x, y: x != 0 and abs(y / x * 100 - shown) <= 0.5 * 10 ** -d + 1e-9):
            continue
        yield ctx.finding(table, "persen", r, expected=Percent(expected, max(min(d, 4), 2)),
                          actual=Percent(shown, min(d, 4)),
                          anggaran=rupiah(table.frame.at[r, "anggaran"]),
                          realisasi=rupiah(table.frame.at[r, "realisasi"]),
                          related=(table.cell("realisasi", r), table.cell("anggaran", r)))


# a summary card's row -> the words in the header of the table it totals
_CARD_TOTALS = (("PENDAPATAN", ("PENDAPATAN",)), ("BELANJA", ("BELANJA", "PEMBELANJAAN")))


@rule("KX418", "apbdes-summary-total", tables="apbdes", scope="workbook", message=N_(
    "{kolom} {baris} {actual} ≠ jumlah {n} baris tabel {tabel} {expected} (selisih {difference})"))
def apbdes_summary_total(ctx):
    """A summary's Pendapatan Desa / Belanja Desa row = the sum of the rows of its own table on the sheet.

    Desa portals print the APBDes as small stacked tables: a summary
    (Pendapatan Desa, Belanja Desa, Pembiayaan Desa), then one table per
    block whose title names it ('APBDes 2024 Pendapatan', '… Pembelanjaan').
    Each summary amount is the total of that table, per column.

    *Salah:* summary Pendapatan Desa realisasi 2.618.670.802; the Pendapatan table's six rows sum to 2.617.592.987.
    *Benar:* Pendapatan Desa realisasi 2.617.592.987.
    """
    import pandas as pd

    from kinerja_xl.tables import fold

    by_sheet: dict[str, list] = {}
    for t in ctx.tables.get("apbdes", []):
        if t.has("uraian") and t.has("anggaran") and t.has("realisasi") and not t.has("kode"):
            by_sheet.setdefault(t.sheet, []).append(t)
    for tables in by_sheet.values():
        heads = {id(t): fold(t.labels.get("uraian") or "").split() for t in tables}
        for summary in tables:
            for r in summary.frame.index:
                label = summary.frame.at[r, "uraian"]
                if not isinstance(label, str):
                    continue
                for word, names in _CARD_TOTALS:
                    if not re.fullmatch(rf"((JUMLAH|TOTAL) )?{word}( DESA)?", fold(label)):
                        continue
                    detail = next((t for t in tables if t is not summary
                                   and any(n in heads[id(t)] for n in names)), None)
                    if detail is None:
                        continue
                    for key in ("realisasi", "anggaran"):
                        actual, values = summary.frame.at[r, key], detail.frame[key]
                        if pd.isna(actual) or not len(values) or values.isna().any():
                            continue
                        expected = int(values.astype("int64").sum())
                        if expected != int(actual):
                            yield ctx.finding(summary, key, r, expected=rupiah(expected), actual=rupiah(int(actual)),
                                              difference=rupiah(int(actual) - expected),
                                              related=tuple(detail.cell(key, x) for x in detail.frame.index),
                                              kolom=column_name(summary, key), baris=label.strip(), n=len(values),
                                              tabel=detail.labels.get("uraian") or "")
