"""Loss, duplication and reordering between our client and our BMC, in
memory.

The scenarios of ``functional/test_hostile_network.py`` (which keeps
them, through the loopback proxy, for the peers that are not ours:
ipmi_sim, ipmitool, FreeIPMI), run here between a ClientCore and a
ServerCore joined by :class:`Pair` on its fake clock: per scenario and
seed, 15 fresh logins (a new client core each, log in, Get Chassis
Status, close) and 100 Get Chassis Status on one session (pipelined in
batches of 10, so that there is something to reorder), with the
library's default time-out (1 s) and retries, as a caller gets them,
at every loss rate.  Every datagram either way goes through a seeded
decision: lost, duplicated, held back behind later ones, or passed.
Waiting costs no real time, so the whole file runs in a few seconds.
"""

import collections
import random

import pytest

from pyghmi.ipmi.private import constants as const
from pyghmi.ipmi.private.client import core as clientcore
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.secure.packet import Reject
from pyghmi.ipmi.private.server.state import Drop
from pyghmi.tests.unit.pair import CONSOLE, Pair

SEEDS = (101, 202)
LOGINS, CALLS = 15, 100
# name -> (loss, duplicate, reorder), each a probability per datagram
SCENARIOS = {
    'loss10': (0.1, 0.0, 0.0),
    'loss20': (0.2, 0.0, 0.0),
    'loss30': (0.3, 0.0, 0.0),
    'dup20': (0.0, 0.2, 0.0),
    'reorder': (0.0, 0.0, 0.3),
    'all': (0.1, 0.2, 0.3),
}


class HostileLink:
    """Seeded impairments on one direction of a Pair: installed as its
    ``drop_to_server`` / ``drop_to_client`` hook, which sees each
    datagram as it is about to be delivered from ``queue``."""

    def __init__(self, rng, queue, counts, loss, duplicate, reorder):
        self.rng, self.queue, self.counts = rng, queue, counts
        self.loss, self.duplicate, self.reorder = loss, duplicate, reorder

    def __call__(self, data):
        rng = self.rng
        if rng.random() < self.loss:
            self.counts['lost'] += 1
            return True
        if self.queue and rng.random() < self.reorder:
            # held back: delivered after one or more later datagrams
            self.queue.insert(rng.randrange(1, len(self.queue) + 1), data)
            self.counts['reordered'] += 1
            return True
        if rng.random() < self.duplicate:
            self.queue.insert(rng.randrange(len(self.queue) + 1), data)
            self.counts['duplicated'] += 1
        return False


def _hostile_pair(scenario, seed):
    pair = Pair()
    counts = collections.Counter()
    rng = random.Random(seed)
    loss, duplicate, reorder = SCENARIOS[scenario]
    pair.drop_to_server = HostileLink(rng, pair.to_server, counts, loss,
                                      duplicate, reorder)
    pair.drop_to_client = HostileLink(rng, pair.to_client, counts, loss,
                                      duplicate, reorder)
    return pair, counts


def _fresh_client(pair, number, retries):
    """A new client core on the pair, as a new Command makes, with the
    library's defaults (time-out 1 s, 3 retries) but ``retries``."""
    pair.client = clientcore.ClientCore(
        clientcore.LoginParams('pair', b'admin', b'password',
                               retries=retries), 0x10000 + number)
    pair.client.on_login = pair.logins.append


def _chassis_status(pair, relogged):
    req = pair.request(const.NETFN_CHASSIS, const.CMD_GET_CHASSIS_STATUS)
    relogged += [req] if req.relogged else []
    return req.error or req.code


def _chassis_statuses(pair, count, relogged):
    """``count`` Get Chassis Status submitted at once; their outcomes
    (those sent again after a re-login are added to ``relogged``)."""
    done = []
    for _ in range(count):
        pair.client.submit(clientcore.Request(
            const.NETFN_CHASSIS, const.CMD_GET_CHASSIS_STATUS,
            callback=done.append), pair.clock.now)
    pair.run(limit=2000)
    assert len(done) == count
    relogged += [req for req in done if req.relogged]
    return [req.error or req.code for req in done]


def _app(request, session, ran=collections.Counter()):
    # a BMC that answers Get Chassis Status (power on) and nothing else
    ran[request['netfn'], request['command']] += 1
    if (request['netfn'], request['command']) == (0, 1):
        session.send_ipmi_response(data=b'\x01\x00\x00')
    else:
        session.send_ipmi_response(code=const.CC_INVALID_COMMAND)


