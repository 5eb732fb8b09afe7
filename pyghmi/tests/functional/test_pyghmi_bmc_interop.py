"""Our client against a BMC built on the released pyghmi 1.6.19.

That BMC (hence virtualbmc on it, and some older firmware) keys sessions
by the console's address and port, and ignores a second Open Session from
the same port even after Close Session.  Its fakebmc runs here from a
virtualenv of its own (``make test`` installs pyghmi==1.6.19 into
``.venv-pyghmi-1.6.19``), as a separate process: it is never imported.
"""

import os
import subprocess
import tempfile
import time

import pytest

from pyghmi.ipmi import command
from pyghmi.tests.functional import peers

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
ORIG_FAKEBMC = os.path.join(TOP, '.venv-pyghmi-1.6.19', 'bin', 'fakebmc')


@pytest.fixture(scope='module')
def pyghmi_bmc():
    if not os.path.exists(ORIG_FAKEBMC):
        pytest.fail('pyghmi 1.6.19 is not installed in .venv-pyghmi-1.6.19 '
                    '(make test-deps installs it)')
    port = peers.free_udp_port()
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    with tempfile.TemporaryDirectory() as cwd:   # nothing of ours on path
        proc = subprocess.Popen([ORIG_FAKEBMC, '--port', str(port)],
                                cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            if not peers.wait_for_ipmi('127.0.0.1', port):
                pytest.fail('pyghmi 1.6.19 fakebmc did not start')
            yield port
        finally:
            proc.terminate()
            proc.wait(10)


def test_consecutive_sessions_to_a_pyghmi_bmc(pyghmi_bmc):
    for _ in range(5):
        start = time.monotonic()
        cmd = command.Command('127.0.0.1', 'admin', 'password',
                              port=pyghmi_bmc, timeout=0.5)
        assert cmd.get_power()['powerstate'] in ('on', 'off')
        cmd.logout()
        assert time.monotonic() - start < 2.0


def test_concurrent_sessions_to_a_pyghmi_bmc(pyghmi_bmc):
    first = command.Command('127.0.0.1', 'admin', 'password',
                            port=pyghmi_bmc, timeout=0.5)
    second = command.Command('127.0.0.1', 'admin', 'password',
                             port=pyghmi_bmc, timeout=0.5, privlevel=3)
    assert first.ipmi_session._shared is not second.ipmi_session._shared
    for _ in range(3):
        assert first.get_power()['powerstate'] in ('on', 'off')
        assert second.get_power()['powerstate'] in ('on', 'off')
    first.logout()
    second.logout()


def test_dedicated_sockets_are_closed_with_their_sessions(pyghmi_bmc):
    command.Command('127.0.0.1', 'admin', 'password', port=pyghmi_bmc,
                    timeout=0.5).logout()
    cmds = [command.Command('127.0.0.1', 'admin', 'password',
                            port=pyghmi_bmc, timeout=0.5, privlevel=level)
            for level in (2, 3, 4)]
    # This BMC already had sessions from the shared socket: each of these
    # has a socket of its own.
    endpoints = [c.ipmi_session._shared.endpoint for c in cmds]
    assert all(ep.dedicated for ep in endpoints)
    assert len({ep.sock.getsockname() for ep in endpoints}) == 3
    for cmd in cmds:
        assert cmd.get_power()['powerstate'] in ('on', 'off')
        cmd.logout()
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and \
            any(ep.sock.fileno() != -1 for ep in endpoints):
        time.sleep(0.02)
    assert all(ep.sock.fileno() == -1 for ep in endpoints)


ORIG_PY = os.path.join(TOP, '.venv-pyghmi-1.6.19', 'bin', 'python')
# virtualbmc on pyghmi 1.6.19, in front of libvirt's test driver (its
# built-in domain 'test', running; that driver forgets changes between
# connections, so only the answers to commands are checked).
VIRTUALBMC = '''
import sys
from virtualbmc import vbmc
server = vbmc.VirtualBMC('admin', 'password', int(sys.argv[1]), '127.0.0.1',
                         'test', 'test:///default')
server.listen(timeout=30)
'''


@pytest.fixture(scope='module')
def virtualbmc():
    if not os.path.exists(os.path.join(os.path.dirname(ORIG_PY), 'vbmcd')):
        pytest.fail('virtualbmc is not installed in .venv-pyghmi-1.6.19 '
                    '(make test-deps installs it)')
    port = peers.free_udp_port()
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    with tempfile.TemporaryDirectory() as cwd:
        proc = subprocess.Popen([ORIG_PY, '-c', VIRTUALBMC, str(port)],
                                cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        try:
            if not peers.wait_for_ipmi('127.0.0.1', port):
                proc.terminate()
                pytest.fail('virtualbmc did not start: %s' %
                            proc.communicate(timeout=10)[1][-500:])
            yield port
        finally:
            proc.terminate()
            proc.wait(10)


def test_virtualbmc_on_pyghmi_1_6_19(virtualbmc):
    # consecutive sessions from one process, each quick
    for _ in range(4):
        start = time.monotonic()
        cmd = command.Command('127.0.0.1', 'admin', 'password',
                              port=virtualbmc, timeout=0.5)
        assert cmd.get_power() == {'powerstate': 'on'}
        assert cmd.get_bootdev()['bootdev'] == 'hd'
        cmd.logout()
        assert time.monotonic() - start < 2.0
    # concurrent ones, and commands that reach libvirt
    cmds = [command.Command('127.0.0.1', 'admin', 'password',
                            port=virtualbmc, timeout=0.5, privlevel=level)
            for level in (3, 4)]
    try:
        assert cmds[0].set_power('off') == {'pendingpowerstate': 'off'}
        assert cmds[1].set_bootdev('network') == {'bootdev': 'network'}
        assert cmds[0].get_power() == cmds[1].get_power()
    finally:
        for cmd in cmds:
            cmd.logout()
