"""The rules validate through a twin of each schema whose pandera backend skips what the rules never read
(``kinerja_validators._pandera``: ``for_rules``, ``RuleSchemaBackend``). pandera still judges: the same
``validate(frame, lazy=True)``, the same SchemaError per failing check, the same check outputs.

The pandera internals the backend relies on are pinned here, so that an upgrade that changes them fails
these tests instead of silently changing what the rules find."""

from __future__ import annotations

import inspect

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.backends.pandas.container import DataFrameSchemaBackend
from pandera.errors import SchemaErrors

from kinerja_validators import schemas
from kinerja_validators._pandera import check_names, failing_rows, for_rules, register


@pytest.fixture(scope="module")
def schema():
    register("kx_test_below", ["limit"], lambda frame, *, limit: frame["b"] < limit)
    register("kx_test_known", [], lambda frame: frame["b"].notna())
    return pa.DataFrameSchema(checks=[pa.Check.kx_test_below(limit=5, error="below", ignore_na=False),
                                      pa.Check.kx_test_below(limit=100, error="far-below", ignore_na=False),
                                      pa.Check.kx_test_known(error="known", ignore_na=False)], name="test")


FRAME = pd.DataFrame({"b": pd.array([1, 7, None, 5], dtype="Int64")}, index=pd.Index([21, 22, 23, 24], name="row"))


def errors_of(schema, frame) -> list:
    with pytest.raises(SchemaErrors) as exc:
        schema.validate(frame, lazy=True)
    return exc.value


def test_the_pandera_methods_overridden_keep_their_names_and_parameters():
    """An upgrade that renames or reshapes one of them would leave our override unused: fail here."""
    params = {name: list(inspect.signature(getattr(DataFrameSchemaBackend, name)).parameters)
              for name in ("failure_cases_metadata", "collect_schema_components", "run_check")}
    assert params == {"failure_cases_metadata": ["self", "schema_name", "schema_errors"],
                      "collect_schema_components": ["self", "check_obj", "schema", "column_info"],
                      "run_check": ["self", "check_obj", "schema", "check", "check_index", "args"]}
    # SchemaErrors asks the schema's backend for its summary (the one step RuleSchemaBackend leaves out)
    assert "failure_cases_metadata" in inspect.getsource(SchemaErrors.__init__)


def test_pandera_has_no_components_for_a_schema_without_columns_index_or_dtype(schema):
    """``collect_schema_components`` is skipped for such a schema: what pandera's own method returns."""
    backend = DataFrameSchemaBackend()
    info = backend.collect_column_info(FRAME, schema)
    assert backend.collect_schema_components(FRAME, schema, info) == []
    with_column = pa.DataFrameSchema({"b": pa.Column("Int64", nullable=True)})
    rule_backend = for_rules(with_column).get_backend(FRAME)
    components = rule_backend.collect_schema_components(FRAME, for_rules(with_column),
                                                        rule_backend.collect_column_info(FRAME, with_column))
    assert [c.name for c in components] == ["b"]  # a schema with columns goes through pandera's method


def test_the_twin_is_made_once_and_the_schema_itself_is_left_alone(schema):
    twin = for_rules(schema)
    assert for_rules(schema) is twin and for_rules(twin) is twin
    assert type(schema) is pa.DataFrameSchema and type(twin) is not pa.DataFrameSchema
    assert type(schema.get_backend(FRAME)) is DataFrameSchemaBackend
    assert type(twin.get_backend(FRAME)) is not DataFrameSchemaBackend
    assert isinstance(twin.get_backend(FRAME), DataFrameSchemaBackend)
    assert twin.checks is schema.checks and twin.name == schema.name
    assert for_rules(schemas.realisasi).checks is schemas.realisasi.checks


