#!/usr/bin/env python3
"""Fleet benchmark: one client process against N fakebmc BMCs.

    fleet_bench.py [--count 1000] [--seconds 5] [--ipmipower]
                   [--processes K] [--compare PYTHON] [--python-ipmi PYTHON]

1. starts ``fakebmc --count N`` (N UDP ports on 127.0.0.1; spread over
   ``--processes`` fakebmc processes when one CPU is the bottleneck);
2. logs into all N BMCs at once (asynchronous logins) and reads power
   from each as soon as it is logged in: prints the wall time;
3. reads power from all N established sessions at once again;
4. keeps every session busy for ``--seconds`` and prints the BMC
   process's authenticated requests per second and per CPU-second;
5. prints the client's peak memory; with ``--ipmipower`` also times
   FreeIPMI's ipmipower --stat against the same BMCs, side by side;
6. with ``--compare PYTHON`` runs step 2 with another pyghmi (same
   public API calls, in that interpreter), and with ``--python-ipmi
   PYTHON`` logs in and reads power with python-ipmi, one BMC after the
   other (it has no asynchronous API), each with its peak memory.
"""
import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

import measuring  # noqa: E402

from pyghmi.ipmi import command  # noqa: E402
from pyghmi.tests.functional import peers  # noqa: E402


class Fleet:
    """``count`` fakebmc BMCs served by ``processes`` fakebmc processes
    (one is one CPU at most): ``host``, ``ports`` and ``pids``."""

    host = '127.0.0.1'

    def __init__(self, count, processes=1):
        share = [count // processes + (i < count % processes)
                 for i in range(processes)]
        self.bmcs = [peers.FakeBmcProcess(['--count', str(n)])
                     for n in share if n]
        # fakebmc makes about 80 BMCs a second: wait for them all
        self.start_limit = 20.0 + max(share) / 40.0
        self.ports = []
        self.pids = []

    def __enter__(self):
        for bmc in self.bmcs:
            bmc.start(timeout=self.start_limit)
            self.ports.extend(bmc.ports)
            self.pids.append(bmc.proc.pid)
        return self

    def __exit__(self, *info):
        for bmc in self.bmcs:
            bmc.__exit__(*info)


