"""The BMC side of IPMI 1.5 sessions, as a mixin of the server core.

Get Session Challenge (22.16) is answered outside a session with a
temporary session id and a random challenge; Activate Session (22.17)
arrives in that session's header with an auth code: a wrong code is
dropped without an answer (as IPMI 1.5 BMCs do), a right one activates
the session at user privilege with the sequence numbers both sides
announced.  In-session packets then go through
:class:`pyghmi.ipmi.private.codec.v15.V15Packets` and the core's usual request
dispatch.  Only offered when ``ServerConfig.ipmi15`` is set.
"""

import struct
import typing
from typing import Any, Callable, Dict

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import v15
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.server.state import Drop, Phase

# Sequence numbers handed out stay in the lower half of the 32-bit
# space, so a session never wraps around to the reserved zero.
_SEQ_MASK = 0x7FFFFFFF


class V15Server:
    """Mixin of :class:`serversession.ServerCore`: IPMI 1.5 logins.

    Expects of the core: ``config`` (``ipmi15``, ``v15_auth_types``,
    ``accounts``), ``sessions``, ``rng``, ``dropped``, ``_make_room``,
    ``_new_sid``, ``guard``,
    ``_send``, ``_on_ipmi`` and ``new_session(sid, peer, now)``.
    """

    config: Any
    sessions: Dict[int, Any]
    rng: Callable[[int], bytes]
    dropped: typing.Counter[str]
    guard: Any
    _make_room: Callable[..., Any]
    _new_sid: Callable[..., int]
    _send: Callable[..., None]
    _on_ipmi: Callable[..., None]
    new_session: Callable[..., Any]

    def v15_challenge(self, msg, peer, now):
        """Completion code + data answering Get Session Challenge."""
        try:
            req = v15.CHALLENGE_REQUEST.decode(msg.body)
        except exc.DecodeError:
            return bytes((const.CC_DATA_LENGTH_INVALID,))
        if req['authtype'] not in self.config.v15_auth_types:
            return bytes((const.CC_INVALID_DATA_FIELD,))
        user = bytes(req['user']).rstrip(b'\x00')
        account = self.config.accounts.get(user)
        if account is None and not self.config.hide_unknown_users:
            return bytes((0x81,))                   # invalid user name
        self._make_room(now)
        sid = self._new_sid()
        sess = self.new_session(sid, peer, now)
        sess.account = account
        sess.v15 = (req['authtype'], self.rng(v15.CHALLENGE_SIZE), user)
        self.sessions[sid] = sess
        return bytes((const.CC_OK,)) + v15.CHALLENGE_RESPONSE.encode(
            temp_sid=sid, challenge=sess.v15[1])

    def _on_ipmi15(self, dgram, peer, now):
        sess = self.sessions.get(dgram.session_id)
        if sess is not None and sess.phase is Phase.CHALLENGED and \
                sess.peer == peer:
            self._activate15(sess, dgram, peer, now)
        else:
            self._on_ipmi(dgram, peer, now)

    def _activate15(self, sess, dgram, peer, now):
        authtype, challenge, user = sess.v15
        account = sess.account
        if self.guard.locked(user, now):
            self.dropped[Drop.LOCKED_OUT] += 1
            return
        password = _password(account)
        if account is None or password is None or \
                dgram.authtype != authtype or \
                not v15.verify(dgram, password):
            # wrong user or password: silence, as IPMI 1.5 BMCs answer
            self.dropped[Drop.WRONG_AUTH_CODE] += 1
            self.guard.failed(user, now)
            return
        msg = wire.parse_message(dgram.payload)
        if (msg.netfn, msg.cmd) != (const.NETFN_APP,
                                    v15.CMD_ACTIVATE_SESSION):
            self.dropped[Drop.BEFORE_ACTIVATE] += 1
            return
        code, data = self._activation(sess, msg, authtype, challenge,
                                      password, now)
        reply = wire.encode_response(msg, bytes((code,)) + data)
        self._send(v15.seal(authtype, password, sess.bmc_sid, 0, reply),
                   peer)

    def _activation(self, sess, msg, authtype, challenge, password, now):
        try:
            req = v15.ACTIVATE_REQUEST.decode(msg.body)
        except exc.DecodeError:
            return const.CC_DATA_LENGTH_INVALID, b''
        if req['authtype'] != authtype or \
                bytes(req['challenge']) != challenge:
            return const.CC_INVALID_DATA_FIELD, b''
        priv = req['privilege']
        if not const.PRIV_CALLBACK <= priv <= const.PRIV_OEM:
            return const.CC_INVALID_DATA_FIELD, b''
        if priv > sess.account.privilege:
            return 0x86, b''            # exceeds the user's limit
        inbound = (struct.unpack('<I', self.rng(4))[0] & _SEQ_MASK) or 1
        sess.packets = v15.V15Packets(authtype, password, sess.bmc_sid,
                                      req['outbound_seq'] or 1)
        sess.max_privilege = priv
        sess.privilege = min(const.PRIV_USER, priv)
        sess.advance(Phase.ACTIVE)
        sess.v15 = None
        sess.last_seen = now
        self.guard.succeeded(sess.account.name)
        return const.CC_OK, v15.ACTIVATE_RESPONSE.encode(
            authtype=authtype, sid=sess.bmc_sid, inbound_seq=inbound,
            privilege=priv)


def _password(account):
    """An account's password padded for IPMI 1.5, or None when it is too
    long for IPMI 1.5 (such users log in with RMCP+ only)."""
    if account is None:
        return None
    try:
        return v15.pad(account.password)
    except exc.DecodeError:
        return None
