"""pyghmi 1.6.19's Session methods for callers that drive callbacks
themselves: onlogon, login, awaitresponse, process_pktqueue, pause and
wait_for_rsp(callout=False), against our Bmc on a free port."""

import time

import pytest

from pyghmi.ipmi import bmc as bmcmod
from pyghmi.ipmi.private import session as sessmod


class PowerBmc(bmcmod.Bmc):
    def get_power_state(self):
        return 'on'


@pytest.fixture
def server():
    bmc = PowerBmc({'admin': 'password'}, port=0, address='127.0.0.1')
    bmc.start()
    yield bmc
    bmc.stop()


def test_background_login_and_asynchronous_requests(server):
    results = []
    s = sessmod.Session('127.0.0.1', 'admin', 'password', port=server.port,
                        onlogon=results.append)
    try:
        deadline = time.monotonic() + 10
        while not results and time.monotonic() < deadline:
            sessmod.Session.wait_for_rsp(timeout=1)
        assert results == [{'success': True}] and s.lastlogon == results[0]
        answers = []
        s.raw_command(0, 1, callback=answers.append)   # Get Chassis Status
        # callout=False: wait until the answer is pending, run nothing
        assert sessmod.Session.wait_for_rsp(timeout=5, callout=False) >= 1
        assert answers == []
        assert s.awaitresponse(True, 0, 1) is True
        assert answers and answers[0]['code'] == 0
        assert answers[0]['data'][0] & 1                # power on
        assert s.process_pktqueue() == 0               # nothing left
    finally:
        s.logout()


def test_login_after_logout_and_pause(server):
    s = sessmod.Session('127.0.0.1', 'admin', 'password', port=server.port)
    s.logout()
    assert not s.logged
    s.login()
    try:
        assert s.logged
        assert s.raw_command(6, 1)['code'] == 0
        start = time.monotonic()
        sessmod.Session.pause(0.3)
        assert 0.25 <= time.monotonic() - start < 2
    finally:
        s.logout()


HOUSEKEEPER = """
import threading
from pyghmi.ipmi import bmc as bmcmod, command

class PowerBmc(bmcmod.Bmc):
    def get_power_state(self):
        return 'on'

server = PowerBmc({'admin': 'password'}, port=0, address='127.0.0.1')
server.start()
command.Housekeeper(daemon=True).start()
done = threading.Event()
seen = []

def onlogon(response, cmd):
    seen.append((response, threading.current_thread().name,
                 cmd.get_power()))
    done.set()

c = command.Command('127.0.0.1', 'admin', 'password', port=server.port,
                    onlogon=onlogon)
assert done.wait(10), 'no callback'
response, thread, power = seen[0]
assert 'error' not in response, response
assert thread != threading.current_thread().name, thread
assert power == {'powerstate': 'on'}, power
c.logout()
print('ok')
"""


def test_housekeeper_runs_callbacks_in_its_thread():
    # In a process of its own: the housekeeper runs callbacks forever.
    import subprocess
    import sys
    out = subprocess.run([sys.executable, '-c', HOUSEKEEPER],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == 'ok', out.stderr