def test_the_twin_judges_as_pandera_does_without_building_the_summary(schema):
    full, fast = errors_of(schema, FRAME), errors_of(for_rules(schema), FRAME)
    # the same failing checks, as the same SchemaError objects with the same outputs
    assert [e.check.error for e in fast.schema_errors] == [e.check.error for e in full.schema_errors] == \
        ["below", "known"]
    for a, b in zip(full.schema_errors, fast.schema_errors):
        assert a.check_output.equals(b.check_output) and a.reason_code == b.reason_code
    assert fast.error_counts == full.error_counts == {"DATAFRAME_CHECK": 2}
    assert sorted(full.failure_cases["index"].dropna().astype(int).tolist()) == [22, 23, 24]
    assert fast.failure_cases is None  # the summary frame pandera builds on every lazy failure: not built
    assert "below" in str(fast) and "known" in str(fast)  # still says what failed
    assert for_rules(schema).validate(FRAME.loc[[21]], lazy=True) is not None  # a passing frame passes


def test_failing_rows_is_the_same_through_the_twin_and_users_keep_full_failure_cases(schema):
    assert failing_rows(schema, FRAME) == {"below": [22, 24], "far-below": [], "known": [23]}  # <NA> passes "below"
    assert check_names(schema) == ["below", "far-below", "known"]
    # the user's schema object, validated outside failing_rows, still reports failure cases at Excel rows
    fc = errors_of(schema, FRAME).failure_cases
    assert sorted(fc[fc["check"] == "below"]["index"].tolist()) == [22, 24]


def test_positional_verdicts_never_share_a_frames_index_and_rows_come_back_right(schema):
    """A verdict by position is labelled apart from the frame's own index, even a frame built without one
    (0 … n−1): on an output on its index pandera gathers failure cases (a group-by per failing check)."""
    import numpy as np

    from kinerja_validators._pandera import _positional

    frame = FRAME.reset_index(drop=True)
    out = _positional(np.array([True, False, True, True]), frame.index)
    assert not out.index.equals(frame.index) and out.tolist() == [True, False, True, True]
    assert failing_rows(schema, frame) == {"below": [1, 3], "far-below": [], "known": [2]}


def test_a_check_that_raises_is_still_reported_as_a_bug():
    register("kx_test_broken", [], lambda frame: frame["missing"] > 0)
    broken = pa.DataFrameSchema(checks=[pa.Check.kx_test_broken(error="broken", ignore_na=False)])
    with pytest.raises(RuntimeError, match="broken"):
        failing_rows(broken, FRAME)


def test_a_schema_of_another_class_is_validated_as_it_is():
    from pandera.errors import BackendNotFoundError

    class Own(pa.DataFrameSchema):
        pass

    own = Own(checks=[pa.Check(lambda f: f["b"].fillna(0) < 5, error="own")])
    with pytest.raises(BackendNotFoundError):  # pandera looks a backend up by the schema's own class
        own.get_backend(FRAME)
    Own.register_backend(pd.DataFrame, DataFrameSchemaBackend)
    assert for_rules(own) is own
    assert failing_rows(own, FRAME) == {"own": [22, 24]}


def test_the_realisasi_rules_find_the_same_rows_through_the_twin_as_pandera_with_its_own_backend():
    from budget_books import realisasi, tables_of
    from kinerja_validators.realisasi import schema as rs

    head = ["NO", "URAIAN", "PLAFON", "REALISASI TW I", "REALISASI TW II", "REALISASI JUMLAH", "SISA", "% SERAPAN"]
    data = [["1", "Sub satu", "1.000", "100", "200", "400", "700", "30,00"],
            ["2", "Sub dua", "1.000", "-100", "200", "100", "800", "10,00"]]
    (table,) = tables_of(realisasi(data, head))
    money = [k for k in rs.COLUMNS["realisasi"] if k in table.frame.columns]
    rows = rs.rows("realisasi", tuple(money))
    got = failing_rows(rows, table.frame[money])
    with pytest.raises(SchemaErrors) as exc:
        rows.validate(table.frame[money], lazy=True)  # pandera's own backend, its failure cases
    fc = exc.value.failure_cases
    assert got == {name: sorted({int(i) for i in fc[fc["check"] == name]["index"]}) for name in check_names(rows)}
    assert got["KX303"] == [2] and got["KX305:realisasi_tw1"] == [3]
