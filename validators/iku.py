"""Capaian IKU: indicator targets, realisations and the capaian percentage.

Columns: NO, SASARAN STRATEGIS, INDIKATOR KINERJA (UTAMA), TARGET (TAHUN
2021), realisasi (the seed prints it under "Kinerja TW III / Capaian"), the %
column, KETERANGAN, and in our template a POLARITAS column (absent = every
indicator is positive).

Capaian % = realisasi / target × 100 for a positive indicator (higher is
better); for a negative one (lower is better) (2 − realisasi / target) × 100,
or target / realisasi × 100 when ``negative_polarity = "inverse"``. The
helpers here (``capaian``, ``is_negative``, ``decimals``…) and its capaian
check (``capaian_agrees``) are shared by the
comparison and Renstra tables.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from kinerja_xl.findings import Percent
from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rule, rules_in
from kinerja_xl.tables import LABEL, PERCENT, TEXT, Field, TableSpec
from kinerja_xl.i18n import N_, NP_, Message
from kinerja_validators._memo import once_per_table

# Cells of an indicator table that hold no number by right (folded text, in full): data not yet
# available ('n/a', 'belum tersedia'), and the letter grades of SAKIP (AA … D) or a BPK opinion
# (WTP) set as targets and reached as realisations. They are not checked, never an unreadable number
# (a '-' is read as 0 already).
NOT_AVAILABLE = r"N ?A|TIDAK ADA( DATA)?|BELUM ADA( DATA)?|(DATA )?BELUM TERSEDIA|TIDAK TERSEDIA"
GRADE = r"AA|A|BB|B|CC|C|D|E|WTP|WDP|TMP"
NOT_NUMBERS = (("target", f"{NOT_AVAILABLE}|{GRADE}"), ("realisasi", f"{NOT_AVAILABLE}|{GRADE}"),
               ("capaian", NOT_AVAILABLE))


def spec_options(**options) -> dict:
    """The ``TableSpec`` options the installed engine has: ``not_numbers`` (cells that hold no number by
    right, reported as not checked instead of KX102) comes with the engine that reads them."""
    import dataclasses

    have = {f.name for f in dataclasses.fields(TableSpec)}
    return {k: v for k, v in options.items() if k in have}


SPEC = TableSpec(
    kind="iku",
    title_id=N_("Capaian Indikator Kinerja Utama (IKU)"),
    fields=(
        Field("no", (r"NO", r"N0"), LABEL),  # 'N0' with a zero, as Sampang's LKjIP prints it
        Field("sasaran", (r"SASARAN( STRATEGIS| KINERJA| PROGRAM)?",), TEXT),
        Field("indikator", (r"INDIKATOR( KINERJA)?( UTAMA| KUNCI)?( IKU| IKK)?( SASARAN)?",
                            # SIMKinerja: 'Sasaran Kegiatan / Sub-Kegiatan Indikator'
                            r"SASARAN( KEGIATAN)?( SUB KEGIATAN)? INDIKATOR( KINERJA)?"), TEXT, required=True),
        Field("target", (r"TARGET( KINERJA)?( TAHUN| SETAHUN| TAHUNAN)?( \d{4})?( (TW|TRIWULAN|TRIBULAN)( [IV1-4]+)?)?",),
              PERCENT, required=True),
        # "Kinerja TW III" over "Capaian" is the realisation; over "%" it is the capaian
        Field("realisasi", (r"(KINERJA|REALISASI)( KINERJA)?( (TW|TRIWULAN|TRIBULAN)( [IV1-4]+)?)?( (TAHUN )?\d{4})?( CAPAIAN| REALISASI| NILAI| JUMLAH)?",
                            r"REALISASI( KINERJA)? (S ?D|SAMPAI DENGAN|KUMULATIF)( (TW|TRIWULAN|TRIBULAN))?( [IV1-4]+)?( (TAHUN )?\d{4})?"),
              PERCENT, required=True),
        Field("capaian", (r"((KINERJA|REALISASI|CAPAIAN)( KINERJA)?( (TW|TRIWULAN|TRIBULAN)( [IV1-4]+)?)?( (TAHUN )?\d{4})?( CAPAIAN)? )?%",
                          r"(PERSENTASE |PROSENTASE |PRESENTASE |% )?CAPAIAN( KINERJA| OUTPUT| OUTCOME)?( %)?",
                          # SIMKinerja prints the capaian under 'Target Kinerja (%)' beside its own TARGET column
                          r"TARGET KINERJA %"), PERCENT),
        Field("keterangan", (r"KETERANGAN|KET",), TEXT),
        Field("polaritas", (r"POLARITAS( INDIKATOR)?|SIFAT( INDIKATOR)?|ARAH( INDIKATOR)?",), TEXT),
    ),
    min_matched=4,
    **spec_options(not_numbers=NOT_NUMBERS),
)
# An IKK / IKU data page printing only the achieved value per indicator (Kota Magelang's IKK portal):
# recognised so that it is said what was read, though without target nothing can be computed.
SPEC_CAPAIAN_ONLY = TableSpec(
    kind="iku",
    title_id=N_("Capaian indikator (tanpa target dan realisasi)"),
    fields=(
        Field("no", (r"NO", r"N0"), LABEL),
        Field("indikator", SPEC.fields[2].patterns, TEXT, required=True),
        Field("satuan", (r"SATUAN",), TEXT),
        Field("capaian", (r"(PERSENTASE |PROSENTASE |PRESENTASE |% )?CAPAIAN( KINERJA| OUTPUT| OUTCOME)?( %)?",), PERCENT,
              required=True),
        Field("keterangan", (r"KETERANGAN|KET",), TEXT),
    ),
    min_matched=3,
    **spec_options(not_numbers=(("capaian", NOT_AVAILABLE),)),
)
SPECS = [SPEC, SPEC_CAPAIAN_ONLY]

# a wrong capaian, with the formula that gives the right one: whole sentences, each translated whole
CAPAIAN_MESSAGES = {
    'positive': N_("Capaian tertulis {actual}, seharusnya {expected} = realisasi {realisasi} / target {target} × 100 (selisih {difference})"),
    'inverse': N_("Capaian tertulis {actual}, seharusnya {expected} = target {target} / realisasi {realisasi} × 100 (selisih {difference})"),
    'two_minus': N_("Capaian tertulis {actual}, seharusnya {expected} = (2 − realisasi {realisasi} / target {target}) × 100 (selisih {difference})"),
}


# --------------------------------------------------------------------------- shared arithmetic


def present(value: Any) -> bool:
    """A number that was read (not <NA>, not NaN)."""
    if value is None:
        return False
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def decimals(table, key: str, row: int) -> int | None:
    """Decimals printed in a percent cell (None for a real Excel number)."""
    col = f"{key}__dp"
    if col not in table.frame.columns:
        return None
    v = table.value(col, row)
    return int(v) if present(v) else None


def tolerance(dp: int | None, config: Any) -> float:
    """Half a unit of the last printed digit; the configured tolerance when unknown."""
    if dp is None:
        return float(getattr(config, "percent_tolerance", 0.005))
    return 0.5 * 10 ** (-dp)


_NEGATIVE = {"-", "−", "↓", "turun", "menurun", "min", "minimal", "minimize", "minimum", "lower", "lower is better"}


def is_negative(text: Any) -> bool:
    """A polaritas cell saying 'lower is better' (negatif, -, ↓, turun, minimal, makin kecil…)."""
    if text is None:
        return False
    t = re.sub(r"\s+", " ", str(text).strip().lower())
    return t.startswith("neg") or t in _NEGATIVE or "kecil" in t or "rendah" in t


def capaian(realisasi: float, target: float, negative: bool = False, convention: str = "two-minus") -> float | None:
    """Capaian in percent units, None when it cannot be computed (a zero divisor)."""
    realisasi, target = float(realisasi), float(target)
    if not negative:
        return None if target == 0 else realisasi / target * 100
    if convention == "inverse":
        return None if realisasi == 0 else target / realisasi * 100
    return None if target == 0 else (2 - realisasi / target) * 100


def formula_text(negative: bool, convention: str) -> str:
    """Which capaian formula applies: positive, inverse or two_minus (a key of ``CAPAIAN_MESSAGES``)."""
    if not negative:
        return "positive"
    return "inverse" if convention == "inverse" else "two_minus"


def predikat(value: float, config: Any) -> str:
    """The band of a capaian % (lower bounds, highest first; above 100 stays in the top band)."""
    bands = sorted(getattr(config, "predikat", ()) or (), key=lambda b: -b[0])
    for lower, label in bands:
        if value >= lower:
            return label
    return bands[-1][1] if bands else ""


def indicator_polarity(table, row: int) -> bool:
    return table.has("polaritas") and is_negative(table.value("polaritas", row))


def polarities(table) -> list[bool]:
    """``indicator_polarity`` of every row of the table, in frame order (worked out once per table)."""
    def build(t) -> list[bool]:
        if not t.has("polaritas"):
            return [False] * len(t.frame)
        column = t.column_values("polaritas")
        return [is_negative(column[r]) for r in t.frame.index]

    return once_per_table(table, "_kinerja_polarities", build)


def _rows(table) -> list[tuple[int, float, float, bool]]:
    """Rows with a target and a realisasi: (row, target, realisasi, negative); read once per table
    (KX701, KX702, KX703 and ``hitung`` each go through them)."""
    def build(t) -> list[tuple[int, float, float, bool]]:
        if not (t.has("target") and t.has("realisasi")):  # a table of achievements only
            return []
        targets, realisations = t.column_values("target"), t.column_values("realisasi")
        out = []
        for row, negative in zip(t.frame.index.tolist(), polarities(t)):
            v, r = targets[row], realisations[row]
            if present(v) and present(r):
                out.append((row, float(v), float(r), negative))
        return out

    return once_per_table(table, "_kinerja_iku_rows", build)


# --------------------------------------------------------------------------- schema

_HALF_UNIT = {d: 0.5 * 10 ** (-d) for d in range(16)}


def _floats(frame, key: str):
    """A column as float64 numpy (NaN where nothing was read)."""
    import numpy as np

    return frame[key].to_numpy(dtype=np.float64, na_value=np.nan)


def _expected(t, r, negative, convention: str):
    """Capaian % per row from numpy target and realisasi (NaN where a divisor is zero or a value missing)."""
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        positive = np.where(t == 0, np.nan, r / t * 100)
        if convention == "inverse":
            minus = np.where(r == 0, np.nan, t / r * 100)
        else:
            minus = np.where(t == 0, np.nan, (2 - r / t) * 100)
    return np.where(negative, minus, positive)


def _negative(frame, n: int):
    import numpy as np

    return frame["negative"].to_numpy(dtype=bool) if "negative" in frame.columns else np.zeros(n, dtype=bool)


def expected_capaian(frame, *, target: str, realisasi: str, convention: str = "two-minus"):
    """Capaian % per row (``Float64``; ``<NA>`` where a divisor is zero or a value is missing).

    A row whose ``negative`` column is true (lower is better) uses the
    convention: (2 − realisasi / target) × 100, or target / realisasi × 100.
    """
    import pandas as pd

    t = _floats(frame, target)
    e = _expected(t, _floats(frame, realisasi), _negative(frame, len(t)), convention)
    return pd.Series(e, index=frame.index, dtype="Float64")


def capaian_agrees(frame, *, target: str, realisasi: str, capaian: str, convention: str = "two-minus",
                   tolerance: float = 0.005):
    """Printed capaian = the capaian of target and realisasi, at half a unit of its printed precision.

    ``<capaian>__dp`` holds the decimals printed in a text cell; a real Excel
    number (no decimals known) gets ``tolerance`` and also agrees when it holds
    the fraction (1,1111 shown as 111,11%). Worked out on numpy arrays: pandas
    operations on nullable columns cost more than the arithmetic on the
    few rows of a report.
    """
    import numpy as np
    import pandas as pd

    if any(k not in frame.columns for k in (target, realisasi, capaian)):
        return True
    t = _floats(frame, target)
    e = _expected(t, _floats(frame, realisasi), _negative(frame, len(t)), convention)
    printed = _floats(frame, capaian)
    dp_col = f"{capaian}__dp"
    dp = _floats(frame, dp_col) if dp_col in frame.columns else np.full(len(e), np.nan)
    tol = np.array([tolerance if d != d else _HALF_UNIT.get(int(d), 0.0) for d in dp.tolist()], dtype=np.float64) + 1e-9
    judged = ~np.isnan(e) & ~np.isnan(printed)
    close = np.abs(printed - e) <= tol
    fraction = np.isnan(dp) & (np.abs(printed * 100 - e) <= tol)
    return pd.Series(~judged | close | fraction, index=frame.index)


def within_double(frame, *, target: str, realisasi: str):
    """A negative indicator's realisasi is at most twice its target (else (2 − r/t) goes below zero).

    A nullable boolean per row, as pandas' three-valued logic gives it: ``<NA>`` where the indicator is
    negative and the target or the realisasi is missing, unless a known value already settles it
    (a target ≤ 0, or a realisasi within twice the target).
    """
    import numpy as np
    import pandas as pd

    if any(k not in frame.columns for k in (target, realisasi, "negative")):
        return True
    t, r = _floats(frame, target), _floats(frame, realisasi)
    negative = frame["negative"].to_numpy(dtype=bool)
    t_na, r_na = np.isnan(t), np.isnan(r)
    with np.errstate(invalid="ignore"):
        above_zero, over_double = t > 0, r > 2 * t
    # negative AND t > 0 AND r > 2t, in Kleene logic: false when any part is known false, else unknown
    # when any part is unknown
    known_false = ~negative | (~t_na & ~above_zero) | (~(t_na | r_na) & ~over_double)
    unknown = ~known_false & (t_na | r_na)
    return pd.Series(pd.arrays.BooleanArray(known_false, unknown), index=frame.index)


def register_checks() -> None:
    from kinerja_validators._pandera import register

    register("kx_capaian", ["target", "realisasi", "capaian", "convention", "tolerance"], capaian_agrees)
    register("kx_within_double", ["target", "realisasi"], within_double)


@functools.lru_cache(maxsize=None)
def pandera_schema(convention: str = "two-minus", tolerance: float = 0.005, rule_cases: bool = False):
    """Capaian IKU: capaian % with polarity (column ``negative``), negative indicators within 2 × target."""
    import pandera.pandas as pa

    from kinerja_validators._pandera import RULE_FAILURE_CASES

    register_checks()
    n = RULE_FAILURE_CASES if rule_cases else None
    percent = {k: pa.Column("Float64", nullable=True, required=False, description=d) for k, d in (
        ("target", "Target (satuan indikator)"), ("realisasi", "Realisasi"), ("capaian", "Capaian % tertulis"))}
    # the rules' variant declares no columns: failing_rows reads only the checks' verdicts, and each
    # column's dtype check cost pandera a schema component per validation
    columns = {} if rule_cases else {
        **percent, "negative": pa.Column(bool, required=False, description="Polaritas negatif (makin kecil makin baik)")}
    return pa.DataFrameSchema(
        columns,
        checks=[pa.Check.kx_capaian(target="target", realisasi="realisasi", capaian="capaian", convention=convention,
                                    tolerance=tolerance, error="KX701", n_failure_cases=n, ignore_na=False),
                pa.Check.kx_within_double(target="target", realisasi="realisasi", error="KX702", n_failure_cases=n,
                                          ignore_na=False)],
        name="iku", description="Capaian Indikator Kinerja Utama")


def _frame(table):
    """Target, realisasi, capaian and the polarity of every row, as the schema reads them (the table's
    own column arrays, not copied: selecting columns from the table's frame costs ten times as much)."""
    import numpy as np
    import pandas as pd

    f = table.frame
    columns = {k: table.array(k) for k in ("target", "realisasi", "capaian", "capaian__dp") if k in f.columns}
    return pd.DataFrame({**columns, "negative": np.array(polarities(table), dtype=bool)}, index=f.index, copy=False)


@functools.lru_cache(maxsize=None)
def _rules_schema(convention: str, tolerance: float, negatives: bool):
    """The rules' schema: without any negative indicator, only the capaian check (KX702's can fail only on
    a negative one, and pandera spends ~0,1 ms on a check that cannot fail)."""
    import pandera.pandas as pa

    schema = pandera_schema(convention, tolerance, True)
    if negatives:
        return schema
    return pa.DataFrameSchema(checks=[c for c in schema.checks if c.error == "KX701"], name=schema.name,
                              description=schema.description)


def _wrong(table, config) -> dict[str, set[int]]:
    """{check error: failing rows}, validated once per table for both rules (KX701, KX702)."""
    from kinerja_validators._pandera import failing_rows

    schema = _rules_schema(config.negative_polarity, float(getattr(config, "percent_tolerance", 0.005)),
                           any(polarities(table)))
    cache = table.__dict__.setdefault("_kinerja_iku", {})
    if cache.get("schema") is not schema or cache.get("frame") is not table.frame:
        failed = failing_rows(schema, _frame(table))
        cache.update(schema=schema, frame=table.frame, wrong={k: set(failed.get(k, ())) for k in ("KX701", "KX702")})
    return cache["wrong"]


# --------------------------------------------------------------------------- rules


@rule(
    "KX701", "iku-capaian",
    tables="iku",
    message=CAPAIAN_MESSAGES["positive"],
)
def check_capaian(table, ctx):
    """Capaian % of an indicator = realisasi / target × 100 (negative indicators: see polaritas).

    The printed percentage is compared at half a unit of its last printed
    digit. For an indicator whose POLARITAS says negatif (lower is better) the
    capaian is (2 − realisasi / target) × 100, or target / realisasi × 100
    with ``negative_polarity = "inverse"`` in the settings.

    *Salah:* target 90%, realisasi 100%, capaian 117,65%.

    *Benar:* target 90%, realisasi 100%, capaian 111,11% (100 / 90 × 100).
    """
    if not table.has("capaian"):
        return
    wrong = _wrong(table, ctx.config)["KX701"]
    convention = ctx.config.negative_polarity
    for row, t, r, negative in _rows(table):
        if row not in wrong:
            continue
        printed = table.value("capaian", row)
        expected = capaian(r, t, negative, convention)
        dp = decimals(table, "capaian", row)
        shown = dp if dp is not None else 2
        yield ctx.finding(
            table, "capaian", row,
            expected=Percent(expected, shown), actual=Percent(float(printed), shown),
            difference=Percent(float(printed) - expected, shown),
            message=CAPAIAN_MESSAGES[formula_text(negative, convention)],
            target=t, realisasi=r,
        )


@rule(
    "KX702", "iku-negative-over-double", aliases=("iku-negatif-lewat-dua-kali",),
    tables="iku",
    severity="warning",
    message=N_("Indikator negatif: realisasi {realisasi} lebih dari 2 × target {target}; rumus (2 − realisasi/target) memberi capaian negatif"),
)
def check_negative_over_double(table, ctx):
    """A negative (lower is better) indicator whose realisasi is more than twice its target.

    The usual formula (2 − realisasi / target) × 100 goes below zero there, so
    the capaian printed for it says little; check the realisasi, or the
    indicator's polarity.

    *Salah:* polaritas negatif, target 5, realisasi 12 (capaian −40%).

    *Benar:* polaritas negatif, target 5, realisasi 4 (capaian 120%).
    """
    wrong = _wrong(table, ctx.config)["KX702"]
    for row, t, r, negative in _rows(table):
        if row in wrong:
            yield ctx.finding(table, "realisasi", row, expected=2 * t, actual=r, target=t, realisasi=r)


@rule(
    "KX703", "iku-predikat",
    tables="iku",
    severity="info",
    message=N_("Capaian {capaian}: predikat {predikat}"),
)
def check_predikat(table, ctx):
    """The predikat band of each indicator's capaian (the settings' ``predikat`` table).

    Reported as information; the default bands (lower bounds) are ≥ 91 sangat
    tinggi, ≥ 76 tinggi, ≥ 66 sedang, ≥ 51 rendah, otherwise sangat rendah.

    *Salah:* (tidak ada: ini informasi)

    *Benar:* capaian 101,02% → predikat sangat tinggi.
    """
    convention = ctx.config.negative_polarity
    for row, t, r, negative in _rows(table):
        value = capaian(r, t, negative, convention)
        if value is None:
            continue
        key = "capaian" if table.has("capaian") else "realisasi"
        yield ctx.finding(table, key, row, capaian=Percent(value, 2), predikat=predikat(value, ctx.config))


# --------------------------------------------------------------------------- compute


def compute(table, config, tables=None) -> list:
    """Capaian % and predikat of every indicator with a target and a realisasi."""
    from kinerja_xl.kinds import Computed

    out = []
    convention = config.negative_polarity
    computable = {row: (t, r, negative) for row, t, r, negative in _rows(table)}
    for row in table.frame.index:
        if row not in computable:
            reason = _missing_input(table, row)
            if reason is not None:
                out.append(_not_computed(table, row, reason))
            continue
        t, r, negative = computable[row]
        value = capaian(r, t, negative, convention)
        if value is None:
            zero = N_("realisasi bernilai 0: capaian tidak dapat dihitung") if negative and convention == "inverse" \
                else N_("target bernilai 0: capaian tidak dapat dihitung")
            out.append(_not_computed(table, row, zero))
            continue
        cell = table.cell("capaian", row) if table.has("capaian") else None
        existing = table.value("capaian", row) if table.has("capaian") else None
        key = table.row_key(row)
        out.append(Computed(
            kind="capaian", sheet=table.sheet, cell=cell, row_key=key,
            label_id=N_("Capaian %"), value=Percent(value, 2), number_format="0.00%",
            existing=float(existing) if present(existing) else None,
            formula=cell is not None and (row, table.columns["capaian"]) in table.formulas,
        ))
        out.append(Computed(
            kind="predikat", sheet=table.sheet, cell=None, row_key=key,
            label_id=N_("Predikat"), value=predikat(value, config),
        ))
    return out


def _missing_input(table, row: int) -> Message | None:
    """Why an indicator row has no capaian (None for a row that is no indicator, e.g. a blank line)."""
    name = table.value("indikator", row) if table.has("indikator") else None
    if not isinstance(name, str) or not name.strip():
        return None
    unreadable = {i.field: i for i in table.issues if i.row == row and i.code != "KX104"}
    for key, word in (("target", NP_("capaian", "target")), ("realisasi", NP_("capaian", "realisasi"))):
        cell = table.cell(key, row) if table.has(key) else None
        if key in unreadable and unreadable[key].code == "KX106":  # 'n/a', a grade: no number by right
            return Message(N_("{word} '{raw}' bukan angka ({cell}): capaian tidak dihitung"), word=word,
                           raw=unreadable[key].raw, cell=cell)
        if key in unreadable:
            return Message(N_("sel {word} tidak dapat dibaca ({cell})"), word=word, cell=cell)
        if not table.has(key):
            return Message(N_("tabel ini tidak punya kolom {word}"), word=word)
        if not present(table.value(key, row)):
            return Message(N_("{word} kosong ({cell})"), word=word, cell=cell)
    return None


def _not_computed(table, row: int, reason: str | Message):
    from kinerja_xl.kinds import Computed

    cell = table.cell("capaian", row) if table.has("capaian") else None
    return Computed(kind="capaian", sheet=table.sheet, cell=cell, row_key=table.row_key(row), label_id=N_("Capaian %"),
                    value=None, number_format="0.00%", reason=reason)


KIND = TableKind(
    name="iku",
    title=SPEC.title_id,
    specs=tuple(SPECS),
    rules=rules_in(globals()),
    schema=pandera_schema,
    compute=compute,
    checked_fields={
        "target": ("KX701", "KX702"),
        "realisasi": ("KX701", "KX702", "KX890"),  # KX890: the IKM indicator's realisasi against the survey recap
        "capaian": ("KX701", "KX703"),
    },
)
