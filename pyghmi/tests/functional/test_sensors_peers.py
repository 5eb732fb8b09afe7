"""Sensors: our client, ipmitool and FreeIPMI read the same fakebmc."""

import os
import subprocess

import pytest

from pyghmi import constants
from pyghmi.ipmi import command
from pyghmi.ipmi import sdr as sdrmod
from pyghmi.fakebmc import profile as profiles
from pyghmi.tests.functional import peers

PROFILE = profiles.load()
SPECS = {s['name']: s for s in PROFILE['sensors']}
# ipmitool and FreeIPMI print 6-bit packed ID strings as raw bytes.
ASCII6 = {n for n, s in SPECS.items() if s.get('name_encoding') == 'ascii6'}
IPMITOOL_STATUS = {0: 'ok', 1: 'nc', 2: 'cr', 3: 'cr', 4: 'nr'}


@pytest.fixture(scope='module')
def readings(fakebmc):
    sdrmod.clear_memory_cache()
    c = command.Command(fakebmc.host, 'admin', 'password', port=fakebmc.port)
    try:
        yield {r.name: r for r in c.get_sensor_data()}, c._sdr
    finally:
        c.logout()


def test_every_profile_sensor_is_read(readings):
    by_name, sdr = readings
    expected = set()
    for name, spec in SPECS.items():
        if spec.get('kind') == 'event-only':
            continue
        if spec.get('share_count', 1) > 1:
            expected |= {name + c for c in 'ABCD'[:spec['share_count']]}
        else:
            expected.add(name)
    assert set(by_name) == expected
    assert len(by_name) >= 30
    assert sdr.damaged == 1                  # the truncated record
    assert any(r.kind == 0xC0 for r in sdr.records)


def test_values_match_the_profile_within_resolution(readings):
    by_name, _ = readings
    for name, spec in SPECS.items():
        if 'value' not in spec or spec.get('unavailable'):
            continue
        reading = by_name[name]
        assert reading.value == pytest.approx(spec['value'], abs=0.05,
                                              rel=0.01), name
    assert by_name['PCIE SLOT TEMP'].unavailable == 1
    assert by_name['PCIE SLOT TEMP'].value is None


def test_states_and_health(readings, fakebmc):
    by_name, _ = readings
    assert by_name['Fan4'].health == constants.Health.Critical | \
        constants.Health.Warning
    assert 'lower critical threshold' in by_name['Fan4'].states
    assert by_name['VBAT'].states == ['lower non-critical threshold']
    assert by_name['PSU2 Status'].states == [
        'Presence detected', 'Power Supply Failure detected']
    assert by_name['DIMM C'].states == ['Presence detected']
    assert by_name['CPU1 STATUS'].type == 'Processor'
    c = command.Command(fakebmc.host, 'admin', 'password', port=fakebmc.port)
    try:
        health = c.get_health()
        assert health['health'] == 3
        assert sorted(r.name for r in health['badreadings']) == [
            'Fan4', 'Inlet Temp', 'PCH Temp', 'PSU2 Status', 'VBAT']
        assert c.get_sensor_reading('12V').value == pytest.approx(12.06)
        names = [d['name'] for d in c.get_sensor_descriptions()]
        assert 'Fan1' in names and 'DIMM A' in names
    finally:
        c.logout()


def _table(argv):
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                         errors='replace')
    assert out.returncode == 0, out.stderr
    return [[cell.strip() for cell in line.split('|')]
            for line in out.stdout.splitlines() if '|' in line]


def test_ipmitool_sensor_list_agrees(fakebmc, readings):
    by_name, _ = readings
    rows = _table(['ipmitool', '-I', 'lanplus', '-H', fakebmc.host, '-p',
                   str(fakebmc.port), '-U', 'admin', '-P', 'password',
                   'sensor', 'list'])
    compared = 0
    for row in rows:
        name = row[0]
        if len(row) != 10:
            continue
        reading = by_name.get(name)
        if reading is None or reading.value is None or name in ASCII6:
            continue
        assert float(row[1]) == pytest.approx(reading.value, abs=0.01), name
        assert row[3] == IPMITOOL_STATUS[reading.health], name
        compared += 1
    assert compared >= 25


