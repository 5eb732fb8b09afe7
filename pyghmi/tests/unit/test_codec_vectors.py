"""Byte vectors captured from real peers, for the codecs both ends share.

A round trip through our own encoder and decoder cannot catch a mistake
made the same way on both sides; these vectors can.  Each was captured
from OpenIPMI's ipmi_sim 2.0.33 (the functional tests' configuration)
with ``ipmitool -I lanplus -C 3 raw ...``, response data after the
completion code; the expected values are read off the IPMI v2.0 tables.
"""

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi import events
from pyghmi.ipmi import fru
from pyghmi.ipmi import sdrrecords
from pyghmi.ipmi.private.codec import channel
from pyghmi.ipmi.private.codec import chassis
from pyghmi.ipmi.private.codec import device
from pyghmi.ipmi.private.codec import layout
from pyghmi.ipmi.private.codec import rakp

# ipmitool raw 0x06 0x01 (Get Device ID), table 20-2.
IPMISIM_DEVICE_ID = bytes.fromhex('00 03 09 08 02 9f 91 12 00 02 0f'
                                  ' 00 00 00 00')
# ipmitool raw 0x00 0x01 (Get Chassis Status), table 28-3.
IPMISIM_CHASSIS_STATUS = bytes.fromhex('010000')
# ipmitool raw 0x00 0x09 0x05 0 0 (boot flags), tables 28-13 / 28-14.
IPMISIM_BOOT_FLAGS = bytes.fromhex('01050000000000')
# ipmitool raw 0x06 0x54 0x0e 0x00 0x80 / 0x81 (cipher suites, 22-18).
IPMISIM_SUITES_PAGE0 = bytes.fromhex('01 c0 00 00 40 80 c0 01 01 40 80'
                                     ' c0 02 01 41 80 c0')
IPMISIM_SUITES_PAGE1 = bytes.fromhex('01 03 01 41 81 c0 04 01 41 82 c0'
                                     ' 05 01 41 83 c0 06')


def test_20_2_device_id_from_ipmi_sim():
    info = device.decode_device_id(IPMISIM_DEVICE_ID)
    assert info == {
        'device_id': 0, 'device_revision': 3, 'provides_device_sdrs': False,
        'device_available': True, 'firmware_version': '9.08',
        'ipmi_version': '2.0',
        'additional_support': ['sensor', 'sdr-repository', 'sel', 'fru',
                               'ipmb-event-receiver', 'chassis'],
        'manufacturer_id': 0x1291, 'product_id': 0x0F02,
        'aux_firmware': b'\0\0\0\0'}


def test_20_2_device_id_encoder_reproduces_ipmi_sim_bytes():
    assert device.encode_device_id(
        device_id=0, revision=3, firmware_major=9, firmware_minor=0x08,
        ipmi_version=0x02, additional_support=0x9F,
        manufacturer_id=0x1291, product_id=0x0F02,
        aux_firmware=b'\0\0\0\0') == IPMISIM_DEVICE_ID


def test_20_2_twenty_bit_manufacturer_and_flags():
    # Lenovo's IANA number 19046 (0x4A66), device SDRs, update in progress.
    data = bytes((0x20, 0x81, 0x82, 0x41, 0x02, 0x00, 0x66, 0x4A, 0xF0,
                  0x34, 0x12))
    info = device.decode_device_id(data)
    assert info['manufacturer_id'] == 0x4A66    # bits 7:4 reserved
    assert (info['provides_device_sdrs'], info['device_available'],
            info['firmware_version'], info['product_id']) == \
        (True, False, '2.41', 0x1234)
    assert info['aux_firmware'] == b''


def test_28_3_chassis_status_from_ipmi_sim():
    status = chassis.decode_chassis_status(IPMISIM_CHASSIS_STATUS)
    assert status['powerstate'] == 'on'
    assert status['restore_policy'] == 'always-off'
    assert status['identify_state'] == 'off'
    assert not status['identify_supported'] and status['last_event'] == []


def test_28_3_chassis_status_encoder_bits():
    # power on, identify supported (bit 6) and on (state 2, bits 5:4).
    assert chassis.encode_chassis_status(True, 'on') == bytes((0x61, 0,
                                                               0x60))
    assert chassis.encode_chassis_status(False, 'temporary',
                                         restore_policy='previous') == \
        bytes((0x20, 0, 0x50))


