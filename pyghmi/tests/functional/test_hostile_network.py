"""Sessions through a lossy, duplicating, reordering network, with peers
that are not ours.

Each scenario runs our client through the seeded hostile proxy
(``pyghmi/tests/support/netem.py``) to OpenIPMI's ipmi_sim: 30 fresh
logins (new Command, get_power, logout) and 200 get_power on one
Command, split over two seeds that run side by side; ipmitool and
FreeIPMI go through it to fakebmc.  The same scenarios between our
client and our BMC run in memory on a fake clock
(``unit/test_hostile_pair.py``).  The per-try time-out is derived from
ipmi_sim's measured answer time (four times the slowest of ten, at
least 0.05 s) so the suite stays fast without taking a slow answer for
a lost one; the retry counts are the defaults at every loss rate.
``bench/hostile_soak.py`` runs
the same with default time-outs and more seeds.
"""

import concurrent.futures
import subprocess
import threading
import time

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import command
from pyghmi.tests.functional import peers
from pyghmi.tests.support import netem

SEEDS = (101, 202)
LOGINS, CALLS = 30, 200
SCENARIOS = {
    'loss10': (netem.Impairments(loss=0.1), {}),
    'loss20': (netem.Impairments(loss=0.2), {}),
    'loss30': (netem.Impairments(loss=0.3), {}),
    'dup20': (netem.Impairments(duplicate=0.2), {}),
    'reorder': (netem.Impairments(reorder=0.3, jitter=0.002), {}),
}


def _one_seed(peer, impairments, call_options, seed, timeout):
    """Logins and calls through one proxy; returns the failures."""
    failures = []
    with netem.HostileProxy((peer.host, peer.port), impairments,
                            seed=seed) as proxy:
        for _ in range(LOGINS // len(SEEDS)):
            try:
                cmd = command.Command('127.0.0.1', 'admin', 'password',
                                      port=proxy.port, timeout=timeout,
                                      **call_options)
                cmd.get_power()
                cmd.logout()
            except exc.IpmiException as err:
                failures.append('login: %s' % err)
        cmd = command.Command('127.0.0.1', 'admin', 'password',
                              port=proxy.port, timeout=timeout,
                              **call_options)
        for _ in range(CALLS // len(SEEDS)):
            try:
                assert cmd.get_power()['powerstate'] in ('on', 'off')
            except exc.IpmiException as err:
                failures.append('get_power: %s' % err)
        cmd.logout()
        assert proxy.counts['received up'] > 0
    return failures


def _run(peer, scenario, timeout):
    impairments, call_options = SCENARIOS[scenario]
    with concurrent.futures.ThreadPoolExecutor(len(SEEDS)) as pool:
        results = list(pool.map(
            lambda seed: _one_seed(peer, impairments, call_options, seed,
                                   timeout), SEEDS))
    return [failure for result in results for failure in result]


@pytest.fixture
def quick_sim():
    """ipmi_sim answering chassis commands from its own state (no
    program started per request), and the per-try time-out its measured
    answer time calls for.  One per scenario: logins abandoned on a
    hostile network stay open in ipmi_sim until it times them out, and
    several scenarios in a row (slower under load) used up its session
    slots ("Insufficient resources to create a session")."""
    sim = peers.IpmiSim(chassis_control=False).start()
    try:
        cmd = peers.connect(sim)
        times = []
        for _ in range(10):
            start = time.monotonic()
            cmd.get_power()
            times.append(time.monotonic() - start)
        cmd.logout()
        yield sim, max(0.05, 4 * max(times))
    finally:
        sim.stop()


@pytest.mark.parametrize('scenario', sorted(SCENARIOS))
def test_ipmisim_through_hostile_network(quick_sim, scenario):
    sim, timeout = quick_sim
    assert _run(sim, scenario, timeout) == []


def test_same_command_recovers_after_a_five_second_blackout(
        fakebmc):
    with netem.HostileProxy((fakebmc.host, fakebmc.port),
                            seed=7) as proxy:
        cmd = command.Command('127.0.0.1', 'admin', 'password',
                              port=proxy.port, timeout=0.2)
        assert cmd.get_power()['powerstate'] in ('on', 'off')
        proxy.blackout(5.0)
        start = time.monotonic()
        # Called while nothing gets through: the request retries, logs in
        # again and keeps trying until the network is back.
        assert cmd.get_power()['powerstate'] in ('on', 'off')
        elapsed = time.monotonic() - start
        assert 5.0 <= elapsed < 5.0 + 6.0
        assert proxy.counts['dropped up'] > 3
        assert cmd.get_power()['powerstate'] in ('on', 'off')
        cmd.logout()


def _tool_sessions(target, impairments, seed, args, count):
    """Run a peer tool ``count`` times through a proxy; sessions that
    printed a power state."""
    with netem.HostileProxy((target.host, target.port), impairments,
                            seed=seed) as proxy:
        ok = 0
        for _ in range(count):
            out = subprocess.run(
                [a.replace('PORT', str(proxy.port)) for a in args],
                capture_output=True, text=True, timeout=120)
            ok += ': on' in out.stdout or ': off' in out.stdout or \
                'Chassis Power is' in out.stdout
        assert proxy.counts['duplicated up'] > 0
    return ok


@pytest.mark.parametrize('seed', (1, 2))
def test_ipmitool_through_duplication_and_loss(fakebmc, seed):
    # 20 % duplicated and 10 % lost on the way to the BMC.  (Lost replies
    # are not in this test: ipmitool 1.8.19 gives a login up after four
    # tries of its own, so about one session in 30 then fails whatever
    # the BMC does.)
    impairments = netem.Impairments(loss=0.1, duplicate=0.2,
                                    directions=('up',))
    args = ['ipmitool', '-I', 'lanplus', '-C', '17', '-H', '127.0.0.1',
            '-p', 'PORT', '-U', 'admin', '-P', 'password', '-N', '1',
            '-R', '5', 'power', 'status']
    assert _tool_sessions(fakebmc, impairments, seed, args, 5) == 5


@pytest.mark.parametrize('seed', (1, 2))
def test_freeipmi_through_duplication_and_loss(fakebmc, seed):
    # 10 % lost both ways, 20 % of requests duplicated.
    impairments = netem.Impairments(loss=0.1, duplicate=0.2,
                                    duplicate_directions=('up',))
    args = ['ipmipower', '-D', 'LAN_2_0', '-h', '127.0.0.1:PORT', '-u',
            'admin', '-p', 'password', '--stat']
    assert _tool_sessions(fakebmc, impairments, seed, args, 8) == 8


def test_proxy_refuses_non_loopback_targets():
    """The proxy refuses any target or listening address off loopback,
    before it opens a socket or starts its relay thread."""
    threads = set(threading.enumerate())
    for target, host in ((('192.0.2.1', 623), '127.0.0.1'),
                         (('10.1.2.3', 623), '127.0.0.1'),
                         (('2001:db8::1', 623), '::1'),
                         (('127.0.0.1', 623), '192.0.2.1')):
        with pytest.raises(ValueError, match='only talks to loopback'):
            netem.HostileProxy(target, host=host)
    assert set(threading.enumerate()) == threads
    # and a loopback target is taken (the check is not a blanket refusal)
    with netem.HostileProxy(('127.0.0.1', 623)) as proxy:
        assert proxy.port > 0
