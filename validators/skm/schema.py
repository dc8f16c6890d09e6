"""The survey's arithmetic as pandera schemas (PermenPANRB 14/2017), on frames indexed by Excel row.

Recap (``recap()``), exact fractions in object columns:

- questions (``total`` jumlah nilai, ``answered``): ``kx_score_range``, answers ≤ jumlah nilai ≤ 4 × answers;
- unsur (``total``, ``answered`` over its questions, ``printed`` nilai unsur, ``printed_dp``):
  ``kx_nrr``, printed = Σ jumlah nilai / Σ answers (pooled) at half a unit of its last digit;
- the IKM row (``nrr``: the unsur values from the sums, ``printed_unsur``, ``unsur_right``,
  ``printed``, ``printed_dp``): ``kx_ikm``, printed = 25 × mean NRR (weight 1/9), or 25 × the
  mean of the printed unsur values when those are right;
- the mutu (``ikm``, ``mutu``): ``kx_mutu``, A ≥ 88,31, B ≥ 76,61, C ≥ 65,00, else D;
- the unsur (``unsur_canonical``: which of the nine, 0 for none, on the unsur's first row; ``unsur_count``,
  ``unsur_distinct`` on the header row): ``kx_unsur_known``, ``kx_unsur_once``, ``kx_nine_unsur``;
- the sample (``sample_respondents``, ``sample_population`` on the stated respondents' row):
  ``kx_sample_size``, respondents ≥ Krejcie–Morgan of the population;
- each respondent profile (``profile_total``, ``profile_respondents`` on its label's row): ``kx_same``;
- each RTMK (``rtmk``, ``rtmk_respondents``, ``rtmk_answered``): ``kx_rtmk``, a whole number 0 … respondents,
  answered + RTMK = respondents when the answers are printed;
- each NRR tertimbang (``weighted``, ``weighted_bases``, ``weighted_dp``): ``kx_weighted``, the printed value
  is an NRR of the unsur × 1/9;
- the respondents and the population stated at all (``stated_respondents``, ``stated_population`` on the
  cell a finding would stand at): ``kx_stated``;
- a number stated again (``again_respondents`` / ``first_respondents``: ``kx_same``; ``again_ikm`` /
  ``first_ikm``: ``kx_agrees`` at two decimals).

Responses (``responses()``): ``kx_score`` per question column ``q_<n>``, every
answer 1, 2, 3 or 4 (or blank).

One frame holds the rows of all these parts; a part's rows are those of its
cells (a number stated around the table: the row of its cell), and a check
reads only the rows where its columns are filled, so parts sharing an Excel
row never judge each other.

Across tables (``raw_vs_recap()``, ``iku_vs_survey()``): the recap against the
respondents' answers it summarises (KX611) and the IKM of the IKU table against
the survey's (KX890), each on a small frame of the two sides' numbers
(``raw_vs_recap_frame``, ``iku_vs_survey_frame``).

Under a responses export (``raw_summary()``, KX614, on ``raw_summary_frame``): the summary rows against the
answers above them, per question column (Σ exactly, NRR at 0,005, NRR tertimbang = an NRR × 1/9), the IKM
(25 × mean NRR per unsur) and a stated number of respondents.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction
from typing import Any, NamedTuple

from kinerja_validators import ikm as calc
from kinerja_validators._pandera import RULE_FAILURE_CASES, register


def _known(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and v != v) and v.__class__.__name__ != "NAType"


def _verdicts(frame, failed: list[int]) -> Any:
    """A check's output: a bool per row of ``frame`` (by position), false at the positions in ``failed``.

    Every row a check did not judge passes, so the rows that fail are the
    identity's and nothing else's. A numpy array, not a Series (``_pandera.register``):
    thirteen Series per recap cost more than the checks' own arithmetic.
    """
    import numpy as np

    out = np.ones(len(frame), dtype=bool)
    if failed:
        out[failed] = False
    return out


def _columns(frame, *names: str) -> list[list] | None:
    """The columns ``names`` as lists (None when one is missing). The survey's frames are one block of
    Python objects: its array is taken once, without a copy, instead of a Series per column."""
    columns = frame.columns
    if any(c not in columns for c in names):
        return None
    values = frame.to_numpy(dtype=object)
    return [values[:, columns.get_loc(c)].tolist() for c in names]


def _rowwise(frame, columns: tuple[str, ...], test) -> Any:
    """``test(*values)`` on the rows where every one of ``columns`` is known; other rows pass."""
    lists = _columns(frame, *columns)
    if lists is None:
        return True
    # most rows leave the first column blank (each part of the recap fills its own rows): told by one call
    failed = [i for i, vs in enumerate(zip(*lists)) if _known(vs[0]) and all(_known(v) for v in vs) and not test(*vs)]
    return _verdicts(frame, failed)


def score_range(frame, *, total: str = "total", answered: str = "answered"):
    """A question's jumlah nilai lies between 1× and 4× the answers to it."""
    return _rowwise(frame, (total, answered), lambda t, a: a <= t <= 4 * a)


