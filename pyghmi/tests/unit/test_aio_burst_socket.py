"""The asyncio IPMI engine's UDP socket: every datagram waiting is read
in one wake-up, and datagrams refused by a full send buffer wait in a
bounded queue until the socket is writable."""

import asyncio
import socket

from pyghmi.aio.ipmi import engine


class Collect:
    def __init__(self):
        self.got = []

    def datagram_received(self, data, address):
        self.got.append(data)


def test_one_wakeup_reads_every_waiting_datagram():
    async def scenario():
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(('127.0.0.1', 0))
        sock.setblocking(False)
        protocol = Collect()
        burst = engine.BurstSocket(loop, sock, protocol)
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for n in range(50):
            sender.sendto(b'%d' % n, sock.getsockname())
        sender.close()
        burst._readable()               # one wake-up of the reader
        burst.close()
        assert burst.is_closing() and sock.fileno() == -1
        return protocol.got
    got = asyncio.run(scenario())
    assert got == [b'%d' % n for n in range(50)]


class FullThenFree:
    """A socket whose send buffer is full for the first ``full`` sends."""

    def __init__(self, full):
        self.full = full
        self.sent = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def fileno(self):
        return self.sock.fileno()

    def sendto(self, data, address):
        if self.full:
            self.full -= 1
            raise BlockingIOError()
        self.sent.append(data)

    def close(self):
        self.sock.close()


def test_a_full_buffer_queues_in_order_and_is_bounded(monkeypatch):
    monkeypatch.setattr(engine, 'SEND_QUEUE', 3)

    async def scenario():
        loop = asyncio.get_running_loop()
        fake = FullThenFree(full=2)
        burst = engine.BurstSocket(loop, fake, Collect())
        for n in range(5):
            burst.sendto(b'%d' % n, ('127.0.0.1', 9))
        assert fake.sent == []          # refused, then queued behind it
        burst._writable()               # still full once
        assert fake.sent == []
        burst._writable()
        burst.close()
        return fake.sent
    # 0 is refused and queued; 1 and 2 queue behind it; 3 and 4 are
    # past the bound and dropped (retransmission recovers them)
    assert asyncio.run(scenario()) == [b'0', b'1', b'2']
