"""The BMC side of RMCP+: sessions, RAKP and in-session requests, sans I/O.

Rules of this module:

* :class:`ServerCore` owns one BMC's session table; like the client core
  it is fed datagrams and the time (:meth:`ServerCore.receive` with
  ``now``) and leaves what to send in ``outbox`` as ``(datagram, peer)``
  pairs; ``on_output`` (if set) is called when a reply is queued, for
  handlers that answer later than the ``receive`` call; tests drive it in
  memory and ``bmc.py`` drives it from the shared I/O loop;
* it uses the same codecs (``wire``, ``rakp``, ``channel``, ``packet``)
  and cipher-suite table (``crypto``) as the client, so both ends agree
  by construction;
* any malformed, truncated, oversized, forged or replayed datagram is
  dropped and counted in ``dropped``; nothing a peer sends can raise out
  of :meth:`receive`;
* authentication errors are answered at once with the RAKP status code
  (clients must not wait for a time-out);
* the per-command privilege check uses ``constants.COMMAND_PRIVILEGES``.
"""

import collections
import dataclasses
import logging
import struct
import typing

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private import lru
from pyghmi.ipmi.private.codec import channel
from pyghmi.ipmi.private.codec import rakp
from pyghmi.ipmi.private.codec import v15
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.secure import crypto
from pyghmi.ipmi.private.secure import packet
from pyghmi.ipmi.private.secure import randpool
from pyghmi.ipmi.private.server import payloads as serverpayloads
from pyghmi.ipmi.private.server import replycache
from pyghmi.ipmi.private.server.v15 import V15Server

LOG = logging.getLogger(__name__)

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


class ServerSession:
    """One session of a remote console with this BMC."""

    def __init__(self, bmc_sid, console_sid, peer, suite, max_priv, now):
        self.bmc_sid = bmc_sid
        self.console_sid = console_sid
        self.peer = peer
        self.suite = suite
        self.requested_priv = max_priv
        self.account = None
        self.active = False
        self.privilege = const.PRIV_USER
        self.max_privilege = const.PRIV_CALLBACK
        self.packets = None        # packet.SessionPackets once active
        self.rakp = None           # RakpState between RAKP 1 and 3
        self.used = False          # an in-session packet was accepted
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
        return 'ServerSession(sid=0x%08x, peer=%r, active=%r)' % (
            self.bmc_sid, self.peer, self.active)

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