def nrr(frame, *, total: str = "total", answered: str = "answered", printed: str = "printed"):
    """Nilai unsur (NRR) = Σ jumlah nilai / Σ answers of its questions, at the printed precision."""
    dp = f"{printed}_dp"

    def agrees(t, a, p, d):
        exact = calc.nrr(t, a)
        return exact is None or calc.agrees(p, exact, int(d))

    return _rowwise(frame, (total, answered, printed, dp), agrees)


def ikm(frame):
    """IKM = 25 × mean of the unsur values (Σ NRR × 1/9 × 25), from the sums or from right printed values.

    Without the respondents (``nrr`` unknown) the printed unsur values may each
    be off by half a unit: the IKM from them is allowed 25 × that slack.
    """
    if "printed" not in frame.columns or "nrr" not in frame.columns:
        return True
    failed = []
    for i, (values, printed_unsur, unsur_right, printed, dp, udp) in enumerate(zip(*_columns(
            frame, "nrr", "printed_unsur", "unsur_right", "printed", "printed_dp", "unsur_dp"))):
        if not _known(printed) or not _known(values) and not _known(printed_unsur):
            continue
        dp = int(dp)
        regulation = calc.ikm(list(values)) if _known(values) else None
        from_printed = calc.ikm(list(printed_unsur)) if _known(printed_unsur) else None
        ok = (regulation is not None and calc.agrees(printed, regulation, dp)) or (
            from_printed is not None and bool(unsur_right) and calc.agrees(printed, from_printed, dp))
        if not ok and regulation is None and from_printed is not None:
            slack = 25 * calc.half_unit(int(udp)) + calc.half_unit(dp)
            ok = abs(printed - from_printed) <= slack
        if not (ok or (regulation is None and from_printed is None)):
            failed.append(i)
    return _verdicts(frame, failed)


def mutu(frame, *, value: str = "ikm", text: str = "mutu"):
    """The printed mutu is the band of the IKM (rounded half-up to two decimals first)."""
    return _rowwise(frame, (value, text), lambda v, t: calc.parse_mutu(t) == calc.mutu(v).letter)


def score(frame, *, key: str):
    """Every answer to the question is a score 1, 2, 3 or 4, or blank."""
    if key not in frame.columns:
        return True
    column = frame[key].astype("Float64")
    return column.isna() | column.isin([1, 2, 3, 4])


def same(frame, *, value: str, reference: str):
    """Two statements of one count agree exactly (a profile's sum and the respondents, a number stated twice)."""
    return _rowwise(frame, (value, reference), lambda v, r: v == r)


def agrees_at(frame, *, value: str, reference: str, dp: str):
    """A printed value agrees with another at half a unit of its last printed digit (``dp`` decimals)."""
    return _rowwise(frame, (value, reference, dp), lambda v, r, d: calc.agrees(v, r, int(d)))


def unsur_known(frame, *, canonical: str = "unsur_canonical"):
    """The unsur is one of the nine of PermenPANRB 14/2017 (0: its name matches none)."""
    return _rowwise(frame, (canonical,), lambda c: c != 0)


def unsur_once(frame, *, canonical: str = "unsur_canonical"):
    """No unsur is one already listed above it (rows in sheet order; an unknown one repeats nothing)."""
    lists = _columns(frame, canonical)
    if lists is None:
        return True
    seen: set[int] = set()
    failed = []
    for i, c in enumerate(lists[0]):
        if not _known(c) or c == 0:
            continue
        if c in seen:
            failed.append(i)
        seen.add(c)
    return _verdicts(frame, failed)


def nine_unsur(frame, *, count: str = "unsur_count", distinct: str = "unsur_distinct"):
    """The recap lists nine unsur, the nine different ones."""
    return _rowwise(frame, (count, distinct), lambda n, d: n == 9 and d == 9)


