#!/usr/bin/env python3
"""Login and get_power cost against OpenIPMI's ipmi_sim, side by side.

    session_bench.py [--compare PYTHON] [--python-ipmi PYTHON]
                     [--no-freeipmi] [--ops N] [--runs N] [--pin]

Starts ipmi_sim on a free loopback port and runs measure_client.py with
this tree's pyghmi, with another pyghmi (``--compare``, by default the
pyghmi 1.6.19 virtualenv) and measure_pyipmi.py with python-ipmi
(``--python-ipmi``, by default .venv-python-ipmi) and
measure_freeipmi.py with FreeIPMI's C library (libfreeipmi, when
installed; ``--no-freeipmi`` leaves it out), one column each; a column
whose interpreter or library is missing is left out.  Against ipmi_sim
every client logs in with cipher suite 3 (ipmi_sim here offers no
HMAC-SHA256).
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
import ctypes.util
import json
import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

import measuring  # noqa: E402

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


def measure(column, sim, ops, runs):
    """Run one column's measuring script; its figures, or None if it
    failed (printed as '-')."""
    _, python, env_extra, script = column
    env = dict(os.environ, **env_extra)
    try:
        out = subprocess.check_output(
            [python, os.path.join(TOP, 'bench', script), sim.host,
             str(sim.port), 'admin', 'password', str(ops), str(runs)],
            env=env, cwd='/', timeout=600)
    except (subprocess.SubprocessError, OSError) as err:
        print('%s: %s' % (column[0], err), file=sys.stderr)
        return None
    return json.loads(out.decode().strip().splitlines()[-1])


def _columns(args):
    columns = [('this tree', sys.executable, {'PYTHONPATH': TOP},
                'measure_client.py')]
    if measuring.installed(args.compare):
        columns.append(('compared', measuring.installed(args.compare),
                        {'PYTHONPATH': ''}, 'measure_client.py'))
    if measuring.installed(args.python_ipmi):
        columns.append(('python-ipmi', measuring.installed(args.python_ipmi),
                        {'PYTHONPATH': ''}, 'measure_pyipmi.py'))
    if args.freeipmi and ctypes.util.find_library('freeipmi'):
        # C: the interpreter only loops around ipmi_cmd_raw
        columns.append(('FreeIPMI (C)', sys.executable, {'PYTHONPATH': ''},
                        'measure_freeipmi.py'))
    return columns


def _cell(result, key):
    value = None if result is None else result.get(key)
    return '%14s' % ('-' if value is None else '%.1f' % value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    measuring.add_peer_options(parser)
    parser.add_argument('--ops', type=int, default=200)
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--no-freeipmi', dest='freeipmi',
                        action='store_false',
                        help='leave out the libfreeipmi column')
    parser.add_argument('--pin', action='store_true',
                        help='run ipmi_sim and the clients on CPU 0')
    args = parser.parse_args()
    if args.pin:
        os.sched_setaffinity(0, {0})     # inherited by the children
    columns = _columns(args)
    with peers.IpmiSim(chassis_control=False) as sim:
        results = [measure(column, sim, args.ops, args.runs)
                   for column in columns]
    print('%-44s' % 'figure' + ''.join('%14s' % c[0] for c in columns))
    for key, label in ROWS:
        print('%-44s' % label + ''.join(_cell(r, key) for r in results))
    return 0


if __name__ == '__main__':
    sys.exit(main())
