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


def _placed_row_by_row(tokens, kode_levels, text_levels, numbering, has_no):
    """The walk down the sheet with no memo: every numbered row asks ``_numbered_level`` with the state."""
    n = len(tokens)
    levels, problems, no_levels = ["rincian"] * n, [None] * n, [None] * n
    last_letter, kegiatan_count = "", 0
    for i, (tok, kl, tl) in enumerate(zip(tokens, kode_levels, text_levels)):
        if not tok:
            level = kl or tl or "rincian"
        elif numbering.digit_level is not None and tok.isdigit():
            no_levels[i] = numbering.digit_level
            level = kl or ("program" if tl == "program" else numbering.digit_level)
            if kl is not None and level != numbering.digit_level:
                problems[i] = "conflict"
        else:
            hint = None if tok.isdigit() and not numbering.plain else tl
            level, no_levels[i], problems[i] = hierarchy._numbered_level(tok, kl, hint, numbering, has_no,
                                                                        last_letter, kegiatan_count)
        if level == "program":
            last_letter = tok if len(tok) == 1 and "A" <= tok <= "Z" else (chr(ord(last_letter) + 1) if last_letter else "A")
            kegiatan_count = 0
        elif level == "kegiatan":
            kegiatan_count += 1
        levels[i] = level
    return levels, problems, no_levels


def test_placing_with_memos_is_placing_row_by_row():
    """The memo of what a NO token says (keyed, for C, D, I, L, M, V, X, by whether the token is the next
    numeral and the next letter) places every row as asking each row afresh does."""
    rng = random.Random(8)
    tokens_pool = ["", "", "", "A", "B", "C", "D", "E", "I", "II", "III", "IV", "V", "VI", "IX", "X", "XI", "L",
                   "M", "1", "2", "3", "a", "-", "1.1", "?"]
    sequenced = 0
    for _ in range(300):
        n = rng.randint(1, 60)
        tokens = [rng.choice(tokens_pool) for _ in range(n)]
        kode_levels = [rng.choice((None, None, "program", "kegiatan", "sub_kegiatan")) for _ in range(n)]
        text_levels = [rng.choice((None, None, None, "program", "kegiatan")) for _ in range(n)]
        numbering = hierarchy._numbering(tokens, kode_levels)
        rows = hierarchy._Rows([None] * n, [None] * n, [None] * n, tokens, kode_levels, text_levels)
        placed = hierarchy._place_rows(rows, numbering, True, set())
        assert (placed.levels, placed.problems, placed.no_levels) == _placed_row_by_row(
            tokens, kode_levels, text_levels, numbering, True)
        sequenced += sum(t in hierarchy._SEQUENCED for t in tokens)
    assert sequenced > 1000


def test_an_i_after_h_is_a_kegiatan_then_a_program():
    """'I' right after program H is its first kegiatan (the next numeral); another 'I' after that kegiatan is
    program I (the next letter, no longer the next numeral): the memo tells the two apart."""
    tokens = list("ABCDEFGH") + ["I", "I", "I"]
    n = len(tokens)
    numbering = hierarchy._numbering(tokens, [None] * n)
    rows = hierarchy._Rows([None] * n, [None] * n, [None] * n, tokens, [None] * n, [None] * n)
    placed = hierarchy._place_rows(rows, numbering, True, set())
    assert placed.levels == ["program"] * 8 + ["kegiatan", "program", "kegiatan"]
    assert placed.levels == _placed_row_by_row(tokens, [None] * n, [None] * n, numbering, True)[0]