def sample_size(frame, *, respondents: str = "sample_respondents", population: str = "sample_population"):
    """The respondents reach the Krejcie & Morgan sample size of the population."""
    return _rowwise(frame, (respondents, population), lambda n, p: n >= calc.krejcie_morgan(p))


def rtmk_possible(frame, *, rtmk: str = "rtmk", respondents: str = "rtmk_respondents", answered: str = "rtmk_answered"):
    """RTMK is a whole number 0 … respondents; with the answers printed, answered + RTMK = respondents."""
    lists = _columns(frame, rtmk, respondents, answered)
    if lists is None:
        return True
    failed = [i for i, (r, n, a) in enumerate(zip(*lists))
              if _known(r) and _known(n) and not (0 <= r <= n and r.denominator == 1 and (not _known(a) or a + r == n))]
    return _verdicts(frame, failed)


def weighted_nrr(frame, *, printed: str = "weighted", bases: str = "weighted_bases", dp: str = "weighted_dp"):
    """The printed NRR tertimbang is an NRR of the unsur (from the sums, or the printed one) × 1/9."""
    return _rowwise(frame, (printed, bases, dp),
                    lambda w, bs, d: any(calc.agrees(w, b / 9, int(d)) for b in bs))


def stated(frame, *, value: str):
    """The fact is stated around the table."""
    return _rowwise(frame, (value,), bool)


def _register() -> None:
    register("kx_score_range", ["total", "answered"], score_range)
    register("kx_nrr", ["total", "answered", "printed"], nrr)
    register("kx_ikm", [], ikm)
    register("kx_mutu", ["value", "text"], mutu)
    register("kx_score", ["key"], score)
    register("kx_same", ["value", "reference"], same)
    register("kx_agrees", ["value", "reference", "dp"], agrees_at)
    register("kx_unsur_known", ["canonical"], unsur_known)
    register("kx_unsur_once", ["canonical"], unsur_once)
    register("kx_nine_unsur", ["count", "distinct"], nine_unsur)
    register("kx_sample_size", ["respondents", "population"], sample_size)
    register("kx_rtmk", ["rtmk", "respondents", "answered"], rtmk_possible)
    register("kx_weighted", ["printed", "bases", "dp"], weighted_nrr)
    register("kx_stated", ["value"], stated)


def _checker(rule_cases: bool):
    """``check(name, error, **statistics)``: a registered check as the rules run it (one failure case; the
    rows are read from its verdicts) or as users get it (pandera's full failure cases)."""
    import pandera.pandas as pa

    _register()
    n = RULE_FAILURE_CASES if rule_cases else None

    def check(name: str, error: str, **stats):
        return getattr(pa.Check, name)(**stats, error=error, n_failure_cases=n,
                                       ignore_na=False)

    return check


#: the recap's checks: (registered check, error, the column whose filled rows it judges, statistics)
RECAP_CHECKS: tuple[tuple[str, str, str, dict[str, str]], ...] = (
    ("kx_score_range", "KX601", "q_total", dict(total="q_total", answered="q_answered")),
    ("kx_nrr", "KX602", "u_total", dict(total="u_total", answered="u_answered", printed="u_printed")),
    ("kx_ikm", "KX603", "printed", {}),
    ("kx_mutu", "KX604", "mutu", dict(value="ikm", text="mutu")),
    ("kx_unsur_known", "KX605:known", "unsur_canonical", dict(canonical="unsur_canonical")),
    ("kx_unsur_once", "KX605:once", "unsur_canonical", dict(canonical="unsur_canonical")),
    ("kx_nine_unsur", "KX605:nine", "unsur_count", dict(count="unsur_count", distinct="unsur_distinct")),
    ("kx_sample_size", "KX606", "sample_respondents",
     dict(respondents="sample_respondents", population="sample_population")),
    ("kx_same", "KX607", "profile_total", dict(value="profile_total", reference="profile_respondents")),
    ("kx_rtmk", "KX608", "rtmk", dict(rtmk="rtmk", respondents="rtmk_respondents", answered="rtmk_answered")),
    ("kx_weighted", "KX609", "weighted", dict(printed="weighted", bases="weighted_bases", dp="weighted_dp")),
    ("kx_stated", "KX612:respondents", "stated_respondents", dict(value="stated_respondents")),
    ("kx_stated", "KX612:population", "stated_population", dict(value="stated_population")),
    ("kx_same", "KX613:respondents", "again_respondents", dict(value="again_respondents", reference="first_respondents")),
    ("kx_agrees", "KX613:ikm", "again_ikm", dict(value="again_ikm", reference="first_ikm", dp="again_ikm_dp")),
)
RECAP_ERRORS = tuple(error for _, error, _, _ in RECAP_CHECKS)


