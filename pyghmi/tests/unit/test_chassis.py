"""Chassis encoders/decoders (IPMI v2.0 section 28)."""

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi.private.codec import chassis


@pytest.mark.parametrize('name,selector', [
    ('network', 1), ('pxe', 1), ('hd', 2), ('safe', 3), ('optical', 5),
    ('cd', 5), ('setup', 6), ('bios', 6), ('floppy', 15)])
def test_28_13_boot_flags_selector(name, selector):
    data = chassis.encode_boot_flags(name)
    assert data[0] == 5 and data[1] == 0x80 and data[2] == selector << 2


def test_28_13_boot_flags_persistent_uefi():
    assert chassis.encode_boot_flags('hd', True, True)[1] == 0xE0


def test_28_13_default_clears_valid_bit():
    assert chassis.encode_boot_flags('default', True, True)[1:3] == b'\0\0'


def test_28_13_unknown_device():
    with pytest.raises(exc.InvalidParameterValue):
        chassis.encode_boot_flags('tape')


def test_28_13_decode_boot_flags():
    rsp = bytes((1, 5, 0xE0, 0x04, 0, 0, 0))
    assert chassis.decode_boot_flags(rsp) == {
        'bootdev': 'network', 'persistent': True, 'uefimode': True}
    rsp = bytes((1, 5, 0x80, 0x20, 0, 0, 0))
    assert chassis.decode_boot_flags(rsp)['bootdev'] == 8
    invalid = bytes((1, 5, 0x00, 0x04, 0, 0, 0))
    assert chassis.decode_boot_flags(invalid) == {
        'bootdev': 'default', 'persistent': True}
    with pytest.raises(exc.DecodeError):
        chassis.decode_boot_flags(b'\x01')


def test_28_2_chassis_status():
    status = chassis.decode_chassis_status(bytes((0x21, 0x10, 0x40, 0)))
    assert status['powerstate'] == 'on'
    assert status['restore_policy'] == 'previous'
    assert status['last_event'] == ['command']
    assert status['identify_supported']
    assert chassis.power_state(b'\x00') == 'off'
    with pytest.raises(exc.DecodeError):
        chassis.decode_chassis_status(b'\x01')


def test_28_5_identify():
    assert chassis.encode_identify(True) == b'\x00\x01'
    assert chassis.encode_identify(False) == b'\x00\x00'
    assert chassis.encode_identify(duration=500) == b'\xff'
    assert chassis.encode_identify(duration=-3) == b'\x00'
