"""The RMCP+ client session as a sans-IO state machine.

Rules of this module:

* no sockets, no clock, no threads: a :class:`ClientCore` is fed decoded
  datagrams (:meth:`ClientCore.receive`) and the time (:meth:`tick`), and
  leaves datagrams to send in ``outbox`` and its next deadline in
  ``deadline``.  The I/O loop (``loop.py``) drives it; tests drive it with
  byte vectors and a fake clock;
* states are an enum and the handler of each (state, datagram kind) pair
  is looked up in ``_HANDLERS``; anything else is dropped and counted in
  ``dropped`` with a reason;
* every wait has a deadline and every retry loop a bound;
* secrets (password, Kg, session keys) never reach a log or exception.

Login (IPMI v2.0 section 13.15): [Get Channel Authentication Capabilities,
Get Channel Cipher Suites when the suite is not known yet], Open Session,
RAKP 1/2, RAKP 3/4, Set Session Privilege Level.  With a known suite a
login costs four round trips.
"""

import collections
import dataclasses
import enum
import functools
import logging
import struct
import typing
from typing import Any, Deque, List

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import payloads as payloadhost
from pyghmi.ipmi.private.client import window
from pyghmi.ipmi.private.codec import channel
from pyghmi.ipmi.private.codec import rakp
from pyghmi.ipmi.private.codec import v15
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.secure import crypto
from pyghmi.ipmi.private.secure import packet
from pyghmi.ipmi.private.secure import randpool

LOG = logging.getLogger(__name__)


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


_KIND_BY_PAYLOAD = {
    const.PAYLOAD_OPEN_SESSION_RESPONSE: Kind.OPEN_RSP,
    const.PAYLOAD_RAKP2: Kind.RAKP2,
    const.PAYLOAD_RAKP4: Kind.RAKP4,
}
_SESSION_PAYLOADS = (const.PAYLOAD_SOL, const.PAYLOAD_OEM)
_LOGIN_STATES = frozenset((
    State.AUTHCAPS, State.CIPHERS, State.OPENING, State.RAKP1, State.RAKP3,
    State.CHALLENGE, State.ACTIVATING, State.SETPRIV))
_AWAITING_STATES = _LOGIN_STATES | {State.CLOSING}
_RAKP_ROLE_NAME_ONLY = 0x10


@dataclasses.dataclass
class LoginState:
    """What one login attempt has learnt so far (reset for each attempt).

    ``tag`` is the message tag of Open Session and the RAKP messages,
    ``suite`` the cipher suite being tried, ``rand_console`` /
    ``rand_bmc`` the RAKP random numbers, ``sik`` the session integrity
    key, ``cipher_index`` / ``cipher_records`` the pages of Get Channel
    Cipher Suites read so far.
    """

    tag: int = 0
    suite: typing.Optional[int] = 0     # None: an IPMI 1.5 login
    rand_console: bytes = b''
    rand_bmc: bytes = b''
    sik: bytes = b''
    cipher_index: int = 0
    cipher_records: bytes = b''
    # the Open Session status that refused every preferred suite
    refused_status: typing.Optional[int] = None

    def __repr__(self):
        return 'LoginState(suite=%r)' % self.suite


def _hex(value):
    try:
        return '%02x' % value
    except TypeError:
        return '??'


def classify(dgram):
    """Return the :class:`Kind` of a decoded datagram."""
    if not dgram.v2:
        # an IPMI 1.5 session's packets carry its session id
        return Kind.SESSIONLESS if dgram.session_id == 0 else Kind.IPMI
    if dgram.payload_type == const.PAYLOAD_IPMI:
        return Kind.SESSIONLESS if dgram.session_id == 0 else Kind.IPMI
    if dgram.payload_type in _SESSION_PAYLOADS and dgram.session_id:
        return Kind.PAYLOAD
    return _KIND_BY_PAYLOAD.get(dgram.payload_type, Kind.OTHER)


def console_session_id(dgram):
    """The console session id a login response is addressed to, or None."""
    if dgram.payload_type in _KIND_BY_PAYLOAD and len(dgram.payload) >= 8:
        return struct.unpack_from('<I', dgram.payload, 4)[0]
    return None


# Handshake steps that wait for an answer: auth capabilities, cipher
# suites, Open Session, RAKP 1, RAKP 3, Set Session Privilege Level.
LOGIN_STEPS = 6
# How a login survives a lossy network (every rule within the login's
# time budget, :func:`login_budget`, after which it fails):
# * every step is retransmitted ``retries`` times with growing waits;
# * RAKP 3 unanswered after this many tries restarts the handshake from
#   Open Session with a fresh console session id (a lost RAKP 4 cannot be
#   recovered by resending RAKP 3: most BMCs ignore it once the session
#   is active); the session the BMC may have activated is closed first;
RAKP_TRIES_BEFORE_RESTART = 2
# * a step that runs out of tries restarts too (discovery steps are just
#   tried afresh), but only when the BMC has answered something during
#   this login: a dead or unreachable BMC fails after one step's tries;
# * an authentication check that the network can fail (a RAKP 2 or 4
#   code that does not check out, RAKP 4 status 0Fh) restarts it once
#   before it is reported as a wrong password or Kg;
# * at most this many restarts in all, a guard against loops.
MAX_HANDSHAKE_RESTARTS = 16
# A "node busy" answer to a pipelined request: sent again this many
# times (with a smaller window) before the caller sees it.
BUSY_RESENDS = 3


def attempt_timeout(base, attempt):
    """Seconds to wait for an answer to try number ``attempt`` (0 first):
    grows by half the base per retransmission, capped at four times it."""
    return min(base * (1.0 + 0.5 * attempt), base * 4)


