#!/usr/bin/env python3
"""A BMC far away: sensor sweep, SEL read and inventory over a link with
a fixed one-way delay (2 ms and 20 ms, 10% jitter), pipelined and one
request at a time, beside pyghmi 1.6.19, python-ipmi, ipmitool and
FreeIPMI.

    latency_bench.py [--delays 0.002,0.02] [--bmc fakebmc,ipmi_sim]
                     [--compare PYTHON] [--python-ipmi PYTHON]

The BMC, behind the test proxy (pyghmi/tests/support/netem.py), has 100
sensors and 500 SEL entries: a fakebmc, and OpenIPMI's ipmi_sim with the
same sensors (SDRs from our encoder, 75 threshold temperatures and 25
discrete slots; it has no FRU data, so its inventory is one short
answer).  Our client and the original read the SDR in a first sweep
("cold"), then a second sweep (what a monitoring loop does) and the
whole SEL are timed in the same session.  ipmitool and FreeIPMI run as
a user would run them, so their figures include their login (about 5
round trips) and, for ``ipmitool sdr``, reading the SDR; they are
printed for scale, not as like for like.
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)
sys.path.insert(0, os.path.join(TOP, 'bench'))

import measuring  # noqa: E402
import sensor_bench  # noqa: E402

from pyghmi.ipmi import command  # noqa: E402
from pyghmi.ipmi import sdr  # noqa: E402
from pyghmi.tests.functional import peers  # noqa: E402
from pyghmi.tests.support import netem  # noqa: E402

SEL_ENTRIES = 500
EVENT = struct.pack('<HBIHBBBBBBB', 0, 2, 0, 0x20, 4, 1, 0x30, 1, 0x57,
                    0xFF, 0xFF)

TIMED = r'''
import json, sys, time
from pyghmi.ipmi import command
c = command.Command(sys.argv[1], 'admin', 'password', port=int(sys.argv[2]))
t = time.perf_counter(); list(c.get_sensor_data())
cold = time.perf_counter() - t
t = time.perf_counter(); n = len(list(c.get_sensor_data()))
sweep = time.perf_counter() - t
t = time.perf_counter(); e = len(c.get_event_log())
sel = time.perf_counter() - t
t = time.perf_counter()
try:
    dict(c.get_inventory())
    inventory = time.perf_counter() - t
except Exception:
    inventory = None
print(json.dumps({'cold': cold, 'sweep': sweep, 'sel': sel,
                  'inventory': inventory, 'sensors': n, 'events': e}))
'''

# The same figures with python-ipmi (cipher suite 3, see
# measure_pyipmi.py): the SDR read and readings are its own calls; a
# "sweep" reads every sensor of the SDR it has already read; inventory
# parses FRU 0 and reads the bytes of every other logical FRU device the
# SDR lists (python-ipmi has no SPD decoder), as ours reads them all.
TIMED_PYIPMI = r'''
import json, sys, time
sys.path.insert(0, sys.argv[3])
from measure_pyipmi import connect
c = connect(sys.argv[1], int(sys.argv[2]), 'admin', 'password')
frus = []
def numbers():
    entries = list(c.sdr_repository_entries())
    frus[:] = [e.fru_device_id for e in entries
               if hasattr(e, 'fru_device_id') and e.logical_physical & 0x80
               and e.fru_device_id]
    return [e.number for e in entries if hasattr(e, 'number')]
def read(sensors):
    for number in sensors:
        c.get_sensor_reading(number)
    return len(sensors)
t = time.perf_counter(); sensors = numbers(); read(sensors)
cold = time.perf_counter() - t
t = time.perf_counter(); n = read(sensors)
sweep = time.perf_counter() - t
t = time.perf_counter(); e = len(c.get_sel_entries())
sel = time.perf_counter() - t
t = time.perf_counter()
try:
    c.get_fru_inventory(0)
    for fru in frus:
        c.read_fru_data_full(fru)
    inventory = time.perf_counter() - t
except Exception:
    inventory = None        # no FRU data (ipmi_sim)
c.close()
print(json.dumps({'cold': cold, 'sweep': sweep, 'sel': sel,
                  'inventory': inventory, 'sensors': n, 'events': e}))
'''


def _fill_sel(bmc):
    c = command.Command(bmc.host, 'admin', 'password', port=bmc.port)
    have = len(c.get_event_log())
    c.xraw_commands([{'netfn': 0x0A, 'command': 0x44, 'data': EVENT}] *
                    max(0, SEL_ENTRIES - have))
    c.logout()


def _bmc(kind, workdir):
    """A started BMC of ``kind`` with 100 sensors (not yet filled SEL)."""
    if kind == 'ipmi_sim':
        return peers.IpmiSim(extra_emu=peers.ipmi_sim_sensors(100),
                             chassis_control=False).start()
    path = os.path.join(workdir, 'profile.json')
    sensor_bench.hundred_sensor_profile(path)
    return peers.FakeBmcProcess(['--profile', path]).start()


def _ours(proxy, max_inflight):
    c = command.Command(proxy.host, 'admin', 'password', port=proxy.port,
                        max_inflight=max_inflight)
    sdr.clear_memory_cache()
    t = time.perf_counter()
    list(c.get_sensor_data())       # the SDR read from the BMC
    cold = time.perf_counter() - t
    t = time.perf_counter()
    sensors = len(list(c.get_sensor_data()))
    sweep = time.perf_counter() - t
    t = time.perf_counter()
    events = len(c.get_event_log())
    sel = time.perf_counter() - t
    t = time.perf_counter()
    try:
        dict(c.get_inventory())
        inventory = time.perf_counter() - t
    except Exception:               # noqa: BLE001 - no FRU (ipmi_sim)
        inventory = None
    c.logout()
    return {'cold': cold, 'sweep': sweep, 'sel': sel,
            'inventory': inventory, 'sensors': sensors, 'events': events}


def _python(python, proxy, script=TIMED):
    out = subprocess.run([python, '-c', script, proxy.host, str(proxy.port),
                          os.path.join(TOP, 'bench')],
                         capture_output=True, text=True, cwd='/',
                         env=dict(os.environ, PYTHONPATH=''), timeout=900)
    if out.returncode:
        return None
    return json.loads(out.stdout.splitlines()[-1])


def _tool(argv):
    t = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, timeout=900)
    took = time.perf_counter() - t
    return took if out.returncode == 0 else None


def _peers(proxy, home, kind):
    target = ['-H', proxy.host, '-p', str(proxy.port), '-U', 'admin',
              '-P', 'password']
    ipmitool = ['ipmitool', '-I', 'lanplus', '-C', '3'] + target
    cache = os.path.join(home, kind)
    os.makedirs(cache, exist_ok=True)
    freeipmi = ['--hostname', '%s:%d' % (proxy.host, proxy.port),
                '--username', 'admin', '--password', 'password',
                '--driver-type', 'LAN_2_0', '--sdr-cache-directory', cache]
    if kind == 'ipmi_sim':
        # FreeIPMI refuses ipmi_sim's Open Session answer without it
        freeipmi += ['--workaround-flags', 'opensesspriv']
    results = {}
    if shutil.which('ipmitool'):
        results['ipmitool'] = {'sel': _tool(ipmitool + ['sel', 'list']),
                               'sweep': _tool(ipmitool + ['sdr'])}
    if shutil.which('ipmi-sensors'):
        _tool(['ipmi-sensors'] + freeipmi)      # fills its SDR cache
        results['FreeIPMI'] = {
            'sweep': _tool(['ipmi-sensors'] + freeipmi),
            'sel': _tool(['ipmi-sel'] + freeipmi)}
    return results


def _cell(value):
    return '%10s' % ('-' if value is None else '%.3f s' % value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--delays', default='0.002,0.02')
    parser.add_argument('--bmc', default='fakebmc,ipmi_sim',
                        help='the BMCs to put behind the link, in turn')
    measuring.add_peer_options(parser)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp()
    for kind in args.bmc.split(','):
        bmc = _bmc(kind, workdir)
        try:
            _fill_sel(bmc)
            _compare(kind, bmc, args, workdir)
        finally:
            bmc.stop()
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _compare(kind, bmc, args, workdir):
    """Every client against ``bmc`` at each delay; prints a table each."""
    for delay in [float(d) for d in args.delays.split(',')]:
        link = netem.Impairments(delay=delay, jitter=delay / 10)
        with netem.HostileProxy((bmc.host, bmc.port), link,
                                lifetime=3600) as proxy:
            rows = [('ours, pipelined', _ours(proxy, None)),
                    ('ours, one at a time', _ours(proxy, 1))]
            if measuring.installed(args.compare):
                rows.append(('pyghmi 1.6.19', _python(args.compare, proxy)))
            if measuring.installed(args.python_ipmi):
                rows.append(('python-ipmi', _python(
                    args.python_ipmi, proxy, TIMED_PYIPMI)))
            rows.extend(_peers(proxy, workdir, kind).items())
        base = rows[0][1]
        print('\n%s, %.0f ms each way (%d sensors, %d SEL entries)'
              % (kind, delay * 1e3, base['sensors'], base['events']))
        print('%-22s%10s%8s%10s%8s%10s%8s%10s%8s' % (
            '', 'cold', 'x', 'sweep', 'x', 'SEL', 'x', 'inventory', 'x'))
        for name, res in rows:
            res = res or {}
            print('%-22s' % name + ''.join(
                _cell(res.get(key)) + '%8s' % (
                    '%.1f' % (res[key] / base[key])
                    if res.get(key) and base.get(key) else '-')
                for key in ('cold', 'sweep', 'sel', 'inventory')))


if __name__ == '__main__':
    sys.exit(main())
