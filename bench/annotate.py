"""Annotate time for realisasi workbooks of 1.000 / 10.000 / 100.000 rows, beside openpyxl.

For each size (workbooks from ``bench/_gen.py``: ~1% wrong cells, sisa
formulas with cached values, Indonesian text numbers), best of ``--repeat``
runs, in CPU seconds of the process (``--wall`` for wall-clock time):

- ``validate``: ``validate_file`` (what ``kinerja-xl validate`` does);
- ``plan``: ``compute_all`` + ``build_plan``;
- ``paint+save``: the lossless ``FilePainter`` (marks, notes, Temuan, state,
  write the zip);
- ``periksa``: the whole ``annotate_file`` (= validate + plan + paint + save);
- ``clear``: ``clear_file`` on the annotated copy;
- ``openpyxl load+save``: a bare ``load_workbook`` + ``save`` of the same file
  (the floor of any openpyxl-based write-back, which would also lose the
  cached values of every formula);
- ``openpyxl mark+save``: load, fill the same cells and add the same notes, save.

Run: ``python bench/annotate.py [--sizes 1000,10000,100000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _gen import cached_realisasi  # noqa: E402


CLOCK = time.process_time  # CPU seconds of this process: steady on a shared machine (all steps are single-threaded)


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = CLOCK()
        result = fn()
        times.append(CLOCK() - t)
    return min(times), result


def run(sizes: list[int], repeat: int, openpyxl_max: int) -> None:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    from kinerja_xl.kinds import compute_all
    from kinerja_xl.config import Config
    from kinerja_xl.runner import validate_file
    from kinerja_xl.writeback.annotate import annotate_file, clear_file
    from kinerja_xl.writeback.files import FilePainter
    from kinerja_xl.gcpause import gc_paused
    from kinerja_xl.writeback.plan import apply_plan, build_plan

    cfg = Config()
    header = ("rows", "wrong cells", "findings", "marks", "validate", "plan", "paint+save", "periksa", "clear",
              "openpyxl load+save", "openpyxl mark+save")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in sizes:
            gen = cached_realisasi(n)
            src = gen.path
            reps = repeat if n < 100_000 else 1
            t_validate, report = best(lambda: validate_file(src, cfg), reps)
            t_plan, plan = best(lambda: build_plan(report, compute_all(report.tables, cfg), cfg), reps)

            def paint():  # as annotate_file does it
                with gc_paused():
                    painter = FilePainter(src)
                    apply_plan(painter, plan)
                    return painter.save(tmp / "paint.xlsx")

            t_paint, _ = best(paint, reps)
            out = tmp / "periksa.xlsx"
            t_total, _ = best(lambda: annotate_file(src, out, cfg), reps)
            t_clear, _ = best(lambda: clear_file(out, tmp / "bersih.xlsx"), reps)

            if n <= openpyxl_max:
                def bare():
                    wb = openpyxl.load_workbook(src)
                    wb.save(tmp / "openpyxl.xlsx")

                def marked():
                    wb = openpyxl.load_workbook(src)
                    for m in plan.marks:
                        cell = wb[m.sheet][m.cell]
                        if m.fill:
                            cell.fill = PatternFill("solid", fgColor="FF" + m.fill)
                        cell.comment = Comment(m.note, "kinerja-xl")
                    wb.save(tmp / "openpyxl-marked.xlsx")

                t_bare, _ = best(bare, reps)
                t_marked, _ = best(marked, reps)
                opx = (f"{t_bare:.2f}", f"{t_marked:.2f}")
            else:
                opx = ("-", "-")
            print(" | ".join((f"{n:,}".replace(",", "."), str(len(gen.errors)), str(len(report.findings)),
                              str(len(plan.marks)), f"{t_validate:.2f}", f"{t_plan:.2f}", f"{t_paint:.2f}",
                              f"{t_total:.2f}", f"{t_clear:.2f}", *opx)), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--openpyxl-max", type=int, default=100_000, help="skip the openpyxl columns above this size")
    ap.add_argument("--wall", action="store_true", help="wall-clock seconds instead of CPU seconds")
    args = ap.parse_args()
    if args.wall:
        global CLOCK
        CLOCK = time.perf_counter
    print(f"seconds ({'wall clock' if args.wall else 'CPU'}), best of {args.repeat} (1 run at 100.000 rows)\n")
    run([int(s) for s in args.sizes.split(",")], args.repeat, args.openpyxl_max)


if __name__ == "__main__":
    main()
