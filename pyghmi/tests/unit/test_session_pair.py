"""Client and BMC cores against each other in memory (13.15-13.24)."""

import pytest
from hypothesis import given, settings, strategies as st

from pyghmi import exceptions as exc
from pyghmi.ipmi.private.client import core as clientcore
from pyghmi.ipmi.private.codec import wire
from pyghmi.ipmi.private.secure.packet import Reject
from pyghmi.ipmi.private.server import core as serversession
from pyghmi.ipmi.private.server.state import Drop
from pyghmi.tests.unit.pair import Pair, CONSOLE


@pytest.mark.parametrize('suite', [1, 2, 3, 15, 16, 17])
def test_13_15_login_and_request_each_suite(suite):
    pair = Pair(cipher=suite)
    assert pair.login() is None
    assert pair.client.suite == suite and pair.client.privlevel == 4
    # known suite: Open Session, RAKP 1, RAKP 3, Set Session Privilege
    assert pair.client.packets_sent == 4
    req = pair.request(6, 1)
    assert (req.code, req.data_out) == (0, b'\x20\x01\x02\x41\x02')
    assert pair.client.packets_sent == 5


def test_discovery_prefers_17_then_3():
    pair = Pair()
    pair.login()
    assert pair.client.suite == 17
    pair = Pair(suites=(1, 2, 3))
    pair.login()
    assert pair.client.suite == 3


def test_default_never_picks_a_suite_without_confidentiality():
    pair = Pair(suites=(1, 2, 16))
    error = pair.login()
    assert isinstance(error, exc.IpmiException)
    assert pair.client.state == clientcore.State.FAILED


def test_explicit_suite_is_not_replaced():
    pair = Pair(suites=(3,), cipher=17)
    error = pair.login()
    assert isinstance(error, exc.IpmiProtocolError)
    assert 'authentication algorithm' in str(error)


def test_hint_17_falls_back_to_3_when_refused():
    pair = Pair(suites=(3,))
    pair.client._hint = 17
    pair.client._candidates = []
    assert pair.login() is None
    assert pair.client.suite == 3


def test_wrong_password_fails_at_once_without_timeouts():
    pair = Pair(password=b'wrong')
    error = pair.login()
    assert isinstance(error, exc.IpmiAuthenticationError)
    assert 'wrong' not in str(error)
    assert pair.clock.now == 1000.0      # no deadline had to expire


def test_unknown_user_gets_rakp2_status_at_once():
    pair = Pair(userid=b'nobody')
    error = pair.login()
    assert isinstance(error, exc.IpmiAuthenticationError)
    assert error.ipmicode == 0x0D
    assert pair.clock.now == 1000.0


def test_wrong_kg_detected_in_rakp4():
    pair = Pair(kg=b'bmc-key', cipher=3)
    error = pair.login()
    assert isinstance(error, exc.IpmiAuthenticationError)
    assert 'Kg' in str(error)
    pair = Pair(kg=b'bmc-key', cipher=3)
    pair.client.params.kg = b'bmc-key'
    assert pair.login() is None


def test_user_privilege_limit_and_auto_step_down():
    pair = Pair(userid=b'viewer', password=b'vpass')
    assert pair.login() is None
    assert pair.client.privlevel == 2
    req = pair.request(0, 2, b'\x00')        # chassis control: operator
    assert req.code == 0xD4
    pair = Pair(userid=b'viewer', password=b'vpass', privlevel=4)
    assert isinstance(pair.login(), exc.IpmiAuthenticationError)


def test_lost_reply_is_retransmitted_and_handled_once():
    pair = Pair(cipher=17)
    pair.login()
    lost = []

    def drop_first(data):
        if not lost:
            lost.append(data)
            return True
        return False
    pair.drop_to_client = drop_first
    req = pair.request(6, 1)
    assert req.code == 0 and lost
    # the BMC answered the retransmission from its reply cache
    assert pair.handled.count((6, 1)) == 1


def test_duplicated_reply_is_dropped_as_replay():
    pair = Pair(cipher=17)
    pair.login()
    captured = []
    pair.drop_to_client = lambda data: captured.append(data) and False
    pair.request(6, 1)
    pair.client.receive(wire.parse_datagram(captured[-1]), pair.clock.now)
    assert pair.client.dropped['replayed or stale sequence number'] == 1