@functools.lru_cache(maxsize=None)
def recap(rule_cases: bool = False, errors: tuple[str, ...] = RECAP_ERRORS):
    """The recap's checks (questions, unsur, IKM row, mutu, the facts stated around it) on one frame.

    ``errors``: the checks to hold (``recap_parts``: those a frame has rows for). pandera spends ~0,1 ms
    on every check even when it has no row to judge, and most recaps print no mutu or no NRR tertimbang.
    """
    import pandera.pandas as pa

    check = _checker(rule_cases)
    return pa.DataFrameSchema(checks=[check(name, error, **stats) for name, error, _, stats in RECAP_CHECKS
                                      if error in errors],
                              name="skm", description="Rekapitulasi SKM: jumlah nilai, nilai unsur (NRR), IKM, mutu, "
                                                      "unsur, sampel, profil, RTMK, NRR tertimbang, keterangan di "
                                                      "sekitar tabel")


def recap_parts(frame) -> tuple[str, ...]:
    """The checks of ``recap()`` that judge a row of a ``recap_frame`` (``RECAP_ERRORS`` order): those whose
    column has a value; the others would judge nothing."""
    import pandas as pd

    given = set(frame.columns[~pd.isna(frame.to_numpy()).all(axis=0)].tolist())  # one pass, not one per column
    return tuple(error for _, error, subject, _ in RECAP_CHECKS if subject in given)


@functools.lru_cache(maxsize=64)
def responses(questions: tuple[str, ...] = tuple(f"q_{n}" for n in range(1, 10)), rule_cases: bool = False):
    """Raw responses: every answer a score 1–4 (or blank), one check per question column."""
    import pandera.pandas as pa

    check = _checker(rule_cases)
    return pa.DataFrameSchema(checks=[check("kx_score", f"KX610:{k}", key=k) for k in questions],
                              name="skm_responden", description="Jawaban responden SKM: skor 1–4")


def cell_row(cell: str) -> int:
    """The Excel row of an A1 reference ('D25' -> 25)."""
    return int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


#: the mutu is found by cell, anywhere on the sheet: a row of its own in the frame
MUTU_ROW = -1

RECAP_COLUMNS = (
    "q_total", "q_answered", "u_total", "u_answered", "u_printed", "u_printed_dp", "nrr", "printed_unsur",
    "unsur_right", "printed", "printed_dp", "unsur_dp", "ikm", "mutu", "unsur_canonical", "unsur_count",
    "unsur_distinct", "sample_respondents", "sample_population", "profile_total", "profile_respondents", "rtmk",
    "rtmk_respondents", "rtmk_answered", "weighted", "weighted_bases", "weighted_dp", "stated_respondents",
    "stated_population", "again_respondents", "first_respondents", "again_ikm", "first_ikm", "again_ikm_dp")


def info_anchor(recap_data) -> str:
    """Where a fact missing around the recap is reported: the IKM cell, else the UNSUR header."""
    from kinerja_xl.tables import cell_ref

    table = recap_data.table
    return recap_data.ikm_cell or cell_ref(table.header_rows[0], table.columns["unsur"])


def weighted_bases(recap_data) -> list:
    """(unsur, printed NRR tertimbang, the NRR it may come from, its decimals) of the unsur printing one."""
    out = []
    for u in recap_data.unsur:
        bases = [b for b in (u.pooled(recap_data.respondents), u.printed) if b is not None]
        if u.weighted is not None and bases:
            out.append((u, u.weighted, bases, u.weighted_dp))
    return out


