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
    """Disable the collector inside the block; restore its previous state after.

    What the block made and kept (a report's rows and frames) is handed to the
    oldest generation on the way out. Left in the youngest, the first young
    collection after re-enabling would walk all of it (~80-100 ms for a
    100.000-row sheet, then again when it is promoted), for objects that hold
    no cycles and are freed by reference counting anyway.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # freeze + unfreeze moves every tracked object to the oldest generation
            # without a scan. Not when something else froze objects on purpose (the
            # audit workers keep their warm-up out of collections): unfreezing would
            # undo that, so there the young collection runs as before.
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
