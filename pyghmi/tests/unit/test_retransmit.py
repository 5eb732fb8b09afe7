"""Retransmission that follows the BMC's round trip (RFC 6298 with a
BMC's floor and the caller's time-out as ceiling), on a fake clock."""

import random
import statistics

import pytest

from pyghmi import exceptions as exc
from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import core as clientcore
from pyghmi.ipmi.private.client.request import request_budget
from pyghmi.ipmi.private.codec import rakp
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.rto import RTO_FLOOR, RetransmitTimer
from pyghmi.tests.unit.pair import Pair


def test_first_wait_is_the_callers_timeout():
    timer = RetransmitTimer()
    assert timer.rto(1.0) == 1.0 and timer.wait(0, 2.5) == 2.5


def test_samples_follow_rfc_6298_arithmetic():
    timer = RetransmitTimer(floor=0.0)
    timer.sample(0.1)
    # 2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR
    assert (timer.srtt, timer.rttvar) == pytest.approx((0.1, 0.05))
    assert timer.rto(10.0) == pytest.approx(0.3)
    timer.sample(0.2)
    # 2.3: RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|; SRTT = 7/8 SRTT + 1/8 R'
    assert timer.rttvar == pytest.approx(0.75 * 0.05 + 0.25 * 0.1)
    assert timer.srtt == pytest.approx(0.875 * 0.1 + 0.125 * 0.2)
    assert timer.rto(10.0) == pytest.approx(0.1125 + 4 * 0.0625)


def test_floor_and_ceiling_bound_the_estimate():
    fast, slow = RetransmitTimer(), RetransmitTimer()
    for _ in range(20):
        fast.sample(0.001)
        slow.sample(5.0)
    assert fast.rto(1.0) == RTO_FLOOR
    assert slow.rto(1.0) == 1.0


def test_back_off_doubles_per_try_up_to_the_ceiling():
    timer = RetransmitTimer()
    for _ in range(10):
        timer.sample(0.001)
    assert [timer.wait(n, 1.0) for n in range(5)] == [0.25, 0.5, 1.0, 1.0,
                                                      1.0]
    assert timer.wait(0, 1.0, slow=True) == 1.0


def _answer_latency(pair, seconds):
    pair.latency = seconds
    assert pair.login() is None


def test_the_session_learns_the_round_trip_and_resends_at_its_pace():
    pair = Pair(cipher=17)
    _answer_latency(pair, 0.02)
    timer = pair.client.rto
    assert timer.samples >= 4 and timer.srtt == pytest.approx(0.02)
    dropped = []

    def lose_first_reply(data):
        if not dropped:
            dropped.append(data)
            return True
        return False
    pair.drop_to_client = lose_first_reply
    start = pair.clock.now
    req = pair.request(const.NETFN_APP, const.CMD_GET_DEVICE_ID)
    assert req.code == 0 and dropped
    # resent after the floor, not after the 1 s time-out
    assert pair.clock.now - start == pytest.approx(RTO_FLOOR + 0.02)


def test_karns_rule_a_resent_exchange_gives_no_sample():
    pair = Pair(cipher=17)
    _answer_latency(pair, 0.02)
    samples = pair.client.rto.samples
    lost = []
    pair.drop_to_client = lambda data: not lost and (lost.append(1) or True)
    assert pair.request(6, 1).code == 0 and lost
    assert pair.client.rto.samples == samples
    pair.drop_to_client = lambda data: False
    assert pair.request(6, 1).code == 0
    assert pair.client.rto.samples == samples + 1


def _count_sent(pair, netfn, cmd):
    before = pair.client.packets_sent
    start = pair.clock.now
    req = pair.request(netfn, cmd)
    return req, pair.client.packets_sent - before, pair.clock.now - start


def test_a_slow_command_is_not_sent_again_while_the_bmc_works():
    pair = Pair(cipher=17)
    _answer_latency(pair, 0.005)
    pair.latency = 0.3
    req, sent, took = _count_sent(pair, const.NETFN_STORAGE,
                                  const.CMD_RESERVE_SDR_REPOSITORY)
    assert req.code is not None and sent == 1
    assert took == pytest.approx(0.3)
    assert pair.client.rto.samples >= 4      # and it gave no sample
    assert pair.client.rto.srtt == pytest.approx(0.005)


