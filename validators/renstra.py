"""Target jangka menengah (Renstra, RPJMD): targets per year over the plan period, realisations so far,
and the Buku Tabel of targets with their pagu indikatif.

The seed: "Target Jangka Menengah" over "Tahun 2019 … Tahun 2023", then
"Realisasi Kinerja" over "2019 2020 2021". Keys carry the year
(``target_2019``, ``realisasi_2021``, ``capaian_2021`` when printed), like the
comparison table, whose capaian rule (KX704) covers this table too.

A planning Buku Tabel (the target and pagu indikatif of each program over
the plan period) prints ``TARGET | RP.`` pairs with no year over them, the
last pair being the kondisi akhir: the target at the end of the period and
the total pagu. The pairs are read by position (``target_1``/``pagu_1``, …)
and the last one is renamed ``target_akhir``/``pagu_akhir``; two identities
hold: pagu akhir = Σ pagu of the years (KX706), target akhir = target of the
last year (KX707).
"""

from __future__ import annotations

import functools

from kinerja_xl.i18n import N_
from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rule, rules_in
from kinerja_xl.tables import LABEL, MONEY, PERCENT, TEXT, Field, TableSpec, rupiah

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

# The Buku Tabel's pairs, numbered by position: the n-th TARGET column is target_n, the n-th RP.
# column pagu_n (match_spec gives a repeated label to the next field whose key is free).
MAX_PAIRS = 8
_TARGET = r"TARGET( KINERJA)?"
_PAGU = r"RP|PAGU( INDIKATIF)?( RP)?|(PAGU )?ANGGARAN( INDIKATIF)?( RP)?|DANA( RP)?"
# a target printed as a range ('69,1-69,5', folded '69 1 69 5') is text by right, not a number misread
_RANGE = r"\d+( \d+)? \d+( \d+)?"


def _pairs(found: dict[str, int]) -> dict[str, int]:
    """Keep the pairs when every ``target_n`` has its ``pagu_n`` right beside it and there are at least
    three; the last pair is the kondisi akhir. Anything else is not this table (no pairs kept)."""
    n = sum(1 for k in found if k.startswith("target_") and k[7:].isdigit())
    if n < 3 or sum(1 for k in found if k.startswith("pagu_") and k[5:].isdigit()) != n:
        return {k: c for k, c in found.items() if not k.startswith(("target_", "pagu_"))}
    if any(found.get(f"pagu_{i}") != found[f"target_{i}"] + 1 for i in range(1, n + 1)):
        return {k: c for k, c in found.items() if not k.startswith(("target_", "pagu_"))}
    out = dict(found)
    out["target_akhir"], out["pagu_akhir"] = out.pop(f"target_{n}"), out.pop(f"pagu_{n}")
    return out


SPEC_PAGU = TableSpec(
    kind="renstra",
    title_id=N_("Target dan pagu indikatif jangka menengah (Buku Tabel RPJMD / Renstra)"),
    fields=(
        Field("kode", (r"KODE",), LABEL),
        Field("indikator", (r"INDIKATOR( KINERJA)?( PROGRAM| SASARAN| TUJUAN)?",), TEXT),
        Field("satuan", (r"SATUAN",), TEXT),
        *(Field(f"target_{i}", (_TARGET,), PERCENT) for i in range(1, MAX_PAIRS + 1)),
        *(Field(f"pagu_{i}", (_PAGU,), MONEY) for i in range(1, MAX_PAIRS + 1)),
        Field("target_akhir", (), PERCENT, required=True),
        Field("pagu_akhir", (), MONEY, required=True),
        Field("keterangan", (r"KETERANGAN",), TEXT),
        Field("perangkat_daerah", (r"PERANGKAT DAERAH( PENANGGUNG JAWAB)?|OPD( PENANGGUNG JAWAB)?",), TEXT),
    ),
    min_matched=6,
    resolve=_pairs,
    not_numbers=tuple((f"target_{i}", _RANGE) for i in range(1, MAX_PAIRS + 1)) + (("target_akhir", _RANGE),),
)
SPECS = [SPEC, SPEC_PAGU]