def recap_frame(recap_data) -> Any:
    """The frame ``recap()`` validates, from a parsed recap (``parse_recap``)."""
    n = recap_data.respondents
    info = recap_data.info
    rows: dict[int, dict[str, Any]] = {}

    def put(row: int, **values: Any) -> None:
        rows.setdefault(row, {}).update(values)

    for q in recap_data.questions:
        put(q.row, q_total=q.total, q_answered=q.answered(n))
        if q.rtmk is not None and n is not None:
            put(q.row, rtmk=q.rtmk, rtmk_respondents=n, rtmk_answered=q.dijawab)
    for u in recap_data.unsur:
        parts = [(q.total, q.answered(n)) for q in u.questions]
        known = parts and all(t is not None and a is not None for t, a in parts)
        put(u.cell_row, u_total=calc.exact_sum(t for t, _ in parts) if known else None,
            u_answered=calc.exact_sum(a for _, a in parts) if known else None,
            u_printed=u.printed, u_printed_dp=u.printed_dp)
        put(u.first_row, unsur_canonical=u.canonical or 0)
    for u, printed, bases, dp in weighted_bases(recap_data):
        put(u.weighted_row, weighted=printed, weighted_bases=tuple(bases), weighted_dp=dp)
    if recap_data.unsur:
        table = recap_data.table
        put(table.header_rows[0], unsur_count=len(recap_data.unsur),
            unsur_distinct=len({u.canonical for u in recap_data.unsur if u.canonical is not None}))
    if recap_data.ikm_row is not None and recap_data.ikm_printed is not None and recap_data.unsur:
        values = recap_data.nrr_from_sums()
        printed_unsur = recap_data.printed_unsur()
        put(recap_data.ikm_row, nrr=tuple(values) if values else None,
            printed_unsur=tuple(printed_unsur) if printed_unsur else None,
            unsur_right=printed_unsur is not None and values is not None and all(
                calc.agrees(u.printed, u.pooled(n), u.printed_dp) for u in recap_data.unsur),
            printed=recap_data.ikm_printed, printed_dp=recap_data.ikm_dp,
            unsur_dp=min(u.printed_dp for u in recap_data.unsur))  # the widest half unit
    if recap_data.mutu_text is not None and recap_data.mutu_cell is not None:
        value = recap_data.ikm_printed if recap_data.ikm_printed is not None else recap_data.ikm_regulation()
        if value is not None:
            put(MUTU_ROW, ikm=value, mutu=recap_data.mutu_text)
    if info.population and info.respondents:
        put(cell_row(info.respondents[0].cell), sample_respondents=info.respondents[0].value,
            sample_population=info.population[0].value)
    if info.respondents:
        first = info.respondents[0].value
        for g in info.profile:
            if g.items:  # a label without counts states nothing to add up
                put(cell_row(g.cell), profile_total=g.total, profile_respondents=first)
        for other in info.respondents[1:]:
            put(cell_row(other.cell), again_respondents=other.value, first_respondents=first)
    if recap_data.ikm_printed is not None and recap_data.ikm_cell:
        for other in info.ikm:
            put(cell_row(other.cell), again_ikm=other.value, first_ikm=recap_data.ikm_printed, again_ikm_dp=2)
    anchor = cell_row(info_anchor(recap_data))
    put(anchor, stated_respondents=bool(info.respondents) or any(q.dijawab is not None for q in recap_data.questions),
        stated_population=bool(info.population))
    return _object_frame(rows, RECAP_COLUMNS)


def _object_frame(rows: dict[int, dict[str, Any]], columns: tuple[str, ...]) -> Any:
    """``{Excel row: {column: value}}`` as one object block, rows sorted (missing cells None).

    Exact fractions and tuples stay Python objects; one 2-D block costs a tenth of a Series per column.
    """
    import numpy as np
    import pandas as pd

    index = sorted(rows)
    data = np.empty((len(index), len(columns)), dtype=object)  # filled with None
    at = {c: j for j, c in enumerate(columns)}
    for i, r in enumerate(index):
        for c, v in rows[r].items():
            j = at.get(c)
            if j is not None:  # a value no column holds is not read
                data[i, j] = v
    # the index from an int64 array: pd.Index(list, dtype="int64") resolves the dtype name and infers (~45 µs)
    return pd.DataFrame(data, index=pd.Index(np.array(index, dtype=np.int64)), columns=_column_index(columns),
                        dtype=object, copy=False)


@functools.lru_cache(maxsize=64)
def _column_index(columns: tuple[str, ...]) -> Any:
    """The columns as one pandas Index per tuple, shared by every frame made with them (an Index is never
    changed): made from the names for each frame, ~25 µs, and its look-up table built again by the checks."""
    import pandas as pd

    return pd.Index(list(columns))


# --------------------------------------------------------------------------- across tables


