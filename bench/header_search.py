"""Header search on sheets that are not reports: time beside a plain calamine read.

The sheet is the shape of SheetJS's ``large_strings.xlsx`` test file (10.000 rows × 17 columns
of ever longer texts), rebuilt by ``tests/pathological.py``, plus a sheet of short texts that
are all different. Before header search folded each text once and matched each label once,
``kinerja-xl validate`` took about a minute on the original file.

    python bench/header_search.py [--rows 10000] [more.xlsx ...]

Files named on the command line (e.g. ``large_strings.xlsx`` from github.com/SheetJS/test_files)
are measured too. The generated long texts repeat so much that the zip-bomb check would refuse
them (a part inflating over 200×): the bench raises that one limit.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


def main() -> None:
    from pathological import distinct_texts_rows, large_strings_rows, write_rows
    from python_calamine import CalamineWorkbook

    from kinerja_xl.runner import validate_file
    from kinerja_xl.workbook.safety import Limits

    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    cases = {
        "long texts": out / f"large_strings_{args.rows}.xlsx",
        "distinct texts": out / f"distinct_texts_{args.rows}.xlsx",
    }
    if not cases["long texts"].exists():
        write_rows(cases["long texts"], {"Large Strings": large_strings_rows(args.rows)})
    if not cases["distinct texts"].exists():
        write_rows(cases["distinct texts"], {"Teks": distinct_texts_rows(args.rows)})
    cases.update({f.name: f for f in args.files})
    print(f"{'sheet':<16} {'cells':>9} {'calamine read':>14} {'validate':>10} {'validate CPU':>13}")
    for name, path in cases.items():
        t = time.perf_counter()
        book = CalamineWorkbook.from_path(str(path))
        rows = [book.get_sheet_by_name(s).to_python() for s in book.sheet_names]
        read = time.perf_counter() - t
        t, c = time.perf_counter(), time.process_time()
        report = validate_file(path, limits=Limits(max_ratio=10_000))
        assert report.error is None, report.error.message("en")
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        print(f"{name:<16} {sum(len(r) for s in rows for r in s):>9,} {read:>13.2f}s {wall:>9.2f}s {cpu:>12.2f}s")


if __name__ == "__main__":
    main()
