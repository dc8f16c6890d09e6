"""Row identities as pandera checks, and their failures as Excel rows.

Every frame a rule sees is indexed by Excel row number, so the index of a
check's boolean output names sheet rows directly. Which cell of a failing row
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
    """Run dataframe-level checks; return ``{check name: sorted failing Excel rows}``.

    Every name in ``checks`` is a key of the result (an empty list when the
    check passes on every row).
    """
    out: dict[str, list[int]] = {name: [] for name in checks}
    if len(frame) == 0 or not checks:
        return out
    for check in _schema(checks).checks:
        out[check.error] = _failing(check, frame)
    return out


def _failing(check: Any, frame: Any) -> list[int]:
    """Rows where one of the schema's checks fails, read from the check's own boolean output.

    Calling the check (what ``validate`` does for each check) and reading its
    output skips pandera's reshaping of the failures into one long table per
    cell (~20 ms per 1.000 failing rows of a 100.000-row table, for a result
    we turn straight back into rows). As in lazy validation, a check that
    raises fails no row.
    """
    try:
        output = check(frame).check_output
    except Exception:
        return []
    if getattr(output, "ndim", 0) == 2:  # element-wise output: a row fails when any of its cells does
        output = output.all(axis=1)
    if not hasattr(output, "index"):
        return []
    return sorted(int(r) for r in output.index[~output.to_numpy(dtype=bool, na_value=True)])
