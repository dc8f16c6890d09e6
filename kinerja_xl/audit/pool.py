"""Worker processes with a time and a memory limit per file.

``concurrent.futures.ProcessPoolExecutor`` cannot stop one task that runs too
long (a cancelled future keeps its worker busy) and treats a worker that dies
as the end of the whole pool. An auditor's folder holds files that do both,
so the pool is ours and small:

- each worker is a process with a pipe; the parent hands it one file at a
  time and the next one ahead (``AHEAD``), so that it never waits for the
  parent between files, and always knows which file a worker is on and
  since when (the next one starts when the answer to the last arrives);
- a worker past ``max_seconds`` is killed and replaced, the file gets a
  KX020 result; a worker that dies (the Rust reader aborts when its memory
  limit is hit) is replaced, the file is tried once more on a fresh worker
  and then gets KX021/KX022;
- memory is bounded in the worker with ``RLIMIT_AS`` (start-up footprint +
  ``max_memory_mb``), so a hostile file fails alone instead of swapping the
  machine; Python raises ``MemoryError``, which the worker reports;
- workers are recycled after ``max_tasks_per_child`` files, so memory does
  not creep over ten thousand files;
- processes come from a fork server that has already imported pandas,
  calamine and the rules: a new worker starts in milliseconds and forking
  never happens from the parent while its progress thread runs.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Callable

from kinerja_xl import engine_codes as codes
from kinerja_xl.audit.extract import audit_file, error_result
from kinerja_xl.i18n import N_, gettext_for, translate


def _failed(path: str, rule, message: str, seconds: float = 0.0) -> dict[str, Any]:
    """The result of a file the pool could not check (``rule``: one of ``engine_codes``)."""
    return error_result(path, rule.code, rule.name, message, seconds)


PRELOAD = ["kinerja_xl.audit.warm"]
#: files a worker holds: the one it checks and the next. Handing out one at a time left a worker idle
#: from its answer until the parent, woken and done with that answer, sent the next file (~2 ms a file)
AHEAD = 2


@dataclass(frozen=True)
class PoolSettings:
    jobs: int = 0  # 0: one per core
    max_seconds: float = 120.0
    max_memory_mb: int = 1024
    max_tasks_per_child: int = 200

    @property
    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else max(1, os.cpu_count() or 1)


def _context():
    if sys.platform.startswith("linux"):
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return mp.get_context("spawn")


def start_server() -> None:
    """Start the fork server (Linux) now: its ~1 s of importing pandas and warming up, on a core of its own,
    then overlaps the search for the files (a few ms a file on a network share) instead of following it."""
    if sys.platform.startswith("linux"):
        from multiprocessing import forkserver

        _context()  # its preload
        forkserver.ensure_running()


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _limit_memory(max_memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the time limit still applies
        return
    if max_memory_mb <= 0:
        return
    limit = _vm_bytes() + max_memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker_main(conn, config, limits, max_memory_mb: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.environ["RUST_BACKTRACE"] = "0"
    if not os.environ.get("KINERJA_XL_DEBUG"):
        # a Rust abort prints its backtrace to fd 2, over the progress bar; the result says what happened
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    import kinerja_xl.audit.warm  # noqa: F401  (already loaded under the fork server)

    _limit_memory(max_memory_mb)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        try:
            result = audit_file(path, config, limits)
        except MemoryError:
            result = None  # free what the failed attempt held before building the answer
            result = _failed(path, codes.MEMORY_LIMIT, _memory_message(path, max_memory_mb, config))
        except Exception as exc:  # a bug of ours on this file; the run goes on
            result = _failed(path, codes.INTERNAL,
                             f"{os.path.basename(path)}: galat internal ({type(exc).__name__}: {exc}).")
        try:
            conn.send((index, result))
        except MemoryError:
            conn.send((index, _failed(path, codes.MEMORY_LIMIT, _memory_message(path, max_memory_mb, config))))


def _lang(config) -> str:
    return getattr(config, "lang", "id") or "id"


def _memory_message(path: str, mb: int, config) -> str:
    return translate(N_("{name}: pemeriksaan berkas memerlukan lebih dari {mb} MB memori dan dihentikan (--max-memory-mb)."),
                     _lang(config)).format(name=os.path.basename(path), mb=mb)


def _time_message(path: str, seconds: float, config) -> str:
    return translate(N_("{name}: pemeriksaan berkas melebihi {seconds} detik dan dihentikan (--max-seconds)."),
                     _lang(config)).format(name=os.path.basename(path), seconds=f"{seconds:g}")


def _crash_message(path: str, exitcode: int | None, config) -> str:
    _ = gettext_for(_lang(config))
    how = _("sinyal {n}").format(n=-exitcode) if exitcode is not None and exitcode < 0 else _("kode {n}").format(n=exitcode)
    return _("{name}: proses pemeriksa berhenti mendadak ({how}); berkas tidak diperiksa.").format(
        name=os.path.basename(path), how=how)


class _Worker:
    def __init__(self, ctx, config, limits, settings: PoolSettings):
        parent, child = ctx.Pipe(duplex=True)
        self.conn = parent
        self.proc = ctx.Process(target=_worker_main, args=(child, config, limits, settings.max_memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.tasks: deque[tuple[int, str]] = deque()  # handed out, not answered: the first is being checked
        self.started = 0.0  # when the first began
        self.done = 0

    @property
    def task(self) -> tuple[int, str] | None:
        """The file being checked."""
        return self.tasks[0] if self.tasks else None

    def give(self, task: tuple[int, str]) -> None:
        self.conn.send(task)
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append(task)

    def answered(self) -> list[tuple[int, str]]:
        """The first file is settled: the worker is on the next one from now. The files handed out after
        it, for the caller to put back when the worker is let go."""
        self.tasks.popleft()
        self.started = time.monotonic()
        return list(self.tasks)

    def kill(self) -> None:
        try:
            self.proc.kill()
        except Exception:
            pass
        self.proc.join(5)
        self.conn.close()

    def retire(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(1)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


def run_pool(paths: list[str], config, limits, settings: PoolSettings,
             on_result: Callable[[int, dict[str, Any]], None]) -> None:
    """Check every path in worker processes; ``on_result(index, result)`` as each finishes."""
    _Pool(paths, config, limits, settings, on_result).run()


_RETRIED = object()  # a worker died without answering and its file went back to the queue


class _Pool:
    """The parent's side: hand out files, watch the clock and the workers, collect the answers."""

    def __init__(self, paths: list[str], config, limits, settings: PoolSettings,
                 on_result: Callable[[int, dict[str, Any]], None]):
        self.ctx = _context()
        self.config, self.limits, self.settings, self.on_result = config, limits, settings, on_result
        self.pending: deque[tuple[int, str]] = deque(enumerate(paths))
        self.retried: set[int] = set()
        self.broken = 0  # workers found dead before they took a file, in a row
        self.workers: list[_Worker] = []
        self.size = min(settings.workers, max(1, len(paths)))

    def run(self) -> None:
        try:
            while self.pending or self._busy():
                self._start_workers()
                self._hand_out()
                busy = self._busy()
                if busy:
                    self._collect(busy)
        finally:
            for w in self.workers:
                if w.tasks:
                    w.kill()
                else:
                    w.retire()

    def _busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.task is not None]

    def _start_workers(self) -> None:
        while len(self.workers) < self.size and self.pending:
            self.workers.append(_Worker(self.ctx, self.config, self.limits, self.settings))

    def _drop(self, w: _Worker, ahead: list[tuple[int, str]] = ()) -> None:
        """Let ``w`` go; the files handed to it ahead, not begun, go back to the front of the queue."""
        self.pending.extendleft(reversed(ahead))
        w.tasks.clear()
        w.kill()
        self.workers.remove(w)

    def _hand_out(self) -> None:
        for w in list(self.workers):
            # not past what a worker checks before it is recycled: it retires with nothing in hand
            while self.pending and len(w.tasks) < AHEAD and w.done + len(w.tasks) < self.settings.max_tasks_per_child:
                task = self.pending.popleft()
                try:
                    w.give(task)
                except OSError:  # the worker died
                    self.pending.appendleft(task)
                    if w.tasks:  # on the file it was checking: settled as any death, by _collect
                        break
                    self._drop(w)  # idle (killed from outside): a new one takes the file
                    self.broken += 1
                    if self.broken > 20:  # workers die as soon as they start: nothing can be checked
                        raise RuntimeError("worker processes die as soon as they start") from None
                    break

    def _collect(self, busy: list[_Worker]) -> None:
        """Wait for an answer, a death or the first time limit, then settle every worker concerned."""
        now = time.monotonic()
        timeout = min([self.settings.max_seconds - (now - w.started) for w in busy] + [0.5])
        ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], max(0.0, timeout)))
        now = time.monotonic()
        for w in busy:
            index, path = w.task  # type: ignore[misc]
            if w.conn in ready or w.proc.sentinel in ready:
                outcome = self._answer(w, index, path)
                if outcome is _RETRIED:
                    continue
                result, replace = outcome
            elif now - w.started > self.settings.max_seconds:
                result = _failed(path, codes.TIME_LIMIT, _time_message(path, self.settings.max_seconds, self.config),
                                 round(now - w.started, 3))
                replace = True
            else:
                continue
            self._deliver(w, index, result, replace)

    def _answer(self, w: _Worker, index: int, path: str):
        """(result, replace the worker) from a worker that answered or died; ``_RETRIED`` when its file
        goes back to the queue."""
        result = _receive(w, index)
        if result is not None:
            return result, False
        if index not in self.retried:
            # the worker died without answering: maybe killed from outside before it even took the
            # file; try once more on a fresh worker before blaming the file
            self.retried.add(index)
            self._drop(w, [(index, path), *list(w.tasks)[1:]])
            return _RETRIED
        return self._death_result(w, path), True  # died again on the same file

    def _death_result(self, w: _Worker, path: str) -> dict[str, Any]:
        w.proc.join(5)
        code = w.proc.exitcode
        if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS) or code == 134:
            # Rust aborts and C code crashes when an allocation fails under RLIMIT_AS
            return _failed(path, codes.MEMORY_LIMIT, _memory_message(path, self.settings.max_memory_mb, self.config))
        return _failed(path, codes.WORKER_CRASHED, _crash_message(path, code, self.config))

    def _deliver(self, w: _Worker, index: int, result: dict[str, Any], replace: bool) -> None:
        self.broken = 0
        ahead = w.answered()
        w.done += 1
        if replace:
            self._drop(w, ahead)
        elif w.done >= self.settings.max_tasks_per_child and not ahead:  # it is given none past that
            w.retire()
            self.workers.remove(w)
        self.on_result(index, result)


def _receive(w: _Worker, index: int) -> dict[str, Any] | None:
    """The worker's answer for file ``index``, or None when it died without one."""
    try:
        if w.conn.poll():
            got_index, result = w.conn.recv()
            return result if got_index == index else None  # one file per worker at a time: always equal
    except (EOFError, OSError):
        pass
    return None
