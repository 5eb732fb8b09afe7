#!/usr/bin/env python3
"""Stress of the asyncio IPMI API: ``--tasks`` tasks on one event loop,
each logging in to its own fakebmc BMC and making ``--calls`` calls,
a share of them (``--cancel``) cancelled at a random moment.

Prints how many calls were answered, how many tasks were cancelled, and
what was left at the end: tasks, file descriptors (against the count
before the first login) and sessions still routed; a leak is printed as
such and makes the exit status 1.

    bench/aio_stress.py --tasks 5000 --processes 2
"""

import argparse
import asyncio
import os
import random
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from fleet_bench import Fleet  # noqa: E402

from pyghmi.aio.ipmi import command  # noqa: E402
from pyghmi.aio.ipmi import engine  # noqa: E402


async def worker(host, port, calls, answered):
    cmd = await command.Command.create(host, 'admin', 'password', port=port)
    try:
        for _ in range(calls):
            if (await cmd.get_power())['powerstate'] in ('on', 'off'):
                answered[0] += 1
    finally:
        await cmd.logout()


async def stress(host, ports, calls, cancel_share, seed):
    rng = random.Random(seed)
    fds_before = len(os.listdir('/proc/self/fd'))
    answered = [0]
    start = time.perf_counter()
    tasks = [asyncio.ensure_future(worker(host, port, calls, answered))
             for port in ports]
    doomed = rng.sample(tasks, int(len(tasks) * cancel_share))
    for task in doomed:
        asyncio.get_running_loop().call_later(
            rng.uniform(0, 2.0), task.cancel)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    wall = time.perf_counter() - start
    cancelled = sum(isinstance(r, asyncio.CancelledError) for r in results)
    failed = [r for r in results if isinstance(r, Exception)]
    routed = sum(len(opening.result().by_sid) for opening in
                 engine._endpoints.get(asyncio.get_running_loop(),
                                       {}).values())
    await engine.close_endpoints()
    await asyncio.sleep(0)            # let the transports close
    left_tasks = len(asyncio.all_tasks()) - 1
    fds_after = len(os.listdir('/proc/self/fd'))
    return {'wall': wall, 'answered': answered[0], 'cancelled': cancelled,
            'failed': failed, 'left tasks': left_tasks,
            'descriptors': fds_after - fds_before,
            'sessions still routed': routed}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--tasks', type=int, default=5000)
    parser.add_argument('--calls', type=int, default=3)
    parser.add_argument('--cancel', type=float, default=0.1)
    parser.add_argument('--processes', type=int, default=2)
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()
    with Fleet(args.tasks, args.processes) as fleet:
        out = asyncio.run(stress(fleet.host, fleet.ports, args.calls,
                                 args.cancel, args.seed))
    expected = (args.tasks - out['cancelled']) * args.calls
    print('%d tasks x %d calls, %d cancelled at random: %.1f s'
          % (args.tasks, args.calls, out['cancelled'], out['wall']))
    print('calls answered: %d (at least %d expected from the tasks not '
          'cancelled); failures: %d' % (out['answered'], expected,
                                        len(out['failed'])))
    for err in out['failed'][:5]:
        print('  failure: %s: %s' % (type(err).__name__, err))
    leaks = {k: out[k] for k in ('left tasks', 'descriptors',
                                 'sessions still routed') if out[k]}
    print('left at the end: %s' % (leaks or 'nothing (tasks, descriptors '
                                            'and routed sessions all 0)'))
    return 1 if leaks or out['failed'] or out['answered'] < expected \
        else 0


if __name__ == '__main__':
    sys.exit(main())
