"""Realisasi anggaran: program / kegiatan / sub kegiatan with plafon, realisasi, sisa.

The kind's declaration: its header vocabulary (``SPEC``), rules
(``rules.py``), pandera schema (``schema.py``), ``hitung`` values
(``analysis.compute``). Identities: sisa = plafon − realisasi on every row;
JUMLAH = Σ TW where realisasi is split by quarter; a parent row is the sum of
its direct children; TOTAL = Σ programs; serapan % = realisasi / plafon.
"""

from __future__ import annotations

from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rules_in
from kinerja_xl.tables import LABEL, MONEY, PERCENT, TEXT, Field, TableSpec
from kinerja_validators.realisasi import rules
from kinerja_validators.realisasi.analysis import (
    DIFFERENCES, SISA, analysis_for, column_label, compute, serapan_values,
)
from kinerja_validators.realisasi.hierarchy import (
    LEVEL_BY_LASTINDEX, LEVEL_LABEL, children, hierarchy, is_total_row, kode_level, top_level_rows, tree,
)
from kinerja_validators.realisasi.rules import _sum_finding, identity_findings, identity_message
from kinerja_xl.i18n import N_

_TW = {"1": "I|1", "2": "II|2", "3": "III|3", "4": "IV|4"}
_TW_WORD = r"(TW|TRW|TRIWULAN|TRIBULAN|TRI WULAN|TRI BULAN) ?"


def _one_period_is_the_realisasi(found: dict[str, int]) -> dict[str, int]:
    """'REALISASI TW III' standing alone (no JUMLAH, no other quarter) is the table's realisasi."""
    periods = [k for k in found if k.startswith("realisasi_tw")]
    if "realisasi" not in found and len(periods) == 1:
        found = dict(found)
        found["realisasi"] = found.pop(periods[0])
    return found


SPEC = TableSpec(
    kind="realisasi",
    title_id=N_("Realisasi Anggaran"),
    fields=(
        Field("no", (r"NO", r"NOMOR", r"NO URUT"), LABEL),
        Field("kode", (r"KODE( AKUN| REKENING| PROGRAM| KEGIATAN| SUB KEGIATAN)*",), TEXT),
        # the label column: PROGRAM / KEGIATAN, URAIAN, and AKUN or REKENING in regional budget extracts
        Field("uraian", (r"(NAMA )?PROGRAM( KEGIATAN| KINERJA)?( SUB KEGIATAN)?( RINCIAN)?", r"URAIAN.*", r"NAMA PROGRAM.*",
                         r"(SUB )?KEGIATAN( SUB KEGIATAN)?", r"(NAMA )?(AKUN|REKENING)( BELANJA| PENDAPATAN)?"), TEXT, required=True),
        Field("plafon", (r"(PLAFON|PAGU|ALOKASI)( ANGGARAN)?( RP)?", r"(JUMLAH )?ANGGARAN( RP)?"), MONEY, required=True),
        # realisasi split into periods: TW I … TW IV beside a JUMLAH column
        *(Field(f"realisasi_tw{n}", (rf"REALISASI( KEUANGAN)?( RP)? {_TW_WORD}({roman})( RP)?",), MONEY)
          for n, roman in _TW.items()),
        Field("realisasi", (
            r"REALISASI( ANGGARAN| KEUANGAN)?( JUMLAH)?( RP)?( JUMLAH)?( RP)?",
            rf"REALISASI( KEUANGAN)?( RP)? (S ?D|SAMPAI DENGAN|KUMULATIF)( {_TW_WORD}(I|II|III|IV|1|2|3|4))?( RP)?",
        ), MONEY, required=True),
        Field("sisa", (r"SISA( ANGGARAN)?( RP)?",), MONEY),
        # beside anggaran and realisasi money columns a % headed CAPAIAN is the absorption, not an indicator's capaian
        Field("serapan", (r"(%|PERSENTASE|PROSENTASE|PRESENTASE)( SERAPAN)?( %)?", r"SERAPAN( ANGGARAN)?( %)?",
                          r"REALISASI( ANGGARAN| KEUANGAN)?( RP)?( SERAPAN| PERSENTASE| PROSENTASE| PRESENTASE)?( %)",
                          r"REALISASI( ANGGARAN| KEUANGAN)?( RP)? (SERAPAN|PERSENTASE|PROSENTASE|PRESENTASE)( %)?",
                          r"(%|PERSENTASE|PROSENTASE|PRESENTASE) (REALISASI|CAPAIAN)( ANGGARAN| KEUANGAN)?( %)?",
                          r"(PERSENTASE |PROSENTASE |PRESENTASE )?CAPAIAN( REALISASI)?( ANGGARAN| KEUANGAN)?( %)?",
                          # an LKPJ's '% Dari Angg.' beside '% Dari Total' (share of the total, not absorption)
                          r"% (DARI|THD|TERHADAP) (ANGG|ANGGARAN)"), PERCENT),
    ),
    min_matched=3,
    resolve=_one_period_is_the_realisasi,
)
SPECS = [SPEC]



def levels(table) -> list:
    """The hierarchy level of every row (``hierarchy(table)["level"]``), for the audit's summaries."""
    return list(tree(table).level)


def pandera_schema():
    """Every identity of the table as one pandera schema (built on first use)."""
    from kinerja_validators.realisasi.schema import realisasi

    return realisasi()


KIND = TableKind(
    name="realisasi",
    title=SPEC.title_id,
    specs=tuple(SPECS),
    rules=rules_in(vars(rules)),
    schema=pandera_schema,
    compute=compute,
    hooks={"levels": levels},
    # which rules read which column (coverage): the row identities, the bounds, the sums, and KX801's pagu
    checked_fields={
        "plafon": ("KX301", "KX302", "KX304", "KX305", "KX401", "KX402", "KX801"),
        "realisasi": ("KX301", "KX302", "KX303", "KX304", "KX305", "KX401", "KX402"),
        # sisa = plafon − realisasi reads Σ TW where the quarters and the JUMLAH disagree (KX301)
        "realisasi_tw*": ("KX301", "KX303", "KX305", "KX401", "KX402"),
        "sisa": ("KX301", "KX401", "KX402"),
        "serapan": ("KX302",),
    },
)

__all__ = [
    "DIFFERENCES", "KIND", "LEVEL_BY_LASTINDEX", "LEVEL_LABEL", "SISA", "SPEC", "SPECS", "_sum_finding",
    "analysis_for", "children", "column_label", "compute", "hierarchy", "identity_findings", "identity_message",
    "is_total_row", "kode_level", "levels", "serapan_values", "top_level_rows",
]
