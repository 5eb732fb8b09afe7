"""What the BMC side keeps and tells apart: its configuration, accounts
and sessions, the kinds of datagram it dispatches on and the reasons it
drops one (pure data, shared by the server core and its pieces).
"""

import dataclasses
import enum

from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import v15
from pyghmi.ipmi.private.secure import crypto
from pyghmi.ipmi.private.server import replycache

SERVER_SUITES = (1, 2, 3, 15, 16, 17)
_NAME_ONLY = 0x10
# A session that has not completed RAKP within this many seconds goes.
HALF_OPEN_TIMEOUT = 10.0
# A repeated request arriving sooner than this after the first is a copy
# made by the network, not a console's retransmission (consoles wait a
# timeout first): it is dropped, because answering it twice makes the
# console see a duplicated reply, which ipmitool and FreeIPMI take for
# an error.  Later repeats get the cached reply again.
NETWORK_DUPLICATE_WINDOW = 0.02


@dataclasses.dataclass
class RakpState:
    """What RAKP 1 told the BMC, kept until RAKP 3 checks it."""

    tag: int
    rand_console: bytes
    rand_bmc: bytes
    role: int

    def __repr__(self):
        return 'RakpState(tag=%d, role=0x%02x)' % (self.tag, self.role)


class Account:
    """A user of the BMC: name, password and privilege limit (1-4)."""

    __slots__ = ('name', 'password', 'privilege')

    def __init__(self, name, password, privilege=const.PRIV_ADMINISTRATOR):
        self.name = name if isinstance(name, bytes) else name.encode()
        self.password = (password if isinstance(password, bytes)
                         else password.encode())
        self.privilege = privilege

    def __repr__(self):
        return 'Account(%r, privilege=%d)' % (self.name, self.privilege)


class ServerConfig:
    """What a BMC offers: accounts, Kg, GUID, suites and limits.

    :param accounts: dict of name (bytes) -> :class:`Account`
    :param guid: 16 bytes sent in RAKP 2
    :param kg: BMC key, or None
    :param suites: cipher suite ids offered
    :param session_limit: sessions at once (pending ones included)
    :param idle_timeout: seconds after which an idle session is dropped
    :param channel: the LAN channel number reported
    :param ipmi20: offer RMCP+ (IPMI 2.0) sessions
    :param ipmi15: offer IPMI 1.5 sessions (Get Session Challenge /
        Activate Session), with the auth types ``v15_auth_types``
    """

    def __init__(self, accounts, guid, kg=None, suites=SERVER_SUITES,
                 session_limit=32, idle_timeout=60.0, channel=1,
                 hide_unknown_users=False, login_rate=None,
                 lockout_threshold=None, lockout_seconds=300.0,
                 ipmi20=True, ipmi15=False,
                 v15_auth_types=(v15.AUTH_MD5, v15.AUTH_STRAIGHT)):
        self.accounts = accounts
        self.guid = bytes(guid)
        self.kg = kg
        self.suites = tuple(suites)
        self.session_limit = session_limit
        self.idle_timeout = idle_timeout
        self.channel = channel
        self.ipmi20 = ipmi20
        self.ipmi15 = ipmi15
        self.v15_auth_types = tuple(v15_auth_types) if ipmi15 else ()
        # Answer an unknown user as a known one with a wrong password
        # (RAKP 2 with a code nobody can check), so user names cannot be
        # probed; off by default: the specification says to answer
        # "unauthorized name" (status 0Dh).
        self.hide_unknown_users = hide_unknown_users
        # Optional protections real BMCs offer, off by default: at most
        # ``login_rate`` Open Session requests per second from one source
        # address (a burst of that many), and a user locked for
        # ``lockout_seconds`` after ``lockout_threshold`` failed RAKP 3 in
        # a row (wrong password; a success resets the count).
        self.login_rate = login_rate
        self.lockout_threshold = lockout_threshold
        self.lockout_seconds = lockout_seconds
        # suite id -> highest privilege a session of that suite may have
        # (LAN parameter 24; absent: no limit beyond the user's)
        self.suite_privileges = {}

    def __repr__(self):
        return 'ServerConfig(users=%d, suites=%r)' % (len(self.accounts),
                                                      self.suites)


