"""Running a kind's pandera schema and reading which Excel rows fail which check.

Every frame a schema validates is indexed by Excel row number, so pandera's
results name sheet rows directly. Which cell of a failing row is to blame
(the sisa, not all four) is the rule's decision; this module only answers
*which rows fail which check*: ``{check error: [Excel rows]}``.

The identity checks are registered check methods (``pa.Check.kx_...``), so a
schema can be written out as YAML (``schemas.yaml(kind)``) and read back.

Speed: pandera's ``failure_cases`` table is built with one pandas group per
failing row (~50 ms per 1.000 failing rows, ~170 ms for the 3.000 of the
100.000-row benchmark), three times the cost of every rule together. The
schemas the rules run therefore cap ``n_failure_cases`` (``for_rules``) and
read the failing rows from each ``SchemaError``'s ``check_output``, the
boolean Series ``validate()`` produced; the schemas users get
(``kinerja_validators.schemas``) keep pandera's full failure cases.

pandera is imported on first use: importing it costs a few hundred
milliseconds that ``kinerja-xl rules`` and the ribbon should not pay.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

# checks the rules run report one sample failure case; the rows come from check_output
RULE_FAILURE_CASES = 1

_registered: set[str] = set()


def register(name: str, statistics: list[str], fn: Callable[..., Any]) -> None:
    """Register ``fn(frame, **statistics) -> bool Series`` as ``pa.Check.<name>`` (once per process).

    A cell that could not be read (``<NA>``) passes: a missing value is
    reported by the engine, never judged. The check says so itself, so schemas
    declare it ``ignore_na=False``: pandera's own NA handling scans the whole
    frame for every check (~5 ms per check on 100.000 rows).
    """
    if name in _registered:
        return
    from pandera.api import extensions

    @functools.wraps(fn)  # pandera reads the statistics from the signature
    def check(frame, **stats):
        return na_passes(fn(frame, **stats), frame.index)

    check.__name__ = name
    extensions.register_check_method(statistics=statistics, check_type="vectorized")(check)
    _registered.add(name)


def na_passes(result: Any, index: Any) -> Any:
    """A boolean Series (``<NA>`` -> True) on ``index``; a scalar ``True``/``False`` broadcast."""
    import numpy as np
    import pandas as pd

    if not hasattr(result, "to_numpy"):
        return pd.Series(np.full(len(index), bool(result)), index=index)
    return pd.Series(result.to_numpy(dtype=bool, na_value=True), index=result.index)


def failing_rows(schema: Any, frame: Any) -> dict[str, list[int]]:
    """``schema.validate(frame, lazy=True)``; ``{check error: sorted failing Excel rows}``.

    Every check of the schema (dataframe-level and column checks) is a key of
    the result, with an empty list when it passes on every row. A check that
    raises is a bug of ours, raised again (the runner reports it as KX901);
    schema errors that are not a check's (a missing column, a dtype) are not
    identities and are left out.
    """
    from pandera.errors import SchemaErrors

    out: dict[str, list[int]] = {name: [] for name in check_names(schema)}
    if len(frame) == 0:
        return out
    direct = _direct_rows(schema, frame, out)
    if direct is not None:
        return direct
    try:
        schema.validate(frame, lazy=True, inplace=True)
    except SchemaErrors as exc:
        rows: dict[str, set[int]] = {}
        for err in exc.schema_errors:
            name = getattr(err.check, "error", None)
            if name not in out:
                continue
            if err.check_output is None and "CHECK_ERROR" in str(getattr(err, "reason_code", "")):
                raise RuntimeError(f"pandera check {name} failed to run: {err}") from err
            rows.setdefault(name, set()).update(_failed(err.check_output))
        for name, found in rows.items():
            out[name] = sorted(found)
    return out


def _direct(schema: Any) -> bool:
    """Whether ``schema``'s result is its dataframe checks' outputs and nothing else.

    True for the rules' schemas: no coercion, no column or index checks, only
    vectorised dataframe checks that judge ``<NA>`` themselves (``register``).
    ``validate()`` then adds ~1,5 ms a call (dtype checks, failure-case
    tables, the error objects) to checks that cost ~0,2 ms on a seed-sized
    table, and a workbook runs ten of them: ~15 ms of a ~90 ms validation.
    """
    key = id(schema)
    hit = _DIRECT.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    index = getattr(schema, "index", None)
    ok = (not getattr(schema, "coerce", True) and not getattr(schema, "unique", None)
          and not getattr(schema, "drop_invalid_rows", False) and not getattr(schema, "add_missing_columns", False)
          and (index is None or not getattr(index, "checks", None))
          and all(not col.checks and not col.coerce for col in schema.columns.values())
          and all(c.error and c.groupby is None and not c.element_wise and not c.ignore_na
                  and not c.raise_warning and c._check_fn is not None for c in schema.checks))
    _DIRECT[key] = (schema, ok)  # the schema is held, so its id is never reused for another
    return ok


_DIRECT: dict[int, tuple[Any, bool]] = {}


def _direct_rows(schema: Any, frame: Any, out: dict[str, list[int]]) -> dict[str, list[int]] | None:
    """``failing_rows`` by calling the schema's checks as pandera's backend does
    (``check_fn(frame, **check_kwargs)``), or None to take ``validate()``'s way:
    a schema ``_direct`` refuses, or a check that raises (``validate()`` reports it)."""
    if not _direct(schema):
        return None
    rows: dict[str, set[int]] = {}
    for check in schema.checks:
        try:
            output = check._check_fn(frame, **check._check_kwargs)
        except Exception:
            return None
        if not hasattr(output, "index") or getattr(output, "ndim", 1) != 1:
            return None  # not the boolean Series our registered checks give
        if check.error in out:
            rows.setdefault(check.error, set()).update(_failed(output))
    for name, found in rows.items():
        out[name] = sorted(found)
    return out


def _failed(output: Any) -> list[int]:
    if output is None or not hasattr(output, "index"):  # the check raised
        return []
    if getattr(output, "ndim", 1) == 2:  # element-wise output: a row fails when any of its cells does
        output = output.all(axis=1)
    return [int(r) for r in output.index[~output.to_numpy(dtype=bool, na_value=True)]]


def check_names(schema: Any) -> list[str]:
    """The ``error`` of every check of a schema: its own checks, then its columns'."""
    names = [c.error for c in schema.checks if c.error]
    for column in schema.columns.values():
        names.extend(c.error for c in column.checks if c.error)
    return list(dict.fromkeys(names))
