"""The seed-sized speed-ups give what the slow ways gave: ``Table.value`` is ``frame.at``,
the direct check path of ``failing_rows`` is ``schema.validate()``'s, the cached
recap and name folding change nothing a workbook's findings show."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from kinerja_validators import _pandera, names
from kinerja_xl.runner import validate_file

ROOT = Path(__file__).resolve().parents[1]
BOOKS = sorted((ROOT / "xlsx_templates").glob("*.xlsx"))


def _findings(path):
    return [(f.code, f.sheet, f.cell, f.message_id, f.message_en, f.row_key) for f in validate_file(path).findings]


def test_table_value_is_frame_at_for_every_cell_of_every_bundled_table():
    seen = 0
    for path in BOOKS:
        for t in validate_file(path).tables:
            for key in t.frame.columns:
                for row in t.frame.index:
                    want, got = t.frame.at[row, key], t.value(key, row)
                    assert type(got) is type(want), (path.name, t.sheet, key, row)
                    assert got is want or got == want or (pd.isna(want) and pd.isna(got))
                    seen += 1
    assert seen > 1000


def test_a_swapped_frame_is_read_afresh():
    t = next(t for t in validate_file(ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx").tables if len(t.frame))
    key, row = t.frame.columns[0], t.frame.index[0]
    t.value(key, row)
    t.frame = t.frame.assign(**{key: ["x"] * len(t.frame)})
    assert t.value(key, row) == "x"


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.stem)
def test_direct_checks_find_what_pandera_validate_finds(path, monkeypatch):
    fast = _findings(path)
    monkeypatch.setattr(_pandera, "_direct_rows", lambda schema, frame, out: None)
    assert _findings(path) == fast


def test_direct_checks_match_validate_on_random_frames():
    from kinerja_validators import iku, pk

    rng = random.Random(13)
    failing = 0
    for _ in range(200):
        n = rng.randint(1, 12)
        rows = list(range(5, 5 + n))
        money = pd.array([rng.choice([None, rng.randint(0, 9) * 1000]) for _ in rows], dtype="Int64")
        pk_frame = pd.DataFrame({"anggaran": money, "total": [rng.random() < 0.2 for _ in rows]}, index=rows)
        num = lambda: pd.array([rng.choice([None, rng.uniform(0, 200), 0.0]) for _ in rows], dtype="Float64")
        iku_frame = pd.DataFrame({"target": num(), "realisasi": num(), "capaian": num(),
                                  "negative": [rng.random() < 0.3 for _ in rows]}, index=rows)
        for schema, frame in ((pk.pandera_schema(rule_cases=True), pk_frame),
                              (iku.pandera_schema(rule_cases=True), iku_frame)):
            direct = _pandera.failing_rows(schema, frame.copy())
            out = {name: [] for name in _pandera.check_names(schema)}
            assert _pandera._direct_rows(schema, frame.copy(), out) is not None
            slow = _slow_failing_rows(schema, frame.copy())
            assert direct == slow
            failing += sum(map(len, direct.values()))
    assert failing > 50  # the frames do break the identities, not only pass them


def _slow_failing_rows(schema, frame):
    original = _pandera._direct_rows
    try:
        _pandera._direct_rows = lambda schema, frame, out: None
        return _pandera.failing_rows(schema, frame)
    finally:
        _pandera._direct_rows = original


def test_normalize_keeps_numbers_apart_and_matches_the_uncached_fold():
    assert names.normalize(1) == "1" and names.normalize(1.0) == "1 0" and names.normalize(None) == ""
    for text in ("Presentase  Desa (tepat-waktu).", "ＰＥＲＳＥＮＴＡＳＥ", "prosentase Pelayanan", ""):
        assert names.normalize(text) == names._normalize_text.__wrapped__(text)
