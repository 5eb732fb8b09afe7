"""SOL payload codec (IPMI v2.0 15.9, 24.1) and the SolStream transfer
under loss, duplication and reordering, with a fake clock."""

import random

import pytest

from pyghmi import exceptions as exc
from pyghmi.cmd import pyghmicons
from pyghmi.ipmi.private import rto
from pyghmi.ipmi.private.codec import sol


# --------------------------------------------------------- spec vectors
def test_15_9_console_packet_with_break():
    # packet 1, no acknowledgement, operation byte bit 4: generate break
    assert sol.packet(seq=1, control=sol.OP_BREAK) == b'\x01\x00\x00\x10'


def test_15_9_bmc_acknowledgement_decodes():
    # ack of packet 3, 5 characters accepted, status: SOL deactivated
    pkt = sol.PACKET.decode(b'\x00\x03\x05\x10')
    assert (pkt['seq'], pkt['ack_seq'], pkt['accepted']) == (0, 3, 5)
    assert pkt['control'] & sol.ST_DEACTIVATED
    assert sol.status_text(pkt['control']) == ['SOL deactivated']


def test_24_1_activate_request_bytes():
    # SOL, instance 1, encrypted and authenticated, alerts deferred
    data = sol.ACTIVATE_REQUEST.encode(payload_type=1, instance=1,
                                       encrypt=True, authenticate=True,
                                       alerts=sol.ALERTS_DEFERRED)
    assert data == b'\x01\x01\xc4\x00\x00\x00'


def test_24_1_activate_response_fields():
    rsp = sol.ACTIVATE_RESPONSE.decode(
        b'\x00\x00\x00\x00\x00\x01\xfc\x00\x6f\x02\xff\xff')
    assert (rsp['inbound_size'], rsp['outbound_size']) == (256, 252)
    assert (rsp['port'], rsp['vlan']) == (623, 0xFFFF)


@pytest.mark.parametrize('data', [b'', b'\x01', b'\x01\x02\x03'])
def test_truncated_payload_is_a_decode_error(data):
    with pytest.raises(exc.DecodeError):
        sol.SolStream().receive(data, 0.0)
    with pytest.raises(exc.DecodeError):
        sol.ACTIVATE_RESPONSE.decode(data)


# ------------------------------------------------------- stream rules
def test_duplicate_is_acknowledged_again_but_delivered_once():
    bmc = sol.SolStream(bmc_side=True)
    data, _ = bmc.receive(sol.packet(seq=4, data=b'abc'), 0.0)
    assert data == b'abc' and bmc.outbox.pop() == b'\x00\x04\x03\x00'
    assert bmc.fresh
    data, _ = bmc.receive(sol.packet(seq=4, data=b'abc'), 0.1)
    assert data == b'' and bmc.outbox.pop() == b'\x00\x04\x03\x00'
    assert not bmc.fresh


def test_partial_ack_resends_only_the_tail_in_a_new_packet():
    con = sol.SolStream()
    con.write(b'abcdef', 0.0)
    first = sol.PACKET.decode(con.outbox.pop())
    assert first['data'] == b'abcdef'
    con.receive(sol.packet(ack_seq=first['seq'], accepted=2), 0.1)
    second = sol.PACKET.decode(con.outbox.pop())
    assert second['data'] == b'cdef' and second['seq'] != first['seq']


def test_writes_while_waiting_are_coalesced():
    con = sol.SolStream()
    con.write(b'a', 0.0)
    first = sol.PACKET.decode(con.outbox.pop())
    for char in b'bcd':
        con.write(bytes((char,)), 0.01)
    assert not con.outbox                  # nothing until the ack
    con.receive(sol.packet(ack_seq=first['seq'], accepted=1), 0.02)
    assert sol.PACKET.decode(con.outbox.pop())['data'] == b'bcd'


def test_retransmission_is_bounded_and_unchanged():
    con = sol.SolStream(retries=3)
    con.write(b'xyz', 0.0)
    sent = con.outbox.pop()
    now = 0.0
    copies = 0
    while con.failed is None and now < 100:
        now = con.deadline
        con.tick(now)
        while con.outbox:
            assert con.outbox.pop() == sent     # same packet, same seq
            copies += 1
    assert copies == 3 and 'after 4 tries' in con.failed
    con.write(b'more', now)
    assert not con.outbox                  # a failed stream sends nothing


def test_nack_retries_later_without_using_tries():
    con = sol.SolStream(retries=1)
    con.write(b'q', 0.0)
    seq = sol.PACKET.decode(con.outbox.pop())['seq']
    now = 0.0
    for _ in range(5):                     # a busy BMC, five times
        con.receive(sol.packet(ack_seq=seq, control=sol.NACK), now)
        assert con.deadline == now + con.NACK_INTERVAL
        now = con.deadline
        con.tick(now)
        assert con.outbox.pop() and con.failed is None
    con.receive(sol.packet(ack_seq=seq, accepted=1), now)
    assert con.idle


