"""Benchmark: this checkout's validate_file against another installed version, alternately, on one workbook.

    git worktree add /tmp/old 443b14a && python -m venv /tmp/old-venv \
        && /tmp/old-venv/bin/pip install -e /tmp/old
    python bench/versus.py /tmp/old-venv/bin/python                # 100.000 rows, 3 rounds
    python bench/versus.py /tmp/old-venv/bin/python --rows 10000 --rounds 5

"Not slower than before" is a claim about code, and figures written down on another day compare machine
states as much as code (this VM's calamine read of the 100.000-row workbook has measured 321 ms one week
and 372-459 ms another). Each round starts a fresh process per version (A B A B ...), each warms up on the
bundled example, then times `validate_file` (best of 3) beside a python-calamine read of the same sheet.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

_CHILD = r"""
import json, os, sys, time
path, sheet = sys.argv[1], sys.argv[2]
import pandas  # noqa: F401 -- imports are not what is compared
import kinerja_xl
from kinerja_xl.runner import validate_file
from python_calamine import CalamineWorkbook
root = os.path.dirname(os.path.dirname(kinerja_xl.__file__))
validate_file(os.path.join(root, "xlsx_templates", "contoh-lumajang-tw3-2021.xlsx"))
def best(fn, n=3):
    bw = bc = float("inf")
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        bw, bc = min(bw, time.perf_counter() - w), min(bc, time.process_time() - c)
    return bw, bc, out
cw, cc, _ = best(lambda: CalamineWorkbook.from_path(path).get_sheet_by_name(sheet).to_python())
vw, vc, report = best(lambda: validate_file(path))
print(json.dumps({"root": root, "validate": vw, "cpu": vc, "calamine": cw, "findings": len(report.findings)}))
"""


def run(python: str, path: Path, sheet: str) -> dict:
    import json

    import tempfile

    # run outside the checkout: `python -c` puts the working folder first on sys.path
    out = subprocess.run([python, "-c", _CHILD, str(path), sheet], capture_output=True, text=True, check=True,
                         cwd=tempfile.gettempdir())
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("other", help="the python of the other version's environment")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from _gen import cached_realisasi

    gen = cached_realisasi(args.rows)
    print(f"{gen.path.name}: {args.rows:,} rows; validate_file best of 3 per process, versions alternating")
    print("| round | version | validate wall | CPU | calamine | ÷ calamine (wall) | findings |")
    print("|---|---|---|---|---|---|---|")
    for i in range(1, args.rounds + 1):
        for python in (args.other, sys.executable):
            r = run(python, gen.path, gen.sheet)
            print(f"| {i} | {r['root']} | {r['validate'] * 1000:.0f} ms | {r['cpu'] * 1000:.0f} ms "
                  f"| {r['calamine'] * 1000:.0f} ms | {r['validate'] / r['calamine']:.2f}× | {r['findings']} |")


if __name__ == "__main__":
    main()