def test_28_14_boot_flags_from_ipmi_sim():
    # ipmi_sim never sets the valid bit: no override is in force.
    assert chassis.decode_boot_flags(IPMISIM_BOOT_FLAGS) == {
        'bootdev': 'default', 'persistent': True}


def test_28_14_boot_flags_layout_positions():
    # Valid + persistent + EFI = E0h; PXE selector 1 in bits 5:2 = 04h.
    assert chassis.encode_boot_flags('network', True, True) == \
        bytes((0x05, 0xE0, 0x04, 0, 0, 0))
    assert chassis.encode_boot_options_response(5, bytes((0x80, 0x08))) \
        == bytes((0x01, 0x05, 0x80, 0x08))


def test_28_5_identify_request_forms():
    assert chassis.decode_identify(b'') == (15, False)
    assert chassis.decode_identify(b'\x05') == (5, False)
    assert chassis.decode_identify(b'\x00\x01') == (0, True)


def test_22_18_cipher_suites_from_ipmi_sim():
    records = (channel.decode_cipher_suites_page(IPMISIM_SUITES_PAGE0)
               + channel.decode_cipher_suites_page(IPMISIM_SUITES_PAGE1))
    assert len(records) == 32
    assert channel.parse_suite_records(records) == [0, 1, 2, 3, 4, 5, 6]


def test_22_18_our_records_match_ipmi_sim_encoding():
    # ipmi_sim's records for suites 0-2 are the first 15 bytes of page 0.
    assert channel.encode_suite_records((0, 1, 2)) == \
        IPMISIM_SUITES_PAGE0[1:16]
    page = channel.encode_cipher_suites_page(1, IPMISIM_SUITES_PAGE0[1:]
                                             + IPMISIM_SUITES_PAGE1[1:], 1)
    assert page == IPMISIM_SUITES_PAGE1


def test_22_15_auth_caps_as_ipmitool_expects():
    # Channel 1, IPMI 2.0 extended data, non-null user names, Kg set,
    # IPMI 2.0 only (table 22-15).
    data = channel.encode_auth_caps(1, kg_set=True)
    assert data == bytes((0x01, 0x80, 0x24, 0x02, 0, 0, 0, 0))
    assert channel.supports_rmcp_plus(data)
    assert not channel.supports_rmcp_plus(bytes((1, 0x14, 0x04, 0x01,
                                                 0, 0, 0, 0)))
    assert channel.encode_auth_caps_request(4) == bytes((0x8E, 0x04))


def test_22_24_channel_info_lan_multi_session():
    assert channel.encode_channel_info(1, 3) == bytes(
        (0x01, 0x04, 0x01, 0x83, 0xF2, 0x1B, 0x00, 0x00, 0x00))


def test_layout_rejects_short_messages_with_decode_error():
    with pytest.raises(exc.DecodeError):
        device.decode_device_id(IPMISIM_DEVICE_ID[:10])
    with pytest.raises(exc.DecodeError):
        chassis.decode_chassis_status(b'\x01\x00')


def test_layout_encode_rejects_values_that_do_not_fit():
    with pytest.raises(ValueError):
        chassis.CHASSIS_STATUS.encode(restore_policy=4)
    with pytest.raises(ValueError):
        chassis.CHASSIS_STATUS.encode(no_such_field=1)


def test_layout_split_signed_field():
    # A 10-bit two's complement value split as SDR M is (8 + 2 bits).
    lay = layout.Layout('split', [layout.S('m', (0, 0, 8), (1, 6, 2),
                                           signed=True),
                                  layout.B('tol', 1, 0, 6)])
    assert lay.encode(m=-2, tol=5) == bytes((0xFE, 0xC5))
    assert lay.decode(bytes((0xFE, 0xC5))) == {'m': -2, 'tol': 5}


