"""Serial over LAN (IPMI v2.0 section 15): the payload codec, the
payload commands (section 24) and the SOL transfer as a sans-IO machine.

Rules of this module:

* no sockets, no clock, no threads: a :class:`SolStream` is fed received
  SOL payloads and the time, and leaves payloads to send in ``outbox``
  and its next deadline in ``deadline``; the client session core and the
  BMC session core seal and send them (payload type 1) in their session;
* the same stream serves both ends: the console (``Console``) and the
  BMC (``ServerConsole``); only the meaning of the control byte differs
  (operation bits towards the BMC, status bits towards the console);
* every byte written is delivered once and in order: a packet is
  retransmitted unchanged (same SOL sequence number) until acknowledged,
  a partial acknowledgement resends only the unaccepted tail in a new
  packet, and a received duplicate is acknowledged again but never
  delivered twice;
* retransmission is bounded: after ``retries`` unanswered tries the
  stream fails (``failed`` says why); a peer that answers "not now"
  (NACK) is asked again at a slow pace without using up the tries;
* the wait before a retransmission adapts to the peer with the
  sessions' estimator (:class:`pyghmi.ipmi.private.rto.RetransmitTimer`):
  it starts at ``retry_interval`` and follows the measured
  acknowledgement time, doubling with each try of a packet up to
  ``MAX_INTERVAL``; only packets sent once are measured (an
  acknowledgement of a resent one is ambiguous).
"""

from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.codec.layout import B, F, Layout, Raw, U
from pyghmi.ipmi.private.rto import RetransmitTimer

# SOL payload header (15.9): packet sequence number (0: the packet only
# acknowledges), the acknowledged packet's number (0: none), how many of
# its characters were accepted, then the operation (console to BMC) or
# status (BMC to console) byte; character data follows.
PACKET = Layout('SOL payload (15.9)', [
    B('seq', 0, 0, 4), B('ack_seq', 1, 0, 4), U('accepted', 2),
    U('control', 3), Raw('data', 4)], min_length=4)
HEADER_SIZE = 4
NACK = 0x40                  # both directions: not accepted, try later
# Console to BMC operation bits (table 15-2).
OP_RING_WOR = 0x20
OP_BREAK = 0x10
OP_CTS_PAUSE = 0x08          # deassert CTS to the system
OP_DROP_DCD_DSR = 0x04
OP_FLUSH_INBOUND = 0x02
OP_FLUSH_OUTBOUND = 0x01
# BMC to console status bits (table 15-3).
ST_UNAVAILABLE = 0x20        # character transfer unavailable
ST_DEACTIVATED = 0x10        # SOL deactivated (taken over, or disabled)
ST_OVERRUN = 0x08            # characters were dropped by the BMC
ST_BREAK = 0x04              # break detected on the serial port
STATUS_TEXT = ((ST_DEACTIVATED, 'SOL deactivated'),
               (ST_UNAVAILABLE, 'character transfer unavailable'),
               (ST_OVERRUN, 'transmit overrun: characters were lost'),
               (ST_BREAK, 'break detected'))
SEQ_MODULUS = 16             # 1-15 then 1 again; 0 is "no packet"
MAX_CHARS = 255              # the accepted count is one byte

# Payload commands (section 24, netfn App).
CMD_ACTIVATE = const.CMD_ACTIVATE_PAYLOAD          # 0x48
CMD_DEACTIVATE = const.CMD_DEACTIVATE_PAYLOAD
CMD_ACTIVATION_STATUS = const.CMD_GET_PAYLOAD_ACTIVATION_STATUS
CMD_INSTANCE_INFO = const.CMD_GET_PAYLOAD_INSTANCE_INFO
ACTIVATE_REQUEST = Layout('Activate Payload request (24.1)', [
    B('payload_type', 0, 0, 6), B('instance', 1, 0, 4),
    F('encrypt', 2, 7), F('authenticate', 2, 6), B('alerts', 2, 2, 2),
    # 1: the BMC leaves CTS and DCD/DSR deasserted until the console
    # asks (ipmitool sets it); 0: asserted on activation
    F('handshake_deasserted', 2, 1),
    U('reserved', 3, 3)], min_length=6)
ACTIVATE_RESPONSE = Layout('Activate Payload response (24.1)', [
    U('aux', 0, 4), U('inbound_size', 4, 2), U('outbound_size', 6, 2),
    U('port', 8, 2), U('vlan', 10, 2)], min_length=12)
DEACTIVATE_REQUEST = Layout('Deactivate Payload request (24.2)', [
    B('payload_type', 0, 0, 6), B('instance', 1, 0, 4), U('aux', 2, 4)],
    min_length=6)
