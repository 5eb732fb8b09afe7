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
