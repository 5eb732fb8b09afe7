"""Vectors for the RMCP / RMCP+ framing (IPMI v2.0 section 13)."""

import pytest
from hypothesis import given, settings, strategies as st

from pyghmi import exceptions as exc
from pyghmi.ipmi.private.codec import wire


def test_13_8_checksum_makes_sum_zero():
    assert wire.checksum(b'\x20\x18') == 0xC8
    assert (0x20 + 0x18 + wire.checksum(b'\x20\x18')) & 0xFF == 0


def test_13_8_get_device_id_request_bytes():
    # rsAddr 20, netfn 6 << 2, chk, rqAddr 81, seq 1 << 2, cmd 01, chk
    assert wire.encode_request(6, 1, seq=1) == bytes.fromhex('2018c88104017a')


def test_13_8_message_round_trip():
    raw = wire.encode_message(0x81, 7, 0, 0x20, 5, 0, 1, b'\x00\x01\x02')
    msg = wire.parse_message(raw)
    assert (msg.to_addr, msg.netfn, msg.from_addr, msg.seq, msg.cmd,
            msg.body) == (0x81, 7, 0x20, 5, 1, b'\x00\x01\x02')


@pytest.mark.parametrize('damage', [0, 2, -1])
def test_13_8_bad_checksums_rejected(damage):
    raw = bytearray(wire.encode_request(6, 1, seq=1))
    raw[damage] ^= 0x01
    with pytest.raises(exc.DecodeError):
        wire.parse_message(bytes(raw))


def test_13_6_v15_header_round_trip():
    dgram = wire.parse_datagram(wire.encode_v15(b'abc', session_id=7, seq=9))
    assert not dgram.v2 and dgram.session_id == 7 and dgram.seq == 9
    assert dgram.payload == b'abc'


def test_13_6_v2_unauthenticated_round_trip():
    data = wire.encode_v2(0x10, 0, 0, b'x' * 32)
    assert data[:6] == bytes.fromhex('0600ff070610')
    dgram = wire.parse_datagram(data)
    assert dgram.v2 and dgram.payload_type == 0x10
    assert dgram.payload == b'x' * 32
    assert not dgram.authenticated and not dgram.encrypted


@pytest.mark.parametrize('length', range(0, 8))
def test_13_6_integrity_pad_makes_signed_part_a_multiple_of_4(length):
    data = wire.encode_v2(0, 0x11223344, 5, b'p' * length,
                          signer=lambda body: b'S' * 12, encrypted=True)
    dgram = wire.parse_datagram(data)
    assert dgram.authenticated and dgram.encrypted
    assert len(dgram.signed) % 4 == 0
    assert dgram.signed[-1] == wire.NEXT_HEADER
    assert dgram.authcode == b'S' * 12
    assert dgram.session_id == 0x11223344 and dgram.seq == 5
    assert dgram.payload == b'p' * length


def test_13_6_payload_length_beyond_datagram_rejected():
    data = bytearray(wire.encode_v2(0, 1, 1, b'abcd'))
    data[14] = 200
    with pytest.raises(exc.DecodeError):
        wire.parse_datagram(bytes(data))


def test_oversized_datagram_rejected():
    with pytest.raises(exc.DecodeError):
        wire.parse_datagram(wire.encode_v2(0, 1, 1, b'x' * 4000))


def test_asf_ping_pong():
    ping = wire.encode_asf_ping(tag=9)
    assert wire.is_asf(ping)
    assert wire.decode_asf(ping) == (wire.ASF_PING, 9)
    assert wire.decode_asf(wire.encode_asf_pong(9)) == (wire.ASF_PONG, 9)


def test_22_7_bridged_request_wraps_inner_message():
    raw = wire.encode_bridged_request(4, 0x2d, b'\x01', 3, 0x82, 7)
    outer = wire.parse_message(raw)
    assert outer.netfn == 6 and outer.cmd == 0x34
    assert outer.body[0] == 0x47
    inner = wire.parse_message(outer.body[1:])
    assert (inner.to_addr, inner.netfn, inner.cmd, inner.body) == \
        (0x82, 4, 0x2d, b'\x01')


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=300))
def test_parse_datagram_raises_only_decode_error(data):
    try:
        wire.parse_datagram(data)
    except exc.DecodeError:
        pass


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=60))
def test_parse_datagram_of_rmcp_prefix_raises_only_decode_error(tail):
    for head in (b'\x06\x00\xff\x07\x06', b'\x06\x00\xff\x07\x00',
                 b'\x06\x00\xff\x07\x06\x42', b'\x06\x00\xff\x07\x06\x02'):
        try:
            wire.parse_datagram(head + tail)
        except exc.DecodeError:
            pass


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=64))
def test_parse_message_raises_only_decode_error(data):
    try:
        wire.parse_message(data)
    except exc.DecodeError:
        pass


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=64))
def test_decode_asf_raises_only_decode_error(data):
    try:
        wire.decode_asf(b'\x06\x00\xff\x06' + data)
    except exc.DecodeError:
        pass
