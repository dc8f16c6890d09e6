"""Benchmark: the seed-sized workbook, the one people actually have.

    python bench/seed.py                          # the bundled example, median of 21
    python bench/seed.py --repeat 51 FILE.xlsx
    python bench/seed.py --profile validate       # cProfile top list of one step
    python bench/seed.py --no-process             # skip the whole-process runs

In one warm process (the package imported, every step run once before
timing), it prints side by side the median wall and CPU time of:

  calamine   a python-calamine read of every sheet of the file
             (``CalamineWorkbook.from_path(p)`` then ``to_python()`` per sheet)
  validate   ``kinerja_xl.runner.validate_file``
  hitung     ``kinerja_xl.kinds.compute_all`` over the report's tables
             (what ``kinerja-xl hitung`` and ``periksa`` compute)
  plan       ``kinerja_xl.writeback.plan.build_plan`` (what ``periksa``
             decides before painting the copy)

with each one's ratio to the calamine read. The steps are measured
interleaved (one round runs each step once), so a neighbour's burst of load
lands on all of them alike; the ratios of one run are what to compare.
Then ``validate_file`` split by phase: locate (finding the tables and
building their frames), rules, coverage and the rest (opening and reading
the file, the read-issue and relation findings, sorting).

A second table gives whole processes (median of ``--process-repeat``):
``python -c pass``, ``python -c "import pandas"``, ``kinerja-xl --help`` and
``kinerja-xl validate FILE --format json``, with the ratio to the pandas
import; CPU time is the child's user + system time. The package's bytecode
is written first (``compileall``), as a wheel install does, so an editable
checkout run with ``PYTHONDONTWRITEBYTECODE`` is not timed compiling itself.
Last, ``validate_file`` timed as the first file of a fresh process: the warm
figure plus what each CLI run pays once (regexes compiled, schemas built,
header labels matched for the first time).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"


def calamine_read(path: Path):
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return [wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]


def steps(path: Path):
    """name -> zero-argument callable, in the order they are timed."""
    from kinerja_xl.config import Config
    from kinerja_xl.kinds import compute_all
    from kinerja_xl.runner import validate_file
    from kinerja_xl.writeback.plan import build_plan

    config = Config()
    report = validate_file(path, config)
    computed = compute_all(report.tables, config)
    return {
        "calamine": lambda: calamine_read(path),
        "validate": lambda: validate_file(path, config),
        "hitung": lambda: compute_all(report.tables, config),
        "plan": lambda: build_plan(report, computed, config),
    }


def in_process(path: Path, repeat: int) -> dict[str, tuple[float, float]]:
    fns = steps(path)
    for fn in fns.values():  # warm: first-call imports and caches are start-up, not per-file cost
        fn()
    wall: dict[str, list[float]] = {k: [] for k in fns}
    cpu: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t, c = time.perf_counter(), time.process_time()
            fn()
            cpu[name].append(time.process_time() - c)
            wall[name].append(time.perf_counter() - t)
    return {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in fns}


PHASES = {"locate": "find_tables", "rules": "run_rules", "coverage": "add_coverage"}


def phases(path: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU time of each phase of ``validate_file``: locate (``find_tables``: the
    header search, the tables' extent, their frames), rules (``run_rules``), coverage
    (``add_coverage``) and the rest (opening the file, reading its sheets, the read-issue and
    relation findings, exceptions, sorting), measured by wrapping the runner's calls."""
    from kinerja_xl import runner

    spent: dict[str, list[float]] = {}

    def timed(name: str, fn):
        def run(*args, **kwargs):
            t, c = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name][0] += time.perf_counter() - t
                spent[name][1] += time.process_time() - c
        return run

    originals = {attr: getattr(runner, attr) for attr in PHASES.values()}
    wall: dict[str, list[float]] = {k: [] for k in (*PHASES, "rest", "validate")}
    cpu: dict[str, list[float]] = {k: [] for k in wall}
    try:
        for name, attr in PHASES.items():
            setattr(runner, attr, timed(name, originals[attr]))
        spent.update({name: [0.0, 0.0] for name in PHASES})
        runner.validate_file(path)
        for _ in range(repeat):
            spent.update({name: [0.0, 0.0] for name in PHASES})
            t, c = time.perf_counter(), time.process_time()
            runner.validate_file(path)
            total_wall, total_cpu = time.perf_counter() - t, time.process_time() - c
            for name in PHASES:
                wall[name].append(spent[name][0])
                cpu[name].append(spent[name][1])
            wall["rest"].append(total_wall - sum(spent[name][0] for name in PHASES))
            cpu["rest"].append(total_cpu - sum(spent[name][1] for name in PHASES))
            wall["validate"].append(total_wall)
            cpu["validate"].append(total_cpu)
    finally:
        for attr, fn in originals.items():
            setattr(runner, attr, fn)
    return {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in wall}


