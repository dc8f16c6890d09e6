"""Perbandingan dengan tahun lalu: target, realisasi and capaian per year.

The seed prints two such tables: "Tahun 2020 | Tahun 2021" over
Target / Realisasi, and the same years over Realisasi / Capaian. Fields get
the year in their key: ``target_2020``, ``realisasi_2021``, ``capaian_2020``.
A capaian printed without a target beside it (the second table) is checked
against the target of the same indicator and year in a sibling table.

The capaian rule here also covers the Renstra table (``renstra.py``), which
has the same per-year keys.
"""

from __future__ import annotations

import decimal
import functools
import re
from typing import Any, Iterator

from kinerja_xl.findings import Percent
from kinerja_xl.kinds import TableKind
from kinerja_xl.rules import rule, rules_in
from kinerja_xl.tables import LABEL, NUMBER, PERCENT, TEXT, Field, TableSpec
from kinerja_validators import names
from kinerja_validators._memo import once_per_table
from kinerja_validators.iku import capaian, decimals, formula_text, indicator_polarity, present
from kinerja_xl.i18n import N_, Message

SPEC = TableSpec(
    kind="perbandingan",
    title_id=N_("Perbandingan target dan realisasi dengan tahun lalu"),
    fields=(
        Field("no", (r"NO",), LABEL),
        Field("indikator", (r"INDIKATOR( KINERJA)?( UTAMA)?( IKU)?( SASARAN)?",), TEXT, required=True),
        Field("target_{year}", (r"TAHUN (?P<year>\d{4}) TARGET( KINERJA)?",
                                r"TARGET( KINERJA)?( TAHUN)? (?P<year>\d{4})"), PERCENT),
        Field("realisasi_{year}", (r"TAHUN (?P<year>\d{4}) REALISASI( KINERJA)?",
                                   r"REALISASI( KINERJA)?( TAHUN)? (?P<year>\d{4})"), PERCENT),
        Field("capaian_{year}", (r"TAHUN (?P<year>\d{4}) (CAPAIAN|%)( KINERJA)?( %)?",
                                 r"CAPAIAN( KINERJA)?( TAHUN)? (?P<year>\d{4})( %)?"), PERCENT),
    ),
    min_matched=4,
)
# An LPPD / LKjIP table of the year against the year before: TAHUN N-1 | TAHUN N | PERUBAHAN %
# (Labuhanbatu Utara prints 'CAPAIN KINERJA TAHUN N-1'). The change % = (N − (N-1)) / (N-1) × 100.
_MEASURE = r"(CAPAIAN|CAPAIN|REALISASI|KINERJA|NILAI)( KINERJA)?( TAHUN)?"
SPEC_CHANGE = TableSpec(
    kind="perbandingan",
    title_id=N_("Perbandingan capaian tahun N dengan tahun N-1"),
    fields=(
        Field("no", (r"NO",), LABEL),
        Field("indikator", (r"INDIKATOR( KINERJA)?( UTAMA| MAKRO| KUNCI)?( IKU| IKK)?( SASARAN)?",), TEXT, required=True),
        Field("sebelum", (rf"{_MEASURE} (N 1|LALU|SEBELUMNYA)",), NUMBER, required=True),
        Field("sekarang", (rf"{_MEASURE} (N|INI|BERJALAN)",), NUMBER, required=True),
        Field("perubahan", (r"(PERSENTASE |% )?PERUBAHAN( %)?", r"(KENAIKAN|PENINGKATAN)( PENURUNAN)?( %)?"), PERCENT,
              required=True),
    ),
    min_matched=4,
)
SPECS = [SPEC, SPEC_CHANGE]

_YEAR_KEY = re.compile(r"(target|realisasi|capaian)_(\d{4})")
YEARLY_KINDS = ("perbandingan", "renstra")


def years(table, measure: str) -> list[str]:
    """Years that have a ``measure`` column, in column order (read it, do not modify it)."""
    def build(t) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key in t.columns:
            m = _YEAR_KEY.fullmatch(key)
            if m:
                out.setdefault(m.group(1), []).append(m.group(2))
        return out

    # asked for every row by the cross-table rules: the columns are read once per table
    return once_per_table(table, "_kinerja_years", build).get(measure, [])


def indicator(table, row: int) -> str | None:
    v = table.value("indikator", row) if table.has("indikator") else None
    return v.strip() if isinstance(v, str) and v.strip() else None


