#!/usr/bin/env python3
"""Loss recovery side by side: fresh logins through a lossy network.

Through the seeded hostile proxy (``--loss`` of the datagrams dropped
each way, 30 % by default), each client makes ``--logins`` fresh logins
that read the power state and log out, ``--parallel`` at a time, against
one fakebmc (``--ipmisim``: OpenIPMI's ipmi_sim as well):

* this package with its defaults (``Command``, ``get_power``, ``logout``);
* FreeIPMI's ``ipmipower --stat`` with its defaults (and ``-W
  opensesspriv`` against ipmi_sim, which needs that workaround);
* ipmitool ``-I lanplus -C 17 power status`` with its defaults.

Each client gets a proxy of its own with the same seed.  Then this
package makes ``--calls`` get_power on one session through the same
loss.  Printed: per client, logins that succeeded, median and longest
time of one; per-call median, mean and longest of the session, and its
failures.  Only loopback is used.  Example (ipmi_sim only:
``--ipmisim --no-fakebmc``)::

    bench/loss_recovery.py --loss 0.3 --logins 30 --ipmisim
"""

import argparse
import concurrent.futures
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))

from pyghmi import exceptions as exc  # noqa: E402
from pyghmi.ipmi import command  # noqa: E402
from pyghmi.tests.functional import peers  # noqa: E402
from pyghmi.tests.support import netem  # noqa: E402


def ours(port):
    """One fresh login, get_power, logout; True when it worked."""
    try:
        cmd = command.Command('127.0.0.1', 'admin', 'password', port=port)
        cmd.get_power()
        cmd.logout()
        return True
    except exc.IpmiException as err:
        print('    pyghmi: %s' % err, flush=True)
        return False


def ipmipower(port, workaround=()):
    """FreeIPMI's ipmipower --stat, defaults; True when it read a state."""
    proc = subprocess.run(
        ['ipmipower', '-D', 'LAN_2_0', '-h', '127.0.0.1:%d' % port, '-u',
         'admin', '-p', 'password', '--stat', *workaround],
        capture_output=True, text=True, timeout=300)
    return proc.stdout.strip().endswith((': on', ': off'))


def ipmipower_opensesspriv(port):
    """ipmipower with the workaround ipmi_sim needs (it refuses FreeIPMI's
    Open Session privilege: "privilege level cannot be obtained")."""
    return ipmipower(port, ('-W', 'opensesspriv'))


def ipmitool(port, suite='17'):
    """ipmitool power status, defaults; True when it read a state."""
    proc = subprocess.run(
        ['ipmitool', '-I', 'lanplus', '-C', suite, '-H', '127.0.0.1', '-p',
         str(port), '-U', 'admin', '-P', 'password', 'power', 'status'],
        capture_output=True, text=True, timeout=300)
    return 'Chassis Power is' in proc.stdout


def ipmitool_suite3(port):
    """ipmitool with cipher suite 3 (the functional tests' choice for
    ipmi_sim, whose configuration there offers no suite 17)."""
    return ipmitool(port, '3')


def timed(job, port):
    start = time.monotonic()
    ok = job(port)
    return ok, time.monotonic() - start


def logins(target, job, args):
    """``(succeeded, [seconds...])`` of ``args.logins`` fresh logins."""
    with netem.HostileProxy((target.host, target.port),
                            netem.Impairments(loss=args.loss),
                            seed=args.seed) as proxy:
        with concurrent.futures.ThreadPoolExecutor(args.parallel) as pool:
            results = list(pool.map(lambda _: timed(job, proxy.port),
                                    range(args.logins)))
    return sum(ok for ok, _ in results), [t for _, t in results]


def one_session(target, args):
    """``(failures, [seconds per call...])`` of get_power on one session."""
    with netem.HostileProxy((target.host, target.port),
                            netem.Impairments(loss=args.loss),
                            seed=args.seed) as proxy:
        cmd = command.Command('127.0.0.1', 'admin', 'password',
                              port=proxy.port)
        failures, times = 0, []
        for _ in range(args.calls):
            start = time.monotonic()
            try:
                cmd.get_power()
            except exc.IpmiException as err:
                failures += 1
                print('    call failed: %s' % err, flush=True)
            times.append(time.monotonic() - start)
        cmd.logout()
    return failures, times


def report(name, target, args, freeipmi=ipmipower, tool=ipmitool):
    print('%s, %d%% of datagrams lost each way, %d logins %d at a time'
          % (name, args.loss * 100, args.logins, args.parallel), flush=True)
    print('  %-34s %9s %8s %8s' % ('client', 'succeeded', 'median',
                                   'max'))
    clients = [('pyghmi (this package, defaults)', ours)]
    if shutil.which('ipmipower'):
        clients.append(('FreeIPMI ipmipower --stat', freeipmi))
    if shutil.which('ipmitool'):
        clients.append(('ipmitool power status', tool))
    for label, job in clients:
        ok, times = logins(target, job, args)
        print('  %-34s %6d/%-2d %7.2fs %7.2fs' % (
            label, ok, args.logins, statistics.median(times), max(times)),
            flush=True)
    failures, times = one_session(target, args)
    print('  one session, %d get_power: %d failed; per call median %.3fs, '
          'mean %.3fs, max %.2fs, total %.1fs' % (
              args.calls, failures, statistics.median(times),
              statistics.mean(times), max(times), sum(times)), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--loss', type=float, default=0.3)
    parser.add_argument('--logins', type=int, default=30)
    parser.add_argument('--parallel', type=int, default=3)
    parser.add_argument('--calls', type=int, default=200)
    parser.add_argument('--seed', type=int, default=29)
    parser.add_argument('--ipmisim', action='store_true',
                        help='also against OpenIPMI ipmi_sim')
    parser.add_argument('--no-fakebmc', action='store_true',
                        help='not against fakebmc')
    args = parser.parse_args()
    if not args.no_fakebmc:
        with peers.FakeBmcProcess() as bmc:
            report('fakebmc', bmc, args)
    if args.ipmisim:
        with peers.IpmiSim(chassis_control=False) as sim:
            report('ipmi_sim', sim, args, ipmipower_opensesspriv,
                   ipmitool_suite3)


if __name__ == '__main__':
    main()