@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('scenario', sorted(SCENARIOS))
def test_logins_and_calls_survive_a_hostile_link(scenario, seed):
    pair, counts = _hostile_pair(scenario, seed)
    ran = collections.Counter()
    pair.server.app = lambda request, session: _app(request, session, ran)
    retries = 3
    failures, relogged = [], []
    for number in range(LOGINS):
        _fresh_client(pair, number, retries)
        error = pair.login()
        if error is not None:
            failures.append('login %d: %s' % (number, error))
            continue
        outcome = _chassis_status(pair, relogged)
        if outcome:
            failures.append('login %d: chassis status %r'
                            % (number, outcome))
        pair.client.close(pair.clock.now)
        pair.run()
    _fresh_client(pair, LOGINS, retries)
    assert pair.login() is None
    for batch in range(CALLS // 10):
        failures += ['batch %d: %r' % (batch, outcome)
                     for outcome in _chassis_statuses(pair, 10, relogged)
                     if outcome]
    assert failures == []
    # the link did what the scenario says
    for kind, share in zip(('lost', 'duplicated', 'reordered'),
                           SCENARIOS[scenario]):
        assert (counts[kind] > 0) == (share > 0), counts
    # and the BMC ran each request once: a retransmitted or duplicated
    # request is answered from its reply cache, not run again.  The one
    # exception is a request whose tries were all spent (7 s of them):
    # it is sent again in the session of a re-login, which the BMC
    # cannot tell from a new request (at 30 % loss each way, about one
    # request in 400).
    assert LOGINS + CALLS <= ran[0, 1] <= LOGINS + CALLS + len(relogged)
    assert len(relogged) <= 2 and set(ran) == {(0, 1)}
    # what the BMC dropped on the way is counted by named kind
    assert all(isinstance(key, (Drop, Reject))
               for key in pair.server.dropped)


def _exchange(pair):
    """Deliver what each side has sent, without moving the clock."""
    pair.to_server.extend(pair.client.outbox)
    pair.client.outbox = []
    while pair.to_server:
        pair.server.receive(pair.to_server.pop(0), CONSOLE, pair.clock.now)
    while pair.to_client:
        pair.client.receive(wire.parse_datagram(pair.to_client.pop(0)),
                            pair.clock.now)


def test_retransmission_while_the_handler_works_is_not_run_again():
    """A handler that answers later (as a slow power action may): the
    console's retransmissions meanwhile are held, the request runs once,
    and the late answer completes it."""
    pair = Pair()
    held, ran = [], []

    def slow(request, session):
        ran.append(request['command'])
        held.append(session)

    pair.server.app = slow
    assert pair.login() is None
    done = []
    pair.client.submit(clientcore.Request(
        const.NETFN_CHASSIS, const.CMD_CHASSIS_CONTROL, b'\x02',
        callback=done.append), pair.clock.now)
    _exchange(pair)
    sent = pair.client.packets_sent
    for _ in range(2):                  # two retransmissions
        pair.clock.now = pair.client.deadline
        pair.client.tick(pair.clock.now)
        _exchange(pair)
    assert pair.client.packets_sent == sent + 2
    assert pair.server.dropped['repeat of a request in progress'] == 2
    assert not done
    held[0].send_ipmi_response()
    _exchange(pair)
    assert ran == [const.CMD_CHASSIS_CONTROL] and len(done) == 1
    assert done[0].code == 0


def test_reply_cache_keeps_the_last_requests_of_a_window():
    from pyghmi.ipmi.private.server import replycache
    cache = replycache.ReplyCache()
    for seq in range(replycache.SIZE + 5):
        cache.started((seq, 0, 2, b''), 10.0 + seq)
        cache.answered((seq, 0, 2, b''), b'reply %d' % seq)
    assert len(cache) == replycache.SIZE
    assert cache.lookup((4, 0, 2, b'')) is None            # evicted
    assert cache.lookup((5, 0, 2, b'')) == (b'reply 5', 15.0)
    # another request with the same number is another request
    assert cache.lookup((5, 0, 2, b'\x01')) is None
    cache.started((40, 0, 1, b''), 99.0)
    assert cache.lookup((40, 0, 1, b'')) == (replycache.PENDING, 99.0)