def _yearly(columns, prefix: str) -> list[str]:
    """The positional ``<prefix>1`` … ``<prefix>n`` columns present, in order (a year key such as
    ``target_2021`` is not one)."""
    n = 0
    while f"{prefix}{n + 1}" in columns and n < MAX_PAIRS:
        n += 1
    return [f"{prefix}{i}" for i in range(1, n + 1)]


def year_pairs(table) -> int:
    """How many yearly ``target_n``/``pagu_n`` pairs stand before the kondisi akhir."""
    return min(len(_yearly(table.columns, "target_")), len(_yearly(table.columns, "pagu_")))


def pagu_total(frame, *, total: str = "pagu_akhir"):
    """Total pagu = Σ pagu of the years (``pagu_1`` … ``pagu_n``), exactly (sen): a nullable boolean per row,
    <NA> where the total or a year is not printed (not judged)."""
    import numpy as np
    import pandas as pd

    years = _yearly(frame.columns, "pagu_")
    if not years or total not in frame.columns:
        return True
    parts = np.stack([frame[k].to_numpy(dtype=np.float64, na_value=np.nan) for k in years])
    printed = frame[total].to_numpy(dtype=np.float64, na_value=np.nan)
    judged = ~np.isnan(printed) & ~np.isnan(parts).any(axis=0)
    # sen are integers far below 2**53: float sums are exact here
    return pd.Series(pd.array(np.where(judged, printed == parts.sum(axis=0), False), dtype="boolean"),
                     index=frame.index).mask(~judged)


def target_final(frame, *, final: str = "target_akhir"):
    """Target kondisi akhir = target of the last year (the highest ``target_n``): a nullable boolean per
    row, <NA> where either is not a number (a range such as '70,6-71' stays text, not judged)."""
    import numpy as np
    import pandas as pd

    years = _yearly(frame.columns, "target_")
    if not years or final not in frame.columns:
        return True
    a = frame[years[-1]].to_numpy(dtype=np.float64, na_value=np.nan)
    b = frame[final].to_numpy(dtype=np.float64, na_value=np.nan)
    judged = ~np.isnan(a) & ~np.isnan(b)
    same = np.abs(a - b) <= 1e-9 * np.maximum(1.0, np.abs(a))
    return pd.Series(pd.array(same, dtype="boolean"), index=frame.index).mask(~judged)


def register_checks() -> None:
    from kinerja_validators._pandera import register

    register("kx_pagu_total", ["total"], pagu_total)
    register("kx_target_final", ["final"], target_final)


@functools.lru_cache(maxsize=None)
def pagu_schema(rule_cases: bool = False) -> tuple:
    """The Buku Tabel's identities, whatever the number of years: ``pagu_akhir`` = Σ ``pagu_1`` … ``pagu_n``
    (KX706), ``target_akhir`` = ``target_n`` (KX707)."""
    import pandera.pandas as pa

    from kinerja_validators._pandera import RULE_FAILURE_CASES

    register_checks()
    n = RULE_FAILURE_CASES if rule_cases else None
    return (
        pa.Check.kx_pagu_total(total="pagu_akhir", error="KX706", n_failure_cases=n, ignore_na=False),
        pa.Check.kx_target_final(final="target_akhir", error="KX707", n_failure_cases=n, ignore_na=False),
    )


def pandera_schema():
    """The Renstra schema: the capaian per year of the comparison table (KX704) and the Buku Tabel's
    pagu and target identities (KX706, KX707)."""
    import pandera.pandas as pa

    from kinerja_validators.perbandingan import pandera_schema as capaian_schema

    return pa.DataFrameSchema(checks=[*capaian_schema().checks, *pagu_schema()], name="renstra",
                              description="Capaian per tahun; pagu kondisi akhir = Σ pagu tahunan; "
                                          "target kondisi akhir = target tahun terakhir")


