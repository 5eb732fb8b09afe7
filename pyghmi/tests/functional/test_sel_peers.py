"""System event log: our client, ipmitool and FreeIPMI on the same logs."""

import struct
import subprocess
import time


from pyghmi.fakebmc import machine
from pyghmi.fakebmc import profile as profiles
from pyghmi.ipmi import command
from pyghmi.ipmi import sdr as sdrmod
from pyghmi.tests.functional import peers


def _run(argv):
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                         errors='replace')
    assert out.returncode == 0, out.stderr
    return out.stdout


def _ipmitool(bmc, *args):
    return _run(['ipmitool', '-I', 'lanplus', '-H', bmc.host, '-p',
                 str(bmc.port), '-U', 'admin', '-P', 'password'] +
                list(args))


def test_ipmitool_sel_list_and_elist_agree(fresh_fakebmc):
    sdrmod.clear_memory_cache()
    c = peers.connect(fresh_fakebmc)
    try:
        events = c.get_event_log(details=True)
    finally:
        c.logout()
    rows = [line.split('|') for line in
            _ipmitool(fresh_fakebmc, 'sel', 'elist').splitlines()
            if '|' in line]
    assert [int(r[0], 16) for r in rows] == [e['record_id'] for e in events]
    by_id = {e['record_id']: e for e in events}
    for row in rows:
        event = by_id[int(row[0], 16)]
        text = '|'.join(row)
        name = event.get('component') or ''
        # SDR names are compared; ipmitool names unknown sensors
        # "Type #0xNN" and does not expand shared records (DIMM C).
        if name and not name.startswith('Sensor ') and name != 'DIMM C':
            assert name in text, (event, text)
        if 'deassertion' in event:
            assert ('Deasserted' in text) == event['deassertion']
        if 'triggered_reading' in event:
            assert 'Reading %g' % event['triggered_reading'] in text, text
    fan = [e for e in events if e.get('component') == 'Fan4'][0]
    # raw bytes as pyghmi 1.6.19 gives them; in RPM through the SDR
    assert (fan['triggered_value'], fan['threshold_value']) == \
        tuple(fan['event_data_bytes'][1:3])
    assert fan['triggered_reading'] == 0 and fan['threshold_reading'] == 600
    assert fan['severity'] == 2 and fan['timestamp_source'] == 'corrected'
    assert [e for e in events if e['record_id'] == 8][0]['oemdata'][:2] == \
        bytearray((0x11, 0x22))
    oem_timed = [e for e in events if e['record_id'] == 7][0]
    assert oem_timed['oemid'] == bytearray((0x66, 0x4A, 0x00))
    assert oem_timed['timestamp_source'] == 'corrected'     # C0h has a time
    assert 'timestamp' not in [e for e in events
                               if e['record_id'] == 8][0]     # E0h: none


def test_freeipmi_ipmi_sel_agrees(fresh_fakebmc, tmp_path):
    c = peers.connect(fresh_fakebmc)
    try:
        events = c.get_event_log(details=True)
    finally:
        c.logout()
    out = _run(['ipmi-sel', '-D', 'LAN_2_0', '-h',
                '%s:%d' % (fresh_fakebmc.host, fresh_fakebmc.port),
                '-u', 'admin', '-p',
                'password', '-I', '17', '--quiet-cache',
                '--sdr-cache-directory', str(tmp_path)])
    rows = [[c.strip() for c in line.split('|')]
            for line in out.splitlines()[1:] if '|' in line]
    assert [int(r[0]) for r in rows] == [e['record_id'] for e in events]
    for row, event in zip(rows, events):
        if 'timecode' in event and event['timestamp_source'] == 'corrected':
            stamp = time.strftime('%b-%d-%Y %H:%M:%S',
                                  time.localtime(event['timecode']))
            assert '%s %s' % (row[1], row[2]) == stamp
        if event.get('component') in ('Fan4', 'VBAT', 'PSU2 Status'):
            assert row[3] == event['component']
            assert event['event'].split(' - ')[0].split()[-1] in row[5]


def test_clear_with_ipmitool_and_with_pyghmi(fresh_fakebmc):
    c = peers.connect(fresh_fakebmc)
    try:
        assert len(c.get_event_log()) > 5
        _ipmitool(fresh_fakebmc, 'sel', 'clear')
        assert peers.poll(c.get_event_log, lambda log: log == []) == []
        # add one through Platform Event, then clear with pyghmi
        c.xraw_command(4, 2, data=(0x04, 0x01, 0x05, 0x01, 0x09, 0x50,
                                   0x40))
        assert len(c.get_event_log(clear=True)) == 1
        assert c.get_event_log() == []
        listing = _ipmitool(fresh_fakebmc, 'sel', 'list')
        assert 'no entries' in listing.lower() or not listing.strip()
    finally:
        c.logout()


