"""The RMCP+ (and IPMI 1.5) client session as a sans-IO state machine.

Rules of this package's engine:

* no sockets, no clock, no threads: a :class:`ClientCore` is fed decoded
  datagrams and the time, and leaves datagrams to send and its next
  deadline; tests drive it with byte vectors and a fake clock;
* states are an enum (:mod:`.states`) and the handler of each (state,
  datagram kind) pair is looked up in ``_HANDLERS`` below, the one table
  of what the session accepts in each state; anything else is dropped
  and counted in ``dropped`` with a reason;
* every wait has a deadline and every retry loop a bound
  (:mod:`.request`);
* secrets (password, Kg, session keys) never reach a log or exception.

The core is three parts: the login (:mod:`.login`: from the first
packet to session keys and the privilege level), the scheduler
(:mod:`.scheduler`: requests on an active session, its window,
retries, re-login and keepalive) and the payloads (:mod:`.payloads`:
SOL and registered keepalives); this module holds their shared state,
the public methods and the dispatch.

The driver boundary (what ``session.py`` does, and what any other
driver, an asyncio one for example, must do):

* feed it: :meth:`ClientCore.login` / :meth:`submit` / :meth:`close` /
  :meth:`abandon` with the current time; every datagram addressed to
  the session (route by :func:`states.console_session_id` during the
  handshake, by ``local_sid`` afterwards; ``sid_source`` is called when
  a restarted handshake needs a new id) to :meth:`receive`; and
  :meth:`tick` at ``wake_at`` (the earliest of ``deadline`` and the
  payload sinks' deadlines);
* read from it: ``outbox`` (datagrams, or ``(datagram, port)`` for a
  payload on another port), emptied and sent by the driver after each
  call; ``wake_at``; ``expecting`` (whether a datagram is awaited, to
  pause reading when not); the outcome of each :class:`Request` through
  its callback; ``on_login(error or None)`` and ``on_closed()``.
"""

import collections
import logging
import typing
from typing import Any, Deque, List

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import login
from pyghmi.ipmi.private.client import payloads as payloadhost
from pyghmi.ipmi.private.client import scheduler
from pyghmi.ipmi.private.client import window
from pyghmi.ipmi.private.client.login import LoginState
from pyghmi.ipmi.private.client.request import (
    BUSY_RESENDS, LOGIN_STEPS, MAX_HANDSHAKE_RESTARTS,
    RAKP_TRIES_BEFORE_RESTART, LoginParams, Request, first_contact_time,
    login_budget, request_budget, step_budget)
from pyghmi.ipmi.private.client.states import (
    AWAITING_STATES, LOGIN_STATES, Kind, State, classify,
    console_session_id)
from pyghmi.ipmi.private.codec import v15
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.rto import RetransmitTimer
from pyghmi.ipmi.private.secure import crypto
from pyghmi.ipmi.private.secure import randpool

LOG = logging.getLogger(__name__)
# The names callers of the core use, wherever they are defined.
__all__ = ['BUSY_RESENDS', 'ClientCore', 'Kind', 'LOGIN_STEPS',
           'LoginParams', 'LoginState', 'MAX_HANDSHAKE_RESTARTS',
           'RAKP_TRIES_BEFORE_RESTART', 'Request', 'State',
           'classify', 'console_session_id', 'first_contact_time',
           'login_budget', 'request_budget', 'step_budget']


class ClientCore(login.Login, scheduler.Scheduler, payloadhost.PayloadHost):
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

    __slots__ = ()      # the fields are CoreFields'

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
        self.retransmits = 0        # of them, tries after the first
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
        self._step_sent_at = None
        self._step_give_up = 0.0
        self._slot_waits = 0
        self._first_contact_end = 0.0
        # the BMC's round trip, kept across re-logins
        self.rto = RetransmitTimer()
        self._restarts = 0
        self._auth_retried = False
        self._suites_confirmed = False
        self._bmc_answered = False
        self._login_deadline = None
        self._login_budget = 0.0
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
            or self.state in AWAITING_STATES

    @property
    def busy(self):
        """True while requests are queued or in flight."""
        return bool(self._queue) or bool(self._flight)

    def login(self, now):
        """Start logging in (no-op when already logged in or logging in)."""
        if self.state in LOGIN_STATES or self.state == State.ACTIVE:
            return
        self._reset_session()
        self._restarts = 0
        self._slot_waits = 0
        self._auth_retried = False
        # Evidence that the BMC is alive allows restarts of the first
        # step too, and keeps the suite: one worked here before.
        self._bmc_answered = self._hint is not None
        self._login_budget = login_budget(self.params, self._bmc_answered)
        self._login_deadline = now + self._login_budget
        self._first_contact_end = now + first_contact_time(self.params)
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
        elif self.state not in LOGIN_STATES and self.state != State.CLOSING:
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
        if self.state in LOGIN_STATES and now >= self._login_deadline:
            self._login_failed(exc.IpmiTimeoutError(
                'Login to BMC %s did not complete within %g s (%s)' % (
                    self.params.bmc, self._login_budget,
                    self.state.value),
                code=const.CC_NO_RESPONSE, bmc=self.params.bmc))
        elif self.state in LOGIN_STATES and self.state != State.SETPRIV:
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

    def _set_deadline(self, when):
        # A login never waits past its own deadline.
        if self.state in LOGIN_STATES and self._login_deadline is not None:
            when = min(when, self._login_deadline)
        self.deadline = when


_HANDLERS: typing.Dict[typing.Tuple[State, Kind],
                       typing.Callable[..., None]] = {
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
