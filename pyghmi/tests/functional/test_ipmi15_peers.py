"""IPMI 1.5 sessions with real peers.

Client side: our client, forced to IPMI 1.5, against OpenIPMI's ipmi_sim
(MD5).  BMC side: fakebmc with an IPMI 1.5-only profile against
ipmitool -I lan (MD5 and straight password), FreeIPMI's ipmipower
(driver LAN); our client falls back to IPMI 1.5 there on its own.
(pyghmi 1.6.19 is no peer here: on Python 3 its IPMI 1.5 login stops
with a TypeError in Get Session Challenge.)
"""

import json
import os
import subprocess
import tempfile
import time

import pytest

from pyghmi import exceptions as exc
from pyghmi.fakebmc import profile as profiles
from pyghmi.ipmi import command
from pyghmi.tests.functional import peers


def _run(argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=90,
                          errors='replace')


def test_client_ipmi15_against_ipmi_sim(ipmisim):
    c = command.Command(ipmisim.host, 'admin', 'password',
                        port=ipmisim.port, ipmi_version=1.5)
    try:
        assert c.ipmi_session.ipmiversion == 1.5
        assert c.get_power() == {'powerstate': 'on'}
        v15_guid = c.get_system_guid()
        assert c.raw_command(6, 1)['code'] == 0
    finally:
        c.logout()
    c = command.Command(ipmisim.host, 'admin', 'password', port=ipmisim.port)
    try:
        assert c.ipmi_session.ipmiversion == 2.0    # RMCP+ when offered
        assert c.get_system_guid() == v15_guid
    finally:
        c.logout()
    c = command.Command(ipmisim.host, 'viewer', 'viewpass',
                        port=ipmisim.port, ipmi_version=1.5)
    try:
        assert c.ipmi_session._shared.core.privlevel == 2
        assert c.get_power() == {'powerstate': 'on'}
    finally:
        c.logout()


def test_client_ipmi15_wrong_password_is_an_authentication_error(ipmisim):
    start = time.monotonic()
    with pytest.raises(exc.IpmiAuthenticationError):
        command.Command(ipmisim.host, 'admin', 'wrong', port=ipmisim.port,
                        ipmi_version=1.5)
    assert time.monotonic() - start < 20


@pytest.fixture(scope='module')
def old_bmc():
    data = profiles.load()
    data['ipmi_versions'] = ['1.5']
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'old.json')
        with open(path, 'w') as stream:
            json.dump(data, stream)
        with peers.FakeBmcProcess(['--profile', path]) as bmc:
            yield bmc


def test_client_falls_back_to_ipmi15(old_bmc):
    c = command.Command(old_bmc.host, 'admin', 'password', port=old_bmc.port)
    try:
        assert c.ipmi_session.ipmiversion == 1.5
        c.set_power('off', wait=True)
        assert c.get_power() == {'powerstate': 'off'}
        c.set_power('on', wait=True)
        assert c.get_power() == {'powerstate': 'on'}
    finally:
        c.logout()
    with pytest.raises(exc.UnsupportedFunctionality):
        command.Command(old_bmc.host, 'admin', 'password',
                        port=old_bmc.port, ipmi_version=2.0)


@pytest.mark.parametrize('auth', ['MD5', 'PASSWORD'])
def test_ipmitool_lan_against_fakebmc(old_bmc, auth):
    out = _run(['ipmitool', '-I', 'lan', '-A', auth, '-H', old_bmc.host,
                '-p', str(old_bmc.port), '-U', 'admin', '-P', 'password',
                'chassis', 'power', 'status'])
    assert out.returncode == 0, out.stderr
    assert 'Chassis Power is on' in out.stdout
    wrong = _run(['ipmitool', '-I', 'lan', '-A', auth, '-H', old_bmc.host,
                  '-p', str(old_bmc.port), '-U', 'admin', '-P', 'nope',
                  '-R', '1', '-N', '1', 'chassis', 'power', 'status'])
    assert wrong.returncode != 0


def test_rmcp_plus_is_refused_by_the_old_bmc(old_bmc):
    out = _run(['ipmitool', '-I', 'lanplus', '-H', old_bmc.host, '-p',
                str(old_bmc.port), '-U', 'admin', '-P', 'password', '-R',
                '1', '-N', '1', 'chassis', 'power', 'status'])
    assert out.returncode != 0


def test_freeipmi_ipmipower_lan_against_fakebmc(old_bmc):
    out = _run(['ipmipower', '-D', 'LAN', '-h', '%s:%d' % (
        old_bmc.host, old_bmc.port), '-u', 'admin', '-p', 'password',
        '--stat'])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith(': on'), out.stdout
