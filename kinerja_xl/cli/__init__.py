"""The ``kinerja-xl`` command line, all commands in one package.

``app`` registers the commands (``app.py``); options shared by several
commands are defined once (``options.py``), as are the helpers they share
(``common.py``: consoles, failing with exit code 2, settings, exit codes,
reporting; ``timebound.py``: ``--max-seconds``; ``usage.py``: typer's own
texts in Indonesian). One module per command family: ``validate``,
``rules`` (and ``explain``), ``hitung``, ``templates`` (``template``,
``example``), ``writeback`` (``periksa``, ``annotate``, ``clear``),
``audit``, ``addin``.
"""


import sys
import types

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
    process.end(_bind().run())


def _bind():
    """The module ``kinerja_xl.cli.app``, its ``app`` and ``run`` bound here."""
    import importlib

    module = importlib.import_module("kinerja_xl.cli.app")
    globals().update(app=module.app, run=module.run)
    return module


class _Package(types.ModuleType):
    """This package, whose ``app`` is always the typer app: importing the module
    ``kinerja_xl.cli.app`` sets the package's ``app`` to that module, whoever imports it first."""

    def __setattr__(self, name: str, value) -> None:
        if name == "app" and isinstance(value, types.ModuleType) and value.__name__ == f"{__name__}.app":
            value = value.app
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    # the typer app is imported on first use: `main` starts a read before importing typer
    if name in ("app", "run"):
        return getattr(_bind(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
