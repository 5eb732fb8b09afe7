"""Lenovo energy meter codecs (oem/lenovo/energy.py) on the byte layouts
and on truncated answers."""

import struct

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi.oem.lenovo import energy
from pyghmi.tests.support.flowdriver import drive


def test_layouts():
    # 3,600,000 J is 1 kWh: FAPM joules and millijoules in bytes 2-7; the
    # energy module's 64-bit big-endian millijoules from byte 3
    assert energy.decode_fapm_energy(
        b'\x00\x00' + struct.pack('<IH', 3600000, 0)) == 1.0
    assert energy.decode_energy(b'\x66\x4a\x00' +
                                struct.pack('!Q', 3600000000)) == 1.0
    assert energy.decode_fapm_power(b'\x00' * 6 + struct.pack(
        '<HHHH', 1, 2, 3, 4)) == (1, 2, 3, 4)
    assert energy.counter_request(energy.IANA_LENOVO, b'\x05', energy.AC) \
        == bytes.fromhex('664a000501820108')


@pytest.mark.parametrize('decode, size', [
    (energy.decode_fapm_energy, 8), (energy.decode_fapm_power, 14),
    (energy.decode_energy, 11)])
def test_truncated(decode, size):
    with pytest.raises(exc.DecodeError):
        decode(bytes(size - 1))
    decode(bytes(size))


def test_busy_power_meter_is_asked_again_then_gives_up():
    calls, pauses = [], []

    def ask(netfn, command, data):
        calls.append(bytes(data))
        if data == energy.FAPM_ENERGY:
            return bytes(8)
        raise exc.IpmiException('busy', code=energy.CC_BUSY)
    meters = drive(energy.find_meters(), ask)
    with pytest.raises(exc.IpmiException):
        drive(meters.read('Node Power'), ask, pauses)
    assert calls.count(energy.FAPM_POWER) == energy.BUSY_TRIES
    assert pauses == [energy.BUSY_PAUSE] * (energy.BUSY_TRIES - 1)


def test_ibm_iana_and_unknown_module():
    def ask(netfn, command, data):
        if netfn == energy.NETFN_FAPM:
            raise exc.IpmiException('no', code=0xC1)
        if data.startswith(energy.IANA_LENOVO):
            raise exc.IpmiException('no', code=energy.CC_INVALID_COMMAND)
        if command == energy.CMD_FIND_MODULE:
            return energy.IANA_IBM + b'\x00\x02\x01\x07'
        raise exc.IpmiException('absent', code=energy.CC_NOT_PRESENT)
    meters = drive(energy.find_meters(), ask)
    assert (meters.iana, meters.handle, meters.names) == (
        energy.IANA_IBM, b'\x07', ('DC Energy',))

    def old(netfn, command, data):
        if command == energy.CMD_FIND_MODULE:
            return energy.IANA_LENOVO + b'\x00\x01\x00\x07'
        raise exc.IpmiException('no', code=0xC1)
    with pytest.raises(exc.UnsupportedFunctionality):
        drive(energy.find_meters(), old)
