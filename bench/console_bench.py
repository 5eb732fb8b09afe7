#!/usr/bin/env python3
"""Serial over LAN: output throughput and keystroke round trip, our
Console beside ipmitool's ``sol activate`` on the same fakebmc.

    console_bench.py [--lines N] [--keys N] [--runs N]

fakebmc runs ``/bin/sh`` behind its console.  Throughput: the console
types ``seq 1 N`` and the time until the last line arrived gives KB/s
of output (the shell's own speed on a pseudo-terminal included, the
same for both).  Round trip: one key typed, the time until the
terminal's echo of it comes back, median over ``--keys`` keys.
Figures are medians of ``--runs`` runs.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from pyghmi.ipmi import console  # noqa: E402
from pyghmi.tests.functional import peers  # noqa: E402


class Ours:
    """Our Console, driven from this thread."""

    def __init__(self, bmc):
        self.chunks = []
        self.con = console.Console(bmc.host, 'admin', 'password',
                                   self.chunks.append, port=bmc.port)
        self._wait(lambda: self.con.connected, 30)

    def _wait(self, done, limit):
        end = time.monotonic() + limit
        while not done():
            if time.monotonic() > end:
                raise RuntimeError('console did not answer')
            console.Console.wait_for_rsp(0.0005)

    def _text(self):
        return b''.join(c for c in self.chunks if isinstance(c, bytes))

    def type_and_wait(self, data, marker, limit=120):
        """Seconds from typing ``data`` until ``marker`` arrived."""
        self.chunks.clear()
        start = time.monotonic()
        self.con.send_data(data)
        self._wait(lambda: marker in self._text(), limit)
        return time.monotonic() - start

    def close(self):
        self.con.close()


class Ipmitool:
    """ipmitool sol activate on a pseudo-terminal."""

    def __init__(self, bmc):
        self.master, slave = os.openpty()
        self.proc = subprocess.Popen(
            ['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p',
             str(bmc.port), '-U', 'admin', '-P', 'password', 'sol',
             'activate'], stdin=slave, stdout=slave, stderr=slave)
        os.close(slave)
        self._read_until(b'SOL Session operational', 30)

    def _read_until(self, marker, limit):
        seen = b''
        end = time.monotonic() + limit
        while marker not in seen:
            if time.monotonic() > end:
                raise RuntimeError('ipmitool did not answer: %r' % seen[-200:])
            seen += os.read(self.master, 65536)

    def type_and_wait(self, data, marker, limit=120):
        """Seconds from typing ``data`` until ``marker`` arrived."""
        start = time.monotonic()
        os.write(self.master, data)
        self._read_until(marker, limit)
        return time.monotonic() - start

    def close(self):
        os.write(self.master, b'\r~.')
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self.master)


def measure(kind, bmc, lines, keys):
    """(KB/s of output, median key round trip in ms) of one client."""
    client = kind(bmc)
    try:
        client.type_and_wait(b'stty echo; echo ready-$((1+1))\r', b'ready-2')
        size = sum(len(b'%d\r\n' % n) for n in range(1, lines + 1))
        took = client.type_and_wait(
            b'seq 1 %d; echo done-$((2+2))\r' % lines, b'done-4')
        trips = [client.type_and_wait(key, key) * 1000
                 for key in (b'q', b'w', b'e', b'r', b't') * (keys // 5)]
        client.type_and_wait(b'\x15echo clear-$((3+3))\r', b'clear-6')
        return size / 1024 / took, statistics.median(trips)
    finally:
        client.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--lines', type=int, default=20000)
    parser.add_argument('--keys', type=int, default=50)
    parser.add_argument('--runs', type=int, default=3)
    opts = parser.parse_args()
    results = {'pyghmi Console': [], 'ipmitool sol': []}
    with peers.FakeBmcProcess(['--sol-command', '/bin/sh']) as bmc:
        for _ in range(opts.runs):
            results['pyghmi Console'].append(
                measure(Ours, bmc, opts.lines, opts.keys))
            results['ipmitool sol'].append(
                measure(Ipmitool, bmc, opts.lines, opts.keys))
    ours = [statistics.median(v) for v in zip(*results['pyghmi Console'])]
    theirs = [statistics.median(v) for v in zip(*results['ipmitool sol'])]
    print('%-34s %14s %14s %8s' % ('console (fakebmc, /bin/sh)',
                                   'pyghmi', 'ipmitool', 'ratio'))
    print('%-34s %14.1f %14.1f %7.2fx' % (
        'output throughput, KB/s', ours[0], theirs[0], ours[0] / theirs[0]))
    print('%-34s %14.2f %14.2f %7.2fx' % (
        'keystroke round trip, ms', ours[1], theirs[1],
        ours[1] / theirs[1]))


if __name__ == '__main__':
    main()
