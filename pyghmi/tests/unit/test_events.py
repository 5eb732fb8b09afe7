"""SEL record decoding and reading (IPMI v2.0 sections 31, 32, 42)."""

import struct

from hypothesis import given, settings, strategies as st

from pyghmi import exceptions as exc
from pyghmi.fakebmc import sel as fakesel
from pyghmi.ipmi import events


def record(stype, number, dirtype, d1, d2=0xFF, d3=0xFF, stamp=1_700_000_000,
           record_id=1, generator=0x20):
    return struct.pack('<HBIHBBBBBBB', record_id, 2, stamp, generator, 4,
                       stype, number, dirtype, d1, d2, d3)


def test_32_1_threshold_event_without_sdr_keeps_raw_values():
    event = events.decode_record(record(0x04, 7, 0x01, 0x52, 0x0A, 0x14))
    assert event['event'] == 'Lower Critical - going low'
    assert event['severity'] == 2 and event['deassertion'] is False
    assert event['triggered_value'] == 0x0A
    assert event['threshold_value'] == 0x14
    # No SDR: named by pyghmi's sensor id 'owner.number.lun'.
    assert event['event_id'] == '1.2' and event['component_id'] == '32.7.0'
    assert event['component'] == 'Sensor 32.7.0'


def test_32_1_deassertion_is_ok():
    event = events.decode_record(record(0x08, 9, 0xEF, 0x01))
    assert event['event'] == 'Power Supply Failure detected'
    assert event['deassertion'] is True and event['severity'] == 0


def test_42_3_event_data_interpretations():
    progress = events.decode_record(record(0x0F, 0, 0x6F, 0xC2, 0x13))
    assert progress['event_data'] == 'Starting operating system boot process'
    post = events.decode_record(record(0x0F, 0, 0x6F, 0xC0, 0x0B))
    assert post['event_data'] == 'Firmware (BIOS) ROM corruption detected'
    memory = events.decode_record(record(0x0C, 3, 0x6F, 0x30, 0xFF, 0x02))
    assert memory['event_data'] == 'Module 2'
    disabled = events.decode_record(record(0x10, 1, 0x6F, 0xE1, 0x01, 0x25))
    assert disabled['event_data'] == \
        'Event/reading type 01h, offset 5, all events'


def test_clock_sync_pair_is_recognised_and_hidden():
    # The seltime worked example, through SEL records.
    recs = [record(0x04, 7, 0x01, 0x02, stamp=300, record_id=1),
            record(0x12, 1, 0x6F, 0xC5, 0x00, stamp=400, record_id=2),
            record(0x12, 1, 0x6F, 0xC5, 0x80, stamp=1_699_999_900,
                   record_id=3),
            record(0x04, 7, 0x01, 0x09, stamp=1_699_999_950, record_id=4)]
    decoded = [events.decode_record(r) for r in recs]
    shown = events.apply_times(decoded, 1_700_000_000, 1_700_000_100,
                               details=True)
    assert [e['record_id'] for e in shown] == [1, 4]
    assert [e['epoch'] for e in shown] == [1_699_999_900, 1_700_000_050]
    # timecode stays the raw SEL time, as in pyghmi 1.6.19
    assert [e['timecode'] for e in shown] == [300, 1_699_999_950]
    assert all(e['timestamp_source'] == 'corrected' for e in shown)
    assert [e['timestamp'] for e in shown] == [
        events._time_string(t) for t in (1_699_999_900, 1_700_000_050)]
    decoded = [events.decode_record(r) for r in recs]
    kept = events.apply_times(decoded, 1_700_000_000, 1_700_000_100,
                              keep_sync=True)
    assert [e.get('clock_sync') for e in kept] == [
        None, 'before', 'after', None]


def test_oem_records():
    timed = events.decode_record(
        bytes.fromhex('0100c0f0536765664a0001020304050a'))
    # pyghmi 1.6.19's shape: raw bytes, as bytearrays.
    assert timed['oemid'] == bytearray(b'\x66\x4a\x00')
    assert timed['oemdata'] == bytearray((1, 2, 3, 4, 5, 10))
    untimed = events.decode_record(bytes(range(1, 3)) + b'\xe0' +
                                   bytes(range(13)))
    assert untimed['oemdata'] == bytearray(range(13))
    assert untimed['_raw_time'] is None
    shown = [events.finish_event(e) for e in
             events.apply_times([timed, untimed], 0x6753f0c0, 0x6753f0c0)]
    assert sorted(shown[0]) == ['oem_handler', 'oemdata', 'oemid',
                                'record_id', 'timecode', 'timestamp']
    assert sorted(shown[1]) == ['oem_handler', 'oemdata', 'record_id']


def test_linux_panic_record():
    raw = bytes((9, 0, 0xF0, 0, 0)) + b'Oops: 0002\x00'
    event = events.finish_event(events.apply_times(
        [events.decode_record(raw)], 1, 1)[0])
    assert event == {'record_id': 9, 'event': 'Linux kernel panic: Oops: 0002',
                     'severity': 2}


