"""Benchmark: the ribbon's *Periksa* through an xlwings Book, and the write calls it makes.

    python bench/addin.py                      # 1.000 and 10.000 rows, best of 3
    python bench/addin.py --sizes 1000,10000,50000 --repeat 1
    python bench/addin.py --sizes 0            # only the button press on the bundled example

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
Then the button press on the bundled example ``contoh-lumajang-tw3-2021.xlsx``
as a clerk makes it, from the entry point (``kinerja_xl.addin.entry.periksa``,
what ``kinerja_xl.addin.periksa.main()`` runs) to the recorded actions
(``book.json()``), split into its stages (``Outcome.phases``):

  imports     the modules a press needs, imported on the first press only
  kinds       table kinds, rule registry, header vocabularies (cached per process)
  read        every sheet read from the Book once, in bulk
  rules       validation and computation (schemas and patterns built on first use)
  write-back  clearing an earlier annotation, the plan, the painter's calls
  actions     serialising the recorded actions (remote mode's reply to Excel)

- *first press*: a fresh Python per press, as RunPython starts one when
  xlwings' "Use UDF Server" is off (best of ``--press-repeat`` processes);
  the line before it is what that Python pays before our code runs
  (interpreter start + ``import xlwings``);
- *second press*: the same process again, as with "Use UDF Server" on
  (``kinerja-xl addin build`` sets it): nothing is imported or loaded again.

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


EXAMPLE = HERE.parent / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"
STAGES = ("imports", "kinds", "read", "rules", "write-back", "actions")


def press_child(payload_path: str, presses: int) -> None:
    """In a fresh Python: press Periksa ``presses`` times on the payload's Book; print each press's stages as JSON."""
    import json

    text = Path(payload_path).read_text(encoding="utf-8")
    import xlwings as xw

    from kinerja_xl.testing.fake_excel import remote_engine

    remote_engine()
    out = []
    for _ in range(presses):
        book = xw.Book(json=json.loads(text))  # a fresh copy: the Book records its changes into the dict
        book.set_mock_caller()
        before = set(sys.modules)
        t = time.perf_counter()
        from kinerja_xl.addin import entry

        outcome = entry.periksa()
        t_press = time.perf_counter()
        book.json()
        end = time.perf_counter()
        assert outcome.ok, outcome.message
        phases = dict(getattr(outcome, "phases", {}))  # (older versions did not split)
        phases["actions"] = end - t_press
        out.append({"total": end - t, "phases": phases, "findings": outcome.findings,
                    "modules": len(set(sys.modules) - before)})
    print(json.dumps(out))


def press_split(repeat: int) -> tuple[dict, dict, float]:
    """(first press, second press, interpreter + ``import xlwings``), each the best of ``repeat`` fresh processes."""
    import json
    import tempfile

    from kinerja_xl.testing.fake_excel import payload_from_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "payload.json"
        path.write_text(json.dumps(payload_from_file(EXAMPLE), default=str), encoding="utf-8")
        runs = []
        for _ in range(repeat):
            done = subprocess.run([sys.executable, __file__, "--press-child", str(path)], capture_output=True,
                                  text=True, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    first = min((r[0] for r in runs), key=lambda p: p["total"])
    second = min((r[1] for r in runs), key=lambda p: p["total"])
    return first, second, startup(repeat)


def startup(repeat: int = 3) -> float:
    """What RunPython's fresh Python pays before our code: the interpreter and ``import xlwings`` (whole process)."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import xlwings"], check=True)
        out.append(time.perf_counter() - t)
    return min(out)


def show_presses(first: dict, second: dict, python: float) -> None:
    print(f"\nButton press, Periksa on {EXAMPLE.name} ({first['findings']} findings), seconds:")
    print(f"{'':34} {'total':>6} " + " ".join(f"{s:>10}" for s in STAGES) + "  modules imported")
    print(f"{'fresh Python + import xlwings':34} {python:6.3f}")
    for name, p in (("first press (fresh Python)", first), ("second press (same Python)", second)):
        print(f"{name:34} {p['total']:6.3f} " + " ".join(f"{p['phases'].get(s, 0.0):10.3f}" for s in STAGES)
              + f"  {p['modules']:>6}")
    print(f"a press without 'Use UDF Server' costs ~{python + first['total']:.2f} s (a new Python each time); "
          f"with it, ~{second['total']:.2f} s from the second press on.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--press-repeat", type=int, default=3, help="fresh processes for the button press (best of)")
    ap.add_argument("--press-child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.press_child:
        press_child(args.press_child, 2)
        return
    from kinerja_xl.testing.fake_excel import remote_engine

    remote_engine()
    results = [measure(int(s), args.repeat) for s in args.sizes.split(",") if int(s) > 0]
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
    show_presses(*press_split(args.press_repeat))


if __name__ == "__main__":
    main()