def test_forged_reply_fails_integrity():
    pair = Pair(cipher=3)
    pair.login()
    captured = []
    pair.drop_to_client = lambda data: captured.append(data) and False
    pair.request(6, 1)
    forged = bytearray(captured[-1])
    forged[-1] ^= 0xFF
    pair.client.receive(wire.parse_datagram(bytes(forged)), pair.clock.now)
    assert pair.client.dropped['integrity check failed'] == 1


def test_bmc_reboot_forgets_session_client_relogs_in():
    pair = Pair(cipher=17)
    pair.login()
    pair.server.sessions.clear()
    req = pair.request(6, 1)
    assert req.code == 0
    assert pair.client.logins == 2


def test_no_answer_times_out_within_bounded_time():
    pair = Pair(cipher=17)
    pair.login()
    pair.drop_to_server = lambda data: True
    req = pair.request(6, 1)
    assert isinstance(req.error, exc.IpmiTimeoutError)
    assert pair.clock.now - 1000.0 < 60


def test_close_session_frees_the_slot():
    pair = Pair(cipher=17)
    pair.login()
    assert len(pair.server.sessions) == 1
    pair.client.close(pair.clock.now)
    pair.run()
    assert pair.client.state == clientcore.State.CLOSED
    assert not pair.server.sessions


def test_server_rejects_replayed_request():
    pair = Pair(cipher=17)
    pair.login()
    sent = []
    pair.drop_to_server = lambda data: sent.append(data) and False
    pair.request(0, 1)
    pair.request(6, 1)
    before = len(pair.handled)
    # An older datagram is refused by the sequence window ...
    pair.server.receive(sent[-2], CONSOLE, pair.clock.now)
    assert pair.server.dropped['replayed or stale sequence number'] == 1
    # ... the last one, sent again unchanged, gets the cached reply (or
    # nothing, right after the first): never a second execution.
    pair.to_client.clear()
    pair.clock.now += 1.0
    pair.server.receive(sent[-1], CONSOLE, pair.clock.now)
    assert len(pair.to_client) == 1
    assert pair.server.dropped['repeated request answered again'] == 1
    assert len(pair.handled) == before


def test_session_table_limit_evicts_half_open_sessions():
    pair = Pair(cipher=17)
    pair.server.config.session_limit = 2
    for tag in range(5):
        body = bytes((tag, 4, 0, 0, 9, 0, 0, 0)) + bytes.fromhex(
            '0000000803000000' '0100000804000000' '0200000801000000')
        pair.server.receive(wire.encode_v2(0x10, 0, 0, body), CONSOLE,
                            pair.clock.now)
    assert len(pair.server.sessions) == 2
    pair.to_client.clear()
    assert pair.login() is None


@settings(max_examples=1500, deadline=None)
@given(st.binary(max_size=200))
def test_server_receive_never_raises(data):
    pair = Pair()
    pair.server.receive(data, CONSOLE, pair.clock.now)
    for prefix in (b'\x06\x00\xff\x07\x06', b'\x06\x00\xff\x07\x00'):
        pair.server.receive(prefix + data, CONSOLE, pair.clock.now)
    # every drop reason is a named kind, never formatted text
    assert all(isinstance(key, (Drop, Reject))
               for key in pair.server.dropped)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from([0, 0x11, 0x13, 0x15]), st.binary(max_size=80),
       st.integers(0, 2))
def test_client_receive_never_raises_in_any_state(ptype, payload, stage):
    pair = Pair(cipher=17)
    if stage == 2:
        pair.login()
    elif stage == 1:
        pair.client.login(pair.clock.now)
    sid = pair.client.local_sid if ptype == 0 else 0
    for auth in (False, True):
        dgram = wire.Datagram(True, 6, ptype, auth, auth, sid, 7, payload,
                              b'x' * 16 if auth else b'',
                              b'y' * 16 if auth else b'')
        pair.client.receive(dgram, pair.clock.now)
    # receive() turns a handler's exception into a counted drop: none
    # may be an internal error
    assert not [k for k in pair.client.dropped if k.startswith('internal')]