class _Lookup:
    """Find the same indicator in other tables (by normalised name)."""

    def __init__(self, tables: dict[str, list] | list | None):
        if isinstance(tables, dict):
            tables = [t for ts in tables.values() for t in ts]
        self.tables = list(tables or [])
        # the same indicator is looked up for each of its years and again for its polarity: each answer
        # once, and each table's indicator names read once
        self._found: dict[tuple, list[tuple[Any, int]]] = {}
        self._names: dict[int, tuple[list[int], list[str | None]]] = {}

    @classmethod
    def shared(cls, ctx) -> "_Lookup":
        """One lookup over the workbook's tables for every rule of a run (``ctx.shared``)."""
        key = "perbandingan.lookup"
        if key not in ctx.shared:
            ctx.shared[key] = cls(ctx.tables)
        return ctx.shared[key]

    def _indicators(self, t) -> tuple[list[int], list[str | None]]:
        found = self._names.get(id(t))
        if found is None:
            rows = t.frame.index.tolist()
            found = self._names[id(t)] = (rows, [indicator(t, r) for r in rows])
        return found

    def rows(self, kinds: tuple[str, ...], name: str, exclude=None) -> list[tuple[Any, int]]:
        key = (kinds, name, id(exclude))
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = []
            for kind in kinds:
                for t in self.tables:
                    if t.kind != kind or t is exclude or not t.has("indikator"):
                        continue
                    candidates, texts = self._indicators(t)
                    i = names.best(name, texts)
                    if i is not None:
                        found.append((t, candidates[i]))
        return found

    def target(self, table, row: int, year: str) -> tuple[float, int | None, str] | None:
        """(target, decimals, "'Sheet'!C7") of this row's indicator for ``year``, from this or a sibling table."""
        key = f"target_{year}"
        v = table.value(key, row) if table.has(key) else None
        if present(v):
            return float(v), decimals(table, key, row), table.cell(key, row)
        name = indicator(table, row)
        if name is None:
            return None
        for t, r in self.rows(YEARLY_KINDS, name, exclude=table):
            if t.has(key) and present(t.value(key, r)):
                return float(t.value(key, r)), decimals(t, key, r), cell_ref(t, key, r)
        for t, r in self.rows(("iku",), name):
            if t.has("target") and iku_year(t) == year and present(t.value("target", r)):
                return float(t.value("target", r)), decimals(t, "target", r), cell_ref(t, "target", r)
        return None

    def negative(self, table, row: int) -> bool:
        """An indicator is negative when the IKU table's polaritas says so."""
        name = indicator(table, row)
        if name is None:
            return False
        return any(indicator_polarity(t, r) for t, r in self.rows(("iku",), name))


def cell_ref(table, key: str, row: int) -> str:
    """"'Sheet'!C7", the form of ``Finding.related``."""
    return "'" + table.sheet.replace("'", "''") + "'!" + table.cell(key, row)


def iku_year(table) -> str | None:
    """The year of an IKU/PK table's TARGET column ('TARGET TAHUN 2021'), else of its caption."""
    return once_per_table(table, "_kinerja_iku_year", _iku_year)


def _iku_year(table) -> str | None:
    for text in (getattr(table, "labels", {}).get("target", ""), table.title or ""):
        m = re.search(r"\b(20\d\d)\b", text)
        if m:
            return m.group(1)
    return None


def capaian_rows(table, lookup: _Lookup, config) -> Iterator[tuple[int, str, float, float, bool, str | None]]:
    """(row, year, target, realisasi, negative, target cell elsewhere) for each capaian that can be computed."""
    convention = config.negative_polarity
    for year in years(table, "capaian"):
        rkey = f"realisasi_{year}"
        if not table.has(rkey):
            continue
        for row in table.frame.index:
            r = table.value(rkey, row)
            if not present(r):
                continue
            found = lookup.target(table, row, year)
            if found is None:
                continue
            t, _, where = found
            negative = lookup.negative(table, row)
            if capaian(float(r), t, negative, convention) is None:
                continue
            own = table.has(f"target_{year}") and present(table.value(f"target_{year}", row))
            yield row, year, t, float(r), negative, None if own else where


