"""The I/O loop's public API: readers, pausing, timers and stop()."""

import socket
import threading

from pyghmi.ipmi.private import loop as ioloop


def _pair():
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind(('127.0.0.1', 0))
    a.setblocking(False)
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    return a, b


def test_reader_pause_resume_and_stop():
    lp = ioloop.Loop()
    sock, sender = _pair()
    got = threading.Event()
    lp.add_reader(sock, lambda: (ioloop.recv_burst(sock), got.set()))
    sender.sendto(b'x', sock.getsockname())
    assert got.wait(2)
    got.clear()
    if lp.pause_reader(sock):          # epoll: the loop must not read now
        sender.sendto(b'y', sock.getsockname())
        assert not got.wait(0.2)
        assert sock.recvfrom(16)[0] == b'y'   # still there for the caller
        lp.resume_reader(sock)
    sender.sendto(b'z', sock.getsockname())
    assert got.wait(2)
    assert lp.stop() and not lp.running
    sock.close()
    sender.close()


def test_timer_fires_and_stopped_loop_is_replaced():
    lp = ioloop.Loop()
    fired = threading.Event()

    class Target:
        deadline = 0.0

        def timer_deadline(self):
            return self.deadline

        def on_timer(self, now):
            self.deadline = None
            fired.set()
    lp.schedule(Target())
    assert fired.wait(2)
    assert lp.stop()
    shared = ioloop.get_loop()
    assert shared.running and shared is not lp


def test_recv_burst_never_blocks_on_a_blocking_socket():
    # the client endpoint's socket is in blocking mode for callers that
    # read their own reply (client.endpoint.Endpoint); the loop thread
    # draining it must still return as soon as it is empty
    import struct
    import time
    if not ioloop.DONTWAIT:
        return      # no such sockets are made where the flag is missing
    sock, sender = _pair()
    sock.setblocking(True)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                    struct.pack('@ll', 3, 0))
    # on loopback a send queues the datagram at the receiver before it
    # returns: both are there now
    for data in (b'a', b'b'):
        sender.sendto(data, sock.getsockname())
    start = time.monotonic()
    got = ioloop.recv_burst(sock)
    assert time.monotonic() - start < 1.0
    assert [data for data, _ in got] == [b'a', b'b']
    sock.close()
    sender.close()
