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

from kinerja_xl.cli.app import app, main, run

__all__ = ["app", "main", "run"]
