"""Benchmark: validating a realisasi workbook against plainly reading it.

    python bench/read_validate.py                       # 1.000, 10.000, 100.000 rows, best of 3
    python bench/read_validate.py --sizes 1000,10000 --repeat 5
    python bench/read_validate.py --profile 100000      # cProfile of validate_file, top functions

For each size (workbooks from ``bench/_gen.py``, cached in ``bench/out/``) it
prints, side by side, the wall-clock and CPU time (each best of ``--repeat``)
and the peak resident memory of:

  cli        ``kinerja-xl validate FILE --format json`` as a subprocess (wall
             time, start-up included; peak RSS of the child from ``wait4``)
  validate   ``kinerja_xl.runner.validate_file`` in a process that has
             already imported the package
  calamine   ``CalamineWorkbook.from_path(p).get_sheet_by_name(n).to_python()``
  calamine-process
             the same read as a whole process (``python -c``: start-up, the
             python-calamine import and the read), the yardstick of ``cli``
  pandas     ``pandas.read_excel(p, sheet_name=n, engine="openpyxl", header=None)``

Every measurement runs in a fresh worker process (this script with
``--worker``), so peak memory is that process's own maximum RSS; "Δ" is the
peak minus the RSS after the imports, i.e. what the work itself costs.
A second table splits ``validate`` into read (calamine + formula scan) /
locate (header scan) / frame (building the pandas frames) / rules, and a third
gives start-up times. Targets: validate ≤ 2× the calamine read at 100.000 rows
in process; ``kinerja-xl validate`` ≤ 2× a whole-process calamine read at
100.000 rows, and at 1.000.000 rows ≤ 2,5× with a peak RSS ≤ 2 GB
(``--sizes 1000000 --repeat 1 --no-split``: generating that workbook once takes
a few minutes; the machine's load average is printed before and after).
CPU time is shown beside wall time because it stays meaningful on a busy
machine (several processes sharing 2 cores inflate wall time, not CPU time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

KINDS = ("cli", "validate", "calamine", "calamine-process", "pandas")


# --------------------------------------------------------------------------- worker side


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _best(fn, repeat: int):
    """(best wall seconds, best CPU seconds, last result) of ``repeat`` calls."""
    wall = cpu = float("inf")
    result = None
    for _ in range(repeat):
        result = None  # the previous result is garbage before the next run, as in one real run
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, time.process_time() - c)
    return wall, cpu, result


def _split(path: str, repeat: int, limits=None) -> dict[str, float]:
    """CPU seconds of validate_file's phases, each best of ``repeat``; mirrors runner.validate_source."""
    import contextlib

    from kinerja_xl import runner

    try:  # the GC state validate_source runs with (collector paused); older versions had it in runner
        from kinerja_xl.gcpause import gc_paused as paused
    except ImportError:
        paused = getattr(runner, "_gc_paused", contextlib.nullcontext)
    specs = runner.table_specs()
    best: dict[str, float] = {}

    def keep(name: str, t0: float) -> float:
        t1 = time.process_time()
        best[name] = min(best.get(name, float("inf")), t1 - t0)
        return t1

    for _ in range(repeat):
        with paused():
            _split_once(path, specs, keep, limits)
    return best


def _split_once(path: str, specs, keep, limits=None) -> None:
    from kinerja_xl.config import Config
    from kinerja_xl.runner import OUR_SHEETS, _read_issue_findings, run_rules
    from kinerja_xl.tables import build_table, locate_tables
    from kinerja_xl.workbook.files import open_workbook

    t = time.process_time()
    book = open_workbook(path, limits)
    sheets = [book.read_sheet(n) for n in book.sheet_names() if n not in OUR_SHEETS]
    keep("read", t)
    t = time.process_time()  # the formula scan alone (part of read)
    for s in sheets:
        book._formula_marks(s.name)
    keep("read: formula scan", t)
    book.close()
    t = time.process_time()
    located = [(s, loc) for s in sheets for loc in locate_tables(s, specs)]
    t = keep("locate", t)
    tables = [build_table(s, *loc) for s, loc in located]
    t = keep("frame", t)
    findings = [f for tb in tables for f in _read_issue_findings(tb)]
    findings += run_rules(tables, Config())
    keep("rules", t)


