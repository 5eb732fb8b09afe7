"""IPMI 1.5 sessions: the messages and the packet rules, for both ends.

BMCs without RMCP+ speak IPMI 1.5 on the LAN (IPMI v2.0 sections 6.12,
13.6, 22.15-22.17): Get Session Challenge (sessionless) hands out a
temporary session id and a challenge, Activate Session (already in the
session header, authenticated with the challenge) opens the session and
sets both sequence numbers, and every later packet carries an auth code
over the message.  The client core and the BMC core both use the
layouts and :class:`V15Packets` here, so a field or a check is written
once.  Sans-IO: nothing here sends or reads.

Auth codes (22.17.1 and 13.6): type 2 (MD5) is
``MD5(password + session id + message + session seq + password)`` with
the 16-byte padded password and little-endian integers; type 4
("straight password") is the padded password itself; type 0 has none.
MD2 (type 1) is not offered: no maintained library implements it.
"""

import hashlib
import hmac
import struct

from pyghmi.exceptions import DecodeError
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.codec.layout import B, Layout, Raw, U
from pyghmi.ipmi.private.secure import replay
from pyghmi.ipmi.private.secure.packet import Reject, Rejected

AUTH_NONE, AUTH_MD2, AUTH_MD5, AUTH_STRAIGHT, AUTH_OEM = 0, 1, 2, 4, 5
# Preference when a BMC offers several (Get Channel Auth Capabilities,
# byte 2 bits): MD5, then the password in clear.  None only on request.
PREFERENCE = (AUTH_MD5, AUTH_STRAIGHT)
AUTH_NAMES = {AUTH_NONE: 'none', AUTH_MD2: 'MD2', AUTH_MD5: 'MD5',
              AUTH_STRAIGHT: 'straight password', AUTH_OEM: 'OEM'}
SUPPORTED = (AUTH_NONE, AUTH_MD5, AUTH_STRAIGHT)
PASSWORD_SIZE = 16          # IPMI 1.5 passwords: 16 bytes, zero padded
USER_SIZE = 16
CHALLENGE_SIZE = 16

CMD_GET_SESSION_CHALLENGE = const.CMD_GET_SESSION_CHALLENGE
CMD_ACTIVATE_SESSION = const.CMD_ACTIVATE_SESSION

# Get Session Challenge (22.16).
CHALLENGE_REQUEST = Layout('Get Session Challenge request (22.16)', [
    B('authtype', 0, 0, 4), Raw('user', 1, USER_SIZE)], min_length=17)
CHALLENGE_RESPONSE = Layout('Get Session Challenge response (22.16)', [
    U('temp_sid', 0, 4), Raw('challenge', 4, CHALLENGE_SIZE)],
    min_length=20)
# Activate Session (22.17).
ACTIVATE_REQUEST = Layout('Activate Session request (22.17)', [
    B('authtype', 0, 0, 4), B('privilege', 1, 0, 4),
    Raw('challenge', 2, CHALLENGE_SIZE), U('outbound_seq', 18, 4)],
    min_length=22)
ACTIVATE_RESPONSE = Layout('Activate Session response (22.17)', [
    B('authtype', 0, 0, 4), U('sid', 1, 4), U('inbound_seq', 5, 4),
    B('privilege', 9, 0, 4)], min_length=10)

# Completion codes of the two commands (tables 22-23, 22-24).
CHALLENGE_ERRORS = {0x81: 'invalid user name', 0x82: 'null user name '
                    '(user 1) not enabled'}
ACTIVATE_ERRORS = {
    0x81: 'no session slot available', 0x82: 'no slot for this user',
    0x83: 'no slot at the requested privilege',
    0x84: 'session sequence number out of range',
    0x85: 'invalid session id in the request',
    0x86: 'requested privilege exceeds the user or channel limit'}


def pad(secret, size=PASSWORD_SIZE):
    """A user name or password as IPMI 1.5 carries it (zero padded).

    :raises DecodeError: longer than ``size`` (never truncated)
    """
    secret = bytes(secret or b'')
    if len(secret) > size:
        raise DecodeError('longer than %d bytes' % size)
    return secret.ljust(size, b'\x00')


def authcode(authtype, password, session_id, message, seq):
    """The 16-byte auth code of one packet (empty for type none).

    :param password: the padded 16-byte password
    :raises DecodeError: an auth type this package does not support
    """
    if authtype == AUTH_NONE:
        return b''
    if authtype == AUTH_STRAIGHT:
        return password
    if authtype == AUTH_MD5:
        return hashlib.md5(password + struct.pack('<I', session_id)
                           + bytes(message) + struct.pack('<I', seq)
                           + password).digest()
    raise DecodeError('auth type %d not supported' % authtype)


def choose(offered, allow_none=False):
    """The auth type to use from a capabilities bit mask, or None."""
    for authtype in PREFERENCE + ((AUTH_NONE,) if allow_none else ()):
        if offered & (1 << authtype):
            return authtype
    return None


def seal(authtype, password, session_id, seq, message):
    """Frame ``message`` in an IPMI 1.5 session header with its code."""
    code = authcode(authtype, password, session_id, message, seq)
    return wire.encode_v15(message, session_id, seq, authtype, code)


def verify(dgram, password):
    """True when a received 1.5 packet's auth code is right."""
    if dgram.authtype not in SUPPORTED:
        return False
    expected = authcode(dgram.authtype, password, dgram.session_id,
                        dgram.payload, dgram.seq)
    return hmac.compare_digest(expected, bytes(dgram.authcode))


class V15Packets:
    """The packet operations of one established IPMI 1.5 session, with
    :class:`pyghmi.ipmi.private.secure.packet.SessionPackets`'s interface.

    :param authtype: the session's auth type
    :param password: the padded 16-byte password
    :param session_id: the session id (both directions)
    :param tx_seq: the first sequence number to send with
    :param unauthenticated_ok: accept received packets with auth type
        none (the BMC said per-message authentication is disabled)
    """

    __slots__ = ('authtype', 'password', 'session_id', 'tx_seq', 'window',
                 'unauthenticated_ok')

    def __init__(self, authtype, password, session_id, tx_seq,
                 unauthenticated_ok=False):
        self.authtype = authtype
        self.password = password
        self.session_id = session_id
        self.tx_seq = tx_seq
        self.window = replay.ReplayWindow()
        self.unauthenticated_ok = unauthenticated_ok

    def __repr__(self):
        return 'V15Packets(authtype=%s, tx_seq=%d)' % (
            AUTH_NAMES.get(self.authtype), self.tx_seq)

    def seal(self, remote_sid, message):
        """Frame and sign ``message``: the datagram bytes."""
        seq = self.tx_seq
        # 32-bit, never zero (zero means "outside a session")
        self.tx_seq = (self.tx_seq + 1) & 0xFFFFFFFF or 1
        return seal(self.authtype, self.password, remote_sid, seq, message)

    def open(self, dgram):
        """Check a received 1.5 datagram: the message bytes.

        :raises DecodeError: not this session's, forged or replayed
        """
        if dgram.v2 or dgram.session_id != self.session_id:
            raise Rejected(Reject.OTHER_SESSION)
        if dgram.authtype == AUTH_NONE and self.unauthenticated_ok:
            pass
        elif dgram.authtype != self.authtype or \
                not verify(dgram, self.password):
            raise Rejected(Reject.AUTH_CODE)
        if not self.window.accept(dgram.seq):
            raise Rejected(Reject.REPLAY)
        return dgram.payload
