"""Sensors read from OpenIPMI's ipmi_sim with SDRs written by the test.

The SDRs come from our encoder; ipmi_sim keeps the raw readings and
compares them with the thresholds itself.  The expected values are worked
out here from the specification's formula (36.3), and ipmitool reads the
same simulator for comparison.
"""

import subprocess

import pytest

from pyghmi.ipmi import command
from pyghmi.ipmi import sdr as sdrmod
from pyghmi.ipmi import sdrrecords as sr
from pyghmi.tests.functional import peers

DEG_C, VOLTS = (0, 1, 0), (0, 4, 0)


def _emu():
    temp = sr.encode_full(
        1, 2, 'Board Temp', 0x01,
        factors=sr.Factors(m=2, b=-20, bexp=0, rexp=-1), units=DEG_C,
        thresholds={'upper critical': 0x50, 'upper non-critical': 0x40})
    volts = sr.encode_full(
        2, 3, 'Neg Rail', 0x02,
        factors=sr.Factors(m=5, rexp=-2, fmt=2), units=VOLTS,
        thresholds={'lower critical': 0xE0})
    psu = sr.encode_compact(3, 4, 'PSU Status', 0x08, 0x6F)
    return '\n'.join([
        peers.ipmi_sim_sdr_line(temp), peers.ipmi_sim_sdr_line(volts),
        peers.ipmi_sim_sdr_line(psu),
        'sensor_add 0x20 0 2 0x01 0x01',
        'sensor_set_threshold 0x20 0 2 settable 011000 0 0x50 0x40 0 0 0',
        'sensor_set_value 0x20 0 2 0x60 0',
        'sensor_add 0x20 0 3 0x02 0x01',
        'sensor_set_threshold 0x20 0 3 settable 000010 0 0 0 0 0xe0 0',
        'sensor_set_value 0x20 0 3 0xf0 0',
        'sensor_add 0x20 0 4 0x08 0x6f',
        'sensor_set_bit 0x20 0 4 0 1 0',
        'sensor_set_bit 0x20 0 4 1 1 0',
    ])


@pytest.fixture(scope='module')
def sim():
    sim = peers.IpmiSim(extra_emu=_emu()).start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture(scope='module')
def readings(sim):
    sdrmod.clear_memory_cache()
    c = command.Command(sim.host, 'admin', 'password', port=sim.port)
    try:
        yield {r.name: r for r in c.get_sensor_data()}
    finally:
        c.logout()


def test_ipmisim_threshold_sensor_conversion_and_state(readings):
    temp = readings['Board Temp']
    # y = (M x + B 10^Bexp) 10^Rexp = (2 * 96 - 20) / 10 = 17.2
    assert temp.value == pytest.approx(17.2)
    assert temp.units == '°C' and temp.type == 'Temperature'
    # raw 0x60 is above the raw UNC (0x40) and UC (0x50) thresholds
    assert temp.states == ['upper non-critical threshold',
                           'upper critical threshold']
    assert temp.health == 3


def test_ipmisim_signed_reading(readings):
    rail = readings['Neg Rail']
    # 2's complement 0xF0 = -16 -> -16 * 5 / 100 = -0.80 V; 0xE0 = -32 is
    # the lower critical threshold, so the reading is not below it.
    assert rail.value == pytest.approx(-0.80)
    assert rail.states == []


def test_ipmisim_discrete_sensor_states(readings):
    psu = readings['PSU Status']
    assert psu.states == ['Presence detected',
                          'Power Supply Failure detected']
    assert psu.health == 2 and psu.value is None


def test_ipmisim_ipmitool_agrees(sim, readings):
    out = subprocess.run(
        ['ipmitool', '-I', 'lanplus', '-H', sim.host, '-p', str(sim.port),
         '-U', 'admin', '-P', 'password', '-C', '3', 'sdr', 'list'],
        capture_output=True, text=True, timeout=60)
    rows = {line.split('|')[0].strip(): line.split('|')[1].strip()
            for line in out.stdout.splitlines() if '|' in line}
    assert rows['Board Temp'].startswith('17.20 degrees C'), rows
    assert rows['Neg Rail'].startswith('-0.80 Volts'), rows