STATUS_REQUEST = Layout('Get Payload Activation Status request (24.4)', [
    B('payload_type', 0, 0, 6)], min_length=1)
STATUS_RESPONSE = Layout('Get Payload Activation Status response (24.4)',
                         [B('capacity', 0, 0, 4), U('active', 1, 2)],
                         min_length=3)
INSTANCE_REQUEST = Layout('Get Payload Instance Info request (24.5)', [
    B('payload_type', 0, 0, 6), B('instance', 1, 0, 4)], min_length=2)
INSTANCE_RESPONSE = Layout('Get Payload Instance Info response (24.5)', [
    U('session_id', 0, 4), U('port', 4), Raw('reserved', 5, 7)],
    min_length=12)
# Completion codes of Activate / Deactivate Payload (24.1, 24.2).
CC_ALREADY_ACTIVE = 0x80     # deactivate: "payload already deactivated"
CC_DISABLED = 0x81
CC_LIMIT = 0x82
CC_NEEDS_NO_ENCRYPTION = 0x83
CC_NEEDS_ENCRYPTION = 0x84
ACTIVATE_ERRORS = {
    CC_ALREADY_ACTIVE: 'SOL is already active in another session',
    CC_DISABLED: 'SOL is disabled on this BMC',
    CC_LIMIT: 'The BMC allows no more SOL sessions',
    CC_NEEDS_NO_ENCRYPTION: 'The BMC cannot encrypt SOL',
    CC_NEEDS_ENCRYPTION: 'The BMC requires SOL to be encrypted',
}
# Get / Set SOL Configuration Parameters (26.2, 26.3), netfn Transport.
CMD_SET_CONFIG, CMD_GET_CONFIG = 0x21, 0x22
CONFIG_GET_REQUEST = Layout('Get SOL Configuration Parameters request', [
    B('channel', 0, 0, 4), F('revision_only', 0, 7), U('parameter', 1),
    U('set_selector', 2), U('block_selector', 3)], min_length=4)
CONFIG_SET_REQUEST = Layout('Set SOL Configuration Parameters request', [
    B('channel', 0, 0, 4), U('parameter', 1), Raw('data', 2)],
    min_length=3)
P_ENABLE, P_PAYLOAD_CHANNEL, P_PAYLOAD_PORT = 1, 7, 8
# Alert behaviour asked for at activation: serial/modem alerts deferred
# while SOL is active (24.1, aux byte 1 bits 3:2 = 01b).
ALERTS_DEFERRED = 1


def packet(seq=0, ack_seq=0, accepted=0, control=0, data=b''):
    """The bytes of one SOL payload."""
    return PACKET.encode(seq=seq, ack_seq=ack_seq, accepted=accepted,
                         control=control, data=bytes(data))


def status_text(control):
    """Human-readable words for the BMC status bits of ``control``."""
    return [text for bit, text in STATUS_TEXT if control & bit]