def worker(kind: str, path: str, sheet: str, repeat: int, split: bool = True, rows: int = 0) -> dict:
    if kind == "validate":
        import pandas  # noqa: F401  (imports are not what this column measures)

        from kinerja_xl.rules import load_rules
        from kinerja_xl.runner import validate_file
        from kinerja_xl.workbook.safety import Limits

        load_rules()
        example = HERE.parent / "xlsx_templates" / "contoh-lumajang-tw3-2021.xlsx"
        if example.exists():
            validate_file(example)  # first-use imports (pandera) are start-up, not this column
        base = _rss_mb()
        limits = Limits(max_rows=_max_rows(rows) or _DEFAULT_MAX_ROWS)  # as the CLI column is given
        t, c, report = _best(lambda: validate_file(path, limits=limits), repeat)
        if report.error is not None:
            raise SystemExit(f"{path}: {report.error.message('en')}")
        out = {"time": t, "cpu": c, "findings": len(report.findings), "base": base, "peak": _rss_mb()}
        if split:
            out["split"] = _split(path, repeat, limits)
        return out
    if kind == "calamine":
        from python_calamine import CalamineWorkbook

        base = _rss_mb()
        t, c, rows = _best(lambda: CalamineWorkbook.from_path(path).get_sheet_by_name(sheet).to_python(), repeat)
        return {"time": t, "cpu": c, "rows": len(rows), "base": base, "peak": _rss_mb()}
    if kind == "pandas":
        import openpyxl  # noqa: F401
        import pandas as pd

        base = _rss_mb()
        t, c, df = _best(lambda: pd.read_excel(path, sheet_name=sheet, engine="openpyxl", header=None), repeat)
        return {"time": t, "cpu": c, "rows": len(df), "base": base, "peak": _rss_mb()}
    raise SystemExit(f"unknown worker kind {kind}")


# --------------------------------------------------------------------------- parent side


# Linux starts a forked child's peak RSS at the parent's RSS, so a child of this
# (possibly large) process would report at least our own size. Every measured
# command is therefore started by a tiny launcher (``python -S``, ~8 MB) that
# forks, execs, times it and reads its peak RSS with wait4.
_LAUNCH = """
import os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
with open(out, "w") as fh:
    fh.write("%r %r %r %r" % (time.perf_counter() - t, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                              os.waitstatus_to_exitcode(status)))
"""