def test_keepalive_sent_when_idle():
    pair = Pair(cipher=17)
    pair.login()
    sent = pair.client.packets_sent
    pair.clock.now += pair.client.params.keepalive_interval + 0.1
    pair.client.tick(pair.clock.now)
    pair.run()
    assert pair.client.packets_sent == sent + 1
    assert pair.handled[-1] == (6, 1)       # Get Device ID as keepalive
    assert pair.client.active


def test_no_keepalive_closes_idle_session_and_relogs_in_on_demand():
    pair = Pair(cipher=17, keepalive=False)
    pair.login()
    pair.clock.now += pair.client.params.idle_close + 0.1
    pair.client.tick(pair.clock.now)
    pair.run()
    assert pair.client.state == clientcore.State.CLOSED
    assert not pair.server.sessions
    req = pair.request(6, 1)
    assert req.code == 0 and pair.client.logins == 2


def test_secrets_stay_out_of_repr_and_errors():
    pair = Pair(cipher=17, password=b'hunter2secret', kg=None)
    pair.client.params.kg = b'kgsecret'
    error = pair.login()
    texts = [repr(pair.client), repr(pair.client.params), str(error),
             repr(pair.client._packets), repr(pair.client._login),
             repr(pair.server.config),
             repr(list(pair.server.config.accounts.values()))]
    for text in texts:
        assert 'hunter2' not in text and 'kgsecret' not in text


def test_session_state_reprs_hold_no_keys():
    account = serversession.Account('admin', 'hunter2secret', 4)
    pair = Pair(accounts={b'admin': account}, cipher=17,
                password=b'hunter2secret')
    assert pair.login() is None
    sess, = pair.server.sessions.values()
    keys = sess.packets.keys
    secrets = [keys._k1.hex(), keys._k2.hex(), 'hunter2']
    state = serversession.RakpState(1, b'\xaa' * 16, b'\xbb' * 16, 0x14)
    texts = [repr(pair.client._packets), repr(pair.client._packets.keys),
             repr(sess), repr(sess.packets), repr(state),
             repr(clientcore.LoginState(sik=keys._k1))]
    for text in texts:
        assert not any(secret in text for secret in secrets), text
        assert 'aaaa' not in text and 'bbbb' not in text


def test_bridged_request_unwraps_send_message_reply():
    def app(request, session):
        # A BMC relaying to a controller at 0x82 on channel 7: answer
        # Send Message with the target's response embedded (22.7).
        from pyghmi.ipmi.private.codec import wire
        assert (request['netfn'], request['command']) == (6, 0x34)
        assert request['data'][0] == 0x47
        inner = wire.parse_message(request['data'][1:])
        reply = wire.encode_message(inner.from_addr, inner.netfn | 1, 0, 0x82,
                                    inner.seq, 0, inner.cmd, b'\x00\x99')
        session.send_ipmi_response(data=reply)
    pair = Pair(cipher=17, app=app)
    pair.login()
    req = pair.request(4, 0x2D, b'\x01',
                       bridge={'addr': 0x82, 'channel': 7})
    assert (req.code, req.data_out) == (0, b'\x99')


def test_suite_0_only_when_explicitly_allowed():
    pair = Pair(suites=(0, 3), cipher=0)
    assert pair.login() is None
    assert pair.client.suite == 0
    assert pair.request(6, 1).code == 0
    # the default choice never lands on it
    pair = Pair(suites=(0,))
    assert isinstance(pair.login(), exc.IpmiException)
    from pyghmi.ipmi.private.client import session
    with pytest.raises(exc.InvalidParameterValue):
        session.Session('127.0.0.1', 'admin', 'password', port=9, cipher=0)


def test_duplicated_login_requests_get_the_same_replies():
    pair = Pair(cipher=17)
    sent, answers = [], []
    pair.drop_to_server = lambda data: sent.append(data) and False
    pair.drop_to_client = lambda data: answers.append(data) and False
    assert pair.login() is None
    login = sent[:3]            # Open Session, RAKP 1, RAKP 3
    assert [wire.parse_datagram(d).payload_type for d in login] == \
        [0x10, 0x12, 0x14]
    pair.clock.now += 1.0                    # a console's retransmission
    for request, reply in zip(login, answers[:3]):
        pair.server.outbox.clear()
        pair.to_client.clear()
        pair.server.receive(request, CONSOLE, pair.clock.now)
        assert pair.to_client == [reply]      # same random numbers, same
    assert len(pair.server.sessions) == 1    # no second session opened
    assert pair.server.dropped['repeated request answered again'] == 3
    assert pair.request(6, 1).code == 0      # the session still works


