"""A caller reading its own reply (endpoints.Endpoint._read_until)."""

import socket
import threading
import time

from pyghmi.ipmi.private.client import endpoint as endpoints
from pyghmi.ipmi.private.client import shared


class _FailingSocket:
    """recvfrom always fails at once, as after an ICMP report or with a
    socket closed under the reader; counts the calls."""

    def __init__(self):
        self.calls = 0

    def recvfrom(self, size):
        self.calls += 1
        raise ConnectionRefusedError('port unreachable')


def test_a_failing_receive_is_not_spun_on():
    endpoint = endpoints.Endpoint(socket.AF_INET, dedicated=True)
    real = endpoint.sock
    endpoint.sock = _FailingSocket()
    waiter = shared.Waiter()
    # a timer elsewhere ends the wait (what the loop does on a time-out)
    threading.Timer(0.3, waiter).start()
    try:
        start = time.monotonic()
        assert endpoint._read_until(waiter, time.monotonic() + 5)
        assert time.monotonic() - start < 2
        # one failed receive per READ_SLICE, not a busy loop
        assert endpoint.sock.calls <= 0.3 / endpoints.READ_SLICE + 3
    finally:
        endpoint.sock = real
        endpoint.close()


def test_the_slice_bounds_a_receive_on_the_real_socket():
    endpoint = endpoints.Endpoint(socket.AF_INET, dedicated=True)
    try:
        if not endpoint.caller_reads:
            return      # platforms without the options never read here
        start = time.monotonic()
        try:
            endpoint.sock.recvfrom(2048)
        except BlockingIOError:
            pass
        took = time.monotonic() - start
        assert endpoints.READ_SLICE * 0.5 <= took < endpoints.READ_SLICE * 10
    finally:
        endpoint.close()
