"""The survey's arithmetic as pandera schemas (PermenPANRB 14/2017), on frames indexed by Excel row.

Recap (``recap()``), exact fractions in object columns:

- questions (``total`` jumlah nilai, ``answered``): ``kx_score_range``, answers ≤ jumlah nilai ≤ 4 × answers;
- unsur (``total``, ``answered`` over its questions, ``printed`` nilai unsur, ``printed_dp``):
  ``kx_nrr``, printed = Σ jumlah nilai / Σ answers (pooled) at half a unit of its last digit;
- the IKM row (``nrr``: the unsur values from the sums, ``printed_unsur``, ``unsur_right``,
  ``printed``, ``printed_dp``): ``kx_ikm``, printed = 25 × mean NRR (weight 1/9), or 25 × the
  mean of the printed unsur values when those are right;
- the mutu (``ikm``, ``mutu``): ``kx_mutu``, A ≥ 88,31, B ≥ 76,61, C ≥ 65,00, else D.

Responses (``responses()``): ``kx_score`` per question column ``q_<n>``, every
answer 1, 2, 3 or 4 (or blank).

One frame holds the rows of all four parts (their Excel rows differ); a
check reads only the rows where its columns are filled.
"""

from __future__ import annotations

import functools
from typing import Any

from kinerja_validators import ikm as calc
from kinerja_validators._pandera import RULE_FAILURE_CASES, register


def _known(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and v != v) and v.__class__.__name__ != "NAType"


def _rowwise(frame, columns: tuple[str, ...], test) -> Any:
    """``test(*values)`` on the rows where every one of ``columns`` is known; other rows pass."""
    import pandas as pd

    if any(c not in frame.columns for c in columns):
        return True
    values = zip(*(frame[c].tolist() for c in columns))
    return pd.Series([not all(_known(v) for v in vs) or bool(test(*vs)) for vs in values], index=frame.index)


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
    import pandas as pd

    if "printed" not in frame.columns or "nrr" not in frame.columns:
        return True
    out = []
    for values, printed_unsur, unsur_right, printed, dp, udp in zip(
            frame["nrr"].tolist(), frame["printed_unsur"].tolist(), frame["unsur_right"].tolist(),
            frame["printed"].tolist(), frame["printed_dp"].tolist(), frame["unsur_dp"].tolist()):
        if not _known(printed) or not _known(values) and not _known(printed_unsur):
            out.append(True)
            continue
        dp = int(dp)
        regulation = calc.ikm(list(values)) if _known(values) else None
        from_printed = calc.ikm(list(printed_unsur)) if _known(printed_unsur) else None
        ok = (regulation is not None and calc.agrees(printed, regulation, dp)) or (
            from_printed is not None and bool(unsur_right) and calc.agrees(printed, from_printed, dp))
        if not ok and regulation is None and from_printed is not None:
            slack = 25 * calc.half_unit(int(udp)) + calc.half_unit(dp)
            ok = abs(printed - from_printed) <= slack
        out.append(ok or (regulation is None and from_printed is None))
    return pd.Series(out, index=frame.index)


def mutu(frame, *, value: str = "ikm", text: str = "mutu"):
    """The printed mutu is the band of the IKM (rounded half-up to two decimals first)."""
    return _rowwise(frame, (value, text), lambda v, t: calc.parse_mutu(t) == calc.mutu(v).letter)


def score(frame, *, key: str):
    """Every answer to the question is a score 1, 2, 3 or 4, or blank."""
    if key not in frame.columns:
        return True
    column = frame[key].astype("Float64")
    return column.isna() | column.isin([1, 2, 3, 4])


def _register() -> None:
    register("kx_score_range", ["total", "answered"], score_range)
    register("kx_nrr", ["total", "answered", "printed"], nrr)
    register("kx_ikm", [], ikm)
    register("kx_mutu", ["value", "text"], mutu)
    register("kx_score", ["key"], score)


