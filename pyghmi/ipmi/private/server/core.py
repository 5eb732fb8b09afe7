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
import logging
import struct
import typing

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import channel
from pyghmi.ipmi.private.codec import v15
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.secure import packet
from pyghmi.ipmi.private.secure import randpool
from pyghmi.ipmi.private.server import guard
from pyghmi.ipmi.private.server import payloads as serverpayloads
from pyghmi.ipmi.private.server import rakplogin
from pyghmi.ipmi.private.server import replycache
from pyghmi.ipmi.private.server.state import (
    HALF_OPEN_TIMEOUT, NETWORK_DUPLICATE_WINDOW, SERVER_SUITES, Account,
    Drop, Kind, Phase, RakpState, Responder, ServerConfig, ServerSession,
    classify)
from pyghmi.ipmi.private.server.v15 import V15Server

LOG = logging.getLogger(__name__)
# Names the engine's callers take from here, wherever they are defined.
__all__ = ['Account', 'Drop', 'HALF_OPEN_TIMEOUT', 'Kind',
           'NETWORK_DUPLICATE_WINDOW', 'RakpState', 'Responder',
           'SERVER_SUITES', 'ServerConfig', 'ServerCore', 'ServerSession']


class ServerCore(rakplogin.RakpLogin, V15Server,
                 serverpayloads.ServerPayloads):
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
        self.guard = guard.LoginGuard(config)
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
            handler = _HANDLERS.get(classify(dgram))
            if handler is None:
                self.dropped[Drop.UNSUPPORTED_PAYLOAD] += 1
                return
            handler(self, dgram, peer, now)
        except packet.Rejected as err:
            self.dropped[err.reason] += 1
        except exc.DecodeError as err:
            self.dropped[Drop.UNDECODABLE] += 1
            LOG.debug('undecodable datagram from %s: %s', peer, err)

    def _on_asf(self, data, peer):
        mtype, tag = wire.decode_asf(data)
        if mtype == wire.ASF_PING:
            self._send(wire.encode_asf_pong(tag), peer)

    # ---------------------------------------------------- sessionless
    def _on_sessionless(self, dgram, peer, now):
        msg = wire.parse_message(dgram.payload)
        body = self._sessionless_body(msg, peer, now)
        if body is None:
            self.dropped[Drop.SESSIONLESS_NOT_ALLOWED] += 1
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
                             now, phase=Phase.CHALLENGED)

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
        self.dropped[Drop.HALF_OPEN_EVICTED if pending
                     else Drop.IDLE_EVICTED] += 1
        return True

    def _repeat_reply(self, answered_at, now):
        """True when a repeated request should get the cached reply again:
        a repeat sooner than the window after the last answer is a network
        copy (of the request or of a retransmission), and is dropped."""
        if now - answered_at < NETWORK_DUPLICATE_WINDOW:
            self.dropped[Drop.NETWORK_DUPLICATE] += 1
            return False
        self.dropped[Drop.ANSWERED_AGAIN] += 1
        return True

    # ------------------------------------------------------- in session
    def _on_ipmi(self, dgram, peer, now):
        sess = self.sessions.get(dgram.session_id)
        if sess is None or not sess.active or sess.peer != peer:
            self.dropped[Drop.UNKNOWN_SESSION] += 1
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
        if sess.phase is Phase.ACTIVE:
            sess.advance(Phase.IN_USE)
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
            self.dropped[Drop.IN_PROGRESS] += 1
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


_SESSION_COMMANDS = {
    const.CMD_SET_SESSION_PRIVILEGE: ServerCore._set_privilege,
    const.CMD_CLOSE_SESSION: ServerCore._close,
    const.CMD_GET_CHANNEL_AUTH_CAPABILITIES:
        ServerCore._in_session_sessionless,
    const.CMD_GET_CHANNEL_CIPHER_SUITES: ServerCore._in_session_sessionless,
}

# What the core does with each kind of datagram (classify); other kinds
# are dropped as an unsupported payload.
_HANDLERS: typing.Dict[Kind, typing.Callable[..., None]] = {
    Kind.SESSIONLESS: ServerCore._on_sessionless,
    Kind.IPMI: ServerCore._on_ipmi,
    Kind.IPMI15: ServerCore._on_ipmi15,
    Kind.OPEN: ServerCore._on_open,
    Kind.RAKP1: ServerCore._on_rakp1,
    Kind.RAKP3: ServerCore._on_rakp3,
    Kind.PAYLOAD: ServerCore._on_payload,
}
