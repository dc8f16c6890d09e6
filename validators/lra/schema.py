"""The pandera schemas of the LRA and perubahan tables.

Each identity is a registered check on the frame (indexed by Excel row,
money in Int64 sen): the account-code structure is read from the frame's
``kode``/``no``/``uraian`` text, so the schema checks what the rules check.
"""

from __future__ import annotations

import functools

from kinerja_validators._pandera import RULE_FAILURE_CASES, register
from kinerja_validators.lra import structure


def _ok_except(frame, rows) -> "object":
    import pandas as pd

    bad = set(rows)
    return pd.Series([r not in bad for r in frame.index], index=frame.index, dtype=bool)


def _amounts(frame, keys):
    return [k for k in keys if k in frame.columns]


def parent_sums(amounts=("anggaran", "realisasi")):
    def check(frame):
        """A code's row = Σ its direct children, per amount column."""
        return _ok_except(frame, [f.row for f in structure.Structure(frame, _amounts(frame, amounts)).parent_failures()])

    return check


def block_totals(amounts=("anggaran", "realisasi")):
    def check(frame):
        """JUMLAH PENDAPATAN / JUMLAH BELANJA = Σ the top accounts of their own block."""
        return _ok_except(frame, [f.row for f in structure.Structure(frame, _amounts(frame, amounts)).total_failures()])

    return check


def balances(what: str, amounts=("anggaran", "realisasi")):
    def check(frame):
        fails = structure.Structure(frame, _amounts(frame, amounts)).balance_failures()
        return _ok_except(frame, [f.row for f in fails if f.what == what])

    check.__doc__ = f"The {what} row of the table."
    return check


def difference(minuend: str, subtrahend: str, result: str, convention: str | None):
    def check(frame):
        return _ok_except(frame, [f.row for f in structure.difference_failures(
            frame, minuend, subtrahend, result, convention)[1]])

    return check


def percent(numerator: str, denominator: str, column: str):
    def check(frame):
        return _ok_except(frame, [r for r, *_ in structure.percent_failures(frame, numerator, denominator, column)])

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
        fails = structure.Structure(frame, _amounts(frame, _PERUBAHAN)).balance_failures()
        return _ok_except(frame, [f.row for f in fails])

    register("kx_perubahan_balance", [], balance_rows)
    n = RULE_FAILURE_CASES if rule_cases else None
    checks = [getattr(pa.Check, name)(error=code, n_failure_cases=n, ignore_na=False) for name, code in (
        ("kx_perubahan_change", "KX421"), ("kx_perubahan_parent_sum", "KX422"), ("kx_perubahan_total", "KX423"),
        ("kx_perubahan_percent", "KX424"), ("kx_perubahan_balance", "KX425"))]
    return pa.DataFrameSchema(checks=checks, name="perubahan")