@functools.lru_cache(maxsize=64)
def step_budget(timeout, retries):
    """Longest one packet exchange can take: every try waited out."""
    return sum(attempt_timeout(timeout, n) for n in range(retries + 1))


def login_budget(params):
    """The time a login may take, enforced by the core: as long as
    :data:`LOGIN_STEPS` exchanges that each wait out every try (42 s with
    the defaults, 1 s and 3 retries).  A refusal, a dead BMC or a wrong
    password ends it sooner; restarts under loss happen within it."""
    return LOGIN_STEPS * step_budget(params.timeout, params.retries)


def request_budget(params, timeout=None, retries=None):
    """Longest a request can take: its own tries (``timeout`` and
    ``retries`` when the request has its own), one transparent re-login
    with the login's ``params``, and its tries again (56 s with the
    defaults)."""
    step = step_budget(timeout or params.timeout,
                       params.retries if retries is None else retries)
    return 2 * step + login_budget(params)


class LoginParams:
    """What a session needs to log in; the secrets stay out of ``repr``.

    :param bmc: the BMC's name, used in error messages
    :param userid: user name as bytes (at most 16)
    :param password: password as bytes (at most 20)
    :param kg: BMC key as bytes, or None
    :param privlevel: privilege level 1-4, or None for the highest granted
    :param cipher: cipher suite id, or None to choose (17, else 3)
    :param timeout: seconds to wait for the first answer to a packet
    :param retries: how many times a packet is sent again
    :param keepalive: keep an idle session alive (else close it when idle)
    :param ipmi_version: 2.0 (RMCP+ only), 1.5 (IPMI 1.5 sessions only),
        or None: RMCP+, and IPMI 1.5 when the BMC has no RMCP+
    :param allow_no_auth: permit auth type none of IPMI 1.5
    :param max_inflight: requests kept in flight at once (1..32), or
        None for a window that adapts (see :mod:`window`)
    """

    __slots__ = ('bmc', 'userid', 'password', 'kg', 'privlevel', 'cipher',
                 'timeout', 'retries', 'keepalive', 'keepalive_interval',
                 'idle_close', 'ipmi_version', 'allow_no_auth',
                 'max_inflight')

    def __init__(self, bmc, userid, password, kg=None, privlevel=None,
                 cipher=None, timeout=1.0, retries=3, keepalive=True,
                 ipmi_version=None, allow_no_auth=False, max_inflight=None):
        self.bmc = bmc
        self.userid = userid
        self.password = password
        self.kg = kg
        self.privlevel = privlevel
        self.cipher = cipher
        self.timeout = timeout
        self.retries = retries
        self.keepalive = keepalive
        self.keepalive_interval = 25.0
        self.idle_close = 30.0
        self.ipmi_version = ipmi_version
        self.allow_no_auth = allow_no_auth
        self.max_inflight = max_inflight

    def __repr__(self):
        return 'LoginParams(bmc=%r, privlevel=%r, cipher=%r)' % (
            self.bmc, self.privlevel, self.cipher)


class Request:
    """One IPMI request and, once done, its outcome.

    ``callback(request)`` is called exactly once, from the thread driving
    the core, when ``code``/``data`` or ``error`` is set.
    """

    __slots__ = ('netfn', 'cmd', 'data', 'bridge', 'rslun', 'retry',
                 'timeout', 'callback', 'code', 'data_out', 'error', 'seq',
                 'attempts', 'relogged', 'internal', 'acked', 'message',
                 'retries', 'deadline', 'busy_tries')

    def __init__(self, netfn, cmd, data=b'', bridge=None, rslun=0,
                 retry=True, timeout=None, callback=None, internal=False,
                 retries=None):
        self.netfn = netfn
        self.cmd = cmd
        self.data = bytes(data)
        self.bridge = bridge
        self.rslun = rslun
        self.retry = retry
        self.timeout = timeout
        self.callback = callback
        self.code = None
        self.data_out = b''
        self.error = None
        self.seq = 0
        self.attempts = 0
        self.relogged = False
        self.internal = internal
        self.acked = False
        self.message = b''         # the encoded IPMI message
        self.retries = retries     # None: the session's
        self.deadline = None       # when the current try times out
        self.busy_tries = 0        # resent after a pipelined "node busy"

    def finish(self, code=None, data=b'', error=None):
        """Record the outcome and call the callback (then dropped: a
        callback that keeps the request, as a synchronous caller's
        waiter does, would otherwise make a reference cycle per request
        that only the garbage collector frees)."""
        self.code = code
        self.data_out = data
        self.error = error
        callback, self.callback = self.callback, None
        if callback is not None:
            callback(self)


