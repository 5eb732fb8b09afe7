"""RMCP+ session set-up messages: Open Session and RAKP 1-4 (13.17-13.23).

Each message is declared once as a namedtuple with an encoder and a
decoder; the client (clientcore) and the server (serversession) both use
them.  Decoders raise :class:`pyghmi.exceptions.DecodeError` on short or
malformed input.  A reply whose status is not zero may be as short as
8 bytes, so decoders of replies return what is there and leave the rest
empty; OpenIPMI's ipmi_sim even sends just the tag and the status (2
bytes), so such a refusal decodes with ``console_sid`` None.
"""

import collections
import struct

from pyghmi.exceptions import DecodeError

OpenRequest = collections.namedtuple(
    'OpenRequest', 'tag priv console_sid auth integrity conf')
OpenResponse = collections.namedtuple(
    'OpenResponse', 'tag status priv console_sid bmc_sid auth integrity conf')
Rakp1 = collections.namedtuple('Rakp1', 'tag bmc_sid rand role user')
Rakp2 = collections.namedtuple('Rakp2',
                               'tag status console_sid rand guid code')
Rakp3 = collections.namedtuple('Rakp3', 'tag status bmc_sid code')
Rakp4 = collections.namedtuple('Rakp4', 'tag status console_sid icv')

_HEAD = struct.Struct('<BBxxI')          # tag, status/priv, reserved, sid
_ALG = struct.Struct('<BxxBBxxx')        # payload type, length 8, algorithm


def _alg_records(auth, integrity, conf):
    return (_ALG.pack(0, 8, auth) + _ALG.pack(1, 8, integrity)
            + _ALG.pack(2, 8, conf))


def _parse_algs(data, offset):
    algs = []
    for kind in range(3):
        ptype, length, alg = _ALG.unpack_from(data, offset + 8 * kind)
        if ptype != kind or length not in (0, 8):
            raise DecodeError('malformed algorithm payload record')
        algs.append(alg & 0x3F)
    return algs


def _need(data, length, what):
    if len(data) < length:
        raise DecodeError('truncated %s' % what)


def _short_refusal(data):
    """``(tag, status)`` of a 2-7 byte refusal, or None."""
    if 2 <= len(data) < 8 and data[1]:
        return data[0], data[1]
    return None


def encode_open_request(tag, priv, console_sid, auth, integrity, conf):
    """Open Session Request payload (table 13-16)."""
    return (_HEAD.pack(tag, priv, console_sid)
            + _alg_records(auth, integrity, conf))


def decode_open_request(data):
    """Decode an Open Session Request into an :data:`OpenRequest`."""
    _need(data, 32, 'Open Session Request')
    tag, priv, sid = _HEAD.unpack_from(data)
    return OpenRequest(tag, priv & 0x0F, sid, *_parse_algs(data, 8))


def encode_open_response(tag, status, priv, console_sid, bmc_sid=0, auth=0,
                         integrity=0, conf=0):
    """Open Session Response payload (table 13-17); short on error."""
    head = _HEAD.pack(tag, status, console_sid)
    head = head[:2] + bytes((priv,)) + head[3:]
    if status:
        return head
    return (head + struct.pack('<I', bmc_sid)
            + _alg_records(auth, integrity, conf))


def decode_open_response(data):
    """Decode an Open Session Response into an :data:`OpenResponse`."""
    short = _short_refusal(data)
    if short:
        return OpenResponse(short[0], short[1], 0, None, 0, 0, 0, 0)
    _need(data, 8, 'Open Session Response')
    tag, status, sid = _HEAD.unpack_from(data)
    if status:
        return OpenResponse(tag, status, data[2], sid, 0, 0, 0, 0)
    _need(data, 36, 'Open Session Response')
    bmc_sid = struct.unpack_from('<I', data, 8)[0]
    return OpenResponse(tag, status, data[2], sid, bmc_sid,
                        *_parse_algs(data, 12))


def encode_rakp1(tag, bmc_sid, rand, role, user):
    """RAKP Message 1 (table 13-18)."""
    return (_HEAD.pack(tag, 0, bmc_sid) + rand
            + bytes((role, 0, 0, len(user))) + user)


def decode_rakp1(data):
    """Decode RAKP 1 into a :data:`Rakp1`."""
    _need(data, 28, 'RAKP 1')
    tag, _, sid = _HEAD.unpack_from(data)
    length = data[27]
    user = bytes(data[28:28 + length])
    if len(user) != length:
        raise DecodeError('RAKP 1 user name runs past the message')
    return Rakp1(tag, sid, bytes(data[8:24]), data[24], user)


def encode_rakp2(tag, status, console_sid, rand=b'', guid=b'', code=b''):
    """RAKP Message 2 (table 13-19)."""
    head = _HEAD.pack(tag, status, console_sid)
    return head if status else head + rand + guid + code


def decode_rakp2(data, code_len):
    """Decode RAKP 2; ``code_len`` is the auth algorithm's HMAC size."""
    short = _short_refusal(data)
    if short:
        return Rakp2(short[0], short[1], None, b'', b'', b'')
    _need(data, 8, 'RAKP 2')
    tag, status, sid = _HEAD.unpack_from(data)
    if status:
        return Rakp2(tag, status, sid, b'', b'', b'')
    _need(data, 40 + code_len, 'RAKP 2')
    return Rakp2(tag, status, sid, bytes(data[8:24]), bytes(data[24:40]),
                 bytes(data[40:40 + code_len]))


def encode_rakp3(tag, status, bmc_sid, code=b''):
    """RAKP Message 3 (table 13-20)."""
    return _HEAD.pack(tag, status, bmc_sid) + code


def decode_rakp3(data):
    """Decode RAKP 3 into a :data:`Rakp3` (code: the rest)."""
    _need(data, 8, 'RAKP 3')
    tag, status, sid = _HEAD.unpack_from(data)
    return Rakp3(tag, status, sid, bytes(data[8:]))


def encode_rakp4(tag, status, console_sid, icv=b''):
    """RAKP Message 4 (table 13-21)."""
    head = _HEAD.pack(tag, status, console_sid)
    return head if status else head + icv


def decode_rakp4(data, icv_len):
    """Decode RAKP 4; ``icv_len`` is the truncated integrity value size."""
    short = _short_refusal(data)
    if short:
        return Rakp4(short[0], short[1], None, b'')
    _need(data, 8, 'RAKP 4')
    tag, status, sid = _HEAD.unpack_from(data)
    if status:
        return Rakp4(tag, status, sid, b'')
    _need(data, 8 + icv_len, 'RAKP 4')
    return Rakp4(tag, status, sid, bytes(data[8:8 + icv_len]))
