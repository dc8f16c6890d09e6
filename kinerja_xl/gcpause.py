"""Pausing Python's cyclic garbage collector around bulk work.

Reading a 100.000-row sheet or patching its XML creates millions of small
objects, none in a reference cycle; every collection they trigger walks all
live objects. Measured: validation ~20% faster, parsing + indexing a sheet
for write-back 4,9 s -> 1,1 s. Nothing of ours accumulates meanwhile.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the collector inside the block; restore its previous state after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
