"""DCMI: our client, ipmitool dcmi and FreeIPMI ipmi-dcmi on fakebmc."""

import json
import subprocess

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import command
from pyghmi.tests.functional import peers


def _run(argv):
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                         errors='replace')
    return out.stdout


def _tool(bmc, *args):
    return _run(['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p',
                 str(bmc.port), '-U', 'admin', '-P', 'password'] + list(args))


def test_power_reading_agrees_with_ipmitool_and_freeipmi(fresh_fakebmc):
    c = peers.connect(fresh_fakebmc)
    try:
        stats = c.get_power_statistics()
        assert c.get_system_power_watts() == stats['current'] == 245
    finally:
        c.logout()
    text = _tool(fresh_fakebmc, 'dcmi', 'power', 'reading')
    assert 'Instantaneous power reading:                   245 Watts' in text
    assert 'Average power reading over sample period:      %d Watts' % \
        stats['average'] in text
    text = _run(['ipmi-dcmi', '-D', 'LAN_2_0', '-h',
                 '%s:%d' % (fresh_fakebmc.host, fresh_fakebmc.port),
                 '-u', 'admin', '-p',
                 'password', '-I', '17', '--get-system-power-statistics'])
    assert 'Current Power                        : 245 Watts' in text
    assert 'Maximum Power over sampling duration : %d watts' % \
        stats['maximum'] in text


def test_asset_tag_and_mci_round_trip_with_ipmitool(fresh_fakebmc):
    c = peers.connect(fresh_fakebmc)
    try:
        assert c.get_asset_tag() == 'ASSET-0042'
        assert c.get_mci() == 'fakebmc-sr650-01'
        c.set_asset_tag('RACK7-U12-SERVER-WITH-A-LONG-TAG')   # > 16 bytes
        assert c.get_asset_tag() == 'RACK7-U12-SERVER-WITH-A-LONG-TAG'
        c.set_mci('node-0042')
    finally:
        c.logout()
    assert 'Asset tag: RACK7-U12-SERVER-WITH-A-LONG-TAG' in _tool(
        fresh_fakebmc, 'dcmi', 'asset_tag')
    assert 'node-0042' in _tool(fresh_fakebmc, 'dcmi', 'get_mc_id_string')


def test_power_capping(fresh_fakebmc):
    c = peers.connect(fresh_fakebmc)
    try:
        assert c.get_capping_enabled() is False
        assert c.get_server_capping() is None
        c.set_server_capping(420)
        c.set_capping_enabled(True)
        assert c.get_capping_enabled() is True
        assert c.get_server_capping() == 420
        text = _tool(fresh_fakebmc, 'dcmi', 'power', 'get_limit')
        assert 'Power Limit:         420 Watts' in text
        assert 'No Active Power Limit' not in text
        c.set_capping_enabled(False)
        assert c.get_server_capping() is None
    finally:
        c.logout()


def test_dcmi_temperatures(fresh_fakebmc):
    c = peers.connect(fresh_fakebmc)
    try:
        assert c.get_inlet_temperature().value == -5
        assert c.get_average_processor_temperature().value == 46
    finally:
        c.logout()


def _profile_without_dcmi(tmp_path, keep_entities):
    from pyghmi.fakebmc import profile
    with open(profile.DEFAULT_PROFILE) as stream:
        data = json.load(stream)
    del data['dcmi']
    if not keep_entities:
        for sensor in data['sensors']:
            sensor.pop('entity', None)
    path = tmp_path / 'nodcmi.json'
    path.write_text(json.dumps(data))
    return str(path)


def test_temperatures_from_sdr_entities_without_dcmi(tmp_path):
    # No DCMI: the inlet and processor sensors are found by their SDR
    # entity (40h air inlet, 41h processor), as pyghmi 1.6.19 finds them.
    path = _profile_without_dcmi(tmp_path, keep_entities=True)
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            with pytest.raises(exc.UnsupportedFunctionality):
                c.get_system_power_watts()      # DCMI really is off
            inlet = c.get_inlet_temperature()
            assert (inlet.name, inlet.value) == ('Inlet Temp', -5)
            average = c.get_average_processor_temperature()
            assert (average.value, average.units) == (46, '°C')
        finally:
            c.logout()


def test_no_temperature_sensors_found(tmp_path):
    path = _profile_without_dcmi(tmp_path, keep_entities=False)
    with peers.FakeBmcProcess(['--profile', path]) as bmc:
        c = peers.connect(bmc)
        try:
            with pytest.raises(exc.UnsupportedFunctionality):
                c.get_inlet_temperature()
            average = c.get_average_processor_temperature()
            assert (average.value, average.unavailable) == (None, 1)
        finally:
            c.logout()


def test_bmc_without_dcmi_is_unsupported(ipmisim):
    c = command.Command(ipmisim.host, 'admin', 'password', port=ipmisim.port)
    try:
        with pytest.raises(exc.UnsupportedFunctionality):
            c.get_system_power_watts()
    finally:
        c.logout()


def test_pyghmiutil_inventory_and_power_reading(fresh_fakebmc):
    base = ['--json', fresh_fakebmc.host, 'admin']
    out = peers.pyghmiutil(fresh_fakebmc, *base, 'inventory')
    assert out.returncode == 0, out.stderr
    inventory = json.loads(out.stdout)['result']['inventory']
    assert inventory['DIMM A1']['capacity_mb'] == 16384
    assert inventory['System']['Product name'] == 'ThinkSystem SR650 V3'
    out = peers.pyghmiutil(fresh_fakebmc, *base, 'power-reading')
    assert json.loads(out.stdout)['result']['current'] == 245