def cpu_seconds(pid):
    """User + system CPU seconds of a process, from /proc."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def pump(pending, limit):
    deadline = time.monotonic() + limit
    while pending() and time.monotonic() < deadline:
        command.Command.wait_for_rsp(timeout=0.2)


def login_and_read(bmc):
    results = {}
    cmds = []

    def on_power(rsp, port):
        results[port] = rsp.get('error') or ('on' if rsp['data'][0] & 1
                                             else 'off')

    def on_logon(rsp, cmd):
        if 'error' in rsp:
            results[cmd.port] = rsp['error']
            return
        cmd.ipmi_session.raw_command(
            0, 1, callback=lambda r: on_power(r, cmd.port))

    start = time.perf_counter()
    for port in bmc.ports:
        cmd = command.Command(bmc.host, 'admin', 'password', port=port,
                              onlogon=on_logon)
        cmd.port = port
        cmds.append(cmd)
    pump(lambda: len(results) < len(bmc.ports), 120)
    return cmds, results, time.perf_counter() - start


def read_all(cmds):
    results = {}
    start = time.perf_counter()
    for cmd in cmds:
        cmd.ipmi_session.raw_command(
            0, 1, callback=lambda r, p=cmd.port: results.__setitem__(p, r))
    pump(lambda: len(results) < len(cmds), 60)
    return results, time.perf_counter() - start


def sustained(cmds, seconds, pids):
    count = [0]
    stop = time.monotonic() + seconds

    def again(rsp, cmd):
        count[0] += 'error' not in rsp
        if time.monotonic() < stop:
            cmd.ipmi_session.raw_command(
                6, 1, callback=lambda r: again(r, cmd))
        else:
            count.append(None)
    cpu0 = sum(cpu_seconds(pid) for pid in pids)
    start = time.perf_counter()
    for cmd in cmds:
        cmd.ipmi_session.raw_command(6, 1, callback=lambda r, c=cmd:
                                     again(r, c))
    pump(lambda: len(count) - 1 < len(cmds), seconds + 30)
    wall = time.perf_counter() - start
    return count[0], wall, sum(cpu_seconds(pid) for pid in pids) - cpu0


# The peak memory of a script run in another interpreter: VmHWM, since
# ru_maxrss would include the parent's, kept across fork and exec.
_PEAK = r'''
import json, sys, time
def peak_kib():
    with open('/proc/self/status') as f:
        return int([l for l in f if l.startswith('VmHWM')][0].split()[1])
'''

# Step 2 in another interpreter with another pyghmi: the same calls
# (asynchronous logins with onlogon, raw_command with a callback).
FLEET_PYGHMI = _PEAK + r'''
from pyghmi.ipmi import command
host, ports = sys.argv[1], [int(p) for p in sys.argv[2].split(',')]
results = {}
def on_logon(rsp, cmd):
    if 'error' in rsp:
        results[cmd.port] = False
        return
    cmd.ipmi_session.raw_command(0, 1, callback=lambda r, p=cmd.port:
                                 results.__setitem__(p, 'error' not in r))
start, cpu0 = time.perf_counter(), time.process_time()
cmds = []
for port in ports:
    cmd = command.Command(host, 'admin', 'password', port=port,
                          onlogon=on_logon)
    cmd.port = port
    cmds.append(cmd)
deadline = time.monotonic() + 300
while len(results) < len(ports) and time.monotonic() < deadline:
    command.Command.wait_for_rsp(timeout=0.2)
print(json.dumps({'wall': time.perf_counter() - start,
                  'cpu': time.process_time() - cpu0,
                  'ok': sum(results.values()),
                  'rss': peak_kib()}))
'''

# Step 2 with this package's asyncio API: every login and power read a
# coroutine of one event loop (no thread); file descriptors counted with
# every session open.
FLEET_ASYNCIO = _PEAK + r'''
import asyncio, os
from pyghmi.aio.ipmi import command
host, ports = sys.argv[1], [int(p) for p in sys.argv[2].split(',')]
if len(sys.argv) > 4 and sys.argv[4] == 'uvloop':
    import uvloop
    uvloop.install()
async def one(port):
    try:
        c = await command.Command.create(host, 'admin', 'password',
                                         port=port)
        return c, (await c.get_power())['powerstate'] in ('on', 'off')
    except Exception:
        return None, False
async def main():
    start, cpu0 = time.perf_counter(), time.process_time()
    out = await asyncio.gather(*(one(p) for p in ports))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
    fds = len(os.listdir('/proc/self/fd'))
    await asyncio.gather(*(c.logout() for c, _ in out if c))
    return wall, cpu, sum(ok for _, ok in out), fds
wall, cpu, ok, fds = asyncio.run(main())
print(json.dumps({'wall': wall, 'cpu': cpu, 'ok': ok, 'rss': peak_kib(),
                  'fds': fds}))
'''

# The same with python-ipmi, one BMC after the other.
FLEET_PYIPMI = _PEAK + r'''
sys.path.insert(0, sys.argv[3])
from measure_pyipmi import connect
host, ports = sys.argv[1], [int(p) for p in sys.argv[2].split(',')]
ok = 0
start = time.perf_counter()
for port in ports:
    try:
        ipmi = connect(host, port, 'admin', 'password')
        ipmi.get_chassis_status()
        ipmi.close()
        ok += 1
    except Exception:
        pass
print(json.dumps({'wall': time.perf_counter() - start, 'ok': ok,
                  'rss': peak_kib()}))
'''


def other_client(python, script, bmc, *extra, ours=False):
    """Run a fleet script in ``python``; its figures or None."""
    env = dict(os.environ, PYTHONPATH=TOP if ours else '')
    try:
        out = subprocess.run(
            [python, '-c', script, bmc.host,
             ','.join(str(p) for p in bmc.ports),
             os.path.join(TOP, 'bench')] + list(extra), capture_output=True,
            text=True, timeout=900, cwd='/', env=env)
        return json.loads(out.stdout.splitlines()[-1])
    except (subprocess.SubprocessError, OSError, ValueError, IndexError):
        return None


def ipmipower(bmc):
    """ipmipower --stat on every BMC: one run, or several at once when
    the host list is longer than one argument may be (128 KiB)."""
    hosts = ['%s:%d' % (bmc.host, p) for p in bmc.ports]
    batches, size = [[]], 0
    for host in hosts:
        if size + len(host) + 1 > 120000:
            batches.append([])
            size = 0
        batches[-1].append(host)
        size += len(host) + 1
    start = time.perf_counter()
    procs = [subprocess.Popen(
        ['ipmipower', '-D', 'LAN_2_0', '-h', ','.join(batch), '-u',
         'admin', '-p', 'password', '-I', '17', '--stat'],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for batch in batches]
    outputs = [proc.communicate(timeout=600)[0] for proc in procs]
    wall = time.perf_counter() - start
    ok = sum(1 for out in outputs for line in out.splitlines()
             if line.endswith((': on', ': off')))
    return ok, wall


def side_by_side(bmc, count):
    """Login + power read of every BMC by the threaded and the asyncio
    API (each in a fresh process) and FreeIPMI's ipmipower."""
    runs = [('threads (onlogon callbacks)', FLEET_PYGHMI, ()),
            ('asyncio', FLEET_ASYNCIO, ())]
    if importlib.util.find_spec('uvloop') is not None:
        runs.append(('asyncio on uvloop', FLEET_ASYNCIO, ('uvloop',)))
    for name, script, extra in runs:
        with CpuUse(bmc.pids) as cpu:
            res = other_client(sys.executable, script, bmc, *extra,
                               ours=True)
        if res is None:
            print('%s: failed' % name)
            continue
        cpu.client = res['cpu']         # the timed part only
        print('%-28s %5d BMCs: %6.2f s, %5.0f logins/s (%d answered), '
              'peak %.1f MiB = %.1f KiB per session%s; %s'
              % (name, count, res['wall'], res['ok'] / res['wall'],
                 res['ok'], res['rss'] / 1024, res['rss'] / count,
                 ', %d descriptors' % res['fds'] if 'fds' in res else '',
                 cpu))
    with CpuUse(bmc.pids) as cpu:
        ok, wall = ipmipower(bmc)
    print('%-28s %5d BMCs: %6.2f s, %5.0f logins/s (%d answered); %s'
          % ('FreeIPMI ipmipower --stat', count, wall, ok / wall, ok, cpu))


