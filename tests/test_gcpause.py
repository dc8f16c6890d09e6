"""gc_paused: the collector is off inside, back on after, and what the block kept is not left young."""

from __future__ import annotations

import gc

from kinerja_xl import gcpause
from kinerja_xl.gcpause import gc_paused


def test_collector_off_inside_and_restored_after():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_objects_made_inside_go_to_the_oldest_generation():
    gc.collect()
    with gc_paused():
        kept = [[i] for i in range(50_000)]
    # left young, the next young collections would walk all 50.000 lists (twice, on the way up)
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(x) in oldest for x in kept[:100])
    assert gc.get_freeze_count() == 0
    del kept


def test_objects_frozen_on_purpose_stay_frozen(monkeypatch):
    gc.collect()
    gc.freeze()
    monkeypatch.setattr(gcpause, "_frozen_on_purpose", False)
    gcpause.keep_frozen()  # what an audit worker says after freezing its warm-up
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            kept = [[i] for i in range(1_000)]
        assert gc.get_freeze_count() == frozen  # the audit workers' warm-up stays out of collections
        del kept
    finally:
        gc.unfreeze()


def test_pauses_overlapping_in_threads_end_with_the_last():
    """A read ahead in a thread pauses the collector while the main thread's check pauses it too:
    whichever ends first, the collector stays off until the other ends."""
    import threading

    inside, leave = threading.Event(), threading.Event()

    def other():
        with gc_paused():
            inside.set()
            leave.wait(10)

    assert gc.isenabled()
    t = threading.Thread(target=other)
    t.start()
    inside.wait(10)
    assert not gc.isenabled()
    with gc_paused():
        leave.set()
        t.join(10)
        assert not gc.isenabled()  # the thread's pause ended, this one has not
    assert gc.isenabled()
    t = threading.Thread(target=other)
    leave.clear()
    inside.clear()
    with gc_paused():
        t.start()
        inside.wait(10)
    assert not gc.isenabled()  # this one ended first: the thread's pause still holds
    leave.set()
    t.join(10)
    assert gc.isenabled()
