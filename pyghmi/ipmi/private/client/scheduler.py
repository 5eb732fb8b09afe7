"""The in-session half of the client core: requests on an active
session.

Requests wait in a queue and go out within the pipelining window
(:mod:`.window`), each with the next free IPMI sequence number.  A try
that times out is sent again after a wait that follows the BMC's
measured round trip (:class:`.request.RetransmitTimer`), until the
request's time budget (:func:`.request.step_budget`) is spent; the
request then starts a re-login (its session is gone more often than
its answer) and is sent again once.  An idle session is kept alive or
closed.  A mixin of :class:`~pyghmi.ipmi.private.client.core.ClientCore`.
"""

import logging

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.secure import packet
from pyghmi.ipmi.private.client import fields
from pyghmi.ipmi.private.client.request import (
    BUSY_RESENDS, Request, hex_byte, step_budget)
from pyghmi.ipmi.private.client.states import State

LOG = logging.getLogger(__name__)


class Scheduler(fields.CoreFields):
    """Mixin of ClientCore: the request queue, window, retries and
    keepalive (see the module text)."""

    __slots__ = ()

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

    def _next_rqseq(self):
        # never the number of a request still in flight
        while True:
            self._rqseq = (self._rqseq + 1) & 0x3F
            if self._rqseq not in self._flight:
                return self._rqseq

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
                    hex_byte(req.netfn), hex_byte(req.cmd), err),
                bmc=self.params.bmc, netfn=req.netfn, command=req.cmd),
                now=now)
            return
        req.seq = seq
        req.attempts = 0
        req.sent_at = now
        ceiling = req.timeout or self.params.timeout
        retries = self.params.retries if req.retries is None \
            else req.retries
        req.give_up_at = now + (step_budget(ceiling, retries) if req.retry
                                else ceiling)
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
        wait = self.rto.wait(req.attempts, req.timeout or self.params.timeout,
                             slow=self._slow(req))
        req.deadline = min(now + wait, req.give_up_at)
        if self.deadline is None or req.deadline < self.deadline or \
                len(self._flight) == 1:
            self._set_deadline(req.deadline)

    @staticmethod
    def _slow(req):
        return bool(req.bridge) or const.answered_slowly(req.netfn, req.cmd)

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
        if req.attempts == 0 and not self._slow(req):
            # Karn's rule: only an exchange sent once is timed
            self.rto.sample(now - req.sent_at)
        if code == const.CC_NODE_BUSY and was_pipelined and \
                req.busy_tries < BUSY_RESENDS:
            # our own pipelining may have overrun the BMC's queue: send
            # it again later, with a smaller window
            self.window.congested()
            req.busy_tries += 1
            self._queue.appendleft(req)
        else:
            self.window.answered()
            req.finish(code=code, data=bytes(data), now=now)
        self._pump(now)

    def _flight_expired(self, now):
        """Retransmit or give up each request whose try timed out."""
        for req in list(self._flight.values()):
            if req.seq not in self._flight or \
                    self._flight[req.seq] is not req:
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
        if req.retry and now < req.give_up_at:
            req.attempts += 1
            self.retransmits += 1
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
                    code=const.CC_NO_RESPONSE, bmc=self.params.bmc),
                    now=now)
            return False
        if req.retry and not req.relogged:
            # The BMC may have forgotten us (reboot, idle expiry): log in
            # again once, then send the request afresh.
            req.relogged = True
            self._relogin(req, now)
            return False
        error = exc.IpmiTimeoutError(
            'Timeout waiting for a response from BMC %s (netfn 0x%02x '
            'command 0x%02x)' % (self.params.bmc, req.netfn, req.cmd),
            code=const.CC_NO_RESPONSE, bmc=self.params.bmc, netfn=req.netfn,
            command=req.cmd)
        req.finish(error=error, now=now)
        self._pump(now)
        return True

    def _relogin(self, req, now):
        """The event that hands a session back from the scheduler to the
        login: ``req`` got no answer within its tries, so the session is
        given up (its requests wait in the queue, ``req`` first unless it
        is internal) and a new login starts; the login hands back to
        :meth:`_pump` when it is done."""
        LOG.debug('BMC %s: no answer to netfn 0x%02x command 0x%02x, '
                  'logging in again', self.params.bmc, req.netfn, req.cmd)
        self._requeue_flight()
        if not req.internal:
            self._queue.appendleft(req)
        self._close_abandoned()
        self.state = State.IDLE
        self.login(now)

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
