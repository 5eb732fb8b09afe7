#!/usr/bin/env python3
"""Throw hostile datagrams at a running fakebmc and watch its memory.

Sends N datagrams (default 100,000) to a fakebmc process on loopback:
random bytes, mutations of every login message, replays and mutations of
authenticated in-session packets sealed with real session keys (so the
code after the integrity check is reached), Open Session floods, and
sequence numbers far ahead.  Prints the BMC's resident memory before and
after, its rate, and whether a normal client still works afterwards.
"""

import argparse
import os
import random
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))

from pyghmi.ipmi import command  # noqa: E402
from pyghmi.ipmi.private.codec import rakp  # noqa: E402
from pyghmi.ipmi.private.codec import wire  # noqa: E402
from pyghmi.ipmi.private.secure import crypto  # noqa: E402
from pyghmi.tests.functional import peers  # noqa: E402


def rss_kib(pid):
    """Resident set size of ``pid`` in KiB (Linux)."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def samples(cmd, rng):
    """Generators of hostile datagrams, by kind."""
    shared = cmd.ipmi_session._shared
    packets = shared.core._packets
    bmc_sid = shared.core._bmc_sid
    auth, integ, conf = crypto.suite_algorithms(17)
    opening = wire.encode_v2(0x10, 0, 0, rakp.encode_open_request(
        1, 4, 0x1234, auth, integ, conf))

    def mutate(data):
        data = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)

    def sealed():
        msg = wire.encode_message(0x20, rng.randrange(64), 0, 0x81,
                                  rng.randrange(64), 0, rng.randrange(256),
                                  os.urandom(rng.randrange(40)))
        return packets.seal(bmc_sid, msg)

    def far_ahead():
        packets.tx_seq = rng.randrange(2 ** 32)
        return sealed()
    return [
        lambda: os.urandom(rng.randrange(1, 200)),
        lambda: mutate(opening),
        lambda: opening,
        sealed, lambda: mutate(sealed()), far_ahead,
        lambda: wire.encode_v2(0x12, bmc_sid, 0, os.urandom(40)),
        lambda: wire.encode_v2(0x14, bmc_sid, 0, os.urandom(30)),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--count', type=int, default=100000)
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with peers.FakeBmcProcess() as bmc:
        pid = bmc.proc.pid
        cmd = command.Command(bmc.host, 'admin', 'password', port=bmc.port)
        cmd.get_power()
        before = rss_kib(pid)
        kinds = samples(cmd, rng)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        start = time.monotonic()
        for index in range(args.count):
            sock.sendto(rng.choice(kinds)(), (bmc.host, bmc.port))
            if index % 20 == 0:
                time.sleep(0.001)     # let the BMC keep up
        sent = time.monotonic() - start
        time.sleep(1.0)
        after = rss_kib(pid)
        fresh = command.Command(bmc.host, 'admin', 'password', port=bmc.port,
                                privlevel=3)
        works = fresh.get_power()['powerstate'] in ('on', 'off')
        fresh.logout()
        print('%d hostile datagrams in %.1f s (%.0f/s)' % (
            args.count, sent, args.count / sent))
        print('fakebmc RSS before %d KiB, after %d KiB (%+d KiB)' % (
            before, after, after - before))
        print('a new client logs in and reads power afterwards: %s'
              % ('yes' if works else 'NO'))
        print('fakebmc still running: %s'
              % ('yes' if bmc.proc.poll() is None else 'NO'))
        return 0 if works and bmc.proc.poll() is None else 1


if __name__ == '__main__':
    sys.exit(main())
