"""Benchmark of ``kinerja-xl audit`` on a folder of 1.000 realistic workbooks.

    python bench/audit.py                 # 1.000 workbooks in a temporary folder
    python bench/audit.py --files 200     # smaller
    python bench/audit.py --folder DIR    # keep (or reuse) the generated folder

Generates 25 units × 4 quarters × 10 years of cumulative quarterly reports
(Info sheet, realisasi table with program/kegiatan/sub kegiatan, IKM; about
1% of the money cells wrong), then prints side by side, in one run:

- ``kinerja-xl audit`` with 1 and 2 workers: files/second (wall clock of the
  whole command, start-up included) and peak memory (the sum of the resident
  memory of the command and all its worker processes, sampled every 50 ms);
- the same command on a quarter of the files, to show that peak memory does
  not grow with the number of files;
- a baseline loop of ``pandas.read_excel(engine="openpyxl", sheet_name=None)``
  over the same files in one process (reading only, no checks).

Target (issue 6): ≥ 20 workbooks/s with 2 workers on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def generate(folder: Path, n: int) -> list[Path]:
    from kinerja_xl.testing.samples import UNITS, quarter_spec, write_report

    existing = sorted(folder.rglob("*.xlsx"))
    if len(existing) >= n:
        return existing[:n]
    shutil.rmtree(folder, ignore_errors=True)
    out: list[Path] = []
    years = range(2019, 2029)
    for year in years:
        for unit in UNITS:
            sub = folder / str(year) / unit.replace(" ", "_")
            sub.mkdir(parents=True, exist_ok=True)
            for q in (1, 2, 3, 4):
                if len(out) >= n:
                    return out
                spec = quarter_spec(unit, q, year, error_rate=0.01)
                out.append(write_report(sub / f"{unit.replace(' ', '_')}_TW{q}_{year}.xlsx", spec))
    return out


def _children(pid: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            kids.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def run_audit(folder: Path, jobs: int, out: Path) -> tuple[float, int, int, float]:
    """(seconds, peak sum of RSS of the process tree, peak RSS of one process, CPU seconds of the tree) of one audit."""
    cmd = [sys.executable, "-m", "kinerja_xl.cli", "audit", str(folder), "-o", str(out), "--jobs", str(jobs), "--plain"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_tree, peak_one = 0, 0
    cpu: dict[int, float] = {}  # last CPU time seen per process (misses each process's last 50 ms)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_tree, peak_one
        while not stop.is_set():
            pids = _children(proc.pid)
            sizes = [_rss(p) for p in pids]
            for p in pids:
                cpu[p] = max(cpu.get(p, 0.0), _cpu(p))
            peak_tree = max(peak_tree, sum(sizes))
            peak_one = max([peak_one] + sizes)
            stop.wait(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    code = proc.wait()
    elapsed = time.perf_counter() - start
    stop.set()
    t.join()
    if code not in (0, 1):
        raise SystemExit(f"audit failed with exit code {code}: {' '.join(cmd)}")
    return elapsed, peak_tree, peak_one, sum(cpu.values())


def pandas_loop(files: list[Path]) -> tuple[float, int, float]:
    """Baseline: read every sheet of every file with pandas (openpyxl engine), in a fresh process."""
    code = (
        "import sys, time, resource, pandas as pd\n"
        "files = sys.argv[1:]\n"
        "t = time.perf_counter()\n"
        "for f in files: pd.read_excel(f, sheet_name=None, engine='openpyxl', header=None)\n"
        "u = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(time.perf_counter() - t, u.ru_maxrss * 1024, u.ru_utime + u.ru_stime)\n"
    )
    listing = [str(f) for f in files]
    out = subprocess.run([sys.executable, "-c", code, *listing], capture_output=True, text=True, check=True)
    seconds, peak, cpu = out.stdout.split()
    return float(seconds), int(peak), float(cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--folder", type=Path, default=None, help="where the workbooks are generated (kept)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kinerja-audit-bench-"))
    folder = args.folder or tmp / "laporan"
    try:
        t = time.perf_counter()
        files = generate(folder, args.files)
        gen = time.perf_counter() - t
        size = sum(f.stat().st_size for f in files)
        print(f"{len(files)} workbooks in {folder} ({size / 1e6:.1f} MB), generated in {gen:.1f} s "
              f"({len(files) / gen:.0f}/s); {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
        # a quarter of the files, in their own folder, for the memory-vs-files comparison
        quarter = tmp / "seperempat"
        if not quarter.exists():
            for f in files[: len(files) // 4]:
                dest = quarter / f.relative_to(folder)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, dest)
        rows = []
        for jobs in (1, 2):
            sec, tree, one, cpu = run_audit(folder, jobs, tmp / f"out{jobs}")
            rows.append((f"kinerja-xl audit --jobs {jobs}", len(files), sec, tree, one, cpu, jobs))
        sec, tree, one, cpu = run_audit(quarter, 2, tmp / "outq")
        rows.append(("kinerja-xl audit --jobs 2 (¼ of the files)", len(files) // 4, sec, tree, one, cpu, 2))
        sec, peak, cpu = pandas_loop(files)
        rows.append(("pandas.read_excel(openpyxl) loop, 1 process", len(files), sec, peak, peak, cpu, 1))
        print()
        print(f"{'':46} {'files':>5} {'wall s':>7} {'files/s':>7} {'CPU s':>6} {'CPU ms/file':>11} "
              f"{'files/s on idle cores*':>22} {'peak MB all':>11} {'peak MB one':>11}")
        for name, n, sec, tree, one, cpu, jobs in rows:
            idle = n / max(cpu / jobs, 1e-9)
            print(f"{name:46} {n:>5} {sec:>7.1f} {n / sec:>7.1f} {cpu:>6.1f} {1000 * cpu / n:>11.0f} "
                  f"{idle:>22.1f} {tree / 1e6:>11.0f} {one / 1e6:>11.0f}")
        print("\nwall figures include start-up (~2 s: the fork server imports and warms the checker once); the pandas"
              " loop only reads, it checks nothing.\n* CPU seconds of all processes divided over the workers: the rate"
              " this run would reach with its cores to itself (this machine is shared; see the load average above).")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