@functools.lru_cache(maxsize=None)
def pandera_schema(years: tuple[str, ...] = (), convention: str = "two-minus", tolerance: float = 0.005,
                   rule_cases: bool = False):
    """Capaian per year: ``capaian_<year>`` = capaian of ``target_<year>`` and ``realisasi_<year>``;
    the change of the year against the year before: ``perubahan`` = (``sekarang`` − ``sebelum``) /
    ``sebelum`` × 100 (``change_percent``).

    Without ``years``: one check over the columns ``target``, ``realisasi``,
    ``capaian`` (a year's values gathered, targets from sibling tables
    included, as the rule KX704 does). A row whose ``negative`` column is true
    uses the negative-polarity convention.
    """
    import pandera.pandas as pa

    from kinerja_validators._pandera import RULE_FAILURE_CASES, register
    from kinerja_validators.iku import register_checks

    register_checks()
    register("kx_change_percent", ["before", "after", "change", "tolerance"], change_percent)
    n = RULE_FAILURE_CASES if rule_cases else None
    names = [(f"target_{y}", f"realisasi_{y}", f"capaian_{y}") for y in years] or [("target", "realisasi", "capaian")]
    return pa.DataFrameSchema(
        checks=[pa.Check.kx_capaian(target=t, realisasi=r, capaian=c, convention=convention, tolerance=tolerance,
                                    error="KX704", n_failure_cases=n, ignore_na=False) for t, r, c in names]
        + [pa.Check.kx_change_percent(before="sebelum", after="sekarang", change="perubahan", tolerance=tolerance,
                                      error="KX705", n_failure_cases=n, ignore_na=False)],
        name="perbandingan", description="Capaian per tahun (perbandingan, Renstra); perubahan % tahun N terhadap N-1")


def change_percent(frame, *, before: str = "sebelum", after: str = "sekarang", change: str = "perubahan",
                   tolerance: float = 0.005):
    """Printed change % = (after − before) / |before| × 100, at half a unit of its printed precision
    (a real Excel number also agrees as the fraction, 0,0025 shown as 0,25%); rows with a zero or
    missing value are not judged."""
    import numpy as np
    import pandas as pd

    if any(k not in frame.columns for k in (before, after, change)):
        return True
    b = frame[before].to_numpy(dtype=np.float64, na_value=np.nan)
    a = frame[after].to_numpy(dtype=np.float64, na_value=np.nan)
    printed = frame[change].to_numpy(dtype=np.float64, na_value=np.nan)
    dp_col = f"{change}__dp"
    dp = (frame[dp_col].to_numpy(dtype=np.float64, na_value=np.nan) if dp_col in frame.columns
          else np.full(len(b), np.nan))
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(b == 0, np.nan, (a - b) / np.abs(b) * 100)
    tol = np.array([tolerance if d != d else 0.5 * 10 ** (-int(d)) for d in dp.tolist()], dtype=np.float64) + 1e-9
    judged = ~np.isnan(expected) & ~np.isnan(printed)
    close = np.abs(printed - expected) <= tol
    fraction = np.isnan(dp) & (np.abs(printed * 100 - expected) <= tol)
    return pd.Series(~judged | close | fraction, index=frame.index)


def _wrong_by_year(table, rows: list, config) -> dict[str, set[int]]:
    """Per year, the rows whose printed capaian pandera finds wrong (targets from siblings included).

    ``rows``: ``capaian_rows(table, …)``. Each (row, year) is one row of the frame pandera validates, in
    the columns of the users' schema without years (``target``, ``realisasi``, ``capaian``, its
    decimals, ``negative``), labelled by its position in ``rows``: one check and one validation per
    table, whatever the number of years.
    """
    import numpy as np
    import pandas as pd

    from kinerja_validators._pandera import failing_rows

    if not rows:
        return {}
    values = np.empty((len(rows), 4))
    for i, (row, year, t, r, _, _) in enumerate(rows):
        key = f"capaian_{year}"
        printed, dp = table.value(key, row), decimals(table, key, row)
        values[i] = (t, r, float(printed) if present(printed) else np.nan, np.nan if dp is None else dp)
    frame = pd.DataFrame({"target": values[:, 0], "realisasi": values[:, 1], "capaian": values[:, 2],
                          "capaian__dp": values[:, 3], "negative": np.array([x[4] for x in rows], dtype=bool)})
    schema = _capaian_schema(config.negative_polarity, float(getattr(config, "percent_tolerance", 0.005)))
    out: dict[str, set[int]] = {}
    for i in failing_rows(schema, frame)["KX704"]:
        out.setdefault(rows[i][1], set()).add(rows[i][0])
    return out


