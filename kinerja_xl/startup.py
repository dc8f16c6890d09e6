"""What a kinerja-xl process (the command line, a ribbon button) sets before it imports numpy."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping


def limit_blas_threads(environ: MutableMapping[str, str] = os.environ, modules: Mapping = sys.modules) -> None:
    """One OpenBLAS thread, unless the user set a number: numpy's OpenBLAS starts a thread per core at
    import, and nothing here multiplies matrices. Those threads spin while they start (~0,1 s CPU on two
    cores), on the core that calamine parses a big sheet on meanwhile (``workbook.files.read_ahead``).

    Only before numpy is imported (OpenBLAS reads the variable once, when it loads)."""
    if "numpy" not in modules:
        environ.setdefault("OPENBLAS_NUM_THREADS", "1")
