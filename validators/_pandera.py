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
schemas the rules run therefore cap ``n_failure_cases`` (``RULE_FAILURE_CASES``) and
read the failing rows from each ``SchemaError``'s ``check_output``, the
boolean Series ``validate()`` produced; the schemas users get
(``kinerja_validators.schemas``) keep pandera's full failure cases.

Even capped, each failing check costs pandera a handful of pandas operations
(a group-by, an unstack, a concat) whatever the size: ~1 ms a check, ~10 ms of
the ~75 ms the bundled example takes, where the rules read none of it. Under
``failing_rows`` the checks therefore give their verdict by position (labelled
−n … −1, never the frame's own index): pandera still runs every check and
decides pass or fail from its output, but finds no rows to gather failure
cases from, and ``failing_rows`` maps the positions back to Excel rows. A
check that passes on every row answers a plain ``True`` (pandera has no
Series to post-process).

What pandera itself spends around the checks (``failing_rows``): on a
seed-sized table ~0,25 ms per ``validate`` that passes and ~1 ms per one that
fails, for work whose results the rules never read. ``failing_rows`` therefore
validates with a twin of the schema (``for_rules``: a shallow copy sharing
its checks and options, validated by the same ``validate(frame, lazy=True)``)
whose class, a ``DataFrameSchema`` subclass, has a pandera backend of its own,
registered through pandera's backend registry (``register_backend``). It
differs from pandera's ``DataFrameSchemaBackend`` in three methods only:

- ``failure_cases_metadata``: ``SchemaErrors`` is raised with the
  ``SchemaError`` of every failing check, as pandera collected them, but
  without the summary pandera builds from them on each lazy failure (the
  failure cases of every error concatenated into one frame, a message dict
  grouped by reason and column): ~0,5 ms a failing validation, unread;
- ``collect_schema_components``: a schema with no columns, no index and no
  dtype has no components; pandera's method first asks its dtype engine
  about the schema's dtype ``None``, which tries to import geopandas on every
  call (~0,1 ms a validation where geopandas is not installed);
- ``run_check``: marks which check is running, so that a check's own answer
  can be kept for the coverage (below).

The pandera internals relied on (pandera 0.35; ``tests/test_pandera_backend.py``
fails if an upgrade changes them): ``SchemaErrors.__init__`` asks the schema's
backend for ``failure_cases_metadata(schema_name, schema_errors)``; the pandas
``DataFrameSchemaBackend`` has the methods above with these parameters and
calls ``run_check`` once per dataframe-level check; ``SchemaError`` keeps
``check`` and ``check_output``; ``BaseSchema.get_backend`` looks a backend up
by the schema's own class. Users' schemas (``kinerja_validators.schemas``)
are never changed: they keep pandera's backend and full failure cases.

What the coverage counts (``kinerja_xl.coverage``: which rows each identity
judged) is the checks' own answers before ``<NA>`` is read as a pass. When a
rule tells ``failing_rows`` which table its frame holds (``table=``), each
check's answer is kept on the table (``kinerja_xl.coverage.record_check``)
and the coverage does not run the check again.

pandera is imported on first use: importing it costs a few hundred
milliseconds that ``kinerja-xl rules`` and the ribbon should not pay.
"""

from __future__ import annotations

import contextvars
import copy
import functools
import weakref
from typing import Any, Callable

# checks the rules run report one sample failure case; the rows come from check_output
RULE_FAILURE_CASES = 1

_registered: set[str] = set()

# set by failing_rows while pandera validates: the checks answer by position (see the module doc)
_by_position: contextvars.ContextVar[bool] = contextvars.ContextVar("kx_checks_by_position", default=False)
# set by failing_rows when told the table: (check, its own answer) of every check run, for the coverage
_answers: contextvars.ContextVar[list | None] = contextvars.ContextVar("kx_check_answers", default=None)
# set by the rules' backend around each check it runs: the pandera Check whose function is running
_running: contextvars.ContextVar[Any] = contextvars.ContextVar("kx_running_check", default=None)


def register(name: str, statistics: list[str], fn: Callable[..., Any]) -> None:
    """Register ``fn(frame, **statistics) -> bool Series`` as ``pa.Check.<name>`` (once per process).

    ``fn`` may also answer a plain numpy bool array or a pandas ``BooleanArray``, one verdict per row of
    the frame in its order: the survey's and the budget's checks do, a pandas Series around each answer
    costing more than the judgement itself on a seed-sized table.

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
        if not _by_position.get():
            return na_passes(result, frame.index)
        answers = _answers.get()
        if answers is not None and _running.get() is not None:
            answers.append((_running.get(), result))
        return _positional(result, frame.index)

    check.__name__ = name
    extensions.register_check_method(statistics=statistics, check_type="vectorized")(check)
    _registered.add(name)


def na_passes(result: Any, index: Any) -> Any:
    """A boolean Series (``<NA>`` -> True) on ``index``; a scalar ``True``/``False`` broadcast."""
    import numpy as np
    import pandas as pd

    if isinstance(result, np.ndarray):  # plain booleans by position
        return pd.Series(result, index=index)
    if not hasattr(result, "to_numpy"):
        return pd.Series(np.full(len(index), bool(result)), index=index)
    # a Series on its own rows; a pandas array (nullable booleans) by position
    return pd.Series(result.to_numpy(dtype=bool, na_value=True), index=getattr(result, "index", index))


def _positional(result: Any, index: Any) -> Any:
    """``na_passes(result, index)`` on the positions of ``index`` (a row ``result`` leaves out passes);
    plain ``True`` when every row passes (pandera reads a passing bool without building a Series)."""
    import numpy as np
    import pandas as pd

    if isinstance(result, np.ndarray):  # plain booleans by position: nothing missing, nothing to align
        if result.all():
            return True
        values = result
    elif not hasattr(result, "to_numpy"):
        if bool(result):
            return True
        values = np.full(len(index), False)
    else:
        dtype = getattr(result, "dtype", None)  # a frame of verdicts has dtypes, not one dtype
        if isinstance(dtype, np.dtype) and dtype.kind == "b":  # plain booleans: nothing missing to read as a pass
            values = result.to_numpy()
        else:
            values = result.to_numpy(dtype=bool, na_value=True)
        if values.all():  # a row ``result`` leaves out passes too
            return True
        own = getattr(result, "index", None)  # None: a pandas array, by position
        if own is not None and own is not index and not own.equals(index):
            values = result.reindex(index, fill_value=True).to_numpy(dtype=bool, na_value=True)
    # labelled −n … −1, never a frame's own index (Excel rows, or 0 … n−1 of a frame built without one): pandera
    # gathers failure cases only from an output on the frame's index, ~1,7 ms a failing check (group-by, unstack)
    return pd.Series(values, index=pd.RangeIndex(-len(index), 0, name=_POSITION))


_POSITION = "kx_position"  # the name of a positional verdict's index (a check not ours answers by row)


def failing_rows(schema: Any, frame: Any, table: Any = None) -> dict[str, list[int]]:
    """``schema.validate(frame, lazy=True)``; ``{check error: sorted failing Excel rows}``.

    Every check of the schema (dataframe-level and column checks) is a key of
    the result, with an empty list when it passes on every row. A check that
    raises is a bug of ours, raised again (the runner reports it as KX901);
    schema errors that are not a check's (a missing column, a dtype) are not
    identities and are left out.

    ``table``: the located table whose rows ``frame`` holds, in the table's
    order and with the table's values in every column the checks read (a
    selection of its columns, say; not amounts mended or rows left out). Each
    check's answer is then kept on it for the coverage (``Table.checks_run``).
    """
    from pandera.errors import SchemaErrors

    out: dict[str, list[int]] = {name: [] for name in check_names(schema)}
    if len(frame) == 0:
        return out
    answers = [] if table is not None and _same_rows(frame, table.frame) else None
    token = _by_position.set(True)
    kept = _answers.set(answers)
    try:
        for_rules(schema).validate(frame, lazy=True, inplace=True)
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
        _answers.reset(kept)
        _by_position.reset(token)
    if answers:
        from kinerja_xl.coverage import record_check

        for check, answer in answers:
            record_check(table, check, answer)
    return out


def _same_rows(frame: Any, table_frame: Any) -> bool:
    return table_frame is not None and (frame.index is table_frame.index or frame.index.equals(table_frame.index))


# --------------------------------------------------------------------------- the rules' schemas and their backend

# id(schema) -> its twin for the rules; an entry goes when its schema is collected (weakref.finalize)
_twins: dict[int, Any] = {}


def for_rules(schema: Any) -> Any:
    """``schema`` as ``failing_rows`` validates it: a twin sharing its checks, columns and options, of a
    ``DataFrameSchema`` subclass whose pandera backend skips the work the rules never read (module doc).

    The twin is made once per schema object (a shallow copy whose class is the subclass: pandera looks
    the backend up by the schema's class). A schema of another class is returned as it is.
    """
    cls = _rule_schema_class()
    if isinstance(schema, cls):
        return schema
    import pandera.pandas as pa

    if type(schema) is not pa.DataFrameSchema:
        return schema
    twin = _twins.get(id(schema))
    if twin is None:
        twin = copy.copy(schema)
        twin.__class__ = cls
        _twins[id(schema)] = twin
        weakref.finalize(schema, _twins.pop, id(schema), None)
    return twin


@functools.cache
def _rule_schema_class() -> type:
    """``RuleSchema`` and its backend, defined on first use (pandera is imported lazily)."""
    import pandas as pd
    import pandera.pandas as pa
    from pandera.backends.pandas.container import DataFrameSchemaBackend
    from pandera.errors import FailureCaseMetadata

    class RuleSchemaBackend(DataFrameSchemaBackend):
        """pandera's pandas backend, less the summary of a lazy failure and a dtype lookup (module doc)."""

        def collect_schema_components(self, check_obj, schema, column_info):
            if schema.dtype is None and not schema.columns and schema.index is None:
                return []  # what pandera's method returns for such a schema
            return super().collect_schema_components(check_obj, schema, column_info)

        def run_check(self, check_obj, schema, check, check_index, *args):
            token = _running.set(check)
            try:
                return super().run_check(check_obj, schema, check, check_index, *args)
            finally:
                _running.reset(token)

        def failure_cases_metadata(self, schema_name, schema_errors):
            counts: dict[str, int] = {}
            for err in schema_errors:
                reason = getattr(err.reason_code, "name", str(err.reason_code))
                counts[reason] = counts.get(reason, 0) + 1
            failed = [str(getattr(err.check, "error", None) or err.check) for err in schema_errors]
            # no failure-case frame: the rules read each SchemaError's check_output (failing_rows)
            return FailureCaseMetadata(failure_cases=None, message={"schema": schema_name, "failed": failed},
                                       error_counts=counts)

    class RuleSchema(pa.DataFrameSchema):
        """A schema as the rules validate it (``for_rules``): pandera's, with ``RuleSchemaBackend``."""

    RuleSchema.register_backend(pd.DataFrame, RuleSchemaBackend)
    return RuleSchema


def _failed(output: Any, index: Any) -> list[int]:
    """Excel rows where a check's ``output`` is false (by position in ``index`` for our own checks)."""
    if output is None or not hasattr(output, "index"):  # the check raised
        return []
    if getattr(output, "ndim", 1) == 2:  # element-wise output: a row fails when any of its cells does
        output = output.all(axis=1)
    import numpy as np

    dtype = output.dtype
    # plain booleans (our positional verdicts): nothing missing, and to_numpy's na_value path costs ~14 µs
    values = output.to_numpy() if isinstance(dtype, np.dtype) and dtype.kind == "b" else output.to_numpy(
        dtype=bool, na_value=True)
    at = np.flatnonzero(~values)
    rows = index if output.index.name == _POSITION else output.index
    return [int(r) for r in rows.to_numpy()[at]]


def check_names(schema: Any) -> list[str]:
    """The ``error`` of every check of a schema: its own checks, then its columns'."""
    names = [c.error for c in schema.checks if c.error]
    for column in schema.columns.values():
        names.extend(c.error for c in column.checks if c.error)
    return list(dict.fromkeys(names))
