"""The shared reservation + chunk step-down helper (SDR 33.12, SEL 31.5,
FRU 34.2 reads), the bounded process caches and the wait budgets."""

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import sdr as sdrmod
from pyghmi.ipmi.facade import flows
from pyghmi.ipmi.private import lru
from pyghmi.ipmi.private.client import chunked
from pyghmi.ipmi.private.client import core as clientcore


def _refuse(code):
    raise exc.IpmiException('refused', code=code)


def _flow(function):
    """A flow function (no requests) made of a plain one."""
    def flow(*args):
        return function(*args)
        yield
    return flow


def _request(reader, send):
    """Drive ``reader.request`` (its sends and reservations are plain
    here, so the flow yields nothing)."""
    return flows.Blocking(None).run(reader.request(_flow(send)))


def test_steps_down_on_every_too_large_code_and_keeps_the_size():
    for code in (0xCA, 0xC7, 0xC8, 0xFF):
        reader = chunked.ChunkedReader((64, 32, 16))
        asked = []

        def send(reservation, size):
            asked.append(size)
            return _refuse(code) if size > 16 else b'ok'
        assert _request(reader, send) == b'ok'
        assert _request(reader, send) == b'ok'
        assert asked == [64, 32, 16, 16] and reader.size == 16


def test_too_large_at_the_smallest_size_is_raised():
    reader = chunked.ChunkedReader((16, 8))
    with pytest.raises(exc.IpmiException) as info:
        _request(reader, lambda res, size: _refuse(0xCA))
    assert info.value.ipmicode == 0xCA


def test_reservation_is_taken_lazily_and_renewed_on_0xc5():
    taken = iter(range(1, 100))
    reader = chunked.ChunkedReader((8,), reserve=_flow(lambda: next(taken)))
    seen = []

    def send(reservation, size):
        seen.append(reservation)
        return _refuse(0xC5) if len(seen) < 3 else reservation
    assert _request(reader, send) == 3
    assert seen == [1, 2, 3] and reader.reserves == 3


def test_reservation_losses_in_a_row_are_bounded():
    reader = chunked.ChunkedReader((8,), reserve=_flow(lambda: 1),
                                   max_reserves=4)
    calls = []

    def send(reservation, size):
        calls.append(1)
        _refuse(0xC5)
    with pytest.raises(exc.IpmiException):
        _request(reader, send)
    assert len(calls) == 5


def test_without_reservations_0xc5_is_an_error():
    reader = chunked.ChunkedReader((8,))
    with pytest.raises(exc.IpmiException):
        _request(reader, lambda res, size: _refuse(0xC5))


def test_other_errors_pass_through_untouched():
    reader = chunked.ChunkedReader((32, 16))
    with pytest.raises(exc.IpmiException) as info:
        _request(reader, lambda res, size: _refuse(0xCB))
    assert info.value.ipmicode == 0xCB and reader.size == 32


def test_sdr_memory_cache_is_bounded():
    sdrmod.clear_memory_cache()
    cache = sdrmod._MEMORY
    for index in range(sdrmod.MEMORY_CACHE_SIZE + 10):
        cache.put(('bmc', str(index), 1, 0), [b'x'])
    assert len(cache) == sdrmod.MEMORY_CACHE_SIZE
    assert cache.get(('bmc', '0', 1, 0)) is None        # oldest went
    assert cache.get(('bmc', str(sdrmod.MEMORY_CACHE_SIZE + 9), 1, 0))
    sdrmod.clear_memory_cache()


def test_lru_forgets_the_least_recently_used():
    cache = lru.LRU(2)
    cache.put('a', 1)
    cache.put('b', 2)
    assert cache.get('a') == 1          # 'a' is now the most recent
    cache.put('c', 3)
    assert cache.get('b') is None and cache.get('a') == 1
    assert len(cache) == 2
    with pytest.raises(ValueError):
        lru.LRU(0)


def test_wait_budgets_follow_the_retry_schedule():
    params = clientcore.LoginParams('bmc', b'u', b'p', timeout=1.0,
                                    retries=3)
    # An exchange is tried for as long as waits of 1, 1.5, 2 and 2.5 s.
    assert clientcore.step_budget(1.0, 3) == pytest.approx(7.0)
    assert clientcore.step_budget(1.0, 10) == pytest.approx(33.5)  # 4 s cap
    # First contact 20 s, then five exchanges of 7 s; a request adds its
    # own tries twice.
    assert clientcore.first_contact_time(params) == pytest.approx(20.0)
    assert clientcore.login_budget(params) == pytest.approx(55.0)
    # a re-login to a BMC known alive: six exchanges, no first contact
    assert clientcore.login_budget(params, True) == pytest.approx(42.0)
    assert clientcore.request_budget(params) == pytest.approx(69.0)
    assert clientcore.request_budget(params, 0.2) == pytest.approx(57.8)
    # A scanner's short time-out shortens first contact, never below
    # one exchange's budget.
    scan = clientcore.LoginParams('bmc', b'u', b'p', timeout=0.25,
                                  retries=3)
    assert clientcore.first_contact_time(scan) == pytest.approx(5.0)
    slow = clientcore.LoginParams('bmc', b'u', b'p', timeout=5.0,
                                  retries=3)
    assert clientcore.first_contact_time(slow) == pytest.approx(35.0)
