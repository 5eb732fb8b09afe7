"""pyghmiutil --redfish against fakebmc's Redfish side, beside
pyghmiutil over IPMI on the same fakebmc: the same machine seen both
ways, pinned by the certificate's fingerprint."""

import json
import os
import subprocess
import sys

import pytest

from pyghmi.tests.functional import peers


@pytest.fixture
def bmc():
    with peers.redfish_fakebmc() as proc:
        yield proc


def _util(bmc, *args, redfish=True, fingerprint=None):
    options = ['--redfish', '--port', str(bmc.https_port),
               '--fingerprint', fingerprint or bmc.fingerprint] \
        if redfish else ['--port', str(bmc.port)]
    return subprocess.run(
        [sys.executable, os.path.join(peers.TOP, 'bin', 'pyghmiutil')] +
        options + ['--json', '127.0.0.1', 'admin'] + list(args),
        capture_output=True, text=True, timeout=120,
        env=dict(os.environ, IPMIPASSWORD='password'),
        stdin=subprocess.DEVNULL)


def _result(out):
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)['result']


def test_the_same_machine_over_both_protocols(bmc):
    assert _result(_util(bmc, 'power')) == \
        _result(_util(bmc, 'power', redfish=False))
    _result(_util(bmc, 'bootdev', 'network'))
    assert _result(_util(bmc, 'bootdev', redfish=False))['bootdev'] == \
        'network'
    readings = _result(_util(bmc, 'sensors'))['sensors']
    over_ipmi = _result(_util(bmc, 'sensors', redfish=False))['sensors']
    assert {r['name'] for r in readings} <= {r['name'] for r in over_ipmi}
    fans = [r for r in readings if r['units'] == 'RPM']
    assert fans and all(isinstance(r['value'], (int, float)) for r in fans)
    inventory = _result(_util(bmc, 'inventory'))['inventory']
    assert inventory['System']['Serial Number']
    guid = _result(_util(bmc, 'guid'))['guid']
    assert guid.lower() == _result(_util(bmc, 'guid', redfish=False))[
        'guid'].lower()
    assert _result(_util(bmc, 'events'))['events']
    assert _result(_util(bmc, 'info'))['firmware']
    assert _result(_util(bmc, 'user', 'list'))['users']['2']['name'] == \
        'admin'


def test_refusals_are_clear(bmc):
    out = _util(bmc, 'raw', '6', '1')
    assert out.returncode == 1
    assert 'need IPMI' in json.loads(out.stdout)['error']
    out = _util(bmc, 'power', fingerprint='sha256$' + '0' * 64)
    assert out.returncode == 1
    assert 'certificate' in json.loads(out.stdout)['error'].lower()
