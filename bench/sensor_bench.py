#!/usr/bin/env python3
"""Full sensor sweep of a 100-sensor fakebmc: cold, then with a warm cache.

    sensor_bench.py [--compare PYTHON] [--python-ipmi PYTHON] [--runs 5]

Prints wall time and datagrams (round trips) for: a first sweep that reads
the SDR repository, a sweep in a new session with the SDR cache directory
warm, and a repeated sweep on the same session.  ``--compare`` runs the
same measurement with another interpreter (e.g. a virtualenv holding
pyghmi 1.6.19) side by side, and python-ipmi gets a column when its
virtualenv is there (it keeps no SDR cache: its "warm" run reads the
SDR again).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

import measuring  # noqa: E402

from pyghmi.fakebmc import profile as profiles  # noqa: E402
from pyghmi.tests.functional import peers  # noqa: E402

MEASURE = r'''
import json, socket, sys, time
sent = [0]
orig = socket.socket.sendto
def counting(self, *a):
    sent[0] += 1
    return orig(self, *a)
socket.socket.sendto = counting
from pyghmi.ipmi import command
host, port, cache, sweeps = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
    int(sys.argv[4])
c = command.Command(host, 'admin', 'password', port=port)
c.set_sdr_cachedir(cache)
out = []
for _ in range(sweeps):
    s0, t0 = sent[0], time.perf_counter()
    n = len(list(c.get_sensor_data()))
    out.append((time.perf_counter() - t0, sent[0] - s0, n))
print(json.dumps(out))
'''


# The same with python-ipmi (RMCP+ suite 3, see measure_pyipmi.py): the
# first sweep reads the SDR, later ones read the sensors it listed; it
# keeps no SDR cache, so its "warm" new process reads the SDR again.
MEASURE_PYIPMI = r'''
import json, sys, time
sys.path.insert(0, sys.argv[5])
from measure_pyipmi import SENT as sent, connect
host, port, sweeps = sys.argv[1], int(sys.argv[2]), int(sys.argv[4])
c = connect(host, port, 'admin', 'password')
numbers = None
out = []
for _ in range(sweeps):
    s0, t0 = sent[0], time.perf_counter()
    if numbers is None:
        numbers = [e.number for e in c.sdr_repository_entries()
                   if hasattr(e, 'number')]
    for number in numbers:
        c.get_sensor_reading(number)
    out.append((time.perf_counter() - t0, sent[0] - s0, len(numbers)))
print(json.dumps(out))
'''


def _run(python, pythonpath, bmc, cache, sweeps, script=MEASURE):
    env = dict(os.environ, PYTHONPATH=pythonpath)
    out = subprocess.check_output(
        [python, '-c', script, bmc.host, str(bmc.port), cache, str(sweeps),
         os.path.join(TOP, 'bench')], env=env, cwd='/')
    return json.loads(out.decode().splitlines()[-1])


def measure(python, pythonpath, bmc, runs, script=MEASURE):
    """Medians of (seconds, datagrams) per phase; each phase in a new
    process, as a new program run would be."""
    phases = {'cold': [], 'again': [], 'warm': []}
    for _ in range(runs):
        cache = tempfile.mkdtemp()
        cold, again = _run(python, pythonpath, bmc, cache, 2, script)
        phases['cold'].append(cold)
        phases['again'].append(again)
        phases['warm'].append(_run(python, pythonpath, bmc, cache, 1,
                                   script)[0])
    return {k: [statistics.median(x[0] for x in v),
                statistics.median(x[1] for x in v), v[0][2]]
            for k, v in phases.items()}


def hundred_sensor_profile(path):
    profile = profiles.load()
    sensors = []
    for i in range(100):
        if i % 4 == 3:
            sensors.append({'name': 'Slot %d' % i, 'kind': 'compact',
                            'type': 'Slot/Connector', 'states': [2]})
        else:
            sensors.append({'name': 'Sensor %d' % i, 'type': 'Temperature',
                            'unit': '°C', 'value': 20 + i % 50,
                            'thresholds': {'upper critical': 90}})
    # A manufacturer id no OEM handler claims, so both libraries stay on
    # the generic IPMI path.
    identity = dict(profile['identity'], manufacturer_id=65534)
    profile.update(sensors=sensors, extra_sdrs=[], sdr_max_read=255,
                   identity=identity)
    with open(path, 'w') as f:
        json.dump(profile, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    measuring.add_peer_options(parser, compare=None)
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()
    path = os.path.join(tempfile.mkdtemp(), 'profile.json')
    hundred_sensor_profile(path)
    columns = [('this tree', sys.executable, TOP, MEASURE)]
    if measuring.installed(args.compare):
        columns.append(('compared', measuring.installed(args.compare), '',
                        MEASURE))
    if measuring.installed(args.python_ipmi):
        columns.append(('python-ipmi', measuring.installed(args.python_ipmi),
                        '', MEASURE_PYIPMI))
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        results = [measure(python, pythonpath, bmc, args.runs, script)
                   for _, python, pythonpath, script in columns]
    print('%-46s' % 'sweep of 100 sensors (median)' +
          ''.join('%22s' % c[0] for c in columns))
    for key, label in (('cold', 'new process, SDR read from the BMC'),
                       ('warm', 'new process, SDR cache directory warm'),
                       ('again', 'same session, second sweep')):
        print('%-46s' % label + ''.join(
            '%9.1f ms %4d dgrams' % (r[key][0] * 1e3, r[key][1])
            for r in results))
    print('sensors read: ' + ', '.join(str(r['cold'][2]) for r in results))
    return 0


if __name__ == '__main__':
    sys.exit(main())