class ServerCore(V15Server, serverpayloads.ServerPayloads):
    """The protocol engine of one BMC.

    :param config: a :class:`ServerConfig`
    :param app: ``app(request, responder)`` handles in-session requests;
        ``request`` is ``{'netfn', 'command', 'data'}``
    :param rng: source of random bytes (session ids, RAKP numbers, IVs)
    :param supports: ``supports(netfn, cmd)`` tells whether ``app``
        implements a command missing from the privilege table (so that
        unimplemented ones answer 0xC1 rather than 0xD4); default: yes
    """

    def __init__(self, config, app, rng=randpool.urandom,
                 supports=None):
        self.config = config
        self.app = app
        self.supports = supports or (lambda netfn, cmd: True)
        self.rng = rng
        self.sessions = {}
        self._opening = {}        # (peer, console sid) -> BMC session id
        self._buckets = lru.LRU(4096)     # source address -> (tokens, t)
        self._failures = {}       # user name -> (failures in a row, t)
        self.outbox: typing.Deque[tuple] = collections.deque()
        self.on_output = None
        self.dropped: typing.Counter[str] = collections.Counter()
        # requests whose handler raised (answered 0xFF), by exception
        # type: a bug to look into, never a drop
        self.handler_failures: typing.Counter[str] = collections.Counter()
        self.requests = 0
        self._init_payloads()

    def __repr__(self):
        return 'ServerCore(sessions=%d)' % len(self.sessions)

    def drop_session(self, sid):
        """Forget session ``sid`` (no-op when unknown)."""
        sess = self.sessions.pop(sid, None)
        if sess is not None:
            key = (sess.peer, sess.console_sid)
            if self._opening.get(key) == sid:
                del self._opening[key]
            if sess.payloads:
                self._lose_payloads(sess, 'session closed')

    def drop_all_sessions(self):
        """Forget every session (a BMC reset)."""
        for sess in list(self._payload_sessions.values()):
            self._lose_payloads(sess, 'BMC reset')
        self.sessions.clear()
        self._opening.clear()

    def _send(self, datagram, peer):
        self.outbox.append((datagram, peer))
        if self.on_output is not None:
            self.on_output()

    # ------------------------------------------------------------ ingress
    def receive(self, data, peer, now):
        """Handle one datagram from ``peer`` at time ``now`` (monotonic
        seconds); never raises for bad input."""
        try:
            if wire.is_asf(data):
                self._on_asf(data, peer)
                return
            dgram = wire.parse_datagram(data)
            handler = _HANDLERS.get(self._kind(dgram))
            if handler is None:
                self.dropped['unsupported payload'] += 1
                return
            handler(self, dgram, peer, now)
        except packet.Rejected as err:
            self.dropped[err.reason] += 1
        except exc.DecodeError as err:
            self.dropped['undecodable: %s' % err] += 1

    @staticmethod
    def _kind(dgram):
        if not dgram.v2:
            return 'sessionless' if dgram.session_id == 0 else 'ipmi15'
        if dgram.payload_type == const.PAYLOAD_IPMI:
            return 'ipmi' if dgram.session_id else 'sessionless'
        return dgram.payload_type

    def _on_asf(self, data, peer):
        mtype, tag = wire.decode_asf(data)
        if mtype == wire.ASF_PING:
            self._send(wire.encode_asf_pong(tag), peer)

    # ---------------------------------------------------- sessionless
    def _on_sessionless(self, dgram, peer, now):
        msg = wire.parse_message(dgram.payload)
        body = self._sessionless_body(msg, peer, now)
        if body is None:
            self.dropped['sessionless command not allowed'] += 1
            return
        reply = wire.encode_response(msg, body)
        if dgram.v2:
            self._send(wire.encode_v2(const.PAYLOAD_IPMI, 0, 0, reply), peer)
        else:
            self._send(wire.encode_v15(reply), peer)

    def _sessionless_body(self, msg, peer=None, now=0.0):
        """Completion code + data for a command allowed outside a
        session, or None for any other command."""
        if msg.netfn != const.NETFN_APP:
            return None
        if msg.cmd == const.CMD_GET_CHANNEL_AUTH_CAPABILITIES:
            return self.auth_capabilities(msg.body)
        if msg.cmd == const.CMD_GET_CHANNEL_CIPHER_SUITES:
            if not self.config.ipmi20:
                return bytes((const.CC_INVALID_COMMAND,))
            return self.cipher_suites(msg.body)
        if msg.cmd == v15.CMD_GET_SESSION_CHALLENGE and \
                self.config.ipmi15 and peer is not None:
            return self.v15_challenge(msg, peer, now)
        return None

    def new_session(self, sid, peer, now):
        """A half-open IPMI 1.5 session (one id for both directions)."""
        return ServerSession(sid, sid, peer, None, const.PRIV_ADMINISTRATOR,
                             now)

    def auth_capabilities(self, body):
        """Get Channel Authentication Capabilities response (22.13)."""
        try:
            channel.AUTH_CAPS_REQUEST.check(body)
        except exc.DecodeError:
            return bytes((const.CC_DATA_LENGTH_INVALID,))
        config = self.config
        return bytes((const.CC_OK,)) + channel.encode_auth_caps(
            config.channel, config.kg, auth_types=sum(
                1 << t for t in config.v15_auth_types),
            ipmi15=config.ipmi15, ipmi20=config.ipmi20)

    def cipher_suites(self, body):
        """Get Channel Cipher Suites response (22.15)."""
        try:
            req = channel.CIPHER_SUITES_REQUEST.decode(body)
        except exc.DecodeError:
            return bytes((const.CC_DATA_LENGTH_INVALID,))
        records = b''
        if req['payload_type'] == const.PAYLOAD_IPMI:
            records = channel.encode_suite_records(self.config.suites)
        return bytes((const.CC_OK,)) + channel.encode_cipher_suites_page(
            self.config.channel, records, req['index'])

    # ----------------------------------------------------------- login
    def _new_sid(self):
        while True:
            sid = struct.unpack('<I', self.rng(4))[0]
            if sid and sid not in self.sessions:
                return sid

    def _prune(self, now):
        limit = self.config.idle_timeout
        for sid, sess in list(self.sessions.items()):
            if now - sess.last_seen > (limit if sess.active
                                       else HALF_OPEN_TIMEOUT):
                self.drop_session(sid)

    def _make_room(self, now):
        """Free a table slot if needed.

        Expired sessions go first, then the oldest half-open one, so a
        flood of Open Session requests (which needs no password) cannot
        lock real users out; when every slot holds an authenticated
        session, the one idle longest goes (consoles that lost their
        Close Session on the way leave such sessions behind).
        """
        if len(self.sessions) < self.config.session_limit:
            return True
        self._prune(now)
        if len(self.sessions) < self.config.session_limit:
            return True
        pending = [s for s in self.sessions.values() if not s.active]
        victims = pending or list(self.sessions.values())
        oldest = min(victims, key=lambda s: s.last_seen)
        self.drop_session(oldest.bmc_sid)
        self.dropped['%s session evicted' % (
            'half-open' if pending else 'idle')] += 1
        return True

    def _repeat_reply(self, answered_at, now):
        """True when a repeated request should get the cached reply again:
        a repeat sooner than the window after the last answer is a network
        copy (of the request or of a retransmission), and is dropped."""
        if now - answered_at < NETWORK_DUPLICATE_WINDOW:
            self.dropped['network duplicate of a request'] += 1
            return False
        self.dropped['repeated request answered again'] += 1
        return True

    def _resend_login_reply(self, sess, dgram, peer, now):
        """Handle a repeated login request from the cached reply."""
        cached = sess.login_replies.get(dgram.payload_type)
        if cached is None or cached[0] != bytes(dgram.payload):
            return False
        if self._repeat_reply(cached[2], now):
            sess.login_replies[dgram.payload_type] = cached[:2] + (now,)
            self._send(cached[1], peer)
        return True

    def _login_reply(self, sess, dgram, reply_type, payload, peer, now):
        datagram = wire.encode_v2(reply_type, 0, 0, payload)
        if sess is not None:
            sess.login_replies[dgram.payload_type] = (
                bytes(dgram.payload), datagram, now)
        self._send(datagram, peer)

    def _rate_limited(self, peer, now):
        """True when ``peer``'s address exceeds the login rate (token
        bucket of ``login_rate`` per second, burst ``login_rate``)."""
        rate = self.config.login_rate
        if not rate:
            return False
        tokens, last = self._buckets.get(peer[0], (rate, now))
        tokens = min(rate, tokens + (now - last) * rate)
        if tokens < 1:
            self._buckets.put(peer[0], (tokens, now))
            self.dropped['login rate limit'] += 1
            return True
        self._buckets.put(peer[0], (tokens - 1, now))
        return False

    def _locked(self, user, now):
        count, since = self._failures.get(user, (0, now))
        threshold = self.config.lockout_threshold
        if threshold and count >= threshold:
            if now - since < self.config.lockout_seconds:
                return True
            del self._failures[user]
        return False

    def _count_failure(self, user, now):
        if self.config.lockout_threshold:
            count, _ = self._failures.get(user, (0, now))
            self._failures[user] = (count + 1, now)
            if len(self._failures) > 4096:        # bounded
                self._failures.pop(next(iter(self._failures)))

    def _on_open(self, dgram, peer, now):
        if not self.config.ipmi20:
            self.dropped['RMCP+ login to an IPMI 1.5 BMC'] += 1
            return
        req = rakp.decode_open_request(dgram.payload)
        opening = self._opening.get((peer, req.console_sid))
        known = None if opening is None else self.sessions.get(opening)
        if known is not None and self._resend_login_reply(known, dgram,
                                                          peer, now):
            return
        if self._rate_limited(peer, now):
            return
        status, suite = self._choose_suite(req)
        if not status and not self._make_room(now):
            status = const.RMCP_NO_RESOURCES
        if req.priv > const.PRIV_OEM:
            status = status or const.RMCP_INVALID_ROLE
        priv = req.priv or const.PRIV_ADMINISTRATOR
        sess = None
        if status:
            payload = rakp.encode_open_response(req.tag, status, 0,
                                                req.console_sid)
        else:
            sid = self._new_sid()
            sess = ServerSession(sid, req.console_sid, peer, suite, priv,
                                 now)
            self.sessions[sid] = sess
            self._opening[(peer, req.console_sid)] = sid
            payload = rakp.encode_open_response(
                req.tag, const.RMCP_OK, priv, req.console_sid, sid,
                req.auth, req.integrity, req.conf)
        self._login_reply(sess, dgram, const.PAYLOAD_OPEN_SESSION_RESPONSE,
                          payload, peer, now)

    def _choose_suite(self, req):
        offered = [crypto.suite_algorithms(s) for s in self.config.suites]
        if req.auth not in {a for a, _, _ in offered}:
            return const.RMCP_INVALID_AUTH_ALGORITHM, None
        if req.integrity not in {i for _, i, _ in offered}:
            return const.RMCP_INVALID_INTEGRITY_ALGORITHM, None
        if req.conf not in {c for _, _, c in offered}:
            return const.RMCP_INVALID_CONF_ALGORITHM, None
        suite = crypto.suite_for_algorithms(req.auth, req.integrity,
                                            req.conf)
        if suite not in self.config.suites:
            return const.RMCP_NO_CIPHER_SUITE_MATCH, None
        return const.RMCP_OK, suite

    def _login_session(self, sid, dgram, peer, now):
        """The session a RAKP message is for, or None when it was handled
        (a duplicate answered again) or must be dropped."""
        sess = self.sessions.get(sid)
        if sess is None or sess.peer != peer:
            self.dropped['login message for an unknown session'] += 1
            return None
        if self._resend_login_reply(sess, dgram, peer, now):
            return None
        if sess.active and not sess.used and \
                dgram.payload_type == const.PAYLOAD_RAKP1:
            # The console never saw RAKP 4 and authenticates again on the
            # same session (ipmitool does): the session goes back to
            # half-open, which is safe as nothing was done in it yet.
            self.dropped['unused session authenticated again'] += 1
            sess.active, sess.packets, sess.rakp = False, None, None
        if sess.active and not sess.used and \
                dgram.payload_type == const.PAYLOAD_RAKP3:
            return sess     # RAKP 4 lost, RAKP 3 sent again (new tag)
        if sess.active:
            self.dropped['login message for an active session'] += 1
            return None
        return sess

    def _on_rakp1(self, dgram, peer, now):
        msg = rakp.decode_rakp1(dgram.payload)
        sess = self._login_session(msg.bmc_sid, dgram, peer, now)
        if sess is None:
            return
        sess.last_seen = now
        status = self._check_rakp1(sess, msg, now)
        if status:
            self.drop_session(sess.bmc_sid)
            payload = rakp.encode_rakp2(msg.tag, status, sess.console_sid)
        else:
            alg = _auth_algorithm(sess.suite)
            sess.rakp = RakpState(msg.tag, msg.rand, self.rng(16), msg.role)
            code = crypto.rakp2_code(
                alg, sess.account.password, wire.pack_u32(sess.console_sid),
                wire.pack_u32(sess.bmc_sid), msg.rand, sess.rakp.rand_bmc,
                self.config.guid, msg.role, msg.user)
            payload = rakp.encode_rakp2(msg.tag, const.RMCP_OK,
                                        sess.console_sid, sess.rakp.rand_bmc,
                                        self.config.guid, code)
        self._login_reply(sess, dgram, const.PAYLOAD_RAKP2, payload, peer,
                          now)

    def _check_rakp1(self, sess, msg, now):
        if len(msg.user) > 16:
            return const.RMCP_INVALID_NAME_LENGTH
        if self._locked(msg.user, now):
            self.dropped['login of a locked-out user'] += 1
            return const.RMCP_UNAUTHORIZED_NAME
        account = self.config.accounts.get(msg.user)
        if account is None and self.config.hide_unknown_users:
            account = Account(msg.user, self.rng(20),
                              const.PRIV_ADMINISTRATOR)
        if account is None:
            return const.RMCP_UNAUTHORIZED_NAME
        role = msg.role & 0x0F
        if role == 0 or role > const.PRIV_OEM:
            return const.RMCP_INVALID_ROLE
        if role > min(account.privilege,
                      self.config.suite_privileges.get(sess.suite,
                                                       const.PRIV_OEM)):
            # above the user's limit, or above what the cipher suite
            # allows (LAN parameter 24)
            return const.RMCP_UNAUTHORIZED_ROLE
        sess.account = account
        sess.max_privilege = min(role, account.privilege)
        sess.privilege = min(const.PRIV_USER, sess.max_privilege)
        return const.RMCP_OK

    def _on_rakp3(self, dgram, peer, now):
        msg = rakp.decode_rakp3(dgram.payload)
        sess = self._login_session(msg.bmc_sid, dgram, peer, now)
        if sess is None or sess.rakp is None:
            if sess is not None:
                self.dropped['RAKP 3 before RAKP 1'] += 1
            return
        if msg.status:
            self.drop_session(sess.bmc_sid)     # the console gave up
            self._count_failure(sess.account.name, now)
            return
        if sess.active:
            self._repeat_rakp4(sess, msg, dgram, peer, now)
            return
        info = sess.rakp
        alg = _auth_algorithm(sess.suite)
        user = sess.account.name
        expected = crypto.rakp3_code(
            alg, sess.account.password, info.rand_bmc,
            wire.pack_u32(sess.console_sid), info.role, user)
        if not crypto.codes_equal(expected, msg.code):
            self.drop_session(sess.bmc_sid)
            self._count_failure(user, now)
            payload = rakp.encode_rakp4(msg.tag,
                                        const.RMCP_INVALID_INTEGRITY_VALUE,
                                        sess.console_sid)
        else:
            sik = crypto.session_integrity_key(
                alg, self.config.kg or sess.account.password,
                info.rand_console, info.rand_bmc, info.role, user)
            icv = crypto.rakp4_icv(alg, sik, info.rand_console,
                                   wire.pack_u32(sess.bmc_sid),
                                   self.config.guid)
            sess.packets = packet.SessionPackets(
                crypto.SessionKeys(sess.suite, sik), self.rng)
            sess.active = True
            self._failures.pop(user, None)
            sess.rakp4_icv = icv       # the RAKP state stays until used
            LOG.debug('session 0x%08x of user %r from %s active (suite %d)',
                      sess.bmc_sid, sess.username, peer, sess.suite)
            sess.last_seen = now
            payload = rakp.encode_rakp4(msg.tag, const.RMCP_OK,
                                        sess.console_sid, icv)
        self._login_reply(sess, dgram, const.PAYLOAD_RAKP4, payload, peer,
                          now)

    def _repeat_rakp4(self, sess, msg, dgram, peer, now):
        """RAKP 3 again, with another tag, for a session RAKP 3 already
        activated but the console never used: its RAKP 4 was lost.  The
        same code gets the same RAKP 4 (keys unchanged), under the new
        tag; anything else is dropped."""
        info = sess.rakp
        expected = crypto.rakp3_code(
            _auth_algorithm(sess.suite), sess.account.password,
            info.rand_bmc, wire.pack_u32(sess.console_sid), info.role,
            sess.account.name)
        if not crypto.codes_equal(expected, msg.code):
            self.dropped['login message for an active session'] += 1
            return
        self.dropped['RAKP 3 repeated with a new tag'] += 1
        payload = rakp.encode_rakp4(msg.tag, const.RMCP_OK,
                                    sess.console_sid, sess.rakp4_icv)
        self._login_reply(sess, dgram, const.PAYLOAD_RAKP4, payload, peer,
                          now)

    # ------------------------------------------------------- in session
    def _on_ipmi(self, dgram, peer, now):
        sess = self.sessions.get(dgram.session_id)
        if sess is None or not sess.active or sess.peer != peer:
            self.dropped['packet for an unknown session'] += 1
            return
        try:
            msg = wire.parse_message(sess.packets.open(dgram))
        except packet.Rejected as err:
            if sess.last_datagram is not None and \
                    sess.last_datagram[:2] == (dgram.seq,
                                               bytes(dgram.payload)):
                # The very same datagram again (a console that resends a
                # packet unchanged, or a network copy): the cached reply.
                self._repeat_cached(sess, sess.last_datagram[2], now)
                return
            raise err
        key = (msg.seq, msg.netfn, msg.cmd, bytes(msg.body))
        sess.last_datagram = (dgram.seq, bytes(dgram.payload), key)
        sess.last_seen = now
        sess.used = True
        sess.rakp = None
        if sess.replies.lookup(key) is not None:
            self._repeat_cached(sess, key, now)
            return
        sess.replies.started(key, now)
        self.requests += 1
        self._dispatch(sess, msg)

    def _repeat_cached(self, sess, key, now):
        cached = sess.replies.lookup(key)
        if cached is None:
            return
        reply, at = cached
        if reply is replycache.PENDING:
            # its handler has not answered yet: the answer will come
            self.dropped['repeat of a request in progress'] += 1
        elif self._repeat_reply(at, now):
            sess.replies.resent(key, now)
            self._send_in_session(sess, reply)

    def _dispatch(self, sess, msg):
        responder = Responder(self, sess, msg)
        netfn, cmd = msg.netfn, msg.cmd
        if netfn == const.NETFN_APP and cmd in _SESSION_COMMANDS:
            _SESSION_COMMANDS[cmd](self, sess, msg, responder)
            return
        needed = const.COMMAND_PRIVILEGES.get((netfn, cmd))
        if needed is None:
            if not self.supports(netfn, cmd):
                responder.send_ipmi_response(code=const.CC_INVALID_COMMAND)
                return
            needed = const.PRIV_ADMINISTRATOR   # unlisted: OEM and such
        if sess.privilege < needed:
            responder.send_ipmi_response(
                code=const.CC_INSUFFICIENT_PRIVILEGE)
            return
        request = {'netfn': netfn, 'command': cmd, 'data': msg.body}
        try:
            self.app(request, responder)
        except Exception as err:  # noqa: BLE001 - a bug must answer 0xFF
            LOG.exception('BMC request handler failed')
            self.handler_failures[type(err).__name__] += 1
            responder.send_ipmi_response(code=const.CC_UNSPECIFIED)

    def respond(self, sess, msg, body):
        """Encode and send a response to ``msg`` in ``sess``."""
        reply = wire.encode_response(msg, body)
        sess.replies.answered((msg.seq, msg.netfn, msg.cmd, bytes(msg.body)),
                              reply)
        self._send_in_session(sess, reply)

    def _send_in_session(self, sess, reply):
        if sess.bmc_sid not in self.sessions:
            return      # closed meanwhile (Close Session answers first)
        self._send(sess.packets.seal(sess.console_sid, reply), sess.peer)

    def _set_privilege(self, sess, msg, responder):
        if not msg.body:
            responder.send_ipmi_response(code=const.CC_DATA_LENGTH_INVALID)
            return
        level = msg.body[0] & 0x0F
        if level == 0:
            responder.send_ipmi_response(data=(sess.privilege,))
        elif level > const.PRIV_OEM:
            responder.send_ipmi_response(code=const.CC_INVALID_DATA_FIELD)
        elif level > sess.max_privilege:
            responder.send_ipmi_response(
                code=const.CC_PRIV_EXCEEDS_LIMIT
                if level > sess.account.privilege
                else const.CC_PRIV_NOT_AVAILABLE)
        else:
            sess.privilege = level
            responder.send_ipmi_response(data=(level,))

    def _close(self, sess, msg, responder):
        if len(msg.body) < 4:
            responder.send_ipmi_response(code=const.CC_DATA_LENGTH_INVALID)
            return
        sid = struct.unpack_from('<I', msg.body)[0]
        target = self.sessions.get(sid)
        if target is None or (target is not sess and
                              sess.privilege < const.PRIV_ADMINISTRATOR):
            responder.send_ipmi_response(code=const.CC_INVALID_SESSION_ID)
            return
        responder.send_ipmi_response()
        self.drop_session(sid)

    def _in_session_sessionless(self, sess, msg, responder):
        body = self._sessionless_body(msg)
        responder.send_ipmi_response(data=body[1:], code=body[0])


def _auth_algorithm(suite):
    return crypto.AUTH_ALGORITHMS[crypto.suite_algorithms(suite)[0]]


_SESSION_COMMANDS = {
    const.CMD_SET_SESSION_PRIVILEGE: ServerCore._set_privilege,
    const.CMD_CLOSE_SESSION: ServerCore._close,
    const.CMD_GET_CHANNEL_AUTH_CAPABILITIES:
        ServerCore._in_session_sessionless,
    const.CMD_GET_CHANNEL_CIPHER_SUITES: ServerCore._in_session_sessionless,
}

_HANDLERS = {
    'sessionless': ServerCore._on_sessionless,
    'ipmi': ServerCore._on_ipmi,
    'ipmi15': ServerCore._on_ipmi15,
    const.PAYLOAD_OPEN_SESSION_REQUEST: ServerCore._on_open,
    const.PAYLOAD_RAKP1: ServerCore._on_rakp1,
    const.PAYLOAD_RAKP3: ServerCore._on_rakp3,
    const.PAYLOAD_SOL: ServerCore._on_payload,
}
