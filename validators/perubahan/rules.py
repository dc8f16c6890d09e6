"""The rules of the APBD / APBDes perubahan table (KX421–KX425)."""

from __future__ import annotations

from kinerja_xl.findings import Percent
from kinerja_xl.rules import rule
from kinerja_xl.tables import rupiah
from kinerja_validators.lra.findings import BLOCK_LABEL, column_name, money_finding
from kinerja_validators.lra.structure import difference_failures, percent_failures, structure_of
from kinerja_xl.i18n import N_

AMOUNTS = ["sebelum", "sesudah"]
_BALANCE = {"surplus": ("SURPLUS/(DEFISIT)", N_("pendapatan − belanja")),
            "netto": ("PEMBIAYAAN NETTO", N_("penerimaan − pengeluaran")),
            "silpa": ("SiLPA", N_("surplus/(defisit) + pembiayaan netto"))}


@rule("KX421", "change-identity", tables="perubahan", message=N_("{kolom} {actual} ≠ {sesudah_label} {sesudah} − {sebelum_label} {sebelum} = {expected} (selisih {difference})"))
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


@rule("KX422", "change-parent-sum", tables="perubahan", message=N_("{kolom} {actual} ≠ jumlah {n} rekening di bawah kode ini {expected} (selisih {difference})"))
def change_parent_sum(table, ctx):
    """A code's row is the sum of its direct children, before and after the change.

    *Salah:* 01.01.01 58.200.000 over 5.1.1.01 [01.01.01] 52.200.000 and 5.1.1.02 [01.01.01] 6.500.000.
    *Benar:* 5.1.1.02 [01.01.01] 6.000.000.
    """
    for f in structure_of(table, AMOUNTS).parent_failures():
        yield money_finding(table, ctx, f)


@rule("KX423", "change-block-total", tables="perubahan", message=N_("{kolom} baris JUMLAH {blok} {actual} ≠ jumlah {n} rekening blok {blok} {expected} (selisih {difference})"))
def change_block_total(table, ctx):
    """JUMLAH PENDAPATAN / JUMLAH BELANJA sum the top accounts of their own block, before and after.

    *Salah:* JUMLAH PENDAPATAN 1.737.683.000 after perubahan while its accounts sum to 1.787.683.000.
    *Benar:* JUMLAH PENDAPATAN 1.787.683.000.
    """
    for f in structure_of(table, AMOUNTS).total_failures():
        yield money_finding(table, ctx, f, blok=BLOCK_LABEL[f.what])


@rule("KX424", "change-percent", tables="perubahan", message=N_("Persentase perubahan {actual} ≠ bertambah/(berkurang) / sebelum perubahan × 100 = {expected}"))
def change_percent(table, ctx):
    """% of the change = bertambah/(berkurang) / sebelum perubahan × 100.

    *Salah:* semula 100.000.000, bertambah 50.000.000, % 5,00.
    *Benar:* % 50,00.
    """
    for r, expected, shown, d in percent_failures(table.frame, "bertambah", "sebelum", "persen", ctx.config):
        yield ctx.finding(table, "persen", r, expected=Percent(expected, max(min(d, 4), 2)),
                          actual=Percent(shown, min(d, 4)),
                          related=(table.cell("bertambah", r), table.cell("sebelum", r)))


@rule("KX425", "change-balance", tables="perubahan", message=N_("{kolom} {baris} {actual} ≠ {rumus} = {expected} (selisih {difference})"))
def change_balance(table, ctx):
    """SURPLUS/(DEFISIT) = pendapatan − belanja, PEMBIAYAAN NETTO = penerimaan − pengeluaran,
    SiLPA = surplus/(defisit) + netto, before and after the change.

    *Salah:* pendapatan 1.787.683.000, belanja 1.800.000.000, defisit 12.317.000.
    *Benar:* defisit (12.317.000).
    """
    for f in structure_of(table, AMOUNTS).balance_failures():
        baris, rumus = _BALANCE[f.what]
        yield money_finding(table, ctx, f, baris=baris, rumus=rumus)
