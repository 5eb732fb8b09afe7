#!/usr/bin/env python3
"""Memory per open IPMI session, threaded and asyncio clients side by
side.

    session_memory.py [--count 1000] [--processes 2]

Starts ``fakebmc --count N`` (over ``--processes`` processes), then in a
fresh interpreter for each client logs in to every BMC, reads power
once, and measures with tracemalloc the Python memory the N open
sessions hold (one session opened first is left out of the figure, so
that imports and shared tables are not counted).  Prints KiB per
session, and the largest holders.
"""
import argparse
import json
import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)
sys.path.insert(0, os.path.join(TOP, 'bench'))

import fleet_bench  # noqa: E402

CLIENT = r'''
import asyncio, gc, json, sys, time, tracemalloc
host, ports, mode = sys.argv[1], [int(p) for p in sys.argv[2].split(',')], \
    sys.argv[3]


def measure(open_rest):
    gc.collect()
    tracemalloc.start(1)
    base = tracemalloc.get_traced_memory()[0]
    keep = open_rest()
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - base
    top = [(str(stat.traceback), stat.size) for stat in
           tracemalloc.take_snapshot().statistics('filename')[:5]]
    tracemalloc.stop()
    return keep, used, top


if mode == 'threads':
    from pyghmi.ipmi import command
    first = command.Command(host, 'admin', 'password', port=ports[0])
    first.get_power()

    def open_rest():
        done = {}
        cmds = [command.Command(host, 'admin', 'password', port=port,
                                onlogon=lambda r, c: done.setdefault(c, 1))
                for port in ports[1:]]
        deadline = time.monotonic() + 120
        while len(done) < len(cmds) and time.monotonic() < deadline:
            command.Command.wait_for_rsp(timeout=0.2)
        for cmd in cmds:
            cmd.get_power()
        done.clear()
        return cmds
    cmds, used, top = measure(open_rest)
else:
    from pyghmi.aio.ipmi import command
    loop = asyncio.new_event_loop()

    async def one(port):
        cmd = await command.Command.create(host, 'admin', 'password',
                                           port=port)
        await cmd.get_power()
        return cmd

    async def many(some):
        return list(await asyncio.gather(*(one(port) for port in some)))
    first = loop.run_until_complete(one(ports[0]))
    cmds, used, top = measure(
        lambda: loop.run_until_complete(many(ports[1:])))
print(json.dumps({'sessions': len(cmds), 'used': used, 'top': top}))
'''


def run(mode, fleet):
    out = subprocess.run(
        [sys.executable, '-c', CLIENT, fleet.host,
         ','.join(str(p) for p in fleet.ports), mode],
        capture_output=True, text=True, timeout=600, cwd='/',
        env=dict(os.environ, PYTHONPATH=TOP))
    try:
        return json.loads(out.stdout.splitlines()[-1])
    except (ValueError, IndexError):
        sys.stderr.write(out.stderr)
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--count', type=int, default=1000)
    parser.add_argument('--processes', type=int, default=2)
    args = parser.parse_args()
    with fleet_bench.Fleet(args.count, args.processes) as fleet:
        for mode in ('threads', 'asyncio'):
            res = run(mode, fleet)
            if res is None:
                print('%s: failed' % mode)
                continue
            print('%-8s %5d open sessions: %.2f KiB per session' % (
                mode, res['sessions'], res['used'] / 1024 / res['sessions']))
            for where, size in res['top']:
                print('    %8.1f KiB  %s' % (size / 1024, where))


if __name__ == '__main__':
    main()
