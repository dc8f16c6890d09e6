"""A command-line run as a process: its output streams, the exit code of whatever ended it, and the
end without Python's tear-down. Imports no typer: ``main`` runs a plain ``validate`` line without it
(``kinerja_xl.cli.early``), and every other line through the typer app (``app.run``)."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from typing import NoReturn


def _utf8_when_redirected() -> None:
    """Write UTF-8 into pipes and files whatever the locale's code page.

    On Windows a redirected stream gets the ANSI code page (cp1252), which has
    no ≠, Σ or − for the messages and no room for every sheet name in the
    JSON: the run would die half-way through its output. A terminal is left
    alone (Python writes Unicode to the Windows console itself).
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and not stream.isatty() and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def guarded(work: Callable[[], int]) -> int:
    """Run ``work`` (a command line) and return its exit code; never raises."""
    _utf8_when_redirected()
    try:
        return work()
    except SystemExit as exc:  # typer ends every run this way
        return _exit_status(exc.code)
    except KeyboardInterrupt:
        sys.stderr.write("kinerja-xl: dibatalkan.\n")
        return 130
    except Exception as exc:  # a bug of ours: one line, code 2, never a traceback
        if _writing_failed(exc):
            return _output_lost(exc)  # not a bug: the output cannot be written
        if os.environ.get("KINERJA_XL_DEBUG"):
            raise
        sys.stderr.write("kinerja-xl: galat internal (bug kinerja-xl). Mohon laporkan; jalankan ulang dengan "
                         "KINERJA_XL_DEBUG=1 untuk rinciannya.\n")
        return 2


def _exit_status(code) -> int:
    """The status ``sys.exit(code)`` would end the process with."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def end(code: int) -> NoReturn:
    """End the process with ``code`` without Python's tear-down.

    Tear-down frees every object pandas and pandera made, module by module,
    after a last collection over all of them: ~0,1 s of a seed-sized
    ``validate`` (~0,6 s), spent after the output is complete. What it would
    still do for us is done first: the output flushed, log handlers closed.
    A command that left worker processes running (none should) gets the
    ordinary exit, which ends them.
    """
    if "multiprocessing" in sys.modules and sys.modules["multiprocessing"].active_children():
        sys.exit(code)
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left (`| head`): the command's own code, as click gives it
        _output_lost(None)
    except (OSError, ValueError) as exc:
        code = _output_lost(exc)
    _flushed(sys.stderr)
    os._exit(code)


#: what writing the output meets when it cannot be written: no disk space, a broken device (click itself
#: ends a run whose reader left, EPIPE, with code 1)
_WRITE_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _writing_failed(exc: BaseException) -> bool:
    """Whether ``exc`` is the output failing: the commands report their own files' errors (which carry the
    file's name), so what escapes them without a name while writing is stdout's."""
    return isinstance(exc, OSError) and exc.filename is None and exc.errno in _WRITE_ERRNOS


def _flushed(stream) -> bool:
    try:
        stream.flush()
    except (OSError, ValueError):
        return False
    return True


def _output_lost(exc: BaseException | None) -> int:
    """The output could not be written (a full disk under ``> temuan.json``; ``None``: a reader that left,
    ``| head``, who is told nothing): exit code 2, as for any job the tool could not do."""
    if isinstance(exc, OSError):
        from kinerja_xl.cli.common import describe_os_error

        os.write(2, f"kinerja-xl: {describe_os_error(exc)}\n".encode("utf-8", "replace"))
    try:  # what is still buffered goes nowhere instead of failing (and being reported) again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return 2