class SolStream:
    """One direction pair of SOL character transfer, without I/O.

    :param max_data: characters per packet the peer accepts (its payload
        size less the 4-byte header, at most 255)
    :param retry_interval: seconds before the first retransmission
    :param retries: retransmissions of a packet before giving up
    :param bmc_side: True on the BMC (its control byte carries status)
    """

    MAX_INTERVAL = 4.0           # back-off ceiling (seconds)
    NACK_INTERVAL = 1.0          # pace of asking a busy peer again
    HISTORY = 3                  # received sequence numbers remembered

    def __init__(self, max_data=MAX_CHARS, retry_interval=0.5, retries=7,
                 bmc_side=False):
        self.max_data = max(1, min(int(max_data), MAX_CHARS))
        self.retry_interval = retry_interval
        self.retries = retries
        self.bmc_side = bmc_side
        self.outbox = []             # payloads to send, in order
        self.deadline = None
        self.failed = None           # why the stream gave up, or None
        self.control = 0             # the peer's last control byte
        self.fresh = False           # the last packet was new (not a copy)
        self._pending = bytearray()  # written, not yet in a packet
        self._ops = 0                # operation bits for the next packet
        self._outstanding = None     # [seq, data, control, tries, sent]
        self.timer = RetransmitTimer(initial=retry_interval)
        self._next_seq = 0
        self._seen = []              # [(seq, accepted)] newest last
        self.stats = {'sent': 0, 'resent': 0, 'duplicates': 0,
                      'partial': 0, 'nacks': 0, 'overrun': 0}

    def __repr__(self):
        return 'SolStream(pending=%d, outstanding=%r, failed=%r)' % (
            len(self._pending), self._outstanding and self._outstanding[0],
            self.failed)

    @property
    def idle(self):
        """True when every written byte has been acknowledged."""
        return not self._pending and self._outstanding is None and \
            not self._ops

    def write(self, data, now, limit=None):
        """Queue ``data`` (bytes) for the peer; it goes at once when no
        packet is waiting for its acknowledgement, else with the next
        one (small writes are coalesced meanwhile).

        :param limit: most bytes kept waiting; beyond it data is dropped
            and, on the BMC side, the next packet says "transmit
            overrun" (as a serial port whose buffer is full)
        """
        if self.failed:
            return
        if limit is not None and len(self._pending) + len(data) > limit:
            data = data[:max(0, limit - len(self._pending))]
            self.stats['overrun'] += 1
            if self.bmc_side:
                self._ops |= ST_OVERRUN
        self._pending += data
        self._send_next(now, 0, 0)

    def send_control(self, bits, now):
        """Send operation bits (``OP_BREAK``...) with the next packet."""
        if self.failed:
            return
        self._ops |= bits
        self._send_next(now, 0, 0)

    def receive(self, payload, now):
        """Handle one received SOL payload.

        :returns: ``(data, control)``: the characters to deliver (empty
            for a duplicate or an acknowledgement) and the peer's control
            byte
        :raises DecodeError: a payload shorter than its header
        """
        pkt = PACKET.decode(payload)
        self.control = pkt['control']
        if pkt['ack_seq']:
            self._on_ack(pkt, now)
        data = b''
        ack = (0, 0)
        self.fresh = False
        if pkt['seq']:
            before = self.stats['duplicates']
            data, ack = self._on_data(pkt['seq'], pkt['data'])
            self.fresh = self.stats['duplicates'] == before
        if not self._send_next(now, *ack) and ack[0]:
            # nothing to piggyback the acknowledgement on: send it alone
            self.outbox.append(packet(0, ack[0], ack[1]))
        return data, pkt['control']

    def tick(self, now):
        """Retransmit the outstanding packet when its time has come;
        after the last try the stream fails."""
        out = self._outstanding
        if out is None or self.deadline is None or now < self.deadline:
            return
        if out[3] >= self.retries:
            self.failed = ('no acknowledgement of SOL data after %d tries'
                           % (out[3] + 1))
            self._outstanding = None
            self.deadline = None
            return
        out[3] += 1
        self.stats['resent'] += 1
        # a retransmission acknowledges nothing: that was said once
        self.outbox.append(packet(out[0], 0, 0, out[2], out[1]))
        self.deadline = now + self.timer.wait(out[3], self.MAX_INTERVAL)

    # ------------------------------------------------------------ helpers
    def _on_data(self, seq, data):
        for known, accepted in self._seen:
            if known == seq:
                # a copy of a packet already taken: acknowledge it again
                self.stats['duplicates'] += 1
                return b'', (seq, accepted)
        # the accepted count is one byte: a longer packet is taken in
        # part, and the sender resends the rest
        data = bytes(data[:MAX_CHARS])
        self._seen = (self._seen + [(seq, len(data))])[-self.HISTORY:]
        return data, (seq, len(data))

    def _on_ack(self, pkt, now):
        out = self._outstanding
        if out is None or pkt['ack_seq'] != out[0]:
            return                       # stale: for an older packet
        if pkt['control'] & NACK:
            # the peer is alive but cannot take it now: ask again later
            # without using up the tries
            self.stats['nacks'] += 1
            out[3] = 0
            out[4] = None        # its acknowledgement time means nothing
            self.deadline = now + self.NACK_INTERVAL
            return
        self._outstanding = None
        self.deadline = None
        if out[3] == 0 and out[4] is not None:
            self.timer.sample(now - out[4])
        accepted = min(pkt['accepted'], len(out[1]))
        if accepted < len(out[1]):
            self.stats['partial'] += 1
            self._pending[:0] = out[1][accepted:]

    def _send_next(self, now, ack_seq, accepted):
        """Send the next data packet if none is outstanding; True when
        one went (carrying the acknowledgement given)."""
        if self._outstanding is not None or self.failed or not (
                self._pending or self._ops):
            return False
        data = bytes(self._pending[:self.max_data])
        del self._pending[:len(data)]
        self._next_seq = self._next_seq % (SEQ_MODULUS - 1) + 1
        control, self._ops = self._ops, 0
        self._outstanding = [self._next_seq, data, control, 0, now]
        self.outbox.append(packet(self._next_seq, ack_seq, accepted,
                                  control, data))
        self.stats['sent'] += 1
        self.deadline = now + self.timer.wait(0, self.MAX_INTERVAL)
        return True