def _every_layout():
    """Each Layout declared at the top level of a pyghmi module."""
    import importlib
    import pkgutil
    import pyghmi
    seen = {}
    for info in pkgutil.walk_packages(pyghmi.__path__, 'pyghmi.'):
        if '.tests' in info.name or info.name.endswith('__main__'):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, layout.Layout):
                seen[id(value)] = value
    return list(seen.values())


def test_layout_field_shortcuts_read_as_the_pieces_say():
    # Fields in one byte and runs of whole bytes are read by a shortcut;
    # on varied bytes each must read what joining its declared pieces
    # reads, signed included.
    layouts = _every_layout()
    assert len(layouts) > 40
    shortcuts = 0
    for data in (bytes((7 + 3 * i) & 0xFF for i in range(200)), b'\xff' * 200,
                 bytes((0x5A, 0xA5)) * 100):
        for lay in layouts:
            for field in lay.fields:
                if not isinstance(field, layout.Field):
                    continue
                shortcuts += field._bits is not None or \
                    field._span is not None
                value = field._joined(data)
                if field.signed and value >> (field.width - 1):
                    value -= 1 << field.width
                assert field.read(data) == field.kind(value), field
    assert shortcuts > 100
    # the split SDR M is not mistaken for a shortcut
    m = layout.S('m', (0, 0, 8), (1, 6, 2))
    assert m._bits is None and m._span is None
    assert m.read(bytes((0x01, 0x80))) == 0x201
    # nor is one piece wider than a byte
    assert layout.S('w', (0, 0, 16)).read(bytes((0x34, 0x12))) == 0x1234


# ---------------------------------------------------------------- records
def test_43_1_full_record_fields_at_their_table_offsets():
    # Assembled by hand from table 43-1: owner 20h, LUN 0 channel 0,
    # sensor 5, entity 7.1, temperature (01h) threshold (01h), readable
    # thresholds UC+UNC (bits 4, 3 = 18h), 2's complement (80h), degrees
    # C (01h), M=2, B=-20 (10-bit 3ECh: ECh + 11b in bits 7:6), Rexp=-1,
    # UC=50h, UNC=46h, ID "CPU" (C3h = 8-bit Latin-1, length 3).
    raw = bytes.fromhex(
        '0100' '51' '01' '2e'                  # id 1, v1.5, full, 46 bytes
        '20' '00' '05' '07' '01'               # owner, lun, number, entity
        '7f' '68' '01' '01'                    # init, caps, type, reading
        '0000' '0000' '1818'                   # masks, readable/settable
        '80' '01' '00' '00'                    # units 1-3, linear
        '02' '00' 'ec' 'c0' '00' 'f0'          # M, B, accuracy, exps
        '00' '00' '00' '00' 'ff' '00'          # flags, nominal..min
        '00' '50' '46' '00' '00' '00'          # UNR UC UNC LNR LC LNC
        '00' '00' '0000' '00'                  # hysteresis, reserved, OEM
        'c3' '435055')
    rec = sdrrecords.decode_record(raw)
    assert (rec.name, rec.number, rec.owner, rec.entity_id) == \
        ('CPU', 5, 0x20, 7)
    f = rec.factors
    assert (f.m, f.b, f.rexp, f.bexp, f.fmt) == (2, -20, -1, 0, 2)
    assert rec.thresholds == {'upper critical': 0x50,
                              'upper non-critical': 0x46}
    assert f.convert(0x13) == pytest.approx(1.8)     # (2*19 - 20) / 10
    # Our encoder writes the same bytes from the same values.
    assert sdrrecords.encode_full(
        1, 5, 'CPU', 1, factors=sdrrecords.Factors(2, -20, 0, -1, fmt=2),
        units=(0, 1, 0), thresholds={'upper critical': 0x50,
                                     'upper non-critical': 0x46}) == raw
    # pyghmi 1.6.19's attribute names read the same bytes: capabilities
    # 68h has threshold access bits 3:2 = 10b; units 1 = 80h (2's
    # complement, no percent, no modifier); accuracy/direction 00h.
    legacy = (rec.sensor_name, rec.sensor_number, rec.sensor_owner,
              rec.sensor_lun, rec.sensor_type, rec.sensor_type_number,
              rec.entity, rec.rectype, rec.sdrtype, rec.readable,
              rec.has_thresholds, rec.numeric_format, rec.linearization,
              rec.baseunit, rec.unit_suffix, rec.percent, rec.unit_mod,
              rec.m, rec.b, rec.resultexponent, rec.tolerance,
              rec.accuracy, rec.direction)
    assert legacy == ('CPU', 5, 0x20, 0, 'Temperature', 1, 'System board',
                      1, sdrrecords.TYPE_SENSOR, True, True, 2, 0, '°C',
                      '°C', '', '', 2, -20, -1, 0, 0, 0)