def test_network_copies_of_requests_are_not_answered_twice():
    pair = Pair(cipher=17)
    sent = []

    def copy_everything(data):
        sent.append(data)
        pair.to_server.insert(0, data) if len(sent) % 2 else None
        return False
    pair.drop_to_server = copy_everything
    assert pair.login() is None
    assert pair.request(6, 1).code == 0
    # Every request (3 login messages, Set Session Privilege, Get Device
    # ID) reached the BMC twice at the same instant; each was answered
    # once, and the console saw no duplicated reply.
    assert pair.server.dropped['network duplicate of a request'] == 5
    assert not pair.client.dropped


def test_open_session_with_a_new_tag_is_a_new_session():
    pair = Pair(cipher=17)
    sent = []
    pair.drop_to_server = lambda data: sent.append(data) and False
    assert pair.login() is None
    fresh = bytearray(wire.parse_datagram(sent[0]).payload)
    fresh[0] ^= 0x3F                          # another message tag
    pair.server.receive(wire.encode_v2(0x10, 0, 0, bytes(fresh)), CONSOLE,
                        pair.clock.now)
    assert len(pair.server.sessions) == 2


def _payload_type(data):
    return wire.parse_datagram(data).payload_type


def test_lost_rakp4_is_recovered_by_the_bmc_reply_cache():
    pair = Pair(cipher=17)
    lost = []

    def drop_first_rakp4(data):
        if _payload_type(data) == 0x15 and not lost:
            lost.append(data)
            return True
        return False
    pair.drop_to_client = drop_first_rakp4
    assert pair.login() is None and lost
    assert pair.client._restarts == 0


def test_rakp4_never_arriving_restarts_the_handshake_with_a_new_sid():
    pair = Pair(cipher=17)
    first_sid = pair.client.local_sid
    lost = []

    def drop_rakp4_of_first_session(data):
        if _payload_type(data) == 0x15 and len(lost) < 2:
            lost.append(data)
            return True
        return False
    pair.drop_to_client = drop_rakp4_of_first_session
    assert pair.login() is None
    assert len(lost) == 2 and pair.client._restarts == 1
    assert pair.client.local_sid != first_sid
    assert pair.request(6, 1).code == 0


def test_rakp2_damaged_on_the_way_costs_one_more_handshake():
    pair = Pair(cipher=17)
    damaged = []

    def damage_first_rakp2(data):
        if _payload_type(data) == 0x13 and not damaged:
            damaged.append(data)
            bad = bytearray(data)
            bad[-1] ^= 0x01                # the key exchange code
            pair.client.receive(wire.parse_datagram(bytes(bad)),
                                pair.clock.now)
            return True
        return False
    pair.drop_to_client = damage_first_rakp2
    assert pair.login() is None and damaged


def test_wrong_password_fails_after_exactly_two_handshakes():
    pair = Pair(cipher=17, password=b'wrong')
    opens = []
    pair.drop_to_server = lambda data: (
        _payload_type(data) == 0x10 and opens.append(data)) and False
    error = pair.login()
    assert isinstance(error, exc.IpmiAuthenticationError)
    assert 'Incorrect password' in str(error) and len(opens) == 2
    assert pair.clock.now == 1000.0         # no time-out involved


def test_bridged_reply_with_an_empty_inner_body_is_dropped():
    def app(request, session):
        inner = wire.parse_message(request['data'][1:])
        reply = wire.encode_message(inner.from_addr, inner.netfn | 1, 0,
                                    0x82, inner.seq, 0, inner.cmd, b'')
        session.send_ipmi_response(data=reply)
    pair = Pair(cipher=17, app=app, retries=0)
    pair.login()
    req = pair.request(4, 0x2D, b'\x01',
                       bridge={'addr': 0x82, 'channel': 7})
    assert isinstance(req.error, exc.IpmiTimeoutError)
    assert pair.client.dropped['response matches no request'] >= 1
    assert not any(k.startswith('internal') for k in pair.client.dropped)