@functools.lru_cache(maxsize=None)
def _capaian_schema(convention: str, tolerance: float):
    """The rules' schema for ``_wrong_by_year``: the users' capaian check over the gathered years, without
    the change-% check (the rule KX705 validates its own columns) and without columns (failing_rows reads
    the verdicts only)."""
    import pandera.pandas as pa

    from kinerja_validators._pandera import RULE_FAILURE_CASES
    from kinerja_validators.iku import register_checks

    register_checks()
    return pa.DataFrameSchema(
        checks=[pa.Check.kx_capaian(target="target", realisasi="realisasi", capaian="capaian", convention=convention,
                                    tolerance=tolerance, error="KX704", n_failure_cases=RULE_FAILURE_CASES,
                                    ignore_na=False)],
        name="perbandingan-capaian")


@rule(
    "KX704", "capaian-per-year", aliases=("capaian-per-tahun",),
    tables=YEARLY_KINDS,
    message=N_("Capaian {year} tertulis {actual}, seharusnya {expected} (selisih {difference})"),
)
def check_capaian_per_year(table, ctx):
    """Capaian of each year in the comparison and Renstra tables = realisasi / target × 100.

    The target is taken from the same row, or, when the table prints only
    realisasi and capaian, from the same indicator and year in a sibling
    table (the finding names that cell too). Compared at half a unit of the
    printed precision; negative indicators (polaritas in the IKU table) use
    the configured convention.

    *Salah:* Tahun 2020: target 80%, realisasi 96,07%, capaian 118,00%.

    *Benar:* Tahun 2020: target 80%, realisasi 96,07%, capaian 120,09%.
    """
    convention = ctx.config.negative_polarity
    rows = list(capaian_rows(table, _Lookup.shared(ctx), ctx.config))
    wrong = _wrong_by_year(table, rows, ctx.config)
    for row, year, t, r, negative, where in rows:
        if row not in wrong.get(year, ()):
            continue
        key = f"capaian_{year}"
        printed = table.value(key, row)
        expected = capaian(r, t, negative, convention)
        dp = decimals(table, key, row)
        shown = dp if dp is not None else 2
        yield ctx.finding(
            table, key, row,
            expected=Percent(expected, shown), actual=Percent(float(printed), shown),
            difference=Percent(float(printed) - expected, shown),
            message=_CAPAIAN_YEAR_MESSAGES[formula_text(negative, convention)],
            related=(where,) if where else (), year=year, target=t, realisasi=r,
        )


# iku's CAPAIAN_MESSAGES, naming the year
_CAPAIAN_YEAR_MESSAGES = {
    'positive': N_("Capaian {year} tertulis {actual}, seharusnya {expected} = realisasi {realisasi} / target {target} × 100 (selisih {difference})"),
    'inverse': N_("Capaian {year} tertulis {actual}, seharusnya {expected} = target {target} / realisasi {realisasi} × 100 (selisih {difference})"),
    'two_minus': N_("Capaian {year} tertulis {actual}, seharusnya {expected} = (2 − realisasi {realisasi} / target {target}) × 100 (selisih {difference})"),
}
_CHANGE_MESSAGE = N_("Perubahan {actual} ≠ ({sekarang} − {sebelum}) / {sebelum} × 100 = {expected} (selisih {difference})")
# the same, when the printed value is the new value − 100
_CHANGE_MINUS_100_MESSAGE = N_("Perubahan {actual} ≠ ({sekarang} − {sebelum}) / {sebelum} × 100 = {expected} (selisih "
                               "{difference}); nilai tercetak sama dengan {sekarang} − 100 (rumus lembar kerja salah acuan?)")