def test_legacy_names_of_compact_event_only_and_fru_records():
    # A compact record in watts of type 0Bh reads as 'Power', as pyghmi
    compact = sdrrecords.decode_record(sdrrecords.encode_compact(
        2, 9, 'PSU', 0x0B, 0x01, units=(0, 6, 0), entity=0x0A))
    assert (compact.sensor_type, compact.entity, compact.numeric_format,
            compact.linearization, compact.has_thresholds, compact.m) == \
        ('Power', 'Power supply', 3, None, False, None)
    event_only = sdrrecords.decode_record(sdrrecords.encode_event_only(
        3, 0x10, 'SEL', 0x10, 0x6F, entity=0x40))
    assert (event_only.readable, event_only.sdrtype, event_only.entity) == \
        (False, sdrrecords.TYPE_SENSOR, 'Air inlet')
    # FRU locator, device type 10h modifier 01h (DDR4 SPD)
    fru = sdrrecords.decode_record(sdrrecords.encode_fru_locator(
        4, 3, 'DIMM A1', device_modifier=0x01))
    assert (fru.fru_name, fru.fru_number, fru.fru_logical,
            fru.fru_type_and_modifier, fru.sdrtype) == \
        ('DIMM A1', 3, True, 0x1001, sdrrecords.TYPE_FRU)


def test_35_15_sensor_reading_bits():
    # Reading 13h, events and scanning enabled (C0h), UNC going high.
    rec = sdrrecords.decode_record(sdrrecords.encode_full(
        1, 5, 'T', 1, thresholds={'upper non-critical': 0x10}))
    reading = sdrrecords.decode_reading(rec, bytes((0x13, 0xC0, 0x08)))
    assert reading.value == 0x13 and reading.states
    assert sdrrecords.decode_reading(rec, b'\x00\x20').unavailable == 1
    assert sdrrecords.decode_reading(rec, b'\x00\x00').unavailable == 1
    assert sdrrecords.encode_reading(0x13, 0x08) == b'\x13\xc0\x08'
    assert sdrrecords.encode_reading(states=0x4001, discrete=True) == \
        b'\x00\xc0\x01\x40'


def test_32_1_system_event_record_fields():
    # Assembled from table 32-1: record 7, system event, time 0x5F000000,
    # generator 20h, EvM 04h, fan (04h) sensor 30h, threshold (01h)
    # assertion, data 1 = 52h (trigger reading in byte 2, threshold in
    # byte 3, offset 2 = lower critical going low), reading 05h, threshold
    # 08h.
    raw = bytes.fromhex('0700' '02' '0000005f' '2000' '04' '04' '30' '01'
                        '52' '05' '08')
    event = events.decode_record(raw)
    assert (event['record_id'], event['component_id'],
            event['component_type'], event['event_id']) == \
        (7, '32.48.0', 'Fan', '1.2')
    assert event['event_data_bytes'] == [0x52, 5, 8]
    assert (event['triggered_value'], event['threshold_value']) == (5, 8)
    assert events.encode_system_event(
        0x5F000000, 0x04, 0x30, 0x01, 2, data2=5, data3=8, data2_usage=1,
        data3_usage=1, record_id=7) == raw


def test_fru_18_1_power_supply_fields():
    # SSI power supply design guide example values: 480 W, 550 VA, 50 A
    # inrush for 5 ms, input range 1 90-140 V (in 10 mV units).
    body = bytes.fromhex('e001' '2602' '32' '05' '2823' 'b036'
                         + '00' * 14)
    ps = fru.POWER_SUPPLY.decode(body)
    assert (ps['capacity'] | ps['capacity_high'] << 8, ps['peak_va'],
            ps['inrush_current'], ps['low_input_1'], ps['high_input_1']) \
        == (480, 550, 50, 9000, 14000)
    image = fru.encode(multirecords=[(0x00, body)])
    record, = fru.decode(image)['multirecords']
    assert (record['capacity_watts'], record['low_input_voltage_1_10mv']) \
        == (480, 9000)


