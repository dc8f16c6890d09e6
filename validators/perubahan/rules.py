"""The rules of the APBD / APBDes perubahan table (KX421–KX425)."""

from __future__ import annotations

from kinerja_xl.findings import Percent
from kinerja_xl.rules import rule
from kinerja_xl.tables import rupiah
from kinerja_validators.lra.findings import BLOCK_LABEL, column_name, money_finding
from kinerja_validators.lra.structure import difference_failures, percent_failures, structure_of

AMOUNTS = ["sebelum", "sesudah"]
_BALANCE = {"surplus": ("SURPLUS/(DEFISIT)", "pendapatan − belanja", "revenue − spending"),
            "netto": ("PEMBIAYAAN NETTO", "penerimaan − pengeluaran", "receipts − payments"),
            "silpa": ("SiLPA", "surplus/(defisit) + pembiayaan netto", "surplus/(deficit) + net financing")}


@rule("KX421", "change-identity", tables="perubahan", message=(
    "{kolom} {actual} ≠ {sesudah_label} {sesudah} − {sebelum_label} {sebelum} = {expected} (selisih {difference})",
    "{kolom} {actual} ≠ {sesudah_label} {sesudah} − {sebelum_label} {sebelum} = {expected} (difference {difference})"))
def change_identity(table, ctx):
    """BERTAMBAH/(BERKURANG) = sesudah perubahan − sebelum perubahan (semula), negative in brackets.

    *Salah:* semula 663.527.532.088, setelah 662.132.317.500,14, (1.359.214.587,86).
    *Benar:* (1.395.214.587,86).
    """
    _, failures = difference_failures(table.frame, "sesudah", "sebelum", "bertambah", "forward")
    for f in failures:
        yield money_finding(table, ctx, f, sesudah_label=column_name(table, "sesudah"),
                            sebelum_label=column_name(table, "sebelum"),
                            sesudah=rupiah(table.frame.at[f.row, "sesudah"]),
                            sebelum=rupiah(table.frame.at[f.row, "sebelum"]))


@rule("KX422", "change-parent-sum", tables="perubahan", message=(
    "{kolom} {actual} ≠ jumlah {n} rekening di bawah kode ini {expected} (selisih {difference})",
    "{kolom} {actual} ≠ sum of the {n} accounts under this code {expected} (difference {difference})"))
def change_parent_sum(table, ctx):
    """A code's row is the sum of its direct children, before and after the change.

    *Salah:* 01.01.01 58.200.000 over 5.1.1.01 [01.01.01] 52.200.000 and 5.1.1.02 [01.01.01] 6.500.000.
    *Benar:* 5.1.1.02 [01.01.01] 6.000.000.
    """
    for f in structure_of(table, AMOUNTS).parent_failures():
        yield money_finding(table, ctx, f)


@rule("KX423", "change-block-total", tables="perubahan", message=(
    "{kolom} baris JUMLAH {blok_id} {actual} ≠ jumlah {n} rekening blok {blok_id} {expected} (selisih {difference})",
    "{kolom} of the JUMLAH {blok_en} row {actual} ≠ sum of the {n} {blok_en} accounts {expected} (difference {difference})"))
def change_block_total(table, ctx):
    """JUMLAH PENDAPATAN / JUMLAH BELANJA sum the top accounts of their own block, before and after.

    *Salah:* JUMLAH PENDAPATAN 1.737.683.000 after perubahan while its accounts sum to 1.787.683.000.
    *Benar:* JUMLAH PENDAPATAN 1.787.683.000.
    """
    for f in structure_of(table, AMOUNTS).total_failures():
        bid, ben = BLOCK_LABEL[f.what]
        yield money_finding(table, ctx, f, blok_id=bid.upper(), blok_en=ben)


@rule("KX424", "change-percent", tables="perubahan", message=(
    "Persentase perubahan {actual} ≠ bertambah/(berkurang) / sebelum perubahan × 100 = {expected}",
    "Change percentage {actual} ≠ change / amount before × 100 = {expected}"))
def change_percent(table, ctx):
    """% of the change = bertambah/(berkurang) / sebelum perubahan × 100.

    *Salah:* semula 100.000.000, bertambah 50.000.000, % 5,00.
    *Benar:* % 50,00.
    """
    for r, expected, shown, d in percent_failures(table.frame, "bertambah", "sebelum", "persen", ctx.config):
        yield ctx.finding(table, "persen", r, expected=Percent(expected, max(min(d, 4), 2)),
                          actual=Percent(shown, min(d, 4)),
                          related=(table.cell("bertambah", r), table.cell("sebelum", r)))


@rule("KX425", "change-balance", tables="perubahan", message=(
    "{kolom} {baris} {actual} ≠ {rumus_id} = {expected} (selisih {difference})",
    "{kolom} {baris} {actual} ≠ {rumus_en} = {expected} (difference {difference})"))
def change_balance(table, ctx):
    """SURPLUS/(DEFISIT) = pendapatan − belanja, PEMBIAYAAN NETTO = penerimaan − pengeluaran,
    SiLPA = surplus/(defisit) + netto, before and after the change.

    *Salah:* pendapatan 1.787.683.000, belanja 1.800.000.000, defisit 12.317.000.
    *Benar:* defisit (12.317.000).
    """
    for f in structure_of(table, AMOUNTS).balance_failures():
        baris, rid, ren = _BALANCE[f.what]
        yield money_finding(table, ctx, f, baris=baris, rumus_id=rid, rumus_en=ren)
