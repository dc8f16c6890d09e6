"""Benchmark: summarising a raw survey-responses sheet (SKM), vectorised against a per-cell loop.

    python bench/skm_responses.py                        # 1.000, 10.000, 50.000 respondents × 20 questions
    python bench/skm_responses.py --sizes 2000 --repeat 5

For each size it writes a responses sheet (``No | Responden | P1 … P20``,
scores 1–4 with ~14% blanks; cached in ``bench/out/``), reads it once with
``validate_file`` (what a user pays in total, KX6xx rules included, and
without them), then times side by side, best of ``--repeat`` CPU seconds:

  summarize  ``kinerja_validators.skm.summarize_responses`` (pandas column
             operations, what the rules and ``hitung`` use; it is kept on the
             table after the first call, so the uncached reading is timed)
  per-cell   the same sums with a Python loop over ``frame.at[row, col]``
             (the first implementation: 14,7 s at 20.000 × 20)

Both must give the same totals; the script checks that.
"""

from __future__ import annotations

import argparse
import random
from fractions import Fraction
from pathlib import Path

from _timing import best  # bench/ is on the path when a script runs

HERE = Path(__file__).resolve().parent
QUESTIONS = 20


def make(n: int) -> Path:
    path = HERE / "out" / f"skm_responses_{n}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data Responden")
    ws.append(["No", "Responden"] + [f"P{i}" for i in range(1, QUESTIONS + 1)])
    rnd = random.Random(n)
    for i in range(n):
        ws.append([i + 1, f"R{i + 1}"] + [rnd.choice((1, 2, 3, 3, 4, 4, None)) for _ in range(QUESTIONS)])
    wb.save(path)
    return path


def per_cell(table) -> dict[int, Fraction]:
    """The straightforward loop, for comparison."""
    import pandas as pd

    totals = {}
    for key in (k for k in table.columns if k.startswith("q_")):
        total = Fraction(0)
        for row in table.frame.index:
            v = table.frame.at[row, key]
            if v is not None and not pd.isna(v) and v in (1, 2, 3, 4):
                total += Fraction(int(v))
        totals[int(key[2:])] = total
    return totals




def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from kinerja_validators.skm.responses import _summarize_responses as summarize_responses  # not the per-table cache

    from kinerja_xl.config import Config
    from kinerja_xl.runner import validate_file

    validate_file(make(100))  # warm-up: lazy imports are not the survey's cost
    print(f"{'respondents':>12} {'validate':>9} {'w/o KX6':>9} {'summarize':>10} {'per-cell':>9}   (CPU s, best of {args.repeat})")
    for n in (int(s) for s in args.sizes.split(",")):
        path = make(n)
        t_all, report = best(lambda p=path: validate_file(p), 1)
        t_without, _ = best(lambda p=path: validate_file(p, Config(ignore=("KX6",))), 1)
        table = report.tables_of("skm_responden")[0]
        t_fast, summary = best(lambda t=table: summarize_responses(t), args.repeat)
        t_slow, totals = best(lambda t=table: per_cell(t), 1 if n > 10000 else args.repeat)
        assert {k: q.total for k, q in summary.questions.items()} == totals, "the two sums differ"
        print(f"{n:>12} {t_all:>9.2f} {t_without:>9.2f} {t_fast:>10.3f} {t_slow:>9.2f}")


if __name__ == "__main__":
    main()
