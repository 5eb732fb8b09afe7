"""IMM/XCC property and build codecs (oem/lenovo/imm.py) on truncated,
forged and odd answers: a clear DecodeError or None, never IndexError."""

import datetime

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi.oem.lenovo import imm
from pyghmi.tests.support.flowdriver import drive


def test_property_request_layout():
    # 00 00, length + 1, 80h | length, the name
    assert imm.property_request('/v2/x') == b'\x00\x00\x06\x85/v2/x'
    with pytest.raises(ValueError):
        imm.property_request('x' * 128)


@pytest.mark.parametrize('answer, value', [
    (b'\x00\x00\x00\x84abc ', 'abc'),
    (b'\x00\x00\x00\x80', ''),
    (b'\x00\x00\x00\x44\x01\x02\x03\x04\x05', b'\x01\x02\x03\x04'),
    (b'\x01', None),             # no such property
    (b'', None),
])
def test_property_answers(answer, value):
    assert imm.decode_property(answer) == value


@pytest.mark.parametrize('answer', [
    b'\x00\x00', b'\x00\x00\x00\x44\x01', b'\x00\x00\x00\x12zz'])
def test_bad_property_answers_raise_decode_error(answer):
    with pytest.raises(exc.DecodeError):
        imm.decode_property(answer)


def test_build_info_and_dates():
    build, date = imm.decode_build_info(b'TCOO62A\x00\x002019/08/22\x00'
                                        b'  14:39:51')
    assert build == 'TCOO62A'
    assert date == datetime.datetime(2019, 8, 22, 14, 39, 51)
    assert imm.decode_build_info(b'AB') == ('AB', None)
    assert imm.parse_date('08 22 2019') == datetime.datetime(2019, 8, 22)
    assert imm.parse_date('yesterday') is None
    assert imm.bmc_version('4.1') == '4.01'
    assert imm.decode_fpga(b'\x0a\x01\x02') == 'a.1.2'
    with pytest.raises(exc.DecodeError):
        imm.decode_fpga(b'\x01')


def test_enclosure_properties():
    answers = {imm.ENCLOSURE_UUID: 'zz', imm.ENCLOSURE_BAY: 'x'}

    def ask(netfn, command, data):
        name = data[4:].decode()
        value = answers.get(name)
        if value is None:
            return b'\x01'
        return b'\x00\x00\x00' + bytes((0x80 | len(value),)) + \
            value.encode()
    with pytest.raises(exc.DecodeError):
        drive(imm.enclosure(), ask)                 # not a UUID
    answers[imm.ENCLOSURE_UUID] = '00' * 16
    with pytest.raises(exc.DecodeError):
        drive(imm.enclosure(), ask)                 # bay not a number
    answers[imm.ENCLOSURE_BAY] = '3'
    assert drive(imm.enclosure(), ask)['Bay'] == '3'
    answers[imm.ENCLOSURE_UUID] = ''
    assert drive(imm.enclosure(), ask) is None      # not in an enclosure
    with pytest.raises(exc.DecodeError):
        imm.hex_text('4g')
