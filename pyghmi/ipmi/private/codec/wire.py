"""RMCP, IPMI 1.5 and RMCP+ framing: bytes to values and back, nothing else.

Rules of this module:

* no I/O, no clocks, no state: every function is pure;
* every decoder takes untrusted bytes and either returns a value or raises
  :class:`pyghmi.exceptions.DecodeError`; no ``struct.error`` or
  ``IndexError`` escapes;
* client and server use the same functions, so a layout can only be wrong
  in one place.

References are to the IPMI v2.0 specification: RMCP header (13.1.3),
IPMI 1.5 session header (13.6), RMCP+ session header and trailer (13.6,
table 13-8), IPMI LAN message format (13.8).
"""

import struct

from pyghmi.exceptions import DecodeError

RMCP_VERSION = 0x06
RMCP_NO_ACK = 0xFF
RMCP_CLASS_ASF = 0x06
RMCP_CLASS_IPMI = 0x07
RMCP_HEADER = bytes((RMCP_VERSION, 0, RMCP_NO_ACK, RMCP_CLASS_IPMI))

AUTHTYPE_NONE = 0x00
AUTHTYPE_RMCPPLUS = 0x06
PAYLOAD_ENCRYPTED = 0x80
PAYLOAD_AUTHENTICATED = 0x40
NEXT_HEADER = 0x07
ASF_IANA = 4542
ASF_PING = 0x80
ASF_PONG = 0x40

# Largest datagram anyone may send us; longer ones are forged or broken.
MAX_DATAGRAM = 1024 + 64

_V2_HEADER = struct.Struct('<BBIIH')      # authtype, ptype, sid, seq, len
_V15_HEADER = struct.Struct('<BII')       # authtype, seq, sid
_U32 = struct.Struct('<I')


class Datagram:
    """One decoded RMCP datagram carrying IPMI.

    Attributes: ``v2`` (RMCP+ framing), ``authtype``, ``payload_type``
    (low six bits), ``encrypted``, ``authenticated``, ``session_id``,
    ``seq``, ``payload`` (still encrypted when ``encrypted``), ``signed``
    (the bytes the integrity code covers) and ``authcode`` (the integrity
    code or the IPMI 1.5 auth code, empty when absent).
    """

    __slots__ = ('v2', 'authtype', 'payload_type', 'encrypted',
                 'authenticated', 'session_id', 'seq', 'payload', 'signed',
                 'authcode')

    def __init__(self, v2, authtype, payload_type, encrypted, authenticated,
                 session_id, seq, payload, signed=b'', authcode=b''):
        self.v2 = v2
        self.authtype = authtype
        self.payload_type = payload_type
        self.encrypted = encrypted
        self.authenticated = authenticated
        self.session_id = session_id
        self.seq = seq
        self.payload = payload
        self.signed = signed
        self.authcode = authcode

    def __repr__(self):
        return ('Datagram(v2=%r, type=0x%02x, sid=0x%08x, seq=%d, len=%d)'
                % (self.v2, self.payload_type, self.session_id, self.seq,
                   len(self.payload)))


def checksum(data):
    """Two's complement checksum of ``data`` (13.8): sum + result == 0."""
    return -sum(data) & 0xFF


def is_asf(data):
    """True when ``data`` is an RMCP datagram of the ASF class (ping/pong)."""
    return (len(data) >= 4 and data[0] == RMCP_VERSION
            and data[3] & 0x1F == RMCP_CLASS_ASF)


def encode_asf_ping(tag=0):
    """Build an RMCP/ASF Presence Ping (ASF 2.0, 3.2.4.2)."""
    return (bytes((RMCP_VERSION, 0, RMCP_NO_ACK, RMCP_CLASS_ASF))
            + struct.pack('>IBBBB', ASF_IANA, ASF_PING, tag & 0xFF, 0, 0))


def encode_asf_pong(tag, entity_iana=ASF_IANA, oem=0):
    """Build a Presence Pong that says IPMI is supported.

    :param tag: the message tag of the ping being answered
    :returns: the datagram bytes
    """
    body = struct.pack('>IIBB6x', entity_iana, oem, 0x81, 0x00)
    return (bytes((RMCP_VERSION, 0, RMCP_NO_ACK, RMCP_CLASS_ASF))
            + struct.pack('>IBBBB', ASF_IANA, ASF_PONG, tag & 0xFF, 0,
                          len(body)) + body)


def decode_asf(data):
    """Decode an ASF message: returns ``(message_type, tag)``.

    :raises DecodeError: when ``data`` is not a well-formed ASF message
    """
    if len(data) < 12 or not is_asf(data):
        raise DecodeError('not an RMCP/ASF message')
    iana, mtype, tag, _, length = struct.unpack_from('>IBBBB', data, 4)
    if iana != ASF_IANA or len(data) < 12 + length:
        raise DecodeError('malformed RMCP/ASF message')
    return mtype, tag


