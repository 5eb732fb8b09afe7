"""Every timeline scenario of test_seltime, end to end through fakebmc.

The scenario's records are put in a fakebmc SEL (clock-sync pairs as real
Timestamp Clock Sync records, OEM E0h records for "no timestamp"), the
SEL clock is started at the scenario's BMC time, and the log is read over
RMCP+ with the manager clock placed at the scenario's distance from it.
"""

import struct

import pytest

from pyghmi.fakebmc import machine
from pyghmi.fakebmc import profile as profiles
from pyghmi.ipmi import command
from pyghmi.ipmi import events
from pyghmi.ipmi.private import seltime
from pyghmi.tests.unit.test_seltime import SCENARIOS


def _sel_record(index, rec):
    if rec.raw is None:
        return {'raw': '0000e0' + '00' * 13}
    if rec.sync is not None:
        return {'sensor_type': 0x12, 'sensor': 0x70, 'offset': 5,
                'byte2': 3, 'timestamp': rec.raw,
                'data2': 0x80 if rec.sync == seltime.SYNC_AFTER else 0}
    return {'sensor_type': 0x04, 'sensor': index + 1, 'event_type': 1,
            'offset': 7, 'timestamp': rec.raw}


@pytest.mark.parametrize('name', sorted(n for n in SCENARIOS
                                        if SCENARIOS[n][0]))
def test_fakebmc_sel_timeline(name):
    records, bmc_now, manager_now, expected = SCENARIOS[name]
    profile = dict(profiles.load(), sel={
        'clock': {'start': bmc_now},
        'records': [_sel_record(i, r) for i, r in enumerate(records)]})
    bmc = machine.FakeBmc({'admin': 'password'}, profile, port=0)
    bmc.start()
    try:
        c = command.Command('127.0.0.1', 'admin', 'password', port=bmc.port)
        sel_now = struct.unpack(
            '<I', bytes(c.xraw_command(0x0A, 0x48)['data']))[0]
        now = manager_now + (sel_now - bmc_now)
        got = events.fetch_events(c.xraw_command, now=now, keep_sync=True,
                                  details=True)
        c.logout()
    finally:
        bmc.stop()
    assert len(got) == len(expected)
    for event, (seconds, source) in zip(got, expected):
        assert event['timestamp_source'] == source, (name, event)
        if seconds is None:
            assert 'timestamp' not in event
        else:
            assert event['epoch'] == pytest.approx(seconds, abs=1)