class Phase(enum.Enum):
    """Where a session of the BMC side stands in its life."""

    OPEN = 'open, waiting for RAKP 1'
    AUTHENTICATING = 'RAKP 2 sent, waiting for RAKP 3'
    CHALLENGED = 'IPMI 1.5 challenge sent, waiting for Activate Session'
    ACTIVE = 'authenticated, nothing done in it yet'
    IN_USE = 'an in-session request was accepted'

    __hash__ = object.__hash__


# Every change of phase a session may make, and what makes it: the one
# place the life of a BMC-side session is written down.  A change not
# listed here is a bug of the server core and raises.
TRANSITIONS = {
    (Phase.OPEN, Phase.AUTHENTICATING): 'RAKP 1 accepted, RAKP 2 sent',
    (Phase.AUTHENTICATING, Phase.AUTHENTICATING):
        'RAKP 1 again with a new tag, new random numbers',
    (Phase.AUTHENTICATING, Phase.ACTIVE): 'RAKP 3 checked, RAKP 4 sent',
    (Phase.ACTIVE, Phase.OPEN):
        'RAKP 1 on an unused session: the console never saw RAKP 4',
    (Phase.CHALLENGED, Phase.ACTIVE): 'IPMI 1.5 Activate Session checked',
    (Phase.ACTIVE, Phase.IN_USE): 'first in-session request accepted',
}

ACTIVE_PHASES = frozenset((Phase.ACTIVE, Phase.IN_USE))


class ServerSession:
    """One session of a remote console with this BMC.

    Its :class:`Phase` changes only through :meth:`advance`, along
    :data:`TRANSITIONS`.
    """

    def __init__(self, bmc_sid, console_sid, peer, suite, max_priv, now,
                 phase=Phase.OPEN):
        self.bmc_sid = bmc_sid
        self.console_sid = console_sid
        self.peer = peer
        self.suite = suite
        self.requested_priv = max_priv
        self.account = None
        self.phase = phase
        self.privilege = const.PRIV_USER
        self.max_privilege = const.PRIV_CALLBACK
        self.packets = None        # packet.SessionPackets once active
        # RakpState from RAKP 1 until the session is used: a RAKP 3 sent
        # again (RAKP 4 lost) is checked against it
        self.rakp = None
        self.rakp4_icv = b''
        # (session seq, payload, request key) of the last accepted one
        self.last_datagram = None
        # payload type of a login request -> (its payload, our reply): a
        # duplicated request (lost reply, network duplicate) is answered
        # with the same reply, never with fresh random numbers.
        self.login_replies = {}
        self.last_seen = now
        # replies of the last requests: a retransmitted request is
        # answered from here, not run again
        self.replies = replycache.ReplyCache()
        # IPMI 1.5, between Get Session Challenge and Activate Session:
        # (auth type, challenge, user name)
        self.v15 = None
        self.payloads = {}         # payload type -> sink (SOL...)

    def __repr__(self):
        return 'ServerSession(sid=0x%08x, peer=%r, phase=%s)' % (
            self.bmc_sid, self.peer, self.phase.name)

    def advance(self, phase):
        """Move to ``phase``; raises :class:`RuntimeError` for a change
        :data:`TRANSITIONS` does not list."""
        if (self.phase, phase) not in TRANSITIONS:
            raise RuntimeError('session 0x%08x: no change from %s to %s'
                               % (self.bmc_sid, self.phase.name, phase.name))
        self.phase = phase

    @property
    def active(self):
        """True once authenticated (RAKP 3 or Activate Session)."""
        return self.phase in ACTIVE_PHASES

    @property
    def used(self):
        """True once an in-session request was accepted."""
        return self.phase is Phase.IN_USE

    @property
    def username(self):
        """The account name (str) of an authenticated session, or None."""
        return self.account.name.decode('utf-8', 'replace') \
            if self.account else None