def parse_datagram(data):
    """Decode the RMCP and session headers of an IPMI datagram.

    :param data: the bytes received
    :returns: a :class:`Datagram`
    :raises DecodeError: truncated, oversized or malformed input
    """
    if len(data) > MAX_DATAGRAM:
        raise DecodeError('datagram too long')
    if len(data) < 5 or data[0] != RMCP_VERSION:
        raise DecodeError('not an RMCP datagram')
    if data[3] & 0x1F != RMCP_CLASS_IPMI:
        raise DecodeError('not an IPMI-class RMCP datagram')
    if data[4] == AUTHTYPE_RMCPPLUS:
        return _parse_v2(data)
    return _parse_v15(data)


def _parse_v2(data):
    if len(data) < 16:
        raise DecodeError('truncated RMCP+ session header')
    ptype = data[5]
    kind = ptype & 0x3F
    if kind == 0x02:    # OEM explicit: IANA (4) + OEM payload id (2)
        if len(data) < 22:
            raise DecodeError('truncated OEM payload header')
        _, _, sid, seq, length = _V2_HEADER.unpack(data[4:6] + data[12:22])
        start = 22
    else:
        _, _, sid, seq, length = _V2_HEADER.unpack_from(data, 4)
        start = 16
    end = start + length
    if end > len(data):
        raise DecodeError('RMCP+ payload length exceeds datagram')
    payload = data[start:end]
    authenticated = bool(ptype & PAYLOAD_AUTHENTICATED)
    signed = authcode = b''
    if authenticated:
        if end + 2 > len(data):
            raise DecodeError('truncated integrity trailer')
        # trailer: pad (0..3 x 0xFF), pad length, next header, auth code
        pad = _find_pad(data, end)
        signed_end = end + pad + 2
        signed = data[4:signed_end]
        authcode = data[signed_end:]
    return Datagram(True, AUTHTYPE_RMCPPLUS, kind,
                    bool(ptype & PAYLOAD_ENCRYPTED), authenticated,
                    sid, seq, payload, signed, authcode)


# The pad bytes of an integrity trailer, by pad length.
_INTEGRITY_PADS = tuple(b'\xff' * pad for pad in range(4))


def _find_pad(data, end):
    """Return the integrity pad length declared in the RMCP+ trailer
    that starts at ``data[end]``."""
    size = len(data)
    for pad in range(0, 4):
        at = end + pad
        if size < at + 2:
            break
        if data[at] == pad and data[at + 1] == NEXT_HEADER and \
                data[end:at] == _INTEGRITY_PADS[pad]:
            return pad
    raise DecodeError('malformed integrity pad')


def _parse_v15(data):
    if len(data) < 14:
        raise DecodeError('truncated IPMI 1.5 session header')
    authtype, seq, sid = _V15_HEADER.unpack_from(data, 4)
    offset = 13
    authcode = b''
    if authtype != AUTHTYPE_NONE:
        authcode = data[offset:offset + 16]
        offset += 16
    if len(data) < offset + 1:
        raise DecodeError('truncated IPMI 1.5 session header')
    length = data[offset]
    payload = data[offset + 1:offset + 1 + length]
    if len(payload) != length:
        raise DecodeError('IPMI 1.5 payload length exceeds datagram')
    return Datagram(False, authtype, 0, False, False, sid, seq, payload,
                    b'', authcode)


def encode_v15(payload, session_id=0, seq=0, authtype=AUTHTYPE_NONE,
               authcode=b''):
    """Frame ``payload`` in an IPMI 1.5 session header (13.6).

    Outside a session (Get Channel Authentication Capabilities, Get
    Session Challenge) with the defaults; in an IPMI 1.5 session with the
    session's auth type and the packet's 16-byte auth code
    (:mod:`pyghmi.ipmi.private.codec.v15` computes it).
    """
    if authtype != AUTHTYPE_NONE and len(authcode) != 16:
        raise ValueError('an IPMI 1.5 auth code has 16 bytes')
    return (RMCP_HEADER + _V15_HEADER.pack(authtype, seq, session_id)
            + bytes(authcode) + bytes((len(payload),)) + payload)


