"""Benchmark of ``kinerja-xl audit`` on a folder of seed-sized workbooks: rate, cost split, memory.

    python bench/audit.py                      # 300 copies of the bundled example + the templates, 2 jobs
    python bench/audit.py --files 2000         # the flat-memory run
    python bench/audit.py --jobs 1,2           # each job count in turn
    python bench/audit.py --kind generated     # 25 units x 4 quarters x 10 years of generated reports
    python bench/audit.py --folder DIR         # keep (or reuse) the generated folder

The default folder holds copies of ``contoh-lumajang-tw3-2021.xlsx`` under
other unit names (every sheet's text and the Info sheet say the new unit),
quarters I-IV and years, plus every template of ``xlsx_templates/``: the
workbook people actually have, a few hundred rows in six or seven tables.

Each audit runs in a fresh process (start-up included) and prints:

- files/s over the wall clock, and over the CPU seconds the run used divided
  by the workers (the rate with the cores to itself: the machine may be shared,
  so the load average is printed too);
- the per-file cost split: in the workers (read, rules, extract), the pool
  (handing out files, pickling the results both ways, worker start-up and
  recycling: pool wall x workers - the workers' own seconds), and in the parent
  (collecting each answer and the progress line, the cross-report rules,
  the consolidated document, each report file);
- the workers' CPU seconds a file beside the CPU of the check itself
  (``audit_file``: ``validate_file`` plus what the audit extracts), the rest
  being the worker's own loop (receiving the path, pickling and sending the
  result), and the seconds until the first result (the fork server's start-up);
- memory: the resident size (RSS) of the parent and of each worker when the
  first files are done, at half way and at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from itertools import islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATES = ROOT / "xlsx_templates"
EXAMPLE = TEMPLATES / "contoh-lumajang-tw3-2021.xlsx"
QUARTERS = ("I", "II", "III", "IV")


# --- the folders --------------------------------------------------------------------------------------------


def example_variant(unit: str, quarter: int, year: int) -> bytes:
    """The bundled example as ``unit``'s report for ``quarter`` of ``year`` (text replaced inside the sheets)."""
    place = unit.split(" ", 1)[-1]
    out = io.BytesIO()
    with zipfile.ZipFile(EXAMPLE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text = text.replace("Lumajang", place).replace("LUMAJANG", place.upper()).replace("2021", str(year))
                if info.filename == "xl/worksheets/sheet1.xml":  # the Info sheet: Triwulan in B5
                    text = re.sub(r'(<c r="B5"[^>]*><is><t>)III(</t>)', rf"\g<1>{QUARTERS[quarter - 1]}\g<2>", text)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def _unit_quarters(folder: Path, first_year: int):
    """(unit, quarter, year, path) of every unit's four quarterly reports, year after year from ``first_year``,
    in ``folder/<year>/<unit>/``; the folders are made as they are reached."""
    from kinerja_xl.testing.samples import UNITS

    year = first_year
    while True:
        for unit in UNITS:
            sub = folder / str(year) / unit.replace(" ", "_")
            sub.mkdir(parents=True, exist_ok=True)
            for q in (1, 2, 3, 4):
                yield unit, q, year, sub / f"{unit.replace(' ', '_')}_TW{q}_{year}.xlsx"
        year += 1


def generate_examples(folder: Path, n: int) -> list[Path]:
    existing = sorted(folder.rglob("*.xlsx"))
    if len(existing) >= n:
        return existing[:n]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    out: list[Path] = []
    for t in sorted(TEMPLATES.glob("*.xlsx")):
        if t != EXAMPLE and len(out) < n:
            out.append(Path(shutil.copy2(t, folder / t.name)))
    for unit, q, year, path in islice(_unit_quarters(folder, 2021), max(0, n - len(out))):
        path.write_bytes(example_variant(unit, q, year))
        out.append(path)
    return out


def generate_reports(folder: Path, n: int) -> list[Path]:
    from kinerja_xl.testing.samples import quarter_spec, write_report

    existing = sorted(folder.rglob("*.xlsx"))
    if len(existing) >= n:
        return existing[:n]
    shutil.rmtree(folder, ignore_errors=True)
    out: list[Path] = []
    for unit, q, year, path in islice(_unit_quarters(folder, 2019), n):
        out.append(write_report(path, quarter_spec(unit, q, year, error_rate=0.01)))
    return out


# --- /proc ---------------------------------------------------------------------------------------------------


def _kids() -> dict[int, list[int]]:
    """Parent pid -> its children's pids."""
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
    return kids


def _children(pid: int, kids: dict[int, list[int]] | None = None) -> list[int]:
    """``pid`` and its descendants; ``kids``: a ``_kids()`` the caller already read (one /proc walk a tick)."""
    kids = _kids() if kids is None else kids
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


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


# --- one audit, in this (fresh) process ------------------------------------------------------------------------


def drive(folder: Path, jobs: int, out: Path) -> dict:
    """Run one audit in this process; the stage timings, the workers' split and the memory samples."""
    os.environ.setdefault("KINERJA_XL_DEBUG", "")
    start_cpu = time.process_time()
    from kinerja_xl.audit import run as audit_run
    from kinerja_xl.audit.pool import PoolSettings
    from kinerja_xl.config import Config

    me = os.getpid()
    total = sum(1 for _ in folder.rglob("*.xlsx"))
    marks = {1: "start", max(2, total // 2): "middle", total: "end"}
    memory: dict[str, dict] = {}
    cpu_seen: dict[int, float] = {}
    split = {"read": 0.0, "rules": 0.0, "extract": 0.0, "worker": 0.0, "cpu": 0.0}
    done = [0]
    first = [0.0]  # seconds from the start to the first answer: the fork server's start-up, mostly
    parents: dict[int, int] = {}
    servers: set[int] = set()
    stop = threading.Event()

    def snapshot() -> dict:
        # the parent's children: the fork server (and multiprocessing's resource tracker); the workers are the
        # fork server's children
        kids = _kids()
        server = [p for p in kids.get(me, []) if "forkserver" in _cmdline(p)]
        workers = [w for p in server for w in kids.get(p, [])]
        return {"parent": _rss(me), "forkserver": sum(_rss(p) for p in server), "workers": sorted(_rss(w) for w in workers)}

    def sample_cpu() -> None:
        while not stop.is_set():
            kids = _kids()
            for parent, pids in kids.items():
                for p in pids:
                    parents[p] = parent
            for p in _children(me, kids):
                if p != me:
                    cpu_seen[p] = max(cpu_seen.get(p, 0.0), _cpu(p))
                    if p not in servers and parents.get(p) == me and "forkserver" in _cmdline(p):
                        servers.add(p)
            stop.wait(0.05)

    advance = audit_run.AuditProgress.advance

    def counting(self, result):
        advance(self, result)
        done[0] += 1
        if done[0] == 1:
            first[0] = time.perf_counter() - t0
        t = result.get("timing")
        if t:
            for k in ("read", "rules", "extract", "cpu"):
                split[k] += t[k]
        split["worker"] += result.get("seconds") or 0.0
        if done[0] in marks:
            memory[marks[done[0]]] = snapshot()

    audit_run.AuditProgress.advance = counting
    sampler = threading.Thread(target=sample_cpu, daemon=True)
    sampler.start()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    doc = audit_run.audit_folder([str(folder)], out, Config(), settings=PoolSettings(jobs=jobs), plain=True,
                                 stream=io.StringIO(), timings=timings)
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    # the workers are the fork server's children (sampled every 50 ms: a recycled worker's last moments are missed)
    workers_cpu = sum(c for p, c in cpu_seen.items() if parents.get(p) in servers)
    return {"files": doc["summary"]["files"], "findings": doc["summary"]["total"], "wall": wall, "jobs": jobs,
            "timings": timings, "split": split, "memory": memory, "children_cpu": sum(cpu_seen.values()),
            "workers_cpu": workers_cpu, "first": first[0],
            "parent_cpu": time.process_time() - start_cpu, "peak_parent": _peak_self()}


def _peak_self() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_driver(folder: Path, jobs: int, out: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--drive", str(folder), "--jobs", str(jobs), "--out", str(out)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"audit failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_wall"] = time.perf_counter() - start
    return result


def whole_command(folder: Path, jobs: int, out: Path, code: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process tree) of ``kinerja-xl audit`` as a user runs it; ``code``: run that
    checkout of kinerja-xl instead (first on PYTHONPATH), for a before/after in one run."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    cmd = [sys.executable, "-m", "kinerja_xl.cli", "audit", str(folder), "-o", str(out), "--jobs", str(jobs), "--plain"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    cpu: dict[int, float] = {}  # last CPU time seen per process (misses each process's last 50 ms)
    while proc.poll() is None:
        for p in _children(proc.pid):
            cpu[p] = max(cpu.get(p, 0.0), _cpu(p))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"audit failed with exit code {proc.returncode}: {' '.join(cmd)}")
    return wall, sum(cpu.values())


def show(r: dict) -> None:
    n, jobs, t, s = r["files"], r["jobs"], r["timings"], r["split"]
    cpu = r["children_cpu"] + r["parent_cpu"]
    ms = lambda sec: 1000 * sec / n  # noqa: E731
    pool_overhead = t["pool"] * jobs - s["worker"]
    print(f"\n--jobs {jobs}: {n} files in {r['process_wall']:.1f} s whole process ({n / r['process_wall']:.1f} files/s; "
          f"audit_folder {r['wall']:.1f} s, {n / r['wall']:.1f} files/s); CPU {cpu:.1f} s = {ms(cpu):.0f} ms/file, "
          f"{n / max(cpu / jobs, 1e-9):.1f} files/s with {jobs} idle core(s)*; {r['findings']} findings")
    print("  per file, ms:   read  rules  extract | pool** | collect  cross  document  json   xlsx   html")
    print(f"                {ms(s['read']):6.1f} {ms(s['rules']):6.1f} {ms(s['extract']):7.1f}  | {ms(pool_overhead):6.1f} | "
          f"{ms(t.get('collect', 0)):7.2f} {ms(t.get('cross', 0)):6.2f} {ms(t['consolidate'] - t.get('cross', 0)):8.2f} "
          f"{ms(t.get('report_json', 0)):5.2f} {ms(t.get('report_xlsx', 0)):6.2f} {ms(t.get('report_html', 0)):6.2f}")
    print(f"  workers' CPU {ms(r['workers_cpu']):.1f} ms a file: the check of a file (audit_file) {ms(s['cpu']):.1f}, "
          f"outside it (receiving the path, pickling and sending the result) {ms(r['workers_cpu'] - s['cpu']):.1f}; "
          f"first result after {r['first']:.2f} s (fork server start-up)")
    # what the audit would reach if it added nothing to the check of each file, on the cores it has
    print(f"  ceiling, {jobs} core(s) / the check's CPU: {n / max(s['cpu'] / jobs, 1e-9):.1f} files/s; this run by CPU "
          f"{n / max(cpu / jobs, 1e-9):.1f}*")
    if t.get("report_side"):
        print(f"  reports {ms(t['reports']):.2f} ms/file of the parent's clock: json and html written by a forked child "
              "while the parent writes xlsx")
    print("  RSS MB          parent  fork server  workers")
    for when in ("start", "middle", "end"):
        m = r["memory"].get(when)
        if m:
            print(f"  {when:14} {m['parent'] / 1e6:7.0f} {m['forkserver'] / 1e6:12.0f}  "
                  + " ".join(f"{w / 1e6:.0f}" for w in m["workers"]))
    print(f"  parent peak RSS {r['peak_parent'] / 1e6:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--jobs", default="2")
    ap.add_argument("--kind", choices=("example", "generated"), default="example")
    ap.add_argument("--folder", type=Path, default=None, help="where the workbooks are generated (kept)")
    ap.add_argument("--before", type=Path, default=None, metavar="CHECKOUT",
                    help="also time the whole command from another checkout of kinerja-xl (e.g. a git worktree of "
                         "the main branch), beside this one, in the same run")
    ap.add_argument("--drive", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.drive is not None:
        print(json.dumps(drive(args.drive, int(args.jobs), args.out)))
        return
    tmp = Path(tempfile.mkdtemp(prefix="kinerja-audit-bench-"))
    folder = args.folder or tmp / "laporan"
    try:
        t = time.perf_counter()
        files = (generate_examples if args.kind == "example" else generate_reports)(folder, args.files)
        gen = time.perf_counter() - t
        size = sum(f.stat().st_size for f in files)
        print(f"{len(files)} workbooks in {folder} ({size / 1e6:.1f} MB), generated in {gen:.1f} s; "
              f"{os.cpu_count()} cores; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        for jobs in (int(j) for j in args.jobs.split(",")):
            show(run_driver(folder, jobs, tmp / f"out{jobs}"))
            if args.before is not None:
                n = len(files)
                print(f"  whole command, --jobs {jobs}:      wall s  files/s  CPU s  CPU ms/file  files/s on idle cores*")
                for name, code in (("before", args.before), ("this checkout", None)):
                    wall, cpu = whole_command(folder, jobs, tmp / f"cmp{jobs}", code)
                    print(f"    {name:28} {wall:7.1f} {n / wall:8.1f} {cpu:6.1f} {1000 * cpu / n:12.0f} "
                          f"{n / max(cpu / jobs, 1e-9):23.1f}")
        print(f"\nload average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print("* CPU seconds of all processes divided over the workers: the rate this run would reach with its cores "
              "to itself.\n** pool wall x workers - the workers' own seconds per file: handing out, pickling, "
              "worker start-up and recycling, idle workers.")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
