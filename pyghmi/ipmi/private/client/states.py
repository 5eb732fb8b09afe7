"""Where a client session stands, and what a received datagram is.

The states of :class:`~pyghmi.ipmi.private.client.core.ClientCore` as an
enum, the kinds of datagram it tells apart, and the sets of states the
core and its pieces test; the table of which handler takes which
(state, kind) is ``core._HANDLERS``.  Pure data and two pure functions.
"""

import enum
import struct

from pyghmi.ipmi.private import constants as const


class State(enum.Enum):
    """Where a client session stands."""

    IDLE = 'idle'
    AUTHCAPS = 'auth-caps sent'
    CIPHERS = 'cipher suites sent'
    OPENING = 'open session sent'
    RAKP1 = 'RAKP 1 sent'
    RAKP3 = 'RAKP 3 sent'
    CHALLENGE = 'get session challenge sent'       # IPMI 1.5
    ACTIVATING = 'activate session sent'           # IPMI 1.5
    SETPRIV = 'set privilege sent'
    ACTIVE = 'active'
    CLOSING = 'closing'
    CLOSED = 'closed'
    FAILED = 'failed'

    # Members are singletons compared by identity; hashing them by
    # identity too keeps Enum's Python-level __hash__ off the dispatch
    # of every datagram (see _HANDLERS).
    __hash__ = object.__hash__


class Kind(enum.Enum):
    """What a received datagram is, for the dispatch table."""

    SESSIONLESS = 'sessionless IPMI'
    OPEN_RSP = 'open session response'
    RAKP2 = 'RAKP 2'
    RAKP4 = 'RAKP 4'
    IPMI = 'in-session IPMI'
    PAYLOAD = 'in-session payload (SOL, OEM)'
    OTHER = 'other'

    __hash__ = object.__hash__      # as State's


KIND_BY_PAYLOAD = {
    const.PAYLOAD_OPEN_SESSION_RESPONSE: Kind.OPEN_RSP,
    const.PAYLOAD_RAKP2: Kind.RAKP2,
    const.PAYLOAD_RAKP4: Kind.RAKP4,
}
_SESSION_PAYLOADS = (const.PAYLOAD_SOL, const.PAYLOAD_OEM)
LOGIN_STATES = frozenset((
    State.AUTHCAPS, State.CIPHERS, State.OPENING, State.RAKP1, State.RAKP3,
    State.CHALLENGE, State.ACTIVATING, State.SETPRIV))
AWAITING_STATES = LOGIN_STATES | {State.CLOSING}


def classify(dgram):
    """Return the :class:`Kind` of a decoded datagram."""
    if not dgram.v2:
        # an IPMI 1.5 session's packets carry its session id
        return Kind.SESSIONLESS if dgram.session_id == 0 else Kind.IPMI
    if dgram.payload_type == const.PAYLOAD_IPMI:
        return Kind.SESSIONLESS if dgram.session_id == 0 else Kind.IPMI
    if dgram.payload_type in _SESSION_PAYLOADS and dgram.session_id:
        return Kind.PAYLOAD
    return KIND_BY_PAYLOAD.get(dgram.payload_type, Kind.OTHER)


def console_session_id(dgram):
    """The console session id a login response is addressed to, or None."""
    if dgram.payload_type in KIND_BY_PAYLOAD and len(dgram.payload) >= 8:
        return struct.unpack_from('<I', dgram.payload, 4)[0]
    return None
