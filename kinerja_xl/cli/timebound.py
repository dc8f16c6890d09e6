"""A per-file time bound for ``validate``, ``hitung`` and ``periksa`` (``--max-seconds``).

``audit`` has its own bound (a worker process it kills). For the single-file
commands a process per file would re-import pandas and pandera (~1 s, more on
Windows, where processes are spawned) on every run, so the bound works in
the same process: a watchdog thread, at the deadline, raises
``TimeLimitExceeded`` in the main thread through ``_thread.interrupt_main``
(which simulates a SIGINT on every platform, Windows included; a SIGALRM
timer would not exist there). The exception derives from ``BaseException``
so that the runner's "one broken rule must not hide the others"
(``except Exception``) does not turn the timeout into a finding and carry on.

Python delivers the interruption between bytecodes. It is held back while
the main thread is importing a module: the heavy libraries (pandas, numpy)
are imported lazily during the first check, and a C extension whose import
was cut half-way cannot be imported again in the same process, which would
break every following file. Should the main thread be stuck inside one C
call that never returns (one that releases the GIL; one that holds it stops
every thread, the watchdog's too, and only a separate process could help),
the watchdog gives it a grace period and then ends the process itself (exit
code 2, a message naming the file): slow is acceptable, a hang is not.
"""

from __future__ import annotations

import _thread
import os
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from kinerja_xl.i18n import N_, translate

#: how long a main thread stuck in C code gets after the deadline before the process ends
GRACE_SECONDS = 10.0
#: how often the watchdog repeats the interruption while the main thread is importing
_RETRY_SECONDS = 0.05


class TimeLimitExceeded(BaseException):
    """The work took longer than ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def message(path: str | Path, seconds: float, lang: str = "id") -> str:
    """The timeout as the user reads it, naming the file and the option that raises the bound."""
    return translate(TIMEOUT, lang).format(**_timeout_params(path, seconds))


TIMEOUT = N_("{name}: pemeriksaan berkas melebihi {seconds} detik dan dihentikan. "
             "Bila berkasnya memang sebesar itu, naikkan batasnya dengan --max-seconds.")


def _timeout_params(path: str | Path, seconds: float) -> dict[str, str]:
    return {"name": Path(path).name, "seconds": f"{seconds:g}"}


@contextmanager
def time_bound(seconds: float, path: str | Path = "", lang: str = "id") -> Iterator[None]:
    """Raise ``TimeLimitExceeded`` in the body once ``seconds`` have passed.

    Only the main thread can be interrupted this way; elsewhere (the body
    already runs under someone else's control) the body runs unbounded.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    lock = threading.Lock()
    done = threading.Event()
    # the watchdog has at most one simulated SIGINT outstanding (trips - handled ≤ 1), so that none is left behind
    state = {"trips": 0, "handled": 0, "raised": False}
    previous = signal.getsignal(signal.SIGINT)

    def on_sigint(signum, frame):
        with lock:
            ours = state["trips"] > state["handled"]
            if ours:
                state["handled"] += 1
        if not ours:  # a real Ctrl-C: what it would have done without us
            if previous == signal.SIG_IGN:
                return None
            if callable(previous):
                return previous(signum, frame)
            raise KeyboardInterrupt
        if state["raised"] or _importing(frame):
            return None  # the watchdog tries again once the import is done
        with lock:
            state["raised"] = True
        raise TimeLimitExceeded(seconds)

    def watchdog() -> None:
        if done.wait(seconds):
            return
        give_up = time.monotonic() + GRACE_SECONDS
        while time.monotonic() < give_up:
            with lock:
                if done.is_set():
                    return
                if not state["raised"] and state["trips"] == state["handled"]:
                    state["trips"] += 1
                    _thread.interrupt_main(signal.SIGINT)
            if done.wait(_RETRY_SECONDS):
                return
        os.write(2, ("kinerja-xl: " + message(path, seconds, lang) + "\n").encode("utf-8", "replace"))
        os._exit(2)

    signal.signal(signal.SIGINT, on_sigint)
    thread = threading.Thread(target=watchdog, name="kinerja-xl-max-seconds", daemon=True)
    thread.start()
    try:
        yield
    finally:
        with lock:
            done.set()
            pending = state["trips"] > state["handled"]
        if pending:
            # the deadline came as the work ended and its simulated SIGINT has not landed yet: let it land on a
            # handler that only puts the previous one back, instead of surfacing later as a Ctrl-C
            def swallow_once(signum, frame):
                signal.signal(signal.SIGINT, previous)

            signal.signal(signal.SIGINT, swallow_once)
        else:
            signal.signal(signal.SIGINT, previous)


def _importing(frame) -> bool:
    """Whether ``frame`` runs inside an import (importlib's own frames are on its stack)."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def timeout_report(path: str | Path, seconds: float):
    """A report for a file stopped at the bound: its one error is KX020, so the run exits 2."""
    from kinerja_xl import engine_codes as codes
    from kinerja_xl.findings import Finding, Severity
    from kinerja_xl.runner import WorkbookReport

    rule = codes.TIME_LIMIT
    finding = Finding(code=rule.code, name=rule.name, severity=Severity.ERROR, message_id=TIMEOUT,
                      params=_timeout_params(path, seconds), file=str(path))
    return WorkbookReport(file=str(path), findings=[finding], error=finding)
