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

Even capped, each failing check costs pandera a handful of pandas operations
(a group-by, an unstack, a concat) whatever the size: ~1 ms a check, ~10 ms of
the ~75 ms the bundled example takes, where the rules read none of it. Under
``failing_rows`` the checks therefore give their verdict by position (index
0, 1, …, not the frame's Excel rows): pandera still runs every check and
decides pass or fail from its output, but finds no rows to gather failure
cases from, and ``failing_rows`` maps the positions back to Excel rows.

pandera is imported on first use: importing it costs a few hundred
milliseconds that ``kinerja-xl rules`` and the ribbon should not pay.
"""

from __future__ import annotations

import contextvars
import functools
from typing import Any, Callable

# checks the rules run report one sample failure case; the rows come from check_output
RULE_FAILURE_CASES = 1

_registered: set[str] = set()

# set by failing_rows while pandera validates: the checks answer by position (see the module doc)
_by_position: contextvars.ContextVar[bool] = contextvars.ContextVar("kx_checks_by_position", default=False)


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
        result = fn(frame, **stats)
        return _positional(result, frame.index) if _by_position.get() else na_passes(result, frame.index)

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


def _positional(result: Any, index: Any) -> Any:
    """``na_passes(result, index)`` on the positions of ``index`` (a row ``result`` leaves out passes)."""
    import numpy as np
    import pandas as pd

    if not hasattr(result, "to_numpy"):
        values = np.full(len(index), bool(result))
    else:
        if result.index is not index and not result.index.equals(index):
            result = result.reindex(index, fill_value=True)
        values = result.to_numpy(dtype=bool, na_value=True)
    return pd.Series(values, index=pd.RangeIndex(len(index), name=_POSITION))


_POSITION = "kx_position"  # the name of a positional verdict's index (a check not ours answers by row)


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
    token = _by_position.set(True)
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
            rows.setdefault(name, set()).update(_failed(err.check_output, frame.index))
        for name, found in rows.items():
            out[name] = sorted(found)
    finally:
        _by_position.reset(token)
    return out


def _failed(output: Any, index: Any) -> list[int]:
    """Excel rows where a check's ``output`` is false (by position in ``index`` for our own checks)."""
    if output is None or not hasattr(output, "index"):  # the check raised
        return []
    if getattr(output, "ndim", 1) == 2:  # element-wise output: a row fails when any of its cells does
        output = output.all(axis=1)
    failed = output.index[~output.to_numpy(dtype=bool, na_value=True)]
    if output.index.name == _POSITION:
        failed = index[failed.to_numpy()]
    return [int(r) for r in failed]


def check_names(schema: Any) -> list[str]:
    """The ``error`` of every check of a schema: its own checks, then its columns'."""
    names = [c.error for c in schema.checks if c.error]
    for column in schema.columns.values():
        names.extend(c.error for c in column.checks if c.error)
    return list(dict.fromkeys(names))
