#!/usr/bin/env python3
"""Soak: logins and get_power through a hostile network, default settings.

The functional tests run the same scenarios with a 0.05 s per-try
time-out to stay fast; this runs them with the library's defaults (1 s,
3 retries) and several seeds, against fakebmc (and ipmi_sim with
``--ipmisim``), and prints one line per scenario:

    scenario  seed  logins ok/n  get_power ok/n  seconds

Only loopback is used.  Example: ``bench/hostile_soak.py --seeds 3``.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))

from pyghmi import exceptions as exc  # noqa: E402
from pyghmi.ipmi import command  # noqa: E402
from pyghmi.tests.functional import peers  # noqa: E402
from pyghmi.tests.support import netem  # noqa: E402

SCENARIOS = {
    'loss10': netem.Impairments(loss=0.1),
    'loss20': netem.Impairments(loss=0.2),
    'loss30': netem.Impairments(loss=0.3),
    'dup20': netem.Impairments(duplicate=0.2),
    'reorder30': netem.Impairments(reorder=0.3, jitter=0.002),
}


def run(target, impairments, seed, logins, calls, timeout):
    """One scenario through a proxy: ``(logins ok, calls ok, seconds)``."""
    start = time.monotonic()
    ok_logins = ok_calls = 0
    with netem.HostileProxy((target.host, target.port), impairments,
                            seed=seed) as proxy:
        options = {} if timeout is None else {'timeout': timeout}
        for _ in range(logins):
            try:
                cmd = command.Command('127.0.0.1', 'admin', 'password',
                                      port=proxy.port, **options)
                cmd.get_power()
                cmd.logout()
                ok_logins += 1
            except exc.IpmiException as err:
                print('  login failed: %s' % err, flush=True)
        try:
            cmd = command.Command('127.0.0.1', 'admin', 'password',
                                  port=proxy.port, **options)
        except exc.IpmiException as err:
            print('  login for the calls failed: %s' % err, flush=True)
            return ok_logins, 0, time.monotonic() - start
        for _ in range(calls):
            try:
                cmd.get_power()
                ok_calls += 1
            except exc.IpmiException as err:
                print('  get_power failed: %s' % err, flush=True)
        cmd.logout()
    return ok_logins, ok_calls, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seeds', type=int, default=2)
    parser.add_argument('--logins', type=int, default=30)
    parser.add_argument('--calls', type=int, default=200)
    parser.add_argument('--timeout', type=float, default=None,
                        help='per-try time-out (default: the library\'s)')
    parser.add_argument('--ipmisim', action='store_true',
                        help='also run against ipmi_sim')
    parser.add_argument('--scenario', action='append',
                        choices=sorted(SCENARIOS))
    args = parser.parse_args()
    targets = [('fakebmc', peers.FakeBmcProcess())]
    if args.ipmisim:
        targets.append(('ipmi_sim', peers.IpmiSim()))
    for name, target in targets:
        target.start()
        try:
            for scenario in args.scenario or sorted(SCENARIOS):
                for seed in range(1, args.seeds + 1):
                    logins, calls, seconds = run(
                        target, SCENARIOS[scenario], seed, args.logins,
                        args.calls, args.timeout)
                    print('%-8s %-9s seed %d  logins %d/%d  get_power '
                          '%d/%d  %.1f s' % (name, scenario, seed, logins,
                                             args.logins, calls, args.calls,
                                             seconds), flush=True)
        finally:
            target.stop()


if __name__ == '__main__':
    main()