def test_fru_8_common_header_offsets_and_checksum():
    image = fru.encode(board={'fields': ['Acme']})
    assert image[:8] == bytes((1, 0, 0, 1, 0, 0, 0, 0xFE))
    assert fru.decode(image)['Board manufacturer'] == 'Acme'


def test_13_17_ipmi_sim_short_open_session_refusal():
    # ipmi_sim answers an Open Session for a suite it lacks (17) with the
    # tag and status only: tag 07h, status 04h (invalid authentication
    # algorithm); captured from ipmi_sim 2.0.33.
    reply = rakp.decode_open_response(bytes.fromhex('0704'))
    assert (reply.tag, reply.status, reply.console_sid) == (7, 4, None)
    with pytest.raises(exc.DecodeError):
        rakp.decode_open_response(b'\x07')
    with pytest.raises(exc.DecodeError):
        rakp.decode_open_response(b'\x07\x00\x00')   # success needs all


def test_legacy_sdrentry_and_complements():
    from pyghmi.ipmi import sdr
    from pyghmi.ipmi.private import constants
    # the table 43-1 example above, through pyghmi 1.6.19's class
    raw = sdrrecords.encode_full(
        1, 5, 'CPU', 1, factors=sdrrecords.Factors(2, -20, 0, -1, fmt=2),
        units=(0, 1, 0))
    entry = sdr.SDREntry(bytearray(raw), constants)
    assert (entry.sensor_name, entry.m, entry.b, entry.sensor_type) == \
        ('CPU', 2, -20, 'Temperature')
    assert entry.event_consts is constants
    # re-decoding a body through the legacy entry point gives the same
    entry.full_decode(raw[5:])
    assert entry.name == 'CPU' and entry.factors.m == 2
    # C3h: 8-bit Latin-1, 3 bytes; trailing bytes beyond the length ignored
    assert entry.tlv_decode(0xC3, b'CPUxx') == 'CPU'
    with pytest.raises(NotImplementedError):
        sdr.SDREntry(b'\x01\x00\x52\x01\x00', constants)   # version 52h
    # IPMI 36.3 data formats: FEh is -1 in 1's and -2 in 2's complement
    assert (sdr.ones_complement(0xFE, 8), sdr.twos_complement(0xFE, 8),
            sdr.twos_complement(0x7F, 8)) == (-1, -2, 127)
    assert sdr.ones_complement(0x3FE, 10) == -1


def test_layout_refuses_fields_that_share_bits():
    from pyghmi.ipmi.private.codec.layout import B, F, Layout, Raw, S, U
    # a typo in an offset: bit 5 of byte 1 twice
    with pytest.raises(ValueError, match='alerting and per_msg share'):
        Layout('typo', [B('mode', 1, 0, 3), F('alerting', 1, 5),
                        F('per_msg', 1, 5)])
    # a whole byte over a bit field of the same byte
    with pytest.raises(ValueError, match='share bits'):
        Layout('byte', [U('channel', 0), B('low', 0, 0, 4)])
    # a split field's high piece over a neighbour
    with pytest.raises(ValueError, match='share bits'):
        Layout('split', [S('m', (0, 0, 8), (1, 6, 2)), B('tol', 1, 0, 7)])
    # a raw tail over a field declared after its start
    with pytest.raises(ValueError, match='share bits'):
        Layout('tail', [Raw('rest', 2), U('late', 4)])
    # neighbours that touch but do not share are fine, and a pair named
    # in overlaps may share (two views of the same bits)
    Layout('ok', [B('a', 0, 0, 4), B('b', 0, 4, 4), U('c', 1), Raw('d', 2)])
    both = Layout('views', [U('whole', 0), B('low', 0, 0, 4)],
                  overlaps=[('low', 'whole')])
    assert both.decode(b'\xa5') == {'whole': 0xA5, 'low': 5}
