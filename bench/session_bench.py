#!/usr/bin/env python3
"""Login and get_power cost against OpenIPMI's ipmi_sim, side by side.

    session_bench.py [--compare PYTHON] [--ops N] [--runs N]

Starts ipmi_sim on a free loopback port and runs measure_client.py with
this tree's pyghmi; with ``--compare`` also with another interpreter (for
example a virtualenv holding ``pyghmi==1.6.19``), and prints both columns.
Figures are medians of several runs.  ipmi_sim runs here without the
tests' chassis control program (which would start a process for every
Get Chassis Status), so get_power measures the client, not that program.
``--pin`` runs everything on one CPU: figures then vary far less between
runs (no cross-CPU wake-ups), and client CPU can be compared with the
floor printed by floor_bench.py and request_path_bench.py; pyghmi 1.6.19
stalls there (about 1.3 s per get_power: its waits rely on another CPU),
so compare with it unpinned.
"""
import argparse
import json
import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from pyghmi.tests.functional import peers  # noqa: E402

ROWS = (
    ('login_ms', 'first login, ms (with suite discovery)'),
    ('login_packets', 'first login, datagrams sent'),
    ('second_login_ms', 'second login to the same BMC, ms'),
    ('second_login_packets', 'second login, datagrams sent'),
    ('get_power_wall_us', 'get_power wall, us/op'),
    ('get_power_cpu_us', 'get_power client CPU, us/op'),
    ('get_power_packets', 'get_power datagrams sent/op'),
    ('device_id_wall_us', 'raw Get Device ID wall, us/op'),
    ('device_id_cpu_us', 'raw Get Device ID client CPU, us/op'),
    ('device_id_packets', 'raw Get Device ID datagrams sent/op'),
)


def measure(python, sim, ops, runs, env_extra):
    env = dict(os.environ, **env_extra)
    out = subprocess.check_output(
        [python, os.path.join(TOP, 'bench', 'measure_client.py'), sim.host,
         str(sim.port), 'admin', 'password', str(ops), str(runs)],
        env=env, cwd='/', timeout=600)
    return json.loads(out.decode().strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--compare', metavar='PYTHON',
                        help='interpreter with another pyghmi installed')
    parser.add_argument('--ops', type=int, default=200)
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--pin', action='store_true',
                        help='run ipmi_sim and the clients on CPU 0')
    args = parser.parse_args()
    if args.pin:
        os.sched_setaffinity(0, {0})     # inherited by the children
    columns = [('this tree', sys.executable, {'PYTHONPATH': TOP})]
    if args.compare:
        columns.append(('compared', os.path.abspath(args.compare),
                        {'PYTHONPATH': ''}))
    with peers.IpmiSim(chassis_control=False) as sim:
        results = [measure(py, sim, args.ops, args.runs, env)
                   for _, py, env in columns]
    print('%-44s' % 'figure' + ''.join('%14s' % c[0] for c in columns))
    for key, label in ROWS:
        print('%-44s' % label + ''.join('%14.1f' % r[key] for r in results))
    return 0


if __name__ == '__main__':
    sys.exit(main())
