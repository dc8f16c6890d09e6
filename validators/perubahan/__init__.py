"""APBD / DPA / APBDes perubahan: SEBELUM (SEMULA) | SESUDAH PERUBAHAN | BERTAMBAH/(BERKURANG) | %.

Identities: bertambah/(berkurang) = sesudah − sebelum (negative in
brackets); % = bertambah / sebelum × 100; a code's row = Σ its direct
children and JUMLAH PENDAPATAN / BELANJA = Σ their own block, in the columns
before and after the change; SURPLUS/(DEFISIT), PEMBIAYAAN NETTO and SiLPA as
in the LRA (``kinerja_validators.lra.structure``). A header printed again
at a page break starts a new table (the engine's stacked-table reading).

The spec needs the BERTAMBAH/(BERKURANG) column: a refocusing table (PAGU
AWAL | PAGU REFOKUSING | PENGURANGAN) is never taken.
"""

from __future__ import annotations

from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rules_in
from kinerja_xl.tables import LABEL, MONEY, PERCENT, TEXT, Field, TableSpec
from kinerja_validators.perubahan import rules
from kinerja_xl.i18n import N_

_RP = r"( RP)?"
_WHAT = r"((JUMLAH |NILAI )?(ANGGARAN|PAGU|APBDES|APBD|DPA|JUMLAH)( BELANJA| PENDAPATAN)?( RP)? )?"
SPEC = TableSpec(
    kind="perubahan",
    title_id=N_("Anggaran Sebelum dan Sesudah Perubahan"),
    fields=(
        Field("no", (r"NO", r"NOMOR", r"HURUF", r"AYAT ?HURUF"), LABEL),
        Field("kode", (r"KODE( REKENING| REK| AKUN)?", r"(NO )?REKENING"), TEXT),
        Field("uraian", (r"URAIAN.*", r"U R A I A N", r"AKUN", r"NAMA (AKUN|REKENING)"), TEXT),
        Field("sebelum", (rf"{_WHAT}(SEMULA|AWAL|MURNI|SEBELUM( PERUBAHAN)?){_RP}( TAHUN \d{{4}})?{_RP}",),
              MONEY, required=True),
        Field("sesudah", (rf"{_WHAT}(MENJADI|(SETELAH|SESUDAH)( PERUBAHAN)?|PERUBAHAN){_RP}( TAHUN \d{{4}})?{_RP}",),
              MONEY, required=True),
        # RKA/DPA forms print 'Bertambah / (Berkurang)' over the sub-headers 'Jumlah (Rp)' and '%'
        Field("bertambah", (rf"(JUMLAH )?(SELISIH )?BERTAMBAH( ?BERKURANG)?( JUMLAH)?{_RP}", rf"(BERTAMBAH )?BERKURANG{_RP}",
                            rf"(SELISIH|PERUBAHAN) (BERTAMBAH )?(BERKURANG)?{_RP}"), MONEY, required=True),
        Field("persen", (r"%", r"(PERSENTASE|PROSENTASE|PRESENTASE)( PERUBAHAN)?( %)?", r"% PERUBAHAN",
                         r"BERTAMBAH ?BERKURANG %"), PERCENT),
    ),
    min_matched=3,
)
SPECS = [SPEC]


def pandera_schema():
    """The perubahan identities as one pandera schema (built on first use)."""
    from kinerja_validators.lra.schema import perubahan

    return perubahan()


KIND = TableKind(
    name="perubahan",
    title=SPEC.title_id,
    specs=tuple(SPECS),
    rules=rules_in(vars(rules)),
    schema=pandera_schema,
    checked_fields={
        "sebelum": ("KX421", "KX422", "KX423", "KX424", "KX425"),
        "sesudah": ("KX421", "KX422", "KX423", "KX425"),
        "bertambah": ("KX421", "KX424"),
        "persen": ("KX424",),
    },
)

__all__ = ["KIND", "SPEC", "SPECS", "pandera_schema"]
