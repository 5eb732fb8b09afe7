"""The login half of the client core: from the first packet to an
active session.

RMCP+ (IPMI v2.0 section 13.15): [Get Channel Authentication
Capabilities, Get Channel Cipher Suites when the suite is not known
yet], Open Session, RAKP 1/2, RAKP 3/4, Set Session Privilege Level;
with a known suite a login costs four round trips.  IPMI 1.5: Get
Session Challenge and Activate Session.  Each step is retransmitted
after waits that follow the BMC's round trip
(:class:`.request.RetransmitTimer`) until its time budget is spent
(:func:`.request.step_budget`), or, while the BMC has not answered
anything yet, until the first-contact time is
(:func:`.request.first_contact_time`); the handshake restarts with a
fresh session id where a lost RAKP message leaves no other way, and
the whole login is bounded by ``login_budget``.  A mixin of
:class:`~pyghmi.ipmi.private.client.core.ClientCore`: it moves the
core's ``state`` through the login states and hands over to the
scheduler (:mod:`.scheduler`) once the session keys are known.
"""

import dataclasses
import logging
import struct
import sys
import typing

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import channel
from pyghmi.ipmi.private.codec import rakp
from pyghmi.ipmi.private.codec import v15
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.secure import crypto
from pyghmi.ipmi.private.secure import packet
from pyghmi.ipmi.private.client import fields
from pyghmi.ipmi.private.client.request import (
    MAX_HANDSHAKE_RESTARTS, RAKP_TRIES_BEFORE_RESTART, Request, step_budget)
from pyghmi.ipmi.private.client.states import State

LOG = logging.getLogger(__name__)
_RAKP_ROLE_NAME_ONLY = 0x10
# Waits before asking a BMC without a free session slot again (seconds)
NO_SLOT_WAIT, NO_SLOT_WAIT_MAX = 1.0, 8.0


# every session keeps one: no per-instance dict where Python allows it
_SLOTS = {'slots': True} if sys.version_info >= (3, 10) else {}


@dataclasses.dataclass(**_SLOTS)
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


class Login(fields.CoreFields):
    """Mixin of ClientCore: the handshake states (see the module text)."""

    __slots__ = ()

    def _login_send(self, state, datagram, now):
        self.state = state
        self._step_packet = datagram
        self._step_attempts = 0
        self._step_sent_at = now
        self._step_give_up = now + step_budget(self.params.timeout,
                                               self.params.retries)
        self.outbox.append(datagram)
        self.packets_sent += 1
        self._set_deadline(now + self.rto.wait(0, self.params.timeout))

    def _step_answered(self, now):
        """An answer to the current step arrived: the BMC is alive, and
        the round trip of a step sent once is a sample (Karn's rule)."""
        self._bmc_answered = True
        if self._step_attempts == 0 and self._step_sent_at is not None:
            self.rto.sample(now - self._step_sent_at)
        self._step_sent_at = None

    def _step_tries_left(self, now):
        """The time the current step may still be tried until: its own
        budget, or first contact while the BMC has not answered yet."""
        until = self._step_give_up
        if not self._bmc_answered:
            until = max(until, self._first_contact_end)
        return until if now < until else None

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
        until = self._step_tries_left(now)
        if until is not None:
            self._step_attempts += 1
            self.outbox.append(self._step_packet)
            self.packets_sent += 1
            self.retransmits += 1
            self._set_deadline(min(until, now + self.rto.wait(
                self._step_attempts, self.params.timeout)))
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

    def _sessionless_response(self, dgram, cmd, now):
        msg = wire.parse_message(dgram.payload)
        if (msg.netfn != const.NETFN_APP + 1 or msg.cmd != cmd
                or msg.seq != self._rqseq or not msg.body):
            raise exc.DecodeError('response does not match the request')
        self._step_answered(now)
        return msg.body[0], msg.body[1:]

    def _on_authcaps(self, dgram, now):
        code, data = self._sessionless_response(
            dgram, const.CMD_GET_CHANNEL_AUTH_CAPABILITIES, now)
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
            dgram, const.CMD_GET_CHANNEL_CIPHER_SUITES, now)
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
            dgram, v15.CMD_GET_SESSION_CHALLENGE, now)
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
            dgram, v15.CMD_ACTIVATE_SESSION, now)
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

    def _check_login_reply(self, reply, now):
        if reply.tag != self._login.tag:
            raise exc.DecodeError('login reply does not match our request')
        if reply.console_sid not in (self.local_sid, None):
            # (None: a short refusal, which carries no session id)
            raise exc.DecodeError('login reply for another session')
        self._step_answered(now)
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
        status = self._check_login_reply(reply, now)
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
        if status == const.RMCP_NO_RESOURCES and self._wait_for_a_slot(now):
            return
        self._login_failed(self._status_error('Open Session', status))

    def _wait_for_a_slot(self, now):
        """The BMC has no free session slot (sessions that lost their
        Close Session hold them until the BMC's time-out): ask again
        after a wait that doubles from 1 s to 8 s, within the login's
        budget; False once the budget would be spent."""
        wait = min(NO_SLOT_WAIT_MAX, NO_SLOT_WAIT * 2 ** self._slot_waits)
        if now + wait >= self._login_deadline:
            return False
        self._slot_waits += 1
        LOG.debug('BMC %s has no free session slot; asking again in %g s',
                  self.params.bmc, wait)
        self._step_attempts = 0
        self._step_sent_at = None           # the next answer is no sample
        self._step_give_up = now + wait + step_budget(self.params.timeout,
                                                      self.params.retries)
        self._set_deadline(now + wait)
        return True

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
        status = self._check_login_reply(reply, now)
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
        status = self._check_login_reply(reply, now)
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
        # the time the answer (or the time-out) was handled
        now = req.finished_at if req.finished_at is not None \
            else self._last_activity
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