@rule("KX705", "change-percent", tables="perbandingan", message=_CHANGE_MESSAGE)
def check_change_percent(table, ctx):
    """The change % of a value against the year before = (tahun N − tahun N-1) / tahun N-1 × 100.

    Compared at half a unit of the printed precision; a row with a zero or
    missing value of the year before is not judged. A printed value equal to
    tahun N − 100 (a worksheet formula pointing at the wrong cell) is named.

    *Salah:* tahun N-1 71,43, tahun N 71,61, perubahan −28,39%.

    *Benar:* tahun N-1 71,43, tahun N 71,61, perubahan 0,25%.
    """
    if not all(table.has(k) for k in ("sebelum", "sekarang", "perubahan")):
        return
    from kinerja_validators._pandera import failing_rows

    tolerance = float(getattr(ctx.config, "percent_tolerance", 0.005))
    keys = [k for k in ("sebelum", "sekarang", "perubahan", "perubahan__dp") if k in table.frame.columns]
    frame = table.frame[keys]
    schema = pandera_schema((), ctx.config.negative_polarity, tolerance, True)
    for row in failing_rows(schema, frame)["KX705"]:
        b, a, v = (float(frame.at[row, k]) for k in ("sebelum", "sekarang", "perubahan"))
        expected = (a - b) / abs(b) * 100
        dp = decimals(table, "perubahan", row)
        # a real number may hold the fraction (−0,2839 formatted −28,39%): read it the way that explains it
        readings = [(v, 2 if dp is None else dp)] + ([(v * 100, 2)] if dp is None else [])
        minus_100 = [(p, d) for p, d in readings if abs(p - (a - 100)) <= 0.5 * 10 ** -d + 1e-9]
        printed, shown = (minus_100 or sorted(readings, key=lambda pd_: abs(pd_[0] - expected)))[0]
        message = _CHANGE_MINUS_100_MESSAGE if minus_100 else None
        yield ctx.finding(table, "perubahan", row, expected=Percent(expected, shown), actual=Percent(printed, shown),
                          difference=Percent(printed - expected, shown), message=message,
                          sebelum=decimal.Decimal(repr(b)), sekarang=decimal.Decimal(repr(a)),
                          related=(table.cell("sebelum", row), table.cell("sekarang", row)))


def compute(table, config, tables=None) -> list:
    """Capaian % per year where a capaian column exists (target from this or a sibling table)."""
    from kinerja_xl.kinds import Computed
    from kinerja_validators.iku import predikat

    out = []
    lookup = _Lookup(tables if tables is not None else [table])
    for row, year, t, r, negative, _ in capaian_rows(table, lookup, config):
        key = f"capaian_{year}"
        value = capaian(r, t, negative, config.negative_polarity)
        existing = table.value(key, row)
        out.append(Computed(
            kind="capaian", sheet=table.sheet, cell=table.cell(key, row), row_key=f"{table.row_key(row)} ({year})",
            label_id=Message(N_("Capaian {year} %"), year=str(year)), value=Percent(value, 2),
            number_format="0.00%", existing=float(existing) if present(existing) else None,
            formula=(row, table.columns[key]) in table.formulas,
        ))
        out.append(Computed(
            kind="predikat", sheet=table.sheet, cell=None, row_key=f"{table.row_key(row)} ({year})",
            label_id=Message(N_("Predikat {year}"), year=str(year)), value=predikat(value, config),
        ))
    done = {c.cell for c in out}
    for row, year, reason in _not_computable(table, lookup):
        key = f"capaian_{year}"
        if table.cell(key, row) not in done:
            out.append(Computed(
                kind="capaian", sheet=table.sheet, cell=table.cell(key, row), row_key=f"{table.row_key(row)} ({year})",
                label_id=Message(N_("Capaian {year} %"), year=str(year)), value=None, number_format="0.00%",
                reason=reason))
    return out


def _not_computable(table, lookup: _Lookup) -> Iterator[tuple[int, str, Message]]:
    """(row, year, why) for each indicator's capaian cell that cannot be computed."""
    for year in years(table, "capaian"):
        rkey = f"realisasi_{year}"
        for row in table.frame.index:
            if indicator(table, row) is None:
                continue
            if not table.has(rkey) or not present(table.value(rkey, row)):
                where = f" ({table.cell(rkey, row)})" if table.has(rkey) else ""
                yield row, year, Message(N_("realisasi {year} kosong{where}"), year=str(year), where=where)
            elif lookup.target(table, row, year) is None:
                yield row, year, Message(N_("target {year} indikator ini tidak ditemukan di tabel ini maupun tabel lain"),
                                         year=str(year))
            elif lookup.target(table, row, year)[0] == 0:
                yield row, year, Message(N_("target {year} bernilai 0: capaian tidak dapat dihitung"), year=str(year))


KIND = TableKind(
    name="perbandingan",
    title=SPEC.title_id,
    specs=tuple(SPECS),
    rules=rules_in(globals()),
    schema=pandera_schema,
    compute=compute,
    checked_fields={
        "target_*": ("KX704",), "realisasi_*": ("KX704",), "capaian_*": ("KX704",),
        "sebelum": ("KX705",), "sekarang": ("KX705",), "perubahan": ("KX705",),
    },
)