class Responder:
    """What a request handler answers through (pyghmi's ``session``).

    ``send_ipmi_response(data=..., code=...)`` sends the response; a
    second call is ignored.  ``username`` and ``privilege`` describe the
    session the request came in.
    """

    def __init__(self, core, session, msg):
        self._core = core
        self._session = session
        self._msg = msg
        self.sent = False

    @property
    def username(self):
        """Name of the user the request came from."""
        return self._session.username

    @property
    def privilege(self):
        """Current privilege level of the session."""
        return self._session.privilege

    @property
    def sockaddr(self):
        """The remote console's address."""
        return self._session.peer

    def send_ipmi_response(self, data=(), code=0):
        """Send the response: completion ``code`` then ``data`` bytes."""
        if self.sent:
            return
        self.sent = True
        self._core.respond(self._session, self._msg, bytes([code & 0xFF])
                           + bytes(bytearray(data)))


class Drop(str, enum.Enum):
    """Why the BMC side dropped a datagram or answered from its memory:
    the keys of ``ServerCore.dropped``.  The members are strings, so a
    counter keyed by them is also read with the text
    (``dropped['login rate limit']``); packet checks count their own
    ``packet.Reject`` reasons the same way."""

    UNSUPPORTED_PAYLOAD = 'unsupported payload'
    UNDECODABLE = 'undecodable'
    UNKNOWN_SESSION = 'packet for an unknown session'
    LOCKED_OUT = 'login of a locked-out user'
    LOGIN_FOR_ACTIVE = 'login message for an active session'
    AUTHENTICATED_AGAIN = 'unused session authenticated again'
    SESSIONLESS_NOT_ALLOWED = 'sessionless command not allowed'
    BEFORE_ACTIVATE = 'request before Activate Session'
    ANSWERED_AGAIN = 'repeated request answered again'
    IN_PROGRESS = 'repeat of a request in progress'
    PAYLOAD_NOT_ACTIVATED = 'payload not activated'
    NETWORK_DUPLICATE = 'network duplicate of a request'
    RATE_LIMIT = 'login rate limit'
    LOGIN_FOR_UNKNOWN = 'login message for an unknown session'
    WRONG_AUTH_CODE = 'activate session with a wrong auth code'
    RMCP_PLUS_TO_V15 = 'RMCP+ login to an IPMI 1.5 BMC'
    RAKP3_NEW_TAG = 'RAKP 3 repeated with a new tag'
    RAKP3_BEFORE_RAKP1 = 'RAKP 3 before RAKP 1'
    HALF_OPEN_EVICTED = 'half-open session evicted'
    IDLE_EVICTED = 'idle session evicted'


class Kind(enum.Enum):
    """What a received datagram is, for the dispatch table of the core."""

    SESSIONLESS = 'sessionless'
    IPMI = 'in-session IPMI'
    IPMI15 = 'IPMI 1.5 session'
    OPEN = 'open session request'
    RAKP1 = 'RAKP 1'
    RAKP3 = 'RAKP 3'
    PAYLOAD = 'in-session payload'
    OTHER = 'other'

    __hash__ = object.__hash__      # compared by identity, hashed so


_KIND_BY_PAYLOAD = {
    const.PAYLOAD_OPEN_SESSION_REQUEST: Kind.OPEN,
    const.PAYLOAD_RAKP1: Kind.RAKP1,
    const.PAYLOAD_RAKP3: Kind.RAKP3,
    const.PAYLOAD_SOL: Kind.PAYLOAD,
}


def classify(dgram):
    """The :class:`Kind` of a parsed datagram."""
    if not dgram.v2:
        return Kind.SESSIONLESS if dgram.session_id == 0 else Kind.IPMI15
    if dgram.payload_type == const.PAYLOAD_IPMI:
        return Kind.IPMI if dgram.session_id else Kind.SESSIONLESS
    return _KIND_BY_PAYLOAD.get(dgram.payload_type, Kind.OTHER)


def auth_algorithm(suite):
    """The RAKP authentication algorithm of cipher suite ``suite``."""
    return crypto.AUTH_ALGORITHMS[crypto.suite_algorithms(suite)[0]]
