"""Realisasi anggaran: program / kegiatan / sub kegiatan with plafon, realisasi, sisa.

Identities: sisa = plafon − realisasi on every row; a parent row is the sum of
its direct children; TOTAL = Σ programs; serapan % = realisasi / plafon.
"""

from __future__ import annotations

from kinerja_xl.tables import LABEL, MONEY, PERCENT, TEXT, Field, TableSpec

SPEC = TableSpec(
    kind="realisasi",
    title_id="Realisasi Anggaran",
    title_en="Budget realisation",
    fields=(
        Field("no", (r"NO",), LABEL),
        Field("kode", (r"KODE( REKENING| PROGRAM| KEGIATAN| SUB KEGIATAN)*",), TEXT),
        Field("uraian", (r"(NAMA )?PROGRAM( KEGIATAN)?( SUB KEGIATAN)?", r"URAIAN.*", r"NAMA PROGRAM.*"), TEXT, required=True),
        Field("plafon", (r"(PLAFON|PAGU|ALOKASI)( ANGGARAN)?( RP)?", r"ANGGARAN( RP)?"), MONEY, required=True),
        Field("realisasi_tw{tw}", (r"REALISASI( KEUANGAN)?( RP)? (TW|TRIWULAN|TRIBULAN) (?P<tw>I|II|III|IV|1|2|3|4)( RP)?",), MONEY),
        Field("realisasi", (r"REALISASI( KEUANGAN)?( JUMLAH)?( RP)?( JUMLAH)?( RP)?",), MONEY, required=True),
        Field("sisa", (r"SISA( ANGGARAN)?( RP)?",), MONEY),
        Field("serapan", (r"(%|PERSENTASE|PROSENTASE|PRESENTASE)( SERAPAN)?( %)?", r"SERAPAN( %)?", r"REALISASI( KEUANGAN)? %"), PERCENT),
    ),
    min_matched=3,
)
SPECS = [SPEC]