def test_public_event_keys_are_pyghmis():
    raw = record(0x04, 7, 0x01, 0x02, stamp=1_700_000_000, record_id=5)
    event = events.finish_event(events.apply_times(
        [events.decode_record(raw)], 1_700_000_000, 1_700_000_000)[0])
    assert sorted(event) == [
        'component', 'component_id', 'component_type', 'component_type_id',
        'deassertion', 'event', 'event_id', 'oem_handler', 'record_id',
        'severity', 'timecode', 'timestamp']


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=20))
def test_decode_record_raises_only_decode_error(data):
    try:
        events.decode_record(data)
    except exc.DecodeError:
        pass


class Log:
    """xraw stand-in over fakebmc's EventLog; can cancel reservations."""

    def __init__(self, count=6):
        self.log = fakesel.EventLog({'sel': {'records': [
            {'sensor_type': 4, 'sensor': i, 'ago': 100 - i}
            for i in range(count)]}})
        self.calls = []
        self.cancel_on = None
        self.refuse_full = False

    def __call__(self, netfn, cmd, data=b''):
        self.calls.append(cmd)
        if cmd == 0x43 and len(self.calls) == self.cancel_on:
            raise exc.IpmiException('cancelled', code=0xC5)
        if cmd == 0x43 and self.refuse_full and bytes(data)[5] == 0xFF:
            raise exc.IpmiException('too big', code=0xCA)
        handler = {0x40: lambda d: (0, self.log.info()),
                   0x42: lambda d: (0, self.log.reserve()),
                   0x43: self.log.get_entry, 0x47: self.log.clear,
                   0x48: self.log.get_time}[cmd]
        code, out = handler(bytes(data))
        if code:
            raise exc.IpmiException('code', code=code)
        return {'data': out}


def test_31_5_reservation_lost_mid_walk_loses_and_repeats_nothing():
    log = Log()
    log.cancel_on = 6
    raws = events.SelReader(log).records()
    ids = [struct.unpack_from('<H', r)[0] for r in raws]
    assert ids == [1, 2, 3, 4, 5, 6]
    assert log.calls.count(0x42) == 2


def test_31_5_partial_reads_when_whole_records_are_refused():
    log = Log(3)
    log.refuse_full = True
    raws = events.SelReader(log).records()
    assert [r[9] for r in raws] == [4, 4, 4]       # sensor type byte
    assert all(len(r) == 16 for r in raws)


def test_31_9_clear_waits_for_completion():
    log = Log(3)
    reader = events.SelReader(log)
    assert reader.clear() is True
    assert reader.records() == []


def test_pet_decoding():
    # Fan (04h), threshold (01h), offset 2 "Lower Critical going low";
    # 1,000,000 s after 1998-01-01; sensor 7 of device 20h.
    trap = (0x04 << 16) | (0x01 << 8) | 0x02
    pet = bytearray(47)
    struct.pack_into('>HI', pet, 16, 42, 1_000_000)
    pet[27], pet[28] = 0x20, 7
    pet[31:34] = bytes((0x52, 0x0A, 0x14))
    event = events.decode_pet(trap, bytes(pet))
    assert event['record_id'] == 42
    assert event['component'] == 'Sensor 32.7.0'
    assert event['event'] == 'Lower Critical - going low'
    assert event['timecode'] == 1_000_000     # the trap's raw time
    assert event['timestamp'] == events._time_string(883612800 + 1_000_000)
    assert event['triggered_value'] == 0x0A and not event['deassertion']
    deasserted = events.decode_pet(trap | 0x80, bytes(pet))
    assert deasserted['deassertion'] is True


# Event data 2/3 of table 42-3, hand-built records: event/reading type 6Fh
# (sensor-specific), event data 1 = F0h | offset (data 2 and 3 both
# "sensor-specific extension", bits 7:4 = 1111b).
def test_42_3_event_data_meanings():
    cases = [
        # type, offset, data 2, data 3, expected text
        (0x1D, 7, 0x01, 0xFF, 'Chassis control command'),
        (0x1D, 7, 0x0B, 0xFF, 'Power-up via RTC wakeup'),
        (0x21, 2, 0x09, 0x04, 'PCI Express slot 4'),
        (0x23, 1, 0x13, 0xFF, 'Timer use OS Load, interrupt SMI'),
        (0x2B, 1, 0x09, 0xFF, 'System firmware (EFI / BIOS) change'),
        (0x2C, 4, 0x23, 0xFF, 'Previous state: FRU Activation In '
                              'Progress; State change due to operator '
                              'changing a handle latch'),
        (0x08, 6, 0xFF, 0x03, 'Power supply rating mismatch'),
        (0x12, 3, 0x21, 0xFF, 'entry added with corresponding SEL '
                              'entries, OEM 1 log'),
    ]
    for stype, offset, d2, d3, text in cases:
        event = events.decode_record(record(stype, 1, 0x6F, 0xF0 | offset,
                                            d2, d3))
        assert event.get('event_data') == text, (stype, event)
    # the original's module-level function gives the same text
    assert events.decode_eventdata(0x21, 2, bytes((0xF2, 0x09, 0x04)),
                                   None, None) == 'PCI Express slot 4'
    assert events.slot_types[0x09] == 'PCI Express'
    assert events.restart_causes[4] == 'Watchdog expiration'


def test_42_3_unspecified_event_data_gives_no_text():
    # data 2/3 usage 00b ("unspecified byte"): nothing to decode
    event = events.decode_record(record(0x21, 1, 0x6F, 0x02, 0x09, 0x04))
    assert 'event_data' not in event