def test_a_late_answer_to_an_earlier_try_completes_the_request_once():
    pair = Pair(cipher=17)
    _answer_latency(pair, 0.005)
    pair.latency = 0.3          # an ordinary command, unexpectedly slow
    done = []
    req, sent, took = _count_sent(pair, const.NETFN_APP,
                                  const.CMD_GET_DEVICE_ID)
    done.append(req)
    # sent again after the floor; the first try's answer (at 0.3 s)
    # completes it, and the answer to the second try is dropped
    assert (req.code, sent) == (0, 2) and took == pytest.approx(0.3)
    assert done == [req] and pair.held       # the second answer is on its way
    pair.clock.now += 1.0
    pair.run()
    assert not pair.held
    assert pair.client.dropped['response matches no request'] == 1
    # and the BMC ran it once, answering the second try from its cache
    assert pair.handled.count((6, 1)) == 1


def _lossy(pair, rate, seed):
    rng = random.Random(seed)
    pair.drop_to_server = lambda data: rng.random() < rate
    pair.drop_to_client = lambda data: rng.random() < rate


def test_two_hundred_calls_at_30_percent_loss_each_way_all_succeed():
    pair = Pair(cipher=17)
    _answer_latency(pair, 0.002)
    _lossy(pair, 0.3, 29)
    times = []
    for _ in range(200):
        start = pair.clock.now
        req = pair.request(const.NETFN_CHASSIS, 0x01)
        assert req.error is None
        times.append(pair.clock.now - start)
    # about half the calls lose nothing; most others cost a floor or
    # two, not the 1 s time-out each
    assert statistics.median(times) <= RTO_FLOOR + 0.002 + 1e-9
    assert statistics.mean(times) < 1.0
    assert max(times) <= request_budget(pair.client.params)


def test_logins_at_30_percent_loss_each_way_all_succeed():
    failures, times = 0, []
    for seed in range(30):
        pair = Pair()
        pair.latency = 0.002
        _lossy(pair, 0.3, seed)
        error = pair.login()
        failures += error is not None
        times.append(pair.clock.now - 1000.0)
    assert failures == 0
    assert statistics.median(times) < 4.0


def _refuse_opens(pair, count):
    """The BMC answers the first ``count`` Open Session requests with
    "insufficient resources" (status 01h, as ipmi_sim does when its
    session table is full); returns the times of the refusals."""
    refused = []

    def hook(data):
        dgram = wire.parse_datagram(data)
        if dgram.payload_type != 0x10 or len(refused) >= count:
            return False
        req = rakp.decode_open_request(dgram.payload)
        refused.append(pair.clock.now)
        pair.to_client.append(wire.encode_v2(
            0x11, 0, 0, rakp.encode_open_response(req.tag, 0x01, 0,
                                                  req.console_sid)))
        return True
    pair.drop_to_server = hook
    return refused


def test_a_bmc_without_a_free_slot_is_asked_again_later():
    pair = Pair(cipher=17)
    refused = _refuse_opens(pair, 3)
    assert pair.login() is None and len(refused) == 3
    # asked again after 1, 2 and 4 s
    assert [b - a for a, b in zip(refused, refused[1:])] == \
        pytest.approx([1.0, 2.0])
    assert pair.request(6, 1).code == 0


def test_no_free_slot_for_the_whole_login_budget_is_reported():
    pair = Pair(cipher=17, timeout=0.25, retries=1)
    _refuse_opens(pair, 1000)
    error = pair.login()
    assert isinstance(error, exc.IpmiProtocolError)
    assert 'Insufficient resources' in str(error)
    assert pair.clock.now - 1000.0 <= clientcore.login_budget(
        pair.client.params)


def test_retransmissions_are_counted_apart_from_exchanges():
    pair = Pair(cipher=17)
    _answer_latency(pair, 0.005)
    assert pair.client.retransmits == 0
    assert pair.client.packets_sent == 4       # a known suite's login
    lost = []
    pair.drop_to_client = lambda data: not lost and (lost.append(1) or True)
    assert pair.request(6, 1).code == 0
    assert (pair.client.packets_sent, pair.client.retransmits) == (6, 1)
