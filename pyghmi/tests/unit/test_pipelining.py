"""Several requests in flight on one session: the window, matching by
sequence number whatever the order of the answers, per-request
retransmission, and "node busy" answers to a pipelined burst."""

from pyghmi.ipmi.private.client import core as clientcore
from pyghmi.ipmi.private.client import window
from pyghmi.ipmi.private.codec import wire
from pyghmi.tests.unit import pair as pairmod

ECHO = (0x30, 0x01)        # an OEM command the test BMC echoes
SEEN = []                  # request data the test BMC ran, in order


def _echo_app(busy=()):
    """Echo the request data; answer "node busy" (0xC0) to each data
    value in ``busy`` the first time it comes."""
    pending_busy = set(busy)
    del SEEN[:]

    def app(request, session):
        data = bytes(request['data'])
        SEEN.append(data)
        if data in pending_busy:
            pending_busy.discard(data)
            return session.send_ipmi_response(code=0xC0)
        session.send_ipmi_response(data=data)
    return app


def _logged_in(**params):
    pair = pairmod.Pair(app=_echo_app(params.pop('busy', ())), **params)
    assert pair.login() is None
    return pair


def _submit(pair, count):
    done = []
    reqs = [clientcore.Request(ECHO[0], ECHO[1], bytes((n,)),
                               callback=done.append) for n in range(count)]
    for req in reqs:
        pair.client.submit(req, pair.clock.now)
    return reqs, done


def _to_server(pair):
    """Hand every packet the client sent to the BMC; returns how many."""
    sent = pair.client.outbox
    pair.client.outbox = []
    for data in sent:
        pair.server.receive(data, pairmod.CONSOLE, pair.clock.now)
    return len(sent)


def test_window_grows_and_halves():
    win = window.Window()
    assert win.limit == window.START
    for _ in range(1000):
        win.answered()
    assert win.limit == window.GROWTH_CAP
    win.congested()
    assert win.limit == window.GROWTH_CAP // 2
    for _ in range(10):
        win.congested()
    assert win.limit == 1
    pinned = window.Window(3)
    pinned.congested()
    pinned.answered()
    assert pinned.limit == 3


def test_answers_in_reverse_order_reach_their_requests():
    pair = _logged_in()
    reqs, done = _submit(pair, 10)
    assert _to_server(pair) == window.START        # the window, no more
    # the BMC's answers, delivered last first
    answers, pair.to_client = pair.to_client[::-1], []
    for data in answers:
        pair.client.receive(wire.parse_datagram(data), pair.clock.now)
    pair.run()
    assert sorted(done, key=id) == sorted(reqs, key=id)
    assert [r.data_out for r in reqs] == [bytes((n,)) for n in range(10)]
    assert all(r.code == 0 and r.attempts == 0 for r in reqs)
    assert pair.client.window.limit > window.START


def test_one_lost_request_does_not_hold_the_others():
    pair = _logged_in(max_inflight=4)
    reqs, done = _submit(pair, 4)
    first = pair.client.outbox.pop(0)       # lost on the way to the BMC
    assert first
    _to_server(pair)
    answers, pair.to_client = pair.to_client, []
    for data in answers:
        pair.client.receive(wire.parse_datagram(data), pair.clock.now)
    # the three others are answered before the first one's time-out
    assert done == reqs[1:]
    assert pair.clock.now < reqs[0].deadline
    pair.run()                      # its time-out: resent, answered
    assert done[-1] is reqs[0] and reqs[0].attempts == 1
    assert reqs[0].data_out == b'\x00'
    # the BMC ran each request once: the lost one only when resent
    assert sorted(SEEN) == [b'\x00', b'\x01', b'\x02', b'\x03']


def test_node_busy_to_a_burst_is_resent_with_a_smaller_window():
    pair = _logged_in(busy=(b'\x02',))
    reqs, done = _submit(pair, 6)
    pair.run()
    assert len(done) == 6 and all(r.code == 0 for r in reqs)
    assert reqs[2].busy_tries == 1 and reqs[2].data_out == b'\x02'
    assert pair.client.window.limit < window.START + 1


def test_node_busy_to_a_single_request_is_the_callers_answer():
    pair = _logged_in(busy=(b'\x00',), max_inflight=1)
    reqs, done = _submit(pair, 1)
    pair.run()
    assert done == reqs and reqs[0].code == 0xC0


def test_pinned_to_one_is_one_at_a_time():
    pair = _logged_in(max_inflight=1)
    reqs, done = _submit(pair, 5)
    for _ in range(5):
        assert len(pair.client.outbox) == 1
        _to_server(pair)
        data = pair.to_client.pop(0)
        pair.client.receive(wire.parse_datagram(data), pair.clock.now)
    assert done == reqs


def test_sequence_numbers_in_flight_are_never_reused():
    pair = _logged_in(max_inflight=window.CAP)
    reqs, _ = _submit(pair, 200)
    in_flight = [r.seq for r in reqs if r.seq]
    assert len(in_flight) == window.CAP == len(set(in_flight))
    pair.run(limit=2000)
    assert all(r.data_out == bytes((n % 256,)) for n, r in enumerate(reqs))