@functools.lru_cache(maxsize=None)
def _rules_schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(checks=list(pagu_schema(True)), name="renstra-pagu")


def _failing(table, check: str) -> list[int]:
    from kinerja_validators._pandera import failing_rows

    keys = [k for k in (*_yearly(table.columns, "pagu_"), *_yearly(table.columns, "target_"), "pagu_akhir",
                        "target_akhir") if table.has(k)]
    return failing_rows(_rules_schema(), table.frame[keys])[check]


@rule("KX706", "pagu-final-total", tables="renstra",
      message=N_("Pagu kondisi akhir {actual} ≠ jumlah pagu {n} tahun = {expected} (selisih {difference})"))
def check_pagu_total(table, ctx):
    """The total pagu of the kondisi akhir = Σ the pagu of every year of the plan period.

    In the Buku Tabel of an RPJMD or Renstra each program prints, per year, a
    target and its pagu indikatif (``TARGET | RP.``), then the kondisi akhir:
    the target at the end of the period and the total pagu. Compared exactly;
    a row where the total or a year's pagu is blank is not judged.

    *Salah:* pagu 1.231.790.000; 1.556.600.000; 1.713.578.000; 1.647.460.000, total 6.194.428.000.

    *Benar:* the same four years, total 6.149.428.000.
    """
    pairs = year_pairs(table)
    if not pairs or not table.has("pagu_akhir"):
        return
    years = [f"pagu_{i}" for i in range(1, pairs + 1)]
    for row in _failing(table, "KX706"):
        printed = int(table.frame.at[row, "pagu_akhir"])
        expected = sum(int(table.frame.at[row, k]) for k in years)
        yield ctx.finding(table, "pagu_akhir", row, expected=rupiah(expected), actual=rupiah(printed),
                          difference=rupiah(printed - expected), n=pairs,
                          related=tuple(table.cell(k, row) for k in years))


@rule("KX707", "target-final-last-year", tables="renstra",
      message=N_("Target kondisi akhir {actual} ≠ target tahun terakhir {expected}"))
def check_target_final(table, ctx):
    """The target of the kondisi akhir = the target of the last year of the plan period.

    The Buku Tabel prints the target at the end of the period beside the
    total pagu; it is the target of the plan's last year. A target printed as
    a range ('70,6-71') is text and not judged.

    *Salah:* target tahun terakhir 74,78, kondisi akhir 75,78.

    *Benar:* target tahun terakhir 74,78, kondisi akhir 74,78.
    """
    pairs = year_pairs(table)
    if not pairs or not table.has("target_akhir"):
        return
    last = f"target_{pairs}"
    for row in _failing(table, "KX707"):
        yield ctx.finding(table, "target_akhir", row, expected=float(table.frame.at[row, last]),
                          actual=float(table.frame.at[row, "target_akhir"]), related=(table.cell(last, row),))


def _schema():
    return pandera_schema()


def compute(table, config, tables=None) -> list:
    """Capaian % per year where the table prints a capaian column."""
    from kinerja_validators.perbandingan import compute as per_year

    return per_year(table, config, tables)


KIND = TableKind(
    name="renstra",
    title=SPEC.title_id,
    specs=tuple(SPECS),
    rules=rules_in(globals()),
    schema=_schema,
    compute=compute,
    # the capaian per year (KX704) is the perbandingan rule, which reads renstra tables too. Of the Buku
    # Tabel's positional targets only the last year's is read (by KX707), which a static declaration cannot
    # say: they are declared read by none rather than over-claimed (the first matching entry counts)
    checked_fields={"target_akhir": ("KX707",), **{f"target_{i}": () for i in range(1, MAX_PAIRS + 1)},
                    "target_*": ("KX704",), "realisasi_*": ("KX704",), "capaian_*": ("KX704",),
                    "pagu_*": ("KX706",)},
)
