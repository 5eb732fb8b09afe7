"""Payloads other than IPMI messages inside a client session (SOL, OEM
payloads), and keepalive requests registered by callers: the part of
:class:`~pyghmi.ipmi.private.client.core.ClientCore` that serves them.

Rules of this module:

* sans-IO like the core: a payload *sink* is an object with
  ``receive(payload, now)``, ``tick(now)``, ``deadline``, ``outbox`` (a
  list of payloads to send), ``port`` (None: the session's port) and
  ``lost(reason)``; the core seals what the sink leaves in its outbox
  with the session's keys and hands it to the I/O layer;
* a sink lives as long as the session it was attached to: when the
  session ends or is replaced by a new login, ``lost`` is called and the
  sink is detached (a BMC forgets activated payloads with the session);
* received payloads of a type without a sink are dropped and counted.
"""

import itertools

from pyghmi.ipmi.private.client import fields
from pyghmi.ipmi.private.secure import packet


class PayloadHost(fields.CoreFields):
    """Mixin of ClientCore: payload sinks and registered keepalives."""

    __slots__ = ()

    payload_sinks: dict
    keepalives: dict
    _keepalive_ids = itertools.count(1)

    def _init_payloads(self):
        self.payload_sinks = {}      # payload type -> sink
        self.keepalives = {}         # id -> (netfn, cmd, data, callback)

    @property
    def wake_at(self):
        """The earliest deadline of the session and its sinks."""
        if not self.payload_sinks:
            return self.deadline
        times = [sink.deadline for sink in self.payload_sinks.values()
                 if sink.deadline is not None]
        if self.deadline is not None:
            times.append(self.deadline)
        return min(times) if times else None

    def attach_payload(self, payload_type, sink, now=None):
        """Route received payloads of ``payload_type`` to ``sink`` and
        send what it writes, for as long as this session lasts."""
        old = self.payload_sinks.get(payload_type)
        if old is not None and old is not sink:
            old.lost('replaced by another handler')
        self.payload_sinks[payload_type] = sink
        self.flush_payloads()

    def detach_payload(self, payload_type, now=None):
        """Stop routing ``payload_type`` (no-op when not attached)."""
        self.payload_sinks.pop(payload_type, None)

    def flush_payloads(self, now=None):
        """Seal and queue what every sink has written."""
        if not self.payload_sinks or not self.active:
            return
        for ptype, sink in self.payload_sinks.items():
            while sink.outbox:
                data = self._packets.seal(self._bmc_sid, sink.outbox.pop(0),
                                          ptype)
                self.outbox.append(data if sink.port is None
                                   else (data, sink.port))
                self.packets_sent += 1

    def send_raw_payload(self, payload_type, payload, now=None):
        """Seal and send one payload of ``payload_type`` as it is (no
        retransmission: that is the payload protocol's business).

        :returns: False when no session is active to send it in
        """
        if not self.active:
            return False
        self.outbox.append(self._packets.seal(self._bmc_sid, bytes(payload),
                                              payload_type))
        self.packets_sent += 1
        return True

    def register_keepalive(self, netfn, cmd, data, callback):
        """Send this request instead of Get Device ID whenever the idle
        session needs keeping alive; ``callback(request)`` gets each
        finished one.  :returns: an id for :meth:`unregister_keepalive`"""
        regid = next(self._keepalive_ids)
        self.keepalives[regid] = (netfn, cmd, bytes(data), callback)
        return regid

    def unregister_keepalive(self, regid):
        """Forget a registered keepalive (no-op when unknown)."""
        self.keepalives.pop(regid, None)

    # ------------------------------------------------ used by the core
    def _tick_payloads(self, now):
        for sink in list(self.payload_sinks.values()):
            if sink.deadline is not None and now >= sink.deadline:
                sink.tick(now)
        self.flush_payloads()

    def _lose_payloads(self, reason):
        sinks, self.payload_sinks = self.payload_sinks, {}
        for sink in sinks.values():
            sink.lost(reason)

    def _on_payload(self, dgram, now):
        sink = self.payload_sinks.get(dgram.payload_type)
        if sink is None:
            self.dropped['payload type %d without a handler'
                         % dgram.payload_type] += 1
            return
        try:
            payload = self._packets.open(dgram)
        except packet.Rejected as err:
            self.dropped[err.reason] += 1
            return
        self._last_activity = now
        sink.receive(payload, now)
        self.flush_payloads()
