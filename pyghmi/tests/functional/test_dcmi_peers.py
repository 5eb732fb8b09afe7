"""DCMI: our client, ipmitool dcmi and FreeIPMI ipmi-dcmi on fakebmc."""

import json
import os
import subprocess

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import command
from pyghmi.tests.functional import peers


def _run(argv):
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                         errors='replace')
    return out.stdout


@pytest.fixture
def dcmibmc():
    bmc = peers.FakeBmcProcess().start()
    try:
        yield bmc
    finally:
        bmc.stop()


def _tool(bmc, *args):
    return _run(['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p',
                 str(bmc.port), '-U', 'admin', '-P', 'password'] + list(args))


def test_power_reading_agrees_with_ipmitool_and_freeipmi(dcmibmc):
    c = command.Command(dcmibmc.host, 'admin', 'password', port=dcmibmc.port)
    try:
        stats = c.get_power_statistics()
        assert c.get_system_power_watts() == stats['current'] == 245
    finally:
        c.logout()
    text = _tool(dcmibmc, 'dcmi', 'power', 'reading')
    assert 'Instantaneous power reading:                   245 Watts' in text
    assert 'Average power reading over sample period:      %d Watts' % \
        stats['average'] in text
    text = _run(['ipmi-dcmi', '-D', 'LAN_2_0', '-h',
                 '%s:%d' % (dcmibmc.host, dcmibmc.port), '-u', 'admin', '-p',
                 'password', '-I', '17', '--get-system-power-statistics'])
    assert 'Current Power                        : 245 Watts' in text
    assert 'Maximum Power over sampling duration : %d watts' % \
        stats['maximum'] in text


def test_asset_tag_and_mci_round_trip_with_ipmitool(dcmibmc):
    c = command.Command(dcmibmc.host, 'admin', 'password', port=dcmibmc.port)
    try:
        assert c.get_asset_tag() == 'ASSET-0042'
        assert c.get_mci() == 'fakebmc-sr650-01'
        c.set_asset_tag('RACK7-U12-SERVER-WITH-A-LONG-TAG')   # > 16 bytes
        assert c.get_asset_tag() == 'RACK7-U12-SERVER-WITH-A-LONG-TAG'
        c.set_mci('node-0042')
    finally:
        c.logout()
    assert 'Asset tag: RACK7-U12-SERVER-WITH-A-LONG-TAG' in _tool(
        dcmibmc, 'dcmi', 'asset_tag')
    assert 'node-0042' in _tool(dcmibmc, 'dcmi', 'get_mc_id_string')


def test_power_capping(dcmibmc):
    c = command.Command(dcmibmc.host, 'admin', 'password', port=dcmibmc.port)
    try:
        assert c.get_capping_enabled() is False
        assert c.get_server_capping() is None
        c.set_server_capping(420)
        c.set_capping_enabled(True)
        assert c.get_capping_enabled() is True
        assert c.get_server_capping() == 420
        text = _tool(dcmibmc, 'dcmi', 'power', 'get_limit')
        assert 'Power Limit:         420 Watts' in text
        assert 'No Active Power Limit' not in text
        c.set_capping_enabled(False)
        assert c.get_server_capping() is None
    finally:
        c.logout()


def test_dcmi_temperatures(dcmibmc):
    c = command.Command(dcmibmc.host, 'admin', 'password', port=dcmibmc.port)
    try:
        assert c.get_inlet_temperature().value == -5
        assert c.get_average_processor_temperature().value == 46
    finally:
        c.logout()


def test_bmc_without_dcmi_is_unsupported(ipmisim):
    c = command.Command(ipmisim.host, 'admin', 'password', port=ipmisim.port)
    try:
        with pytest.raises(exc.UnsupportedFunctionality):
            c.get_system_power_watts()
    finally:
        c.logout()


def test_pyghmiutil_inventory_and_power_reading(dcmibmc):
    top = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))))
    env = dict(os.environ, IPMIPASSWORD='password')
    base = [os.path.join(top, 'bin', 'pyghmiutil'), '--port',
            str(dcmibmc.port), '--json', dcmibmc.host, 'admin']
    out = subprocess.run(base + ['inventory'], capture_output=True,
                         text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    inventory = json.loads(out.stdout)['result']['inventory']
    assert inventory['DIMM A1']['capacity_mb'] == 16384
    assert inventory['System']['Product name'] == 'ThinkSystem SR650 V3'
    out = subprocess.run(base + ['power-reading'], capture_output=True,
                         text=True, env=env, timeout=60)
    assert json.loads(out.stdout)['result']['current'] == 245