@functools.lru_cache(maxsize=None)
def raw_vs_recap(rule_cases: bool = False):
    """KX611: the recap against the respondents' answers it summarises, on ``raw_vs_recap_frame``."""
    import pandera.pandas as pa

    check = _checker(rule_cases)
    return pa.DataFrameSchema(checks=[
        check("kx_same", "KX611:respondents", value="respondents", reference="raw_respondents"),
        check("kx_same", "KX611:total", value="total", reference="raw_total"),
        check("kx_same", "KX611:rtmk", value="rtmk", reference="raw_blanks"),
        check("kx_agrees", "KX611:nrr", value="nrr", reference="raw_nrr", dp="nrr_dp"),
        check("kx_agrees", "KX611:ikm", value="ikm", reference="raw_ikm", dp="ikm_dp"),
    ], name="skm_vs_responden", description="Rekapitulasi SKM sesuai data jawaban responden")


def raw_unsur_nrr(unsur, raw) -> tuple[Any, list]:
    """(pooled NRR of an unsur from the answers, the answers' questions), or (None, …) when one is missing."""
    qs = [raw.questions[q.number] for q in unsur.questions if q.number in raw.questions]
    if not qs or len(qs) != len(unsur.questions):
        return None, qs
    return calc.pooled_nrr((rq.total, rq.answered) for rq in qs), qs


def raw_vs_recap_frame(recap_data, raw) -> Any:
    """The numbers of a recap beside the same numbers worked out from its responses sheet, by recap row.

    Respondents on the stated respondents' row; jumlah nilai and RTMK on each question's row (questions
    matched by number); the pooled NRR on each unsur's value row; the IKM (from the answers' NRR, when
    every unsur has one) on the IKM row.
    """
    table = recap_data.table
    rows: dict[int, dict[str, Any]] = {}

    def put(row: int, **values: Any) -> None:
        rows.setdefault(row, {}).update(values)

    if recap_data.info.respondents:
        stated = recap_data.info.respondents[0]
        put(cell_row(stated.cell), respondents=stated.value, raw_respondents=raw.respondents)
    for q in recap_data.questions:
        rq = raw.questions.get(q.number)
        if rq is None:
            continue
        put(q.row, total=q.total, raw_total=rq.total)
        if q.rtmk is not None and table.has("rtmk"):
            put(q.row, rtmk=q.rtmk, raw_blanks=rq.blanks)
    values = []
    for u in recap_data.unsur:
        value, _ = raw_unsur_nrr(u, raw)
        if value is None:
            continue
        values.append(value)
        put(u.cell_row, nrr=u.printed, raw_nrr=value, nrr_dp=u.printed_dp)
    if values and len(values) == len(recap_data.unsur) and recap_data.ikm_printed is not None:
        put(recap_data.ikm_row, ikm=recap_data.ikm_printed, raw_ikm=calc.ikm(values), ikm_dp=recap_data.ikm_dp)
    return _object_frame(rows, ("respondents", "raw_respondents", "total", "raw_total", "rtmk", "raw_blanks", "nrr",
                                "raw_nrr", "nrr_dp", "ikm", "raw_ikm", "ikm_dp"))


@functools.lru_cache(maxsize=None)
def iku_vs_survey(rule_cases: bool = False):
    """KX890: the IKM realisasi of the IKU table equals the survey's IKM, on ``iku_vs_survey_frame``."""
    import pandera.pandas as pa

    check = _checker(rule_cases)
    return pa.DataFrameSchema(
        checks=[check("kx_agrees", "KX890", value="realisasi", reference="survey", dp="realisasi_dp")],
        name="iku_vs_skm", description="Realisasi IKM di tabel capaian IKU sama dengan IKM rekap survei")


def iku_vs_survey_frame(rows: list[tuple[int, Any, int]], survey: Any) -> Any:
    """One row per IKM indicator of an IKU table: (Excel row, realisasi, its decimals) beside the survey's IKM."""
    return _object_frame({r: {"realisasi": v, "survey": survey, "realisasi_dp": dp} for r, v, dp in rows},
                         ("realisasi", "survey", "realisasi_dp"))


# --------------------------------------------------------------------------- summary rows under the responses

