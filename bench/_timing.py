"""The best-of-N timer the benchmark scripts share."""

from __future__ import annotations

import time
from typing import Any, Callable


def best(fn: Callable[[], Any], repeat: int, clock: Callable[[], float] = time.process_time) -> tuple[float, Any]:
    """The shortest of ``repeat`` runs of ``fn`` (CPU seconds by default: steady on a shared machine), and its result."""
    times, result = [], None
    for _ in range(repeat):
        t = clock()
        result = fn()
        times.append(clock() - t)
    return min(times), result
