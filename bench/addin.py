"""Benchmark: the ribbon's *Periksa* through an xlwings Book, and the write calls it makes.

    python bench/addin.py                      # 1.000 and 10.000 rows, best of 3
    python bench/addin.py --sizes 1000,10000,50000 --repeat 1

For each size (realisasi workbooks from ``bench/_gen.py``, ~1% wrong cells,
cached in ``bench/out/``) the workbook is turned into the JSON an Excel client
sends and opened as a real ``xw.Book`` (xlwings' remote mode; no Excel
needed). Printed side by side:

  validate    ``runner.validate_file`` on the .xlsx (the CLI's check, no painting)
  periksa     ``kinerja_xl.addin.entry.periksa`` on the Book: read every sheet,
              check, paint fills/notes, write the Temuan and state sheets
  again       *Periksa* pressed a second time (clear the first annotation, then repaint)
  bersihkan   *Bersihkan* after that

and the write actions *Periksa* emitted, by kind, against what one action per
cell would have cost (fills and values per cell, one hyperlink per finding).
A last line gives the start-up a button press pays when RunPython starts a
fresh Python: importing what *Periksa* imports.

Remote mode is part of xlwings.pro: this script sets
``XLWINGS_LICENSE_KEY=noncommercial`` (PolyForm Noncommercial) for itself.
The add-in on the desktop needs no key.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _timing import best  # noqa: E402

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")




def measure(rows: int, repeat: int) -> dict:
    from _gen import cached_realisasi

    from kinerja_xl.addin import entry
    from kinerja_xl.testing.fake_excel import FakeExcel, payload_from_file
    from kinerja_xl.runner import validate_file

    gen = cached_realisasi(rows)
    payload = payload_from_file(gen.path)
    t_validate, report = best(lambda: validate_file(gen.path), repeat, clock=time.perf_counter)

    def press(excel: FakeExcel, button):
        book = excel.book()
        t = time.perf_counter()
        outcome = button()
        seconds = time.perf_counter() - t
        actions = book.json()["actions"]
        return seconds, outcome, actions

    runs = []
    for _ in range(repeat):
        excel = FakeExcel.from_payload(payload)
        t1, outcome, actions = press(excel, entry.periksa)
        assert outcome.ok, outcome.message
        excel.apply(actions)
        t2, again, _ = press(excel, entry.periksa)
        assert again.ok, again.message
        excel.apply(_)
        t3, cleared, _ = press(excel, entry.bersihkan)
        assert cleared.ok, cleared.message
        runs.append((t1, t2, t3, outcome, actions))
    t1 = min(r[0] for r in runs)
    t2 = min(r[1] for r in runs)
    t3 = min(r[2] for r in runs)
    _, _, _, outcome, actions = runs[0]
    kinds = Counter(a["func"] for a in actions)
    marked = {(f.sheet, f.cell) for f in outcome.report.findings if f.sheet and f.cell and f.severity.value != "info"}
    per_cell = len(marked) + sum(1 for f in outcome.report.findings if f.cell) + kinds["addNote"]
    return {
        "rows": rows, "findings": outcome.findings, "cli_findings": len(report.findings),
        "validate": t_validate, "periksa": t1, "again": t2, "bersihkan": t3,
        "actions": len(actions), "kinds": kinds, "filled_cells": len(marked), "per_cell": per_cell,
    }


def startup() -> float:
    code = ("import time; t=time.perf_counter(); import xlwings, kinerja_xl.addin.entry, kinerja_xl.runner, "
            "kinerja_xl.addin.painter, kinerja_xl.writeback.plan, kinerja_validators, kinerja_xl.kinds; "
            "print(time.perf_counter()-t)")
    out = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
           for _ in range(3)]
    return min(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from kinerja_xl.testing.fake_excel import remote_engine

    remote_engine()
    results = [measure(int(s), args.repeat) for s in args.sizes.split(",")]
    print(f"{'rows':>8} {'findings':>8} {'validate':>9} {'periksa':>9} {'again':>9} {'bersihkan':>9} "
          f"{'actions':>8} {'per-cell':>8}  fills (cells)   setValues  addNote  other")
    for r in results:
        k = r["kinds"]
        fills = k["setRangeColor"] + k["setRangeColors"]
        other = r["actions"] - fills - k["setValues"] - k["addNote"]
        same = "" if r["findings"] == r["cli_findings"] else f"  (CLI: {r['cli_findings']})"
        print(f"{r['rows']:>8,} {r['findings']:>8,} {r['validate']:>8.2f}s {r['periksa']:>8.2f}s {r['again']:>8.2f}s "
              f"{r['bersihkan']:>8.2f}s {r['actions']:>8,} {r['per_cell']:>8,}  {fills:>5} ({r['filled_cells']:>5,})"
              f"   {k['setValues']:>9}  {k['addNote']:>7}  {other:>5}{same}")
    print(f"start-up (fresh Python importing what Periksa imports): {startup():.2f} s")


if __name__ == "__main__":
    main()
