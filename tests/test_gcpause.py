"""gc_paused: the collector is off inside, back on after, and what the block kept is not left young."""

from __future__ import annotations

import gc

import pytest

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


@pytest.fixture
def start_up_state(monkeypatch):
    """pause_start_up/start_up_done on a clean slate; the collector on again afterwards whatever happened."""
    monkeypatch.setattr(gcpause, "_start_up", False)
    monkeypatch.setattr(gcpause, "_frozen_on_purpose", False)
    assert gc.isenabled()
    yield
    gc.enable()


def test_start_up_keeps_the_collector_off_until_done_and_ages_what_it_made(start_up_state):
    gc.collect()
    gcpause.pause_start_up()
    assert not gc.isenabled()
    with gc_paused():  # the validation's own pause inside the start-up's: still off after it
        pass
    assert not gc.isenabled()
    imported = [[i] for i in range(20_000)]  # what importing pandas and pandera leaves, in small
    gcpause.start_up_done()
    assert gc.isenabled()
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(x) in oldest for x in imported[:100])  # not walked by the next young collections
    assert gc.get_freeze_count() == 0
    gcpause.start_up_done()  # a second call changes nothing
    assert gc.isenabled()
    del imported


def test_start_up_done_during_a_read_ahead_leaves_the_collector_to_the_reads_end(start_up_state):
    import threading

    inside, leave = threading.Event(), threading.Event()

    def read_ahead():
        with gc_paused():
            inside.set()
            leave.wait(10)

    gcpause.pause_start_up()
    t = threading.Thread(target=read_ahead)
    t.start()
    inside.wait(10)
    gcpause.start_up_done()  # the imports are done, the read is not
    assert not gc.isenabled()
    leave.set()
    t.join(10)
    assert gc.isenabled()  # the read's pause was the last one out


def test_start_up_done_without_a_pause_changes_nothing(start_up_state):
    gc.disable()  # someone switched it off on purpose: not ours to switch on
    gcpause.start_up_done()
    assert not gc.isenabled()
    gc.enable()
    gcpause.pause_start_up()
    gcpause.start_up_done()
    assert gc.isenabled()
