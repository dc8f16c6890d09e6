"""The sums check and the blame share each column's child sums (``schema.child_sums_of``)."""

import importlib

import numpy as np

schema = importlib.import_module("kinerja_validators.realisasi.schema")


def _tree():
    # rows 0..4: row 0 the parent of rows 1 and 2, row 3 the parent of row 4
    mask = np.array([False, True, True, False, True])
    return schema.SumTree(mask, np.array([0, 0, 1]), np.array([10, 13]), np.array([0, 3]), {}, [])


def test_a_column_and_its_views_are_summed_once(monkeypatch):
    tree = _tree()
    values, blank = np.array([7, 3, 4, 5, 6], dtype=np.int64), np.zeros(5, dtype=bool)
    calls = []
    real = schema.group_sums
    monkeypatch.setattr(schema, "group_sums", lambda *a: calls.append(1) or real(*a))
    sums, unknown = schema.child_sums_of(tree, values, blank)
    assert sums.tolist() == [7, 6] and unknown.tolist() == [False, False]
    again = schema.child_sums_of(tree, values.view(), blank.view())  # a frame's view of the same column
    assert again[0] is sums and len(calls) == 1
    other = values.copy()
    other[4] = 9  # another column (or a mended copy): summed on its own
    assert schema.child_sums_of(tree, other, blank)[0].tolist() == [7, 9] and len(calls) == 2
    gaps = blank.copy()
    gaps[2] = True
    assert schema.child_sums_of(tree, values, gaps)[1].tolist() == [True, False] and len(calls) == 3