def _cli() -> list[str]:
    exe = shutil.which("kinerja-xl")
    return [exe] if exe else [sys.executable, "-m", "kinerja_xl.cli"]


def compile_package() -> None:
    """Write the package's bytecode, as installing a wheel does: with PYTHONDONTWRITEBYTECODE set
    (or a read-only tree) every process would otherwise compile the ~70 modules a validate run
    imports from source, ~0,1 s that no installed copy pays."""
    import compileall

    for folder in ("kinerja_xl", "validators"):
        compileall.compile_dir(ROOT / folder, quiet=2)


def whole_process(path: Path, repeat: int) -> dict[str, tuple[float, float]]:
    compile_package()
    cmds = {
        "python -c pass": [sys.executable, "-c", "pass"],
        'python -c "import pandas"': [sys.executable, "-c", "import pandas"],
        "kinerja-xl --help": [*_cli(), "--help"],
        "kinerja-xl validate EXAMPLE --format json": [*_cli(), "validate", str(path), "--format", "json"],
    }
    wall: dict[str, list[float]] = {k: [] for k in cmds}
    cpu: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            t = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, _, ru = os.wait4(proc.pid, 0)
            wall[name].append(time.perf_counter() - t)
            cpu[name].append(ru.ru_utime + ru.ru_stime)
    return {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in cmds}


_FIRST_CALL = """
import sys, time
import pandas, pandera.pandas  # imported lazily by the rules: start-up, not the first file's cost
from kinerja_xl.runner import validate_file
from kinerja_xl.kinds import load_kinds
load_kinds()
t, c = time.perf_counter(), time.process_time()
validate_file(sys.argv[1])
print(time.perf_counter() - t, time.process_time() - c)
"""


def first_call(path: Path, repeat: int) -> tuple[float, float]:
    """Median wall and CPU time of ``validate_file`` as the first file of a fresh process (pandas,
    pandera, the package and the table kinds imported): what a CLI run pays beyond the warm figure, for the
    regexes compiled, the schemas built and the label memo filled."""
    wall, cpu = [], []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _FIRST_CALL, str(path)], capture_output=True, text=True,
                             check=True).stdout.split()
        wall.append(float(out[0]))
        cpu.append(float(out[1]))
    return statistics.median(wall), statistics.median(cpu)


def ms(t: float) -> str:
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"


def table(rows: dict[str, tuple[float, float]], base: str, title: str) -> None:
    bw, bc = rows[base]
    print(f"\n{title}\n")
    print(f"| step | wall | CPU | ÷ {base} (wall) | ÷ {base} (CPU) |")
    print("|---|---|---|---|---|")
    for name, (w, c) in rows.items():
        print(f"| {name} | {ms(w)} | {ms(c)} | {w / bw:.1f}× | {c / bc:.1f}× |")


def profile(path: Path, step: str, repeat: int, top: int) -> None:
    fns = steps(path)
    fn = fns[step]
    fn()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(repeat):
        fn()
    prof.disable()
    stats = pstats.Stats(prof)
    print(f"cProfile of {step} × {repeat} on {path.name}")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", type=Path, default=EXAMPLE)
    ap.add_argument("--repeat", type=int, default=21, help="in-process rounds (median)")
    ap.add_argument("--process-repeat", type=int, default=7, help="whole-process runs (median)")
    ap.add_argument("--no-process", action="store_true", help="skip the whole-process table")
    ap.add_argument("--profile", choices=("validate", "hitung", "plan"), help="cProfile one step instead")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args(argv)
    if args.profile:
        profile(args.file, args.profile, args.repeat, args.top)
        return
    print(f"{args.file.name}: in-process medians of {args.repeat} interleaved rounds, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    table(in_process(args.file, args.repeat), "calamine", "In one warm process")
    split = phases(args.file, args.repeat)
    print(f"\n`validate_file` by phase (medians of {args.repeat}; each phase's own median, so they need not add up)\n")
    print("| phase | wall | CPU |")
    print("|---|---|---|")
    for name, (w, c) in split.items():
        print(f"| {name} | {ms(w)} | {ms(c)} |")
    if not args.no_process:
        table(whole_process(args.file, args.process_repeat), 'python -c "import pandas"',
              f"Whole processes (median of {args.process_repeat}; CPU = child user + system)")
        w, c = first_call(args.file, args.process_repeat)
        print(f"\n`validate_file` as the first file of a fresh process (median of {args.process_repeat}): "
              f"{ms(w)} wall, {ms(c)} CPU")


if __name__ == "__main__":
    main()
