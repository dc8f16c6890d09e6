"""The ``kinerja-xl`` command line, all commands in one package.

``app`` (the typer app, in ``commands.py``) registers the commands; options shared by several
commands are defined once (``options.py``), as are the helpers they share
(``common.py``: consoles, failing with exit code 2, settings, exit codes,
reporting; ``timebound.py``: ``--max-seconds``; ``usage.py``: typer's own
texts in Indonesian). One module per command family: ``validate``,
``rules`` (and ``explain``), ``hitung``, ``templates`` (``template``,
``example``), ``writeback`` (``periksa``, ``annotate``, ``clear``),
``audit``, ``addin``.
"""


import sys

__all__ = ["app", "main", "run"]


def main() -> None:
    """Console-script entry (also ``python -m kinerja_xl.cli``): no traceback ever reaches the user, and the
    process ends as soon as its output is out (``process.end``). In a Python that goes on afterwards, call ``run``.

    A plain ``validate`` line is run without typer (``cli.early``), its first
    file read in a second thread, mostly without the GIL, from the start.
    """
    from kinerja_xl import gcpause, startup

    startup.limit_blas_threads()
    gcpause.pause_start_up()  # each command that reads workbooks turns it back on once it has imported its libraries
    from kinerja_xl.cli import early, process

    plain = early.plain_validate(sys.argv[1:])
    if plain is not None:
        process.end(process.guarded(lambda: early.run_plain(plain)))
    from kinerja_xl.cli.commands import run

    process.end(run())


def __getattr__(name: str):
    # the typer app is imported on first use: `main` starts a read before importing typer
    if name in ("app", "run"):
        from kinerja_xl.cli import commands

        globals()[name] = value = getattr(commands, name)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
