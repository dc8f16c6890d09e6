"""Benchmark: finding relations in a wide, long numeric block, beside a plain calamine read.

    python bench/relations.py                      # 50 columns × 10.000 rows
    python bench/relations.py --cols 50 --rows 100000
    python bench/relations.py --profile            # cProfile of the relation search, top functions

The block is random independent amounts plus a few derived columns (a sum,
a difference, a percentage), as a realistic LRA-like table would have, and
one broken row per derived column. Prints CPU seconds (best of --repeat) for:
the calamine read of the same sheet (saved once to bench/out/), numeric_blocks
on the rows it gave, and find_relations on the block, plus the search's work
counters (combinations screened on the sample, candidates verified on all rows).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kinerja_xl.relations import Work, find_relations, numeric_blocks


def make_rows(n_cols: int, n_rows: int, seed: int = 7) -> list[list]:
    rng = random.Random(seed)
    base = n_cols - 3
    header = ["KODE", "URAIAN", *[f"AKUN {i}" for i in range(1, base - 1)], "ANGGARAN", "REALISASI", "JUMLAH", "SISA", "%"]
    rows = [["TABEL UJI"], [], header]
    for r in range(n_rows):
        amounts = [rng.randrange(1, 10**9) for _ in range(base - 3)]
        anggaran = rng.randrange(10**6, 10**10)
        realisasi = rng.randrange(0, anggaran)
        jumlah = anggaran + amounts[0]
        sisa = anggaran - realisasi
        pct = round(realisasi / anggaran * 100, 2)
        if r % 997 == 5:
            sisa += 1000  # one broken row now and then
        rows.append([f"{r + 1}.", f"Rincian {r + 1}", *amounts, anggaran, realisasi, jumlah, sisa, pct])
    return rows


def cpu(fn, repeat: int):
    best, out = None, None
    for _ in range(repeat):
        t = time.process_time()
        out = fn()
        dt = time.process_time() - t
        best = dt if best is None else min(best, dt)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cols", type=int, default=50)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    rows = make_rows(args.cols, args.rows)
    out = HERE / "out" / f"relations-{args.cols}x{args.rows}.xlsx"
    if not out.exists():
        from openpyxl import Workbook

        out.parent.mkdir(parents=True, exist_ok=True)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Tabel")
        for row in rows:
            ws.append(row)
        wb.save(out)
    from python_calamine import CalamineWorkbook

    t_read, read = cpu(lambda: CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Tabel").to_python(), args.repeat)
    read = [[None if v == "" else v for v in r] for r in read]
    t_blocks, blocks = cpu(lambda: numeric_blocks(read), args.repeat)
    block = max(blocks, key=lambda b: b.n_rows)
    work = Work()
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        find_relations(block, work=work)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(15)
        return
    t_rel, rels = cpu(lambda: find_relations(block, work=work), args.repeat)
    cells = block.n_rows * len(block.columns)
    print(f"block: {block.n_rows} rows × {len(block.columns)} numeric columns = {cells} cells")
    print(f"calamine read     {t_read:7.3f} s CPU")
    print(f"numeric_blocks    {t_blocks:7.3f} s CPU")
    print(f"find_relations    {t_rel:7.3f} s CPU  ({len(rels)} relations, {sum(len(r.violations) for r in rels)} rows flagged)")
    print(f"work (last run / {args.repeat}): screened {work.screened // args.repeat}, verified {work.verified // args.repeat}, "
          f"row checks {work.cells_checked // args.repeat}, sample rows {work.sample_rows}")


if __name__ == "__main__":
    main()
