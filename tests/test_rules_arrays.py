"""The rules read a table's own column arrays (``Table.array``) and get what the frame's columns give.

The row tree built from the arrays is the one built from the frame; the amounts of an array are
those of its Series (a plain numpy integer column included); a survey value is "present" exactly
where ``pd.isna`` says it is not missing; a name's words are the same whether worked out afresh or
remembered.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
from test_budget_arrays import _budget_tables

hierarchy_module = importlib.import_module("kinerja_validators.realisasi.hierarchy")
schema = importlib.import_module("kinerja_validators.realisasi.schema")
recap = importlib.import_module("kinerja_validators.skm.recap")
names = importlib.import_module("kinerja_validators.names")


def test_the_tree_from_the_arrays_is_the_tree_from_the_frame():
    seen = 0
    for table in _budget_tables():
        from_arrays = hierarchy_module._tree(table.frame, table.array)
        from_frame = hierarchy_module._tree(table.frame)
        for key in ("level", "problem", "no_level", "kode_level"):
            assert getattr(from_arrays, key) == getattr(from_frame, key), (table.sheet, key)
        for key in ("parent", "covers", "repeats"):
            assert getattr(from_arrays, key).tolist() == getattr(from_frame, key).tolist(), (table.sheet, key)
        seen += len(table.frame)
    assert seen > 100


@pytest.mark.parametrize("array", [
    pd.arrays.IntegerArray(np.array([5, -7, 9], dtype=np.int64), np.array([False, True, False])),
    pd.array([5, None, 9], dtype="Int32"),
    np.array([5, -7, 9], dtype=np.int64),
    np.array([5, -7, 9], dtype=np.int32),
])
def test_amounts_of_an_array_are_those_of_its_series(array):
    got, want = schema.amounts(array), schema.amounts(pd.Series(array))
    assert got is not None and want is not None
    assert got[0].dtype == np.int64 and got[0].tolist() == want[0].tolist()
    assert got[1].tolist() == want[1].tolist()


def test_amounts_of_a_float_array_are_left_to_pandas():
    assert schema.amounts(pd.array([1.5, None], dtype="Float64")) is None
    assert schema.amounts(np.array([1.5, 2.0])) is None


@pytest.mark.parametrize("value", [None, pd.NA, np.nan, np.float64("nan"), pd.NaT, np.float64(3.25), np.int64(2), 0,
                                   0.0, "x", "", True])
def test_a_survey_value_is_present_where_pandas_sees_no_missing_value(value):
    assert recap._present(value) == (value is not None and not pd.isna(value))


def test_a_names_words_remembered_are_its_words():
    for name in ("Persentase Desa yang Tepat Waktu", "PRESENTASE desa & kelurahan", "", None, 12, "dan yang di"):
        fresh = frozenset(w for w in names.normalize(name).split() if w not in names._STOPWORDS)
        assert names.tokens(name) == fresh
        assert names.tokens(name) == fresh  # the second time from the memo
