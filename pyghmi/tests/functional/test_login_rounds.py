"""Login round trips: at most 6 for a BMC never seen (Get Channel
Cipher Suites only when the preferred suites are refused), 4 with the
suite known, also in a new process through the on-disk login cache."""

import json
import os
import subprocess
import sys

import pytest

from pyghmi.ipmi.private.client import suitememory
from pyghmi.tests.functional import peers

LOGIN = r'''
import json, sys
from pyghmi.ipmi import command
if sys.argv[3] != '-':
    command.Command.use_login_cache(sys.argv[3])
c = command.Command('127.0.0.1', 'admin', 'password', port=int(sys.argv[1]))
core = c.ipmi_session._shared.core
# exchanges: tries after the first (a loaded machine) are not counted
print(json.dumps([core.packets_sent - core.retransmits, core.suite]))
c.logout()
'''


def _login(port, cache='-'):
    """A login in a new process: (datagrams sent, suite)."""
    out = subprocess.run([sys.executable, '-c', LOGIN, str(port), '',
                          cache], capture_output=True, text=True,
                         timeout=120, cwd=peers.TOP)
    assert out.returncode == 0, out.stderr
    sent, suite = json.loads(out.stdout.splitlines()[-1])
    return sent, suite


@pytest.mark.parametrize('peer, cold, suite', [
    ('ipmi_sim', 6, 3),      # refuses 17 in Open Session, takes 3
    ('fakebmc', 5, 17),
])
def test_cold_and_cached_logins(tmp_path, peer, cold, suite):
    bmc = peers.IpmiSim() if peer == 'ipmi_sim' else \
        peers.FakeBmcProcess()
    with bmc:
        assert _login(bmc.port) == (cold, suite)
        cache = str(tmp_path / 'cache')
        assert _login(bmc.port, cache) == (cold, suite)
        saved = json.load(open(os.path.join(cache, suitememory.FILENAME)))
        assert ['127.0.0.1', bmc.port, suite] in saved
        # a new process: the suite comes from the file
        assert _login(bmc.port, cache) == (4, suite)


def test_a_damaged_or_wrong_cache_costs_only_the_cold_login(tmp_path):
    with peers.FakeBmcProcess() as bmc:
        cache = tmp_path / 'cache'
        cache.mkdir()
        path = cache / suitememory.FILENAME
        path.write_text('{not json')
        assert _login(bmc.port, str(cache)) == (5, 17)
        # a weaker suite in the file (suite 2: no encryption, which
        # fakebmc offers) is never taken for a default login
        path.write_text(json.dumps([['127.0.0.1', bmc.port, 2],
                                    ['x', 'y', 'z']]))
        assert _login(bmc.port, str(cache)) == (5, 17)
        assert ['127.0.0.1', bmc.port, 17] in json.load(open(path))
        assert _login(bmc.port, str(cache)) == (4, 17)