class CpuUse:
    """CPU seconds that a block's child processes (the client: whole
    process, or the timed part where it says) and the fakebmc processes
    used: on a small machine both sides share the cores."""

    def __init__(self, pids):
        self.pids = pids
        self.client = self.bmcs = 0.0

    @staticmethod
    def _children():
        use = resource.getrusage(resource.RUSAGE_CHILDREN)
        return use.ru_utime + use.ru_stime

    def __enter__(self):
        self._start = (self._children(),
                       sum(cpu_seconds(pid) for pid in self.pids))
        return self

    def __exit__(self, *exc_info):
        self.client = self._children() - self._start[0]
        self.bmcs = sum(cpu_seconds(pid) for pid in self.pids) - \
            self._start[1]

    def __str__(self):
        return 'CPU: client %.2f s, fakebmc %.2f s' % (
            self.client, self.bmcs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--count', type=int, default=1000)
    parser.add_argument('--seconds', type=float, default=5.0)
    parser.add_argument('--ipmipower', action='store_true')
    measuring.add_peer_options(parser, compare=None, python_ipmi=None)
    parser.add_argument('--processes', type=int, default=1,
                        help='fakebmc processes serving the BMCs')
    parser.add_argument('--asyncio', action='store_true',
                        help='also log in and read power with this '
                             "package's asyncio API and its threaded "
                             'API, each in a process of its own (peak '
                             'memory and descriptors side by side)')
    args = parser.parse_args()
    with Fleet(args.count, args.processes) as bmc:
        if args.asyncio:
            side_by_side(bmc, args.count)
        cmds, results, wall = login_and_read(bmc)
        good = sum(1 for v in results.values() if v in ('on', 'off'))
        print('%d BMCs: login + power read, all at once: %.2f s '
              '(%d/%d answered)' % (args.count, wall, good, args.count))
        again, wall2 = read_all(cmds)
        good2 = sum(1 for v in again.values() if 'error' not in v)
        print('%d BMCs: power read on open sessions: %.3f s (%d/%d)'
              % (args.count, wall2, good2, args.count))
        done, swall, cpu = sustained(cmds, args.seconds, bmc.pids)
        print('sustained: %d authenticated requests in %.1f s = %.0f/s; '
              'fakebmc used %.2f CPU-s = %.0f requests per CPU-second'
              % (done, swall, done / swall, cpu, done / max(cpu, 1e-9)))
        print('client peak memory: %.1f MiB' % (
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
        if args.ipmipower:
            ok, pwall = ipmipower(bmc)
            print('FreeIPMI ipmipower --stat, %d BMCs: %.2f s (%d answered)'
                  % (args.count, pwall, ok))
        others = [('other pyghmi', args.compare, FLEET_PYGHMI),
                  ('python-ipmi, one by one', args.python_ipmi,
                   FLEET_PYIPMI)]
        for name, python, script in others:
            python = measuring.installed(python)
            if not python:
                continue
            res = other_client(python, script, bmc)
            if res is None:
                print('%s: failed' % name)
                continue
            print('%s, %d BMCs: login + power read: %.2f s (%d answered), '
                  'peak memory %.1f MiB'
                  % (name, args.count, res['wall'], res['ok'],
                     res['rss'] / 1024))
        for cmd in cmds:
            cmd.logout()
    return 0


if __name__ == '__main__':
    sys.exit(main())
