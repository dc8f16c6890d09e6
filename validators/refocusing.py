"""Pagu sebelum dan sesudah refocusing: pagu awal, pagu refokusing, pengurangan.

Identities: pengurangan = awal − refokusing (≥ 0); JUMLAH = Σ rows. The
hierarchy and sum machinery is shared with the realisasi table
(``realisasi.analyse``); parent rows, where a layout has them, are checked by
KX401 there.
"""

from __future__ import annotations

from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rule, rules_in
from kinerja_xl.tables import LABEL, MONEY, TEXT, Field, TableSpec, rupiah
from kinerja_validators.realisasi import DIFFERENCES, _sum_finding, analysis_for, identity_findings, identity_message
from kinerja_xl.i18n import N_

_REFOKUS = r"(REFOKUSING|REFOCUSING|REFOKUS|REFOCUS)"
_PAGU = r"(PAGU|ANGGARAN|PLAFON|ALOKASI)( ANGGARAN)?( DIPA| DPA)?( RP)?"  # '( RP)' : 'PAGU (Rp)' over 'AWAL'; 'PAGU DIPA AWAL'
_AFTER = rf"({_REFOKUS}|(SETELAH|SESUDAH)( PENGHEMATAN| {_REFOKUS}| PERUBAHAN)?|MENJADI)"
SPEC = TableSpec(
    kind="refocusing",
    title_id=N_("Pagu Sebelum dan Sesudah Refocusing"),
    fields=(
        Field("no", (r"NO", r"NOMOR"), LABEL),
        Field("kode", (r"KODE( SUB KEGIATAN| KEGIATAN| PROGRAM| REKENING)?",), TEXT),
        Field("uraian", (r"URAIAN( SUB KEGIATAN| KEGIATAN| PROGRAM)?", r"(NAMA )?(PROGRAM )?(KEGIATAN )?SUB KEGIATAN",
                         r"NAMA (PROGRAM|KEGIATAN).*"), TEXT),
        Field("awal", (rf"{_PAGU} (AWAL|MURNI|SEMULA|SEBELUM( {_REFOKUS}| PENGHEMATAN| PERUBAHAN)?)( RP)?",),
              MONEY, required=True),
        Field("refokusing", (rf"{_PAGU} {_AFTER}( RP)?", rf"PAGU {_REFOKUS}( RP)?"), MONEY, required=True),
        Field("pengurangan", (r"(BESARAN |BESAR |JUMLAH |NILAI )?(PENGURANGAN|PENGHEMATAN|EFISIENSI|SELISIH)"
                              r"( PAGU)?( ANGGARAN)?( RP)?",), MONEY),
    ),
    min_matched=3,
)
SPECS = [SPEC]

PENGURANGAN = DIFFERENCES["refocusing"]


@rule("KX501", "pengurangan-identity", tables="refocusing", message=identity_message(PENGURANGAN, "pengurangan"))
def pengurangan_identity(table, ctx):
    """Besaran pengurangan = pagu awal − pagu refokusing on every row.

    *Salah:* awal 1.408.000, refokusing 772.000, pengurangan 646.000.
    *Benar:* awal 1.408.000, refokusing 772.000, pengurangan 636.000.
    """
    return identity_findings(table, ctx, PENGURANGAN)


@rule("KX502", "pengurangan-negative", tables="refocusing", severity="warning", message=N_("Pagu refokusing {refokusing} lebih besar dari pagu awal {awal}: pengurangan {actual} negatif"))
def pengurangan_negative(table, ctx):
    """Refocusing cuts a budget: pagu refokusing above pagu awal (a negative pengurangan) is unusual.

    A warning, not an error: a budget shift (pergeseran) may raise a
    sub kegiatan's pagu; it needs a note in the report.

    *Salah:* awal 2.816.000, refokusing 3.000.000, pengurangan (184.000).
    *Benar:* awal 2.816.000, refokusing 2.816.000, pengurangan ``-``.
    """
    a = analysis_for(table)
    if "awal" not in a.amounts or "refokusing" not in a.amounts:
        return
    key = "pengurangan" if table.has("pengurangan") else "refokusing"
    (awal, awal_blank), (ref, ref_blank) = a.amounts["awal"], a.amounts["refokusing"]
    raised = (ref > awal) & ~awal_blank & ~ref_blank
    for i in raised.nonzero()[0].tolist():
        r, x, y = int(a.tree.rows[i]), int(awal[i]), int(ref[i])
        yield ctx.finding(table, key, r, expected=0, actual=rupiah(x - y), awal=rupiah(x), refokusing=rupiah(y))


@rule("KX503", "refocusing-total", tables="refocusing", message=N_("{kolom} baris JUMLAH {actual} ≠ jumlah {n} baris {expected} (selisih {difference})"))
def refocusing_total(table, ctx):
    """The JUMLAH row of the refocusing table is the sum of its rows, per column.

    *Salah:* JUMLAH pagu refokusing 6.255.403.000.
    *Benar:* JUMLAH pagu refokusing 6.255.403.861 (Σ of the 20 sub kegiatan).
    """
    a = analysis_for(table)
    for f in a.sums:
        if f.total:
            yield _sum_finding(table, ctx, f, a.levels)


def pandera_schema():
    """pengurangan = awal − refokusing, parent and JUMLAH sums, no negative pagu, as one pandera schema."""
    from kinerja_validators.realisasi.schema import refocusing

    return refocusing()


KIND = TableKind(
    name="refocusing",
    title=SPEC.title_id,
    specs=tuple(SPECS),
    rules=rules_in(globals()),
    schema=pandera_schema,
    checked_fields={
        "awal": ("KX305", "KX401", "KX501", "KX503", "KX802"),
        "refokusing": ("KX305", "KX401", "KX501", "KX503", "KX801"),
        "pengurangan": ("KX401", "KX501", "KX502", "KX503"),
    },
)
