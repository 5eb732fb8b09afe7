"""Payloads other than IPMI messages in the BMC's sessions (SOL): the
part of :class:`~pyghmi.ipmi.private.server.core.ServerCore` that
routes them, seals what payload handlers write and runs their timers.

Rules of this module:

* a payload *sink* is what ``pyghmi.ipmi.console.ServerConsole``
  attaches to a session: ``receive(payload, now)``, ``tick(now)``,
  ``deadline``, ``outbox`` (payloads to send) and ``lost(reason)``;
* a sink lives as long as its session: when the session is dropped
  (closed, expired, evicted, BMC reset) ``lost`` is called;
* timers are found without scanning every session: only sessions with
  a sink are kept in ``_payload_sessions``; ``on_timer_change`` tells the
  I/O layer that the earliest deadline may have moved.
"""

import threading
import typing
from typing import Any, Callable, Dict

from pyghmi.ipmi.private.secure import packet
from pyghmi.ipmi.private.server.state import Drop


class ServerPayloads:
    """Mixin of ServerCore: payload sinks per session."""

    # what the core provides
    sessions: Dict[int, Any]
    dropped: typing.Counter[str]
    _send: Callable[..., None]

    def _init_payloads(self):
        self._payload_sessions = {}     # bmc sid -> session with sinks
        self.on_timer_change = None     # callable(), from the I/O layer
        # held while the core is used; the I/O layer shares its own
        self.lock = threading.RLock()

    def attach_payload(self, sess, payload_type, sink):
        """Route ``payload_type`` packets of ``sess`` to ``sink``."""
        sess.payloads[payload_type] = sink
        self._payload_sessions[sess.bmc_sid] = sess
        self.flush_payloads(sess)

    def detach_payload(self, sess, payload_type):
        """Stop routing ``payload_type`` of ``sess`` (no-op if none)."""
        sess.payloads.pop(payload_type, None)
        if not sess.payloads:
            self._payload_sessions.pop(sess.bmc_sid, None)

    def flush_payloads(self, sess):
        """Seal and send what the sinks of ``sess`` have written."""
        if sess.bmc_sid not in self.sessions or sess.packets is None:
            return
        for ptype, sink in sess.payloads.items():
            while sink.outbox:
                self._send(sess.packets.seal(sess.console_sid,
                                             sink.outbox.pop(0), ptype),
                           sess.peer)
        if self.on_timer_change is not None:
            self.on_timer_change()

    def payload_deadline(self):
        """The earliest deadline of any sink, or None."""
        times = [sink.deadline for sess in self._payload_sessions.values()
                 for sink in sess.payloads.values()
                 if sink.deadline is not None]
        return min(times) if times else None

    def tick_payloads(self, now):
        """Let every sink whose deadline passed act on it."""
        for sess in list(self._payload_sessions.values()):
            for sink in list(sess.payloads.values()):
                if sink.deadline is not None and now >= sink.deadline:
                    sink.tick(now)
            self.flush_payloads(sess)

    def _lose_payloads(self, sess, reason):
        self._payload_sessions.pop(sess.bmc_sid, None)
        sinks, sess.payloads = sess.payloads, {}
        for sink in sinks.values():
            sink.lost(reason)

    def _on_payload(self, dgram, peer, now):
        sess = self.sessions.get(dgram.session_id)
        if sess is None or not sess.active or sess.peer != peer:
            self.dropped[Drop.UNKNOWN_SESSION] += 1
            return
        sink = sess.payloads.get(dgram.payload_type)
        if sink is None:
            self.dropped[Drop.PAYLOAD_NOT_ACTIVATED] += 1
            return
        try:
            payload = sess.packets.open(dgram)
        except packet.Rejected as err:
            self.dropped[err.reason] += 1
            return
        sess.last_seen = now
        sink.receive(payload, now)
        self.flush_payloads(sess)