def test_preinit_log_corrected_after_set_sel_time():
    profile = dict(profiles.load(), sel={
        'clock': {'preinit': 500},
        'records': [{'sensor_type': 0x0F, 'sensor': 0, 'offset': 2,
                     'byte2': 3, 'data2': 0x01, 'timestamp': 100},
                    {'sensor_type': 0x08, 'sensor': 31, 'offset': 1,
                     'timestamp': 400}]})
    bmc = machine.FakeBmc({'admin': 'password'}, profile, port=0)
    bmc.start()
    try:
        c = command.Command('127.0.0.1', 'admin', 'password', port=bmc.port)
        before = c.get_event_log(details=True)
        # The BMC clock is pre-init and nothing else links it: the offset
        # from manager now - BMC now corrects them (same boot).
        assert [e['timestamp_source'] for e in before] == ['corrected'] * 2
        now = int(time.time())
        c.xraw_command(0x0A, 0x49, data=struct.pack('<I', now))
        c.xraw_command(4, 2, data=(0x04, 0x04, 0x12, 0x01, 0x02, 0x00,
                                   0x00))
        events = c.get_event_log(details=True)
        assert len(events) == 3          # the sync pair is not reported
        first, second = events[0], events[1]
        assert first['timestamp_source'] == 'corrected'
        # 100 s of pre-init clock is 400 s before the second record
        assert second['epoch'] - first['epoch'] == 300
        assert abs(second['epoch'] - (now - 100)) <= 3
        with_sync = c.get_event_log(clock_sync=True)
        assert [e.get('clock_sync') for e in with_sync][2:4] == \
            ['before', 'after']
        c.logout()
    finally:
        bmc.stop()


def test_ipmisim_events_added_by_its_commands():
    emu = '\n'.join([
        'sel_add 0x20 0x02 0x00 0x00 0x00 0x00 0x20 0x00 0x04 0x04 0x07 '
        '0x01 0x52 0x0a 0x14',
        'sel_add 0x20 0x02 0x00 0x00 0x00 0x00 0x20 0x00 0x04 0x08 0x09 '
        '0x6f 0x01 0xff 0xff',
        'sel_add 0x20 0xe5 0x01 0x02 0x03 0x04 0x05 0x06 0x07 0x08 0x09 '
        '0x0a 0x0b 0x0c 0x0d',
    ])
    with peers.IpmiSim(extra_emu=emu) as sim:
        c = command.Command(sim.host, 'admin', 'password', port=sim.port)
        try:
            events = c.get_event_log(details=True)
        finally:
            c.logout()
        assert len(events) == 3
        fan, psu, oem = events
        assert fan['component_type'] == 'Fan'
        assert fan['event'] == 'Lower Critical - going low'   # 52h: offset 2
        assert fan['event_data_bytes'] == [0x52, 0x0A, 0x14]
        assert fan['triggered_value'] == 0x0A      # no SDR: raw values
        assert psu['event'] == 'Power Supply Failure detected'
        assert psu['severity'] == 2
        assert oem['oemdata'] == bytearray(range(1, 14))
        assert 'timestamp' not in oem
        listing = _run(['ipmitool', '-I', 'lanplus', '-H', sim.host, '-p',
                        str(sim.port), '-U', 'admin', '-P', 'password',
                        '-C', '3', 'sel', 'list'])
        assert len([line for line in listing.splitlines() if '|' in line]) \
            == 3


def test_pyghmiutil_events_json(fresh_fakebmc):
    import json
    out = peers.pyghmiutil(fresh_fakebmc, '--json', fresh_fakebmc.host,
                           'admin', 'events')
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)['result']['events']
    assert [e['record_id'] for e in result] == list(range(1, 10))
    assert result[1]['component'] == 'Fan4'
    assert result[1]['severity'] == 'critical'


def test_legacy_event_handler_reads_what_get_event_log_reads(fakebmc):
    # pyghmi 1.6.19's events.EventHandler(sdr, ipmicmd).fetch_sel(ipmicmd)
    from pyghmi.ipmi import events
    c = peers.connect(fakebmc)
    try:
        expected = c.get_event_log()
        handler = events.EventHandler(c.init_sdr(), c)
        got = handler.fetch_sel(c)
    finally:
        c.logout()
    assert got and [e['record_id'] for e in got] == \
        [e['record_id'] for e in expected]
    strip = [{k: v for k, v in e.items() if k != 'timestamp'} for e in got]
    assert strip == [{k: v for k, v in e.items() if k != 'timestamp'}
                     for e in expected]