_SUM_LABEL = r"(?:JUMLAH|TOTAL)(?: NILAI| SKOR)?(?: PER UNSUR| PER PERTANYAAN| UNSUR)?"
_MEAN_LABEL = r"(?:NRR|NILAI RATA RATA|RATA RATA|RERATA)(?: NILAI)?(?: PER UNSUR| PER PERTANYAAN| UNSUR)?"
_WEIGHTED_LABEL = r"(?:JUMLAH )?(?:NRR|NILAI RATA RATA|RATA RATA|RERATA)(?: NILAI)? TERTIMBANG(?: PER UNSUR| PER PERTANYAAN| UNSUR)?"
_IKM_ROW_LABEL = r"(?:NILAI )?(?:IKM|SKM|INDEKS KEPUASAN MASYARAKAT)(?: UNIT PELAYANAN)?(?: .*)?"
SUM_RE, MEAN_RE, WEIGHTED_RE, IKM_ROW_RE = (re.compile(p) for p in (_SUM_LABEL, _MEAN_LABEL, _WEIGHTED_LABEL,
                                                                  _IKM_ROW_LABEL))


def places(value: Fraction) -> int:
    """Decimals a cell shows (0,44 -> 2); a value with more (4/9 computed in the cell) is compared at 4."""
    for k in range(1, 5):
        if (value * 10**k).denominator == 1:
            return k
    return 4


class SummaryCell(NamedTuple):
    """A number printed in a summary row under the answers, beside what the answers above it give."""
    row: int
    label: str
    kind: str          # 'sum' (Σ, exact), 'mean' (NRR, at 0,005) or 'weighted' (NRR × 1/9)
    question: Any      # the RawQuestion of its column
    printed: Fraction
    reference: Any     # the exact sum or mean (None: no answers), or the NRR bases of a weighted value


class RawSummaryRows(NamedTuple):
    cells: list[SummaryCell]             # in sheet order
    nrr: dict[int, Fraction] | None      # one value per unsur, when the export says which
    ikm_row: int | None
    ikm_key: str | None                  # the column the IKM is printed in


def raw_summary_rows(table, raw) -> RawSummaryRows:
    """The summary rows of a responses export (JUMLAH, NRR, NRR tertimbang, IKM) read against its answers.

    One value per unsur comes from the U1…U9 headers, else from nine questions
    taken as the nine unsur; a weighted row is read only then (a weight per
    question is not the regulation's 1/9 per unsur).
    """
    from kinerja_validators.skm.recap import _num

    nrr = raw.nrr() or ({q.number: q.total / q.answered for q in raw.questions.values() if q.answered}
                        if len(raw.questions) == 9 else None)
    if nrr and any(v is None for v in nrr.values()):
        nrr = None
    one_each = nrr is not None and len(nrr) == len(raw.questions)
    mean_rows = [r for r, label in raw.summary_rows.items() if MEAN_RE.fullmatch(label)]
    cells: list[SummaryCell] = []
    ikm_row = None
    for row, label in raw.summary_rows.items():
        if WEIGHTED_RE.fullmatch(label):
            if not one_each:
                continue
            for q in raw.questions.values():
                printed = _num(table, q.key, row)
                if printed is None or not q.answered:
                    continue
                bases = [q.total / q.answered] + [p for p in (_num(table, q.key, r) for r in mean_rows) if p is not None]
                cells.append(SummaryCell(row, label, "weighted", q, printed, bases))
        elif SUM_RE.fullmatch(label) or MEAN_RE.fullmatch(label):
            mean = MEAN_RE.fullmatch(label) is not None
            for q in raw.questions.values():
                printed = _num(table, q.key, row)
                if printed is None:
                    continue
                exact = (q.total / q.answered if q.answered else None) if mean else q.total
                cells.append(SummaryCell(row, label, "mean" if mean else "sum", q, printed, exact))
        elif IKM_ROW_RE.fullmatch(label) and ikm_row is None:
            ikm_row = row
    ikm_key = None if ikm_row is None else next(
        (q.key for q in raw.questions.values() if _num(table, q.key, ikm_row) is not None), None)
    return RawSummaryRows(cells, nrr, ikm_row, ikm_key)


RAW_SUMMARY_PARTS = ("respondents", "sum", "mean", "weighted", "ikm")