def test_freeipmi_ipmi_sensors_agrees(fakebmc, readings, tmp_path):
    by_name, _ = readings
    rows = _table(['ipmi-sensors', '-D', 'LAN_2_0', '-h',
                   '%s:%d' % (fakebmc.host, fakebmc.port), '-u', 'admin',
                   '-p', 'password', '-I', '17', '--quiet-cache',
                   '--sdr-cache-directory', str(tmp_path)])
    compared = 0
    for row in rows[1:]:
        if len(row) != 6:
            continue        # a raw 6-bit name that happens to contain '|'
        name, value, event = row[1], row[3], row[5]
        reading = by_name.get(name)
        if reading is None or name in ASCII6:
            continue
        if reading.value is not None and name != 'Depth cbrt':
            # FreeIPMI 1.6.10 prints 0 for the cube-root linearization.
            assert float(value) == pytest.approx(reading.value, abs=0.01)
        for state in reading.states:
            if 'threshold' not in state:
                assert "'%s'" % state in event, (name, event)
        compared += 1
    assert compared >= 30


def test_second_session_uses_the_cache(fakebmc, tmp_path):
    sdrmod.clear_memory_cache()
    first = command.Command(fakebmc.host, 'admin', 'password',
                            port=fakebmc.port)
    first.set_sdr_cachedir(str(tmp_path))
    count = len(list(first.get_sensor_data()))
    assert first._sdr.round_trips > 40
    first.logout()
    assert os.listdir(str(tmp_path))
    sdrmod.clear_memory_cache()         # as a new process would be
    second = command.Command(fakebmc.host, 'admin', 'password',
                             port=fakebmc.port)
    second.set_sdr_cachedir(str(tmp_path))
    try:
        assert len(list(second.get_sensor_data())) == count
        assert second._sdr.round_trips == 1      # repository info only
    finally:
        second.logout()


def test_pyghmiutil_sensors_and_health(fakebmc):
    import json
    base = ['--json', fakebmc.host, 'admin']
    out = peers.pyghmiutil(fakebmc, *base, 'sensors', 'Fan4', '12V')
    assert out.returncode == 0 and not out.stderr, out.stderr
    sensors = json.loads(out.stdout)['result']['sensors']
    assert [s['name'] for s in sensors] == ['Fan4', '12V']
    assert sensors[0]['health'] == 'critical'
    assert sensors[1]['value'] == pytest.approx(12.06)
    out = peers.pyghmiutil(fakebmc, *base, 'health')
    result = json.loads(out.stdout)['result']
    assert result['health'] == 'critical'
    assert len(result['badreadings']) == 5


def test_legacy_sdr_methods(fakebmc):
    # pyghmi 1.6.19's SDR methods on a live repository
    c = peers.connect(fakebmc)
    try:
        sdr = c.init_sdr()
        first = sdr.get_sdr_reservation()
        second = sdr.get_sdr_reservation()
        assert isinstance(first, int) and first != second  # new each time
        assert sdr.aux_fw == sdr.decode_aux(bytes.fromhex(
            PROFILE['identity']['aux_firmware']))
        records = list(sdr.records)
        count = len(sdr.sensors)
        sdrmod.shared_sdrs.clear()      # the module's cache: re-read
        sdr.get_sdr()
        assert len(sdr.sensors) == count
        fan = next(r for r in records if r.name == 'Fan1')
        entry = sdr.make_sdr_entry(fan.raw)
        assert (entry.sensor_name, entry.sensor_number, entry.mfg_id) == \
            ('Fan1', fan.number, sdr.mfg_id)
        reading = entry.decode_sensor_reading(c, c.raw_command(
            4, 0x2D, data=(fan.number,))['data'])
        assert reading.value == c.get_sensor_reading('Fan1').value
    finally:
        c.logout()