def test_resend_wait_follows_the_measured_ack_time():
    con = sol.SolStream(retry_interval=0.5)
    now = 0.0
    ceiling = con.MAX_INTERVAL
    assert con.timer.rto(ceiling) == 0.5
    for _ in range(20):                    # acks after 10 ms
        con.write(b'k', now)
        seq = sol.PACKET.decode(con.outbox.pop())['seq']
        now += 0.01
        con.receive(sol.packet(ack_seq=seq, accepted=1), now)
    # the sessions' estimator and floor: one rule for every resend
    assert con.timer.rto(ceiling) == rto.RTO_FLOOR
    con.write(b'late', now)
    assert con.deadline == now + rto.RTO_FLOOR
    con.tick(con.deadline)                 # resent: its ack not measured
    seq = sol.PACKET.decode(con.outbox.pop())['seq']
    now += 5
    con.receive(sol.packet(ack_seq=seq, accepted=4), now)
    assert con.timer.rto(ceiling) == rto.RTO_FLOOR
    for _ in range(20):                    # a slow peer: 1.5 s
        con.write(b'x', now)
        seq = sol.PACKET.decode(con.outbox.pop())['seq']
        now += 1.5
        con.receive(sol.packet(ack_seq=seq, accepted=1), now)
    assert 1.5 < con.timer.rto(ceiling) <= con.MAX_INTERVAL


def test_bmc_output_beyond_its_buffer_is_an_overrun():
    bmc = sol.SolStream(bmc_side=True, max_data=10)
    bmc.write(b'01', 0.0, limit=8)            # a packet goes at once
    bmc.write(b'abcdefghij', 0.0, limit=8)    # 8 kept, 2 dropped
    seq = sol.PACKET.decode(bmc.outbox.pop())['seq']
    bmc.receive(sol.packet(ack_seq=seq, accepted=2), 0.1)
    pkt = sol.PACKET.decode(bmc.outbox.pop())
    assert pkt['data'] == b'abcdefgh'
    assert pkt['control'] & sol.ST_OVERRUN and bmc.stats['overrun'] == 1


def test_oversized_packet_is_partly_accepted():
    bmc = sol.SolStream(bmc_side=True)
    data, _ = bmc.receive(sol.packet(seq=1, data=b'x' * 300), 0.0)
    assert len(data) == sol.MAX_CHARS
    assert sol.PACKET.decode(bmc.outbox.pop())['accepted'] == sol.MAX_CHARS


# ------------------------------------------- both ends, hostile channel
class _Channel:
    """Datagrams between two streams: lost, duplicated, reordered."""

    def __init__(self, rng, loss, dup, reorder):
        self.rng = rng
        self.loss, self.dup, self.reorder = loss, dup, reorder
        self.queue = []

    def carry(self, source, target):
        while source.outbox:
            pkt = source.outbox.pop(0)
            if self.rng.random() < self.loss:
                continue
            copies = 2 if self.rng.random() < self.dup else 1
            for _ in range(copies):
                at = len(self.queue) if self.rng.random() >= self.reorder \
                    else self.rng.randrange(len(self.queue) + 1)
                self.queue.insert(at, (target, pkt))


@pytest.mark.parametrize('seed', range(6))
def test_every_byte_once_in_order_under_loss_dup_reorder(seed):
    rng = random.Random(seed)
    con = sol.SolStream(max_data=60, retries=50)
    bmc = sol.SolStream(max_data=80, retries=50, bmc_side=True)
    up = bytes(rng.randrange(256) for _ in range(3000))
    down = bytes(rng.randrange(256) for _ in range(5000))
    got_up, got_down = bytearray(), bytearray()
    net = _Channel(rng, loss=0.2, dup=0.1, reorder=0.2)
    now = 0.0
    offset_up = offset_down = 0
    for _ in range(200000):
        if offset_up < len(up) and rng.random() < 0.3:
            con.write(up[offset_up:offset_up + 17], now)
            offset_up += 17
        if offset_down < len(down) and rng.random() < 0.3:
            bmc.write(down[offset_down:offset_down + 41], now)
            offset_down += 41
        net.carry(con, bmc)
        net.carry(bmc, con)
        if net.queue:
            target, pkt = net.queue.pop(0)
            data, _ = target.receive(pkt, now)
            (got_up if target is bmc else got_down).extend(data)
        else:
            now += 0.05
            con.tick(now)
            bmc.tick(now)
        if bytes(got_up) == up and bytes(got_down) == down and \
                con.idle and bmc.idle:
            break
    assert con.failed is None and bmc.failed is None
    assert bytes(got_up) == up
    assert bytes(got_down) == down
    assert con.stats['resent'] and bmc.stats['resent']   # loss was met


# ------------------------------------------------ pyghmicons escapes
@pytest.mark.parametrize('chunks,sent,actions', [
    ([b'ls\r'], b'ls\r', []),
    ([b'~.'], b'', ['quit']),
    ([b'a~.b'], b'a~.b', []),                 # not at a line start
    ([b'x\r~', b'.'], b'x\r', ['quit']),     # escape split over reads
    ([b'~B~?'], b'', ['break', 'help']),
    ([b'~~x'], b'~x', []),
    ([b'~z'], b'~z', []),
])
def test_pyghmicons_escapes(chunks, sent, actions):
    filt = pyghmicons.EscapeFilter()
    out, acts = b'', []
    for chunk in chunks:
        data, more = filt.feed(chunk)
        out += data
        acts += more
    assert (out, acts) == (sent, actions)