@functools.lru_cache(maxsize=64)
def raw_summary(questions: tuple[str, ...] = tuple(f"q_{n}" for n in range(1, 10)), rule_cases: bool = False,
                parts: tuple[str, ...] = RAW_SUMMARY_PARTS):
    """KX614: the summary rows under a responses export against its answers, on ``raw_summary_frame``.

    Per question column ``q_<n>`` (the printed value in each summary row): Σ = the answers' sum
    (``q_<n>_sum``), NRR = sum / answers at 0,005 (``q_<n>_mean``), NRR tertimbang = an NRR × 1/9 at half
    a unit of its last digit (``q_<n>_bases``); the IKM = 25 × mean NRR per unsur (``ikm``, ``raw_ikm``);
    a stated number of respondents = the respondents' rows (``stated_respondents``, ``respondents``).

    ``parts``: the checks to hold (``raw_summary_parts``: those a frame has values for). pandera spends
    ~0,2 ms on every check even when it has no row to judge, and an export prints one or two of the
    summary rows, so the rule leaves out the checks with nothing to read.
    """
    import pandera.pandas as pa

    check = _checker(rule_cases)
    checks = []
    if "respondents" in parts:
        checks.append(check("kx_same", "KX614:respondents", value="stated_respondents", reference="respondents"))
    for k in questions:
        if "sum" in parts:
            checks.append(check("kx_same", f"KX614:sum:{k}", value=k, reference=f"{k}_sum"))
        if "mean" in parts:
            checks.append(check("kx_agrees", f"KX614:mean:{k}", value=k, reference=f"{k}_mean", dp=f"{k}_mean_dp"))
        if "weighted" in parts:
            checks.append(check("kx_weighted", f"KX614:weighted:{k}", printed=k, bases=f"{k}_bases", dp=f"{k}_dp"))
    if "ikm" in parts:
        checks.append(check("kx_agrees", "KX614:ikm", value="ikm", reference="raw_ikm", dp="ikm_dp"))
    return pa.DataFrameSchema(checks=checks, name="skm_responden_ringkasan",
                              description="Baris ringkasan di bawah data responden SKM (Σ, NRR, NRR tertimbang, IKM) "
                                          "sesuai jawaban di atasnya")


def raw_summary_parts(frame) -> tuple[str, ...]:
    """The parts of ``raw_summary()`` a ``raw_summary_frame`` has values to judge for (``RAW_SUMMARY_PARTS`` order)."""
    import pandas as pd

    given = set(frame.columns[~pd.isna(frame.to_numpy()).all(axis=0)].tolist())  # one pass, not one per column
    suffix = {"sum": "_sum", "mean": "_mean", "weighted": "_bases"}
    return tuple(p for p in RAW_SUMMARY_PARTS if (
        "stated_respondents" in given if p == "respondents" else "raw_ikm" in given if p == "ikm"
        else any(c.startswith("q_") and c.endswith(suffix[p]) for c in given)))


def raw_summary_frame(table, raw, summary: RawSummaryRows | None = None) -> Any:
    """The frame ``raw_summary()`` validates: the responses sheet's summary rows, by Excel row.

    ``raw``: ``summarize_responses(table)``; ``summary``: ``raw_summary_rows(table, raw)`` if already read.
    """
    from kinerja_validators.skm.recap import _num, read_info

    summary = summary or raw_summary_rows(table, raw)
    rows: dict[int, dict[str, Any]] = {}

    def put(row: int, **values: Any) -> None:
        rows.setdefault(row, {}).update(values)

    for stated in read_info(table).respondents[:1]:
        put(cell_row(stated.cell), stated_respondents=stated.value, respondents=raw.respondents)
    for c in summary.cells:
        k = c.question.key
        if c.kind == "sum":
            put(c.row, **{k: c.printed, f"{k}_sum": c.reference})
        elif c.kind == "mean":
            put(c.row, **{k: c.printed, f"{k}_mean": c.reference, f"{k}_mean_dp": 2})
        else:
            put(c.row, **{k: c.printed, f"{k}_bases": tuple(c.reference), f"{k}_dp": places(c.printed)})
    if summary.nrr and summary.ikm_key is not None:
        put(summary.ikm_row, ikm=_num(table, summary.ikm_key, summary.ikm_row),
            raw_ikm=calc.ikm(list(summary.nrr.values())), ikm_dp=2)
    keys = [q.key for q in raw.questions.values()]
    columns = ("stated_respondents", "respondents", "ikm", "raw_ikm", "ikm_dp") + tuple(
        f"{k}{s}" for k in keys for s in ("", "_sum", "_mean", "_mean_dp", "_bases", "_dp"))
    return _object_frame(rows, columns)
