"""``hierarchy._parents_by_depth`` (numpy, one step per level) places each row's parent as a walk down the
sheet with a stack of open rows does."""

import importlib
import random

import numpy as np

hierarchy = importlib.import_module("kinerja_validators.realisasi.hierarchy")


def _walk(depth: list[int], closing: list[int]) -> list[int]:
    parent, stack = [-1] * len(depth), []
    for i, d in enumerate(depth):
        if i in closing:  # a JUMLAH below the data: the rows after it start afresh
            stack = []
            continue
        if d == 0:  # a total or unplaced row: nobody's parent
            continue
        while stack and depth[stack[-1]] >= d:
            stack.pop()
        parent[i] = stack[-1] if stack else -1
        stack.append(i)
    return parent


def test_parents_by_depth_are_the_walks():
    rng = random.Random(4)
    with_parents = 0
    for _ in range(400):
        depth = [rng.choice((0, 1, 2, 2, 3, 3, 4, 4, 4)) for _ in range(rng.randint(1, 40))]
        closing = sorted(rng.sample(range(len(depth)), min(len(depth), rng.choice((0, 0, 1, 2)))))
        for i in closing:
            depth[i] = 0
        got = hierarchy._parents_by_depth(np.array(depth, dtype=np.int64), closing).tolist()
        assert got == _walk(depth, closing), (depth, closing)
        with_parents += any(p >= 0 for p in got)
    assert with_parents > 300