def test_unencodable_request_fails_alone_and_the_next_one_runs():
    pair = Pair(cipher=17)
    pair.login()
    done = []
    bad = clientcore.Request(0x40, 1, callback=done.append)
    good = clientcore.Request(6, 1, callback=done.append)
    pair.client.submit(bad, pair.clock.now)
    pair.client.submit(good, pair.clock.now)
    pair.run()
    assert isinstance(bad.error, exc.IpmiProtocolError)
    assert good.code == 0 and done == [bad, good]


def test_dead_bmc_fails_after_first_contact_time():
    pair = Pair(cipher=17, timeout=1.0, retries=2)
    sent = []
    pair.drop_to_server = lambda data: sent.append(data) or True
    error = pair.login()
    assert isinstance(error, exc.IpmiTimeoutError)
    assert 'Open Session' in str(error) or 'open' in str(error).lower()
    # Tried for the first-contact time (20 x 1 s), one try per second
    # (no round trip measured yet: each try waits the whole time-out),
    # then no restart: nothing shows the BMC is there.
    assert pair.clock.now - 1000.0 == pytest.approx(20.0)
    assert len(sent) == 20 and pair.client._restarts == 0


def test_scanner_timeout_shortens_first_contact():
    pair = Pair(cipher=17, timeout=0.25, retries=2)
    pair.drop_to_server = lambda data: True
    assert isinstance(pair.login(), exc.IpmiTimeoutError)
    assert pair.clock.now - 1000.0 == pytest.approx(5.0)


def test_bmc_answering_only_its_tenth_try_is_reached():
    pair = Pair(cipher=17)
    seen = []
    pair.drop_to_server = lambda data: (seen.append(data) or
                                        len(seen) < 10)
    assert pair.login() is None
    assert len(seen) >= 10 and pair.client.active
    # nine lost tries at the 1 s time-out, then the login at no cost
    assert pair.clock.now - 1000.0 == pytest.approx(9.0)


def test_login_that_keeps_losing_rakp_fails_at_its_budget():
    pair = Pair(cipher=17, timeout=1.0, retries=2)
    pair.drop_to_client = lambda data: _payload_type(data) == 0x13
    error = pair.login()
    assert isinstance(error, exc.IpmiTimeoutError)
    assert 'did not complete' in str(error)
    budget = clientcore.login_budget(pair.client.params)
    assert pair.clock.now - 1000.0 == pytest.approx(budget)
    assert pair.client._restarts >= 2


def test_lost_set_privilege_replies_restart_the_handshake():
    pair = Pair(cipher=17, retries=1)
    state = {'active_drops': 0}

    def drop_setpriv_replies(data):
        # every Set Session Privilege answer of the first handshake
        if _payload_type(data) == 0 and not pair.logins and \
                pair.client._restarts == 0:
            state['active_drops'] += 1
            return True
        return False
    pair.drop_to_client = drop_setpriv_replies
    assert pair.login() is None
    assert state['active_drops'] >= 2 and pair.client._restarts == 1
    assert pair.request(6, 1).code == 0


def _rakp3_with_wrong_code(pair):
    """Drive one login whose RAKP 3 carries a wrong code (a console with
    the wrong password that still sends RAKP 3, as some tools do)."""
    pair.client.login(pair.clock.now)
    for _ in range(10):
        pair.to_server.extend(pair.client.outbox)
        pair.client.outbox = []
        while pair.to_server:
            data = pair.to_server.pop(0)
            if _payload_type(data) == 0x14:
                bad = bytearray(data)
                bad[-1] ^= 0xFF
                data = bytes(bad)
            pair.server.receive(data, CONSOLE, pair.clock.now)
        while pair.to_client:
            pair.client.receive(wire.parse_datagram(pair.to_client.pop(0)),
                                pair.clock.now)
    pair.client.close(pair.clock.now)
    pair.run()


