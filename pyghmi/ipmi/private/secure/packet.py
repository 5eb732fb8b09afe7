"""Sealing and opening of in-session RMCP+ packets, for both ends.

One :class:`SessionPackets` per established session holds the session
keys, the outgoing sequence number and the replay window.  The client
core and the BMC core both seal with :meth:`SessionPackets.seal` and open
with :meth:`SessionPackets.open`, so the checks a packet must pass
(integrity code, encryption bit, pad, replay window, IPMI IV 13.29) are
written once.  Sans-IO: the IV source is passed in like the clock.
"""

import enum

from pyghmi.exceptions import DecodeError
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.secure import replay

IV_SIZE = 16


class Reject(str, enum.Enum):
    """Why an in-session packet was rejected (the ``reason`` of
    :class:`Rejected`, and a key of both cores' ``dropped`` counters;
    members are strings, so the counters are read with the text too)."""

    V15_IN_RMCP_PLUS = 'IPMI 1.5 packet in an RMCP+ session'
    INTEGRITY = 'integrity check failed'
    ENCRYPTION = 'encryption does not match the suite'
    REPLAY = 'replayed or stale sequence number'
    OTHER_SESSION = 'packet of another session'
    AUTH_CODE = 'auth code check failed'


class Rejected(DecodeError):
    """An in-session packet failed a check; ``reason`` (a
    :class:`Reject`) says which."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class SessionPackets:
    """The packet operations of one session.

    :param keys: the session's :class:`crypto.SessionKeys`
    :param rng: ``rng(n)`` returns ``n`` random bytes (for the AES IV)
    """

    __slots__ = ('keys', 'window', 'tx_seq', '_rng', '_signer', '_encrypts')

    def __init__(self, keys, rng):
        self.keys = keys
        self.window = replay.ReplayWindow()
        self.tx_seq = 0
        self._rng = rng
        self._signer = keys.sign if keys.signs else None
        self._encrypts = bool(keys.conf)

    def __repr__(self):
        return 'SessionPackets(suite=%d, tx_seq=%d)' % (
            self.keys.suite, self.tx_seq)

    def seal(self, remote_sid, payload, payload_type=const.PAYLOAD_IPMI):
        """Encrypt, frame and sign ``payload`` for the peer's session id.

        :returns: the datagram bytes
        """
        self.tx_seq = (self.tx_seq + 1) & 0xFFFFFFFF or 1
        if self._encrypts:
            payload = self.keys.encrypt(payload, self._rng(IV_SIZE))
        return wire.encode_v2(payload_type, remote_sid, self.tx_seq, payload,
                              signer=self._signer, encrypted=self._encrypts)

    def open(self, dgram):
        """Check and decrypt a received in-session datagram.

        The sequence number is recorded only after every other check
        passed, so a forged packet cannot burn a legitimate number.

        :returns: the plain payload bytes
        :raises Rejected: integrity, encryption or replay check failed
        :raises DecodeError: the encrypted payload is malformed
        """
        keys = self.keys
        if not dgram.v2:
            raise Rejected(Reject.V15_IN_RMCP_PLUS)
        if self._signer is not None and not (
                dgram.authenticated and
                keys.verify(dgram.signed, dgram.authcode)):
            raise Rejected(Reject.INTEGRITY)
        if self._encrypts != dgram.encrypted:
            raise Rejected(Reject.ENCRYPTION)
        payload = keys.decrypt(dgram.payload)
        if not self.window.accept(dgram.seq):
            raise Rejected(Reject.REPLAY)
        return payload
