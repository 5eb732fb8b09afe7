"""The session sequence window (IPMI v2.0 6.12.13)."""

import time

from pyghmi.ipmi.private.secure import replay


def test_each_number_once_within_the_window():
    win = replay.ReplayWindow(size=8)
    assert not win.accept(0)                   # 0 is never valid
    assert win.accept(5) and not win.accept(5)
    assert win.accept(3) and not win.accept(3)   # late but inside
    assert win.accept(12)
    assert not win.accept(4)                   # 8 behind the top: stale
    assert win.accept(6)


def test_a_huge_jump_costs_constant_memory_and_time():
    win = replay.ReplayWindow()
    assert win.accept(1)
    start = time.perf_counter()
    assert win.accept(0xFFFFFFF0)
    assert time.perf_counter() - start < 0.01
    assert win.mask.bit_length() <= win.size
    assert not win.accept(0xFFFFFFF0) and not win.accept(1)
    assert win.accept(0xFFFFFFEF)