def test_lockout_after_failed_rakp3_in_a_row_when_enabled():
    pair = Pair(cipher=17)
    pair.server.config.lockout_threshold = 2
    pair.server.config.lockout_seconds = 60.0
    _rakp3_with_wrong_code(pair)
    _rakp3_with_wrong_code(pair)
    fresh = Pair(cipher=17)
    fresh.server = pair.server
    fresh.server.on_output = fresh._server_output
    error = fresh.login()
    assert isinstance(error, exc.IpmiAuthenticationError)
    assert pair.server.dropped['login of a locked-out user'] >= 1
    fresh.clock.now += 61.0                 # the lock expires
    fresh.client.state = clientcore.State.IDLE
    assert fresh.login() is None


def test_login_rate_limit_per_source_when_enabled():
    pair = Pair(cipher=17)
    pair.server.config.login_rate = 2.0
    opens = 0
    for tag in range(6):
        body = bytes((tag, 4, 0, 0, 9 + tag, 0, 0, 0)) + bytes.fromhex(
            '0000000803000000' '0100000804000000' '0200000801000000')
        before = len(pair.to_client)
        pair.server.receive(wire.encode_v2(0x10, 0, 0, body), CONSOLE,
                            pair.clock.now)
        opens += len(pair.to_client) > before
    assert opens == 2 and pair.server.dropped['login rate limit'] == 4
    pair.clock.now += 1.0                    # two more tokens
    pair.to_client.clear()
    assert pair.login() is None


def test_late_reply_never_answers_another_request():
    pair = Pair(cipher=17)
    pair.login()
    replies = []
    pair.drop_to_client = lambda data: replies.append(data) and False
    first = pair.request(0, 1)          # answered 0xC1 by the pair's app
    assert first.code == 0xC1
    late = replies[-1]
    # The next request is in flight when a late copy of the first reply
    # arrives (sealed again, as a BMC that answered twice would send it,
    # so the session sequence window lets it through): it must not
    # complete the new request.
    done = []
    second = clientcore.Request(6, 1, callback=done.append)
    pair.client.submit(second, pair.clock.now)
    server_sess, = pair.server.sessions.values()
    inner = server_sess.packets.keys.decrypt(
        wire.parse_datagram(late).payload)
    pair.client.receive(wire.parse_datagram(server_sess.packets.seal(
        pair.client.local_sid, inner)), pair.clock.now)
    assert not done
    assert pair.client.dropped['response matches no request'] == 1
    pair.run()
    assert done == [second] and second.code == 0


def test_requests_finish_at_the_cores_time():
    """An outcome carries the time the core handled it (the login's last
    step takes its time from there, not from a guess)."""
    pair = Pair(cipher=17)
    pair.login()
    pair.clock.now += 5.0
    req = pair.request(6, 1)
    assert req.code == 0 and req.finished_at == pair.clock.now
    # a request that times out finishes at its last try's deadline
    pair.drop_to_server = lambda data: True
    req = pair.request(6, 1, retry=False)
    assert req.error is not None and req.finished_at == pair.clock.now


@pytest.mark.parametrize('kwargs,name', [
    ({'privlevel': 'king'}, 'privlevel'), ({'privlevel': 5}, 'privlevel'),
    ({'privlevel': True}, 'privlevel'), ({'password': 'p' * 21},
                                         'password'),
    ({'kg': 42}, 'kg'), ({'max_inflight': 0}, 'max_inflight'),
    ({'ipmi_version': 3}, 'ipmi_version'), ({'cipher': 99}, 'cipher'),
    ({'port': 0}, 'port'), ({'bmc': 12}, 'bmc'),
])
def test_legacy_session_checks_its_arguments_once_before_sending(
        kwargs, name):
    """pyghmi's Session (which Command builds) is where a login's
    arguments are checked: each refusal names the argument, never shows
    a secret, and comes before anything is resolved or sent."""
    from pyghmi.ipmi.private.client import session
    arguments = dict(bmc='127.0.0.1', userid='admin', password='password',
                     port=9)
    arguments.update(kwargs)
    with pytest.raises(exc.InvalidParameterValue) as info:
        session.Session(**arguments)
    assert name in str(info.value)
    if name == 'password':
        assert 'p' * 21 not in str(info.value)
