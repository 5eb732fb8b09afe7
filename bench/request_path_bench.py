#!/usr/bin/env python3
"""Client CPU of one request without the kernel: what our code costs.

    request_path_bench.py [--count N] [--runs N]

Logs in to a fakebmc for real, then puts an in-memory socket under the
session: every request "sent" is answered at once by a reply sealed in
advance with the session's keys (the right IPMI and session sequence
numbers, so the client checks it as it would any reply).  What is left
per ``get_power`` is the client's own work: argument checks, encoding,
AES and HMAC both ways, matching, decoding, and its locks.  Printed
beside it: the same request over the real loopback socket (kernel
included) and the cost of the cryptography alone, so the share of each
layer can be read off.  Medians of several runs, CPU of the calling
thread.
"""
import argparse
import collections
import os
import statistics
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from pyghmi.ipmi import command  # noqa: E402
from pyghmi.ipmi.private.codec import wire  # noqa: E402
from pyghmi.ipmi.private.secure import packet  # noqa: E402
from pyghmi.ipmi.private.secure import randpool  # noqa: E402
from pyghmi.tests.functional import peers  # noqa: E402

# Get Chassis Status answer: completion code, power on, no events.
CHASSIS_REPLY = b'\x00\x01\x00\x00'


class MemorySocket:
    """Stands in for the endpoint's UDP socket: each datagram sent makes
    the next prepared reply readable."""

    def __init__(self, real, replies):
        self._real = real
        self._replies = iter(replies)
        self.ready = collections.deque()
        self.peer = None

    def fileno(self):
        return self._real.fileno()

    def sendto(self, data, *flags_and_address):
        self.peer = flags_and_address[-1][:2]
        self.ready.append(next(self._replies))
        return len(data)

    def recvfrom(self, size, flags=0):
        if not self.ready:
            raise BlockingIOError('nothing to read')
        return self.ready.popleft(), self.peer


def prepared_replies(core, count):
    """``count`` sealed Get Chassis Status replies, in the order the
    client will ask (one request in flight at a time)."""
    bmc_side = packet.SessionPackets(core._packets.keys, os.urandom)
    bmc_side.tx_seq = core._packets.window.high
    rqseq = core._rqseq
    out = []
    for _ in range(count):
        rqseq = (rqseq + 1) & 0x3F
        request = wire.Message(0x20, 0x00, 0, 0x81, rqseq, 0, 0x01, b'')
        out.append(bmc_side.seal(core.local_sid,
                                 wire.encode_response(request,
                                                      CHASSIS_REPLY)))
    return out


def cpu_per_call(func, count):
    start = time.thread_time()
    for _ in range(count):
        func()
    return (time.thread_time() - start) / count * 1e6


def crypto_us(keys, count):
    """CPU of the cryptography one request needs on the client: seal the
    request, open the reply."""
    client = packet.SessionPackets(keys, randpool.urandom)
    bmc = packet.SessionPackets(keys, randpool.urandom)
    reply = bmc.seal(1, wire.encode_request(0, 1, CHASSIS_REPLY, seq=1))
    start = time.thread_time()
    for _ in range(count):
        client.seal(2, wire.encode_request(0, 1, b'', seq=1))
        client.window.high = 0
        client.open(wire.parse_datagram(reply))
    return (time.thread_time() - start) / count * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--count', type=int, default=20000)
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()
    with peers.FakeBmcProcess(['--password', 'password']) as bmc:
        cmd = command.Command(bmc.host, 'admin', 'password', port=bmc.port)
        cmd.get_power()
        real = [cpu_per_call(cmd.get_power, args.count // 4)
                for _ in range(args.runs)]
        shared = cmd.ipmi_session._shared
        endpoint = shared.endpoint
        sock = endpoint.sock
        memory = []
        for _ in range(args.runs):
            with shared.lock:
                replies = prepared_replies(shared.core, args.count)
            endpoint.sock = MemorySocket(sock, replies)
            try:
                memory.append(cpu_per_call(cmd.get_power, args.count))
            finally:
                endpoint.sock = sock
        keys = shared.core._packets.keys
        cmd.ipmi_session.logout()
    seal = statistics.median(crypto_us(keys, args.count)
                             for _ in range(args.runs))
    path = statistics.median(memory)
    print('get_power client CPU, real loopback socket: %7.1f us'
          % statistics.median(real))
    print('get_power client CPU, in-memory socket:     %7.1f us' % path)
    print('  of which seal request + open reply:       %7.1f us' % seal)
    print('  the rest (our Python request path):       %7.1f us'
          % (path - seal))
    return 0


if __name__ == '__main__':
    sys.exit(main())
