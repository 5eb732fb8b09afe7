"""Byte vectors captured from real peers, for the codecs both ends share.

A round trip through our own encoder and decoder cannot catch a mistake
made the same way on both sides; these vectors can.  Each was captured
from OpenIPMI's ipmi_sim 2.0.33 (the functional tests' configuration)
with ``ipmitool -I lanplus -C 3 raw ...``, response data after the
completion code; the expected values are read off the IPMI v2.0 tables.
"""

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import channel
from pyghmi.ipmi.private import chassis
from pyghmi.ipmi.private import device
from pyghmi.ipmi.private import layout

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
        'bootdev': 'default', 'persistent': True, 'uefimode': False}


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