def _run(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS MB, exit code) of one child process."""
    import tempfile

    with tempfile.NamedTemporaryFile("r", suffix=".txt") as res:
        subprocess.run([sys.executable, "-S", "-c", _LAUNCH, res.name, *cmd], stdout=stdout,
                       stderr=subprocess.DEVNULL, check=True)
        wall, cpu, rss, code = res.read().split()
    return float(wall), float(cpu), float(rss), int(code)


def _cli() -> list[str]:
    exe = Path(sys.executable).parent / "kinerja-xl"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("kinerja-xl")
    return [found] if found else [sys.executable, "-m", "kinerja_xl.cli"]


# kinerja-xl refuses a sheet of more than 200.000 rows unless told otherwise (--max-rows)
_DEFAULT_MAX_ROWS = 200_000


def _max_rows(rows: int) -> int | None:
    """The --max-rows a workbook of ``rows`` data rows needs, None where the default admits it."""
    return None if rows + 100 <= _DEFAULT_MAX_ROWS else rows + 100


def measure_cli(path: Path, repeat: int, rows: int = 0) -> dict:
    wall, cpu, peak, code = float("inf"), float("inf"), 0.0, None
    out = path.with_suffix(".findings.json")
    extra = ["--max-rows", str(_max_rows(rows))] if _max_rows(rows) else []
    for _ in range(repeat):
        with open(out, "w") as fh:
            w, c, rss, code = _run(_cli() + ["validate", str(path), "--format", "json", *extra], stdout=fh)
        wall, cpu, peak = min(wall, w), min(cpu, c), max(peak, rss)
    try:
        doc = json.loads(out.read_text())
        findings = sum(len(f["findings"]) for f in doc["files"])
        refused = next((f["error"] for f in doc["files"] if f.get("error")), None)
    except (ValueError, KeyError):
        findings = refused = None
    if refused:  # a refusal is no measurement of the check
        return {"error": refused}
    return {"time": wall, "cpu": cpu, "peak": peak, "findings": findings, "exit": code}


_CALAMINE_READ = ("from python_calamine import CalamineWorkbook; import sys; "
                  "CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name(sys.argv[2]).to_python()")


def measure_process(cmd: list[str], repeat: int) -> dict:
    """Best wall and CPU time, and the largest peak RSS, of ``repeat`` runs of a whole process."""
    wall, cpu, peak = float("inf"), float("inf"), 0.0
    for _ in range(repeat):
        w, c, rss, _ = _run(cmd)
        wall, cpu, peak = min(wall, w), min(cpu, c), max(peak, rss)
    return {"time": wall, "cpu": cpu, "peak": peak}


def measure_worker(kind: str, path: Path, sheet: str, repeat: int, split: bool = True, rows: int = 0) -> dict:
    import tempfile

    if kind == "calamine-process":
        return measure_process([sys.executable, "-c", _CALAMINE_READ, str(path), sheet], repeat)
    cmd = [sys.executable, __file__, "--worker", kind, str(path), "--sheet", sheet, "--repeat", str(repeat),
           "--rows", str(rows)]
    if not split:
        cmd.append("--no-split")
    with tempfile.TemporaryFile("w+") as out:
        _, _, _, code = _run(cmd, stdout=out)
        out.seek(0)
        text = out.read()
    if code:
        return {"error": f"exit {code} (run: {' '.join(cmd)})"}
    return json.loads(text)  # its own peak RSS, taken before any extra work (the split)


def startup(repeat: int, small: Path) -> list[tuple[str, float, float, float]]:
    rows = []
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("python -c 'import kinerja_xl.cli'", [sys.executable, "-c", "import kinerja_xl.cli"]),
        # what every validate run imports before its rules can run, whatever it reads: the floor under the cli column
        ("python -c 'import pandas, pandera'", [sys.executable, "-c", "import pandas, pandera"]),
        ("kinerja-xl --help", _cli() + ["--help"]),
        (f"kinerja-xl validate {small.name} --format json", _cli() + ["validate", str(small), "--format", "json"]),
    ]
    for label, cmd in cases:
        wall, cpu, peak = float("inf"), float("inf"), 0.0
        for _ in range(max(repeat, 3)):
            w, c, rss, _ = _run(cmd)
            wall, cpu, peak = min(wall, w), min(cpu, c), max(peak, rss)
        rows.append((label, wall, cpu, peak))
    return rows


def _load() -> str:
    """The 1-minute load average, or '?' where the system does not tell."""
    try:
        return f"{os.getloadavg()[0]:.1f}".replace(".", ",")
    except OSError:
        return "?"


def fmt_t(t: float | None) -> str:
    if t is None:
        return "–"
    return f"{t * 1000:.0f} ms" if t < 1 else f"{t:.2f} s"


def cell(m: dict) -> str:
    if "error" in m:
        return f"failed: {m['error'][:40]}"
    s = f"{fmt_t(m['time'])} ({fmt_t(m['cpu'])}) / {m['peak']:.0f} MB"
    if "base" in m:
        s += f" (Δ {m['peak'] - m['base']:.0f})"
    return s


def ratio(a: dict, b: dict, key: str) -> str:
    return f"{a[key] / b[key]:.2f}×" if key in a and key in b else "–"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated row counts")
    ap.add_argument("--repeat", type=int, default=3, help="best of N (default 3)")
    ap.add_argument("--skip", default="",
                    help="comma-separated columns to skip (cli,validate,calamine,calamine-process,pandas)")
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up table")
    ap.add_argument("--no-split", action="store_true",
                    help="skip the in-process phase split (it runs validate_file --repeat times more)")
    ap.add_argument("--no-formulas", action="store_true", help="workbooks with plain values instead of sisa formulas")
    ap.add_argument("--distinct-names", action="store_true",
                    help="every uraian text different (bench/_gen.py distinct_names=True), as real names are")
    ap.add_argument("--profile", type=int, metavar="ROWS", help="cProfile validate_file on a workbook of ROWS rows and stop")
    ap.add_argument("--worker", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--sheet", default="", help=argparse.SUPPRESS)
    ap.add_argument("--rows", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1], args.sheet, args.repeat, not args.no_split, args.rows)))
        return

    from _gen import cached_realisasi

    options = {"formulas": False} if args.no_formulas else {}
    if args.distinct_names:
        options["distinct_names"] = True
    if args.profile:
        import cProfile
        import pstats

        from kinerja_xl.runner import validate_file

        gen = cached_realisasi(args.profile, **options)
        validate_file(gen.path)  # warm: imports
        prof = cProfile.Profile(time.process_time)  # CPU time: stable on a busy machine
        prof.runcall(validate_file, gen.path)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return

    sizes = [int(s.replace(".", "").replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    kinds = [k for k in KINDS if k not in skip]
    results: dict[int, dict[str, dict]] = {}
    gens = {}
    load_before = _load()
    for n in sizes:
        t = time.perf_counter()
        gen = gens[n] = cached_realisasi(n, **options)
        made = time.perf_counter() - t
        size_mb = gen.path.stat().st_size / 1_048_576
        print(f"# {n:>7,} rows: {gen.path.name} ({size_mb:.1f} MB, {len(gen.errors)} wrong cells"
              + (f", generated in {made:.1f} s" if made > 0.5 else "") + ")", file=sys.stderr, flush=True)
        res = results[n] = {}
        for kind in kinds:
            if kind == "cli":
                res[kind] = measure_cli(gen.path, args.repeat, n)
            else:
                res[kind] = measure_worker(kind, gen.path, gen.sheet, args.repeat, not args.no_split, n)
            print(f"#   {kind:<9} {cell(res[kind])}", file=sys.stderr, flush=True)

    print(f"\nWall time (CPU time), best of {args.repeat} / peak RSS of the process (Δ = peak − RSS after imports);"
          f" load average {load_before} before, {_load()} after\n")
    head = (["rows"] + kinds + ["validate ÷ calamine (wall, cpu)", "cli ÷ calamine-process (wall, cpu)"])
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for n in sizes:
        res = results[n]
        cal, proc = res.get("calamine", {}), res.get("calamine-process", {})
        ratios = [f"{ratio(res.get('validate', {}), cal, 'time')}, {ratio(res.get('validate', {}), cal, 'cpu')}",
                  f"{ratio(res.get('cli', {}), proc, 'time')}, {ratio(res.get('cli', {}), proc, 'cpu')}"]
        print("| " + " | ".join([f"{n:,}".replace(",", ".")] + [cell(res[k]) for k in kinds] + ratios) + " |")
    print()
    for n, limit, rss_limit in ((100_000, 2.0, None), (1_000_000, 2.5, 2048.0)):
        res = results.get(n, {})
        cli, proc = res.get("cli", {}), res.get("calamine-process", {})
        if cli.get("time") and proc.get("time"):
            x = cli["time"] / proc["time"]
            met = x <= limit and (rss_limit is None or cli["peak"] <= rss_limit)
            print(f"Target at {n:,} rows: kinerja-xl validate ≤ {limit}× a whole-process calamine read (wall)".replace(",", ".")
                  + (f", peak RSS ≤ {rss_limit / 1024:.0f} GB" if rss_limit else "")
                  + f": {x:.2f}× (CPU {cli['cpu'] / proc['cpu']:.2f}×), peak {cli['peak']:.0f} MB against"
                  f" {proc['peak']:.0f} MB — {'met' if met else 'NOT met'}")
    target = results.get(100_000, {})
    if target.get("validate", {}).get("time") and target.get("calamine", {}).get("time"):
        x = target["validate"]["time"] / target["calamine"]["time"]
        print(f"Target, validate ≤ 2× calamine at 100.000 rows in process (wall): {x:.2f}× — {'met' if x <= 2 else 'NOT met'}"
              f" ({len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()} CPUs here;"
              " the formula scan needs a second free core to stay hidden)")

    if "validate" in kinds:
        phases = ["read", "read: formula scan", "locate", "frame", "rules"]
        print(f"\nIn-process validate_file split, CPU time (each phase best of {args.repeat}); findings reported\n")
        print("| rows | " + " | ".join(phases) + " | validate_file | findings (cli) | wrong cells planted |")
        print("|" + "---|" * (len(phases) + 4))
        for n in sizes:
            m = results[n]["validate"]
            if "error" in m or "split" not in m:
                continue
            split = m["split"]
            print("| " + " | ".join([f"{n:,}".replace(",", ".")] + [fmt_t(split.get(p)) for p in phases]
                                    + [fmt_t(m["cpu"]), f"{m['findings']} ({results[n].get('cli', {}).get('findings', '–')})",
                                       str(len(gens[n].errors))]) + " |")

    if not args.no_startup:
        from _gen import realisasi_workbook

        small = HERE / "out" / "small-50.xlsx"
        if not small.exists():
            realisasi_workbook(small, 50)
        print(f"\nStart-up (best of {max(args.repeat, 3)}; {small.name}: 50 rows)\n")
        print("| command | wall | CPU | peak RSS |")
        print("|---|---|---|---|")
        for label, t, c, rss in startup(args.repeat, small):
            print(f"| `{label}` | {fmt_t(t)} | {fmt_t(c)} | {rss:.0f} MB |")


if __name__ == "__main__":
    main()