@functools.lru_cache(maxsize=None)
def recap(rule_cases: bool = False):
    """The recap's checks (questions, unsur, IKM row, mutu) on one frame."""
    import pandera.pandas as pa

    _register()
    n = RULE_FAILURE_CASES if rule_cases else None
    return pa.DataFrameSchema(checks=[
        pa.Check.kx_score_range(total="q_total", answered="q_answered", error="KX601", n_failure_cases=n,
                                ignore_na=False),
        pa.Check.kx_nrr(total="u_total", answered="u_answered", printed="u_printed", error="KX602",
                        n_failure_cases=n, ignore_na=False),
        pa.Check.kx_ikm(error="KX603", n_failure_cases=n, ignore_na=False),
        pa.Check.kx_mutu(value="ikm", text="mutu", error="KX604", n_failure_cases=n, ignore_na=False),
    ], name="skm", description="Rekapitulasi SKM: jumlah nilai, nilai unsur (NRR), IKM, mutu")


@functools.lru_cache(maxsize=64)
def responses(questions: tuple[str, ...] = tuple(f"q_{n}" for n in range(1, 10)), rule_cases: bool = False):
    """Raw responses: every answer a score 1–4 (or blank), one check per question column."""
    import pandera.pandas as pa

    _register()
    n = RULE_FAILURE_CASES if rule_cases else None
    return pa.DataFrameSchema(
        checks=[pa.Check.kx_score(key=k, error=f"KX610:{k}", n_failure_cases=n, ignore_na=False) for k in questions],
        name="skm_responden", description="Jawaban responden SKM: skor 1–4")


def recap_frame(recap_data) -> Any:
    """The frame ``recap()`` validates, from a parsed recap (``parse_recap``)."""
    import pandas as pd

    n = recap_data.respondents
    rows: dict[int, dict[str, Any]] = {}
    for q in recap_data.questions:
        rows.setdefault(q.row, {}).update(q_total=q.total, q_answered=q.answered(n))
    for u in recap_data.unsur:
        parts = [(q.total, q.answered(n)) for q in u.questions]
        known = parts and all(t is not None and a is not None for t, a in parts)
        rows.setdefault(u.cell_row, {}).update(
            u_total=sum((t for t, _ in parts), calc.to_fraction(0)) if known else None,
            u_answered=sum((a for _, a in parts), calc.to_fraction(0)) if known else None,
            u_printed=u.printed, u_printed_dp=u.printed_dp)
    if recap_data.ikm_row is not None and recap_data.ikm_printed is not None and recap_data.unsur:
        values = recap_data.nrr_from_sums()
        printed_unsur = recap_data.printed_unsur()
        rows.setdefault(recap_data.ikm_row, {}).update(
            nrr=tuple(values) if values else None, printed_unsur=tuple(printed_unsur) if printed_unsur else None,
            unsur_right=printed_unsur is not None and values is not None and all(
                calc.agrees(u.printed, u.pooled(n), u.printed_dp) for u in recap_data.unsur),
            printed=recap_data.ikm_printed, printed_dp=recap_data.ikm_dp,
            unsur_dp=min(u.printed_dp for u in recap_data.unsur))  # the widest half unit
    mutu_row = -1  # the mutu is found by cell, anywhere on the sheet: a row of its own in the frame
    if recap_data.mutu_text is not None and recap_data.mutu_cell is not None:
        value = recap_data.ikm_printed if recap_data.ikm_printed is not None else recap_data.ikm_regulation()
        if value is not None:
            rows.setdefault(mutu_row, {}).update(ikm=value, mutu=recap_data.mutu_text)
    columns = ("q_total", "q_answered", "u_total", "u_answered", "u_printed", "u_printed_dp", "nrr", "printed_unsur",
               "unsur_right", "printed", "printed_dp", "unsur_dp", "ikm", "mutu")
    index = sorted(rows)
    return pd.DataFrame({c: pd.Series([rows[r].get(c) for r in index], index=index, dtype=object) for c in columns})