def encode_v2(payload_type, session_id, seq, payload, signer=None,
              encrypted=False):
    """Frame ``payload`` in an RMCP+ session header.

    :param payload_type: RMCP+ payload type (0x00 IPMI, 0x10-0x15 login)
    :param session_id: the peer's session id (0 outside a session)
    :param seq: session sequence number (0 outside a session)
    :param payload: payload bytes, already encrypted when ``encrypted``
    :param signer: callable returning the integrity code for the signed
        bytes, or None for an unauthenticated packet
    :param encrypted: set the "payload is encrypted" bit
    :returns: the datagram bytes
    """
    ptype = payload_type
    if encrypted:
        ptype |= PAYLOAD_ENCRYPTED
    if signer is None:
        return RMCP_HEADER + _V2_HEADER.pack(
            AUTHTYPE_RMCPPLUS, ptype, session_id, seq, len(payload)) + payload
    ptype |= PAYLOAD_AUTHENTICATED
    body = _V2_HEADER.pack(AUTHTYPE_RMCPPLUS, ptype, session_id, seq,
                           len(payload)) + payload
    pad = (-(len(body) + 2)) % 4
    body += b'\xff' * pad + bytes((pad, NEXT_HEADER))
    return RMCP_HEADER + body + signer(body)


class Message:
    """An IPMI message as carried on the LAN (13.8).

    Requests and responses share one layout, so the fields are named by
    direction: ``to_addr`` / ``to_lun`` (the responder of a request, the
    requester of a response), ``from_addr`` / ``from_lun`` (the other
    side), ``netfn``, ``seq`` (the requester's sequence number, echoed in
    the response), ``cmd`` and ``body``.  A response's body starts with
    the completion code.
    """

    __slots__ = ('to_addr', 'netfn', 'to_lun', 'from_addr', 'seq',
                 'from_lun', 'cmd', 'body')

    def __init__(self, to_addr, netfn, to_lun, from_addr, seq, from_lun,
                 cmd, body):
        self.to_addr = to_addr
        self.netfn = netfn
        self.to_lun = to_lun
        self.from_addr = from_addr
        self.seq = seq
        self.from_lun = from_lun
        self.cmd = cmd
        self.body = body

    def __repr__(self):
        return ('Message(netfn=0x%02x, cmd=0x%02x, seq=%d, body=%s)'
                % (self.netfn, self.cmd, self.seq, bytes(self.body).hex()))


def encode_message(to_addr, netfn, to_lun, from_addr, seq, from_lun, cmd,
                   body=b''):
    """Build the bytes of an IPMI LAN message with both checksums.

    :param body: request data, or completion code + data for a response
    """
    # both checksums (see checksum) computed inline: every request and
    # response is built here
    head = (netfn << 2) | (to_lun & 3)
    tail = ((seq & 0x3F) << 2) | (from_lun & 3)
    body = bytes(body)
    return bytes((to_addr, head, -(to_addr + head) & 0xFF, from_addr, tail,
                  cmd)) + body + \
        bytes((-(from_addr + tail + cmd + sum(body)) & 0xFF,))


def encode_response(request, body):
    """The response to a parsed ``request`` :class:`Message`.

    :param body: completion code followed by the response data
    """
    return encode_message(request.from_addr, request.netfn | 1,
                          request.from_lun, request.to_addr, request.seq,
                          request.to_lun, request.cmd, body)


def parse_message(data):
    """Decode an IPMI LAN message, verifying both checksums.

    :returns: a :class:`Message`
    :raises DecodeError: truncated message or bad checksum
    """
    if len(data) < 7:
        raise DecodeError('IPMI message too short')
    if (data[0] + data[1] + data[2]) & 0xFF:
        raise DecodeError('IPMI header checksum mismatch')
    if sum(data[3:]) & 0xFF:
        raise DecodeError('IPMI data checksum mismatch')
    return Message(data[0], data[1] >> 2, data[1] & 3, data[3], data[4] >> 2,
                   data[4] & 3, data[5], bytes(data[6:-1]))


def encode_request(netfn, cmd, data=b'', seq=0, rslun=0,
                   rsaddr=0x20, rqaddr=0x81):
    """Build a request message from the remote console's software id."""
    return encode_message(rsaddr, netfn, rslun, rqaddr, seq, 0, cmd, data)


def encode_bridged_request(netfn, cmd, data, seq, target_addr, channel,
                           rslun=0, bmc_addr=0x20, rqaddr=0x81):
    """Wrap a request in Send Message (22.7) for a controller behind the BMC.

    The inner request is addressed to ``target_addr`` on ``channel`` and
    originates from the BMC; the BMC tracks it (bit 6) and relays the
    answer back to us.
    """
    inner = encode_message(target_addr, netfn, rslun, bmc_addr, seq, 0, cmd,
                           data)
    outer = bytes((0x40 | (channel & 0x0F),)) + inner
    return encode_message(bmc_addr, 0x06, 0, rqaddr, seq, 0, 0x34, outer)


def pack_u32(value):
    """Little-endian 32-bit integer, as IPMI sends session ids."""
    return _U32.pack(value)


def unpack_u32(data, offset=0):
    """Read a little-endian 32-bit integer, raising DecodeError if short."""
    if len(data) < offset + 4:
        raise DecodeError('truncated 32-bit field')
    return _U32.unpack_from(data, offset)[0]
