"""Row identities as pandera checks, and their failures as Excel rows.

Every frame a rule sees is indexed by Excel row number, so pandera's
``failure_cases["index"]`` names sheet rows directly. A dataframe-level
check is reported once per column of each failing row; which cell of the row
is to blame (the sisa, not all four) is the rule's decision, so this module
only answers *which rows fail which check*.

pandera is imported on first use: importing it costs a few hundred
milliseconds that ``kinerja-xl rules`` and the ribbon should not pay.

Example::

    rows = failing_rows(frame, {"KX301": lambda d: d["sisa"] == d["plafon"] - d["realisasi"]})
    # {"KX301": [23, 24, 25]}

A check returns a boolean Series; ``<NA>`` (a cell that could not be read)
counts as passing: a missing value is reported by the engine, never judged.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

RowCheck = Callable[[Any], Any]  # DataFrame -> boolean Series (NA allowed)

_schemas: dict[tuple, Any] = {}


def _schema(checks: Mapping[str, RowCheck]):
    import pandera.pandas as pa

    key = tuple((name, id(fn)) for name, fn in checks.items())
    schema = _schemas.get(key)
    if schema is None:
        schema = pa.DataFrameSchema(
            checks=[pa.Check(_na_passes(fn), error=name) for name, fn in checks.items()],
            coerce=False,
        )
        if len(_schemas) > 64:
            _schemas.clear()
        _schemas[key] = schema
    return schema


def _na_passes(fn: RowCheck) -> RowCheck:
    def check(frame):
        result = fn(frame)
        return result.fillna(True).astype(bool) if hasattr(result, "fillna") else result

    return check


def failing_rows(frame: Any, checks: Mapping[str, RowCheck]) -> dict[str, list[int]]:
    """Run dataframe-level checks lazily; return ``{check name: sorted failing Excel rows}``.

    Every name in ``checks`` is a key of the result (an empty list when the
    check passes on every row).
    """
    import pandera.pandas as pa

    out: dict[str, list[int]] = {name: [] for name in checks}
    if len(frame) == 0 or not checks:
        return out
    try:
        _schema(checks).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        cases = cases[cases["index"].notna()]
        for name, group in cases.groupby("check", sort=False):
            if name in out:
                out[name] = sorted({int(i) for i in group["index"]})
    return out
