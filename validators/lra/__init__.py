"""Laporan Realisasi Anggaran (LRA) of a desa (APBDes), an SKPD or a pemda.

Columns URAIAN (or KODE REKENING / AKUN + URAIAN), ANGGARAN, REALISASI,
LEBIH/(KURANG) (or SELISIH), %; blocks PENDAPATAN / BELANJA / PEMBIAYAAN with
account codes as levels (``structure``). Identities: a code's row = Σ its
direct children; JUMLAH PENDAPATAN / JUMLAH BELANJA = Σ their own block;
SURPLUS/(DEFISIT) = pendapatan − belanja (negative is normal); PEMBIAYAAN
NETTO = penerimaan − pengeluaran; SiLPA = surplus/(defisit) + netto;
LEBIH/(KURANG) = anggaran − realisasi or the reverse (the convention most
rows follow); % = realisasi / anggaran × 100 on every row.

The spec needs the LEBIH/(KURANG) or SELISIH column, which the realisasi
table's vocabulary does not have: a realisasi table (SISA) is never taken.
"""

from __future__ import annotations

from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rules_in
from kinerja_xl.tables import LABEL, MONEY, PERCENT, TEXT, Field, TableSpec
from kinerja_validators.lra import rules
from kinerja_xl.i18n import N_

_RP = r"( RP)?"
SPEC = TableSpec(
    kind="lra",
    title_id=N_("Laporan Realisasi Anggaran"),
    fields=(
        Field("no", (r"NO", r"NOMOR", r"HURUF", r"AYAT ?HURUF"), LABEL),
        Field("kode", (r"KODE( REKENING| REK| AKUN)?", r"(NO )?REKENING", r"KODE REKENING URAIAN"), TEXT),
        Field("uraian", (r"URAIAN.*", r"U R A I A N", r"AKUN", r"NAMA (AKUN|REKENING)"), TEXT),
        Field("anggaran", (rf"(JUMLAH )?ANGGARAN{_RP}( SETELAH PERUBAHAN| PERUBAHAN| MURNI)?( TAHUN \d{{4}})?( TA \d{{4}})?{_RP}",
                           rf"(APBDES|APBD)( PERUBAHAN)?( TAHUN \d{{4}})?{_RP}"), MONEY, required=True),
        Field("realisasi", (rf"(JUMLAH )?REALISASI{_RP}( ANGGARAN)?( TAHUN \d{{4}})?( TA \d{{4}})?( S ?D .*)?{_RP}",), MONEY,
              required=True),
        Field("lebih", (rf"(SELISIH )?LEBIH ?(KURANG)?{_RP}", rf"SELISIH( LEBIH)?( KURANG)?{_RP}",
                        rf"(LEBIH )?KURANG( LEBIH)?{_RP}"), MONEY, required=True),
        Field("persen", (r"%", r"(PERSENTASE|PROSENTASE|PRESENTASE)( REALISASI)?( %)?", r"% REALISASI",
                         r"REALISASI %", r"CAPAIAN( %)?"), PERCENT),
    ),
    min_matched=3,
)
SPECS = [SPEC]


def pandera_schema():
    """The LRA identities as one pandera schema (built on first use)."""
    from kinerja_validators.lra.schema import lra

    return lra()


KIND = TableKind(
    name="lra",
    title=SPEC.title_id,
    specs=tuple(SPECS),
    rules=rules_in(vars(rules)),
    schema=pandera_schema,
)

__all__ = ["KIND", "SPEC", "SPECS", "pandera_schema"]