class ClientCore(payloadhost.PayloadHost):
    """One RMCP+ session to one BMC, without I/O.

    :param params: a :class:`LoginParams`
    :param local_sid: this console's session id (non-zero, unique)
    :param suite_hint: a suite id that worked before for this BMC, or None
    :param rng: source of random bytes (``randpool.urandom`` unless
        testing)
    :param sid_source: returns a fresh console session id when the
        handshake restarts (the I/O layer re-registers it for routing);
        by default a random one
    """

    def __init__(self, params, local_sid, suite_hint=None,
                 rng=randpool.urandom, sid_source=None):
        self.params = params
        self.local_sid = local_sid
        self.state = State.IDLE
        # datagrams, or (datagram, port) for a payload on another port
        self.outbox: List[Any] = []
        self.deadline = None
        self.dropped: typing.Counter[str] = collections.Counter()
        self.packets_sent = 0       # for benchmarks and tests
        self.logins = 0             # successful logins, re-logins included
        self.on_login = None        # callable(error or None)
        self.on_closed = None       # callable()
        self.suite = None
        self.ipmi_version = None    # 2.0 or 1.5 once logged in
        self.privlevel = None
        self.bmc_guid = None
        self.last_error = None
        self._rng = rng
        self._hint = suite_hint
        self._queue: Deque[Request] = collections.deque()
        # requests sent and not yet answered, by IPMI sequence number,
        # in the order they were sent
        self._flight: typing.Dict[int, Request] = {}
        self.window = window.Window(getattr(params, 'max_inflight', None))
        self._rqseq = 0
        self._packets = None
        self._bmc_sid = 0
        self._candidates = []
        self._privs = []
        self._login = LoginState()
        self._v15_auth = (v15.AUTH_MD5, False)   # (auth type, no per-msg)
        self._step_packet = None
        self._step_attempts = 0
        self._restarts = 0
        self._auth_retried = False
        self._suites_confirmed = False
        self._bmc_answered = False
        self._login_deadline = None
        self.sid_source = sid_source or self._random_sid
        self._last_activity = 0.0
        self._init_payloads()

    def __repr__(self):
        return 'ClientCore(bmc=%r, state=%s, sid=0x%08x)' % (
            self.params.bmc, self.state.value, self.local_sid)

    # ----------------------------------------------------------- public API
    @property
    def active(self):
        """True while the session is established and usable."""
        return self.state == State.ACTIVE

    @property
    def expecting(self):
        """True while a datagram from the BMC is awaited: a login step,
        a request in flight or queued, a close, or payload sinks (which
        also receive what the BMC sends unasked)."""
        return bool(self._flight or self._queue or self.payload_sinks) \
            or self.state in _AWAITING_STATES

    @property
    def busy(self):
        """True while requests are queued or in flight."""
        return bool(self._queue) or bool(self._flight)

    def login(self, now):
        """Start logging in (no-op when already logged in or logging in)."""
        if self.state in _LOGIN_STATES or self.state == State.ACTIVE:
            return
        self._reset_session()
        self._restarts = 0
        self._auth_retried = False
        # Evidence that the BMC is alive allows restarts of the first
        # step too, and keeps the suite: one worked here before.
        self._bmc_answered = self._hint is not None
        self._login_deadline = now + login_budget(self.params)
        self._suites_confirmed = (self.params.cipher is not None
                                  or self._hint is not None)
        self._privs = ([self.params.privlevel] if self.params.privlevel
                       else [const.PRIV_ADMINISTRATOR, const.PRIV_OPERATOR,
                             const.PRIV_USER])
        if self.params.ipmi_version == 1.5:
            self._send_authcaps(now)     # its answer lists the auth types
        elif self.params.cipher is not None:
            self._candidates = [self.params.cipher]
            self._send_open(now)
        elif self._hint is not None:
            self._candidates = [self._hint] + [
                s for s in crypto.DEFAULT_SUITE_PREFERENCE if s != self._hint]
            self._send_open(now)
        else:
            self._send_authcaps(now)

    def submit(self, request, now):
        """Queue ``request``; it is sent when the session is ready."""
        if self.state is State.ACTIVE and not self._queue and \
                len(self._flight) < self.window.limit:
            # nothing waits before it: send now (its try sets the deadline)
            self._start_request(request, now)
            return
        self._queue.append(request)
        if self.state == State.ACTIVE:
            self._pump(now)
        elif self.state not in _LOGIN_STATES and self.state != State.CLOSING:
            self.login(now)

    def close(self, now):
        """Log out: send Close Session if a session is up, then stop."""
        self._fail_queue(exc.IpmiException('Session closed',
                                           bmc=self.params.bmc))
        if self.state == State.ACTIVE:
            self._flight.clear()      # at most internal keepalives
            # Retried (a lost Close Session leaves the BMC a session slot
            # short until it times out), but never a reason to log in.
            req = Request(const.NETFN_APP, const.CMD_CLOSE_SESSION,
                          wire.pack_u32(self._bmc_sid), internal=True,
                          callback=self._closed)
            req.relogged = True
            self.state = State.CLOSING
            self._start_request(req, now)
        else:
            self._finish_closed()

    def abandon(self, now):
        """Stop at once: fail what is pending and forget the session
        without waiting for the BMC (a close that took too long)."""
        if self.state == State.CLOSED:
            return
        self._fail_queue(exc.IpmiException('Session closed',
                                           bmc=self.params.bmc))
        self._finish_closed()

    def receive(self, dgram, now):
        """Handle one decoded datagram addressed to this session."""
        kind = classify(dgram)
        handler = _HANDLERS.get((self.state, kind))
        if handler is None:
            self.dropped['unexpected %s in state %s'
                         % (kind.value, self.state.value)] += 1
            return
        try:
            handler(self, dgram, now)
        except exc.DecodeError as err:
            self.dropped['undecodable %s: %s' % (kind.value, err)] += 1
        except Exception as err:  # noqa: BLE001 - the boundary: see below
            # A bug met by one datagram must not wedge the session or
            # reach the loop thread: drop the datagram, count and log it.
            LOG.exception('client core failed on a %s datagram', kind.value)
            self.dropped['internal error: %s' % type(err).__name__] += 1

    def tick(self, now):
        """Act on an expired deadline: retransmit, give up or keep alive."""
        if self.payload_sinks:
            self._tick_payloads(now)
        if self.deadline is None or now < self.deadline:
            return
        if self.state in _LOGIN_STATES and now >= self._login_deadline:
            self._login_failed(exc.IpmiTimeoutError(
                'Login to BMC %s did not complete within %g s (%s)' % (
                    self.params.bmc, login_budget(self.params),
                    self.state.value),
                code=const.CC_NO_RESPONSE, bmc=self.params.bmc))
        elif self.state in _LOGIN_STATES and self.state != State.SETPRIV:
            self._login_step_expired(now)
        elif self._flight:
            self._flight_expired(now)
        elif self.state == State.ACTIVE:
            self._idle_expired(now)
        else:
            self.deadline = None

    # ------------------------------------------------------------- helpers
    def _reset_session(self):
        if self.payload_sinks:
            self._lose_payloads('the session with the BMC ended')
        self._packets = None
        self._bmc_sid = 0
        self._login = LoginState()
        self._flight = {}

    def _next_rqseq(self):
        # never the number of a request still in flight
        while True:
            self._rqseq = (self._rqseq + 1) & 0x3F
            if self._rqseq not in self._flight:
                return self._rqseq

    def _attempt_timeout(self, attempt, base=None):
        return attempt_timeout(base or self.params.timeout, attempt)

    def _login_send(self, state, datagram, now):
        self.state = state
        self._step_packet = datagram
        self._step_attempts = 0
        self.outbox.append(datagram)
        self.packets_sent += 1
        self._set_deadline(now + self._attempt_timeout(0))

    def _set_deadline(self, when):
        # A login never waits past its own deadline.
        if self.state in _LOGIN_STATES and self._login_deadline is not None:
            when = min(when, self._login_deadline)
        self.deadline = when

    def _random_sid(self):
        while True:
            sid = struct.unpack('<I', self._rng(4))[0]
            if sid and sid != self.local_sid:
                return sid

    def _restart_handshake(self, now):
        """Start over from Open Session with a fresh console session id;
        False when the restarts of this login are used up."""
        if self._restarts >= MAX_HANDSHAKE_RESTARTS:
            return False
        self._restarts += 1
        LOG.debug('BMC %s: handshake restarted in state %s',
                  self.params.bmc, self.state.value)
        self._close_abandoned()
        self.local_sid = self.sid_source()
        self._send_open(now)
        return True

    def _close_abandoned(self):
        """Send one Close Session for the BMC session being given up, when
        its keys are known, so it does not hold a slot until it times out
        (BMCs have few: ipmi_sim 63, many firmwares 4 to 16)."""
        packets = self._packets
        if packets is None and self._login.sik and self._bmc_sid:
            packets = packet.SessionPackets(
                crypto.SessionKeys(self._login.suite, self._login.sik),
                self._rng)
        if packets is None or not self._bmc_sid:
            return
        msg = wire.encode_request(const.NETFN_APP, const.CMD_CLOSE_SESSION,
                                  wire.pack_u32(self._bmc_sid),
                                  seq=self._next_rqseq())
        self.outbox.append(packets.seal(self._bmc_sid, msg))
        self.packets_sent += 1

    def _restart_step(self, now):
        """Try the current step afresh after it ran out of tries, while
        the BMC is known to be alive; False when that is not allowed."""
        if not self._bmc_answered or self._restarts >= MAX_HANDSHAKE_RESTARTS:
            return False
        if self.state in (State.AUTHCAPS, State.CIPHERS):
            self._restarts += 1
            self._login_send(self.state, self._step_packet, now)
            return True
        if self.state in (State.CHALLENGE, State.ACTIVATING):
            if self.state == State.ACTIVATING:
                # IPMI 1.5 BMCs drop an Activate Session whose auth code
                # is wrong: silence through every retry means bad
                # credentials (the challenge, answered, shows the BMC up).
                self._login_failed(exc.IpmiAuthenticationError(
                    'BMC %s did not answer Activate Session (IPMI 1.5 '
                    'BMCs stay silent on a wrong user name or password)'
                    % self.params.bmc, bmc=self.params.bmc))
                return True
            # a challenge is used once: start the 1.5 login over
            self._restarts += 1
            self._send_challenge(now)
            return True
        return self._restart_handshake(now)

    def _login_step_expired(self, now):
        if self.state == State.OPENING and len(self._candidates) > 1 \
                and self._step_attempts >= 1 and not self._suites_confirmed:
            # Some BMCs silently ignore an Open Session for a suite they
            # lack: after one retransmission, try the next candidate.
            self._candidates.pop(0)
            self._send_open(now)
            return
        if self.state == State.RAKP3 and \
                self._step_attempts + 1 >= RAKP_TRIES_BEFORE_RESTART and \
                self._restart_handshake(now):
            return
        if self._step_attempts < self.params.retries:
            self._step_attempts += 1
            self.outbox.append(self._step_packet)
            self.packets_sent += 1
            self._set_deadline(now + self._attempt_timeout(
                self._step_attempts))
            return
        if self._restart_step(now):
            return
        self._login_failed(exc.IpmiTimeoutError(
            'Timeout waiting for the BMC (%s)' % self.state.value,
            code=const.CC_NO_RESPONSE, bmc=self.params.bmc))

    def _auth_failed(self, now, error):
        """A check failed that a lost, duplicated or reordered datagram
        can also fail: restart the handshake once before reporting it."""
        if not self._auth_retried and self._restart_handshake(now):
            self._auth_retried = True
            return
        self._login_failed(error)

    def _login_failed(self, error):
        LOG.debug('login to BMC %s failed: %s', self.params.bmc, error)
        self.state = State.FAILED
        self.deadline = None
        self.last_error = error
        self._reset_session()
        self._fail_queue(error)
        if self.on_login is not None:
            self.on_login(error)

    def _fail_queue(self, error):
        pending = [req for req in self._flight.values() if not req.internal]
        pending.extend(self._queue)
        self._queue.clear()
        self._flight = {}
        for req in pending:
            req.finish(error=error)

    def _requeue_flight(self):
        """Put the requests in flight back at the head of the queue, in
        the order they were sent (the session they were sent in is being
        replaced); internal ones are dropped."""
        for req in reversed(list(self._flight.values())):
            if not req.internal:
                self._queue.appendleft(req)
        self._flight = {}

    # -------------------------------------------------------- discovery
    def _sessionless(self, netfn, cmd, data):
        return wire.encode_request(netfn, cmd, data, seq=self._next_rqseq())

    def _send_authcaps(self, now):
        msg = self._sessionless(
            const.NETFN_APP, const.CMD_GET_CHANNEL_AUTH_CAPABILITIES,
            channel.encode_auth_caps_request(self._privs[0]))
        self._login_send(State.AUTHCAPS, wire.encode_v15(msg), now)

    def _send_ciphers(self, now, index):
        msg = self._sessionless(const.NETFN_APP,
                                const.CMD_GET_CHANNEL_CIPHER_SUITES,
                                channel.encode_cipher_suites_request(index))
        self._login.cipher_index = index
        # IPMI 1.5 framing: some BMCs (ipmi_sim) ignore sessionless RMCP+.
        self._login_send(State.CIPHERS, wire.encode_v15(msg), now)

    def _sessionless_response(self, dgram, cmd):
        msg = wire.parse_message(dgram.payload)
        if (msg.netfn != const.NETFN_APP + 1 or msg.cmd != cmd
                or msg.seq != self._rqseq or not msg.body):
            raise exc.DecodeError('response does not match the request')
        self._bmc_answered = True
        return msg.body[0], msg.body[1:]

    def _on_authcaps(self, dgram, now):
        code, data = self._sessionless_response(
            dgram, const.CMD_GET_CHANNEL_AUTH_CAPABILITIES)
        version = self.params.ipmi_version
        rmcp_plus = code == const.CC_OK and channel.supports_rmcp_plus(data)
        if version == 1.5 or (code == const.CC_OK and not rmcp_plus):
            if version == 2.0 or code != const.CC_OK:
                self._login_failed(exc.UnsupportedFunctionality(
                    'BMC %s does not support IPMI %s' % (
                        self.params.bmc, '2.0 (RMCP+)' if version == 2.0
                        else '1.5 sessions (auth capabilities refused)')))
                return
            self._start_v15(data, now)
            return
        # A refusal (non-zero code) is no verdict: try RMCP+ anyway.
        # Open Session with the preferred suites straight away: a BMC
        # names the one it lacks in its answer, so the suite list (one
        # to four more round trips) is read only when all are refused.
        self._candidates = list(crypto.DEFAULT_SUITE_PREFERENCE)
        self._suites_confirmed = False
        self._send_open(now)

    def _list_suites(self, now, status):
        """Every preferred suite was refused (``status``): read the
        BMC's list, to say what it offers."""
        self._login.refused_status = status
        self._login.cipher_records = b''
        self._send_ciphers(now, 0)

    def _on_ciphers(self, dgram, now):
        code, data = self._sessionless_response(
            dgram, const.CMD_GET_CHANNEL_CIPHER_SUITES)
        if code == const.CC_OK and data:
            records = channel.decode_cipher_suites_page(data)
            self._login.cipher_records += records
            index = self._login.cipher_index
            if len(records) == channel.RECORDS_PER_PAGE and \
                    index + 1 < channel.MAX_PAGES:
                self._send_ciphers(now, index + 1)
                return
        offered = channel.parse_suite_records(self._login.cipher_records)
        prefs = [s for s in crypto.DEFAULT_SUITE_PREFERENCE if s in offered]
        if offered and not prefs:
            self._login_failed(exc.IpmiException(
                'BMC %s offers no cipher suite with integrity and '
                'confidentiality (offered: %s)' % (self.params.bmc, offered)))
            return
        if self._login.refused_status is not None:
            # it lists a suite it refused: nothing more to try
            self._login_failed(self._status_error(
                'Open Session', self._login.refused_status))
            return
        self._candidates = prefs or list(crypto.DEFAULT_SUITE_PREFERENCE)
        self._suites_confirmed = bool(prefs)
        self._send_open(now)

    # --------------------------------------------------- IPMI 1.5 login
    def _start_v15(self, caps_data, now):
        caps = channel.AUTH_CAPS_RESPONSE.decode(caps_data)
        authtype = v15.choose(caps['auth_types'], self.params.allow_no_auth)
        if authtype is None:
            self._login_failed(exc.UnsupportedFunctionality(
                'BMC %s has no RMCP+ and offers no IPMI 1.5 authentication '
                'this package uses (MD5, straight password; none only with '
                'allow_no_auth)' % self.params.bmc))
            return
        if len(self.params.password) > v15.PASSWORD_SIZE:
            self._login_failed(exc.InvalidParameterValue(
                'password: IPMI 1.5 (BMC %s has no RMCP+) takes at most 16 '
                'bytes' % self.params.bmc))
            return
        self._login = LoginState(suite=None)
        self._v15_auth = (authtype, caps['per_message_auth_disabled'])
        self._send_challenge(now)

    def _send_challenge(self, now):
        authtype = self._v15_auth[0]
        body = v15.CHALLENGE_REQUEST.encode(
            authtype=authtype, user=v15.pad(self.params.userid,
                                            v15.USER_SIZE))
        msg = self._sessionless(const.NETFN_APP,
                                v15.CMD_GET_SESSION_CHALLENGE, body)
        self._login_send(State.CHALLENGE, wire.encode_v15(msg), now)

    def _on_challenge(self, dgram, now):
        code, data = self._sessionless_response(
            dgram, v15.CMD_GET_SESSION_CHALLENGE)
        if code:
            self._login_failed(exc.IpmiAuthenticationError(
                'Get Session Challenge refused by BMC %s: %s' % (
                    self.params.bmc, v15.CHALLENGE_ERRORS.get(
                        code, 'completion code 0x%02x' % code)),
                code=code, bmc=self.params.bmc))
            return
        reply = v15.CHALLENGE_RESPONSE.decode(data)
        authtype = self._v15_auth[0]
        body = v15.ACTIVATE_REQUEST.encode(
            authtype=authtype, privilege=self._privs[0],
            challenge=reply['challenge'],
            outbound_seq=struct.unpack('<I', self._rng(4))[0] or 1)
        msg = self._sessionless(const.NETFN_APP, v15.CMD_ACTIVATE_SESSION,
                                body)
        self._bmc_sid = reply['temp_sid']
        self._login_send(State.ACTIVATING, v15.seal(
            authtype, self._v15_password(), reply['temp_sid'], 0, msg), now)

    def _v15_password(self):
        return v15.pad(self.params.password)

    def _on_activate(self, dgram, now):
        if dgram.v2 or (dgram.authtype != v15.AUTH_NONE and not v15.verify(
                dgram, self._v15_password())):
            self.dropped['activate session reply fails its auth code'] += 1
            return
        code, data = self._sessionless_response(
            dgram, v15.CMD_ACTIVATE_SESSION)
        if code == 0x86 and len(self._privs) > 1:
            self._privs.pop(0)          # ask again for a lower privilege
            self._send_challenge(now)
            return
        if code:
            self._login_failed(exc.IpmiAuthenticationError(
                'Activate Session refused by BMC %s: %s' % (
                    self.params.bmc, v15.ACTIVATE_ERRORS.get(
                        code, 'completion code 0x%02x' % code)),
                code=code, bmc=self.params.bmc))
            return
        reply = v15.ACTIVATE_RESPONSE.decode(data)
        self._bmc_sid = reply['sid']
        self._packets = v15.V15Packets(
            reply['authtype'], self._v15_password(), reply['sid'],
            reply['inbound_seq'] or 1, unauthenticated_ok=self._v15_auth[1])
        self._send_setpriv(now)

    # -------------------------------------------------------------- login
    def _send_open(self, now):
        suite = self._candidates[0]
        auth, integ, conf = crypto.suite_algorithms(suite)
        self._reset_session()
        tag = self._next_rqseq()
        body = rakp.encode_open_request(tag, self._privs[0], self.local_sid,
                                        auth, integ, conf)
        self._login.tag = tag
        self._login.suite = suite
        self._login_send(State.OPENING, wire.encode_v2(
            const.PAYLOAD_OPEN_SESSION_REQUEST, 0, 0, body), now)

    def _check_login_reply(self, reply):
        if reply.tag != self._login.tag:
            raise exc.DecodeError('login reply does not match our request')
        if reply.console_sid not in (self.local_sid, None):
            # (None: a short refusal, which carries no session id)
            raise exc.DecodeError('login reply for another session')
        self._bmc_answered = True
        return reply.status

    def _status_error(self, step, status):
        text = '%s refused by BMC %s: %s' % (
            step, self.params.bmc, const.RMCP_STATUS_CODES.get(
                status, 'status 0x%02x' % status))
        if status in const.RMCP_AUTH_FAILURES:
            return exc.IpmiAuthenticationError(text, code=status,
                                               bmc=self.params.bmc)
        return exc.IpmiProtocolError(text, code=status, bmc=self.params.bmc)

    def _next_candidate(self, now):
        """Try the next cipher suite; False when none is left."""
        if len(self._candidates) <= 1:
            return False
        self._candidates.pop(0)
        self._send_open(now)
        return True

    def _lower_role(self, now):
        """Ask again with the next lower role; False when none is left."""
        if len(self._privs) <= 1:
            return False
        self._privs.pop(0)
        self._send_open(now)
        return True

    def _on_open(self, dgram, now):
        reply = rakp.decode_open_response(dgram.payload)
        status = self._check_login_reply(reply)
        suite = self._login.suite
        if status == const.RMCP_OK:
            algs = (reply.auth, reply.integrity, reply.conf)
            if algs == crypto.suite_algorithms(suite):
                self._bmc_sid = reply.bmc_sid
                self._send_rakp1(now)
            elif not self._next_candidate(now):
                # The BMC answered with other algorithms than we asked.
                self._login_failed(exc.IpmiProtocolError(
                    'BMC %s answered cipher suite %s with other algorithms'
                    % (self.params.bmc, suite), bmc=self.params.bmc))
            return
        if status in const.RMCP_SUITE_REJECTIONS and self._next_candidate(now):
            return
        if status in const.RMCP_SUITE_REJECTIONS and \
                not self._suites_confirmed and \
                self._login.refused_status is None:
            return self._list_suites(now, status)
        if status in const.RMCP_ROLE_REFUSALS and self._lower_role(now):
            return
        self._login_failed(self._status_error('Open Session', status))

    def _role(self):
        return self._privs[0] | _RAKP_ROLE_NAME_ONLY

    def _send_rakp1(self, now):
        self._login.rand_console = self._rng(16)
        body = rakp.encode_rakp1(self._login.tag, self._bmc_sid,
                                 self._login.rand_console, self._role(),
                                 self.params.userid)
        self._login_send(State.RAKP1,
                         wire.encode_v2(const.PAYLOAD_RAKP1, 0, 0, body), now)

    def _auth_alg(self):
        return crypto.AUTH_ALGORITHMS[
            crypto.suite_algorithms(self._login.suite)[0]]

    def _on_rakp2(self, dgram, now):
        alg = self._auth_alg()
        reply = rakp.decode_rakp2(dgram.payload, alg.key_len)
        status = self._check_login_reply(reply)
        if status:
            if not (status in const.RMCP_ROLE_REFUSALS and
                    self._lower_role(now)):
                self._login_failed(self._status_error('RAKP 2', status))
            return
        rand_bmc, guid, code = reply.rand, reply.guid, reply.code
        p = self.params
        expected = crypto.rakp2_code(
            alg, p.password, wire.pack_u32(self.local_sid),
            wire.pack_u32(self._bmc_sid), self._login.rand_console, rand_bmc,
            guid, self._role(), p.userid)
        if not crypto.codes_equal(expected, code):
            self._auth_failed(now, exc.IpmiAuthenticationError(
                'Incorrect password provided for BMC %s' % p.bmc,
                bmc=p.bmc))
            return
        self.bmc_guid = guid
        self._login.rand_bmc = rand_bmc
        self._login.sik = crypto.session_integrity_key(
            alg, p.kg or p.password, self._login.rand_console, rand_bmc,
            self._role(), p.userid)
        body = rakp.encode_rakp3(
            self._login.tag, const.RMCP_OK, self._bmc_sid,
            crypto.rakp3_code(alg, p.password, rand_bmc,
                              wire.pack_u32(self.local_sid), self._role(),
                              p.userid))
        self._login_send(State.RAKP3,
                         wire.encode_v2(const.PAYLOAD_RAKP3, 0, 0, body), now)

    def _on_rakp4(self, dgram, now):
        alg = self._auth_alg()
        reply = rakp.decode_rakp4(dgram.payload, alg.icv_len)
        status = self._check_login_reply(reply)
        if status == const.RMCP_INVALID_INTEGRITY_VALUE:
            self._auth_failed(now, self._status_error('RAKP 4', status))
            return
        if status:
            self._login_failed(self._status_error('RAKP 4', status))
            return
        sik = self._login.sik
        expected = crypto.rakp4_icv(alg, sik, self._login.rand_console,
                                    wire.pack_u32(self._bmc_sid),
                                    self.bmc_guid)
        if not crypto.codes_equal(expected, reply.icv):
            self._auth_failed(now, exc.IpmiAuthenticationError(
                'Invalid RAKP 4 integrity check value from BMC %s '
                '(wrong Kg?)' % self.params.bmc, bmc=self.params.bmc))
            return
        self._packets = packet.SessionPackets(
            crypto.SessionKeys(self._login.suite, sik), self._rng)
        self._send_setpriv(now)

    def _send_setpriv(self, now):
        self.state = State.SETPRIV
        req = Request(const.NETFN_APP, const.CMD_SET_SESSION_PRIVILEGE,
                      bytes((self._privs[0],)), internal=True,
                      callback=self._setpriv_done)
        req.relogged = True       # a failed login is not retried by relogin
        self._start_request(req, now)

    def _setpriv_done(self, req):
        now = self._last_activity
        if req.error is not None:
            self._login_failed(req.error)
        elif req.code in (const.CC_PRIV_NOT_AVAILABLE,
                          const.CC_PRIV_EXCEEDS_LIMIT) and \
                len(self._privs) > 1:
            self._privs.pop(0)
            self._send_setpriv(now)
        elif req.code:
            self._login_failed(exc.IpmiAuthenticationError(
                'Privilege level %d refused by BMC %s: %s' % (
                    self._privs[0], self.params.bmc, const.completion_text(
                        req.netfn, req.cmd, req.code)),
                code=req.code, bmc=self.params.bmc))
        else:
            LOG.debug('logged in to BMC %s: suite %d, privilege %d, '
                      'restarts %d', self.params.bmc, self._login.suite,
                      self._privs[0], self._restarts)
            self.state = State.ACTIVE
            self.logins += 1
            self.suite = self._login.suite
            self.ipmi_version = 2.0 if self.suite is not None else 1.5
            self.privlevel = self._privs[0]
            self._hint = self.suite
            self._login = LoginState()
            self.last_error = None
            if self.on_login is not None:
                self.on_login(None)
            self._pump(now)

    # ------------------------------------------------------ in a session
    def _pump(self, now):
        queue, flight = self._queue, self._flight
        if queue:
            limit = self.window.limit
            while queue and len(flight) < limit and self.active:
                self._start_request(queue.popleft(), now)
        self._rearm(now)

    def _rearm(self, now):
        """The next deadline: the earliest try in flight, else idle."""
        flight = self._flight
        if len(flight) > 1:
            self._set_deadline(min(req.deadline for req in flight.values()
                                   if req.deadline is not None))
        elif flight:
            # one request at a time (the usual case): no scan
            for req in flight.values():
                self._set_deadline(req.deadline)
        else:
            self._arm_idle(now)

    def _arm_idle(self, now):
        if self.state != State.ACTIVE:
            self.deadline = None
        elif self.params.keepalive:
            self.deadline = self._last_activity + \
                self.params.keepalive_interval
        else:
            self.deadline = self._last_activity + self.params.idle_close

    def _start_request(self, req, now):
        """Encode ``req`` and send it; a request that cannot be encoded
        fails alone, before anything is marked in flight."""
        seq = self._next_rqseq()
        try:
            req.message = self._encode(req, seq)
        except Exception as err:  # noqa: BLE001 - fail this request only
            req.finish(error=exc.IpmiProtocolError(
                'Cannot encode request netfn 0x%s command 0x%s: %s' % (
                    _hex(req.netfn), _hex(req.cmd), err),
                bmc=self.params.bmc, netfn=req.netfn, command=req.cmd))
            return
        req.seq = seq
        req.attempts = 0
        self._flight[seq] = req
        self._transmit(req, now)

    @staticmethod
    def _encode(req, seq):
        if req.bridge:
            return wire.encode_bridged_request(
                req.netfn, req.cmd, req.data, seq,
                req.bridge.get('addr', 0), req.bridge.get('channel', 0),
                req.rslun)
        return wire.encode_request(req.netfn, req.cmd, req.data, seq=seq,
                                   rslun=req.rslun)

    def _transmit(self, req, now):
        # The same IPMI message on every try (same sequence number, so a
        # late reply to any try answers it); a new session sequence each.
        self.outbox.append(self._packets.seal(self._bmc_sid, req.message))
        self.packets_sent += 1
        self._last_activity = now
        req.deadline = now + attempt_timeout(
            req.timeout or self.params.timeout, req.attempts)
        if self.deadline is None or req.deadline < self.deadline or \
                len(self._flight) == 1:
            self._set_deadline(req.deadline)

    def _open_payload(self, dgram):
        try:
            return self._packets.open(dgram)
        except packet.Rejected as err:
            self.dropped[err.reason] += 1
            return None

    def _on_ipmi(self, dgram, now):
        payload = self._open_payload(dgram)
        if payload is None:
            return
        msg = wire.parse_message(payload)
        req = self._flight.get(msg.seq)
        if req is None or not msg.body:
            self.dropped['response matches no request'] += 1
            return
        if req.bridge and msg.netfn == const.NETFN_APP + 1 and \
                msg.cmd == const.CMD_SEND_MESSAGE:
            if msg.body[0] or len(msg.body) < 8:
                if msg.body[0] == 0:
                    req.acked = True    # the answer follows separately
                    return
                self._complete(req, msg.body[0], b'', now)
                return
            msg = wire.parse_message(msg.body[1:])
        if msg.netfn != (req.netfn | 1) or msg.cmd != req.cmd or \
                not msg.body:
            self.dropped['response matches no request'] += 1
            return
        self._complete(req, msg.body[0], msg.body[1:], now)

    def _complete(self, req, code, data, now):
        was_pipelined = len(self._flight) > 1
        del self._flight[req.seq]
        self._last_activity = now
        if code == const.CC_NODE_BUSY and was_pipelined and \
                req.busy_tries < BUSY_RESENDS:
            # our own pipelining may have overrun the BMC's queue: send
            # it again later, with a smaller window
            self.window.congested()
            req.busy_tries += 1
            self._queue.appendleft(req)
        else:
            self.window.answered()
            req.finish(code=code, data=bytes(data))
        self._pump(now)

    def _flight_expired(self, now):
        """Retransmit or give up each request whose try timed out."""
        for req in list(self._flight.values()):
            if self._flight.get(req.seq) is not req:
                continue        # completed or requeued meanwhile
            if req.deadline is not None and req.deadline <= now:
                self.window.congested()
                if not self._request_expired(req, now):
                    return
        if self._flight and self.state in (State.ACTIVE, State.SETPRIV,
                                           State.CLOSING):
            self._rearm(now)

    def _request_expired(self, req, now):
        """Handle the time-out of ``req``'s try; False when the session
        itself changed (re-login, close), which ends the scan."""
        retries = self.params.retries if req.retries is None \
            else req.retries
        if req.retry and req.attempts < retries:
            req.attempts += 1
            self._transmit(req, now)
            return True
        del self._flight[req.seq]
        if self.state == State.CLOSING:
            self._finish_closed()
            return False
        if self.state == State.SETPRIV:
            if not self._restart_step(now):
                req.finish(error=exc.IpmiTimeoutError(
                    'Timeout waiting for the BMC (set privilege)',
                    code=const.CC_NO_RESPONSE, bmc=self.params.bmc))
            return False
        if req.retry and not req.relogged:
            # The BMC may have forgotten us (reboot, idle expiry): log in
            # again once, then send the request afresh.
            req.relogged = True
            LOG.debug('BMC %s: no answer to netfn 0x%02x command 0x%02x, '
                      'logging in again', self.params.bmc, req.netfn,
                      req.cmd)
            self._requeue_flight()
            if not req.internal:
                self._queue.appendleft(req)
            self._close_abandoned()
            self.state = State.IDLE
            self.login(now)
            return False
        error = exc.IpmiTimeoutError(
            'Timeout waiting for a response from BMC %s (netfn 0x%02x '
            'command 0x%02x)' % (self.params.bmc, req.netfn, req.cmd),
            code=const.CC_NO_RESPONSE, bmc=self.params.bmc, netfn=req.netfn,
            command=req.cmd)
        req.finish(error=error)
        self._pump(now)
        return True

    def _idle_expired(self, now):
        if self.params.keepalive and self.keepalives:
            for netfn, cmd, data, callback in self.keepalives.values():
                self._queue.append(Request(
                    netfn, cmd, data, internal=True,
                    callback=self._registered_done(callback)))
            self._pump(now)
        elif self.params.keepalive:
            self._start_request(Request(
                const.NETFN_APP, const.CMD_GET_DEVICE_ID, internal=True,
                callback=self._keepalive_done), now)
        else:
            self.close(now)

    def _registered_done(self, callback):
        def done(req):
            self._keepalive_done(req)
            callback(req)
        return done

    def _keepalive_done(self, req):
        if req.error is not None:
            self.state = State.FAILED
            self.deadline = None
            self.last_error = req.error

    def _closed(self, req):
        self._finish_closed()

    def _finish_closed(self):
        self.state = State.CLOSED
        self.deadline = None
        self._reset_session()
        if self.on_closed is not None:
            self.on_closed()


_HANDLERS = {
    (State.AUTHCAPS, Kind.SESSIONLESS): ClientCore._on_authcaps,
    (State.CHALLENGE, Kind.SESSIONLESS): ClientCore._on_challenge,
    (State.ACTIVATING, Kind.IPMI): ClientCore._on_activate,
    (State.CIPHERS, Kind.SESSIONLESS): ClientCore._on_ciphers,
    (State.OPENING, Kind.OPEN_RSP): ClientCore._on_open,
    (State.RAKP1, Kind.RAKP2): ClientCore._on_rakp2,
    (State.RAKP3, Kind.RAKP4): ClientCore._on_rakp4,
    (State.SETPRIV, Kind.IPMI): ClientCore._on_ipmi,
    (State.ACTIVE, Kind.IPMI): ClientCore._on_ipmi,
    (State.ACTIVE, Kind.PAYLOAD): ClientCore._on_payload,
    (State.CLOSING, Kind.IPMI): ClientCore._on_ipmi,
}
