"""The pandera schemas of the LRA and perubahan tables.

Each identity is a registered check on the frame (indexed by Excel row,
money in Int64 sen): the account-code structure is read from the frame's
``kode``/``no``/``uraian`` text, so the schema checks what the rules check.
"""

from __future__ import annotations

import functools

from kinerja_validators._pandera import RULE_FAILURE_CASES, register
from kinerja_validators.lra import structure


def _judged(frame, judged, failing) -> "object":
    """A nullable boolean per row: <NA> where the identity had nothing to judge (no parent, an
    unreadable value), False where it fails, True where it holds; pandera passes <NA> (the check is
    registered with NA passing), and the coverage counts the judged rows from it."""
    import pandas as pd

    bad, seen = set(failing), set(judged) | set(failing)
    return pd.Series(pd.array([None if r not in seen else r not in bad for r in frame.index], dtype="boolean"),
                     index=frame.index)


def _amounts(frame, keys):
    return [k for k in keys if k in frame.columns]


def _structure(frame, amounts):
    st = structure.Structure(frame, _amounts(frame, amounts))
    return st


def parent_sums(amounts=("anggaran", "realisasi")):
    def check(frame):
        """A code's row = Σ its direct children, per amount column."""
        st = _structure(frame, amounts)
        fails = [f.row for f in st.parent_failures()]
        return _judged(frame, st.judged.get("parent", ()), fails)

    return check


def block_totals(amounts=("anggaran", "realisasi")):
    def check(frame):
        """JUMLAH PENDAPATAN / JUMLAH BELANJA = Σ the top accounts of their own block."""
        st = _structure(frame, amounts)
        fails = [f.row for f in st.total_failures()]
        return _judged(frame, st.judged.get("total", ()), fails)

    return check


def balances(what: str, amounts=("anggaran", "realisasi")):
    def check(frame):
        st = _structure(frame, amounts)
        fails = [f.row for f in st.balance_failures() if f.what == what]
        return _judged(frame, st.judged.get(what, ()), fails)

    check.__doc__ = f"The {what} row of the table."
    return check


def _known(frame, keys):
    return [int(r) for r in frame[list(keys)].dropna().index] if all(k in frame.columns for k in keys) else []


def difference(minuend: str, subtrahend: str, result: str, convention: str | None):
    def check(frame):
        fails = [f.row for f in structure.difference_failures(frame, minuend, subtrahend, result, convention)[1]]
        return _judged(frame, _known(frame, (minuend, subtrahend, result)), fails)

    return check


def percent(numerator: str, denominator: str, column: str):
    def check(frame):
        fails = [r for r, *_ in structure.percent_failures(frame, numerator, denominator, column)]
        judged = [r for r in _known(frame, (numerator, denominator, column)) if int(frame.at[r, denominator]) != 0]
        return _judged(frame, judged, fails)

    return check


@functools.lru_cache(maxsize=None)
def lra(rule_cases: bool = False):
    import pandera.pandas as pa

    register("kx_lra_parent_sum", [], parent_sums())
    register("kx_lra_block_total", [], block_totals())
    register("kx_lra_surplus", [], balances("surplus"))
    register("kx_lra_financing_net", [], balances("netto"))
    register("kx_lra_silpa", [], balances("silpa"))
    register("kx_lra_over_under", [], difference("anggaran", "realisasi", "lebih", None))
    register("kx_lra_percent", [], percent("realisasi", "anggaran", "persen"))
    n = RULE_FAILURE_CASES if rule_cases else None
    checks = [getattr(pa.Check, name)(error=code, n_failure_cases=n, ignore_na=False) for name, code in (
        ("kx_lra_parent_sum", "KX411"), ("kx_lra_block_total", "KX412"), ("kx_lra_surplus", "KX413"),
        ("kx_lra_financing_net", "KX414"), ("kx_lra_silpa", "KX415"), ("kx_lra_over_under", "KX416"),
        ("kx_lra_percent", "KX417"))]
    return pa.DataFrameSchema(checks=checks, name="lra")


_PERUBAHAN = ("sebelum", "sesudah")


@functools.lru_cache(maxsize=None)
def perubahan(rule_cases: bool = False):
    import pandera.pandas as pa

    register("kx_perubahan_change", [], difference("sesudah", "sebelum", "bertambah", "forward"))
    register("kx_perubahan_parent_sum", [], parent_sums(_PERUBAHAN))
    register("kx_perubahan_total", [], block_totals(_PERUBAHAN))
    register("kx_perubahan_percent", [], percent("bertambah", "sebelum", "persen"))

    def balance_rows(frame):
        st = _structure(frame, _PERUBAHAN)
        fails = [f.row for f in st.balance_failures()]
        return _judged(frame, set().union(*(st.judged.get(w, set()) for w in ("surplus", "netto", "silpa"))), fails)

    register("kx_perubahan_balance", [], balance_rows)
    n = RULE_FAILURE_CASES if rule_cases else None
    checks = [getattr(pa.Check, name)(error=code, n_failure_cases=n, ignore_na=False) for name, code in (
        ("kx_perubahan_change", "KX421"), ("kx_perubahan_parent_sum", "KX422"), ("kx_perubahan_total", "KX423"),
        ("kx_perubahan_percent", "KX424"), ("kx_perubahan_balance", "KX425"))]
    return pa.DataFrameSchema(checks=checks, name="perubahan")
