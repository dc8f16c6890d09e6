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
# The penjabaran APBDes (a desa's budget as adopted: KODE | URAIAN | ANGGARAN | SUMBER DANA, no
# realisasi): the same account structure with one amount column. It needs the SUMBER DANA /
# PENJELASAN column beside the codes, so a table with one amount and nothing else is never taken.
APBDES_SPEC = TableSpec(
    kind="apbdes",
    title_id=N_("Penjabaran APBDes"),
    fields=(
        Field("no", (r"NO", r"NOMOR"), LABEL),
        Field("kode", (r"KODE( REKENING| REK| AKUN)?", r"(NO )?REKENING"), TEXT, required=True),
        Field("uraian", (r"URAIAN.*", r"U R A I A N", r"NAMA (AKUN|REKENING)"), TEXT, required=True),
        Field("anggaran", (rf"(JUMLAH )?ANGGARAN{_RP}( TAHUN \d{{4}})?( TA \d{{4}})?{_RP}",), MONEY, required=True),
        Field("keterangan", (r"SUMBER ?DANA", r"PENJELASAN", r"KETERANGAN"), TEXT, required=True),
    ),
    min_matched=4,
)
# A desa portal's APBDes cards: small stacked tables, each headed by its own title in the uraian
# column ('APBDes 2024 Pelaksanaan | Realisasi | Anggaran', then '… Pendapatan', '… Pembelanjaan'):
# the summary's Pendapatan Desa / Belanja Desa rows are the totals of the tables below (KX418).
APBDES_CARDS_SPEC = TableSpec(
    kind="apbdes",
    title_id=N_("Ringkasan APBDes (portal desa)"),
    fields=(
        Field("uraian", (r"APBDES( \d{4})? [A-Z ]+",), TEXT, required=True),
        Field("realisasi", (r"REALISASI( RP)?",), MONEY, required=True),
        Field("anggaran", (r"ANGGARAN( RP)?",), MONEY, required=True),
    ),
    min_matched=3,
)
SPECS = [SPEC, APBDES_SPEC, APBDES_CARDS_SPEC]


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
    checked_fields={
        "anggaran": ("KX411", "KX412", "KX413", "KX414", "KX415", "KX416", "KX417", "KX418"),
        "realisasi": ("KX411", "KX412", "KX413", "KX414", "KX415", "KX416", "KX417", "KX418"),
        "lebih": ("KX416",),
        "persen": ("KX417",),
    },
)

__all__ = ["KIND", "SPEC", "SPECS", "pandera_schema"]
