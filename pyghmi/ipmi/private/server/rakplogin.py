"""The BMC side of the RMCP+ login: Open Session and RAKP 1-4 (IPMI
v2.0 sections 13.17-13.23), a piece of
:class:`~pyghmi.ipmi.private.server.core.ServerCore`.

A session is half-open from Open Session until RAKP 3 checks out, then
active; every login reply is kept with the request it answers, so a
repeated request gets the same reply (a lost reply costs the console a
retransmission, not a new handshake), and authentication failures are
answered at once with the RAKP status (consoles must not wait for a
time-out).  Failed logins count towards the login guard's lockout.
"""

import logging
import typing
from typing import Any, Callable, Dict

from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import rakp
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.secure import crypto
from pyghmi.ipmi.private.secure import packet
from pyghmi.ipmi.private.server.state import (
    Account, Drop, Phase, RakpState, ServerSession, auth_algorithm)

LOG = logging.getLogger(__name__)


class RakpLogin:
    """Mixin of ServerCore: Open Session and RAKP (see the module text).

    Takes of the core: ``config``, ``sessions``, ``rng``, ``dropped``,
    ``guard``, ``_opening``, ``_make_room``, ``_new_sid``,
    ``_repeat_reply``, ``_send`` and ``drop_session``.
    """

    config: Any
    sessions: Dict[int, Any]
    rng: Callable[[int], bytes]
    dropped: typing.Counter[str]
    guard: Any
    _opening: Dict[tuple, int]
    _make_room: Callable[..., bool]
    _new_sid: Callable[[], int]
    _repeat_reply: Callable[..., bool]
    _send: Callable[..., None]
    drop_session: Callable[[int], None]

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

    def _on_open(self, dgram, peer, now):
        if not self.config.ipmi20:
            self.dropped[Drop.RMCP_PLUS_TO_V15] += 1
            return
        req = rakp.decode_open_request(dgram.payload)
        opening = self._opening.get((peer, req.console_sid))
        known = None if opening is None else self.sessions.get(opening)
        if known is not None and self._resend_login_reply(known, dgram,
                                                          peer, now):
            return
        if self.guard.rate_limited(peer, now):
            self.dropped[Drop.RATE_LIMIT] += 1
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
        if sess is None or sess.peer != peer or sess.suite is None:
            # (no suite: an IPMI 1.5 session, which RAKP has no part in)
            self.dropped[Drop.LOGIN_FOR_UNKNOWN] += 1
            return None
        if self._resend_login_reply(sess, dgram, peer, now):
            return None
        if sess.active and not sess.used and \
                dgram.payload_type == const.PAYLOAD_RAKP1:
            # The console never saw RAKP 4 and authenticates again on the
            # same session (ipmitool does): the session goes back to
            # half-open, which is safe as nothing was done in it yet.
            self.dropped[Drop.AUTHENTICATED_AGAIN] += 1
            sess.advance(Phase.OPEN)
            sess.packets, sess.rakp = None, None
        if sess.active and not sess.used and \
                dgram.payload_type == const.PAYLOAD_RAKP3:
            return sess     # RAKP 4 lost, RAKP 3 sent again (new tag)
        if sess.active:
            self.dropped[Drop.LOGIN_FOR_ACTIVE] += 1
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
            alg = auth_algorithm(sess.suite)
            sess.rakp = RakpState(msg.tag, msg.rand, self.rng(16), msg.role)
            sess.advance(Phase.AUTHENTICATING)
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
        if self.guard.locked(msg.user, now):
            self.dropped[Drop.LOCKED_OUT] += 1
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
        if sess is None or sess.phase is Phase.OPEN:
            if sess is not None:
                self.dropped[Drop.RAKP3_BEFORE_RAKP1] += 1
            return
        if msg.status:
            self.drop_session(sess.bmc_sid)     # the console gave up
            self.guard.failed(sess.account.name, now)
            return
        if sess.active:
            self._repeat_rakp4(sess, msg, dgram, peer, now)
            return
        info = sess.rakp
        alg = auth_algorithm(sess.suite)
        user = sess.account.name
        expected = crypto.rakp3_code(
            alg, sess.account.password, info.rand_bmc,
            wire.pack_u32(sess.console_sid), info.role, user)
        if not crypto.codes_equal(expected, msg.code):
            self.drop_session(sess.bmc_sid)
            self.guard.failed(user, now)
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
            sess.advance(Phase.ACTIVE)
            self.guard.succeeded(user)
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
            auth_algorithm(sess.suite), sess.account.password,
            info.rand_bmc, wire.pack_u32(sess.console_sid), info.role,
            sess.account.name)
        if not crypto.codes_equal(expected, msg.code):
            self.dropped[Drop.LOGIN_FOR_ACTIVE] += 1
            return
        self.dropped[Drop.RAKP3_NEW_TAG] += 1
        payload = rakp.encode_rakp4(msg.tag, const.RMCP_OK,
                                    sess.console_sid, sess.rakp4_icv)
        self._login_reply(sess, dgram, const.PAYLOAD_RAKP4, payload, peer,
                          now)
