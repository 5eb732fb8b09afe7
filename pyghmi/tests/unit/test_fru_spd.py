"""FRU images (FRU specification v1.0) and DIMM SPD decoding."""

import pytest
from hypothesis import given, settings, strategies as st

from pyghmi import exceptions as exc
from pyghmi.ipmi import fru
from pyghmi.ipmi.private import spd
from pyghmi.ipmi.private.codec import typelen

# 2024-03-15 10:30 UTC in minutes since 1996-01-01
MINUTES = (1710498600 - fru.FRU_EPOCH) // 60


def image(**kw):
    return fru.encode(
        chassis={'type': 0x17, 'fields': ['CH-1287', '12345-678', 'extra'],
                 'kinds': {1: typelen.BCD_PLUS}},
        board={'minutes': MINUTES,
               'fields': ['Lenovo', 'SYSTEM BOARD', 'L1HF3BS00AB',
                          'SB27A12345', '01'],
               'kinds': {1: typelen.ASCII6, 4: typelen.BINARY}},
        product={'fields': ['Lenovo', 'ThinkSystem SR650 V3', '7D75CTO1WW',
                            'A1', 'J9012345', 'ASSET-0042', '', 'custom1',
                            'custom2']},
        multirecords=[(0x03, bytes((0x07,)) + bytes(range(16))),
                      (0x00, bytes(24))], **kw)


def test_fru_every_area_and_encoding():
    info = fru.decode(image())
    assert info['Chassis type'] == 'Rack Mount Chassis'
    assert info['Chassis part number'] == 'CH-1287'
    assert info['Chassis serial number'] == '12345-678'   # BCD plus
    assert info['chassis_extra'] == ['extra']
    assert info['Board manufacture date'] == '2024-03-15T10:30'
    assert info['Board product name'] == 'SYSTEM BOARD'  # 6-bit packed
    assert info['Board FRU Id'] == bytearray(b'\x01')    # binary: raw
    assert info['Product name'] == 'ThinkSystem SR650 V3'
    assert info['Asset Number'] == 'ASSET-0042'
    assert info['product_extra'] == ['custom1', 'custom2']
    assert info['multirecords'][0]['system_uuid'] == \
        '03020100-0504-0706-0809-0a0b0c0d0e0f'
    assert [r['type'] for r in info['multirecords']] == [
        'Management Access', 'Power Supply']
    assert info['warnings'] == []


def test_fru_bad_checksum_is_a_warning_with_data():
    info = fru.decode(image(corrupt='board'))
    assert info['warnings'] == ['board area checksum mismatch']
    assert info['Board manufacturer'] == 'Lenovo'


@pytest.mark.parametrize('cut', [0, 5, 12, 30, 60])
def test_fru_truncated_is_a_clear_error(cut):
    with pytest.raises(exc.DecodeError):
        fru.decode(image()[:cut])


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=300))
def test_fru_decode_raises_only_decode_error(data):
    try:
        fru.decode(b'\x01' + data)
    except exc.DecodeError:
        pass


@pytest.mark.parametrize('kind,capacity,speed', [
    (spd.DDR3, 8192, 1600), (spd.DDR4, 16384, 3200),
    (spd.DDR5, 32768, 4800)])
def test_spd_generations(kind, capacity, speed):
    data = spd.encode(kind, capacity, speed, manufacturer=(1, 0x4E),
                      model='M393A2K43DB3-CWE', serial=b'\x12\x34\x56\x78',
                      year=0x23, week=0x15)
    info = spd.decode(data)
    assert info['memory_type'] == spd.MEMORY_TYPES[kind]
    assert info['capacity_mb'] == capacity
    assert info['speed'] == speed * 8       # MB/s: PC3-12800, PC4-25600...
    assert info['manufacturer'] == 'Samsung'
    length = 18 if kind == spd.DDR3 else 30
    assert info['model'] == b'M393A2K43DB3-CWE'[:length]
    assert info['serial'] == '12345678'
    assert info['manufacture_date'] == '2023-W15'
    assert info['module_type'] == 'RDIMM'
    assert info['ecc'] is False and info['manufacture_location'] == 0
    # Bus width byte bits 4:3 = 01b: an 8-bit ECC extension (JEDEC DDR3
    # byte 8, DDR4 byte 13, DDR5 byte 235 in 4-bit units); the location
    # byte follows the manufacturer id.
    width_at, location_at = {spd.DDR3: (8, 119), spd.DDR4: (13, 322),
                             spd.DDR5: (235, 514)}[kind]
    data = bytearray(data)
    data[width_at] |= 0x08
    data[location_at] = 0x0B
    info = spd.decode(data)
    assert info['ecc'] is True and info['manufacture_location'] == 0x0B
    assert info['capacity_mb'] == capacity      # the extension is not data


def test_spd_truncated():
    data = spd.encode(spd.DDR4, 8192, 2666)
    with pytest.raises(exc.DecodeError):
        spd.decode(data[:200])


def test_one_character_8bit_field_is_refused():
    # FRU specification section 13: an 8-bit field holds at least two
    # bytes, as C1h (type 11b, length 1) ends the fields; 6-bit ASCII
    # has no such limit
    with pytest.raises(ValueError):
        fru.encode(board={'fields': ['Acme', 'x']})
    data = fru.encode(board={'fields': ['Acme', 'x'],
                             'kinds': {1: typelen.ASCII6}})
    assert fru.decode(data)['Board product name'] == 'X'
