"""``python -m kinerja_xl.cli``: the same as the ``kinerja-xl`` command."""

from kinerja_xl.cli import main

main()
