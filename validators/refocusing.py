"""Pagu sebelum dan sesudah refocusing: pagu awal, pagu refokusing, pengurangan.

Identities: pengurangan = awal − refokusing (≥ 0); JUMLAH = Σ rows.
"""

from __future__ import annotations

from kinerja_xl.tables import LABEL, MONEY, TEXT, Field, TableSpec

SPEC = TableSpec(
    kind="refocusing",
    title_id="Pagu Sebelum dan Sesudah Refocusing",
    title_en="Budget before and after refocusing",
    fields=(
        Field("no", (r"NO",), LABEL),
        Field("kode", (r"KODE( SUB KEGIATAN| KEGIATAN| REKENING)?",), TEXT),
        Field("uraian", (r"URAIAN( SUB KEGIATAN)?", r"(NAMA )?SUB KEGIATAN"), TEXT),
        Field("awal", (r"PAGU( ANGGARAN)? (AWAL|SEBELUM( REFOCUSING| REFOKUSING)?)( RP)?",), MONEY, required=True),
        Field("refokusing", (r"PAGU( ANGGARAN)? (REFOKUSING|REFOCUSING|SETELAH( PENGHEMATAN| REFOCUSING| REFOKUSING)?|SESUDAH( REFOCUSING| REFOKUSING)?)( RP)?",), MONEY, required=True),
        Field("pengurangan", (r"(BESARAN )?(PENGURANGAN|PENGHEMATAN|EFISIENSI)( PAGU)?( ANGGARAN)?( RP)?",), MONEY),
    ),
    min_matched=3,
)
SPECS = [SPEC]
