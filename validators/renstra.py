"""Target jangka menengah (Renstra): targets per year over the plan period, realisations so far.

The seed: "Target Jangka Menengah" over "Tahun 2019 … Tahun 2023", then
"Realisasi Kinerja" over "2019 2020 2021". Keys carry the year
(``target_2019``, ``realisasi_2021``, ``capaian_2021`` when printed), like the
comparison table, whose capaian rule (KX704) covers this table too.
"""

from __future__ import annotations

from kinerja_xl.kinds import TableKind
from kinerja_xl.tables import LABEL, PERCENT, TEXT, Field, TableSpec
from kinerja_xl.i18n import N_

SPEC = TableSpec(
    kind="renstra",
    title_id=N_("Target jangka menengah (Renstra) dan realisasi"),
    fields=(
        Field("no", (r"NO",), LABEL),
        Field("indikator", (r"INDIKATOR( KINERJA)?( UTAMA)?( IKU)?( SASARAN)?",), TEXT, required=True),
        Field("satuan", (r"SATUAN",), TEXT),
        Field("target_{year}", (r"TARGET( KINERJA)?( JANGKA MENENGAH| RENSTRA)( KINERJA)?( TAHUN)? (?P<year>\d{4})",), PERCENT),
        Field("realisasi_{year}", (r"REALISASI( KINERJA)?( TAHUN)? (?P<year>\d{4})",), PERCENT),
        Field("capaian_{year}", (r"CAPAIAN( KINERJA)?( TAHUN)? (?P<year>\d{4})( %)?",), PERCENT),
    ),
    min_matched=4,
)
SPECS = [SPEC]


def _schema():
    """The capaian-per-year schema of the comparison table (KX704 covers both)."""
    from kinerja_validators.perbandingan import pandera_schema

    return pandera_schema()


def compute(table, config, tables=None) -> list:
    """Capaian % per year where the table prints a capaian column."""
    from kinerja_validators.perbandingan import compute as per_year

    return per_year(table, config, tables)


KIND = TableKind(
    name="renstra",
    title=SPEC.title_id,
    specs=tuple(SPECS),
    schema=_schema,
    compute=compute,
    # its own rules are none: the capaian per year (KX704) is the perbandingan rule, which reads renstra tables too
    checked_fields={"target_*": ("KX704",), "realisasi_*": ("KX704",), "capaian_*": ("KX704",)},
)
